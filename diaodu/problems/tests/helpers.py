"""Helpers for the problem and action-item tests: uploaded files and notifications."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from diaodu.notifications.models import Notification

#: The due date of the loop's problems and action items (see ``conftest``).
DUE = date(2026, 6, 30)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOCX = b"PK\x03\x04" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def upload(name: str, content: bytes = PDF, content_type: str = "application/octet-stream"):
    """A file as a browser or an API client would send it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def newest_pk(model) -> int:
    """The highest id of ``model`` so far: what a test compares later rows against."""
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def notified_since(mark: int, event: str | None = None) -> set[str]:
    """Usernames of everyone notified after ``mark`` (see :func:`newest_pk`)."""
    rows = Notification.objects.filter(pk__gt=mark)
    if event is not None:
        rows = rows.filter(event=event)
    return set(rows.values_list("recipient__username", flat=True))
