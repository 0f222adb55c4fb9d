#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), from the committed seeds
# (fuzz/seeds/TARGET) and the corpus grown so far (fuzz/corpus/TARGET, not committed), and
# prints one line of figures per target. Exits 1 when any target found a crash, a hang
# (one input over 10 s) or an input taking over 2 GB; the input is kept in
# fuzz/artifacts/TARGET/, and
# `cargo fuzz run -s none --target-dir target/fuzz TARGET fuzz/artifacts/TARGET/FILE` replays it.
#
#   bash fuzz/run.sh            # 30 s per target
#   bash fuzz/run.sh 600 html   # one target, 10 minutes
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); stable Rust works with
# `--sanitizer none` (libFuzzer's coverage instrumentation needs no nightly flag; only the
# sanitizers do, and safe Rust needs them little).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
if [ $# -eq 0 ]; then
  targets=$(cargo fuzz list)
  cargo fuzz build -s none --target-dir target/fuzz || exit 2
else
  targets=$*
  for t in $targets; do cargo fuzz build -s none --target-dir target/fuzz "$t" || exit 2; done
fi
failed=0
printf '%-14s %12s %9s %6s %7s %s\n' target executions per_s cov corpus result
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  cargo fuzz run -s none --target-dir target/fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o ' cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  if [ $rc -eq 0 ]; then result="0 crashes"; else
    result="FAILED (exit $rc): $(grep -m1 -E 'ERROR|panicked|deadly signal|timeout|out-of-memory' "$log")"
    tail -40 "$log" >&2
    failed=1
  fi
  printf '%-14s %12s %9s %6s %7s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$result"
  rm -f "$log"
done
exit $failed
