from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaodu.calendars import access, feed, services
from diaodu.calendars.models import CalendarFeed

# The secret is shown once, on the page the person lands on after making it.
_SHOWN_ONCE = "calendar_address"


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    if not access.can_have_feed(request.user):
        raise PermissionDenied
    return render(
        request,
        "calendars/calendar.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "address": request.session.pop(_SHOWN_ONCE, None),
        },
    )


@login_required
@require_POST
def calendar_issue(request: HttpRequest) -> HttpResponse:
    if not access.can_have_feed(request.user):
        raise PermissionDenied
    token = services.issue_feed(request.user, actor=request.user)
    request.session[_SHOWN_ONCE] = request.build_absolute_uri(
        reverse("calendars:calendar_feed", args=[token])
    )
    messages.success(
        request, _("Your new calendar address is ready; any earlier one no longer works.")
    )
    return redirect("calendars:calendar_page")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_feed(request.user, actor=request.user)
    messages.success(
        request, _("Your calendar address is revoked; calendars using it get nothing.")
    )
    return redirect("calendars:calendar_page")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no log-in (calendar apps cannot), the secret in the address is the
    key. An unknown or revoked secret, or a deactivated person, is not found."""
    user = services.feed_owner(token)
    if user is None or not access.can_have_feed(user):
        raise Http404
    content = feed.calendar_for(user, timezone.localdate(), request.build_absolute_uri)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="diaodu.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
