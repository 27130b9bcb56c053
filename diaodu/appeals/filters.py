"""Filters for enterprise requests, shared by the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.appeals.choices import AppealStatus
from diaodu.appeals.models import AWAITING_RATING, Appeal, triage_overdue_q
from diaodu.lib.chinese import normalise_query
from diaodu.problems.choices import Category
from diaodu.problems.filters import YesNoAll
from diaodu.projects.filters import ALL, FilterForm, _visible_projects


class AppealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=AppealStatus.choices, empty_label=ALL
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=Category.choices, empty_label=ALL
    )
    overdue = django_filters.BooleanFilter(
        label=_("triage overdue"), method="filter_overdue", widget=YesNoAll
    )
    to_rate = django_filters.BooleanFilter(
        label=_("awaiting rating"), method="filter_to_rate", widget=YesNoAll
    )
    # Only what the caller may see is a valid choice: any other id is refused as a
    # nonexistent one is, so a filter cannot tell which ids exist.
    project = django_filters.ModelChoiceFilter(
        label=_("project"), queryset=_visible_projects, empty_label=ALL
    )

    class Meta:
        model = Appeal
        form = FilterForm
        fields = ["q", "status", "category", "overdue", "to_rate", "project"]

    def filter_text(self, queryset, name, value: str):
        key = normalise_query(value)
        if not key:
            return queryset
        return queryset.filter(Q(search_key__icontains=key) | Q(project__search_key__icontains=key))

    def filter_overdue(self, queryset, name, value):
        condition = triage_overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_to_rate(self, queryset, name, value):
        return queryset.filter(AWAITING_RATING) if value else queryset.exclude(AWAITING_RATING)
