"""Who may see and run meetings and event batches: the only place it is decided.

Owners and departments see a meeting only as far as it concerns them: the agenda they are
shown holds only projects they may see."""

from django.db.models import Q

from diaodu.meetings.models import AgendaItem, EventBatch, Meeting, Minutes
from diaodu.org.access import visible_organisations
from diaodu.projects.access import visible_projects


def visible_meetings(user):
    queryset = Meeting.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    on_agenda = AgendaItem.objects.filter(project__in=visible_projects(user)).values("meeting")
    condition = Q(pk__in=on_agenda)
    if user.is_department_staff and user.organisation_id:
        condition |= Q(
            pk__in=Meeting.organisations.through.objects.filter(
                organisation_id=user.organisation_id
            ).values("meeting")
        )
    return queryset.filter(condition)


def visible_agenda(user, meeting):
    return meeting.agenda.filter(project__in=visible_projects(user))


def visible_agenda_items(user):
    """Agenda items of projects the user may see, in meetings they may see."""
    return AgendaItem.objects.filter(
        meeting__in=visible_meetings(user), project__in=visible_projects(user)
    )


def can_read_issued_minutes(user, meeting) -> bool:
    """The issued minutes are frozen with the whole agenda in them: they are handed only to
    those who may see every project on it, so nobody reads another enterprise's project."""
    if not user.is_authenticated:
        return False
    if user.sees_everything:
        return True
    return not meeting.agenda.exclude(project__in=visible_projects(user)).exists()


def visible_minutes(user):
    """Issued minutes the user may read: ``can_read_issued_minutes`` as a queryset."""
    minutes = Minutes.objects.filter(meeting__in=visible_meetings(user))
    if not user.is_authenticated or user.sees_everything:
        return minutes
    hidden = AgendaItem.objects.exclude(project__in=visible_projects(user)).values("meeting")
    return minutes.exclude(meeting__in=hidden)


def can_view_meeting(user, meeting) -> bool:
    return visible_meetings(user).filter(pk=meeting.pk).exists()


def shown_organisations(user, meeting):
    """The attending organisations a reader may be told of: those they may see at all
    (``org.access``), so an owner or a department does not learn which other enterprises
    were at the table."""
    return meeting.organisations.filter(pk__in=visible_organisations(user).values("pk"))


def can_receive_minutes(user, meeting) -> bool:
    """Told that the minutes are issued, with the meeting's fields: only who may read them."""
    return can_view_meeting(user, meeting) and can_read_issued_minutes(user, meeting)


def shown_previous(user, meeting):
    """The meeting ``meeting`` follows up, if the user may see it: its title may name
    another enterprise's project."""
    previous = meeting.previous
    if previous is None or user.sees_everything or can_view_meeting(user, previous):
        return previous
    return None


def can_manage_meetings(user) -> bool:
    """Create meetings, build agendas, issue minutes: the office's work."""
    return user.is_authenticated and user.is_coordinator


def can_run_meeting(user, meeting) -> bool:
    """Record discussion and decisions, assign action items during the meeting: the office
    and the leaders chairing it; nothing changes once the minutes are issued."""
    return (
        user.is_authenticated and (user.is_coordinator or user.is_leader) and not meeting.is_issued
    )


def visible_batches(user):
    queryset = EventBatch.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    return queryset.filter(
        pk__in=EventBatch.projects.through.objects.filter(
            project__in=visible_projects(user)
        ).values("eventbatch")
    )


def can_manage_batches(user) -> bool:
    return user.is_authenticated and user.is_coordinator


# What a user may open of each model, for lists that name objects of many kinds.
OPENS = {
    Meeting: visible_meetings,
    AgendaItem: visible_agenda_items,
    EventBatch: visible_batches,
    Minutes: visible_minutes,
}
