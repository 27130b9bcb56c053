"""Spreadsheets the offices read: a titled table with grouped headers. No Django here.

Exports use openpyxl's write-only mode, which streams rows to the file with constant
memory; the price is that everything about a column (width, style) must be decided
before the first row is written, so :func:`write_table` takes all rows at once.

The body of a table is written by :class:`TableSheet` itself, as XML text, a thousand rows
at a time: openpyxl builds a cell object and an XML element for every cell, which took
11 of the 21 seconds of a 50,000-row problem ledger (docs/performance.md). Titles and
headers, merges, widths, panes and printing stay with openpyxl.

Text is written as text, never as a formula: a cell from users that begins with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return) would otherwise run as a formula in
the reader's spreadsheet program ("CSV/formula injection"). :func:`neutralise` prefixes
it with an apostrophe; :func:`restore` undoes that when the file comes back as an import.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from math import isfinite

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring

from diaodu.lib.chinese import display_width

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# Cell styles of table bodies. Money is in 万元 with two decimals; rates are fractions
# shown as percentages.
TEXT = "text"
WRAP = "wrap"
MONEY = "money"
RATE = "rate"
INTEGER = "integer"
DATE = "date"

NUMBER_FORMATS = {
    TEXT: "General",
    WRAP: "General",
    MONEY: "#,##0.00",
    RATE: "0.0%",
    INTEGER: "0",
    DATE: "yyyy-mm-dd",
}
FONT_NAME = "宋体"  # the face Chinese office spreadsheets are set in (SimSun)
HEADER_FILL = "DDEBF7"
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE", "grey": "EDEDED"}
MIN_WIDTH, MAX_WIDTH, WRAP_WIDTH = 6, 40, 40
LINE_HEIGHT = 15  # points per line of 11 pt text, as Excel spaces it
CHUNK = 1000  # body rows written (and progress reported) at a time

_CELL_TYPES = (str, int, float, Decimal, date, datetime)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs_quote(text: str) -> bool:
    # A text that already starts with the quote is quoted again when what follows it would
    # be unquoted on import, so restore(neutralise(text)) == text for every text.
    if not text:
        return False
    if text.startswith(FORMULA_TRIGGERS):
        return True
    return text[0] == QUOTE and _needs_quote(text[1:])


def neutralise(value):
    """A user's text as it may safely go into a cell; anything else unchanged."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if _needs_quote(value):
            return QUOTE + value
    return value


def restore(value):
    """The text a neutralised cell stood for."""
    if isinstance(value, str) and value[:1] == QUOTE and _needs_quote(value[1:]):
        return value[1:]
    return value


@dataclass(frozen=True)
class Column:
    """A table column. Adjacent columns with the same ``group`` get one merged header
    cell above their own headers; ``width`` fixes the width, else it fits the contents."""

    header: str
    group: str = ""
    style: str = TEXT
    width: float | None = None


@dataclass(frozen=True)
class Highlight:
    """A value written on a coloured background, e.g. a traffic light (``FILLS``)."""

    value: object
    fill: str


class Rows(list):
    """Body rows already written as ``<row>`` XML, appended to a :class:`TableSheet` at once."""


class TableSheet(WriteOnlyWorksheet):
    """openpyxl's streaming sheet, which also takes :class:`Rows`: they are parsed once per
    chunk (in C, by lxml) and passed to the file as elements, with no object per cell."""

    def _write_rows(self):
        # openpyxl's own loop (worksheet/_write_only.py, openpyxl 3.1), plus Rows.
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, Rows):
                        for element in fromstring(f"<rows>{''.join(row)}</rows>"):
                            xf.write(element)
                        row_idx += len(row)
                        continue
                    self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _cell_xml(ref: str, style: int, value) -> str:
    """A body cell as openpyxl writes it: text inline, numbers and dates as numbers."""
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        text = value.translate(_XML_ESCAPES)
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        value = to_excel(value)
    number = f"{float(value):.16g}" if isfinite(value) else ""
    return f'<c r="{ref}" s="{style}" t="n"><v>{number}</v></c>'


class TableWorkbook:
    """A write-only workbook of titled tables; ``to_bytes()`` when done.

    ``footer`` is printed at the foot of each page, with Excel's codes (&P the page, &N
    the number of pages); ``date_format`` is Excel's number format for dates, e.g.
    ``yyyy"年"m"月"d"日"`` where the office writes its dates out."""

    def __init__(self, *, footer: str = "", date_format: str = NUMBER_FORMATS[DATE]):
        self.workbook = Workbook(write_only=True)
        self._styles: dict[str, object] = {}
        self._style_ids: dict[tuple[str, str], int] = {}
        self.footer = footer
        self.date_format = date_format

    def _style(self, kind: str, fill: str = ""):
        """The style of a kind of cell (and fill): a named style registered once, whose
        compiled form is copied onto each cell. Assigning the style by name costs a
        lookup per cell, which is most of the time of a 10,000-row export."""
        name = f"diaodu-{kind}-{fill}" if fill else f"diaodu-{kind}"
        if name in self._styles:
            return self._styles[name]
        style = NamedStyle(name=name, border=_BORDER, number_format="General")
        if kind == "title":
            style.font = Font(name=FONT_NAME, size=16, bold=True)
            style.alignment = Alignment(horizontal="center", vertical="center")
            style.border = Border()
        elif kind == "note":
            style.font = Font(name=FONT_NAME, size=10, italic=True, color="595959")
            style.alignment = Alignment(horizontal="right", vertical="center")
            style.border = Border()
        elif kind == "header":
            style.font = Font(name=FONT_NAME, size=11, bold=True)
            style.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            style.fill = PatternFill("solid", fgColor=HEADER_FILL)
        else:
            style.font = Font(name=FONT_NAME, size=11)
            style.number_format = self.date_format if kind == DATE else NUMBER_FORMATS[kind]
            horizontal = "right" if kind in (MONEY, RATE, INTEGER) else None
            if kind == DATE:
                horizontal = "center"
            style.alignment = Alignment(
                horizontal=horizontal, vertical="center", wrap_text=kind == WRAP
            )
        if fill:
            style.fill = PatternFill("solid", fgColor=FILLS.get(fill, fill))
        self.workbook.add_named_style(style)
        self._styles[name] = style.as_tuple()
        return self._styles[name]

    def _cell(self, sheet, value, kind: str):
        fill = ""
        if isinstance(value, Highlight):
            value, fill = value.value, value.fill
        cell = WriteOnlyCell(sheet, _plain(value))
        cell._style = copy(self._style(kind, fill))
        return cell

    def _style_id(self, sheet, kind: str, fill: str) -> int:
        """The number of a body style in the file's style table."""
        key = (kind, fill)
        if key not in self._style_ids:
            self._style_ids[key] = self._cell(sheet, Highlight(None, fill), kind).style_id
        return self._style_ids[key]

    def _row_xml(self, sheet, number: int, values, kinds, letters, height) -> str:
        cells = []
        for value, kind, letter in zip(values, kinds, letters, strict=True):
            fill = ""
            if isinstance(value, Highlight):
                value, fill = value.value, value.fill
            style = self._style_id(sheet, kind, fill)
            cells.append(_cell_xml(f"{letter}{number}", style, _plain(value)))
        size = f' ht="{height}" customHeight="1"' if height else ""
        return f'<row r="{number}"{size}>{"".join(cells)}</row>'

    def add_table(
        self,
        sheet_title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence],
        *,
        title: str = "",
        note: str = "",
        freeze_columns: int = 0,
        progress: Callable[[int, int], None] | None = None,
    ):
        """A sheet: a merged title row, a note line (e.g. when it was generated), one or
        two header rows, then ``rows``; panes frozen below the headers and right of
        ``freeze_columns`` columns. ``progress(done, total)`` is told of the rows written
        every :data:`CHUNK` rows. Returns the sheet."""
        rows = [list(row) for row in rows]
        sheet = TableSheet(parent=self.workbook, title=_sheet_title(sheet_title))
        self.workbook._add_sheet(sheet)
        count = len(columns)
        last = get_column_letter(count)
        two_rows = any(column.group for column in columns)
        widths = _widths(columns, rows, _date_sample(self.date_format))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        # Widths and panes are written at the top of the sheet's XML, before any row.
        header = (1 if title else 0) + (1 if note else 0) + 1
        first_data = header + (2 if two_rows else 1)
        sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{first_data}"
        # Offices print these tables for meetings: landscape A4, every column on the page
        # width, the header rows repeated on each page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"1:{first_data - 1}"
        if self.footer:
            sheet.oddFooter.center.text = self.footer

        row_number = 0
        if title:
            row_number += 1
            sheet.row_dimensions[row_number].height = 30
            sheet.append([self._cell(sheet, title, "title")])
            sheet.merged_cells.add(CellRange(f"A{row_number}:{last}{row_number}"))
        if note:
            row_number += 1
            sheet.append([self._cell(sheet, note, "note")])
            sheet.merged_cells.add(CellRange(f"A{row_number}:{last}{row_number}"))

        top, bottom = [], []
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if not column.group:
                top.append(self._cell(sheet, column.header, "header"))
                bottom.append(self._cell(sheet, None, "header"))
                if two_rows:
                    sheet.merged_cells.add(CellRange(f"{letter}{header}:{letter}{header + 1}"))
                continue
            starts = index == 1 or columns[index - 2].group != column.group
            top.append(self._cell(sheet, column.group if starts else None, "header"))
            bottom.append(self._cell(sheet, column.header, "header"))
            if starts:
                end = index
                while end < count and columns[end].group == column.group:
                    end += 1
                if end > index:
                    sheet.merged_cells.add(
                        CellRange(f"{letter}{header}:{get_column_letter(end)}{header}")
                    )
        sheet.row_dimensions[header].height = 24
        sheet.append(top)
        if two_rows:
            sheet.row_dimensions[header + 1].height = 24
            sheet.append(bottom)

        kinds = [column.style for column in columns]
        letters = [get_column_letter(index) for index in range(1, count + 1)]
        wrapped = [i for i, kind in enumerate(kinds) if kind == WRAP]
        chunk = Rows()
        for row_number, values in enumerate(rows, start=first_data):
            # Excel does not grow a row for wrapped text that it did not type itself: without
            # a height, the second line of a cell hides behind the next row.
            lines = max((_lines(_shown(values[i], WRAP), widths[i]) for i in wrapped), default=1)
            height = lines * LINE_HEIGHT + 3 if lines > 1 else None
            chunk.append(self._row_xml(sheet, row_number, values, kinds, letters, height))
            if len(chunk) == CHUNK:
                sheet.append(chunk)
                chunk = Rows()
                if progress:
                    progress(row_number - first_data + 1, len(rows))
        if chunk:
            sheet.append(chunk)
        if progress:
            progress(len(rows), len(rows))
        return sheet

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _plain(value):
    """A value as a cell holds it: text made safe, anything unknown as its text."""
    if value is not None and not isinstance(value, _CELL_TYPES):
        value = str(value)  # e.g. a lazily translated label
    return neutralise(value)


def _sheet_title(title: str) -> str:
    # Sheet names are at most 31 characters and cannot contain []:*?/\
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:31] or "Sheet"


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes, wrapped in a column ``width`` characters wide (a
    Chinese character counts two)."""
    room = max(width - 1, 1)
    return sum(max(1, -(-display_width(line) // room)) for line in text.splitlines() or [""])


def _date_sample(number_format: str) -> str:
    """The widest text a date takes in ``number_format``: quoted literals as they are,
    each code two digits at least, a month name at its longest."""
    if "mmmm" in number_format:
        return "30 September 2026"
    return re.sub(r"y+|m+|d+", lambda code: "0" * max(2, len(code[0])), number_format).replace(
        '"', ""
    )


def _shown(value, kind: str, date_sample: str = "0000-00-00") -> str:
    """Roughly what a cell shows, to size its column."""
    if isinstance(value, Highlight):
        value = value.value
    if value is None:
        return ""
    if kind == MONEY and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"
    if kind == RATE and isinstance(value, int | float | Decimal):
        return f"{value:.1%}"
    if isinstance(value, date | datetime):
        return date_sample
    return str(value)


def _widths(columns: Sequence[Column], rows: list[list], date_sample: str) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        widest = display_width(column.header)
        for row in rows:
            shown = _shown(row[index], column.style, date_sample)
            if shown:
                widest = max(widest, max(display_width(line) for line in shown.splitlines()))
        limit = WRAP_WIDTH if column.style == WRAP else MAX_WIDTH
        widths.append(float(min(max(widest + 2, MIN_WIDTH), limit)))
    # A group's header must fit across the columns it spans.
    start = 0
    while start < len(columns):
        end = start
        group = columns[start].group
        while end + 1 < len(columns) and group and columns[end + 1].group == group:
            end += 1
        if group:
            missing = display_width(group) + 2 - sum(widths[start : end + 1])
            if missing > 0:
                widths[end] += missing
        start = end + 1
    return widths
