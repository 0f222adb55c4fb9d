#!/usr/bin/env bash
# A nightly refresh of a large archive: 100,000 documents already archived and extracted,
# then a night that brings 100 new ones (issue 19's goal: under 5 s). The documents are
# bench/gen_corpus.py's wire-style reports, given as a JSON Lines file each night.
# Usage: bash bench/refresh.sh [DOCUMENTS] [NEW] [RUNS]   (defaults 100000, 100, 3).
set -euo pipefail
docs=${1:-100000}
new=${2:-100}
runs=${3:-3}
mkdir -p bench/data
corpus=bench/data/refresh-corpus.jsonl
# About 2.3 KB a document.
need=$((docs + new * (runs + 1)))
if [ ! -f "$corpus" ] || [ "$(wc -l < "$corpus")" -lt "$need" ]; then
  python3 bench/gen_corpus.py "$(( need * 26 / 10000 + 1 ))" "$corpus"
fi
cargo build --release --quiet
bin=target/release/tollmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
head -n "$docs" "$corpus" > "$work/night-0.jsonl"
start=$(date +%s.%N)
"$bin" -q refresh "$work/night-0.jsonl" --archive "$work/archive.sqlite" --out "$work/site"
end=$(date +%s.%N)
echo "first refresh: $docs documents archived and extracted in $(echo "$end - $start" | bc) s; archive $(du -m "$work/archive.sqlite" | cut -f1) MB"
for run in $(seq "$runs"); do
  # Each night: the new documents only (a feed holds the latest few).
  sed -n "$((docs + (run - 1) * new + 1)),$((docs + run * new))p" "$corpus" > "$work/night-$run.jsonl"
  log=$(mktemp)
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$log" "$bin" refresh "$work/night-$run.jsonl" --archive "$work/archive.sqlite" --out "$work/site" 2> "$work/err"
  end=$(date +%s.%N)
  echo "night $run: $(echo "$end - $start" | bc) s, peak $(( $(cat "$log") / 1024 )) MB: $(grep -o '[0-9]* new.*in the archive' "$work/err")"
done
echo "command: bash bench/refresh.sh $docs $new $runs"
