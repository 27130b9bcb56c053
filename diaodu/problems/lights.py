"""Traffic lights for problems and action items: the one place the rule lives.

- *red*: overdue — the due date has passed while the item is still with the department;
- *yellow*: due within ``DIAODU_NEAR_DUE_DAYS`` days, or nobody has written a word on it
  for ``DIAODU_SILENT_DAYS`` days;
- *green*: otherwise; *done* once resolved, closed, submitted for acceptance or finished.

``light`` answers for one item; ``annotate_light`` computes the same in SQL for lists,
filters and counts. Tests hold the two to agreement.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from diaodu.problems.choices import Light
from diaodu.problems.models import OPEN_ACTION, OPEN_PROBLEM, OVERDUE_ACTION, Problem


def _active_statuses(model) -> list[str]:
    return OPEN_PROBLEM if model is Problem else OVERDUE_ACTION


def _silent_since(today: date) -> datetime:
    """Activity before the start of this local day counts as silence."""
    start = today - timedelta(days=settings.DIAODU_SILENT_DAYS)
    return timezone.make_aware(datetime.combine(start, time.min))


def light(item, today: date) -> Light:
    if item.status not in _active_statuses(type(item)):
        return Light.DONE
    if item.due_date < today:
        return Light.RED
    near = item.due_date <= today + timedelta(days=settings.DIAODU_NEAR_DUE_DAYS)
    if near or item.last_activity_at < _silent_since(today):
        return Light.YELLOW
    return Light.GREEN


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
