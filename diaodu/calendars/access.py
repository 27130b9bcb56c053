"""What a person's calendar holds: the only place it is decided. Everything is drawn from
the apps' own ``visible_*`` querysets, so a feed never shows what its owner may not see."""

from django.db.models import Q

from diaodu.meetings.access import visible_meetings
from diaodu.problems.access import visible_action_items, visible_problems
from diaodu.projects.access import visible_milestones, visible_rounds


def can_have_feed(user) -> bool:
    return user.is_authenticated and user.is_active


def calendar_meetings(user):
    """Meetings the person may see and is part of: chairing, invited in person or with their
    organisation. The office runs every meeting, so it gets them all."""
    meetings = visible_meetings(user)
    if user.is_coordinator:
        return meetings
    involved = Q(chair=user) | Q(attendees=user)
    if user.organisation_id:
        involved |= Q(organisations=user.organisation_id)
    return meetings.filter(pk__in=meetings.filter(involved).values("pk"))


def _assigned_to(organisation_id) -> Q:
    return Q(lead_department=organisation_id) | Q(cooperating_departments=organisation_id)


def calendar_problems(user):
    """Problems assigned to the person's organisation (lead or cooperating)."""
    if not user.organisation_id:
        return visible_problems(user).none()
    problems = visible_problems(user)
    return problems.filter(pk__in=problems.filter(_assigned_to(user.organisation_id)).values("pk"))


def calendar_action_items(user):
    """Action items assigned to the person's organisation (lead or cooperating)."""
    if not user.organisation_id:
        return visible_action_items(user).none()
    items = visible_action_items(user)
    return items.filter(pk__in=items.filter(_assigned_to(user.organisation_id)).values("pk"))


def calendar_rounds(user):
    """Reporting rounds asking the owner's projects for a report."""
    if not user.is_owner:
        return visible_rounds(user).none()
    return visible_rounds(user)


def calendar_milestones(user):
    """The time nodes of the owner's projects."""
    if not user.is_owner:
        return visible_milestones(user).none()
    return visible_milestones(user).filter(project__owner=user.organisation_id)
