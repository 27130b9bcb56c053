"""A project's stored state: its health and what explains it, the milestone it works towards,
and the counts its lists show (open and overdue problems, approvals pending).

Each is computed here by the rule's own Python function (``health.assess``,
``health.next_milestone``, ``problems.lights.light``) from the project's milestones and
problems, and written on the project by ``refresh``: every write of those inputs calls
``core.derived.changed``, and the daily refresh recomputes the projects whose
``state_changes_on`` has come.
"""

from datetime import date, timedelta

from django.db.models import Prefetch

from diaodu.core.derived import StoredState, rewrite
from diaodu.problems import lights
from diaodu.problems.choices import Light
from diaodu.problems.models import Problem
from diaodu.projects import health
from diaodu.projects.models import Milestone

BATCH = 1000

FIELDS = (
    "health",
    "health_milestone",
    "health_others",
    "next_milestone",
    "open_problems",
    "overdue_problems",
    "pending_approvals",
    "state_changes_on",
)


def _overdue_from(problem, today: date) -> date | None:
    """The day a problem not overdue today becomes so if nobody acts: the day after its due
    date, by the lights' rule (None when that day would not make it overdue either)."""
    if problem.due_date < today:
        return None
    day = problem.due_date + timedelta(days=1)
    return day if lights.light(problem, day) == Light.RED else None


def state(milestones, problems, today: date) -> dict:
    """The stored columns of a project with these milestones and problems, on ``today``."""
    assessment = health.assess(milestones, today)
    following = health.next_milestone(milestones)
    red = [lights.light(p, today) == Light.RED for p in problems]
    days = [health.changes_on(milestones, today)]
    days += [_overdue_from(p, today) for p, late in zip(problems, red, strict=True) if not late]
    days = [day for day in days if day is not None]
    return {
        "health": assessment.health.value,
        "health_milestone": assessment.milestone,
        "health_others": assessment.others,
        "next_milestone": following,
        "open_problems": sum(1 for p in problems if p.is_open),
        "overdue_problems": sum(red),
        "pending_approvals": sum(
            1 for m in milestones if m.approving_department_id and m.actual_date is None
        ),
        "state_changes_on": min(days, default=None),
    }


def refresh(projects, today: date) -> int:
    """Recompute the stored state of ``projects`` and write the rows that differ, in id
    order and batches: four queries a batch however many projects it holds."""
    milestones = Milestone.objects.select_related("kind").only(
        "project",
        "kind",
        "planned_date",
        "actual_date",
        "approving_department",
        "kind__code",
        "kind__sort_order",
    )
    rows = projects.only("pk", *FIELDS).prefetch_related(
        Prefetch("milestones", queryset=milestones),
        Prefetch("problems", queryset=Problem.objects.defer("description", "root_cause")),
    )
    return rewrite(
        rows,
        FIELDS,
        lambda batch: (
            state(list(p.milestones.all()), list(p.problems.all()), today) for p in batch
        ),
        batch=BATCH,
    )


STORED_STATES = [
    StoredState(
        model="projects.Project",
        fields=FIELDS,
        refresh=refresh,
        inputs={
            "projects.Project": lambda project: [project.pk],
            "projects.Milestone": lambda milestone: [milestone.project_id],
            # The template's order breaks a tie between next milestones.
            "projects.MilestoneKind": lambda kind: (
                Milestone.objects.filter(kind=kind, actual_date__isnull=True)
                .values_list("project_id", flat=True)
                .distinct()
            ),
            "problems.Problem": lambda problem: [problem.project_id],
        },
    )
]
