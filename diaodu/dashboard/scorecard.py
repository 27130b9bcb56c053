"""Department scorecard: how each organisation handles what is assigned to it as lead."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from diaodu.org.models import Organisation
from diaodu.problems.choices import Light
from diaodu.problems.models import ActionItem, Problem


@dataclass
class Score:
    organisation: Organisation
    assigned: int
    resolved: int
    on_time: int
    overdue_problems: int
    overdue_actions: int
    average_days: Decimal | None

    @property
    def overdue_now(self) -> int:
        return self.overdue_problems + self.overdue_actions

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (Decimal(self.on_time) / self.resolved * 100).quantize(Decimal("0.1"))


SORT_KEYS = {
    "assigned": lambda s: -s.assigned,
    "resolved": lambda s: -s.resolved,
    "on_time": lambda s: -(s.on_time_rate if s.on_time_rate is not None else Decimal(-1)),
    "overdue": lambda s: -s.overdue_now,
    "days": lambda s: s.average_days if s.average_days is not None else Decimal(10**6),
}


def _stats(model, start: date, end: date, done_field: str, start_field: str):
    """Per lead department: assigned in the period, finished in it (and on time), overdue
    now, and the average days from assignment to finish. One query."""
    finished = Q(**{f"{done_field}__gte": start, f"{done_field}__lte": end})
    duration = ExpressionWrapper(F(done_field) - F(start_field), output_field=DurationField())
    rows = (
        model.objects.values("lead_department")
        .annotate(
            assigned=Count(
                "pk", filter=Q(**{f"{start_field}__gte": start, f"{start_field}__lte": end})
            ),
            resolved=Count("pk", filter=finished),
            on_time=Count("pk", filter=finished & Q(**{f"{done_field}__lte": F("due_date")})),
            overdue_now=Count("pk", filter=Q(light=Light.RED)),
            average=Avg(duration, filter=finished),
        )
        .order_by()
    )
    return {row["lead_department"]: row for row in rows}


def scorecard(start: date, end: date, sort: str = "overdue") -> list[Score]:
    problems = _stats(Problem, start, end, "resolved_on", "raised_on")
    actions = _stats(ActionItem, start, end, "completed_on", "assigned_on")
    scores = []
    for organisation in Organisation.objects.departments().filter(
        pk__in=set(problems) | set(actions)
    ):
        p = problems.get(organisation.pk, {})
        a = actions.get(organisation.pk, {})
        # ``is not None``: an average of zero days (resolved the day it came) is a timedelta
        # that is falsy, and still counts.
        averages = [
            (row["average"], row["resolved"])
            for row in (p, a)
            if row and row["average"] is not None
        ]
        total = sum(n for _, n in averages)
        average = (
            Decimal(sum(d.total_seconds() / 86400 * n for d, n in averages) / total).quantize(
                Decimal("0.1")
            )
            if total
            else None
        )
        scores.append(
            Score(
                organisation=organisation,
                assigned=p.get("assigned", 0) + a.get("assigned", 0),
                resolved=p.get("resolved", 0) + a.get("resolved", 0),
                on_time=p.get("on_time", 0) + a.get("on_time", 0),
                overdue_problems=p.get("overdue_now", 0),
                overdue_actions=a.get("overdue_now", 0),
                average_days=average,
            )
        )
    scores.sort(key=SORT_KEYS.get(sort, SORT_KEYS["overdue"]))
    return scores
