//! The real seed articles in `../shared/corpus` (present in CI): where `tollmap build` puts them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;

fn seeds() -> Option<PathBuf> {
    common::shared("corpus/seeds.jsonl")
}

fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    tollmap::util::geodesy::distance_km(a.0, a.1, b.0, b.1)
}

#[test]
fn seeds_are_mapped_at_aleppo_idlib_the_coast_with_beit_yashout_as_origin() {
    let Some(seeds) = seeds() else { return };
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "-q",
            "build",
            seeds.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let claims: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("claims.geojson")).unwrap()).unwrap();
    let points: Vec<(String, (f64, f64))> = claims["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                (c[1].as_f64().unwrap(), c[0].as_f64().unwrap()),
            )
        })
        .collect();
    let near = |doc: &str, at: (f64, f64), km: f64| {
        points
            .iter()
            .any(|(id, p)| id.starts_with(doc) && distance_km(*p, at) <= km)
    };
    // 000 and 001: Aleppo city.
    assert!(near("000_", (36.20, 37.16), 10.0), "{points:?}");
    assert!(near("001_", (36.20, 37.16), 10.0), "{points:?}");
    // 002: Idlib (governorate or city, within 40 km of the city).
    assert!(near("002_", (35.93, 36.63), 40.0), "{points:?}");
    // 003: the coast between Qardaha, Baniyas and Jableh.
    assert!(near("003_", (35.36, 35.93), 30.0), "{points:?}");

    // Beit Yashout is where eight of the dead came from.
    let origins: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("origins.geojson")).unwrap())
            .unwrap();
    assert!(
        origins["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["name"] == "Beit Yashout"),
        "{origins}"
    );
    // The national tolls are cumulative only.
    let cumulative = std::fs::read_to_string(out.path().join("cumulative.csv")).unwrap();
    for n in ["119,000", "500,000"] {
        assert!(cumulative.contains(n), "{n} not in cumulative.csv");
    }
    // The coast's clashes are one event of at least 70 (the headline's "scores" and the
    // body's "over 70" restate it; the parts are not added).
    let events: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("events.geojson")).unwrap()).unwrap();
    let coast: Vec<&Value> = events["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["properties"]["id"]
                .as_str()
                .unwrap()
                .starts_with("event:003_")
        })
        .collect();
    assert_eq!(coast.len(), 1, "{coast:#?}");
    let low = coast[0]["properties"]["low"].as_u64().unwrap();
    assert!((70..141).contains(&low), "{low}");
    // No layer holds a national toll.
    for layer in ["claims", "events", "places", "origins", "admin1", "admin2"] {
        let text = std::fs::read_to_string(out.path().join(format!("{layer}.geojson"))).unwrap();
        for n in ["119001", "500001", "62000", "1556"] {
            assert!(
                !text.contains(&format!(":{n},")),
                "{layer} holds a toll of {n}"
            );
        }
    }
    // "over 70" and its parts count once on the coast.
    let places: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("places.geojson")).unwrap()).unwrap();
    let coast = places["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Syrian coast")
        .expect("coast row");
    assert_eq!(coast["properties"]["killed_low"], 71);
}

/// One claim the issue expects in a seed article, as a test of the extracted claim.
struct Expected {
    doc: &'static str,
    what: &'static str,
    test: fn(&Value, &[Value]) -> bool,
}

fn s<'a>(c: &'a Value, path: &[&str]) -> &'a str {
    let mut v = c;
    for p in path {
        v = &v[*p];
    }
    v.as_str().unwrap_or("")
}

fn n(c: &Value, path: &[&str]) -> Option<u64> {
    let mut v = c;
    for p in path {
        v = &v[*p];
    }
    v.as_u64()
}

fn place(c: &Value, role: &str, needle: &str) -> bool {
    c["places"].as_array().unwrap().iter().any(|p| {
        p["role"] == role
            && (s(p, &["mention"]).contains(needle) || s(p, &["name"]).contains(needle))
    })
}

fn count(c: &Value, low: u64, high: Option<u64>) -> bool {
    n(c, &["count", "low"]) == Some(low) && n(c, &["count", "high"]) == high
}

fn total_of<'a>(c: &Value, all: &'a [Value]) -> Option<&'a Value> {
    all.iter().find(|t| t["id"] == c["part_of"])
}

const EXPECTED: &[Expected] = &[
    Expected {
        doc: "000",
        what: "eight residents of Beit Yashout killed in Aleppo (origin Beit Yashout, event Aleppo)",
        test: |c, _| {
            count(c, 8, Some(8))
                && c["outcome"] == "killed"
                && place(c, "origin", "Beit Yashout")
                && place(c, "event", "Aleppo")
        },
    },
    Expected {
        doc: "000",
        what: "three residents of Bahlawaliyet killed in Aleppo on Friday",
        test: |c, _| {
            count(c, 3, Some(3))
                && c["outcome"] == "killed"
                && place(c, "origin", "Bahlawaliyet")
                && place(c, "event", "Aleppo")
                && s(c, &["date", "precision"]) == "day"
        },
    },
    Expected {
        doc: "000",
        what: "three fighters from Al-Daatour",
        test: |c, _| count(c, 3, Some(3)) && place(c, "origin", "Al-Daatour"),
    },
    Expected {
        doc: "000",
        what: "\"dozens\" from the coastal province (24-99, vague)",
        test: |c, _| {
            count(c, 24, Some(99))
                && s(c, &["count", "qualifier"]) == "vague"
                && c["places"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| s(p, &["mention"]).to_lowercase().contains("coastal"))
        },
    },
    Expected {
        doc: "001",
        what: "more than 60 regime forces and allied militias dead since the start of the battle, Ahmed al-Ahmed of the Sham Legion, Aleppo",
        test: |c, _| {
            count(c, 61, None)
                && c["outcome"] == "killed"
                && c["victims"] == "pro_government"
                && s(c, &["victims_text"]) == "regime forces and allied militias"
                && s(c, &["claimant"]).contains("Ahmed al-Ahmed")
                && s(c, &["claimant"]).contains("Sham Legion")
                && s(c, &["date", "precision"]) == "range"
                && place(c, "event", "Aleppo")
        },
    },
    Expected {
        doc: "002",
        what: "at least 180 troops and militiamen killed in five weeks in Idlib and Hama provinces",
        test: |c, _| {
            count(c, 180, None)
                && s(c, &["count", "qualifier"]) == "at_least"
                && c["victims"] == "pro_government"
                && s(c, &["date", "precision"]) == "range"
                && place(c, "event", "Idlib")
                && place(c, "event", "Hama")
        },
    },
    Expected {
        doc: "002",
        what: "at least 75 regime troops killed on Thursday in the southern countryside of Idlib",
        test: |c, _| {
            count(c, 75, None)
                && c["outcome"] == "killed"
                && s(c, &["date", "precision"]) == "day"
                && place(c, "event", "Idlib")
        },
    },
    Expected {
        doc: "002",
        what: "more than 119,000 pro-regime forces, cumulative, Syrian Observatory",
        test: |c, _| {
            count(c, 119_001, None)
                && c["scope"] == "cumulative"
                && c["victims"] == "pro_government"
                && s(c, &["claimant"]).contains("Syrian Observatory")
        },
    },
    Expected {
        doc: "002",
        what: "62,000 troops, cumulative, Syrian Observatory",
        test: |c, _| {
            count(c, 62_000, Some(62_000))
                && c["scope"] == "cumulative"
                && s(c, &["claimant"]).contains("Syrian Observatory")
        },
    },
    Expected {
        doc: "002",
        what: "1,556 Hezbollah fighters, cumulative, Syrian Observatory",
        test: |c, _| {
            count(c, 1556, Some(1556))
                && c["scope"] == "cumulative"
                && c["victims"] == "pro_government"
                && s(c, &["claimant"]).contains("Syrian Observatory")
        },
    },
    Expected {
        doc: "002",
        what: "the 60 government fighters seized: captured, not killed",
        test: |c, _| count(c, 60, Some(60)) && c["outcome"] == "captured",
    },
    Expected {
        doc: "002",
        what: "hundreds of children killed and wounded in Idlib and Hama",
        test: |c, _| {
            count(c, 200, Some(999))
                && c["outcome"] == "killed_or_wounded"
                && c["victims"] == "civilians"
                && place(c, "event", "Idlib")
                && place(c, "event", "Hama")
        },
    },
    Expected {
        doc: "003",
        what: "over 70 fatalities in the western coastal region, Syrian Observatory",
        test: |c, _| {
            count(c, 71, None)
                && c["outcome"] == "killed"
                && place(c, "event", "coastal region")
                && s(c, &["claimant"]).contains("Syrian Observatory")
        },
    },
    Expected {
        doc: "003",
        what: "35 government forces, part of the over 70",
        test: |c, all| {
            count(c, 35, Some(35))
                && c["victims"] == "pro_government"
                && total_of(c, all).is_some_and(|t| count(t, 71, None))
        },
    },
    Expected {
        doc: "003",
        what: "32 Assad loyalists (opposition after December 2024), part of the over 70",
        test: |c, all| {
            // March 2025: Assad's loyalists fight the state, so they are opposition.
            count(c, 32, Some(32))
                && c["victims"] == "opposition"
                && total_of(c, all).is_some_and(|t| count(t, 71, None))
        },
    },
    Expected {
        doc: "003",
        what: "four civilians, part of the over 70",
        test: |c, all| {
            count(c, 4, Some(4))
                && c["victims"] == "civilians"
                && total_of(c, all).is_some_and(|t| count(t, 71, None))
        },
    },
    Expected {
        doc: "003",
        what: "more than 500,000 deaths since 2011, cumulative",
        test: |c, _| count(c, 500_001, None) && c["scope"] == "cumulative",
    },
];

#[test]
fn seeds_give_the_claims_the_issue_lists_and_nothing_from_the_noise() {
    let Some(seeds) = seeds() else { return };
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args(["-q", "extract", seeds.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let claims: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut table = String::from("| article | expected | found |\n| --- | --- | --- |\n");
    let mut missing = Vec::new();
    for e in EXPECTED {
        let in_doc: Vec<&Value> = claims
            .iter()
            .filter(|c| s(c, &["doc"]).starts_with(e.doc))
            .collect();
        let found = in_doc.iter().find(|c| (e.test)(c, &claims));
        let cell = match found {
            Some(c) => format!(
                "{} `{}` ({} {}, {})",
                s(c, &["id"])
                    .rsplit('#')
                    .next()
                    .map(|n| format!("#{n}"))
                    .unwrap_or_default(),
                s(c, &["count", "text"]),
                s(c, &["outcome"]),
                s(c, &["victims"]),
                s(c, &["scope"])
            ),
            None => {
                missing.push(e.what);
                "**not found**".to_string()
            }
        };
        table.push_str(&format!("| {} | {} | {} |\n", e.doc, e.what, cell));
    }
    eprintln!("{table}");
    assert!(missing.is_empty(), "not found: {missing:#?}\n{table}");
    // Noise: no claim from "14 years", "20 years of torture" or the unrelated headlines that
    // close 003; nothing is killed among the 60 captured.
    for c in &claims {
        let quote = s(c, &["quote"]);
        assert!(
            !quote.contains("20 years") && !quote.contains("14 years"),
            "a claim from noise: {c}"
        );
        assert!(!(count(c, 60, Some(60)) && c["outcome"] == "killed"), "{c}");
    }
    let in_003 = claims
        .iter()
        .filter(|c| s(c, &["doc"]).starts_with("003"))
        .count();
    // The five expected, their title's "Scores Killed in Syria", and nothing else.
    assert_eq!(in_003, 6, "claims in 003: {claims:#?}");
}

#[test]
fn every_ucdp_event_is_mapped_and_the_deaths_add_up() {
    let Some(seeds) = seeds() else { return };
    let table = seeds
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("data/events/ucdp_ged_syria_2011_2019_subset.csv");
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args(["-q", "build", table.to_str().unwrap(), "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The file's own totals, by UCDP's definition of `best`.
    let mut reader = csv::Reader::from_path(&table).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (a, b, civ, unk) = (
        col("deaths_a"),
        col("deaths_b"),
        col("deaths_civilians"),
        col("deaths_unknown"),
    );
    let (mut events, mut deaths, mut civilians) = (0u64, 0u64, 0u64);
    for r in reader.records() {
        let r = r.unwrap();
        let n = |i: usize| r[i].parse::<u64>().unwrap();
        events += 1;
        deaths += n(a) + n(b) + n(civ) + n(unk);
        civilians += n(civ);
    }
    assert_eq!((events, deaths), (52_049, 239_257));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["documents"], events);
    assert_eq!(manifest["counts"]["unresolved_mentions"], 0);
    let places: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("places.geojson")).unwrap()).unwrap();
    let total = |key: &str| -> u64 {
        places["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"][key].as_u64().unwrap_or(0))
            .sum()
    };
    assert_eq!(total("killed_low"), deaths);
    assert_eq!(total("killed_high"), deaths);
    assert_eq!(total("killed_civilians_low"), civilians);
    let by_victims: u64 = [
        "civilians",
        "pro_government",
        "opposition",
        "jihadist",
        "kurdish_forces",
        "foreign_forces",
        "unknown",
    ]
    .iter()
    .map(|v| total(&format!("killed_{v}_low")))
    .sum();
    assert_eq!(by_victims, deaths);
    // Every event is one UCDP row; governorates and districts hold the same total.
    assert_eq!(manifest["counts"]["events"], events);
    for layer in ["admin1.geojson", "admin2.geojson", "events.geojson"] {
        let v: Value =
            serde_json::from_slice(&std::fs::read(out.path().join(layer)).unwrap()).unwrap();
        let key = if layer == "events.geojson" {
            "low"
        } else {
            "killed_low"
        };
        let sum: u64 = v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"][key].as_u64().unwrap())
            .sum();
        assert_eq!(sum, deaths, "{layer}");
    }
}

#[test]
fn seed_001s_hikmeh_school_is_the_schools_own_point() {
    let Some(seeds) = seeds() else { return };
    let dir = seeds.with_file_name("seeds");
    let Some(text) = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("001_"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
    else {
        panic!("seed 001 not in {}", dir.display());
    };
    assert!(text.contains("the Hikmeh school"));
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "geocode",
            "--format",
            "jsonl",
            "--context",
            &text,
            "the Hikmeh school",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "school", "{v}");
    assert_eq!(v["precision"], 1);
    assert_eq!(v["weak_source"], true);
    // South-west Aleppo, not the city's centre point.
    let d = distance_km(
        (v["lat"].as_f64().unwrap(), v["lon"].as_f64().unwrap()),
        (36.1601, 37.086),
    );
    assert!(d < 0.3, "{d} km from the school");
}
