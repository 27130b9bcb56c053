"""Who may see and act on enterprise requests: the only place it is decided, for pages,
the inbox and the API alike.

- An owner sees its own organisation's requests, raises them on its own projects only,
  and rates the answer to its requests.
- The office (coordinators, and administrators) sees every request and triages it.
- Leaders see every request, read-only.
- Departments do not see requests: a request they must work on reaches them as the
  problem it became, which they see as any other problem assigned to them. The request's
  own words (and its rating of the office) stay between the enterprise and the office.
"""

from diaodu.appeals.models import Appeal
from diaodu.projects.access import is_project_owner


def visible_appeals(user):
    queryset = Appeal.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.is_owner and user.organisation_id is not None:
        return queryset.filter(project__owner=user.organisation_id)
    return queryset.none()


def can_view_appeals(user) -> bool:
    """Whether the user has a list of requests at all (the menu item)."""
    return user.is_authenticated and (user.sees_everything or user.is_owner)


def can_view_appeal(user, appeal) -> bool:
    return visible_appeals(user).filter(pk=appeal.pk).exists()


def can_raise_appeals(user) -> bool:
    """Whether the user raises requests at all (on which projects: ``can_raise_appeal``)."""
    return user.is_authenticated and user.is_active and user.is_owner


def can_raise_appeal(user, project) -> bool:
    return user.is_active and is_project_owner(user, project)


def can_triage_appeals(user) -> bool:
    """Accept a request as a problem, merge it into one, or answer it: the office's. That
    a request is decided once is the service's rule, refused with its reason."""
    return user.is_authenticated and user.is_active and user.is_coordinator


def can_triage_appeal(user, appeal) -> bool:
    """Whether the request's page offers this user its triage."""
    return can_triage_appeals(user) and appeal.awaits_triage


def is_appeal_owner(user, appeal) -> bool:
    """The enterprise whose request it is: it rates the answer (once, when there is one:
    the service's rule)."""
    return user.is_active and is_project_owner(user, appeal.project)


def can_rate_appeal(user, appeal) -> bool:
    """Whether the request's page offers this user to rate it."""
    return appeal.awaits_rating and is_appeal_owner(user, appeal)


# What a user may open of each model, for lists that name objects of many kinds.
OPENS = {Appeal: visible_appeals}
