from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelSource(models.TextChoices):
    DRAWN = "drawn", _("drawn on the map")
    GEOJSON = "geojson", _("GeoJSON file")
    KML = "kml", _("KML file")
    SHAPEFILE = "shapefile", _("zipped Shapefile")
