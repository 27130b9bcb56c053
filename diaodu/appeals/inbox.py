"""Enterprise requests waiting for someone, as inbox sources: the office's requests to
triage, and the owner's answers to rate. Each is a query over the requests' own state
through ``access``: a request leaves the inbox as soon as anyone entitled has done it."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.appeals import access
from diaodu.appeals.choices import AppealStatus, Satisfaction
from diaodu.appeals.models import AWAITING_RATING, Appeal, with_triage_late


class AppealsToTriage:
    """The office: requests awaiting triage, oldest first, waiting since they were raised."""

    key = "appeals_to_triage"
    label = _("Enterprise requests to triage")
    template = "appeals/_inbox_triage.html"

    def applies_to(self, user) -> bool:
        return access.can_triage_appeals(user)

    def queryset(self, user):
        if not self.applies_to(user):
            return Appeal.objects.none()
        return (
            with_triage_late(access.visible_appeals(user), timezone.localdate())
            .filter(status=AppealStatus.RAISED)
            .select_related("project", "raised_by")
            .annotate(waiting_since=F("raised_at"))
            .order_by("waiting_since", "pk")
        )


class AppealsToRate:
    """The owner: its requests answered, or whose problem is closed, awaiting its rating,
    waiting since that final word."""

    key = "appeals_to_rate"
    label = _("Answers to rate")
    template = "appeals/_inbox_rate.html"
    # The row rates in place: the choices of its menu.
    ratings = Satisfaction.choices

    def applies_to(self, user) -> bool:
        return access.can_raise_appeals(user)

    def queryset(self, user):
        # The office sees every request, but rates none: only the owner's own are its.
        if not self.applies_to(user):
            return Appeal.objects.none()
        return (
            access.visible_appeals(user)
            .filter(AWAITING_RATING)
            .select_related("project", "problem")
            .annotate(waiting_since=F("finished_at"))
            .order_by("waiting_since", "pk")
        )


INBOX_SOURCES = [AppealsToTriage(), AppealsToRate()]
