#!/usr/bin/env python3
"""A large claims table in tollmap's own `claims.csv` columns, for the aggregation benchmark.

Usage: python3 bench/gen_claims.py N OUT.csv

Claims are spread over the bundled gazetteer's Syrian villages, towns and cities (weighted
towards the big ones), 2011-2019, one to three outlets per event (so that grouping has work to
do), with killed, wounded and captured counts and victims categories. Deterministic (seeded)."""
import csv
import random
import sys
from datetime import date, timedelta

n = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(42)

places = []
with open("gazetteer/places.tsv", encoding="utf-8") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        if row["country"] == "SY" and row["kind"] in ("village", "town", "city") and row["admin1"]:
            w = 50 if row["kind"] == "city" else 5 if row["kind"] == "town" else 1
            places.append((row, w))
weights = [w for _, w in places]
victims = ["civilians", "pro_government", "opposition", "jihadist", "kurdish_forces", "unknown"]
outcomes = ["killed"] * 7 + ["wounded"] * 2 + ["captured"]
start = date(2011, 3, 15)
span = (date(2019, 12, 31) - start).days
cols = ["id", "doc", "count_low", "count_high", "qualifier", "outcome", "victims", "claimant",
        "scope", "date_start", "date_end", "date_precision", "place_name", "gazetteer_id",
        "lat", "lon", "admin1", "admin2", "precision", "quote"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(cols)
    k = 0
    event = 0
    while k < n:
        event += 1
        row, _ = rng.choices(places, weights)[0]
        day = start + timedelta(days=rng.randrange(span))
        outcome = rng.choice(outcomes)
        vic = rng.choice(victims)
        base = max(1, int(rng.paretovariate(1.2)))
        for outlet in range(rng.choice([1, 1, 1, 2, 3])):
            if k >= n:
                break
            k += 1
            low = max(1, base + rng.randint(-2, 2))
            bounded = rng.random() < 0.7
            d = day + timedelta(days=rng.choice([0, 0, 0, 1]))
            w.writerow([
                f"b{k}", f"outlet{outlet}-{event}", low, low if bounded else "",
                "exact" if bounded else "at_least", outcome, vic,
                ["activists", "state media", "a monitor"][outlet % 3], "event",
                d.isoformat(), d.isoformat(), "day", row["name"], row["id"],
                row["lat"], row["lon"], row["admin1"], row["admin2"], 1,
                f"{low} {vic} {outcome} in {row['name']} (synthetic row {k})",
            ])
print(f"{n} claims of {event} events at {len(places)} places -> {out}")
