"""Daily chasing (督办): reminders before due dates, overdue notices, escalation to the
responsible leader, and owners who have not reported in an open round.

Idempotent: every notice sent is recorded as a ``Chase`` row keyed by item and stage, so a
second run on the same day (or a later one) sends nothing already sent. Notices are
gathered into one digest per recipient; a day with nothing to say sends nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop, override

from diaodu.core import derived
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.messages import count, join, message
from diaodu.notifications.services import emit, notify, subscribers
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.problems.choices import Light
from diaodu.problems.models import OPEN_PROBLEM, OVERDUE_ACTION, ActionItem, Chase, Problem
from diaodu.projects.models import ReportingRound

REMINDER, OVERDUE, ESCALATED = "reminder", "overdue", "escalated"


@dataclass
class Digest:
    """What one recipient (an organisation or a leader) is told today."""

    lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, stage: str, line):
        self.lines[stage].append(line)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.lines.values())


@dataclass
class ChaseRun:
    today: date
    organisations: dict = field(default_factory=lambda: defaultdict(Digest))
    leaders: dict = field(default_factory=lambda: defaultdict(Digest))
    keys: set[str] = field(default_factory=set)
    # Problems newly overdue, for outside systems (``emit``), keyed apart from the notices.
    overdue_problems: dict[str, Problem] = field(default_factory=dict)
    # What today's state calls for, before what was sent on earlier days is left out:
    # notice key → (stage, line, organisations, leaders).
    due: dict[str, tuple] = field(default_factory=dict)
    overdue_due: dict[str, Problem] = field(default_factory=dict)

    def call_for(self, key: str, stage: str, line: str, organisations=(), leaders=()):
        if key not in self.due:
            self.due[key] = (stage, line, list(organisations), list(leaders))

    def leave_out(self, sent: set[str]) -> None:
        """Keep, as this run's notices, what no earlier run sent."""
        for key, (stage, line, organisations, leaders) in self.due.items():
            if key in sent:
                continue
            self.keys.add(key)
            for organisation in organisations:
                self.organisations[organisation].add(stage, line)
            for leader in leaders:
                self.leaders[leader].add(stage, line)
        self.overdue_problems = {
            key: problem for key, problem in self.overdue_due.items() if key not in sent
        }


def _sent(keys) -> set[str]:
    """Which of ``keys`` earlier runs sent. Asked in slices: a single IN list of every key
    would pass SQLite's limit on query parameters."""
    keys, sent = sorted(keys), set()
    for start in range(0, len(keys), 500):
        sent.update(
            Chase.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True)
        )
    return sent


def escalated_if_due_by(today: date) -> date:
    """An item still open today is escalated to leaders if it was due on or before this
    day (the inbox asks the same)."""
    return today - timedelta(days=settings.DIAODU_ESCALATE_DAYS)


def _stage(item, today: date) -> str | None:
    """The most urgent stage an open item has reached today: overdue is its stored red
    light, escalated when it has been red long enough."""
    if item.light == Light.RED:
        return ESCALATED if item.due_date <= escalated_if_due_by(today) else OVERDUE
    if item.due_date - timedelta(days=settings.DIAODU_REMIND_DAYS) <= today:
        return REMINDER
    return None


def _line(item, today: date) -> dict:
    days = (today - item.due_date).days
    if days > 0:
        when = count(
            gettext_noop("%(count)d day overdue"), gettext_noop("%(count)d days overdue"), days
        )
    else:
        when = message(gettext_noop("due %(date)s"), date=item.due_date.isoformat())
    project = f"{item.project} · " if item.project_id else ""
    return join("", f"{project}{item} (", when, ")")


def _collect_assignments(run: ChaseRun, overdue_wanted: bool):
    window_end = run.today + timedelta(days=settings.DIAODU_REMIND_DAYS)
    querysets = [
        ("problem", Problem.objects.filter(status__in=OPEN_PROBLEM, due_date__lte=window_end)),
        (
            "action",
            ActionItem.objects.filter(status__in=OVERDUE_ACTION, due_date__lte=window_end),
        ),
    ]
    leadership = list(Organisation.objects.filter(kind=OrganisationKind.LEADERSHIP))
    for prefix, queryset in querysets:
        items = queryset.select_related(
            "project__responsible_leader", "lead_department"
        ).prefetch_related("cooperating_departments")
        for item in items:
            stage = _stage(item, run.today)
            if stage is None:
                continue
            # Outside systems hear of an overdue problem once per due date, whichever
            # stage the first run after the date finds it in.
            overdue_key = f"{prefix}:{item.pk}:webhook-overdue:{item.due_date.isoformat()}"
            if overdue_wanted and prefix == "problem" and stage != REMINDER:
                run.overdue_due[overdue_key] = item
            # The due date is part of the key: when the office moves it, the new date is
            # chased afresh (reminder, overdue, escalation) instead of never again.
            key = f"{prefix}:{item.pk}:{stage}:{item.due_date.isoformat()}"
            organisations = [item.lead_department, *item.cooperating_departments.all()]
            leaders = []
            if stage == ESCALATED:
                leader = item.project.responsible_leader if item.project_id else None
                if leader is not None:
                    leaders.append(leader)
                else:
                    organisations += leadership
            run.call_for(key, stage, _line(item, run.today), organisations, leaders)


def _collect_rounds(run: ChaseRun):
    for reporting_round in ReportingRound.objects.filter(is_open=True):
        if reporting_round.due_date < run.today:
            stage = OVERDUE
        elif reporting_round.due_date - timedelta(days=settings.DIAODU_REMIND_DAYS) <= run.today:
            stage = REMINDER
        else:
            continue
        for project in reporting_round.missing().select_related("owner"):
            key = f"round:{reporting_round.pk}:project:{project.pk}:{stage}"
            line = message(
                gettext_noop("%(project)s: progress report for %(round)s, due %(date)s"),
                project=project,
                round=reporting_round,
                date=reporting_round.due_date.isoformat(),
            )
            run.call_for(key, stage, line, [project.owner])


STAGE_TITLES = {
    REMINDER: (gettext_noop("%(count)d item due soon"), gettext_noop("%(count)d items due soon")),
    OVERDUE: (gettext_noop("%(count)d item overdue"), gettext_noop("%(count)d items overdue")),
    ESCALATED: (
        gettext_noop("%(count)d item escalated to leaders"),
        gettext_noop("%(count)d items escalated to leaders"),
    ),
}


def _send(digest: Digest, *, organisations=(), users=()):
    stages = [(stage, lines) for stage, lines in digest.lines.items() if lines]
    title = join("; ", *(count(*STAGE_TITLES[stage], len(lines)) for stage, lines in stages))
    body = join(
        "\n\n",
        *(
            join(
                "",
                count(*STAGE_TITLES[stage], len(lines)),
                ":\n",
                join("\n", *(join("", "- ", line) for line in lines)),
            )
            for stage, lines in stages
        ),
    )
    event = ESCALATED if ESCALATED in digest.lines else "digest"
    notify(
        event=f"chase_{event}",
        title=message(gettext_noop("Dispatch reminder: %(summary)s"), summary=title),
        body=body,
        url=reverse("problems:desk"),
        organisations=organisations,
        users=users,
    )


@transaction.atomic
def chase(today: date, *, dry_run: bool = False) -> ChaseRun:
    """Send today's reminders, overdue notices and escalations; return what was sent."""
    # The lights read below must be today's, whenever the run comes.
    derived.refresh_due(today)
    with override(settings.LANGUAGE_CODE):
        run = ChaseRun(today)
        # Recorded only while someone listens: an endpoint subscribing later hears once
        # of the problems overdue then.
        overdue_wanted = bool(subscribers(WebhookEvent.PROBLEM_OVERDUE))
        _collect_assignments(run, overdue_wanted)
        _collect_rounds(run)
        # Only the keys today's state calls for, not every key ever sent (years of them).
        run.leave_out(_sent(run.due.keys() | run.overdue_due.keys()))
        if dry_run:
            return run
        keys = run.keys | run.overdue_problems.keys()
        Chase.objects.bulk_create(Chase(key=key, sent_on=today) for key in keys)
        # A digest is made when its first line is added, so none is empty; the check
        # keeps it so if a recipient is ever looked up before anything is added for it.
        for organisation, digest in run.organisations.items():
            if digest.count:
                _send(digest, organisations=[organisation])
        for leader, digest in run.leaders.items():
            if digest.count:
                _send(digest, users=[leader])
        for problem in run.overdue_problems.values():
            emit(WebhookEvent.PROBLEM_OVERDUE, problem)
    return run
