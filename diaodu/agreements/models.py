from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side, Unit
from diaodu.core.models import Searchable, TimeStampedModel, VersionedModel
from diaodu.org.choices import OrganisationKind
from diaodu.projects.models import money_validators

# Kinds whose target is a quantity: without an amount and its unit there is nothing to hold
# the committing side to. The other kinds' target is the due date itself.
AMOUNT_KINDS = {
    CommitmentKind.INVESTMENT,
    CommitmentKind.INTENSITY,
    CommitmentKind.OUTPUT,
    CommitmentKind.TAX,
    CommitmentKind.ENERGY,
}
# The units each linked measure can compare against.
MEASURE_UNITS = {
    Measure.INVESTMENT: {Unit.WAN_YUAN, Unit.WAN_YUAN_PER_MU},
    Measure.OUTPUT: {Unit.WAN_YUAN, Unit.WAN_YUAN_PER_MU},
    Measure.TAX: {Unit.WAN_YUAN, Unit.WAN_YUAN_PER_MU},
    Measure.ENERGY: {Unit.TCE},
}


class Agreement(Searchable, TimeStampedModel, VersionedModel):
    """An investment agreement (投资协议) the zone signed with a project's owner. Both
    sides' promises are its commitments; the scanned agreement is attached to it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    number = models.CharField(
        _("agreement number"),
        max_length=50,
        unique=True,
        help_text=_("As printed on the agreement, e.g. LJKF-2026-018."),
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    enterprise = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("enterprise party"),
        on_delete=models.PROTECT,
        related_name="enterprise_agreements",
        limit_choices_to={"kind": OrganisationKind.ENTERPRISE},
    )
    zone_party = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("zone party"),
        on_delete=models.PROTECT,
        related_name="zone_agreements",
        help_text=_("The body that signed for the zone, e.g. the management committee."),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    SEARCH_FIELDS = ("number", "title")

    class Meta:
        verbose_name = _("investment agreement")
        verbose_name_plural = _("investment agreements")
        ordering = ["-signed_on", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("An agreement cannot be signed in the future.")
        if self.enterprise_id and self.enterprise.kind != OrganisationKind.ENTERPRISE:
            errors["enterprise"] = _("The enterprise party must be an enterprise.")
        if self.zone_party_id and self.zone_party.kind == OrganisationKind.ENTERPRISE:
            errors["zone_party"] = _(
                "The zone party must be a body of the zone, not an enterprise."
            )
        if self.pk and self.signed_on:
            early = self.commitments.filter(due_date__lt=self.signed_on).first()
            if early is not None:
                errors["signed_on"] = _(
                    "“%(commitment)s” is due %(date)s, before this signing date."
                ) % {"commitment": early, "date": early.due_date.isoformat()}
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])


class Commitment(Searchable, TimeStampedModel, VersionedModel):
    """One side's promise in an agreement: what, how much (in the unit's base), by when,
    and where its fulfilment is read from. A department's broken promise becomes a problem
    for it (``problem``); an enterprise's is flagged to the office once (``flagged_on``)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    side = models.CharField(_("committing side"), max_length=20, choices=Side.choices)
    department = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The department that committed, when the zone's side did."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    description = models.CharField(_("commitment"), max_length=300)
    target_amount = models.DecimalField(
        _("target"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators,
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, blank=True)
    due_date = models.DateField(_("due date"))
    measure = models.CharField(_("fulfilment measured by"), max_length=20, choices=Measure.choices)
    milestone_kind = models.ForeignKey(
        "projects.MilestoneKind",
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    remedy = models.TextField(
        _("agreed remedy"),
        max_length=2000,
        blank=True,
        help_text=_("What the agreement says follows a breach, e.g. the incentive is withheld."),
    )
    problem = models.OneToOneField(
        "problems.Problem",
        verbose_name=_("problem opened"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitment",
        editable=False,
    )
    flagged_on = models.DateField(
        _("flagged to the office on"), null=True, blank=True, editable=False
    )
    # Stored by ``diaodu.agreements.fulfilment`` whenever an input changes (see
    # ``diaodu.agreements.derived``): the verdict, and the facts its reason is told from,
    # so lists, filters and counts read columns.
    fulfilment = models.CharField(
        _("fulfilment"),
        max_length=20,
        choices=Fulfilment.choices,
        default=Fulfilment.ON_TRACK,
        editable=False,
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True, editable=False)
    measured = models.DecimalField(
        _("measured amount"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    measured_year = models.PositiveIntegerField(
        _("year measured"), null=True, blank=True, editable=False
    )
    state_changes_on = models.DateField(null=True, blank=True, editable=False)

    SEARCH_FIELDS = ("description",)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["department", "due_date"], name="commitment_department"),
            models.Index(fields=["fulfilment", "due_date"], name="commitment_fulfilment"),
            models.Index(fields=["state_changes_on"], name="commitment_changes_on"),
        ]

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        errors = {}
        if self.side == Side.DEPARTMENT and not self.department_id:
            errors["department"] = _("Name the department that made this commitment.")
        if self.side == Side.ENTERPRISE and self.department_id:
            errors["department"] = _("An enterprise's commitment names no department.")
        if self.target_amount is not None and not self.unit:
            errors["unit"] = _("Give the unit of the target.")
        if self.kind in AMOUNT_KINDS and self.target_amount is None:
            errors["target_amount"] = _(
                "A commitment on %(kind)s needs a target amount and its unit."
            ) % {"kind": CommitmentKind(self.kind).label}
        elif self.unit and self.target_amount is None:
            errors["target_amount"] = _("Give the target amount in this unit.")
        units = MEASURE_UNITS.get(self.measure)
        if units and self.unit and self.unit not in units:
            errors["unit"] = _("%(measure)s is compared in %(units)s, not %(unit)s.") % {
                "measure": Measure(self.measure).label,
                "units": " / ".join(str(Unit(u).label) for u in sorted(units)),
                "unit": Unit(self.unit).label,
            }
        elif units and self.target_amount is None and "target_amount" not in errors:
            errors["target_amount"] = _("Give the target to compare %(measure)s with.") % {
                "measure": Measure(self.measure).label
            }
        if self.measure == Measure.MILESTONE and not self.milestone_kind_id:
            errors["milestone_kind"] = _("Choose the milestone whose actual date fulfils this.")
        if self.measure != Measure.MILESTONE and self.milestone_kind_id:
            errors["milestone_kind"] = _("Only a commitment measured by a milestone names one.")
        signed_on = self.agreement.signed_on if self.agreement_id else None
        if self.due_date and signed_on and self.due_date < signed_on:
            errors["due_date"] = _(
                "The due date cannot be before the agreement was signed (%(date)s)."
            ) % {"date": signed_on.isoformat()}
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return f"{self.agreement.get_absolute_url()}#commitment-{self.pk}"

    @property
    def is_department(self) -> bool:
        return self.side == Side.DEPARTMENT

    @property
    def committed_by(self):
        return self.department if self.is_department else self.agreement.enterprise


class FulfilmentRecord(TimeStampedModel):
    """Fulfilment of a hand-measured commitment, recorded with its evidence (attachments):
    e.g. the land handed over on a date, or an incentive paid."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    recorded_on = models.DateField(_("date fulfilled"))
    fulfilled = models.BooleanField(
        _("fulfilled in full"),
        default=True,
        help_text=_("Untick for partial progress; only a full fulfilment meets the commitment."),
    )
    note = models.CharField(_("note"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fulfilment record")
        verbose_name_plural = _("fulfilment records")
        ordering = ["recorded_on", "pk"]

    def __str__(self):
        return f"{self.commitment} · {self.recorded_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.recorded_on and self.recorded_on > timezone.localdate():
            raise ValidationError({"recorded_on": _("A fulfilment cannot be in the future.")})
        if self.commitment_id and self.recorded_on:
            signed_on = self.commitment.agreement.signed_on
            if self.recorded_on < signed_on:
                raise ValidationError(
                    {
                        "recorded_on": _(
                            "A fulfilment cannot be before the agreement was signed (%(date)s)."
                        )
                        % {"date": signed_on.isoformat()}
                    }
                )
