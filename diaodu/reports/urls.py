from django.urls import path

from diaodu.reports import views

app_name = "reports"
urlpatterns = [
    path("dispatch-table/", views.dispatch_table, name="dispatch_table"),
    path("problem-ledger/", views.problem_ledger, name="problem_ledger"),
    path("bulletin/", views.bulletin_view, name="bulletin"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("bulletin/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletin/<int:pk>/", views.bulletin_download, name="bulletin_download"),
    path("import/", views.import_start, name="import_start"),
    path("import/templates/<str:kind>/", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:token>/commit/", views.import_commit, name="import_commit"),
]
