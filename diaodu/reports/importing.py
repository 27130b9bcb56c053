"""Importing the offices' ledgers (.xlsx): projects with their milestones, and problems.

1. *Read.* The file must be an .xlsx of at most ``DIAODU_MAX_IMPORT_MB``. In each sheet
   the first rows are searched for the header: one row, or two when a group header is
   merged above sub-headers (投资情况 above 年度计划 / 本年完成), after any title rows
   and blank rows. The sheet whose header names the most known columns is read.
2. *Plan.* Every row is parsed (Chinese dates and amounts: ``diaodu.lib.cnparse``) and
   checked against the database, without writing anything: what would be created,
   updated or left as it is, and every error by row and column, in the reader's language.
3. *Commit* (``diaodu.reports.services.commit_import``): a plan without errors, in one
   transaction.

Rows are matched to existing projects by project number, or by national project code when
a row has no number, so importing the same file again changes nothing. A blank cell never
clears a stored value: ledgers leave cells blank for "not known", not for "none".
"""

import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, lru_cache
from io import BytesIO
from itertools import islice, zip_longest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.core.attachments import check_office_file
from diaodu.lib import cnparse, reporttext, xlsx
from diaodu.lib.chinese import normalise_query
from diaodu.lib.text import clean_text
from diaodu.org import names
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.problems.choices import Category, Level
from diaodu.problems.models import Problem
from diaodu.projects.choices import ProjectType, Stage
from diaodu.projects.models import Industry, Milestone, MilestoneKind, Project
from diaodu.reports import columns as c

logger = logging.getLogger(__name__)


class ImportKind(models.TextChoices):
    PROJECTS = "projects", gettext_lazy("projects and milestones")
    PROBLEMS = "problems", gettext_lazy("problems")


CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

HEADER_SEARCH_ROWS = 30  # title, notes and blank rows allowed above the header
MAX_ROWS = 50_000  # a ledger is a few hundred rows; this stops a runaway sheet
MIN_HEADER_SCORE = 2
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)
_BATCH = 900  # ids per IN (...) query: SQLite builds may cap parameters near 1,000
CENT = Decimal("0.01")


# --- the plan ----------------------------------------------------------------------------


@dataclass
class Issue:
    """What is wrong, where: ``row`` is the sheet's row number (``None`` for the file),
    ``column`` the column letter and ``header`` its header as the file has it."""

    row: int | None
    column: str
    header: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


@dataclass
class ColumnMatch:
    letter: str
    header: str
    field: str = ""
    label: str = ""
    imported: bool = False
    unit: str | None = None

    def as_dict(self) -> dict:
        return {
            "column": self.letter,
            "header": self.header,
            "field": self.field or None,
            "label": self.label,
            "imported": self.imported,
        }


@dataclass
class Change:
    """What one row would do. ``values`` and ``milestones`` are what is written;
    ``fields`` names what changes, for people."""

    row: int
    action: str
    key: str
    label: str
    fields: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    milestones: dict = field(default_factory=dict)
    target: object = None
    project: object = None
    instance: object = None  # a new project, validated, as it will be saved

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "key": self.key,
            "name": self.label,
            "changes": self.fields,
        }


@dataclass
class Plan:
    kind: str
    file_name: str = ""
    sheet: str = ""
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnMatch] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # What looks wrong but may be so (dates out of the usual order): shown, not blocking.
    warnings: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    new_enterprises: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for change in self.changes:
            counts[change.action] += 1
        return counts

    @property
    def ignored_columns(self) -> list[ColumnMatch]:
        return [column for column in self.columns if not column.imported]

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        """A plan as :meth:`as_dict` wrote it (a background preview's result), to be
        shown again; it holds no values, so it cannot be committed."""

        def issues(key):
            return [Issue(i["row"], i["column"], i["header"], i["message"]) for i in data[key]]

        return cls(
            kind=data["kind"],
            file_name=data["file"],
            sheet=data["sheet"],
            header_rows=data["header_rows"],
            columns=[
                ColumnMatch(c["column"], c["header"], c["field"] or "", c["label"], c["imported"])
                for c in data["columns"]
            ],
            issues=issues("errors"),
            warnings=issues("warnings"),
            changes=[
                Change(r["row"], r["action"], r["key"], r["name"], r["changes"])
                for r in data["rows"]
            ],
            new_enterprises=data["new_enterprises"],
        )

    def refuse(self, message: str) -> "Plan":
        self.issues.append(Issue(None, "", "", message))
        return self

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.file_name,
            "sheet": self.sheet,
            "header_rows": self.header_rows,
            "ok": self.ok,
            "counts": self.counts,
            "columns": [column.as_dict() for column in self.columns],
            "errors": [issue.as_dict() for issue in self.issues],
            "warnings": [warning.as_dict() for warning in self.warnings],
            "rows": [change.as_dict() for change in self.changes],
            "new_enterprises": self.new_enterprises,
        }


class Refused(Exception):
    """The file cannot be read at all; the message says why, for the user."""


@dataclass(frozen=True)
class NewEnterprise:
    """An owner named in the file that Diaodu does not know yet: created on commit."""

    name: str

    def __str__(self):
        return self.name


# --- text keys ---------------------------------------------------------------------------

_PUNCTUATION = re.compile(
    r"[()\[\]{}<>《》【】〔〕:：*★※、,，.。;；/\\\-_—–·'\"“”‘’?？!！#＃%％\s]+"
)
_PARENTHESISED = re.compile(r"[(（\[【〔][^)）\]】〕]*[)）\]】〕]")


def text_key(text) -> str:
    """A header or a name as compared: Simplified, lower case, no spaces or punctuation,
    full-width forms made plain (so 總投資（萬元） and 总投资(万元) are one)."""
    return _text_key(str(text))


@lru_cache(maxsize=100_000)
def _text_key(text: str) -> str:
    # Cached: a ledger names the same departments, leaders and stages on every row, and
    # the script conversion is the dearest step of reading a row.
    return _PUNCTUATION.sub("", normalise_query(unicodedata.normalize("NFKC", text)))


def bare_key(text) -> str:
    """``text_key`` without parenthesised remarks: 总投资（万元） → 总投资."""
    return text_key(_PARENTHESISED.sub("", unicodedata.normalize("NFKC", str(text))))


def _in_every_language(label) -> set[str]:
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(str(label))
    return texts


def _cell_text(value) -> str:
    """A cell as text: a number typed where text belongs (a project number 12) reads as
    typed, not as 12.0; an apostrophe our exports put before a formula-like text goes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(xlsx.restore(str(value))).strip()


# --- recognising columns -----------------------------------------------------------------


def _fields(kind: str) -> list[c.Field]:
    return c.PROJECT_FIELDS if kind == ImportKind.PROJECTS else c.PROBLEM_FIELDS


@cache
def _static_vocabulary(kind: str) -> dict[str, str]:
    """Header key → field key, for the fixed columns. Built once per process: labels in
    every language do not change while it runs."""
    keys: dict[str, str] = {}
    for f in _fields(kind):
        for label in (f.label, *f.also):
            for text in _in_every_language(label):
                keys.setdefault(text_key(text), f.key)
        for synonym in f.synonyms:
            keys.setdefault(text_key(synonym), f.key)
        if f.group is not None:
            groups = {text_key(g) for g in _in_every_language(f.group)}
            subs = {text_key(t) for label in (f.label, *f.also) for t in _in_every_language(label)}
            for group in groups:
                for sub in subs:
                    keys.setdefault(group + sub, f.key)
    if kind == ImportKind.PROJECTS:
        next_kind = next(f for f in c.PROJECT_FIELDS if f.key == "next_milestone_kind")
        groups = {text_key(s) for s in next_kind.synonyms}
        groups |= {text_key(t) for t in _in_every_language(next_kind.group)}
        for key, subs in c.NEXT_MILESTONE_SUBHEADERS.items():
            for group in groups:
                for sub in subs:
                    keys.setdefault(group + text_key(sub), key)
    return keys


def milestone_key(kind_id: int, which: str) -> str:
    return f"milestone:{kind_id}:{which}"


def _milestone_vocabulary(kinds) -> dict[str, str]:
    """开工 / 计划开工时间 / 开工（计划）/ 开工 above 计划: a kind's planned date;
    实际开工时间 / 开工 above 实际: its actual date."""
    planned = {text_key(w) for w in c.PLANNED_WORDS}
    planned |= {text_key(t) for label in c.PLANNED_LABELS for t in _in_every_language(label)}
    actual = {text_key(w) for w in c.ACTUAL_WORDS}
    actual |= {text_key(t) for label in c.ACTUAL_LABELS for t in _in_every_language(label)}
    keys: dict[str, str] = {}
    for kind in kinds:
        names = {text_key(kind.name)} | ({text_key(kind.name_en)} if kind.name_en else set())
        for name in names:
            keys.setdefault(name, milestone_key(kind.pk, "planned"))
            for which, words in (("actual", actual), ("planned", planned)):
                for word in words:
                    for form in (
                        name + word,
                        word + name,
                        word + name + "时间",
                        word + name + "日期",
                    ):
                        keys.setdefault(form, milestone_key(kind.pk, which))
    return keys


# Headers that name the year or the month (2026年计划, 2026年度计划投资, 截至5月底完成,
# 1-5月完成投资) mean this year's column: read as 年度计划, 本年完成 and so on.
_THIS_YEAR = re.compile(
    r"^(?:\d{4}年度?|截至\d{1,2}月[底末]?(?:累计)?|\d{1,2}[~至]?\d{1,2}月(?:累计)?)"
)


def _this_year_forms(key: str) -> list[str]:
    rest = _THIS_YEAR.sub("", key, count=1)
    return [] if rest == key or not rest else [f"年度{rest}", f"本年{rest}"]


class Vocabulary:
    def __init__(self, kind: str, kinds=()):
        self.kind = kind
        self.keys = dict(_static_vocabulary(kind))
        for key, value in _milestone_vocabulary(kinds).items():
            self.keys.setdefault(key, value)

    def match(self, group: str, sub: str) -> str | None:
        candidates = []
        if group:
            candidates += [text_key(group) + text_key(sub), bare_key(group) + bare_key(sub)]
        candidates += [text_key(sub), bare_key(sub)]
        candidates += [form for key in candidates for form in _this_year_forms(key)]
        for candidate in candidates:
            if candidate and candidate in self.keys:
                return self.keys[candidate]
        return None

    def columns(self, top, bottom=None) -> dict[int, tuple[str, str, str]]:
        """Column index → (field key, header text, header text with its group) for a
        one-row header (``bottom`` None) or a two-row one."""
        found = {}
        width = max(len(top), len(bottom or ()))
        group = ""
        for index in range(width):
            upper = _cell_text(top[index]) if index < len(top) else ""
            if bottom is None:
                lower, upper = upper, ""
            else:
                lower = _cell_text(bottom[index]) if index < len(bottom) else ""
            if upper and not lower:
                group = ""  # a header merged down over both rows
                header, context = upper, upper
                key = self.match("", upper)
            elif lower:
                if upper:
                    group = upper  # a group header starts here, merged to the right
                header, context = lower, f"{group} {lower}".strip()
                key = self.match(group, lower)
            else:
                group = ""
                continue
            found[index] = (key, header, context)
        return found


def _score(found) -> int:
    return len({key for key, _header, _context in found.values() if key})


# --- reading the file --------------------------------------------------------------------


def _open(data: bytes, formulas: bool = False):
    """The workbook's cells as last computed, or with ``formulas`` as typed (a formula's
    text): a formula no program computed has no value, and is read as its text."""
    limit = settings.DIAODU_MAX_IMPORT_MB * 1024 * 1024
    if len(data) > limit:
        raise Refused(
            _("The file is %(size)s; files to import may be at most %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    if not data:
        raise Refused(_("The file is empty."))
    if data.startswith(_OLE):
        raise Refused(
            _(
                "This is an old-style Excel file (.xls). Open it in Excel or WPS, save it "
                "as an Excel workbook (.xlsx), and import that."
            )
        )
    not_xlsx = _(
        "This is not an Excel workbook (.xlsx). Save the ledger from Excel or WPS as an "
        ".xlsx file and import that."
    )
    if not data.startswith(_ZIP):
        raise Refused(not_xlsx)
    try:
        check_office_file(data)
    except ValidationError as error:
        raise Refused(error.message) from None
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as error:
        # openpyxl raises many kinds of errors for a damaged or foreign zip (KeyError,
        # BadZipFile, InvalidFileException, XML errors...): to the user they are one.
        logger.info("import: unreadable workbook: %r", error)
        raise Refused(not_xlsx) from None


@dataclass
class Sheet:
    title: str
    header_rows: list[int]
    found: dict
    rows: object  # iterator of (row number, values) after the header


def _find_header(rows, vocabulary):
    """(score, first header row index, height, found) of the best header in ``rows``;
    on a tie, a single row beats two (a title above a header is not a group)."""
    best = None
    for index, row in enumerate(rows):
        options = [(vocabulary.columns(row), 1)]
        if index + 1 < len(rows):
            options.append((vocabulary.columns(row, rows[index + 1]), 2))
        for found, height in options:
            rank = (_score(found), height == 1, -index)
            if best is None or rank > best[0]:
                best = (rank, index, height, found)
    if best is None:
        return 0, 0, 1, {}
    (score, _single, _index), index, height, found = best
    return score, index, height, found


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet holds a formula: reading the sheet a second time for them would
    add as long again to a large import's preview."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return any(
                _FORMULA_ELEMENT.search(archive.read(name))
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, KeyError):
        return False


def _cents(number: Decimal | None, raw, kind: str) -> Decimal | None:
    """``number`` to the cent; a number too large to hold in cents (1e26) is no
    ``kind`` a ledger means."""
    try:
        return None if number is None else number.quantize(CENT, ROUND_HALF_UP)
    except InvalidOperation:
        raise cnparse.ParseError(kind, raw) from None


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _with_formulas(rows, formula_rows):
    """Each row with the text of every formula that has no computed value in its cell,
    so it is never read as blank."""
    for (number, values), typed in zip(rows, formula_rows, strict=False):
        if any(v is None and _is_formula(f) for v, f in zip(values, typed, strict=False)):
            values = tuple(
                f if v is None and _is_formula(f) else v for v, f in zip_longest(values, typed)
            )
        yield number, values


def _read_sheet(workbook, vocabulary, formulas) -> Sheet:
    best, anything = None, False
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()  # files from other programs often misstate them
        head = list(islice(worksheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS))
        anything = anything or any(_cell_text(v) for row in head for v in row)
        score, index, height, found = _find_header(head, vocabulary)
        if best is None or score > best[0]:
            best = (score, worksheet, index, height, found)
    if best is None or not anything:
        raise Refused(_("The workbook is empty: there is no table in it to import."))
    score, worksheet, index, height, found = best
    if score < MIN_HEADER_SCORE:
        raise Refused(
            _(
                "No header row found. The first rows of the sheet should name the columns, "
                "e.g. %(examples)s; download the template to see them all."
            )
            % {"examples": _examples(vocabulary.kind)}
        )
    first_data = index + height
    numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
    rows = ((number, row) for number, row in numbered if number > first_data)
    if formulas is not None:
        typed = formulas[worksheet.title]
        typed.reset_dimensions()
        rows = _with_formulas(rows, islice(typed.iter_rows(values_only=True), first_data, None))
    return Sheet(worksheet.title, [index + 1 + offset for offset in range(height)], found, rows)


def _examples(kind) -> str:
    names = ["name", "owner", "lead_department"] if kind == ImportKind.PROJECTS else None
    names = names or ["project_code", "title", "lead_department", "due_date"]
    fields = {f.key: f for f in _fields(kind)}
    return ", ".join(str(fields[name].label) for name in names)


# --- reading values ----------------------------------------------------------------------


@cache
def _choice_keys(choices) -> dict[str, str]:
    keys = {}
    for value, label in choices.choices:
        keys[text_key(value)] = value
        for text in _in_every_language(label):
            keys.setdefault(text_key(text), value)
    for value, synonyms in c.CHOICE_SYNONYMS.get(choices, {}).items():
        for synonym in synonyms:
            keys.setdefault(text_key(synonym), value)
    return keys


# How offices write dates, amounts and areas: examples for messages and the template.
FORMATS = {
    "date": ("2026-05-11, 2026/5/11, 2026.5.11, 2026年5月11日", ""),
    "month": ("2026年5月", ""),
    "amount": ("5000, 12,000, 5000万元, 3.2亿元", "元, 万元, 亿元"),
    "area": ("120, 120亩, 8万平方米, 5公顷", "亩, 平方米, 公顷"),
}


def _parse_message(error: cnparse.ParseError) -> str:
    value = error.value
    if isinstance(value, str):
        value = value.strip()
    messages = {
        "date": _("“%(value)s” is not a date. Write e.g. %(examples)s."),
        "date_invalid": _("“%(value)s” is not a real date."),
        "date_vague": _("“%(value)s” gives only a year; give at least the month."),
        "amount": _("“%(value)s” is not an amount. Write e.g. %(examples)s."),
        "amount_unit": _("“%(value)s”: the unit is not one of %(units)s."),
        "area": _("“%(value)s” is not an area. Write e.g. %(examples)s."),
        "area_unit": _("“%(value)s”: the unit is not one of %(units)s."),
        "number": _("“%(value)s” is not a whole number."),
    }
    examples, units = FORMATS.get(error.code.removesuffix("_unit"), ("", ""))
    return messages[error.code] % {"value": value, "examples": examples, "units": units}


class Reader:
    """Reads one row's cells into values, collecting issues. Lookups of organisations,
    people and master data are loaded once per import, so rows cost no queries."""

    def __init__(self, kinds):
        self.enterprises = names.organisations(Organisation.objects.enterprises())
        # An owner's name that is a department's would make a second organisation of the
        # same name; that is refused rather than guessed at.
        self.not_enterprises = names.Names(
            Organisation.objects.exclude(kind=OrganisationKind.ENTERPRISE), lambda o: (o.name,)
        )
        self.departments = names.organisations(Organisation.objects.departments())
        self.townships = names.organisations(
            Organisation.objects.filter(kind=OrganisationKind.TOWNSHIP)
        )
        self.leaders = names.people(User.objects.filter(role=Role.LEADER, is_active=True))
        self.industries = names.Names(Industry.objects.all(), lambda i: (i.name, i.name_en))
        self.kinds = names.Names(kinds, lambda k: (k.name, k.name_en))
        self.new_enterprises: dict[str, NewEnterprise] = {}

    def value(self, f: c.Field, raw, column: ColumnMatch):
        """The value of a cell, or raises ``ValueError`` with the message for people."""
        if f.kind == c.DATE:
            return cnparse.parse_date(raw)
        if f.kind == c.AMOUNT:
            return _cents(cnparse.parse_amount(raw, column.unit or "万元"), raw, "amount")
        if f.kind == c.AREA:
            return _cents(cnparse.parse_area(raw, column.unit or "亩"), raw, "area")
        if f.kind == c.INTEGER:
            return cnparse.parse_integer(raw)
        text = _cell_text(raw)
        if not text:
            return None
        if f.kind == c.TEXT or f.kind == c.PROJECT:
            return text
        if f.kind == c.CHOICE:
            value = _choice_keys(f.choices).get(text_key(text))
            if value is None:
                raise ValueError(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text, "choices": ", ".join(str(x) for x in f.choices.labels)}
                )
            return value
        if f.kind in (c.DEPARTMENTS, c.DEPARTMENT):
            # 区资规局、区科经局 in one cell: the first leads, the others cooperate.
            return [self._find(self.departments, name, f) for name in names.split_names(text)]
        if f.kind == c.ENTERPRISE:
            found = self.enterprises.find_all(text)
            if len(found) > 1:
                raise ValueError(
                    names.message(names.NotFound(text, [names.shown(o) for o in found], True), "")
                )
            if found:
                return found[0]
            if self.not_enterprises.find_all(text):
                raise ValueError(
                    _("“%(value)s” is not an enterprise; the owner must be one.") % {"value": text}
                )
            return self.new_enterprises.setdefault(text_key(text), NewEnterprise(text))
        index = {
            c.TOWNSHIP: self.townships,
            c.LEADER: self.leaders,
            c.INDUSTRY: self.industries,
            c.MILESTONE_KIND: self.kinds,
        }[f.kind]
        return self._find(index, text, f)

    def _find(self, index: names.Names, text: str, f: c.Field):
        try:
            return index.find(text)
        except names.NotFound as error:
            not_found = {
                c.DEPARTMENT: _("“%(value)s” is not a department known to Diaodu."),
                c.DEPARTMENTS: _("“%(value)s” is not a department known to Diaodu."),
                c.TOWNSHIP: _("“%(value)s” is not an area known to Diaodu."),
                c.LEADER: _("“%(value)s” is not a leader known to Diaodu."),
                c.INDUSTRY: _("“%(value)s” is not an industry known to Diaodu."),
                c.MILESTONE_KIND: _("“%(value)s” is not a kind of milestone."),
            }[f.kind]
            raise ValueError(names.message(error, not_found)) from None


@dataclass
class Row:
    """One sheet row: its number, and per field key the cell's value and column."""

    number: int
    cells: dict[str, tuple[object, ColumnMatch]]


# Headings offices put between groups of rows: 一、新开工项目, （二）续建项目.
_SECTION = re.compile(r"^[(（]?[一二三四五六七八九十]+[)）、.．]")


def _rows(sheet: Sheet, columns: dict[int, ColumnMatch]):
    imported = {i: col for i, col in columns.items() if col.imported}
    index_column = next((i for i, col in columns.items() if col.field == "index"), None)
    name_columns = [i for i, col in columns.items() if col.field in ("name", "title")]
    total_keys = {text_key(t) for t in c.TOTAL_ROWS}
    count = 0
    for number, values in sheet.rows:
        cells = {}
        for i, column in imported.items():
            value = values[i] if i < len(values) else None
            if not cnparse.is_blank(value):
                cells[column.field] = (value, column)
        if not cells:
            continue  # blank, or only a 序号 or a section heading in the first column
        if len(cells) == 1 and _SECTION.match(_cell_text(next(iter(cells.values()))[0])):
            continue  # a section heading (一、工业项目) in a text column
        # A row may end before the header does (read-only sheets drop trailing blanks).
        labels = [
            values[i] for i in [index_column, *name_columns] if i is not None and i < len(values)
        ]
        if any(text_key(_cell_text(v)) in total_keys for v in labels if v is not None):
            continue  # 合计 / 小计 rows
        count += 1
        if count > MAX_ROWS:
            raise Refused(
                _("The sheet has more than %(count)d rows; split it into several files.")
                % {"count": MAX_ROWS}
            )
        yield Row(number, cells)


def _match_columns(sheet: Sheet, kind: str, kinds) -> dict[int, ColumnMatch]:
    fields = {f.key: f for f in _fields(kind)}
    kinds = {k.pk: k for k in kinds}
    taken = set()
    columns = {}
    for index, (key, header, context) in sorted(sheet.found.items()):
        column = ColumnMatch(get_column_letter(index + 1), header)
        if key and key not in taken:
            taken.add(key)
            column.field = key
            if key.startswith("milestone:"):
                _prefix, kind_id, which = key.split(":")
                column.label = f"{kinds[int(kind_id)]} · " + (
                    _("planned date") if which == "planned" else _("actual date")
                )
                column.imported = True
            else:
                column.label = str(fields[key].label)
                column.imported = fields[key].imported
            units = cnparse.AREA_UNITS if fields.get(key, c.INDEX).kind == c.AREA else None
            column.unit = cnparse.unit_in(context, units or cnparse.AMOUNT_UNITS)
        columns[index] = column
    return columns


def _missing_columns(kind: str, present: set[str]) -> list[str]:
    fields = {f.key: f for f in _fields(kind)}
    if kind == ImportKind.PROJECTS and not present & {"code", "national_code"}:
        # Rows are matched by name; a row creating a project says what it lacks itself.
        required = [("name",)]
    elif kind == ImportKind.PROJECTS:
        required = [("name",), ("owner",), ("lead_department",), ("total_investment",)]
    else:
        required = [("project_code", "project_name"), ("title",), ("lead_department",)]
        required.append(("due_date",))
    missing = []
    for options in required:
        if not present & set(options):
            missing.append(_(" or ").join(str(fields[key].label) for key in options))
    return missing


def row_count(data: bytes) -> int:
    """About how many rows the file's largest sheet has, as its own header says (0 for a
    file that cannot be read: the preview says why, at once)."""
    try:
        workbook = _open(data)
    except Refused:
        return 0
    try:
        return max((sheet.max_row or 0 for sheet in workbook.worksheets), default=0)
    finally:
        workbook.close()


def plan_import(kind: str, data: bytes, *, actor, file_name: str = "", today=None) -> Plan:
    """Read the file and say what importing it would do; writes nothing."""
    plan = Plan(kind=kind, file_name=file_name)
    today = today or timezone.localdate()
    kinds = list(MilestoneKind.objects.select_related("approving_department"))
    vocabulary = Vocabulary(kind, kinds if kind == ImportKind.PROJECTS else ())
    try:
        workbook = _open(data)
        formulas = _open(data, formulas=True) if _has_formulas(data) else None
        try:
            sheet = _read_sheet(workbook, vocabulary, formulas)
            plan.sheet, plan.header_rows = sheet.title, sheet.header_rows
            columns = _match_columns(sheet, kind, kinds)
            plan.columns = list(columns.values())
            missing = _missing_columns(kind, {col.field for col in plan.columns})
            if missing:
                return plan.refuse(
                    _("Required columns are missing: %(columns)s. The header is row %(row)s.")
                    % {"columns": ", ".join(missing), "row": plan.header_rows[0]}
                )
            rows = list(_rows(sheet, columns))
        finally:
            workbook.close()
            if formulas is not None:
                formulas.close()
    except Refused as refusal:
        return plan.refuse(str(refusal))
    if not rows:
        return plan.refuse(_("There are no rows to import below the header."))
    reader = Reader(kinds)
    if kind == ImportKind.PROJECTS:
        ProjectPlanner(plan, reader, kinds, today).run(rows)
    else:
        ProblemPlanner(plan, reader, today).run(rows)
    plan.new_enterprises = [e.name for e in reader.new_enterprises.values()]
    plan.issues.sort(key=lambda issue: (issue.row or 0, issue.column))
    return plan


# --- planning ----------------------------------------------------------------------------


def _chunks(values, size=_BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _model_errors(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (name, message) for name, errors in error.message_dict.items() for message in errors
        ]
    return [("__all__", message) for message in error.messages]


MILESTONE_DATE = c.Field("milestone", "", kind=c.DATE)


class Planner:
    fields: list[c.Field]

    def __init__(self, plan: Plan, reader: Reader, today: date):
        self.plan = plan
        self.reader = reader
        self.today = today
        self.by_key = {f.key: f for f in self.fields}

    def issue(self, row: Row, column: ColumnMatch | None, message: str) -> None:
        self.plan.issues.append(
            Issue(
                row.number,
                column.letter if column else "",
                column.header if column else "",
                message,
            )
        )

    def read(self, row: Row) -> tuple[dict, set[str]]:
        """The row's values by field key, and the keys of cells that could not be read
        (each already reported)."""
        values, failed, cooperating = {}, set(), []
        for key, (raw, column) in row.cells.items():
            f = self.by_key.get(key) or MILESTONE_DATE
            try:
                value = self.reader.value(f, raw, column)
            except cnparse.ParseError as error:
                self.issue(row, column, _parse_message(error))
                failed.add(key)
                continue
            except ValueError as error:
                self.issue(row, column, str(error))
                failed.add(key)
                continue
            if f.kind == c.DEPARTMENT and value:
                value, more = value[0], value[1:]
                cooperating += more
            if value is not None and value != []:
                values[key] = value
        listed = values.get("cooperating_departments")
        if (cooperating or listed) and "cooperating_departments" in self.by_key:
            # The lead department does not cooperate with itself, wherever it is listed.
            lead = values.get("lead_department")
            values["cooperating_departments"] = [
                o for o in dict.fromkeys([*cooperating, *(listed or [])]) if o != lead
            ]
        return values, failed

    def column_of(self, row: Row, key: str) -> ColumnMatch | None:
        cell = row.cells.get(key)
        if cell:
            return cell[1]
        return next((col for col in self.plan.columns if col.field == key), None)

    def report(self, row: Row, error: ValidationError, field_names: dict[str, str]) -> None:
        """A model's refusal on this row, each message at the column of its field."""
        for name, message in _model_errors(error):
            column = self.column_of(row, field_names.get(name, name)) if name != "__all__" else None
            self.issue(row, column, message)

    def duplicates(self, seen: dict[str, list[Row]], column_key: str, message) -> None:
        for key, rows in seen.items():
            if len(rows) > 1:
                numbers = ", ".join(str(r.number) for r in rows)
                for row in rows:
                    self.issue(
                        row,
                        self.column_of(row, column_key),
                        message % {"key": key, "rows": numbers},
                    )


def _required_message(model, name) -> str:
    return str(model._meta.get_field(name).error_messages["blank"])


PROJECT_FOREIGN_KEYS = ["owner", "industry", "township", "responsible_leader", "lead_department"]
PROJECT_MODEL_FIELDS = [
    "code",
    "national_code",
    "name",
    "owner",
    "industry",
    "project_type",
    "township",
    "location",
    "total_investment",
    "plan_year",
    "annual_plan",
    "land_area",
    "construction_content",
    "responsible_leader",
    "lead_department",
    "cooperating_departments",
    "stage",
]
#: Sets of other objects: compared as sets, and stored once the project exists.
PROJECT_MANY = ["cooperating_departments"]


class ProjectPlanner(Planner):
    fields = c.PROJECT_FIELDS

    def __init__(self, plan, reader, kinds, today):
        super().__init__(plan, reader, today)
        self._probe = Milestone()
        self.kinds = {k.pk: k for k in kinds}
        self.template = [k for k in kinds if k.in_template]

    def run(self, rows: list[Row]) -> None:
        parsed = [(row, *self.read(row)) for row in rows]
        by_code, by_national, taken_nationals = self._existing(parsed)
        by_name = self._by_name(parsed)
        seen_keys: dict[str, list[Row]] = defaultdict(list)
        for row, values, failed in parsed:
            self._warn_out_of_order(row, values)
            code, national = values.get("code"), values.get("national_code")
            if not code and not national and values.get("name"):
                seen_keys[values["name"]].append(row)
                self._plan_by_name(row, values, failed, by_name[row.number])
                continue
            if not code and not national:
                self.issue(
                    row,
                    self.column_of(row, "code"),
                    _("A row needs a project number, a national project code or a name."),
                )
                continue
            seen_keys[code or national].append(row)
            target = by_code.get(code) if code else by_national.get(national)
            if (
                national
                and national in taken_nationals
                and taken_nationals[national] != (target.pk if target else None)
            ):
                self.issue(
                    row,
                    self.column_of(row, "national_code"),
                    _("The national project code %(code)s belongs to another project.")
                    % {"code": national},
                )
                failed.add("national_code")
            # A row with unreadable cells is still checked in full, so the preview lists
            # all that is wrong with it at once; it is planned only when nothing is.
            if target is None:
                self._plan_create(row, values, failed)
            else:
                self._plan_update(row, values, target, failed)
        self.duplicates(
            seen_keys,
            "code",
            _("The project %(key)s appears more than once in the file (rows %(rows)s)."),
        )
        nationals: dict[str, list[Row]] = defaultdict(list)
        for row, values, _ok in parsed:
            if values.get("national_code") and values.get("code"):
                nationals[values["national_code"]].append(row)
        self.duplicates(
            nationals,
            "national_code",
            _(
                "The national project code %(key)s appears more than once in the file "
                "(rows %(rows)s)."
            ),
        )

    def _by_name(self, parsed) -> dict[int, list[Project]]:
        """Row number → the projects the name of a row without number or code may mean:
        by the exact name first, then by its other forms (智慧物流园项目 is 智慧物流园), in
        Simplified or Traditional. Two queries, and one for the dates of those found."""
        wanted = {
            row.number: values["name"]
            for row, values, _failed in parsed
            if values.get("name") and not values.get("code") and not values.get("national_code")
        }
        if not wanted:
            return {}
        index = names.Names(
            Project.objects.only("pk", "name"),
            lambda p: (p.name,),
            lambda p: reporttext.project_aliases(p.name),
        )
        found = {}
        for number, name in wanted.items():
            forms = reporttext.project_aliases(name)
            found[number] = next((m for m in map(index.find_all, forms) if m), [])
        ids = {p.pk for matches in found.values() if len(matches) == 1 for p in matches}
        loaded = self._queryset().in_bulk(ids)
        self._load_dates(ids)
        self._codes = set(Project.objects.values_list("code", flat=True))
        return {n: [loaded.get(p.pk, p) for p in matches] for n, matches in found.items()}

    def _plan_by_name(self, row: Row, values: dict, failed: set[str], found: list) -> None:
        """Update the one project the name means; create one when it means none (with
        the next free number of the plan year); an error listing them when several."""
        if len(found) > 1:
            self.issue(
                row,
                self.column_of(row, "name"),
                _(
                    "“%(value)s” matches more than one project (%(candidates)s): add a "
                    "project number column to say which."
                )
                % {"value": values["name"], "candidates": "、".join(p.name for p in found)},
            )
        elif found:
            # The name found the project; written another way, it does not rename it.
            values = {k: v for k, v in values.items() if k != "name"}
            self._plan_update(row, values, found[0], failed)
        else:
            values = {**values, "code": self._next_code(values.get("plan_year"))}
            self._plan_create(row, values, failed)

    def _next_code(self, year) -> str:
        year = year or self.today.year
        number = 1
        while f"{year}-{number:03d}" in self._codes:
            number += 1
        code = f"{year}-{number:03d}"
        self._codes.add(code)
        return code

    def _queryset(self):
        return Project.objects.select_related(
            "owner", "industry", "township", "responsible_leader", "lead_department"
        ).prefetch_related(*PROJECT_MANY)

    def _load_dates(self, ids) -> None:
        # Milestones' dates only, as tuples: ten model instances a project would cost more
        # than the rest of the comparison.
        for chunk in _chunks(ids):
            rows = Milestone.objects.filter(project__in=chunk).values_list(
                "project_id", "kind_id", "planned_date", "actual_date"
            )
            for project_id, kind_id, planned, actual in rows:
                self.dates[project_id][kind_id] = {"planned_date": planned, "actual_date": actual}

    def _existing(self, parsed):
        codes = {v["code"] for _r, v, _ok in parsed if v.get("code")}
        nationals = {v["national_code"] for _r, v, _ok in parsed if v.get("national_code")}
        by_code, by_national, taken = {}, {}, {}
        queryset = self._queryset()
        for chunk in _chunks(codes):
            for project in queryset.filter(code__in=chunk):
                by_code[project.code] = project
        for chunk in _chunks(nationals):
            for project in queryset.filter(national_code__in=chunk):
                by_national[project.national_code] = project
                taken[project.national_code] = project.pk
        for project in by_code.values():
            if project.national_code:
                taken.setdefault(project.national_code, project.pk)
        self.dates: dict[int, dict[int, dict]] = defaultdict(dict)
        self._load_dates({p.pk for p in by_code.values()} | {p.pk for p in by_national.values()})
        return by_code, by_national, taken

    def _warn_out_of_order(self, row: Row, values: dict) -> None:
        """A warning for each pair of milestones whose dates (actual, else planned) run
        against the kinds' order: 开工 before 施工许可, 竣工 after 投产."""
        dates: dict[int, tuple[date, str]] = {}
        for which in ("planned", "actual"):  # the actual date wins
            for kind_id in self.kinds:
                key = milestone_key(kind_id, which)
                if isinstance(values.get(key), date):
                    dates[kind_id] = (values[key], key)
        ordered = sorted(dates, key=lambda pk: (self.kinds[pk].sort_order, self.kinds[pk].code))
        for index, earlier in enumerate(ordered):
            for later in ordered[index + 1 :]:
                if dates[later][0] < dates[earlier][0]:
                    column = self.column_of(row, dates[later][1])
                    self.plan.warnings.append(
                        Issue(
                            row.number,
                            column.letter if column else "",
                            column.header if column else "",
                            _(
                                "%(later)s (%(later_date)s) is before %(earlier)s "
                                "(%(earlier_date)s), which usually comes first."
                            )
                            % {
                                "later": self.kinds[later],
                                "later_date": dates[later][0].isoformat(),
                                "earlier": self.kinds[earlier],
                                "earlier_date": dates[earlier][0].isoformat(),
                            },
                        )
                    )

    def _milestones(self, row: Row, values: dict) -> dict[int, dict]:
        """Kind id → planned/actual dates the row gives."""
        milestones: dict[int, dict] = defaultdict(dict)
        for key, value in values.items():
            if key.startswith("milestone:"):
                _prefix, kind_id, which = key.split(":")
                milestones[int(kind_id)][f"{which}_date"] = value
        kind, planned = values.get("next_milestone_kind"), values.get("next_milestone_date")
        if kind is not None and planned is not None:
            milestones[kind.pk].setdefault("planned_date", planned)
        elif planned is not None:
            self.issue(
                row,
                self.column_of(row, "next_milestone_kind"),
                _("Say which milestone the planned date is for."),
            )
        return milestones

    def _check_milestones(self, row: Row, milestones: dict[int, dict]) -> bool:
        """The milestone model's own rule on each kind's dates. One unsaved milestone is
        reused: building a model instance per cell would cost more than reading it."""
        ok = True
        probe = self._probe
        for kind_id, dates in milestones.items():
            for name in ("planned_date", "actual_date"):
                setattr(probe, name, dates.get(name))
            try:
                probe.clean()
            except ValidationError as error:
                for name, message in _model_errors(error):
                    which = "actual" if name in ("actual_date", "reported_date") else "planned"
                    column = self.column_of(row, milestone_key(kind_id, which))
                    self.issue(row, column, message)
                ok = False
        return ok

    def _validate(self, row: Row, project: Project, exclude=()) -> bool:
        """The model's own checks, less what the planner checks in bulk: foreign keys
        (resolved from loaded objects) and uniqueness (one query for the whole file)."""
        try:
            project.clean_fields(exclude=[*PROJECT_FOREIGN_KEYS, "search_key", *exclude])
            project.clean()
        except ValidationError as error:
            self.report(row, error, {})
            return False
        return True

    def _model_values(self, values: dict) -> dict:
        return {k: v for k, v in values.items() if k in PROJECT_MODEL_FIELDS}

    def _plan_create(self, row: Row, values: dict, failed: set[str]) -> None:
        data = self._model_values(values)
        data.setdefault("code", values.get("national_code"))
        data.setdefault("plan_year", self.today.year)
        missing = [
            name
            for name in ("name", "owner", "lead_department", "total_investment")
            if data.get(name) in (None, "") and name not in failed
        ]
        for name in missing:
            self.issue(row, self.column_of(row, name), _required_message(Project, name))
        project = Project(
            **{k: v for k, v in data.items() if k not in [*PROJECT_FOREIGN_KEYS, *PROJECT_MANY]}
        )
        ok = self._validate(row, project, exclude=[*missing, *failed]) and not missing
        milestones = self._milestones(row, values)
        ok = self._check_milestones(row, milestones) and ok
        if not ok or failed:
            return
        for name in PROJECT_FOREIGN_KEYS:
            if name in data and not isinstance(data[name], NewEnterprise):
                setattr(project, name, data[name])
        self.plan.changes.append(
            Change(
                row.number,
                CREATE,
                data["code"],
                data["name"],
                values=data,
                milestones=dict(milestones),
                instance=project,
            )
        )

    def _plan_update(self, row: Row, values: dict, target: Project, failed: set[str]) -> None:
        data = self._model_values(values)
        data.pop("code", None)  # the key it was matched by; a national-code match keeps its number
        changes = {}
        for name, value in data.items():
            if name in PROJECT_MANY:
                if {o.pk for o in value} != {o.pk for o in getattr(target, name).all()}:
                    changes[name] = value
            elif isinstance(value, NewEnterprise) or getattr(target, name) != value:
                changes[name] = value
        ok = True
        if changes:  # what is as stored was valid when stored
            candidate = copy(target)
            for name, value in changes.items():
                if name not in [*PROJECT_FOREIGN_KEYS, *PROJECT_MANY]:
                    setattr(candidate, name, value)
            ok = self._validate(row, candidate)
        milestones = self._milestones(row, values)
        existing = self.dates.get(target.pk, {})
        changed_dates = {
            kind_id: {
                name: value
                for name, value in dates.items()
                if kind_id not in existing or existing[kind_id][name] != value
            }
            for kind_id, dates in milestones.items()
        }
        ok = self._check_milestones(row, {k: v for k, v in changed_dates.items() if v}) and ok
        if not ok or failed:
            return
        milestone_changes = {}
        labels = [capfirst(Project._meta.get_field(name).verbose_name) for name in changes]
        for kind_id, changed in changed_dates.items():
            if changed:
                milestone_changes[kind_id] = changed
                for name in changed:
                    which = _("planned date") if name == "planned_date" else _("actual date")
                    labels.append(f"{self.kinds[kind_id]} · {which}")
        action = UPDATE if changes or milestone_changes else UNCHANGED
        self.plan.changes.append(
            Change(
                row.number,
                action,
                target.code,
                target.name,
                fields=[str(label) for label in labels],
                values=changes,
                milestones=milestone_changes,
                target=target,
            )
        )


PROBLEM_EDITABLE = [
    "description",
    "category",
    "severity",
    "level",
    "lead_department",
    "cooperating_departments",
    "due_date",
    "root_cause",
]


class ProblemPlanner(Planner):
    fields = c.PROBLEM_FIELDS

    def run(self, rows: list[Row]) -> None:
        parsed = [(row, *self.read(row)) for row in rows]
        projects = self._projects(parsed)
        existing = self._existing(projects.values())
        seen: dict[str, list[Row]] = defaultdict(list)
        for row, values, failed in parsed:
            project = self._project(row, values, projects)
            title = values.get("title")
            if not title and "title" not in failed:
                self.issue(row, self.column_of(row, "title"), _required_message(Problem, "title"))
            if project is None or not title:
                continue
            seen[f"{project.code} · {title}"].append(row)
            target = existing.get((project.pk, text_key(title)))
            if target is None:
                self._plan_create(row, values, project, failed)
            else:
                self._plan_update(row, values, target, failed)
        self.duplicates(
            seen,
            "title",
            _("The problem %(key)s appears more than once in the file (rows %(rows)s)."),
        )

    def _projects(self, parsed) -> dict:
        """Every project a row may name, by code and by name key (one query)."""
        wanted_codes = {v["project_code"] for _r, v, _ok in parsed if v.get("project_code")}
        wanted_names = {
            text_key(v["project_name"]) for _r, v, _ok in parsed if v.get("project_name")
        }
        found = {}
        queryset = Project.objects.only("pk", "code", "name")
        for chunk in _chunks(wanted_codes):
            for project in queryset.filter(code__in=chunk):
                found[("code", project.code)] = project
        if wanted_names:
            by_name = defaultdict(list)
            for project in queryset:
                by_name[text_key(project.name)].append(project)
            for key in wanted_names:
                found[("name", key)] = by_name.get(key, [])
        return found

    def _project(self, row, values, projects):
        code, name = values.get("project_code"), values.get("project_name")
        if code:
            project = projects.get(("code", code))
            if project is None:
                self.issue(
                    row,
                    self.column_of(row, "project_code"),
                    _("There is no project numbered %(code)s.") % {"code": code},
                )
            return project
        if name:
            candidates = projects.get(("name", text_key(name)), [])
            if len(candidates) == 1:
                return candidates[0]
            message = (
                _("There is no project named “%(name)s”.")
                if not candidates
                else _("Several projects are named “%(name)s”; give the project number.")
            )
            self.issue(row, self.column_of(row, "project_name"), message % {"name": name})
            return None
        self.issue(
            row,
            self.column_of(row, "project_code"),
            _("Say which project the problem is on: its number or its name."),
        )
        return None

    def _existing(self, projects) -> dict:
        ids = {p.pk for p in projects if isinstance(p, Project)}
        ids |= {p.pk for value in projects if isinstance(value, list) for p in value}
        existing = {}
        for chunk in _chunks(ids):
            problems = (
                Problem.objects.filter(project__in=chunk)
                .select_related("project", "lead_department")
                .prefetch_related("cooperating_departments")
            )
            for problem in problems:
                existing[(problem.project_id, text_key(problem.title))] = problem
        return existing

    def _validate(self, row, problem, exclude=()) -> bool:
        try:
            problem.clean_fields(
                exclude=["project", "lead_department", "raised_by", "search_key", *exclude]
            )
            problem.clean()
        except ValidationError as error:
            self.report(row, error, {})
            return False
        return True

    def _plan_create(self, row, values, project, failed) -> None:
        data = {k: v for k, v in values.items() if k in (*PROBLEM_EDITABLE, "title", "raised_on")}
        data.setdefault("description", data["title"])
        data.setdefault("category", Category.OTHER)
        data.setdefault("raised_on", self.today)
        missing = [
            name
            for name in ("lead_department", "due_date")
            if data.get(name) in (None, "") and name not in failed
        ]
        for name in missing:
            self.issue(row, self.column_of(row, name), _required_message(Problem, name))
        cooperating = data.pop("cooperating_departments", [])
        candidate = Problem(
            **{k: v for k, v in data.items() if k != "lead_department"}, project=project
        )
        if not self._validate(row, candidate, exclude=[*failed, *missing]) or failed or missing:
            return
        data["cooperating_departments"] = cooperating
        self.plan.changes.append(
            Change(row.number, CREATE, project.code, data["title"], values=data, project=project)
        )

    def _plan_update(self, row, values, target, failed) -> None:
        changes = {}
        for name in PROBLEM_EDITABLE:
            if name not in values:
                continue
            value = values[name]
            if name == "cooperating_departments":
                if {o.pk for o in value} != {o.pk for o in target.cooperating_departments.all()}:
                    changes[name] = value
            elif getattr(target, name) != value:
                changes[name] = value
        candidate = copy(target)
        for name, value in changes.items():
            if name not in ("lead_department", "cooperating_departments"):
                setattr(candidate, name, value)
        if not self._validate(row, candidate, exclude=failed) or failed:
            return
        labels = [str(capfirst(Problem._meta.get_field(name).verbose_name)) for name in changes]
        self.plan.changes.append(
            Change(
                row.number,
                UPDATE if changes else UNCHANGED,
                target.project.code,
                target.title,
                fields=labels,
                values=changes,
                target=target,
            )
        )


# --- templates ---------------------------------------------------------------------------

TEMPLATE_FIELDS = {
    ImportKind.PROJECTS: PROJECT_MODEL_FIELDS,
    ImportKind.PROBLEMS: [
        "project_code",
        "project_name",
        "title",
        "description",
        "category",
        "severity",
        "lead_department",
        "cooperating_departments",
        "level",
        "raised_on",
        "due_date",
        "root_cause",
    ],
}
REQUIRED = {
    ImportKind.PROJECTS: {"name", "owner", "lead_department", "total_investment"},
    ImportKind.PROBLEMS: {"title", "lead_department", "due_date"},
}


def _how_to_write(f: c.Field) -> str:
    if f.help and f.kind not in (c.AMOUNT, c.AREA):
        return str(f.help)
    if f.kind == c.CHOICE:
        return _("One of: %(choices)s.") % {"choices": ", ".join(map(str, f.choices.labels))}
    return {
        c.DATE: _("A date: %(examples)s; a month alone (%(month)s) counts as its last day.")
        % {"examples": FORMATS["date"][0], "month": FORMATS["month"][0]},
        c.AMOUNT: _("In 10k yuan unless the cell or the header names a unit: %(examples)s.")
        % {"examples": FORMATS["amount"][0]},
        c.AREA: _("In mu unless the cell names a unit: %(examples)s.")
        % {"examples": FORMATS["area"][0]},
        c.INTEGER: _("A whole number, e.g. 2026."),
        c.DEPARTMENT: _("A department's full or short name, as set up in Diaodu."),
        c.DEPARTMENTS: _("Departments' names, separated by commas."),
        c.TOWNSHIP: _("An area's (township's) full or short name, as set up in Diaodu."),
        c.LEADER: _("A zone leader's name, as set up in Diaodu."),
        c.INDUSTRY: _("One of the industries set up in Diaodu."),
    }.get(f.kind, _("Text."))


def _example_row(kind: str, kinds, today: date) -> dict[str, object]:
    """Values for the template's example row, from this zone's own data where there is
    some, so the example shows names that will be recognised."""
    enterprise = Organisation.objects.enterprises().first()
    department = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).first()
    township = Organisation.objects.filter(kind=OrganisationKind.TOWNSHIP).first()
    leader = User.objects.filter(role=Role.LEADER, is_active=True).first()
    industry = Industry.objects.first()
    project = Project.objects.order_by("code").first()
    year = today.year
    if kind == ImportKind.PROBLEMS:
        return {
            "project_code": project.code if project else f"{year}-001",
            "project_name": project.name if project else _("Smart logistics park"),
            "title": _("Land quota for phase two not granted"),
            "description": _("Phase two needs 50 mu of construction land quota."),
            "category": Category.LAND.label,
            "lead_department": str(department) if department else "",
            "level": Level.CITY.label,
            "raised_on": today,
            "due_date": date(year, 12, 31),
        }
    values = {
        # A number no real project has: importing the template unchanged adds the
        # example as a new project (the preview shows it) rather than changing one.
        "code": f"{year}-EXAMPLE",
        "national_code": "2401-330106-04-01-123456",
        "name": _("Smart logistics park"),
        "owner": enterprise.name if enterprise else _("Example Logistics Co., Ltd."),
        "industry": str(industry) if industry else "",
        "project_type": ProjectType.NEW.label,
        "township": str(township) if township else "",
        "location": _("East of the zone"),
        "total_investment": Decimal("32000"),
        "plan_year": year,
        "annual_plan": Decimal("8000"),
        "land_area": Decimal("120"),
        "construction_content": _("Warehouses and a sorting centre"),
        "responsible_leader": str(leader) if leader else "",
        "lead_department": str(department) if department else "",
        "stage": Stage.PREPARATION.label,
    }
    for kind_ in kinds:
        if kind_.code == "signing":
            values[milestone_key(kind_.pk, "actual")] = date(year, 1, 15)
        if kind_.code == "groundbreaking":
            values[milestone_key(kind_.pk, "planned")] = date(year, 9, 30)
    return values


def template_workbook(kind: str, today: date | None = None) -> bytes:
    """A workbook to fill in: the header and an example row, and a second sheet saying
    what each column takes."""
    today = today or timezone.localdate()
    fields = {f.key: f for f in _fields(kind)}
    kinds = (
        list(MilestoneKind.objects.filter(in_template=True)) if kind == ImportKind.PROJECTS else []
    )
    style = {c.DATE: xlsx.DATE, c.AMOUNT: xlsx.MONEY, c.AREA: xlsx.MONEY, c.INTEGER: xlsx.INTEGER}
    columns, keys = [], []
    for key in TEMPLATE_FIELDS[kind]:
        f = fields[key]
        columns.append(xlsx.Column(str(f.label), style=style.get(f.kind, xlsx.TEXT)))
        keys.append(key)
    for kind_ in kinds:
        for which, label in (("planned", _("planned date")), ("actual", _("actual date"))):
            label = capfirst(label)
            columns.append(xlsx.Column(str(label), group=str(kind_), style=xlsx.DATE, width=12))
            keys.append(milestone_key(kind_.pk, which))
    example = _example_row(kind, kinds, today)
    book = xlsx.TableWorkbook()
    title = _("Key projects to import") if kind == ImportKind.PROJECTS else _("Problems to import")
    book.add_table(
        title,
        columns,
        [[example.get(key) for key in keys]],
        title=title,
        note=_("Row %(row)d is an example: replace it with your rows.")
        % {"row": 5 if kinds else 4},
        freeze_columns=0,
    )
    explained = []
    for key in TEMPLATE_FIELDS[kind]:
        f = fields[key]
        explained.append(
            [
                str(f.label),
                _("required") if key in REQUIRED[kind] else "",
                _how_to_write(f),
                "、".join(f.synonyms[:4]),
            ]
        )
    if kinds:
        explained.append(
            [
                _("Milestones"),
                "",
                _(
                    "Planned and actual dates of each time node, under its name. An actual "
                    "date cannot be in the future."
                ),
                "计划开工时间、实际开工时间",  # header forms offices use: data
            ]
        )
    explained.append(
        [
            _("Any other column"),
            "",
            _(
                "Ignored; the preview lists it. A blank cell leaves what Diaodu has; rows "
                "are matched to existing ones, so importing a file again changes nothing."
            ),
            "",
        ]
    )
    book.add_table(
        _("Columns"),
        [
            xlsx.Column(_("Column")),
            xlsx.Column(_("Required")),
            xlsx.Column(_("What to write"), style=xlsx.WRAP, width=60),
            xlsx.Column(_("Also recognised as"), style=xlsx.WRAP, width=30),
        ],
        explained,
        title=_("What each column takes"),
    )
    return book.to_bytes()
