"""The stored lights of problems and action items (see ``diaodu.core.derived``).

A row's light depends only on its own status, due date and last activity, so each model
is its own only input: the services call ``derived.changed(item)`` after every write.
"""

from datetime import date

from django.db import models

from diaodu.core.derived import StoredState
from diaodu.problems import lights

FIELDS = ("light", "state_changes_on")
#: Rows read and written at a time: memory stays flat over a city's 50,000 problems.
BATCH = 2000


def refresh(queryset: models.QuerySet, today: date) -> int:
    """Recompute the lights of ``queryset``'s rows; write those that differ."""
    rows = queryset.only("pk", "status", "due_date", "last_activity_at", *FIELDS).order_by("pk")
    written, after = 0, 0
    while True:
        batch = list(rows.filter(pk__gt=after)[:BATCH])
        if not batch:
            return written
        stale = []
        for item in batch:
            verdict = (lights.light(item, today), lights.next_change(item, today))
            if (item.light, item.state_changes_on) != verdict:
                item.light, item.state_changes_on = verdict
                stale.append(item)
        if stale:
            queryset.model._base_manager.bulk_update(stale, FIELDS)
            written += len(stale)
        after = batch[-1].pk


def _itself(item) -> list[int]:
    return [item.pk]


STORED_STATES = [
    StoredState(
        model="problems.Problem",
        fields=FIELDS,
        refresh=refresh,
        inputs={"problems.Problem": _itself},
    ),
    StoredState(
        model="problems.ActionItem",
        fields=FIELDS,
        refresh=refresh,
        inputs={"problems.ActionItem": _itself},
    ),
]
