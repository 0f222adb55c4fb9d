#!/usr/bin/env bash
# One long document: `tollmap build` of a text of N casualty sentences at ten places
# (bench/gen_long_document.py), for N doubling, to show the time grows in proportion to the
# document (issue 18 M7: within one document, extraction and grouping were quadratic).
# Usage: bash bench/long_document.sh [N...] (default 10000 20000 40000 80000 160000).
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 20000 40000 80000 160000)
bin=${TOLLMAP:-target/release/tollmap}
[ -n "${TOLLMAP:-}" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
for n in "${sizes[@]}"; do
  python3 bench/gen_long_document.py "$n" "$work/long-$n.md"
  /usr/bin/time -f "$n sentences: %e s, peak %M KiB" "$bin" -q build "$work/long-$n.md" \
    --out "$work/out-$n" --no-web --no-tiles 2>&1 | tail -1
done
