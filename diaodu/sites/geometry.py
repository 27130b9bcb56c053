"""Parcels from the files land offices hand out, and their areas.

Every reader returns ``[(name, shapely polygon in WGS-84)]`` or raises ``ValidationError``
with a message a clerk can act on. Areas are geodesic (pyproj's ``Geod`` on the WGS-84
ellipsoid), which is what a metric projection approximates, without choosing a zone.
"""

import io
import json
import struct
import zipfile
from decimal import Decimal

import shapefile
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from fastkml import KML, Placemark
from fastkml.utils import find_all
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError
from shapely import wkt
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

SQUARE_METRES_PER_MU = Decimal("666.67")
_GEOD = Geod(ellps="WGS84")
WGS84 = CRS.from_epsg(4326)


def m2_to_mu(area_m2) -> Decimal:
    return (Decimal(area_m2) / SQUARE_METRES_PER_MU).quantize(Decimal("0.01"))


def area_m2(geometry) -> Decimal:
    area, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return Decimal(abs(area)).quantize(Decimal("0.1"))


def to_geojson(geometry) -> dict:
    return json.loads(json.dumps(mapping(geometry)))


def area_disagreement(parcel_m2, land_area_mu) -> str:
    """A message when the parcels' area and their project's land area differ by more than
    the tolerance; empty when they agree or the project has no land area to compare with."""
    if not land_area_mu:
        return ""
    parcel_mu = m2_to_mu(parcel_m2)
    difference = abs(parcel_mu - land_area_mu) / land_area_mu * 100
    if difference <= settings.DIAODU_PARCEL_AREA_TOLERANCE:
        return ""
    return _(
        "The project's parcels measure %(parcel)s mu in all, but its land area is "
        "%(project)s mu (%(difference)s%% apart, more than the %(tolerance)s%% allowed). "
        "Check the parcel boundaries or the project's land area."
    ) % {
        "parcel": parcel_mu,
        "project": land_area_mu,
        "difference": round(difference),
        "tolerance": settings.DIAODU_PARCEL_AREA_TOLERANCE,
    }


def polygon(geometry, name=""):
    """A valid polygon or multipolygon in longitude/latitude range, or ValidationError."""
    if not isinstance(geometry, (Polygon, MultiPolygon)):
        raise ValidationError(
            _("%(name)s is a %(kind)s, not an area: a parcel must be a polygon.")
            % {"name": name or _("A shape"), "kind": geometry.geom_type}
        )
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(
            _("%(name)s is not a valid polygon (its edges cross or it has no area).")
            % {"name": name or _("A shape")}
        )
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationError(
            _(
                "%(name)s lies outside longitude and latitude: the file is in projected "
                "coordinates without a .prj saying which."
            )
            % {"name": name or _("A shape")}
        )
    return geometry


def from_geojson_dict(data) -> list:
    """Polygons from a GeoJSON geometry, Feature or FeatureCollection (RFC 7946: WGS-84)."""
    if not isinstance(data, dict):
        raise ValidationError(_("The file is not GeoJSON."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    parcels = []
    for feature in features:
        properties = (feature or {}).get("properties") or {}
        name = str(properties.get("name") or properties.get("NAME") or "")[:100]
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValidationError(_("A feature in the file has no readable geometry.")) from error
        parcels.append((name, polygon(geometry, name)))
    return parcels


def read_geojson(content: bytes) -> list:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(_("The file is not GeoJSON.")) from error
    return from_geojson_dict(data)


def read_kml(content: bytes) -> list:
    """Polygons of a KML file's placemarks (KML is always WGS-84)."""
    try:
        document = KML.from_string(content, strict=False)
        placemarks = list(find_all(document, of_type=Placemark))
    except Exception as error:  # fastkml and lxml raise many kinds for a broken file
        raise ValidationError(_("The file is not KML.")) from error
    parcels = []
    for placemark in placemarks:
        if placemark.geometry is None:
            continue
        name = (placemark.name or "")[:100]
        # fastkml's geometries are pygeoif ones; WKT is the common language with shapely.
        geometry = wkt.loads(placemark.geometry.wkt)
        geometry = shapely.force_2d(geometry)
        parcels.append((name, polygon(geometry, name)))
    return parcels


def read_shapefile_zip(content: bytes) -> list:
    """Polygons of the first .shp in a zip, reprojected to WGS-84 from its .prj (none:
    assumed WGS-84, and checked to be longitude/latitude)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(_("The file is not a zip archive.")) from error
    limit = settings.DIAODU_MAX_UNZIPPED_MB * 1024 * 1024
    if sum(member.file_size for member in members) > limit:
        raise ValidationError(
            _("The zip archive expands to more than %(limit)s MB.")
            % {"limit": settings.DIAODU_MAX_UNZIPPED_MB}
        )
    by_extension = {}
    for member in members:
        stem, _dot, extension = member.filename.rpartition(".")
        if "__MACOSX" not in member.filename:
            by_extension.setdefault(extension.lower(), (stem, member))
    if "shp" not in by_extension or "dbf" not in by_extension or "shx" not in by_extension:
        raise ValidationError(
            _("The zip archive must hold a Shapefile: its .shp, .shx and .dbf files.")
        )

    def read(extension):
        return io.BytesIO(archive.read(by_extension[extension][1]))

    source_crs = WGS84
    if "prj" in by_extension:
        try:
            source_crs = CRS.from_wkt(
                archive.read(by_extension["prj"][1]).decode("utf-8", "replace")
            )
        except CRSError as error:
            raise ValidationError(_("The .prj file names no coordinate system we know.")) from error
    try:
        reader = shapefile.Reader(
            shp=read("shp"),
            shx=read("shx"),
            dbf=read("dbf"),
            encoding=_dbf_encoding(archive, by_extension),
        )
        records = list(reader.iterShapeRecords())
        field_names = [field[0] for field in reader.fields[1:]]
    except (shapefile.ShapefileException, ValueError, OSError, struct.error) as error:
        raise ValidationError(_("The Shapefile cannot be read.")) from error
    to_wgs84 = Transformer.from_crs(source_crs, WGS84, always_xy=True)
    parcels = []
    for shape_record in records:
        attributes = dict(zip(field_names, shape_record.record, strict=False))
        name = str(
            attributes.get("name") or attributes.get("NAME") or attributes.get("DKMC") or ""
        )[:100]
        geometry = shape(shape_record.shape.__geo_interface__)
        if source_crs != WGS84:
            geometry = shapely.transform(geometry, to_wgs84.transform, interleaved=False)
        parcels.append((name, polygon(geometry, name)))
    return parcels


def _dbf_encoding(archive, by_extension) -> str:
    """The .cpg names the attribute table's encoding; Chinese land offices' files without
    one are usually GBK."""
    if "cpg" in by_extension:
        return archive.read(by_extension["cpg"][1]).decode("ascii", "replace").strip() or "gbk"
    return "gbk"


READERS = {
    "geojson": read_geojson,
    "json": read_geojson,
    "kml": read_kml,
    "zip": read_shapefile_zip,
}


def read_parcels(name: str, content: bytes) -> tuple[str, list]:
    """(source kind, parcels) of an uploaded file, chosen by its extension."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in READERS:
        raise ValidationError(
            _("Import a .geojson, .kml or zipped Shapefile (.zip); %(name)s is none of these.")
            % {"name": name}
        )
    parcels = READERS[extension](content)
    if not parcels:
        raise ValidationError(_("The file holds no parcel."))
    source = {"json": "geojson", "zip": "shapefile"}.get(extension, extension)
    return source, parcels
