//! Rebuilding the bundled data: the gazetteer of Syrian places (`build`, from the sources in
//! `shared/data`), a world gazetteer imported from GeoNames (`import`), and the simplified
//! outlines of governorates and districts (`admin`). Run by `tollmap gazetteer build` and
//! `tollmap gazetteer import`; nothing in a normal run calls it.

pub mod admin;
pub mod build;
pub mod import;

use std::path::PathBuf;

use crate::admin::AdminError;
use crate::gazetteer::GazetteerError;

/// A failure rebuilding bundled data.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A gazetteer source that could not be read or parsed.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// An outline file that could not be read or parsed.
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// An output file that could not be written.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        #[source]
        /// Why it could not be written.
        source: std::io::Error,
    },
}
