//! Event tables on the map (issue 21): a row's bare point gets a name from its precision (the
//! settlement it lies in or is near, its district, its governorate), its governorate and
//! district from the bundled boundaries, and a UCDP row links to UCDP's page of its event.

mod common;

use common::tollmap;
use serde_json::Value;

#[test]
fn table_points_are_named_located_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("ged.csv");
    // Written for the test, in UCDP GED's columns: Aleppo's centre (precision 1), a point
    // 8 km east of Jableh (2), a governorate's point (4), a point in the eastern desert (1).
    std::fs::write(
        &table,
        "id,year,latitude,longitude,where_prec,best,date_start,date_end,side_a,side_b\n\
         901,2016,36.20124,37.16117,1,12,2016-08-04,2016-08-04,Government of Syria,Syrian insurgents\n\
         902,2016,35.36,36.01,2,3,2016-08-05,2016-08-05,Government of Syria,Syrian insurgents\n\
         903,2016,36.0,37.5,4,20,2016-08-06,2016-08-06,Government of Syria,IS\n\
         904,2016,34.0,38.8,1,2,2016-08-07,2016-08-07,Government of Syria,IS\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "-q",
        "build",
        table.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-tiles",
        "--no-web",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let claims: Value =
        serde_json::from_slice(&std::fs::read(out.join("claims.geojson")).unwrap()).unwrap();
    let row = |doc: &str| -> Value {
        claims["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["doc"] == doc)
            .unwrap()["properties"]
            .clone()
    };
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("ucdp:901", "Aleppo", Some("Aleppo"), Some("Jebel Saman")),
        ("ucdp:902", "near Jablah", Some("Lattakia"), Some("Jablah")),
        ("ucdp:903", "Aleppo governorate", Some("Aleppo"), None),
    ];
    for &(doc, name, admin1, admin2) in cases {
        let p = row(doc);
        assert_eq!(p["place_name"], name, "{doc}: {p:#?}");
        assert_eq!(p["admin1"].as_str(), admin1, "{doc}");
        assert_eq!(p["admin2"].as_str(), admin2, "{doc}");
        let id = doc.trim_start_matches("ucdp:");
        assert_eq!(p["url"], format!("https://ucdp.uu.se/event/{id}"));
    }
    // Far from any settlement: its district.
    let desert = row("ucdp:904");
    let name = desert["place_name"].as_str().unwrap();
    assert!(name.ends_with(" district"), "{desert:#?}");
    assert_eq!(
        name.trim_end_matches(" district"),
        desert["admin2"].as_str().unwrap()
    );
    // Every governorate and district in every period, zeros included: one period here.
    for (layer, bundled) in [
        ("admin1", "gazetteer/admin1.geojson"),
        ("admin2", "gazetteer/admin2.geojson"),
    ] {
        let areas: Value = serde_json::from_slice(&std::fs::read(bundled).unwrap()).unwrap();
        let n = areas["features"].as_array().unwrap().len();
        let rows: Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{layer}.geojson"))).unwrap())
                .unwrap();
        let rows = rows["features"].as_array().unwrap();
        assert_eq!(rows.len(), n, "{layer}");
        let killed: Vec<i64> = rows
            .iter()
            .map(|f| f["properties"]["killed_low"].as_i64().unwrap())
            .collect();
        assert!(
            killed.iter().filter(|&&k| k == 0).count() >= n - 4,
            "{layer}: {killed:?}"
        );
        assert_eq!(killed.iter().sum::<i64>(), 12 + 3 + 20 + 2, "{layer}");
        assert!(rows.iter().all(|f| f["properties"]["period"] == "2016-08"));
    }
    // The places layer carries the names too.
    let places: Value =
        serde_json::from_slice(&std::fs::read(out.join("places.geojson")).unwrap()).unwrap();
    assert!(places["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["name"].is_string() && f["properties"]["admin1"].is_string()));
}

/// The claims of `extract --format jsonl` built again, with their documents described by
/// lines without text, give the very layers of a build of the documents (issues 20 and 22).
#[test]
fn claims_as_json_lines_build_the_same_layers() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        ("ariha", "2019-05-14", "Shelling of Ariha", "https://example.org/a", "Shelling killed 12 civilians in Ariha on Monday, local medics said. Four of them were children."),
        ("jableh", "2019-05-12", "Clashes near Jableh", "https://example.org/j", "At least 20 people were killed in Jableh on Saturday, a monitor said. The dead included 15 soldiers and five civilians. Eight of them came from Qardaha."),
    ];
    let line = |text: &str, d: &(&str, &str, &str, &str, &str)| {
        serde_json::json!({"id": d.0, "published": d.1, "title": d.2, "url": d.3, "text": text})
            .to_string()
            + "\n"
    };
    let with_text = dir.path().join("docs.jsonl");
    std::fs::write(
        &with_text,
        docs.iter().map(|d| line(d.4, d)).collect::<String>(),
    )
    .unwrap();
    let described = dir.path().join("described.jsonl");
    std::fs::write(
        &described,
        docs.iter().map(|d| line("", d)).collect::<String>(),
    )
    .unwrap();
    let o = tollmap(&[
        "-q",
        "extract",
        with_text.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let claims = dir.path().join("claims.jsonl");
    std::fs::write(&claims, &o.stdout).unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"part_of\":\"jableh#"));
    let build = |inputs: &[&std::path::Path], out: &std::path::Path| {
        let mut args = vec!["-q", "build"];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
        args.extend(["--out", out.to_str().unwrap(), "--no-tiles", "--no-web"]);
        let o = tollmap(&args);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    };
    let direct = dir.path().join("direct");
    let again = dir.path().join("again");
    build(&[&with_text], &direct);
    build(&[&claims, &described], &again);
    // Split by month as a Spark job writes them, the later month first: the build puts the
    // claims back in their documents' order.
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let (may14, may12): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|l| l.contains("\"doc\":\"ariha\""));
    assert!(!may14.is_empty() && !may12.is_empty());
    let split = dir.path().join("split");
    std::fs::create_dir_all(split.join("month=2019-05-a")).unwrap();
    std::fs::create_dir_all(split.join("month=2019-05-b")).unwrap();
    std::fs::write(
        split.join("month=2019-05-a/part-0.jsonl"),
        may12.join("\n") + "\n",
    )
    .unwrap();
    std::fs::write(
        split.join("month=2019-05-b/part-0.jsonl"),
        may14.join("\n") + "\n",
    )
    .unwrap();
    let from_split = dir.path().join("from-split");
    build(&[&described, &split], &from_split);
    for f in common::LAYER_FILES.iter().chain(&["tollmap.gpkg"]) {
        let want = std::fs::read(direct.join(f)).unwrap();
        assert!(want == std::fs::read(again.join(f)).unwrap(), "{f} differs");
        assert!(
            want == std::fs::read(from_split.join(f)).unwrap(),
            "{f} differs when split"
        );
    }
}
