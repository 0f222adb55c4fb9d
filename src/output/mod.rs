//! The output folder of `tollmap build`: every file made in memory first, then each written atomically.

pub mod atomic;
pub mod csv;
pub mod geojson;
pub mod gpkg;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::aggregate::{self, EventRules, Granularity};
use crate::gazetteer::{sha256_hex, Gazetteer};
use crate::ingest::InputFile;
use crate::model::{Claim, Document, PlaceRole, Scope};

/// What can go wrong writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder that could not be written.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The GeoPackage could not be made.
    #[error(transparent)]
    Gpkg(#[from] gpkg::GpkgError),
}

/// The files of a build, made but not yet written.
#[derive(Debug)]
pub struct BuildFiles {
    /// File name and bytes, in the order they are written (manifest last).
    pub files: Vec<(String, Vec<u8>)>,
    /// `tollmap.gpkg`, made in a temporary file (removed when this is dropped).
    pub gpkg: tempfile::TempPath,
    /// Counts for the run's summary.
    pub counts: Counts,
}

/// What a build counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: usize,
    pub claims: usize,
    pub event_claims: usize,
    pub cumulative_claims: usize,
    pub claims_on_map: usize,
    pub events: usize,
    pub place_periods: usize,
    pub origin_periods: usize,
    pub admin1_periods: usize,
    pub admin2_periods: usize,
    pub events_outside_admin1: usize,
    pub events_outside_admin2: usize,
    pub unresolved_mentions: usize,
}

/// Makes every output file of `tollmap build` from the documents and their claims.
pub fn build_files(
    docs: &[Document],
    claims: &[Claim],
    inputs: &[InputFile],
    gaz: &Gazetteer,
    period: Granularity,
    rules: &EventRules,
) -> Result<BuildFiles, OutputError> {
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let events = aggregate::events(claims, rules);
    let mut event_of: HashMap<&str, &str> = HashMap::new();
    for e in &events {
        for c in e.claims.iter().chain(&e.restated) {
            event_of.insert(c.as_str(), e.id.as_str());
        }
    }
    let places = aggregate::by_place_and_period(&events, PlaceRole::Event, period);
    let origins = aggregate::by_place_and_period(&events, PlaceRole::Origin, period);
    let (adm1, adm2) = crate::admin::bundled();
    // Each event's governorate and district, by the point of its place (memoised: events
    // share places).
    let mut located: HashMap<(u64, u64), (Option<usize>, Option<usize>)> = HashMap::new();
    let mut locate = |e: &aggregate::Event| {
        let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) else {
            return (None, None);
        };
        *located
            .entry((lat.to_bits(), lon.to_bits()))
            .or_insert_with(|| {
                (
                    crate::admin::locate_index(adm1, lon, lat),
                    crate::admin::locate_index(adm2, lon, lat),
                )
            })
    };
    let (admin1_rows, outside1) = aggregate::by_area_and_period(&events, period, |e| locate(e).0);
    let (admin2_rows, outside2) = aggregate::by_area_and_period(&events, period, |e| locate(e).1);
    let counts = Counts {
        // Documents, and the events of tables (each its own document).
        documents: docs.len()
            + claims
                .iter()
                .filter(|c| c.part_of.is_none() && !by_id.contains_key(c.doc.as_str()))
                .map(|c| c.doc.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len(),
        claims: claims.len(),
        event_claims: claims.iter().filter(|c| c.scope == Scope::Event).count(),
        cumulative_claims: claims
            .iter()
            .filter(|c| c.scope == Scope::Cumulative)
            .count(),
        claims_on_map: claims
            .iter()
            .filter(|c| c.scope == Scope::Event && c.event_place().is_some())
            .count(),
        events: events.len(),
        place_periods: places.len(),
        origin_periods: origins.len(),
        admin1_periods: admin1_rows.len(),
        admin2_periods: admin2_rows.len(),
        events_outside_admin1: outside1,
        events_outside_admin2: outside2,
        unresolved_mentions: claims
            .iter()
            .flat_map(|c| c.places.iter())
            .filter(|p| !p.is_resolved() || p.is_fallback())
            .count(),
    };
    use geojson::to_text as text;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "claims.geojson".into(),
            text(|s| geojson::claims_layer(claims, &by_id, &event_of, s)).into_bytes(),
        ),
        (
            "events.geojson".into(),
            text(|s| geojson::events_layer(&events, s)).into_bytes(),
        ),
        (
            "places.geojson".into(),
            text(|s| geojson::places_layer(&places, s)).into_bytes(),
        ),
        (
            "origins.geojson".into(),
            text(|s| geojson::places_layer(&origins, s)).into_bytes(),
        ),
        (
            "admin1.geojson".into(),
            text(|s| geojson::areas_layer(&admin1_rows, adm1, s)).into_bytes(),
        ),
        (
            "admin2.geojson".into(),
            text(|s| geojson::areas_layer(&admin2_rows, adm2, s)).into_bytes(),
        ),
        ("claims.csv".into(), csv::claims_csv(claims)),
        ("cumulative.csv".into(), csv::cumulative_csv(claims)),
        ("unresolved.csv".into(), csv::unresolved_csv(claims)),
    ];
    // The same layers as tables of one GeoPackage.
    let tmp = tempfile::Builder::new()
        .prefix("tollmap-")
        .suffix(".gpkg")
        .tempfile()
        .map_err(|cause| OutputError::Io {
            path: std::env::temp_dir(),
            cause,
        })?
        .into_temp_path();
    let _ = std::fs::remove_file(&tmp);
    let mut g = gpkg::Gpkg::create(&tmp)?;
    g.layer(
        "claims",
        "POINT",
        "every event claim at its event place",
        |s| geojson::claims_layer(claims, &by_id, &event_of, s),
    )?;
    g.layer("events", "POINT", "claims reporting the same deaths", |s| {
        geojson::events_layer(&events, s)
    })?;
    g.layer("places", "POINT", "event places by period", |s| {
        geojson::places_layer(&places, s)
    })?;
    g.layer(
        "origins",
        "POINT",
        "where the dead came from, by period",
        |s| geojson::places_layer(&origins, s),
    )?;
    g.layer("admin1", "MULTIPOLYGON", "governorates by period", |s| {
        geojson::areas_layer(&admin1_rows, adm1, s)
    })?;
    g.layer("admin2", "MULTIPOLYGON", "districts by period", |s| {
        geojson::areas_layer(&admin2_rows, adm2, s)
    })?;
    g.finish()?;
    let gpkg_bytes = std::fs::metadata(&tmp).map(|m| m.len()).unwrap_or(0);
    let gpkg_sha = sha256_file(&tmp).map_err(|cause| OutputError::Io {
        path: tmp.to_path_buf(),
        cause,
    })?;
    let mut outputs: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| json!({"file": name, "bytes": bytes.len(), "sha256": sha256_hex(bytes)}))
        .collect();
    outputs.push(json!({"file": GPKG_NAME, "bytes": gpkg_bytes, "sha256": gpkg_sha}));
    let manifest = json!({
        "tool": {"name": "tollmap", "version": env!("CARGO_PKG_VERSION")},
        "gazetteer": {"version": gaz.version(), "entries": gaz.len()},
        "options": {
            "period": period.as_str(),
            "event_km": rules.distance_km,
            "event_days": rules.window_days,
            "event_same_district": rules.same_district,
        },
        "inputs": inputs.iter().map(|f| json!({
            "path": f.path.display().to_string(),
            "bytes": f.bytes,
            "sha256": f.sha256,
            "documents": f.documents,
        })).collect::<Vec<_>>(),
        "counts": counts,
        "outputs": outputs,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    files.push(("manifest.json".into(), text.into_bytes()));
    Ok(BuildFiles {
        files,
        gpkg: tmp,
        counts,
    })
}

/// The GeoPackage's file name in the output folder.
pub const GPKG_NAME: &str = "tollmap.gpkg";

fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

impl BuildFiles {
    /// Writes every file into `dir` (created if needed): all are written to temporary files
    /// first, then renamed into place, so a failure leaves the previous output whole.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        std::fs::create_dir_all(dir).map_err(|cause| OutputError::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |cause| OutputError::Io { path, cause }
        };
        let tmp_of = |name: &str| dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let result = (|| {
            for (name, bytes) in &self.files {
                let tmp = tmp_of(name);
                staged.push((tmp.clone(), dir.join(name)));
                atomic::write_new(&tmp, bytes).map_err(io(&tmp))?;
            }
            let tmp = tmp_of(GPKG_NAME);
            staged.push((tmp.clone(), dir.join(GPKG_NAME)));
            std::fs::copy(&self.gpkg, &tmp).map_err(io(&tmp))?;
            for (tmp, path) in &staged {
                std::fs::rename(tmp, path).map_err(io(path))?;
            }
            Ok(())
        })();
        if result.is_err() {
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
        }
        result
    }
}
