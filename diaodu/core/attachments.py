"""Uploaded files: what is accepted, how it is named, and who may download it.

A file is accepted by its extension *and* its first bytes, so a renamed executable does not
pass as a PDF. The user's file name is cleaned for display and never used on disk.
"""

import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diaodu.core.models import Attachment
from diaodu.lib.archives import ArchiveTooLarge, check_expansion

_ZIP = (b"PK\x03\x04",)


def check_office_file(data: bytes) -> None:
    """Refuse an .xlsx or .docx that would expand past the limits in settings, before it is
    parsed, with a ``ValidationError`` that says which limit."""
    mb = 1024 * 1024
    try:
        check_expansion(
            data,
            max_member=settings.DIAODU_MAX_UNZIPPED_PART_MB * mb,
            max_total=settings.DIAODU_MAX_UNZIPPED_MB * mb,
        )
    except ArchiveTooLarge as error:
        if error.what == "members":
            message = _(
                "The file holds more than %(limit)s parts: it is not an ordinary Office file."
            )
        elif error.what == "member":
            message = _("A part of the file expands to more than %(limit)s: it cannot be read.")
        else:
            message = _("The file expands to more than %(limit)s: it cannot be read.")
        limit = error.limit if error.what == "members" else filesizeformat(error.limit)
        raise ValidationError(message % {"limit": limit}, code="too_big") from None


_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension → (MIME type, accepted leading bytes; None: text, checked separately)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", (b"RIFF",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
    "txt": ("text/plain", None),
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(name: str) -> str:
    """A display name safe anywhere: no directories, no control characters, bounded."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = _CONTROL.sub("", name).strip().lstrip(".")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 140 - len(ext)]}{dot}{ext}" if dot and len(ext) < 10 else name[:150]
    return name or "file"


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def validate_upload(upload) -> str:
    """Refuse a file that is too big, of a type not accepted, or not what its name says.

    Returns the MIME type to store."""
    limit = settings.DIAODU_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {
                "name": clean_name(upload.name),
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    extension = _extension(clean_name(upload.name))
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("%(name)s: this type of file is not accepted. Accepted: %(types)s.")
            % {"name": clean_name(upload.name), "types": ", ".join(sorted(ALLOWED_TYPES))}
        )
    mime, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    # Text has no signature; a NUL byte is the surest sign a "text" file is binary.
    looks_right = b"\x00" not in head if signatures is None else head.startswith(signatures)
    if not looks_right:
        raise ValidationError(
            _("%(name)s does not look like a .%(ext)s file.")
            % {"name": clean_name(upload.name), "ext": extension}
        )
    return mime


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files, each validated by ``validate_upload``."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("attachments"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(AttachmentsField, self).clean(f, initial) for f in files]
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class PhotosField(AttachmentsField):
    """Photos from a phone: the file picker opens the camera first. An image attached to a
    report, milestone or problem becomes a photo of its project
    (``sites.services.record_photo``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("photos"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*", "capture": "environment"})


def attach(parent: models.Model, uploads, *, actor) -> list[Attachment]:
    """Store uploaded files against ``parent``. Callers run inside their service's
    transaction, so a refused file leaves no half-saved object; and every file is checked
    before any is written, so it leaves no file on disk either."""
    uploads = list(uploads or ())
    types = [validate_upload(upload) for upload in uploads]
    stored = []
    for upload, mime in zip(uploads, types, strict=True):
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(parent),
            object_id=parent.pk,
            name=clean_name(upload.name),
            size=upload.size,
            mime_type=mime,
            uploaded_by=actor,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        for hook in _STORED_HOOKS:
            hook(attachment, parent, upload, actor=actor)
        stored.append(attachment)
    return stored


# Called for every stored file, in the caller's transaction: photos make their web copies.
_STORED_HOOKS: list[Callable] = []


def register_stored_hook(hook: Callable) -> None:
    """``hook(attachment, parent, upload, *, actor)`` runs after each file is stored."""
    _STORED_HOOKS.append(hook)


# model → check(user, parent) -> bool; each app registers its parents' rule in ready().
_VIEW_RULES: dict[type[models.Model], Callable] = {}


def register_parent(model: type[models.Model], can_view: Callable) -> None:
    _VIEW_RULES[model] = can_view


def can_download(user, attachment: Attachment) -> bool:
    model = attachment.content_type.model_class()
    rule = _VIEW_RULES.get(model)
    parent = attachment.parent
    return rule is not None and parent is not None and rule(user, parent)


def attachments_of(parent_type: type[models.Model], ids) -> dict[int, list[Attachment]]:
    """Attachments of many parents in one query, by parent id."""
    grouped: dict[int, list[Attachment]] = {}
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(parent_type), object_id__in=list(ids)
    )
    for attachment in rows:
        grouped.setdefault(attachment.object_id, []).append(attachment)
    return grouped
