import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from diaodu.core.forms import BootstrapMixin
from diaodu.sites.models import Site


class LocationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["latitude", "longitude"]
        help_texts = {"latitude": _("WGS-84 / CGCS2000 degrees, e.g. 30.274100")}


class ParcelDrawForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    geometry = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Draw the parcel on the map first."),
        },
    )

    def clean_geometry(self):
        try:
            return json.loads(self.cleaned_data["geometry"])
        except ValueError as error:
            raise ValidationError(_("Draw the parcel on the map first.")) from error


class ParcelImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("parcel file"),
        help_text=_("GeoJSON (.geojson), KML (.kml) or a zipped Shapefile (.zip)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DIAODU_MAX_IMPORT_MB * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; a parcel file may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload
