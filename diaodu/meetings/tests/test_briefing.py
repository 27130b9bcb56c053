"""The briefing pack: what a leader reads on each agenda project before the meeting, as a
page and as a Word file read back with python-docx."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import (
    ActionItemFactory,
    MeetingFactory,
    ProblemFactory,
    ProgressReportFactory,
)
from diaodu.meetings.tests.helpers import all_text, docx_of, east_asian_font, paragraphs, runs
from diaodu.projects.choices import ReportStatus
from diaodu.test import client_for

pytestmark = pytest.mark.usefixtures("meetings")


def _briefing(meeting, docx=False):
    return reverse("meetings:meeting_briefing", args=[meeting.pk]) + (
        "?format=docx" if docx else ""
    )


@pytest.fixture
def pack(world):
    """Project X is delayed (land supply planned 1 June), has 3,000 万元 approved this year,
    May's report, an open problem and an overdue action item from an earlier meeting."""
    w = world
    w.project_x.milestones.filter(kind__code="land_supply").update(planned_date=date(2026, 6, 1))
    ProgressReportFactory(
        project=w.project_x,
        period_start=date(2026, 4, 1),
        investment=Decimal("3000"),
        status=ReportStatus.APPROVED,
        submitted_by=w.owner_x,
    )
    w.problem_x = ProblemFactory(
        project=w.project_x,
        title="用地指标不足，供地推迟",
        lead_department=w.department_a,
        cooperating_departments=[w.department_b],
        raised_by=w.owner_x,
        due_date=date(2026, 6, 30),
    )
    earlier = MeetingFactory(
        title="5月重点项目调度会", chair=w.leader, created_by=w.coordinator, status="issued"
    )
    w.action_x = ActionItemFactory(
        project=w.project_x,
        meeting=earlier,
        title="协调供电线路接入",
        lead_department=w.department_b,
        assigned_by=w.coordinator,
        due_date=date(2026, 6, 5),
    )
    return w


def test_the_briefing_page_has_what_a_leader_needs_on_each_project(pack):
    response = client_for(pack.leader).get(_briefing(pack.meeting_x))

    assert response.status_code == 200
    brief_x, brief_x2 = response.context["briefs"]
    assert (brief_x.project, brief_x2.project) == (pack.project_x, pack.project_x2)
    assert brief_x.assessment.health == "delayed"
    assert "供地" in brief_x.assessment.reason
    assert [m.kind.code for m in brief_x.due_milestones] == ["land_supply"]
    assert brief_x.latest_report == pack.report_x
    assert (brief_x.totals.plan, brief_x.totals.year_to_date) == (Decimal("20000"), 3000)
    assert brief_x.open_problems == [pack.problem_x]
    assert brief_x.earlier_actions == [pack.action_x]
    assert brief_x.earlier_actions[0].light == "red"
    html = response.content.decode()
    for text in (
        "水务产业园",
        "水务产业园配套管网",
        brief_x.assessment.reason,
        "完成场地平整。",
        "用地指标不足，供地推迟",
        "协调供电线路接入",
        "20,000.00",
        "3,000.00",
    ):
        assert text in html


def test_the_briefing_pack_docx_holds_the_same_in_agenda_order(pack):
    page = client_for(pack.leader).get(_briefing(pack.meeting_x))
    reason = page.context["briefs"][0].assessment.reason

    document = docx_of(client_for(pack.leader).get(_briefing(pack.meeting_x, docx=True)))

    lines = paragraphs(document)
    assert lines[0] == "水务产业园专题调度会议汇报材料"
    assert lines[1] == "2026年6月15日 15:00"
    headings = [line for line in lines if line[1:2] == "、"]
    assert headings == ["一、水务产业园", "二、水务产业园配套管网"]
    project_x = lines[lines.index("一、水务产业园") + 1 : lines.index("二、水务产业园配套管网")]
    assert project_x == [
        f"建设阶段和运行状态：前期准备；滞后：{reason}",
        "本年度投资：计划20,000.00万元，已完成3,000.00万元，15.0%",
        "到期或逾期节点：供地 2026年6月1日",
        "最新进展：（2026年5月）完成场地平整。",
        "未解决问题：",
        "前期交办事项：",
    ]
    assert reason == "供地计划2026年6月1日完成，已逾期9天"
    text = all_text(document)
    assert "用地指标不足，供地推迟" in text
    assert "协调供电线路接入" in text
    assert "新材料产业基地" not in text


def test_the_briefing_docx_lists_open_problems_and_earlier_action_items_as_tables(pack):
    document = docx_of(client_for(pack.coordinator).get(_briefing(pack.meeting_x, docx=True)))

    problems, actions = [[row for row in t.rows] for t in document.tables]
    assert [c.text for c in problems[0].cells] == ["问题", "牵头单位", "配合单位", "截止日期"]
    assert [c.text for c in problems[1].cells] == [
        "用地指标不足，供地推迟",
        "区资规局",
        "区审批局",
        "2026年6月30日",
    ]
    assert [c.text for c in actions[1].cells][:3] == [
        "协调供电线路接入",
        "区审批局",
        "2026年6月5日",
    ]


def test_every_run_of_the_briefing_docx_names_an_east_asian_font(pack):
    document = docx_of(client_for(pack.leader).get(_briefing(pack.meeting_x, docx=True)))

    fonts = {run.text: east_asian_font(run) for run in runs(document)}

    assert fonts, "the document has text"
    assert None not in fonts.values(), [t for t, f in fonts.items() if f is None]
    assert fonts["一、水务产业园"] == "黑体"
    assert fonts["用地指标不足，供地推迟"] == "仿宋"


def test_the_briefing_leaves_out_finished_problems_and_action_items(pack):
    pack.problem_x.status = "resolved"
    pack.problem_x.save(update_fields=["status"])
    pack.action_x.status = "done"
    pack.action_x.save(update_fields=["status"])

    response = client_for(pack.leader).get(_briefing(pack.meeting_x))

    brief = response.context["briefs"][0]
    assert (brief.open_problems, brief.earlier_actions) == ([], [])


def test_the_briefing_in_english_follows_the_request_language(pack):
    response = client_for(pack.leader, language="en").get(_briefing(pack.meeting_x, docx=True))

    lines = paragraphs(docx_of(response))
    assert lines[0] == "Briefing pack: 水务产业园专题调度会议"
    assert any(line.startswith("Latest progress: ") for line in lines)


def test_an_empty_agenda_gives_an_empty_pack(world):
    meeting = MeetingFactory(chair=world.leader, created_by=world.coordinator)

    page = client_for(world.coordinator).get(_briefing(meeting))
    document = docx_of(client_for(world.coordinator).get(_briefing(meeting, docx=True)))

    assert page.context["briefs"] == []
    assert "议程为空。" in page.content.decode()
    assert len(paragraphs(document)) == 2
