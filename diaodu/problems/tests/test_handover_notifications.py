"""Every hand-over between a department and the office tells the side whose turn it is,
and nobody else: a problem resolved → the office; a result submitted → the office;
returned for rework → the lead department."""

from diaodu.notifications.models import Notification
from diaodu.problems import services
from diaodu.test import ROLES

OFFICE = {"admin", "coordinator"}


def told(world, event) -> set[str]:
    people = {getattr(world, role).pk: role for role in ROLES}
    return {
        people[pk]
        for pk in Notification.objects.filter(event=event).values_list("recipient", flat=True)
        if pk in people
    }


def test_a_resolved_problem_is_announced_to_the_office_only(world):
    Notification.objects.all().delete()

    services.transition_problem(
        world.problem_x, "resolved", actor=world.staff_a, resolution="已调整控规。"
    )

    assert told(world, "problem_resolved") == OFFICE


def test_a_submitted_result_is_announced_to_the_office_only(world):
    services.acknowledge(world.item_a, actor=world.staff_a)
    Notification.objects.all().delete()

    services.submit_result(world.item_a, "已完成指标调剂。", actor=world.staff_a)

    assert told(world, "action_submitted") == OFFICE


def test_a_returned_result_is_announced_to_the_lead_department_only(world):
    services.acknowledge(world.item_a, actor=world.staff_a)
    services.submit_result(world.item_a, "已完成。", actor=world.staff_a)
    Notification.objects.all().delete()

    services.return_for_rework(world.item_a, "缺少批复文件。", actor=world.coordinator)

    assert told(world, "action_returned") == {"staff_a"}
