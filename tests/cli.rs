//! Integration tests: the real `tollmap` binary on fixtures written for this project.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{files_of, tollmap, tollmap_with};

fn examples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .display()
        .to_string()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const LAYERS: &[&str] = &["claims.geojson", "places.geojson", "origins.geojson"];
/// The layers, the GeoPackage and the manifest.
fn files() -> impl Iterator<Item = &'static str> {
    common::LAYER_FILES
        .into_iter()
        .chain(["tollmap.gpkg", "manifest.json"])
}

#[test]
fn build_writes_rfc7946_layers_inside_syria() {
    let out = tempfile::tempdir().unwrap();
    let o = tollmap(&["build", &examples(), "--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in files() {
        assert!(out.path().join(f).is_file(), "{f} missing");
    }
    for layer in LAYERS {
        let v = read_json(&out.path().join(layer));
        assert_eq!(v["type"], "FeatureCollection", "{layer}");
        assert!(v.get("crs").is_none(), "{layer} has a crs member");
        for f in v["features"].as_array().unwrap() {
            assert_eq!(f["type"], "Feature");
            assert_eq!(f["geometry"]["type"], "Point");
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            // Longitude first: Syria spans about 35.7..42.4 E and 32.3..37.4 N.
            assert!((35.5..42.5).contains(&lon), "{layer}: lon {lon}");
            assert!((32.2..37.5).contains(&lat), "{layer}: lat {lat}");
            for x in [lon, lat] {
                let s = x.to_string();
                let decimals = s.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 6, "{layer}: {s} has more than 6 decimals");
            }
        }
    }
    let places = read_json(&out.path().join("places.geojson"));
    let feats = places["features"].as_array().unwrap();
    assert!(!feats.is_empty());
    for f in feats {
        let p = &f["properties"];
        for k in [
            "killed_low",
            "killed_high",
            "wounded_low",
            "wounded_high",
            "claims",
            "documents",
        ] {
            assert!(p.get(k).is_some(), "places.geojson lacks {k}");
        }
        let start = p["period_start"].as_str().unwrap();
        assert_eq!(start.len(), 10, "ISO date: {start}");
    }
}

#[test]
fn examples_give_the_expected_places_and_totals() {
    let out = tempfile::tempdir().unwrap();
    let o = tollmap(&["build", &examples(), "--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let places = read_json(&out.path().join("places.geojson"));
    let row = |name: &str| -> Value {
        places["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["name"] == name)
            .unwrap_or_else(|| panic!("no place {name}"))["properties"]
            .clone()
    };
    // A plain count, repeated in headline and body, counts once.
    assert_eq!(row("Jisr-Ash-Shugur")["killed_low"], 8);
    assert_eq!(row("Jisr-Ash-Shugur")["killed_high"], 8);
    // "At least 21": unbounded above.
    assert_eq!(row("Duma")["killed_low"], 21);
    assert_eq!(row("Duma")["killed_high"], Value::Null);
    // A total and its breakdown count once: "more than 40", not 40 + 41.
    assert_eq!(row("Kafr Nabudah")["killed_low"], 41);
    // Wounded are not killed; "four of the wounded" is part of the 17.
    assert_eq!(row("Aleppo")["wounded_low"], 17);
    assert_eq!(row("Aleppo")["killed_low"], 0);
    // The cumulative national toll is in cumulative.csv, not on the map.
    let cumulative = std::fs::read_to_string(out.path().join("cumulative.csv")).unwrap();
    assert!(cumulative.contains("380,000"), "{cumulative}");
    let claims = std::fs::read_to_string(out.path().join("claims.geojson")).unwrap();
    assert!(!claims.contains("380,000"));
    // "15 villages", "30,000 residents fled", "eight years" are not casualties.
    assert!(!claims.contains("06-not-a-casualty-count"), "{claims}");
    // Where the dead came from.
    let origins = read_json(&out.path().join("origins.geojson"));
    assert!(origins["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["properties"]["name"] == "Al-Qardaha" || f["properties"]["name"] == "Qardaha"));
}

#[test]
fn two_runs_give_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let o = tollmap(&["build", &examples(), "--out", d.path().to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for f in files() {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

/// Builds good output into a folder, runs a failing build into it, and checks the exit code,
/// the message and that the previous output survived byte for byte.
fn failing_build_keeps_output(input: &Path, expect_in_message: &str) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    assert!(tollmap(&["build", &examples(), "--out", dir])
        .status
        .success());
    let before: Vec<Vec<u8>> = files()
        .map(|f| std::fs::read(out.path().join(f)).unwrap())
        .collect();
    let o = tollmap(&["build", input.to_str().unwrap(), "--out", dir]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(
        msg.contains(expect_in_message),
        "message `{msg}` lacks `{expect_in_message}`"
    );
    assert!(!msg.contains("panicked"), "{msg}");
    for (f, old) in files().zip(before) {
        assert_eq!(
            std::fs::read(out.path().join(f)).unwrap(),
            old,
            "{f} changed"
        );
    }
}

#[test]
fn missing_input_exits_2_naming_it() {
    let missing = PathBuf::from("/nonexistent/tollmap/article.txt");
    failing_build_keeps_output(&missing, "/nonexistent/tollmap/article.txt");
}

#[test]
fn broken_jsonl_line_3_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("docs.jsonl");
    std::fs::write(
        &p,
        "{\"id\":\"a\",\"text\":\"Five civilians were killed in Hama.\"}\n\
         {\"id\":\"b\",\"text\":\"Two soldiers died in Homs.\"}\n\
         {\"id\":\"c\",\"text\": \"unterminated\n",
    )
    .unwrap();
    failing_build_keeps_output(&p, &format!("{}:3:", p.display()));
}

#[test]
fn unreadable_directory_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A symbolic link to itself cannot be read by anyone, root included.
    let looped = dir.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    failing_build_keeps_output(&looped, &looped.display().to_string());

    // A folder without permissions, where this user is subject to them (not root).
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("a.txt"), "Two soldiers died in Homs.").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_err() {
        failing_build_keeps_output(&locked, &locked.display().to_string());
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn bad_front_matter_date_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.md");
    std::fs::write(
        &p,
        "---\ntitle: x\npublished: last Tuesday\n---\nFive died in Hama.\n",
    )
    .unwrap();
    failing_build_keeps_output(&p, &format!("{}:3:", p.display()));
}

#[test]
fn extract_jsonl_follows_the_claim_contract() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.txt");
    std::fs::write(
        &p,
        "At least 12 civilians were killed in Jableh on Thursday, according to medics.\n",
    )
    .unwrap();
    let o = tollmap(&[
        "-q",
        "extract",
        "--format",
        "jsonl",
        "--published",
        "2025-03-08",
        p.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let c: Value = serde_json::from_str(lines[0]).unwrap();
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec![
        "id",
        "doc",
        "published",
        "quote",
        "span",
        "count",
        "outcome",
        "victims",
        "victims_text",
        "claimant",
        "scope",
        "part_of",
        "date",
        "places",
        "confidence",
        "reasons",
    ];
    want.sort();
    let mut got = keys.clone();
    got.sort();
    assert_eq!(got, want);
    // A stable id: the document's, then ten hex digits.
    let id = c["id"].as_str().unwrap();
    assert!(
        id.len() == "report#".len() + 10
            && id.starts_with("report#")
            && id[7..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(c["count"]["low"], 12);
    assert_eq!(c["count"]["high"], Value::Null);
    assert_eq!(c["count"]["qualifier"], "at_least");
    assert_eq!(c["outcome"], "killed");
    assert_eq!(c["victims"], "civilians");
    assert_eq!(c["claimant"], "medics");
    // How sure, in [0, 1], and why not more (each reason a word of the contract).
    let confidence = c["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "{c}");
    assert!(c["reasons"].as_array().unwrap().iter().all(|r| r
        .as_str()
        .is_some_and(|r| r.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))));
    assert_eq!(c["scope"], "event");
    assert_eq!(c["date"]["start"], "2025-03-06");
    assert_eq!(c["date"]["precision"], "day");
    let place = &c["places"][0];
    for k in [
        "mention",
        "role",
        "name",
        "gazetteer_id",
        "lat",
        "lon",
        "admin1",
        "admin2",
        "kind",
        "precision",
    ] {
        assert!(place.get(k).is_some(), "place lacks {k}");
    }
    assert_eq!(place["role"], "event");
    assert_eq!(place["admin1"], "Lattakia");
    assert_eq!(place["precision"], 1);
}

#[test]
fn geocode_exit_codes_and_nulls() {
    let o = tollmap(&["geocode", "Jableh", "Lattakia", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["query"], "Jableh");
    assert_eq!(first["admin1"], "Lattakia");
    for k in [
        "name",
        "gazetteer_id",
        "lat",
        "lon",
        "kind",
        "precision",
        "score",
        "alternatives",
    ] {
        assert!(first.get(k).is_some(), "geocode lacks {k}");
    }

    let o = tollmap(&["geocode", "Jableh", "Qwxzzkvb", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    let second: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["lat"], Value::Null);
    assert_eq!(second["lon"], Value::Null);

    // A name a letter or two off a place abroad matches nothing well: no answer, exit 1 (it
    // was Atlanta, precision 1). One off a Syrian place is that place, but never exact.
    let o = tollmap(&["geocode", "Atlantis", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let atlantis: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(atlantis["name"], Value::Null, "{atlantis}");
    let o = tollmap(&["geocode", "Tartousx", "Jableh", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["name"], "Tartous");
    assert_eq!(lines[0]["matched"], "fuzzy");
    assert_eq!(lines[0]["precision"], 2);
    assert_eq!(lines[1]["matched"], "exact");
    assert_eq!(lines[1]["precision"], 1);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tollmap(&["build"]).status.code(), Some(2));
    assert_eq!(tollmap(&["frobnicate"]).status.code(), Some(2));
    let o = tollmap(&["extract", "--published", "yesterday", "x.txt"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn strict_breach_exits_1_but_writes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, "Four fighters from Zzyzxville were killed in Hama.\n").unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "build",
        p.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let unresolved = std::fs::read_to_string(out.join("unresolved.csv")).unwrap();
    assert!(unresolved.contains("Zzyzxville"), "{unresolved}");
}

#[test]
fn a_landmark_the_gazetteer_lacks_is_placed_near_its_town_and_listed_to_add() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(
        &p,
        "Seven civilians were killed at the Rastan stadium on Friday.\n\
         Four soldiers were killed in strikes on Kuweires airbase on Friday.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "-q",
        "build",
        p.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(out.join("unresolved.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 1, "only the stadium is missing: {rows:?}");
    assert_eq!(&rows[0][col("mention")], "Rastan stadium");
    assert_eq!(&rows[0][col("landmark_to_add")], "stadium");
    assert!(rows[0][col("fallback_to")].contains("Rastan"), "{rows:?}");
    let claims: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("claims.geojson")).unwrap()).unwrap();
    let features = claims["features"].as_array().unwrap();
    let by_count = |n: u64| {
        features
            .iter()
            .find(|f| f["properties"]["count_low"] == n)
            .unwrap_or_else(|| panic!("claim of {n}: {claims}"))
    };
    assert_eq!(by_count(7)["properties"]["precision"], 2);
    assert_eq!(by_count(4)["properties"]["precision"], 1);
    assert_eq!(by_count(4)["properties"]["place_kind"], "airbase");
    assert_eq!(by_count(4)["properties"]["near"], "Kuweires Sharqi");
}

#[test]
fn overlays_add_landmarks_and_correct_bundled_ones() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("sites.csv");
    // A new stadium near Rastan, and the Hikmeh school moved (a correction of a weak mark).
    std::fs::write(
        &csv,
        "id,name,aliases,lat,lon,kind,near,radius_m,weak_source\n\
         ,Rastan Stadium,Rastan football ground,34.93,36.73,stadium,Rastan,300,false\n\
         landmark:576,Al-Hikmah school,Hikmeh school,36.1610,37.0870,school,Aleppo,100,false\n",
    )
    .unwrap();
    let o = tollmap(&[
        "geocode",
        "--format",
        "jsonl",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
        "the Rastan stadium",
        "Hikmeh school",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["kind"], "stadium");
    assert_eq!(lines[0]["near"], "Rastan");
    assert_eq!(lines[0]["radius_m"], 300);
    assert_eq!(lines[1]["gazetteer_id"], "landmark:576");
    assert_eq!(lines[1]["lat"], 36.161);
    assert_eq!(lines[1]["weak_source"], false);
    // A bad radius names the file, the line and the column.
    std::fs::write(&csv, "name,lat,lon,kind,radius_m\nX Dam,35,38,dam,wide\n").unwrap();
    let o = tollmap(&[
        "geocode",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
        "X Dam",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("sites.csv:2") && err.contains("radius_m"),
        "{err}"
    );
}

#[test]
fn help_explains_with_examples() {
    for sub in ["build", "extract", "geocode"] {
        let o = tollmap(&[sub, "--help"]);
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("Example: tollmap"), "{sub} --help: {text}");
    }
    let o = tollmap(&["--version"]);
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("tollmap "));
}

#[test]
fn overlays_add_places_and_aliases_that_win() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Four fighters from Zzyzxville were killed in Hama.\n",
    )
    .unwrap();
    let csv = dir.path().join("places.csv");
    std::fs::write(
        &csv,
        "name,aliases,lat,lon,kind,same_as\n\
         Zzyzxville,Zzyzx,35.40,35.95,village,\n\
         Banias-on-Sea,,,,,geonames:171830\n\
         Hama,,35.0,37.0,landmark,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "build",
        article.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let origins = read_json(&out.join("origins.geojson"));
    let f = &origins["features"][0];
    assert_eq!(f["properties"]["name"], "Zzyzxville");
    // Filled from the nearest bundled place: the point lies in Lattakia governorate.
    assert_eq!(f["properties"]["admin1"], "Lattakia");

    let geo = dir.path().join("more.geojson");
    std::fs::write(
        &geo,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[36.2,33.5]},"properties":{"name":"Qwertyton","aliases":["Qwerty Town"],"kind":"neighbourhood"}}]}"#,
    )
    .unwrap();
    let o = tollmap(&[
        "geocode",
        "Banias-on-Sea",
        "Qwerty Town",
        "Hama",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
        "--gazetteer-overlay",
        geo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["gazetteer_id"], "geonames:171830");
    assert_eq!(lines[1]["name"], "Qwertyton");
    assert_eq!(lines[1]["kind"], "neighbourhood");
    // The overlay wins over the bundled city of the same name.
    assert_eq!(lines[2]["kind"], "landmark");
}

#[test]
fn bad_overlay_row_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "name,lat,lon\nGood,35,36\nBad,north,36\n").unwrap();
    let o = tollmap(&[
        "geocode",
        "Aleppo",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let msg = stderr(&o);
    assert!(msg.contains(&format!("{}:3:", csv.display())), "{msg}");
    assert!(msg.contains("lat"), "{msg}");
}

#[test]
fn geonames_import_opens_as_a_world_layer() {
    let dir = tempfile::tempdir().unwrap();
    // Invented places in the GeoNames 19-column format (tab-separated, no header).
    let dump = dir.path().join("XX.txt");
    let row = |id: u32,
               name: &str,
               alt: &str,
               lat: f64,
               lon: f64,
               class: &str,
               code: &str,
               cc: &str,
               pop: u64| {
        format!(
            "{id}\t{name}\t{name}\t{alt}\t{lat}\t{lon}\t{class}\t{code}\t{cc}\t\t01\t\t\t\t{pop}\t\t100\tEurope/Nowhere\t2024-01-01\n"
        )
    };
    let text = [
        row(
            9_900_001,
            "Quillonbrook",
            "Quillon Brook,Kwillonbruk",
            47.1,
            8.2,
            "P",
            "PPL",
            "CH",
            1200,
        ),
        row(
            9_900_002,
            "Mount Vexaline",
            "",
            46.5,
            9.1,
            "T",
            "MT",
            "CH",
            0,
        ),
        row(9_900_003, "Aleppo", "", 10.0, 10.0, "P", "PPL", "NG", 50),
    ]
    .concat();
    std::fs::write(&dump, text).unwrap();
    let world = dir.path().join("world");
    let o = tollmap(&[
        "gazetteer",
        "import",
        "geonames",
        dump.to_str().unwrap(),
        "--out",
        world.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported 3 places"), "{}", stderr(&o));
    let o = tollmap(&[
        "geocode",
        "Kwillonbruk",
        "Mount Vexaline",
        "Aleppo",
        "--gazetteer-world",
        world.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["gazetteer_id"], "geonames:9900001");
    assert_eq!(lines[0]["country"], "CH");
    assert_eq!(lines[1]["kind"], "landmark");
    // The bundled Syrian city still wins over a small imported namesake.
    assert_eq!(lines[2]["gazetteer_id"], "geonames:170063");

    // A broken line: exit 2, file and line named, nothing half-written.
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        format!(
            "{}9900004\tX\tX\t\tnorth\t8.0\tP\tPPL\tCH\t\t\t\t\t\t0\n",
            row(
                9_900_001,
                "Quillonbrook",
                "",
                47.1,
                8.2,
                "P",
                "PPL",
                "CH",
                1
            )
        ),
    )
    .unwrap();
    let out2 = dir.path().join("world2");
    let o = tollmap(&[
        "gazetteer",
        "import",
        "geonames",
        bad.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("{}:2:", bad.display())),
        "{}",
        stderr(&o)
    );
    assert!(!out2.exists());
    // A folder that is not an import.
    let o = tollmap(&[
        "geocode",
        "Aleppo",
        "--gazetteer-world",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("places.tsv"), "{}", stderr(&o));
}

#[test]
fn gazetteer_check_passes_on_the_bundled_data_and_flags_bad_overlays() {
    let o = tollmap(&["gazetteer", "check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    // A "Syrian" place in the Mediterranean, and an id used twice.
    std::fs::write(
        &csv,
        "id,name,lat,lon,admin1\nx:1,Seaside,34.0,33.0,Lattakia\nx:1,Twice,35.5,36.0,Hama\n",
    )
    .unwrap();
    let o = tollmap(&[
        "gazetteer",
        "check",
        "--gazetteer-overlay",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("x:1\tSyrian place outside Syria"), "{out}");
    assert!(out.contains("x:1\tduplicate id"), "{out}");
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for `connections` requests: `routes` maps a path to
/// a body; other paths get 404.
fn serve(routes: Vec<(&'static str, Vec<u8>)>, connections: usize) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, b)) => ("200 OK", b.clone()),
                None => ("404 Not Found", b"not here".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}")
}

#[test]
fn geonames_import_downloads_a_zip_from_a_local_server() {
    use std::io::Write;
    let dump = "9900011\tPlimvarra\tPlimvarra\tPlim Varra\t36.1\t36.9\tP\tPPL\tTR\t\t31\t\t\t\t900\t\t80\tEurope/Istanbul\t2024-01-01\n";
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zipped);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("readme.txt", opts).unwrap();
        z.write_all(b"not the dump").unwrap();
        z.start_file("XT.txt", opts).unwrap();
        z.write_all(dump.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let base = serve(vec![("/XT.zip", zipped.into_inner())], 2);
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("w");
    let o = tollmap(&[
        "gazetteer",
        "import",
        "geonames",
        &format!("{base}/XT.zip"),
        "--out",
        world.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tollmap(&[
        "geocode",
        "Plim Varra",
        "--gazetteer-world",
        world.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .contains("geonames:9900011"));

    let missing = format!("{base}/nope.zip");
    let o = tollmap(&[
        "gazetteer",
        "import",
        "geonames",
        &missing,
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let msg = stderr(&o);
    assert!(msg.contains(&missing) && msg.contains("404"), "{msg}");
}

#[test]
fn event_tables_become_claims_with_their_own_points() {
    let dir = tempfile::tempdir().unwrap();
    let acled = dir.path().join("acled.csv");
    std::fs::write(
        &acled,
        "event_id_cnty,event_date,location,latitude,longitude,geo_precision,fatalities,notes,source\n\
         SYR1,2019-03-14,Kafr Nabl,35.61,36.56,1,6,Shelling killed six people.,Local media\n\
         SYR2,15 March 2019,Kafr Nabl,35.61,36.56,1,2,Two more died.,Local media\n",
    )
    .unwrap();
    let native = dir.path().join("mine.csv");
    std::fs::write(
        &native,
        "count_low,count_high,outcome,victims,place_name,date_start,date_end,claimant\n\
         12,12,killed,civilians,Jableh,2019-03-05,2019-03-05,a local council\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "-q",
        "build",
        acled.to_str().unwrap(),
        native.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let places: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("places.geojson")).unwrap()).unwrap();
    let rows: Vec<(String, u64, Vec<f64>)> = places["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["name"].as_str().unwrap_or("").to_string(),
                f["properties"]["killed_low"].as_u64().unwrap(),
                f["geometry"]["coordinates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect(),
            )
        })
        .collect();
    // Both ACLED events at their own point, added up; the native row resolved to Jableh.
    assert!(
        rows.contains(&("Kafr Nabl".into(), 8, vec![36.56, 35.61])),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(n, k, _)| n == "Jablah" && *k == 12),
        "{rows:?}"
    );

    // A table tollmap does not know is named with its line.
    let odd = dir.path().join("odd.csv");
    std::fs::write(&odd, "a,b\n1,2\n").unwrap();
    let o = tollmap(&["extract", odd.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("odd.csv:1: unknown columns"), "{err}");
}

#[test]
fn a_saved_page_gives_only_its_article_claims_dated_from_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("ariha.html");
    std::fs::write(
        &page,
        r##"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shelling kills nine in Ariha</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Shelling kills nine in Ariha","datePublished":"2019-05-14T09:30:00+03:00"}</script>
</head><body>
<header><a href="/"><img alt="Example Wire"></a>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Shelling kills nine in Ariha</h1>
<p>Nine civilians were killed on Monday when shells hit a market in Ariha, local medics said.
The wounded were taken to hospitals in Idlib, where doctors said supplies were running low.</p>
<p>Residents said the shelling came from positions south of the town and went on for most of
the morning, damaging several buildings and closing the main road to traffic.</p>
<p>Rescue workers searched the rubble until the evening for people still unaccounted for.</p>
</article></main>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/1">Twenty soldiers killed in Deir Ezzor ambush</a></li>
<li><a href="/2">Forty people killed in Douma air raid</a></li></ul></aside>
<footer><a href="/share">Share</a> <a href="#comments">Comments (12)</a></footer>
</body></html>"##,
    )
    .unwrap();
    let o = tollmap(&["extract", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let claims: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, &str, &str, &str)> = claims
        .iter()
        .map(|c| {
            (
                c["count"]["low"].as_u64().unwrap(),
                c["outcome"].as_str().unwrap(),
                c["published"].as_str().unwrap_or(""),
                c["date"]["start"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // "Monday" before Tuesday 14 May 2019; nothing from the related stories.
    assert_eq!(
        got,
        [(9, "killed", "2019-05-14", "2019-05-13")],
        "{claims:#?}"
    );
}

#[test]
fn some_inputs_failing_do_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(&good, "Five civilians were killed in Jableh on Friday.\n").unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": \"x\", \"text\": \"Two died in Homs.\"}\nnot json\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.md");
    let out = dir.path().join("out");
    let o = tollmap(&[
        "build",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--published",
        "2019-05-14",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert!(err.contains("missing.md"), "{err}");
    // The good file is mapped; nothing of the broken file is (not even its good first line).
    let claims = std::fs::read_to_string(out.join("claims.csv")).unwrap();
    assert!(
        claims.contains("Jableh") && !claims.contains("Homs"),
        "{claims}"
    );
}

#[test]
fn extraction_does_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    // Enough documents for several chunks, each with a claim and a place.
    let places = [
        "Aleppo",
        "Idlib",
        "Hama",
        "Homs",
        "Deir ez-Zor",
        "Jableh",
        "Qardaha",
    ];
    let mut lines = String::new();
    for i in 0..700 {
        let doc = serde_json::json!({
            "id": format!("d{i}"),
            "published": "2020-03-04",
            "text": format!(
                "{} civilians were killed in {} on Monday, activists said.\n\nThe market stayed closed.",
                i % 17 + 2,
                places[i % places.len()]
            ),
        });
        lines.push_str(&doc.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tollmap"))
            .env("RAYON_NUM_THREADS", threads)
            .args(["-q", "extract", "--format", "jsonl"])
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let one = run("1");
    assert_eq!(String::from_utf8_lossy(&one).lines().count(), 700);
    assert!(one == run("2"), "2 threads changed the output");
    assert!(one == run("3"), "3 threads changed the output");
    let first = String::from_utf8_lossy(&one)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(first.contains("\"doc\":\"d0\""), "{first}");
}

/// Six short reports written for this test: three outlets on one shelling, a total with its
/// breakdown, a national toll, and a five-week count.
const EVENT_REPORTS: &str = r#"{"id": "a", "published": "2020-03-04", "title": "Shelling hits Ariha", "text": "Shelling killed 12 civilians in Ariha on Tuesday, activists said."}
{"id": "b", "published": "2020-03-04", "title": "Ariha toll rises", "text": "At least 14 civilians were killed in Ariha on Tuesday, the Syrian Observatory for Human Rights said."}
{"id": "c", "published": "2020-03-05", "title": "Funerals in Ariha", "text": "Medics said 13 civilians died in Ariha on Tuesday."}
{"id": "d", "published": "2020-03-04", "title": "Clashes in Jableh", "text": "Over 40 people were killed in Jableh, including 22 soldiers, 15 gunmen and three civilians."}
{"id": "e", "published": "2020-03-04", "title": "A national toll", "text": "More than 380,000 people have been killed in Syria since 2011, the monitor said."}
{"id": "f", "published": "2020-03-04", "title": "Five weeks in Hama", "text": "At least 180 soldiers were killed in Hama province in five weeks, the monitor said."}
"#;

fn features(dir: &Path, layer: &str) -> Vec<Value> {
    read_json(&dir.join(layer))["features"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Builds `EVENT_REPORTS` with extra arguments: the folder (removed when dropped) and the
/// output inside it.
fn build_reports(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reports.jsonl");
    std::fs::write(&input, EVENT_REPORTS).unwrap();
    let out = dir.path().join("out");
    let mut all = vec![
        "build",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = tollmap(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out)
}

#[test]
fn events_count_each_death_once() {
    let (_dir, out) = build_reports(&["--period", "week"]);
    let events = features(&out, "events.geojson");
    let props = |f: &Value| f["properties"].clone();
    let by_place = |name: &str| -> Value {
        events
            .iter()
            .map(props)
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no event at {name}: {events:#?}"))
    };
    assert_eq!(events.len(), 3, "{events:#?}");
    let claims = features(&out, "claims.geojson");
    // The id of a document's claim that is no part of another.
    let first_of = |doc: &str| -> String {
        claims
            .iter()
            .map(props)
            .find(|p| p["doc"] == doc && p["part_of"].is_null())
            .and_then(|p| p["id"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("no claim of {doc}"))
    };
    // Three outlets, one shelling: one event, three claims, 12 to unbounded.
    let ariha = by_place("Ariha");
    assert_eq!(
        ariha["claim_ids"],
        format!("{} {} {}", first_of("a"), first_of("b"), first_of("c"))
    );
    assert_eq!(ariha["documents"], 3);
    assert_eq!(
        (ariha["low"].as_u64(), ariha["high"].is_null()),
        (Some(12), true)
    );
    // The total counts once; its parts are listed in claims.geojson with no event.
    let jableh = by_place("Jablah");
    let total = first_of("d");
    assert_eq!(
        (jableh["low"].as_u64(), jableh["claim_ids"].as_str()),
        (Some(41), Some(total.as_str()))
    );
    let parts: Vec<Value> = claims
        .iter()
        .map(props)
        .filter(|p| p["part_of"] == total.as_str())
        .collect();
    assert_eq!(parts.len(), 3);
    assert!(parts.iter().all(|p| p["event_id"] == ""));
    // The national toll is in cumulative.csv and in no layer.
    let cumulative = std::fs::read_to_string(out.join("cumulative.csv")).unwrap();
    assert!(
        cumulative.lines().any(|l| l.starts_with("e#")),
        "{cumulative}"
    );
    for layer in [
        "claims.geojson",
        "events.geojson",
        "places.geojson",
        "admin1.geojson",
        "admin2.geojson",
    ] {
        let text = std::fs::read_to_string(out.join(layer)).unwrap();
        assert!(!text.contains("\"e#"), "{layer} holds the cumulative toll");
    }
    // Five weeks of fighting: counted once, in the week of its last day, marked as spanning.
    let places = features(&out, "places.geojson");
    let hama: Vec<Value> = places
        .iter()
        .map(props)
        .filter(|p| p["name"] == "Hama")
        .collect();
    assert_eq!(hama.len(), 1, "{hama:#?}");
    assert_eq!(hama[0]["period"], "2020-W10");
    assert_eq!(hama[0]["period_start"], "2020-03-02");
    assert_eq!(hama[0]["killed_low"], 180);
    assert_eq!(hama[0]["spanning"], 1);
    // Governorates and districts carry the same totals: 12 + 41 + 180.
    let sum = |layer: &str| -> u64 {
        features(&out, layer)
            .iter()
            .map(|f| f["properties"]["killed_low"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(sum("places.geojson"), 233);
    assert_eq!(sum("admin1.geojson"), 233);
    assert_eq!(sum("admin2.geojson"), 233);
    let admin1 = features(&out, "admin1.geojson");
    assert!(admin1
        .iter()
        .all(|f| f["geometry"]["type"] == "MultiPolygon"));
    // Stricter event rules: a zero-day window and no districts still keep the same-day reports together.
    let (_strict_dir, strict) = build_reports(&[
        "--event-days",
        "0",
        "--event-km",
        "1",
        "--no-district-events",
    ]);
    assert_eq!(features(&strict, "events.geojson").len(), 3);
}

#[test]
fn geopackage_holds_the_layers_as_the_standard_asks() {
    let (_dir, out) = build_reports(&[]);
    let db = rusqlite::Connection::open(out.join("tollmap.gpkg")).unwrap();
    let one = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("PRAGMA application_id"), 0x4750_4B47);
    assert_eq!(one("PRAGMA user_version"), 10300);
    assert_eq!(
        one("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326)"),
        3
    );
    for (layer, geometry, geojson) in [
        ("claims", "POINT", "claims.geojson"),
        ("events", "POINT", "events.geojson"),
        ("places", "POINT", "places.geojson"),
        ("origins", "POINT", "origins.geojson"),
        ("admin1", "MULTIPOLYGON", "admin1.geojson"),
        ("admin2", "MULTIPOLYGON", "admin2.geojson"),
    ] {
        let (data_type, srs): (String, i64) = db
            .query_row(
                "SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = ?1",
                [layer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((data_type.as_str(), srs), ("features", 4326), "{layer}");
        let g: String = db
            .query_row(
                "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?1 AND column_name = 'geom'",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(g, geometry, "{layer}");
        let n = one(&format!("SELECT count(*) FROM \"{layer}\""));
        assert_eq!(n as usize, features(&out, geojson).len(), "{layer}");
        // Every geometry is a GeoPackage blob in SRS 4326.
        let bad = one(&format!(
            "SELECT count(*) FROM \"{layer}\" WHERE substr(geom, 1, 2) != X'4750' OR substr(geom, 5, 4) != X'E6100000'"
        ));
        assert_eq!(bad, 0, "{layer}");
    }
    let low: i64 = one("SELECT sum(killed_low) FROM admin1");
    assert_eq!(low, 233);
}

/// The claims `extract --format jsonl` gives for these arguments, and the run's output.
fn extracted(args: &[&str]) -> (Output, Vec<Value>) {
    let mut all = vec!["extract", "--format", "jsonl"];
    all.extend_from_slice(args);
    let o = tollmap(&all);
    let claims = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (o, claims)
}

#[test]
fn same_named_files_in_subfolders_are_two_documents() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, text) in [
        ("2019/05", "Five civilians were killed in Ariha on Monday."),
        ("2019/06", "Three civilians were killed in Douma on Friday."),
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("story.md"), text).unwrap();
    }
    let (o, claims) = extracted(&[dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs: Vec<&str> = claims.iter().map(|c| c["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["2019/05/story", "2019/06/story"], "{claims:#?}");
}

#[test]
fn a_repeated_document_is_left_out_with_a_warning() {
    let ex = examples();
    let file = format!("{ex}/01-plain-count-jisr.md");
    let (alone, want) = extracted(&[&ex]);
    assert_eq!(alone.status.code(), Some(0));
    let (o, claims) = extracted(&[&ex, &file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`01-plain-count-jisr` already used"),
        "{}",
        stderr(&o)
    );
    assert_eq!(claims, want);
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("docs.jsonl");
    let line = r#"{"id":"a","text":"Four civilians were killed in Ariha on Monday.","published":"2019-05-14"}"#;
    std::fs::write(&jsonl, format!("{line}\n{line}\n")).unwrap();
    let (o, claims) = extracted(&[jsonl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(claims.len(), 1, "{claims:#?}");
}

#[test]
fn option_values_out_of_range_are_usage_errors() {
    let ex = examples();
    for (flag, value) in [
        ("--event-km", "NaN"),
        ("--event-km", "-1"),
        ("--event-km", "inf"),
        ("--event-days", "-3"),
        ("--max-mb", "17592186044416"),
        ("--max-mb", "0"),
        ("--timeout", "0"),
        ("--timeout", "NaN"),
    ] {
        let arg = format!("{flag}={value}");
        let out = tempfile::tempdir().unwrap();
        let o = tollmap(&["build", &ex, "--out", out.path().to_str().unwrap(), &arg]);
        assert_eq!(o.status.code(), Some(2), "{arg}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{arg}: {}", stderr(&o));
        assert!(
            !out.path().join("manifest.json").exists(),
            "{arg} wrote outputs"
        );
    }
    for (flag, value) in [("--cluster-distance", "-5"), ("--buffer", "NaN")] {
        let arg = format!("{flag}={value}");
        let o = tollmap(&["tiles", "x.geojson", "-o", "x.pmtiles", &arg]);
        assert_eq!(o.status.code(), Some(2), "{arg}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{arg}: {}", stderr(&o));
    }
}

#[test]
fn a_second_build_into_a_busy_folder_is_refused_and_a_failed_first_leaves_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    std::fs::create_dir(&out).unwrap();
    let held = std::fs::File::open(&out).unwrap();
    held.try_lock().unwrap();
    let site = out.to_str().unwrap();
    let o = tollmap(&["-q", "build", &examples(), "--out", site]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another tollmap build"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("manifest.json").exists());
    held.unlock().unwrap();
    let o = tollmap(&["-q", "build", &examples(), "--out", site]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fresh = dir.path().join("fresh");
    let o = tollmap(&[
        "-q",
        "build",
        "/nonexistent/input",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!fresh.exists(), "a failed first build left its folder");
}

#[test]
fn csv_cells_never_start_a_spreadsheet_formula_and_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs.jsonl");
    std::fs::write(
        &input,
        r#"{"id":"=cmd","text":"=HYPERLINK(\"http://evil.example\",\"x\") Shelling killed five civilians in Ariha on Monday.","published":"2019-05-14"}"#,
    )
    .unwrap();
    let first = dir.path().join("first");
    let o = tollmap(&[
        "-q",
        "build",
        input.to_str().unwrap(),
        "--out",
        first.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = std::fs::read_to_string(first.join("claims.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(table.as_bytes());
    let mut n = 0;
    for row in rows.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula reaches the spreadsheet: {cell}"
            );
        }
        n += 1;
    }
    assert_eq!(n, 1, "{table}");
    assert!(table.contains("'=cmd#"), "{table}");
    let second = dir.path().join("second");
    let o = tollmap(&[
        "-q",
        "build",
        first.join("claims.csv").to_str().unwrap(),
        "--out",
        second.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let props = |dir: &Path| -> Vec<(Value, Value, Value)> {
        read_json(&dir.join("claims.geojson"))["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = &f["properties"];
                (p["id"].clone(), p["doc"].clone(), p["quote"].clone())
            })
            .collect()
    };
    let (a, b) = (props(&first), props(&second));
    assert_eq!(a, b);
    assert!(a[0].0.as_str().unwrap().starts_with("=cmd#"), "{a:?}");
}

#[test]
fn a_build_stages_beside_its_outputs_and_clears_what_a_killed_one_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    std::fs::create_dir_all(out.join(".tollmap-staging-99999")).unwrap();
    std::fs::write(
        out.join(".tollmap-staging-99999")
            .join("tollmap-claims.geojson-x"),
        "half",
    )
    .unwrap();
    std::fs::write(out.join(".claims.geojson.tmp-99999"), "half").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join(".keep"), "mine").unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = tollmap_with(
        &["-q", "build", &examples(), "--out", out.to_str().unwrap()],
        &[("TMPDIR", tmp.to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with(".tollmap-staging-") || n.contains(".tmp-")),
        "{names:?}"
    );
    assert!(names.contains(&"notes.txt".into()) && names.contains(&".keep".into()));
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "files left in TMPDIR"
    );
}

#[test]
fn sigterm_stops_a_build_leaving_the_previous_output_whole_and_no_staged_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = tollmap(&["-q", "build", &examples(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let before = files_of(&out);
    // Enough documents that the build takes a while.
    let input = dir.path().join("many.jsonl");
    let places = ["Ariha", "Douma", "Saraqib", "Atarib", "Harasta"];
    let lines: Vec<String> = (0..40_000)
        .map(|i| {
            format!(
                r#"{{"id":"d{i}","text":"Shelling killed {} civilians in {} on Monday, a monitor said.","published":"2019-05-14"}}"#,
                i % 300 + 2,
                places[i % 5]
            )
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "-q",
            "build",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let staging = || {
        std::fs::read_dir(&out).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".tollmap-staging-")
        })
    };
    while !staging() {
        std::thread::sleep(std::time::Duration::from_millis(10));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it was stopped"
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!staging(), "the staging folder is left");
    assert_eq!(files_of(&out), before, "the previous output changed");
}

#[test]
fn a_document_or_page_too_large_to_read_safely_is_left_out_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let sentence = "Shelling killed five civilians in Ariha on Monday, a monitor said. ";
    std::fs::write(&big, sentence.repeat((5 << 20) / sentence.len())).unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        format!(
            "<html><body>{}</body></html>",
            "<p>x</p>".repeat((9 << 20) / 8)
        ),
    )
    .unwrap();
    let small = dir.path().join("small.md");
    std::fs::write(&small, sentence).unwrap();
    let (o, claims) = extracted(&[
        big.to_str().unwrap(),
        page.to_str().unwrap(),
        small.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bytes of text, more than"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("page.html") && stderr(&o).contains("read as one article"),
        "{}",
        stderr(&o)
    );
    assert_eq!(claims.len(), 1);
    let (o, _) = extracted(&[big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_failed_switch_rolls_back_to_the_previous_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let site = out.to_str().unwrap();
    let o = tollmap(&["-q", "build", &examples(), "--out", site, "--no-web"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The last file moved into place cannot be: a folder holds its name.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    std::fs::create_dir_all(out.join("manifest.json").join("in-the-way")).unwrap();
    let before = files_of(&out);
    let extra = dir.path().join("more.md");
    std::fs::write(
        &extra,
        "Shelling killed seven civilians in Douma on Monday.",
    )
    .unwrap();
    let o = tollmap(&[
        "-q",
        "build",
        &examples(),
        extra.to_str().unwrap(),
        "--out",
        site,
        "--no-web",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(files_of(&out), before, "the folder mixes two builds");
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tollmap-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_switch_a_killed_build_left_half_done_is_rolled_back_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let site = out.to_str().unwrap();
    let o = tollmap(&["-q", "build", &examples(), "--out", site, "--no-web"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = files_of(&out);
    // A build killed mid-switch: claims.geojson already replaced, data.js new.
    let switch = out.join(".tollmap-switch-99999");
    std::fs::create_dir_all(switch.join("old")).unwrap();
    std::fs::copy(
        out.join("claims.geojson"),
        switch.join("old").join("claims.geojson"),
    )
    .unwrap();
    std::fs::write(
        switch.join("journal"),
        "old claims.geojson\nnew data.js\nnew places.geojson\n",
    )
    .unwrap();
    std::fs::write(out.join("claims.geojson"), "half of a newer build").unwrap();
    std::fs::write(out.join("data.js"), "newer").unwrap();
    // The next run fails (a missing input), but first it puts the previous build back.
    let o = tollmap(&["-q", "build", "/nonexistent/input", "--out", site]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!switch.exists());
    let mut want = before.clone();
    want.retain(|(n, _)| n != "places.geojson");
    assert_eq!(files_of(&out), want);
}

#[test]
fn a_build_killed_at_any_point_of_its_switch_leaves_one_whole_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let site = out.to_str().unwrap();
    // A newer build: the examples and one more article.
    let newer = dir.path().join("newer");
    std::fs::create_dir(&newer).unwrap();
    for e in std::fs::read_dir(examples()).unwrap().flatten() {
        std::fs::copy(e.path(), newer.join(e.file_name())).unwrap();
    }
    std::fs::write(
        newer.join("08-later.md"),
        "---\npublished: 2019-06-02\n---\nFour civilians were killed in Ariha on Saturday, \
         rescuers said.\n",
    )
    .unwrap();
    let newer = newer.to_str().unwrap();
    let reference = dir.path().join("reference");
    let o = tollmap(&["-q", "build", newer, "--out", reference.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = files_of(&reference);
    let o = tollmap(&["-q", "build", &examples(), "--out", site]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let old = files_of(&out);
    assert_ne!(old, new);
    for point in ["staged", "journal", "rename-1", "rename-7", "committed"] {
        let o = tollmap_with(
            &["-q", "build", newer, "--out", site],
            &[("TOLLMAP_TEST_DIE_AT", point)],
        );
        assert_eq!(o.status.code(), None, "{point}: not killed: {}", stderr(&o));
        // The next run, even one that fails, finds one whole build: the previous one, or
        // the new one when the switch was done.
        let o = tollmap(&["-q", "build", "/nonexistent/input", "--out", site]);
        assert_eq!(o.status.code(), Some(2), "{point}");
        let want = if point == "committed" { &new } else { &old };
        assert!(files_of(&out) == *want, "{point}: a mixed folder");
        let debris: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(debris.is_empty(), "{point}: {debris:?}");
        if point == "committed" {
            break;
        }
    }
}

#[test]
fn a_linked_folder_is_read_and_a_link_back_up_is_no_loop() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(
        elsewhere.join("story.md"),
        "Five civilians were killed in Ariha on Monday.",
    )
    .unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::os::unix::fs::symlink(&elsewhere, input.join("linked")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("up")).unwrap();
    let (o, claims) = extracted(&[input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("skipped"), "{}", stderr(&o));
    let docs: Vec<&str> = claims.iter().filter_map(|c| c["doc"].as_str()).collect();
    assert_eq!(docs, ["linked/story"], "{}", stderr(&o));
}

#[test]
fn two_nights_of_claims_csv_give_each_claim_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let o = tollmap(&[
        "-q",
        "build",
        &examples(),
        "--out",
        first.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let night1 = dir.path().join("night1.csv");
    let night2 = dir.path().join("night2.csv");
    std::fs::copy(first.join("claims.csv"), &night1).unwrap();
    std::fs::copy(first.join("claims.csv"), &night2).unwrap();
    let again = dir.path().join("again");
    let o = tollmap(&[
        "-q",
        "build",
        night1.to_str().unwrap(),
        night2.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("repeat ids already read"),
        "{}",
        stderr(&o)
    );
    let ids = |dir: &std::path::Path| -> Vec<String> {
        let text = std::fs::read_to_string(dir.join("claims.csv")).unwrap();
        text.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    let mut want = ids(&first);
    want.sort();
    let mut got = ids(&again);
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn a_build_of_its_own_claims_csv_gives_the_same_outputs() {
    // The examples (an origin layer among them) and reports with a breakdown, a running
    // total, several outlets and titles; every output but the manifest (which names the
    // inputs) must come back byte for byte, the page and the tiles included.
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports.jsonl");
    std::fs::write(&reports, EVENT_REPORTS).unwrap();
    let first = dir.path().join("first");
    let o = tollmap(&[
        "-q",
        "build",
        &examples(),
        reports.to_str().unwrap(),
        "--out",
        first.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second = dir.path().join("second");
    let o = tollmap(&[
        "-q",
        "build",
        first.join("claims.csv").to_str().unwrap(),
        "--out",
        second.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let without_manifest = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        files_of(dir)
            .into_iter()
            .filter(|(name, _)| name != "manifest.json")
            .collect()
    };
    let (a, b) = (without_manifest(&first), without_manifest(&second));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs after a build of claims.csv");
    }
    // The origins and titles made the trip.
    let origins = features(&second, "origins.geojson");
    assert!(!origins.is_empty());
    let claims = features(&second, "claims.geojson");
    assert!(claims
        .iter()
        .any(|f| f["properties"]["title"] == "Shelling hits Ariha"));
}
