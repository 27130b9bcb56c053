"""Who may see people: those of the organisations one may see; and what each role may do,
in a sentence for the person refused something."""

from django.utils.translation import gettext as _

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


def landing_page(user) -> str:
    """Where a person lands after logging in (and on the site's address): their daily
    work. Leaders read the dashboard, departments work from their desk, owners from their
    projects (where open reporting rounds are shown), the office from its inbox."""
    if user.is_coordinator:
        return "inbox:inbox"
    if user.is_leader:
        return "dashboard:dashboard"
    if user.is_department_staff and user.organisation_id is not None:
        return "problems:desk"
    return "projects:project_list"


def what_you_may_do(user) -> str:
    """One sentence telling a person what their role lets them do, for the page that tells
    them they may not do what they just tried."""
    if not user.is_authenticated:
        return _("Log in to see the projects, problems and meetings your role gives you.")
    if user.is_admin:
        return _("As an administrator you can do everything, including managing people.")
    if user.is_coordinator:
        return _(
            "As the coordination office you can work on every project, milestone, meeting, "
            "problem and action item."
        )
    if user.is_leader:
        return _(
            "As a leader you can see everything, comment, give instructions and assign "
            "action items."
        )
    if user.is_department_staff:
        return _(
            "As department staff you can work on the problems and action items assigned to "
            "%(organisation)s from your desk."
        ) % {"organisation": user.organisation}
    if user.is_owner:
        return _(
            "As a project owner you can report progress, raise problems and report "
            "milestones on the projects of %(organisation)s."
        ) % {"organisation": user.organisation}
    return _("Your account has no role yet: ask the coordination office to give you one.")


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


def own_tokens(user):
    """The API tokens a person may list and revoke: their own, and nobody else's."""
    from diaodu.accounts.models import ApiToken

    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)
