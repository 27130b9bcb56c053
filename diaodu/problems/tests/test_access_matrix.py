"""Who may do what to problems and action items, through the pages and through the API:
every role against problem X (department A, owner X), problem Y (department B, owner Y),
action item A (led by department A) and action item B (led by department B).

Read a row as "<role> tries to <action>" and the number under the role's column as what
the server answers, as in ``diaodu/projects/tests/test_access_matrix.py``: 200/201/302 done
(or shown), 403 visible but not the user's to do, 404 invisible (the id reveals nothing),
400 where an invisible project is named in an API body by someone who may otherwise act
(an owner raising a problem on another enterprise's project).

Every refused request must leave problems, action items, timelines, the change log and
notifications as they were; every allowed write must add to them.
"""

import pytest
from django.db import connection
from django.urls import reverse

from diaodu.core.attachments import attach, attachments_of
from diaodu.core.models import ChangeLog
from diaodu.notifications.models import Notification
from diaodu.problems import services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.problems.tests.helpers import upload
from diaodu.test import ROLES, api_for, client_for, role_cells

GET, POST, PATCH = "get", "post", "patch"


def footprint():
    """Row counts of everything an action can write, in one query."""
    models = (Problem, ActionItem, ProblemEntry, ActionItemEntry, ChangeLog, Notification)
    counts = ", ".join(f"(SELECT COUNT(*) FROM {m._meta.db_table})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()


# --- Getting objects into the state an action needs ------------------------------------------


def put(item, status):
    """Put an item in ``status`` as earlier moves would have left it (the moves themselves
    are tested in ``test_workflow``)."""
    type(item).objects.filter(pk=item.pk).update(status=status, version=item.version + 1)
    item.status, item.version = status, item.version + 1
    return item


def problem_file(w, problem):
    """A PDF attached to the problem's first timeline entry (the one raising it)."""
    [attachment] = attach(problem.entries.first(), [upload("批复.pdf")], actor=w.coordinator)
    return reverse("core:attachment_download", args=[attachment.pk])


def feedback_file(w, item):
    """A PDF attached to the lead department's feedback on the item."""
    staff = w.staff_a if item.lead_department_id == w.department_a.pk else w.staff_b
    entry = services.give_feedback(item, "附件为会议纪要", actor=staff, files=[upload("纪要.pdf")])
    [attachment] = attachments_of(ActionItemEntry, [entry.pk])[entry.pk]
    return reverse("core:attachment_download", args=[attachment.pk])


# --- Pages -----------------------------------------------------------------------------------


def _url(name, obj):
    return reverse(f"problems:{name}", args=[obj.pk])


def problem_form(w, lead, **overrides):
    return {
        "title": "施工用电容量不足",
        "description": "需新建开关站。",
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": lead.pk,
        "due_date": "2026-07-15",
        **overrides,
    }


def problem_edit_form(problem, **overrides):
    return {
        "title": problem.title,
        "description": problem.description,
        "category": problem.category,
        "severity": problem.severity,
        "level": "city",
        "lead_department": problem.lead_department_id,
        "due_date": problem.due_date.isoformat(),
        "root_cause": "",
        "version": problem.version,
        **overrides,
    }


def action_form(w, **overrides):
    return {
        "title": "协调施工用电",
        "description": "",
        "project": w.project_x.pk,
        "problem": "",
        "lead_department": w.department_a.pk,
        "due_date": "2026-07-15",
        **overrides,
    }


def move(obj, to_status, **extra):
    return {"to_status": to_status, "version": obj.version, "text": "说明", **extra}


RESOLVE = {"resolution": "已落实指标"}
S = ProblemStatus
A = ActionStatus

PAGE_REQUESTS = {
    "open the supervision page": lambda w: (GET, reverse("problems:supervision"), None),
    "view problem X": lambda w: (GET, _url("problem_detail", w.problem_x), None),
    "view problem Y": lambda w: (GET, _url("problem_detail", w.problem_y), None),
    "open the raise form of project X": lambda w: (
        GET,
        reverse("problems:problem_raise", args=[w.project_x.pk]),
        None,
    ),
    "raise a problem on project X": lambda w: (
        POST,
        reverse("problems:problem_raise", args=[w.project_x.pk]),
        problem_form(w, w.department_a),
    ),
    "raise a problem on project Y": lambda w: (
        POST,
        reverse("problems:problem_raise", args=[w.project_y.pk]),
        problem_form(w, w.department_b),
    ),
    "edit problem X": lambda w: (
        POST,
        _url("problem_edit", w.problem_x),
        problem_edit_form(w.problem_x),
    ),
    "add an update to problem X": lambda w: (
        POST,
        _url("problem_update", w.problem_x),
        {"text": "已召开专题会"},
    ),
    "add an update to problem Y": lambda w: (
        POST,
        _url("problem_update", w.problem_y),
        {"text": "已召开专题会"},
    ),
    "give an instruction on problem X": lambda w: (
        POST,
        _url("problem_update", w.problem_x),
        {"text": "请本周内解决", "instruction": "1"},
    ),
    "start work on problem X": lambda w: (
        POST,
        _url("problem_transition", w.problem_x),
        move(w.problem_x, S.IN_PROGRESS),
    ),
    "start work on problem Y": lambda w: (
        POST,
        _url("problem_transition", w.problem_y),
        move(w.problem_y, S.IN_PROGRESS),
    ),
    "resolve problem X": lambda w: (
        POST,
        _url("problem_transition", w.problem_x),
        move(w.problem_x, S.RESOLVED, **RESOLVE),
    ),
    "close problem X (resolved)": lambda w: (
        POST,
        _url("problem_transition", w.problem_x),
        move(put(w.problem_x, S.RESOLVED), S.CLOSED),
    ),
    "reopen problem X (closed)": lambda w: (
        POST,
        _url("problem_transition", w.problem_x),
        move(put(w.problem_x, S.CLOSED), S.OPEN),
    ),
    "download a file of problem X": lambda w: (GET, problem_file(w, w.problem_x), None),
    "download a file of problem Y": lambda w: (GET, problem_file(w, w.problem_y), None),
    "open the new action item form": lambda w: (GET, reverse("problems:action_create"), None),
    "assign an action item on project X": lambda w: (
        POST,
        reverse("problems:action_create"),
        action_form(w),
    ),
    "view action item A": lambda w: (GET, _url("action_detail", w.item_a), None),
    "view action item B": lambda w: (GET, _url("action_detail", w.item_b), None),
    "edit action item A": lambda w: (
        POST,
        _url("action_edit", w.item_a),
        action_form(w, problem=w.problem_x.pk, due_date="2026-07-20", version=w.item_a.version),
    ),
    "give feedback on item A": lambda w: (
        POST,
        _url("action_feedback", w.item_a),
        {"text": "正在对接"},
    ),
    "give feedback on item B": lambda w: (
        POST,
        _url("action_feedback", w.item_b),
        {"text": "正在对接"},
    ),
    "acknowledge item A": lambda w: (
        POST,
        _url("action_transition", w.item_a),
        move(w.item_a, A.ACKNOWLEDGED),
    ),
    "acknowledge item B": lambda w: (
        POST,
        _url("action_transition", w.item_b),
        move(w.item_b, A.ACKNOWLEDGED),
    ),
    "submit item A's result (in hand)": lambda w: (
        POST,
        _url("action_transition", w.item_a),
        move(put(w.item_a, A.ACKNOWLEDGED), A.SUBMITTED),
    ),
    "accept item A (submitted)": lambda w: (
        POST,
        _url("action_transition", w.item_a),
        move(put(w.item_a, A.SUBMITTED), A.DONE),
    ),
    "return item A for rework (submitted)": lambda w: (
        POST,
        _url("action_transition", w.item_a),
        move(put(w.item_a, A.SUBMITTED), A.ACKNOWLEDGED),
    ),
    "cancel item A": lambda w: (
        POST,
        _url("action_transition", w.item_a),
        move(w.item_a, A.CANCELLED),
    ),
    "download a file of item A's feedback": lambda w: (GET, feedback_file(w, w.item_a), None),
    "download a file of item B's feedback": lambda w: (GET, feedback_file(w, w.item_b), None),
}

# fmt: off
PAGE_RULES = {
    #                                        admin  coord  leader dep_A  dep_B  own_X  own_Y
    "open the supervision page":            (200,   200,   200,   403,   403,   403,   403),
    "view problem X":                       (200,   200,   200,   200,   404,   200,   404),
    "view problem Y":                       (200,   200,   200,   404,   200,   404,   200),
    "open the raise form of project X":     (200,   200,   403,   403,   404,   200,   404),
    "raise a problem on project X":         (302,   302,   403,   403,   404,   302,   404),
    "raise a problem on project Y":         (302,   302,   403,   404,   403,   404,   302),
    "edit problem X":                       (302,   302,   403,   403,   404,   403,   404),
    "add an update to problem X":           (302,   302,   403,   302,   404,   302,   404),
    "add an update to problem Y":           (302,   302,   403,   404,   302,   404,   302),
    "give an instruction on problem X":     (403,   403,   302,   403,   404,   403,   404),
    "start work on problem X":              (302,   302,   403,   302,   404,   403,   404),
    "start work on problem Y":              (302,   302,   403,   404,   302,   404,   403),
    "resolve problem X":                    (302,   302,   403,   302,   404,   403,   404),
    "close problem X (resolved)":           (302,   302,   403,   403,   404,   403,   404),
    "reopen problem X (closed)":            (302,   302,   403,   403,   404,   403,   404),
    "download a file of problem X":         (200,   200,   200,   200,   404,   200,   404),
    "download a file of problem Y":         (200,   200,   200,   404,   200,   404,   200),
    "open the new action item form":        (200,   200,   200,   403,   403,   403,   403),
    "assign an action item on project X":   (302,   302,   302,   403,   403,   403,   403),
    "view action item A":                   (200,   200,   200,   200,   404,   200,   404),
    "view action item B":                   (200,   200,   200,   404,   200,   404,   200),
    "edit action item A":                   (302,   302,   403,   403,   404,   403,   404),
    "give feedback on item A":              (403,   403,   403,   302,   404,   403,   404),
    "give feedback on item B":              (403,   403,   403,   404,   302,   404,   403),
    "acknowledge item A":                   (403,   403,   403,   302,   404,   403,   404),
    "acknowledge item B":                   (403,   403,   403,   404,   302,   404,   403),
    "submit item A's result (in hand)":     (403,   403,   403,   302,   404,   403,   404),
    "accept item A (submitted)":            (302,   302,   403,   403,   404,   403,   404),
    "return item A for rework (submitted)": (302,   302,   403,   403,   404,   403,   404),
    "cancel item A":                        (302,   302,   403,   403,   404,   403,   404),
    "download a file of item A's feedback": (200,   200,   200,   200,   404,   200,   404),
    "download a file of item B's feedback": (200,   200,   200,   404,   200,   404,   200),
}
# fmt: on


def _why(response):
    """What the page said instead, for the failure message."""
    context = response.context or {}
    form = context.get("form")
    messages = [str(m) for m in context.get("messages", [])]
    return f"{form.errors if form is not None else ''} {messages}"


def test_every_page_action_has_a_rule():
    assert set(PAGE_REQUESTS) == set(PAGE_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    before = footprint()

    client = client_for(getattr(world, role))
    response = client.get(url) if method == GET else client.post(url, data)

    assert response.status_code == expected, _why(response)
    if method == POST and expected == 302:
        # A refused move also redirects (with its reason as a message), but writes nothing.
        assert footprint() != before, "an allowed write leaves a trace"
    else:
        assert footprint() == before, "a refused request changes nothing"


# --- API -------------------------------------------------------------------------------------


def _api(kind, obj, action=""):
    return f"/api/{kind}/{obj.pk}/" + (f"{action}/" if action else "")


API_REQUESTS = {
    "retrieve problem X": lambda w: (GET, _api("problems", w.problem_x), None),
    "retrieve problem Y": lambda w: (GET, _api("problems", w.problem_y), None),
    "read problem X's timeline": lambda w: (GET, _api("problems", w.problem_x, "timeline"), None),
    "raise a problem on project X": lambda w: (
        POST,
        "/api/problems/",
        {**problem_form(w, w.department_a), "project": w.project_x.pk},
    ),
    "change problem X": lambda w: (
        PATCH,
        _api("problems", w.problem_x),
        {"version": w.problem_x.version, "level": "city"},
    ),
    "add an update to problem X": lambda w: (
        POST,
        _api("problems", w.problem_x, "timeline"),
        {"text": "已召开专题会"},
    ),
    "give an instruction on problem X": lambda w: (
        POST,
        _api("problems", w.problem_x, "timeline"),
        {"text": "请本周内解决", "instruction": True},
    ),
    "resolve problem X": lambda w: (
        POST,
        _api("problems", w.problem_x, "transition"),
        move(w.problem_x, S.RESOLVED, **RESOLVE),
    ),
    "resolve problem Y": lambda w: (
        POST,
        _api("problems", w.problem_y, "transition"),
        move(w.problem_y, S.RESOLVED, **RESOLVE),
    ),
    "close problem X (resolved)": lambda w: (
        POST,
        _api("problems", w.problem_x, "transition"),
        move(put(w.problem_x, S.RESOLVED), S.CLOSED),
    ),
    "reopen problem X (closed)": lambda w: (
        POST,
        _api("problems", w.problem_x, "transition"),
        move(put(w.problem_x, S.CLOSED), S.OPEN),
    ),
    "retrieve action item A": lambda w: (GET, _api("action-items", w.item_a), None),
    "retrieve action item B": lambda w: (GET, _api("action-items", w.item_b), None),
    "read item A's timeline": lambda w: (GET, _api("action-items", w.item_a, "timeline"), None),
    "assign an action item": lambda w: (
        POST,
        "/api/action-items/",
        {"title": "协调施工用电", "lead_department": w.department_a.pk, "due_date": "2026-07-15"},
    ),
    "change action item A": lambda w: (
        PATCH,
        _api("action-items", w.item_a),
        {"version": w.item_a.version, "due_date": "2026-07-20"},
    ),
    "give feedback on item A": lambda w: (
        POST,
        _api("action-items", w.item_a, "timeline"),
        {"text": "正在对接"},
    ),
    "give feedback on item B": lambda w: (
        POST,
        _api("action-items", w.item_b, "timeline"),
        {"text": "正在对接"},
    ),
    "acknowledge item A": lambda w: (
        POST,
        _api("action-items", w.item_a, "transition"),
        move(w.item_a, A.ACKNOWLEDGED),
    ),
    "acknowledge item B": lambda w: (
        POST,
        _api("action-items", w.item_b, "transition"),
        move(w.item_b, A.ACKNOWLEDGED),
    ),
    "submit item A's result (in hand)": lambda w: (
        POST,
        _api("action-items", w.item_a, "transition"),
        move(put(w.item_a, A.ACKNOWLEDGED), A.SUBMITTED),
    ),
    "accept item A (submitted)": lambda w: (
        POST,
        _api("action-items", w.item_a, "transition"),
        move(put(w.item_a, A.SUBMITTED), A.DONE),
    ),
    "return item A for rework (submitted)": lambda w: (
        POST,
        _api("action-items", w.item_a, "transition"),
        move(put(w.item_a, A.SUBMITTED), A.ACKNOWLEDGED),
    ),
    "cancel item A": lambda w: (
        POST,
        _api("action-items", w.item_a, "transition"),
        move(w.item_a, A.CANCELLED),
    ),
}

# fmt: off
API_RULES = {
    #                                        admin  coord  leader dep_A  dep_B  own_X  own_Y
    "retrieve problem X":                   (200,   200,   200,   200,   404,   200,   404),
    "retrieve problem Y":                   (200,   200,   200,   404,   200,   404,   200),
    "read problem X's timeline":            (200,   200,   200,   200,   404,   200,   404),
    "raise a problem on project X":         (201,   201,   403,   403,   403,   201,   400),
    "change problem X":                     (200,   200,   403,   403,   404,   403,   404),
    "add an update to problem X":           (200,   200,   403,   200,   404,   200,   404),
    "give an instruction on problem X":     (403,   403,   200,   403,   404,   403,   404),
    "resolve problem X":                    (200,   200,   403,   200,   404,   403,   404),
    "resolve problem Y":                    (200,   200,   403,   404,   200,   404,   403),
    "close problem X (resolved)":           (200,   200,   403,   403,   404,   403,   404),
    "reopen problem X (closed)":            (200,   200,   403,   403,   404,   403,   404),
    "retrieve action item A":               (200,   200,   200,   200,   404,   200,   404),
    "retrieve action item B":               (200,   200,   200,   404,   200,   404,   200),
    "read item A's timeline":               (200,   200,   200,   200,   404,   200,   404),
    "assign an action item":                (201,   201,   201,   403,   403,   403,   403),
    "change action item A":                 (200,   200,   403,   403,   404,   403,   404),
    "give feedback on item A":              (403,   403,   403,   200,   404,   403,   404),
    "give feedback on item B":              (403,   403,   403,   404,   200,   404,   403),
    "acknowledge item A":                   (403,   403,   403,   200,   404,   403,   404),
    "acknowledge item B":                   (403,   403,   403,   404,   200,   404,   403),
    "submit item A's result (in hand)":     (403,   403,   403,   200,   404,   403,   404),
    "accept item A (submitted)":            (200,   200,   403,   403,   404,   403,   404),
    "return item A for rework (submitted)": (200,   200,   403,   403,   404,   403,   404),
    "cancel item A":                        (200,   200,   403,   403,   404,   403,   404),
}
# fmt: on


def test_every_api_action_has_a_rule():
    assert set(API_REQUESTS) == set(API_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    method, url, data = API_REQUESTS[action](world)
    before = footprint()

    response = getattr(api_for(getattr(world, role)), method)(url, data)

    assert response.status_code == expected, response.content.decode()[:500]
    if method != GET and expected in (200, 201):
        assert footprint() != before, "an allowed write leaves a trace"
    else:
        assert footprint() == before, "a refused request changes nothing"


# --- What each role sees in lists ----------------------------------------------------------

# fmt: off
SEES = {
    #               problems      action items
    "admin":       ({"X", "Y"},  {"A", "B"}),
    "coordinator": ({"X", "Y"},  {"A", "B"}),
    "leader":      ({"X", "Y"},  {"A", "B"}),
    "staff_a":     ({"X"},       {"A"}),
    "staff_b":     ({"Y"},       {"B"}),
    "owner_x":     ({"X"},       {"A"}),
    "owner_y":     ({"Y"},       {"B"}),
}
# fmt: on


def _names(w, ids):
    names = {
        ("problem", w.problem_x.pk): "X",
        ("problem", w.problem_y.pk): "Y",
        ("actionitem", w.item_a.pk): "A",
        ("actionitem", w.item_b.pk): "B",
    }
    return {names[key] for key in ids if key in names}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_leave_out_every_invisible_problem_and_action_item(world, role):
    api = api_for(getattr(world, role))

    problems = api.get("/api/problems/").json()["results"]
    items = api.get("/api/action-items/").json()["results"]

    assert _names(world, {("problem", p["id"]) for p in problems}) == SEES[role][0]
    assert _names(world, {("actionitem", i["id"]) for i in items}) == SEES[role][1]


@pytest.mark.parametrize("role", ROLES)
def test_project_pages_list_only_the_visible_problems_and_action_items(world, role):
    client = client_for(getattr(world, role))
    shown = set()
    for project in (world.project_x, world.project_y):
        response = client.get(reverse("projects:project_detail", args=[project.pk]))
        if response.status_code == 404:
            continue
        context = response.context
        shown |= {("problem", p.pk) for p in context["problems"]}
        shown |= {("actionitem", i.pk) for i in context["action_items"]}

    assert _names(world, shown) == SEES[role][0] | SEES[role][1]


# fmt: off
DESK = {
    # An organisation's own desk: its assignments (an owner's: its projects' problems).
    "admin":       set(),
    "coordinator": set(),
    "leader":      set(),
    "staff_a":     {"X", "A"},
    "staff_b":     {"Y", "B"},
    "owner_x":     {"X"},
    "owner_y":     {"Y"},
}
# fmt: on


@pytest.mark.parametrize("role", ROLES)
def test_each_desk_shows_the_organisations_own_work(world, role):
    response = client_for(getattr(world, role)).get(reverse("problems:desk"))

    shown = {("problem", p.pk) for p in response.context["problems"]}
    if not getattr(world, role).is_owner:
        shown |= {("actionitem", i.pk) for i in response.context["actions"]}
    assert _names(world, shown) == DESK[role]
    html = response.content.decode()
    assert ("用地指标不足" in html) == ("X" in DESK[role])
    assert ("环评批复滞后" in html) == ("Y" in DESK[role])


def test_a_department_cannot_look_at_another_departments_desk(world):
    response = client_for(world.staff_a).get(
        reverse("problems:desk"), {"organisation": world.department_b.pk}
    )

    assert response.context["organisation"] == world.department_a
    assert "环评批复滞后" not in response.content.decode()


def test_a_problem_page_lists_only_the_action_items_its_reader_may_open(world):
    """Department A sees problem X; an action item on it led by department B is B's."""
    services.assign_action_item(
        {
            "title": "审批局配合出具意见",
            "project": world.project_x,
            "problem": world.problem_x,
            "lead_department": world.department_b,
            "due_date": "2026-07-15",
        },
        actor=world.coordinator,
    )

    as_a = client_for(world.staff_a).get(_url("problem_detail", world.problem_x))
    as_office = client_for(world.coordinator).get(_url("problem_detail", world.problem_x))

    assert "审批局配合出具意见" not in as_a.content.decode()
    assert [i.title for i in as_a.context["action_items"]] == ["协调落实二期用地指标"]
    assert "审批局配合出具意见" in as_office.content.decode()


def test_api_filters_cannot_tell_which_project_ids_exist(world):
    """As for milestones and reports: another enterprise's project is refused as an id
    that was never used, not answered with an empty list."""
    api = api_for(world.owner_x)

    for url in ("/api/problems/", "/api/action-items/"):
        own = api.get(url, {"project": world.project_x.pk})
        invisible = api.get(url, {"project": world.project_y.pk})
        nonexistent = api.get(url, {"project": 999_999})

        assert own.status_code == 200
        assert invisible.status_code == nonexistent.status_code == 400
        assert list(invisible.json()) == list(nonexistent.json()) == ["project"]


def test_an_action_item_filter_cannot_tell_which_problem_ids_exist(world):
    api = api_for(world.staff_a)

    invisible = api.get("/api/action-items/", {"problem": world.problem_y.pk})
    nonexistent = api.get("/api/action-items/", {"problem": 999_999})

    assert invisible.status_code == nonexistent.status_code == 400


# --- Cooperating departments and the edges of "assigned to its organisation" -------------------


@pytest.fixture
def b_cooperates_on_x(world):
    """Department B cooperates on problem X and on action item A (both led by A)."""
    world.problem_x.cooperating_departments.set([world.department_b])
    world.item_a.cooperating_departments.set([world.department_b])
    return world


def test_a_cooperating_department_sees_and_reports_but_does_not_lead(b_cooperates_on_x):
    w = b_cooperates_on_x
    browser, api = client_for(w.staff_b), api_for(w.staff_b)

    assert browser.get(_url("problem_detail", w.problem_x)).status_code == 200
    assert browser.get(_url("action_detail", w.item_a)).status_code == 200
    assert browser.post(_url("problem_update", w.problem_x), {"text": "配合中"}).status_code == 302
    assert (
        browser.post(_url("action_feedback", w.item_a), {"text": "已出具意见"}).status_code == 302
    )
    assert (
        api.post(
            _api("problems", w.problem_x, "transition"), move(w.problem_x, S.RESOLVED, **RESOLVE)
        ).status_code
        == 403
    )
    assert (
        api.post(
            _api("action-items", w.item_a, "transition"), move(w.item_a, A.ACKNOWLEDGED)
        ).status_code
        == 403
    )
    assert {e.kind for e in w.item_a.entries.filter(organisation=w.department_b)} == {"feedback"}


def test_a_department_may_not_update_a_problem_of_its_project_led_by_another(world):
    """Department A sees every problem of project X (it leads the project), but adds
    updates only to those assigned to it."""
    other = services.raise_problem(
        world.project_x,
        {
            "title": "施工许可未办结",
            "description": "—",
            "category": "approval",
            "lead_department": world.department_b,
            "due_date": "2026-07-15",
        },
        actor=world.coordinator,
    )
    browser = client_for(world.staff_a)

    assert browser.get(_url("problem_detail", other)).status_code == 200
    assert browser.post(_url("problem_update", other), {"text": "催办"}).status_code == 403
    assert (
        browser.post(_url("problem_transition", other), move(other, S.IN_PROGRESS)).status_code
        == 403
    )


def test_a_leader_sees_no_way_to_close_a_problem(world):
    put(world.problem_x, S.RESOLVED)

    page = client_for(world.leader).get(_url("problem_detail", world.problem_x))

    assert page.context["transitions"] == []
    assert page.context["can_instruct"] is False  # a resolved problem takes no instruction


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses_them(world):
    from django.test import Client
    from rest_framework.test import APIClient

    for url in (
        reverse("problems:desk"),
        _url("problem_detail", world.problem_x),
        reverse("core:attachment_download", args=[1]),
    ):
        page = Client().get(url)
        assert page.status_code == 302
        assert page.url.startswith(reverse("login"))
    assert APIClient().get("/api/problems/").status_code == 401


# Refused callers are refused before their input is looked at, as for projects: they learn
# nothing from field errors (such as which project ids exist) and always get a 403.
REFUSED_WHATEVER_THEY_SEND = [
    ("leader", POST, lambda w: "/api/problems/", {"project": 999_999}),
    ("staff_a", POST, lambda w: "/api/problems/", {"due_date": "明天"}),
    ("staff_a", PATCH, lambda w: _api("problems", w.problem_x), {"due_date": "明天"}),
    ("owner_x", PATCH, lambda w: _api("problems", w.problem_x), {"project": 999_999}),
    ("staff_a", POST, lambda w: "/api/action-items/", {"project": 999_999}),
    ("owner_x", POST, lambda w: "/api/action-items/", {}),
    ("leader", PATCH, lambda w: _api("action-items", w.item_a), {"due_date": "明天"}),
    ("owner_x", POST, lambda w: "/api/reporting-rounds/", {"projects": [999_999]}),
    ("staff_a", POST, lambda w: "/api/reporting-rounds/", {"title": "", "projects": [1]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "method", "url", "body"),
    [pytest.param(*case, id=f"{case[0]} {case[1]} {n}")
     for n, case in enumerate(REFUSED_WHATEVER_THEY_SEND)],
)  # fmt: skip
def test_a_refused_caller_gets_403_whatever_they_send(world, role, method, url, body):
    response = getattr(api_for(getattr(world, role)), method)(url(world), body)

    assert response.status_code == 403, response.content
    assert "999999" not in response.content.decode()
