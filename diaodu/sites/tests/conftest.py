"""Sites tests: the shared world (``diaodu.test``) with a private file store, and photos
as phones send them."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from diaodu.sites.imaging import make_jpeg_with_exif


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def phone_photo(
    name="IMG_0001.jpg",
    *,
    taken_at=datetime(2026, 6, 3, 9, 30),
    latitude=30.2085,
    longitude=120.2107,
) -> SimpleUploadedFile:
    """A JPEG with EXIF time and GPS, as a phone camera writes it."""
    content = make_jpeg_with_exif(taken_at=taken_at, latitude=latitude, longitude=longitude)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def photo_of():
    return phone_photo
