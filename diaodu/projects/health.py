"""A project's health: the one place the rule lives.

- *delayed*: some milestone's planned date has passed and it has no actual date;
- *at risk*: some milestone falls due within ``DIAODU_AT_RISK_DAYS`` days (today included)
  and has no actual date;
- *on track*: otherwise.

``assess`` explains one project from its milestones, ``next_milestone`` names the time node
it works towards, and ``changes_on`` says from which day the explanation may change merely
because days pass. The verdict is stored on the project (``projects.derived``): lists,
filters and counts read the stored columns.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.projects.choices import Health


def _window(today: date) -> date:
    return today + timedelta(days=settings.DIAODU_AT_RISK_DAYS)


@dataclass(frozen=True)
class Assessment:
    health: Health
    milestone: object | None = None
    days: int = 0
    others: int = 0

    @property
    def reason(self) -> str:
        if self.milestone is None:
            days = settings.DIAODU_AT_RISK_DAYS
            return ngettext(
                "No milestone is overdue or due within %(days)d day.",
                "No milestone is overdue or due within %(days)d days.",
                days,
            ) % {"days": days}
        values = {
            "kind": self.milestone.kind,
            "date": date_format(self.milestone.planned_date, "SHORT_DATE_FORMAT"),
            "days": self.days,
        }
        if self.health == Health.DELAYED:
            text = ngettext(
                "%(kind)s planned %(date)s, %(days)d day overdue",
                "%(kind)s planned %(date)s, %(days)d days overdue",
                self.days,
            )
        elif self.days == 0:
            text = _("%(kind)s due today (%(date)s)")
        else:
            text = ngettext(
                "%(kind)s due %(date)s, in %(days)d day",
                "%(kind)s due %(date)s, in %(days)d days",
                self.days,
            )
        text %= values
        if self.others:
            text += ngettext(" (and %(count)d more)", " (and %(count)d more)", self.others) % {
                "count": self.others
            }
        return text


def _open(milestones) -> list:
    return [m for m in milestones if m.actual_date is None and m.planned_date is not None]


def assess(milestones, today: date) -> Assessment:
    """Health of a project from its milestones (any iterable; achieved ones are ignored)."""
    window = _window(today)
    open_ones = _open(milestones)
    overdue = sorted((m for m in open_ones if m.planned_date < today), key=lambda m: m.planned_date)
    if overdue:
        first = overdue[0]
        return Assessment(
            Health.DELAYED, first, (today - first.planned_date).days, len(overdue) - 1
        )
    soon = sorted(
        (m for m in open_ones if today <= m.planned_date <= window), key=lambda m: m.planned_date
    )
    if soon:
        first = soon[0]
        return Assessment(Health.AT_RISK, first, (first.planned_date - today).days, len(soon) - 1)
    return Assessment(Health.ON_TRACK)


@dataclass(frozen=True)
class MilestoneState:
    """What one milestone's dates say: ``code`` is done, done_late, overdue, due_soon,
    pending or unplanned; ``days`` is how late (or, for due_soon, how soon)."""

    code: str
    days: int = 0


def milestone_state(milestone, today: date) -> MilestoneState:
    planned, actual = milestone.planned_date, milestone.actual_date
    if actual is not None:
        if planned is not None and actual > planned:
            return MilestoneState("done_late", (actual - planned).days)
        return MilestoneState("done")
    if planned is None:
        return MilestoneState("unplanned")
    if planned < today:
        return MilestoneState("overdue", (today - planned).days)
    if planned <= _window(today):
        return MilestoneState("due_soon", (planned - today).days)
    return MilestoneState("pending")


def next_milestone(milestones):
    """The open milestone due first (the template's order breaks a tie), or None."""
    open_ones = _open(milestones)
    if not open_ones:
        return None
    return min(open_ones, key=lambda m: (m.planned_date, m.kind.sort_order, m.kind.code, m.pk))


def changes_on(milestones, today: date) -> date | None:
    """The first day after ``today`` on which ``assess`` may name another health, milestone
    or number of others if no milestone changes: an open milestone entering the at-risk
    window, or passing its planned date. (How many days late or to go is counted when it
    is shown, so it does not make a stored verdict change every day.)"""
    days = []
    for milestone in _open(milestones):
        days.append(milestone.planned_date - timedelta(days=settings.DIAODU_AT_RISK_DAYS))
        days.append(milestone.planned_date + timedelta(days=1))
    return min((day for day in days if day > today), default=None)
