"""Meeting filters, shared by the list page and the API."""

import django_filters

from diaodu.core.search import SearchFilter
from diaodu.meetings.models import Meeting
from diaodu.projects.filters import FilterForm


class MeetingFilter(django_filters.FilterSet):
    q = SearchFilter()

    class Meta:
        model = Meeting
        form = FilterForm
        fields = ["q", "kind", "status"]
