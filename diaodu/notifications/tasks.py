"""Background delivery through the ``django.tasks`` API (the ``django-tasks`` backport).

Each :class:`~diaodu.notifications.models.Delivery` is one task; a failed attempt queues
the next one to run after its back-off (``run_after``). ``retry_deliveries`` (cron) queues
again what is due but was lost, e.g. while no worker ran.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from diaodu.notifications.choices import DeliveryStatus
from diaodu.notifications.delivery import claim, deliver
from diaodu.notifications.models import Delivery

logger = logging.getLogger(__name__)


@task()
def deliver_task(delivery_id: int) -> str:
    """One attempt at a delivery; returns its status ("skipped" if it was not due or
    another worker had it)."""
    delivery = claim(delivery_id)
    if delivery is None:
        return "skipped"
    if not deliver(delivery) and delivery.status == DeliveryStatus.PENDING:
        enqueue(delivery)
    return delivery.status


def enqueue(delivery: Delivery) -> None:
    """Queue the delivery's next attempt: now, or at its ``next_attempt_at``."""
    run_after = delivery.next_attempt_at
    if run_after is None or run_after <= timezone.now():
        deliver_task.enqueue(delivery.pk)
        return
    if not deliver_task.get_backend().supports_defer:
        # The immediate backend (development) cannot wait; cron's ``retry_deliveries``
        # queues the attempt once it is due.
        logger.info("Delivery %s: next attempt left to retry_deliveries", delivery.pk)
        return
    deliver_task.using(run_after=run_after).enqueue(delivery.pk)


def enqueue_on_commit(delivery_ids: list[int]) -> None:
    """Queue the deliveries once the current transaction commits, so a worker never
    looks for a row that is not there yet, and nothing is sent for a rolled-back action.
    ``robust``: a queue that cannot be written to does not fail the committed request;
    the deliveries stay pending for ``retry_deliveries``."""
    for delivery_id in delivery_ids:
        transaction.on_commit(partial(deliver_task.enqueue, delivery_id), robust=True)


def requeue_due(grace: timedelta = timedelta(minutes=5)) -> int:
    """Queue again every pending delivery whose next attempt has been due for longer
    than ``grace`` (time its own task had to run). Returns how many were queued.

    Idempotent: each delivery queued is marked as due "now", so running this again within
    ``grace`` queues nothing twice. Were a task to run twice anyway, ``claim`` sends once.
    """
    now = timezone.now()
    cutoff = now - grace
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=cutoff)
    queued = 0
    for delivery_id in due.values_list("pk", flat=True).order_by("next_attempt_at"):
        # Only if no worker claimed it meanwhile (a claim moves next_attempt_at ahead).
        if Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=cutoff
        ).update(next_attempt_at=now):
            deliver_task.enqueue(delivery_id)
            queued += 1
    return queued


def retry_now(deliveries) -> int:
    """An administrator's "retry": one more attempt, as soon as a worker is free, for
    each delivery not sent yet (a failed one fails again at once if the attempt fails)."""
    ids = list(deliveries.exclude(status=DeliveryStatus.SENT).values_list("pk", flat=True))
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
        )
        enqueue_on_commit(ids)
    return len(ids)
