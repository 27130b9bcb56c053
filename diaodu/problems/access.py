"""Who may see and act on problems and action items: the only place it is decided."""

from django.db.models import Q

from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.access import is_project_owner, visible_projects


def _involving(organisation_id) -> Q:
    return Q(lead_department=organisation_id) | Q(cooperating_departments=organisation_id)


def projects_with_problems_for(organisation_id):
    return Problem.objects.filter(_involving(organisation_id)).values("project")


def projects_with_action_items_for(organisation_id):
    return ActionItem.objects.filter(_involving(organisation_id), project__isnull=False).values(
        "project"
    )


def visible_problems(user):
    queryset = Problem.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    return queryset.filter(project__in=visible_projects(user))


def visible_action_items(user):
    queryset = ActionItem.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.is_owner and user.organisation_id:
        return queryset.filter(project__owner=user.organisation_id)
    if user.is_department_staff and user.organisation_id:
        ids = ActionItem.objects.filter(_involving(user.organisation_id)).values("pk")
        return queryset.filter(pk__in=ids)
    return queryset.none()


def can_view_problem(user, problem) -> bool:
    return visible_problems(user).filter(pk=problem.pk).exists()


def can_view_action_item(user, item) -> bool:
    return visible_action_items(user).filter(pk=item.pk).exists()


def _staff_of(user, organisation_id) -> bool:
    return (
        user.is_authenticated
        and user.is_department_staff
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_lead(user, item) -> bool:
    return _staff_of(user, item.lead_department_id)


def is_involved(user, item) -> bool:
    return (
        user.is_authenticated and user.is_department_staff and item.involves(user.organisation_id)
    )


# --- problems -------------------------------------------------------------------------


def can_raise_problems(user) -> bool:
    """Whether the user raises problems at all (on which projects: ``can_raise_problem``)."""
    return user.is_authenticated and (user.is_coordinator or user.is_owner)


def can_raise_problem(user, project) -> bool:
    return (user.is_authenticated and user.is_coordinator) or is_project_owner(user, project)


def can_edit_problem(user, problem) -> bool:
    """Category, departments, due date, level: the office assigns and re-assigns."""
    return user.is_authenticated and user.is_coordinator


def can_update_problem(user, problem) -> bool:
    """Add a dated update to the timeline (with files)."""
    return problem.is_open and (
        (user.is_authenticated and user.is_coordinator)
        or is_involved(user, problem)
        or is_project_owner(user, problem.project)
    )


def gives_instructions(user) -> bool:
    """Whether the user writes instructions (批示) at all: the zone's leaders."""
    return user.is_authenticated and user.is_leader


def can_instruct(user, item) -> bool:
    """A leader's instruction (批示) on a problem or an action item."""
    return gives_instructions(user) and item.is_open


def closes_and_accepts(user) -> bool:
    """The office's part of the loop: closing resolved problems, accepting or returning
    submitted results."""
    return user.is_authenticated and user.is_coordinator


def works_assignments(user) -> bool:
    """Department staff, who take up the problems and action items given to their
    organisation."""
    return user.is_authenticated and user.is_department_staff and user.organisation_id is not None


def can_transition_problem(user, problem, to_status) -> bool:
    """Starting and resolving are the lead department's (or the office's); closing and
    reopening are the office's alone."""
    office = user.is_authenticated and user.is_coordinator
    if to_status in (ProblemStatus.IN_PROGRESS, ProblemStatus.RESOLVED):
        return office or is_lead(user, problem)
    return office


# --- action items ---------------------------------------------------------------------


def can_create_action_item(user) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_leader)


def can_edit_action_item(user, item) -> bool:
    return user.is_authenticated and user.is_coordinator


def can_give_feedback(user, item) -> bool:
    """Lead and cooperating departments report on an item until it is finished."""
    return item.is_open and is_involved(user, item)


def can_transition_action_item(user, item, to_status) -> bool:
    if to_status in (ActionStatus.ACKNOWLEDGED, ActionStatus.SUBMITTED):
        # Acknowledging and submitting the result are the lead department's; returning
        # (back to ACKNOWLEDGED from SUBMITTED) is the office's.
        if item.status == ActionStatus.SUBMITTED:
            return user.is_authenticated and user.is_coordinator
        return is_lead(user, item)
    return user.is_authenticated and user.is_coordinator


# What a user may open of each model, for lists that name objects of many kinds.
OPENS = {Problem: visible_problems, ActionItem: visible_action_items}


def can_supervise(user) -> bool:
    """督办: every open problem and action item of the zone, with counts per department."""
    return user.is_authenticated and user.sees_everything


def desk_choices(user):
    """The organisations whose desk ``user`` may open besides their own: the office and
    leaders look at any department's; nobody else at another's (None)."""
    from diaodu.org.models import Organisation

    if not user.sees_everything:
        return None
    return Organisation.objects.departments().filter(is_active=True)


def desk_shows_assignments(user) -> bool:
    """An owner's desk is their projects' problems; everyone else's is their
    organisation's assignments, as lead or cooperating department."""
    return not user.is_owner
