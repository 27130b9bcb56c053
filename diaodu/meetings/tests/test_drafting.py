"""Drafting a meeting record from published reports of meetings (``reports/``), against
the shared world: what each report proposes, in Simplified and Traditional characters,
with and without inline pinyin, as text and as a Word file; and what confirming creates.

Beside the cast of ``diaodu.test`` (and project X2 of ``conftest.py``), two officials are
named in the reports by surname and rank: 王建国 (管委会主任, a leader, "王主任") and
王海涛 (局长 of department A, "王局长").
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from diaodu.core.models import ChangeLog
from diaodu.factories import DepartmentStaffFactory, LeaderFactory
from diaodu.lib import reporttext
from diaodu.lib.chinese import to_simplified
from diaodu.meetings import drafting
from diaodu.meetings.models import Meeting
from diaodu.projects.access import visible_projects
from diaodu.projects.models import Project

REPORTS = Path(__file__).parent / "reports"


def read(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def weekly_docx() -> bytes:
    """A weekly meeting's minutes as offices write them in Word: paragraphs, then a table
    with a row per project."""
    document = Document()
    document.add_heading("重点项目周调度会议纪要", level=1)
    document.add_paragraph("2026-06-08，区项目协调办组织召开重点项目周调度会，李主任主持会议。")
    document.add_paragraph("会议逐一听取了各项目进展情况，具体如下：")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["项目名称", "进展情况", "会议意见"], strict=True):
        cell.text = text
    for row in [
        ("水务产业园", "完成场地平整。", "要求区资规局在6月20日前完成水务产业园土地挂牌。"),
        ("新材料产业基地", "厂房主体封顶。", "要求区审批局加快办理新材料产业基地施工许可。"),
    ]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("会议强调，各责任单位要严格落实交办事项，按时反馈办理结果。")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def officials(meetings):
    meetings.wang_jianguo = LeaderFactory(
        username="wang_jianguo",
        display_name="王建国",
        title="管委会主任",
        organisation=meetings.leadership,
    )
    meetings.wang_haitao = DepartmentStaffFactory(
        username="wang_haitao",
        display_name="王海涛",
        title="局长",
        organisation=meetings.department_a,
    )
    return meetings


def draft_of(world, text: str) -> drafting.Draft:
    return drafting.draft(text, projects=visible_projects(world.coordinator), today=world.today)


def quoted_in_simplified(draft: drafting.Draft) -> drafting.Draft:
    """The draft with every quotation of the report in Simplified characters."""

    def found(f):
        return replace(f, sentence=to_simplified(f.sentence), said=to_simplified(f.said))

    return replace(
        draft,
        date_sentence=to_simplified(draft.date_sentence),
        title_sentence=to_simplified(draft.title_sentence),
        project_count_sentence=to_simplified(draft.project_count_sentence),
        chair=found(draft.chair) if draft.chair else None,
        projects=[found(f) for f in draft.projects],
        organisations=[found(f) for f in draft.organisations],
        people=[found(f) for f in draft.people],
        new_names=[replace(n, sentence=to_simplified(n.sentence)) for n in draft.new_names],
        decisions=[replace(d, sentence=to_simplified(d.sentence)) for d in draft.decisions],
    )


def objects(found: list) -> list:
    return [f.obj for f in found]


def decisions(draft) -> list[tuple[str, object]]:
    """(text, where) per proposed decision: a project, a new name, or None."""
    return [
        (
            d.text,
            d.project
            if d.project
            else (draft.new_names[d.new_name].name if d.new_name is not None else None),
        )
        for d in draft.decisions
    ]


# --- what each report proposes --------------------------------------------------------------


def test_a_simplified_news_report_proposes_its_meeting(officials):
    w = officials

    draft = draft_of(w, read("simplified_news.txt"))

    assert (draft.date, draft.kind, draft.status) == (date(2026, 5, 11), "special", "held")
    assert "主持召开" in draft.date_sentence
    assert draft.title == "我区召开重点项目专题调度会议"
    assert draft.chair.obj == w.leader
    assert objects(draft.projects) == [w.project_x, w.project_y]
    assert set(objects(draft.organisations)) == {
        w.leadership,  # 管委会副主任
        w.department_a,
        w.department_b,
        w.enterprise_x,
    }
    assert objects(draft.people) == [w.leader, w.wang_haitao]
    assert draft.new_names == []
    assert decisions(draft) == [
        ("水务产业园二期用地已完成组卷报批，要力争6月底前完成供地。", w.project_x),
        ("压实工作责任，各部门要强化部门联动，推动项目落得了、落得快、落得好。", None),
        ("强化要素保障，区资规局要加快水务产业园供地工作，做好空间保障。", w.project_x),
        ("优化审批流程，区审批局要为新材料产业基地开辟绿色通道，实行并联审批。", w.project_y),
        ("各项目业主要严格按照时间节点要求倒排工期，确保项目按期开工。", None),
    ]


def test_every_proposal_shows_the_sentence_of_the_report_it_came_from(officials):
    text = reporttext.normalise(read("simplified_news.txt"))

    draft = draft_of(officials, text)

    found = [*draft.projects, *draft.organisations, *draft.people, draft.chair]
    assert all(f.sentence in text and f.said in f.sentence for f in found)
    assert all(d.sentence in text for d in draft.decisions)
    assert draft.people[1].said == "王局长"


def test_the_same_report_in_traditional_characters_with_inline_pinyin_proposes_the_same(
    officials,
):
    plain = draft_of(officials, read("simplified_news.txt"))

    copied = draft_of(officials, read("traditional_inline_pinyin.txt"))

    assert quoted_in_simplified(copied) == plain
    # Quoted as written: in Traditional, without the pinyin.
    assert copied.date_sentence == (
        "2026年5月11日上午，管委會副主任李主任主持召開重點項目專題調度會議，區資規局、"
        "區審批局、綠源水務等單位負責同志參加會議。"
    )
    assert [(f.said, f.obj) for f in copied.organisations][:2] == [
        ("管委會", officials.leadership),
        ("區資規局", officials.department_a),
    ]
    assert all("(" not in d.sentence for d in copied.decisions)


def test_a_traditional_monthly_report_is_matched_through_full_names_and_a_title(officials):
    w = officials

    draft = draft_of(w, read("traditional_monthly.txt"))

    assert (draft.date, draft.kind, draft.status) == (date(2026, 5, 20), "monthly", "held")
    assert draft.title == "管委会召开5月份重点项目月度调度会"
    assert draft.chair.obj == w.wang_jianguo
    assert objects(draft.projects) == [w.project_y]
    assert set(objects(draft.organisations)) == {
        w.leadership,
        w.department_a,  # 自然资源和规划局
        w.department_b,  # 行政审批服务局
        w.enterprise_y,  # 华材新材料股份有限公司
    }
    assert objects(draft.people) == [w.wang_jianguo]
    assert draft.new_names == []
    assert decisions(draft) == [
        (
            "新材料产业基地是全区工业投资的压舱石，要坚持一站式服务，对上争取专项债券资金支持。",
            w.project_y,
        ),
        ("聚焦难点堵点，找准症结，定期会商，推动问题在6月底前解决。", None),
        ("提高土地集约利用水平，严格落实亩均投资和亩均产出标准。", None),
        ("及时调度重要工作，每周报送进展情况。", None),
    ]


def test_project_names_diaodu_does_not_know_are_offered_with_their_sentences(officials):
    w = officials

    draft = draft_of(w, read("unknown_projects.txt"))

    assert (draft.date, draft.kind) == (date(2026, 5, 18), "on_site")
    assert objects(draft.projects) == [w.project_x2]
    assert [n.name for n in draft.new_names] == [
        "智慧物流园项目",
        "滨江新能源电池产业园",
        "城北污水处理厂提标改造工程",
    ]
    assert all(n.name in n.sentence for n in draft.new_names)
    assert decisions(draft) == [
        # Two projects named: for the whole meeting.
        (
            "区审批局要对智慧物流园项目实行容缺受理，滨江新能源电池产业园要在6月15日前完成施工图审查。",
            None,
        ),
        (
            "城北污水处理厂提标改造工程事关民生，要倒排工期、挂图作战。",
            "城北污水处理厂提标改造工程",
        ),
    ]


def test_a_word_file_with_a_table_of_projects_is_read_like_text(officials):
    w = officials

    draft = draft_of(w, reporttext.docx_text(weekly_docx()))

    assert (draft.date, draft.kind, draft.status) == (date(2026, 6, 8), "weekly", "held")
    assert draft.title == "重点项目周调度会议纪要"
    assert draft.chair.obj == w.leader
    assert objects(draft.projects) == [w.project_x, w.project_y]
    assert decisions(draft) == [
        ("区资规局在6月20日前完成水务产业园土地挂牌。", w.project_x),
        ("区审批局加快办理新材料产业基地施工许可。", w.project_y),
        ("各责任单位要严格落实交办事项，按时反馈办理结果。", None),
    ]


def test_a_surname_and_title_two_people_share_names_neither(officials):
    w = officials
    LeaderFactory(display_name="王建军", title="管委会主任", organisation=w.leadership)

    draft = draft_of(w, "会议由王主任主持。王主任强调，要加快水务产业园供地工作，确保按期开工。")

    assert draft.people == []
    assert draft.chair is None


def test_an_organisation_is_found_by_the_other_names_people_use(officials):
    w = officials
    w.department_b.aliases = "审批服务局、政务服务办"
    w.department_b.save(update_fields=["aliases"])

    draft = draft_of(w, "会议要求，政务服务办要为新材料产业基地开辟绿色通道。")

    assert [(f.obj, f.said) for f in draft.organisations] == [(w.department_b, "政务服务办")]


def test_drafting_saves_nothing(officials, django_assert_max_num_queries):
    changes, meetings, projects = (
        ChangeLog.objects.count(),
        Meeting.objects.count(),
        Project.objects.count(),
    )

    # Three reads of the names Diaodu knows (projects, organisations, people) and one of
    # the meetings drafted from the same report, whatever the report's length.
    with django_assert_max_num_queries(4):
        draft_of(officials, read("unknown_projects.txt") + read("simplified_news.txt"))

    assert (ChangeLog.objects.count(), Meeting.objects.count(), Project.objects.count()) == (
        changes,
        meetings,
        projects,
    )


# --- confirming ----------------------------------------------------------------------------------


def test_confirming_creates_the_meeting_its_new_projects_agenda_and_decisions_at_once(officials):
    w = officials
    changes = ChangeLog.objects.count()
    starts_at = draft_of(w, read("unknown_projects.txt")).starts_at

    meeting = drafting.confirm(
        drafting.Confirmed(
            meeting={"kind": "on_site", "title": "滨江片区现场推进会", "starts_at": starts_at,
                     "status": "held", "attendees": [w.leader], "organisations": [w.department_b]},
            projects=[w.project_x2],
            new_projects=[{"name": "城北污水处理厂提标改造工程", "code": "2026-050",
                           "owner": w.enterprise_x, "lead_department": w.department_a,
                           "total_investment": Decimal("12000"), "plan_year": 2026}],
            decisions=[("要倒排工期、挂图作战。", 0), ("加快施工图审查。", None),
                       ("配套管网6月底前完工。", w.project_x2)],
        ),
        actor=w.coordinator,
    )  # fmt: skip

    created = Project.objects.get(code="2026-050")
    assert [(i.project, i.decisions) for i in meeting.agenda.all()] == [
        (w.project_x2, "配套管网6月底前完工。"),
        (created, "要倒排工期、挂图作战。"),
    ]
    assert meeting.closing == "加快施工图审查。"
    assert meeting.created_by == w.coordinator
    assert list(meeting.attendees.all()) == [w.leader]
    assert created.milestones.exists(), "created through the project service"
    # The meeting, the project, the agenda, the decisions on two items.
    assert ChangeLog.objects.count() - changes == 5


def test_a_refused_part_leaves_nothing_half_created(officials):
    w = officials
    before = (Meeting.objects.count(), Project.objects.count(), ChangeLog.objects.count())

    with pytest.raises(ValidationError):
        drafting.confirm(
            drafting.Confirmed(
                meeting={"kind": "special", "title": "专题会", "status": "held",
                         "starts_at": draft_of(w, read("simplified_news.txt")).starts_at},
                projects=[w.project_x],
                # Project X's number: taken since the form was checked.
                new_projects=[{"name": "智慧物流园", "code": "2026-001", "owner": w.enterprise_x,
                               "lead_department": w.department_a,
                               "total_investment": Decimal("1000"), "plan_year": 2026}],
                decisions=[("加快推进。", 0)],
            ),
            actor=w.coordinator,
        )  # fmt: skip

    assert (Meeting.objects.count(), Project.objects.count(), ChangeLog.objects.count()) == before


def test_a_report_without_a_headline_gets_a_short_title_and_its_hour(officials):
    report = (
        "2026年5月11日下午3:30，管委会副主任李主任在区政务中心主持召开重点项目工作调度"
        "专题会议，听取了七个重点项目推进情况汇报，区资规局、区审批局等单位负责同志参加会议。"
    )

    draft = draft_of(officials, report)

    assert draft.title == "5月11日重点项目工作调度专题会议"
    assert draft.title_sentence == report
    assert timezone.localtime(draft.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-05-11 15:30"


def test_directives_of_two_speakers_are_proposed_with_their_speakers(officials):
    draft = draft_of(officials, read("traditional_two_speakers.txt"))

    assert [(d.speaker, d.text, d.required) for d in draft.decisions] == [
        ("管委会副主任李主任", "今年以来全区重点项目完成投资12亿元，总体进展平稳。", False),
        ("李主任", "术业有专攻。各部门要各司其职，把专业的事交给专业的人做。", True),
        ("李主任", "压实责任。区资规局务必在6月底前完成水务产业园供地。", True),
        ("区资规局王局长", "各单位要抓紧梳理用地需求，限期报送。", True),
    ]
    # The enterprise's pledge is context, not a decision; the title is short.
    assert not any("绿源水务" in d.text for d in draft.decisions)
    assert draft.title == "5月11日重点项目工作调度专题会议"
