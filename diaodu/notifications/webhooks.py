"""What an event posted to a :class:`~diaodu.notifications.models.WebhookEndpoint` says
(``delivery.signature_header`` signs it).

The payload names the event (``type``), gives it an ``id`` that stays the same on every
retry (receivers use it to ignore a delivery they already have), the object's fields as
the change log records them, and the link to its page.
"""

import uuid

from django.utils import timezone

from diaodu.core import history
from diaodu.notifications.delivery import absolute_url


def _project(obj):
    # A project is its own project; problems, milestones and action items point to one.
    return obj if hasattr(obj, "owner_id") else getattr(obj, "project", None)


def page_url(obj) -> str:
    """The object's page, or its project's for objects without one (milestones)."""
    for candidate in (obj, _project(obj)):
        if candidate is not None and hasattr(candidate, "get_absolute_url"):
            return candidate.get_absolute_url()
    return ""


def organisations_of(obj) -> set[int]:
    """Ids of the organisations an event about ``obj`` concerns: its project's owner and
    lead department, and the departments (or meeting organisations) it names."""
    ids = set()
    project = _project(obj)
    if project is not None:
        ids |= {project.owner_id, project.lead_department_id}
    ids.add(getattr(obj, "lead_department_id", None))
    for name in ("cooperating_departments", "organisations"):
        if hasattr(obj, name):
            ids |= set(getattr(obj, name).values_list("pk", flat=True))
    ids.discard(None)
    return ids


def payload(event: str, obj, actor=None) -> dict:
    project = _project(obj)
    return {
        "id": str(uuid.uuid4()),
        "type": event,
        "occurred_at": timezone.now().isoformat(),
        "actor": {"id": actor.pk, "name": str(actor)} if actor is not None else None,
        "object": {
            "type": obj._meta.label_lower,
            "id": obj.pk,
            "name": str(obj),
            "url": absolute_url(page_url(obj)),
            "fields": history.snapshot(obj),
        },
        "project": (
            {"id": project.pk, "code": project.code, "name": project.name}
            if project is not None
            else None
        ),
    }
