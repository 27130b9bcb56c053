"""The minutes (会议纪要): drafted from what was recorded, editable until issued; issuing
freezes the .docx, tells every organisation with an assignment, and closes the meeting to
change. Documents are read back with python-docx."""

import mimetypes
from datetime import date

import pytest
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from diaodu.core import services as core_services
from diaodu.core.models import ChangeLog, DocumentSequence, DocumentSettings
from diaodu.factories import (
    AgendaItemFactory,
    DepartmentFactory,
    DepartmentStaffFactory,
    ProblemFactory,
    ProgressReportFactory,
)
from diaodu.meetings import services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import Minutes
from diaodu.meetings.tests.helpers import (
    HELD_AT,
    action_data,
    discussion_data,
    docx_of,
    east_asian_font,
    meeting_form_data,
    messages_of,
    paragraphs,
    read_docx,
    ready_to_issue,
    runs,
    tables,
)
from diaodu.notifications.models import Notification
from diaodu.problems.models import ActionItem
from diaodu.projects.models import Project
from diaodu.test import api_for, client_for, needs_libreoffice, printed_pages

pytestmark = pytest.mark.usefixtures("meetings")

PREAMBLE = "会议听取了各项目推进情况汇报，研究了存在的问题，现纪要如下："
CLOSING = "各责任单位要按照时间节点抓好落实，项目协调办跟踪督办。"


def _url(name, obj):
    return reverse(f"meetings:{name}", args=[obj.pk])


@pytest.fixture
def held(world):
    """Meeting X, held: projects X, X2 and Y on the agenda; discussion and decisions on X;
    two assignments (X: department A with B; Y: department B with C). Departments C and D
    attend; D gets no assignment."""
    w = world
    meeting = w.meeting_x
    w.item_y = AgendaItemFactory(meeting=meeting, project=w.project_y, order=30)
    w.department_c = DepartmentFactory(name="住房和城乡建设局", short_name="区住建局")
    w.department_d = DepartmentFactory(name="生态环境分局", short_name="区生态环境分局")
    w.staff_c = DepartmentStaffFactory(username="staff_c", organisation=w.department_c)
    w.staff_d = DepartmentStaffFactory(username="staff_d", organisation=w.department_d)
    services.update_meeting(
        meeting,
        {
            "status": MeetingStatus.HELD,
            "starts_at": HELD_AT,
            "preamble": PREAMBLE,
            "closing": CLOSING,
            "attendees": [w.coordinator, w.staff_a],
            "organisations": [w.department_a, w.department_b, w.department_c, w.department_d],
        },
        actor=w.coordinator,
    )
    ProblemFactory(project=w.project_y, title="施工用电未接入", lead_department=w.department_b)
    services.record_discussion(
        w.item_x,
        {"summary": "场地平整已完成，正在办理用地手续。", "decisions": "资规局6月底前完成供地。"},
        actor=w.leader,
    )
    w.action_x = services.assign_in_meeting(
        w.item_x,
        {
            "title": "6月底前完成供地",
            "lead_department": w.department_a,
            "cooperating_departments": [w.department_b],
            "due_date": date(2026, 6, 30),
        },
        actor=w.leader,
    )
    w.action_y = services.assign_in_meeting(
        w.item_y,
        {
            "title": "7月中旬前接通施工用电",
            "lead_department": w.department_b,
            "cooperating_departments": [w.department_c],
            "due_date": date(2026, 7, 15),
        },
        actor=w.leader,
    )
    return w


def draft(world):
    return docx_of(client_for(world.coordinator).get(_url("meeting_minutes", world.meeting_x)))


# --- The draft ------------------------------------------------------------------------------


def test_the_draft_minutes_follow_the_conventional_format(held):
    lines = paragraphs(draft(held))

    assert lines[:6] == [
        "重点项目协调办公室",
        "〔2026〕\u3000\u3000号",  # numbered when issued
        "水务产业园专题调度会议纪要",
        "时间：2026年6月9日 15:00",
        "地点：管委会三楼第一会议室",
        "主持：管委会副主任李主任",
    ]
    assert lines[6].startswith("参会人员：")
    assert "周协调" in lines[6]
    assert "资规局小王" in lines[6]
    assert "区资规局" not in lines[6]
    assert lines[7] == "参会单位：区住建局、区生态环境分局、区资规局、区审批局"
    assert lines[8:] == [
        PREAMBLE,
        "一、水务产业园",
        "进展情况：场地平整已完成，正在办理用地手续。",
        "会议议定：资规局6月底前完成供地。",
        "交办事项：",
        "二、水务产业园配套管网",
        "三、新材料产业基地",
        "进展情况：完成场地平整。",
        "存在问题：施工用电未接入。",
        "交办事项：",
        CLOSING,
        "重点项目协调办公室\t2026年6月10日印发",
    ]


def test_the_draft_minutes_table_the_assignments_with_departments_and_deadlines(held):
    assert tables(draft(held)) == [
        [
            ["交办内容", "牵头单位", "配合单位", "完成时限"],
            ["6月底前完成供地", "区资规局", "区审批局", "2026年6月30日"],
        ],
        [
            ["交办内容", "牵头单位", "配合单位", "完成时限"],
            ["7月中旬前接通施工用电", "区审批局", "区住建局", "2026年7月15日"],
        ],
    ]


def test_the_minutes_set_an_east_asian_font_on_every_run(held):
    document = draft(held)
    fonts = {run.text: east_asian_font(run) for run in runs(document)}

    assert None not in fonts.values(), [t for t, f in fonts.items() if f is None]
    assert fonts["水务产业园专题调度会议纪要"] == "宋体"
    assert fonts["二、水务产业园配套管网"] == "黑体"
    assert fonts["时间："] == "仿宋"
    assert fonts["6月底前完成供地"] == "仿宋"


def test_the_draft_numbers_the_projects_on_past_ten(world):
    for n in range(9):
        AgendaItemFactory(meeting=world.meeting_x, order=100 + n)

    headings = [line for line in paragraphs(draft(world)) if "、" in line[:3]]

    assert [h.split("、")[0] for h in headings] == [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一",
    ]  # fmt: skip


def test_the_minutes_can_be_edited_until_they_are_issued(held):
    browser = client_for(held.coordinator)
    browser.post(
        _url("agenda_discussion", held.item_x2),
        discussion_data(held.item_x2, "管网设计已完成。", "7月开工。"),
    )
    browser.post(
        _url("meeting_edit", held.meeting_x),
        meeting_form_data(held.meeting_x, place="滨江片区项目现场", closing="散会。"),
    )

    lines = paragraphs(draft(held))

    assert "地点：滨江片区项目现场" in lines
    after_x2 = lines[lines.index("二、水务产业园配套管网") + 1 :][:2]
    assert after_x2 == ["进展情况：管网设计已完成。", "会议议定：7月开工。"]
    assert lines[-2] == "散会。"


def test_the_draft_is_named_as_a_draft(held):
    response = client_for(held.coordinator).get(_url("meeting_minutes", held.meeting_x))

    assert (
        "%E7%BA%AA%E8%A6%81%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89.docx"
        in (response["Content-Disposition"])
    )  # 纪要（草稿）.docx


# --- Issuing --------------------------------------------------------------------------------


def test_issuing_freezes_the_minutes_and_tells_the_organisations_with_assignments(held, media_root):
    expected = paragraphs(draft(held))

    response = client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))

    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", "会议纪要已印发，已通知：区资规局、区审批局、区住建局。")
    ]
    held.meeting_x.refresh_from_db()
    assert held.meeting_x.status == MeetingStatus.ISSUED
    minutes = Minutes.objects.get(meeting=held.meeting_x)
    assert (minutes.issued_by, minutes.issued_at.date()) == (held.coordinator, date(2026, 6, 10))
    assert minutes.document.name == f"minutes/2026/minutes-{held.meeting_x.pk}-20260610.docx"
    assert (media_root / minutes.document.name).is_file()
    with minutes.document.open("rb") as stored:
        issued = paragraphs(read_docx(stored.read()))
    assert (minutes.year, minutes.number) == (2026, 1)
    assert issued == [expected[0], "〔2026〕1号", *expected[2:]]
    told = Notification.objects.filter(event="minutes_issued")
    assert {n.recipient for n in told} == {held.staff_a, held.staff_b, held.staff_c}
    assert {n.url for n in told} == {held.meeting_x.get_absolute_url()}


def test_the_issued_minutes_stay_as_issued_when_the_record_changes(held):
    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    Project.objects.filter(pk=held.project_x.pk).update(name="水务产业园（更名）")
    ActionItem.objects.filter(pk=held.action_x.pk).update(title="改写的交办事项")

    response = client_for(held.leader).get(_url("meeting_minutes", held.meeting_x))

    document = docx_of(response)
    assert "一、水务产业园" in paragraphs(document)
    assert tables(document)[0][1][0] == "6月底前完成供地"
    assert "%E7%BA%AA%E8%A6%81.docx" in response["Content-Disposition"]  # 纪要.docx


def test_the_issued_minutes_are_served_as_word_without_a_system_mime_table(held, monkeypatch):
    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    monkeypatch.setattr(mimetypes, "guess_type", lambda *args, **kwargs: (None, None))

    response = client_for(held.coordinator).get(_url("meeting_minutes", held.meeting_x))

    assert paragraphs(docx_of(response))[2] == "水务产业园专题调度会议纪要"


def test_issuing_twice_is_refused_on_the_page_and_by_the_api(held):
    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    notifications, changes = Notification.objects.count(), ChangeLog.objects.count()

    page = client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    api = api_for(held.admin).post(f"/api/meetings/{held.meeting_x.pk}/issue/")

    assert messages_of(page) == [("error", "该会议纪要已经印发。")]
    assert api.status_code == 400
    assert api.json() == {"non_field_errors": ["该会议纪要已经印发。"]}
    assert Minutes.objects.count() == 1
    assert (Notification.objects.count(), ChangeLog.objects.count()) == (notifications, changes)


def test_the_api_issues_the_minutes(held):
    response = api_for(held.coordinator).post(f"/api/meetings/{held.meeting_x.pk}/issue/")

    assert response.status_code == 200
    assert response.json()["status"] == "issued"
    assert Minutes.objects.filter(meeting=held.meeting_x).exists()
    assert Notification.objects.filter(event="minutes_issued").count() == 3


def test_the_minutes_are_issued_in_chinese_whoever_issues_them(held):
    client_for(held.coordinator, language="en").post(_url("meeting_issue", held.meeting_x))

    with Minutes.objects.get().document.open("rb") as stored:
        lines = paragraphs(read_docx(stored.read()))

    assert lines[2] == "水务产业园专题调度会议纪要"
    assert lines[3] == "时间：2026年6月9日 15:00"


def test_issuing_a_meeting_without_assignments_tells_nobody(world):
    ready_to_issue(world.meeting_y, world.coordinator)

    response = client_for(world.coordinator).post(_url("meeting_issue", world.meeting_y))

    assert response.status_code == 302
    assert not Notification.objects.filter(event="minutes_issued").exists()
    assert Minutes.objects.get().meeting == world.meeting_y


# --- After issuing, the meeting no longer changes ----------------------------------------------


@pytest.fixture
def issued(held):
    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    return held


ISSUED_MESSAGE = "该会议纪要已印发，不能再修改。"


def test_after_issuing_the_pages_refuse_every_change(issued):
    w, meeting = issued, issued.meeting_x
    changes, actions = ChangeLog.objects.count(), ActionItem.objects.count()

    def office():
        return client_for(w.coordinator)  # a fresh session: one flash message each

    edit_form = office().get(_url("meeting_edit", meeting))
    edit = office().post(_url("meeting_edit", meeting), meeting_form_data(meeting, place="现场"))
    mark_held = office().post(_url("meeting_held", meeting))
    add = office().post(_url("agenda_add", meeting), {"projects": [w.project_y.pk]})
    move = office().post(_url("agenda_down", w.item_x))
    remove = office().post(_url("agenda_remove", w.item_x2))
    leader = client_for(w.leader)
    discussion = leader.post(_url("agenda_discussion", w.item_x), discussion_data(w.item_x, "改"))
    assign = leader.post(
        _url("agenda_assign", w.item_x),
        action_data(
            w.item_x, title="补交", lead_department=w.department_a.pk, due_date="2026-07-01"
        ),
    )

    statuses = [r.status_code for r in (edit_form, edit, mark_held, discussion, assign)]
    assert statuses == [403, 403, 403, 403, 403]
    for response in (add, move, remove):
        assert response.status_code == 302
        assert messages_of(response) == [("error", ISSUED_MESSAGE)]
    assert (ChangeLog.objects.count(), ActionItem.objects.count()) == (changes, actions)
    assert meeting.agenda.count() == 3


def test_after_issuing_the_meeting_page_offers_no_change(issued):
    response = client_for(issued.coordinator).get(_url("meeting_detail", issued.meeting_x))

    html = response.content.decode()
    assert response.context["agenda_form"] is None
    assert (response.context["can_run"], response.context["can_manage"]) == (False, False)
    assert _url("meeting_issue", issued.meeting_x) not in html
    assert _url("agenda_discussion", issued.item_x) not in html
    assert "资规局6月底前完成供地。" in html


def test_after_issuing_the_api_refuses_every_change(issued):
    w, api = issued, api_for(issued.coordinator)
    changes = ChangeLog.objects.count()

    patch = api.patch(
        f"/api/meetings/{w.meeting_x.pk}/", {"version": w.meeting_x.version, "place": "现场"}
    )
    add = api.post(f"/api/meetings/{w.meeting_x.pk}/agenda/", {"projects": [w.project_y.pk]})
    decisions = api.patch(
        f"/api/agenda-items/{w.item_x.pk}/", {"version": w.item_x.version, "decisions": "改"}
    )
    assign = api.post(
        f"/api/agenda-items/{w.item_x.pk}/assign/",
        {"title": "补交", "lead_department": w.department_a.pk, "due_date": "2026-07-01"},
    )

    assert (patch.status_code, add.status_code) == (400, 400)
    assert patch.json() == add.json() == {"non_field_errors": [ISSUED_MESSAGE]}
    assert (decisions.status_code, assign.status_code) == (403, 403)
    assert ChangeLog.objects.count() == changes


# --- The official format (GB/T 9704-2012) -----------------------------------------------------


def _footer_fields(footer) -> list[str]:
    return [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]


def test_the_issued_minutes_carry_the_zones_letterhead_number_distribution_and_page_numbers(
    held,
):
    settings_ = DocumentSettings.load()
    core_services.update(
        held.admin,
        settings_,
        {
            "issuing_body": "滨江新区重点项目协调办公室",
            "minutes_code": "滨重协纪",
            "distribution": "各成员单位",
            "copy_to": "区委办、区政府办",
        },
    )
    DocumentSequence.objects.create(series="minutes", year=2026, last=6)

    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))

    minutes = Minutes.objects.get(meeting=held.meeting_x)
    with minutes.document.open("rb") as stored:
        document = read_docx(stored.read())
    lines = paragraphs(document)
    assert lines[:2] == ["滨江新区重点项目协调办公室", "滨重协纪〔2026〕7号"]
    mark = document.paragraphs[0].runs[0]
    assert (mark.font.color.rgb, mark.font.size.pt) == (RGBColor(0xE6, 0x00, 0x12), 30)
    rule = document.paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E60012"
    assert lines[-3:] == [
        "分送：各成员单位",
        "抄送：区委办、区政府办",
        "滨江新区重点项目协调办公室\t2026年6月10日印发",
    ]
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        assert _footer_fields(footer) == ["PAGE"]
        assert footer.paragraphs[0].text == "— 1 —"
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert ChangeLog.objects.filter(object_repr=str(settings_)).exists()


def test_the_issued_number_shows_on_the_meeting_page_and_in_the_api_in_each_language(held):
    DocumentSettings.objects.create(minutes_code="滨重协纪")
    DocumentSequence.objects.create(series="minutes", year=2026, last=2)
    page = _url("meeting_detail", held.meeting_x)
    assert 'id="minutes-number"' not in client_for(held.leader).get(page).content.decode()

    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))
    # The prefix printed stays with the minutes when the office changes it later.
    DocumentSettings.objects.update(minutes_code="滨协")

    for language, number in (
        ("zh-hans", "滨重协纪〔2026〕3号"),
        ("zh-hant", "濱重協紀〔2026〕3號"),
        ("en", "滨重协纪[2026] No. 3"),
    ):
        html = client_for(held.leader, language).get(page).content.decode()
        assert 'id="minutes-number" title="' in html
        assert f">{number}</span>" in html, language
        api = api_for(held.leader, language)
        meeting = api.get(f"/api/meetings/{held.meeting_x.pk}/").json()
        assert meeting["minutes_number"] == number
        [minutes] = api.get("/api/minutes/").json()["results"]
        assert (minutes["year"], minutes["number"], minutes["reference"]) == (2026, 3, number)
    other = api_for(held.leader).get(f"/api/meetings/{held.meeting_y.pk}/").json()
    assert other["minutes_number"] is None


def test_the_minutes_of_an_earlier_meeting_show_what_was_known_on_its_day(held):
    """Held 9 June: a report for July and a problem raised in July stay out."""
    ProgressReportFactory(
        project=held.project_y, period_start=date(2026, 7, 1), narrative="七月已完成主体封顶。"
    )
    ProblemFactory(project=held.project_y, title="七月提出的问题", raised_on=date(2026, 7, 2))

    text = "\n".join(paragraphs(draft(held)))

    assert "完成场地平整。" in text
    assert "施工用电未接入" in text
    assert "七月" not in text


@needs_libreoffice
def test_the_issued_minutes_print_with_every_element_and_numbered_pages(held, tmp_path):
    DocumentSettings.objects.create(
        issuing_body="滨江新区重点项目协调办公室",
        minutes_code="滨重协纪",
        distribution="各成员单位",
        copy_to="区委办、区政府办",
    )
    client_for(held.coordinator).post(_url("meeting_issue", held.meeting_x))

    pages = printed_pages(Minutes.objects.get().document.read(), tmp_path)

    # pdftotext spaces Chinese from digits ("2026 年"): compare without spaces.
    text = ["".join(page.split()) for page in pages]
    assert text[0].startswith(
        "滨江新区重点项目协调办公室滨重协纪〔2026〕1号水务产业园专题调度会议纪要"
    )
    assert "交办内容牵头单位配合单位完成时限" in "".join(text)
    assert "6月底前完成供地区资规局区审批局2026年6月30日" in "".join(text)  # one row
    assert "".join(PREAMBLE.split()) in "".join(text)
    assert (
        "分送：各成员单位抄送：区委办、区政府办滨江新区重点项目协调办公室2026年6月10日印发"
        in text[-1]
    )
    assert len(pages) >= 2, "the page numbers are checked on more than one page"
    for number, page in enumerate(pages, start=1):
        foot = [line for line in page.splitlines() if line.strip()][-1]
        assert "".join(foot.split()) == f"—{number}—"
