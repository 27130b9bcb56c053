from django import forms
from django.contrib import admin

from diaodu.core.admin import HistoryAdminMixin
from diaodu.core.forms import CleanTextMixin
from diaodu.sites import geometry
from diaodu.sites.models import ZoneBoundary


class ZoneBoundaryForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ZoneBoundary
        fields = ["name", "geometry"]
        help_texts = {"geometry": "GeoJSON Polygon or Feature in WGS-84 (longitude, latitude)."}

    def clean_geometry(self):
        [(_name, shape)] = geometry.from_geojson_dict(self.cleaned_data["geometry"])[:1]
        return geometry.to_geojson(shape)


@admin.register(ZoneBoundary)
class ZoneBoundaryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """The zone's one outline, drawn on every map; pasted as GeoJSON (one polygon)."""

    form = ZoneBoundaryForm
    list_display = ["name", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ZoneBoundary.objects.exists()
