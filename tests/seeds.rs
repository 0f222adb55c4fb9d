//! The real seed articles in `../shared/corpus` (present in CI): where `tollmap build` puts them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn seeds() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds.jsonl");
    if p.is_file() {
        Some(p)
    } else {
        // Outside the workspace (a lone clone) the corpus is absent; CI always has it.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/corpus"
        );
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
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
