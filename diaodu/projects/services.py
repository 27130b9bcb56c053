"""Every write to projects, milestones and progress reports goes through here.

Each function is atomic, takes the acting user as ``actor=`` and logs the change. Callers
check permissions first (``access.py``); these functions enforce the domain rules.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diaodu.core import derived, history, services
from diaodu.core.attachments import attach
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.messages import message
from diaodu.notifications.services import emit, notify
from diaodu.org.models import Organisation
from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import (
    AnnualReturn,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
    ReportingRound,
)


@transaction.atomic
def create_project(data: dict, *, actor) -> Project:
    """Create a project and its milestones from the template of kinds."""
    project = services.create(actor, Project, dict(data))
    Milestone.objects.bulk_create(
        Milestone(project=project, kind=kind, approving_department=kind.approving_department)
        for kind in MilestoneKind.objects.filter(in_template=True)
    )
    derived.changed(project)
    return project


@transaction.atomic
def update_project(project: Project, changes: dict, *, actor, version=None) -> Project:
    """``version`` is the one the editor read: a stale one raises ``Conflict``."""
    services.update_versioned(actor, project, changes, version)
    derived.changed(project)
    return project


@transaction.atomic
def plan_milestone(milestone: Milestone, changes: dict, *, actor, version=None) -> Milestone:
    """The office sets planned and confirmed actual dates. Confirming clears the report.
    A milestone is achieved when it first gets a confirmed actual date (confirming the
    owner's report, an event batch held, the office's own entry); a later correction of
    the date is not news."""
    if changes.get("actual_date") and milestone.reported_date == changes["actual_date"]:
        changes = {**changes, "reported_date": None, "reported_by": None}
    achieved = changes.get("actual_date") is not None and not (
        Milestone.objects.filter(pk=milestone.pk, actual_date__isnull=False).exists()
    )
    services.update_versioned(actor, milestone, changes, version, related=milestone.project)
    derived.changed(milestone)
    if achieved:
        emit(WebhookEvent.MILESTONE_ACHIEVED, milestone, actor)
    return milestone


@transaction.atomic
def add_milestone(project: Project, data: dict, *, actor) -> Milestone:
    kind = data["kind"]
    data = {"approving_department": kind.approving_department, **data}
    milestone = services.create(actor, Milestone, data, related=project, project=project)
    derived.changed(milestone)
    return milestone


@transaction.atomic
def remove_milestone(milestone: Milestone, *, actor) -> None:
    """Drop a time node that does not apply to this project; the log keeps its values."""
    if milestone.actual_date is not None:
        raise ValidationError(_("An achieved milestone cannot be removed."))
    history.record(
        actor,
        milestone,
        ChangeAction.DELETE,
        before=history.snapshot(milestone),
        related=milestone.project,
    )
    milestone.delete()
    derived.changed(milestone)


@transaction.atomic
def report_milestone(milestone: Milestone, reported_date, *, actor, photos=()) -> Milestone:
    """The owner reports a milestone achieved, with photos of it if they like; it counts
    once the office confirms it."""
    if milestone.actual_date is not None:
        raise ValidationError(_("This milestone is already confirmed as achieved."))
    services.update(
        actor,
        milestone,
        {"reported_date": reported_date, "reported_by": actor},
        related=milestone.project,
    )
    notify(
        event="milestone_reported",
        title=message(
            gettext_noop("%(milestone)s reported achieved on %(date)s, to confirm"),
            milestone=milestone,
            date=reported_date.isoformat(),
        ),
        url=milestone.project.get_absolute_url(),
        organisations=Organisation.objects.office(),
        actor=actor,
    )
    attach(milestone, photos, actor=actor)
    return milestone


@transaction.atomic
def confirm_milestone(milestone: Milestone, *, actor) -> Milestone:
    if milestone.reported_date is None:
        raise ValidationError(_("There is no reported date to confirm."))
    return plan_milestone(milestone, {"actual_date": milestone.reported_date}, actor=actor)


def _report_submitted(report: ProgressReport, *, actor) -> None:
    notify(
        event="report_submitted",
        title=message(gettext_noop("Progress report to review: %(report)s"), report=report),
        body=report.narrative,
        url=reverse("projects:report_review", args=[report.pk]),
        organisations=Organisation.objects.office(),
        actor=actor,
    )


@transaction.atomic
def submit_report(project: Project, data: dict, *, actor) -> ProgressReport:
    data = dict(data)
    photos = data.pop("photos", None)
    report = services.create(
        actor,
        ProgressReport,
        data,
        related=project,
        project=project,
        submitted_by=actor,
        status=ReportStatus.SUBMITTED,
    )
    attach(report, photos, actor=actor)
    _report_submitted(report, actor=actor)
    return report


@transaction.atomic
def revise_report(report: ProgressReport, changes: dict, *, actor, version=None) -> ProgressReport:
    """An owner corrects a report; a returned report goes back to the office."""
    stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and stored.version != version:
        raise services.Conflict(stored)
    if stored.status == ReportStatus.APPROVED:
        raise ValidationError(_("An approved report can no longer be changed."))
    changes = dict(changes)
    photos = changes.pop("photos", None)
    attach(report, photos, actor=actor)
    if stored.status == ReportStatus.SUBMITTED and all(
        getattr(stored, name) == value for name, value in changes.items()
    ):
        return report  # nothing changed: not a new submission, nothing to log
    changes = {**changes, "status": ReportStatus.SUBMITTED, "submitted_at": timezone.now()}
    services.update(actor, report, changes, related=report.project)
    _report_submitted(report, actor=actor)
    return report


@transaction.atomic
def review_report(report: ProgressReport, *, approve: bool, note: str = "", actor):
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(_("This report is already approved."))
    if not approve and not note.strip():
        raise ValidationError({"review_note": _("Say what needs revising.")})
    services.update(
        actor,
        report,
        {
            "status": ReportStatus.APPROVED if approve else ReportStatus.RETURNED,
            "review_note": note.strip(),
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        },
        related=report.project,
    )
    if approve:
        title = gettext_noop("Progress report approved: %(report)s")
    else:
        title = gettext_noop("Progress report returned for revision: %(report)s")
    notify(
        event="report_approved" if approve else "report_returned",
        title=message(title, report=report),
        body=report.review_note,
        url=report.project.get_absolute_url(),
        organisations=[report.project.owner],
        actor=actor,
    )
    return report


def history_of(project: Project):
    """The project's change log, its milestones' and reports' included."""
    return (
        ChangeLog.objects.for_object(project)
        .select_related("actor", "object_type")
        .order_by("-timestamp", "-pk")
    )


@transaction.atomic
def record_annual_return(project: Project, data: dict, *, actor) -> AnnualReturn:
    """An enterprise's output and tax for a year; a second return for the year corrects it."""
    existing = project.returns.filter(year=data["year"]).first()
    if existing is not None:
        services.update(actor, existing, dict(data), related=project)
        return existing
    return services.create(actor, AnnualReturn, dict(data), related=project, project=project)


@transaction.atomic
def open_round(data: dict, *, actor) -> ReportingRound:
    """Open a reporting round and tell every owner of its projects what is due when."""
    reporting_round = services.create(actor, ReportingRound, dict(data), opened_by=actor)
    if reporting_round.asks_for_returns:
        title = gettext_noop("Annual return requested: %(title)s, due %(date)s")
    else:
        title = gettext_noop("Progress report requested: %(title)s, due %(date)s")
    notify(
        event="round_opened",
        title=message(title, title=reporting_round, date=reporting_round.due_date.isoformat()),
        url=reporting_round.get_absolute_url(),
        organisations={p.owner for p in reporting_round.projects.select_related("owner")},
        actor=actor,
    )
    return reporting_round


@transaction.atomic
def close_round(reporting_round: ReportingRound, *, actor) -> ReportingRound:
    services.update(actor, reporting_round, {"is_open": False})
    return reporting_round
