"""Building the files people bring, and reading back the files we produce."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook, load_workbook

from diaodu.lib.xlsx import XLSX_TYPE

# The header of a plain project ledger, as an office keeps it.
LEDGER_HEADER = ["序号", "项目编号", "项目名称", "业主单位", "总投资（万元）", "责任单位"]


def xlsx(*rows, merges=(), title="Sheet1", sheets=()) -> bytes:
    """A workbook whose first sheet holds ``rows`` (lists of cell values) from A1, with
    ``merges`` ("A1:F1") merged; ``sheets`` adds (title, rows) sheets after it."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    for name, more in sheets:
        extra = book.create_sheet(name)
        for row in more:
            extra.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def opened(content: bytes):
    """The first sheet of an .xlsx we produced, fully loaded (styles, merges, panes)."""
    return load_workbook(BytesIO(content)).worksheets[0]


def sheet_rows(sheet, first: int) -> list[list]:
    """Cell values from row ``first`` down, as lists."""
    return [list(row) for row in sheet.iter_rows(min_row=first, values_only=True)]


def merged(sheet) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def add_projects(world, count: int) -> list:
    """``count`` projects shared between the two enterprises and departments, each with
    the template's milestones (one overdue, one due soon), an approved and a submitted
    report, and an open problem: every column of the dispatch table has something."""
    from datetime import date, timedelta

    from diaodu.factories import ProblemFactory, ProgressReportFactory, ProjectFactory
    from diaodu.projects.choices import ReportStatus
    from diaodu.projects.models import Milestone

    projects = []
    for n in range(count):
        odd = n % 2
        project = ProjectFactory(
            owner=world.enterprise_x if odd else world.enterprise_y,
            lead_department=world.department_a if odd else world.department_b,
            responsible_leader=world.leader,
            milestones=True,
        )
        milestones = list(project.milestones.all()[:2])
        milestones[0].planned_date = world.today - timedelta(days=5)
        milestones[1].planned_date = world.today + timedelta(days=3)
        Milestone.objects.bulk_update(milestones, ["planned_date"])
        for month, status in ((3, ReportStatus.APPROVED), (4, ReportStatus.SUBMITTED)):
            ProgressReportFactory(project=project, period_start=date(2026, month, 1), status=status)
        ProblemFactory(project=project, lead_department=project.lead_department)
        projects.append(project)
    return projects
