"""Reading the change log back, as the history on a project's page shows it."""

from django.utils import translation

from diaodu.core.models import ChangeLog
from diaodu.notifications import services as notifications
from diaodu.problems import services
from diaodu.problems.choices import Category


def test_a_change_of_cooperating_departments_reads_back_in_the_history(world):
    problem = services.raise_problem(
        world.project_x,
        {
            "title": "用地指标不足",
            "description": "二期用地缺少建设用地指标。",
            "category": Category.LAND,
            "lead_department": world.department_a,
            "due_date": world.today,
        },
        actor=world.owner_x,
    )
    services.edit_problem(
        problem,
        {"cooperating_departments": [world.department_b]},
        version=problem.version,
        actor=world.coordinator,
    )

    change = ChangeLog.objects.for_object(problem).filter(action="update").get()
    with translation.override("en"):
        rows = [(str(label), old, new) for label, old, new in change.changed_fields()]
    assert rows == [("cooperating departments", [], [world.department_b.short_name])]


def test_a_webhook_secret_is_never_readable_in_the_history_yet_its_change_shows(world):
    endpoint = notifications.create_endpoint(
        {
            "name": "园区大数据平台",
            "url": "https://data.example.gov.cn/hooks/diaodu",
            "secret": "first-secret-of-sixteen-plus",
            "events": ["problem.raised"],
        },
        actor=world.admin,
    )
    notifications.update_endpoint(
        endpoint, {"secret": "second-secret-of-sixteen-plus"}, actor=world.admin
    )

    logged = str(list(ChangeLog.objects.for_object(endpoint).values("before", "after")))
    assert "first-secret" not in logged
    assert "second-secret" not in logged
    change = ChangeLog.objects.for_object(endpoint).filter(action="update").get()
    assert change.before["secret"] != change.after["secret"]
    assert change.after["secret"].startswith("••••")
