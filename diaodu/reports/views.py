"""Downloads (dispatch table, problem ledger, bulletin, import templates) and the import
pages: upload → preview → commit.

Between the preview and the commit the uploaded file waits in the file store (local disk
or S3-compatible, as configured), named in the session: any app process can finish the
import, and nothing is kept in a process's memory. The commit reads the file again and
plans afresh, so it applies what the database holds then, not what it held at preview.
"""

import uuid
from datetime import timedelta
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.core.access import require as _require
from diaodu.core.attachments import clean_name
from diaodu.core.replica import reads_from_replica
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.lib.xlsx import XLSX_TYPE
from diaodu.reports import access, exports
from diaodu.reports import bulletin as bulletin_document
from diaodu.reports.forms import BulletinForm, ImportForm
from diaodu.reports.importing import ImportKind, plan_import, template_workbook
from diaodu.reports.services import ImportConflict, commit_import

PENDING_KEY = "reports_pending_import"
PENDING_DIR = "imports"
PENDING_TTL = timedelta(days=1)
PREVIEW_ROWS_SHOWN = 500


def download(export: exports.Export, content_type: str) -> FileResponse:
    return FileResponse(
        BytesIO(export.content),
        as_attachment=True,
        filename=export.filename,
        content_type=content_type,
    )


@login_required
@reads_from_replica
def dispatch_table(request: HttpRequest) -> HttpResponse:
    """The project list as the 调度表, with the list's filters (its query string)."""
    _require(access.can_export(request.user))
    return download(exports.dispatch_table(request), XLSX_TYPE)


@login_required
@reads_from_replica
def problem_ledger(request: HttpRequest) -> HttpResponse:
    """The supervision list as the 问题台账, with its filters."""
    _require(access.can_export(request.user))
    return download(exports.problem_ledger(request), XLSX_TYPE)


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
    if not pending or pending["token"] != token or not default_storage.exists(pending["path"]):
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


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    _require(access.can_import(request.user))
    plan = _plan(request, _pending(request, token))
    return _render_preview(request, plan, token)


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
    plan = _plan(request, pending)
    if not plan.ok:
        return _render_preview(request, plan, token, status=400)
    try:
        result = commit_import(plan, actor=request.user)
    except (ImportConflict, ValidationError):
        messages.error(
            request,
            _(
                "The projects changed while the file was being imported, so nothing was "
                "imported. Check the preview again and import once more."
            ),
        )
        return redirect("reports:import_preview", token=token)
    _discard(request)
    messages.success(
        request,
        _("Imported %(file)s: %(created)d created, %(updated)d updated.")
        % {"file": pending["name"], **result},
    )
    if pending["kind"] == ImportKind.PROBLEMS:
        return redirect(reverse("problems:supervision") + "?open=true")
    return redirect("projects:project_list")
