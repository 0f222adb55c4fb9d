#!/usr/bin/env bash
# Throughput of `tollmap extract` (extraction with place resolution) on two corpora:
#   real:      the seed articles and the geoparsing corpora's articles (real news text),
#              repeated to SIZE_MB by bench/real_corpus.py;
#   synthetic: wire-style copy with a claim in most sentences and a different place in each
#              (bench/gen_corpus.py), the worst case for the resolver.
# Each runs on one thread (RAYON_NUM_THREADS=1: the per-core figure) and on every core.
# Usage: bash bench/extract.sh [SIZE_MB] [RUNS]   (defaults 20 and 3). Run from the repository root.
set -euo pipefail
size=${1:-20}
runs=${2:-3}
mkdir -p bench/data
real=bench/data/real-${size}mb.jsonl
synthetic=bench/data/synthetic-${size}mb.jsonl
[ -f "$real" ] || python3 bench/real_corpus.py "$size" "$real"
[ -f "$synthetic" ] || python3 bench/gen_corpus.py "$size" "$synthetic"
cargo build --release --quiet
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: RAYON_NUM_THREADS=T target/release/tollmap -q extract --format jsonl CORPUS > /dev/null"
for corpus in "$real" "$synthetic"; do
  bytes=$(stat -c %s "$corpus")
  for threads in 1 "$(nproc)"; do
    for run in $(seq "$runs"); do
      log=$(mktemp)
      start=$(date +%s.%N)
      RAYON_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$log" \
        target/release/tollmap -q extract --format jsonl "$corpus" > /dev/null
      end=$(date +%s.%N)
      python3 - "$corpus" "$bytes" "$threads" "$start" "$end" "$(cat "$log")" <<'PY'
import sys
corpus, b, threads, s, e, rss = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
t = e - s
print(f"{corpus}: {b/1e6:.1f} MB, {threads} thread(s): {t:.2f} s = {b/1e6/t:.2f} MB/s, peak RSS {rss/1024:.0f} MB")
PY
      rm -f "$log"
    done
  done
done
