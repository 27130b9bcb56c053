"""The loop's pages and endpoints make a fixed number of queries, however much work
there is: each is measured with a little data and with ten times as much, against the
same bound (as in ``diaodu/projects/tests/test_query_counts.py``); an N+1 query makes the
larger size fail and prints the SQL."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from diaodu.core import derived
from diaodu.core.models import Attachment
from diaodu.factories import (
    ActionItemFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from diaodu.problems.choices import EntryKind
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# The bounds are what each needs today. Raise one only for a query that does not repeat per
# row, and say why. Every page pays 4: session, user, the user's organisation and the
# unread-notification count (the navigation bar).
DESK_QUERIES = 4 + 6  # count and page of problems and of action items, the cooperating
#                       departments of each
DESK_OF_ANOTHER_QUERIES = DESK_QUERIES + 2  # the departments menu, the chosen department
SUPERVISION_QUERIES = 4 + 10 + 6  # count, page, cooperating departments, counts per department
#                               (problems, action items, their departments),
#                              the filter bar's menus (departments, projects; problems on the
#                              action items tab) and the department and project filtered by;
#                              + 6 menus of the project filters a dashboard's links carry (lead
#                              department, the project's lead department, industry, list,
#                              leader, area): one query each, whatever the size
PROBLEM_DETAIL_QUERIES = 4 + 5  # the problem, its cooperating departments (for the rights,
#                                 then shown), its entries, their files, its action items
ACTION_DETAIL_QUERIES = 4 + 4  # the item, its cooperating departments, entries, files
PROJECT_DETAIL_QUERIES = 4 + 20  # the project page's own (its cooperating departments, site
#                                  card and agreement card included; once a process, the
#                                  content types of its history), and the problems and
#                                  action items with their cooperating departments
API_LIST_QUERIES = 3  # count, page, cooperating departments
#: No navigation bar: session and user; the item with its project and departments, and its
#: cooperating departments when the reader does not lead it (for the rights).
QUICK_ACTIONS_QUERIES = 2 + 2
ROUND_DETAIL_QUERIES = 4 + 4  # the round, the missing projects (for the buttons, then
#                               shown), the reports received


def add_work(world, count):
    """``count`` problems and ``count`` action items led by department A with department B
    cooperating, a third of them overdue, on project X (written in bulk: only their
    number matters here)."""
    dues = [world.today + timedelta(days=n - count // 3) for n in range(count)]
    problems = Problem.objects.bulk_create(
        ProblemFactory.build(
            project=world.project_x,
            lead_department=world.department_a,
            raised_by=world.owner_x,
            due_date=due,
        )
        for due in dues
    )
    items = ActionItem.objects.bulk_create(
        ActionItemFactory.build(
            project=world.project_x,
            lead_department=world.department_a,
            assigned_by=world.coordinator,
            due_date=due,
        )
        for due in dues
    )
    b = world.department_b.pk
    Problem.cooperating_departments.through.objects.bulk_create(
        Problem.cooperating_departments.through(problem_id=p.pk, organisation_id=b)
        for p in problems
    )
    ActionItem.cooperating_departments.through.objects.bulk_create(
        ActionItem.cooperating_departments.through(actionitem_id=i.pk, organisation_id=b)
        for i in items
    )
    # Rows inserted in bulk have no light yet: the refresh of what is due computes them.
    derived.refresh_due(world.today)


def add_entries(model, link, parent, author, count):
    """``count`` timeline entries on ``parent``, each with a file."""
    entries = model.objects.bulk_create(
        model(
            **{link: parent},
            kind=EntryKind.FEEDBACK,
            author=author,
            organisation=author.organisation,
            text=f"第{n}次反馈",
        )
        for n in range(count)
    )
    kind = ContentType.objects.get_for_model(model)
    Attachment.objects.bulk_create(
        Attachment(
            content_type=kind,
            object_id=entry.pk,
            file=f"attachments/2026/06/{entry.pk:032x}",
            name=f"附件{entry.pk}.pdf",
            size=1000,
            mime_type="application/pdf",
            uploaded_by=author,
        )
        for entry in entries
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["staff_a", "owner_x"])
def test_the_desk_makes_a_fixed_number_of_queries(world, size, role, django_assert_max_num_queries):
    add_work(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(DESK_QUERIES):
        response = browser.get(reverse("problems:desk"))

    assert response.context["problem_page"].paginator.count >= size


@pytest.mark.parametrize("size", SIZES)
def test_another_departments_desk_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_work(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(DESK_OF_ANOTHER_QUERIES):
        response = browser.get(reverse("problems:desk"), {"organisation": world.department_a.pk})

    assert response.context["action_page"].paginator.count == size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "query",
    [
        {"open": "true"},
        {"tab": "actions", "overdue": "true", "page": "1"},
        {"light": "red", "department": "a", "project": "x"},
    ],
    ids=["problems", "overdue action items", "red problems of A on X"],
)
def test_the_supervision_page_makes_a_fixed_number_of_queries(
    world, size, query, django_assert_max_num_queries
):
    add_work(world, size)
    if query.get("department") == "a":
        query = {**query, "department": world.department_a.pk, "project": world.project_x.pk}
    browser = client_for(world.leader)

    with django_assert_max_num_queries(SUPERVISION_QUERIES):
        response = browser.get(reverse("problems:supervision"), query)

    assert len(response.context["page"]) > 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_problem_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    problem = world.problem_x
    problem.cooperating_departments.set([world.department_b])
    add_entries(ProblemEntry, "problem", problem, world.staff_a, size)
    for _ in range(size):
        ActionItemFactory(
            project=world.project_x, problem=problem, lead_department=world.department_a
        )
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(PROBLEM_DETAIL_QUERIES):
        response = browser.get(reverse("problems:problem_detail", args=[problem.pk]))

    assert len(response.context["entries"]) == size + 1
    assert len(response.context["action_items"]) == size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_action_item_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    item = world.item_a
    item.cooperating_departments.set([world.department_b])
    add_entries(ActionItemEntry, "action_item", item, world.staff_a, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(ACTION_DETAIL_QUERIES):
        response = browser.get(reverse("problems:action_detail", args=[item.pk]))

    assert len(response.context["entries"]) == size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["staff_a", "owner_x"])
def test_the_project_page_with_its_problems_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_work(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(PROJECT_DETAIL_QUERIES):
        response = browser.get(reverse("projects:project_detail", args=[world.project_x.pk]))

    assert len(response.context["problems"]) == size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", ["/api/problems/", "/api/action-items/"])
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_api_lists_make_a_fixed_number_of_queries(
    world, size, url, role, django_assert_max_num_queries
):
    add_work(world, size)
    api = api_for(getattr(world, role))

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = api.get(url, {"open": "true"})

    assert response.json()["count"] >= size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_round_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    projects = [
        ProjectFactory(owner=world.enterprise_x if n % 2 else world.enterprise_y)
        for n in range(size)
    ]
    reporting_round = ReportingRoundFactory(projects=projects, opened_by=world.coordinator)
    for project in projects[::3]:
        ProgressReportFactory(project=project, period_start=date(2026, 6, 1))
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(ROUND_DETAIL_QUERIES):
        response = browser.get(reverse("projects:round_detail", args=[reporting_round.pk]))

    assert len(response.context["missing"]) > 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["problem_quick_actions", "action_quick_actions"])
def test_a_row_s_forms_make_a_fixed_number_of_queries(
    world, size, name, django_assert_max_num_queries
):
    add_work(world, size)
    item = world.problem_x if name == "problem_quick_actions" else world.item_a
    item.cooperating_departments.set([world.department_b])
    browser = client_for(world.staff_a)

    with django_assert_max_num_queries(QUICK_ACTIONS_QUERIES):
        response = browser.get(reverse(f"problems:{name}", args=[item.pk]))

    assert response.status_code == 200
