"""Traffic lights for problems and action items: the one place the rule lives.

- *red*: overdue — the due date has passed while the item is still with the department;
- *yellow*: due within ``DIAODU_NEAR_DUE_DAYS`` days, or nobody has written a word on it
  for ``DIAODU_SILENT_DAYS`` days;
- *green*: otherwise;
- *awaiting*: resolved (a problem) or submitted for acceptance (an action item): the
  department has finished and the office has yet to close or accept it;
- *done*: closed, accepted as done, or cancelled.

``light`` answers for one item, ``next_change`` says from which day time alone may change
that answer. Both are stored on the row (``light``, ``state_changes_on``: see
``diaodu.problems.derived``), and lists, filters, counts, exports and the API read the
column. Changing either setting needs ``manage.py refresh_derived --all``.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from diaodu.problems.choices import ActionStatus, Light, ProblemStatus
from diaodu.problems.models import OPEN_ACTION, OPEN_PROBLEM, OVERDUE_ACTION, Problem


def _active_statuses(model) -> list[str]:
    return OPEN_PROBLEM if model is Problem else OVERDUE_ACTION


def _awaiting_statuses(model) -> list[str]:
    return [ProblemStatus.RESOLVED] if model is Problem else [ActionStatus.SUBMITTED]


def _silent_since(today: date) -> datetime:
    """Activity before the start of this local day counts as silence."""
    start = today - timedelta(days=settings.DIAODU_SILENT_DAYS)
    return timezone.make_aware(datetime.combine(start, time.min))


def light(item, today: date) -> Light:
    if item.status in _awaiting_statuses(type(item)):
        return Light.AWAITING
    if item.status not in _active_statuses(type(item)):
        return Light.DONE
    if item.due_date < today:
        return Light.RED
    near = item.due_date <= today + timedelta(days=settings.DIAODU_NEAR_DUE_DAYS)
    if near or item.last_activity_at < _silent_since(today):
        return Light.YELLOW
    return Light.GREEN


def next_change(item, today: date) -> date | None:
    """The first day after ``today`` on which ``light`` may give another answer with no
    change to the item: a green item turns yellow when its due date comes near or its
    silence grows long, a yellow one red the day after its due date. Red, awaiting and
    done items stay so until someone changes them."""
    verdict = light(item, today)
    if verdict == Light.YELLOW:
        return item.due_date + timedelta(days=1)
    if verdict == Light.GREEN:
        near = item.due_date - timedelta(days=settings.DIAODU_NEAR_DUE_DAYS)
        last_word = timezone.localdate(item.last_activity_at)
        silent = last_word + timedelta(days=settings.DIAODU_SILENT_DAYS + 1)
        return min(near, silent)
    return None


@dataclass(frozen=True)
class DueState:
    """What an item's date means today. ``code`` is one of: *closed* (closed or accepted as
    done, ``on`` that day), *resolved* (``on`` that day), *submitted*, *cancelled* (no
    longer due), or, while it is with the department, *overdue*, *today* or *due*
    (``days`` overdue or to go)."""

    code: str
    days: int = 0
    on: date | None = None


def due_state(item, today: date) -> DueState:
    """A finished item says when it finished, not when it was due: "closed 3 June", never
    "due in 13 days"."""
    status = item.status
    if status in (ProblemStatus.CLOSED, ActionStatus.DONE):
        return DueState("closed", on=item.closed_on if type(item) is Problem else item.completed_on)
    if status == ProblemStatus.RESOLVED:
        return DueState("resolved", on=item.resolved_on)
    if status == ActionStatus.SUBMITTED:
        return DueState("submitted")
    if status == ActionStatus.CANCELLED:
        return DueState("cancelled")
    days = (item.due_date - today).days
    if days < 0:
        return DueState("overdue", days=-days)
    return DueState("today") if days == 0 else DueState("due", days=days)


def open_q(model) -> Q:
    """Items not finished: for action items this includes those awaiting acceptance."""
    return Q(status__in=OPEN_PROBLEM if model is Problem else OPEN_ACTION)
