//! The archive of `tollmap refresh`: every document ever read, each version of it, where it
//! was seen, and the claims extracted from each version, in one SQLite file (WAL, one
//! transaction per run, locked against a second refresh).
//!
//! A document is one row however many feeds or URLs bring it: it is found again by its id
//! (the canonical URL for pages and feed items, the path for files), else by the hash of its
//! text. An edited article is a new version of the same row; the map uses the latest. Claims
//! are kept per version and per extraction (`Extraction`: tollmap's version, the gazetteer's
//! and the options), so a run extracts only what is new or changed, and everything again
//! when the tool, the gazetteer or the options changed.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::model::{Claim, Document};

/// The archive file's schema version (`PRAGMA user_version`).
const SCHEMA: i64 = 1;

/// What went wrong with the archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// SQLite failed.
    #[error("{}: {what}", path.display())]
    Sql {
        /// The archive file.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// What SQLite said.
        #[source]
        cause: rusqlite::Error,
    },
    /// Another refresh holds the archive.
    #[error("{}: another tollmap refresh is using this archive; try again when it has finished", .0.display())]
    Busy(PathBuf),
    /// The lock file could not be made.
    #[error("{}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        cause: std::io::Error,
    },
    /// A stored value that does not read back (a damaged or foreign file).
    #[error("{}: {message}", path.display())]
    Damaged {
        /// The archive file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// What recording a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A document never seen before.
    Added,
    /// A new version of a document seen before (its text, title or date changed).
    Changed,
    /// The same version again (or the same text under another URL).
    Unchanged,
}

/// The key of one extraction: tollmap's version, the gazetteer's and the options that change
/// claims. Claims stored under another key are made again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction(pub String);

/// A document of the archive, in its latest version, with the row it is kept in.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The document's row (its order of first arrival).
    pub row: i64,
    /// Its latest version number (1 for the first).
    pub version: i64,
    /// The document (its text empty when `claims` holds its claims).
    pub document: Document,
    /// Its claims under the extraction asked for, when kept.
    pub claims: Option<Vec<Claim>>,
    /// The version's content hash (`Document::content_hash`: the text is not read back
    /// when the claims are kept).
    pub content_hash: String,
}

/// An archive open for one run; dropped, it lets the next run take it.
pub struct Archive {
    conn: Connection,
    path: PathBuf,
    /// Held until the archive is dropped: a second refresh is refused.
    _lock: std::fs::File,
}

impl Archive {
    /// Opens (or makes) the archive at `path` and takes its lock, failing at once when
    /// another refresh holds it.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        let lock_path = lock_path(path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|cause| ArchiveError::Io {
                path: dir.to_path_buf(),
                cause,
            })?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|cause| ArchiveError::Io {
                path: lock_path.clone(),
                cause,
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(ArchiveError::Busy(path.to_path_buf()))
            }
            Err(std::fs::TryLockError::Error(cause)) => {
                return Err(ArchiveError::Io {
                    path: lock_path,
                    cause,
                })
            }
        }
        let sql = |what: &'static str| {
            let path = path.to_path_buf();
            move |cause| ArchiveError::Sql { path, what, cause }
        };
        let conn = Connection::open(path).map_err(sql("opening"))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(sql("setting up"))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql("reading the schema version"))?;
        match version {
            0 => conn
                .execute_batch(&format!(
                    "BEGIN;
                     CREATE TABLE documents (
                         row INTEGER PRIMARY KEY,
                         doc_id TEXT NOT NULL UNIQUE,
                         version INTEGER NOT NULL,
                         content_hash TEXT NOT NULL,
                         first_seen TEXT NOT NULL,
                         last_seen TEXT NOT NULL
                     );
                     CREATE INDEX documents_by_hash ON documents(content_hash);
                     CREATE TABLE versions (
                         row INTEGER NOT NULL REFERENCES documents(row),
                         version INTEGER NOT NULL,
                         content_hash TEXT NOT NULL,
                         seen TEXT NOT NULL,
                         meta TEXT NOT NULL,
                         text TEXT NOT NULL,
                         PRIMARY KEY (row, version)
                     );
                     CREATE TABLE sources (
                         row INTEGER NOT NULL REFERENCES documents(row),
                         source TEXT NOT NULL,
                         first_seen TEXT NOT NULL,
                         last_seen TEXT NOT NULL,
                         PRIMARY KEY (row, source)
                     );
                     CREATE TABLE claims (
                         row INTEGER NOT NULL,
                         version INTEGER NOT NULL,
                         extraction TEXT NOT NULL,
                         claims TEXT NOT NULL,
                         PRIMARY KEY (row, version, extraction)
                     );
                     PRAGMA user_version = {SCHEMA};
                     COMMIT;"
                ))
                .map_err(sql("making the archive"))?,
            SCHEMA => {}
            other => {
                return Err(ArchiveError::Damaged {
                    path: path.to_path_buf(),
                    message: format!(
                        "schema version {other}, not {SCHEMA} (made by another tollmap version?)"
                    ),
                })
            }
        }
        Ok(Archive {
            conn,
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    fn sql(&self, what: &'static str) -> impl FnOnce(rusqlite::Error) -> ArchiveError {
        let path = self.path.clone();
        move |cause| ArchiveError::Sql { path, what, cause }
    }

    /// Starts the run's transaction: nothing it records is seen by another reader, or kept
    /// after a kill, until `commit`.
    pub fn begin(&mut self) -> Result<(), ArchiveError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(self.sql("starting the run"))
    }

    /// Keeps everything the run recorded, at once.
    pub fn commit(&mut self) -> Result<(), ArchiveError> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(self.sql("committing the run"))
    }

    /// Forgets everything the run recorded (`--check`).
    pub fn roll_back(&mut self) -> Result<(), ArchiveError> {
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(self.sql("rolling the run back"))
    }

    /// Records `doc` as seen now (`now`: an ISO date-time) from `source` (a feed, URL or
    /// file): a new document, a new version of one seen before, or the same again.
    pub fn record(
        &mut self,
        doc: &Document,
        source: &str,
        now: &str,
    ) -> Result<Recorded, ArchiveError> {
        let hash = doc.content_hash();
        let found: Option<(i64, i64, String)> = self
            .conn
            .query_row(
                "SELECT row, version, content_hash FROM documents WHERE doc_id = ?1",
                params![doc.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.sql("finding a document"))?;
        // The same text under another id (a second URL of one article): the same document.
        let found = match found {
            Some(f) => Some(f),
            None => self
                .conn
                .query_row(
                    "SELECT row, version, content_hash FROM documents WHERE content_hash = ?1 ORDER BY row LIMIT 1",
                    params![hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(self.sql("finding a document by its text"))?,
        };
        let stored = serde_json::to_string(&Meta::of(doc)).map_err(|e| ArchiveError::Damaged {
            path: self.path.clone(),
            message: format!("document {}: {e}", doc.id),
        })?;
        let (row, outcome) = match found {
            None => {
                self.conn
                    .execute(
                        "INSERT INTO documents (doc_id, version, content_hash, first_seen, last_seen) VALUES (?1, 1, ?2, ?3, ?3)",
                        params![doc.id, hash, now],
                    )
                    .map_err(self.sql("adding a document"))?;
                let row = self.conn.last_insert_rowid();
                self.add_version(row, 1, &hash, now, &stored, &doc.text)?;
                (row, Recorded::Added)
            }
            Some((row, _, old)) if old == hash => {
                self.conn
                    .execute(
                        "UPDATE documents SET last_seen = ?2 WHERE row = ?1",
                        params![row, now],
                    )
                    .map_err(self.sql("updating a document"))?;
                (row, Recorded::Unchanged)
            }
            Some((row, version, _)) => {
                let version = version + 1;
                self.conn
                    .execute(
                        "UPDATE documents SET version = ?2, content_hash = ?3, last_seen = ?4 WHERE row = ?1",
                        params![row, version, hash, now],
                    )
                    .map_err(self.sql("updating a document"))?;
                self.add_version(row, version, &hash, now, &stored, &doc.text)?;
                (row, Recorded::Changed)
            }
        };
        self.conn
            .execute(
                "INSERT INTO sources (row, source, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT (row, source) DO UPDATE SET last_seen = excluded.last_seen",
                params![row, source, now],
            )
            .map_err(self.sql("recording a source"))?;
        Ok(outcome)
    }

    fn add_version(
        &self,
        row: i64,
        version: i64,
        hash: &str,
        now: &str,
        meta: &str,
        text: &str,
    ) -> Result<(), ArchiveError> {
        self.conn
            .execute(
                "INSERT INTO versions (row, version, content_hash, seen, meta, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row, version, hash, now, meta, text],
            )
            .map(|_| ())
            .map_err(self.sql("adding a version"))
    }

    /// Every document in its latest version, in the order they first arrived, with the
    /// claims kept for it under `extraction`. A document with claims comes without its text
    /// (`text` empty: nothing reads it again); one without has its text, to be extracted.
    pub fn documents(&self, extraction: &Extraction) -> Result<Vec<Kept>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.row, d.version, v.meta, c.claims, CASE WHEN c.claims IS NULL THEN v.text ELSE '' END, v.content_hash
                 FROM documents d
                 JOIN versions v ON v.row = d.row AND v.version = d.version
                 LEFT JOIN claims c ON c.row = d.row AND c.version = d.version AND c.extraction = ?1
                 ORDER BY d.row",
            )
            .map_err(self.sql("reading the documents"))?;
        let rows = stmt
            .query_map(params![extraction.0], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(self.sql("reading the documents"))?;
        let raw = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql("reading a document"))?;
        // The JSON is parsed on every core.
        use rayon::prelude::*;
        let path = &self.path;
        raw.into_par_iter()
            .map(|(row, version, meta, claims, text, content_hash)| {
                let damaged = |what: &str, e: serde_json::Error| ArchiveError::Damaged {
                    path: path.clone(),
                    message: format!("{what} of row {row}: {e}"),
                };
                let meta: Meta = serde_json::from_str(&meta).map_err(|e| damaged("document", e))?;
                let claims = claims
                    .map(|c| serde_json::from_str(&c).map_err(|e| damaged("claims", e)))
                    .transpose()?;
                Ok(Kept {
                    row,
                    version,
                    document: meta.into_document(text),
                    claims,
                    content_hash,
                })
            })
            .collect()
    }

    /// How many documents the archive keeps.
    pub fn len(&self) -> Result<usize, ArchiveError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(self.sql("counting the documents"))
    }

    /// True when the archive keeps no document.
    pub fn is_empty(&self) -> Result<bool, ArchiveError> {
        Ok(self.len()? == 0)
    }

    /// Stores the claims of a version under `extraction` (replacing any made before under
    /// another extraction: only the current one is kept).
    pub fn store_claims(
        &mut self,
        row: i64,
        version: i64,
        extraction: &Extraction,
        claims: &[Claim],
    ) -> Result<(), ArchiveError> {
        let text = serde_json::to_string(claims).map_err(|e| ArchiveError::Damaged {
            path: self.path.clone(),
            message: format!("claims of row {row}: {e}"),
        })?;
        self.conn
            .execute(
                "DELETE FROM claims WHERE row = ?1 AND extraction <> ?2",
                params![row, extraction.0],
            )
            .map_err(self.sql("replacing claims"))?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO claims (row, version, extraction, claims) VALUES (?1, ?2, ?3, ?4)",
                params![row, version, extraction.0, text],
            )
            .map(|_| ())
            .map_err(self.sql("storing claims"))
    }

    /// The sources of every document (its row, each source and when it was last seen).
    pub fn sources(&self) -> Result<Vec<(i64, String, String)>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare("SELECT row, source, last_seen FROM sources ORDER BY row, source")
            .map_err(self.sql("reading the sources"))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.sql("reading the sources"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(self.sql("reading the sources"))
    }

    /// Documents kept that no source gave at `now` (gone from their feeds, or not fetched).
    pub fn not_seen_at(&self, now: &str) -> Result<usize, ArchiveError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM documents WHERE last_seen <> ?1",
                params![now],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(self.sql("counting documents not seen"))
    }
}

/// `ARCHIVE.lock`: the file a refresh locks.
fn lock_path(archive: &Path) -> PathBuf {
    let mut name = archive.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    archive.with_file_name(name)
}

/// A document as the archive keeps it, but for its text (a column of its own).
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    id: String,
    title: Option<String>,
    source: String,
    url: Option<String>,
    outlet: Option<String>,
    published: Option<jiff::civil::Date>,
}

impl Meta {
    fn of(d: &Document) -> Meta {
        Meta {
            id: d.id.clone(),
            title: d.title.clone(),
            source: d.source.clone(),
            url: d.url.clone(),
            outlet: d.outlet.clone(),
            published: d.published,
        }
    }

    fn into_document(self, text: String) -> Document {
        Document {
            id: self.id,
            title: self.title,
            text,
            source: self.source,
            url: self.url,
            outlet: self.outlet,
            published: self.published,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            title: None,
            text: text.into(),
            source: "feed".into(),
            url: Some(id.into()),
            outlet: None,
            published: None,
        }
    }

    #[test]
    fn a_document_is_kept_once_and_an_edit_is_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let mut a = Archive::open(&path).unwrap();
        a.begin().unwrap();
        let first = doc("https://x/1", "Five killed in Ariha.");
        assert_eq!(
            a.record(&first, "feed-a", "2026-01-01").unwrap(),
            Recorded::Added
        );
        assert_eq!(
            a.record(&first, "feed-b", "2026-01-02").unwrap(),
            Recorded::Unchanged
        );
        // The same text under a second URL: the same document.
        let twin = doc("https://x/1?utm=feed", "Five killed in Ariha.");
        assert_eq!(
            a.record(&twin, "feed-b", "2026-01-02").unwrap(),
            Recorded::Unchanged
        );
        let edited = doc("https://x/1", "Six killed in Ariha.");
        assert_eq!(
            a.record(&edited, "feed-a", "2026-01-03").unwrap(),
            Recorded::Changed
        );
        a.commit().unwrap();
        let x = Extraction("test".into());
        let docs = a.documents(&x).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].version, 2);
        assert_eq!(docs[0].document.text, "Six killed in Ariha.");
        assert_eq!(a.sources().unwrap().len(), 2);
        // A second refresh is refused while this one holds the archive.
        assert!(matches!(Archive::open(&path), Err(ArchiveError::Busy(_))));
        drop(a);
        assert_eq!(Archive::open(&path).unwrap().len().unwrap(), 1);
    }

    #[test]
    fn a_run_rolled_back_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let mut a = Archive::open(&path).unwrap();
        a.begin().unwrap();
        a.record(&doc("d", "text"), "s", "2026-01-01").unwrap();
        a.roll_back().unwrap();
        assert!(a.is_empty().unwrap());
    }
}
