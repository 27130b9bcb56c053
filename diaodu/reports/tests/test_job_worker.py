"""A large export with the database queue: the request only queues the job; a worker
(``db_worker``'s own loop, one batch) makes the file, which its owner then downloads."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from diaodu.factories import ProblemFactory
from diaodu.reports.choices import JobStatus
from diaodu.reports.models import Job
from diaodu.reports.tests.helpers import content_of, opened, sheet_rows
from diaodu.test import client_for

LEDGER = "/reports/problem-ledger/"


# Serialized like every transactional test: a plain flush re-creates the content types,
# which the next serialized test would then load a second time.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_queue_the_request_only_queues_and_a_worker_makes_the_file(
    coordinator, project_x, department_a, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DIAODU_BACKGROUND_ROWS = 2
    for n in range(3):
        ProblemFactory(
            project=project_x,
            title=f"问题{n}",
            lead_department=department_a,
            due_date=date(2026, 7, 1),
        )
    client = client_for(coordinator)

    response = client.get(LEDGER)

    job = Job.objects.get()
    assert response.status_code == 302
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert (
        'hx-trigger="load delay:1s"'
        in client.get(reverse("reports:job_progress", args=[job.pk])).content.decode()
    )

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.expires_at - job.finished_at == timedelta(hours=settings.DIAODU_JOB_FILE_HOURS)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    file = client.get(reverse("reports:job_download", args=[job.pk]))
    titles = [row[3] for row in sheet_rows(opened(content_of(file)), 4)]
    assert sorted(titles) == ["问题0", "问题1", "问题2"]
