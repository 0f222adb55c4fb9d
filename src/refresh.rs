//! A refresh: what the sources hold now recorded in the archive, only new or changed
//! documents extracted, and the layers made again from every document the archive keeps.

use std::path::PathBuf;

use crate::archive::{Archive, ArchiveError, Extraction, Recorded};
use crate::ingest::{IngestError, Ingested};
use crate::model::Claim;
use crate::pipeline::{BuildRun, Pipeline};

/// What went wrong in a refresh.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The archive failed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// Every source failed and the archive holds nothing to build from.
    #[error("every source failed and the archive holds no documents")]
    NothingToBuild(#[source] IngestError),
    /// Reading or building failed.
    #[error(transparent)]
    Build(#[from] crate::Error),
}

/// What a refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Documents seen for the first time.
    pub added: usize,
    /// Documents seen before whose text, title or date changed (a new version).
    pub changed: usize,
    /// Documents seen again as they were.
    pub unchanged: usize,
    /// Document versions extracted in this run (the others' claims came from the archive).
    pub extracted: usize,
    /// Documents the layers are made from: every one the archive keeps.
    pub documents: usize,
    /// Sources that failed, or were served from the cache (each named); the run went on.
    pub warnings: Vec<String>,
}

/// Runs one refresh inside the archive's transaction (begun here; the caller commits once
/// the outputs are in place, or rolls back for `--check`). `inputs` empty, or `offline`,
/// builds from the archive alone. `now` is the time recorded as seen (ISO 8601).
pub fn refresh(
    pipeline: &Pipeline,
    archive: &mut Archive,
    inputs: &[PathBuf],
    offline: bool,
    now: &str,
) -> Result<(BuildRun, RefreshReport), RefreshError> {
    let mut report = RefreshReport::default();
    archive.begin()?;
    let mut tables = Ingested::default();
    if !offline && !inputs.is_empty() {
        match pipeline.ingest(inputs) {
            Ok(read) => {
                for doc in &read.documents {
                    let source = doc.url.clone().unwrap_or_else(|| doc.source.clone());
                    match archive.record(doc, &source, now)? {
                        Recorded::Added => report.added += 1,
                        Recorded::Changed => report.changed += 1,
                        Recorded::Unchanged => report.unchanged += 1,
                    }
                }
                report.warnings = read.warnings;
                tables.claims = read.claims;
                tables.claims_placed = read.claims_placed;
                tables.table_documents = read.table_documents;
                tables.files = read.files;
                tables.skipped = read.skipped;
            }
            Err(crate::Error::Ingest(e)) => {
                report.warnings.push(crate::util::report::chain(&e));
                if archive.is_empty()? {
                    return Err(RefreshError::NothingToBuild(e));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let extraction = Extraction(format!(
        "tollmap {} extractor {} gazetteer {}",
        env!("CARGO_PKG_VERSION"),
        crate::extract::REVISION,
        pipeline.gazetteer().version()
    ));
    let t0 = std::time::Instant::now();
    let mut kept = archive.documents(&extraction)?;
    crate::util::timing::phase("archive read", t0);
    // Documents without claims for this extraction are extracted (in parallel) and their
    // claims stored.
    let missing: Vec<usize> = (0..kept.len())
        .filter(|&i| kept[i].claims.is_none())
        .collect();
    let docs: Vec<crate::model::Document> =
        missing.iter().map(|&i| kept[i].document.clone()).collect();
    let made = pipeline.extract_per_document(&docs);
    for (&i, claims) in missing.iter().zip(made) {
        archive.store_claims(kept[i].row, kept[i].version, &extraction, &claims)?;
        kept[i].claims = Some(claims);
    }
    crate::util::timing::phase("extracted and stored", t0);
    report.extracted = missing.len();
    report.documents = kept.len();
    // The claims moved once into a vector of their exact size (a growing one copies the
    // 900,000 claims of a large archive several times over).
    let total = kept
        .iter()
        .map(|k| k.claims.as_ref().map_or(0, Vec::len))
        .sum();
    let mut claims: Vec<Claim> = Vec::with_capacity(total);
    let mut documents = Vec::with_capacity(kept.len());
    let mut content_hashes = Vec::with_capacity(kept.len());
    for k in kept {
        claims.extend(k.claims.unwrap_or_default());
        documents.push(k.document);
        content_hashes.push(k.content_hash);
    }
    crate::util::timing::phase("claims gathered", t0);
    let ingested = Ingested {
        documents,
        content_hashes,
        ..tables
    };
    let run = pipeline.build_from(ingested, claims)?;
    Ok((run, report))
}

/// What a folder's layers hold, to tell what a run changed: each place's and area's totals
/// by period, the claim ids, and each layer file's hash.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// (layer, feature id) → (name, totals).
    pub totals: std::collections::BTreeMap<(String, String), (String, Totals)>,
    /// The claim ids of `claims.csv`.
    pub claims: std::collections::BTreeSet<String>,
    /// Layer file → SHA-256, from `manifest.json`.
    pub hashes: std::collections::BTreeMap<String, String>,
}

/// A place's or area's totals in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// Killed, low.
    pub killed_low: i64,
    /// Killed, high (`None`: open-ended).
    pub killed_high: Option<i64>,
    /// Wounded, low.
    pub wounded_low: i64,
    /// Wounded, high.
    pub wounded_high: Option<i64>,
}

/// The layers whose totals `changes.json` compares.
const TOTAL_LAYERS: [&str; 3] = ["places", "admin1", "admin2"];

impl Snapshot {
    /// What `dir` holds now (nothing, for a folder with no build). The layers are read in
    /// parallel, each into only the fields compared.
    pub fn of_folder(dir: &std::path::Path) -> Snapshot {
        use rayon::prelude::*;
        let layers: Vec<Vec<TotalsEntry>> = TOTAL_LAYERS
            .par_iter()
            .map(|layer| totals_of(&dir.join(format!("{layer}.geojson")), layer))
            .collect();
        let (claims, hashes) = rayon::join(
            || claim_ids(&dir.join("claims.csv")),
            || manifest_hashes(&dir.join("manifest.json")),
        );
        Snapshot {
            totals: layers.into_iter().flatten().collect(),
            claims,
            hashes,
        }
    }
}

/// (layer, feature id) and (name, totals).
type TotalsEntry = ((String, String), (String, Totals));

/// The totals of each feature of a layer file (none when it is missing or not readable).
fn totals_of(path: &std::path::Path, layer: &str) -> Vec<TotalsEntry> {
    #[derive(serde::Deserialize)]
    struct Collection {
        features: Vec<Feature>,
    }
    #[derive(serde::Deserialize)]
    struct Feature {
        #[serde(default)]
        id: serde_json::Value,
        properties: Props,
    }
    #[derive(serde::Deserialize)]
    struct Props {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        killed_low: Option<i64>,
        #[serde(default)]
        killed_high: Option<i64>,
        #[serde(default)]
        wounded_low: Option<i64>,
        #[serde(default)]
        wounded_high: Option<i64>,
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(c) = serde_json::from_slice::<Collection>(&bytes) else {
        return Vec::new();
    };
    c.features
        .into_iter()
        .map(|f| {
            let p = f.properties;
            let totals = Totals {
                killed_low: p.killed_low.unwrap_or(0),
                killed_high: p.killed_high,
                wounded_low: p.wounded_low.unwrap_or(0),
                wounded_high: p.wounded_high,
            };
            (
                (
                    layer.to_string(),
                    match f.id {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    },
                ),
                (p.name.unwrap_or_default(), totals),
            )
        })
        .collect()
}

/// The ids (first column) of `claims.csv`.
fn claim_ids(path: &std::path::Path) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    if let Ok(mut r) = csv::Reader::from_path(path) {
        let mut rec = csv::ByteRecord::new();
        while r.read_byte_record(&mut rec).unwrap_or(false) {
            if let Some(id) = rec.get(0) {
                out.insert(String::from_utf8_lossy(id).into_owned());
            }
        }
    }
    out
}

/// Each output's SHA-256, from a build's `manifest.json`.
fn manifest_hashes(path: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Ok(text) = std::fs::read_to_string(path) {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
            for o in json["outputs"].as_array().into_iter().flatten() {
                if let (Some(f), Some(h)) = (o["file"].as_str(), o["sha256"].as_str()) {
                    out.insert(f.to_string(), h.to_string());
                }
            }
        }
    }
    out
}

/// True when the staged files differ from the folder's (`--check`): any output but the
/// manifest (which names the run's inputs) new, gone or with other bytes.
pub fn layers_differ(before: &Snapshot, files: &crate::output::BuildFiles) -> bool {
    let kept = |name: &str| name != "manifest.json";
    let now: std::collections::BTreeMap<&str, &str> = files
        .files
        .iter()
        .filter(|f| kept(&f.name))
        .map(|f| (f.name.as_str(), f.sha256.as_str()))
        .collect();
    let was: std::collections::BTreeMap<&str, &str> = before
        .hashes
        .iter()
        .filter(|(name, _)| kept(name))
        .map(|(n, h)| (n.as_str(), h.as_str()))
        .collect();
    now != was
}

/// A place or area whose totals moved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Moved {
    /// `places`, `admin1` or `admin2`.
    pub layer: String,
    /// The feature's id (place or area, and period).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Before the run (`None`: not on the map).
    pub before: Option<Totals>,
    /// After it (`None`: gone from the map).
    pub after: Option<Totals>,
}

/// `changes.json`: what a refresh changed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Changes {
    /// Documents: added, changed, seen again, kept but in no source this run, in all, and
    /// the versions extracted.
    pub documents: serde_json::Value,
    /// Claim ids new in this run.
    pub claims_added: Vec<String>,
    /// Claim ids no longer made.
    pub claims_removed: Vec<String>,
    /// Places and areas whose totals moved, with before and after.
    pub moved: Vec<Moved>,
    /// Sources that failed (the archive was used for them).
    pub warnings: Vec<String>,
}

impl Changes {
    /// The changes between two snapshots of the output folder, with the run's report;
    /// `not_seen` is the number of kept documents no source gave this run.
    pub fn between(
        before: &Snapshot,
        after: &Snapshot,
        report: &RefreshReport,
        not_seen: usize,
    ) -> Changes {
        let mut moved = Vec::new();
        let keys: std::collections::BTreeSet<&(String, String)> =
            before.totals.keys().chain(after.totals.keys()).collect();
        for key in keys {
            let (b, a) = (before.totals.get(key), after.totals.get(key));
            if b.map(|x| x.1) != a.map(|x| x.1) {
                moved.push(Moved {
                    layer: key.0.clone(),
                    id: key.1.clone(),
                    name: a.or(b).map(|x| x.0.clone()).unwrap_or_default(),
                    before: b.map(|x| x.1),
                    after: a.map(|x| x.1),
                });
            }
        }
        Changes {
            documents: serde_json::json!({
                "added": report.added,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "kept_not_in_sources": not_seen,
                "total": report.documents,
                "extracted": report.extracted,
            }),
            claims_added: after.claims.difference(&before.claims).cloned().collect(),
            claims_removed: before.claims.difference(&after.claims).cloned().collect(),
            moved,
            warnings: report.warnings.clone(),
        }
    }

    /// True when the map changed.
    pub fn any(&self) -> bool {
        !self.claims_added.is_empty() || !self.claims_removed.is_empty() || !self.moved.is_empty()
    }

    /// A short Markdown summary for a commit message or a pull request.
    pub fn markdown(&self) -> String {
        let d = &self.documents;
        let mut out = format!(
            "tollmap refresh: {} new, {} changed documents ({} in the archive); {} claims added, {} removed; {} place and area totals moved\n",
            d["added"], d["changed"], d["total"], self.claims_added.len(), self.claims_removed.len(), self.moved.len()
        );
        let show = |t: &Option<Totals>| match t {
            None => "—".to_string(),
            Some(t) => match t.killed_high {
                Some(h) if h == t.killed_low => format!("{} killed", t.killed_low),
                Some(h) => format!("{}–{} killed", t.killed_low, h),
                None => format!("{}+ killed", t.killed_low),
            },
        };
        if !self.moved.is_empty() {
            out.push_str("\n| layer | place | before | after |\n| --- | --- | --- | --- |\n");
            for m in self.moved.iter().take(20) {
                let name = m.name.replace('|', "\\|");
                out.push_str(&format!(
                    "| {} | {} ({}) | {} | {} |\n",
                    m.layer,
                    name,
                    m.id.replace('|', " "),
                    show(&m.before),
                    show(&m.after)
                ));
            }
            if self.moved.len() > 20 {
                out.push_str(&format!(
                    "\n… and {} more in changes.json\n",
                    self.moved.len() - 20
                ));
            }
        }
        for w in &self.warnings {
            out.push_str(&format!("\nwarning: {w}\n"));
        }
        out
    }
}
