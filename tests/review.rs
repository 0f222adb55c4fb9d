//! `tollmap review` (issue 20): the sheet lists the claims most in need of a look first
//! (lowest confidence, then the largest counts), marks each claim's readings in its sentence,
//! carries article text only as data, and shows claims as corrected when given corrections.

mod common;

use std::path::Path;

use common::tollmap;
use serde_json::Value;

/// Reports written for the test: a sure one, an unsure one (no claimant, victims unknown, a
/// large count), and one with markup in its text.
fn reports(dir: &Path) -> std::path::PathBuf {
    let lines = [
        serde_json::json!({"id": "sure", "published": "2019-05-14", "title": "Shelling of Ariha",
            "url": "https://example.org/ariha",
            "text": "Shelling killed 12 civilians in Ariha on Monday, local medics said."}),
        serde_json::json!({"id": "unsure", "published": "2019-05-14",
            "text": "About 40 people died in Kafr Nabudah."}),
        serde_json::json!({"id": "small", "published": "2019-05-14",
            "text": "Three people died in Kafr Nabudah."}),
        serde_json::json!({"id": "markup", "published": "2019-05-14", "url": "javascript:alert(1)",
            "text": "Five civilians were killed in Saraqeb on Sunday </script><img src=x onerror=alert(1)>, activists said."}),
    ];
    let p = dir.join("in.jsonl");
    std::fs::write(
        &p,
        lines
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    p
}

/// The claims of review-data.js.
fn data(out: &Path) -> Vec<Value> {
    let js = std::fs::read_to_string(out.join("review-data.js")).unwrap();
    let json = js
        .strip_prefix("window.TOLLMAP_REVIEW = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("one assignment of JSON");
    let v: Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        v["header"],
        serde_json::json!(["claim_id", "action", "value", "note", "by"])
    );
    v["claims"].as_array().unwrap().clone()
}

fn review(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "review",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tollmap(&args)
}

#[test]
fn the_sheet_puts_the_least_sure_and_largest_claims_first() {
    let dir = tempfile::tempdir().unwrap();
    let input = reports(dir.path());
    let out = dir.path().join("review");
    let o = review(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    for f in [
        "review.csv",
        "review.html",
        "review.js",
        "review.css",
        "review-data.js",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let claims = data(&out);
    let ids: Vec<&str> = claims.iter().map(|c| c["doc"].as_str().unwrap()).collect();
    // The two unsure ones first, the larger count of the two first; then the sure ones, the
    // larger count first.
    assert_eq!(ids, ["unsure", "small", "sure", "markup"], "{claims:#?}");
    let conf: Vec<f64> = claims
        .iter()
        .map(|c| c["confidence"].as_f64().unwrap())
        .collect();
    assert!(conf.windows(2).all(|w| w[0] <= w[1]), "{conf:?}");
    assert_eq!(claims[0]["confidence"], claims[1]["confidence"]);
    assert_eq!(claims[2]["confidence"], claims[3]["confidence"]);
    // The readings marked in the sentence, and the values a correction of each would take.
    let sure = &claims[2];
    let marked: Vec<(&str, &str)> = sure["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["mark"].as_str()?, s["text"].as_str()?)))
        .collect();
    assert_eq!(
        marked,
        [
            ("count", "12"),
            ("victims", "civilians"),
            ("place", "Ariha"),
            ("date", "Monday"),
            ("claimant", "local medics")
        ]
    );
    assert_eq!(sure["reading"]["count"], "12");
    assert_eq!(sure["reading"]["date"], "2019-05-13");
    assert!(sure["reading"]["place"]
        .as_str()
        .unwrap()
        .starts_with("geonames:"));
    assert_eq!(sure["url"], "https://example.org/ariha");
    // Markup is data: the sentence whole in a JSON string, a javascript: address dropped.
    let markup = &claims[3];
    let quote: String = markup["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(quote.contains("</script><img src=x onerror=alert(1)>"));
    assert_eq!(markup["url"], Value::Null);
    // The CSV: a header and the same claims in the same order.
    let csv = std::fs::read_to_string(out.join("review.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["rank", "claim_id", "confidence", "reasons"]);
    let csv_ids: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
    let json_ids: Vec<&str> = claims.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(csv_ids, json_ids);

    // --below and --limit.
    let o = review(&input, &out, &["--below", "0.8", "--limit", "1"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let few = data(&out);
    assert_eq!(few.len(), 1);
    assert_eq!(few[0]["doc"], "unsure");
}

#[test]
fn the_sheet_shows_claims_as_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let input = reports(dir.path());
    let out = dir.path().join("review");
    assert_eq!(review(&input, &out, &[]).status.code(), Some(0));
    let claims = data(&out);
    let id = |doc: &str| {
        claims.iter().find(|c| c["doc"] == doc).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let fixes = dir.path().join("fixes.csv");
    std::fs::write(
        &fixes,
        format!(
            "claim_id,action,value,note,by\n{},count,45,,ana\n{},reject,,,ana\ngone#0123456789,count,3,,\n",
            id("unsure"),
            id("small")
        ),
    )
    .unwrap();
    let o = review(&input, &out, &["--corrections", fixes.to_str().unwrap()]);
    // The orphan: a warning naming it, exit 1, and corrections-unmatched.csv.
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("gone#0123456789 (count)"));
    let unmatched = std::fs::read_to_string(out.join("corrections-unmatched.csv")).unwrap();
    assert!(unmatched.contains("gone#0123456789,count,3"), "{unmatched}");
    let after = data(&out);
    assert_eq!(after.len(), claims.len() - 1);
    let unsure = after.iter().find(|c| c["doc"] == "unsure").unwrap();
    assert_eq!(unsure["reading"]["count"], "45");
    assert_eq!(unsure["corrections"][0]["original"], "36-44");
    // A bad corrections file: exit 2, named.
    std::fs::write(&fixes, "claim_id,action,value,note,by\nx#1,count,many,,\n").unwrap();
    let o = review(&input, &out, &["--corrections", fixes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fixes.csv:2"));
}
