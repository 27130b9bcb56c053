"""Who may see organisations. Enterprises are commercial parties: an enterprise user sees
only its own, a department user those whose projects it works on."""

from django.db.models import Q

from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation


def visible_organisations(user):
    from diaodu.projects.access import visible_projects

    queryset = Organisation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    public = ~Q(kind=OrganisationKind.ENTERPRISE)
    if user.is_owner:
        return queryset.filter(public | Q(pk=user.organisation_id))
    owners = visible_projects(user).values("owner")
    return queryset.filter(public | Q(pk__in=owners))


def can_manage_organisations(user) -> bool:
    return user.is_authenticated and user.is_admin
