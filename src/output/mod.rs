//! The output folder of `tollmap build`: every file made in memory first, then each written atomically.

pub mod atomic;
pub mod csv;
pub mod geojson;

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
}

/// The files of a build, made but not yet written.
#[derive(Debug, Clone)]
pub struct BuildFiles {
    /// File name and bytes, in the order they are written (manifest last).
    pub files: Vec<(String, Vec<u8>)>,
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
) -> BuildFiles {
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
    let geometries = |areas: &[crate::admin::Area]| -> Vec<String> {
        areas.iter().map(geojson::area_geometry).collect()
    };
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
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "claims.geojson".into(),
            geojson::claims_layer(claims, &by_id, &event_of).into_bytes(),
        ),
        (
            "events.geojson".into(),
            geojson::events_layer(&events).into_bytes(),
        ),
        (
            "places.geojson".into(),
            geojson::places_layer(&places).into_bytes(),
        ),
        (
            "origins.geojson".into(),
            geojson::places_layer(&origins).into_bytes(),
        ),
        (
            "admin1.geojson".into(),
            geojson::areas_layer(&admin1_rows, adm1, &geometries(adm1)).into_bytes(),
        ),
        (
            "admin2.geojson".into(),
            geojson::areas_layer(&admin2_rows, adm2, &geometries(adm2)).into_bytes(),
        ),
        ("claims.csv".into(), csv::claims_csv(claims)),
        ("cumulative.csv".into(), csv::cumulative_csv(claims)),
        ("unresolved.csv".into(), csv::unresolved_csv(claims)),
    ];
    let outputs: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| json!({"file": name, "bytes": bytes.len(), "sha256": sha256_hex(bytes)}))
        .collect();
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
    BuildFiles { files, counts }
}

impl BuildFiles {
    /// Writes every file into `dir` (created if needed), each atomically.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        std::fs::create_dir_all(dir).map_err(|cause| OutputError::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            atomic::write(&path, bytes).map_err(|cause| OutputError::Io { path, cause })?;
        }
        Ok(())
    }
}
