#!/usr/bin/env bash
# Truth on real articles: scores `tollmap extract` on the hand-coded development set
# ../shared/corpus/news-dev with ../shared/tools/score_news.py (found, range, outcome, victims,
# place, part_of, scope, claimant, spurious). Usage: bash bench/news.sh [--verbose]
# Run from the repository root; prints the scorer's summary line (and its details with
# --verbose). The scorer exits 1 below the goals; this script reports, it does not fail.
set -euo pipefail
set_dir=${NEWS_SET:-../shared/corpus/news-dev}
scorer=${NEWS_SCORER:-../shared/tools/score_news.py}
[ -d "$set_dir" ] && [ -f "$scorer" ] || { echo "no news set at $set_dir (or no $scorer)" >&2; exit 2; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$scorer" docs "$set_dir" > "$tmp/docs.jsonl"
target/release/tollmap -q extract --format jsonl "$tmp/docs.jsonl" > "$tmp/claims.jsonl"
# NEWS_CLAIMS=FILE keeps the claims (bench/confidence.sh reads them).
[ -n "${NEWS_CLAIMS:-}" ] && cp "$tmp/claims.jsonl" "$NEWS_CLAIMS"
echo "command: bash bench/news.sh   (commit $(git rev-parse --short HEAD))"
python3 "$scorer" "$set_dir" "$tmp/claims.jsonl" "$@" || true
