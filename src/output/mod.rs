//! The output folder of `tollmap build`: every file made in memory first, then each written atomically.

pub mod atomic;
pub mod csv;
pub mod geojson;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::aggregate::{self, Granularity};
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
    pub place_periods: usize,
    pub origin_periods: usize,
    pub unresolved_mentions: usize,
}

/// Makes every output file of `tollmap build` from the documents and their claims.
pub fn build_files(
    docs: &[Document],
    claims: &[Claim],
    inputs: &[InputFile],
    gaz: &Gazetteer,
    period: Granularity,
) -> BuildFiles {
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let places = aggregate::by_place_and_period(claims, PlaceRole::Event, period);
    let origins = aggregate::by_place_and_period(claims, PlaceRole::Origin, period);
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
        place_periods: places.len(),
        origin_periods: origins.len(),
        unresolved_mentions: claims
            .iter()
            .flat_map(|c| c.places.iter())
            .filter(|p| !p.is_resolved() || p.is_fallback())
            .count(),
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "claims.geojson".into(),
            geojson::claims_layer(claims, &by_id).into_bytes(),
        ),
        (
            "places.geojson".into(),
            geojson::places_layer(&places).into_bytes(),
        ),
        (
            "origins.geojson".into(),
            geojson::places_layer(&origins).into_bytes(),
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
        "options": {"period": period.as_str()},
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
