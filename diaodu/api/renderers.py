"""Renderers that let API clients ask for a file by its type (``Accept`` or ``?format=``).
The views build the file themselves and return it as it is."""

from rest_framework.renderers import BaseRenderer

from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.lib.xlsx import XLSX_TYPE


class XlsxRenderer(BaseRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DocxRenderer(XlsxRenderer):
    media_type = DOCX_TYPE
    format = "docx"
