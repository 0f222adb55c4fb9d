//! tollmap turns reports of war casualties into maps.
//!
//! It reads news articles (text, Markdown, JSON Lines), extracts each *claim* of people
//! killed, wounded, captured or missing (how many as a range, who, where, when, and who says
//! so), resolves the places through a bundled gazetteer of Syrian place names, and aggregates
//! the claims by place and period into GeoJSON layers and CSV tables.
//!
//! ```no_run
//! use tollmap::{Pipeline, aggregate::Granularity};
//! let pipeline = Pipeline::new()?.period(Granularity::Month);
//! let run = pipeline.build(&["examples".into()])?;
//! run.files.write("output".as_ref())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod admin;
pub mod aggregate;
pub mod bundle;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod model;
pub mod output;
pub mod tiles;
pub mod util;

use std::path::PathBuf;

use aggregate::Granularity;
use gazetteer::{Gazetteer, GazetteerError};
use ingest::{IngestError, IngestOptions, Ingested};
use model::{Claim, Document};
use output::BuildFiles;
use rayon::prelude::*;

/// Any error of the pipeline, by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// The stages of tollmap, configured once and run on inputs.
#[derive(Debug, Clone)]
pub struct Pipeline {
    gazetteer: std::sync::Arc<Gazetteer>,
    ingest: IngestOptions,
    period: Granularity,
    events: aggregate::EventRules,
    tiles: Option<tiles::TileOptions>,
    web: Option<output::web::WebOptions>,
}

/// What `Pipeline::build` produced: the documents and the files to write (the claims are in
/// them: `claims.csv`, `claims.geojson`).
#[derive(Debug)]
pub struct BuildRun {
    /// Everything read (the rows of event tables moved into `claims`).
    pub ingested: Ingested,
    /// The output files, made but not yet written.
    pub files: BuildFiles,
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
            tiles: Some(output::build_tile_options(12)),
            web: Some(output::web::WebOptions::default()),
        }
    }

    /// The web map `build` writes (`index.html` and its files), or none.
    pub fn web(mut self, web: Option<output::web::WebOptions>) -> Pipeline {
        self.web = web;
        self
    }

    /// The vector tiles `build` writes (`tiles.pmtiles`), or none.
    pub fn tiles(mut self, tiles: Option<tiles::TileOptions>) -> Pipeline {
        self.tiles = tiles;
        self
    }

    /// The publication date of text inputs that carry none.
    pub fn published(mut self, date: Option<jiff::civil::Date>) -> Pipeline {
        self.ingest.published = date;
        self
    }

    /// How URL inputs are fetched (timeouts, retries, cache).
    pub fn fetch(mut self, fetch: ingest::fetch::FetchOptions) -> Pipeline {
        self.ingest.fetch = fetch;
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
        let per_doc: Vec<Vec<Claim>> = docs
            .par_iter()
            .map(|d| extract::claims(d, &self.gazetteer))
            .collect();
        per_doc.into_iter().flatten().collect()
    }

    /// Claims of event tables, with the places they name but do not locate resolved
    /// through the gazetteer.
    pub fn table_claims(&self, claims: &[Claim]) -> Vec<Claim> {
        self.resolve_table_claims(claims.to_vec())
    }

    /// `table_claims`, taking the claims instead of copying them.
    pub fn resolve_table_claims(&self, mut claims: Vec<Claim>) -> Vec<Claim> {
        let ctx = gazetteer::Context::default();
        for c in &mut claims {
            for p in &mut c.places {
                if p.lat.is_none() {
                    *p = self.gazetteer.place(&p.mention, p.role, &ctx);
                }
            }
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
        let extract_chunk = |chunk: &[Document]| -> Vec<Vec<Claim>> {
            chunk
                .par_iter()
                .map(|d| extract::claims(d, &self.gazetteer))
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
        let mut ingested = self.ingest(inputs)?;
        let mut claims = self.extract(&ingested.documents);
        // The table rows move into the claims (`ingested.claims` is left empty): a large
        // table is held once.
        let table = self.resolve_table_claims(std::mem::take(&mut ingested.claims));
        if claims.is_empty() {
            claims = table;
        } else {
            claims.extend(table);
        }
        util::timing::phase("read and extract", t0);
        let files = output::build_files(
            &ingested.documents,
            claims,
            &ingested.files,
            &self.gazetteer,
            output::BuildOptions {
                period: self.period,
                rules: &self.events,
                tiles: self.tiles.as_ref(),
                web: self.web.as_ref(),
            },
        )?;
        Ok(BuildRun { ingested, files })
    }
}
