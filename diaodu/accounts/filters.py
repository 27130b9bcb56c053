"""People filters, for the API."""

import django_filters

from diaodu.accounts.models import User
from diaodu.core.search import SearchFilter


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        model = User
        fields = ["q", "organisation", "role"]
