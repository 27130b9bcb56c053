"""Reading the values people type into Chinese office spreadsheets. No Django here.

- dates: real spreadsheet dates, ``2026年5月11日``, ``2026.5.11``, ``2026/5/11``,
  ``2026-05-11``, ``20260511``, ``二〇二六年五月十一日``, and a month alone (``2026年5月``);
- amounts in 万元 (10,000 yuan), whatever unit the cell states: ``3.2亿元`` → 32000,
  ``5000万``, ``12,000``, ``300万美元`` is refused (no exchange rates here);
- land areas in 亩, from 亩, 平方米 (㎡), 万平方米 or 公顷;
- whole numbers such as a year (``2026年``), and lists of names (``区资规局、区审批局``).

Each parser returns ``None`` for an empty cell or a placeholder (``—``, ``/``, ``无``,
``待定``) and raises :class:`ParseError` for text it cannot read; the error's ``code``
lets the caller say what is wrong in the reader's language.
"""

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

# What offices write in a cell that has no value yet.
PLACEHOLDERS = frozenset({"", "-", "--", "—", "——", "－", "/", "\\", "无", "暂无", "待定", "未定"})

# Spreadsheet serial day numbers count from 1899-12-30 (Excel's 1900 leap-year bug
# included); only serials between 2000 and 2100 are taken as dates.
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_SERIAL = (date(2000, 1, 1) - _EXCEL_EPOCH).days
_LAST_SERIAL = (date(2100, 12, 31) - _EXCEL_EPOCH).days


class ParseError(ValueError):
    """``code`` says what is wrong: ``date``, ``date_invalid``, ``date_vague``,
    ``amount``, ``amount_unit``, ``area``, ``area_unit`` or ``number``."""

    def __init__(self, code: str, value):
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value


# Traditional forms of the characters units are written with.
_UNIT_CHARACTERS = str.maketrans({"億": "亿", "萬": "万", "頃": "顷", "畝": "亩", "圓": "元"})


def _text(value) -> str:
    """Full-width digits and punctuation made plain, units in Simplified, no spaces."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_UNIT_CHARACTERS)
    return re.sub(r"\s+", "", text)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and _text(value) in PLACEHOLDERS)


# --- dates -------------------------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31; 二〇二六 → 2026 (digit by digit)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_CN_DATE = re.compile(
    r"^(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
    r"(?:(?P<d>[一二三四五六七八九十]{1,3})[日号])?$"
)
_FULL_DATE = re.compile(
    r"^(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})(?:月|[./-])(?P<d>\d{1,2})[日号]?$"
)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_MONTH = re.compile(r"^(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})月?(?:份|底|末)?$")
_YEAR = re.compile(r"^\d{4}年?$")
# A time after the date (2026-05-11 00:00:00), as text exported by other systems.
_TIME_OF_DAY = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*$")


def _make_date(year: int, month: int, day: int | None, raw) -> date:
    """``day=None`` is a month: a time node given as a month is met by the month's end."""
    try:
        if day is None:
            day = calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise ParseError("date_invalid", raw) from None


def parse_date(value) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ParseError("date", value)
    if isinstance(value, int | float | Decimal):
        return _date_from_number(value)
    text = _text(_TIME_OF_DAY.sub("", unicodedata.normalize("NFKC", str(value)).strip()))
    if match := _CN_DATE.match(text):
        day = match["d"]
        return _make_date(
            cn_number(match["y"]),
            cn_number(match["m"]),
            cn_number(day) if day else None,
            value,
        )
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        if match := pattern.match(text):
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), value)
    if match := _MONTH.match(text):
        return _make_date(int(match["y"]), int(match["m"]), None, value)
    if _YEAR.match(text):
        raise ParseError("date_vague", value)
    raise ParseError("date", value)


def _date_from_number(value) -> date:
    """20260511 (a date typed as a number), or a spreadsheet serial day number."""
    if value != int(value):
        raise ParseError("date", value)
    number = int(value)
    if 19000101 <= number <= 21001231:
        return _make_date(number // 10000, number // 100 % 100, number % 100, value)
    if _FIRST_SERIAL <= number <= _LAST_SERIAL:
        return _EXCEL_EPOCH + timedelta(days=number)
    raise ParseError("date", value)


# --- amounts and areas -------------------------------------------------------------------

# Multipliers into 万元. Longest first, so 千万 is not read as 千 + 万.
AMOUNT_UNITS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "千万元": Decimal(1000),
    "千万": Decimal(1000),
    "百万元": Decimal(100),
    "百万": Decimal(100),
    "万元": Decimal(1),
    "万": Decimal(1),
    "千元": Decimal("0.1"),
    "元": Decimal("0.0001"),
}
# Multipliers into 亩 (1 亩 = 10000/15 m²).
AREA_UNITS = {
    "万平方米": Decimal(15),
    "平方公里": Decimal(1500),
    "km2": Decimal(1500),
    "平方米": Decimal("0.0015"),
    "平米": Decimal("0.0015"),
    "m2": Decimal("0.0015"),
    "公顷": Decimal(15),
    "ha": Decimal(15),
    "亩": Decimal(1),
}
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_QUANTITY = re.compile(rf"^(?P<number>{_NUMBER})(?P<unit>(?:[^\d.,].*)?)$")
_NOISE = ("人民币", "rmb", "约", "大约", "左右", "计")


def _quantity(value, units: dict[str, Decimal], default_unit: str, code: str) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool | date):
        raise ParseError(code, value)
    if isinstance(value, int | Decimal):
        return Decimal(value) * units[default_unit]
    if isinstance(value, float):
        # The shortest repr is what the spreadsheet showed: 0.1 + 0.2 typed as 0.3 stays 0.3.
        return Decimal(repr(value)) * units[default_unit]
    text = _text(value).lower()
    for noise in _NOISE:
        text = text.replace(noise, "")
    match = _QUANTITY.match(text)
    if not match:
        raise ParseError(code, value)
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        raise ParseError(code, value) from None
    unit = match["unit"] or default_unit
    if unit not in units:
        raise ParseError(f"{code}_unit", value)
    return number * units[unit]


def parse_amount(value, default_unit: str = "万元") -> Decimal | None:
    """An amount in 万元. ``default_unit`` is what a bare number means (the column
    header's unit: 万元 unless it says 亿元 or 元)."""
    return _quantity(value, AMOUNT_UNITS, default_unit, "amount")


def parse_area(value, default_unit: str = "亩") -> Decimal | None:
    """A land area in 亩."""
    return _quantity(value, AREA_UNITS, default_unit, "area")


def unit_in(header: str, units: dict[str, Decimal]) -> str | None:
    """The unit a column header names, e.g. 总投资（亿元） → 亿元."""
    text = _text(header).lower()
    for unit in units:
        if unit in text:
            return unit
    return None


def parse_integer(value) -> int | None:
    """A whole number such as a year: 2026, 2026.0, "2026", "2026年"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError("number", value)
    if isinstance(value, int | float | Decimal):
        if value != int(value):
            raise ParseError("number", value)
        return int(value)
    text = _text(value).removesuffix("年")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ParseError("number", value)
    return int(text)


_SEPARATORS = re.compile(r"[、,，;；/\n\r]+")


def split_names(value) -> list[str]:
    """``区资规局、区审批局`` → two names. Commas, semicolons, slashes, new lines too."""
    if is_blank(value):
        return []
    return [name.strip() for name in _SEPARATORS.split(str(value)) if name.strip()]
