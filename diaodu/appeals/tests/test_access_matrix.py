"""Who may do what to enterprise requests, through the pages and the API: every role
against request X (owner X's, on project X) and request Y (owner Y's).

Read a row as "<role> tries to <action>" and the number under the role's column as what
the server answers: 200/201/302 done (or shown), 403 visible but not the user's to do,
404 invisible (the id reveals nothing), 400 where an invisible project is named in an API
body by someone who may otherwise act. Departments see no request: one they must work on
reaches them as its problem.

Every refused request must leave requests, their timelines, problems, the change log and
notifications as they were; every allowed write must add to them.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from diaodu.appeals.choices import AppealStatus
from diaodu.appeals.models import Appeal, AppealEntry
from diaodu.core.attachments import attach
from diaodu.core.models import ChangeLog
from diaodu.notifications.models import Notification
from diaodu.problems.models import Problem
from diaodu.problems.tests.helpers import upload
from diaodu.test import api_for, client_for, role_cells

GET, POST = "get", "post"


def footprint():
    """Row counts of everything an action can write, in one query."""
    models = (Appeal, AppealEntry, Problem, ChangeLog, Notification)
    counts = ", ".join(f"(SELECT COUNT(*) FROM {m._meta.db_table})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()


def answered(appeal):
    """The request as the office's answer leaves it (answering itself: ``test_workflow``)."""
    Appeal.objects.filter(pk=appeal.pk).update(
        status=AppealStatus.ANSWERED, answer="已答复", finished_at=timezone.now(), version=2
    )
    return appeal


def request_file(w, appeal):
    """A PDF attached to the request's first timeline entry (the one raising it)."""
    [attachment] = attach(appeal.entries.first(), [upload("照片.pdf")], actor=w.owner_x)
    return reverse("core:attachment_download", args=[attachment.pk])


def raising(**overrides):
    return {
        "title": "排污管网未接通",
        "description": "缺一段管网。",
        "category": "utilities",
        **overrides,
    }


def accepting(w, appeal):
    return {
        "version": appeal.version,
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": w.department_a.pk,
        "due_date": "2026-07-15",
        "note": "",
    }


def _url(name, obj):
    return reverse(f"appeals:{name}", args=[obj.pk])


PAGE_REQUESTS = {
    "open the list of requests": lambda w: (GET, reverse("appeals:appeal_list"), None),
    "view request X": lambda w: (GET, _url("appeal_detail", w.appeal_x), None),
    "view request Y": lambda w: (GET, _url("appeal_detail", w.appeal_y), None),
    "open the raise form of project X": lambda w: (GET, _url("appeal_raise", w.project_x), None),
    "raise a request on project X": lambda w: (POST, _url("appeal_raise", w.project_x), raising()),
    "raise a request on project Y": lambda w: (POST, _url("appeal_raise", w.project_y), raising()),
    "accept request X as a problem": lambda w: (
        POST,
        _url("appeal_accept", w.appeal_x),
        accepting(w, w.appeal_x),
    ),
    "merge request X into problem X": lambda w: (
        POST,
        _url("appeal_merge", w.appeal_x),
        {"version": 1, "problem": w.problem_x.pk, "note": ""},
    ),
    "answer request X": lambda w: (
        POST,
        _url("appeal_answer", w.appeal_x),
        {"version": 1, "answer": "已协调供电公司"},
    ),
    "rate request X (answered)": lambda w: (
        POST,
        _url("appeal_rate", answered(w.appeal_x)),
        {"rating": "5", "comment": ""},
    ),
    "download a file of request X": lambda w: (GET, request_file(w, w.appeal_x), None),
}

# fmt: off
PAGE_RULES = {
    #                                      admin  coord  leader dep_A  dep_B  own_X  own_Y
    "open the list of requests":          (200,   200,   200,   403,   403,   200,   200),
    "view request X":                     (200,   200,   200,   404,   404,   200,   404),
    "view request Y":                     (200,   200,   200,   404,   404,   404,   200),
    "open the raise form of project X":   (403,   403,   403,   403,   404,   200,   404),
    "raise a request on project X":       (403,   403,   403,   403,   404,   302,   404),
    "raise a request on project Y":       (403,   403,   403,   404,   403,   404,   302),
    "accept request X as a problem":      (302,   302,   403,   404,   404,   403,   404),
    "merge request X into problem X":     (302,   302,   403,   404,   404,   403,   404),
    "answer request X":                   (302,   302,   403,   404,   404,   403,   404),
    "rate request X (answered)":          (403,   403,   403,   404,   404,   302,   404),
    "download a file of request X":       (200,   200,   200,   404,   404,   200,   404),
}
# fmt: on


def test_every_page_action_has_a_rule():
    assert set(PAGE_REQUESTS) == set(PAGE_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    before = footprint()

    client = client_for(getattr(world, role))
    response = client.get(url) if method == GET else client.post(url, data)

    assert response.status_code == expected, response.content.decode()[:300]
    if method == POST and expected == 302:
        assert footprint() != before, "an allowed write leaves a trace"
    else:
        assert footprint() == before, "a refused request changes nothing"


def _api(obj=None, action=""):
    return "/api/requests/" + (f"{obj.pk}/" if obj else "") + (f"{action}/" if action else "")


API_REQUESTS = {
    "list requests": lambda w: (GET, _api(), None),
    "retrieve request X": lambda w: (GET, _api(w.appeal_x), None),
    "retrieve request Y": lambda w: (GET, _api(w.appeal_y), None),
    "read request X's timeline": lambda w: (GET, _api(w.appeal_x, "timeline"), None),
    "raise a request on project X": lambda w: (
        POST,
        _api(),
        raising(project=w.project_x.pk),
    ),
    "accept request X as a problem": lambda w: (
        POST,
        _api(w.appeal_x, "accept"),
        accepting(w, w.appeal_x),
    ),
    "merge request X into problem X": lambda w: (
        POST,
        _api(w.appeal_x, "merge"),
        {"version": 1, "problem": w.problem_x.pk},
    ),
    "answer request X": lambda w: (
        POST,
        _api(w.appeal_x, "answer"),
        {"version": 1, "answer": "已协调供电公司"},
    ),
    "rate request X (answered)": lambda w: (
        POST,
        _api(answered(w.appeal_x), "rate"),
        {"rating": 5},
    ),
}

# fmt: off
API_RULES = {
    #                                      admin  coord  leader dep_A  dep_B  own_X  own_Y
    "list requests":                      (200,   200,   200,   200,   200,   200,   200),
    "retrieve request X":                 (200,   200,   200,   404,   404,   200,   404),
    "retrieve request Y":                 (200,   200,   200,   404,   404,   404,   200),
    "read request X's timeline":          (200,   200,   200,   404,   404,   200,   404),
    "raise a request on project X":       (403,   403,   403,   403,   403,   201,   400),
    "accept request X as a problem":      (200,   200,   403,   404,   404,   403,   404),
    "merge request X into problem X":     (200,   200,   403,   404,   404,   403,   404),
    "answer request X":                   (200,   200,   403,   404,   404,   403,   404),
    "rate request X (answered)":          (403,   403,   403,   404,   404,   200,   404),
}
# fmt: on


def test_every_api_action_has_a_rule():
    assert set(API_REQUESTS) == set(API_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    method, url, data = API_REQUESTS[action](world)
    before = footprint()

    response = getattr(api_for(getattr(world, role)), method)(url, data)

    assert response.status_code == expected, response.content.decode()[:300]
    if method == POST and expected in (200, 201):
        assert footprint() != before, "an allowed write leaves a trace"
    else:
        assert footprint() == before, "a refused request changes nothing"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"X", "Y"}),
        ("coordinator", {"X", "Y"}),
        ("leader", {"X", "Y"}),
        ("staff_a", set()),
        ("staff_b", set()),
        ("owner_x", {"X"}),
        ("owner_y", {"Y"}),
    ],
)
def test_each_role_lists_the_requests_it_may_see_in_pages_and_api(world, role, expected):
    names = {world.appeal_x.pk: "X", world.appeal_y.pk: "Y"}
    user = getattr(world, role)

    rows = api_for(user).get(_api()).json()["results"]
    page = client_for(user).get(reverse("appeals:appeal_list"))

    assert {names[row["id"]] for row in rows} == expected
    if page.status_code == 200:
        assert {names[a.pk] for a in page.context["page"].object_list} == expected
    else:
        assert (page.status_code, expected) == (403, set())
