"""Bad input to problems and action items, through the forms and the API: refused with
field errors (the form again, or a 400), never a 500, nothing saved, in the request's
language."""

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.core.models import ChangeLog
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.test import api_for, client_for, form_errors


def pk(name):
    """The id of ``world.<name>``, looked up when the case runs."""
    return lambda world: getattr(world, name).pk


def ids(*names):
    return lambda world: [getattr(world, name).pk for name in names]


def resolve(world, fields):
    return {name: value(world) if callable(value) else value for name, value in fields.items()}


def _in(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def written():
    return (
        Problem.objects.count(),
        ActionItem.objects.count(),
        ProblemEntry.objects.count(),
        ActionItemEntry.objects.count(),
        ChangeLog.objects.count(),
    )


# --- Raising a problem ---------------------------------------------------------------------

PROBLEM = {
    "title": "施工用电容量不足",
    "description": "需新建开关站。",
    "category": "utilities",
    "severity": "normal",
    "level": "zone",
    "lead_department": pk("department_a"),
    "due_date": "2026-07-15",
}

PROBLEM_CASES = [
    ("no title", {"title": ""}, "title"),
    ("a title of 201 characters", {"title": "问" * 201}, "title"),
    ("a description of 4001 characters", {"description": "述" * 4001}, "description"),
    ("an unknown category", {"category": "weather"}, "category"),
    ("an unknown severity", {"severity": "apocalyptic"}, "severity"),
    ("an unknown level", {"level": "national"}, "level"),
    ("no lead department", {"lead_department": ""}, "lead_department"),
    ("an unknown lead department", {"lead_department": 999_999}, "lead_department"),
    ("an enterprise leading it", {"lead_department": pk("enterprise_y")}, "lead_department"),
    ("the leadership leading it", {"lead_department": pk("leadership")}, "lead_department"),
    (
        "the lead cooperating with itself",
        {"cooperating_departments": ids("department_a", "department_b")},
        "cooperating_departments",
    ),
    ("an enterprise cooperating", {"cooperating_departments": ids("enterprise_x")},
     "cooperating_departments"),
    ("no due date", {"due_date": ""}, "due_date"),
    ("a due date in words", {"due_date": "下周五"}, "due_date"),
    ("an impossible due date", {"due_date": "2026-02-30"}, "due_date"),
    ("a due date before today", {"due_date": "2026-06-09"}, "due_date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in PROBLEM_CASES]
)
def test_the_raise_form_refuses(world, case_fields, field):
    before = written()

    response = client_for(world.owner_x).post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        {k: v for k, v in resolve(world, {**PROBLEM, **case_fields}).items() if v is not None},
    )

    assert list(form_errors(response)) == [field]
    assert written() == before


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in PROBLEM_CASES]
)
def test_the_api_refuses_to_raise(world, case_fields, field):
    before = written()
    body = resolve(world, {**PROBLEM, "project": pk("project_x"), **case_fields})
    if body["lead_department"] == "":
        body["lead_department"] = None

    response = api_for(world.owner_x).post("/api/problems/", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cooperating_departments": ids("department_a")}, "cooperating_departments"),
        ({"lead_department": pk("department_b")}, "lead_department"),
        ({"due_date": "2026-06-09"}, "due_date"),
        ({"category": ""}, "category"),
        ({"title": None}, "title"),
    ],
    ids=["making the lead cooperate", "making a cooperating department lead as well",
         "moving the due date before the day it was raised", "emptying the category",
         "a null title"],
)  # fmt: skip
def test_the_api_refuses_a_partial_change_that_breaks_a_rule(world, changes, field):
    """The rules hold for what a PATCH leaves as it was, too: problem X is led by
    department A, with department B cooperating."""
    world.problem_x.cooperating_departments.set([world.department_b])
    before = written()

    response = api_for(world.coordinator).patch(
        f"/api/problems/{world.problem_x.pk}/",
        {**resolve(world, changes), "version": world.problem_x.version},
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert written() == before
    assert list(world.problem_x.cooperating_departments.all()) == [world.department_b]


# --- Assigning an action item ------------------------------------------------------------------

ACTION = {
    "title": "协调施工用电",
    "description": "",
    "project": pk("project_x"),
    "problem": pk("problem_x"),
    "lead_department": pk("department_a"),
    "due_date": "2026-07-15",
}

ACTION_CASES = [
    ("no title", {"title": ""}, "title"),
    ("a task of 301 characters", {"title": "办" * 301}, "title"),
    ("no lead department", {"lead_department": ""}, "lead_department"),
    ("an enterprise leading it", {"lead_department": pk("enterprise_x")}, "lead_department"),
    ("the lead cooperating with itself", {"cooperating_departments": ids("department_a")},
     "cooperating_departments"),
    ("an unknown project", {"project": 999_999}, "project"),
    ("an unknown problem", {"problem": 999_999}, "problem"),
    ("a problem of another project", {"problem": pk("problem_y")}, "problem"),
    ("a due date before today", {"due_date": "2026-06-01"}, "due_date"),
    ("a due date in words", {"due_date": "月底"}, "due_date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in ACTION_CASES]
)
def test_the_action_item_form_refuses(world, case_fields, field):
    before = written()

    response = client_for(world.coordinator).post(
        reverse("problems:action_create"), resolve(world, {**ACTION, **case_fields})
    )

    assert list(form_errors(response)) == [field]
    assert written() == before


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in ACTION_CASES]
)
def test_the_api_refuses_to_assign(world, case_fields, field):
    before = written()
    body = resolve(world, {**ACTION, **case_fields})
    if body["lead_department"] == "":
        body["lead_department"] = None

    response = api_for(world.coordinator).post("/api/action-items/", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert written() == before


# --- Moves, updates and feedback ----------------------------------------------------------------


def _transition(world, kind, obj):
    return f"/api/{kind}/{obj.pk}/transition/"


MOVE_CASES = [
    ("problems", "problem_x", {"to_status": "solved"}, "to_status"),
    ("problems", "problem_x", {}, "to_status"),
    ("problems", "problem_x", {"to_status": "resolved"}, "resolution"),
    ("problems", "problem_x", {"to_status": "resolved", "resolution": "  "}, "resolution"),
    ("problems", "problem_x", {"to_status": "in_progress", "version": "二"}, "version"),
    ("problems", "problem_x", {"to_status": "in_progress", "text": "字" * 4001}, "text"),
    ("problems", "problem_x", {"to_status": "closed"}, "non_field_errors"),
    ("action-items", "item_a", {"to_status": "assigned"}, "to_status"),
    ("action-items", "item_a", {"to_status": "done"}, "non_field_errors"),
    ("action-items", "item_a", {"to_status": "cancelled"}, "text"),
    ("action-items", "item_a", {"to_status": ["acknowledged", "done"]}, "to_status"),
]


@pytest.mark.parametrize(
    ("kind", "name", "body", "field"),
    [pytest.param(*case, id=f"{case[0]} {case[2]}"[:60]) for case in MOVE_CASES],
)
def test_the_api_refuses_a_bad_move(world, kind, name, body, field):
    obj = getattr(world, name)
    before = written()

    response = api_for(world.coordinator).post(_transition(world, kind, obj), body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert written() == before


@pytest.mark.parametrize(
    ("kind", "name", "body", "field"),
    [
        ("problems", "problem_x", {"text": ""}, "text"),
        ("problems", "problem_x", {"text": "字" * 4001}, "text"),
        ("problems", "problem_x", {"text": "批示", "instruction": "也许"}, "instruction"),
        ("action-items", "item_a", {"text": "  "}, "text"),
    ],
)
def test_the_api_refuses_an_empty_or_overlong_update(world, kind, name, body, field):
    before = written()

    response = api_for(world.staff_a).post(f"/api/{kind}/{getattr(world, name).pk}/timeline/", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert written() == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"to_status": "resolved"},
        {"to_status": "solved", "version": "1"},
        {"to_status": "resolved", "version": "x", "resolution": "已解决"},
    ],
)
def test_a_broken_move_form_on_a_page_is_a_message_never_a_500(world, body):
    client = client_for(world.staff_a)
    before = written()

    response = client.post(reverse("problems:problem_transition", args=[world.problem_x.pk]), body)

    assert response.status_code == 302
    assert [m.level_tag for m in client.get(response.url).context["messages"]] == ["error"]
    assert written() == before


def test_malformed_json_is_a_400(world):
    response = api_for(world.coordinator).post(
        f"/api/problems/{world.problem_x.pk}/transition/",
        data='{"to_status": "resol',
        content_type="application/json",
    )

    assert response.status_code == 400


# --- Language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_api_explains_a_refused_move_in_the_requests_language(world, language):
    response = api_for(world.staff_a, language=language).post(
        f"/api/problems/{world.problem_x.pk}/transition/", {"to_status": "resolved"}
    )

    assert response.json() == {"resolution": [_in(language, "Say how the problem was resolved.")]}


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_form_explains_a_due_date_rule_in_the_requests_language(world, language):
    response = client_for(world.owner_x, language=language).post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        resolve(world, {**PROBLEM, "due_date": "2026-06-01"}),
    )

    assert form_errors(response) == {
        "due_date": [_in(language, "The due date cannot be before the day the problem was raised.")]
    }


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_refused_move_on_a_page_is_explained_in_the_requests_language(world, language):
    client = client_for(world.staff_a, language=language)

    response = client.post(
        reverse("problems:action_transition", args=[world.item_a.pk]),
        {"to_status": "submitted", "version": 1, "text": "已办结"},
    )

    [message] = client.get(response.url).context["messages"]
    with translation.override(language):
        expected = translation.gettext("A %(kind)s cannot go from “%(from)s” to “%(to)s”.") % {
            "kind": ActionItem._meta.verbose_name,
            "from": translation.gettext("assigned"),
            "to": translation.gettext("awaiting acceptance"),
        }
    assert str(message) == expected


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_api_explains_a_lead_that_cooperates_in_the_requests_language(world, language):
    response = api_for(world.coordinator, language=language).patch(
        f"/api/action-items/{world.item_a.pk}/",
        {"version": world.item_a.version, "cooperating_departments": [world.department_a.pk]},
    )

    assert response.json() == {
        "cooperating_departments": [
            _in(language, "The lead department cannot also be a cooperating department.")
        ]
    }
