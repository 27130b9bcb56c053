"""The daily chase (``manage.py chase``), run day by day on a moving clock: a reminder
before the due date, an overdue notice the day after it, escalation to the project's
responsible leader after ``DIAODU_ESCALATE_DAYS``; owners missing from open reporting
rounds; one digest per recipient, none when there is nothing to say, and nothing sent
twice however often it runs.

The loop's own problems and action items are due on 30 June, after every day these tests
run on, so they stay quiet unless a test says otherwise.
"""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from diaodu.factories import (
    ActionItemFactory,
    LeaderFactory,
    ProblemFactory,
    ReportingRoundFactory,
)
from diaodu.notifications.models import Notification
from diaodu.problems import services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import Chase
from diaodu.problems.tests.helpers import newest_pk
from diaodu.projects import services as project_services
from diaodu.test import TODAY


@pytest.fixture(autouse=True)
def _chase_settings(settings):
    settings.DIAODU_REMIND_DAYS = 3
    settings.DIAODU_ESCALATE_DAYS = 7


def chase(*args, day=None) -> str:
    """Run the command as cron would (on the clock's day, or ``--today``) and return
    its output line."""
    out = StringIO()
    options = [f"--today={day.isoformat()}"] if day else []
    call_command("chase", *options, *args, stdout=out)
    return out.getvalue().strip()


class Inbox:
    """Who has been told what since the last look."""

    def __init__(self):
        self.mark = newest_pk(Notification)

    def new(self) -> dict[str, list[Notification]]:
        rows = Notification.objects.filter(pk__gt=self.mark).select_related("recipient")
        self.mark = newest_pk(Notification)
        told: dict[str, list[Notification]] = {}
        for notification in rows.order_by("pk"):
            told.setdefault(notification.recipient.username, []).append(notification)
        return told


def in_default_language(singular, plural=None, count=1, **values):
    """A message as the chase writes it: in the site's language (``LANGUAGE_CODE``)."""
    with translation.override("zh-hans"):
        if plural is None:
            return translation.gettext(singular) % values
        # Each form is an entry of its own (see ``notifications.messages.count``).
        return translation.gettext(singular if count == 1 else plural) % {"count": count}


# --- One problem through its days ------------------------------------------------------------


def test_a_problem_is_reminded_then_noticed_overdue_then_escalated_each_once(world, clock):
    problem = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        cooperating_departments=[world.department_b],
        title="供水管网未接入",
        due_date=date(2026, 6, 15),
    )
    inbox = Inbox()
    told_on = {}
    for day in range(11, 25):
        clock.set(date(2026, 6, day))
        chase()
        chase()  # a second run the same day sends nothing more
        told_on[day] = {
            name: [n.event for n in notes] for name, notes in sorted(inbox.new().items())
        }

    departments = {"staff_a": ["chase_digest"], "staff_b": ["chase_digest"]}
    assert {day: told for day, told in told_on.items() if told} == {
        12: departments,  # three days before 15 June
        16: departments,  # the day after
        22: {  # seven days overdue: to the project's responsible leader too
            "leader": ["chase_escalated"],
            "staff_a": ["chase_escalated"],
            "staff_b": ["chase_escalated"],
        },
    }
    assert set(Chase.objects.values_list("key", flat=True)) >= {
        f"problem:{problem.pk}:reminder:2026-06-15",
        f"problem:{problem.pk}:overdue:2026-06-15",
        f"problem:{problem.pk}:escalated:2026-06-15",
    }


def test_the_notices_say_what_is_due_and_how_late(world, clock):
    ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        title="供水管网未接入",
        due_date=TODAY - timedelta(days=2),
    )
    ActionItemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        title="协调电力接入",
        due_date=TODAY + timedelta(days=1),
    )
    inbox = Inbox()

    chase()

    [digest] = inbox.new()["staff_a"]  # one digest for both
    overdue = in_default_language("%(count)d item overdue", "%(count)d items overdue")
    due_soon = in_default_language("%(count)d item due soon", "%(count)d items due soon")
    assert digest.title == in_default_language(
        "Dispatch reminder: %(summary)s", summary=f"{overdue}; {due_soon}"
    )
    assert "水务产业园 · 供水管网未接入" in digest.body
    assert "水务产业园 · 协调电力接入" in digest.body
    assert "2026-06-11" in digest.body
    assert digest.url == "/desk/"


@pytest.mark.parametrize("escalate_days", [2, 7])
def test_escalation_waits_the_configured_number_of_days(world, clock, settings, escalate_days):
    settings.DIAODU_ESCALATE_DAYS = escalate_days
    ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=TODAY - timedelta(days=escalate_days - 1),
    )
    inbox = Inbox()

    chase()
    assert "leader" not in inbox.new()

    clock.advance(days=1)
    chase()
    assert [n.event for n in inbox.new()["leader"]] == ["chase_escalated"]


def test_escalation_goes_to_the_projects_own_leader_or_else_to_the_leadership(world, clock):
    other_leader = LeaderFactory(username="leader_2", organisation=world.leadership)
    late = TODAY - timedelta(days=7)
    ProblemFactory(project=world.project_x, lead_department=world.department_a, due_date=late)
    ActionItemFactory(lead_department=world.department_b, due_date=late)  # no project
    ProblemFactory(project=world.project_y, lead_department=world.department_b, due_date=late)
    inbox = Inbox()

    chase()

    told = inbox.new()
    assert set(told) == {"leader", other_leader.username, "staff_a", "staff_b"}
    # Project X's leader hears of X; the leadership as a whole of Y and of the item with no
    # project (project Y has no responsible leader).
    assert len(told["leader"]) == 2
    assert "水务产业园" in told["leader"][-1].body
    assert "新材料产业基地" in told["leader"][0].body
    assert "水务产业园" not in told[other_leader.username][0].body


def test_a_new_due_date_is_chased_afresh(world, clock):
    """The office extends a due date after the reminder: the new date gets its own."""
    problem = ProblemFactory(
        project=world.project_x, lead_department=world.department_a, due_date=TODAY + timedelta(3)
    )
    inbox = Inbox()
    chase()
    assert "staff_a" in inbox.new()

    services.edit_problem(
        problem, {"due_date": TODAY + timedelta(days=10)}, version=1, actor=world.coordinator
    )
    inbox.new()
    clock.set(TODAY + timedelta(days=7))
    chase()

    assert [n.event for n in inbox.new()["staff_a"]] == ["chase_digest"]


# --- What is not chased ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda w, due: ProblemFactory(
            project=w.project_x, lead_department=w.department_a, due_date=due,
            status=ProblemStatus.RESOLVED,
        ),
        lambda w, due: ProblemFactory(
            project=w.project_x, lead_department=w.department_a, due_date=due,
            status=ProblemStatus.CLOSED,
        ),
        lambda w, due: ActionItemFactory(
            lead_department=w.department_a, due_date=due, status=ActionStatus.SUBMITTED
        ),
        lambda w, due: ActionItemFactory(
            lead_department=w.department_a, due_date=due, status=ActionStatus.DONE
        ),
        lambda w, due: ActionItemFactory(
            lead_department=w.department_a, due_date=due, status=ActionStatus.CANCELLED
        ),
        lambda w, due: ProblemFactory(
            project=w.project_x, lead_department=w.department_a, due_date=due + timedelta(40)
        ),
    ],
    ids=["resolved problem", "closed problem", "submitted item", "done item", "cancelled item",
         "problem due in a month"],
)  # fmt: skip
def test_finished_or_distant_work_is_not_chased(world, clock, make):
    make(world, TODAY - timedelta(days=10))
    inbox = Inbox()

    output = chase()

    assert inbox.new() == {}
    assert output == "2026-06-10: 0 notice(s) to 0 recipient(s)"
    assert not Chase.objects.exists()


def test_a_day_with_nothing_due_sends_nothing(world, clock):
    inbox = Inbox()

    for day in range(10, 20):
        clock.set(date(2026, 6, day))
        chase()

    assert inbox.new() == {}


def test_no_digest_is_ever_empty(world, clock):
    """Through a month of reminders, overdue notices and escalations (the loop's items and
    an open round), every digest sent names at least one item, and says how many."""
    ReportingRoundFactory(
        projects=[world.project_x], due_date=date(2026, 6, 20), opened_by=world.coordinator
    )
    inbox = Inbox()

    for day in range(25):
        clock.set(date(2026, 6, 15) + timedelta(days=day))
        chase()

    sent = [n for notices in inbox.new().values() for n in notices]
    assert sent, "the month had things to chase"
    for notification in sent:
        assert "\n- " in notification.body, notification.title
        assert any(ch.isdigit() for ch in notification.title)


def test_an_empty_digest_is_not_sent(world, clock):
    from diaodu.problems import chasing

    run = chasing.ChaseRun(TODAY)
    run.organisations[world.department_a]  # looked up, nothing added
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(chasing, "ChaseRun", lambda today: run)
        inbox = Inbox()
        chasing.chase(TODAY)

    assert inbox.new() == {}


# --- Reporting rounds ---------------------------------------------------------------------------


@pytest.fixture
def june_round(world):
    """June's progress reports from projects X and Y, due 12 June."""
    return ReportingRoundFactory(
        projects=[world.project_x, world.project_y],
        due_date=date(2026, 6, 12),
        opened_by=world.coordinator,
    )


def submit_june_report(world, project, owner):
    project_services.submit_report(
        project,
        {
            "period_kind": "month",
            "period_start": date(2026, 6, 1),
            "narrative": "主体结构施工",
            "investment": Decimal("500"),
        },
        actor=owner,
    )


def test_owners_missing_from_an_open_round_are_chased_and_those_who_reported_are_not(
    world, clock, june_round
):
    submit_june_report(world, world.project_x, world.owner_x)
    inbox = Inbox()

    chase()

    told = inbox.new()
    assert set(told) == {"owner_y"}
    assert "新材料产业基地" in told["owner_y"][0].body
    assert "2026年6月进展填报" in told["owner_y"][0].body


def test_an_owner_still_missing_after_the_due_date_gets_an_overdue_notice_once(
    world, clock, june_round
):
    inbox = Inbox()
    told_on = {}
    for day in (8, 9, 10, 11, 12, 13, 14):
        clock.set(date(2026, 6, day))
        if day == 11:
            submit_june_report(world, world.project_x, world.owner_x)
            inbox.new()  # the office hears of the report; only the chase's notices count
        chase()
        told_on[day] = sorted(inbox.new())

    assert told_on == {
        8: [],
        9: ["owner_x", "owner_y"],  # three days before 12 June
        10: [],
        11: [],
        12: [],
        13: ["owner_y"],  # overdue; owner X reported on the 11th
        14: [],
    }


def test_an_owner_whose_report_was_returned_for_revision_is_chased(world, clock, june_round):
    submit_june_report(world, world.project_x, world.owner_x)
    submit_june_report(world, world.project_y, world.owner_y)
    report = world.project_x.progress_reports.get(period_start=date(2026, 6, 1))
    project_services.review_report(
        report, approve=False, note="请补充投资完成情况", actor=world.coordinator
    )
    inbox = Inbox()

    chase()

    assert set(inbox.new()) == {"owner_x"}
    assert list(june_round.missing()) == [world.project_x]


def test_rounds_that_are_closed_or_already_complete_chase_nobody(world, clock):
    ReportingRoundFactory(
        projects=[world.project_x, world.project_y],
        due_date=date(2026, 6, 5),
        is_open=False,
    )
    ReportingRoundFactory(  # May: both reported (see the world)
        title="2026年5月进展填报",
        projects=[world.project_x, world.project_y],
        period_start=date(2026, 5, 1),
        due_date=date(2026, 6, 5),
    )
    inbox = Inbox()

    chase()

    assert inbox.new() == {}


# --- The command -----------------------------------------------------------------------------


def test_the_chase_asks_only_for_the_keys_it_is_about_to_send(world, clock, june_round):
    Chase.objects.bulk_create(
        Chase(key=f"problem:{n}:overdue:2020-01-01", sent_on=date(2020, 1, 1))
        for n in range(1, 3000)
    )

    with CaptureQueriesContext(connection) as queries:
        chase()

    chase_table = connection.ops.quote_name(Chase._meta.db_table)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and chase_table in q["sql"]]
    assert reads, "the chase looked up what it sent before"
    assert all(" IN (" in sql for sql in reads), reads
    assert sum(sql.count("'") // 2 for sql in reads) < 50, "keys asked for"


def test_the_command_says_how_many_notices_went_to_how_many_recipients(world, clock, june_round):
    ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=TODAY - timedelta(days=7),
    )

    first = chase()
    second = chase()

    # The problem (to department A and the leader) and two owners' reports.
    assert first == "2026-06-10: 3 notice(s) to 4 recipient(s)"
    assert second == "2026-06-10: 0 notice(s) to 0 recipient(s)"


def test_a_dry_run_sends_and_records_nothing(world, clock):
    ProblemFactory(project=world.project_x, lead_department=world.department_a, due_date=TODAY)
    inbox = Inbox()

    dry = chase("--dry-run")

    assert dry == "2026-06-10: 1 notice(s) to 1 recipient(s) (dry run, nothing sent)"
    assert inbox.new() == {}
    assert not Chase.objects.exists()
    assert chase() == "2026-06-10: 1 notice(s) to 1 recipient(s)"


def test_the_command_runs_as_of_a_given_day(world, clock):
    ProblemFactory(
        project=world.project_x, lead_department=world.department_a, due_date=date(2026, 6, 20)
    )

    assert chase(day=date(2026, 6, 21)) == "2026-06-21: 1 notice(s) to 1 recipient(s)"
    assert Chase.objects.get().sent_on == date(2026, 6, 21)


def test_the_command_refuses_a_day_that_is_not_a_date(world):
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("chase", "--today=2026-13-01", stdout=StringIO())
