"""Drafting a meeting from a report through the pages and the API: who may, the way from
the pasted report to the meeting, and every kind of bad input answered with a reason.

The reports are those of ``test_drafting.py``; the cast is the shared world's.
"""

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from diaodu.core.models import ChangeLog
from diaodu.factories import ProjectFactory
from diaodu.meetings.models import Meeting
from diaodu.meetings.tests.test_drafting import read, weekly_docx
from diaodu.projects.models import Project
from diaodu.test import api_for, check_api_rule, client_for, role_cells

pytestmark = pytest.mark.usefixtures("meetings")

DRAFT = reverse("meetings:meeting_draft")
CONFIRM = reverse("meetings:meeting_draft_confirm")
API_DRAFT = "/api/meetings/draft/"
API_CONFIRM = "/api/meetings/draft/confirm/"


def state(world) -> tuple[int, int, int]:
    return Meeting.objects.count(), Project.objects.count(), ChangeLog.objects.count()


def as_posted(form, **overrides) -> dict:
    """What the browser posts back from the preview when the coordinator changes only
    ``overrides`` (``None`` leaves a field out, as an unticked box)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, datetime):  # the form shows it in local time, naive
            value = value.strftime("%Y-%m-%dT%H:%M")
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def preview(world, text=None, **files):
    response = client_for(world.coordinator).post(DRAFT, {"text": text or "", **files})
    assert response.status_code == 200
    assert hasattr(response.context["form"], "draft"), response.context["form"].errors
    return response


# --- who may ------------------------------------------------------------------------------

PAGE_REQUESTS = {
    "open the draft form": lambda w: ("get", DRAFT, None),
    "read a report into a draft": lambda w: ("post", DRAFT, {"text": read("simplified_news.txt")}),
    "create a meeting from a draft": lambda w: (
        "post",
        CONFIRM,
        as_posted(preview(w, read("simplified_news.txt")).context["form"]),
    ),
}

# fmt: off
PAGE_RULES = {
    #                                  admin  coord  leader dep_A  dep_B  own_X  own_Y
    "open the draft form":            (200,   200,   403,   403,   403,   403,   403),
    "read a report into a draft":     (200,   200,   403,   403,   403,   403,   403),
    "create a meeting from a draft":  (302,   302,   403,   403,   403,   403,   403),
}
# fmt: on


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    before = state(world)

    response = getattr(client_for(getattr(world, role)), method)(url, data)

    assert response.status_code == expected
    if expected == 302:
        assert state(world)[0] == before[0] + 1, "confirming creates the meeting"
    else:
        assert state(world) == before, "reading and refusing change nothing"


API_REQUESTS = {
    "draft from a report": lambda w: ("post", API_DRAFT, {"text": read("simplified_news.txt")}),
    "create a meeting from a draft": lambda w: (
        "post",
        API_CONFIRM,
        {
            "meeting": {"kind": "special", "title": "重点项目专题调度会议",
                        "starts_at": "2026-05-11T09:00:00+08:00", "status": "held"},
            "projects": [w.project_x.pk],
            "decisions": [{"text": "加快供地。", "project": w.project_x.pk}],
        },
    ),
}  # fmt: skip

# fmt: off
API_RULES = {
    #                                  admin  coord  leader dep_A  dep_B  own_X  own_Y
    "draft from a report":            (200,   200,   403,   403,   403,   403,   403),
    "create a meeting from a draft":  (201,   201,   403,   403,   403,   403,   403),
}
# fmt: on


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    request = API_REQUESTS[action](world)
    if action == "draft from a report":
        # A draft is an answer, not a write: allowed or refused, nothing changes.
        before = state(world)
        response = api_for(getattr(world, role)).post(request[1], request[2])
        assert response.status_code == expected
        assert state(world) == before
    else:
        check_api_rule(getattr(world, role), request, expected)


def test_a_refused_caller_learns_nothing_from_what_they_send(world):
    for role in ("leader", "owner_x", "staff_a"):
        api = api_for(getattr(world, role))
        assert api.post(API_DRAFT, {"text": ""}).status_code == 403
        assert api.post(API_CONFIRM, {"meeting": {}}).status_code == 403


def test_the_meeting_list_links_to_drafting_for_those_who_may(world):
    assert (
        DRAFT
        in client_for(world.coordinator).get(reverse("meetings:meeting_list")).content.decode()
    )
    assert (
        DRAFT not in client_for(world.leader).get(reverse("meetings:meeting_list")).content.decode()
    )


# --- from the report to the meeting -----------------------------------------------------------


def test_the_preview_shows_every_proposal_with_its_sentence_and_saves_nothing(world):
    before = state(world)

    response = preview(world, read("traditional_inline_pinyin.txt"))

    html = response.content.decode()
    form = response.context["form"]
    assert state(world) == before
    assert form["title"].value() == "我区召开重点项目专题调度会议"
    assert form["starts_at"].value().date().isoformat() == "2026-05-11"
    assert form["chair"].value() == world.leader.pk
    assert form["projects"].value() == [world.project_x.pk, world.project_y.pk]
    # The report's sentences are quoted as it wrote them (in Traditional, without the
    # pinyin); what the form proposes is in Simplified, as the data it becomes.
    for sentence in [
        "2026年5月11日上午，管委會副主任李主任主持召開重點項目專題調度會議，區資規局、區審批局、綠源水務等單位負責同志參加會議。",
        "區資規局王局長指出，水務產業園二期用地已完成組卷報批，要力爭6月底前完成供地。",
    ]:
        assert sentence in html
    assert "三要優化審批流程" in html
    assert "优化审批流程，区审批局要为新材料产业基地开辟绿色通道，实行并联审批。</textarea>" in html
    assert html.count('class="small text-body-secondary border-start') >= 5


def test_confirming_the_preview_creates_the_meeting_and_opens_it(world):
    form = preview(world, read("simplified_news.txt")).context["form"]
    # The coordinator drops the first directive and edits the place.
    data = as_posted(form, place="管委会第一会议室", decision0_keep=None)

    response = client_for(world.coordinator).post(CONFIRM, data)

    meeting = Meeting.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert (meeting.title, meeting.kind, meeting.status, meeting.place) == (
        "我区召开重点项目专题调度会议",
        "special",
        "held",
        "管委会第一会议室",
    )
    assert timezone.localtime(meeting.starts_at).date().isoformat() == "2026-05-11"
    assert meeting.chair == world.leader
    assert [(i.project, i.decisions) for i in meeting.agenda.all()] == [
        (world.project_x, "强化要素保障，区资规局要加快水务产业园供地工作，做好空间保障。"),
        (world.project_y, "优化审批流程，区审批局要为新材料产业基地开辟绿色通道，实行并联审批。"),
    ]
    assert meeting.closing == (
        "压实工作责任，各部门要强化部门联动，推动项目落得了、落得快、落得好。\n"
        "各项目业主要严格按照时间节点要求倒排工期，确保项目按期开工。"
    )
    assert set(meeting.organisations.all()) == {
        world.leadership,
        world.department_a,
        world.department_b,
        world.enterprise_x,
    }
    # Created, its agenda added, the decisions recorded on both items: all logged, by the
    # coordinator, on the meeting's page.
    logged = ChangeLog.objects.for_object(meeting)
    assert logged.count() == 4
    assert set(logged.values_list("actor", flat=True)) == {world.coordinator.pk}


def test_unknown_projects_are_created_linked_or_ignored_as_the_coordinator_chooses(world):
    form = preview(world, read("unknown_projects.txt")).context["form"]
    logistics = ProjectFactory(code="2026-040", name="物流园一期", owner=world.enterprise_x,
                               lead_department=world.department_a)  # fmt: skip
    data = as_posted(
        form,
        # 智慧物流园项目 is the project Diaodu calls 物流园一期; 滨江新能源电池产业园 is
        # new; the sewage works is left out, and its decision is the whole meeting's.
        new0_action="link", new0_link=logistics.pk,
        new1_action="create", new1_code="2026-051", new1_owner=world.enterprise_y.pk,
        new1_lead_department=world.department_b.pk, new1_total_investment="150000",
        new2_action="ignore",
        decision0_where="n1",
    )  # fmt: skip

    response = client_for(world.coordinator).post(CONFIRM, data)

    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.latest("pk")
    battery = Project.objects.get(code="2026-051")
    assert (battery.name, battery.owner, battery.lead_department, battery.total_investment) == (
        "滨江新能源电池产业园",
        world.enterprise_y,
        world.department_b,
        Decimal("150000"),
    )
    assert battery.plan_year == 2026
    assert not Project.objects.filter(name__contains="污水处理厂").exists()
    assert [i.project for i in meeting.agenda.all()] == [world.project_x2, logistics, battery]
    assert meeting.agenda.get(project=battery).decisions.startswith("区审批局要对智慧物流园项目")
    assert meeting.closing == "城北污水处理厂提标改造工程事关民生，要倒排工期、挂图作战。"


def test_a_word_file_and_a_gb18030_text_file_are_read_through_the_page(world):
    docx = preview(world, file=SimpleUploadedFile("纪要.docx", weekly_docx()))
    txt = preview(
        world,
        file=SimpleUploadedFile("report.txt", read("traditional_monthly.txt").encode("gb18030")),
    )

    assert docx.context["form"].draft.kind == "weekly"
    assert [f.obj for f in docx.context["form"].draft.projects] == [
        world.project_x,
        world.project_y,
    ]
    assert txt.context["form"].draft.kind == "monthly"
    assert txt.context["form"]["report"].value().startswith("管委會召開5月份")


def test_creating_a_project_needs_its_number_owner_department_and_investment(world):
    form = preview(world, read("unknown_projects.txt")).context["form"]
    before = state(world)

    response = client_for(world.coordinator).post(
        CONFIRM, as_posted(form, new0_action="create", new0_code=world.project_x.code,
                           new1_action="link")
    )  # fmt: skip

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert state(world) == before
    with translation.override("zh-hans"):  # the page's language
        assert errors["new0_code"] == [gettext("Another project has this number.")]
    assert set(errors) >= {
        "new0_owner",
        "new0_lead_department",
        "new0_total_investment",
        "new1_link",
    }


# --- bad input ---------------------------------------------------------------------------------


def docx_with(name: str, content: bytes) -> bytes:
    """A Word file whose part ``name`` is replaced by (or added as) ``content``."""
    source, out = zipfile.ZipFile(io.BytesIO(weekly_docx())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "The report is empty: paste its text or choose a file."),
        ({"text": "会议" * 60_000}, "The report is longer than 100,000 characters"),
        ({"text": "The zone held a dispatch meeting on the water park project."},
         "The report is not in Chinese."),
        ({"file": SimpleUploadedFile("report.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
         "This is not text."),
        ({"file": SimpleUploadedFile("report.docx", b"PK\x03\x04 broken")},
         "This .docx file cannot be opened"),
        ({"file": SimpleUploadedFile("report.docx", docx_with("word/document.xml", b"<w:"))},
         "This .docx file cannot be opened"),
        ({"file": SimpleUploadedFile("report.docx", docx_with("word/big.xml", b" " * 2**21))},
         "A part of the file expands to more than 1.0\xa0MB: it cannot be read."),
        ({"file": SimpleUploadedFile("report.pdf", b"%PDF-1.7")},
         "Upload the report as a .txt or .docx file."),
        ({"text": "会议强调，要加快项目建设进度，确保按期开工。",
          "file": SimpleUploadedFile("report.txt", "会议".encode())},
         "Paste the report or choose a file, not both."),
    ],
)  # fmt: skip
def test_bad_reports_are_refused_on_the_page_with_a_reason(world, settings, data, message):
    settings.DIAODU_MAX_UNZIPPED_PART_MB = 1
    before = state(world)

    response = client_for(world.coordinator, language="en").post(DRAFT, data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].non_field_errors())
    assert state(world) == before


def test_a_ten_megabyte_paste_is_refused_with_a_reason(world):
    # As a browser sends it: the CSRF check reads the form before any view could.
    browser = client_for(world.coordinator, language="en")
    browser.handler.enforce_csrf_checks = True
    browser.get(DRAFT)
    token = browser.cookies["csrftoken"].value
    before = state(world)

    response = browser.post(DRAFT, {"csrfmiddlewaretoken": token, "text": "会" * 10_000_000})

    assert response.status_code == 400
    assert "upload a long text as a .txt or .docx file instead" in response.content.decode()
    assert state(world) == before


def test_an_oversized_upload_is_refused_before_it_is_read(world, settings):
    settings.DIAODU_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("report.txt", ("会议" * 200_000).encode())

    response = client_for(world.coordinator, language="en").post(DRAFT, {"file": upload})

    assert response.context["form"].non_field_errors() == [
        "The file is 1.1\xa0MB; files may be at most 1.0\xa0MB."
    ]


def test_a_confirm_whose_report_was_emptied_goes_back_to_the_first_step(world):
    form = preview(world, read("simplified_news.txt")).context["form"]

    response = client_for(world.coordinator, language="en").post(
        CONFIRM, as_posted(form, report="")
    )

    assert response.status_code == 200
    assert response.templates[0].name == "meetings/draft_form.html"
    assert Meeting.objects.filter(title="我区召开重点项目专题调度会议").count() == 0


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"text": ""}, 400, "The report is empty"),
        ({"text": "会" * 10_000_000}, 400, "The report is longer than 100,000 characters"),
        ({"text": "Sitzung des Projektausschusses am Montag im Rathaus."}, 400, "not in Chinese"),
    ],
)
def test_bad_reports_are_refused_by_the_api_with_a_reason(world, body, status, message):
    response = api_for(world.coordinator, language="en").post(API_DRAFT, body)

    assert response.status_code == status
    assert message in str(response.json())


def test_the_api_drafts_from_an_uploaded_word_file(world):
    response = api_for(world.coordinator).post(
        API_DRAFT, {"file": SimpleUploadedFile("纪要.docx", weekly_docx())}, format="multipart"
    )

    body = response.json()
    assert response.status_code == 200, body
    assert (body["date"], body["kind"], body["status"]) == ("2026-06-08", "weekly", "held")
    assert [p["id"] for p in body["projects"]] == [world.project_x.pk, world.project_y.pk]
    assert body["decisions"][0] == {
        "text": "区资规局在6月20日前完成水务产业园土地挂牌。",
        "sentence": "要求区资规局在6月20日前完成水务产业园土地挂牌。",
        "speaker": "",
        "required": True,
        "project": world.project_x.pk,
        "new_project": None,
    }


def test_the_api_creates_a_meeting_with_new_projects_and_decisions(world):
    body = api_for(world.coordinator).post(API_DRAFT, {"text": read("unknown_projects.txt")}).json()
    sewage = body["new_projects"][2]["name"]

    response = api_for(world.coordinator).post(
        API_CONFIRM,
        {
            "meeting": {"kind": body["kind"], "title": body["title"],
                        "starts_at": body["starts_at"], "status": body["status"]},
            "projects": [p["id"] for p in body["projects"]],
            "new_projects": [{"name": sewage, "code": "2026-052", "owner": world.enterprise_x.pk,
                              "lead_department": world.department_a.pk,
                              "total_investment": "30000"}],
            "decisions": [{"text": d["text"], "new_project": 0 if d["new_project"] == 2 else None}
                          for d in body["decisions"]],
        },
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    created = Project.objects.get(code="2026-052")
    assert [i.project for i in meeting.agenda.all()] == [world.project_x2, created]
    assert (
        meeting.agenda.get(project=created).decisions
        == "城北污水处理厂提标改造工程事关民生，要倒排工期、挂图作战。"
    )
    assert meeting.closing.startswith("区审批局要对智慧物流园项目实行容缺受理")


def test_the_api_refuses_a_decision_for_a_new_project_not_given(world):
    before = state(world)

    response = api_for(world.coordinator).post(
        API_CONFIRM,
        {
            "meeting": {"kind": "special", "title": "专题会",
                        "starts_at": "2026-05-11T09:00:00+08:00", "status": "held"},
            "decisions": [{"text": "加快推进。", "new_project": 0}],
        },
    )  # fmt: skip

    assert response.status_code == 400
    assert "decisions" in response.json()
    assert state(world) == before


# --- queries --------------------------------------------------------------------------------------

# 4 (every page: session, user, and the two of the layout) + 3 (the names Diaodu knows:
# projects, organisations, people) + the choices the preview lists (leaders as chairs;
# per unknown name the projects to link, the enterprises and the departments) + 1 (the
# meetings drafted from the same report before).
PREVIEW_QUERIES = 4 + 3 + 1 + 3 * 3 + 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_preview_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    for n in range(size):
        ProjectFactory(code=f"2026-{300 + n}", name=f"测试项目{n}号园区")
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = browser.post(DRAFT, {"text": read("unknown_projects.txt")})

    assert len(response.context["form"].draft.new_names) == 3


def test_drafting_a_report_confirmed_before_warns_and_names_the_meeting(world):
    form = preview(world, read("simplified_news.txt")).context["form"]
    client_for(world.coordinator).post(CONFIRM, as_posted(form))
    meeting = Meeting.objects.latest("pk")

    # The same report again, copied in Traditional with inline pinyin.
    response = preview(world, read("traditional_inline_pinyin.txt"))

    assert response.context["form"].draft.drafted_before == [meeting]
    html = response.content.decode()
    assert gettext("This report was drafted before, as:") in html
    assert meeting.get_absolute_url() in html
    # A report never confirmed does not warn.
    assert preview(world, read("unknown_projects.txt")).context["form"].draft.drafted_before == []
