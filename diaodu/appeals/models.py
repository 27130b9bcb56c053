from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.appeals.choices import AppealEntryKind, AppealStatus, Satisfaction
from diaodu.core.models import Searchable, TimelineEntry, TimeStampedModel, VersionedModel
from diaodu.problems.choices import Category


class Appeal(Searchable, TimeStampedModel, VersionedModel):
    """An enterprise's request (企业诉求): an owner asks the zone for help on one of its
    projects, and the office triages it within a stated time — turns it into a problem
    for the departments, merges it into an open problem of the project, or answers it.
    The owner follows it to the end and rates the answer (政企同心)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.RAISED
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    triage_due = models.DateField(_("triage due"))
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="appeals",
        null=True,
        blank=True,
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    # When the owner got its final word: the answer, or its problem's closing. Stored by
    # the services that answer and that follow the problem, so "awaiting the owner's
    # rating" is one indexed condition.
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"),
        choices=Satisfaction.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("comment on the answer"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    SEARCH_FIELDS = ("title",)

    class Meta:
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "raised_at"], name="appeal_status_raised"),
            models.Index(fields=["project", "status"], name="appeal_project_status"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("appeals:appeal_detail", args=[self.pk])

    @property
    def awaits_triage(self) -> bool:
        return self.status == AppealStatus.RAISED

    def triage_overdue(self, today) -> bool:
        return self.awaits_triage and self.triage_due < today

    @property
    def triaged_late(self) -> bool:
        return self.triaged_at is not None and timezone.localdate(self.triaged_at) > self.triage_due

    @property
    def awaits_rating(self) -> bool:
        return self.finished_at is not None and self.rating is None


def triage_overdue_q(today) -> Q:
    return Q(status=AppealStatus.RAISED, triage_due__lt=today)


def with_triage_late(queryset, today):
    """Each request annotated ``triage_late``: awaiting triage past its due date."""
    return queryset.annotate(
        triage_late=ExpressionWrapper(triage_overdue_q(today), output_field=BooleanField())
    )


AWAITING_RATING = Q(finished_at__isnull=False, rating__isnull=True)


class AppealEntry(TimelineEntry):
    """One step of a request's life, as its owner sees it on the request's page."""

    STATUS_CHOICES = AppealStatus

    appeal = models.ForeignKey(
        Appeal,
        verbose_name=_("enterprise request"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppealEntryKind.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("enterprise request timeline entry")
        verbose_name_plural = _("enterprise request timeline")

    def __str__(self):
        return f"{self.appeal} · {self.get_kind_display()}"

    @property
    def rating_label(self) -> str:
        """The satisfaction a rating's entry records, in the reader's language (a request
        is rated once, so the request's rating is the entry's)."""
        if self.kind != AppealEntryKind.RATED or self.appeal.rating is None:
            return ""
        return self.appeal.get_rating_display()
