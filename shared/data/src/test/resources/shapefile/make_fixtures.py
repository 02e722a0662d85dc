"""Writes the EsriShapefile test archives with pyshp (an independent shapefile writer).

    python3 -m venv /tmp/shp && /tmp/shp/bin/pip install pyshp==3.1.6
    cd shared/data/src/test/resources/shapefile && /tmp/shp/bin/python make_fixtures.py

districts.zip: one Polygon shapefile (a polygon with a hole, a two-part multipolygon, a null shape, a triangle).
multi.zip: extra/stations.shp (PointZ), roads.shp (PolyLine, one record of two parts), towns.shp (MultiPoint).
"""
import datetime
import io
import os
import tempfile
import zipfile

import shapefile


def districts(base):
    w = shapefile.Writer(base, shapeType=shapefile.POLYGON, encoding="utf-8")
    w.field("NAME", "C", size=40)
    w.field("POP", "N", size=10, decimal=0)
    w.field("AREA", "N", size=12, decimal=3)
    w.field("FOUNDED", "D")
    w.field("CAPITAL", "L")
    w.field("RATIO", "F", size=10, decimal=4)
    # outer ring clockwise, hole counter-clockwise (the shapefile convention)
    outer = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]
    hole = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]
    w.poly([outer, hole])
    w.record("Zürich", 421878, 87.880, datetime.date(1262, 6, 1), True, 0.5)
    # two outer rings: a multipolygon
    w.poly([[[20, 20], [20, 21], [21, 21], [21, 20], [20, 20]], [[30, 30], [30, 32.5], [32.5, 32.5], [32.5, 30], [30, 30]]])
    w.record("Twin Isles", None, 2.25, None, False, None)
    w.null()
    w.record("Nowhere", 0, None, datetime.date(2000, 1, 31), None, -1.25)
    w.poly([[[-1.5, -1.5], [-1.5, 1.5], [1.5, -1.5], [-1.5, -1.5]]])
    w.record("Tri", 7, 1.125, datetime.date(1999, 12, 31), True, 1e-3)
    w.close()


def stations(base):
    w = shapefile.Writer(base, shapeType=shapefile.POINTZ, encoding="utf-8")
    w.field("ID", "N", size=5, decimal=0)
    w.field("LABEL", "C", size=20)
    w.pointz(8.5417, 47.3769, 408.0)
    w.record(1, "HB")
    w.pointz(7.4474, 46.948, 540.5)
    w.record(2, "Bern")
    w.close()


def roads(base):
    w = shapefile.Writer(base, shapeType=shapefile.POLYLINE, encoding="utf-8")
    w.field("REF", "C", size=10)
    w.line([[[0, 0], [1, 1], [2, 1]], [[5, 5], [6, 6]]])
    w.record("A1")
    w.close()


def towns(base):
    w = shapefile.Writer(base, shapeType=shapefile.MULTIPOINT, encoding="utf-8")
    w.field("N", "N", size=3, decimal=0)
    w.multipoint([[1, 2], [3, 4], [5.25, 6]])
    w.record(3)
    w.close()


def archive(name, parts):
    with tempfile.TemporaryDirectory() as d:
        with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
            for member, make in parts:
                base = os.path.join(d, member)
                os.makedirs(os.path.dirname(base), exist_ok=True)
                make(base)
                for ext in (".shp", ".shx", ".dbf", ".cpg", ".prj"):
                    if os.path.exists(base + ext):
                        z.write(base + ext, member + ext)


archive("districts.zip", [("districts", districts)])
archive("multi.zip", [("extra/stations", stations), ("roads", roads), ("towns", towns)])
