"""The briefing pack: what a leader needs on each agenda project, gathered in a fixed number
of queries however long the agenda."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from diaodu.problems import lights
from diaodu.problems.access import visible_action_items, visible_problems
from diaodu.projects import health
from diaodu.projects.choices import ReportStatus
from diaodu.projects.investment import totals_for
from diaodu.projects.models import Milestone, ProgressReport
from diaodu.sites.access import visible_photos

#: Photos per agenda project in the briefing pack and the minutes' annex.
PHOTOS_PER_PROJECT = 3


@dataclass
class Brief:
    item: object  # the agenda item
    assessment: health.Assessment
    due_milestones: list
    latest_report: ProgressReport | None
    totals: object
    open_problems: list
    earlier_actions: list
    meeting_actions: list = field(default_factory=list)
    photos: list = field(default_factory=list)

    @property
    def project(self):
        return self.item.project

    @property
    def next_milestone(self):
        return self.item.project.next_milestone


def briefs(meeting, agenda, user, today: date) -> list[Brief]:
    """One ``Brief`` per agenda item, in agenda order, with the reports and problems known
    on the meeting's day: the minutes of a May meeting, printed in December, do not show
    November's reports."""
    held = timezone.localdate(meeting.starts_at)
    agenda = list(
        agenda.select_related(
            "project__owner",
            "project__lead_department",
            "project__responsible_leader",
            "project__health_milestone__kind",
            "project__next_milestone__kind",
        ).prefetch_related(
            Prefetch(
                "project__milestones",
                queryset=Milestone.objects.select_related("kind", "approving_department"),
            )
        )
    )
    projects = [item.project for item in agenda]
    project_ids = [p.pk for p in projects]

    latest = {}
    reports = ProgressReport.objects.filter(
        project__in=project_ids, period_start__lte=held
    ).exclude(status=ReportStatus.RETURNED)
    for report in reports.order_by("project_id", "-period_start", "-pk"):
        latest.setdefault(report.project_id, report)

    problems = defaultdict(list)
    open_problems = visible_problems(user).filter(
        project__in=project_ids, status__in=lights.OPEN_PROBLEM, raised_on__lte=held
    )
    for problem in (
        open_problems.select_related("lead_department")
        .prefetch_related("cooperating_departments")
        .order_by("due_date")
    ):
        problems[problem.project_id].append(problem)

    actions = defaultdict(list)
    this_meeting = defaultdict(list)
    items = visible_action_items(user).filter(project__in=project_ids)
    items = items.select_related("lead_department", "meeting")
    for action in items.filter(Q(status__in=lights.OPEN_ACTION) | Q(meeting=meeting)).order_by(
        "due_date"
    ):
        if action.meeting_id == meeting.pk:
            this_meeting[action.project_id].append(action)
        else:
            actions[action.project_id].append(action)

    photos = defaultdict(list)
    for photo in latest_photos(user, project_ids):
        photos[photo.project_id].append(photo)

    money = totals_for(projects)
    result = []
    for item in agenda:
        milestones = list(item.project.milestones.all())
        result.append(
            Brief(
                item=item,
                assessment=item.project.assessment,
                due_milestones=[
                    m
                    for m in milestones
                    if health.milestone_state(m, today).code in ("overdue", "due_soon")
                ],
                latest_report=latest.get(item.project_id),
                totals=money[item.project_id],
                open_problems=problems[item.project_id],
                earlier_actions=actions[item.project_id],
                meeting_actions=this_meeting[item.project_id],
                photos=photos[item.project_id],
            )
        )
    return result


def latest_photos(user, project_ids, per_project: int = PHOTOS_PER_PROJECT):
    """The latest photos of each project the user may see, newest first: one query."""
    newest_first = [F("taken_at").desc(nulls_last=True), F("uploaded_at").desc()]
    ranked = (
        visible_photos(user)
        .filter(project__in=project_ids)
        .annotate(
            position=Window(RowNumber(), partition_by=[F("project_id")], order_by=newest_first)
        )
    )
    return (
        ranked.filter(position__lte=per_project)
        .select_related("attachment")
        .order_by("project_id", "position")
    )


def follow_up(meeting, user) -> list:
    """What became of the previous meeting's action items: done, done late, open, overdue."""
    if meeting.previous_id is None:
        return []
    items = visible_action_items(user).filter(meeting=meeting.previous_id)
    return list(
        items.select_related("project", "lead_department").order_by("project__code", "due_date")
    )
