from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diaodu.agreements import targets
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core.attachments import AttachmentsField
from diaodu.core.forms import BootstrapMixin, VersionMixin
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.projects.forms import DateInput


class AgreementForm(BootstrapMixin, forms.ModelForm):
    files = AttachmentsField(label=_("scanned agreement and attachments"))

    class Meta:
        model = Agreement
        fields = ["number", "title", "signed_on", "enterprise", "zone_party", "notes"]
        widgets = {"signed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        active = Organisation.objects.filter(is_active=True)
        self.fields["enterprise"].queryset = active.filter(kind=OrganisationKind.ENTERPRISE)
        self.fields["zone_party"].queryset = active.exclude(kind=OrganisationKind.ENTERPRISE)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("enterprise", project.owner_id)


class AgreementEditForm(VersionMixin, AgreementForm):
    pass


class CommitmentForm(BootstrapMixin, forms.ModelForm):
    # Typed as text so that 3.2亿元 or 300万元/亩 can be given; stored in the unit's base.
    target_amount = forms.CharField(label=_("target"), required=False)

    class Meta:
        model = Commitment
        fields = [
            "side",
            "department",
            "kind",
            "description",
            "target_amount",
            "unit",
            "due_date",
            "measure",
            "milestone_kind",
            "remedy",
        ]
        widgets = {"due_date": DateInput(), "remedy": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.target_note = ""
        self.fields["target_amount"].help_text = gettext(
            "A number in the unit chosen, or with its own unit, e.g. %(examples)s."
        ) % {"examples": targets.EXAMPLES}
        self.fields["department"].queryset = Organisation.objects.departments().filter(
            is_active=True
        )
        if self.instance.pk and not self.is_bound and self.instance.target_amount is not None:
            self.initial["target_amount"] = str(self.instance.target_amount)

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or ""
        text = data.get("target_amount")
        if text and not unit:
            self.add_error("unit", _("Give the unit of the target."))
            data["target_amount"] = None
            return data
        try:
            data["target_amount"], self.target_note = targets.normalise(text, unit)
        except ValidationError as error:
            self.add_error("target_amount", error)
        return data


class CommitmentEditForm(VersionMixin, CommitmentForm):
    pass


class FulfilmentForm(BootstrapMixin, forms.ModelForm):
    files = AttachmentsField(label=_("evidence"), required=True)

    class Meta:
        model = FulfilmentRecord
        fields = ["recorded_on", "fulfilled", "note"]
        widgets = {"recorded_on": DateInput()}

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commitment = commitment
