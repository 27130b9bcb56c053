"""How problems and action items are listed: in desks, supervision and project pages."""

from django.utils.translation import gettext as _

from diaodu.problems import access, lights, services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import Problem


def rows(queryset, today):
    """Problems or action items for a list: light, overdue first, then by due date."""
    return (
        lights.annotate_light(queryset, today)
        .select_related("project", "lead_department")
        .prefetch_related("cooperating_departments")
        .order_by(
            lights.overdue_first(queryset.model, today),
            "due_date",
            "pk",
        )
    )


def decorate(items, user) -> list:
    """Attach to each row what this user may do to it, so templates ask no questions.

    Uses only loaded and prefetched data: no query per row."""
    items = list(items)
    for item in items:
        if isinstance(item, Problem):
            item.moves = [
                (status, problem_verb(item.status, status))
                for status in services.PROBLEM_FLOW[item.status]
                if access.can_transition_problem(user, item, status)
            ]
            item.can_write = access.can_update_problem(user, item)
        else:
            item.moves = [
                (status, action_verb(item.status, status))
                for status in services.ACTION_FLOW[item.status]
                if access.can_transition_action_item(user, item, status)
            ]
            item.can_write = access.can_give_feedback(user, item)
    return items


def problem_verb(from_status, to_status) -> str:
    return {
        ProblemStatus.IN_PROGRESS: _("Start work"),
        ProblemStatus.RESOLVED: _("Mark resolved"),
        ProblemStatus.CLOSED: _("Close"),
        ProblemStatus.OPEN: _("Reopen"),
    }[to_status]


def action_verb(from_status, to_status) -> str:
    """The button's words for a move: returning and acknowledging both lead to "in hand"."""
    if to_status == ActionStatus.ACKNOWLEDGED:
        return _("Return for rework") if from_status == ActionStatus.SUBMITTED else _("Acknowledge")
    return {
        ActionStatus.SUBMITTED: _("Submit result"),
        ActionStatus.DONE: _("Accept as done"),
        ActionStatus.CANCELLED: _("Cancel"),
    }[to_status]
