"""Thumbnails and web copies of photos, and the time and place their camera recorded."""

import contextlib
import io
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD, Base

THUMBNAIL_PX = 320
WEB_PX = 1600
# A phone photo is ~12-50 megapixels; far beyond that is a decompression bomb.
Image.MAX_IMAGE_PIXELS = 120_000_000


class NotAnImage(ValueError):
    pass


def open_image(upload) -> Image.Image:
    upload.seek(0)
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from error
    finally:
        upload.seek(0)
    return image


def resized_jpeg(image: Image.Image, longest: int) -> ContentFile:
    """A JPEG no larger than ``longest`` pixels a side, turned upright, with no metadata:
    re-encoding from pixels drops EXIF (and so GPS) from every copy that is shown."""
    copy = ImageOps.exif_transpose(image).convert("RGB")
    copy.thumbnail((longest, longest))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=82, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _degrees(value, reference) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if reference in ("S", "W"):
        decimal = -decimal
    return Decimal(f"{decimal:.6f}")


def metadata(image: Image.Image) -> dict:
    """``taken_at`` (aware, read in the zone's time: cameras record local time without a
    zone) and ``latitude``/``longitude`` (WGS-84, as GPS receivers give) when present."""
    exif = image.getexif()
    found = {"taken_at": None, "latitude": None, "longitude": None}
    stamp = exif.get_ifd(IFD.Exif).get(Base.DateTimeOriginal) or exif.get(Base.DateTime)
    if stamp:
        with contextlib.suppress(ValueError):
            found["taken_at"] = timezone.make_aware(
                datetime.strptime(str(stamp).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            )
    gps = exif.get_ifd(IFD.GPSInfo)
    if GPS.GPSLatitude in gps and GPS.GPSLongitude in gps:
        latitude = _degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef, "E"))
        if (
            latitude is not None
            and longitude is not None
            and abs(latitude) <= 90
            and abs(longitude) <= 180
        ):
            found["latitude"], found["longitude"] = latitude, longitude
    return found


def make_jpeg_with_exif(
    *, size=(1200, 900), colour=(90, 140, 90), taken_at=None, latitude=None, longitude=None, text=""
) -> bytes:
    """A photo as a phone would send it (EXIF time and GPS): for the demo and the tests."""
    from PIL import ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((width * 0.2, height * 0.45, width * 0.8, height * 0.9), fill=(170, 170, 160))
    draw.polygon(
        [(width * 0.15, height * 0.45), (width * 0.5, height * 0.2), (width * 0.85, height * 0.45)],
        fill=(150, 60, 50),
    )
    if text:
        draw.text((20, 20), text, fill=(255, 255, 255))
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if latitude is not None and longitude is not None:
        exif[IFD.GPSInfo] = {
            GPS.GPSLatitudeRef: "N" if latitude >= 0 else "S",
            GPS.GPSLatitude: _dms(abs(latitude)),
            GPS.GPSLongitudeRef: "E" if longitude >= 0 else "W",
            GPS.GPSLongitude: _dms(abs(longitude)),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), float(seconds))
