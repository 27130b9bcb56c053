from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin, CleanTextMixin
from diaodu.landing.models import StageTarget
from diaodu.landing.speed import BY_INDUSTRY, BY_YEAR


class StageTargetForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = StageTarget
        fields = ["stage", "industry", "days"]
        help_texts = {"industry": _("Leave empty for the zone-wide target.")}


class SpeedForm(CleanTextMixin, forms.Form):
    """How the landing-speed page groups its summary."""

    by = forms.ChoiceField(
        label=_("compare"),
        choices=[(BY_INDUSTRY, _("by industry")), (BY_YEAR, _("by signing year"))],
        required=False,
    )

    def grouping(self) -> str:
        return (self.is_valid() and self.cleaned_data["by"]) or BY_INDUSTRY


class YearForm(BootstrapMixin, forms.Form):
    """The year an evaluation is for; empty means the latest year with returns."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
