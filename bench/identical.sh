#!/usr/bin/env bash
# Byte-identity of the outputs across a change: builds the bundled examples, the shared seed
# articles and the UCDP GED subset with target/release/tollmap and prints, per build, the
# SHA-256 of every output file, manifest.json included (it records the inputs, options,
# counts and the tool's version, no times). Save the output before a change and diff it after:
#   bash bench/identical.sh > /tmp/before.txt; ...; bash bench/identical.sh | diff /tmp/before.txt -
# Run from the repository root (with ../shared beside it for the seeds and the UCDP subset).
set -euo pipefail
bin=${TOLLMAP:-target/release/tollmap}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=(examples)
[ -f ../shared/corpus/seeds.jsonl ] && inputs+=(../shared/corpus/seeds.jsonl)
ucdp=../shared/data/events/ucdp_ged_syria_2011_2019_subset.csv
[ -f "$ucdp" ] && inputs+=("$ucdp")
for input in "${inputs[@]}"; do
  out="$work/$(basename "$input")"
  "$bin" -q build "$input" --out "$out" || [ $? -eq 1 ]
  echo "== $input"
  (cd "$out" && find . -type f | sort | xargs sha256sum)
done
# The claims of the hand-coded real articles, as `tollmap extract` writes them.
if [ -d ../shared/corpus/news-dev ] && [ -f ../shared/tools/score_news.py ]; then
  python3 ../shared/tools/score_news.py docs ../shared/corpus/news-dev > "$work/news.jsonl"
  echo "== news-dev extract"
  "$bin" -q extract --format jsonl "$work/news.jsonl" | sha256sum
fi
