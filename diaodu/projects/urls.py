from django.urls import path

from diaodu.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/history/", views.project_history, name="project_history"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("<int:pk>/returns/new/", views.return_create, name="return_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/replan/", views.milestone_replan, name="milestone_replan"),
    path("milestones/<int:pk>/report/", views.milestone_report, name="milestone_report"),
    path("milestones/<int:pk>/confirm/", views.milestone_confirm, name="milestone_confirm"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
]
