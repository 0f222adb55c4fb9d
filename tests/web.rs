//! The web map files of `build`: the page, its data object and the Leaflet references.

use std::process::Command;

fn build(out: &std::path::Path, extra: &[&str]) {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "-q",
            "build",
            examples,
            "--out",
            out.to_str().expect("utf-8"),
        ])
        .args(extra)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn data_of(out: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("data.js")).expect("data.js");
    let json = text
        .strip_prefix("window.TOLLMAP_DATA = ")
        .and_then(|t| t.trim_end().strip_suffix(';'))
        .expect("one assignment");
    serde_json::from_str(json).expect("the data is JSON")
}

#[test]
fn the_page_loads_its_data_by_script_tag_and_pins_leaflet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    build(&out, &[]);
    let page = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(
        page.contains(r#"<script src="data.js"></script>"#),
        "file:// needs a script tag, not fetch"
    );
    assert!(page.contains("https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"));
    assert!(page.contains(r#"integrity="sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo=""#));
    assert!(page.contains(r#"integrity="sha256-p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY=""#));
    assert!(page.contains("Content-Security-Policy"));
    assert!(!page.contains("{{"), "every placeholder filled");
    for f in ["map.js", "map.css", "data.js"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let script = std::fs::read_to_string(out.join("map.js")).expect("map.js");
    assert!(
        !script.contains("innerHTML"),
        "article text is never set as HTML"
    );
    // Leaflet sets a string tooltip as HTML: every tooltip is an element made as text.
    let tooltips: Vec<&str> = script.split("bindTooltip(").skip(1).collect();
    assert!(!tooltips.is_empty());
    for t in tooltips {
        assert!(
            t.starts_with("el("),
            "a tooltip from a string: {}",
            &t[..40.min(t.len())]
        );
    }
    // The policy names the two files the page loads from the CDN, not the whole host.
    let csp = page
        .split("Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|c| c.split('"').next())
        .expect("a policy");
    assert!(
        csp.contains("script-src 'self' file: https://unpkg.com/leaflet@1.9.4/dist/leaflet.js;"),
        "{csp}"
    );
    assert!(
        csp.contains("https://unpkg.com/leaflet@1.9.4/dist/leaflet.css;"),
        "{csp}"
    );
    assert!(
        !csp.split([' ', ';']).any(|s| s == "https://unpkg.com"),
        "the whole CDN host is allowed: {csp}"
    );

    let data = data_of(&out);
    assert_eq!(data["mode"], "geojson");
    let places: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("places.geojson")).expect("places"))
            .expect("json");
    let mut ids: Vec<&str> = places["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["place_id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(data["places"].as_array().expect("places").len(), ids.len());
    assert_eq!(
        data["areas"].as_array().expect("areas").len(),
        14,
        "every governorate outline"
    );
    let claims = data["claims"].as_array().expect("claims");
    let total_rows: usize = data["places"]
        .as_array()
        .expect("places")
        .iter()
        .map(|p| p["rows"].as_array().expect("rows").len())
        .sum();
    assert_eq!(
        total_rows,
        places["features"].as_array().expect("features").len()
    );
    for p in data["places"].as_array().expect("places") {
        for r in p["rows"].as_array().expect("rows") {
            for c in r["c"].as_array().expect("claims") {
                let c = c.as_u64().expect("index") as usize;
                assert!(c < claims.len());
            }
        }
    }
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("\"index.html\"") && manifest.contains("\"data.js\""));
}

#[test]
fn web_assets_bundle_leaflet_for_offline_use_and_no_web_leaves_the_page_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let assets = dir.path().join("leaflet").join("dist");
    std::fs::create_dir_all(&assets).expect("mkdir");
    std::fs::write(assets.join("leaflet.js"), "/* leaflet stand-in */").expect("write");
    std::fs::write(assets.join("leaflet.css"), "/* css */").expect("write");
    let out = dir.path().join("out");
    build(
        &out,
        &[
            "--web-assets",
            dir.path().join("leaflet").to_str().expect("utf-8"),
        ],
    );
    let page = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(page.contains(r#"<script src="leaflet.js"></script>"#));
    assert!(!page.contains("unpkg.com"), "nothing from the network");
    assert_eq!(
        std::fs::read_to_string(out.join("leaflet.js")).expect("copied"),
        "/* leaflet stand-in */"
    );

    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "-q",
            "build",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples"),
            "--out",
        ])
        .arg(dir.path().join("bad"))
        .args(["--web-assets", "/nonexistent/leaflet"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("leaflet.js"));
    assert!(
        !dir.path().join("bad").join("claims.geojson").exists(),
        "nothing written"
    );

    let bare = dir.path().join("bare");
    build(&bare, &["--no-web"]);
    assert!(!bare.join("index.html").exists() && !bare.join("data.js").exists());
}

#[test]
fn a_large_build_leaves_the_places_to_the_tiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("many.csv");
    let mut csv = String::from("id,doc,count_low,count_high,qualifier,outcome,victims,claimant,scope,date_start,date_end,date_precision,place_name,gazetteer_id,lat,lon,admin1,admin2,precision,quote\n");
    // 20,400 place-periods: 1,700 places (a grid over Idlib and Hama) x 12 months.
    for i in 0..20_400u32 {
        let (place, month) = (i % 1_700, 1 + i / 1_700);
        let (lat, lon) = (
            35.0 + f64::from(place / 50) * 0.03,
            36.2 + f64::from(place % 50) * 0.03,
        );
        csv.push_str(&format!(
            "c{i},d{i},2,2,exact,killed,civilians,,event,2019-{month:02}-10,2019-{month:02}-10,day,Grid {place},test:{place},{lat:.5},{lon:.5},,,1,Two civilians were killed.\n"
        ));
    }
    std::fs::write(&table, csv).expect("write");
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "-q",
            "build",
            table.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--tiles-max-zoom",
            "8",
            "--event-km",
            "0",
            "--no-district-events",
        ])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = data_of(&out);
    assert_eq!(data["mode"], "tiles");
    assert_eq!(data["place_rows"], 20_400);
    assert_eq!(data["tiles"], "tiles.pmtiles");
    assert_eq!(data["tiles_max_zoom"], 8);
    assert!(data["places"].as_array().expect("places").is_empty());
    assert!(data["max_killed"].as_u64().expect("scale") >= 2);
    let page = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(
        page.contains("protomaps-leaflet@5.1.0/dist/protomaps-leaflet.js\" integrity=\"sha256-")
    );
}

/// The files of the page and the tiles.
const PAGE_AND_TILES: [&str; 5] = [
    "index.html",
    "data.js",
    "map.js",
    "map.css",
    "tiles.pmtiles",
];

#[test]
fn a_build_without_the_page_or_tiles_removes_the_earlier_ones_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    build(&out, &[]);
    for f in PAGE_AND_TILES {
        assert!(out.join(f).is_file(), "{f}");
    }
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    build(&out, &["--no-web", "--no-tiles"]);
    for f in PAGE_AND_TILES {
        assert!(
            !out.join(f).exists(),
            "{f} of the earlier build is still there"
        );
    }
    assert!(out.join("claims.geojson").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).expect("kept"),
        "mine"
    );
}
