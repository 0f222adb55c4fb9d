//! `tollmap tiles`: round trips through the archives it writes, read back with the
//! library's own PMTiles reader and MVT decoder and with SQLite for MBTiles.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use tollmap::tiles::archive::{read_mbtiles, read_pmtiles};
use tollmap::tiles::mvt::{decode, TileGeom, Val};

mod common;

fn tollmap(args: &[&str], threads: &str) -> Output {
    common::tollmap_with(args, &[("RAYON_NUM_THREADS", threads)])
}

/// `tollmap tiles IN -o OUT EXTRA...` on `threads` threads.
fn tile(input: &Path, out: &Path, extra: &[&str], threads: &str) -> Output {
    let mut args = vec![
        "tiles",
        input.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    tollmap(&args, threads)
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `n` points from a fixed linear congruential sequence: in Syria's box, in clumps (so that
/// clustering has work), each with an id and a `count`.
fn points(n: usize) -> (String, u64) {
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut features = Vec::new();
    let mut total = 0;
    for i in 0..n {
        let (cx, cy) = (
            35.8 + 6.5 * (i % 7) as f64 / 7.0,
            32.4 + 4.8 * (i % 5) as f64 / 5.0,
        );
        let lon = cx + next() * if i % 3 == 0 { 0.02 } else { 0.9 };
        let lat = cy + next() * if i % 3 == 0 { 0.02 } else { 0.9 };
        let count = 1 + (next() * 20.0) as u64;
        total += count;
        features.push(format!(
            r#"{{"type":"Feature","id":{},"geometry":{{"type":"Point","coordinates":[{lon:.6},{lat:.6}]}},"properties":{{"count":{count},"name":"p{i}"}}}}"#,
            i + 1
        ));
    }
    (
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",\n")
        ),
        total,
    )
}

/// Features of one layer inside each tile's own 0..4096 square (buffer copies left out).
fn inside(
    tiles: &[(u8, u32, u32, Vec<u8>)],
    z: u8,
    layer: &str,
) -> Vec<(u32, u32, tollmap::tiles::mvt::DecodedFeature)> {
    let mut out = Vec::new();
    for (tz, x, y, bytes) in tiles.iter().filter(|t| t.0 == z) {
        let layers = decode(bytes).expect("tile decodes");
        assert!(layers.iter().all(|l| l.extent == 4096));
        for l in layers.into_iter().filter(|l| l.name == layer) {
            for f in l.features {
                if let TileGeom::Point(px, py) = f.geom {
                    assert!(
                        (-200..4296).contains(&px) && (-200..4296).contains(&py),
                        "{tz}/{x}/{y}: {px},{py}"
                    );
                    if (0..4096).contains(&px) && (0..4096).contains(&py) {
                        out.push((*x, *y, f));
                    }
                }
            }
        }
    }
    out
}

fn int(v: Option<&Val>) -> i64 {
    match v {
        Some(Val::Int(i)) => *i,
        other => panic!("not an integer: {other:?}"),
    }
}

#[test]
fn every_point_once_at_max_zoom_and_totals_at_every_zoom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, total) = points(3000);
    let input = dir.path().join("events.geojson");
    std::fs::write(&input, text).expect("write");
    let pm = dir.path().join("out.pmtiles");
    let mb = dir.path().join("out.mbtiles");
    for out in [&pm, &mb] {
        ok(&tile(
            &input,
            out,
            &[
                "--max-zoom",
                "10",
                "--cluster-distance",
                "10",
                "--accumulate",
                "count:sum",
            ],
            "2",
        ));
    }
    let archive = read_pmtiles(&pm).expect("reads back");
    assert_eq!((archive.min_zoom, archive.max_zoom), (0, 10));
    let b = archive.bounds;
    assert!(
        b[0] > 35.7 && b[2] < 42.4 && b[1] > 32.3 && b[3] < 37.3,
        "{b:?}"
    );
    let layers = &archive.metadata["vector_layers"];
    assert_eq!(layers[0]["id"], "events");
    assert_eq!(layers[0]["fields"]["count"], "Number");
    assert_eq!(layers[0]["fields"]["name"], "String");
    assert_eq!(layers[0]["fields"]["point_count"], "Number");

    // Max zoom: each input point exactly once, with its own properties.
    let top = inside(&archive.tiles, 10, "events");
    let mut seen: BTreeMap<u64, i64> = BTreeMap::new();
    for (_, _, f) in &top {
        assert!(
            !f.props.contains_key("point_count"),
            "no clusters at max zoom"
        );
        let id = f.id.expect("input id kept");
        assert!(
            seen.insert(id, int(f.props.get("count"))).is_none(),
            "point {id} twice"
        );
    }
    assert_eq!(seen.len(), 3000);
    assert_eq!(seen.keys().next(), Some(&1));
    assert_eq!(seen.values().sum::<i64>() as u64, total);

    // Every zoom: the counts and the points add up to the input's.
    let mut clustered_somewhere = false;
    for z in 0..=10u8 {
        let fs = inside(&archive.tiles, z, "events");
        let sum: i64 = fs.iter().map(|(_, _, f)| int(f.props.get("count"))).sum();
        let pts: i64 = fs
            .iter()
            .map(|(_, _, f)| f.props.get("point_count").map_or(1, |v| int(Some(v))))
            .sum();
        assert_eq!((sum as u64, pts), (total, 3000), "zoom {z}");
        if fs
            .iter()
            .any(|(_, _, f)| f.props.contains_key("point_count"))
        {
            clustered_somewhere = true;
            assert!(
                fs.iter().all(|(_, _, f)| !f.props.contains_key("name")
                    || !f.props.contains_key("point_count")),
                "clusters carry no member's name"
            );
        }
    }
    assert!(clustered_somewhere);
    assert!(
        inside(&archive.tiles, 0, "events").len() < 100,
        "low zooms are clustered"
    );

    // The MBTiles file holds the same tiles.
    let mbt = read_mbtiles(&mb).expect("mbtiles reads");
    let mut pmt: Vec<_> = archive.tiles.clone();
    pmt.sort_by_key(|t| (t.0, t.1, t.2));
    assert_eq!(mbt.len(), pmt.len());
    assert!(mbt == pmt, "same tiles in both archives");
    let db = rusqlite::Connection::open(&mb).expect("opens");
    let meta: BTreeMap<String, String> = db
        .prepare("SELECT name, value FROM metadata")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(meta["format"], "pbf");
    assert_eq!(meta["minzoom"], "0");
    assert_eq!(meta["maxzoom"], "10");
    assert!(meta["json"].contains("vector_layers"));
    assert_eq!(meta["bounds"].split(',').count(), 4);
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("p.geojson");
    std::fs::write(&input, points(2000).0).expect("write");
    let mut outputs = Vec::new();
    for (i, threads) in ["1", "2", "3", "2"].iter().enumerate() {
        for ext in ["pmtiles", "mbtiles"] {
            let out = dir.path().join(format!("t{i}.{ext}"));
            ok(&tile(
                &input,
                &out,
                &[
                    "--max-zoom",
                    "9",
                    "--cluster-distance",
                    "5",
                    "--accumulate",
                    "count:max",
                ],
                threads,
            ));
            outputs.push((ext, std::fs::read(&out).expect("read")));
        }
    }
    for ext in ["pmtiles", "mbtiles"] {
        let all: Vec<&Vec<u8>> = outputs
            .iter()
            .filter(|o| o.0 == ext)
            .map(|o| &o.1)
            .collect();
        assert!(
            all.windows(2).all(|w| w[0] == w[1]),
            "{ext} bytes differ between runs"
        );
    }
}

#[test]
fn the_size_cap_merges_points_and_keeps_their_totals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("dense.geojson");
    let (text, total) = points(4000);
    std::fs::write(&input, text).expect("write");
    let out = dir.path().join("capped.pmtiles");
    let o = tile(
        &input,
        &out,
        &[
            "--max-zoom",
            "6",
            "--max-tile-bytes",
            "6000",
            "--accumulate",
            "count:sum",
        ],
        "2",
    );
    ok(&o);
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(!said.contains("(0 clustered harder"), "{said}");
    let archive = read_pmtiles(&out).expect("reads");
    for (z, x, y, bytes) in &archive.tiles {
        let gz = {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            e.write_all(bytes).expect("gzip");
            e.finish().expect("gzip")
        };
        assert!(gz.len() <= 6000 + 64, "{z}/{x}/{y}: {} bytes", gz.len());
    }
    for z in 0..=6u8 {
        let fs = inside(&archive.tiles, z, "dense");
        let sum: i64 = fs.iter().map(|(_, _, f)| int(f.props.get("count"))).sum();
        assert_eq!(sum as u64, total, "zoom {z}");
    }
}

#[test]
fn polygons_are_clipped_into_every_tile_they_cover() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("areas.geojson");
    // A square governorate-sized polygon with a hole, and a point.
    std::fs::write(
        &input,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"Box","killed_low":7},"geometry":{"type":"Polygon","coordinates":[
          [[36.0,34.0],[38.0,34.0],[38.0,36.0],[36.0,36.0],[36.0,34.0]],
          [[36.5,34.5],[36.5,35.0],[37.0,35.0],[37.0,34.5],[36.5,34.5]]]}},
        {"type":"Feature","properties":{"name":"Dot"},"geometry":{"type":"Point","coordinates":[39.0,35.0]}},
        {"type":"Feature","properties":{"name":"Road"},"geometry":{"type":"LineString","coordinates":[[36,34],[37,35]]}}
        ]}"#,
    )
    .expect("write");
    let out = dir.path().join("areas.mbtiles");
    let o = tile(&input, &out, &["--max-zoom", "7", "--layer", "admin1"], "2");
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 features without a point or polygon"));
    let tiles = read_mbtiles(&out).expect("reads");
    for z in 0..=7u8 {
        let mut polygons = 0;
        for (_, _, _, bytes) in tiles.iter().filter(|t| t.0 == z) {
            for l in decode(bytes).expect("decodes") {
                assert_eq!(l.name, "admin1");
                for f in l.features {
                    if let TileGeom::Polygon(rings) = &f.geom {
                        polygons += 1;
                        assert_eq!(f.props["name"], Val::Str("Box".into()));
                        assert!(rings.iter().all(|r| r.len() >= 3));
                    }
                }
            }
        }
        // 2 degrees wide: one tile at low zooms, several at zoom 7.
        let expected_min = if z >= 7 { 4 } else { 1 };
        assert!(
            polygons >= expected_min,
            "zoom {z}: {polygons} polygon pieces"
        );
    }
}

#[test]
fn bad_input_names_the_file_and_line_and_keeps_the_old_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.geojson");
    std::fs::write(&good, points(10).0).expect("write");
    let out = dir.path().join("keep.pmtiles");
    ok(&tile(&good, &out, &["--max-zoom", "5"], "1"));
    let before = std::fs::read(&out).expect("read");
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\"x\",1]}}]}").expect("write");
    for (input, extra) in [
        (&bad, &[][..]),
        (&good, &["--accumulate", "count:avg"][..]),
        (&good, &["--min-zoom", "9", "--max-zoom", "3"][..]),
    ] {
        let o = tile(input, &out, extra, "1");
        assert_eq!(o.status.code(), Some(2), "{input:?} {extra:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{err}");
        if input == &bad {
            assert!(
                err.contains("bad.geojson") && err.contains("line 2"),
                "{err}"
            );
        }
    }
    let o = tile(&good, &dir.path().join("x.zip"), &[], "1");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&out).expect("read"),
        before,
        "old archive intact"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tollmap"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files removed");
}

#[test]
fn build_writes_claims_places_and_governorates_as_tiles_with_totals_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    ok(&tollmap(
        &[
            "-q",
            "build",
            examples,
            "--out",
            out.to_str().expect("utf-8"),
        ],
        "2",
    ));
    let places: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("places.geojson")).expect("places"))
            .expect("json");
    let features = places["features"].as_array().expect("features");
    let total: i64 = features
        .iter()
        .map(|f| f["properties"]["killed_low"].as_i64().expect("killed_low"))
        .sum();
    assert!(total > 0);
    let archive = read_pmtiles(&out.join("tiles.pmtiles")).expect("tiles.pmtiles reads");
    assert_eq!((archive.min_zoom, archive.max_zoom), (0, 12));
    let ids: Vec<&str> = archive.metadata["vector_layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["claims", "places", "admin1"]);
    for z in [0u8, 5, 12] {
        let fs = inside(&archive.tiles, z, "places");
        let sum: i64 = fs
            .iter()
            .map(|(_, _, f)| int(f.props.get("killed_low")))
            .sum();
        let n: i64 = fs
            .iter()
            .map(|(_, _, f)| f.props.get("point_count").map_or(1, |v| int(Some(v))))
            .sum();
        assert_eq!((sum, n), (total, features.len() as i64), "zoom {z}");
        assert!(
            fs.iter()
                .all(|(_, _, f)| !f.props.contains_key("claim_ids")),
            "id lists stay out of tiles"
        );
    }
    let claims = inside(&archive.tiles, 12, "claims");
    assert!(
        !claims.is_empty()
            && claims
                .iter()
                .all(|(_, _, f)| f.props.contains_key("outcome") && !f.props.contains_key("quote"))
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(
        manifest.contains("\"tiles.pmtiles\""),
        "the manifest lists and hashes the tiles"
    );
    // --no-tiles leaves them out.
    let bare = dir.path().join("bare");
    ok(&tollmap(
        &[
            "-q",
            "build",
            examples,
            "--out",
            bare.to_str().expect("utf-8"),
            "--no-tiles",
        ],
        "1",
    ));
    assert!(!bare.join("tiles.pmtiles").exists());
    // --mbtiles writes the same tiles as MBTiles too (for QGIS 3.22 and older GDAL).
    let both = dir.path().join("both");
    let build = |extra: &[&str]| {
        let mut args = vec![
            "-q",
            "build",
            examples,
            "--out",
            both.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        ok(&tollmap(&args, "2"));
    };
    build(&["--mbtiles"]);
    let pm = read_pmtiles(&both.join("tiles.pmtiles")).expect("tiles.pmtiles reads");
    let mb = read_mbtiles(&both.join("tiles.mbtiles")).expect("tiles.mbtiles reads");
    let mut a = pm.tiles.clone();
    let mut b = mb.clone();
    a.sort();
    b.sort();
    assert!(!a.is_empty() && a == b, "the same tiles in both archives");
    let manifest = std::fs::read_to_string(both.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("\"tiles.mbtiles\""));
    // A build without it removes the one an earlier build wrote.
    build(&[]);
    assert!(!both.join("tiles.mbtiles").exists());
}

#[test]
fn include_and_exclude_choose_the_fields_of_the_tiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("points.geojson");
    std::fs::write(&input, points(200).0).expect("write");
    let fields = |extra: &[&str]| -> std::collections::BTreeSet<String> {
        let out = dir.path().join("t.pmtiles");
        ok(&tile(&input, &out, extra, "2"));
        let archive = read_pmtiles(&out).expect("reads");
        inside(&archive.tiles, 14, "points")
            .into_iter()
            .flat_map(|(_, _, f)| f.props.keys().cloned().collect::<Vec<_>>())
            .collect()
    };
    let all = fields(&[]);
    assert!(all.contains("count") && all.contains("name"), "{all:?}");
    assert_eq!(
        fields(&["--exclude", "name"])
            .into_iter()
            .collect::<Vec<_>>(),
        ["count"]
    );
    assert_eq!(
        fields(&["-y", "name"]).into_iter().collect::<Vec<_>>(),
        ["name"]
    );
    assert!(fields(&["-x", "count,name"]).is_empty());
}

#[test]
fn a_world_sized_polygon_at_a_high_zoom_is_refused_at_once_naming_a_zoom_that_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("world.geojson");
    std::fs::write(
        &input,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[-180,-85],[180,-85],[180,85],[-180,85],[-180,-85]]]}}]}"#,
    )
    .expect("write");
    let out = dir.path().join("w.pmtiles");
    let o = common::tollmap(&[
        "tiles",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("over the limit") && err.contains("--max-zoom 10"),
        "{err}"
    );
    assert!(!out.exists());
    let o = common::tollmap(&[
        "tiles",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--max-zoom",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
