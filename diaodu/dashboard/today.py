"""The leader's one-screen view: the few figures that matter today, each a tile that opens
the list behind it. Every figure comes from ``figures``, so a tile counts what the dashboard
and the list it links to count."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diaodu.dashboard import figures
from diaodu.projects.access import visible_projects
from diaodu.projects.choices import Health


@dataclass
class Tile:
    key: str  # stable, for the API
    label: str
    value: object  # a count, a percentage (Decimal or None) or a date and time (or None)
    kind: str = "count"  # how to show the value: count, percent or when
    url: str = ""
    note: str = ""
    css: str = ""  # the colour of the figure when it calls for attention


def tiles(user, today: date) -> list[Tile]:
    projects = visible_projects(user)
    health = dict(zip(Health, figures.health_counts(projects, {}), strict=True))
    problems = figures.problems(user, projects, today)
    overdue_actions = sum(f.value for f in figures.overdue_actions_by_department(user))
    money = figures.investment(projects, today.year)
    meeting = figures.next_meeting(user, today)
    city, province = problems.escalated

    def attention(value, css="danger"):
        return css if value else ""

    delayed, at_risk = health[Health.DELAYED], health[Health.AT_RISK]
    return [
        Tile(
            "delayed",
            _("Delayed projects"),
            delayed.value,
            url=delayed.url,
            css=attention(delayed.value),
        ),
        Tile(
            "at_risk",
            _("Projects at risk"),
            at_risk.value,
            url=at_risk.url,
            css=attention(at_risk.value, "warning"),
        ),
        Tile(
            "open_problems",
            _("Open problems"),
            problems.open,
            url=figures.supervision_url(user, tab="problems", open="true"),
        ),
        Tile(
            "overdue_problems",
            _("Overdue problems"),
            problems.overdue,
            url=figures.supervision_url(user, tab="problems", overdue="true"),
            css=attention(problems.overdue),
        ),
        Tile(
            "overdue_actions",
            _("Overdue action items"),
            overdue_actions,
            url=figures.supervision_url(user, tab="actions", overdue="true"),
            css=attention(overdue_actions),
        ),
        Tile(
            "investment",
            _("Investment %(year)s") % {"year": today.year},
            money.rate,
            kind="percent",
            url=reverse("dashboard:dashboard"),
            note=_("%(done)s of %(plan)s (10k yuan)")
            % {
                "done": number_format(money.completed, 0, force_grouping=True),
                "plan": number_format(money.plan, 0, force_grouping=True),
            },
        ),
        Tile("escalated_city", _("Escalated to the city"), city.value, url=city.url),
        Tile(
            "escalated_province", _("Escalated to the province"), province.value, url=province.url
        ),
        Tile(
            "next_meeting",
            _("Next meeting"),
            meeting.starts_at if meeting else None,
            kind="when",
            url=meeting.get_absolute_url() if meeting else reverse("meetings:meeting_list"),
            note=meeting.title if meeting else _("None planned"),
        ),
    ]
