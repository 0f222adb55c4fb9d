//! Opening a gazetteer folder written by `tollmap gazetteer import` (a world-sized
//! gazetteer): its places and name index memory-mapped, so a large file opens in milliseconds
//! and pages in as it is used.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::index::{Bytes, Index};
use super::{Gazetteer, GazetteerError};

/// The files an imported gazetteer folder holds.
pub(crate) const FILES: &[&str] = &[
    "places.tsv",
    "exact.fst",
    "loose.fst",
    "postings.bin",
    "keys.txt",
    "key_offsets.bin",
    "demonyms.txt",
    "version.txt",
];

fn io(path: &Path, cause: std::io::Error) -> GazetteerError {
    GazetteerError::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// A file of an imported folder, mapped into memory.
fn map(path: PathBuf) -> Result<Bytes, GazetteerError> {
    let file = std::fs::File::open(&path).map_err(|e| io(&path, e))?;
    if file.metadata().map_err(|e| io(&path, e))?.len() == 0 {
        return Ok(Bytes::Static(b""));
    }
    let mmap = crate::util::sys::map_read_only(&file).map_err(|e| io(&path, e))?;
    Ok(Bytes::Shared(Arc::new(mmap)))
}

/// Opens an imported gazetteer folder, memory-mapping its files.
pub fn open(dir: &Path) -> Result<Gazetteer, GazetteerError> {
    for f in FILES {
        if !dir.join(f).is_file() {
            return Err(GazetteerError::Data {
                path: dir.join(f),
                message: "missing: not a folder written by `tollmap gazetteer import`".into(),
            });
        }
    }
    let m = |name: &str| map(dir.join(name));
    let demonyms =
        std::fs::read(dir.join("demonyms.txt")).map_err(|e| io(&dir.join("demonyms.txt"), e))?;
    let index = Index::from_parts(
        m("exact.fst")?,
        m("loose.fst")?,
        m("postings.bin")?,
        m("keys.txt")?,
        m("key_offsets.bin")?,
        &demonyms,
        // Folders imported before the deletion index existed have no such file.
        if dir.join("deletes.fst").is_file() {
            m("deletes.fst")?
        } else {
            Bytes::Static(b"")
        },
    )
    .ok_or_else(|| GazetteerError::Data {
        path: dir.to_path_buf(),
        message: "the index files are not valid".into(),
    })?;
    let version = std::fs::read_to_string(dir.join("version.txt"))
        .map_err(|e| io(&dir.join("version.txt"), e))?;
    Gazetteer::from_parts(m("places.tsv")?, index, version.trim().to_string())
}
