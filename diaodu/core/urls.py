from django.urls import path

from diaodu.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
