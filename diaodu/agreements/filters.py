"""Filters for agreements and commitments, shared by the pages, the ledger export and the
API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diaodu.agreements import access
from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side
from diaodu.agreements.models import Agreement, Commitment
from diaodu.lib.chinese import normalise_query
from diaodu.org.models import Organisation
from diaodu.org.names import NamedChoiceFilter
from diaodu.projects.filters import ALL, FilterForm, _visible_projects


def _departments(request):
    return Organisation.objects.departments()


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="filter_text")
    state = django_filters.ChoiceFilter(
        label=_("fulfilment"), choices=Fulfilment.choices, method="filter_state", empty_label=ALL
    )
    side = django_filters.ChoiceFilter(label=_("side"), choices=Side.choices, empty_label=ALL)
    department = NamedChoiceFilter(label=_("department"), queryset=_departments, empty_label=ALL)
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=CommitmentKind.choices, empty_label=ALL
    )
    measure = django_filters.ChoiceFilter(
        label=_("measured by"), choices=Measure.choices, empty_label=ALL
    )
    # Only what the caller may see is a valid choice, as everywhere.
    project = django_filters.ModelChoiceFilter(
        label=_("project"),
        field_name="agreement__project",
        queryset=_visible_projects,
        empty_label=ALL,
    )

    class Meta:
        model = Commitment
        form = FilterForm
        fields = ["q", "state", "side", "department", "kind", "measure", "project"]

    def filter_text(self, queryset, name, value: str):
        key = normalise_query(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(search_key__icontains=key)
            | Q(agreement__search_key__icontains=key)
            | Q(agreement__project__search_key__icontains=key)
        )

    def filter_state(self, queryset, name, value: str):
        return queryset.filter(fulfilment=value)


class AgreementFilter(django_filters.FilterSet):
    """Agreements, and which of them hold a commitment in a state, by a side or a
    department."""

    q = django_filters.CharFilter(label=_("search"), method="filter_text")
    state = django_filters.ChoiceFilter(
        label=_("has a commitment"),
        choices=Fulfilment.choices,
        method="filter_state",
        empty_label=ALL,
    )
    side = django_filters.ChoiceFilter(
        label=_("committing side"), choices=Side.choices, method="filter_side", empty_label=ALL
    )
    department = NamedChoiceFilter(
        label=_("department"),
        queryset=_departments,
        method="filter_department",
        empty_label=ALL,
    )
    project = django_filters.ModelChoiceFilter(
        label=_("project"), queryset=_visible_projects, empty_label=ALL
    )

    class Meta:
        model = Agreement
        form = FilterForm
        fields = ["q", "state", "side", "department", "project"]

    def filter_text(self, queryset, name, value: str):
        key = normalise_query(value)
        if not key:
            return queryset
        return queryset.filter(Q(search_key__icontains=key) | Q(project__search_key__icontains=key))

    def _having(self, queryset, condition):
        # Only the commitments the caller may see count: a department cannot learn the
        # state of the enterprise's commitments through the filter.
        user = self.request.user if self.request is not None else None
        commitments = (
            access.visible_commitments(user) if user is not None else Commitment.objects.none()
        )
        return queryset.filter(pk__in=condition(commitments).values("agreement"))

    def filter_state(self, queryset, name, value: str):
        return self._having(queryset, lambda commitments: commitments.filter(fulfilment=value))

    def filter_side(self, queryset, name, value: str):
        return self._having(queryset, lambda commitments: commitments.filter(side=value))

    def filter_department(self, queryset, name, value: Organisation):
        return self._having(queryset, lambda commitments: commitments.filter(department=value))
