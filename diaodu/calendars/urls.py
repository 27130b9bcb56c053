from django.urls import path

from diaodu.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_page, name="calendar_page"),
    path("new/", views.calendar_issue, name="calendar_issue"),
    path("revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
