"""Who may see and change projects, milestones and progress reports.

The only place these decisions are made: pages, exports and the API all call these
functions. ``visible_*`` return querysets scoped to the user; ``can_*`` answer for one
object.
"""

from collections.abc import Callable

from django.db.models import Q

from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import (
    AnnualReturn,
    Milestone,
    ProgressReport,
    Project,
    ReportingRound,
)

# Each returns, for an organisation id, a queryset of the ids of projects it works on.
# Apps whose objects involve departments (problems, action items) register theirs.
_INVOLVEMENT: list[Callable] = [
    lambda organisation: Milestone.objects.filter(approving_department=organisation).values(
        "project"
    ),
    lambda organisation: Project.cooperating_departments.through.objects.filter(
        organisation=organisation
    ).values("project"),
]


def register_involvement(project_ids: Callable) -> None:
    _INVOLVEMENT.append(project_ids)


def department_involvement(organisation) -> Q:
    """Projects a department is lead department of, or lead or cooperating on something for."""
    condition = Q(lead_department=organisation)
    for project_ids in _INVOLVEMENT:
        condition |= Q(pk__in=project_ids(organisation))
    return condition


def visible_projects(user, queryset=None):
    queryset = Project.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    if user.is_owner:
        return queryset.filter(owner_id=user.organisation_id)
    if user.is_department_staff:
        return queryset.filter(department_involvement(user.organisation_id))
    return queryset.none()


def visible_milestones(user):
    return Milestone.objects.filter(project__in=visible_projects(user))


def visible_reports(user):
    return ProgressReport.objects.filter(project__in=visible_projects(user))


def visible_returns(user):
    return AnnualReturn.objects.filter(project__in=visible_projects(user))


def visible_project_ids(user, memo: dict) -> set[int] | None:
    """The ids of the projects ``user`` may see, or None for those who see every project;
    worked out once per ``memo`` (the context a list's serializers share), for filtering
    the ids an object lists."""
    if user.sees_everything:
        return None
    if "visible_project_ids" not in memo:
        memo["visible_project_ids"] = set(visible_projects(user).values_list("pk", flat=True))
    return memo["visible_project_ids"]


def can_view_project(user, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


def can_create_project(user) -> bool:
    return user.is_authenticated and user.is_coordinator


def can_edit_project(user, project: Project) -> bool:
    return user.is_authenticated and user.is_coordinator


def is_project_owner(user, project: Project) -> bool:
    return (
        user.is_authenticated
        and user.is_owner
        and user.organisation_id is not None
        and user.organisation_id == project.owner_id
    )


def can_plan_milestones(user, project: Project) -> bool:
    """Set planned dates and confirmed actual dates: the office's work."""
    return user.is_authenticated and user.is_coordinator


def can_report_milestone(user, project: Project) -> bool:
    """Report an achieved date for the office to confirm: the owner's work."""
    return is_project_owner(user, project)


def reports_as_owner(user) -> bool:
    """An owner with an enterprise: reports progress and milestones for its projects."""
    return user.is_authenticated and user.is_owner and user.organisation_id is not None


def can_confirm_milestones(user) -> bool:
    """Confirm the actual dates owners report: the office's work (as planning is)."""
    return user.is_authenticated and user.is_coordinator


def can_submit_report(user, project: Project) -> bool:
    return is_project_owner(user, project) or (user.is_authenticated and user.is_coordinator)


def can_edit_report(user, report: ProgressReport) -> bool:
    """Reports can be corrected until the office approves them."""
    if report.status == ReportStatus.APPROVED:
        return False
    return can_submit_report(user, report.project)


def can_review_reports(user) -> bool:
    return user.is_authenticated and user.is_coordinator


def visible_rounds(user):
    """Rounds asking for a report from a project the user may see."""
    if user.is_authenticated and user.sees_everything:
        return ReportingRound.objects.all()
    return ReportingRound.objects.filter(
        pk__in=ReportingRound.objects.filter(projects__in=visible_projects(user)).values("pk")
    )


def can_manage_rounds(user) -> bool:
    return user.is_authenticated and user.is_coordinator


# What a user may open of each model, for lists that name objects of many kinds.
OPENS = {
    Project: visible_projects,
    Milestone: visible_milestones,
    ProgressReport: visible_reports,
    AnnualReturn: visible_returns,
    ReportingRound: visible_rounds,
}
