from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import TimeStampedModel
from diaodu.landing.choices import LandingStage


class StageTarget(TimeStampedModel):
    """The zone's target for landing a project: at most ``days`` from signing to a stage,
    for one industry or (no industry) for all."""

    stage = models.CharField(_("stage"), max_length=20, choices=LandingStage.choices)
    industry = models.ForeignKey(
        "projects.Industry",
        verbose_name=_("industry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    days = models.PositiveIntegerField(
        _("days from signing"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )

    class Meta:
        verbose_name = _("landing target")
        verbose_name_plural = _("landing targets")
        ordering = ["industry__sort_order", "industry__name", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "industry"],
                name="stage_target_once",
                violation_error_message=_("There is already a target for this stage and industry."),
            ),
            # NULLs never clash in a unique constraint: the zone-wide row needs its own.
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(industry__isnull=True),
                name="stage_target_zone_once",
                violation_error_message=_("There is already a zone-wide target for this stage."),
            ),
        ]

    def __str__(self):
        scope = self.industry if self.industry_id else _("all industries")
        return f"{self.get_stage_display()} · {scope}"
