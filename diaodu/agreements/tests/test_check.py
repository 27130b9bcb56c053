"""The daily check: a broken department commitment opens exactly one problem for that
department, linked back; a broken enterprise commitment is reported to the office, with
its remedy, once. On :data:`~diaodu.test.TODAY` department A's land delivery (due 31 May)
is broken and nothing else is."""

from datetime import timedelta

from django.core.management import call_command

from diaodu.agreements.models import Commitment
from diaodu.agreements.services import check_commitments
from diaodu.core.models import ChangeLog
from diaodu.notifications.models import Notification
from diaodu.problems.choices import Category, ProblemStatus
from diaodu.problems.models import Problem
from diaodu.projects.choices import ReportStatus


def test_a_broken_department_commitment_opens_one_problem_for_that_department(world):
    run = check_commitments(world.today)

    world.land_a.refresh_from_db()
    problem = world.land_a.problem
    assert [c.pk for c in run.problems] == [world.land_a.pk]
    assert problem.lead_department == world.department_a
    assert problem.project == world.project_x
    assert problem.category == Category.LAND
    assert problem.status == ProblemStatus.OPEN
    assert problem.due_date == world.today + timedelta(days=15)
    assert "XY-2026-001" in problem.description
    assert problem.commitment == world.land_a
    assert Problem.objects.filter(project=world.project_x).count() == 1


def test_running_the_check_again_opens_nothing_more(world):
    check_commitments(world.today)
    problems, notices, changes = (
        Problem.objects.count(),
        Notification.objects.count(),
        ChangeLog.objects.count(),
    )

    run = check_commitments(world.today)
    check_commitments(world.today + timedelta(days=1))

    assert run.problems == []
    assert run.flagged == []
    assert Problem.objects.count() == problems
    assert Notification.objects.count() == notices
    assert ChangeLog.objects.count() == changes


def test_the_department_is_told_of_the_problem_opened_for_it(world):
    check_commitments(world.today)

    told = set(
        Notification.objects.filter(event="problem_raised").values_list(
            "recipient__username", flat=True
        )
    )
    assert "staff_a" in told
    assert "staff_b" not in told


def test_a_commitment_not_yet_broken_opens_no_problem(world):
    run = check_commitments(world.today)

    world.permit_b.refresh_from_db()
    assert world.permit_b.problem is None
    assert world.permit_b not in run.problems


def test_a_broken_enterprise_commitment_is_reported_to_the_office_with_its_remedy_once(
    world, clock
):
    clock.set(world.invest_x.due_date + timedelta(days=1))
    world.report_x.status = ReportStatus.APPROVED
    world.report_x.save(update_fields=["status"])

    run = check_commitments(clock.today)
    check_commitments(clock.today + timedelta(days=1))

    notices = Notification.objects.filter(event="commitment_broken")
    assert [c.pk for c in run.flagged] == [world.invest_x.pk]
    assert set(notices.values_list("recipient__username", flat=True)) == {"admin", "coordinator"}
    assert all("扣回已兑现的招商奖励" in n.body for n in notices)
    assert notices.count() == 2  # one per person of the office, on the first run only
    world.invest_x.refresh_from_db()
    assert world.invest_x.flagged_on == clock.today
    assert world.invest_x.problem is None


def test_the_problem_and_the_flag_are_recorded_in_the_agreements_history(world, clock):
    clock.set(world.invest_x.due_date + timedelta(days=1))

    check_commitments(clock.today)

    updates = ChangeLog.objects.for_object(world.agreement_x).filter(action="update")
    changed = {
        name for row in updates for name in row.after if row.before.get(name) != row.after[name]
    }
    assert {"problem", "flagged_on"} <= changed


def test_a_dry_run_changes_nothing(world):
    run = check_commitments(world.today, dry_run=True)

    assert [c.pk for c in run.problems] == [world.land_a.pk]
    assert not Problem.objects.exists()
    assert not Commitment.objects.filter(problem__isnull=False).exists()


def test_the_command_reports_what_it_did(world, capsys):
    call_command("check_commitments", "--today", world.today.isoformat())

    assert "1 problem(s) opened, 0 enterprise commitment(s) flagged" in capsys.readouterr().out
