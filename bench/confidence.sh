#!/usr/bin/env bash
# How well `confidence` tells right claims from wrong ones on the hand-coded articles of
# ../shared/corpus/news-dev (issue 20's goals: the claims under 0.5 hold at least half of the
# wrong ones; those above 0.8 are at least 97% right). A claim is right when the scorer finds
# its count, range, outcome, victims and place right; a spurious claim is wrong.
# Usage: bash bench/confidence.sh   (from the repository root)
set -euo pipefail
set_dir=${NEWS_SET:-../shared/corpus/news-dev}
scorer=${NEWS_SCORER:-../shared/tools/score_news.py}
[ -d "$set_dir" ] && [ -f "$scorer" ] || { echo "no news set at $set_dir (or no $scorer)" >&2; exit 2; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$scorer" docs "$set_dir" > "$tmp/docs.jsonl"
target/release/tollmap -q extract --format jsonl "$tmp/docs.jsonl" > "$tmp/claims.jsonl"
python3 "$scorer" "$set_dir" "$tmp/claims.jsonl" --dump "$tmp/verdicts.jsonl" > /dev/null || true
echo "command: bash bench/confidence.sh   (commit $(git rev-parse --short HEAD))"
python3 - "$tmp/verdicts.jsonl" "$tmp/claims.jsonl" <<'PY'
import json, sys
from collections import Counter
verdicts = [json.loads(l) for l in open(sys.argv[1])]
reasons = {}
for l in open(sys.argv[2]):
    c = json.loads(l)
    reasons[c["id"]] = c.get("reasons", [])
wrong = [v for v in verdicts if not v["right"]]
bands = [(0.0, 0.5, "under 0.5"), (0.5, 0.8, "0.5 to 0.8"), (0.8, 1.01, "above 0.8")]
print(f"{len(verdicts)} claims, {len(verdicts) - len(wrong)} right, {len(wrong)} wrong")
print("| confidence | claims | right | wrong | right % | share of all wrong |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for lo, hi, name in bands:
    inb = [v for v in verdicts if lo <= v["confidence"] < hi or (name == "above 0.8" and v["confidence"] > 0.8)]
    if name == "above 0.8":
        inb = [v for v in verdicts if v["confidence"] > 0.8]
    elif name == "0.5 to 0.8":
        inb = [v for v in verdicts if 0.5 <= v["confidence"] <= 0.8]
    r = sum(v["right"] for v in inb)
    w = len(inb) - r
    pct = f"{r / len(inb):.1%}" if inb else "-"
    share = f"{w}/{len(wrong)} ({w / max(len(wrong), 1):.0%})"
    print(f"| {name} | {len(inb)} | {r} | {w} | {pct} | {share} |")
print()
print("| reason | claims | wrong | wrong % |")
print("| --- | ---: | ---: | ---: |")
per = Counter(); bad = Counter()
for v in verdicts:
    for r in reasons.get(v["id"], []):
        per[r] += 1
        bad[r] += not v["right"]
for r, n in per.most_common():
    print(f"| {r} | {n} | {bad[r]} | {bad[r] / n:.0%} |")
PY
