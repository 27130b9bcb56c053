import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from diaodu.accounts.forms import LoginForm
from diaodu.core import attachments
from diaodu.core.middleware import RETRY_AFTER
from diaodu.core.models import Attachment


def save_form(request, form, save, success_message):
    """Run a service with a valid form's data; a domain rule it refuses becomes form errors."""
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None
    messages.success(request, success_message)
    return result


def form_page(request, form, *, save, message, template, context=None, then=None):
    """The shape of every edit page: show the form; on a valid POST run the service and go
    to ``then`` (or to what the service returned)."""
    if request.method == "POST":
        result = save_form(request, form, save, message)
        if result:
            return redirect(then or result)
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
