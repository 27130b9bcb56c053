"""Who may see the map, parcels and photos of which project, and who may change them;
and whose photos' places (GPS) each role is given.

Owner X took a photo of project X. Department A sees project X (its lead department) but
not the place of the enterprise's photo; owner Y and department B see nothing of X."""

import json

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import ParcelFactory, SiteFactory
from diaodu.projects import services as project_services
from diaodu.sites import testfiles
from diaodu.sites.models import Parcel, Photo
from diaodu.sites.tests.conftest import phone_photo
from diaodu.test import ROLES, api_for, client_for, role_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def sited(world):
    """Project X and Y located, each with a parcel; project X with owner X's photo."""
    SiteFactory(project=world.project_x, latitude="30.2085", longitude="120.2107")
    SiteFactory(project=world.project_y, latitude="30.2150", longitude="120.2200")
    world.parcel_x = ParcelFactory(project=world.project_x)
    world.parcel_y = ParcelFactory(project=world.project_y)
    project_services.revise_report(world.report_x, {"photos": [phone_photo()]}, actor=world.owner_x)
    world.photo_x = Photo.objects.get(project=world.project_x)
    return world


#          admin coordinator leader staff_a staff_b owner_x owner_y
PAGES = {
    "map": (200, 200, 200, 200, 200, 200, 200),
    "card of X": (200, 200, 200, 200, 404, 200, 404),
    "site page of X": (200, 200, 403, 403, 404, 403, 404),
    "draw a parcel on X": (302, 302, 403, 403, 404, 403, 404),
    "remove parcel of X": (302, 302, 403, 403, 404, 403, 404),
    "photo timeline of X": (200, 200, 200, 200, 404, 200, 404),
    "thumbnail of X's photo": (200, 200, 200, 200, 404, 200, 404),
    "web copy of X's photo": (200, 200, 200, 200, 404, 200, 404),
    "original of X's photo": (200, 200, 200, 200, 404, 200, 404),
}


def page_request(w, action):
    drawn = {"type": "Polygon", "coordinates": [[list(c) for c in testfiles.ring()]]}
    return {
        "map": ("get", reverse("sites:map"), None),
        "card of X": ("get", reverse("sites:project_card", args=[w.project_x.pk]), None),
        "site page of X": ("get", reverse("sites:project_site", args=[w.project_x.pk]), None),
        "draw a parcel on X": (
            "post",
            reverse("sites:project_site", args=[w.project_x.pk]),
            {"action": "draw", "geometry": json.dumps(drawn)},
        ),
        "remove parcel of X": ("post", reverse("sites:parcel_remove", args=[w.parcel_x.pk]), {}),
        "photo timeline of X": (
            "get",
            reverse("sites:photo_timeline", args=[w.project_x.pk]),
            None,
        ),
        "thumbnail of X's photo": (
            "get",
            reverse("sites:photo_thumbnail", args=[w.photo_x.pk]),
            None,
        ),
        "web copy of X's photo": ("get", reverse("sites:photo_web", args=[w.photo_x.pk]), None),
        "original of X's photo": (
            "get",
            reverse("core:attachment_download", args=[w.photo_x.attachment_id]),
            None,
        ),
    }[action]


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGES))
def test_page_permissions(sited, action, role, expected):
    method, url, data = page_request(sited, action)
    changes, parcels = ChangeLog.objects.count(), Parcel.objects.count()

    response = getattr(client_for(getattr(sited, role)), method)(url, data or {})

    assert response.status_code == expected
    if method == "post" and expected != 302:
        assert (ChangeLog.objects.count(), Parcel.objects.count()) == (changes, parcels)
    if method == "post" and expected == 302:
        assert ChangeLog.objects.count() > changes


#             projects    parcels     photo places (GPS)
MAP_DATA = {
    "admin": ({"2026-001", "2026-002"}, 2, 1),
    "coordinator": ({"2026-001", "2026-002"}, 2, 1),
    "leader": ({"2026-001", "2026-002"}, 2, 1),
    "staff_a": ({"2026-001"}, 1, 0),
    "staff_b": ({"2026-002"}, 1, 0),
    "owner_x": ({"2026-001"}, 1, 1),
    "owner_y": ({"2026-002"}, 1, 0),
}


@pytest.mark.parametrize("role", ROLES)
def test_map_data_holds_what_each_role_may_see_and_photo_places_only_for_some(sited, role):
    response = api_for(getattr(sited, role)).get(reverse("api:map"))

    assert response.status_code == 200
    features = response.json()["features"]
    layers = {
        layer: [f for f in features if f["properties"]["layer"] == layer]
        for layer in ("project", "parcel", "photo")
    }
    codes, parcels, places = MAP_DATA[role]
    assert {f["properties"]["code"] for f in layers["project"]} == codes
    assert len(layers["parcel"]) == parcels
    assert len(layers["photo"]) == places


def test_the_timeline_shows_the_place_only_to_whom_it_may_be_shown(sited):
    url = reverse("sites:photo_timeline", args=[sited.project_x.pk])

    assert "30.208500" in client_for(sited.owner_x).get(url).content.decode()
    assert "30.208500" in client_for(sited.leader).get(url).content.decode()
    assert "30.208500" not in client_for(sited.staff_a).get(url).content.decode()


def test_the_project_history_does_not_carry_a_photo_s_place(sited):
    logged = ChangeLog.objects.filter(object_type__model="photo").get()

    assert "30.2085" not in json.dumps(logged.after)


def test_the_map_data_needs_a_login(sited):
    from rest_framework.test import APIClient

    assert APIClient().get(reverse("api:map")).status_code in (401, 403)
