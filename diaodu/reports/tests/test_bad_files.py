"""Files that cannot be imported are refused with a message saying why, and nothing is
written."""

import io
import zipfile

import pytest
from django.utils import translation

from diaodu.projects.models import Project
from diaodu.reports.importing import plan_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, upload, xlsx
from diaodu.test import api_for, client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")


def refusal(world, data: bytes, kind="projects") -> str:
    with translation.override("en"):
        plan = plan_import(kind, data, actor=world.coordinator)
    assert not plan.ok
    assert plan.changes == []
    [issue] = plan.issues
    assert issue.row is None
    return issue.message


def a_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        "项目编号,项目名称\n2026-101,智慧物流园\n".encode(),  # a .csv renamed .xlsx
        bytes(range(256)) * 4,  # random bytes
        b"PK\x03\x04" + b"\x00" * 100,  # a broken zip
        a_docx(),  # a zip, but a Word document
    ],
    ids=["csv", "random", "broken-zip", "docx"],
)
def test_a_file_that_is_not_an_xlsx_is_refused(world, data):
    assert refusal(world, data).startswith("This is not an Excel workbook (.xlsx).")


def test_a_ledger_that_would_expand_past_the_limit_is_refused_before_it_is_read(world, settings):
    settings.DIAODU_MAX_UNZIPPED_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in zipfile.ZipFile(io.BytesIO(xlsx(LEDGER_HEADER))).infolist():
            archive.writestr(member, b" " * 600_000)

    assert len(buffer.getvalue()) < 100_000
    assert refusal(world, buffer.getvalue()) == (
        "The file expands to more than 1.0\xa0MB: it cannot be read."
    )


def test_an_old_xls_file_is_refused_with_the_way_out(world):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

    assert "save it as an Excel workbook (.xlsx)" in refusal(world, old)


def test_an_empty_file_is_refused(world):
    assert refusal(world, b"") == "The file is empty."


def test_an_empty_workbook_is_refused(world):
    assert refusal(world, xlsx()) == "The workbook is empty: there is no table in it to import."


def test_a_sheet_without_a_header_is_refused(world):
    message = refusal(world, xlsx(["随便写点什么"], [1, 2, 3]))

    assert message.startswith("No header row found.")


def test_a_header_without_rows_is_refused(world):
    assert refusal(world, xlsx(LEDGER_HEADER)) == "There are no rows to import below the header."


def test_missing_required_columns_are_named(world):
    message = refusal(world, xlsx(["序号", "项目编号", "业主单位"], [1, "2026-009", "绿源水务"]))

    assert message == (
        "Required columns are missing: Project, Lead department, "
        "Total investment (10k yuan). The header is row 1."
    )


def test_a_problem_ledger_needs_its_own_columns(world):
    message = refusal(
        world, xlsx(LEDGER_HEADER, [1, "2026-001", "园", "绿源水务", 1, "区资规局"]), "problems"
    )

    assert message.startswith("Required columns are missing: Problem, Due date.")


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.DIAODU_MAX_IMPORT_MB = 0

    message = refusal(world, xlsx(LEDGER_HEADER, [1, "2026-101", "园", "绿源水务", 1, "区资规局"]))

    assert message.startswith("The file is ")
    assert message.endswith("files to import may be at most 0\xa0bytes.")


def test_the_page_refuses_an_oversized_file_before_reading_it(world, settings):
    settings.DIAODU_MAX_IMPORT_MB = 0
    browser = client_for(world.coordinator, "en")

    response = browser.post(
        "/reports/import/", {"kind": "projects", "file": upload(b"PK\x03\x04 not read")}
    )

    assert response.status_code == 200
    assert "files to import may be at most" in response.context["form"].errors["file"][0]


def test_the_page_shows_why_a_file_is_refused(world):
    browser = client_for(world.coordinator, "en")
    response = browser.post(
        "/reports/import/", {"kind": "projects", "file": upload(b"a,b\n1,2\n", "ledger.xlsx")}
    )

    preview = browser.get(response["Location"])

    assert preview.status_code == 200
    assert "This is not an Excel workbook" in preview.content.decode()
    assert not preview.context["plan"].ok


def test_the_api_answers_a_bad_file_with_400_and_the_reason(world):
    response = api_for(world.coordinator, "en").post(
        "/api/reports/imports/projects/",
        {"file": upload(bytes(range(256)), "ledger.xlsx")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("This is not an Excel workbook")
    assert response.json()["committed"] is False
    assert Project.objects.count() == 2
