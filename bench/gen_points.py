#!/usr/bin/env python3
"""N random points in Syria's bounding box with a `count` property (1-20), as one GeoJSON
FeatureCollection with a feature per line, seeded so every run makes the same file.

Usage: python3 bench/gen_points.py N OUT.geojson"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261127)
with open(out, "w", encoding="utf-8") as f:
    f.write('{"type":"FeatureCollection","features":[\n')
    for i in range(n):
        lon = rng.uniform(35.7, 42.4)
        lat = rng.uniform(32.3, 37.3)
        sep = ",\n" if i + 1 < n else "\n"
        f.write(
            '{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%.6f,%.6f]},'
            '"properties":{"count":%d}}%s' % (i + 1, lon, lat, rng.randint(1, 20), sep)
        )
    f.write("]}\n")
print(f"{n} points -> {out}")
