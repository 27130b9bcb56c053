from django.urls import path

from diaodu.sites import views

app_name = "sites"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/projects/<int:pk>/card/", views.project_card, name="project_card"),
    path("projects/<int:pk>/site/", views.project_site, name="project_site"),
    path("projects/<int:pk>/photos/", views.photo_timeline, name="photo_timeline"),
    path("parcels/<int:pk>/remove/", views.parcel_remove, name="parcel_remove"),
    path(
        "photos/<int:pk>/thumbnail/",
        views.photo_file,
        {"size": "thumbnail"},
        name="photo_thumbnail",
    ),
    path("photos/<int:pk>/web/", views.photo_file, {"size": "web"}, name="photo_web"),
]
