"""Project filters, shared by the list page, exports and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.core.forms import BootstrapMixin
from diaodu.core.search import SearchFilter
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.org.names import NamedChoiceFilter
from diaodu.projects.access import visible_projects
from diaodu.projects.choices import Health, ReportStatus, Stage
from diaodu.projects.models import (
    AnnualReturn,
    Industry,
    Milestone,
    ProgressReport,
    Project,
    ProjectList,
)

ALL = _("all")


class FilterForm(BootstrapMixin, forms.Form):
    # Filters are short menus that submit on change; searching them would add a step.
    searchable_choices = False


def project_scope(
    path: str = "", lead_department: tuple[str, str] = ("lead_department", _("lead department"))
) -> type[django_filters.FilterSet]:
    """The filters that narrow projects by key-project list, industry, responsible leader,
    lead department and area: the dashboard's filters. A department, leader or area is
    given by id or by name (区资规局, 区党工委书记). ``path`` leads from the filtered rows
    to their project (``"project__"`` for problems), so a list behind a dashboard figure is
    narrowed by the very menus the figure was; ``lead_department`` names that filter where
    the rows have a lead department of their own."""
    name, label = lead_department
    filters = {
        name: NamedChoiceFilter(
            label=label,
            field_name=f"{path}lead_department",
            queryset=Organisation.objects.departments(),
            empty_label=ALL,
        ),
        "industry": django_filters.ModelChoiceFilter(
            label=_("industry"),
            field_name=f"{path}industry",
            queryset=Industry.objects.all(),
            empty_label=ALL,
        ),
        "list": django_filters.ModelChoiceFilter(
            label=_("key-project list"),
            field_name=f"{path}lists",
            queryset=ProjectList.objects.all(),
            empty_label=ALL,
        ),
        "responsible_leader": NamedChoiceFilter(
            label=_("responsible leader"),
            field_name=f"{path}responsible_leader",
            queryset=User.objects.filter(role=Role.LEADER),
            empty_label=ALL,
        ),
        "township": NamedChoiceFilter(
            label=_("area"),
            field_name=f"{path}township",
            queryset=Organisation.objects.filter(kind=OrganisationKind.TOWNSHIP),
            empty_label=ALL,
        ),
    }
    return type("ProjectScope", (django_filters.FilterSet,), filters)


#: The names of ``project_scope()``'s filters, in the order they are declared.
PROJECT_SCOPE_FIELDS = ("lead_department", "industry", "list", "responsible_leader", "township")


class ProjectFilter(project_scope()):
    q = SearchFilter()
    # A column of the project: no join, so no duplicate rows for DISTINCT to remove (over
    # every selected column, it was most of a filtered page's SQL).
    stage = django_filters.MultipleChoiceFilter(
        label=_("stage"), choices=Stage.choices, distinct=False
    )
    health = django_filters.ChoiceFilter(label=_("health"), choices=Health.choices, empty_label=ALL)
    ordering = django_filters.OrderingFilter(
        label=_("order by"),
        fields=[("code", "code"), ("name", "name"), ("total_investment", "total_investment")],
        field_labels={
            "code": _("project number"),
            "name": _("name"),
            "total_investment": _("total investment"),
        },
    )

    class Meta:
        model = Project
        form = FilterForm
        fields = ["q", "stage", "health", "lead_department", "industry", "list"]


def _visible_projects(request):
    """Only projects the caller may see are valid choices: any other id is refused as a
    nonexistent one is, so a filter cannot tell which ids exist."""
    return visible_projects(request.user) if request is not None else Project.objects.none()


class MilestoneFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=_visible_projects)

    class Meta:
        model = Milestone
        fields = ["project", "kind", "approving_department"]


class ProgressReportFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=_visible_projects)
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = ProgressReport
        fields = ["project", "period_kind", "status"]


class AnnualReturnFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=_visible_projects)
    year = django_filters.NumberFilter(label=_("year"))
    year_from = django_filters.NumberFilter(
        label=_("from year"), field_name="year", lookup_expr="gte"
    )

    class Meta:
        model = AnnualReturn
        fields = ["project", "year", "year_from"]
