"""The office draws and imports parcels on the project's site page; every write is in
the project's history and a refused file saves nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.sites import testfiles
from diaodu.sites.models import Parcel, Site
from diaodu.test import client_for

pytestmark = pytest.mark.django_db


def site_url(project):
    return reverse("sites:project_site", args=[project.pk])


def drawn(corners=testfiles.PARCEL):
    return json.dumps(
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[list(c) for c in testfiles.ring(corners)]],
            },
        }
    )


def test_the_office_draws_a_parcel_and_it_is_measured_and_logged(world):
    project = world.project_x
    response = client_for(world.coordinator).post(
        site_url(project), {"action": "draw", "name": "东地块", "geometry": drawn()}, follow=True
    )

    parcel = Parcel.objects.get(project=project)
    assert (parcel.name, parcel.source, str(parcel.area_mu)) == ("东地块", "drawn", "26.42")
    assert "Parcel saved." in response.content.decode() or "地块已保存" in response.content.decode()
    assert (
        ChangeLog.objects.for_object(project).filter(object_id=parcel.pk, action="create").exists()
    )


@pytest.mark.parametrize(
    ("file_name", "build", "source"),
    [
        ("地块.geojson", testfiles.geojson_bytes, "geojson"),
        ("地块.kml", testfiles.kml_bytes, "kml"),
        ("地块.zip", testfiles.shapefile_zip_bytes, "shapefile"),
    ],
)
def test_the_office_imports_a_parcel_from_each_kind_of_file(world, file_name, build, source):
    project = world.project_x
    upload = SimpleUploadedFile(file_name, build())

    response = client_for(world.coordinator, "en").post(
        site_url(project), {"action": "import", "file": upload}
    )

    assert response.status_code == 302
    [parcel] = Parcel.objects.filter(project=project)
    assert parcel.source == source
    assert parcel.geometry["type"] == "Polygon"


def test_a_parcel_that_disagrees_with_the_land_area_is_saved_with_a_warning(world):
    project = world.project_x
    from diaodu.projects.services import update_project

    update_project(project, {"land_area": 100}, actor=world.coordinator)

    response = client_for(world.coordinator, "en").post(
        site_url(project),
        {"action": "import", "file": SimpleUploadedFile("p.geojson", testfiles.geojson_bytes())},
        follow=True,
    )

    text = response.content.decode()
    assert "parcels measure 26.42 mu in all, but its land area is 100.00 mu" in text
    assert Parcel.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_bad_file_is_a_400_with_its_reason_and_nothing_is_saved(world, language):
    project = world.project_x
    changes = ChangeLog.objects.count()
    line = b'{"type": "LineString", "coordinates": [[120.2, 30.2], [120.3, 30.3]]}'
    # Two features, the second bad: the first must not be saved either.
    both = json.loads(testfiles.geojson_bytes())
    both["features"].append({"type": "Feature", "properties": {}, "geometry": json.loads(line)})

    response = client_for(world.coordinator, language).post(
        site_url(project),
        {"action": "import", "file": SimpleUploadedFile("p.geojson", json.dumps(both).encode())},
    )

    assert response.status_code == 400
    expected = {"en": "not an area", "zh-hans": "不是面", "zh-hant": "不是面"}[language]
    assert expected in response.content.decode()
    assert not Parcel.objects.exists()
    assert ChangeLog.objects.count() == changes


def test_the_office_sets_the_location_and_removes_a_parcel_with_history(world):
    project = world.project_x
    client = client_for(world.coordinator)
    client.post(
        site_url(project), {"action": "location", "latitude": "30.2085", "longitude": "120.2107"}
    )
    client.post(site_url(project), {"action": "draw", "geometry": drawn()})
    parcel = Parcel.objects.get(project=project)

    client.post(reverse("sites:parcel_remove", args=[parcel.pk]))

    assert str(Site.objects.get(project=project).latitude) == "30.208500"
    assert not Parcel.objects.exists()
    actions = set(
        ChangeLog.objects.for_object(project)
        .filter(object_type__model__in=["site", "parcel"])
        .values_list("action", flat=True)
    )
    assert actions == {"create", "delete"}


def test_a_drawing_that_is_not_a_polygon_is_refused(world):
    response = client_for(world.coordinator, "en").post(
        site_url(world.project_x),
        {"action": "draw", "geometry": json.dumps({"type": "Point", "coordinates": [120.2, 30.2]})},
    )

    assert response.status_code == 400
    assert "a parcel must be a polygon" in response.content.decode()


def test_an_empty_drawing_is_refused(world):
    empty = json.dumps({"type": "FeatureCollection", "features": []})

    response = client_for(world.coordinator, "en").post(
        site_url(world.project_x), {"action": "draw", "geometry": empty}
    )

    assert response.status_code == 400
    assert "Draw the parcel on the map first." in response.content.decode()
