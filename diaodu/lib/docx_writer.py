"""Word documents in the conventional Chinese official style. No Django here.

python-docx sets only the Latin font through ``style.font.name``: the East-Asian font must
be set on the run properties too, or Chinese text falls back to whatever Word picks.
"""

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from diaodu.lib.text import clean_text

BODY_FONT = "仿宋"  # official documents' body face (仿宋_GB2312 where installed)
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
# GB/T 9704-2012: the issuing body's mark (发文机关标志) in red 小标宋; Word falls back to
# 宋体 on machines without the 方正 face.
LETTERHEAD_FONT = "方正小标宋简体"
RED = RGBColor(0xE6, 0x00, 0x12)

# Set on downloads rather than guessed from the name: Python knows .docx only from the
# system's MIME table, which slim servers lack.
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# The paragraph properties that the schema puts after the borders.
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _border(paragraph, side: str, colour: str = "000000", size: int = 6):
    """A rule above or below a paragraph (the red line under the letterhead, the lines
    framing the imprint); ``size`` is in eighths of a point."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        # Where the schema puts it: readers ignore a border out of order.
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_AFTER_BORDERS)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _page_number(paragraph):
    """ "— 1 —": the page number as a PAGE field between dashes, in 宋体 四号 (14 pt)."""
    _set_font(paragraph.add_run("— "), TITLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        _set_font(run, TITLE_FONT, 14)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    end = paragraph.add_run()
    _set_font(end, TITLE_FONT, 14)
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "end")
    end._r.append(element)
    _set_font(paragraph.add_run(" —"), TITLE_FONT, 14)


def _set_font(target, name: str, size: float | None = None, bold: bool | None = None):
    """Set Latin and East-Asian font of a style or a run."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _run(paragraph, text: str, name: str, size: float | None = None, bold: bool | None = None):
    """Add ``text`` to ``paragraph`` in the given font. Text is cleaned here as well as where
    it enters: rows saved before that holding a character XML cannot carry (U+000B pasted
    from Word) would otherwise stop the whole document."""
    _set_font(paragraph.add_run(clean_text(text)), name, size, bold)


def _cell_text(cell, text: str, font: str) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(3)
    _run(paragraph, text, font, 12)


class OfficialDocument:
    """A4, official margins, 仿宋 三号 (16 pt) body, 黑体 headings, a centred title, and
    the page number at the foot: odd pages right, even pages left (GB/T 9704-2012 7.5)."""

    def __init__(self):
        self.document = Document()
        section = self.document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        _set_font(self.document.styles["Normal"], BODY_FONT, 16)
        self.document.styles["Normal"].paragraph_format.line_spacing = Pt(28)
        self.document.settings.odd_and_even_pages_header_footer = True
        section.footer_distance = Cm(2.0)
        for footer, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = side
            _page_number(paragraph)

    def letterhead(self, issuer: str, number: str):
        """The 版头: the issuing body in large red type, the document number (〔2026〕3号 or
        第5期) centred beneath, then a red rule across the type area."""
        mark = self.document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.paragraph_format.line_spacing = 1.0
        mark.paragraph_format.space_after = Pt(12)
        run = mark.add_run(issuer)
        _set_font(run, LETTERHEAD_FONT, 30)
        run.font.color.rgb = RED
        line = self.document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(24)
        _set_font(line.add_run(number), BODY_FONT, 16)
        _border(line, "bottom", colour="E60012", size=12)
        return mark

    def imprint(self, issuer: str, printed_on: str, distribution: list[tuple[str, str]] = ()):
        """The 版记 at the end: 分送/抄送 lines (label, names), then the printing body on
        the left and the date of printing ("2026年5月11日印发") on the right, between rules."""
        paragraphs = []
        for label, names in distribution:
            if names:
                paragraph = self.document.add_paragraph()
                # Indented as the printing line, so the rules above and below match.
                paragraph.paragraph_format.left_indent = Pt(14)
                paragraph.paragraph_format.right_indent = Pt(14)
                _set_font(paragraph.add_run(f"{label}：{names}"), BODY_FONT, 14)
                paragraphs.append(paragraph)
        printed = self.document.add_paragraph()
        printed.paragraph_format.left_indent = Pt(14)
        printed.paragraph_format.right_indent = Pt(14)
        printed.paragraph_format.tab_stops.add_tab_stop(
            self.text_width - Pt(14), alignment=WD_TAB_ALIGNMENT.RIGHT
        )
        _set_font(printed.add_run(f"{issuer}\t{printed_on}"), BODY_FONT, 14)
        paragraphs.append(printed)
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True  # the imprint is one block
        paragraphs[0].paragraph_format.space_before = Pt(28)
        _border(paragraphs[0], "top", size=8)
        _border(printed, "bottom", size=8)
        return printed

    @property
    def text_width(self):
        section = self.document.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def title(self, text: str):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(16)
        _run(paragraph, text, TITLE_FONT, 22, bold=True)
        return paragraph

    def subtitle(self, text: str):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, BODY_FONT, 16)
        return paragraph

    def heading(self, text: str):
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.keep_with_next = True  # never alone at a page's foot
        _run(paragraph, text, HEADING_FONT, 16)
        return paragraph

    def paragraph(
        self, text: str = "", *, label: str = "", indent: bool = True, introduces: bool = False
    ):
        """A body paragraph; ``label`` is printed bold before the text (e.g. 时间：).
        One that ``introduces`` a table or pictures stays on their page."""
        paragraph = self.document.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.keep_with_next = introduces or None
        if label:
            _run(paragraph, label, BODY_FONT, bold=True)
        if text:
            _run(paragraph, text, BODY_FONT)
        return paragraph

    def table(self, headers: list[str], rows: list[list[str]], widths_cm: list[float] = ()):
        """A grid with a header row that repeats on every page it runs onto; a row is never
        split across two pages, and its cells are set single-spaced (the body's exact
        28 pt lines would leave a 小四 cell's wrapped lines far apart)."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            _cell_text(cell, header, HEADING_FONT)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                _cell_text(cell, str(value), BODY_FONT)
        for index, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if index == 0:
                properties.append(OxmlElement("w:tblHeader"))  # after cantSplit, per schema
        # A little air between the grid and the text after it.
        self.document.add_paragraph().paragraph_format.line_spacing = Pt(8)
        # LibreOffice sizes columns from the grid, Word from the cells: set both.
        table.autofit = not widths_cm
        for index, width in enumerate(widths_cm):
            table.columns[index].width = Cm(width)
            for row in table.rows:
                row.cells[index].width = Cm(width)
        return table

    def pictures(self, pictures, *, per_row: int = 3, width_cm: float = 5.0):
        """Pictures in a borderless grid, each with its caption below: ``pictures`` is a
        list of (binary file, caption)."""
        pictures = list(pictures)
        if not pictures:
            return None
        rows = -(-len(pictures) // per_row)
        table = self.document.add_table(rows=rows * 2, cols=per_row)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, (image, caption) in enumerate(pictures):
            row, column = divmod(index, per_row)
            picture_cell = table.rows[row * 2].cells[column]
            picture_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            # The body's exact 28 pt line height would crop a picture to one line.
            picture_cell.paragraphs[0].paragraph_format.line_spacing = 1.0
            picture_cell.paragraphs[0].add_run().add_picture(image, width=Cm(width_cm))
            caption_cell = table.rows[row * 2 + 1].cells[column]
            caption_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(caption_cell.paragraphs[0].add_run(caption), BODY_FONT, 10.5)
        return table

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
