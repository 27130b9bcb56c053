from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from diaodu.accounts.api import PersonViewSet
from diaodu.dashboard import api as dashboard_api
from diaodu.meetings.api import AgendaItemViewSet, EventBatchViewSet, MeetingViewSet
from diaodu.notifications.api import NotificationViewSet
from diaodu.org.api import OrganisationViewSet
from diaodu.problems.api import ActionItemViewSet, ProblemViewSet
from diaodu.projects.api import (
    MilestoneKindViewSet,
    MilestoneViewSet,
    ProgressReportViewSet,
    ProjectViewSet,
    ReportingRoundViewSet,
)
from diaodu.reports.api import urlpatterns as report_urlpatterns

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("projects", ProjectViewSet, basename="project")
router.register("milestone-kinds", MilestoneKindViewSet, basename="milestonekind")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
router.register("reporting-rounds", ReportingRoundViewSet, basename="reportinground")
router.register("problems", ProblemViewSet, basename="problem")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("event-batches", EventBatchViewSet, basename="eventbatch")
router.register("notifications", NotificationViewSet, basename="notification")

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    *report_urlpatterns,
    path("token/", obtain_auth_token, name="token"),
    path("dashboard/", dashboard_api.overview, name="dashboard"),
    path("dashboard/departments/", dashboard_api.departments, name="dashboard_departments"),
    path("dashboard/approvals/", dashboard_api.approvals, name="dashboard_approvals"),
    path("dashboard/land/", dashboard_api.land_efficiency, name="dashboard_land"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
