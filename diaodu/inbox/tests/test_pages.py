"""The inbox page and its API: the same items and counts, acted on in place, in every
language, with a fixed number of queries; and each role's landing page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.factories import (
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from diaodu.inbox.sources import sections_for, sources_for
from diaodu.problems import services as problems
from diaodu.problems.choices import ProblemStatus
from diaodu.projects.choices import ReportStatus
from diaodu.test import api_for, client_for

INBOX = reverse("inbox:inbox")


def test_the_office_approves_a_report_from_its_inbox_and_comes_back_to_it(world):
    client = client_for(world.coordinator)
    page = client.get(INBOX)
    assert f'id="reports_submitted-{world.report_x.pk}"' in page.content.decode()

    response = client.post(
        reverse("projects:report_review", args=[world.report_x.pk]),
        {"approve": "1", "note": "", "next": INBOX},
    )

    assert response.status_code == 302
    assert response.url == INBOX
    world.report_x.refresh_from_db()
    assert world.report_x.status == ReportStatus.APPROVED
    assert f'id="reports_submitted-{world.report_x.pk}"' not in client.get(INBOX).content.decode()


def test_the_office_confirms_a_milestone_from_its_inbox(world):
    response = client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[world.milestone_x.pk]), {"next": INBOX}
    )

    assert response.url == INBOX
    world.milestone_x.refresh_from_db()
    assert world.milestone_x.actual_date == date(2026, 6, 1)


def test_the_office_closes_a_resolved_problem_from_its_inbox(world):
    problem = ProblemFactory(
        project=world.project_x, lead_department=world.department_a, raised_by=world.owner_x
    )
    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已调整。")
    problem.refresh_from_db()
    client = client_for(world.coordinator)
    assert f'id="problems_resolved-{problem.pk}"' in client.get(INBOX).content.decode()

    response = client.post(
        reverse("problems:problem_transition", args=[problem.pk]),
        {"to_status": "closed", "version": problem.version, "next": INBOX},
    )

    assert response.url == INBOX
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED


def test_a_next_address_elsewhere_is_ignored(world):
    response = client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[world.milestone_x.pk]),
        {"next": "https://evil.example/"},
    )

    assert response.url == world.project_x.get_absolute_url()


@pytest.mark.parametrize(
    ("language", "heading", "section"),
    [
        ("zh-hans", "待办", "待审核的进展报告"),
        ("zh-hant", "待辦", "待審核的進展報告"),
        ("en", "Inbox", "Progress reports awaiting review"),
    ],
)
def test_the_inbox_speaks_the_readers_language(world, language, heading, section):
    text = client_for(world.coordinator, language).get(INBOX).content.decode()

    assert f'<h1 class="h3 mb-0">{heading}</h1>' in text
    assert section in text


def test_the_menu_shows_how_many_items_wait(world):
    response = client_for(world.coordinator).get(reverse("projects:project_list"))

    assert response.context["inbox_count"] == 4  # two reports, two milestone dates
    assert 'id="nav-inbox"' in response.content.decode()


def test_the_api_gives_the_same_sections_items_and_counts_as_the_page(world):
    page = client_for(world.coordinator).get(INBOX).context
    data = api_for(world.coordinator, "en").get(reverse("api:inbox")).json()

    assert data["total"] == page["total"] == 4
    assert [s["key"] for s in data["sections"]] == [s.source.key for s in page["sections"]]
    reports = next(s for s in data["sections"] if s["key"] == "reports_submitted")
    assert reports["label"] == "Progress reports awaiting review"
    assert [item["id"] for item in reports["items"]] == [world.report_x.pk, world.report_y.pk]
    assert reports["items"][0]["project"] == {
        "id": world.project_x.pk,
        "name": world.project_x.name,
    }


def test_the_api_shows_an_owner_only_its_own_work(world):
    data = api_for(world.owner_y).get(reverse("api:inbox")).json()

    ids = [item["project"]["id"] for s in data["sections"] for item in s["items"]]
    assert world.project_x.pk not in ids


def test_the_api_refuses_strangers(db, client):
    assert client.get(reverse("api:inbox")).status_code in (401, 403)


# The page: 4 (every page: session, user, organisation, the header's counts in one query)
# + one query per source of the reader's (5 for the office, 3 for the other roles).
def inbox_queries(user) -> int:
    return 4 + len(sources_for(user))


def add_work(world, size):
    """``size`` of every kind of waiting work, for every role."""
    from diaodu.problems.choices import Level

    reporting_round = ReportingRoundFactory(opened_by=world.coordinator)
    for _ in range(size):
        project = ProjectFactory(
            owner=world.enterprise_x,
            lead_department=world.department_a,
            responsible_leader=world.leader,
        )
        reporting_round.projects.add(project)
        ProgressReportFactory(project=project, submitted_by=world.owner_x)
        for level in (Level.CITY, Level.ZONE):  # the second is resolved
            problem = ProblemFactory(
                project=project,
                lead_department=world.department_a,
                raised_by=world.owner_x,
                level=level,
                raised_on=date(2026, 4, 1),
                due_date=date(2026, 5, 1),
            )
        problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="好。")
        problems.assign_action_item(
            {
                "title": "协调",
                "project": project,
                "lead_department": world.department_a,
                "due_date": date(2026, 6, 30),
            },
            actor=world.coordinator,
        )


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("role", ["coordinator", "leader", "staff_a", "owner_x"])
def test_the_inbox_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_work(world, size)
    user = getattr(world, role)
    client = client_for(user)

    with django_assert_max_num_queries(inbox_queries(user)):
        response = client.get(INBOX)

    assert response.context["total"] >= size


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("zh-hans", "待审核的进展报告"),
        ("zh-hant", "待審核的進展報告"),
        ("en", "Progress reports awaiting review"),
    ],
)
def test_the_api_speaks_the_callers_language(world, language, label):
    data = api_for(world.coordinator, language).get(reverse("api:inbox")).json()

    assert label in [section["label"] for section in data["sections"]]


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("admin", "inbox:inbox"),
        ("coordinator", "inbox:inbox"),
        ("leader", "dashboard:dashboard"),
        ("staff_a", "problems:desk"),
        ("owner_x", "projects:project_list"),
    ],
)
def test_each_role_lands_on_its_daily_work(world, role, landing):
    response = client_for(getattr(world, role)).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_the_offices_desk_and_supervision_point_to_resolved_problems_awaiting_closing(world):
    problem = ProblemFactory(
        project=world.project_x, lead_department=world.department_a, raised_by=world.owner_x
    )
    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已调整。")
    link = f'href="{INBOX}#problems_resolved"'

    for url in (
        reverse("problems:desk") + f"?organisation={world.department_a.pk}",
        reverse("problems:supervision") + "?open=true",
    ):
        assert link in client_for(world.coordinator).get(url).content.decode()
        assert link not in client_for(world.leader).get(url).content.decode()


def test_the_round_page_offers_the_office_a_review_of_each_submitted_report(world):
    reporting_round = ReportingRoundFactory(
        opened_by=world.coordinator,
        period_start=date(2026, 5, 1),
        projects=[world.project_x],
    )
    review = reverse("projects:report_review", args=[world.report_x.pk])
    url = reverse("projects:round_detail", args=[reporting_round.pk])

    assert review in client_for(world.coordinator).get(url).content.decode()
    assert review not in client_for(world.owner_x).get(url).content.decode()


def test_an_owners_projects_page_shows_the_rounds_waiting_for_it_with_a_link_to_report(world):
    reporting_round = ReportingRoundFactory(
        opened_by=world.coordinator, projects=[world.project_x, world.project_y]
    )
    report = reverse("projects:report_create", args=[world.project_x.pk])
    projects_page = reverse("projects:project_list")

    owner_x = client_for(world.owner_x).get(projects_page).content.decode()
    owner_y = client_for(world.owner_y).get(projects_page).content.decode()
    office = client_for(world.coordinator).get(projects_page).content.decode()

    assert 'id="open-rounds"' in owner_x
    assert f"{report}?period_kind=month&amp;period_start=2026-06-01" in owner_x
    assert reporting_round.get_absolute_url() in owner_x
    assert report not in owner_y
    assert 'id="open-rounds"' not in office


def test_kinds_with_work_come_first_and_quiet_kinds_are_named_together(world):
    with translation.override("en"):
        sections = sections_for(world.coordinator)
        busy = next(section for section in sections if section.items).source
        quiet = next(section for section in sections if not section.items).source
        quiet_label = str(quiet.label)
    page = client_for(world.coordinator, language="en").get(INBOX).content.decode()

    assert page.index(f'<section id="{busy.key}"') < page.index('id="idle-heading"')
    # A kind with nothing waiting is one line under "Nothing waiting.", not an empty table.
    assert f'<section id="{quiet.key}"' not in page
    assert f'<li id="{quiet.key}">{quiet_label}' in page
    assert page.count("Nothing waiting.") == 1
