"""People filters, for the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.models import User
from diaodu.core.search import SearchFilter
from diaodu.org.access import visible_organisations
from diaodu.org.models import Organisation
from diaodu.org.names import NamedChoiceFilter


def _visible_organisations(request):
    """Only organisations the caller may see are valid choices, by id or by name: another
    is refused as a nonexistent one is, and never offered as the nearest name."""
    return (
        visible_organisations(request.user) if request is not None else Organisation.objects.none()
    )


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter()
    organisation = NamedChoiceFilter(label=_("organisation"), queryset=_visible_organisations)

    class Meta:
        model = User
        fields = ["q", "organisation", "role"]
