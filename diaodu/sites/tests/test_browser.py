"""The map and the photos in Debian's Chromium: the office draws a parcel and imports one
from each kind of file; the leader filters the map on a phone and opens a project's card;
an owner sends a photo from a phone and finds it on the map and in the briefing pack.
Screenshots are kept in ``test-artifacts/``."""

from datetime import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diaodu.browsing import DESKTOP, PHONE, assert_accessible, assert_fits_width, log_in, shoot
from diaodu.factories import AgendaItemFactory, MeetingFactory
from diaodu.projects.choices import Stage
from diaodu.projects.models import Project
from diaodu.sites import testfiles
from diaodu.sites.imaging import make_jpeg_with_exif
from diaodu.sites.models import Parcel, Photo, Site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for_map(page, selector="[data-map]"):
    page.wait_for_selector(f"{selector}[data-ready]")


def test_the_office_draws_a_parcel_and_imports_one_of_each_kind(browser, live_server, demo_zone):
    project = Project.objects.get(code="2026-002")
    Parcel.objects.filter(project=project).delete()
    page = log_in(browser, live_server, "xietiaoban", viewport=DESKTOP)
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + reverse("sites:project_site", args=[project.pk]))
    wait_for_map(page)

    page.wait_for_timeout(300)  # let the map settle before clicking on it
    page.locator(".leaflet-draw-draw-polygon").click()
    box = page.locator("#site-map").bounding_box()
    corners = [(0.35, 0.35), (0.6, 0.35), (0.6, 0.6), (0.35, 0.6)]
    for x, y in corners:
        # Leaflet.draw places a vertex where the mouse last moved to, then takes the click.
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y, steps=4)
        page.mouse.down()
        page.mouse.up()
        page.wait_for_timeout(150)
    page.locator(".leaflet-draw-actions a", has_text="Finish").click()
    expect(page.locator("#id_geometry")).not_to_have_value("")
    assert not errors, errors
    assert page.input_value("#id_geometry").startswith('{"type":"Feature"')
    page.fill("#id_name", "北地块")
    shoot(page, "sites-draw-parcel-desktop")
    page.locator("#draw-form button").click()
    page.wait_for_selector(".alert-success")
    drawn = Parcel.objects.get(project=project)
    assert (drawn.name, drawn.source) == ("北地块", "drawn")
    assert drawn.area_m2 > 0

    files = [
        ("地块.geojson", "application/geo+json", testfiles.geojson_bytes()),
        ("地块.kml", "application/vnd.google-earth.kml+xml", testfiles.kml_bytes()),
        ("地块.zip", "application/zip", testfiles.shapefile_zip_bytes()),
    ]
    for name, mime, content in files:
        page.set_input_files("#id_file", {"name": name, "mimeType": mime, "buffer": content})
        page.locator("#import-form button").click()
        page.wait_for_selector(".alert-success")
    sources = sorted(Parcel.objects.filter(project=project).values_list("source", flat=True))
    assert sources == ["drawn", "geojson", "kml", "shapefile"]
    wait_for_map(page)
    # The project's 亩 and four parcels disagree: the office is told so.
    assert page.locator(".alert-warning").count() >= 1
    shoot(page, "sites-imported-parcels-desktop")


def test_the_leader_filters_the_map_on_a_phone_and_opens_a_card(browser, live_server, demo_zone):
    page = log_in(browser, live_server, "lingdao", viewport=PHONE)
    page.goto(live_server.url + reverse("sites:map"))
    wait_for_map(page, "#zone-map")
    located = Site.objects.count()
    assert page.locator("#map-list button").count() == located
    assert_fits_width(page)
    assert_accessible(page)
    shoot(page, "sites-map-phone")

    page.get_by_role("button", name="筛选").click()
    page.wait_for_selector("#project-filters.show")
    page.select_option("#id_stage", Stage.CONSTRUCTION)
    page.locator("#project-filters button.btn-outline-primary").click()
    page.wait_for_url("**/map/?*stage=construction*")
    wait_for_map(page, "#zone-map")
    building = Project.objects.filter(stage=Stage.CONSTRUCTION, site__isnull=False).count()
    assert 0 < building < located
    assert page.locator("#map-list button").count() == building

    page.locator("#map-list button").first.click()
    page.wait_for_selector("#map-card [data-card-project]")
    assert_fits_width(page)
    assert_accessible(page)
    shoot(page, "sites-map-filtered-card-phone")


def test_an_owner_sends_a_photo_from_a_phone_and_it_is_on_the_map_and_in_the_briefing(
    browser, live_server, demo_zone
):
    project = Project.objects.get(code="2026-001")
    now = datetime.now()
    photo = make_jpeg_with_exif(taken_at=now, latitude=30.2090, longitude=120.2112, text="today")
    page = log_in(browser, live_server, "yezhu", viewport=PHONE)
    page.goto(
        live_server.url
        + reverse("projects:report_create", args=[project.pk])
        + f"?period_kind=week&period_start={now:%Y-%m-%d}"
    )
    assert page.get_attribute("#id_photos", "capture") == "environment"
    page.fill("#id_narrative", "主体结构第六层浇筑完成。")
    page.fill("#id_investment", "260")
    page.set_input_files(
        "#id_photos", {"name": "IMG_2088.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    assert_fits_width(page)
    shoot(page, "sites-owner-photo-form-phone")
    page.locator("form button.btn-primary").click()
    page.wait_for_url(f"**{project.get_absolute_url()}")
    sent = Photo.objects.get(attachment__name="IMG_2088.jpg")
    assert sent.has_place

    page.goto(live_server.url + reverse("sites:map"))
    wait_for_map(page, "#zone-map")
    data = page.evaluate("fetch('/api/map/').then((r) => r.json())")
    photos = [f for f in data["features"] if f["properties"]["layer"] == "photo"]
    assert sent.pk in [f["properties"]["id"] for f in photos]
    page.locator(f"#map-list button[data-project-id='{project.pk}']").click()
    page.wait_for_selector(f"#map-card img[src='/photos/{sent.pk}/web/']")
    assert_fits_width(page)
    shoot(page, "sites-owner-photo-on-map-phone")

    meeting = MeetingFactory(title="水务产业园现场调度会")
    AgendaItemFactory(meeting=meeting, project=project, order=10)
    leader = log_in(browser, live_server, "lingdao", viewport=PHONE)
    leader.goto(live_server.url + reverse("meetings:meeting_briefing", args=[meeting.pk]))
    leader.wait_for_selector(f"img[src='/photos/{sent.pk}/thumbnail/']")
    assert_fits_width(leader)
    shoot(leader, "sites-photo-in-briefing-phone")


def test_the_map_and_a_project_s_site_card_on_a_desktop(browser, live_server, demo_zone):
    project = Project.objects.get(code="2026-001")
    page = log_in(browser, live_server, "lingdao", language="en", viewport=DESKTOP)
    page.goto(live_server.url + reverse("sites:map"))
    wait_for_map(page, "#zone-map")
    page.locator(f"#map-list button[data-project-id='{project.pk}']").click()
    page.wait_for_selector("#map-card [data-card-project]")
    shoot(page, "sites-map-card-desktop-en")
    assert_accessible(page)

    page.goto(live_server.url + project.get_absolute_url() + "#site")
    wait_for_map(page, ".project-site [data-map]")
    assert page.locator(".project-site img.photo-thumb").count() == 3
    assert_accessible(page)
    page.locator("#site").screenshot(path="test-artifacts/sites-project-site-card-desktop-en.png")
