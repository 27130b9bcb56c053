"""What an administrator changes in the Django admin is in the history like any other
write: who, when, before and after."""

from django.contrib import admin
from django.urls import reverse

from diaodu.core.admin import HistoryAdminMixin
from diaodu.core.models import ChangeLog
from diaodu.projects.models import Industry
from diaodu.test import client_for


def _log(obj, action):
    return ChangeLog.objects.filter(object_id=obj.pk, action=action).get(
        object_type__model=obj._meta.model_name
    )


def test_an_edit_in_the_admin_is_recorded_with_before_and_after(world):
    industry = Industry.objects.create(name="新材料", name_en="New materials", sort_order=5)

    response = client_for(world.admin).post(
        reverse("admin:projects_industry_change", args=[industry.pk]),
        {"name": "先进材料", "name_en": "New materials", "sort_order": 5},
    )

    assert response.status_code == 302
    entry = _log(industry, "update")
    assert entry.actor == world.admin
    assert (entry.before["name"], entry.after["name"]) == ("新材料", "先进材料")


def test_an_addition_and_a_deletion_in_the_admin_are_recorded(world):
    browser = client_for(world.admin)

    browser.post(
        reverse("admin:projects_industry_add"), {"name": "数字经济", "name_en": "", "sort_order": 1}
    )
    industry = Industry.objects.get(name="数字经济")
    browser.post(reverse("admin:projects_industry_delete", args=[industry.pk]), {"post": "yes"})

    assert _log(industry, "create").after["name"] == "数字经济"
    assert _log(industry, "delete").before["name"] == "数字经济"
    assert not Industry.objects.filter(pk=industry.pk).exists()


def test_every_model_admin_of_diaodu_records_history():
    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("diaodu.") and model is not ChangeLog
    }

    assert len(ours) >= 8
    assert [m for m, a in ours.items() if not isinstance(a, HistoryAdminMixin)] == []
