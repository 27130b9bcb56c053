"""Every hand-over between the owner and the office tells the side whose turn it is, and
nobody else: a report submitted or revised → the office; approved or returned → the owner's
organisation; an achieved date reported → the office."""

from datetime import date

from diaodu.notifications.models import Notification
from diaodu.projects import services
from diaodu.projects.choices import PeriodKind
from diaodu.test import ROLES

OFFICE = {"admin", "coordinator"}


def told(world, event) -> set[str]:
    """The roles notified of ``event``."""
    people = {getattr(world, role).pk: role for role in ROLES}
    return {
        people[pk]
        for pk in Notification.objects.filter(event=event).values_list("recipient", flat=True)
        if pk in people
    }


def test_a_submitted_report_is_announced_to_the_office_only(world):
    Notification.objects.all().delete()

    report = services.submit_report(
        world.project_x,
        {
            "period_kind": PeriodKind.MONTH,
            "period_start": date(2026, 6, 1),
            "narrative": "主体施工。",
            "investment": 300,
        },
        actor=world.owner_x,
    )

    assert told(world, "report_submitted") == OFFICE
    notice = Notification.objects.get(event="report_submitted", recipient=world.coordinator)
    assert notice.url.endswith(f"/reports/{report.pk}/review/")


def test_a_report_revised_after_its_return_goes_back_to_the_office(world):
    services.review_report(world.report_x, approve=False, note="补充明细。", actor=world.admin)
    Notification.objects.all().delete()

    services.revise_report(world.report_x, {"narrative": "已补充明细。"}, actor=world.owner_x)

    assert told(world, "report_submitted") == OFFICE


def test_an_approved_report_is_announced_to_its_owner_only(world):
    Notification.objects.all().delete()

    services.review_report(world.report_x, approve=True, actor=world.coordinator)

    assert told(world, "report_approved") == {"owner_x"}


def test_a_returned_report_tells_its_owner_what_to_revise(world):
    Notification.objects.all().delete()

    services.review_report(
        world.report_y, approve=False, note="请补充投资明细。", actor=world.admin
    )

    assert told(world, "report_returned") == {"owner_y"}
    assert Notification.objects.get(event="report_returned").body == "请补充投资明细。"


def test_a_reported_milestone_date_is_announced_to_the_office_only(world):
    Notification.objects.all().delete()
    milestone = world.project_x.milestones.exclude(pk=world.milestone_x.pk).first()

    services.report_milestone(milestone, date(2026, 6, 2), actor=world.owner_x)

    assert told(world, "milestone_reported") == OFFICE
