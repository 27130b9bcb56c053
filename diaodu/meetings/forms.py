from collections import defaultdict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.core.forms import BootstrapMixin, VersionMixin
from diaodu.meetings import drafting
from diaodu.meetings.choices import MeetingKind, MeetingStatus
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


class MeetingForm(BootstrapMixin, VersionMixin, forms.ModelForm):
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


class DiscussionForm(BootstrapMixin, VersionMixin, forms.ModelForm):
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


# --- drafting a meeting from a published report ------------------------------------------


class ReportForm(BootstrapMixin, forms.Form):
    """The report to draft from: pasted, or uploaded as .txt or .docx."""

    text = forms.CharField(
        label=_("report text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paste the published report of the meeting (a news item or minutes), in "
            "Simplified or Traditional Chinese."
        ),
    )
    file = forms.FileField(
        label=_("or upload it"),
        required=False,
        help_text=_("A .txt (UTF-8 or GB18030) or .docx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:  # an unreadable upload has said so already
            data["report"] = drafting.read_report(data.get("text") or "", data.get("file"))
        return data


class DraftForm(BootstrapMixin, forms.Form):
    """What the coordinator keeps of a draft: the meeting, its agenda, new projects and
    decisions, one row of fields per proposal. The report travels in a hidden field and
    the draft is made again from it on confirming, so nothing is stored before then."""

    WHOLE_MEETING = ""
    IGNORE, CREATE, LINK = "ignore", "create", "link"

    report = forms.CharField(widget=forms.HiddenInput, strip=False)
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    status = forms.ChoiceField(label=_("status"), choices=MeetingForm.base_fields["status"].choices)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=_("chair"),
        queryset=User.objects.filter(role=Role.LEADER, is_active=True),
        required=False,
    )
    projects = forms.TypedMultipleChoiceField(
        label=_("projects on the agenda"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.TypedMultipleChoiceField(
        label=_("attendees"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.TypedMultipleChoiceField(
        label=_("attending organisations"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, draft, report: str, projects, **kwargs):
        self.draft = draft
        self.known_projects = {found.obj.pk: found.obj for found in draft.projects}
        # As on the meeting form: owners do not attend as people.
        self.people = {f.obj.pk: f.obj for f in draft.people if not f.obj.is_owner}
        self.known_organisations = {found.obj.pk: found.obj for found in draft.organisations}
        kwargs.setdefault("initial", self._initial(draft, report))
        # Added before the form is built, so BootstrapMixin styles them with the rest.
        self.base_fields = {**self.base_fields, **self._row_fields(draft, projects)}
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(pk, str(p)) for pk, p in self.known_projects.items()]
        self.fields["attendees"].choices = [(pk, str(p)) for pk, p in self.people.items()]
        self.fields["organisations"].choices = [
            (pk, str(o)) for pk, o in self.known_organisations.items()
        ]

    def _row_fields(self, draft, projects) -> dict:
        fields = {}
        for i, name in enumerate(draft.new_names):
            fields[f"new{i}_action"] = forms.ChoiceField(
                label=_("what to do"),
                choices=[
                    (self.IGNORE, _("ignore")),
                    (self.CREATE, _("create a new project")),
                    (self.LINK, _("link to an existing project")),
                ],
                initial=self.IGNORE,
                widget=forms.RadioSelect,
            )
            fields[f"new{i}_name"] = forms.CharField(
                label=_("name"), max_length=200, initial=name.name, required=False
            )
            fields[f"new{i}_link"] = forms.ModelChoiceField(
                label=_("existing project"), queryset=projects, required=False
            )
            fields[f"new{i}_code"] = forms.CharField(
                label=_("project number"), max_length=30, required=False
            )
            fields[f"new{i}_owner"] = forms.ModelChoiceField(
                label=_("owner"), queryset=Organisation.objects.enterprises(), required=False
            )
            fields[f"new{i}_lead_department"] = forms.ModelChoiceField(
                label=_("lead department"),
                queryset=Organisation.objects.departments(),
                required=False,
            )
            fields[f"new{i}_total_investment"] = forms.DecimalField(
                label=_("total investment (10k yuan)"),
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
            )
        where = [(self.WHOLE_MEETING, _("the whole meeting"))]
        where += [(f"p{found.obj.pk}", str(found.obj)) for found in draft.projects]
        where += [(f"n{i}", name.name) for i, name in enumerate(draft.new_names)]
        for j, decision in enumerate(draft.decisions):
            fields[f"decision{j}_keep"] = forms.BooleanField(
                label=_("keep"), required=False, initial=decision.required
            )
            fields[f"decision{j}_text"] = forms.CharField(
                label=_("decision"),
                max_length=2000,
                required=False,
                initial=decision.text,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            fields[f"decision{j}_where"] = forms.ChoiceField(
                label=_("for"), choices=where, required=False, initial=self._where(decision)
            )
        return fields

    @classmethod
    def _where(cls, decision) -> str:
        if decision.project is not None:
            return f"p{decision.project.pk}"
        if decision.new_name is not None:
            return f"n{decision.new_name}"
        return cls.WHOLE_MEETING

    @staticmethod
    def _initial(draft, report) -> dict:
        return {
            "report": report,
            "kind": draft.kind,
            "title": draft.title,
            "starts_at": draft.starts_at,
            "status": draft.status,
            "chair": draft.chair.obj.pk if draft.chair else None,
            "projects": [found.obj.pk for found in draft.projects],
            "attendees": [f.obj.pk for f in draft.people if not f.obj.is_owner],
            "organisations": [found.obj.pk for found in draft.organisations],
        }

    # --- what the template shows, one row per proposal ---

    def meeting_fields(self):
        return [self[name] for name in ("title", "kind", "starts_at", "status", "place", "chair")]

    def project_rows(self):
        return zip(self["projects"], self.draft.projects, strict=True)

    def new_name_rows(self):
        return [
            {
                "proposal": name,
                **{part: self[f"new{i}_{part}"] for part in self._NEW_PARTS},
            }
            for i, name in enumerate(self.draft.new_names)
        ]

    def decision_rows(self):
        return [
            {
                "proposal": decision,
                "keep": self[f"decision{j}_keep"],
                "text": self[f"decision{j}_text"],
                "where": self[f"decision{j}_where"],
            }
            for j, decision in enumerate(self.draft.decisions)
        ]

    _NEW_PARTS = ("action", "name", "link", "code", "owner", "lead_department", "total_investment")

    # --- checking and handing over ---

    def clean(self):
        data = super().clean()
        codes = set()
        for i in range(len(self.draft.new_names)):
            action = data.get(f"new{i}_action")
            if action == self.LINK and not data.get(f"new{i}_link"):
                self.add_error(f"new{i}_link", _("Choose the project to link to."))
            if action != self.CREATE:
                continue
            for part in ("name", "code", "owner", "lead_department", "total_investment"):
                if data.get(f"new{i}_{part}") in (None, ""):
                    self.add_error(f"new{i}_{part}", _("Needed to create the project."))
            code = data.get(f"new{i}_code")
            if code and (code in codes or Project.objects.filter(code=code).exists()):
                self.add_error(f"new{i}_code", _("Another project has this number."))
            codes.add(code)
        for j in range(len(self.draft.decisions)):
            if not data.get(f"decision{j}_keep"):
                continue
            if not (data.get(f"decision{j}_text") or "").strip():
                self.add_error(f"decision{j}_text", _("Write the decision, or do not keep it."))
        return data

    def confirmed(self) -> drafting.Confirmed:
        """The valid form as what ``drafting.confirm`` creates."""
        data = self.cleaned_data
        new_projects, new_index, linked = [], {}, {}
        for i in range(len(self.draft.new_names)):
            action = data[f"new{i}_action"]
            if action == self.LINK:
                linked[i] = data[f"new{i}_link"]
            elif action == self.CREATE:
                new_index[i] = len(new_projects)
                new_projects.append(
                    {
                        "name": data[f"new{i}_name"],
                        "code": data[f"new{i}_code"],
                        "owner": data[f"new{i}_owner"],
                        "lead_department": data[f"new{i}_lead_department"],
                        "total_investment": data[f"new{i}_total_investment"],
                        "plan_year": data["starts_at"].year,
                    }
                )
        decisions = []
        for j in range(len(self.draft.decisions)):
            if not data[f"decision{j}_keep"]:
                continue
            where = data[f"decision{j}_where"]
            if where.startswith("p"):
                target = self.known_projects[int(where[1:])]
            elif where.startswith("n"):
                # A project ignored: the decision is the whole meeting's.
                index = int(where[1:])
                target = linked.get(index, new_index.get(index))
            else:
                target = None
            decisions.append((data[f"decision{j}_text"].strip(), target))
        projects = [self.known_projects[pk] for pk in data["projects"]]
        projects += [project for project in linked.values() if project not in projects]
        return drafting.Confirmed(
            meeting={
                "kind": data["kind"],
                "title": data["title"],
                "starts_at": data["starts_at"],
                "status": data["status"],
                "place": data["place"],
                "chair": data["chair"],
                "attendees": [self.people[pk] for pk in data["attendees"]],
                "organisations": [self.known_organisations[pk] for pk in data["organisations"]],
                "report_hash": drafting.report_hash(data["report"]),
            },
            projects=projects,
            new_projects=new_projects,
            decisions=decisions,
        )
