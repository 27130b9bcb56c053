from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.core.attachments import PhotosField
from diaodu.core.forms import BootstrapMixin, CleanTextMixin, VersionMixin
from diaodu.org.models import Organisation
from diaodu.projects.choices import RoundKind
from diaodu.projects.models import (
    AnnualReturn,
    Milestone,
    ProgressReport,
    Project,
    ReportingRound,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LeadAndCooperatingMixin:
    """A form whose lead department is not also one of its cooperating departments."""

    def clean(self):
        data = super().clean()
        lead, cooperating = data.get("lead_department"), data.get("cooperating_departments")
        if lead and cooperating and lead in cooperating:
            self.add_error(
                "cooperating_departments",
                _("The lead department cannot also be a cooperating department."),
            )
        return data


class ProjectForm(BootstrapMixin, LeadAndCooperatingMixin, VersionMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "national_code",
            "name",
            "owner",
            "industry",
            "project_type",
            "lists",
            "township",
            "location",
            "total_investment",
            "plan_year",
            "annual_plan",
            "land_area",
            "construction_content",
            "responsible_leader",
            "lead_department",
            "cooperating_departments",
            "stage",
        ]
        widgets = {
            "construction_content": forms.Textarea(attrs={"rows": 4}),
            "lists": forms.CheckboxSelectMultiple,
            "cooperating_departments": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.enterprises()
        self.fields["lead_department"].queryset = Organisation.objects.departments()
        self.fields["cooperating_departments"].queryset = Organisation.objects.departments()
        self.fields["responsible_leader"].queryset = User.objects.filter(
            role=Role.LEADER, is_active=True
        )
        if not self.instance.pk:
            self.fields["plan_year"].initial = timezone.localdate().year

    def clean_national_code(self):
        # An empty code is "none yet", stored as NULL so uniqueness ignores it.
        return self.cleaned_data["national_code"] or None


class MilestonePlanForm(BootstrapMixin, VersionMixin, forms.ModelForm):
    """The office's form: planned date, confirmed actual date, approving department."""

    class Meta:
        model = Milestone
        fields = ["planned_date", "applied_date", "actual_date", "approving_department", "note"]
        widgets = {
            "planned_date": DateInput(),
            "applied_date": DateInput(),
            "actual_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_department"].queryset = Organisation.objects.departments()


class MilestoneReplanForm(CleanTextMixin, forms.Form):
    """A new planned date, as the Gantt chart sends it when the office drags a milestone."""

    planned_date = forms.DateField(
        label=_("planned date"), input_formats=["%Y-%m-%d"], widget=DateInput()
    )

    def clean_planned_date(self):
        value = self.cleaned_data["planned_date"]
        # The years a project's plan can name; a drag far off the chart is a slip.
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return value


class MilestoneAddForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "planned_date", "note"]
        widgets = {"planned_date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["kind"].queryset = self.fields["kind"].queryset.exclude(
            milestones__project=project
        )


class MilestoneReportForm(BootstrapMixin, forms.Form):
    """The owner's form: the date the milestone was achieved."""

    reported_date = forms.DateField(label=_("date achieved"), widget=DateInput())
    photos = PhotosField()

    def clean_reported_date(self):
        value = self.cleaned_data["reported_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date achieved cannot be in the future."))
        return value


class ProgressReportForm(BootstrapMixin, VersionMixin, forms.ModelForm):
    photos = PhotosField()

    class Meta:
        model = ProgressReport
        fields = ["period_kind", "period_start", "narrative", "investment"]
        widgets = {"period_start": DateInput(), "narrative": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "period_start": _(
                "Any day in the period: it is moved to the week's Monday or the month's first day."
            )
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project


class AnnualReturnForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AnnualReturn
        fields = ["year", "output", "tax", "energy"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["year"].initial = timezone.localdate().year - 1

    def validate_unique(self):
        # A second return for a year corrects the first (the service updates it).
        pass


class ReviewForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("approve")), ("0", _("return for revision"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("review note"), max_length=500, required=False)


class ReportingRoundForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["title", "kind", "period_kind", "period_start", "due_date", "projects"]
        widgets = {
            "period_start": DateInput(),
            "due_date": DateInput(),
            "projects": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "period_start": _(
                "Any day in the period: it is moved to the week's Monday or the month's first "
                "day. For annual returns, any day in the year reported."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.order_by("code")
        # A post without a kind asks for progress reports, as rounds did before kinds.
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data["kind"] or RoundKind.PROGRESS
