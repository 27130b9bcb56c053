"""Landing speed on the small zone of ``conftest.build_landing``: every figure below was
worked out by hand from the dates written there."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.landing import speed
from diaodu.projects.access import visible_projects
from diaodu.projects.models import Milestone, Project
from diaodu.test import api_for, client_for

SPEED = reverse("landing:speed")


def days_of(landing):
    """(days, pending, slowest) per stage, in stage order."""
    return [(s.days, s.pending, s.slowest) for s in landing.stages]


def by_code(rows):
    return {row.project.code: row for row in rows}


def test_each_signed_project_gets_its_days_from_signing_to_each_stage(landing):
    rows = by_code(speed.landings(Project.objects.all(), landing.today))

    assert set(rows) == {"2026-001", "2026-002", "2026-003", "2026-004"}  # U was never signed
    assert days_of(rows["2026-001"]) == [
        (90, False, False),
        (180, False, False),
        (220, False, True),
        (516, True, False),
        (None, False, False),
    ]
    assert days_of(rows["2026-002"]) == [
        (122, False, True),
        (193, False, False),
        (214, False, False),
        (549, False, False),
        (640, False, False),
    ]
    assert days_of(rows["2026-003"]) == [
        (221, True, True),
        (None, False, False),
        (None, False, False),
        (None, False, False),
        (None, False, False),
    ]
    assert days_of(rows["2026-004"])[:2] == [(90, False, False), (739, True, True)]


def test_approvals_end_with_the_last_approval_when_a_project_has_no_construction_permit(landing):
    y = by_code(speed.landings(Project.objects.all(), landing.today))["2026-002"]

    assert y.stage("approvals").reached_on == date(2024, 9, 10)


def test_a_project_is_held_to_its_industrys_target_or_else_the_zones(landing):
    rows = by_code(speed.landings(Project.objects.all(), landing.today))

    assert [s.target for s in rows["2026-002"].stages] == [90, 180, 210, 570, 660]
    assert [s.target for s in rows["2026-001"].stages] == [120, 180, 210, 570, 660]


def test_a_pending_stage_counts_as_slowest_only_once_past_its_target(landing):
    x = by_code(speed.landings(Project.objects.all(), landing.today))["2026-001"]

    completion = x.stage("completion")
    assert (completion.days, completion.target, completion.over_target) == (516, 570, False)
    assert x.slowest.stage == "groundbreaking"


def test_the_industry_summary_gives_counts_means_medians_and_shares_within_target(landing):
    total, groups = speed.summary(Project.objects.all(), speed.BY_INDUSTRY, speed.Targets())

    def figures(group):
        return [(s.count, s.mean, s.median, s.within_rate) for s in group.summaries]

    D = Decimal
    assert figures(total) == [
        (3, D("100.7"), D("90.0"), D("66.7")),
        (2, D("186.5"), D("186.5"), D("50.0")),
        (2, D("217.0"), D("217.0"), D("0.0")),
        (1, D("549.0"), D("549.0"), D("100.0")),
        (1, D("640.0"), D("640.0"), D("100.0")),
    ]
    assert [(g.label, g.projects) for g in groups] == [("新材料", 3), ("高端装备", 1)]
    assert figures(groups[0]) == [
        (2, D("90.0"), D("90.0"), D("100.0")),
        (1, D("180.0"), D("180.0"), D("100.0")),
        (1, D("220.0"), D("220.0"), D("0.0")),
        (0, None, None, None),
        (0, None, None, None),
    ]
    assert figures(groups[1])[0] == (1, D("122.0"), D("122.0"), D("0.0"))


def test_the_year_summary_groups_projects_by_the_year_they_were_signed(landing):
    _total, groups = speed.summary(Project.objects.all(), speed.BY_YEAR, speed.Targets())

    assert [(g.label, g.projects) for g in groups] == [("2024", 2), ("2025", 2)]
    land_2024 = groups[0].summaries[0]
    assert (land_2024.count, land_2024.mean, land_2024.median, land_2024.within_rate) == (
        2,
        Decimal("106.0"),
        Decimal("106.0"),
        Decimal("50.0"),
    )
    land_2025 = groups[1].summaries[0]
    assert (land_2025.count, land_2025.median) == (1, Decimal("90.0"))


def test_a_target_changed_by_the_office_changes_the_figures(landing):
    client_for(landing.coordinator).post(
        reverse("landing:targets"), {"stage": "land", "industry": landing.materials.pk, "days": 80}
    )

    total, _groups = speed.summary(Project.objects.all(), speed.BY_INDUSTRY, speed.Targets())

    # X and V took 90 days against 80 now: no project got its land within target.
    assert total.summaries[0].within_rate == Decimal("0.0")


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("leader", {"2026-001", "2026-002", "2026-003", "2026-004"}),
        ("owner_x", {"2026-001"}),
        ("owner_y", {"2026-002"}),
        ("staff_a", {"2026-001"}),
        ("staff_b", {"2026-002", "2026-003", "2026-004"}),
    ],
)
def test_each_reader_sees_the_landing_of_their_own_projects_only(landing, role, codes):
    user = getattr(landing, role)

    page = client_for(user).get(SPEED).context["page"]
    api = api_for(user).get("/api/landing/speed/").json()

    assert {row.project.code for row in page} == codes
    assert {row["code"] for row in api} == codes
    assert {r.project.code for r in speed.landings(visible_projects(user), landing.today)} == codes


def test_the_page_compares_by_signing_year_on_request_and_marks_the_slowest_stage(landing):
    response = client_for(landing.leader, language="en").get(SPEED + "?by=year")

    assert [g.label for g in response.context["groups"]] == ["2024", "2025"]
    html = response.content.decode()
    assert 'id="chart-landing"' in html
    assert html.count('title="slowest stage"') == 4


def test_the_api_summary_by_industry_matches_the_page(landing):
    data = api_for(landing.leader).get("/api/landing/speed/summary/?by=industry").json()

    assert data["by"] == "industry"
    assert data["total"]["stages"][0] == {
        "stage": "land",
        "count": 3,
        "mean": "100.7",
        "median": "90.0",
        "within_rate": "66.7",
    }
    assert [g["label"] for g in data["groups"]] == ["新材料", "高端装备"]


def test_the_api_refuses_an_unknown_grouping(landing):
    response = api_for(landing.leader, language="en").get("/api/landing/speed/summary/?by=month")

    assert response.status_code == 400
    assert "by" in response.json()


def test_the_project_panel_shows_its_days_and_slowest_stage(landing):
    url = reverse("landing:project_panel", args=[landing.project_y.pk])

    response = client_for(landing.owner_y, language="en").get(url)

    html = response.content.decode()
    assert response.context["landing"].slowest.stage == "land"
    assert '<span class="text-danger fw-semibold">122</span>' in html
    assert "slowest" in html


def test_a_stage_not_achieved_yet_is_named_by_its_milestone_with_its_plan(landing):
    """X broke ground and is building: completion is planned and counts its days so far;
    nothing says it is completed or in production."""
    x = landing.project_x
    Milestone.objects.filter(project=x, kind__code="completion").update(
        planned_date=date(2026, 9, 30)
    )
    Milestone.objects.filter(project=x, kind__code="production").update(planned_date=None)
    url = reverse("landing:project_panel", args=[x.pk])

    html = client_for(landing.owner_x, language="en").get(url).content.decode()
    completion = html.split("completion", 1)[1].split("</li>", 1)[0]
    production = html.split("start of production", 1)[1].split("</li>", 1)[0]

    assert "planned 30 Sep 2026" in completion
    assert "516 days so far" in completion
    assert "not planned" in production
    assert "—" in production
    assert "completed" not in html
    assert "in production" not in html


def test_the_project_page_loads_the_landing_panel(landing):
    html = client_for(landing.owner_x).get(landing.project_x.get_absolute_url()).content.decode()

    assert f'hx-get="{reverse("landing:project_panel", args=[landing.project_x.pk])}"' in html
