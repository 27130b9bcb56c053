"""Filters for problems and action items, shared by the supervision page, the desks,
exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diaodu.core.search import SearchFilter
from diaodu.org.models import Organisation
from diaodu.org.names import NamedChoiceFilter
from diaodu.problems import access, lights
from diaodu.problems.choices import ActionStatus, Category, Level, Light, ProblemStatus, Severity
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.access import visible_projects
from diaodu.projects.filters import ALL, FilterForm, project_scope
from diaodu.projects.models import Project


class YesNoAll(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", ALL), ("true", _("yes")), ("false", _("no")))


def _visible_projects(request):
    return visible_projects(request.user) if request is not None else Project.objects.none()


def _visible_problems(request):
    return access.visible_problems(request.user) if request is not None else Problem.objects.none()


#: The project list's (and the dashboard's) filters by their names here: there
#: ``lead_department`` is the project's; here that name is the row's own lead department.
PROJECT_FILTERS = {
    "list": "list",
    "industry": "industry",
    "responsible_leader": "responsible_leader",
    "lead_department": "project_lead_department",
    "township": "township",
}


class AssignmentFilter(
    project_scope(
        "project__", lead_department=("project_lead_department", _("project's lead department"))
    )
):
    q = SearchFilter()
    # Lead or cooperating: everything a department has a hand in.
    department = NamedChoiceFilter(
        label=_("department"),
        queryset=Organisation.objects.departments(),
        method="filter_department",
        empty_label=ALL,
    )
    # The lead only: what the dashboard and the scorecard count a department by.
    lead_department = NamedChoiceFilter(
        label=_("lead department"), queryset=Organisation.objects.departments(), empty_label=ALL
    )
    # Only what the caller may see is a valid choice: any other id is refused as a
    # nonexistent one is, so a filter cannot tell which ids exist.
    project = django_filters.ModelChoiceFilter(
        label=_("project"), queryset=_visible_projects, empty_label=ALL
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue only"), method="filter_overdue", widget=YesNoAll
    )
    light = django_filters.ChoiceFilter(label=_("light"), choices=Light.choices, empty_label=ALL)
    open = django_filters.BooleanFilter(label=_("open only"), method="filter_open", widget=YesNoAll)

    class Meta:
        form = FilterForm
        fields = ["q", "department", "lead_department", "project"]

    def filter_department(self, queryset, name, value: Organisation):
        involved = queryset.model.objects.filter(
            Q(lead_department=value) | Q(cooperating_departments=value)
        ).values("pk")
        return queryset.filter(pk__in=involved)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(light=Light.RED) if value else queryset.exclude(light=Light.RED)

    def filter_open(self, queryset, name, value):
        condition = lights.open_q(queryset.model)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ProblemFilter(AssignmentFilter):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ProblemStatus.choices, empty_label=ALL
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=Category.choices, empty_label=ALL
    )
    level = django_filters.ChoiceFilter(
        label=_("escalation level"), choices=Level.choices, empty_label=ALL
    )
    severity = django_filters.ChoiceFilter(
        label=_("severity"), choices=Severity.choices, empty_label=ALL
    )

    class Meta(AssignmentFilter.Meta):
        model = Problem
        fields = [
            "q",
            "department",
            "lead_department",
            "project",
            "status",
            "category",
            "level",
            "severity",
        ]


class ActionItemFilter(AssignmentFilter):
    problem = django_filters.ModelChoiceFilter(
        label=_("problem"), queryset=_visible_problems, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ActionStatus.choices, empty_label=ALL
    )

    class Meta(AssignmentFilter.Meta):
        model = ActionItem
        fields = ["q", "department", "lead_department", "project", "problem", "status"]
