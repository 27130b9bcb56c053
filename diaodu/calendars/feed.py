"""A person's calendar as iCalendar (RFC 5545): meetings at their time, due dates as
all-day events. A fixed number of queries, whatever the person's load."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from diaodu.calendars import access
from diaodu.problems.models import OPEN_ACTION, OPEN_PROBLEM

# Past meetings fall out of the feed after this long; what is still open stays however late.
MEETINGS_KEPT_DAYS = 90
# A meeting records only its start; an hour shows it as a block in every calendar app.
MEETING_LENGTH = timedelta(hours=1)
# A calendar app fetches the whole feed every time: keep it to what a person can act on.
LIMIT = 500


def _event(uid: str, summary: str, url: str, stamp) -> Event:
    event = Event()
    event.add("uid", f"{uid}@diaodu")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", url)
    return event


def _all_day(event: Event, day: date) -> Event:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user, today: date, absolute) -> bytes:
    """The feed of ``user``; ``absolute(path)`` makes a link the calendar app can open."""
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Diaodu//Calendar//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Diaodu: %(person)s") % {"person": user})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)

    since = timezone.now() - timedelta(days=MEETINGS_KEPT_DAYS)
    for meeting in (
        access.calendar_meetings(user).filter(starts_at__gte=since).order_by("starts_at")[:LIMIT]
    ):
        event = _event(
            f"meeting-{meeting.pk}",
            _("Meeting: %(title)s") % {"title": meeting.title},
            absolute(meeting.get_absolute_url()),
            stamp,
        )
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + MEETING_LENGTH)
        if meeting.place:
            event.add("location", meeting.place)
        calendar.add_component(event)

    problems = access.calendar_problems(user).filter(
        status__in=OPEN_PROBLEM, due_date__isnull=False
    )
    for problem in problems.select_related("project").order_by("due_date")[:LIMIT]:
        summary = _("Problem due: %(title)s (%(project)s)")
        params = {"title": problem.title, "project": problem.project}
        event = _event(
            f"problem-{problem.pk}", summary % params, absolute(problem.get_absolute_url()), stamp
        )
        calendar.add_component(_all_day(event, problem.due_date))

    actions = access.calendar_action_items(user).filter(
        status__in=OPEN_ACTION, due_date__isnull=False
    )
    for action in actions.select_related("project").order_by("due_date")[:LIMIT]:
        summary = _("Action item due: %(title)s (%(project)s)")
        params = {"title": action.title, "project": action.project}
        event = _event(
            f"action-{action.pk}", summary % params, absolute(action.get_absolute_url()), stamp
        )
        calendar.add_component(_all_day(event, action.due_date))

    for round_ in access.calendar_rounds(user).filter(is_open=True).order_by("due_date")[:LIMIT]:
        event = _event(
            f"round-{round_.pk}",
            _("Report due: %(round)s") % {"round": round_},
            absolute(round_.get_absolute_url()),
            stamp,
        )
        calendar.add_component(_all_day(event, round_.due_date))

    milestones = access.calendar_milestones(user).filter(
        actual_date__isnull=True, planned_date__isnull=False
    )
    for milestone in milestones.select_related("project", "kind").order_by("planned_date")[:LIMIT]:
        event = _event(
            f"milestone-{milestone.pk}",
            _("Milestone: %(project)s · %(kind)s")
            % {"project": milestone.project, "kind": milestone.kind},
            absolute(milestone.project.get_absolute_url()),
            stamp,
        )
        calendar.add_component(_all_day(event, milestone.planned_date))
    return calendar.to_ical()
