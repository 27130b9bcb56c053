"""The demo zone on the map: a boundary along the river, every demo project's point, two
parcels that match their projects' land areas, and a site photo with its camera's time and
place. Idempotent, like the rest of the demo."""

import math
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import Polygon

from diaodu.core.attachments import attach
from diaodu.projects.models import Project
from diaodu.sites import geometry, imaging, services
from diaodu.sites.choices import ParcelSource
from diaodu.sites.models import Parcel, Site, ZoneBoundary

# A development zone on the south bank of a river (about 12 × 8 km), WGS-84.
ZONE = [
    (120.140, 30.175),
    (120.200, 30.168),
    (120.262, 30.182),
    (120.268, 30.222),
    (120.236, 30.246),
    (120.176, 30.240),
    (120.145, 30.214),
    (120.140, 30.175),
]
POINTS = {
    "2026-001": (30.2085, 120.2107),
    "2026-002": (30.1962, 120.1728),
    "2026-003": (30.2231, 120.2412),
    "2026-004": (30.1884, 120.2235),
    "2026-005": (30.2147, 120.1583),
    "2026-006": (30.2306, 120.1967),
    "2026-007": (30.1921, 120.2496),
}
PARCELS = ("2026-001", "2026-004")


def _square(latitude: float, longitude: float, mu: Decimal) -> Polygon:
    """A square of ``mu`` 亩 with its south-west corner at the point."""
    side = math.sqrt(float(mu * geometry.SQUARE_METRES_PER_MU))
    dlat = side / 111_320
    dlon = side / (111_320 * math.cos(math.radians(latitude)))
    return Polygon(
        [
            (longitude, latitude),
            (longitude + dlon, latitude),
            (longitude + dlon, latitude + dlat),
            (longitude, latitude + dlat),
        ]
    )


def load(people, today) -> None:
    coordinator = people["xietiaoban"]
    if not ZoneBoundary.objects.exists():
        services.set_zone_boundary(
            "临江经济开发区",
            {"type": "Polygon", "coordinates": [[list(c) for c in ZONE]]},
            actor=coordinator,
        )
    projects = {p.code: p for p in Project.objects.filter(code__in=POINTS)}
    located = set(
        Site.objects.filter(project__in=projects.values()).values_list("project__code", flat=True)
    )
    for code, (latitude, longitude) in POINTS.items():
        if code in projects and code not in located:
            services.set_location(
                projects[code], Decimal(str(latitude)), Decimal(str(longitude)), actor=coordinator
            )
    for code in PARCELS:
        project = projects.get(code)
        if (
            project is None
            or not project.land_area
            or Parcel.objects.filter(project=project).exists()
        ):
            continue
        latitude, longitude = POINTS[code]
        shape = _square(latitude + 0.0004, longitude - 0.0030, project.land_area)
        services.draw_parcel(
            project,
            {
                "type": "Feature",
                "properties": {"name": f"{project.name}地块"},
                "geometry": geometry.to_geojson(shape),
            },
            actor=coordinator,
        )
        Parcel.objects.filter(project=project).update(source=ParcelSource.DRAWN)
    _photos(projects.get("2026-001"), people, today)


def _photos(project, people, today) -> None:
    """Three months of the same spot from the owner's progress reports."""
    if project is None or project.photos.exists():
        return
    reports = list(project.progress_reports.order_by("-period_start")[:3])
    latitude, longitude = POINTS[project.code]
    for months_ago, report in enumerate(reports):
        taken = datetime.combine(today - timedelta(days=30 * months_ago + 3), time(9, 40))
        content = imaging.make_jpeg_with_exif(
            taken_at=taken,
            latitude=latitude + 0.0002,
            longitude=longitude + 0.0003,
            colour=(110 + 30 * months_ago, 150, 110),
            text=f"{taken:%Y-%m-%d}",
        )
        upload = SimpleUploadedFile(f"现场{taken:%Y%m%d}.jpg", content, content_type="image/jpeg")
        attach(report, [upload], actor=report.submitted_by)
