#!/usr/bin/env python3
"""Claims in the ReliefWeb headlines (Aug 2013 - Jan 2014): how many, and every one listed
for a spot check. Each headline is a document dated by its `date_created`.
Usage: python3 bench/reliefweb.py [CSV] [--binary target/release/tollmap]
"""
import csv
import json
import subprocess
import sys
import tempfile

args = sys.argv[1:]
binary = "target/release/tollmap"
if "--binary" in args:
    i = args.index("--binary")
    binary = args[i + 1]
    del args[i : i + 2]
path = args[0] if args else "../shared/data/events/reliefweb_syria_titles_2013-08_2014-01.csv"
rows = list(csv.DictReader(open(path, encoding="utf-8")))
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    for r in rows:
        doc = {"id": f"rw{r['reliefweb_node_id']}", "text": r["title"], "published": r["date_created"][:10]}
        f.write(json.dumps(doc) + "\n")
out = subprocess.run([binary, "-q", "extract", f.name], capture_output=True, text=True, check=True)
claims = [json.loads(l) for l in out.stdout.splitlines()]
docs = {c["doc"] for c in claims}
print(f"headlines: {len(rows)}; claims: {len(claims)} in {len(docs)} headlines")
by = lambda k: sorted({c[k] for c in claims})
for k in ("outcome", "victims"):
    counts = {v: sum(1 for c in claims if c[k] == v) for v in by(k)}
    print(f"{k}: {counts}")
print(f"with a claimant: {sum(1 for c in claims if c['claimant'])}; "
      f"with a resolved event place: {sum(1 for c in claims if any(p['role'] == 'event' and p['lat'] is not None for p in c['places']))}")
for c in claims:
    ev = [p["name"] or p["mention"] for p in c["places"] if p["role"] == "event"]
    hi = c["count"]["high"]
    print(f"  {c['count']['low']}{'' if hi == c['count']['low'] else '-' + (str(hi) if hi else '')} "
          f"{c['outcome']} {c['victims']} | {c['claimant'] or '-'} | {', '.join(ev) or '-'} | {c['quote']}")
