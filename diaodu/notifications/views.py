from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_POST

from diaodu.notifications import access, services
from diaodu.notifications.filters import NotificationFilter
from diaodu.notifications.forms import PreferenceForm
from diaodu.notifications.models import Notification

PAGE_SIZE = 25


def _notification_or_404(request: HttpRequest, pk: int) -> Notification:
    """One of the user's own notifications; anyone else's is "not found"."""
    return get_object_or_404(access.visible_notifications(request.user), pk=pk)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = access.visible_notifications(request.user).order_by("-created_at", "-pk")
    notification_filter = NotificationFilter(request.GET, queryset=notifications)
    page = Paginator(notification_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "unread_only": notification_filter.form.cleaned_data.get("unread") is True,
            "preference_form": PreferenceForm(
                initial={"email_enabled": services.email_enabled(request.user)}
            ),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read. htmx gets the updated row back (and the bell,
    out of band); a plain form post goes back to the list."""
    notification = _notification_or_404(request, pk)
    services.mark_read(notification)
    if request.headers.get("HX-Request"):
        return render(
            request, "notifications/_notification_read.html", {"notification": notification}
        )
    return redirect(_safe_next(request, "notifications:notification_list"))


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = _notification_or_404(request, pk)
    services.mark_read(notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect(_safe_next(request, "notifications:notification_list"))


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.set_email_enabled(request.user, form.cleaned_data["email_enabled"])
        messages.success(request, _("Your notification settings are saved."))
    return redirect("notifications:notification_list")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembering the choice for the person's e-mails too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_language(request.user, language)
    return response
