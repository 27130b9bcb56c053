from django.urls import path

from diaodu.reports import views

app_name = "reports"
urlpatterns = [
    path("dispatch-table/", views.dispatch_table, name="dispatch_table"),
    path("problem-ledger/", views.problem_ledger, name="problem_ledger"),
    path("bulletin/", views.bulletin_view, name="bulletin"),
    path("bulletin/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletin/<int:pk>/", views.bulletin_download, name="bulletin_download"),
    path("import/", views.import_start, name="import_start"),
    path("import/templates/<str:kind>/", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:token>/commit/", views.import_commit, name="import_commit"),
]
