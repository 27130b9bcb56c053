"""Who may see people: those of the organisations one may see."""

from diaodu.accounts.models import User


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
