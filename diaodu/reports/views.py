"""Downloads (dispatch table, problem ledger, bulletin, import templates), the pages of
background jobs (a large export's progress and file), and the import pages: upload →
preview → commit.

Between the preview and the commit the uploaded file waits in the file store (local disk
or S3-compatible, as configured), named in the session: any app process can finish the
import, and nothing is kept in a process's memory. The commit reads the file again and
plans afresh, so it applies what the database holds then, not what it held at preview.
"""

import uuid
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.core.access import require as _require
from diaodu.core.attachments import clean_name
from diaodu.core.replica import reads_from_replica
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.lib.xlsx import XLSX_TYPE
from diaodu.reports import access, exports, jobs
from diaodu.reports import bulletin as bulletin_document
from diaodu.reports.choices import JobKind, JobStatus
from diaodu.reports.forms import BulletinForm, ImportForm
from diaodu.reports.importing import ImportKind, Plan, plan_import, row_count, template_workbook
from diaodu.reports.models import Job
from diaodu.reports.services import ImportConflict, commit_import

PENDING_KEY = "reports_pending_import"
PENDING_DIR = "imports"
PENDING_TTL = timedelta(days=1)
PREVIEW_ROWS_SHOWN = 500
JOBS_SHOWN = 20
# Where the session keeps a large import's jobs, beside its file.
PREVIEW_JOB, COMMIT_JOB = "preview_job", "commit_job"


def download(export: exports.Export, content_type: str) -> FileResponse:
    return FileResponse(
        BytesIO(export.content),
        as_attachment=True,
        filename=export.filename,
        content_type=content_type,
    )


def export_response(request: HttpRequest, kind: str) -> HttpResponse:
    """A small export's file at once; for a large one, the page of the job making it."""
    made = jobs.export_or_start(request, kind)
    if isinstance(made, exports.Export):
        return download(made, XLSX_TYPE)
    return redirect("reports:job_detail", pk=made.pk)


@login_required
@reads_from_replica
def dispatch_table(request: HttpRequest) -> HttpResponse:
    """The project list as the 调度表, with the list's filters (its query string)."""
    _require(access.can_export(request.user))
    return export_response(request, JobKind.DISPATCH_TABLE)


@login_required
@reads_from_replica
def problem_ledger(request: HttpRequest) -> HttpResponse:
    """The supervision list as the 问题台账, with its filters."""
    _require(access.can_export(request.user))
    return export_response(request, JobKind.PROBLEM_LEDGER)


# --- background jobs ---------------------------------------------------------------------


def _job(request: HttpRequest, pk: int):
    # Another user's job is not there for them: 404, never 403.
    return get_object_or_404(access.visible_jobs(request.user), pk=pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's recent background jobs, newest first."""
    recent = access.visible_jobs(request.user)[:JOBS_SHOWN]
    return render(request, "reports/job_list.html", {"jobs": recent})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reports/job_detail.html", {"job": _job(request, pk)})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (htmx) until the job is over. An
    import's page is loaded again then, to show the preview or the outcome."""
    job = _job(request, pk)
    response = render(request, "reports/_job_progress.html", {"job": job})
    if job.is_import and not job.running:
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if not job.ready:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file_name, content_type=XLSX_TYPE
    )


@login_required
def bulletin_view(request: HttpRequest) -> HttpResponse:
    """Asks for the month; with one, the bulletin. Other query parameters are the project
    list's filters and are passed along."""
    _require(access.can_export(request.user))
    form = BulletinForm(request.GET if "month" in request.GET else None)
    if form.is_bound and form.is_valid():
        return download(bulletin_document.bulletin(request, form.cleaned_data["month"]), DOCX_TYPE)
    if not form.is_bound:
        form = BulletinForm(initial={"month": BulletinForm.last_month()})
    filters = [(k, v) for k, v in request.GET.lists() if k not in ("month", "page")]
    return render(
        request,
        "reports/bulletin.html",
        {
            "form": form,
            "filters": [(key, value) for key, values in filters for value in values],
            "can_issue": access.can_issue_bulletin(request.user),
            "issued": access.visible_bulletins(request.user).select_related("issued_by"),
        },
    )


@login_required
@require_POST
def bulletin_issue(request: HttpRequest) -> HttpResponse:
    """Issue the month's bulletin: numbered (第N期) and kept as sent out."""
    _require(access.can_issue_bulletin(request.user))
    form = BulletinForm(request.POST)
    if form.is_valid():
        try:
            issued = bulletin_document.issue(request, form.cleaned_data["month"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The bulletin is issued as %(number)s.") % {"number": issued.reference},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:bulletin")


@login_required
def bulletin_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued bulletin exactly as it was sent out."""
    issued = access.visible_bulletins(request.user).filter(pk=pk).first()
    if issued is None:
        raise Http404
    return issued_bulletin_download(issued)


def issued_bulletin_download(issued) -> FileResponse:
    return FileResponse(
        issued.document.open("rb"),
        as_attachment=True,
        filename=_("Dispatch bulletin %(month)s.docx") % {"month": issued.month.strftime("%Y-%m")},
        content_type=DOCX_TYPE,
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _require(access.can_import(request.user))
    if kind not in ImportKind.values:
        raise Http404
    content = template_workbook(kind)
    name = _("Import template - %(kind)s.xlsx") % {"kind": ImportKind(kind).label}
    return download(exports.Export(content, name, 1), XLSX_TYPE)


# --- importing ---------------------------------------------------------------------------


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


def _sweep() -> None:
    """Remove files of imports started and never finished (the session lapsed)."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    stale = timezone.now() - PENDING_TTL
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < stale:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _pending(request: HttpRequest, token: str) -> dict:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["token"] != token:
        raise Http404
    # A background commit removes the file when it is done; its outcome is still to show.
    if not pending.get(COMMIT_JOB) and not default_storage.exists(pending["path"]):
        raise Http404
    return pending


def _plan(request: HttpRequest, pending: dict):
    with default_storage.open(pending["path"], "rb") as stored:
        data = stored.read()
    return plan_import(pending["kind"], data, actor=request.user, file_name=pending["name"])


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _require(access.can_import(request.user))
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in ImportKind.values else {}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        _sweep()
        token = uuid.uuid4().hex
        upload = form.cleaned_data["file"]
        # The stored name is random, and not the token in the page's address: a user's
        # file name never becomes a path, and the address never leads to the file.
        name = f"{PENDING_DIR}/{uuid.uuid4().hex}.xlsx"
        path = default_storage.save(name, ContentFile(upload.read()))
        request.session[PENDING_KEY] = {
            "token": token,
            "path": path,
            "kind": form.cleaned_data["kind"],
            "name": clean_name(upload.name),
        }
        return redirect("reports:import_preview", token=token)
    return render(request, "reports/import_start.html", {"form": form, "kinds": ImportKind.choices})


def _large(pending: dict) -> bool:
    with default_storage.open(pending["path"], "rb") as stored:
        return row_count(stored.read()) > settings.DIAODU_BACKGROUND_ROWS


def _import_job(request: HttpRequest, pending: dict, kind: str) -> Job:
    """The job previewing or committing this upload: started now, or found again."""
    key = COMMIT_JOB if kind == JobKind.IMPORT_COMMIT else PREVIEW_JOB
    job = access.visible_jobs(request.user).filter(pk=pending.get(key)).first()
    if job is None:
        parameters = {
            "import_kind": pending["kind"],
            "path": pending["path"],
            "name": pending["name"],
        }
        job = jobs.start(request.user, kind, parameters)
        # Another upload's job still running is shown, not taken for this one's.
        if job.parameters == parameters:
            pending[key] = job.pk
            request.session.modified = True
    return job


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The preview; for a large file, the progress of the job making it (or committing
    it), then its result."""
    _require(access.can_import(request.user))
    pending = _pending(request, token)
    if pending.get(COMMIT_JOB):
        return _committing(request, pending, token)
    if not pending.get(PREVIEW_JOB) and not _large(pending):
        return _render_preview(request, _plan(request, pending), token)
    job = _import_job(request, pending, JobKind.IMPORT_PREVIEW)
    if job.status == JobStatus.DONE and job.result is not None:
        return _render_preview(request, Plan.from_dict(job.result), token)
    if job.status == JobStatus.FAILED:
        pending.pop(PREVIEW_JOB, None)
        request.session.modified = True
    return render(request, "reports/import_waiting.html", {"job": job, "token": token})


def _committing(request: HttpRequest, pending: dict, token: str) -> HttpResponse:
    job = _import_job(request, pending, JobKind.IMPORT_COMMIT)
    if job.status == JobStatus.DONE:
        request.session.pop(PENDING_KEY, None)  # the job removed the file
        return _imported(request, pending, job.result)
    if job.status == JobStatus.FAILED:
        # Nothing was imported: the preview is made afresh, and says why above it.
        messages.error(request, job.error)
        pending.pop(COMMIT_JOB)
        pending.pop(PREVIEW_JOB, None)
        request.session.modified = True
        return redirect("reports:import_preview", token=token)
    return render(request, "reports/import_waiting.html", {"job": job, "token": token})


def _imported(request: HttpRequest, pending: dict, result: dict) -> HttpResponse:
    messages.success(
        request,
        _("Imported %(file)s: %(created)d created, %(updated)d updated.")
        % {"file": pending["name"], **result},
    )
    if pending["kind"] == ImportKind.PROBLEMS:
        return redirect(reverse("problems:supervision") + "?open=true")
    return redirect("projects:project_list")


def _render_preview(request, plan, token, status=200):
    changes = [change for change in plan.changes if change.action != "unchanged"]
    return render(
        request,
        "reports/import_preview.html",
        {
            "plan": plan,
            "token": token,
            "changes": changes[:PREVIEW_ROWS_SHOWN],
            "more_changes": max(len(changes) - PREVIEW_ROWS_SHOWN, 0),
            "counts": plan.counts,
        },
        status=status,
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    _require(access.can_import(request.user))
    pending = _pending(request, token)
    if pending.get(PREVIEW_JOB):
        # A large file: committed in the background, followed on the preview's address.
        _import_job(request, pending, JobKind.IMPORT_COMMIT)
        return redirect("reports:import_preview", token=token)
    plan = _plan(request, pending)
    if not plan.ok:
        return _render_preview(request, plan, token, status=400)
    try:
        result = commit_import(plan, actor=request.user)
    except (ImportConflict, ValidationError):
        messages.error(request, jobs.CONFLICT)
        return redirect("reports:import_preview", token=token)
    _discard(request)
    return _imported(request, pending, result)
