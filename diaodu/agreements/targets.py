"""Reading a typed target (``3.2亿元``, ``5000万元``, ``300万元/亩``, ``12.5公顷``) into the
unit it is stored in, and saying so when the unit typed was another."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diaodu.agreements.choices import Unit
from diaodu.lib.cnparse import ParseError, parse_amount, parse_area

_PER_MU = ("/亩", "每亩", "/mu")
# Shown in the error message: how amounts may be typed.
EXAMPLES = "32000, 3.2亿元, 5000万元"


def _plain(value: Decimal) -> str:
    return number_format(value.quantize(Decimal("0.01")).normalize(), force_grouping=True)


def normalise(text, unit: str) -> tuple[Decimal | None, str]:
    """``(amount in the unit's base, note)``; the note is empty unless a conversion was
    made. Raises ``ValidationError`` for text that is not an amount in a compatible unit."""
    if text is None or str(text).strip() == "":
        return None, ""
    raw = str(text).strip()
    typed = raw.replace(" ", "")
    try:
        if unit in (Unit.WAN_YUAN, Unit.WAN_YUAN_PER_MU):
            if unit == Unit.WAN_YUAN_PER_MU:
                for suffix in _PER_MU:
                    typed = typed.removesuffix(suffix)
            value = parse_amount(typed)
        elif unit == Unit.MU:
            value = parse_area(typed)
        else:
            value = Decimal(typed.removesuffix("吨标准煤").removesuffix("tce").replace(",", ""))
    except (ParseError, ArithmeticError):
        raise ValidationError(
            _("“%(text)s” is not an amount in %(unit)s. Write it as, e.g., %(examples)s.")
            % {"text": raw, "unit": Unit(unit).label, "examples": EXAMPLES}
        ) from None
    if value is None:
        return None, ""
    if value < 0:
        raise ValidationError(_("A target cannot be negative."))
    value = value.quantize(Decimal("0.01"))
    try:
        unchanged = Decimal(typed.replace(",", "")) == value
    except ArithmeticError:
        unchanged = False
    note = (
        ""
        if unchanged
        else _("%(text)s was recorded as %(value)s %(unit)s.")
        % {"text": raw, "value": _plain(value), "unit": Unit(unit).label}
    )
    return value, note
