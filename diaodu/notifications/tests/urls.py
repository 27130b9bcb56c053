"""The site's URLs plus what a lead developer adds when wiring the app in (the
notification pages and API), and a page whose action notifies people."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.views.decorators.http import require_POST
from rest_framework.routers import DefaultRouter

from diaodu.notifications.api import NotificationViewSet
from diaodu.notifications.services import notify
from diaodu.org.models import Organisation
from diaodu.urls import urlpatterns as site_urlpatterns

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")


@login_required
@require_POST
def raise_alarm(request, pk):
    """Stands for any page whose service notifies (raising a problem, say)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    with transaction.atomic():
        notify(
            event="problem_raised",
            title="水务产业园：用地指标未落实",
            url="/problems/7/",
            organisations=[organisation],
            actor=request.user,
        )
    return HttpResponse("raised")


urlpatterns = [
    path("notifications/", include("diaodu.notifications.urls")),
    path("api/", include(router.urls)),
    path("test/alarm/<int:pk>/", raise_alarm, name="raise_alarm"),
    *site_urlpatterns,
]
