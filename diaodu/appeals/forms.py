from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.appeals.choices import Satisfaction
from diaodu.appeals.models import Appeal
from diaodu.core.attachments import AttachmentsField
from diaodu.core.forms import BootstrapMixin, CleanTextMixin
from diaodu.problems.forms import DepartmentsMixin
from diaodu.problems.models import Problem
from diaodu.projects.forms import DateInput


class AppealRaiseForm(BootstrapMixin, forms.ModelForm):
    files = AttachmentsField()

    class Meta:
        model = Appeal
        fields = ["title", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": _(
                "What is blocking the project, what you have tried, and what you need from "
                "the zone."
            )
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project


class TriageForm(CleanTextMixin, forms.Form):
    """Carries the version the office read, and an optional note to the enterprise."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("note to the enterprise"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(BootstrapMixin, DepartmentsMixin, TriageForm, forms.ModelForm):
    """The problem the request becomes: what the office decides on top of its words."""

    class Meta:
        model = Problem
        fields = [
            "category",
            "severity",
            "level",
            "lead_department",
            "cooperating_departments",
            "due_date",
        ]
        widgets = {
            "due_date": DateInput(),
            "cooperating_departments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, appeal, **kwargs):
        kwargs.setdefault("initial", {}).update(
            {"category": appeal.category, "version": appeal.version}
        )
        # Three triage forms share the request's page: ids apart, names as they are.
        kwargs.setdefault("auto_id", "accept_%s")
        super().__init__(*args, **kwargs)
        # Not saved: the service makes the problem. The model's rules (a due date not in
        # the past) are checked here all the same, field by field.
        self.instance.project = appeal.project


class MergeForm(BootstrapMixin, TriageForm):
    problem = forms.ModelChoiceField(label=_("open problem of this project"), queryset=None)

    def __init__(self, *args, appeal, problems, **kwargs):
        kwargs.setdefault("initial", {})["version"] = appeal.version
        kwargs.setdefault("auto_id", "merge_%s")
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = problems
        self.fields["problem"].empty_label = _("Choose a problem")


class AnswerForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.CharField(
        label=_("answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, appeal, **kwargs):
        kwargs.setdefault("initial", {})["version"] = appeal.version
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)


class RateForm(BootstrapMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("satisfaction"),
        choices=[("", _("Choose")), *Satisfaction.choices],
        coerce=int,
    )
    comment = forms.CharField(
        label=_("comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
