"""Changed projects in an imported ledger are updated in bulk, exactly as
``update_project`` updates one: the same stored values, the same change-log row, the same
validation, and a number of queries that does not grow with the rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import translation

from diaodu.core.models import ChangeLog
from diaodu.factories import DepartmentFactory, ProjectFactory
from diaodu.projects.models import Project
from diaodu.projects.services import update_project
from diaodu.reports.importing import UPDATE, plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, xlsx

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

LOGGED = ["actor", "action", "object_type", "object_id", "object_repr", "before", "after"]


def plan_for(world, rows):
    with translation.override("zh-hans"):
        plan = plan_import("projects", xlsx(LEDGER_HEADER, *rows), actor=world.coordinator)
    assert plan.ok, plan.issues
    return plan


def stored(project) -> dict:
    row = model_to_dict(Project.objects.get(pk=project.pk))
    row["search_key"] = Project.objects.get(pk=project.pk).search_key
    return row


def test_an_imported_change_stores_and_logs_what_update_project_would(world):
    x = world.project_x
    moved_to = DepartmentFactory(name="发展和改革局", short_name="区发改局")
    changes = {
        "name": "水务产业园二期",
        "total_investment": Decimal("95000.00"),
        "lead_department": moved_to,
    }
    with transaction.atomic():
        update_project(Project.objects.get(pk=x.pk), changes, actor=world.coordinator)
        expected_row = stored(x)
        expected_log = ChangeLog.objects.values(*LOGGED).latest("pk")
        transaction.set_rollback(True)
    logs = ChangeLog.objects.count()

    plan = plan_for(world, [[1, x.code, "水务产业园二期", "绿源水务", 95000, "区发改局"]])
    assert [c.action for c in plan.changes] == [UPDATE]
    commit_import(plan, actor=world.coordinator)

    assert stored(x) == expected_row
    assert ChangeLog.objects.count() == logs + 1
    assert ChangeLog.objects.values(*LOGGED).latest("pk") == expected_log


@pytest.mark.parametrize("size", [3, 30])
def test_updating_many_projects_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    projects = [
        ProjectFactory(owner=world.enterprise_x, lead_department=world.department_a)
        for _ in range(size)
    ]
    plan = plan_for(
        world,
        [
            [n, p.code, f"{p.name}（调整）", "绿源水务", 60000, "区资规局"]
            for n, p in enumerate(projects)
        ],
    )
    assert plan.counts[UPDATE] == size
    logs = ChangeLog.objects.count()

    # Reading back, foreign keys, unique values, the updates, the log, the savepoints.
    with django_assert_max_num_queries(20):
        commit_import(plan, actor=world.coordinator)

    assert ChangeLog.objects.count() == logs + size
    assert set(
        Project.objects.filter(pk__in=[p.pk for p in projects]).values_list(
            "total_investment", flat=True
        )
    ) == {Decimal("60000.00")}


def test_a_department_removed_after_the_preview_stops_the_commit_and_nothing_is_saved(world):
    x = world.project_x
    moved_to = DepartmentFactory(name="发展和改革局", short_name="区发改局")
    plan = plan_for(world, [[1, x.code, "水务产业园二期", "绿源水务", 80000, "区发改局"]])
    moved_to.delete()  # meanwhile

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        commit_import(plan, actor=world.coordinator)

    assert "lead_department" in refused.value.message_dict
    x.refresh_from_db()
    assert x.name == "水务产业园"
    assert x.lead_department == world.department_a
