from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.projects import health
from diaodu.projects.choices import Health

register = template.Library()

_HEALTH_STYLE = {
    Health.ON_TRACK: ("text-bg-success", "bi-check-circle"),
    Health.AT_RISK: ("text-bg-warning", "bi-exclamation-triangle"),
    Health.DELAYED: ("text-bg-danger", "bi-x-octagon"),
}


@register.simple_tag
def health_badge(value, reason=""):
    """The traffic light for a project's health, with the reason as its tooltip."""
    value = Health(value)
    css, icon = _HEALTH_STYLE[value]
    return format_html(
        '<span class="badge {}" title="{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        css,
        reason,
        icon,
        value.label,
    )


@register.filter
def querystring_with(query: str, extra: str) -> str:
    """Join an encoded query string and one more ``key=value``."""
    return f"{query}&{extra}" if query else extra


@register.simple_tag
def yes_no(value):
    return _("yes") if value else _("no")


@register.simple_tag
def milestone_state(milestone, today):
    """A milestone's state in words, coloured like the health light it feeds."""
    state = health.milestone_state(milestone, today)
    css, icon, text = {
        "done": ("text-success", "bi-check2-circle", _("done")),
        "done_late": (
            "text-warning-emphasis",
            "bi-check2",
            ngettext("done %(days)d day late", "done %(days)d days late", state.days),
        ),
        "overdue": (
            "text-danger fw-semibold",
            "bi-exclamation-octagon",
            ngettext("%(days)d day overdue", "%(days)d days overdue", state.days),
        ),
        "due_soon": (
            "text-warning-emphasis",
            "bi-alarm",
            ngettext("due in %(days)d day", "due in %(days)d days", state.days),
        ),
        "pending": ("text-body-secondary", "bi-circle", _("pending")),
        "unplanned": ("text-body-secondary", "bi-dash-circle", _("not planned")),
    }[state.code]
    return format_html(
        '<span class="{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        css,
        icon,
        text % {"days": state.days} if "%(days)d" in text else text,
    )


_LIGHT_STYLE = {
    "green": ("text-bg-success", "bi-circle-fill"),
    "yellow": ("text-bg-warning", "bi-exclamation-circle-fill"),
    "red": ("text-bg-danger", "bi-alarm-fill"),
    "awaiting": ("text-bg-info", "bi-hourglass-split"),
    "done": ("text-bg-secondary", "bi-check-circle"),
}


@register.simple_tag
def light_badge(value):
    """The traffic light of a problem or action item, the same in every list and desk."""
    from diaodu.problems.choices import Light

    value = Light(value)
    css, icon = _LIGHT_STYLE[value]
    return format_html(
        '<span class="badge {} light-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        css,
        value,
        icon,
        value.label,
    )


@register.simple_tag
def due_text(item, today):
    """ "3 days overdue", "due today", "in 5 days"; once finished, when it finished:
    "closed on 3/6/2026" (see ``problems.lights.due_state``)."""
    from diaodu.problems.lights import due_state

    state = due_state(item, today)
    if state.code == "overdue":
        text = ngettext("%(days)d day overdue", "%(days)d days overdue", state.days) % {
            "days": state.days
        }
        return format_html('<span class="text-danger fw-semibold">{}</span>', text)
    if state.code == "today":
        return _("due today")
    if state.code == "due":
        return ngettext("in %(days)d day", "in %(days)d days", state.days) % {"days": state.days}
    on = date_format(state.on, "SHORT_DATE_FORMAT") if state.on else ""
    return {
        "closed": _("closed on %(date)s") % {"date": on} if on else _("closed"),
        "resolved": _("resolved on %(date)s") % {"date": on} if on else _("resolved"),
        "submitted": _("result submitted"),
        "cancelled": _("cancelled"),
    }[state.code]


@register.simple_tag(takes_context=True)
def menu_section(context):
    """The menu section the page belongs to (see ``core.navigation``)."""
    from diaodu.core.navigation import section

    return section(context.get("request"))
