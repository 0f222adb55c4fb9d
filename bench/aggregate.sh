#!/usr/bin/env bash
# Aggregation and writing speed: `tollmap build` on a table of N claims (bench/gen_claims.py:
# tollmap's own claims columns, places from the bundled gazetteer, 1-3 outlets per event),
# every layer written (GeoJSON, GeoPackage, CSV, manifest). Prints wall time, peak memory and
# the phases (TOLLMAP_TIMING).
# Usage: bash bench/aggregate.sh [N]   (default 1000000). Run from the repository root.
set -euo pipefail
n=${1:-1000000}
mkdir -p bench/data
table=bench/data/claims-$n.csv
[ -f "$table" ] || python3 bench/gen_claims.py "$n" "$table"
cargo build --release --quiet
out=$(mktemp -d)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: TOLLMAP_TIMING=1 target/release/tollmap -q build $table --out $out"
TOLLMAP_TIMING=1 /usr/bin/time -f "wall %e s, peak RSS %M KiB" target/release/tollmap -q build "$table" --out "$out"
du -sh "$out"
rm -rf "$out"
