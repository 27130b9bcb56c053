"""Exports and imports too long for a request, run by a background task as their owner.

A page or the API asks :func:`export_or_start`: an export of at most
``DIAODU_BACKGROUND_ROWS`` rows is made at once; a larger one becomes a :class:`Job` that
a worker (``manage.py db_worker``) runs with :func:`run`. The task rebuilds the request
the user made (their account, their language, the list's query string), so the file
holds exactly what the page would have shown them. One job per user and kind runs at a
time: asking again while one runs answers with that job. Finished files are deleted
after ``DIAODU_JOB_FILE_HOURS`` by :func:`expire` (``manage.py expire_jobs`` from cron,
and whenever a job is started).

Imports of more than ``DIAODU_BACKGROUND_ROWS`` rows preview and commit the same way
(``reports.views``, ``reports.api``): the job reads the stored file, its result is the
preview (or the commit's counts), and a commit that fails changes nothing.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from diaodu.agreements import exports as agreement_exports
from diaodu.landing import exports as landing_exports
from diaodu.reports import exports
from diaodu.reports.choices import RUNNING_STATUSES, JobKind, JobStatus
from diaodu.reports.models import Job

logger = logging.getLogger(__name__)

# An import reports its steps: reading and checking the file, then (a commit) writing.
IMPORT_STEPS = {JobKind.IMPORT_PREVIEW: 1, JobKind.IMPORT_COMMIT: 2}
CONFLICT = _lazy(
    "The projects changed while the file was being imported, so nothing was imported. "
    "Check the preview again and import once more."
)


@dataclass(frozen=True)
class ExportKind:
    """An export: how many rows it would have for a request (one cheap query), and the
    file itself, telling ``progress(done, total)`` of the rows written."""

    count: Callable
    build: Callable


EXPORTS = {
    JobKind.DISPATCH_TABLE: ExportKind(exports.dispatch_count, exports.dispatch_table),
    JobKind.PROBLEM_LEDGER: ExportKind(exports.ledger_count, exports.problem_ledger),
    JobKind.COMMITMENT_LEDGER: ExportKind(
        agreement_exports.commitment_count, agreement_exports.commitment_ledger
    ),
    JobKind.EVALUATION: ExportKind(landing_exports.evaluation_count, landing_exports.evaluation),
}


def export_or_start(request, kind: str):
    """The export's file now (an :class:`~diaodu.reports.exports.Export`) when it is
    small, else the :class:`Job` that will make it."""
    export = EXPORTS[kind]
    if export.count(request) <= settings.DIAODU_BACKGROUND_ROWS:
        return export.build(request)
    return start(request.user, kind, parameters_of(request.GET))


def start(user, kind: str, parameters: dict) -> Job:
    """Queue a job for ``user``, in their current language; the one already running of
    this kind if there is one."""
    expire()
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            job = Job.objects.create(
                owner=user, kind=kind, parameters=parameters, language=language
            )
    except IntegrityError:
        return Job.objects.get(owner=user, kind=kind, status__in=RUNNING_STATUSES)
    # Enqueued in the caller's transaction, if any: a database queue's worker sees the
    # task only when the job is there too.
    from diaodu.reports.tasks import run_job

    run_job.enqueue(job.pk)
    job.refresh_from_db()  # an immediate backend (development) has run it already
    return job


def run(job_id: int) -> str:
    """Do a queued job (once: a second worker, or a second run, finds it claimed)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language):
        try:
            if job.kind in EXPORTS:
                _run_export(job)
            else:
                _run_import(job)
        except Exception as error:  # a failure of any kind is the job's, told to its owner
            logger.exception("Job %s failed", job.pk)
            _finish(job, JobStatus.FAILED, error=_failure(error))
    return job.status


def _run_export(job: Job) -> None:
    export = EXPORTS[job.kind]
    request = _as_request(job.owner, _query(job.parameters))
    content = export.build(request, progress=_progress(job))
    name = default_storage.save(f"jobs/{uuid.uuid4().hex}.xlsx", ContentFile(content.content))
    job.file.name = name
    job.file_name = content.filename
    job.done = job.total = content.rows
    _finish(job, JobStatus.DONE)


def _run_import(job: Job) -> None:
    """Preview or commit a stored ledger. A commit is one transaction: when it fails,
    nothing is imported and the job says why."""
    from diaodu.reports.importing import plan_import
    from diaodu.reports.services import ImportConflict, commit_import

    parameters = job.parameters
    with default_storage.open(parameters["path"], "rb") as stored:
        data = stored.read()
    report = _progress(job)
    report(0, IMPORT_STEPS[job.kind])
    plan = plan_import(
        parameters["import_kind"], data, actor=job.owner, file_name=parameters["name"]
    )
    report(1, IMPORT_STEPS[job.kind])
    if job.kind == JobKind.IMPORT_PREVIEW:
        job.result = plan.as_dict()
    else:
        try:
            job.result = commit_import(plan, actor=job.owner)
        except ImportConflict:
            raise ValidationError(CONFLICT) from None
        default_storage.delete(parameters["path"])
    _finish(job, JobStatus.DONE)


# What a finished job records; progress is written on its own as the job goes.
FINISHED_FIELDS = [
    "status",
    "error",
    "finished_at",
    "expires_at",
    "file",
    "file_name",
    "done",
    "total",
    "result",
]


def _finish(job: Job, status: str, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if status == JobStatus.DONE:
        job.expires_at = job.finished_at + timedelta(hours=settings.DIAODU_JOB_FILE_HOURS)
    job.save(update_fields=FINISHED_FIELDS)


def _failure(error: Exception) -> str:
    """What the owner reads of a failure: the message of an error meant for users, else
    a plain apology (the details go to the log)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Something went wrong while this was being made. Please try again.")


def _progress(job: Job) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        job.done, job.total = done, total
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    return report


def expire(now=None) -> int:
    """Delete the files of finished jobs past their time; the jobs stay, marked expired.
    Returns how many files were deleted."""
    now = now or timezone.now()
    expired = 0
    for job in Job.objects.filter(status=JobStatus.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        job.status = JobStatus.EXPIRED
        job.save(update_fields=["status", "file"])
        expired += 1
    return expired


def parameters_of(params: QueryDict) -> dict[str, list[str]]:
    """A query string as a job keeps it (a page number is no filter)."""
    return {key: values for key, values in params.lists() if key != "page"}


def _query(parameters: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in parameters.items():
        query.setlist(key, values)
    return query


def _as_request(user, params: QueryDict) -> HttpRequest:
    """A request of ``user`` for the list with ``params``: what the exports read."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = params
    request.user = user
    request.LANGUAGE_CODE = translation.get_language()
    return request
