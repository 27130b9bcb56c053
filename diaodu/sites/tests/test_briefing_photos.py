"""The latest site photos go into the briefing pack (page and .docx) and the minutes'
annex, as web copies without EXIF, only to readers who see the project."""

import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from PIL import Image

from diaodu.factories import AgendaItemFactory, MeetingFactory
from diaodu.projects import services as project_services
from diaodu.sites.tests.conftest import phone_photo
from diaodu.test import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    project_services.revise_report(
        world.report_x,
        {"photos": [phone_photo("a.jpg"), phone_photo("b.jpg")]},
        actor=world.owner_x,
    )
    meeting = MeetingFactory(
        title="水务产业园专题调度会议", chair=world.leader, created_by=world.coordinator
    )
    AgendaItemFactory(meeting=meeting, project=world.project_x, order=10)
    AgendaItemFactory(meeting=meeting, project=world.project_y, order=20)
    return meeting


def docx_images(content: bytes) -> list[Image.Image]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            Image.open(io.BytesIO(archive.read(n)))
            for n in archive.namelist()
            if n.startswith("word/media/")
        ]


def test_the_briefing_page_shows_the_latest_photos(world, meeting):
    response = client_for(world.leader).get(reverse("meetings:meeting_briefing", args=[meeting.pk]))

    [brief_x, brief_y] = response.context["briefs"]
    assert len(brief_x.photos) == 2
    assert brief_y.photos == []
    assert response.content.decode().count("/thumbnail/") == 2


def test_the_briefing_docx_carries_the_photos_without_exif(world, meeting):
    response = client_for(world.coordinator).get(
        reverse("meetings:meeting_briefing", args=[meeting.pk]), {"format": "docx"}
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content

    document = Document(io.BytesIO(content))
    # Two pictures placed; the same picture twice is stored once.
    assert len(document.inline_shapes) == 2
    assert all(dict(image.getexif()) == {} for image in docx_images(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "最新现场照片" in text


def test_the_minutes_carry_an_annex_of_site_photos(world, meeting):
    response = client_for(world.coordinator).get(
        reverse("meetings:meeting_minutes", args=[meeting.pk])
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content

    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 2
    text = "\n".join(p.text for p in document.paragraphs)
    assert "附件：现场照片" in text


def test_a_department_that_does_not_see_the_project_gets_no_photos(world, meeting):
    response = client_for(world.staff_b).get(
        reverse("meetings:meeting_briefing", args=[meeting.pk])
    )

    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "/thumbnail/" not in response.content.decode()
