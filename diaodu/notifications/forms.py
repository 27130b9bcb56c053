from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin


class PreferenceForm(BootstrapMixin, forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Also send my notifications by e-mail"), required=False
    )
