"""The site's URLs plus one page that fails, to see the 500 page as a reader would."""

from django.urls import path

from diaodu.urls import handler403
from diaodu.urls import urlpatterns as site_urlpatterns


def failing_page(request):
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_page), *site_urlpatterns]

__all__ = ["handler403", "urlpatterns"]
