"""Parcel files: each kind read to the same polygon in WGS-84, and bad files refused with
a message a clerk can act on."""

import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from diaodu.sites import geometry, testfiles


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English; the pages' tests check them translated."""
    with translation.override("en"):
        yield


KINDS = [
    ("parcel.geojson", testfiles.geojson_bytes, "geojson", "一号地块"),
    ("parcel.kml", testfiles.kml_bytes, "kml", "二号地块"),
    ("parcel.zip", testfiles.shapefile_zip_bytes, "shapefile", "三号地块"),
]


@pytest.mark.parametrize(("file_name", "build", "source", "name"), KINDS)
def test_every_kind_of_file_gives_the_same_parcel_in_wgs84(file_name, build, source, name):
    found_source, [(found_name, shape)] = geometry.read_parcels(file_name, build())

    assert (found_source, found_name) == (source, name)
    west, _south, _east, north = shape.bounds
    assert west == pytest.approx(120.2100, abs=1e-7)
    assert north == pytest.approx(30.2091, abs=1e-7)
    assert geometry.m2_to_mu(geometry.area_m2(shape)) == Decimal("26.42")


def test_a_shapefile_in_a_projected_system_is_reprojected_from_its_prj():
    content = testfiles.shapefile_zip_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "Gauss_Kruger" in archive.read("parcel.prj").decode()

    [(_name, shape)] = geometry.read_parcels("land.zip", content)[1]

    assert shape.exterior.coords[0][0] == pytest.approx(120.2100, abs=1e-7)


def _zip(**members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name.replace("_", "."), data)
    return out.getvalue()


def _shapefile_without_prj() -> bytes:
    with zipfile.ZipFile(io.BytesIO(testfiles.shapefile_zip_bytes())) as archive:
        return _zip(
            **{
                n.replace(".", "_"): archive.read(n)
                for n in archive.namelist()
                if not n.endswith(".prj")
            }
        )


def _line_geojson() -> bytes:
    return json.dumps(
        {"type": "LineString", "coordinates": [[120.2, 30.2], [120.3, 30.3]]}
    ).encode()


def _bowtie_geojson() -> bytes:
    bowtie = [[120.20, 30.20], [120.21, 30.21], [120.21, 30.20], [120.20, 30.21], [120.20, 30.20]]
    return json.dumps({"type": "Polygon", "coordinates": [bowtie]}).encode()


BAD_FILES = [
    ("parcel.geojson", b"{not json", "is not GeoJSON"),
    ("parcel.geojson", _line_geojson(), "not an area"),
    ("parcel.geojson", _bowtie_geojson(), "not a valid polygon"),
    ("parcel.geojson", b'{"type": "FeatureCollection", "features": []}', "holds no parcel"),
    ("parcel.kml", b"<kml><Document><Placemark>", "is not KML"),
    ("parcel.zip", b"PK\x03\x04 broken", "not a zip archive"),
    ("parcel.zip", _zip(parcel_shp=b"x"), "must hold a Shapefile"),
    ("parcel.zip", _shapefile_without_prj(), "projected coordinates"),
    ("parcel.dwg", b"AC1027", "none of these"),
]


@pytest.mark.parametrize(("file_name", "content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message(file_name, content, message):
    with pytest.raises(ValidationError) as refused:
        geometry.read_parcels(file_name, content)

    assert message in " ".join(refused.value.messages)


def test_a_zip_that_expands_beyond_the_limit_is_refused_before_it_is_read(settings):
    settings.DIAODU_MAX_UNZIPPED_MB = 1
    bomb = _zip(parcel_shp=b"\0" * (2 * 1024 * 1024), parcel_shx=b"", parcel_dbf=b"")

    with pytest.raises(ValidationError, match="expands to more than 1 MB"):
        geometry.read_parcels("bomb.zip", bomb)


@pytest.mark.parametrize(
    ("land_area", "agrees"),
    [(Decimal("26.42"), True), (Decimal("28"), True), (Decimal("40"), False), (None, True)],
)
def test_a_parcel_and_the_project_land_area_must_agree_within_the_tolerance(
    land_area, agrees, settings
):
    settings.DIAODU_PARCEL_AREA_TOLERANCE = 10

    message = geometry.area_disagreement(Decimal("17611.5"), land_area)

    assert (message == "") is agrees
    if not agrees:
        assert "26.42 mu" in message
        assert "40 mu" in message
        assert "10%" in message


GCOORD = Path(__file__).resolve().parents[3] / "static/vendor/gcoord/gcoord.global.prod.js"
# Published WGS-84 → GCJ-02 pairs: Tiananmen and Beijing railway station (to 5 decimals),
# and a reference point given to 14.
KNOWN_POINTS = [
    ((116.39089, 39.90734), (116.3971, 39.90874), 1e-4),
    ((116.42079, 39.90105), (116.42703, 39.90245), 1e-5),
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164), 1e-9),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the vendored gcoord")
def test_the_vendored_gcoord_moves_known_points_onto_gcj02_and_back():
    script = (
        "const vm = require('vm'); const fs = require('fs'); const ctx = {};"
        f"vm.runInNewContext(fs.readFileSync({json.dumps(str(GCOORD))}, 'utf8'), ctx);"
        "const points = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(points.map(p => {"
        "  const there = ctx.gcoord.transform(p, ctx.gcoord.WGS84, ctx.gcoord.GCJ02);"
        "  return [there, ctx.gcoord.transform(there, ctx.gcoord.GCJ02, ctx.gcoord.WGS84)];"
        "})));"
    )
    points = [list(wgs) for wgs, _gcj, _tolerance in KNOWN_POINTS]
    result = json.loads(
        subprocess.run(
            ["node", "-e", script, json.dumps(points)], capture_output=True, text=True, check=True
        ).stdout
    )

    for (wgs, gcj, tolerance), (there, back) in zip(KNOWN_POINTS, result, strict=True):
        assert there == pytest.approx(list(gcj), abs=tolerance)
        assert back == pytest.approx(list(wgs), abs=1e-6)
