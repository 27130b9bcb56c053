from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
