"""What list pages need to offer exports and imports, decided in ``reports.access``."""

from django import template

from diaodu.reports import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can_import(context) -> bool:
    """``{% can_import as show_import %}``: whether to offer "Import a ledger"."""
    request = context.get("request")
    return request is not None and access.can_import(request.user)
