"""Nobody reaches another organisation's objects by their id.

Department A and owner X ask for everything of project Y's side by id (department B and
owner Y for project X's side): every page, every htmx action, every file (attachments,
issued minutes), every API detail, update, delete and custom action. Each answer is a 403
or a 404 that says nothing of the object (none of its texts is in the body), and nothing
changes (no row of any model of ours is added or removed, the change log included, and
no notification is read). The leader, who may read everything, tries every write and is
refused all of them the same way; and nobody, the office included, reaches another
person's notifications.

Lists, exports and the API's lists filtered by the other side's objects answer with the
caller's own rows only; requests naming the other side's project in their body are
refused.

The tables are built from the URL configuration: a new URL that takes an object's id and
is not listed here fails :func:`test_every_url_taking_an_id_is_in_the_table`.
"""

import copy
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document
from openpyxl import load_workbook

from diaodu.accounts.services import issue_token
from diaodu.api.urls import router
from diaodu.appeals import services as appeal_services
from diaodu.core.models import Attachment
from diaodu.factories import AgendaItemFactory, MeetingFactory
from diaodu.meetings import briefing, documents
from diaodu.meetings import services as meeting_services
from diaodu.meetings.tests.conftest import build_meetings
from diaodu.meetings.tests.helpers import ready_to_issue
from diaodu.notifications.models import Notification
from diaodu.notifications.services import notify
from diaodu.problems import services as problem_services
from diaodu.problems.tests.conftest import build_loop
from diaodu.problems.tests.helpers import PDF, upload
from diaodu.projects import services as project_services
from diaodu.projects.choices import PeriodKind
from diaodu.reports.choices import JobKind, JobStatus
from diaodu.reports.models import Job
from diaodu.sites import services as site_services
from diaodu.sites import testfiles
from diaodu.sites.models import Photo
from diaodu.sites.tests.conftest import phone_photo
from diaodu.test import ORGANISATIONS, PEOPLE, TODAY, Clock, api_for, client_for

#: Who tries whose objects: each persona, the side of the world it must never reach, and
#: its twin on that side (whose notifications it tries to read).
REACHES_FOR = {
    "staff_a": ("y", "staff_b"),
    "owner_x": ("y", "owner_y"),
    "staff_b": ("x", "staff_a"),
    "owner_y": ("x", "owner_x"),
}
#: Those who see both sides: the leader tries every write (and is refused: the meetings'
#: minutes are issued, the rest is not the leader's work); everyone tries someone else's
#: notifications, which nobody may read.
SEES_EVERYTHING = {
    "leader": ("y", "coordinator"),
    "coordinator": ("y", "leader"),
    "admin": ("y", "coordinator"),
}

# Apps with permission tables of their own, outside these tables.
OWN_TABLES = {"agreements", "landing", "search"}
#: An issued bulletin covers the whole zone, no side's: reports/tests/test_bulletin.py
#: checks who reads it.
OWN_ROUTES = {"reports:bulletin_download", "api:report_bulletin_document"}

#: Kinds of objects that are one person's own, whoever else sees everything: everyone
#: tries another person's.
PERSONAL = ("notification", "token", "job")

#: Page URLs taking an object's id → which of the side's objects the id is of.
PAGE_KINDS = {
    "projects:project_detail": "project",
    "projects:project_edit": "project",
    "projects:project_history": "project",
    "projects:milestone_add": "project",
    "projects:report_create": "project",
    "projects:return_create": "project",
    "projects:milestone_edit": "milestone",
    "projects:milestone_report": "milestone",
    "projects:milestone_confirm": "milestone",
    "projects:milestone_replan": "milestone",
    "projects:report_edit": "report",
    "projects:report_review": "report",
    "projects:round_detail": "round",
    "projects:round_close": "round",
    "problems:problem_raise": "project",
    "problems:problem_detail": "problem",
    "problems:problem_edit": "problem",
    "problems:problem_update": "problem",
    "problems:problem_transition": "problem",
    "problems:problem_quick_actions": "problem",
    "problems:action_detail": "action",
    "problems:action_edit": "action",
    "problems:action_feedback": "action",
    "problems:action_transition": "action",
    "problems:action_quick_actions": "action",
    "meetings:meeting_detail": "meeting",
    "meetings:meeting_edit": "meeting",
    "meetings:meeting_briefing": "meeting",
    "meetings:meeting_minutes": "meeting",
    "meetings:meeting_screen": "meeting",
    "meetings:meeting_screen_live": "meeting",
    "meetings:meeting_issue": "meeting",
    "meetings:meeting_held": "meeting",
    "meetings:agenda_add": "meeting",
    "meetings:agenda_up": "agenda",
    "meetings:agenda_down": "agenda",
    "meetings:agenda_remove": "agenda",
    "meetings:agenda_discussion": "agenda",
    "meetings:agenda_assign": "agenda",
    "meetings:agenda_show": "agenda",
    "meetings:batch_detail": "batch",
    "notifications:notification_read": "notification",
    "notifications:notification_open": "notification",
    "appeals:appeal_raise": "project",
    "appeals:appeal_detail": "appeal",
    "appeals:appeal_accept": "appeal",
    "appeals:appeal_merge": "appeal",
    "appeals:appeal_answer": "appeal",
    "appeals:appeal_rate": "appeal",
    "core:attachment_download": ("update_file", "feedback_file", "appeal_file", "photo_file"),
    "sites:project_card": "project",
    "sites:project_site": "project",
    "sites:photo_timeline": "project",
    "sites:parcel_remove": "parcel",
    "sites:photo_thumbnail": "photo",
    "sites:photo_web": "photo",
    "accounts:token_revoke": "token",
    "reports:job_detail": "job",
    "reports:job_progress": "job",
    "reports:job_download": "job",
}

#: Pages that only read: the leader, who reads everything, is not refused them.
PAGE_READS = {
    "projects:project_detail",
    "projects:project_history",
    "projects:round_detail",
    "problems:problem_detail",
    "problems:action_detail",
    "meetings:meeting_detail",
    "meetings:meeting_briefing",
    "meetings:meeting_minutes",
    "meetings:meeting_screen",
    "meetings:meeting_screen_live",
    "appeals:appeal_detail",
    "core:attachment_download",
    "sites:project_card",
    "sites:photo_timeline",
    "sites:photo_thumbnail",
    "sites:photo_web",
}

#: API routes (by router basename) → which object their id is of.
API_KINDS = {
    "organisation": "enterprise",
    "person": "owner",
    "project": "project",
    "milestone": "milestone",
    "progressreport": "report",
    "reportinground": "round",
    "problem": "problem",
    "actionitem": "action",
    "meeting": "meeting",
    "agendaitem": "agenda",
    "eventbatch": "batch",
    "notification": "notification",
    "annualreturn": "annual_return",
    "minutes": "minutes",
    "appeal": "appeal",
    "apitoken": "token",
    # Outside the router: a background export and its file.
    "export_job": "job",
    "export_job_download": "job",
}
#: Master data every signed-in user reads: no organisation's objects.
API_PUBLIC = {"milestonekind", "industry", "projectlist", "landthreshold"}
#: Delivery settings, refused to all but administrators before any object is looked up:
#: any id gets a 403.
API_ADMINISTERED = {"channel", "webhookendpoint", "delivery"}

#: What every write sends: plausible values for every form and serializer in the tables,
#: so that a missing check would let the write through (and the change log would show it).
WRITE = {
    "text": "越权写入的进展",
    "to_status": "resolved",
    "resolution": "越权办结",
    "reason": "越权退回",
    "approve": "1",
    "note": "越权审核",
    "reported_date": "2026-06-01",
    "planned_date": "2026-07-15",
    "actual_date": "2026-06-02",
    "title": "越权标题",
    "summary": "越权纪要",
    "decisions": "越权决定",
    "direction": "up",
    "held_on": "2026-06-08",
    "narrative": "越权填报",
    "investment": "100",
    "period_kind": "month",
    "period_start": "2026-06-01",
    "due_date": "2026-07-31",
    "place": "越权会议室",
    "answer": "越权答复",
    "rating": "5",
}


# --- The world: both sides, with something of every kind ------------------------------


def _side(w, s: str) -> SimpleNamespace:
    """Project X's or project Y's side: one object of every kind."""
    owner, staff = getattr(w, f"owner_{s}"), getattr(w, "staff_a" if s == "x" else "staff_b")
    problem, action = getattr(w, f"problem_{s}"), w.item_a if s == "x" else w.item_b
    project = getattr(w, f"project_{s}")
    update = problem_services.add_problem_update(
        problem,
        f"{project.name}：用地预审材料已报送",
        actor=staff,
        files=[upload(f"{project.code}-用地预审.pdf", PDF)],
    )
    feedback = problem_services.give_feedback(
        action,
        f"{project.name}：指标已上报市局",
        actor=staff,
        files=[upload(f"{project.code}-反馈.pdf", PDF)],
    )
    reporting_round = project_services.open_round(
        {
            "title": f"{project.name}六月进展填报",
            "period_kind": PeriodKind.MONTH,
            "period_start": TODAY.replace(day=1),
            "due_date": TODAY.replace(day=25),
            "projects": [project],
        },
        actor=w.coordinator,
    )
    appeal = appeal_services.raise_appeal(
        project,
        {
            "title": f"{project.name}：施工用电报装慢",
            "description": "临时用电未接",
            "category": "utilities",
        },
        actor=owner,
        files=[upload(f"{project.code}-诉求.pdf", PDF)],
    )
    parcel, _warning = site_services.draw_parcel(
        project,
        {"type": "Polygon", "coordinates": [[list(c) for c in testfiles.ring()]]},
        name=f"{project.code}-地块",
        actor=w.coordinator,
    )
    report = getattr(w, f"report_{s}")
    project_services.revise_report(
        report, {"photos": [phone_photo(f"{project.code}-现场.jpg")]}, actor=owner
    )
    photo = Photo.objects.get(project=project)
    meeting = ready_to_issue(getattr(w, f"meeting_{s}"), w.coordinator)
    meeting_services.issue_minutes(
        meeting,
        lambda minutes: documents.minutes_document(
            meeting, briefing.briefs(meeting, meeting.agenda.all(), w.coordinator, TODAY), minutes
        ),
        actor=w.coordinator,
    )
    return SimpleNamespace(
        project=project,
        milestone=getattr(w, f"milestone_{s}"),
        report=report,
        parcel=parcel,
        photo=photo,
        photo_file=photo.attachment,
        round=reporting_round,
        problem=problem,
        action=action,
        update_file=_file_of(update),
        feedback_file=_file_of(feedback),
        appeal=appeal,
        appeal_file=_file_of(appeal.entries.get()),
        annual_return=project_services.record_annual_return(
            project,
            {"year": 2025, "output": Decimal("36500"), "tax": Decimal("2270")},
            actor=owner,
        ),
        meeting=meeting,
        minutes=meeting.minutes,
        agenda=getattr(w, f"item_{s}"),
        batch=getattr(w, f"batch_{s}"),
        enterprise=getattr(w, f"enterprise_{s}"),
        owner=owner,
        # What none of the other side's answers may contain.
        markers=[
            project.name,
            project.code,
            problem.title,
            action.title,
            meeting.title,
            reporting_round.title,
            f"{project.name}：用地预审材料已报送",
            f"{project.name}：指标已上报市局",
            f"{project.code}-用地预审.pdf",
            appeal.title,
            f"{project.code}-诉求.pdf",
            f"{project.code}-地块",
            f"{project.code}-现场.jpg",
            owner.display_name,
            getattr(w, f"enterprise_{s}").name,
        ],
    )


def _file_of(entry) -> Attachment:
    return Attachment.objects.get(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    )


@pytest.fixture(scope="session")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def _sides_of_module(_world_of_module, django_db_blocker, _media):
    w = copy.copy(_world_of_module)
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as monkeypatch,
        override_settings(MEDIA_ROOT=_media),
    ):
        Clock(monkeypatch, TODAY)
        build_loop(w)
        build_meetings(w)
        w.side = {"x": _side(w, "x"), "y": _side(w, "y")}
        w.notification = {
            person: notify(
                event="problem_overdue",
                title=f"{getattr(w, person).display_name}：请于六月底前办结",
                users=[getattr(w, person)],
            )[0]
            for person in PEOPLE
        }
        w.token = {person: issue_token(getattr(w, person))[0] for person in PEOPLE}
        w.job = {
            person: Job.objects.create(
                owner=getattr(w, person),
                kind=JobKind.PROBLEM_LEDGER,
                language="zh-hans",
                status=JobStatus.DONE,
                file_name=f"{getattr(w, person).display_name}的问题台账.xlsx",
            )
            for person in PEOPLE
        }
    return w


@pytest.fixture
def world(request, _sides_of_module, db, today, settings, _media):
    """Both sides of the world, fresh for each test (see ``diaodu.test.world``)."""
    twins = set(request.fixturenames) & {*ORGANISATIONS, *PEOPLE, "project_x", "project_y"}
    if twins:
        pytest.fail(f"use world.{min(twins)} instead of the {min(twins)} fixture next to world")
    settings.MEDIA_ROOT = _media
    w = copy.deepcopy(_sides_of_module)
    w.today = today
    return w


# --- The URL configuration, read ------------------------------------------------------


def _patterns(resolver=None, namespace=""):
    """(qualified name, pattern, callback) of every named URL, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern, entry.callback


def _id_argument(pattern) -> str | None:
    """The name of the URL's object-id argument, if it takes one."""
    converters = getattr(pattern, "converters", {})
    ints = [name for name, converter in converters.items() if converter.regex == "[0-9]+"]
    if ints:
        return ints[0]
    regex = getattr(pattern, "regex", None)
    return "pk" if regex is not None and "pk" in regex.groupindex else None


def _app_of(callback) -> str:
    """The app a view belongs to (``projects`` for ``diaodu.projects.views``)."""
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    module = view.__module__.split(".")
    return module[1] if module[0] == "diaodu" else module[0]


def _urls_taking_an_id():
    """(qualified name, id argument, callback) of every URL of ours taking an object's id,
    except those of the apps with their own tables."""
    for name, pattern, callback in _patterns():
        argument = _id_argument(pattern)
        if argument and _app_of(callback) not in OWN_TABLES and name not in OWN_ROUTES:
            yield name, argument, callback


def page_urls() -> dict[str, str]:
    """Every page URL taking an object's id: qualified name → the id's argument name."""
    return {
        name: argument for name, argument, _ in _urls_taking_an_id() if not name.startswith("api:")
    }


def api_routes() -> dict[str, tuple[str | None, list[str]]]:
    """Every API route taking an object's id: URL name → (router basename, HTTP methods);
    a route outside the router is its own basename."""
    basenames = sorted((basename for _, _, basename in router.registry), key=len, reverse=True)
    routes = {}
    for name, _, callback in _urls_taking_an_id():
        if name.startswith("api:"):
            route = name.removeprefix("api:")
            basename = next((b for b in basenames if route.startswith(f"{b}-")), route)
            routes[route] = (basename, sorted(getattr(callback, "actions", {}) or ["get"]))
    return routes


def test_every_url_taking_an_id_is_in_the_table():
    assert set(page_urls()) == set(PAGE_KINDS), "add the new URL to PAGE_KINDS"
    basenames = {basename for basename, _ in api_routes().values()}
    assert basenames == {*API_KINDS, *API_PUBLIC, *API_ADMINISTERED}, "add it to API_KINDS"


# --- The tables -----------------------------------------------------------------------


def _roles(kind: str, method: str, reads_only: bool) -> list[str]:
    if kind in PERSONAL:
        return [*REACHES_FOR, *SEES_EVERYTHING]
    if method != "get" and not reads_only:
        return [*REACHES_FOR, "leader"]
    return list(REACHES_FOR)


def _page_cells():
    arguments = page_urls()
    for name, kinds in PAGE_KINDS.items():
        for kind in kinds if isinstance(kinds, tuple) else (kinds,):
            for method in ("get", "post"):
                for role in _roles(kind, method, name in PAGE_READS):
                    yield pytest.param(
                        role, name, arguments[name], kind, method, id=f"{role} {method} {name}"
                    )


def _api_cells():
    for route, (basename, methods) in api_routes().items():
        for method in methods:
            if basename in API_ADMINISTERED:
                roles = [*REACHES_FOR, "leader", "coordinator"]
                kind = "project"  # any id: the refusal comes before the lookup
            elif basename in API_KINDS:
                kind = API_KINDS[basename]
                roles = _roles(kind, method, False)
            else:  # public master data, or a new route test_every_url_... reports
                continue
            for role in roles:
                yield pytest.param(role, route, kind, method, id=f"{role} {method} {route}")


def _write(kind: str, target) -> dict:
    """``WRITE`` for ``target``: a workflow step its kind has, at its current version."""
    data = {**WRITE, "to_status": "submitted"} if kind == "action" else dict(WRITE)
    if hasattr(target, "version"):
        data["version"] = type(target).objects.values_list("version", flat=True).get(pk=target.pk)
    return data


def _target(world, role: str, kind: str):
    side, twin = SEES_EVERYTHING[role] if role in SEES_EVERYTHING else REACHES_FOR[role]
    if kind == "notification":
        return world.notification[twin], [*world.side[side].markers, world.notification[twin].title]
    if kind == "token":
        return world.token[twin], [*world.side[side].markers, world.token[twin].prefix]
    if kind == "job":
        return world.job[twin], [*world.side[side].markers, world.job[twin].file_name]
    return getattr(world.side[side], kind), world.side[side].markers


def _state() -> tuple:
    """What any write would change: the number of rows of every model of ours (the change
    log among them), and of unread notifications; one query, as it is asked thousands of
    times."""
    quote = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model.__module__.startswith("diaodu.")
        }
    )
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    unread = Notification.objects.filter(read_at__isnull=True).only("pk")
    sql, params = unread.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}, (SELECT COUNT(*) FROM ({sql}) unread)", params)
        return tuple(cursor.fetchone())


def _assert_refused(response, markers, before, allowed=(403, 404)):
    assert response.status_code in allowed, response.status_code
    body = response.content.decode(errors="replace") if not response.streaming else ""
    leaked = [marker for marker in markers if marker in body]
    assert not leaked, f"the refusal shows {leaked}"
    assert _state() == before, "a refused request changes nothing"


@pytest.mark.parametrize(("role", "name", "argument", "kind", "method"), list(_page_cells()))
def test_pages_refuse_another_organisations_objects_by_id(
    world, role, name, argument, kind, method
):
    target, markers = _target(world, role, kind)
    url = reverse(name, kwargs={argument: target.pk})
    client = client_for(getattr(world, role))
    # A POST-only view refuses a GET before it looks the object up: 405 says nothing of it.
    allowed = (403, 404, 405) if method == "get" else (403, 404)
    for headers in ({}, {"HX-Request": "true"}):
        before = _state()
        data = _write(kind, target) if method == "post" else None
        response = getattr(client, method)(url, data, headers=headers)
        _assert_refused(response, markers, before, allowed)


@pytest.mark.parametrize(("role", "route", "kind", "method"), list(_api_cells()))
def test_the_api_refuses_another_organisations_objects_by_id(world, role, route, kind, method):
    target, markers = _target(world, role, kind)
    url = reverse(f"api:{route}", kwargs={"pk": target.pk})
    before = _state()
    response = getattr(api_for(getattr(world, role)), method)(
        url, None if method in ("get", "delete") else _write(kind, target)
    )
    _assert_refused(response, markers, before)


# --- Lists and exports filtered by another organisation's objects ----------------------

#: (URL name, query) where the query names the other side's objects; ``{project}`` etc.
#: are filled in from that side. Each answer is the caller's own view (200), a refused
#: filter value (400) or a refusal (403): never the other side's rows.
FILTERED = [
    ("projects:project_list", "q={project.name}"),
    ("projects:project_list", "q={project.code}"),
    ("projects:round_list", ""),
    ("problems:desk", "project={project.pk}"),
    ("problems:supervision", "project={project.pk}"),
    ("meetings:meeting_list", "q={meeting.title}"),
    ("meetings:batch_list", ""),
    ("notifications:notification_list", ""),
    ("appeals:appeal_list", "project={project.pk}"),
    ("appeals:appeal_list", "q={appeal.title}"),
    ("dashboard:dashboard", "q={project.name}"),
    ("dashboard:cards", "q={project.name}"),
    ("dashboard:timeline", ""),
    ("dashboard:land", ""),
    ("dashboard:approvals", ""),
    ("dashboard:departments", ""),
    ("reports:dispatch_table", "q={project.name}"),
    ("reports:dispatch_table", ""),
    ("reports:problem_ledger", "project={project.pk}"),
    ("reports:problem_ledger", "q={problem.title}"),
    ("reports:bulletin", "month=2026-05"),
    ("reports:bulletin", "month=2026-06&q={project.name}"),
    ("api:project-list", "q={project.name}"),
    ("api:milestone-list", "project={project.pk}"),
    ("api:progressreport-list", "project={project.pk}"),
    ("api:reportinground-list", ""),
    ("api:problem-list", "project={project.pk}"),
    ("api:actionitem-list", "project={project.pk}"),
    ("api:actionitem-list", "problem={problem.pk}"),
    ("api:meeting-list", "q={meeting.title}"),
    ("api:agendaitem-list", "project={project.pk}"),
    ("api:agendaitem-list", "meeting={meeting.pk}"),
    ("api:eventbatch-list", ""),
    ("api:notification-list", ""),
    ("api:appeal-list", "project={project.pk}"),
    ("api:appeal-list", "q={appeal.title}"),
    ("api:organisation-list", ""),
    ("api:person-list", ""),
    ("api:dashboard", ""),
    ("api:dashboard_departments", ""),
    ("api:dashboard_approvals", ""),
    ("api:dashboard_land", ""),
    ("api:report_dispatch_table", "q={project.name}"),
    ("api:report_problem_ledger", "project={project.pk}"),
    ("api:report_bulletin", "month=2026-06"),
]


def text_of(response) -> str:
    """Everything a response says: a page's or JSON's text, every cell of a workbook,
    every paragraph and cell of a Word file."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if "wordprocessingml" in kind:
        document = Document(BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode()


@pytest.mark.parametrize(
    ("role", "name", "query"),
    [
        pytest.param(role, name, query, id=f"{role} {name}?{query}")
        for name, query in FILTERED
        for role in REACHES_FOR
    ],
)
def test_lists_and_exports_filtered_by_another_organisations_objects_show_none_of_them(
    world, role, name, query
):
    side, twin = REACHES_FOR[role]
    other = world.side[side]
    markers = [*other.markers, world.notification[twin].title]
    user = getattr(world, role)
    client = api_for(user) if name.startswith("api:") else client_for(user)
    query = query.format(**vars(other))
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code in (200, 400, 403), response.status_code
    text = text_of(response)
    # The search box shows what was typed: that is the caller's own words, not data.
    assert not [marker for marker in markers if marker in text and marker not in query]
    if response.status_code == 200 and "dispatch_table" in name and not query:
        # Unfiltered, the table is the caller's own view: their side's project is in it.
        assert world.side["x" if side == "y" else "y"].project.name in text


# --- Another organisation's ids inside a request ---------------------------------------


def _bodies(own, other):
    """(method, URL, body): requests naming the other side's project, on the caller's
    own side or on none."""
    foreign = {**WRITE, "project": other.project.pk}
    return [
        ("post", reverse("api:progressreport-list"), foreign),
        ("post", reverse("api:problem-list"), foreign),
        ("post", reverse("api:milestone-list"), foreign),
        ("post", reverse("api:actionitem-list"), foreign),
        ("patch", reverse("api:progressreport-detail", args=[own.report.pk]), foreign),
        ("patch", reverse("api:problem-detail", args=[own.problem.pk]), foreign),
    ]


@pytest.mark.parametrize("role", list(REACHES_FOR))
def test_requests_naming_another_organisations_objects_are_refused(world, role):
    side, _ = REACHES_FOR[role]
    own, other = world.side["x" if side == "y" else "y"], world.side[side]
    client = api_for(getattr(world, role))
    for method, url, data in _bodies(own, other):
        before = _state()
        response = getattr(client, method)(url, data)
        _assert_refused(response, other.markers, before, allowed=(400, 403, 404))


@pytest.mark.parametrize("role", list(REACHES_FOR))
def test_a_meeting_following_up_another_organisations_meeting_does_not_name_it(world, role):
    side, _ = REACHES_FOR[role]
    own = world.side["x" if side == "y" else "y"]
    hidden = world.side[side].meeting
    follow_up = MeetingFactory(
        title="六月第三周调度会", previous=hidden, chair=world.leader, created_by=world.coordinator
    )
    AgendaItemFactory(meeting=follow_up, project=own.project)

    response = client_for(getattr(world, role)).get(follow_up.get_absolute_url())

    assert response.status_code == 200
    text = response.content.decode()
    assert "六月第三周调度会" in text
    assert hidden.title not in text
