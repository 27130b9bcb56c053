import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diaodu.accounts.access import what_you_may_do
from diaodu.accounts.forms import LoginForm
from diaodu.core import attachments
from diaodu.core.forms import VersionMixin
from diaodu.core.middleware import RETRY_AFTER
from diaodu.core.models import Attachment
from diaodu.core.services import Conflict

CONFLICT_MESSAGE = _(
    "Someone else saved this since you opened it. Below are your values and theirs; "
    "nothing of yours is saved yet. Save again to apply yours on top of theirs."
)


def save_form(request, form, save, success_message):
    """Run a service with a valid form's data; a domain rule it refuses becomes form errors.

    A form that carries a version (``VersionMixin``) is saved as ``save(data, version)``;
    when someone saved in between, the form keeps this user's values, lists theirs beside
    them and now carries the current version, so saving again re-applies knowingly.
    """
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    versioned = isinstance(form, VersionMixin) and "version" in form.fields
    try:
        result = save(data, data.pop("version")) if versioned else save(data)
    except Conflict as conflict:
        if not versioned:
            raise  # a workflow step's own answer to a stale version (enterprise requests)
        form.rebase(conflict.current)
        messages.error(request, CONFLICT_MESSAGE)
        return None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None
    if success_message:
        messages.success(request, success_message)
    return result


def safe_next(request) -> str:
    """The page to go back to (``next``), if it is one of this site's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def form_page(request, form, *, save, message, template, context=None, then=None):
    """The shape of every edit page: show the form; on a valid POST run the service and go
    back where the user came from (``next``), else to ``then`` (or to what the service
    returned)."""
    if request.method == "POST":
        result = save_form(request, form, save, message)
        if result:
            return redirect(safe_next(request) or then or result)
    return render(request, template, {"form": form, **(context or {})})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when this process can reach its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "take me out of rotation"
        response = JsonResponse({"status": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """The 403 page, in the site's layout, saying what the reader's role may do instead."""
    return render(request, "403.html", {"may_do": what_you_may_do(request.user)}, status=403)


def locked_out_reason() -> str:
    """Why a right password is refused after too many wrong ones (django-axes)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME * 60)
    return ngettext(
        "Too many failed log-in attempts. For your security, this account cannot log in "
        "from here for %(minutes)d minute. Please wait and try again, or ask the "
        "administrator to unlock it.",
        "Too many failed log-in attempts. For your security, this account cannot log in "
        "from here for %(minutes)d minutes. Please wait and try again, or ask the "
        "administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def login_locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The log-in page again, saying that this username is refused from this address for
    a while after too many wrong passwords (django-axes calls this)."""
    messages.error(request, locked_out_reason())
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(request, "accounts/login.html", {"form": form}, status=429)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file, to those who may see what it is attached to; anyone else gets 404."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not attachments.can_download(request.user, attachment):
        raise Http404
    inline = attachment.mime_type.startswith("image/") or attachment.mime_type == "application/pdf"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
