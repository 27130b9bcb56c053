"""Titled tables with grouped headers, written in write-only mode, and text that can never
run as a formula in the reader's spreadsheet."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from diaodu.lib.xlsx import (
    DATE,
    INTEGER,
    LINE_HEIGHT,
    MONEY,
    RATE,
    WRAP,
    Column,
    Highlight,
    TableWorkbook,
    display_width,
    neutralise,
    restore,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","点我")',
    "+86 571 0000",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=1",  # already quoted once: stays distinguishable from "=1"
    "''=1",
]
HARMLESS = ["水务产业园", "2026-001", "'quoted", "a=b", "", "'", "—"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_written_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("text", DANGEROUS + HARMLESS)
def test_restoring_a_neutralised_text_gives_the_text_back(text):
    assert restore(neutralise(text)) == text


def test_numbers_and_dates_are_not_touched():
    assert neutralise(-5) == -5
    assert neutralise(Decimal("-1.5")) == Decimal("-1.5")
    assert neutralise(date(2026, 5, 11)) == date(2026, 5, 11)


def test_characters_a_workbook_cannot_hold_are_dropped():
    assert neutralise("水务\x00产业\x0b园") == "水务产业园"


def test_chinese_characters_are_twice_as_wide_as_latin_ones():
    assert display_width("abc") == 3
    assert display_width("水务") == 4
    assert display_width("2026年") == 6


def table(**options):
    book = TableWorkbook()
    columns = [
        Column("序号", style=INTEGER),
        Column("项目名称"),
        Column("年度计划", group="投资情况（万元）", style=MONEY),
        Column("本年完成", group="投资情况（万元）", style=MONEY),
        Column("完成率", group="投资情况（万元）", style=RATE),
        Column("计划时间", style=DATE),
    ]
    rows = [
        [1, "=cmd|' /C calc'!A0", Decimal("1234.5"), Decimal("617.25"), Decimal("0.5"), None],
        [2, "新材料产业基地扩建工程二期项目", Decimal("0"), None, None, date(2026, 7, 1)],
        [3, Highlight("红灯", "red"), Decimal("1"), Decimal("1"), Decimal("1"), None],
    ]
    book.add_table("调度表", columns, rows, **options)
    return load_workbook(BytesIO(book.to_bytes())).active


def test_a_table_has_a_merged_title_a_note_and_grouped_headers_over_two_rows():
    sheet = table(title="2026年重点项目调度表", note="生成时间：2026-06-10", freeze_columns=2)

    assert sheet.title == "调度表"
    assert sheet["A1"].value == "2026年重点项目调度表"
    assert sheet["A2"].value == "生成时间：2026-06-10"
    assert {str(r) for r in sheet.merged_cells.ranges} == {
        "A1:F1",  # title
        "A2:F2",  # note
        "A3:A4",  # headers without a group span both header rows
        "B3:B4",
        "F3:F4",
        "C3:E3",  # the group over its three columns
    }
    assert [c.value for c in sheet[3]] == [
        "序号",
        "项目名称",
        "投资情况（万元）",
        None,
        None,
        "计划时间",
    ]
    assert [c.value for c in sheet[4]] == [None, None, "年度计划", "本年完成", "完成率", None]
    assert sheet.freeze_panes == "C5"
    assert sheet["A1"].font.b
    assert sheet["C3"].font.b


def test_cells_carry_the_number_format_of_their_column():
    sheet = table(title="t")

    assert sheet["C4"].value == 1234.5
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet["E4"].value == 0.5
    assert sheet["E4"].number_format == "0.0%"
    assert sheet["F5"].value.date() == date(2026, 7, 1)
    assert sheet["F5"].number_format == "yyyy-mm-dd"
    assert sheet["A4"].number_format == "0"


def test_a_formula_like_text_arrives_as_text():
    sheet = table(title="t")

    assert sheet["B4"].data_type == "s"
    assert sheet["B4"].value == "'=cmd|' /C calc'!A0"


def test_a_highlighted_value_is_filled_with_its_colour():
    sheet = table(title="t")

    assert sheet["B6"].value == "红灯"
    assert sheet["B6"].fill.fgColor.rgb.endswith("FFC7CE")


def test_columns_are_wide_enough_for_chinese_text_and_for_their_group():
    sheet = table(title="t")

    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths["B"] >= display_width("新材料产业基地扩建工程二期项目")
    group = display_width("投资情况（万元）")
    assert widths["C"] + widths["D"] + widths["E"] >= group


def test_without_groups_there_is_one_header_row_and_the_panes_freeze_under_it():
    book = TableWorkbook()
    book.add_table("Sheet", [Column("a"), Column("b")], [["x", "y"]], title="T")
    sheet = load_workbook(BytesIO(book.to_bytes())).active

    assert [c.value for c in sheet[2]] == ["a", "b"]
    assert sheet["A3"].value == "x"
    assert sheet.freeze_panes == "A3"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:B1"}


def test_a_sheet_title_is_cut_to_what_excel_accepts():
    book = TableWorkbook()
    book.add_table("a/b:c" + "x" * 40, [Column("a")], [])
    sheet = load_workbook(BytesIO(book.to_bytes())).active

    assert len(sheet.title) == 31
    assert "/" not in sheet.title
    assert ":" not in sheet.title


def test_a_table_prints_landscape_one_page_wide_with_its_headers_on_every_page():
    sheet = table(title="2026年重点项目调度表", note="生成时间：2026-06-10", freeze_columns=2)

    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$4"  # title, note and the two header rows


def test_a_row_of_wrapped_text_is_as_tall_as_its_longest_cell():
    book = TableWorkbook()
    reason = "供地计划2026年6月1日完成，已逾期9天；施工许可尚未受理，需资规局协调"  # 64 wide
    book.add_table(
        "表",
        [Column("序号", style=INTEGER), Column("原因", style=WRAP, width=22)],
        [[1, reason], [2, "正常"], [3, "第一行\n第二行\n第三行"]],
    )
    sheet = load_workbook(BytesIO(book.to_bytes())).active

    # 64 display columns in 21 per line: four lines; three explicit lines; one line.
    assert sheet.row_dimensions[2].height == 4 * LINE_HEIGHT + 3
    assert sheet.row_dimensions[4].height == 3 * LINE_HEIGHT + 3
    assert sheet.row_dimensions[3].height is None


def test_pages_are_numbered_at_the_foot_and_dates_written_as_the_office_writes_them():
    book = TableWorkbook(footer="第 &P 页，共 &N 页", date_format='yyyy"年"m"月"d"日"')
    book.add_table("表", [Column("计划时间", style=DATE)], [[date(2026, 5, 11)]])
    sheet = load_workbook(BytesIO(book.to_bytes())).active

    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert sheet.cell(2, 1).number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.cell(2, 1).value.date() == date(2026, 5, 11)
    assert sheet.column_dimensions["A"].width >= 14  # 2026年12月31日 fits
