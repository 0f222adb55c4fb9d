#!/usr/bin/env bash
# Reads every layer of a `tollmap build` output folder with GDAL's ogrinfo, as QGIS would, and
# checks feature counts (equal to the features in the file, and between the GeoJSON and the
# GeoPackage), geometry types and field types.
# Usage: bash tests/gdal/check_layers.sh OUT_DIR
set -euo pipefail
out=$1
fail() { echo "check_layers: $*" >&2; exit 1; }

# layer, geometry, then the fields and GDAL types it must have.
spec() {
  case $1 in
    claims) echo "Point;count_low: Integer;count_high: Integer;precision: Integer;quote: String;date_start: Date;date_end: Date;published: Date;event_id: String;confidence: Real;reasons: String" ;;
    events) echo "Point;low: Integer;high: Integer;claims: Integer;documents: Integer;start: Date;end: Date;claim_ids: String" ;;
    places|origins) echo "Point;killed_low: Integer;killed_high: Integer;wounded_low: Integer;wounded_high: Integer;killed_civilians_low: Integer;killed_pro_government_high: Integer;claims: Integer;documents: Integer;events: Integer;spanning: Integer;precision: Integer;period: String;period_start: Date;period_end: Date;claimants: String;name: String" ;;
    admin1|admin2) echo "Multi Polygon;killed_low: Integer;killed_high: Integer;wounded_low: Integer;claims: Integer;events: Integer;period_start: Date;period_end: Date;pcode: String;name: String" ;;
  esac
}

check() { # source-label, ogrinfo output, layer, expected count, fields null in every feature
  local label=$1 info=$2 layer=$3 want=$4 all_null=${5:-}
  local IFS=';'
  read -r -a parts <<< "$(spec "$layer")"
  local geometry=${parts[0]}
  local count
  count=$(echo "$info" | sed -n 's/^Feature Count: //p')
  [ "$count" = "$want" ] || fail "$label: $count features, expected $want"
  if [ "$want" -gt 0 ]; then
    # Here-strings, not pipes: `grep -q` stops at its first match, and under pipefail the
    # echo it cut off (SIGPIPE, on a large ogrinfo report) would fail the check.
    grep -q "^Geometry: $geometry\$" <<< "$info" || fail "$label: geometry is not $geometry: $(echo "$info" | grep '^Geometry')"
    for field in "${parts[@]:1}"; do
      name=${field%%:*}
      # GeoJSON has no schema: a column null in every feature can only read as String.
      if [[ " $all_null " == *" $name "* ]]; then
        field="$name: String"
      fi
      grep -Eq "^$field " <<< "$info" || fail "$label: no field '$field'"$'\n'"$info"
    done
  fi
  echo "ok  $label: $count features, $geometry, ${#parts[@]} fields checked"
}

for layer in claims events places origins admin1 admin2; do
  file="$out/$layer.geojson"
  [ -s "$file" ] || fail "missing $file"
  read -r n all_null < <(python3 - "$file" <<'PY'
import json, sys
fs = json.load(open(sys.argv[1]))["features"]
keys = sorted({k for f in fs for k in f["properties"]})
null = [k for k in keys if all(f["properties"].get(k) is None for f in fs)]
print(len(fs), " ".join(null))
PY
)
  info=$(ogrinfo -ro -al -so "$file")
  check "$layer.geojson" "$info" "$layer" "$n" "$all_null"
  info=$(ogrinfo -ro -so "$out/tollmap.gpkg" "$layer")
  check "tollmap.gpkg:$layer" "$info" "$layer" "$n"
done
