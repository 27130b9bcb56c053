"""The report endpoints: exports with the lists' filters, and imports as preview or
commit, with the pages' permissions."""

import pytest
from rest_framework.test import APIClient

from diaodu.projects.models import Project
from diaodu.reports.tests.helpers import (
    LEDGER_HEADER,
    content_of,
    docx_text,
    opened,
    sheet_rows,
    upload,
    xlsx,
)
from diaodu.test import api_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

LEDGER = xlsx(
    LEDGER_HEADER,
    [1, "2026-101", "智慧物流园", "绿源水务", "3.2亿元", "区资规局"],
    [2, "2026-001", "水务产业园", "绿源水务", 80000, "区资规局"],
)
IMPORT = "/api/reports/imports/projects/"


def codes(response) -> list[str]:
    assert response.status_code == 200
    return [row[1] for row in sheet_rows(opened(content_of(response)), 5)]


def test_the_dispatch_table_endpoint_applies_the_list_filters(world):
    api = api_for(world.coordinator)

    assert codes(api.get("/api/reports/dispatch-table/")) == ["2026-001", "2026-002"]
    assert codes(api.get("/api/reports/dispatch-table/?stage=construction")) == ["2026-002"]


def test_the_dispatch_table_endpoint_answers_a_client_asking_for_the_file_type(world):
    response = api_for(world.coordinator).get(
        "/api/reports/dispatch-table/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    assert codes(response) == ["2026-001", "2026-002"]


def test_an_unknown_filter_value_is_a_400_as_on_the_list_endpoints(world):
    response = api_for(world.coordinator, "en").get("/api/reports/dispatch-table/?stage=nonsense")

    assert response.status_code == 400
    assert "stage" in response.json()


def test_an_owner_s_export_holds_only_their_projects(world):
    assert codes(api_for(world.owner_y).get("/api/reports/dispatch-table/")) == ["2026-002"]


def test_the_problem_ledger_endpoint_returns_the_ledger(world):
    response = api_for(world.staff_a).get("/api/reports/problem-ledger/?open=true")

    assert response.status_code == 200
    assert opened(content_of(response))["A3"].value


def test_the_bulletin_endpoint_needs_a_month(world):
    api = api_for(world.coordinator, "en")

    assert api.get("/api/reports/bulletin/").status_code == 400
    response = api.get("/api/reports/bulletin/?month=2026-05&stage=preparation")
    assert response.status_code == 200
    assert "1 key project: preparation 1." in docx_text(content_of(response))


def test_without_credentials_the_endpoints_say_401(db):
    client = APIClient()

    for url in (
        "/api/reports/dispatch-table/",
        "/api/reports/problem-ledger/",
        "/api/reports/bulletin/?month=2026-05",
        "/api/reports/import-templates/projects/",
    ):
        assert client.get(url).status_code == 401, url
    assert client.post(IMPORT, {"file": upload(LEDGER)}, format="multipart").status_code == 401


def test_an_import_previews_without_writing(world):
    response = api_for(world.coordinator, "en").post(
        IMPORT, {"file": upload(LEDGER)}, format="multipart"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["committed"] is False
    assert body["counts"] == {"create": 1, "update": 0, "unchanged": 1}
    assert body["rows"][0] == {
        "row": 2,
        "action": "create",
        "key": "2026-101",
        "name": "智慧物流园",
        "changes": [],
    }
    assert body["columns"][1] == {
        "column": "B",
        "header": "项目编号",
        "field": "code",
        "label": "Project number",
        "imported": True,
    }
    assert not Project.objects.filter(code="2026-101").exists()


def test_an_import_with_commit_applies_it(world):
    response = api_for(world.coordinator).post(
        IMPORT + "?commit=true", {"file": upload(LEDGER)}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["committed"] is True
    assert Project.objects.get(code="2026-101").total_investment == 32000


def test_an_import_with_errors_lists_them_and_commits_nothing(world):
    bad = xlsx(LEDGER_HEADER, [1, "2026-101", "智慧物流园", "绿源水务", "很多", "区资规局"])
    api = api_for(world.coordinator, "en")

    preview = api.post(IMPORT, {"file": upload(bad)}, format="multipart")
    commit = api.post(IMPORT + "?commit=true", {"file": upload(bad)}, format="multipart")

    assert preview.status_code == 200
    assert preview.json()["ok"] is False
    assert preview.json()["errors"] == [
        {
            "row": 2,
            "column": "E",
            "header": "总投资（万元）",
            "message": "“很多” is not an amount. Write e.g. 5000, 12,000, 5000万元, 3.2亿元.",
        }
    ]
    assert commit.status_code == 400
    assert commit.json()["committed"] is False
    assert not Project.objects.filter(code="2026-101").exists()


def test_an_import_without_a_file_says_so(world):
    response = api_for(world.coordinator, "en").post(IMPORT, {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("role", ["leader", "staff_a", "owner_x"])
def test_only_the_office_imports_through_the_api(world, role):
    api = api_for(getattr(world, role))

    response = api.post(IMPORT + "?commit=true", {"file": upload(LEDGER)}, format="multipart")

    assert response.status_code == 403
    assert api.get("/api/reports/import-templates/projects/").status_code == 403
    assert not Project.objects.filter(code="2026-101").exists()


def test_an_unknown_kind_of_import_is_not_found(world):
    api = api_for(world.coordinator)

    assert (
        api.post(
            "/api/reports/imports/x/", {"file": upload(LEDGER)}, format="multipart"
        ).status_code
        == 404
    )
    assert api.get("/api/reports/import-templates/x/").status_code == 404


def test_the_template_endpoint_returns_a_workbook(world):
    response = api_for(world.coordinator).get("/api/reports/import-templates/problems/")

    assert response.status_code == 200
    assert len(opened(content_of(response)).parent.worksheets) == 2


def test_the_schema_describes_the_report_endpoints(db, client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert {
        "/api/reports/dispatch-table/",
        "/api/reports/problem-ledger/",
        "/api/reports/bulletin/",
        "/api/reports/import-templates/{kind}/",
        "/api/reports/imports/{kind}/",
    } <= set(paths)
    parameters = {p["name"] for p in paths["/api/reports/dispatch-table/"]["get"]["parameters"]}
    assert {"q", "stage", "health", "lead_department"} <= parameters
