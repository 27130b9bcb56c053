"""Names from the data in the reader's script. A builtin: every template has it."""

from django import template

from diaodu.core.i18n import localized_name

register = template.Library()


@register.filter
def localized(value):
    """An organisation's, a project's or a person's name as the reader reads: Traditional
    to readers of the Traditional interface, the English name, if any, to English ones.
    Names are stored as written (Simplified); ``__str__`` also serves exports, search and
    history, which keep them so."""
    if value is None or value == "":
        return value
    return localized_name(str(value), getattr(value, "name_en", "") or "")
