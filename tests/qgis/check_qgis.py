"""Real QGIS (PyQGIS, headless) opens a build's GeoPackage and project as a researcher would.

Usage (Debian's python3 with python3-qgis; run by .ci/run):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/check_qgis.py OUT_DIR

Checks:
- every layer of tollmap.gpkg opens valid with its default style from `layer_styles` (not
  QGIS's random single symbol), its fields in the GeoJSON's order;
- tollmap.qgs opens every layer valid and styled, its temporal setting active, the project's
  CRS and time range set;
- the temporal filter of `claims` holds, for every day a claim covers, the claims of
  claims.csv on the map that cover that day, and the filter of `places` for each period its
  rows;
- renders PNGs of the places (alone, and over the governorates) and of the governorate
  choropleth (OUT_DIR/qgis-*.png), none blank.
"""

import csv
import datetime
import json
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, Qt, QTime
from qgis.PyQt.QtGui import QColor

LAYERS = ["claims", "events", "places", "origins", "admin1", "admin2"]


def fail(msg):
    print(f"FAIL qgis: {msg}")
    sys.exit(1)


def geojson_keys(out, layer):
    """The property names of a layer's first feature, in the order written."""
    with open(os.path.join(out, f"{layer}.geojson"), encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=lambda pairs: pairs)
    features = dict(doc)["features"]
    if not features:
        return None
    return [k for k, _ in dict(features[0])["properties"]]


def day(s):
    return datetime.date.fromisoformat(s) if s else None


def utc(d):
    return QDateTime(QDate(d.year, d.month, d.day), QTime(0, 0), Qt.UTC)


def count(layer, expression):
    request = QgsFeatureRequest().setFilterExpression(expression)
    return sum(1 for _ in layer.getFeatures(request))


def main():
    out = sys.argv[1]
    app = QgsApplication([], False)
    app.initQgis()
    gpkg = os.path.join(out, "tollmap.gpkg")

    # The GeoPackage alone: default styles and field order.
    for name in LAYERS:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid():
            fail(f"{name} is not valid")
        kind = layer.renderer().type()
        if kind == "singleSymbol":
            fail(f"{name} opens with a single symbol: no default style")
        fields = [f.name() for f in layer.fields() if f.name() != "fid"]
        keys = geojson_keys(out, name)
        if keys is not None and fields != keys:
            fail(f"{name}: fields {fields[:6]}... not in the GeoJSON's order {keys[:6]}...")
        print(f"ok  {name}: valid, {layer.featureCount()} features, {kind} by default, fields in order")

    # The project.
    project = QgsProject.instance()
    if not project.read(os.path.join(out, "tollmap.qgs")):
        fail("tollmap.qgs does not open")
    if project.crs().authid() != "EPSG:3857":
        fail(f"project CRS {project.crs().authid()}")
    span = project.timeSettings().temporalRange()
    if not span.begin().isValid() or not span.end().isValid():
        fail("the project has no time range")
    by_name = {}
    for node in project.layerTreeRoot().findLayers():
        layer = node.layer()
        if layer is None or not layer.isValid():
            fail(f"project layer {node.name()} is not valid")
        if layer.renderer().type() == "singleSymbol":
            fail(f"project layer {node.name()} is a single symbol")
        if not layer.temporalProperties().isActive():
            fail(f"project layer {node.name()}: no temporal setting")
        by_name[node.name()] = layer
    if sorted(by_name) != sorted(LAYERS):
        fail(f"project layers {sorted(by_name)}")
    print(f"ok  tollmap.qgs: {len(by_name)} layers valid, styled and temporal; "
          f"time {span.begin().toString(Qt.ISODate)} to {span.end().toString(Qt.ISODate)}")

    # Day frames: the claims of claims.csv on the map that cover each day.
    claims = by_name["claims"]
    on_map = set()
    for f in claims.getFeatures():
        on_map.add(f["id"])
    rows = []
    with open(os.path.join(out, "claims.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["id"] in on_map:
                a, b = day(r["date_start"]) or day(r["date_end"]), day(r["date_end"]) or day(r["date_start"])
                if a and b:
                    rows.append((a, b))
    days = sorted({a + datetime.timedelta(n) for a, b in rows for n in range((b - a).days + 1)})
    # Forty days spread over the span at most: each frame is a scan of the layer.
    if len(days) > 40:
        days = [days[i * (len(days) - 1) // 39] for i in range(40)]
    context = QgsVectorLayerTemporalContext()
    context.setLayer(claims)
    props = claims.temporalProperties()
    checked = 0
    for d in days:
        frame = QgsDateTimeRange(utc(d), utc(d + datetime.timedelta(1)), True, False)
        got = count(claims, props.createFilterString(context, frame))
        want = sum(1 for a, b in rows if a <= d <= b)
        if got != want:
            fail(f"day frame {d}: {got} claims, claims.csv has {want}")
        checked += 1
    print(f"ok  claims: the day frames of {checked} days hold the claims of claims.csv that cover them")

    # Period frames: each period's place rows.
    places = by_name["places"]
    periods = {}
    for f in places.getFeatures():
        if f["period"] != "undated":
            periods.setdefault(f["period"], (f["period_start"], f["period_end"], []))[2].append(1)
    context.setLayer(places)
    props = places.temporalProperties()
    for label, (start, end, members) in sorted(periods.items()):
        a, b = start.toPyDate(), end.toPyDate()
        frame = QgsDateTimeRange(utc(a), utc(b + datetime.timedelta(1)), True, False)
        got = count(places, props.createFilterString(context, frame) + f" AND \"period\" = '{label}'")
        if got != len(members):
            fail(f"period {label}: {got} places in its frame, {len(members)} rows")
    print(f"ok  places: {len(periods)} period frames hold their rows")

    # Renders.
    extent = QgsRectangle(3963000, 3800000, 4720000, 4490000)
    # The period with the most killed, as the temporal controller shows it: the places
    # alone (their circles must show), over the choropleth, and the choropleth.
    worst = max(
        (f for f in places.getFeatures() if f["period"] != "undated"),
        key=lambda f: f["killed_low"],
    )
    a, b = worst["period_start"].toPyDate(), worst["period_end"].toPyDate()
    frame = QgsDateTimeRange(utc(a), utc(b + datetime.timedelta(1)), True, False)
    for name, layers, least in [
        ("places-alone", ["places"], 3),
        ("places", ["places", "admin1"], 50),
        ("admin1", ["admin1"], 50),
    ]:
        settings = QgsMapSettings()
        settings.setIsTemporal(True)
        settings.setTemporalRange(frame)
        settings.setLayers([by_name[n] for n in layers])
        settings.setDestinationCrs(project.crs())
        settings.setExtent(extent)
        settings.setOutputSize(QSize(800, 700))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        path = os.path.join(out, f"qgis-{name}.png")
        image.save(path)
        coloured = sum(
            1
            for x in range(0, image.width(), 4)
            for y in range(0, image.height(), 4)
            if QColor(image.pixel(x, y)).name() not in ("#ffffff", "#000000")
        )
        if coloured < least:
            fail(f"{path} is blank ({coloured} coloured samples)")
        print(f"ok  {path} ({worst['period']}): {coloured} coloured samples")
    app.exitQgis()


if __name__ == "__main__":
    main()
