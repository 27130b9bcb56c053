"""The background task of large exports and imports (see :mod:`diaodu.reports.jobs`)."""

from django_tasks import task

from diaodu.reports import jobs


@task()
def run_job(job_id: int) -> str:
    """Run one job; returns its status ("skipped" if another run had it)."""
    return jobs.run(job_id)
