"""Commitments waiting for the office (see ``diaodu.inbox.sources``): a commitment
fulfilled "by hand" is judged only from the records the office makes, so one whose due
date has come with no full fulfilment recorded waits for the office to record it (or to
see that it is broken)."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.agreements import access
from diaodu.agreements.choices import Measure
from diaodu.inbox.sources import Source


def commitments_due(user):
    return (
        access.visible_commitments(user)
        .filter(
            measure=Measure.MANUAL, due_date__lte=timezone.localdate(), fulfilled_on__isnull=True
        )
        .select_related("agreement__project", "department")
        .annotate(waiting_since=F("due_date"))
        .order_by("waiting_since", "pk")
    )


INBOX_SOURCES = [
    Source(
        key="commitments_due",
        label=_("Commitments due, awaiting a fulfilment record"),
        applies=access.can_manage_agreements,
        rule=commitments_due,
        template="inbox/rows/commitment_due.html",
        project=lambda commitment: commitment.agreement.project,
        explanation=_(
            "Commitments fulfilled by hand whose due date has come with no full "
            "fulfilment recorded; the date shown is the due date."
        ),
    ),
]
