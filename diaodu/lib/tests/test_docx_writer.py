"""The official-style Word writer, read back with python-docx: page, fonts (East-Asian as
well as Latin, or Chinese falls back to whatever Word picks), title, headings, labelled
paragraphs and tables; and the Chinese numerals that number the headings."""

from io import BytesIO

import pytest
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from diaodu.lib.chinese import chinese_numeral
from diaodu.lib.docx_writer import OfficialDocument


def fonts_of(element) -> dict[str, str]:
    """The ``w:rFonts`` attributes of a run or style: ascii, hAnsi, eastAsia."""
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {name: fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia")}


@pytest.fixture
def document():
    """A short set of minutes, written and read back."""
    doc = OfficialDocument()
    doc.title("重点项目专题调度会议纪要")
    doc.subtitle("2026年6月15日")
    doc.paragraph("管委会三楼第一会议室", label="地点：", indent=False)
    doc.heading("一、水务产业园")
    doc.paragraph("场地平整已完成。", label="进展情况：")
    doc.paragraph("交办事项：", introduces=True)
    doc.table(
        ["交办内容", "相关单位", "完成时限"],
        [
            ["6月底前完成供地", "区资规局、区审批局", "2026年6月30日"],
            ["申报专项债", "区财政局", 2026],
        ],
        widths_cm=[8.5, 4.5, 3.0],
    )
    return Document(BytesIO(doc.to_bytes()))


def test_the_page_is_a4_with_official_margins(document):
    section = document.sections[0]

    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]

    # Word keeps lengths in twentieths of a point: a centimetre comes back within 0.01 cm.
    assert [round(size.cm, 2) for size in sizes] == [21.0, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_the_body_style_is_fangsong_16pt_for_chinese_and_latin_alike(document):
    normal = document.styles["Normal"]

    assert fonts_of(normal.element) == {"ascii": "仿宋", "hAnsi": "仿宋", "eastAsia": "仿宋"}
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28)


def test_the_title_is_centred_bold_songti(document):
    title = document.paragraphs[0]
    [run] = title.runs

    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (run.text, run.bold, run.font.size) == ("重点项目专题调度会议纪要", True, Pt(22))
    assert fonts_of(run.element)["eastAsia"] == "宋体"


def test_headings_are_heiti_and_indented_two_characters(document):
    heading = next(p for p in document.paragraphs if p.text == "一、水务产业园")

    assert heading.paragraph_format.first_line_indent == Pt(32)
    assert fonts_of(heading.runs[0].element)["eastAsia"] == "黑体"


def test_a_label_is_a_bold_run_before_the_text(document):
    place = next(p for p in document.paragraphs if p.text.startswith("地点："))
    progress = next(p for p in document.paragraphs if p.text.startswith("进展情况："))

    label, text = place.runs
    assert (label.text, label.bold) == ("地点：", True)
    assert (text.text, text.bold) == ("管委会三楼第一会议室", None)
    assert place.paragraph_format.first_line_indent is None
    assert progress.paragraph_format.first_line_indent == Pt(32)


def test_tables_have_a_grid_heiti_headers_and_the_values_as_text(document):
    [table] = document.tables

    assert table.style.name == "Table Grid"
    assert table.alignment == WD_TABLE_ALIGNMENT.CENTER
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["交办内容", "相关单位", "完成时限"],
        ["6月底前完成供地", "区资规局、区审批局", "2026年6月30日"],
        ["申报专项债", "区财政局", "2026"],
    ]
    [header] = [r for r in table.rows[0].cells[0].paragraphs[0].runs if r.text]
    [value] = [r for r in table.rows[1].cells[1].paragraphs[0].runs if r.text]
    assert (fonts_of(header.element)["eastAsia"], header.font.size) == ("黑体", Pt(12))
    assert (fonts_of(value.element)["eastAsia"], value.font.size) == ("仿宋", Pt(12))
    assert [round(cell.width.cm, 2) for cell in table.rows[1].cells] == [8.5, 4.5, 3.0]


def test_a_table_s_rows_stay_whole_and_its_header_repeats_on_each_page(document):
    [table] = document.tables

    for index, row in enumerate(table.rows):
        properties = row._tr.trPr
        assert properties.find(qn("w:cantSplit")) is not None
        assert (properties.find(qn("w:tblHeader")) is not None) is (index == 0)
        for cell in row.cells:
            assert cell.paragraphs[0].paragraph_format.line_spacing == 1.0


def test_headings_and_what_introduces_a_table_stay_with_what_follows(document):
    heading = next(p for p in document.paragraphs if p.text == "一、水务产业园")
    introduction = next(p for p in document.paragraphs if p.text == "交办事项：")

    assert heading.paragraph_format.keep_with_next is True
    assert introduction.paragraph_format.keep_with_next is True
    assert (
        next(
            p for p in document.paragraphs if p.text == "地点：管委会三楼第一会议室"
        ).paragraph_format.keep_with_next
        is None
    )


def test_every_run_with_text_names_its_east_asian_font(document):
    runs = [r for p in document.paragraphs for r in p.runs]
    for table in document.tables:
        runs += [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]

    missing = [r.text for r in runs if r.text and not fonts_of(r.element)["eastAsia"]]

    assert runs
    assert missing == []


def test_a_document_is_a_valid_docx_each_time_it_is_written():
    doc = OfficialDocument()
    doc.paragraph("重點項目調度")  # Traditional characters pass through as they are

    first, second = doc.to_bytes(), doc.to_bytes()

    assert first[:2] == b"PK"
    assert [p.text for p in Document(BytesIO(second)).paragraphs] == ["重點項目調度"]


# --- Heading numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"),
        (20, "二十"), (21, "二十一"), (30, "三十"), (47, "四十七"), (99, "九十九"),
    ],
)  # fmt: skip
def test_chinese_numerals_number_the_headings(number, numeral):
    assert chinese_numeral(number) == numeral


@pytest.mark.parametrize("number", [0, -1, 100, 123])
def test_numbers_without_a_short_numeral_stay_digits(number):
    assert chinese_numeral(number) == str(number)
