#!/usr/bin/env bash
# Throughput of `tollmap extract` (extraction with place resolution) on a synthetic corpus.
# Usage: bash bench/extract.sh [SIZE_MB]   (default 100). Run from the repository root.
set -euo pipefail
size=${1:-100}
mkdir -p bench/data
corpus=bench/data/synthetic-${size}mb.jsonl
[ -f "$corpus" ] || python3 bench/gen_corpus.py "$size" "$corpus"
cargo build --release --quiet
bytes=$(stat -c %s "$corpus")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: target/release/tollmap -q extract --format jsonl $corpus > /dev/null"
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KiB" target/release/tollmap -q extract --format jsonl "$corpus" > /dev/null
else
  target/release/tollmap -q extract --format jsonl "$corpus" > /dev/null
fi
end=$(date +%s.%N)
python3 - "$bytes" "$start" "$end" <<'PY'
import sys
b, s, e = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
t = e - s
print(f"input: {b/1e6:.1f} MB in {t:.2f} s = {b/1e6/t:.2f} MB/s (one thread)")
PY
