"""Every write to locations, parcels and photos, with its change-log row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from diaodu.core import history, services
from diaodu.core.choices import ChangeAction
from diaodu.sites import geometry, imaging
from diaodu.sites.choices import ParcelSource
from diaodu.sites.models import Parcel, Photo, Site, ZoneBoundary


@transaction.atomic
def set_location(project, latitude, longitude, *, actor) -> Site:
    site = Site.objects.filter(project=project).first()
    data = {"latitude": latitude, "longitude": longitude}
    if site is None:
        return services.create(actor, Site, {"project": project, **data}, related=project)
    services.update(actor, site, data, related=project)
    return site


def _add_parcel(project, name, shape, source, actor) -> Parcel:
    area = geometry.area_m2(shape)
    parcel = services.create(
        actor,
        Parcel,
        {
            "project": project,
            "name": name,
            "geometry": geometry.to_geojson(shape),
            "area_m2": area,
            "source": source,
        },
        related=project,
    )
    return parcel


def area_warning(project) -> str:
    """Whether the project's parcels together measure what its land area (亩) says."""
    total = sum(parcel.area_m2 for parcel in project.parcels.all())
    return geometry.area_disagreement(total, project.land_area)


@transaction.atomic
def draw_parcel(project, geojson, *, name="", actor) -> tuple[Parcel, str]:
    """A parcel the office drew on the map. Returns it and a warning (empty when the
    parcels together agree with the project's land area)."""
    found = geometry.from_geojson_dict(geojson)
    if not found:
        raise ValidationError(_("Draw the parcel on the map first."))
    found_name, shape = found[0]
    parcel = _add_parcel(project, name or found_name, shape, ParcelSource.DRAWN, actor)
    return parcel, area_warning(project)


@transaction.atomic
def import_parcels(project, file_name: str, content: bytes, *, actor) -> tuple[list, list]:
    """Every parcel of a GeoJSON, KML or zipped Shapefile, or none: a file that cannot be
    read in full raises ValidationError and nothing is saved. Returns (parcels, warnings);
    the area is checked for all of them together against the project's land area."""
    source, found = geometry.read_parcels(file_name, content)
    parcels = [_add_parcel(project, name, shape, source, actor) for name, shape in found]
    warning = area_warning(project)
    return parcels, [warning] if warning else []


@transaction.atomic
def remove_parcel(parcel: Parcel, *, actor) -> None:
    history.record(
        actor, parcel, ChangeAction.DELETE, before=history.snapshot(parcel), related=parcel.project
    )
    parcel.delete()


@transaction.atomic
def set_zone_boundary(name: str, geojson: dict, *, actor) -> ZoneBoundary:
    [(_name, shape)] = geometry.from_geojson_dict(geojson)[:1]
    data = {"name": name, "geometry": geometry.to_geojson(shape)}
    boundary = ZoneBoundary.objects.first()
    if boundary is None:
        return services.create(actor, ZoneBoundary, data)
    services.update(actor, boundary, data)
    return boundary


# The parents whose pictures are photos of a project's site, and the way to the project.
# Only those whose files everyone who sees the project may see: an agreement's scans or an
# enterprise request's files are not site photos and stay behind their own rules.
PHOTO_PARENTS = {
    "projects.progressreport": "project",
    "projects.milestone": "project",
    "problems.problem": "project",
    "problems.problementry": "problem.project",
}


def project_of(parent):
    """The project whose site photo a picture attached to ``parent`` is, if it is one."""
    path = PHOTO_PARENTS.get(parent._meta.label_lower)
    if path is None:
        return None
    for step in path.split("."):
        parent = getattr(parent, step)
    return parent


def record_photo(attachment, parent, upload, *, actor):
    """An image attached to a progress report, a milestone or a problem becomes a photo of
    its project: web copies are made and its EXIF read now, once, rather than at every
    view."""
    if not attachment.mime_type.startswith("image/"):
        return None
    project = project_of(parent)
    if project is None:
        return None
    try:
        image = imaging.open_image(upload)
    except imaging.NotAnImage:
        # Its first bytes said image (``validate_upload``) but it does not decode: it stays
        # a file anyone may download, not a photo on the map.
        return None
    photo = Photo(
        attachment=attachment,
        project=project,
        width=image.width,
        height=image.height,
        uploaded_by=actor,
        uploader_organisation_id=actor.organisation_id,
        **imaging.metadata(image),
    )
    photo.thumbnail.save("t", imaging.resized_jpeg(image, imaging.THUMBNAIL_PX), save=False)
    photo.web.save("w", imaging.resized_jpeg(image, imaging.WEB_PX), save=False)
    photo.save()
    # The project's history is read by everyone who sees the project: the place stays out.
    after = {
        "attachment": attachment.name,
        "taken_at": photo.taken_at.isoformat() if photo.taken_at else None,
    }
    history.record(actor, photo, ChangeAction.CREATE, after=after, related=project)
    return photo
