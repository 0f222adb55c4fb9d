//! The layers' fields come in the order README's "Layer fields" documents (issue 21), in the
//! GeoPackage's columns and the GeoJSON's properties alike.

mod common;

use common::tollmap;

/// The backticked names of a README table row's second cell, in order, up to "then".
fn documented(readme: &str, layer: &str) -> Vec<String> {
    let row = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {layer} |")))
        .unwrap_or_else(|| panic!("README has no Layer fields row for {layer}"));
    let cell = row.splitn(3, '|').nth(2).unwrap();
    let cell = cell.split("then the totals").next().unwrap();
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn fields_come_in_the_documented_order() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "-q",
        "build",
        "examples",
        "--out",
        out.to_str().unwrap(),
        "--no-tiles",
        "--no-web",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let db = rusqlite::Connection::open(out.join("tollmap.gpkg")).unwrap();
    let columns = |table: &str| -> Vec<String> {
        let mut st = db
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .unwrap();
        st.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|c| c != "fid" && c != "geom")
            .collect()
    };
    let geojson_keys = |layer: &str| -> Vec<String> {
        let text = std::fs::read_to_string(out.join(format!("{layer}.geojson"))).unwrap();
        // The first feature's properties, in the order written.
        let at = text.find("\"properties\":{").unwrap() + "\"properties\":".len();
        // serde_json's maps are sorted: the keys are read off the text.
        let mut keys = Vec::new();
        let mut rest = &text[at + 1..];
        let mut depth = 0;
        while let Some(c) = rest.chars().next() {
            match c {
                '}' if depth == 0 => break,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                '"' if depth == 0 => {
                    let end = rest[1..].find('"').unwrap() + 1;
                    let key = &rest[1..end];
                    rest = &rest[end + 1..];
                    if rest.starts_with(':') {
                        keys.push(key.to_string());
                    }
                    continue;
                }
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
        }
        keys
    };
    let totals_start = [
        "period",
        "period_start",
        "period_end",
        "killed_low",
        "killed_high",
    ];
    for (layer, row) in [
        ("claims", "`claims`"),
        ("events", "`events`"),
        ("places", "`places`, `origins`"),
        ("origins", "`places`, `origins`"),
        ("admin1", "`admin1`, `admin2`"),
        ("admin2", "`admin1`, `admin2`"),
    ] {
        let mut want = documented(&readme, row);
        if layer == "admin1" {
            want.retain(|c| c != "admin1");
        }
        let got = columns(layer);
        assert_eq!(&got[..want.len()], &want[..], "{layer} columns");
        if want.len() < got.len() {
            assert_eq!(
                &got[want.len()..want.len() + totals_start.len()],
                &totals_start[..],
                "{layer}: the totals follow"
            );
        } else {
            assert_eq!(got.len(), want.len(), "{layer}");
        }
        if layer != "origins" {
            assert_eq!(geojson_keys(layer), got, "{layer}.geojson keeps the order");
        }
    }
    // Each layer has a default style QGIS opens it with, and the project lists them all.
    let styles: Vec<(String, String, i64)> = db
        .prepare("SELECT f_table_name, styleQML, useAsDefault FROM layer_styles ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut styled: Vec<&str> = styles.iter().map(|s| s.0.as_str()).collect();
    styled.sort_unstable();
    assert_eq!(
        styled,
        ["admin1", "admin2", "claims", "events", "origins", "places"]
    );
    assert!(styles
        .iter()
        .all(|(_, qml, default)| *default == 1 && qml.contains("<renderer-v2 type=\"")));
    let project = std::fs::read_to_string(out.join("tollmap.qgs")).unwrap();
    for layer in ["claims", "events", "places", "origins", "admin1", "admin2"] {
        assert!(
            project.contains(&format!(
                "<datasource>./tollmap.gpkg|layername={layer}</datasource>"
            )),
            "{layer}"
        );
    }
    assert!(project.contains("<ProjectTimeSettings"));
}
