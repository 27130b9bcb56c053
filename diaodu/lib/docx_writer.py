"""Word documents in the conventional Chinese official style. No Django here.

python-docx sets only the Latin font through ``style.font.name``: the East-Asian font must
be set on the run properties too, or Chinese text falls back to whatever Word picks.
"""

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from diaodu.lib.text import clean_text

BODY_FONT = "仿宋"  # official documents' body face (仿宋_GB2312 where installed)
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"

# Set on downloads rather than guessed from the name: Python knows .docx only from the
# system's MIME table, which slim servers lack.
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


class OfficialDocument:
    """A4, official margins, 仿宋 三号 (16 pt) body, 黑体 headings, a centred title."""

    def __init__(self):
        self.document = Document()
        section = self.document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        _set_font(self.document.styles["Normal"], BODY_FONT, 16)
        self.document.styles["Normal"].paragraph_format.line_spacing = Pt(28)

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
        _run(paragraph, text, HEADING_FONT, 16)
        return paragraph

    def paragraph(self, text: str = "", *, label: str = "", indent: bool = True):
        """A body paragraph; ``label`` is printed bold before the text (e.g. 时间：)."""
        paragraph = self.document.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        if label:
            _run(paragraph, label, BODY_FONT, bold=True)
        if text:
            _run(paragraph, text, BODY_FONT)
        return paragraph

    def table(self, headers: list[str], rows: list[list[str]], widths_cm: list[float] = ()):
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            _run(cell.paragraphs[0], header, HEADING_FONT, 12)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = ""
                _run(cell.paragraphs[0], str(value), BODY_FONT, 12)
        for index, width in enumerate(widths_cm):
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
