"""Every write to meetings, agendas, minutes and event batches."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diaodu.core import history
from diaodu.core import services as core
from diaodu.core.choices import ChangeAction
from diaodu.core.models import DocumentSettings
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting, Minutes
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.messages import message
from diaodu.notifications.services import emit, notify
from diaodu.org.models import Organisation
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ActionSource
from diaodu.projects import services as project_services
from diaodu.projects.choices import Health
from diaodu.projects.models import MilestoneKind, Project

MINUTES_SERIES = "minutes"


def _editable(meeting: Meeting):
    if meeting.is_issued:
        raise ValidationError(_("The minutes of this meeting are issued; it can no longer change."))


def _touch_screen(meeting: Meeting) -> None:
    """Tell the big screen something it shows has changed (see ``screen_version``)."""
    Meeting.objects.filter(pk=meeting.pk).update(screen_version=F("screen_version") + 1)


@transaction.atomic
def create_meeting(data: dict, *, actor) -> Meeting:
    return core.create(actor, Meeting, dict(data), created_by=actor)


@transaction.atomic
def update_meeting(meeting: Meeting, changes: dict, *, actor, version=None) -> Meeting:
    """``version`` is the one the editor read: a stale one raises ``Conflict``."""
    _editable(meeting)
    core.update_versioned(actor, meeting, changes, version)
    _touch_screen(meeting)
    return meeting


@transaction.atomic
def add_to_agenda(meeting: Meeting, projects, *, actor) -> list[AgendaItem]:
    """Append projects to the agenda in the given order; ones already on it are skipped."""
    _editable(meeting)
    present = set(meeting.agenda.values_list("project_id", flat=True))
    order = meeting.agenda.aggregate(last=Max("order"))["last"] or 0
    added = []
    for project in projects:
        if project.pk in present:
            continue
        present.add(project.pk)
        order += 10
        added.append(AgendaItem.objects.create(meeting=meeting, project=project, order=order))
    if added:
        history.record(
            actor,
            meeting,
            ChangeAction.UPDATE,
            before={"agenda": []},
            after={"agenda": [str(item.project) for item in added]},
        )
        _touch_screen(meeting)
    return added


def projects_needing_attention(health_values=(Health.DELAYED, Health.AT_RISK)):
    """Delayed and at-risk projects, the most urgent first."""
    return Project.objects.filter(health__in=health_values).order_by("-health", "code")


def projects_with_overdue_problems():
    return Project.objects.filter(overdue_problems__gt=0).order_by("code")


@transaction.atomic
def move_agenda_item(item: AgendaItem, direction: int, *, actor) -> None:
    """Swap an agenda item with its neighbour (direction -1 up, +1 down)."""
    _editable(item.meeting)
    siblings = list(item.meeting.agenda.select_related("project").order_by("order", "pk"))
    index = siblings.index(item)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    before = [str(sibling.project) for sibling in siblings]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position * 10:
            sibling.order = position * 10
            sibling.save(update_fields=["order"])
    history.record(
        actor,
        item.meeting,
        ChangeAction.UPDATE,
        before={"agenda": before},
        after={"agenda": [str(sibling.project) for sibling in siblings]},
    )
    _touch_screen(item.meeting)


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, actor) -> None:
    _editable(item.meeting)
    history.record(
        actor, item, ChangeAction.DELETE, before=history.snapshot(item), related=item.meeting
    )
    item.delete()
    _touch_screen(item.meeting)


@transaction.atomic
def record_discussion(item: AgendaItem, changes: dict, *, actor, version=None) -> AgendaItem:
    """What was said about a project and what was decided, typed during the meeting; two
    people typing at once are told of each other (``version``, as for every edit)."""
    _editable(item.meeting)
    core.update_versioned(actor, item, changes, version, related=item.meeting)
    _touch_screen(item.meeting)
    return item


@transaction.atomic
def show_on_screen(item: AgendaItem, *, actor) -> None:
    """The clerk puts an agenda item on the room's screen. Which item is shown is a pointer
    for the screen, not part of the record, so it leaves no entry in the history."""
    _editable(item.meeting)
    Meeting.objects.filter(pk=item.meeting_id).update(
        current_item=item, screen_version=F("screen_version") + 1
    )


@transaction.atomic
def assign_in_meeting(item: AgendaItem, data: dict, *, actor):
    """An action item decided on the spot for the agenda item's project."""
    _editable(item.meeting)
    problem = data.get("problem")
    if problem is not None and problem.project_id != item.project_id:
        raise ValidationError({"problem": _("This problem belongs to another project.")})
    action = problem_services.assign_action_item(
        {**data, "project": item.project, "meeting": item.meeting},
        actor=actor,
        source=ActionSource.MEETING,
    )
    _touch_screen(item.meeting)
    return action


def minutes_blockers(meeting: Meeting, today) -> list[str]:
    """Why the minutes of ``meeting`` cannot be issued yet; none when they can. Issuing is
    irreversible: only a meeting marked held, not dated after today, with an agenda."""
    if meeting.is_issued:
        return [_("The minutes of this meeting have already been issued.")]
    reasons = []
    if meeting.status != MeetingStatus.HELD:
        reasons.append(_("The meeting is not marked as held."))
    if timezone.localtime(meeting.starts_at).date() > today:
        reasons.append(_("The meeting is dated in the future."))
    if not meeting.agenda.exists():
        reasons.append(_("The agenda is empty."))
    return reasons


def minutes_recipients(meeting: Meeting) -> list:
    """The organisations told when the minutes are issued: those with an assignment in
    them (as lead or cooperating department), by name."""
    actions = meeting.action_items.all()
    return list(
        Organisation.objects.filter(
            Q(pk__in=actions.values("lead_department"))
            | Q(pk__in=actions.values("cooperating_departments"))
        ).order_by("sort_order", "pk")
    )


@transaction.atomic
def issue_minutes(meeting: Meeting, render, *, actor) -> Minutes:
    """Number the minutes (per year, in issuing order), freeze them as a .docx made by
    ``render(number)`` and tell every organisation that got an assignment."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("The minutes of this meeting have already been issued."))
    blockers = minutes_blockers(meeting, timezone.localdate())
    if blockers:
        raise ValidationError(blockers)
    year = timezone.localdate().year
    minutes = Minutes(
        meeting=meeting,
        issued_by=actor,
        code=DocumentSettings.load().minutes_code,
        year=year,
        number=core.next_number(MINUTES_SERIES, year),
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    minutes.document.save(
        f"minutes-{meeting.pk}-{stamp}.docx", ContentFile(render(minutes)), save=False
    )
    minutes.save()
    core.update(actor, meeting, {"status": MeetingStatus.ISSUED})
    _touch_screen(meeting)
    notify(
        event="minutes_issued",
        title=message(gettext_noop("Minutes issued: %(meeting)s"), meeting=meeting),
        body=message(gettext_noop("Your organisation has assignments in these minutes.")),
        url=meeting.get_absolute_url(),
        organisations=minutes_recipients(meeting),
        actor=actor,
    )
    emit(WebhookEvent.MINUTES_ISSUED, meeting, actor)
    return minutes


@transaction.atomic
def create_batch(data: dict, *, actor) -> EventBatch:
    return core.create(actor, EventBatch, dict(data))


@transaction.atomic
def hold_batch(batch: EventBatch, held_on, *, actor) -> EventBatch:
    """Mark the event held: every project in it gets the matching milestone's actual date,
    all or nothing."""
    if batch.held_on is not None:
        raise ValidationError(_("This event is already marked as held."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("An event cannot be held in the future.")})
    kind = MilestoneKind.objects.get(code=batch.kind)
    for project in batch.projects.all():
        milestone = project.milestones.filter(kind=kind).first()
        if milestone is None:
            milestone = project_services.add_milestone(
                project, {"kind": kind, "planned_date": batch.date}, actor=actor
            )
        if milestone.actual_date is None:
            project_services.plan_milestone(milestone, {"actual_date": held_on}, actor=actor)
    core.update(actor, batch, {"held_on": held_on})
    return batch
