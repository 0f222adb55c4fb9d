#!/usr/bin/env python3
"""Resolver accuracy on the geoparsing gold corpora (GeoWebNews, LGL, TR-News, GeoVirus subsets).

For every gold toponym with coordinates, resolves the gold mention text with
`tollmap geocode --context <article text>` and measures the distance to the gold point.
Prints accuracy within 161 km and 10 km and lists every miss with its cause.
Usage: python3 bench/geoparse_eval.py [CORPUS_DIR] [--binary target/release/tollmap]
                                      [--gazetteer-world DIR]
"""
import json
import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

argv = sys.argv[1:]
binary = "target/release/tollmap"
extra = []
positional = []
i = 0
while i < len(argv):
    if argv[i] == "--binary":
        binary = argv[i + 1]
        i += 2
    elif argv[i] == "--gazetteer-world":
        extra = ["--gazetteer-world", argv[i + 1]]
        i += 2
    else:
        positional.append(argv[i])
        i += 1
corpus = Path(positional[0] if positional else "../shared/data/events/geoparsing_corpora_syria")
if not list(corpus.glob("*.xml")):
    sys.exit(f"no *.xml gold corpus in {corpus}")


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def articles():
    """Yields (corpus, article id, text, [(mention, lat, lon)])."""
    for f in sorted(corpus.glob("*.xml")):
        root = ET.parse(f).getroot()
        for i, a in enumerate(root):
            text = a.findtext("text") or ""
            gold = []
            for t in a.iter("toponym"):
                name = t.findtext("extractedName") or t.findtext("phrase")
                lat = t.findtext("latitude") or t.findtext("gaztag/lat")
                lon = t.findtext("longitude") or t.findtext("gaztag/lon")
                if name and lat and lon:
                    gold.append((name.strip(), float(lat), float(lon)))
            for loc in a.iter("location"):
                name, lat, lon = loc.findtext("name"), loc.findtext("lat"), loc.findtext("lon")
                if name and lat and lon:
                    gold.append((name.strip(), float(lat), float(lon)))
            yield f.stem, i, text, gold


total = within161 = within10 = 0
misses = []
per_corpus = {}
for name, i, text, gold in articles():
    if not gold:
        continue
    names = [g[0] for g in gold]
    out = subprocess.run([binary, "geocode", "--format", "jsonl", *extra, "--context", text, "--", *names],
                         capture_output=True, text=True)
    if out.returncode == 2:
        sys.exit(f"{binary} failed: {out.stderr}")
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    for (mention, lat, lon), r in zip(gold, lines):
        total += 1
        c = per_corpus.setdefault(name, [0, 0, 0])
        c[0] += 1
        if r["lat"] is None:
            misses.append((name, i, mention, "unresolved", None, None))
            continue
        d = km((lat, lon), (r["lat"], r["lon"]))
        if d <= 161:
            within161 += 1
            c[1] += 1
        if d <= 10:
            within10 += 1
            c[2] += 1
        if d > 10:
            misses.append((name, i, mention, f"{r['name']} ({r['gazetteer_id']}, {r['kind']}, {r['country']})", round(d), (lat, lon)))

print(f"gold toponyms: {total}")
print(f"within 161 km: {within161} ({100 * within161 / total:.1f}%)")
print(f"within 10 km:  {within10} ({100 * within10 / total:.1f}%)")
for k, (n, a, b) in sorted(per_corpus.items()):
    print(f"  {k}: {n} toponyms, {100 * a / n:.1f}% within 161 km, {100 * b / n:.1f}% within 10 km")
print(f"\nmisses (> 10 km): {len(misses)}")
for m in misses:
    print("  " + "\t".join(str(x) for x in m))
