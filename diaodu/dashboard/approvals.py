"""Approvals against their statutory limits (一站式服务、快速审批), per approving department."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from diaodu.lib.workdays import WorkingCalendar
from diaodu.projects.choices import DayKind
from diaodu.projects.models import Milestone


@dataclass
class Approval:
    """``days`` and ``limit`` count as the kind's rule says: working or calendar days."""

    milestone: Milestone
    days: int
    limit: int
    pending: bool
    due: date

    @property
    def within_limit(self) -> bool:
        return self.days <= self.limit

    @property
    def over_by(self) -> int:
        return max(0, self.days - self.limit)


@dataclass
class DepartmentApprovals:
    department: object
    approvals: list[Approval] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(1 for a in self.approvals if a.pending)

    @property
    def done(self) -> list[Approval]:
        return [a for a in self.approvals if not a.pending]

    @property
    def average_days(self) -> Decimal | None:
        done = self.done
        if not done:
            return None
        return (Decimal(sum(a.days for a in done)) / len(done)).quantize(Decimal("0.1"))

    @property
    def within_limit_rate(self) -> Decimal | None:
        done = self.done
        if not done:
            return None
        within = sum(1 for a in done if a.within_limit)
        return (Decimal(within) / len(done) * 100).quantize(Decimal("0.1"))


def approvals(projects, today: date):
    """(per department, slowest ten) for approval milestones with an accepted application.

    Elapsed days run from acceptance (受理) to the approval, or to today while pending,
    counted in working days where the kind's limit is (节假日 and 调休 included)."""
    calendar = WorkingCalendar.load()
    milestones = Milestone.objects.filter(
        project__in=projects.values("pk"),
        kind__is_approval=True,
        applied_date__isnull=False,
    ).select_related("kind", "approving_department", "project")
    by_department: dict = defaultdict(lambda: None)
    rows = []
    for milestone in milestones:
        end = milestone.actual_date or today
        limit = milestone.kind.statutory_days or 0
        if milestone.kind.day_kind == DayKind.WORKING:
            days = calendar.working_days_between(milestone.applied_date, end)
            due = calendar.add_working_days(milestone.applied_date, limit)
        else:
            days = (end - milestone.applied_date).days
            due = milestone.applied_date + timedelta(days=limit)
        approval = Approval(
            milestone=milestone,
            days=days,
            limit=limit,
            pending=milestone.actual_date is None,
            due=due,
        )
        rows.append(approval)
        department = milestone.approving_department
        if by_department[department] is None:
            by_department[department] = DepartmentApprovals(department)
        by_department[department].approvals.append(approval)
    slowest = sorted(rows, key=lambda a: (-(a.days - a.limit), -a.days))[:10]
    departments = sorted(
        (d for d in by_department.values() if d is not None),
        key=lambda d: (-(d.pending), str(d.department)),
    )
    return departments, slowest
