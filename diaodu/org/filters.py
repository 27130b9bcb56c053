"""Organisation filters, for the API."""

import django_filters

from diaodu.core.search import SearchFilter
from diaodu.org.models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        model = Organisation
        fields = ["q", "kind", "is_active"]
