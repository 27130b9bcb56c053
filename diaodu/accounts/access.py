"""Who may see people: those of the organisations one may see."""

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.org.choices import OrganisationKind


def visible_people(user):
    from diaodu.org.access import visible_organisations

    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.sees_everything:
        return User.objects.filter(is_active=True)
    return User.objects.filter(is_active=True, organisation__in=visible_organisations(user))


def stand_in(organisation) -> User:
    """An active person of ``organisation`` with the role its people have, not saved: what
    the organisation as a whole may see, for what speaks for it (a webhook endpoint)."""
    roles = {
        OrganisationKind.ENTERPRISE: Role.OWNER,
        OrganisationKind.DEPARTMENT: Role.DEPARTMENT,
        OrganisationKind.TOWNSHIP: Role.DEPARTMENT,
        OrganisationKind.COORDINATION: Role.COORDINATOR,
        OrganisationKind.LEADERSHIP: Role.LEADER,
    }
    return User(role=roles[organisation.kind], organisation=organisation, is_active=True)


def can_administer(user) -> bool:
    """Users and master data are kept in the Django admin, by administrators alone."""
    return user.is_authenticated and user.is_admin
