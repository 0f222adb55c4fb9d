//! Corrections (issue 20): a CSV of `claim_id,action,value,note,by` applied to the claims of
//! `build` and `refresh`; each lands on its claim across re-extraction and edits elsewhere in
//! the article, totals move by exactly the corrected amounts, and a correction whose claim
//! is gone is reported, never applied elsewhere.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::tollmap;
use serde_json::Value;

/// Six reports: Ariha (by two outlets, one event), Saraqeb (Idlib), a breakdown in Jableh,
/// and two reports of one strike on Sarmin weeks apart (two events).
fn reports(ariha_intro: &str) -> String {
    let docs = [
        (
            "ariha",
            "2019-05-14",
            format!(
                "{ariha_intro}Shelling killed 12 civilians in Ariha on Monday, local medics said."
            ),
        ),
        (
            "saraqeb",
            "2019-05-10",
            "Six rebels were killed in an air raid on Saraqeb on Thursday, activists said."
                .to_string(),
        ),
        (
            "jableh",
            "2019-05-12",
            "At least 20 people were killed in Jableh on Saturday, a monitor said. The dead included 15 soldiers and five civilians."
                .to_string(),
        ),
        (
            "ariha-rescuers",
            "2019-05-14",
            "Ten civilians died in shelling on Ariha on Monday, rescuers said.".to_string(),
        ),
        (
            "sarmin",
            "2019-05-03",
            "Four children were killed in an air strike on Sarmin on Thursday, medics said."
                .to_string(),
        ),
        (
            "sarmin-later",
            "2019-05-24",
            "Four children were killed in an air strike on Sarmin on Thursday, a monitor said."
                .to_string(),
        ),
    ];
    docs.iter()
        .map(|(id, date, text)| {
            serde_json::json!({"id": id, "published": date, "text": text}).to_string() + "\n"
        })
        .collect()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// The claims of claims.geojson by id: (doc, low, high, outcome, victims, place, corrected).
fn claims(out: &Path) -> BTreeMap<String, Value> {
    read_json(&out.join("claims.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                f["properties"].clone(),
            )
        })
        .collect()
}

/// Killed (low) by place name and period, from places.geojson.
fn killed(out: &Path) -> BTreeMap<String, i64> {
    read_json(&out.join("places.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["name"].as_str().unwrap_or("").to_string(),
                p["killed_low"].as_i64().unwrap(),
            )
        })
        .fold(BTreeMap::new(), |mut m, (k, v)| {
            *m.entry(k).or_insert(0) += v;
            m
        })
}

/// How many events of events.geojson are at the place named `name`.
fn events_at(out: &Path, name: &str) -> usize {
    read_json(&out.join("events.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["name"] == name)
        .count()
}

/// The id of the one claim of `doc` with count `low`.
fn id_of(claims: &BTreeMap<String, Value>, doc: &str, low: i64) -> String {
    let found: Vec<&String> = claims
        .iter()
        .filter(|(_, p)| p["doc"] == doc && p["count_low"] == low)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(found.len(), 1, "{doc} {low}: {claims:#?}");
    found[0].clone()
}

/// `tollmap build INPUT --out OUT --no-tiles --no-web EXTRA...`.
fn build(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-tiles",
        "--no-web",
    ];
    args.extend_from_slice(extra);
    tollmap(&args)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn corrections_land_on_their_claims_through_builds_and_refreshes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("night1.jsonl");
    std::fs::write(&input, reports("")).unwrap();
    let plain = dir.path().join("plain");
    let o = build(&input, &plain, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = claims(&plain);
    let totals_before = killed(&plain);
    let ariha = id_of(&before, "ariha", 12);
    let saraqeb = id_of(&before, "saraqeb", 6);
    let jableh = id_of(&before, "jableh", 20);
    let soldiers = id_of(&before, "jableh", 15);
    let civilians = id_of(&before, "jableh", 5);
    let rescuers = id_of(&before, "ariha-rescuers", 10);
    let sarmin = id_of(&before, "sarmin", 4);
    let sarmin_later = id_of(&before, "sarmin-later", 4);
    assert_eq!(before[&soldiers]["part_of"], jableh.as_str());
    // Two outlets' figures for Ariha are one event (the lower counts); the two reports of
    // Sarmin's strike, weeks apart, are two.
    assert_eq!(totals_before["Ariha"], 10, "{totals_before:?}");
    assert_eq!(totals_before["Sarmin"], 8, "{totals_before:?}");

    // Every kind of correction, an orphan and a link refused.
    let fixes = dir.path().join("corrections.csv");
    std::fs::write(
        &fixes,
        format!(
            "claim_id,action,value,note,by\n\
             {ariha},count,14-,\"medics raised it, next day\",ana\n\
             {ariha},date,2019-05-12/2019-05-13,,ana\n\
             {saraqeb},victims,civilians,,ana\n\
             {saraqeb},outcome,wounded,,ben\n\
             {saraqeb},place,\"35.9,36.7\",,ben\n\
             {civilians},part_of,,not a part,ben\n\
             {soldiers},reject,,a rumour,ben\n\
             {rescuers},other_event,{ariha},another shelling,ben\n\
             {sarmin_later},same_event,{sarmin},one strike,ben\n\
             {saraqeb},same_event,{jableh},,ben\n\
             gone#0123456789,count,3,,ben\n"
        ),
    )
    .unwrap();
    let fixed = dir.path().join("fixed");
    let o = build(&input, &fixed, &["--corrections", fixes.to_str().unwrap()]);
    // Applied but for two: a warning, exit 1, each named.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("9 of 11 corrections applied (1 claim rejected)"),
        "{err}"
    );
    assert!(err.contains("gone#0123456789 (count)"), "{err}");
    let after = claims(&fixed);
    // The rejected claim is gone; the others say they were corrected, and how.
    assert!(!after.contains_key(&soldiers));
    assert_eq!(after.len(), before.len() - 1);
    assert_eq!(after[&ariha]["corrected"], 1);
    assert_eq!(after[&ariha]["count_low"], 14);
    assert_eq!(after[&ariha]["count_high"], Value::Null);
    assert_eq!(after[&saraqeb]["victims"], "civilians");
    assert_eq!(after[&rescuers]["corrected"], 1);
    assert_eq!(after[&sarmin_later]["corrected"], 1);
    assert_eq!(after[&sarmin]["corrected"], 0);
    assert_eq!(after[&ariha]["date_start"], "2019-05-12");
    assert_eq!(after[&ariha]["date_end"], "2019-05-13");
    assert_eq!(after[&saraqeb]["outcome"], "wounded");
    assert_eq!(after[&civilians]["part_of"], Value::Null);
    assert_eq!(after[&jableh]["corrected"], 0);
    let saraqeb_point = read_json(&fixed.join("claims.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == saraqeb.as_str())
        .unwrap()["geometry"]["coordinates"]
        .clone();
    assert_eq!(saraqeb_point, serde_json::json!([36.7, 35.9]));
    // Totals move by exactly the corrections: Ariha's two figures are two events now, 14
    // (raised from 12) and the rescuers' 10; Sarmin's two reports are one event of 4;
    // Saraqeb's six are wounded now (and elsewhere); Jableh keeps its total of 20 (a
    // breakdown never adds).
    let totals = killed(&fixed);
    assert_eq!(totals["Ariha"], 14 + 10, "{totals:?}");
    assert_eq!(totals["Sarmin"], 4, "{totals:?}");
    assert_eq!(totals.get("Saraqeb"), None, "{totals:?}");
    assert_eq!(totals["Jablah"], totals_before["Jablah"], "{totals:?}");
    assert_eq!(events_at(&plain, "Ariha"), 1);
    assert_eq!(events_at(&fixed, "Ariha"), 2);
    assert_eq!(events_at(&plain, "Sarmin"), 2);
    assert_eq!(events_at(&fixed, "Sarmin"), 1);
    // Every layer says how many of its claims were corrected.
    for layer in ["events", "places", "admin1", "admin2"] {
        let features = read_json(&fixed.join(format!("{layer}.geojson")))["features"].clone();
        let corrected: Vec<i64> = features
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["corrected"].as_i64().unwrap())
            .collect();
        assert!(corrected.iter().sum::<i64>() >= 1, "{layer}: {corrected:?}");
        let plain = read_json(&plain.join(format!("{layer}.geojson")))["features"].clone();
        assert!(plain
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["corrected"] == 0));
    }
    // claims.csv keeps what each correction replaced, and reads back the same.
    let csv = std::fs::read_to_string(fixed.join("claims.csv")).unwrap();
    assert!(
        csv.contains(r#"""action"":""count"",""value"":""14-"",""original"":""12"""#),
        "{csv}"
    );
    // The orphan and the link refused, with why, in corrections-unmatched.csv.
    let unmatched = std::fs::read_to_string(fixed.join("corrections-unmatched.csv")).unwrap();
    let rows: Vec<&str> = unmatched.lines().collect();
    assert_eq!(rows.len(), 3, "{unmatched}");
    assert!(
        rows[1].starts_with(&format!("{saraqeb},same_event,{jableh}")),
        "{unmatched}"
    );
    assert!(rows[1].contains("differ in outcome"), "{unmatched}");
    assert!(
        rows[2].starts_with("gone#0123456789,count,3"),
        "{unmatched}"
    );
    assert!(rows[2].contains("no claim has this id"), "{unmatched}");
    // A build of the corrected claims.csv gives the same layers: the corrections, links
    // included, travel with their claims.
    let again = dir.path().join("again");
    let o = build(&fixed.join("claims.csv"), &again, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for layer in ["claims", "events", "places", "admin1", "admin2"] {
        let name = format!("{layer}.geojson");
        assert!(
            std::fs::read(fixed.join(&name)).unwrap() == std::fs::read(again.join(&name)).unwrap(),
            "{name} differs after the round trip"
        );
    }
    // The manifest records the file's hash.
    let manifest = read_json(&fixed.join("manifest.json"));
    assert_eq!(manifest["corrections"]["applied"], 9);
    assert_eq!(
        manifest["corrections"]["sha256"].as_str().unwrap().len(),
        64
    );

    // Night two: an archive refresh with a paragraph added above Ariha's claim and a new
    // article; the corrections still land, on the same claims.
    let archive = dir.path().join("archive.sqlite");
    let site = dir.path().join("site");
    let refresh = |input: &Path| {
        tollmap(&[
            "refresh",
            input.to_str().unwrap(),
            "--archive",
            archive.to_str().unwrap(),
            "--corrections",
            fixes.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
            "--no-tiles",
            "--no-web",
        ])
    };
    let o = refresh(&input);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(claims(&site), after);
    // The archive made to look written by an older extractor, which gave Saraqeb's claim a
    // positional id and another count: night two extracts every document again.
    {
        let db = rusqlite::Connection::open(&archive).unwrap();
        db.execute(
            "UPDATE claims SET extraction = 'tollmap 0.1.0 extractor 1 gazetteer 0'",
            [],
        )
        .unwrap();
        let changed = db
            .execute(
                r#"UPDATE claims SET claims = replace(replace(claims, ?1, 'saraqeb#0'), '"low":6', '"low":5')
                   WHERE row = (SELECT row FROM documents WHERE doc_id = 'saraqeb')"#,
                [&saraqeb],
            )
            .unwrap();
        assert_eq!(changed, 1);
        let old: String = db
            .query_row(
                "SELECT claims FROM claims WHERE row = (SELECT row FROM documents WHERE doc_id = 'saraqeb')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            old.contains(r#""id":"saraqeb#0""#) && old.contains(r#""low":5"#),
            "{old}"
        );
    }
    let night2 = dir.path().join("night2.jsonl");
    let mut text = reports("The market was crowded before dawn.\n\n");
    text.push_str(
        &(serde_json::json!({"id": "binnish", "published": "2019-05-15",
            "text": "Two children were killed in Binnish on Tuesday, medics said."})
        .to_string()
            + "\n"),
    );
    std::fs::write(&night2, text).unwrap();
    let o = refresh(&night2);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("1 changed"), "{err}");
    assert!(err.contains("7 extracted"), "{err}");
    let later = claims(&site);
    assert!(!later.contains_key("saraqeb#0"), "{later:#?}");
    assert_eq!(later[&saraqeb]["count_low"], 6);
    assert_eq!(later[&saraqeb]["victims"], "civilians");
    assert_eq!(later[&rescuers]["corrected"], 1);
    assert_eq!(killed(&site)["Ariha"], 14 + 10);
    assert_eq!(killed(&site)["Sarmin"], 4);
    assert_eq!(later[&ariha]["count_low"], 14, "{later:#?}");
    assert_eq!(later[&ariha]["corrected"], 1);
    assert_eq!(later[&saraqeb]["outcome"], "wounded");
    assert!(!later.contains_key(&soldiers));
    assert_eq!(later.len(), after.len() + 1);
    // Night three: Ariha's own sentence is edited: its corrections are reported, not moved
    // to another claim.
    let night3 = dir.path().join("night3.jsonl");
    std::fs::write(
        &night3,
        reports("").replace("local medics said", "the civil defence said"),
    )
    .unwrap();
    let o = refresh(&night3);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("{ariha} (count)")), "{err}");
    let last = claims(&site);
    assert!(!last.contains_key(&ariha));
    assert!(last
        .values()
        .filter(|p| p["doc"] == "ariha")
        .all(|p| p["corrected"] == 0 && p["count_low"] == 12));
}

#[test]
fn a_bad_corrections_file_is_named_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, reports("")).unwrap();
    let fixes = dir.path().join("fixes.csv");
    std::fs::write(
        &fixes,
        "claim_id,action,value,note,by\nariha#0,count,twelve,,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = tollmap(&[
        "build",
        input.to_str().unwrap(),
        "--corrections",
        fixes.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fixes.csv:2: `twelve` is not a count"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("claims.geojson").exists());
}
