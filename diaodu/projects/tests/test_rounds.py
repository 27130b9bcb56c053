"""Reporting rounds (填报): the office asks projects for their progress report for a
period; owners are told, the round shows live who has not reported yet, and each owner
sees only their own projects in it.

The world has May's reports of projects X and Y (see ``diaodu.test``), so a round for May
is complete and a round for June is missing both until the owners report.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.factories import ProgressReportFactory, ProjectFactory, ReportingRoundFactory
from diaodu.notifications.models import Notification
from diaodu.projects import services
from diaodu.projects.models import ReportingRound
from diaodu.test import api_for, client_for, form_errors

HTMX = {"HTTP_HX_REQUEST": "true"}


def newest_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def told_since(mark) -> dict[str, str]:
    return dict(
        Notification.objects.filter(pk__gt=mark).values_list("recipient__username", "event")
    )


def detail(reporting_round):
    return reverse("projects:round_detail", args=[reporting_round.pk])


@pytest.fixture
def june(world):
    """June's reports from projects X and Y, due 25 June."""
    return ReportingRoundFactory(
        projects=[world.project_x, world.project_y], opened_by=world.coordinator
    )


def report_june(project, owner, period_kind="month", period_start=date(2026, 6, 1)):
    return services.submit_report(
        project,
        {
            "period_kind": period_kind,
            "period_start": period_start,
            "narrative": "主体结构施工",
            "investment": Decimal("500"),
        },
        actor=owner,
    )


# --- Opening a round ---------------------------------------------------------------------------


def test_opening_a_round_on_the_page_tells_the_owners_of_its_projects(world):
    mark = newest_notification()

    response = client_for(world.coordinator).post(
        reverse("projects:round_create"),
        {
            "title": "2026年6月进展填报",
            "period_kind": "month",
            "period_start": "2026-06-17",
            "due_date": "2026-06-25",
            "projects": [world.project_x.pk],
        },
    )

    reporting_round = ReportingRound.objects.get(title="2026年6月进展填报")
    assert response.url == detail(reporting_round)
    assert reporting_round.period_start == date(2026, 6, 1)  # moved to the month's first day
    assert told_since(mark) == {"owner_x": "round_opened"}


def test_opening_a_round_through_the_api_tells_the_owners_too(world):
    mark = newest_notification()

    response = api_for(world.coordinator).post(
        "/api/reporting-rounds/",
        {
            "title": "2026年第24周进展填报",
            "period_kind": "week",
            "period_start": "2026-06-08",
            "due_date": "2026-06-15",
            "projects": [world.project_x.pk, world.project_y.pk],
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["missing"] == [world.project_x.pk, world.project_y.pk]
    assert told_since(mark) == {"owner_x": "round_opened", "owner_y": "round_opened"}


@pytest.mark.parametrize("role", ["leader", "staff_a", "owner_x"])
def test_only_the_office_opens_and_closes_rounds(world, june, role):
    client, api = client_for(getattr(world, role)), api_for(getattr(world, role))

    assert client.get(reverse("projects:round_create")).status_code == 403
    assert api.post("/api/reporting-rounds/", {}).status_code == 403
    assert client.post(reverse("projects:round_close", args=[june.pk])).status_code == 403
    assert api.post(f"/api/reporting-rounds/{june.pk}/close/").status_code == 403
    june.refresh_from_db()
    assert june.is_open


def test_a_round_cannot_be_due_before_its_period_begins(world):
    response = client_for(world.coordinator, language="en").post(
        reverse("projects:round_create"),
        {
            "title": "错误的填报",
            "period_kind": "month",
            "period_start": "2026-06-01",
            "due_date": "2026-05-31",
            "projects": [world.project_x.pk],
        },
    )

    assert form_errors(response) == {
        "due_date": ["The due date cannot be before the period begins."]
    }


# --- Who has not reported ----------------------------------------------------------------------


def test_the_missing_list_leaves_out_projects_that_reported_for_the_rounds_period(world, june):
    assert set(june.missing()) == {world.project_x, world.project_y}

    report_june(world.project_x, world.owner_x)
    # A weekly report in June is not June's monthly report.
    report_june(world.project_y, world.owner_y, period_kind="week", period_start=date(2026, 6, 1))

    assert list(june.missing()) == [world.project_y]
    assert [r.project for r in june.reports()] == [world.project_x]


def test_a_round_for_a_month_everyone_reported_is_complete(world):
    may = ReportingRoundFactory(
        title="2026年5月进展填报",
        period_start=date(2026, 5, 1),
        projects=[world.project_x, world.project_y],
    )

    response = client_for(world.coordinator, language="en").get(detail(may))

    assert list(response.context["missing"]) == []
    assert "Everyone has reported." in response.content.decode()


def test_a_report_of_a_project_outside_the_round_does_not_count(world, june):
    outsider = ProjectFactory(owner=world.enterprise_x, lead_department=world.department_a)
    ProgressReportFactory(project=outsider, period_start=date(2026, 6, 1))

    assert [r.project for r in june.reports()] == []


# --- Each owner sees their own ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "missing", "reports"),
    [
        ("coordinator", {"水务产业园", "新材料产业基地"}, set()),
        ("owner_x", {"水务产业园"}, set()),
        ("owner_y", {"新材料产业基地"}, set()),
        ("staff_a", {"水务产业园"}, set()),
    ],
)
def test_each_reader_sees_only_their_own_projects_in_a_round(world, june, role, missing, reports):
    response = client_for(getattr(world, role)).get(detail(june))

    assert {p.name for p in response.context["missing"]} == missing
    html = response.content.decode()
    for name in {"水务产业园", "新材料产业基地"} - missing:
        assert name not in html


def test_reports_received_are_shown_only_to_those_who_see_the_project(world, june):
    report_june(world.project_y, world.owner_y)

    as_x = client_for(world.owner_x).get(detail(june))
    as_office = client_for(world.coordinator).get(detail(june))

    assert list(as_x.context["reports"]) == []
    assert "新材料产业基地" not in as_x.content.decode()
    assert [r.project for r in as_office.context["reports"]] == [world.project_y]


def test_an_owner_gets_a_report_button_for_their_missing_project_only(world, june):
    response = client_for(world.owner_x, language="en").get(detail(june))

    assert response.context["owner_projects"] == {world.project_x.pk}
    html = response.content.decode()
    create = reverse("projects:report_create", args=[world.project_x.pk])
    assert f"{create}?period_kind=month&amp;period_start=2026-06-01" in html
    assert "Submit report" in html


def test_a_closed_round_offers_no_report_button(world, june):
    services.close_round(june, actor=world.coordinator)

    response = client_for(world.owner_x, language="en").get(detail(june))

    assert "Submit report" not in response.content.decode()


def test_a_round_without_an_owners_projects_is_not_found_for_them(world):
    only_y = ReportingRoundFactory(projects=[world.project_y])

    assert client_for(world.owner_x).get(detail(only_y)).status_code == 404
    assert api_for(world.owner_x).get(f"/api/reporting-rounds/{only_y.pk}/").status_code == 404
    assert client_for(world.owner_y).get(detail(only_y)).status_code == 200


def test_the_round_list_counts_only_the_projects_its_reader_sees(world, june):
    mine = client_for(world.owner_x).get(reverse("projects:round_list"))
    everyone = client_for(world.coordinator).get(reverse("projects:round_list"))

    assert [r.project_count for r in mine.context["rounds"]] == [1]
    assert [r.project_count for r in everyone.context["rounds"]] == [2]


def test_the_api_shows_an_owner_only_their_own_projects_in_a_round(world, june):
    body = api_for(world.owner_x).get(f"/api/reporting-rounds/{june.pk}/").json()
    listed = api_for(world.owner_x).get("/api/reporting-rounds/").json()["results"]

    assert body["projects"] == body["missing"] == [world.project_x.pk]
    assert [r["projects"] for r in listed] == [[world.project_x.pk]]
    everything = api_for(world.coordinator).get(f"/api/reporting-rounds/{june.pk}/").json()
    assert sorted(everything["projects"]) == sorted([world.project_x.pk, world.project_y.pk])


# --- The live "not yet reported" list ------------------------------------------------------------


def test_the_poll_returns_the_missing_list_alone(world, june):
    report_june(world.project_x, world.owner_x)

    response = client_for(world.coordinator, language="en").get(detail(june), **HTMX)

    assert response.templates[0].name == "projects/_round_missing.html"
    assert "base.html" not in [t.name for t in response.templates]
    html = response.content.decode()
    assert "<html" not in html
    assert "新材料产业基地" in html
    assert "水务产业园" not in html


def test_the_page_polls_itself_for_the_missing_list(world, june):
    html = client_for(world.coordinator).get(detail(june)).content.decode()

    assert f'hx-get="{detail(june)}"' in html
    assert 'hx-trigger="every 30s"' in html


def test_the_poll_follows_reports_as_they_come_in(world, june):
    client = client_for(world.coordinator)

    before = client.get(detail(june), **HTMX)
    report_june(world.project_y, world.owner_y)
    after = client.get(detail(june), **HTMX)

    assert {p.name for p in before.context["missing"]} == {"水务产业园", "新材料产业基地"}
    assert {p.name for p in after.context["missing"]} == {"水务产业园"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_round_page_speaks_the_readers_language(world, june, language):
    response = client_for(world.coordinator, language=language).get(detail(june))

    with translation.override(language):
        assert translation.gettext("Not yet reported") in response.content.decode()
