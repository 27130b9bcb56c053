"""The demo zone is on the map: its boundary, every project's point, two parcels that agree
with their land areas and photos of the same spot over three months; loading it again
adds nothing."""

from diaodu import demo
from diaodu.sites import geometry
from diaodu.sites.models import Parcel, Photo, Site, ZoneBoundary
from diaodu.test import TODAY


def test_the_demo_puts_the_zone_on_the_map_once(db, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    demo.load(TODAY)
    demo.load(TODAY)

    assert ZoneBoundary.objects.count() == 1
    assert Site.objects.count() == len(demo.PROJECTS)
    parcels = list(Parcel.objects.select_related("project"))
    assert len(parcels) == 2
    assert all(not geometry.area_disagreement(p.area_m2, p.project.land_area) for p in parcels)
    photos = list(Photo.objects.order_by("taken_at"))
    assert len(photos) == 3
    assert all(photo.has_place for photo in photos)
    assert len({photo.taken_at.month for photo in photos}) == 3
