#!/usr/bin/env bash
# How well `confidence` tells right claims from wrong ones on the hand-coded articles of
# ../shared/corpus/news-dev (issue 20's goals: the claims under 0.5 hold at least half of the
# wrong ones; those above 0.8 are at least 97% right). A claim is right when the scorer finds
# its count, range, outcome, victims and place right; a spurious claim is wrong.
# Usage: bash bench/confidence.sh   (from the repository root; runs bench/news.sh)
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
NEWS_CLAIMS="$tmp/claims.jsonl" bash bench/news.sh --dump "$tmp/verdicts.jsonl" > /dev/null
echo "command: bash bench/confidence.sh   (commit $(git rev-parse --short HEAD))"
python3 - "$tmp/verdicts.jsonl" "$tmp/claims.jsonl" <<'PY'
import json, sys
from collections import Counter
verdicts = [json.loads(l) for l in open(sys.argv[1])]
reasons = {json.loads(l)["id"]: json.loads(l).get("reasons", []) for l in open(sys.argv[2])}
wrong = sum(not v["right"] for v in verdicts)
print(f"{len(verdicts)} claims, {len(verdicts) - wrong} right, {wrong} wrong")
print("| confidence | claims | right | wrong | right % | share of all wrong |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
bands = [("under 0.5", lambda x: x < 0.5), ("0.5 to 0.8", lambda x: 0.5 <= x <= 0.8),
         ("above 0.8", lambda x: x > 0.8)]
for name, inside in bands:
    band = [v for v in verdicts if inside(v["confidence"])]
    r = sum(v["right"] for v in band)
    w = len(band) - r
    pct = f"{r / len(band):.1%}" if band else "-"
    print(f"| {name} | {len(band)} | {r} | {w} | {pct} | {w}/{wrong} ({w / max(wrong, 1):.0%}) |")
print()
print("| reason | claims | wrong | wrong % |")
print("| --- | ---: | ---: | ---: |")
per, bad = Counter(), Counter()
for v in verdicts:
    for r in reasons.get(v["id"], []):
        per[r] += 1
        bad[r] += not v["right"]
for r, n in per.most_common():
    print(f"| {r} | {n} | {bad[r]} | {bad[r] / n:.0%} |")
PY
