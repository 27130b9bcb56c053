"""What the map shows, as GeoJSON in WGS-84: one query per layer, whatever the number of
projects, through the same access rules and project filters as the project list."""

from collections import defaultdict

from django.conf import settings

from diaodu.projects.access import visible_projects
from diaodu.projects.choices import Health, Stage
from diaodu.projects.filters import ProjectFilter
from diaodu.sites.access import photo_place_filter
from diaodu.sites.models import Parcel, Photo, Site, ZoneBoundary

HEALTH_COLOURS = {
    Health.ON_TRACK: "#198754",
    Health.AT_RISK: "#b58100",
    Health.DELAYED: "#dc3545",
}


def filtered_projects(request):
    """The projects the reader may see, narrowed by the project list's filters."""
    return ProjectFilter(request.GET, queryset=visible_projects(request.user), request=request)


def _feature(geometry, properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(longitude, latitude):
    return {"type": "Point", "coordinates": [float(longitude), float(latitude)]}


def land_grades(projects) -> dict[int, str]:
    """The latest year's land-efficiency grade (亩均 A-D) of the projects evaluated."""
    from diaodu.landing import evaluation

    years = evaluation.years(projects)
    if not years:
        return {}
    return {row.project.pk: row.grade for row in evaluation.evaluation(projects, years[0])}


def map_data(request, projects) -> dict:
    """A FeatureCollection: a point per project with a location (``layer: project``), its
    parcels (``layer: parcel``) and photos with a place the reader may see
    (``layer: photo``)."""
    stage_labels = dict(Stage.choices)
    health_labels = dict(Health.choices)
    rows = (
        projects.filter(site__isnull=False)
        .values(
            "pk",
            "code",
            "name",
            "stage",
            "health",
            "site__latitude",
            "site__longitude",
            "open_problems",
            "pending_approvals",
        )
        .order_by("code")
    )
    grades = land_grades(projects)
    features = [
        _feature(
            _point(row["site__longitude"], row["site__latitude"]),
            {
                "layer": "project",
                "id": row["pk"],
                "code": row["code"],
                "name": row["name"],
                "stage": row["stage"],
                "stage_label": str(stage_labels.get(row["stage"], row["stage"])),
                "health": row["health"],
                "health_label": str(health_labels.get(row["health"], row["health"])),
                "colour": HEALTH_COLOURS.get(row["health"], "#6c757d"),
                "open_problems": row["open_problems"],
                "pending_approvals": row["pending_approvals"],
                "land_grade": grades.get(row["pk"], ""),
            },
        )
        for row in rows
    ]
    parcels = Parcel.objects.filter(project__in=projects.values("pk")).values(
        "pk", "project_id", "name", "geometry", "area_m2"
    )
    features += [
        _feature(
            parcel["geometry"],
            {
                "layer": "parcel",
                "id": parcel["pk"],
                "project": parcel["project_id"],
                "name": parcel["name"],
                "area_m2": float(parcel["area_m2"]),
            },
        )
        for parcel in parcels
    ]
    photos = (
        Photo.objects.filter(project__in=projects.values("pk"), latitude__isnull=False)
        .filter(photo_place_filter(request.user))
        .values("pk", "project_id", "latitude", "longitude", "taken_at", "uploaded_at")
        .order_by("-uploaded_at")[:500]
    )
    features += [
        _feature(
            _point(photo["longitude"], photo["latitude"]),
            {
                "layer": "photo",
                "id": photo["pk"],
                "project": photo["project_id"],
                "taken": (photo["taken_at"] or photo["uploaded_at"]).isoformat(),
            },
        )
        for photo in photos
    ]
    return {"type": "FeatureCollection", "datum": "wgs84", "features": features}


def zone_boundary() -> dict | None:
    boundary = ZoneBoundary.objects.first()
    if boundary is None:
        return None
    return _feature(boundary.geometry, {"layer": "zone", "name": boundary.name})


def base_map() -> dict:
    """The map's base layer for the page's data attributes (read by static/js/map.js)."""
    return {
        "tiles": settings.DIAODU_TILE_URL.replace("{key}", settings.DIAODU_TILE_KEY),
        "datum": settings.DIAODU_TILE_DATUM,
        "attribution": settings.DIAODU_TILE_ATTRIBUTION,
    }


def site_features(project, site, parcels, zone) -> dict:
    """A project's point and parcels as a FeatureCollection, plus the zone's boundary."""
    features = [
        {
            "type": "Feature",
            "geometry": parcel.geometry,
            "properties": {"layer": "parcel", "name": str(parcel)},
        }
        for parcel in parcels
    ]
    if site is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(site.longitude), float(site.latitude)],
                },
                "properties": {"layer": "project", "name": project.name, "colour": "#0d6efd"},
            }
        )
    return {"type": "FeatureCollection", "features": features, "zone": zone}


def project_sites(projects, photos) -> dict:
    """Each project's place for ``sites/_project_site.html``, for many projects at once (a
    meeting's big screen): three queries however many projects. ``photos`` maps a project's
    id to the photos the reader may see of it, already fetched."""
    ids = [project.pk for project in projects]
    sites = {site.project_id: site for site in Site.objects.filter(project_id__in=ids)}
    parcels = defaultdict(list)
    for parcel in Parcel.objects.filter(project_id__in=ids):
        parcels[parcel.project_id].append(parcel)
    zone, base = zone_boundary(), base_map()
    return {
        project.pk: {
            "features": site_features(project, sites.get(project.pk), parcels[project.pk], zone),
            "located": project.pk in sites or bool(parcels[project.pk]),
            "photos": photos.get(project.pk, []),
            "base_map": base,
        }
        for project in projects
    }
