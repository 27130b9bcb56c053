"""Where projects are: a point, the parcels of land they stand on, and photos from the
ground. Coordinates are stored in one datum, WGS-84 (CGCS2000 agrees with it to within
centimetres), as GeoJSON; a base map in GCJ-02 is converted to in the browser only."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import TimeStampedModel
from diaodu.sites.choices import ParcelSource


def latitude_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
        **kwargs,
    )


def longitude_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
        **kwargs,
    )


class Site(TimeStampedModel):
    """A project's point on the map (WGS-84): where its marker, problems and photos sit."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="site"
    )
    latitude = latitude_field(_("latitude"))
    longitude = longitude_field(_("longitude"))

    class Meta:
        verbose_name = _("project location")
        verbose_name_plural = _("project locations")

    def __str__(self):
        return f"{self.project} ({self.latitude}, {self.longitude})"


class Parcel(TimeStampedModel):
    """A parcel of land (地块) a project stands on: a polygon in WGS-84 GeoJSON and its
    area in square metres, computed on the ellipsoid when it is saved."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="parcels",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    geometry = models.JSONField(_("boundary"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=14, decimal_places=1)
    source = models.CharField(_("source"), max_length=20, choices=ParcelSource.choices)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["project", "pk"]

    def __str__(self):
        return self.name or str(_("parcel %(number)s") % {"number": self.pk})

    @property
    def area_mu(self) -> Decimal:
        from diaodu.sites.geometry import m2_to_mu

        return m2_to_mu(self.area_m2)


class ZoneBoundary(TimeStampedModel):
    """The zone's outline, drawn on every map so a plain background still reads as a place."""

    name = models.CharField(_("name"), max_length=100)
    geometry = models.JSONField(_("boundary"))

    class Meta:
        verbose_name = _("zone boundary")
        verbose_name_plural = _("zone boundaries")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def photo_path(instance, filename):
    # Random names, like attachments: nothing a user typed becomes a path.
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """An image attachment seen as a photo of a site: its thumbnail and web-sized copy
    (re-encoded, so they carry no EXIF), and the time and place its camera recorded.

    The original stays an ``Attachment`` with its EXIF; only people who may see the
    place (``access.can_see_photo_place``) are given the coordinates."""

    attachment = models.OneToOneField(
        "core.Attachment", verbose_name=_("file"), on_delete=models.CASCADE, related_name="photo"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    web = models.FileField(_("web copy"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    latitude = latitude_field(_("latitude"), null=True, blank=True)
    longitude = longitude_field(_("longitude"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    uploader_organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["project", "uploaded_at"], name="photo_project_time")]

    def __str__(self):
        return self.attachment.name

    @property
    def when(self):
        """When the photo was taken if the camera said so, else when it was uploaded."""
        return self.taken_at or self.uploaded_at

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None
