"""Helpers shared by every app's services."""

from django.db import models, transaction

from diaodu.core import derived, history
from diaodu.core.choices import ChangeAction
from diaodu.core.models import DocumentSequence, VersionedModel


def create(actor, model: type[models.Model], data: dict, related=None, **extra):
    """Create, validate and log an object. ``data`` may hold many-to-many values. What is
    stored about it elsewhere (``derived``) is brought up to date, as by ``update``."""
    many = {f.name: data.pop(f.name) for f in model._meta.many_to_many if f.name in data}
    obj = model(**data, **extra)
    obj.full_clean()
    obj.save()
    for name, values in many.items():
        getattr(obj, name).set(values)
    derived.changed(obj)
    history.record(actor, obj, ChangeAction.CREATE, after=history.snapshot(obj), related=related)
    return obj


def update(actor, obj: models.Model, changes: dict, related=None) -> list[str]:
    """Apply ``changes`` to ``obj``, save only what changed, and log before/after.

    The "before" is read back from the database, because callers (forms, serializers)
    often hand over an instance they have already modified.
    """
    stored = type(obj)._base_manager.get(pk=obj.pk)
    before = history.snapshot(stored)
    many = {}
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
            continue
        setattr(obj, name, value)
        if getattr(stored, field.attname) != getattr(obj, field.attname):
            changed.append(name)
    obj.full_clean()
    # Every write moves a versioned object on, whoever makes it (a form, an import, a
    # service cascading), so an edit begun before it is refused rather than undoing it.
    bump = isinstance(obj, VersionedModel) and bool(changed or many)
    if bump:
        obj.version = models.F("version") + 1
        changed.append("version")
    if changed:
        obj.save(update_fields=changed)
    if bump:
        obj.refresh_from_db(fields=["version"])
    for name, values in many.items():
        getattr(obj, name).set(values)
    if changed or many:
        derived.changed(obj)
    history.record(
        actor, obj, ChangeAction.UPDATE, before=before, after=history.snapshot(obj), related=related
    )
    return changed


class Conflict(Exception):
    """Someone else saved the object since this edit began. ``current`` is what they saved."""

    def __init__(self, current):
        super().__init__(f"{current!r} changed since it was read")
        self.current = current


def update_versioned(actor, obj, changes: dict, expected_version: int | None, related=None):
    """``update`` with optimistic locking: refuse a change based on a stale version.

    The row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers), so two saves cannot both pass the check:
    the effect of ``filter(pk=..., version=v).update(..., version=F("version") + 1)``
    with the model's validation and the change log. ``None`` is a write that did not
    start from a page or a client's read (a cascade, an import): checked by nothing,
    it still moves the version on.
    """
    if expected_version is None:
        return update(actor, obj, changes, related=related)
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:
        raise Conflict(current)
    return update(actor, obj, changes, related=related)


def next_number(series: str, year: int) -> int:
    """The next number of a document series in ``year``, never given twice.

    The sequence row is locked until the caller's transaction ends, so a second issue at
    the same moment waits for the first and takes the number after it; the first issue of
    a year creates the row, and of two creating it at once the unique constraint makes the
    loser read the winner's row (``get_or_create`` retries inside a savepoint). A
    transaction that rolls back gives its number back."""
    with transaction.atomic():
        sequence, _created = DocumentSequence.objects.select_for_update().get_or_create(
            series=series, year=year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return sequence.last
