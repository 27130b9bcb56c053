"""Land efficiency (亩均效益): the rule at its boundaries, the flag on the project page and
the annual return an owner files for it.

Thresholds in these tests, in 万元 per 亩: zone-wide investment 300, output 500, tax 30;
for the industry 新材料 investment 200, output 400, tax 20.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import IndustryFactory
from diaodu.projects import land
from diaodu.projects.choices import Stage
from diaodu.projects.models import AnnualReturn, LandThreshold, Project
from diaodu.test import client_for, form_errors

D = Decimal


def zone_wide():
    return LandThreshold(
        industry=None, investment_per_mu=D(300), output_per_mu=D(500), tax_per_mu=D(30)
    )


def for_industry(industry_id=7):
    return LandThreshold(
        industry_id=industry_id, investment_per_mu=D(200), output_per_mu=D(400), tax_per_mu=D(20)
    )


def project(investment="30000", land_area="100", stage=Stage.CONSTRUCTION, industry_id=None):
    return Project(
        total_investment=D(investment),
        land_area=None if land_area is None else D(land_area),
        stage=stage,
        industry_id=industry_id,
    )


def annual(output, tax, year=2025):
    return AnnualReturn(year=year, output=D(output), tax=D(tax))


# --- The rule --------------------------------------------------------------------------


def test_exactly_the_threshold_is_not_below_it():
    result = land.assess(project("30000"), {None: zone_wide()})

    assert result.investment_per_mu == D("300.00")
    assert not result.below_threshold


def test_a_cent_under_the_threshold_is_below_it():
    result = land.assess(project("29999"), {None: zone_wide()})

    assert result.investment_per_mu == D("299.99")
    assert result.below_threshold
    assert len(result.shortfalls) == 1


def test_the_industry_s_threshold_beats_the_zone_wide_one_when_lower():
    thresholds = {None: zone_wide(), 7: for_industry(7)}

    result = land.assess(project("25000", industry_id=7), thresholds)

    assert result.threshold is thresholds[7]
    assert not result.below_threshold  # 250 is below the zone's 300, above the industry's 200


def test_the_industry_s_threshold_beats_the_zone_wide_one_when_higher():
    strict = LandThreshold(
        industry_id=7, investment_per_mu=D(400), output_per_mu=D(0), tax_per_mu=D(0)
    )

    result = land.assess(project("35000", industry_id=7), {None: zone_wide(), 7: strict})

    assert result.below_threshold  # 350 clears the zone's 300, not the industry's 400


def test_another_industry_falls_back_to_the_zone_wide_threshold():
    thresholds = {None: zone_wide(), 7: for_industry(7)}

    result = land.assess(project("25000", industry_id=8), thresholds)

    assert result.threshold is thresholds[None]
    assert result.below_threshold


def test_without_a_threshold_nothing_is_flagged():
    result = land.assess(project("1", stage=Stage.PRODUCTION), {}, annual("1", "0"))

    assert result.threshold is None
    assert result.investment_per_mu == D("0.01")
    assert not result.below_threshold


def test_an_industry_threshold_alone_does_not_judge_other_industries():
    result = land.assess(project("1", industry_id=8), {7: for_industry(7)})

    assert result.threshold is None
    assert not result.below_threshold


def test_output_and_tax_count_only_for_projects_in_production():
    thresholds = {None: zone_wide()}

    building = land.assess(project(stage=Stage.COMPLETED), thresholds, annual("100", "1"))
    producing = land.assess(project(stage=Stage.PRODUCTION), thresholds, annual("49999", "3000"))

    assert (building.output_per_mu, building.tax_per_mu, building.below_threshold) == (
        None,
        None,
        False,
    )
    assert producing.output_per_mu == D("499.99")  # below 500
    assert producing.tax_per_mu == D("30.00")  # exactly 30: not below
    assert producing.return_year == 2025
    assert len(producing.shortfalls) == 1


def test_a_project_in_production_without_a_return_is_judged_on_investment_alone():
    result = land.assess(project(stage=Stage.PRODUCTION), {None: zone_wide()})

    assert (result.output_per_mu, result.tax_per_mu, result.below_threshold) == (None, None, False)


def test_a_project_without_land_has_nothing_per_mu():
    result = land.assess(project(land_area=None), {None: zone_wide()})

    assert result.investment_per_mu is None
    assert not result.below_threshold


def test_a_threshold_of_zero_sets_no_minimum():
    none = LandThreshold(investment_per_mu=D(0), output_per_mu=D(0), tax_per_mu=D(0))

    result = land.assess(project("0", stage=Stage.PRODUCTION), {None: none}, annual("0", "0"))

    assert not result.below_threshold


# --- From the database -----------------------------------------------------------------


@pytest.fixture
def in_production(world):
    """Project X in production on 100 亩 with 30000 invested, in the industry 新材料."""
    industry = IndustryFactory(name="新材料")
    Project.objects.filter(pk=world.project_x.pk).update(
        stage=Stage.PRODUCTION, land_area=D(100), total_investment=D(30000), industry=industry
    )
    LandThreshold.objects.create(
        industry=None, investment_per_mu=D(300), output_per_mu=D(500), tax_per_mu=D(30)
    )
    world.industry = industry
    world.project_x.refresh_from_db()
    return world


def test_the_latest_year_s_return_is_used(in_production):
    x = in_production.project_x
    AnnualReturn.objects.create(project=x, year=2025, output=D(40000), tax=D(2000))
    AnnualReturn.objects.create(project=x, year=2024, output=D(90000), tax=D(9000))

    (result,) = land.assess_many(Project.objects.filter(pk=x.pk))

    assert result.return_year == 2025
    assert (result.output_per_mu, result.tax_per_mu) == (D("400.00"), D("20.00"))
    assert len(result.shortfalls) == 2


def test_a_stored_industry_threshold_beats_the_zone_wide_one(in_production):
    x = in_production.project_x
    AnnualReturn.objects.create(project=x, year=2025, output=D(40000), tax=D(2000))
    LandThreshold.objects.create(
        industry=in_production.industry,
        investment_per_mu=D(200),
        output_per_mu=D(400),
        tax_per_mu=D(20),
    )

    (result,) = land.assess_many(Project.objects.filter(pk=x.pk))

    assert result.threshold.industry == in_production.industry
    assert not result.below_threshold  # exactly at the industry's output and tax


def test_the_project_page_flags_a_project_below_the_threshold(in_production):
    x = in_production.project_x
    AnnualReturn.objects.create(project=x, year=2025, output=D(40000), tax=D(3000))

    response = client_for(in_production.owner_x, "en").get(x.get_absolute_url())

    html = response.content.decode()
    assert response.context["land"].below_threshold
    assert html.count("Below the land-efficiency threshold") == 1
    assert "output per mu 400.00 below 500.00" in html


def test_the_project_page_does_not_flag_a_project_that_meets_the_thresholds(in_production):
    x = in_production.project_x
    AnnualReturn.objects.create(project=x, year=2025, output=D(50000), tax=D(3000))

    response = client_for(in_production.leader, "en").get(x.get_absolute_url())

    assert not response.context["land"].below_threshold
    assert "Below the land-efficiency threshold" not in response.content.decode()


def test_the_project_page_offers_the_return_to_the_owner_of_a_project_in_production(
    in_production,
):
    url = reverse("projects:return_create", args=[in_production.project_x.pk])

    owner = client_for(in_production.owner_x).get(in_production.project_x.get_absolute_url())
    leader = client_for(in_production.leader).get(in_production.project_x.get_absolute_url())

    assert url in owner.content.decode()
    assert url not in leader.content.decode()


# --- The annual return ------------------------------------------------------------------


def return_url(project):
    return reverse("projects:return_create", args=[project.pk])


def test_the_owner_files_an_annual_return(in_production):
    x = in_production.project_x
    browser = client_for(in_production.owner_x)

    form = browser.get(return_url(x))
    response = browser.post(return_url(x), {"year": 2025, "output": "52000", "tax": "3100"})

    assert form.context["form"]["year"].initial == 2025
    assert response.status_code == 302
    assert response["Location"] == x.get_absolute_url()
    (filed,) = AnnualReturn.objects.filter(project=x)
    assert (filed.year, filed.output, filed.tax, filed.energy) == (2025, D(52000), D(3100), None)


def test_a_second_return_for_the_year_corrects_the_first_and_is_logged(in_production):
    x = in_production.project_x
    browser = client_for(in_production.owner_x)
    browser.post(return_url(x), {"year": 2025, "output": "52000", "tax": "3100"})

    response = browser.post(
        return_url(x), {"year": 2025, "output": "48000", "tax": "3100", "energy": "12.5"}
    )

    assert response.status_code == 302
    (filed,) = AnnualReturn.objects.filter(project=x)
    assert (filed.output, filed.energy) == (D(48000), D("12.5"))
    changes = ChangeLog.objects.filter(object_id=filed.pk, object_repr=str(filed)).order_by("pk")
    assert [c.action for c in changes] == [ChangeAction.CREATE, ChangeAction.UPDATE]
    update = changes.last()
    assert update.actor == in_production.owner_x
    assert D(update.before["output"]) == D(52000)
    assert D(update.after["output"]) == D(48000)
    assert update in ChangeLog.objects.for_object(x)  # shown in the project's history
    assert land.assess_many([x])[0].below_threshold  # 480 per mu, below 500


def test_another_year_s_return_is_a_new_one(in_production):
    x = in_production.project_x
    browser = client_for(in_production.owner_x)

    browser.post(return_url(x), {"year": 2024, "output": "1", "tax": "1"})
    browser.post(return_url(x), {"year": 2025, "output": "2", "tax": "2"})

    assert sorted(x.returns.values_list("year", flat=True)) == [2024, 2025]


@pytest.mark.parametrize(
    ("field", "value"), [("output", "-1"), ("tax", "-0.01"), ("energy", "-5"), ("year", "1999")]
)
def test_impossible_values_are_refused(in_production, field, value):
    x = in_production.project_x
    data = {"year": 2025, "output": "52000", "tax": "3100", field: value}

    response = client_for(in_production.owner_x).post(return_url(x), data)

    assert field in form_errors(response)
    assert not AnnualReturn.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner_y", 404), ("staff_b", 404), ("staff_a", 403), ("leader", 403), ("coordinator", 200)],
)
def test_only_the_owner_and_the_office_may_file_a_return(in_production, role, status):
    x = in_production.project_x
    browser = client_for(getattr(in_production, role))

    get = browser.get(return_url(x))
    post = browser.post(return_url(x), {"year": 2025, "output": "1", "tax": "1"})

    assert get.status_code == status
    assert post.status_code == (302 if status == 200 else status)
    assert AnnualReturn.objects.exists() == (status == 200)
