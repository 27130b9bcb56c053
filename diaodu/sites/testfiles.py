"""Parcel files as land offices hand them out, built with the same libraries that read
them: for the tests, the browser journeys and the demo. A parcel near the zone's centre,
given as its corners' (longitude, latitude) in WGS-84."""

import io
import json
import zipfile

import pygeoif
import shapefile
from fastkml import KML, Document, Placemark
from pyproj import CRS, Transformer

#: About 150 m × 120 m (≈ 27 mu) in Hangzhou's Binjiang.
PARCEL = [(120.2100, 30.2080), (120.2115, 30.2080), (120.2115, 30.2091), (120.2100, 30.2091)]
#: CGCS2000 / 3-degree Gauss-Kruger CM 120E: what a Chinese land survey hands out.
CGCS2000_GK_120E = 4549


def ring(corners=PARCEL):
    return [*corners, corners[0]]


def geojson_bytes(corners=PARCEL, name="一号地块") -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[list(c) for c in ring(corners)]],
                    },
                }
            ],
        },
        ensure_ascii=False,
    ).encode()


def kml_bytes(corners=PARCEL, name="二号地块") -> bytes:
    placemark = Placemark(name=name, geometry=pygeoif.Polygon(ring(corners)))
    return KML(features=[Document(features=[placemark])]).to_string(prettyprint=True).encode()


def shapefile_zip_bytes(corners=PARCEL, name="三号地块", epsg=CGCS2000_GK_120E) -> bytes:
    """A zipped Shapefile in a projected system (metres) with its .prj, GBK attributes and
    a .cpg saying so, as survey offices' files come."""
    to_projected = Transformer.from_crs(4326, epsg, always_xy=True)
    points = [to_projected.transform(x, y) for x, y in ring(corners)]
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(
        shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="gbk"
    ) as writer:
        writer.field("DKMC", "C", size=50)
        # Shapefile rings run clockwise.
        writer.poly([list(reversed(points))])
        writer.record(name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("parcel.shp", shp.getvalue())
        archive.writestr("parcel.shx", shx.getvalue())
        archive.writestr("parcel.dbf", dbf.getvalue())
        archive.writestr("parcel.prj", CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
        archive.writestr("parcel.cpg", "GBK")
    return out.getvalue()
