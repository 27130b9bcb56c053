from django.urls import path

from diaodu.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("draft/", views.meeting_draft, name="meeting_draft"),
    path("draft/confirm/", views.meeting_draft_confirm, name="meeting_draft_confirm"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/briefing/", views.meeting_briefing, name="meeting_briefing"),
    path("<int:pk>/screen/", views.meeting_screen, name="meeting_screen"),
    path("<int:pk>/screen/live/", views.meeting_screen_live, name="meeting_screen_live"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<int:pk>/issue/", views.meeting_issue, name="meeting_issue"),
    path("<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/up/", views.agenda_move, {"direction": "up"}, name="agenda_up"),
    path("agenda/<int:pk>/down/", views.agenda_move, {"direction": "down"}, name="agenda_down"),
    path("agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("agenda/<int:pk>/discussion/", views.agenda_discussion, name="agenda_discussion"),
    path("agenda/<int:pk>/show/", views.agenda_show, name="agenda_show"),
    path("agenda/<int:pk>/assign/", views.agenda_assign, name="agenda_assign"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
]
