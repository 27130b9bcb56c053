from django.urls import path

from diaodu.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("new/<int:project_pk>/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/ledger.xlsx", views.commitment_ledger, name="commitment_ledger"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/fulfil/", views.fulfilment_record, name="fulfilment_record"),
]
