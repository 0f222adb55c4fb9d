#!/usr/bin/env bash
# A build of a build's own claims.csv gives the same outputs, byte for byte, but for
# manifest.json (which names the inputs). Usage: bash tests/roundtrip.sh TOLLMAP INPUT...
set -euo pipefail
bin=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for input in "$@"; do
  rm -rf "$work/a" "$work/b"
  "$bin" -q build "$input" --out "$work/a" || [ $? -eq 1 ]
  "$bin" -q build "$work/a/claims.csv" --out "$work/b" || [ $? -eq 1 ]
  differ=0
  for f in "$work"/a/*; do
    name=$(basename "$f")
    [ "$name" = manifest.json ] && continue
    if ! cmp -s "$f" "$work/b/$name"; then
      echo "FAIL $input: $name differs after a build of its claims.csv" >&2
      differ=1
    fi
  done
  [ "$differ" -eq 0 ] || exit 1
  echo "ok  $input: $(ls "$work/a" | grep -vc manifest.json) outputs identical after a build of its claims.csv"
done
