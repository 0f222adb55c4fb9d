#!/usr/bin/env bash
# The Python package against the CLI, per core, and the Spark job on 1 and 2 local cores.
#
#   bash bench/python.sh [DOCS] [RUNS]      (defaults: 20000 documents, 5 runs each)
#
# Needs a virtual environment with the tollmap wheel, pyspark, pandas and pyarrow (PY=path to
# its python; default: one made in $TMPDIR/tollmap-bench-venv from python/tests/requirements.txt
# and a wheel built here) and a Java runtime for Spark. Prints the median wall time of each.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
runs=${2:-5}
cargo build --release --locked --quiet
bin=$PWD/target/release/tollmap
if [ -z "${PY:-}" ]; then
  venv=${TMPDIR:-/tmp}/tollmap-bench-venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "maturin==1.16.0" -r python/tests/requirements.txt
  "$venv/bin/maturin" build --quiet --release --locked -m python/Cargo.toml --out "$venv/wheels"
  "$venv/bin/pip" install --quiet --force-reinstall --no-deps "$venv"/wheels/tollmap-*.whl
  PY=$venv/bin/python
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/gen_corpus.py "$(python3 -c "print($docs / 680 + 1)")" "$tmp/all.jsonl" 5 > /dev/null 2>&1
head -n "$docs" "$tmp/all.jsonl" > "$tmp/docs.jsonl"

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
timed() { # runs "$@" RUNS times; prints the median wall seconds
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | median
}
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }  # user+nice+system+irq+softirq, in 1/100 s
rate() { python3 -c "print(f'{$docs / $1:,.0f}')"; }

cat > "$tmp/one.py" <<'PY'
import json, sys, threading, time, tollmap
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
threads = int(sys.argv[2])
if threads == 1:
    tollmap.extract_many(docs, threads=1)
else:  # Python threads, each extracting its share on its own thread (the GIL released)
    shares = [docs[i::threads] for i in range(threads)]
    work = [threading.Thread(target=tollmap.extract_many, args=(s,), kwargs={"threads": 1}) for s in shares]
    [t.start() for t in work]
    [t.join() for t in work]
PY

cat > "$tmp/steady.py" <<'PY'
import json, statistics, sys, time, tollmap
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
runs = int(sys.argv[2])
for name, f in (("extract_many", tollmap.extract_many), ("extract_json", tollmap.extract_json)):
    f(docs, threads=1)  # the process's heap grown once, as in a notebook or a Spark worker
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = f(docs, threads=1)
        times.append(time.perf_counter() - t)
        del out
    print(name, f"{statistics.median(times):.2f}")
PY

echo "command: bash bench/python.sh $docs $runs   (commit $(git rev-parse --short HEAD); $(nproc) cores)"
echo "$docs documents of bench/gen_corpus.py (seed 5), $(du -m "$tmp/docs.jsonl" | cut -f1) MB; median of $runs runs, whole processes"
cli1=$(timed env RAYON_NUM_THREADS=1 "$bin" -q extract "$tmp/docs.jsonl" --format jsonl)
py1=$(timed "$PY" "$tmp/one.py" "$tmp/docs.jsonl" 1)
echo "CLI, 1 thread (RAYON_NUM_THREADS=1, extract --format jsonl): ${cli1} s  $(rate "$cli1") docs/s"
echo "Python, 1 thread (read the JSON Lines, extract_many(threads=1)): ${py1} s  $(rate "$py1") docs/s  ($(python3 -c "print(f'{($py1 / $cli1 - 1) * 100:+.1f}')")% time against the CLI)"
steady=$("$PY" "$tmp/steady.py" "$tmp/docs.jsonl" "$runs")
many=$(echo "$steady" | awk '$1=="extract_many"{print $2}')
js=$(echo "$steady" | awk '$1=="extract_json"{print $2}')
echo "Python, 1 thread, a warm process (the call alone, the heap grown by a first call): extract_many ${many} s  $(rate "$many") docs/s  ($(python3 -c "print(f'{($many / $cli1 - 1) * 100:+.1f}')")%); extract_json ${js} s  $(rate "$js") docs/s  ($(python3 -c "print(f'{($js / $cli1 - 1) * 100:+.1f}')")%)"
cli2=$(timed "$bin" -q extract "$tmp/docs.jsonl" --format jsonl)
py2=$(timed "$PY" "$tmp/one.py" "$tmp/docs.jsonl" 2)
echo "CLI, $(nproc) threads: ${cli2} s  $(rate "$cli2") docs/s"
echo "Python, 2 threads of extract_many(threads=1): ${py2} s  $(rate "$py2") docs/s"
if command -v java > /dev/null 2>&1; then
  head -100 "$tmp/docs.jsonl" > "$tmp/docs-100.jsonl"
  t=$(timed "$PY" integrations/spark/extract_claims.py "$tmp/docs-100.jsonl" "$tmp/spark-100" --master "local[2]" --no-build)
  echo "Spark local[2] on 100 documents (start-up, the JVM and the Python workers, and writing): ${t} s"
  for cores in 1 2; do
    t=$(timed "$PY" integrations/spark/extract_claims.py "$tmp/docs.jsonl" "$tmp/spark-$cores" --master "local[$cores]" --no-build)
    b0=$(busy); "$PY" integrations/spark/extract_claims.py "$tmp/docs.jsonl" "$tmp/spark-$cores" --master "local[$cores]" --no-build > /dev/null 2>&1; b1=$(busy)
    echo "Spark local[$cores] (extract_claims.py --no-build: read, extract, write Parquet and JSON Lines): ${t} s  $(rate "$t") docs/s  (the machine's busy CPU in one run: $(python3 -c "print(f'{($b1 - $b0) / 100:.1f}')") s)"
  done
fi
