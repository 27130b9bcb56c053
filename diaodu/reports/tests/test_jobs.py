"""Large exports as background jobs: the request queues a job, a worker makes the file
as the user who asked, the page polls its progress and offers the file to its owner only;
files expire.

The threshold is lowered to two rows so the test world's three problems make a "large"
ledger; tasks run inline (django-tasks' immediate backend) except in the worker test.
"""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from diaodu.factories import ProblemFactory
from diaodu.lib import xlsx
from diaodu.reports import jobs
from diaodu.reports.choices import JobKind, JobStatus
from diaodu.reports.models import Job
from diaodu.reports.tests.helpers import content_of, opened, sheet_rows
from diaodu.test import api_for, client_for

LEDGER = "/reports/problem-ledger/"
FIRST_ROW = 4  # title, generated-at line, one header row
TITLE = 3


@pytest.fixture(autouse=True)
def background(settings):
    settings.DIAODU_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def problems(world):
    """Two problems on project X (department A leads), one on project Y (department B)."""
    return [
        ProblemFactory(
            project=world.project_x, title="用地指标不足", lead_department=world.department_a
        ),
        ProblemFactory(
            project=world.project_x, title="=供水管网", lead_department=world.department_a
        ),
        ProblemFactory(
            project=world.project_y, title="环评批复滞后", lead_department=world.department_b
        ),
    ]


def titles(content: bytes) -> list[str]:
    return [row[TITLE] for row in sheet_rows(opened(content), FIRST_ROW)]


def test_a_small_ledger_is_still_downloaded_at_once(world, problems, settings):
    settings.DIAODU_BACKGROUND_ROWS = 3

    response = client_for(world.coordinator).get(LEDGER)

    assert response.status_code == 200
    assert len(titles(content_of(response))) == 3
    assert not Job.objects.exists()


def test_a_large_ledger_becomes_a_job_whose_page_offers_the_file(world, problems):
    client = client_for(world.coordinator, "en")

    response = client.get(LEDGER + "?open=true")

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert (job.owner, job.kind, job.status) == (world.coordinator, "problem_ledger", "done")
    assert job.parameters == {"open": ["true"]}
    assert (job.done, job.total, job.language) == (3, 3, "en")
    page = client.get(response["Location"]).content.decode()
    assert "Download" in page
    assert reverse("reports:job_download", args=[job.pk]) in page
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert sorted(titles(content_of(download))) == ["'=供水管网", "环评批复滞后", "用地指标不足"]


def test_the_job_runs_as_its_owner_so_the_file_holds_only_what_they_may_see(
    world, problems, settings
):
    settings.DIAODU_BACKGROUND_ROWS = 1
    response = client_for(world.staff_a).get(LEDGER)

    job = Job.objects.get(owner=world.staff_a)
    assert response.status_code == 302
    file = client_for(world.staff_a).get(reverse("reports:job_download", args=[job.pk]))
    assert sorted(titles(content_of(file))) == ["'=供水管网", "用地指标不足"]


def test_the_file_is_written_in_the_language_of_the_request(world, problems):
    client_for(world.coordinator, "en").get(LEDGER)
    client_for(world.leader, "zh-hans").get(LEDGER)

    english = Job.objects.get(owner=world.coordinator)
    chinese = Job.objects.get(owner=world.leader)
    assert opened(english.file.read())["A1"].value == "Problem ledger"
    assert opened(chinese.file.read())["A1"].value == "问题台账"


@pytest.mark.parametrize(
    "name", ["reports:job_detail", "reports:job_progress", "reports:job_download"]
)
def test_another_users_job_is_not_found_whatever_their_role(world, problems, name, settings):
    settings.DIAODU_BACKGROUND_ROWS = 1
    client_for(world.staff_a).get(LEDGER)
    job = Job.objects.get()
    url = reverse(name, args=[job.pk])

    assert client_for(world.staff_a).get(url).status_code == 200
    for other in (world.admin, world.coordinator, world.leader, world.staff_b, world.owner_x):
        assert client_for(other).get(url).status_code == 404, other
    anonymous = client_for(world.staff_a)
    anonymous.logout()
    assert anonymous.get(url).status_code == 302  # to the sign-in page


def test_while_running_the_fragment_polls_and_shows_progress_in_the_users_language(world, problems):
    job = Job.objects.create(
        owner=world.coordinator,
        kind="problem_ledger",
        language="en",
        status=JobStatus.RUNNING,
        done=1000,
        total=4000,
    )

    fragment = client_for(world.coordinator, "en").get(
        reverse("reports:job_progress", args=[job.pk])
    )

    html = fragment.content.decode()
    assert 'hx-trigger="load delay:1s"' in html
    assert 'aria-valuenow="25"' in html
    assert "1000 of 4000 rows written" in html
    assert "job-download" not in html


def test_a_finished_fragment_stops_polling(world, problems):
    client_for(world.coordinator).get(LEDGER)
    job = Job.objects.get()

    html = (
        client_for(world.coordinator)
        .get(reverse("reports:job_progress", args=[job.pk]))
        .content.decode()
    )

    assert "hx-trigger" not in html
    assert 'id="job-download"' in html


def test_progress_is_reported_as_rows_are_written(world, problems, monkeypatch):
    monkeypatch.setattr(xlsx, "CHUNK", 1)
    seen = []
    report = jobs._progress

    def spy(job):
        told = report(job)

        def tell(done, total):
            told(done, total)
            seen.append(Job.objects.values_list("status", "done", "total").get(pk=job.pk))

        return tell

    monkeypatch.setattr(jobs, "_progress", spy)

    client_for(world.coordinator).get(LEDGER)

    assert seen == [("running", 1, 3), ("running", 2, 3), ("running", 3, 3), ("running", 3, 3)]


def test_asking_again_while_a_job_runs_answers_with_that_job(world, problems, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(world.coordinator)

    first = client.get(LEDGER)
    second = client.get(LEDGER + "?open=true")

    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert first["Location"] == second["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_failed_job_tells_its_owner(world, problems, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.EXPORTS, JobKind.PROBLEM_LEDGER, jobs.ExportKind(lambda r: 99, broken))

    response = client_for(world.coordinator, "en").get(LEDGER, follow=True)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Something went wrong" in job.error
    assert "Something went wrong" in response.content.decode()


def test_finished_files_expire_and_the_job_stays_as_the_record(world, problems, clock, settings):
    settings.DIAODU_JOB_FILE_HOURS = 24
    client_for(world.coordinator).get(LEDGER)
    job = Job.objects.get()
    path = job.file.name
    assert default_storage.exists(path)

    clock.advance(days=1)
    call_command("expire_jobs", verbosity=0)

    job.refresh_from_db()
    assert not default_storage.exists(path)
    assert (job.status, job.file.name) == (JobStatus.EXPIRED, "")
    assert (
        client_for(world.coordinator)
        .get(reverse("reports:job_download", args=[job.pk]))
        .status_code
        == 404
    )
    assert (
        "has been deleted"
        in client_for(world.coordinator, "en")
        .get(reverse("reports:job_detail", args=[job.pk]))
        .content.decode()
    )


def test_a_file_is_kept_until_its_time(world, problems, clock):
    client_for(world.coordinator).get(LEDGER)
    clock.now += timedelta(hours=23, minutes=59)

    call_command("expire_jobs", verbosity=0)

    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert default_storage.exists(job.file.name)
    assert (
        client_for(world.coordinator)
        .get(reverse("reports:job_download", args=[job.pk]))
        .status_code
        == 200
    )


# Session, user, organisation and unread notifications (the navigation bar); the jobs.
JOB_LIST_QUERIES = 4 + 1


@pytest.mark.parametrize("size", [1, 10])
def test_my_exports_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    Job.objects.bulk_create(
        Job(owner=world.coordinator, kind="problem_ledger", language="en", status="done")
        for _ in range(size)
    )
    browser = client_for(world.coordinator, "en")

    with django_assert_max_num_queries(JOB_LIST_QUERIES):
        page = browser.get(reverse("reports:job_list"))

    assert page.content.decode().count("Problem ledger") == size


def test_the_progress_fragment_makes_a_fixed_number_of_queries(
    world, problems, django_assert_max_num_queries
):
    client_for(world.coordinator).get(LEDGER)
    job = Job.objects.get()
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(3):  # session, user, the job
        browser.get(reverse("reports:job_progress", args=[job.pk]))


# --- the other exports ------------------------------------------------------------------


def test_the_dispatch_table_goes_to_the_background_too(world, settings):
    settings.DIAODU_BACKGROUND_ROWS = 1

    response = client_for(world.coordinator).get("/reports/dispatch-table/")

    job = Job.objects.get()
    assert response.status_code == 302
    assert (job.kind, job.status, job.total) == ("dispatch_table", "done", 2)
    names = sorted(row[2] for row in sheet_rows(opened(job.file.read()), 5))
    assert names == sorted([world.project_x.name, world.project_y.name])


# --- the API -----------------------------------------------------------------------------


def test_the_api_starts_polls_and_downloads_a_job(world, problems):
    api = api_for(world.coordinator)

    started = api.post(reverse("api:export_start", args=["problem_ledger"]) + "?open=true")

    assert started.status_code == 202
    job = started.json()
    assert started["Location"] == job["url"] == reverse("api:export_job", args=[job["id"]])
    assert (job["kind"], job["status"], job["ready"], job["parameters"]) == (
        "problem_ledger",
        "done",
        True,
        {"open": ["true"]},
    )
    polled = api.get(job["url"]).json()
    assert polled["percent"] == 100
    file = api.get(polled["download_url"])
    assert file.status_code == 200
    assert len(titles(content_of(file))) == 3
    assert [j["id"] for j in api.get(reverse("api:export_jobs")).json()] == [job["id"]]


def test_the_api_answers_a_large_export_with_202_and_the_job(world, problems):
    response = api_for(world.coordinator).get(reverse("api:report_problem_ledger"))

    assert response.status_code == 202
    assert response.json()["status"] == "done"


def test_the_api_keeps_jobs_to_their_owner(world, problems, settings):
    settings.DIAODU_BACKGROUND_ROWS = 1
    started = api_for(world.staff_a).post(reverse("api:export_start", args=["problem_ledger"]))
    job = started.json()

    for other in (world.admin, world.coordinator, world.staff_b):
        assert api_for(other).get(job["url"]).status_code == 404
        assert api_for(other).get(job["download_url"]).status_code == 404
        assert api_for(other).get(reverse("api:export_jobs")).json() == []
    # Not a kind of export: not found, whether written as a word or as a job's id.
    assert api_for(world.coordinator).post("/api/exports/nothing/").status_code == 404
    assert api_for(world.coordinator).get("/api/exports/-1/").status_code == 404
