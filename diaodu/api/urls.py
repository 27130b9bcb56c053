from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from diaodu.accounts.api import ObtainToken, PersonViewSet, TokenViewSet
from diaodu.agreements.api import AgreementViewSet, CommitmentViewSet
from diaodu.api.views import not_found
from diaodu.appeals.api import AppealViewSet
from diaodu.dashboard import api as dashboard_api
from diaodu.inbox import api as inbox_api
from diaodu.landing.api import urlpatterns as landing_urlpatterns
from diaodu.meetings.api import AgendaItemViewSet, EventBatchViewSet, MeetingViewSet, MinutesViewSet
from diaodu.notifications.api import (
    ChannelViewSet,
    DeliveryViewSet,
    NotificationViewSet,
    WebhookEndpointViewSet,
)
from diaodu.org.api import OrganisationViewSet
from diaodu.problems.api import ActionItemViewSet, ProblemViewSet
from diaodu.projects.api import (
    AnnualReturnViewSet,
    IndustryViewSet,
    LandThresholdViewSet,
    MilestoneKindViewSet,
    MilestoneViewSet,
    ProgressReportViewSet,
    ProjectListViewSet,
    ProjectViewSet,
    ReportingRoundViewSet,
)
from diaodu.reports.api import urlpatterns as report_urlpatterns
from diaodu.search import api as search_api
from diaodu.sites import api as sites_api

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("tokens", TokenViewSet, basename="apitoken")
router.register("projects", ProjectViewSet, basename="project")
router.register("milestone-kinds", MilestoneKindViewSet, basename="milestonekind")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
router.register("reporting-rounds", ReportingRoundViewSet, basename="reportinground")
router.register("annual-returns", AnnualReturnViewSet, basename="annualreturn")
router.register("industries", IndustryViewSet, basename="industry")
router.register("project-lists", ProjectListViewSet, basename="projectlist")
router.register("land-thresholds", LandThresholdViewSet, basename="landthreshold")
router.register("problems", ProblemViewSet, basename="problem")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("event-batches", EventBatchViewSet, basename="eventbatch")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("channels", ChannelViewSet, basename="channel")
router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhookendpoint")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("requests", AppealViewSet, basename="appeal")

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    *report_urlpatterns,
    *landing_urlpatterns,
    path("token/", ObtainToken.as_view(), name="token"),
    path("search/", search_api.search, name="search"),
    path("inbox/", inbox_api.inbox, name="inbox"),
    path("dashboard/", dashboard_api.overview, name="dashboard"),
    path("dashboard/today/", dashboard_api.today, name="dashboard_today"),
    path("dashboard/departments/", dashboard_api.departments, name="dashboard_departments"),
    path("dashboard/approvals/", dashboard_api.approvals, name="dashboard_approvals"),
    path("dashboard/land/", dashboard_api.land_efficiency, name="dashboard_land"),
    path("map/", sites_api.map_features, name="map"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Last: whatever no route above matched. Only addresses ending in a slash, so that
    # Django still redirects /api/projects to /api/projects/.
    re_path(r"^(?P<path>.*/)$", not_found, name="not_found"),
]
