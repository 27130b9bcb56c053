"""``diaodu.api.urls`` with the report endpoints added, as wiring the app in does."""

from diaodu.api.urls import app_name
from diaodu.api.urls import urlpatterns as api_urlpatterns
from diaodu.reports.api import urlpatterns as report_urlpatterns

__all__ = ["app_name", "urlpatterns"]

urlpatterns = [*report_urlpatterns, *api_urlpatterns]
