#![deny(missing_docs)]
// Unsafe code lives in `util::sys`, `cli::signals` and `cli::alloc` alone, each use with its
// reasons.
#![deny(unsafe_code)]
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
#[cfg(feature = "archive")]
pub mod archive;
pub mod bundle;
#[cfg(feature = "cli")]
pub mod cli;
pub mod confidence;
pub mod corrections;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod layers;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod project;
#[cfg(feature = "archive")]
pub mod refresh;
pub mod review;
pub mod serve;
#[cfg(feature = "tiles")]
pub mod tiles;
pub mod util;

pub use pipeline::{BuildRun, Error, Pipeline};
