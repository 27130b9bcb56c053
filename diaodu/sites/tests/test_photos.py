"""Photos from the ground: made into thumbnails and web copies on upload, with the time
and place the camera recorded; the copies carry no EXIF."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime
from PIL import Image

from diaodu.core.attachments import attachments_of
from diaodu.projects.models import ProgressReport
from diaodu.sites.models import Photo
from diaodu.sites.tests.conftest import phone_photo
from diaodu.test import SHANGHAI, client_for

pytestmark = pytest.mark.django_db


def submit_report_with(client, project, *photos, language=None):
    return client.post(
        reverse("projects:report_create", args=[project.pk]),
        {
            "period_kind": "week",
            "period_start": "2026-06-08",
            "narrative": "主体结构施工。",
            "investment": "300",
            "photos": list(photos),
        },
    )


def test_an_owner_s_report_photo_gets_copies_and_its_camera_time_and_place(world):
    response = submit_report_with(client_for(world.owner_x), world.project_x, phone_photo())

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.project == world.project_x
    assert photo.taken_at == datetime(2026, 6, 3, 9, 30, tzinfo=SHANGHAI)
    assert (str(photo.latitude), str(photo.longitude)) == ("30.208500", "120.210700")
    assert photo.uploader_organisation == world.enterprise_x
    for copy, longest in ((photo.thumbnail, 320), (photo.web, 1200)):
        image = Image.open(copy.open("rb"))
        assert max(image.size) == longest
        assert dict(image.getexif()) == {}, "a shown copy carries no EXIF, so no GPS"


def test_a_milestone_reported_with_a_photo_carries_it(world):
    client = client_for(world.owner_x)
    milestone = (
        world.project_x.milestones.filter(actual_date__isnull=True)
        .exclude(pk=world.milestone_x.pk)
        .first()
    )

    client.post(
        reverse("projects:milestone_report", args=[milestone.pk]),
        {"reported_date": "2026-06-09", "photos": [phone_photo("site.jpg")]},
    )

    assert Photo.objects.get().attachment.parent == milestone


def test_a_problem_update_with_a_picture_adds_a_photo_of_the_project(world):
    from diaodu.factories import ProblemFactory
    from diaodu.problems import services

    problem = ProblemFactory(project=world.project_x)

    services.add_problem_update(problem, "现场照片", actor=world.owner_x, files=[phone_photo()])

    assert Photo.objects.get().project == world.project_x


def test_a_photo_without_exif_is_dated_by_its_upload(world, today):
    image = io.BytesIO()
    Image.new("RGB", (400, 300), "grey").save(image, "PNG")
    upload = SimpleUploadedFile("plain.png", image.getvalue(), content_type="image/png")

    submit_report_with(client_for(world.owner_x), world.project_x, upload)

    photo = Photo.objects.get()
    assert photo.taken_at is None
    assert not photo.has_place
    assert photo.when.date() == today


def test_a_picture_that_cannot_be_decoded_stays_a_plain_attachment(world):
    broken = SimpleUploadedFile(
        "broken.jpg", b"\xff\xd8\xff" + b"not really", content_type="image/jpeg"
    )

    response = submit_report_with(client_for(world.owner_x, "en"), world.project_x, broken)

    assert response.status_code == 302
    report = world.project_x.progress_reports.get(period_start="2026-06-08")
    assert [a.name for a in attachments_of(ProgressReport, [report.pk])[report.pk]] == [
        "broken.jpg"
    ]
    assert not Photo.objects.exists()


def test_the_report_form_opens_the_camera(world):
    response = client_for(world.owner_x).get(
        reverse("projects:report_create", args=[world.project_x.pk])
    )

    html = response.content.decode()
    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_timeline_shows_the_site_over_months_oldest_first(world):
    client = client_for(world.owner_x)
    photos = [
        phone_photo(f"{day}.jpg", taken_at=datetime.combine(day, datetime.min.time()))
        for day in (date(2026, 5, 20), date(2026, 3, 2), date(2026, 4, 11))
    ]
    submit_report_with(client, world.project_x, *photos)

    response = client.get(reverse("sites:photo_timeline", args=[world.project_x.pk]))

    taken = [localtime(photo.taken_at).date() for photo in response.context["photos"]]
    assert taken == [date(2026, 3, 2), date(2026, 4, 11), date(2026, 5, 20)]


def test_an_enterprise_request_s_picture_is_not_a_site_photo(world):
    from diaodu.appeals import services as appeal_services

    appeal_services.raise_appeal(
        world.project_x,
        {"title": "施工用电报装慢", "description": "临时用电未接", "category": "utilities"},
        actor=world.owner_x,
        files=[phone_photo()],
    )

    assert not Photo.objects.exists()
