"""The stored lights of problems and action items (see ``diaodu.core.derived``).

A row's light depends only on its own status, due date and last activity, so each model
is its own only input: the services call ``derived.changed(item)`` after every write.
"""

from datetime import date

from django.db import models

from diaodu.core.derived import StoredState, rewrite
from diaodu.problems import lights

FIELDS = ("light", "state_changes_on")
#: Rows read and written at a time: memory stays flat over a city's 50,000 problems.
BATCH = 2000


def refresh(queryset: models.QuerySet, today: date) -> int:
    """Recompute the lights of ``queryset``'s rows; write those that differ."""
    return rewrite(
        queryset.only("pk", "status", "due_date", "last_activity_at", *FIELDS),
        FIELDS,
        lambda items: (
            {
                "light": lights.light(item, today),
                "state_changes_on": lights.next_change(item, today),
            }
            for item in items
        ),
        batch=BATCH,
    )


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
