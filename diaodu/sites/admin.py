from django import forms
from django.contrib import admin

from diaodu.sites import geometry, services
from diaodu.sites.models import ZoneBoundary


class ZoneBoundaryForm(forms.ModelForm):
    class Meta:
        model = ZoneBoundary
        fields = ["name", "geometry"]
        help_texts = {"geometry": "GeoJSON Polygon or Feature in WGS-84 (longitude, latitude)."}

    def clean_geometry(self):
        [(_name, shape)] = geometry.from_geojson_dict(self.cleaned_data["geometry"])[:1]
        return geometry.to_geojson(shape)


@admin.register(ZoneBoundary)
class ZoneBoundaryAdmin(admin.ModelAdmin):
    """The zone's one outline, drawn on every map; pasted as GeoJSON (one polygon)."""

    form = ZoneBoundaryForm
    list_display = ["name", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ZoneBoundary.objects.exists()

    def save_model(self, request, obj, form, change):
        # Through the service, so the change is logged like any other.
        saved = services.set_zone_boundary(obj.name, obj.geometry, actor=request.user)
        obj.pk = saved.pk
