#!/usr/bin/env bash
# Gazetteer speed and accuracy: process start with the bundled gazetteer, look-ups per second,
# importing the 1.2-million-name world file, opening its index, and resolver accuracy on the
# geoparsing gold corpora (with and without the world layer).
# Usage: bash bench/gazetteer.sh   (from the repository root, with ../shared beside it)
set -euo pipefail
data=../shared/data
cargo build --release --quiet
bin=target/release/tollmap
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

echo "== whole process: load the bundled gazetteer and resolve one name (10 runs)"
runs() { python3 -c '
import subprocess, sys, time
t = []
for _ in range(10):
    s = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - s)
t.sort(); print(f"median {t[4]*1e3:.1f} ms, max {t[-1]*1e3:.1f} ms")
' "$@"; }
runs $bin geocode Jableh

echo "== look-ups on one core (cargo bench --bench lookup)"
cargo bench --quiet --bench lookup 2>/dev/null | grep -E "load|exact|resolve|misspelled|landmark"

echo "== import the world file"
world=$(mktemp -d)/world
/usr/bin/time -f "wall %e s, peak RSS %M KiB" $bin gazetteer import geonames $data/gazetteer/world_cities500.tsv --out "$world"

echo "== whole process with the world index opened (memory-mapped), 10 runs"
runs $bin geocode --gazetteer-world "$world" Kasserine

echo "== accuracy on the geoparsing gold corpora, bundled gazetteer"
python3 bench/geoparse_eval.py > "$world.eval.txt"; head -7 "$world.eval.txt"
echo "== accuracy with the world layer"
python3 bench/geoparse_eval.py --gazetteer-world "$world" > "$world.eval.txt"; head -7 "$world.eval.txt"
