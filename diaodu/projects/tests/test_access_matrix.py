"""Who may do what, through the pages and through the API: every role against every kind
of object and action, as tables.

Read a row as "<role> tries to <action>" and the number under the role's column as what
the server answers:

- pages: 200 (the page or form), 302 (done, redirected to the project), 403 (the object is
  visible but the action is not the user's), 404 (the object is outside what the user may
  see: its id reveals nothing), ``ADMIN_LOGIN`` (the Django admin sends non-admins to its
  login page);
- API: 200/201 (done), 403, 404 as above; 400 where the invisible object is named in the
  request body (``{"project": id}``): the id is refused exactly as a nonexistent one is;
  405 where the API is read-only (master data is kept in the admin).

Every write that is refused must leave the database untouched, and every write that is
allowed must leave a change-log row: both are checked for each cell.
"""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import MilestoneKindFactory, template_kind
from diaodu.projects.access import visible_projects
from diaodu.test import (
    ROLES,
    api_for,
    check_api_rule,
    client_for,
    project_api_data,
    project_form_data,
    role_cells,
)

ADMIN_LOGIN = "admin login"

GET, POST, PATCH = "get", "post", "patch"


def _detail(project):
    return reverse("projects:project_detail", args=[project.pk])


# --- Pages -----------------------------------------------------------------------------

# What each action requests: (method, url, form data) from the world of personas.
PAGE_REQUESTS = {
    "see the project list": lambda w: (GET, reverse("projects:project_list"), None),
    "view project X": lambda w: (GET, _detail(w.project_x), None),
    "view project Y": lambda w: (GET, _detail(w.project_y), None),
    "open the new-project form": lambda w: (GET, reverse("projects:project_create"), None),
    "create a project": lambda w: (
        POST,
        reverse("projects:project_create"),
        project_form_data(owner=w.enterprise_x.pk, lead_department=w.department_a.pk),
    ),
    "open the edit form of project X": lambda w: (
        GET,
        reverse("projects:project_edit", args=[w.project_x.pk]),
        None,
    ),
    "change project X": lambda w: (
        POST,
        reverse("projects:project_edit", args=[w.project_x.pk]),
        project_form_data(w.project_x, name="水务产业园（一期）"),
    ),
    "change project Y": lambda w: (
        POST,
        reverse("projects:project_edit", args=[w.project_y.pk]),
        project_form_data(w.project_y, name="新材料产业基地（二期）"),
    ),
    "add a milestone to project X": lambda w: (
        POST,
        reverse("projects:milestone_add", args=[w.project_x.pk]),
        {"kind": MilestoneKindFactory().pk, "planned_date": "2026-09-01", "note": ""},
    ),
    "plan a milestone of project X": lambda w: (
        POST,
        reverse("projects:milestone_edit", args=[w.milestone_x.pk]),
        {
            "planned_date": "2026-07-15",
            "actual_date": "",
            "approving_department": "",
            "note": "",
            "version": w.milestone_x.version,
        },
    ),
    "plan a milestone of project Y": lambda w: (
        POST,
        reverse("projects:milestone_edit", args=[w.milestone_y.pk]),
        {
            "planned_date": "2026-07-15",
            "actual_date": "",
            "approving_department": "",
            "note": "",
            "version": w.milestone_y.version,
        },
    ),
    "open the achieved-date form (X)": lambda w: (
        GET,
        reverse("projects:milestone_report", args=[w.milestone_x.pk]),
        None,
    ),
    "report a milestone of project X achieved": lambda w: (
        POST,
        reverse("projects:milestone_report", args=[w.milestone_x.pk]),
        {"reported_date": "2026-06-05"},
    ),
    "report a milestone of project Y achieved": lambda w: (
        POST,
        reverse("projects:milestone_report", args=[w.milestone_y.pk]),
        {"reported_date": "2026-06-05"},
    ),
    "confirm a milestone of project X": lambda w: (
        POST,
        reverse("projects:milestone_confirm", args=[w.milestone_x.pk]),
        {},
    ),
    "confirm a milestone of project Y": lambda w: (
        POST,
        reverse("projects:milestone_confirm", args=[w.milestone_y.pk]),
        {},
    ),
    "open the report form (X)": lambda w: (
        GET,
        reverse("projects:report_create", args=[w.project_x.pk]),
        None,
    ),
    "submit a report on project X": lambda w: (
        POST,
        reverse("projects:report_create", args=[w.project_x.pk]),
        {
            "period_kind": "month",
            "period_start": "2026-06-01",
            "narrative": "主体施工",
            "investment": "300",
        },
    ),
    "submit a report on project Y": lambda w: (
        POST,
        reverse("projects:report_create", args=[w.project_y.pk]),
        {
            "period_kind": "month",
            "period_start": "2026-06-01",
            "narrative": "主体施工",
            "investment": "300",
        },
    ),
    "revise a report of project X": lambda w: (
        POST,
        reverse("projects:report_edit", args=[w.report_x.pk]),
        {
            "period_kind": "month",
            "period_start": "2026-05-01",
            "narrative": "完成场地平整和围挡。",
            "investment": "1300",
            "version": w.report_x.version,
        },
    ),
    "revise a report of project Y": lambda w: (
        POST,
        reverse("projects:report_edit", args=[w.report_y.pk]),
        {
            "period_kind": "month",
            "period_start": "2026-05-01",
            "narrative": "完成场地平整和围挡。",
            "investment": "1300",
            "version": w.report_y.version,
        },
    ),
    "open the review form (X)": lambda w: (
        GET,
        reverse("projects:report_review", args=[w.report_x.pk]),
        None,
    ),
    "review a report of project X": lambda w: (
        POST,
        reverse("projects:report_review", args=[w.report_x.pk]),
        {"approve": "1", "note": ""},
    ),
    "review a report of project Y": lambda w: (
        POST,
        reverse("projects:report_review", args=[w.report_y.pk]),
        {"approve": "0", "note": "请补充现场照片"},
    ),
    "list organisations (admin site)": lambda w: (
        GET,
        reverse("admin:org_organisation_changelist"),
        None,
    ),
    "add an organisation (admin site)": lambda w: (
        GET,
        reverse("admin:org_organisation_add"),
        None,
    ),
    "open enterprise X (admin site)": lambda w: (
        GET,
        reverse("admin:org_organisation_change", args=[w.enterprise_x.pk]),
        None,
    ),
    "see the people (admin site)": lambda w: (
        GET,
        reverse("admin:accounts_user_changelist"),
        None,
    ),
    "add a person (admin site)": lambda w: (GET, reverse("admin:accounts_user_add"), None),
    "open owner X's account (admin site)": lambda w: (
        GET,
        reverse("admin:accounts_user_change", args=[w.owner_x.pk]),
        None,
    ),
}

L = ADMIN_LOGIN  # the Django admin sends everyone but administrators to its login page
# fmt: off
PAGE_RULES = {
    #                                            admin  coord  leader dep_A  dep_B  own_X  own_Y
    "see the project list":                     (200,   200,   200,   200,   200,   200,   200),
    "view project X":                           (200,   200,   200,   200,   404,   200,   404),
    "view project Y":                           (200,   200,   200,   404,   200,   404,   200),
    "open the new-project form":                (200,   200,   403,   403,   403,   403,   403),
    "create a project":                         (302,   302,   403,   403,   403,   403,   403),
    "open the edit form of project X":          (200,   200,   403,   403,   404,   403,   404),
    "change project X":                         (302,   302,   403,   403,   404,   403,   404),
    "change project Y":                         (302,   302,   403,   404,   403,   404,   403),
    "add a milestone to project X":             (302,   302,   403,   403,   404,   403,   404),
    "plan a milestone of project X":            (302,   302,   403,   403,   404,   403,   404),
    "plan a milestone of project Y":            (302,   302,   403,   404,   403,   404,   403),
    "open the achieved-date form (X)":          (403,   403,   403,   403,   404,   200,   404),
    "report a milestone of project X achieved": (403,   403,   403,   403,   404,   302,   404),
    "report a milestone of project Y achieved": (403,   403,   403,   404,   403,   404,   302),
    "confirm a milestone of project X":         (302,   302,   403,   403,   404,   403,   404),
    "confirm a milestone of project Y":         (302,   302,   403,   404,   403,   404,   403),
    "open the report form (X)":                 (200,   200,   403,   403,   404,   200,   404),
    "submit a report on project X":             (302,   302,   403,   403,   404,   302,   404),
    "submit a report on project Y":             (302,   302,   403,   404,   403,   404,   302),
    "revise a report of project X":             (302,   302,   403,   403,   404,   302,   404),
    "revise a report of project Y":             (302,   302,   403,   404,   403,   404,   302),
    "open the review form (X)":                 (200,   200,   403,   403,   404,   403,   404),
    "review a report of project X":             (302,   302,   403,   403,   404,   403,   404),
    "review a report of project Y":             (302,   302,   403,   404,   403,   404,   403),
    "list organisations (admin site)":          (200,   L,     L,     L,     L,     L,     L),
    "add an organisation (admin site)":         (200,   L,     L,     L,     L,     L,     L),
    "open enterprise X (admin site)":           (200,   L,     L,     L,     L,     L,     L),
    "see the people (admin site)":              (200,   L,     L,     L,     L,     L,     L),
    "add a person (admin site)":                (200,   L,     L,     L,     L,     L,     L),
    "open owner X's account (admin site)":      (200,   L,     L,     L,     L,     L,     L),
}
# fmt: on


def _form_errors_of(response):
    """Why a form was shown again instead of being saved, for the failure message."""
    form = response.context.get("form") if response.context else None
    return form.errors if form is not None else ""


def test_every_page_action_has_a_rule():
    assert set(PAGE_REQUESTS) == set(PAGE_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    changes_before = ChangeLog.objects.count()

    client = client_for(getattr(world, role))
    response = client.get(url) if method == GET else client.post(url, data)

    if expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        return
    assert response.status_code == expected, _form_errors_of(response)
    if expected == 302:
        assert not response.url.startswith(reverse("login"))
    if method == POST and expected == 302:
        assert ChangeLog.objects.count() > changes_before, "an allowed write leaves a log row"
    else:
        assert ChangeLog.objects.count() == changes_before, "a refused request changes nothing"


# --- API -------------------------------------------------------------------------------

API_REQUESTS = {
    "list projects": lambda w: (GET, "/api/projects/", None),
    "retrieve project X": lambda w: (GET, f"/api/projects/{w.project_x.pk}/", None),
    "retrieve project Y": lambda w: (GET, f"/api/projects/{w.project_y.pk}/", None),
    "see project X's investment": lambda w: (
        GET,
        f"/api/projects/{w.project_x.pk}/investment/",
        None,
    ),
    "create a project": lambda w: (
        POST,
        "/api/projects/",
        project_api_data(owner=w.enterprise_x.pk, lead_department=w.department_a.pk),
    ),
    "change project X": lambda w: (
        PATCH,
        f"/api/projects/{w.project_x.pk}/",
        {"version": w.project_x.version, "name": "水务产业园（一期）"},
    ),
    "change project Y": lambda w: (
        PATCH,
        f"/api/projects/{w.project_y.pk}/",
        {"version": w.project_y.version, "name": "新材料产业基地（二期）"},
    ),
    "list milestones": lambda w: (GET, "/api/milestones/", None),
    "list milestone kinds": lambda w: (GET, "/api/milestone-kinds/", None),
    "retrieve a milestone of project X": lambda w: (
        GET,
        f"/api/milestones/{w.milestone_x.pk}/",
        None,
    ),
    "add a milestone to project X": lambda w: (
        POST,
        "/api/milestones/",
        {
            "project": w.project_x.pk,
            "kind": MilestoneKindFactory().pk,
            "planned_date": "2026-09-01",
        },
    ),
    "plan a milestone of project X": lambda w: (
        PATCH,
        f"/api/milestones/{w.milestone_x.pk}/",
        {"version": w.milestone_x.version, "planned_date": "2026-07-15"},
    ),
    "plan a milestone of project Y": lambda w: (
        PATCH,
        f"/api/milestones/{w.milestone_y.pk}/",
        {"version": w.milestone_y.version, "planned_date": "2026-07-15"},
    ),
    "report a milestone of project X achieved": lambda w: (
        POST,
        f"/api/milestones/{w.milestone_x.pk}/report/",
        {"reported_date": "2026-06-05"},
    ),
    "report a milestone of project Y achieved": lambda w: (
        POST,
        f"/api/milestones/{w.milestone_y.pk}/report/",
        {"reported_date": "2026-06-05"},
    ),
    "confirm a milestone of project X": lambda w: (
        POST,
        f"/api/milestones/{w.milestone_x.pk}/confirm/",
        {},
    ),
    "confirm a milestone of project Y": lambda w: (
        POST,
        f"/api/milestones/{w.milestone_y.pk}/confirm/",
        {},
    ),
    "list progress reports": lambda w: (GET, "/api/progress-reports/", None),
    "retrieve a report of project X": lambda w: (
        GET,
        f"/api/progress-reports/{w.report_x.pk}/",
        None,
    ),
    "submit a report on project X": lambda w: (
        POST,
        "/api/progress-reports/",
        {
            "project": w.project_x.pk,
            "period_kind": "month",
            "period_start": "2026-06-01",
            "narrative": "主体施工",
            "investment": "300.00",
        },
    ),
    "submit a report on project Y": lambda w: (
        POST,
        "/api/progress-reports/",
        {
            "project": w.project_y.pk,
            "period_kind": "month",
            "period_start": "2026-06-01",
            "narrative": "主体施工",
            "investment": "300.00",
        },
    ),
    "revise a report of project X": lambda w: (
        PATCH,
        f"/api/progress-reports/{w.report_x.pk}/",
        {"version": w.report_x.version, "narrative": "完成场地平整和围挡。"},
    ),
    "revise a report of project Y": lambda w: (
        PATCH,
        f"/api/progress-reports/{w.report_y.pk}/",
        {"version": w.report_y.version, "narrative": "完成场地平整和围挡。"},
    ),
    "review a report of project X": lambda w: (
        POST,
        f"/api/progress-reports/{w.report_x.pk}/review/",
        {"approve": True},
    ),
    "review a report of project Y": lambda w: (
        POST,
        f"/api/progress-reports/{w.report_y.pk}/review/",
        {"approve": False, "note": "请补充现场照片"},
    ),
    "list organisations": lambda w: (GET, "/api/organisations/", None),
    "retrieve enterprise X": lambda w: (GET, f"/api/organisations/{w.enterprise_x.pk}/", None),
    "retrieve enterprise Y": lambda w: (GET, f"/api/organisations/{w.enterprise_y.pk}/", None),
    "retrieve department B": lambda w: (GET, f"/api/organisations/{w.department_b.pk}/", None),
    "create an organisation": lambda w: (
        POST,
        "/api/organisations/",
        {"kind": "department", "name": "科技和经济局"},
    ),
    "change enterprise X": lambda w: (
        PATCH,
        f"/api/organisations/{w.enterprise_x.pk}/",
        {"name": "绿源水务集团"},
    ),
    "list people": lambda w: (GET, "/api/people/", None),
    "retrieve owner X": lambda w: (GET, f"/api/people/{w.owner_x.pk}/", None),
    "retrieve owner Y": lambda w: (GET, f"/api/people/{w.owner_y.pk}/", None),
    "retrieve the coordinator": lambda w: (GET, f"/api/people/{w.coordinator.pk}/", None),
    "create a person": lambda w: (
        POST,
        "/api/people/",
        {"username": "newcomer", "display_name": "新人", "role": "owner"},
    ),
    "change owner X's record": lambda w: (
        PATCH,
        f"/api/people/{w.owner_x.pk}/",
        {"role": "coordinator"},
    ),
}

# fmt: off
API_RULES = {
    #                                            admin  coord  leader dep_A  dep_B  own_X  own_Y
    "list projects":                            (200,   200,   200,   200,   200,   200,   200),
    "retrieve project X":                       (200,   200,   200,   200,   404,   200,   404),
    "retrieve project Y":                       (200,   200,   200,   404,   200,   404,   200),
    "see project X's investment":               (200,   200,   200,   200,   404,   200,   404),
    "create a project":                         (201,   201,   403,   403,   403,   403,   403),
    "change project X":                         (200,   200,   403,   403,   404,   403,   404),
    "change project Y":                         (200,   200,   403,   404,   403,   404,   403),
    "list milestones":                          (200,   200,   200,   200,   200,   200,   200),
    "list milestone kinds":                     (200,   200,   200,   200,   200,   200,   200),
    "retrieve a milestone of project X":        (200,   200,   200,   200,   404,   200,   404),
    "add a milestone to project X":             (201,   201,   403,   403,   400,   403,   400),
    "plan a milestone of project X":            (200,   200,   403,   403,   404,   403,   404),
    "plan a milestone of project Y":            (200,   200,   403,   404,   403,   404,   403),
    "report a milestone of project X achieved": (403,   403,   403,   403,   404,   200,   404),
    "report a milestone of project Y achieved": (403,   403,   403,   404,   403,   404,   200),
    "confirm a milestone of project X":         (200,   200,   403,   403,   404,   403,   404),
    "confirm a milestone of project Y":         (200,   200,   403,   404,   403,   404,   403),
    "list progress reports":                    (200,   200,   200,   200,   200,   200,   200),
    "retrieve a report of project X":           (200,   200,   200,   200,   404,   200,   404),
    "submit a report on project X":             (201,   201,   403,   403,   400,   201,   400),
    "submit a report on project Y":             (201,   201,   403,   400,   403,   400,   201),
    "revise a report of project X":             (200,   200,   403,   403,   404,   200,   404),
    "revise a report of project Y":             (200,   200,   403,   404,   403,   404,   200),
    "review a report of project X":             (200,   200,   403,   403,   404,   403,   404),
    "review a report of project Y":             (200,   200,   403,   404,   403,   404,   403),
    "list organisations":                       (200,   200,   200,   200,   200,   200,   200),
    "retrieve enterprise X":                    (200,   200,   200,   200,   404,   200,   404),
    "retrieve enterprise Y":                    (200,   200,   200,   404,   200,   404,   200),
    "retrieve department B":                    (200,   200,   200,   200,   200,   200,   200),
    "create an organisation":                   (405,   405,   405,   405,   405,   405,   405),
    "change enterprise X":                      (405,   405,   405,   405,   405,   405,   405),
    "list people":                              (200,   200,   200,   200,   200,   200,   200),
    "retrieve owner X":                         (200,   200,   200,   200,   404,   200,   404),
    "retrieve owner Y":                         (200,   200,   200,   404,   200,   404,   200),
    "retrieve the coordinator":                 (200,   200,   200,   200,   200,   200,   200),
    "create a person":                          (405,   405,   405,   405,   405,   405,   405),
    "change owner X's record":                  (405,   405,   405,   405,   405,   405,   405),
}
# fmt: on


def test_every_api_action_has_a_rule():
    assert set(API_REQUESTS) == set(API_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    check_api_rule(getattr(world, role), API_REQUESTS[action](world), expected)


def test_an_invisible_project_id_is_refused_exactly_like_a_nonexistent_one(world):
    """Creating under another enterprise's project says "does not exist", as for an id
    that was never used: the response does not reveal that project Y exists."""
    api = api_for(world.owner_x)
    body = {
        "period_kind": "month",
        "period_start": "2026-06-01",
        "narrative": "x",
        "investment": "1",
    }

    invisible = api.post("/api/progress-reports/", {**body, "project": world.project_y.pk})
    nonexistent = api.post("/api/progress-reports/", {**body, "project": 999_999})

    assert invisible.status_code == nonexistent.status_code == 400
    assert invisible.json()["project"][0] == nonexistent.json()["project"][0].replace(
        "999999", str(world.project_y.pk)
    )


# --- What each role sees in lists --------------------------------------------------------

# fmt: off
SEES = {
    #               projects        enterprises                     owners' accounts
    "admin":       ({"X", "Y"},    {"enterprise_x", "enterprise_y"}, {"owner_x", "owner_y"}),
    "coordinator": ({"X", "Y"},    {"enterprise_x", "enterprise_y"}, {"owner_x", "owner_y"}),
    "leader":      ({"X", "Y"},    {"enterprise_x", "enterprise_y"}, {"owner_x", "owner_y"}),
    "staff_a":     ({"X"},         {"enterprise_x"},                 {"owner_x"}),
    "staff_b":     ({"Y"},         {"enterprise_y"},                 {"owner_y"}),
    "owner_x":     ({"X"},         {"enterprise_x"},                 {"owner_x"}),
    "owner_y":     ({"Y"},         {"enterprise_y"},                 {"owner_y"}),
}
# fmt: on


def _letters(world, project_ids):
    names = {world.project_x.pk: "X", world.project_y.pk: "Y"}
    return {names[pk] for pk in project_ids}


@pytest.mark.parametrize("role", ROLES)
def test_the_project_list_page_shows_exactly_the_visible_projects(world, role):
    response = client_for(getattr(world, role)).get(reverse("projects:project_list"))

    shown = {project.pk for project in response.context["page"]}
    assert _letters(world, shown) == SEES[role][0]
    html = response.content.decode()
    assert ("水务产业园" in html) == ("X" in SEES[role][0])
    assert ("新材料产业基地" in html) == ("Y" in SEES[role][0])


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_leave_out_every_invisible_object(world, role):
    api = api_for(getattr(world, role))
    projects, enterprises, owners = SEES[role]

    listed_projects = {p["id"] for p in api.get("/api/projects/").json()["results"]}
    milestone_projects = {m["project"] for m in api.get("/api/milestones/").json()["results"]}
    report_projects = {r["project"] for r in api.get("/api/progress-reports/").json()["results"]}
    organisations = {o["id"] for o in api.get("/api/organisations/").json()["results"]}
    people = {p["id"] for p in api.get("/api/people/").json()["results"]}

    assert _letters(world, listed_projects) == projects
    assert _letters(world, milestone_projects) == projects
    assert _letters(world, report_projects) == projects
    all_enterprises = {"enterprise_x", "enterprise_y"}
    assert {name for name in all_enterprises if getattr(world, name).pk in organisations} == (
        enterprises
    )
    for department in ("office", "leadership", "department_a", "department_b"):
        assert getattr(world, department).pk in organisations
    assert {name for name in ("owner_x", "owner_y") if getattr(world, name).pk in people} == owners
    assert world.coordinator.pk in people
    assert world.staff_a.pk in people


@pytest.mark.parametrize("role", ROLES)
def test_api_filters_cannot_widen_what_a_role_sees_nor_tell_which_ids_exist(world, role):
    api = api_for(getattr(world, role))

    for url in ("/api/milestones/", "/api/progress-reports/"):
        nonexistent = api.get(url, {"project": 999_999})
        for project in (world.project_x, world.project_y):
            response = api.get(url, {"project": project.pk})
            if _letters(world, [project.pk]) <= SEES[role][0]:
                assert response.status_code == 200
                assert {row["project"] for row in response.json()["results"]} == {project.pk}
            else:
                assert response.status_code == nonexistent.status_code == 400
                assert list(response.json()) == list(nonexistent.json()) == ["project"]


# --- Departments involved through approvals ------------------------------------------------


def test_department_staff_see_a_project_whose_approval_their_department_gives(world):
    milestone = world.project_x.milestones.get(kind=template_kind("construction_permit"))
    milestone.approving_department = world.department_b
    milestone.save(update_fields=["approving_department"])

    page = client_for(world.staff_b).get(_detail(world.project_x))

    assert page.status_code == 200
    assert api_for(world.staff_b).get(f"/api/projects/{world.project_x.pk}/").status_code == 200
    # ... and seeing it gives them no right to change it.
    edit = client_for(world.staff_b).get(
        reverse("projects:project_edit", args=[world.project_x.pk])
    )
    assert edit.status_code == 403


def test_a_department_user_may_not_edit_the_project_their_department_leads(world):
    data = project_form_data(world.project_x, name="改名")

    page = client_for(world.staff_a).post(
        reverse("projects:project_edit", args=[world.project_x.pk]), data
    )
    api = api_for(world.staff_a).patch(f"/api/projects/{world.project_x.pk}/", {"name": "改名"})

    assert (page.status_code, api.status_code) == (403, 403)
    world.project_x.refresh_from_db()
    assert world.project_x.name == "水务产业园"


def test_owner_cannot_read_or_change_another_enterprises_project_by_id(world):
    project_y = world.project_y
    browser, api = client_for(world.owner_x), api_for(world.owner_x)

    assert browser.get(_detail(project_y)).status_code == 404
    assert api.get(f"/api/projects/{project_y.pk}/").status_code == 404
    assert api.get(f"/api/projects/{project_y.pk}/investment/").status_code == 404
    assert api.patch(f"/api/projects/{project_y.pk}/", {"name": "拿走"}).status_code == 404
    assert api.put(f"/api/projects/{project_y.pk}/", {"name": "拿走"}).status_code == 404
    project_y.refresh_from_db()
    assert project_y.name == "新材料产业基地"


def test_an_owner_sees_only_their_own_enterprise_among_enterprises(world):
    api = api_for(world.owner_x)

    enterprises = api.get("/api/organisations/", {"kind": "enterprise"}).json()["results"]

    assert [o["name"] for o in enterprises] == ["绿源水务科技有限公司"]


def test_an_owner_cannot_move_their_report_to_another_enterprises_project(world):
    response = api_for(world.owner_x).patch(
        f"/api/progress-reports/{world.report_x.pk}/", {"project": world.project_y.pk}
    )

    assert response.status_code == 400
    world.report_x.refresh_from_db()
    assert world.report_x.project == world.project_x


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses_them(world):
    from django.test import Client
    from rest_framework.test import APIClient

    page = Client().get(_detail(world.project_x))
    api = APIClient().get("/api/projects/")

    assert page.status_code == 302
    assert page.url.startswith(reverse("login"))
    assert api.status_code == 401


def test_a_deactivated_person_is_logged_out_and_sees_nothing(world):
    browser = client_for(world.owner_x)
    world.owner_x.is_active = False
    world.owner_x.save(update_fields=["is_active"])

    page = browser.get(_detail(world.project_x))

    assert page.status_code == 302
    assert page.url.startswith(reverse("login"))
    assert not visible_projects(world.owner_x).exists()


# Refused callers are refused before their input is looked at: they learn nothing from
# field errors (such as which project numbers exist) and always get a 403.
REFUSED_WHATEVER_THEY_SEND = [
    ("owner_x", POST, lambda w: "/api/projects/", {"code": "2026-002"}),
    ("leader", POST, lambda w: "/api/projects/", {}),
    ("staff_a", PATCH, lambda w: f"/api/projects/{w.project_x.pk}/", {"total_investment": "-1"}),
    ("owner_x", PATCH, lambda w: f"/api/projects/{w.project_x.pk}/", {"code": "2026-002"}),
    ("owner_x", PATCH, lambda w: f"/api/milestones/{w.milestone_x.pk}/", {"planned_date": "x"}),
    ("leader", PATCH, lambda w: f"/api/progress-reports/{w.report_x.pk}/", {"investment": "-1"}),
    ("staff_a", POST, lambda w: f"/api/milestones/{w.milestone_x.pk}/report/", {}),
    ("owner_x", POST, lambda w: f"/api/progress-reports/{w.report_x.pk}/review/", {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "method", "url", "body"),
    [pytest.param(*case, id=f"{case[0]} {case[1]} {n}")
     for n, case in enumerate(REFUSED_WHATEVER_THEY_SEND)],
)  # fmt: skip
def test_a_refused_caller_gets_403_whatever_they_send(world, role, method, url, body):
    response = getattr(api_for(getattr(world, role)), method)(url(world), body)

    assert response.status_code == 403
    assert "2026-002" not in response.content.decode()


def test_the_owners_reported_date_is_what_the_coordinator_confirms(world):
    client_for(world.owner_x).post(
        reverse("projects:milestone_report", args=[world.milestone_x.pk]),
        {"reported_date": "2026-06-05"},
    )
    client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[world.milestone_x.pk])
    )

    world.milestone_x.refresh_from_db()
    assert world.milestone_x.actual_date == date(2026, 6, 5)
    assert world.milestone_x.reported_date is None
