from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diaodu.reports.choices import RUNNING_STATUSES, JobKind, JobStatus


class Job(models.Model):
    """Work too long for a request (a large export, a large import) that a background
    task does as its owner: the page polls its progress and offers its file when done.

    ``parameters`` are what the request asked for (the list's filters as lists of values,
    or the import's stored file), so the task runs the very query the page would have.
    A finished file is kept until ``expires_at``; then it is deleted and the job stays,
    marked expired, as the record that it was made."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to="jobs/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=Q(status__in=RUNNING_STATUSES),
                name="reports_job_one_running_per_owner_and_kind",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="reports_job_expiry")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_import(self) -> bool:
        return self.kind in (JobKind.IMPORT_PREVIEW, JobKind.IMPORT_COMMIT)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def ready(self) -> bool:
        """Whether its file can be downloaded now."""
        return (
            self.status == JobStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


class Bulletin(models.Model):
    """An issued monthly dispatch bulletin (调度通报): numbered 第N期 in the zone's yearly
    sequence when issued, and frozen as the .docx sent out."""

    month = models.DateField(_("month"), unique=True, help_text=_("The month's first day."))
    document = models.FileField(_("document"), upload_to="bulletins/%Y/")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="bulletin_number_per_year")
        ]

    def __str__(self):
        return f"{self.year} {self.reference}"

    @property
    def reference(self) -> str:
        """第5期, in the reader's language."""
        return issue_label(self.number)


def issue_label(number) -> str:
    """第5期; ``number`` may be blank space (a draft awaiting its number)."""
    return gettext("Issue %(number)s") % {"number": number}
