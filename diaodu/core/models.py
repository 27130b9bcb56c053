import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.core.choices import ChangeAction
from diaodu.core.i18n import shown
from diaodu.lib.chinese import search_key


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Searchable(models.Model):
    """Keeps a normalised search key (Simplified + pinyin + initials) of ``SEARCH_FIELDS``,
    computed on save so a search never converts rows at query time."""

    SEARCH_FIELDS: tuple[str, ...] = ()

    search_key = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def search_texts(self) -> list[str]:
        """The texts a search should find this object by, each matched on its own."""
        return [getattr(self, name) or "" for name in self.SEARCH_FIELDS]

    def refresh_search_key(self) -> None:
        """Recompute the key; for writes that bypass ``save`` (``bulk_create``)."""
        self.search_key = search_key(*self.search_texts())


class ChangeLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Changes to ``obj`` itself and to the objects recorded as belonging to it."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(
            models.Q(object_type=content_type, object_id=obj.pk)
            | models.Q(related_type=content_type, related_id=obj.pk)
        )


class ChangeLog(models.Model):
    """One change to one domain object: who made it, when, and the values before and after.

    ``related`` points at the object the change belongs to on screen (a milestone's change
    shows in its project's history), so a history page is one indexed query.
    """

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("object_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    # The object's text in each language, where it differs by language (a milestone's
    # name): see ``history.readable``; ``object_repr`` holds the site's.
    object_label = models.JSONField(null=True, blank=True, editable=False)
    related_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="changelog_object"),
            models.Index(fields=["related_type", "related_id"], name="changelog_related"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def object_text(self) -> str:
        """The object's text in the reader's language (as stored, for older rows)."""
        return shown(self.object_label or self.object_repr)

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(label, before, after) for every field whose value differs, in the reader's
        language: field names become verbose names and choice values their labels."""
        model = self.object_type.model_class()
        before, after = self.before or {}, self.after or {}
        rows = []
        for name in sorted(set(before) | set(after)):
            old, new = before.get(name), after.get(name)
            if old == new:
                continue
            old, new = shown(old), shown(new)
            try:
                field = model._meta.get_field(name)
            except (AttributeError, FieldDoesNotExist):
                rows.append((name, old, new))
                continue
            if field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            rows.append((field.verbose_name, old, new))
        return rows


class VersionedModel(models.Model):
    """Optimistic locking: a form carries the version it was read at, and a save based on
    a stale version is refused (see ``core.services.update_versioned``)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class TimelineEntry(models.Model):
    """One dated entry on an object's timeline: a status change, an update, a feedback.

    Concrete timelines (a problem's, an action item's) add the link to their parent.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    text = models.TextField(_("text"), max_length=4000, blank=True)

    STATUS_CHOICES: type[models.TextChoices]

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def _status_label(self, value: str) -> str:
        return self.STATUS_CHOICES(value).label if value else ""

    @property
    def from_status_label(self) -> str:
        return self._status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._status_label(self.to_status)


def attachment_path(instance, filename):
    # The stored name is random: a user's file name never becomes a path on disk.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a problem, a timeline entry, a progress report.

    Served only through ``core.views.attachment_download``, which asks the parent's
    ``access`` rules first.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    mime_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_parent")]

    def __str__(self):
        return self.name


class DocumentSettings(models.Model):
    """How this zone's official documents (minutes, bulletins) name their issuer and
    whom they go to: one row, edited by administrators, every change logged."""

    issuing_body = models.CharField(
        _("issuing body"),
        max_length=100,
        blank=True,
        help_text=_("Printed in red at the head of minutes and bulletins."),
    )
    minutes_code = models.CharField(
        _("minutes number prefix"),
        max_length=30,
        blank=True,
        help_text=_("Printed before the year in the minutes' number: the office's short code."),
    )
    distribution = models.TextField(
        _("distribution"), blank=True, help_text=_("The organisations the documents go to.")
    )
    copy_to = models.TextField(_("copy to"), blank=True, help_text=_("The organisations copied."))

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "DocumentSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()

    @property
    def issuer(self) -> str:
        return self.issuing_body or str(_("Key Project Coordination Office"))


class DocumentSequence(models.Model):
    """The last number given in one series of official documents (minutes 〔2026〕N号,
    bulletins 第N期) in one year. An installation serves one zone, so a series and a year
    name one sequence; numbers are drawn by ``core.services.next_number``."""

    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="document_sequence_once")
        ]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"


class CalendarDay(models.Model):
    """A day the office sets as a holiday or as a working day (调休), for years the
    holiday package does not cover yet or where it is wrong."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_(
            "Ticked for a weekend worked in exchange for a holiday; unticked for a holiday."
        ),
    )
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}".strip()
