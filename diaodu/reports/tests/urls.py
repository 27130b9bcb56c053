"""The site's URLs plus what a lead developer adds when wiring the app in: the report
pages under ``reports/`` and the report endpoints in the API's namespace."""

from django.urls import include, path

from diaodu.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("reports/", include("diaodu.reports.urls")),
    path("api/", include("diaodu.reports.tests.api_urls")),
    *(p for p in site_urlpatterns if getattr(p, "namespace", None) != "api"),
]
