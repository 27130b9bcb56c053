"""Recording changes. Every service that writes a domain object calls ``record``."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.crypto import salted_hmac

from diaodu.core import derived
from diaodu.core.choices import ChangeAction
from diaodu.core.i18n import readable, site_text
from diaodu.core.models import ChangeLog

# Bookkeeping fields that change on every save and say nothing to a reader.
_SKIPPED = {"created_at", "updated_at", "search_key", "version"}
# Credentials (a webhook's signing secret, a password hash) must not be readable in the log,
# yet a reader should still see *that* they changed: store a keyed fingerprint instead.
_MASKED = {"secret", "password"}


def _masked(value) -> str | None:
    if not value:
        return None
    return "•••• " + salted_hmac("diaodu.history", str(value)).hexdigest()[:8]


def _plain(field, value):
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        # 4200 and 4200.00 are one amount: store it as the column would.
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model) -> dict:
    """The object's concrete field values as JSON-able data, labelled by verbose name; the
    stored verdicts (``core.derived``) are left out, as they follow from other rows.

    Foreign keys are stored as their target's text, so the log stays readable after the
    target is renamed or gone. Choice fields keep their value and are labelled when shown,
    in the reader's language.
    """
    data = {}
    skipped = _SKIPPED | derived.stored_fields(obj._meta.label)
    for field in obj._meta.concrete_fields:
        if field.name in skipped or field.primary_key:
            continue
        if field.is_relation:
            target = getattr(obj, field.name)
            data[field.name] = readable(lambda t=target: t) if target is not None else None
        elif field.name in _MASKED:
            data[field.name] = _masked(getattr(obj, field.attname))
        else:
            data[field.name] = _plain(field, getattr(obj, field.attname))
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    return data


def record(
    actor,
    obj: models.Model,
    action: ChangeAction,
    before: dict | None = None,
    after: dict | None = None,
    related: models.Model | None = None,
) -> ChangeLog | None:
    """Log a change. An update that changed nothing leaves no row."""
    if action == ChangeAction.UPDATE and before == after:
        return None
    label = readable(lambda: obj)
    return ChangeLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=site_text(label)[:200],
        object_label=None if isinstance(label, str) else label,
        related_type=ContentType.objects.get_for_model(related) if related else None,
        related_id=related.pk if related else None,
        before=before,
        after=after,
    )
