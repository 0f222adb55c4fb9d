//! The stages in order: ingest -> extract -> resolve -> `aggregate::summarise` -> layers ->
//! output. `Pipeline` is configured once and run on inputs; each stage can also be called on
//! its own (`ingest`, `extract`, `summarise`), so a library user gets the aggregated result
//! without writing a file.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::aggregate::{self, Granularity, Summary};
use crate::extract;
use crate::gazetteer::{self, Gazetteer, GazetteerError};
use crate::ingest::{self, IngestError, IngestOptions, Ingested};
use crate::model::{Claim, Document, Scope};
use crate::output::{self, BuildFiles, Counts};

/// Any error of the pipeline, by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    /// The gazetteer or an overlay could not be read.
    Gazetteer(#[from] GazetteerError),
    #[error(transparent)]
    /// An input could not be read.
    Ingest(#[from] IngestError),
    #[error(transparent)]
    /// An output could not be made or written.
    Output(#[from] output::OutputError),
}

/// The stages of tollmap, configured once and run on inputs.
#[derive(Debug, Clone)]
pub struct Pipeline {
    gazetteer: std::sync::Arc<Gazetteer>,
    ingest: IngestOptions,
    period: Granularity,
    events: aggregate::EventRules,
    tiles: Option<output::TileOptions>,
    mbtiles: bool,
    web: Option<output::web::WebOptions>,
    progress: Option<crate::util::progress::Progress>,
    corrections: Option<std::sync::Arc<crate::corrections::Corrections>>,
}

/// What the corrections of a build did (`Pipeline::corrections`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectionsReport {
    /// The corrections file.
    pub path: PathBuf,
    /// Its rows.
    pub rows: usize,
    /// Rows applied.
    pub applied: usize,
    /// Claims rejected.
    pub rejected: usize,
    /// Rows not applied (listed in `corrections-unmatched.csv`), each as `id (action)`.
    pub not_applied: Vec<String>,
}

impl CorrectionsReport {
    /// What applying `corrections` did, each row not applied named `ID (ACTION)`.
    pub fn of(
        corrections: &crate::corrections::Corrections,
        applied: &crate::corrections::Applied<'_>,
    ) -> CorrectionsReport {
        CorrectionsReport {
            path: corrections.path.clone(),
            rows: corrections.rows.len(),
            applied: applied.applied,
            rejected: applied.rejected,
            not_applied: applied
                .not_applied
                .iter()
                .map(|n| format!("{} ({})", n.correction.claim_id, n.correction.action_name))
                .collect(),
        }
    }
}

/// What `Pipeline::build` produced: the documents and the files to write (the claims are in
/// them: `claims.csv`, `claims.geojson`).
#[derive(Debug)]
pub struct BuildRun {
    /// Everything read (the rows of event tables moved into `claims`).
    pub ingested: Ingested,
    /// The output files, made but not yet written.
    pub files: BuildFiles,
    /// What the corrections did, when a file was given.
    pub corrections: Option<CorrectionsReport>,
}

/// Claims read whole from JSON Lines (`extract --format jsonl`'s, or a Spark job's split by
/// month) put in the order of their documents, each document's in the order read, as
/// extracting the documents would give them: the outputs do not depend on how the claims
/// were split into files. Stable; other rows of event tables keep their order, after them.
fn in_document_order(ingested: &mut Ingested) {
    if ingested.documents.is_empty() || !ingested.claims_placed.iter().any(|p| *p) {
        return;
    }
    let position: crate::util::hash::FnvHashMap<&str, usize> = ingested
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let keys: Vec<usize> = ingested
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let placed = ingested.claims_placed.get(i).copied().unwrap_or(false);
            match position.get(c.doc.as_str()) {
                Some(p) if placed => *p,
                _ => usize::MAX,
            }
        })
        .collect();
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|i| keys[*i]);
    let mut claims: Vec<Option<Claim>> = std::mem::take(&mut ingested.claims)
        .into_iter()
        .map(Some)
        .collect();
    let placed = std::mem::take(&mut ingested.claims_placed);
    ingested.claims = order.iter().filter_map(|i| claims[*i].take()).collect();
    ingested.claims_placed = order
        .iter()
        .map(|i| placed.get(*i).copied().unwrap_or(false))
        .collect();
}

/// Names for the bare points of event tables, each point named once: its governorate and
/// district from the bundled boundaries (the district up to precision 3, the governorate up
/// to 4); a name from its precision: the settlement it lies in or is nearest within 25 km
/// ("near X" when outside it, or at precision 2), else its district ("X district"); the
/// district at precision 3, the governorate at precision 4, none coarser.
struct PointNamer<'g> {
    settlements: gazetteer::nearby::Settlements<'g>,
    done: crate::util::hash::FnvHashMap<String, NamedPoint>,
}

/// What a point was given.
#[derive(Clone)]
struct NamedPoint {
    name: Option<String>,
    kind: Option<crate::model::PlaceKind>,
    admin1: Option<String>,
    admin2: Option<String>,
}

impl<'g> PointNamer<'g> {
    fn new(gaz: &'g Gazetteer) -> PointNamer<'g> {
        PointNamer {
            settlements: gazetteer::nearby::Settlements::of(gaz),
            done: Default::default(),
        }
    }

    /// Fills what `p` lacks of its name, governorate and district.
    fn name(&mut self, p: &mut crate::model::Place) {
        let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
            return;
        };
        let key = format!(
            "{}|{}",
            p.gazetteer_id.as_deref().unwrap_or_default(),
            p.precision.map_or(0, crate::model::Precision::code)
        );
        let named = match self.done.get(&key) {
            Some(n) => n.clone(),
            None => {
                let n = self.named(lat, lon, p.precision);
                self.done.insert(key, n.clone());
                n
            }
        };
        if p.name.is_none() {
            p.name = named.name;
            p.kind = p.kind.or(named.kind);
        }
        p.admin1 = p.admin1.take().or(named.admin1);
        p.admin2 = p.admin2.take().or(named.admin2);
    }

    fn named(&self, lat: f64, lon: f64, precision: Option<crate::model::Precision>) -> NamedPoint {
        use crate::model::{PlaceKind, Precision};
        let (adm1, adm2) = crate::admin::bundled();
        let code = precision.map_or(1, Precision::code);
        // A point that stands for a governorate (or more) is not in the district it falls
        // in; one that stands for more than a governorate is in none.
        let admin1 = (code <= 4)
            .then(|| crate::admin::locate(adm1, lon, lat).map(|a| a.name.clone()))
            .flatten();
        let admin2 = (code <= 3)
            .then(|| crate::admin::locate(adm2, lon, lat).map(|a| a.name.clone()))
            .flatten();
        // Where a point is exact, the settlement it lies in (else "near" the nearest); where
        // it is known within 25 km, "near" the nearest town.
        let settlement = |km: f64, exact: bool| {
            let found = if exact {
                self.settlements.nearest(lat, lon, km)
            } else {
                self.settlements
                    .nearest_town(lat, lon, km)
                    .or_else(|| self.settlements.nearest(lat, lon, km))
            };
            found.map(|(e, d)| {
                if exact && d <= gazetteer::nearby::extent_km(e) {
                    e.name.clone()
                } else {
                    format!("near {}", e.name)
                }
            })
        };
        // Far from any settlement (the desert), a point is named by its district.
        let district = || admin2.as_ref().map(|a| format!("{a} district"));
        let (name, kind) = match code {
            0 | 1 => (settlement(25.0, true).or_else(district), None),
            2 => (settlement(25.0, false).or_else(district), None),
            3 => (
                admin2.as_ref().map(|a| format!("{a} district")),
                Some(PlaceKind::District),
            ),
            4 => (
                admin1.as_ref().map(|a| format!("{a} governorate")),
                Some(PlaceKind::Governorate),
            ),
            _ => (None, None),
        };
        NamedPoint {
            name,
            kind,
            admin1,
            admin2,
        }
    }
}

impl Pipeline {
    /// A pipeline with the bundled gazetteer, monthly periods and no default publication date.
    pub fn new() -> Result<Pipeline, Error> {
        Ok(Pipeline::with_gazetteer(Gazetteer::bundled()?))
    }

    /// A pipeline over a given gazetteer.
    pub fn with_gazetteer(gazetteer: Gazetteer) -> Pipeline {
        Pipeline {
            gazetteer: std::sync::Arc::new(gazetteer),
            ingest: IngestOptions::default(),
            period: Granularity::Month,
            events: aggregate::EventRules::default(),
            #[cfg(feature = "tiles")]
            tiles: Some(output::build_tile_options(12)),
            #[cfg(not(feature = "tiles"))]
            tiles: None,
            mbtiles: false,
            #[cfg(feature = "web")]
            web: Some(output::web::WebOptions::default()),
            #[cfg(not(feature = "web"))]
            web: None,
            progress: None,
            corrections: None,
        }
    }

    /// Corrections to apply after extraction and before aggregation.
    pub fn corrections(mut self, corrections: Option<crate::corrections::Corrections>) -> Pipeline {
        self.corrections = corrections.map(std::sync::Arc::new);
        self
    }

    /// Reports fetching and extraction as they go (a progress bar's feed).
    pub fn progress(mut self, progress: Option<crate::util::progress::Progress>) -> Pipeline {
        self.ingest.fetch.progress = progress.clone();
        self.progress = progress;
        self
    }

    /// The web map `build` writes (`index.html` and its files), or none.
    pub fn web(mut self, web: Option<output::web::WebOptions>) -> Pipeline {
        self.web = web;
        self
    }

    /// The vector tiles `build` writes (`tiles.pmtiles`), or none.
    pub fn tiles(mut self, tiles: Option<output::TileOptions>) -> Pipeline {
        self.tiles = tiles;
        self
    }

    /// Whether `build` writes the tiles as `tiles.mbtiles` too.
    pub fn mbtiles(mut self, mbtiles: bool) -> Pipeline {
        self.mbtiles = mbtiles;
        self
    }

    /// The publication date of text inputs that carry none.
    pub fn published(mut self, date: Option<jiff::civil::Date>) -> Pipeline {
        self.ingest.published = date;
        self
    }

    /// How URL inputs are fetched (timeouts, retries, cache).
    pub fn fetch(mut self, fetch: ingest::fetch::FetchOptions) -> Pipeline {
        let progress = fetch.progress.clone().or_else(|| self.progress.clone());
        self.ingest.fetch = fetch;
        self.ingest.fetch.progress = progress;
        self
    }

    /// How claims are grouped into events.
    pub fn event_rules(mut self, rules: aggregate::EventRules) -> Pipeline {
        self.events = rules;
        self
    }

    /// The period layers are summed by.
    pub fn period(mut self, period: Granularity) -> Pipeline {
        self.period = period;
        self
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Reads inputs into documents.
    pub fn ingest(&self, inputs: &[PathBuf]) -> Result<Ingested, Error> {
        Ok(ingest::documents(inputs, &self.ingest)?)
    }

    /// Extracts the claims of documents, in document order.
    pub fn extract(&self, docs: &[Document]) -> Vec<Claim> {
        self.extract_per_document(docs)
            .into_iter()
            .flatten()
            .collect()
    }

    /// The claims of each document, extracted in parallel, in document order.
    pub fn extract_per_document(&self, docs: &[Document]) -> Vec<Vec<Claim>> {
        let done = std::sync::atomic::AtomicUsize::new(0);
        docs.par_iter()
            .map(|d| self.extract_counted(d, &done, docs.len()))
            .collect()
    }

    /// One document's claims, counted as done (of `total`) for the progress report.
    fn extract_counted(
        &self,
        doc: &Document,
        done: &std::sync::atomic::AtomicUsize,
        total: usize,
    ) -> Vec<Claim> {
        let claims = extract::claims(doc, &self.gazetteer);
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        crate::util::progress::tick(self.progress.as_ref(), "extracting", n, total, 64);
        claims
    }

    /// Claims of event tables, with the places they name but do not locate resolved
    /// through the gazetteer.
    pub fn table_claims(&self, claims: &[Claim], placed: &[bool]) -> Vec<Claim> {
        self.resolve_table_claims(claims.to_vec(), placed)
    }

    /// `table_claims`, taking the claims instead of copying them.
    /// `placed[i]` true leaves claim `i` as it is (`Ingested::claims_placed`).
    /// A table's bare points get a name, governorate and district (`name_point`).
    pub fn resolve_table_claims(&self, mut claims: Vec<Claim>, placed: &[bool]) -> Vec<Claim> {
        let ctx = gazetteer::Context::default();
        let mut namer: Option<PointNamer<'_>> = None;
        for (i, c) in claims.iter_mut().enumerate() {
            if placed.get(i).copied().unwrap_or(false) {
                continue;
            }
            for p in &mut c.places {
                if p.lat.is_none() {
                    *p = self.gazetteer.place(&p.mention, p.role, &ctx);
                } else if p.is_table_point()
                    && (p.name.is_none() || p.admin1.is_none() || p.admin2.is_none())
                {
                    namer
                        .get_or_insert_with(|| PointNamer::new(&self.gazetteer))
                        .name(p);
                }
            }
            // Judged once placed, as a text's claims are.
            crate::confidence::assess(c);
        }
        claims
    }

    /// The claims of each document in turn, handed to `each` without collecting them all.
    /// Documents are extracted in parallel, a chunk at a time, while `each` takes the
    /// previous chunk's claims in document order: the output does not depend on the number
    /// of threads (`RAYON_NUM_THREADS`).
    pub fn extract_each<E: Send>(
        &self,
        docs: &[Document],
        mut each: impl FnMut(&[Claim]) -> Result<(), E> + Send,
    ) -> Result<usize, E> {
        /// Documents extracted together: enough to keep every thread busy, few enough that
        /// memory holds only their claims.
        const CHUNK: usize = 256;
        let done = std::sync::atomic::AtomicUsize::new(0);
        let extract_chunk = |chunk: &[Document]| -> Vec<Vec<Claim>> {
            chunk
                .par_iter()
                .map(|d| self.extract_counted(d, &done, docs.len()))
                .collect()
        };
        let mut chunks = docs.chunks(CHUNK);
        let mut ready = chunks.next().map(extract_chunk).unwrap_or_default();
        let mut n = 0;
        loop {
            let next = chunks.next();
            let (upcoming, written) = rayon::join(
                || next.map(extract_chunk),
                || {
                    ready.iter().try_for_each(|claims| {
                        n += claims.len();
                        each(claims)
                    })
                },
            );
            written?;
            match upcoming {
                Some(u) => ready = u,
                None => return Ok(n),
            }
        }
    }

    /// Reads, extracts and aggregates; nothing is written until `files.write` is called, so a
    /// failure here leaves any previous output untouched.
    pub fn build(&self, inputs: &[PathBuf]) -> Result<BuildRun, Error> {
        let t0 = std::time::Instant::now();
        let ingested = self.ingest(inputs)?;
        let claims = self.extract(&ingested.documents);
        crate::util::timing::phase("read and extract", t0);
        self.build_from(ingested, claims)
    }

    /// Aggregates documents already read and their claims (in document order; the rows of
    /// event tables still in `ingested.claims`) and stages every output: `build` after its
    /// reading and extraction, and `refresh` with the archive's documents.
    pub fn build_from(
        &self,
        mut ingested: Ingested,
        mut claims: Vec<Claim>,
    ) -> Result<BuildRun, Error> {
        in_document_order(&mut ingested);
        // The table rows move into the claims (`ingested.claims` is left empty): a large
        // table is held once.
        let table = self.resolve_table_claims(
            std::mem::take(&mut ingested.claims),
            &std::mem::take(&mut ingested.claims_placed),
        );
        if claims.is_empty() {
            claims = table;
        } else {
            claims.extend(table);
        }
        let mut report = None;
        let mut unmatched = None;
        if let Some(c) = &self.corrections {
            let applied = c.apply(&mut claims, &self.gazetteer);
            unmatched = Some(output::stage_unmatched(&applied.not_applied)?);
            report = Some(CorrectionsReport::of(c, &applied));
        }
        let manifest_corrections = self
            .corrections
            .as_ref()
            .zip(report.as_ref())
            .map(|(c, r)| {
                serde_json::json!({
                    "path": c.path.display().to_string(),
                    "sha256": c.sha256,
                    "rows": r.rows,
                    "applied": r.applied,
                    "rejected": r.rejected,
                    "not_applied": r.not_applied.len(),
                })
            });
        let files = self.stage(&ingested, &claims, unmatched, manifest_corrections)?;
        // A million claims are a few million allocations: freed on another thread, which
        // nothing waits for.
        let _ = std::thread::Builder::new()
            .name("free".into())
            .spawn(move || drop(claims));
        Ok(BuildRun {
            ingested,
            files,
            corrections: report,
        })
    }

    /// Sums the claims and makes every output file: the CSV tables on their own thread while
    /// the claims are grouped and summed, then the layers, the page and the manifest.
    fn stage(
        &self,
        ingested: &Ingested,
        claims: &[Claim],
        unmatched: Option<output::Staged>,
        corrections: Option<serde_json::Value>,
    ) -> Result<BuildFiles, Error> {
        let docs = &ingested.documents;
        // What the layers and tables say of each claim's document: the documents read, and
        // those a claims table described.
        let described: std::borrow::Cow<'_, [Document]> = if ingested.table_documents.is_empty() {
            std::borrow::Cow::Borrowed(docs)
        } else {
            std::borrow::Cow::Owned(
                docs.iter()
                    .chain(&ingested.table_documents)
                    .cloned()
                    .collect(),
            )
        };
        let described = &*described;
        let opts = output::BuildOptions {
            period: self.period,
            rules: &self.events,
            tiles: self.tiles.as_ref(),
            mbtiles: self.mbtiles,
            web: self.web.as_ref(),
        };
        std::thread::scope(|s| -> Result<BuildFiles, Error> {
            let tables = output::spawn(s, "csv", || output::stage_tables(claims, described))?;
            // As are the claims' own counts.
            let counted = output::spawn(s, "counts", || Ok(count_claims(docs, claims)))?;
            let summary = aggregate::summarise(claims, self.period, &self.events);
            let counted = output::joined(counted.join())?;
            let counts = summary_counts(&summary, counted);
            let joined_tables = move || output::joined(tables.join());
            let mut files = output::stage_build(&summary, described, counts, joined_tables, opts)?;
            files.extend(unmatched);
            files.push(output::stage_manifest(
                &files,
                &ingested.files,
                (docs, &ingested.content_hashes),
                corrections,
                &self.gazetteer,
                &counts,
                opts,
            )?);
            Ok(BuildFiles { files, counts })
        })
    }
}

/// What `build` counts of the claims themselves (the other counts are left at 0).
fn count_claims(docs: &[Document], claims: &[Claim]) -> Counts {
    let by_id: crate::util::hash::FnvHashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    Counts {
        // Documents, and the events of tables (each its own document).
        documents: docs.len()
            + claims
                .iter()
                .filter(|c| c.part_of.is_none() && !by_id.contains(c.doc.as_str()))
                .map(|c| c.doc.as_str())
                .collect::<crate::util::hash::FnvHashSet<_>>()
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
        unresolved_mentions: claims
            .iter()
            .flat_map(|c| c.places.iter())
            .filter(|p| !p.is_resolved() || p.is_fallback())
            .count(),
        ..Counts::default()
    }
}

/// The counts of a build: the claims' own (`counted`) and the summary's.
fn summary_counts(summary: &Summary<'_>, counted: Counts) -> Counts {
    Counts {
        events: summary.events.len(),
        place_periods: summary.places.len(),
        origin_periods: summary.origins.len(),
        admin1_periods: summary.admin1.len(),
        admin2_periods: summary.admin2.len(),
        events_outside_admin1: summary.outside_admin1,
        events_outside_admin2: summary.outside_admin2,
        ..counted
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn extraction_reports_its_progress_to_the_end() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let progress = crate::util::progress::Progress::new(move |what, done, total| {
            log.lock().unwrap().push((what, done, total));
        });
        let pipeline = Pipeline::new().unwrap().progress(Some(progress));
        let docs: Vec<Document> = (0..130)
            .map(|i| Document {
                id: format!("d{i}"),
                title: None,
                text: "Five civilians were killed in Ariha.".into(),
                source: "test".into(),
                url: None,
                outlet: None,
                published: None,
            })
            .collect();
        // Both ways of extracting: all at once (`build`), and streamed (`extract`).
        type Extraction<'a> = Box<dyn Fn(&Pipeline, &[Document]) -> usize + 'a>;
        let ways: [Extraction; 2] = [
            Box::new(|p, d| p.extract(d).len()),
            Box::new(|p, d| {
                p.extract_each(d, |_| Ok::<(), ()>(()))
                    .expect("nothing fails")
            }),
        ];
        for way in ways {
            seen.lock().unwrap().clear();
            assert_eq!(way(&pipeline, &docs), 130);
            let seen = seen.lock().unwrap();
            assert!(seen
                .iter()
                .all(|(what, _, total)| *what == "extracting" && *total == 130));
            assert!(seen.contains(&("extracting", 130, 130)), "{seen:?}");
            assert!(seen.len() >= 3, "{seen:?}");
        }
    }
}
