"""Every write to landing targets: atomic, with the actor, logged."""

from django.db import transaction

from diaodu.core import history, services
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.landing.models import StageTarget


@transaction.atomic
def set_target(data: dict, *, actor) -> StageTarget:
    return services.create(actor, StageTarget, dict(data))


@transaction.atomic
def update_target(target: StageTarget, changes: dict, *, actor) -> StageTarget:
    services.update(actor, target, changes)
    return target


@transaction.atomic
def remove_target(target: StageTarget, *, actor) -> None:
    """Drop a target (an industry then falls back to the zone-wide one); the log keeps it."""
    history.record(actor, target, ChangeAction.DELETE, before=history.snapshot(target))
    target.delete()


def target_history():
    return (
        ChangeLog.objects.filter(object_type__app_label="landing", object_type__model="stagetarget")
        .select_related("actor", "object_type")
        .order_by("-timestamp", "-pk")
    )
