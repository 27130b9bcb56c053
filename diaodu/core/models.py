from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from diaodu.core.choices import ChangeAction


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


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
            try:
                field = model._meta.get_field(name)
            except (AttributeError, FieldDoesNotExist):
                rows.append((name, old, new))
                continue
            labels = dict(field.flatchoices) if field.choices else {}
            rows.append((field.verbose_name, labels.get(old, old), labels.get(new, new)))
        return rows
