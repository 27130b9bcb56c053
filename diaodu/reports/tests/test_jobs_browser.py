"""A large problem ledger in Debian's Chromium, on a desktop and on a phone: the office
asks for it, the job page shows the worker's progress as it goes, then the download link;
the file comes back whole. Screenshots are kept in ``test-artifacts/``."""

import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from openpyxl import load_workbook

from diaodu.browsing import DESKTOP, PHONE, assert_accessible, assert_fits_width, log_in, shoot
from diaodu.lib import xlsx
from diaodu.problems.models import Problem
from diaodu.reports import jobs
from diaodu.reports.models import Job

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def work_one_batch():
    try:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test-worker",
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_large_ledger_shows_its_progress_then_the_download(
    browser, live_server, demo_zone, screen, settings, monkeypatch, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DIAODU_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker stops after the first chunk of rows until the page has shown it.
    monkeypatch.setattr(xlsx, "CHUNK", 2)
    shown, told = threading.Event(), threading.Event()
    report = jobs._progress

    def paused(job):
        tell = report(job)

        def progress(done, total):
            tell(done, total)
            if not told.is_set():
                told.set()
                shown.wait(timeout=30)

        return progress

    monkeypatch.setattr(jobs, "_progress", paused)
    problems = Problem.objects.count()
    assert problems > 2

    page = log_in(browser, live_server, "xietiaoban", language="en", viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/reports/problem-ledger/")
    page.wait_for_url(f"{live_server.url}/reports/jobs/*/")
    page.wait_for_selector("#job-progress .progress")
    assert "waiting to start" in page.inner_text("#job-progress")

    worker = threading.Thread(target=work_one_batch)
    worker.start()
    try:
        assert told.wait(timeout=30)
        page.wait_for_selector(f"text=2 of {problems} rows written", timeout=10_000)
        assert_fits_width(page)
        assert_accessible(page)
        shoot(page, f"export-job-progress-{screen}")
    finally:
        shown.set()
        worker.join(timeout=60)

    page.wait_for_selector("#job-download", timeout=15_000)
    assert Job.objects.get().status == "done"
    assert_fits_width(page)
    assert_accessible(page)
    shoot(page, f"export-job-ready-{screen}")
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:  # saved without its extension
        sheet = load_workbook(file).worksheets[0]
    assert sheet["A1"].value == "Problem ledger"
    assert sheet.max_row == 3 + problems
