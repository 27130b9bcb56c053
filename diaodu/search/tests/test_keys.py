"""Search keys are worked out when objects are saved, by every way they are saved: people,
organisations with their aliases, rows imported in bulk, rows that existed before."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from diaodu.accounts.models import User
from diaodu.core.search import matching
from diaodu.lib.chinese import search_key
from diaodu.org.models import Organisation, split_aliases
from diaodu.reports.importing import plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, xlsx
from diaodu.search.tests.helpers import page_groups
from diaodu.test import api_for, client_for


def test_a_person_is_found_by_name_user_name_and_job_title(world):
    world.leader.title = "管委会主任"
    world.leader.save(update_fields=["title"])

    for query in ("李主任", "lizhuren", "leader", "管委會", "gwhzr"):
        assert list(matching(User.objects.all(), query)) == [world.leader], query


def test_a_renamed_person_is_found_by_the_new_name_only(world):
    world.staff_b.display_name = "审批局小钱"
    world.staff_b.save(update_fields=["display_name"])

    assert list(matching(User.objects.all(), "小钱")) == [world.staff_b]
    assert not matching(User.objects.all(), "小赵").exists()


@pytest.mark.parametrize(
    ("text", "aliases"),
    [
        ("审批局\n政务服务中心", ["审批局", "政务服务中心"]),
        ("审批局、政务服务中心", ["审批局", "政务服务中心"]),
        ("审批局, 政务服务中心", ["审批局", "政务服务中心"]),
        ("审批局，政务服务中心；市民中心", ["审批局", "政务服务中心", "市民中心"]),
        (" 审批局 \r\n\n ", ["审批局"]),
        ("", []),
    ],
)
def test_aliases_are_split_however_they_are_typed(text, aliases):
    assert split_aliases(text) == aliases


def test_each_alias_is_a_part_of_the_key_of_its_own(world):
    world.department_b.aliases = "审批局、政务服务中心"
    world.department_b.save(update_fields=["aliases"])

    world.department_b.refresh_from_db()
    assert world.department_b.search_key == search_key(
        "行政审批服务局", "区审批局", "审批局", "政务服务中心"
    )
    # A match never spans two aliases.
    assert not matching(Organisation.objects.all(), "审批局政务").exists()


def test_administrators_edit_aliases_in_the_admin(world):
    client = client_for(world.admin)
    url = reverse("admin:org_organisation_change", args=[world.department_b.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}

    response = client.post(url, {**data, "aliases": "政务服务中心"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert page_groups(world.coordinator, "政务服务")["organisation"] == ["行政审批服务局"]


def test_the_organisation_api_shows_the_aliases(world):
    world.department_b.aliases = "政务服务中心"
    world.department_b.save(update_fields=["aliases"])

    response = api_for(world.staff_a).get(
        reverse("api:organisation-detail", args=[world.department_b.pk])
    )

    assert response.json()["aliases"] == "政务服务中心"


def test_people_saved_before_they_were_searchable_get_their_keys(world):
    User.objects.update(search_key="")
    migration = importlib.import_module("diaodu.accounts.migrations.0002_people_searchable")

    migration.fill_search_keys(apps, None)

    world.staff_a.refresh_from_db()
    assert world.staff_a.search_key == search_key("资规局小王", "staff_a", "")
    assert not User.objects.filter(search_key="").exists()


def test_projects_and_enterprises_imported_in_bulk_are_found(world):
    plan = plan_import(
        "projects",
        xlsx(LEDGER_HEADER, [1, "2026-101", "智慧物流园", "新来的物流有限公司", 1000, "区资规局"]),
        actor=world.coordinator,
    )
    assert plan.ok, plan.issues
    commit_import(plan, actor=world.coordinator)

    found = page_groups(world.coordinator, "物流")
    assert found["project"] == ["智慧物流园"]
    assert found["organisation"] == ["新来的物流有限公司"]
    assert page_groups(world.coordinator, "zhwly")["project"] == ["智慧物流园"]
