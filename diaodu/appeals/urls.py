from django.urls import path

from diaodu.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("new/<int:project_pk>/", views.appeal_raise, name="appeal_raise"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/accept/", views.appeal_accept, name="appeal_accept"),
    path("<int:pk>/merge/", views.appeal_merge, name="appeal_merge"),
    path("<int:pk>/answer/", views.appeal_answer, name="appeal_answer"),
    path("<int:pk>/rate/", views.appeal_rate, name="appeal_rate"),
]
