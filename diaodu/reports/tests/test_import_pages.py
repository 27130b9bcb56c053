"""The import pages: choose a file, see the preview, confirm; and the templates."""

import pytest
from django.urls import reverse

from diaodu.projects.models import Project
from diaodu.reports.tests.helpers import LEDGER_HEADER, content_of, opened, sheet_rows, upload, xlsx
from diaodu.reports.views import PENDING_KEY
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

START = "/reports/import/"
GOOD = xlsx(
    ["2026年重点项目台账"],
    LEDGER_HEADER,
    [1, "2026-101", "智慧物流园", "绿源水务", "3.2亿元", "区资规局"],
    [2, "2026-001", "水务产业园", "绿源水务", 90000, "区资规局"],
)
BAD = xlsx(LEDGER_HEADER, [1, "2026-101", "智慧物流园", "绿源水务", "很多", "区资规局"])


def start(browser, content=GOOD, kind="projects"):
    response = browser.post(START, {"kind": kind, "file": upload(content)})
    assert response.status_code == 302
    return response["Location"]


def test_the_url_names_are_those_the_brief_promised():
    assert reverse("reports:import_start") == START
    assert reverse("reports:import_preview", args=["abc"]) == "/reports/import/abc/"
    assert reverse("reports:import_commit", args=["abc"]) == "/reports/import/abc/commit/"
    assert reverse("reports:import_template", args=["projects"]) == (
        "/reports/import/templates/projects/"
    )


def test_the_coordinator_previews_then_imports(world):
    browser = client_for(world.coordinator, "en")
    page = browser.get(START)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    preview_url = start(browser)
    preview = browser.get(preview_url)

    html = preview.content.decode()
    assert "No errors. Importing will create 1 and update 1" in html
    assert "2026-101" in html
    assert "Total investment (10k yuan)" in html  # what changes on 2026-001
    assert not Project.objects.filter(code="2026-101").exists()  # nothing written yet

    done = browser.post(preview_url + "commit/")

    assert done.status_code == 302
    assert done["Location"] == reverse("projects:project_list")
    assert Project.objects.get(code="2026-101").total_investment == 32000
    assert Project.objects.get(code="2026-001").total_investment == 90000
    assert PENDING_KEY not in browser.session
    assert browser.get(preview_url).status_code == 404  # the file is gone with the import


def test_a_preview_with_errors_lists_them_and_offers_no_import(world):
    browser = client_for(world.coordinator, "en")
    preview_url = start(browser, BAD)

    preview = browser.get(preview_url)
    html = preview.content.decode()

    assert "1 error: nothing can be imported" in html
    assert "“很多” is not an amount" in html
    assert "commit/" not in html
    refused = browser.post(preview_url + "commit/")
    assert refused.status_code == 400
    assert not Project.objects.filter(code="2026-101").exists()


def test_the_uploaded_file_waits_in_the_file_store_not_in_the_checkout(world, media_root):
    browser = client_for(world.coordinator)
    start(browser)

    pending = browser.session[PENDING_KEY]
    assert (media_root / pending["path"]).read_bytes() == GOOD
    assert pending["name"] == "台账.xlsx"


def test_a_new_upload_replaces_the_one_waiting(world, media_root):
    browser = client_for(world.coordinator)
    first = start(browser)
    old_path = browser.session[PENDING_KEY]["path"]

    start(browser, BAD)

    assert not (media_root / old_path).exists()
    assert browser.get(first).status_code == 404


def test_someone_else_cannot_commit_an_import_they_did_not_start(world):
    preview_url = start(client_for(world.coordinator))

    other = client_for(world.admin)

    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url + "commit/").status_code == 404


def test_problems_are_imported_from_the_same_pages(world):
    browser = client_for(world.coordinator)
    ledger = xlsx(
        ["项目编号", "问题", "牵头单位", "办结时限"],
        ["2026-001", "用地指标不足", "区资规局", "2026-06-30"],
    )

    done = browser.post(start(browser, ledger, "problems") + "commit/")

    assert done["Location"] == reverse("problems:supervision") + "?open=true"
    assert world.project_x.problems.get().title == "用地指标不足"


@pytest.mark.parametrize("role", ["leader", "staff_a", "owner_x"])
def test_only_the_office_imports(world, role):
    browser = client_for(getattr(world, role))

    assert browser.get(START).status_code == 403
    assert browser.post(START, {"kind": "projects", "file": upload(GOOD)}).status_code == 403
    assert browser.get("/reports/import/templates/projects/").status_code == 403
    assert not Project.objects.filter(code="2026-101").exists()


def test_the_admin_imports_too(world):
    browser = client_for(world.admin)

    browser.post(start(browser) + "commit/")

    assert Project.objects.filter(code="2026-101").exists()


@pytest.mark.parametrize("kind", ["projects", "problems"])
def test_a_template_has_the_header_an_example_and_a_sheet_of_explanations(world, kind):
    response = client_for(world.coordinator, "en").get(f"/reports/import/templates/{kind}/")
    content = content_of(response)

    sheet = opened(content)
    explained = sheet.parent.worksheets[1]
    headers = [c.value for c in sheet[3]]
    assert "Lead department" in headers
    example_row = 5 if kind == "projects" else 4
    assert any(sheet_rows(sheet, example_row)[0])
    assert explained["A2"].value == "Column"
    assert any(row[1] == "required" for row in sheet_rows(explained, 3))
    if kind == "projects":
        assert sheet["P3"].value == "Cooperating departments"
        assert sheet["R3"].value == "Signing"  # milestone groups over planned / actual
        assert sheet["R4"].value == "Planned date"
        assert "R3:S3" in {str(r) for r in sheet.merged_cells.ranges}


@pytest.mark.parametrize("kind", ["projects", "problems"])
def test_a_filled_in_template_imports_its_example(world, kind):
    from diaodu.reports.importing import plan_import

    content = content_of(client_for(world.coordinator).get(f"/reports/import/templates/{kind}/"))

    plan = plan_import(kind, content, actor=world.coordinator)

    assert plan.ok, plan.issues
    assert [c.action for c in plan.changes] == ["create"]


def test_an_unknown_template_is_not_found(world):
    assert client_for(world.coordinator).get("/reports/import/templates/x/").status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_pages_render_in_each_language(world, language):
    browser = client_for(world.coordinator, language)

    assert browser.get(START).status_code == 200
    assert browser.get(start(browser)).status_code == 200
    assert browser.get(start(browser, BAD)).status_code == 200
    assert browser.get("/reports/bulletin/").status_code == 200


def test_a_link_from_the_supervision_page_starts_a_problem_import(world):
    response = client_for(world.coordinator).get(START + "?kind=problems")

    assert response.context["form"]["kind"].value() == "problems"


@pytest.mark.parametrize(("role", "offered"), [("coordinator", True), ("admin", True),
                                                ("leader", False), ("owner_x", False)])  # fmt: skip
def test_list_pages_offer_the_import_to_those_who_may(world, role, offered, rf):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = getattr(world, role)
    template = Template("{% load reports %}{% can_import as show %}{{ show }}")

    assert template.render(Context({"request": request})) == str(offered)
