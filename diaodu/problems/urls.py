from django.urls import path

from diaodu.problems import views

app_name = "problems"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("supervision/", views.supervision, name="supervision"),
    path("projects/<int:project_pk>/problems/new/", views.problem_raise, name="problem_raise"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/update/", views.problem_update, name="problem_update"),
    path("problems/<int:pk>/transition/", views.problem_transition, name="problem_transition"),
    path("problems/<int:pk>/handle/", views.problem_quick_actions, name="problem_quick_actions"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/feedback/", views.action_feedback, name="action_feedback"),
    path("actions/<int:pk>/transition/", views.action_transition, name="action_transition"),
    path("actions/<int:pk>/handle/", views.action_quick_actions, name="action_quick_actions"),
]
