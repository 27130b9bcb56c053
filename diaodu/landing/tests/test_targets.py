"""The office sets the zone's landing targets; every change is kept, and bad input is
refused with a reason and changes nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import IndustryFactory
from diaodu.landing import services
from diaodu.landing.models import StageTarget
from diaodu.landing.speed import Targets
from diaodu.test import client_for, form_errors

TARGETS = reverse("landing:targets")


def test_the_migration_sets_zone_wide_defaults_for_every_stage(db):
    assert Targets().zone() == {
        "land": 120,
        "approvals": 180,
        "groundbreaking": 210,
        "completion": 570,
        "production": 660,
    }


def test_the_office_sets_an_industry_target_and_the_page_shows_it_with_its_history(world):
    industry = IndustryFactory(name="生物医药", name_en="Biomedicine")

    response = client_for(world.coordinator, language="en").post(
        TARGETS, {"stage": "groundbreaking", "industry": industry.pk, "days": 150}
    )

    assert response.status_code == 302
    target = StageTarget.objects.get(industry=industry)
    assert (target.stage, target.days) == ("groundbreaking", 150)
    assert Targets().days("groundbreaking", industry.pk) == 150
    page = client_for(world.leader, language="en").get(TARGETS)
    [change] = page.context["changes"]
    assert change.object_repr == "开工 · 生物医药"  # the site's language, as searched
    html = page.content.decode()
    assert "«groundbreaking · Biomedicine»" in html  # the reader's
    with translation.override("zh-hant"):
        assert change.object_text == "開工 · 生物醫藥"


def test_editing_a_target_records_before_and_after(world):
    target = StageTarget.objects.get(stage="completion", industry=None)

    client_for(world.coordinator).post(
        reverse("landing:target_edit", args=[target.pk]), {"stage": "completion", "days": 540}
    )

    change = ChangeLog.objects.get(object_id=target.pk, action=ChangeAction.UPDATE)
    assert (change.before["days"], change.after["days"]) == (570, 540)
    assert change.actor == world.coordinator


def test_removing_an_industry_target_falls_back_to_the_zones_and_is_recorded(world):
    industry = IndustryFactory()
    target = services.set_target(
        {"stage": "land", "industry": industry, "days": 60}, actor=world.coordinator
    )

    client_for(world.admin).post(reverse("landing:target_remove", args=[target.pk]))

    assert Targets().days("land", industry.pk) == 120
    removed = ChangeLog.objects.get(object_id=target.pk, action=ChangeAction.DELETE)
    assert removed.before["days"] == 60


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"stage": "land", "industry": "new", "days": 0},
            {"days": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"stage": "land", "industry": "new", "days": ""}, {"days": ["This field is required."]}),
        (
            {"stage": "someday", "industry": "new", "days": 10},
            {"stage": ["Select a valid choice. someday is not one of the available choices."]},
        ),
        (
            {"stage": "land", "days": 100},
            {"__all__": ["There is already a zone-wide target for this stage."]},
        ),
    ],
)
def test_a_target_that_cannot_be_is_refused_with_the_reason(world, data, errors):
    if data.get("industry") == "new":
        data = {**data, "industry": IndustryFactory().pk}
    before = (StageTarget.objects.count(), ChangeLog.objects.count())

    response = client_for(world.coordinator, language="en").post(TARGETS, data)

    assert form_errors(response) == errors
    assert (StageTarget.objects.count(), ChangeLog.objects.count()) == before


def test_a_second_target_for_the_same_industry_and_stage_is_refused(world):
    industry = IndustryFactory()
    services.set_target({"stage": "land", "industry": industry, "days": 60}, actor=world.admin)

    response = client_for(world.coordinator, language="en").post(
        TARGETS, {"stage": "land", "industry": industry.pk, "days": 70}
    )

    assert form_errors(response) == {
        "__all__": ["There is already a target for this stage and industry."]
    }
