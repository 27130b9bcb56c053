"""Annual returns through reporting rounds: the office asks the enterprises in production
for last year's output, tax and energy; the round lists who has not reported, and each
owner files from it. (Progress-report rounds are tested in ``projects/tests/test_rounds``.)

Here project X is in production and project Y is not; project Y is still put in the
round, to show that only a return for the round's year counts.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import ReportingRoundFactory
from diaodu.projects import services
from diaodu.projects.choices import RoundKind, Stage
from diaodu.projects.models import Project, ReportingRound
from diaodu.test import api_for, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def returns_2025(world):
    Project.objects.filter(pk=world.project_x.pk).update(stage=Stage.PRODUCTION)
    return ReportingRoundFactory(
        title="2025年度亩均效益数据填报",
        kind=RoundKind.ANNUAL_RETURN,
        period_start=date(2025, 1, 1),
        due_date=date(2026, 6, 30),
        projects=[world.project_x, world.project_y],
        opened_by=world.coordinator,
    )


def file_return(project, owner, year=2025):
    return services.record_annual_return(
        project,
        {"year": year, "output": Decimal(50000), "tax": Decimal(3000), "energy": Decimal(900)},
        actor=owner,
    )


def test_opening_an_annual_return_round_holds_its_year_and_tells_the_owners(world):
    Project.objects.filter(pk=world.project_x.pk).update(stage=Stage.PRODUCTION)

    response = client_for(world.coordinator, language="en").post(
        reverse("projects:round_create"),
        {
            "title": "2025年度亩均效益数据填报",
            "kind": "annual_return",
            "period_kind": "week",
            "period_start": "2025-08-13",
            "due_date": "2026-06-30",
            "projects": [world.project_x.pk],
        },
    )

    reporting_round = ReportingRound.objects.get(title="2025年度亩均效益数据填报")
    assert response.url == reporting_round.get_absolute_url()
    assert (reporting_round.kind, reporting_round.year) == ("annual_return", 2025)
    assert (reporting_round.period_kind, reporting_round.period_start) == (
        "month",
        date(2025, 1, 1),
    )
    told = world.owner_x.notifications.order_by("-pk").first()
    assert told.title == "Annual return requested: 2025年度亩均效益数据填报, due 2026-06-30"


def test_the_form_for_annual_returns_offers_last_year_and_the_projects_in_production(world):
    Project.objects.filter(pk=world.project_y.pk).update(stage=Stage.PRODUCTION)

    form = (
        client_for(world.coordinator)
        .get(reverse("projects:round_create") + "?kind=annual_return")
        .context["form"]
    )

    assert form.initial["kind"] == "annual_return"
    assert form.initial["period_start"] == date(2025, 1, 1)
    assert list(form.initial["projects"]) == [world.project_y.pk]


def test_the_round_lists_those_without_a_return_for_its_year(world, returns_2025):
    file_return(world.project_y, world.owner_y, year=2024)  # another year: does not count
    assert set(returns_2025.missing()) == {world.project_x, world.project_y}

    file_return(world.project_x, world.owner_x)

    assert list(returns_2025.missing()) == [world.project_y]
    assert [r.project for r in returns_2025.reports()] == [world.project_x]


def test_an_owner_files_the_return_from_the_round_for_its_year(world, returns_2025):
    page = client_for(world.owner_x, language="en").get(returns_2025.get_absolute_url())
    link = reverse("projects:return_create", args=[world.project_x.pk]) + "?year=2025"
    assert link in page.content.decode()

    form = client_for(world.owner_x).get(link).context["form"]
    assert form.initial["year"] == "2025"
    client_for(world.owner_x).post(
        link, {"year": 2025, "output": "50000", "tax": "3000", "energy": "900"}
    )

    poll = client_for(world.coordinator, language="en").get(returns_2025.get_absolute_url(), **HTMX)
    assert [p.name for p in poll.context["missing"]] == ["新材料产业基地"]
    received = client_for(world.coordinator, language="en").get(returns_2025.get_absolute_url())
    assert "output 50,000.00, tax 3,000.00 (10k yuan)" in received.content.decode()


def test_the_round_list_shows_the_year_of_an_annual_return_round(world, returns_2025):
    html = client_for(world.coordinator, language="en").get(reverse("projects:round_list"))

    assert "year 2025" in html.content.decode()


def test_the_api_gives_the_rounds_kind_and_who_is_missing(world, returns_2025):
    file_return(world.project_x, world.owner_x)

    body = api_for(world.coordinator).get(f"/api/reporting-rounds/{returns_2025.pk}/").json()
    only_returns = api_for(world.coordinator).get("/api/reporting-rounds/?kind=annual_return")

    assert (body["kind"], body["missing"]) == ("annual_return", [world.project_y.pk])
    assert [r["id"] for r in only_returns.json()["results"]] == [returns_2025.pk]
