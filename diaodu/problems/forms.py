from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.core.attachments import AttachmentsField
from diaodu.core.forms import BootstrapMixin, VersionMixin
from diaodu.org.models import Organisation
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.forms import DateInput, LeadAndCooperatingMixin


class DepartmentsMixin(LeadAndCooperatingMixin):
    """Lead and cooperating departments are chosen among departments, townships and the
    office; cooperating ones never include the lead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Organisation.objects.departments().filter(is_active=True)
        if "lead_department" in self.fields:
            self.fields["lead_department"].queryset = departments
        if "cooperating_departments" in self.fields:
            self.fields["cooperating_departments"].queryset = departments


class ProblemRaiseForm(BootstrapMixin, DepartmentsMixin, forms.ModelForm):
    files = AttachmentsField()

    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "category",
            "severity",
            "level",
            "lead_department",
            "cooperating_departments",
            "due_date",
        ]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "cooperating_departments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project


class ProblemEditForm(BootstrapMixin, DepartmentsMixin, VersionMixin, forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "category",
            "severity",
            "level",
            "lead_department",
            "cooperating_departments",
            "due_date",
            "root_cause",
        ]
        widgets = ProblemRaiseForm.Meta.widgets | {"root_cause": forms.Textarea(attrs={"rows": 3})}


class UpdateForm(BootstrapMixin, forms.Form):
    """A dated update on a problem, or feedback on an action item, with files."""

    text = forms.CharField(
        label=_("update"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = AttachmentsField()


class ProblemTransitionForm(BootstrapMixin, forms.Form):
    to_status = forms.ChoiceField(choices=ProblemStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(
        label=_("comment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    root_cause = forms.CharField(
        label=_("root cause"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolution = forms.CharField(
        label=_("resolution"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionItemForm(BootstrapMixin, DepartmentsMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = [
            "title",
            "description",
            "project",
            "problem",
            "lead_department",
            "cooperating_departments",
            "due_date",
        ]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "cooperating_departments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, projects, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["problem"].queryset = problems.select_related("project")


class ActionItemEditForm(VersionMixin, ActionItemForm):
    pass


class ActionTransitionForm(BootstrapMixin, forms.Form):
    to_status = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(
        label=_("comment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = AttachmentsField()
