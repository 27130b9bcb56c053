"""Problems and action items waiting for someone (see ``diaodu.inbox.sources``).

- the office: problems resolved and awaiting closing; results submitted and awaiting
  acceptance or return;
- a department: problems it leads that nobody has started (new or reopened); action items
  it leads not yet acknowledged, and those returned to it for rework;
- a leader: problems and action items escalated to them by chasing (open past the
  escalation limit, on a project they are responsible for or on no leader's project), and
  problems awaiting their instruction (批示): open problems that must be won from a higher
  level (city or province) or are critical, with no instruction written yet.
"""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.inbox.sources import Source
from diaodu.problems import access, chasing
from diaodu.problems.choices import (
    ActionStatus,
    EntryKind,
    Level,
    Light,
    ProblemStatus,
    Severity,
)
from diaodu.problems.models import (
    OPEN_PROBLEM,
    ActionItemEntry,
    ProblemEntry,
)


def _entered(entries, status, **match):
    """When the item last entered ``status``: the time of its latest such transition."""
    return Subquery(
        entries.objects.filter(to_status=status, **match)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )


def _problems(user):
    return access.visible_problems(user).select_related("project", "lead_department")


def _actions(user):
    return access.visible_action_items(user).select_related("project", "lead_department")


def _mine(user) -> Q:
    """What a leader is answerable for: their projects', and what has no leader."""
    return Q(project__responsible_leader=user) | Q(project__responsible_leader__isnull=True)


# --- the office -------------------------------------------------------------------------


def resolved_problems(user):
    return (
        _problems(user)
        .filter(status=ProblemStatus.RESOLVED)
        .annotate(
            waiting_since=_entered(ProblemEntry, ProblemStatus.RESOLVED, problem=OuterRef("pk"))
        )
        .order_by("waiting_since", "pk")
    )


def submitted_results(user):
    return (
        _actions(user)
        .filter(status=ActionStatus.SUBMITTED)
        .annotate(
            waiting_since=_entered(
                ActionItemEntry, ActionStatus.SUBMITTED, action_item=OuterRef("pk")
            )
        )
        .order_by("waiting_since", "pk")
    )


# --- departments ------------------------------------------------------------------------


def problems_to_take_up(user):
    return (
        _problems(user)
        .filter(status=ProblemStatus.OPEN, lead_department=user.organisation_id)
        .annotate(
            waiting_since=Coalesce(
                _entered(ProblemEntry, ProblemStatus.OPEN, problem=OuterRef("pk")), "created_at"
            )
        )
        .order_by("waiting_since", "pk")
    )


def actions_to_acknowledge(user):
    return (
        _actions(user)
        .filter(status=ActionStatus.ASSIGNED, lead_department=user.organisation_id)
        .annotate(waiting_since=F("created_at"))
        .order_by("waiting_since", "pk")
    )


def actions_returned(user):
    latest = ActionItemEntry.objects.filter(
        action_item=OuterRef("pk"), kind=EntryKind.TRANSITION
    ).order_by("-created_at", "-pk")
    return (
        _actions(user)
        .filter(status=ActionStatus.ACKNOWLEDGED, lead_department=user.organisation_id)
        .annotate(
            came_from=Subquery(latest.values("from_status")[:1]),
            waiting_since=Subquery(latest.values("created_at")[:1]),
        )
        .filter(came_from=ActionStatus.SUBMITTED)
        .order_by("waiting_since", "pk")
    )


# --- leaders ----------------------------------------------------------------------------


def escalated_problems(user):
    before = chasing.escalated_if_due_by(timezone.localdate())
    return (
        _problems(user)
        .filter(_mine(user), light=Light.RED, due_date__lte=before)
        .annotate(waiting_since=F("due_date"))
        .order_by("waiting_since", "pk")
    )


def escalated_actions(user):
    before = chasing.escalated_if_due_by(timezone.localdate())
    return (
        _actions(user)
        .filter(_mine(user), light=Light.RED, due_date__lte=before)
        .annotate(waiting_since=F("due_date"))
        .order_by("waiting_since", "pk")
    )


def awaiting_instruction(user):
    instructed = ProblemEntry.objects.filter(problem=OuterRef("pk"), kind=EntryKind.INSTRUCTION)
    return (
        _problems(user)
        .filter(_mine(user), status__in=OPEN_PROBLEM)
        .filter(Q(level__in=[Level.CITY, Level.PROVINCE]) | Q(severity=Severity.CRITICAL))
        .exclude(Exists(instructed))
        .annotate(waiting_since=F("created_at"))
        .order_by("waiting_since", "pk")
    )


INBOX_SOURCES = [
    Source(
        key="problems_resolved",
        label=_("Problems resolved, awaiting closing"),
        applies=access.closes_and_accepts,
        rule=resolved_problems,
        template="inbox/rows/problem_resolved.html",
        explanation=_("Close them when the project confirms, or reopen them on their page."),
    ),
    Source(
        key="results_submitted",
        label=_("Results submitted, awaiting acceptance"),
        applies=access.closes_and_accepts,
        rule=submitted_results,
        template="inbox/rows/result_submitted.html",
        explanation=_("Accept the result as done, or return it for rework saying why."),
    ),
    Source(
        key="problems_to_take_up",
        label=_("Problems to take up"),
        applies=access.works_assignments,
        rule=problems_to_take_up,
        template="inbox/rows/problem_to_take_up.html",
        explanation=_("Problems your organisation leads that nobody has started: new or reopened."),
    ),
    Source(
        key="actions_to_acknowledge",
        label=_("Action items to acknowledge"),
        applies=access.works_assignments,
        rule=actions_to_acknowledge,
        template="inbox/rows/action_to_acknowledge.html",
        explanation=_("Assignments your organisation leads, not yet taken on."),
    ),
    Source(
        key="actions_returned",
        label=_("Returned for rework"),
        applies=access.works_assignments,
        rule=actions_returned,
        template="inbox/rows/action_returned.html",
        explanation=_("Results the office sent back: do the rework and submit again."),
    ),
    Source(
        key="problems_escalated",
        label=_("Problems escalated to you"),
        applies=access.gives_instructions,
        rule=escalated_problems,
        template="inbox/rows/escalated.html",
        explanation=_(
            "Still open well past their due date, on projects you are responsible for "
            "(or that have no responsible leader); the date shown is the due date."
        ),
    ),
    Source(
        key="actions_escalated",
        label=_("Action items escalated to you"),
        applies=access.gives_instructions,
        rule=escalated_actions,
        template="inbox/rows/escalated.html",
        explanation=_(
            "Not delivered well past their due date, on projects you are responsible for "
            "(or on no project with a responsible leader); the date shown is the due date."
        ),
    ),
    Source(
        key="awaiting_instruction",
        label=_("Awaiting your instruction"),
        applies=access.gives_instructions,
        rule=awaiting_instruction,
        template="inbox/rows/awaiting_instruction.html",
        explanation=_(
            "Open problems to be won from the city or province, or critical ones, on your "
            "projects, on which no leader has written an instruction yet."
        ),
    ),
]
