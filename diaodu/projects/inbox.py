"""Progress reports, milestones and reporting rounds waiting for someone (see
``diaodu.inbox.sources``).

- the office: progress reports submitted (or revised) and awaiting review; achieved dates
  owners reported, awaiting confirmation;
- an owner: open reporting rounds in which one of its projects has not reported yet;
  reports returned for revision; milestones whose planned date has passed with no
  achieved date reported or confirmed.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.inbox.sources import Source
from diaodu.projects import access
from diaodu.projects.choices import ReportStatus, RoundKind
from diaodu.projects.models import AnnualReturn, ProgressReport, ReportingRound

# --- the office -------------------------------------------------------------------------


def reports_to_review(user):
    return (
        access.visible_reports(user)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("project", "submitted_by")
        .annotate(waiting_since=F("submitted_at"))
        .order_by("waiting_since", "pk")
    )


def milestones_to_confirm(user):
    return (
        access.visible_milestones(user)
        .filter(reported_date__isnull=False, actual_date__isnull=True)
        .select_related("project", "kind", "reported_by")
        .annotate(waiting_since=F("reported_date"))
        .order_by("waiting_since", "pk")
    )


# --- owners -----------------------------------------------------------------------------


def rounds_to_report(user):
    """One row per open round and project of the owner's that has not reported in it."""
    reported = ProgressReport.objects.filter(
        project=OuterRef("project"),
        period_kind=OuterRef("reportinground__period_kind"),
        period_start=OuterRef("reportinground__period_start"),
    )
    returned = AnnualReturn.objects.filter(project=OuterRef("project"), year=OuterRef("year"))
    return (
        ReportingRound.projects.through.objects.filter(
            reportinground__is_open=True, project__in=access.visible_projects(user)
        )
        .annotate(year=ExtractYear("reportinground__period_start"))
        .annotate(has_report=Exists(reported), has_return=Exists(returned))
        .exclude(
            Q(reportinground__kind=RoundKind.PROGRESS, has_report=True)
            | Q(reportinground__kind=RoundKind.ANNUAL_RETURN, has_return=True)
        )
        .select_related("reportinground", "project")
        .annotate(waiting_since=F("reportinground__created_at"))
        .order_by("waiting_since", "pk")
    )


def reports_returned(user):
    return (
        access.visible_reports(user)
        .filter(status=ReportStatus.RETURNED)
        .select_related("project", "reviewed_by")
        .annotate(waiting_since=F("reviewed_at"))
        .order_by("waiting_since", "pk")
    )


def milestones_to_report(user):
    return (
        access.visible_milestones(user)
        .filter(
            planned_date__lt=timezone.localdate(),
            actual_date__isnull=True,
            reported_date__isnull=True,
        )
        .select_related("project", "kind")
        .annotate(waiting_since=F("planned_date"))
        .order_by("waiting_since", "pk")
    )


def _project_page(item) -> str:
    return item.project.get_absolute_url()


INBOX_SOURCES = [
    Source(
        key="reports_submitted",
        label=_("Progress reports awaiting review"),
        applies=access.can_review_reports,
        rule=reports_to_review,
        template="inbox/rows/report_submitted.html",
        explanation=_("Approve a report, or return it for revision saying what to change."),
        url=_project_page,
    ),
    Source(
        key="milestones_reported",
        label=_("Milestone dates awaiting confirmation"),
        applies=access.can_confirm_milestones,
        rule=milestones_to_confirm,
        template="inbox/rows/milestone_reported.html",
        explanation=_("Dates owners reported as achieved; they count once confirmed."),
        url=_project_page,
    ),
    Source(
        key="rounds_open",
        label=_("Progress reports requested"),
        applies=access.reports_as_owner,
        rule=rounds_to_report,
        template="inbox/rows/round_open.html",
        explanation=_("Open reporting rounds in which your project has not reported yet."),
        title=lambda row: row.reportinground,
        url=lambda row: row.reportinground.get_absolute_url(),
    ),
    Source(
        key="reports_returned",
        label=_("Reports returned for revision"),
        applies=access.reports_as_owner,
        rule=reports_returned,
        template="inbox/rows/report_returned.html",
        explanation=_("Revise the report as the office asks; it goes back for review."),
        url=_project_page,
    ),
    Source(
        key="milestones_due",
        label=_("Milestones to report"),
        applies=access.reports_as_owner,
        rule=milestones_to_report,
        template="inbox/rows/milestone_due.html",
        explanation=_("The planned date has passed and no achieved date is reported yet."),
        url=_project_page,
    ),
]
