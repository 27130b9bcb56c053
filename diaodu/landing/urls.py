from django.urls import path

from diaodu.landing import views

app_name = "landing"
urlpatterns = [
    path("", views.speed_page, name="speed"),
    path("projects/<int:pk>/", views.project_panel, name="project_panel"),
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("evaluation/export/", views.evaluation_export, name="evaluation_export"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
]
