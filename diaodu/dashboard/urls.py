from django.urls import path

from diaodu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("today/", views.today, name="today"),
    path("departments/", views.departments, name="departments"),
    path("approvals/", views.approvals, name="approvals"),
    path("cards/", views.cards, name="cards"),
    path("timeline/", views.timeline, name="timeline"),
    path("land/", views.land_efficiency, name="land"),
]
