#!/usr/bin/env bash
# Aggregation and writing speed: `tollmap build` on a table of N claims (bench/gen_claims.py:
# tollmap's own claims columns, places from the bundled gazetteer, 1-3 outlets per event),
# every layer written (GeoJSON, GeoPackage, CSV, manifest, and by default the tiles and the web
# page). Runs RUNS times (default 3) and prints each run's wall time, CPU time, peak memory and
# phases (TOLLMAP_TIMING), then the fastest and slowest run. Wall times on a shared VM vary by a
# third from run to run: compare the fastest runs, or the CPU times.
# Usage: bash bench/aggregate.sh [N] [extra build flags, e.g. --no-tiles --no-web]
#        (default N 1000000). Run from the repository root.
set -euo pipefail
n=${1:-1000000}
shift || true
runs=${RUNS:-3}
mkdir -p bench/data
table=bench/data/claims-$n.csv
[ -f "$table" ] || python3 bench/gen_claims.py "$n" "$table"
cargo build --release --quiet
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: TOLLMAP_TIMING=1 target/release/tollmap -q build $table --out OUT $*"
results=()
for i in $(seq "$runs"); do
  out=$(mktemp -d)
  log=$(mktemp)
  TOLLMAP_TIMING=1 /usr/bin/time -f "wall %e s, cpu %U+%S s, peak RSS %M KiB" \
    target/release/tollmap -q build "$table" --out "$out" "$@" 2>"$log"
  echo "--- run $i"
  cat "$log"
  results+=("$(tail -1 "$log")")
  [ "$i" = "$runs" ] && du -sh "$out"
  rm -rf "$out" "$log"
done
echo "--- runs, fastest first"
printf '%s\n' "${results[@]}" | sort -t' ' -k2 -n
