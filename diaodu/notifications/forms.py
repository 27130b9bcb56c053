from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin, CleanTextMixin
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.models import WebhookEndpoint


class PreferenceForm(BootstrapMixin, forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Also send my notifications by e-mail"), required=False
    )


class WebhookEndpointForm(CleanTextMixin, forms.ModelForm):
    """The administrator's form: events as checkboxes rather than raw JSON."""

    url = WebhookEndpoint._meta.get_field("url").formfield(assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "organisation", "url", "secret", "events", "is_active"]
