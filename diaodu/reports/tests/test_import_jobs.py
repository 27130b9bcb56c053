"""Large imports in the background: the preview is made by a job and shown when ready; the
commit is a job too, all or nothing, and its failure reaches the page.

The threshold is lowered to three rows, so the four-row ledger below counts as large."""

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.urls import reverse

from diaodu.projects.models import Project
from diaodu.reports import services
from diaodu.reports.choices import JobKind, JobStatus
from diaodu.reports.models import Job
from diaodu.reports.tests.helpers import LEDGER_HEADER, upload, xlsx
from diaodu.reports.views import PENDING_KEY
from diaodu.test import api_for, client_for

START = "/reports/import/"
LEDGER = xlsx(
    ["2026年重点项目台账"],
    LEDGER_HEADER,
    [1, "2026-101", "智慧物流园", "绿源水务", "3.2亿元", "区资规局"],
    [2, "2026-001", "水务产业园", "绿源水务", 90000, "区资规局"],
)


@pytest.fixture(autouse=True)
def background(settings):
    settings.DIAODU_BACKGROUND_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def start(browser) -> str:
    response = browser.post(START, {"kind": "projects", "file": upload(LEDGER)})
    assert response.status_code == 302
    return response["Location"]


def test_a_large_file_is_previewed_by_a_job_then_imported_by_another(world):
    browser = client_for(world.coordinator, "en")
    preview_url = start(browser)

    preview = browser.get(preview_url)

    assert "No errors. Importing will create 1 and update 1" in preview.content.decode()
    job = Job.objects.get(kind=JobKind.IMPORT_PREVIEW)
    assert (job.owner, job.status) == (world.coordinator, JobStatus.DONE)
    assert job.result["counts"] == {"create": 1, "update": 1, "unchanged": 0}
    assert not Project.objects.filter(code="2026-101").exists()
    path = browser.session[PENDING_KEY]["path"]

    committed = browser.post(preview_url + "commit/")
    assert committed["Location"] == preview_url
    outcome = browser.get(preview_url, follow=True)

    assert outcome.redirect_chain[-1][0] == reverse("projects:project_list")
    assert "Imported 台账.xlsx: 1 created, 1 updated." in outcome.content.decode()
    assert Job.objects.get(kind=JobKind.IMPORT_COMMIT).result == {"created": 1, "updated": 1}
    assert Project.objects.get(code="2026-101").total_investment == 32000
    assert PENDING_KEY not in browser.session
    assert not default_storage.exists(path)


def test_while_the_preview_is_made_the_page_polls_then_reloads(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    browser = client_for(world.coordinator, "en")
    preview_url = start(browser)

    waiting = browser.get(preview_url).content.decode()

    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert "Reading and checking the file" in waiting
    assert 'hx-trigger="load delay:1s"' in waiting
    progress = reverse("reports:job_progress", args=[job.pk])
    assert not browser.get(progress).has_header("HX-Refresh")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    assert browser.get(progress)["HX-Refresh"] == "true"


def test_a_failed_commit_imports_nothing_and_says_why(world, monkeypatch):
    write = services._commit_projects

    def fails_halfway(plan, actor):
        write(plan, actor)  # everything is written, then the database refuses
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_commit_projects", fails_halfway)
    browser = client_for(world.coordinator, "en")
    preview_url = start(browser)
    browser.get(preview_url)

    browser.post(preview_url + "commit/")
    page = browser.get(preview_url, follow=True)

    assert Job.objects.get(kind=JobKind.IMPORT_COMMIT).status == JobStatus.FAILED
    assert not Project.objects.filter(code="2026-101").exists()
    assert Project.objects.get(code="2026-001").total_investment != 90000
    html = page.content.decode()
    assert "so nothing was imported" in html
    assert "No errors. Importing will create 1 and update 1" in html  # the preview, afresh


def test_another_coordinators_import_job_is_not_theirs(world):
    browser = client_for(world.coordinator)
    browser.get(start(browser))
    job = Job.objects.get()
    other = client_for(world.admin)

    assert other.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("reports:job_progress", args=[job.pk])).status_code == 404


API_IMPORT = "/api/reports/imports/projects/"


def test_through_the_api_a_large_file_is_previewed_then_imported_in_the_background(world):
    api = api_for(world.coordinator, "en")

    preview = api.post(API_IMPORT, {"file": upload(LEDGER)}, format="multipart")

    assert preview.status_code == 202
    job = preview.json()
    assert (job["kind"], job["status"]) == ("import_preview", "done")
    assert job["result"]["counts"] == {"create": 1, "update": 1, "unchanged": 0}
    assert not Project.objects.filter(code="2026-101").exists()

    commit = api.post(API_IMPORT + "?commit=true", {"file": upload(LEDGER)}, format="multipart")

    assert commit.status_code == 202
    assert api.get(commit.json()["url"]).json()["result"] == {"created": 1, "updated": 1}
    assert Project.objects.get(code="2026-101").total_investment == 32000
