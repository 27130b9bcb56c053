"""Traffic lights for problems and action items: the one place the rule lives.

- *red*: overdue — the due date has passed while the item is still with the department;
- *yellow*: due within ``DIAODU_NEAR_DUE_DAYS`` days, or nobody has written a word on it
  for ``DIAODU_SILENT_DAYS`` days;
- *green*: otherwise;
- *awaiting*: resolved (a problem) or submitted for acceptance (an action item): the
  department has finished and the office has yet to close or accept it;
- *done*: closed, accepted as done, or cancelled.

``light`` answers for one item; ``annotate_light`` computes the same in SQL for lists,
filters and counts. Tests hold the two to agreement.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Q, Value, When
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


def is_overdue(item, today: date) -> bool:
    return light(item, today) == Light.RED


def active_q(model) -> Q:
    """Items still being worked on: not yet resolved, submitted, finished or cancelled."""
    return Q(status__in=_active_statuses(model))


def open_q(model) -> Q:
    """Items not finished: for action items this includes those awaiting acceptance."""
    return Q(status__in=OPEN_PROBLEM if model is Problem else OPEN_ACTION)


def overdue_q(model, today: date) -> Q:
    return Q(status__in=_active_statuses(model), due_date__lt=today)


def overdue_first(model, today: date):
    """An ordering expression: overdue items before the rest."""
    return Case(When(overdue_q(model, today), then=Value(0)), default=Value(1))


def annotate_light(queryset, today: date):
    active = active_q(queryset.model)
    return queryset.annotate(
        light=Case(
            When(status__in=_awaiting_statuses(queryset.model), then=Value(Light.AWAITING)),
            When(~active, then=Value(Light.DONE)),
            When(due_date__lt=today, then=Value(Light.RED)),
            When(
                Q(due_date__lte=today + timedelta(days=settings.DIAODU_NEAR_DUE_DAYS))
                | Q(last_activity_at__lt=_silent_since(today)),
                then=Value(Light.YELLOW),
            ),
            default=Value(Light.GREEN),
        )
    )
