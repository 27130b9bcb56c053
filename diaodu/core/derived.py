"""State derived from other rows and stored on the row that shows it.

A project's health, a problem's light, a commitment's fulfilment: each rule is one Python
function, and its verdict is stored on the row by the writes that change its inputs, in
their transaction. Lists, filters, counts, exports and the API then read a column instead
of evaluating the rule again, in SQL, on every request.

Some verdicts change only because a day passes (a planned date goes by). Each row stores
the first day on which that can happen (``changes_on``, empty when it cannot), and
``refresh_due`` recomputes exactly the rows whose day has come. The daily command
``refresh_derived`` runs it, and so does the first request of each day in each server
process (``FreshStateMiddleware``): a page never shows a verdict older than today, even
where nobody scheduled the command.

Each app declares its rules in its own ``derived.py`` as ``STORED_STATES``.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import import_module

from django.apps import apps
from django.db import connections, models, router, transaction
from django.utils import timezone


@dataclass(frozen=True)
class StoredState:
    """One rule whose verdict is stored on the rows of ``model`` ("app_label.Model").

    ``refresh(queryset, today)`` recomputes the verdict of those rows, writes the rows
    whose stored value differs and returns how many it wrote. ``inputs`` maps the label of
    a model whose rows feed the rule to a function giving, for one such row, the primary
    keys of the ``model`` rows that depend on it.
    """

    model: str
    fields: tuple[str, ...]
    refresh: Callable[[models.QuerySet, date], int]
    inputs: dict[str, Callable[[models.Model], Iterable[int | None]]]
    changes_on: str = "state_changes_on"

    def rows(self) -> models.QuerySet:
        return apps.get_model(self.model)._base_manager.order_by("pk")

    def __str__(self) -> str:
        return f"{self.model} ({', '.join(self.fields)})"


@cache
def stored_states() -> tuple[StoredState, ...]:
    states = []
    for config in apps.get_app_configs():
        name = f"{config.name}.derived"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        states.extend(getattr(module, "STORED_STATES", ()))
    return tuple(states)


def _plain(value):
    return value.pk if isinstance(value, models.Model) else value


def rewrite(
    rows: models.QuerySet,
    fields: tuple[str, ...],
    verdicts: Callable[[list], Iterable[dict]],
    batch: int = 1000,
) -> int:
    """The body of a rule's ``refresh``: walk ``rows`` in id order, ``batch`` at a time;
    ``verdicts(rows of the batch)`` gives each row's stored values (it may read what the
    batch needs in a few queries); write the rows whose stored values differ. Returns how
    many were written."""
    written, last = 0, 0
    while chunk := list(rows.filter(pk__gt=last).order_by("pk")[:batch]):
        last = chunk[-1].pk
        stale = []
        for row, values in zip(chunk, verdicts(chunk), strict=True):
            attnames = {name: row._meta.get_field(name).attname for name in values}
            if any(getattr(row, attnames[n]) != _plain(v) for n, v in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                stale.append(row)
        save_rows(stale, fields)
        written += len(stale)
    return written


def save_rows(rows: list[models.Model], fields: Iterable[str]) -> None:
    """Write ``fields`` of these rows (of one model) in id order, so that two refreshes lock
    rows in the same order: one ``UPDATE`` by id, executed for every row. ``bulk_update``
    would build a ``CASE`` per field and row, which cost three times the writes."""
    if not rows:
        return
    model = type(rows[0])
    db = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    quote = db.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in columns)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    values = [
        (*(f.get_db_prep_save(getattr(row, f.attname), db) for f in columns), row.pk)
        for row in sorted(rows, key=lambda row: row.pk)
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, values)


@cache
def stored_fields(label: str) -> frozenset[str]:
    """The fields of the model ``label`` ("app_label.Model") that hold stored verdicts:
    bookkeeping, not what anyone typed (the change log leaves them out)."""
    return frozenset(
        name
        for state in stored_states()
        if state.model == label
        for name in (*state.fields, state.changes_on)
    )


def changed(*instances: models.Model, today: date | None = None) -> None:
    """Bring up to date what depends on these rows. Call it after saving or deleting them,
    in the same transaction."""
    today = today or timezone.localdate()
    for state in stored_states():
        keys = set()
        for instance in instances:
            find = state.inputs.get(instance._meta.label)
            if find is not None:
                keys.update(key for key in find(instance) if key is not None)
        if keys:
            state.refresh(state.rows().filter(pk__in=keys), today)


def refresh_due(today: date | None = None) -> int:
    """Recompute the rows whose verdict may have changed because days have passed."""
    today = today or timezone.localdate()
    return sum(
        state.refresh(state.rows().filter(**{f"{state.changes_on}__lte": today}), today)
        for state in stored_states()
    )


def inconsistencies(today: date | None = None) -> dict[str, int]:
    """Recompute every stored verdict from its inputs and count, per rule, the rows whose
    stored value differs. Nothing is kept: the writes are rolled back."""
    today = today or timezone.localdate()
    with transaction.atomic():
        found = {str(state): state.refresh(state.rows(), today) for state in stored_states()}
        transaction.set_rollback(True)
    return found


def refresh_all(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(state.refresh(state.rows(), today) for state in stored_states())


_lock = threading.Lock()
_fresh_on: date | None = None


def mark_fresh(day: date | None) -> None:
    """Record that every verdict is up to date for ``day`` in this process."""
    global _fresh_on
    _fresh_on = day


def ensure_fresh(today: date | None = None) -> None:
    """Refresh the verdicts due by today, once a day per process."""
    today = today or timezone.localdate()
    if _fresh_on == today:
        return
    with _lock:
        if _fresh_on == today:
            return
        with transaction.atomic():
            refresh_due(today)
        mark_fresh(today)


class FreshStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ensure_fresh()
        return self.get_response(request)
