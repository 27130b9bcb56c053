from collections import defaultdict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.core.forms import BootstrapMixin
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting
from diaodu.org.models import Organisation
from diaodu.problems.forms import DepartmentsMixin
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.forms import DateInput
from diaodu.projects.models import Project, ProjectList


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(BootstrapMixin, forms.ModelForm):
    # A meeting is recorded as upcoming or held; only issuing the minutes makes it issued.
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(s.value, s.label) for s in (MeetingStatus.UPCOMING, MeetingStatus.HELD)],
        initial=MeetingStatus.UPCOMING,
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_at",
            "status",
            "place",
            "chair",
            "attendees",
            "organisations",
            "previous",
            "preamble",
            "closing",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "attendees": forms.SelectMultiple(attrs={"size": 8}),
            "organisations": forms.SelectMultiple(attrs={"size": 8}),
            "preamble": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = User.objects.filter(role=Role.LEADER, is_active=True)
        self.fields["attendees"].queryset = User.objects.filter(is_active=True).exclude(
            role=Role.OWNER
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True)
        previous = Meeting.objects.order_by("-starts_at")
        if self.instance.pk:
            previous = previous.exclude(pk=self.instance.pk)
        self.fields["previous"].queryset = previous


class AgendaAddForm(BootstrapMixin, forms.Form):
    """Quick ways to build an agenda: pick projects, or add a whole group at once."""

    GROUPS = [
        ("", _("— pick projects below —")),
        ("attention", _("all delayed and at-risk projects")),
        ("overdue_problems", _("all projects with overdue problems")),
    ]
    group = forms.ChoiceField(label=_("add a group"), choices=GROUPS, required=False)
    project_list = forms.ModelChoiceField(
        label=_("or a key-project list"), queryset=ProjectList.objects.all(), required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("or these projects"),
        queryset=Project.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("group") or data.get("project_list") or data.get("projects")):
            raise forms.ValidationError(_("Choose projects, a group or a list to add."))
        return data


class DiscussionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["summary", "decisions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class MeetingActionForm(BootstrapMixin, DepartmentsMixin, forms.ModelForm):
    """An action item assigned during the meeting: lead department and due date required."""

    class Meta:
        model = ActionItem
        fields = ["title", "lead_department", "cooperating_departments", "due_date", "problem"]
        widgets = {
            "due_date": DateInput(),
            "cooperating_departments": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = project.problems.all()
        self.instance.project = project

    @classmethod
    def blank_for_agenda(cls, items) -> dict:
        """An empty form for each agenda item, by item id, with the departments and the
        problems read once for the whole agenda instead of three queries per item. The
        forms are only shown: a post is checked by a form of its own, against the
        querysets."""
        departments = [
            (o.pk, str(o)) for o in Organisation.objects.departments().filter(is_active=True)
        ]
        problems = defaultdict(list)
        for problem in Problem.objects.filter(project__in=[item.project_id for item in items]):
            problems[problem.project_id].append((problem.pk, str(problem)))
        forms_by_item = {}
        for item in items:
            form = cls(project=item.project, prefix=f"a{item.pk}")
            fields = form.fields
            fields["lead_department"].choices = [
                ("", fields["lead_department"].empty_label),
                *departments,
            ]
            fields["cooperating_departments"].choices = departments
            fields["problem"].choices = [
                ("", fields["problem"].empty_label),
                *problems[item.project_id],
            ]
            forms_by_item[item.pk] = form
        return forms_by_item


class EventBatchForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = EventBatch
        fields = ["name", "kind", "date", "place", "projects"]
        widgets = {"date": DateInput(), "projects": forms.CheckboxSelectMultiple}


class HoldBatchForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput(), initial=timezone.localdate)
