#!/usr/bin/env python3
"""Checks admin1.geojson of a build on the UCDP GED subset against an independent group-by:
each event of the CSV is put in a governorate by a plain ray-casting point-in-polygon test
on OCHA's full-resolution boundaries (not tollmap's simplified outlines, not its code), and
the deaths are summed per governorate.

Usage: python3 tests/gdal/ucdp_governorates.py UCDP.csv ADM1_BOUNDARIES.geojson OUT_DIR
Passes when the total of places.geojson and of admin1.geojson each equal the file's total
deaths, and the governorates rank in the same order both ways."""
import csv
import json
import sys

ucdp, boundaries, out = sys.argv[1:4]


def best(row):
    for k in ("best", "best_computed"):
        if row.get(k):
            return int(row[k])
    return sum(int(row[k] or 0) for k in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"))


def inside(x, y, ring):
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    return geom["coordinates"]


areas = []
for f in json.load(open(boundaries, encoding="utf-8"))["features"]:
    polys = polygons(f["geometry"])
    xs = [c[0] for p in polys for c in p[0]]
    ys = [c[1] for p in polys for c in p[0]]
    areas.append((f["properties"]["adm1_name"], polys, (min(xs), min(ys), max(xs), max(ys))))


def governorate(x, y):
    for name, polys, (x0, y0, x1, y1) in areas:
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        for p in polys:
            if inside(x, y, p[0]) and not any(inside(x, y, h) for h in p[1:]):
                return name
    return None


expected = {}
total = 0
outside = 0
for row in csv.DictReader(open(ucdp, encoding="utf-8")):
    n = best(row)
    total += n
    g = governorate(float(row["longitude"]), float(row["latitude"]))
    if g is None:
        outside += n
        continue
    expected[g] = expected.get(g, 0) + n


def layer_sum(name, by=None):
    sums = {}
    t = 0
    for f in json.load(open(f"{out}/{name}", encoding="utf-8"))["features"]:
        p = f["properties"]
        t += p["killed_low"]
        if by:
            sums[p[by]] = sums.get(p[by], 0) + p["killed_low"]
    return t, sums


places_total, _ = layer_sum("places.geojson")
admin1_total, found = layer_sum("admin1.geojson", "name")
rank = lambda d: [k for k, _ in sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))]
print(f"file total {total} deaths; places.geojson {places_total}; admin1.geojson {admin1_total}")
print(f"{outside} deaths at points outside every full-resolution governorate")
print(f"{'governorate':<14} {'group-by':>9} {'tollmap':>9}")
for g in rank(expected):
    print(f"{g:<14} {expected[g]:>9} {found.get(g, 0):>9}")
ok = places_total == total and admin1_total == total and rank(expected) == rank(found)
print("ranking:", "same" if rank(expected) == rank(found) else "DIFFERENT")
sys.exit(0 if ok else 1)
