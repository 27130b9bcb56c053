from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from diaodu.accounts.forms import LoginForm
from diaodu.accounts.views import home
from diaodu.notifications.views import set_language

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Before Django's own: the switch also sets the language of the person's e-mails.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("diaodu.accounts.urls")),
    path("projects/", include("diaodu.projects.urls")),
    path("notifications/", include("diaodu.notifications.urls")),
    path("meetings/", include("diaodu.meetings.urls")),
    path("calendar/", include("diaodu.calendars.urls")),
    path("dashboard/", include("diaodu.dashboard.urls")),
    path("reports/", include("diaodu.reports.urls")),
    path("landing/", include("diaodu.landing.urls")),
    path("agreements/", include("diaodu.agreements.urls")),
    path("requests/", include("diaodu.appeals.urls")),
    path("search/", include("diaodu.search.urls")),
    path("inbox/", include("diaodu.inbox.urls")),
    path("", include("diaodu.sites.urls")),
    path("", include("diaodu.problems.urls")),
    path("api/", include("diaodu.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("diaodu.core.urls")),
]

handler403 = "diaodu.core.views.permission_denied"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
