"""A project's health: the one place the rule lives.

- *delayed*: some milestone's planned date has passed and it has no actual date;
- *at risk*: some milestone falls due within ``DIAODU_AT_RISK_DAYS`` days (today included)
  and has no actual date;
- *on track*: otherwise.

``assess`` explains one project from its milestones; ``annotate_health`` computes the same
verdict in SQL so lists can filter and count by health. Tests hold the two to agreement.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Q, Value, When
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


def assess(milestones, today: date) -> Assessment:
    """Health of a project from its milestones (any iterable; achieved ones are ignored)."""
    window = _window(today)
    open_ones = [m for m in milestones if m.actual_date is None and m.planned_date is not None]
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


def open_milestone_filter(today: date) -> Q:
    """Milestones that make a project other than on track."""
    return Q(actual_date__isnull=True, planned_date__isnull=False, planned_date__lte=_window(today))


def _open_milestones(today: date):
    """(late, due soon): whether a project has an open milestone past its date, and one
    falling due within the at-risk window, as SQL conditions on the project."""
    from diaodu.projects.models import Milestone

    open_ones = Milestone.objects.filter(project=OuterRef("pk"), actual_date__isnull=True)
    return (
        Exists(open_ones.filter(planned_date__lt=today)),
        Exists(open_ones.filter(planned_date__gte=today, planned_date__lte=_window(today))),
    )


def annotate_health(queryset, today: date):
    """Annotate ``health`` on a project queryset, in SQL, by the same rule as ``assess``."""
    late, due_soon = _open_milestones(today)
    return queryset.annotate(
        health=Case(
            When(late, then=Value(Health.DELAYED)),
            When(due_soon, then=Value(Health.AT_RISK)),
            default=Value(Health.ON_TRACK),
        )
    )


def health_is(health: str, today: date) -> Q:
    """Projects of that health, by the same rule as ``annotate_health``: as a condition the
    database can answer with a semi-join, where comparing the annotation would evaluate it
    for every project (a quarter of the filtered list's time at 10,000 projects)."""
    late, due_soon = _open_milestones(today)
    if health == Health.DELAYED:
        return Q(late)
    if health == Health.AT_RISK:
        return ~Q(late) & Q(due_soon)
    return ~Q(late) & ~Q(due_soon)
