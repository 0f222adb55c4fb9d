#!/usr/bin/env bash
# A full disk, for real: small tmpfs mounts (needs root, as CI runs; the disk holds one build
# of the examples, not a second beside it). A build that runs out
# of space exits 2 naming the file, leaves the previous build whole and no debris; a full
# TMPDIR is named as such. Usage: bash tests/faults/full_disk.sh TOLLMAP_BINARY
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
cleanup() { umount "$work/disk" 2>/dev/null || true; umount "$work/tmp" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir "$work/disk" "$work/tmp"
mount -t tmpfs -o size=6m tmpfs "$work/disk" || { echo "cannot mount a tmpfs (not root?)"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }

echo "-- a build that fills the disk keeps the previous one"
"$bin" -q build examples --out "$work/disk/site"
before=$(cd "$work/disk/site" && sha256sum $(ls) | sha256sum)
set +e
"$bin" -q build ../shared/corpus/seeds.jsonl examples --out "$work/disk/site" 2>"$work/err"
rc=$?
set -e
cat "$work/err"
[ $rc -eq 2 ] || fail "exit $rc, not 2"
grep -qE "No space left on device|disk is full" "$work/err" || fail "the message does not say the disk is full"
grep -q "$work/disk/site" "$work/err" || fail "the message does not name the output folder"
after=$(cd "$work/disk/site" && sha256sum $(ls) | sha256sum)
[ "$before" = "$after" ] || fail "the previous build changed"
debris=$(ls -A "$work/disk/site" | grep '^\.' || true)
[ -z "$debris" ] || fail "debris left: $debris"
echo "ok  exit 2, previous build whole, nothing left behind"

echo "-- a full TMPDIR is named"
mount -t tmpfs -o size=64k tmpfs "$work/tmp"
python3 bench/gen_claims.py 20000 "$work/claims.csv" >/dev/null
"$bin" -q build "$work/claims.csv" --out "$work/places" --no-web
set +e
TMPDIR="$work/tmp" "$bin" -q tiles "$work/places/places.geojson" --output "$work/places.pmtiles" 2>"$work/err"
rc=$?
set -e
cat "$work/err"
[ $rc -eq 2 ] || fail "exit $rc, not 2"
grep -q "(TMPDIR)" "$work/err" && grep -q "$work/tmp" "$work/err" || fail "TMPDIR is not named"
[ ! -e "$work/places.pmtiles" ] || fail "a partial archive was left"
echo "ok  exit 2, TMPDIR named, no archive written"
echo "full-disk checks passed"
