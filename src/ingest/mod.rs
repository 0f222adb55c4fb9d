//! Reading inputs into documents: text and Markdown files, JSON Lines files, and directories of them.
//!
//! - `.txt` / `.md`: the file is the text and its stem the id. An optional front-matter block
//!   at the top (`---` lines around `key: value` lines: `id`, `title`, `published`, `url`,
//!   `outlet`) gives its metadata; the text starts after it. `--published` dates files that
//!   have no `published` of their own.
//! - `.jsonl`: one document per line with `id` and `text` (required), `title`, `url`,
//!   `outlet`, `published` (ISO 8601 date or date-time). Unknown fields are ignored.
//! - `.html` / `.htm`: a saved page; its article text, title and date (see `html`).
//! - `.csv`: an event table (UCDP GED, ACLED or tollmap claims, told by the header) whose
//!   rows become claims directly (see `table`).
//! - `http://` / `https://` URLs: fetched (see `fetch`); an RSS or Atom feed gives one
//!   document per item (see `feed`), a page its article. A URL that fails is reported in
//!   `Ingested::warnings` and the others go on.
//! - Text from `.txt`, `.md`, `.jsonl` and feeds loses a leading logo line and a trailing
//!   block of link lists and prompts (see `boilerplate`).
//! - Directories are walked recursively in name order; files of other types in them are
//!   skipped and reported.

mod boilerplate;
pub mod feed;
pub mod fetch;
pub mod html;
mod table;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::Value;

use crate::model::Document;
use crate::util::report;

/// What can go wrong reading inputs. Each names the input and, where it has lines, the line.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// An input that does not exist or cannot be read.
    #[error("{path}")]
    Io {
        /// The input.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        cause: std::io::Error,
    },
    /// A line of an input that does not fit its format.
    #[error("{path}:{line}: {message}")]
    Line {
        /// The input.
        path: PathBuf,
        /// Its line, counting from 1.
        line: usize,
        /// What does not fit.
        message: String,
    },
    /// An input of a type tollmap does not read.
    #[error("{path}: unsupported input type (expected .txt, .md, .jsonl, .html or .csv, or a directory)")]
    Unsupported {
        /// The file of a type tollmap does not read.
        path: PathBuf,
    },
    /// A URL input that could not be fetched.
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    /// A URL input whose body is not a page or feed tollmap can read.
    #[error("{url}")]
    Url {
        /// The URL.
        url: String,
        /// Why its body gave nothing.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A document longer than `MAX_DOCUMENT_BYTES`: left out.
    #[error(
        "{path}: document `{id}` has {bytes} bytes of text, more than the {MAX_DOCUMENT_BYTES} \
         read as one document; left out"
    )]
    TooLong {
        /// Where it came from.
        path: String,
        /// Its id.
        id: String,
        /// Its text's length.
        bytes: usize,
    },
    /// Two documents with the same id: the later one is left out (a warning).
    #[error("{path}: document id `{id}` already used by {first}; left out")]
    DuplicateId {
        /// The input holding the repeated id.
        path: String,
        /// The id.
        id: String,
        /// The input that used it first.
        first: String,
    },
    /// Rows of event tables whose claim ids were read before (a table given twice, two
    /// nights' `claims.csv`): the later ones are left out (a warning).
    #[error(
        "{count} claims of event tables repeat ids already read (the first: `{example}`); left out"
    )]
    RepeatedClaims {
        /// How many.
        count: usize,
        /// The first repeated id.
        example: String,
    },
}

impl IngestError {
    /// The input the error is about (a path, a URL, or `path:line` of a JSON Lines record) and
    /// the line, when the error has them.
    pub fn location(&self) -> (Option<String>, Option<usize>) {
        match self {
            IngestError::Io { path, .. } | IngestError::Unsupported { path } => {
                (Some(path.display().to_string()), None)
            }
            IngestError::Line { path, line, .. } => (Some(path.display().to_string()), Some(*line)),
            IngestError::Url { url, .. } => (Some(url.clone()), None),
            IngestError::TooLong { path, .. } | IngestError::DuplicateId { path, .. } => {
                (Some(path.clone()), None)
            }
            IngestError::Fetch(_) | IngestError::RepeatedClaims { .. } => (None, None),
        }
    }
}

/// Scraped text as every reader leaves it: leading labels ("Logo", "Share") and a trailing
/// block of links go; a text with no prose is unchanged. The Python package's `extract`
/// reads its texts through it, as `tollmap extract` reads a file's.
pub fn trim_boilerplate(text: &str) -> &str {
    boilerplate::trim(text)
}

/// Options for reading inputs.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Publication date for text files that do not carry their own.
    pub published: Option<Date>,
    /// How URLs are fetched.
    pub fetch: fetch::FetchOptions,
}

/// An input file read, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as given or found.
    pub path: PathBuf,
    /// SHA-256 of the bytes read.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Documents it held (for an event table: its events).
    pub documents: usize,
}

/// Everything read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    /// The documents, in input order.
    pub documents: Vec<Document>,
    /// Claims read directly from event tables, in input order.
    pub claims: Vec<crate::model::Claim>,
    /// The files read.
    pub files: Vec<InputFile>,
    /// Files skipped inside directories (unsupported type).
    pub skipped: Vec<PathBuf>,
    /// Inputs that failed (each message names the URL and what went wrong) or were served
    /// from the cache because their server failed; the run goes on without them.
    pub warnings: Vec<String>,
    /// Items of saved feed files that carry only a link: their pages are fetched with the
    /// URL inputs.
    pub(crate) links: Vec<(feed::FeedItem, String)>,
    /// Documents known only by what a claims table (tollmap's own `claims.csv`) says of
    /// them: id, title, outlet, URL and date, no text. The layers take these for the
    /// table's claims; they are not listed or counted as documents read.
    pub table_documents: Vec<Document>,
    /// For each of `claims`, true when it came from a `places` cell of tollmap's own claims
    /// table: its places are as tollmap left them and are not resolved again. Shorter than
    /// `claims` (empty, most often) where the rest are false.
    pub claims_placed: Vec<bool>,
    /// Each document's content hash (`Document::content_hash`), in the order of
    /// `documents`, when it is already known (a refresh's, from the archive); left empty, the
    /// manifest computes them from the texts.
    pub content_hashes: Vec<String>,
}

/// Reads every input (files or directories) into documents.
pub fn documents(inputs: &[PathBuf], opts: &IngestOptions) -> Result<Ingested, IngestError> {
    let mut out = Ingested::default();
    let mut urls: Vec<String> = Vec::new();
    let mut failures: Vec<IngestError> = Vec::new();
    let mut read_any = false;
    for input in inputs {
        if let Some(url) = input
            .to_str()
            .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
        {
            urls.push(url.to_string());
            continue;
        }
        match read_input(input, opts, &mut out, &mut failures) {
            Ok(n) => read_any |= n > 0,
            Err(e) => failures.push(e),
        }
    }
    if !urls.is_empty() || !out.links.is_empty() {
        read_any |= read_urls(&urls, opts, &mut out, &mut failures) > 0;
    }
    // Some inputs failed: the others go on, and the failures are reported (exit code 1).
    // All failed: there is nothing to build, and the first failure is the error (exit 2).
    if !read_any {
        if let Some(first) = failures.into_iter().next() {
            return Err(first);
        }
    } else {
        out.warnings
            .extend(failures.iter().map(|e| report::chain(e)));
    }
    let left_out = leave_out(&mut out);
    // Every document left out, and nothing else read: as when every input fails.
    if out.documents.is_empty() && out.claims.is_empty() {
        if let Some(first) = left_out.into_iter().next() {
            return Err(first);
        }
    } else {
        out.warnings
            .extend(left_out.iter().map(|e| report::chain(e)));
    }
    Ok(out)
}

/// Why a fetched body is not a page or a feed tollmap can read (a PDF, an image, bytes), or
/// `None`: by its `Content-Type`, else by its first bytes.
fn not_text(f: &fetch::Fetched) -> Option<String> {
    let head = &f.bytes[..f.bytes.len().min(1024)];
    if head.starts_with(b"%PDF") {
        return Some("a PDF, not a page or feed (tollmap reads HTML, RSS and Atom)".into());
    }
    if let Some(ct) = f.content_type.as_deref() {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let readable = mime.starts_with("text/")
            || mime.ends_with("+xml")
            || mime == "application/xml"
            || mime.is_empty();
        if !readable {
            return Some(format!(
                "a body of type {mime}, not a page or feed (tollmap reads HTML, RSS and Atom)"
            ));
        }
    } else if head.contains(&0) {
        return Some("binary data, not a page or feed".into());
    }
    None
}

/// The longest document text read (4 MiB, a book's length): extraction holds about 150
/// times a document's text in memory, so a longer one is left out with a warning.
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;

/// Leaves out documents longer than `MAX_DOCUMENT_BYTES`: one error each.
fn skip_oversized(out: &mut Ingested) -> Vec<IngestError> {
    let mut too_long = Vec::new();
    out.documents.retain(|d| {
        let fits = d.text.len() <= MAX_DOCUMENT_BYTES;
        if !fits {
            too_long.push(IngestError::TooLong {
                path: d.source.clone(),
                id: d.id.clone(),
                bytes: d.text.len(),
            });
        }
        fits
    });
    too_long
}

/// Keeps the first document of each id: a later one (a file given twice, a folder and a file
/// in it, a JSON Lines record repeated) is left out: one error each, naming both sources.
fn skip_repeated_ids(out: &mut Ingested) -> Vec<IngestError> {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut repeated = Vec::new();
    out.documents.retain(|d| match first.get(&d.id) {
        Some(source) => {
            repeated.push(IngestError::DuplicateId {
                path: d.source.clone(),
                id: d.id.clone(),
                first: source.clone(),
            });
            false
        }
        None => {
            first.insert(d.id.clone(), d.source.clone());
            true
        }
    });
    repeated
}

/// Leaves out what cannot be read twice or safely: documents with an id already read,
/// documents too long, table rows with a claim id already read. One error each (a warning).
fn leave_out(out: &mut Ingested) -> Vec<IngestError> {
    let mut left_out = skip_repeated_ids(out);
    left_out.extend(skip_oversized(out));
    left_out.extend(skip_repeated_claims(out));
    left_out
}

/// Keeps the first claim of each id among the rows of event tables (ids borrowed, not
/// copied: tables run to millions of rows).
fn skip_repeated_claims(out: &mut Ingested) -> Option<IngestError> {
    let repeated: Vec<usize> = {
        let mut seen = crate::util::hash::FnvHashSet::default();
        seen.reserve(out.claims.len());
        out.claims
            .iter()
            .enumerate()
            .filter(|(_, c)| !seen.insert(c.id.as_str()))
            .map(|(i, _)| i)
            .collect()
    };
    let example = out.claims.get(*repeated.first()?)?.id.clone();
    let keep: Vec<bool> = {
        let mut keep = vec![true; out.claims.len()];
        for &i in &repeated {
            keep[i] = false;
        }
        keep
    };
    let mut at = 0;
    out.claims.retain(|_| {
        at += 1;
        keep[at - 1]
    });
    let mut at = 0;
    out.claims_placed.retain(|_| {
        at += 1;
        keep[at - 1]
    });
    Some(IngestError::RepeatedClaims {
        count: repeated.len(),
        example,
    })
}

/// Fetches URL inputs: pages become documents, feeds one document per item (fetching the
/// items' links when the feed carries only teasers). A URL that cannot be fetched, or whose
/// body is neither a readable page nor a feed, goes to `failures`. Returns the number of URLs
/// that were read (a page, or a feed that parsed). A body enters the cache only once it has
/// read (a maintenance page or an empty 200 never replaces the last good copy).
fn read_urls(
    urls: &[String],
    opts: &IngestOptions,
    out: &mut Ingested,
    failures: &mut Vec<IngestError>,
) -> usize {
    let fetcher = match fetch::Fetcher::new(opts.fetch.clone()) {
        Ok(f) => f,
        Err(e) => {
            failures.push(e.into());
            return 0;
        }
    };
    let url_failure = |url: &str, e: Box<dyn std::error::Error + Send + Sync>| IngestError::Url {
        url: url.to_string(),
        source: e,
    };
    let keep = |f: &fetch::Fetched, warnings: &mut Vec<String>| {
        if let Err(e) = fetcher.remember(f) {
            warnings.push(report::chain(&e));
        }
    };
    let mut obtained = 0;
    let mut seen: std::collections::HashSet<String> =
        out.documents.iter().map(|d| d.id.clone()).collect();
    let mut to_fetch: Vec<(feed::FeedItem, String)> = std::mem::take(&mut out.links);
    let note = |f: &fetch::Fetched, warnings: &mut Vec<String>| {
        if let fetch::Origin::Stale(why) = &f.origin {
            warnings.push(format!(
                "{}: {why}; used the cached copy",
                fetch::public_url(&f.url)
            ));
        }
    };
    for (url, r) in urls.iter().zip(fetcher.fetch_all(urls)) {
        // Ids, sources, messages and the manifest name the URL without its credentials.
        let url = &fetch::public_url(url);
        let f = match r {
            Ok(f) => f,
            Err(e) => {
                failures.push(e.into());
                continue;
            }
        };
        note(&f, &mut out.warnings);
        if let Some(what) = not_text(&f) {
            failures.push(url_failure(url, what.into()));
            continue;
        }
        let before = out.documents.len();
        if feed::looks_like_feed(&f.bytes, f.content_type.as_deref()) {
            match feed::read_feed(&f.bytes, &f.final_url) {
                Ok(items) => {
                    obtained += 1;
                    if !items.is_empty() {
                        keep(&f, &mut out.warnings);
                    }
                    take_items(items, url, &mut seen, out, &mut to_fetch);
                }
                Err(e) => failures.push(url_failure(url, Box::new(e))),
            }
        } else if seen.insert(url.clone()) {
            match html::read_page(url, url, &f.bytes, f.charset(), Some(&f.final_url)) {
                Ok(page) => {
                    obtained += 1;
                    keep(&f, &mut out.warnings);
                    let mut d = page.document;
                    d.url = d.url.map(|u| fetch::public_url(&u));
                    out.documents.push(d);
                }
                Err(e) => failures.push(url_failure(url, Box::new(e))),
            }
        } else {
            obtained += 1; // the same page given twice
        }
        out.files.push(InputFile {
            path: PathBuf::from(url),
            sha256: crate::util::hash::sha256_hex(&f.bytes),
            bytes: f.bytes.len() as u64,
            documents: out.documents.len() - before,
        });
    }
    read_linked_items(&fetcher, to_fetch, out, &keep, &note);
    obtained
}

/// The items of a feed read from `source`: each with its text becomes a document, each with
/// only a link goes to `to_fetch`; an item already seen (in another feed) is skipped.
fn take_items(
    items: Vec<feed::FeedItem>,
    source: &str,
    seen: &mut std::collections::HashSet<String>,
    out: &mut Ingested,
    to_fetch: &mut Vec<(feed::FeedItem, String)>,
) {
    for item in items {
        if !seen.insert(item.id.clone()) {
            continue; // the same item in two feeds
        }
        match (&item.text, &item.link) {
            (Some(text), _) => out.documents.push(Document {
                id: item.id.clone(),
                title: item.title.clone(),
                text: boilerplate::trim(text).to_string(),
                source: source.to_string(),
                url: item.link.clone(),
                outlet: None,
                published: item.published,
            }),
            (None, Some(link)) => to_fetch.push((item.clone(), link.clone())),
            (None, None) => out.warnings.push(format!(
                "{source}: item `{}` has no text and no link",
                item.id
            )),
        }
    }
}

/// Fetches the pages that feed items link to (feeds that carry only teasers) and reads
/// each into the item's document; failures are warnings.
fn read_linked_items(
    fetcher: &fetch::Fetcher,
    to_fetch: Vec<(feed::FeedItem, String)>,
    out: &mut Ingested,
    keep: &dyn Fn(&fetch::Fetched, &mut Vec<String>),
    note: &dyn Fn(&fetch::Fetched, &mut Vec<String>),
) {
    let links: Vec<String> = to_fetch.iter().map(|(_, l)| l.clone()).collect();
    for ((item, link), r) in to_fetch.into_iter().zip(fetcher.fetch_all(&links)) {
        let f = match r {
            Ok(f) => f,
            Err(e) => {
                out.warnings
                    .push(format!("feed item `{}`: {}", item.id, report::chain(&e)));
                continue;
            }
        };
        note(&f, &mut out.warnings);
        if let Some(what) = not_text(&f) {
            out.warnings.push(format!("{link}: {what}"));
            continue;
        }
        match html::read_page(&item.id, &link, &f.bytes, f.charset(), Some(&f.final_url)) {
            Ok(page) => {
                keep(&f, &mut out.warnings);
                let mut d = page.document;
                d.title = item.title.or(d.title);
                d.published = item.published.or(d.published);
                d.source = fetch::public_url(&d.source);
                d.url = Some(fetch::public_url(&link));
                out.documents.push(d);
                // The manifest lists the pages feeds linked to, as it does the URLs given.
                out.files.push(InputFile {
                    path: PathBuf::from(fetch::public_url(&link)),
                    sha256: crate::util::hash::sha256_hex(&f.bytes),
                    bytes: f.bytes.len() as u64,
                    documents: 1,
                });
            }
            Err(e) => out.warnings.push(format!("{link}: {}", report::chain(&e))),
        }
    }
}

/// Reads one local input (a file, or a directory of them): the number of files read. A file
/// of a directory that fails is added to `failures` and the others go on; a file that fails
/// leaves nothing half-read behind.
fn read_input(
    input: &Path,
    opts: &IngestOptions,
    out: &mut Ingested,
    failures: &mut Vec<IngestError>,
) -> Result<usize, IngestError> {
    let meta = std::fs::metadata(input).map_err(|cause| IngestError::Io {
        path: input.to_path_buf(),
        cause,
    })?;
    let root = meta.is_dir().then_some(input);
    let mut one = |f: &Path, out: &mut Ingested| {
        let (docs, claims, files) = (out.documents.len(), out.claims.len(), out.files.len());
        let (described, placed) = (out.table_documents.len(), out.claims_placed.len());
        match read_file(f, root, opts, out) {
            Ok(()) => 1,
            Err(e) => {
                out.documents.truncate(docs);
                out.claims.truncate(claims);
                out.files.truncate(files);
                out.table_documents.truncate(described);
                out.claims_placed.truncate(placed);
                failures.push(e);
                0
            }
        }
    };
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(input, &mut files)?;
        files.sort();
        let mut n = 0;
        for f in files {
            if kind_of(&f).is_some() {
                n += one(&f, out);
            } else if !is_sidecar(&f) {
                out.skipped.push(f);
            }
        }
        Ok(n)
    } else if kind_of(input).is_none() {
        Err(IngestError::Unsupported {
            path: input.to_path_buf(),
        })
    } else {
        Ok(one(input, out))
    }
}

/// Reads an event table (UCDP, ACLED, tollmap claims) from its bytes.
fn read_table_file(path: &Path, bytes: &[u8], out: &mut Ingested) -> Result<(), IngestError> {
    // The hash for the manifest is made while the text is checked and read.
    let text = table_text(path, bytes)?;
    let (sha256, claims) = rayon::join(
        || crate::util::hash::sha256_hex(bytes),
        || table::read_table(path, text),
    );
    let claims = claims?;
    let described = table::described(path, text);
    out.table_documents.extend(described.documents);
    if described.placed.len() == claims.len() && described.placed.contains(&true) {
        out.claims_placed.resize(out.claims.len(), false);
        out.claims_placed.extend(described.placed);
    }
    let events = claims.iter().filter(|c| c.part_of.is_none()).count();
    // Moved, not copied, when it is the first table (a large table is held once).
    if out.claims.is_empty() {
        out.claims = claims;
    } else {
        out.claims.extend(claims);
    }
    out.files.push(InputFile {
        path: path.to_path_buf(),
        sha256,
        bytes: bytes.len() as u64,
        documents: events,
    });
    Ok(())
}

/// An event table's bytes as text, or the line where they stop being UTF-8.
fn table_text<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, IngestError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        IngestError::Line {
            path: path.to_path_buf(),
            line,
            message: format!("not valid UTF-8 (byte {})", e.valid_up_to()),
        }
    })
}

fn is_sidecar(p: &Path) -> bool {
    matches!(
        p.file_name().and_then(|n| n.to_str()),
        Some("README" | "README.md" | ".gitkeep")
    )
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Jsonl,
    Table,
    Html,
    Feed,
}

fn kind_of(p: &Path) -> Option<Kind> {
    if p.file_name().and_then(|n| n.to_str()) == Some("README.md") {
        return None;
    }
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("txt" | "md" | "text" | "markdown") => Some(Kind::Text),
        Some("jsonl" | "ndjson") => Some(Kind::Jsonl),
        Some("csv") => Some(Kind::Table),
        Some("html" | "htm") => Some(Kind::Html),
        Some("xml" | "rss" | "atom") => Some(Kind::Feed),
        _ => None,
    }
}

/// The files under `dir`, hidden ones left out. Symbolic links to folders are followed, each
/// real folder once (a link back up the tree is not a loop).
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    let mut seen = std::collections::HashSet::new();
    walk_once(dir, files, &mut seen)
}

fn walk_once(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), IngestError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| IngestError::Io { path, cause }
    };
    if !seen.insert(dir.canonicalize().map_err(io(dir))?) {
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(io(dir))?;
    for entry in rd {
        let entry = entry.map_err(io(dir))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(io(&p))?;
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        let is_dir = ft.is_dir() || (ft.is_symlink() && p.is_dir());
        if is_dir {
            walk_once(&p, files, seen)?;
        } else {
            files.push(p);
        }
    }
    Ok(())
}

/// The id of the document of a text or HTML file: its path relative to the folder given as
/// input (`root`), without its extension and with `/` between folders (`2019/05/index`), or
/// the file's stem when the file itself was given.
fn file_id(path: &Path, root: Option<&Path>) -> String {
    let rel = root
        .and_then(|r| path.strip_prefix(r).ok())
        .filter(|r| r.components().count() > 0)
        .unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()));
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = Path::new(last.as_str()).file_stem() {
            *last = stem.to_string_lossy().into_owned();
        }
    }
    let id = parts.join("/");
    if id.is_empty() {
        "document".into()
    } else {
        id
    }
}

fn read_file(
    path: &Path,
    root: Option<&Path>,
    opts: &IngestOptions,
    out: &mut Ingested,
) -> Result<(), IngestError> {
    let io = |cause| IngestError::Io {
        path: path.to_path_buf(),
        cause,
    };
    if let Some(Kind::Table) = kind_of(path) {
        // Tables can be hundreds of megabytes and become claims that copy what they keep:
        // read through a map of the file rather than copied into memory first.
        let file = std::fs::File::open(path).map_err(io)?;
        if file.metadata().map_err(io)?.len() == 0 {
            return read_table_file(path, b"", out);
        }
        let map = crate::util::sys::map_read_only(&file).map_err(io)?;
        return read_table_file(path, &map, out);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_file_bytes(path, root, bytes, opts, out)
}

/// Reads the bytes of one input file (of the type its name says) that is not read through a
/// map: a text, Markdown, JSON Lines, HTML or feed file.
fn read_file_bytes(
    path: &Path,
    root: Option<&Path>,
    bytes: Vec<u8>,
    opts: &IngestOptions,
    out: &mut Ingested,
) -> Result<(), IngestError> {
    let sha256 = crate::util::hash::sha256_hex(&bytes);
    let size = bytes.len() as u64;
    if let Some(Kind::Feed) = kind_of(path) {
        // A saved RSS or Atom feed: its items with text are documents, those with only a
        // link are fetched with the URL inputs.
        let source = path.display().to_string();
        let items = feed::read_feed(&bytes, &source).map_err(|e| IngestError::Line {
            path: path.to_path_buf(),
            line: 1,
            message: report::chain(&e),
        })?;
        let before = out.documents.len();
        let mut seen = out.documents.iter().map(|d| d.id.clone()).collect();
        let mut links = Vec::new();
        take_items(items, &source, &mut seen, out, &mut links);
        out.links.extend(links);
        out.files.push(InputFile {
            path: path.to_path_buf(),
            sha256,
            bytes: size,
            documents: out.documents.len() - before,
        });
        return Ok(());
    }
    if let Some(Kind::Html) = kind_of(path) {
        // Pages carry their own charset: decoded from their bytes, not as UTF-8.
        let id = file_id(path, root);
        let page =
            html::read_page(&id, &path.display().to_string(), &bytes, None, None).map_err(|e| {
                IngestError::Line {
                    path: path.to_path_buf(),
                    line: 1,
                    message: report::chain(&e),
                }
            })?;
        let mut doc = page.document;
        doc.published = doc.published.or(opts.published);
        out.documents.push(doc);
        out.files.push(InputFile {
            path: path.to_path_buf(),
            sha256,
            bytes: size,
            documents: 1,
        });
        return Ok(());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        IngestError::Line {
            path: path.to_path_buf(),
            line,
            message: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        }
    })?;
    let before = out.documents.len();
    match kind_of(path) {
        Some(Kind::Jsonl) => {
            let mut claims = Vec::new();
            read_jsonl(path, &text, &mut out.documents, &mut claims)?;
            if !claims.is_empty() {
                // Claims as `extract --format jsonl` wrote them: every field kept, their
                // places never resolved again.
                out.claims_placed.resize(out.claims.len(), false);
                out.claims_placed
                    .extend(std::iter::repeat_n(true, claims.len()));
                out.claims.extend(claims);
            }
        }
        Some(Kind::Text) => out
            .documents
            .push(read_text(path, file_id(path, root), &text, opts)?),
        Some(Kind::Table) => return read_table_file(path, text.as_bytes(), out),
        Some(Kind::Html | Kind::Feed) | None => {
            return Err(IngestError::Unsupported {
                path: path.to_path_buf(),
            })
        }
    }
    // Scraped text: leading labels and trailing link lists go (see `boilerplate`).
    for d in &mut out.documents[before..] {
        let trimmed = boilerplate::trim(&d.text);
        if trimmed.len() != d.text.len() {
            d.text = trimmed.to_string();
        }
    }
    out.files.push(InputFile {
        path: path.to_path_buf(),
        sha256,
        bytes: size,
        documents: out.documents.len() - before,
    });
    Ok(())
}

/// Reads one input from bytes the caller already holds, as `documents` reads a file of that
/// name: its type by the extension of `path` (`.txt`/`.md`, `.jsonl`, `.html`, `.xml`,
/// `.csv`), and `path` in every message and in the document ids. Repeated and oversized
/// documents are left out with a warning, as in `documents`. Nothing is fetched: a feed's
/// items that carry only a link are named in a warning.
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Ingested, IngestError> {
    let mut out = Ingested::default();
    match kind_of(path) {
        None => {
            return Err(IngestError::Unsupported {
                path: path.to_path_buf(),
            })
        }
        Some(Kind::Table) => read_table_file(path, bytes, &mut out)?,
        Some(_) => read_file_bytes(path, None, bytes.to_vec(), opts, &mut out)?,
    }
    for (item, link) in std::mem::take(&mut out.links) {
        out.warnings.push(format!(
            "{}: item `{}` has only a link ({link}); its page was not fetched",
            path.display(),
            item.id
        ));
    }
    let left_out = leave_out(&mut out);
    out.warnings
        .extend(left_out.iter().map(|e| report::chain(e)));
    Ok(out)
}

/// Parses an ISO 8601 date or date-time ("2016-08-08", "2016-08-08T10:00:00Z") to its date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Some(dt.date());
    }
    s.get(..10).and_then(|d| d.parse::<Date>().ok())
}

fn read_text(
    path: &Path,
    id: String,
    text: &str,
    opts: &IngestOptions,
) -> Result<Document, IngestError> {
    let mut doc = Document {
        id,
        title: None,
        text: text.to_string(),
        source: path.display().to_string(),
        url: None,
        outlet: None,
        published: opts.published,
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = body
        .strip_prefix("---\n")
        .or_else(|| body.strip_prefix("---\r\n"))
    {
        let Some(close) = rest.find("\n---") else {
            return Err(IngestError::Line {
                path: path.to_path_buf(),
                line: 1,
                message: "front matter opened with `---` is never closed".into(),
            });
        };
        for (i, line) in rest[..close].lines().enumerate() {
            let line_no = i + 2;
            if line.trim().is_empty() {
                continue;
            }
            let Some((k, v)) = line.split_once(':') else {
                return Err(IngestError::Line {
                    path: path.to_path_buf(),
                    line: line_no,
                    message: format!("expected `key: value` in front matter, found `{line}`"),
                });
            };
            let v = v.trim().trim_matches('"').to_string();
            match k.trim() {
                "id" => doc.id = v,
                "title" => doc.title = Some(v),
                "url" => doc.url = Some(v),
                "outlet" => doc.outlet = Some(v),
                "published" => {
                    doc.published = Some(parse_date(&v).ok_or_else(|| IngestError::Line {
                        path: path.to_path_buf(),
                        line: line_no,
                        message: format!("`published: {v}` is not an ISO 8601 date"),
                    })?)
                }
                _ => {}
            }
        }
        let after = &rest[close + 4..];
        let after = after
            .strip_prefix('\n')
            .or_else(|| after.strip_prefix("\r\n"))
            .unwrap_or(after);
        doc.text = after.to_string();
    }
    Ok(doc)
}

/// The lines of a JSON Lines file: documents (`id`, `text` ...), and claims in the claim JSON
/// of `extract --format jsonl` (a line with `quote` and `count`), each kept whole.
fn read_jsonl(
    path: &Path,
    text: &str,
    docs: &mut Vec<Document>,
    claims: &mut Vec<crate::model::Claim>,
) -> Result<(), IngestError> {
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| IngestError::Line {
            path: path.to_path_buf(),
            line: line_no,
            message,
        };
        let v: Value = serde_json::from_str(line)
            .map_err(|e| err(format!("invalid JSON at column {}: {e}", e.column())))?;
        let obj = v
            .as_object()
            .ok_or_else(|| err("expected a JSON object".into()))?;
        if obj.contains_key("quote") && obj.contains_key("count") {
            let claim: crate::model::Claim = serde_json::from_value(v.clone())
                .map_err(|e| err(format!("not a claim of the claim JSON: {e}")))?;
            claims.push(claim);
            continue;
        }
        let string = |k: &str| -> Result<Option<String>, IngestError> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) if k == "id" => Ok(Some(n.to_string())),
                Some(_) => Err(err(format!("field `{k}` must be a string"))),
            }
        };
        let id = string("id")?.ok_or_else(|| err("missing required field `id`".into()))?;
        let text = string("text")?.ok_or_else(|| err("missing required field `text`".into()))?;
        let published =
            match string("published")? {
                None => None,
                Some(p) if p.is_empty() => None,
                Some(p) => Some(parse_date(&p).ok_or_else(|| {
                    err(format!("`published` value `{p}` is not an ISO 8601 date"))
                })?),
            };
        docs.push(Document {
            id,
            title: string("title")?,
            text,
            source: format!("{}:{line_no}", path.display()),
            url: string("url")?,
            outlet: string("outlet")?,
            published,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_from_iso_forms() {
        for s in [
            "2016-08-08",
            "2016-08-08T10:00:00Z",
            "2016-08-08T10:00:00+03:00",
            "2016-08-08T10:00:00",
        ] {
            assert_eq!(parse_date(s), Some(jiff::civil::date(2016, 8, 8)), "{s}");
        }
        assert_eq!(parse_date("8 August"), None);
    }

    #[test]
    fn front_matter_sets_metadata_and_text() {
        let text = "---\ntitle: Five killed\npublished: 2020-01-02\n---\nFive were killed.\n";
        let d = read_text(
            Path::new("x/a.md"),
            "a".into(),
            text,
            &IngestOptions::default(),
        )
        .unwrap();
        assert_eq!(d.id, "a");
        assert_eq!(d.title.as_deref(), Some("Five killed"));
        assert_eq!(d.published, Some(jiff::civil::date(2020, 1, 2)));
        assert_eq!(d.text, "Five were killed.\n");
    }

    #[test]
    fn jsonl_errors_name_the_line() {
        let (mut docs, mut claims) = (Vec::new(), Vec::new());
        let text = "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\"}\n";
        let e = read_jsonl(Path::new("in.jsonl"), text, &mut docs, &mut claims).unwrap_err();
        assert_eq!(e.to_string(), "in.jsonl:3: missing required field `text`");
        let e = read_jsonl(
            Path::new("in.jsonl"),
            "{\"id\": 1, \"text\": \"x\"}\n{oops\n",
            &mut docs,
            &mut claims,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("in.jsonl:2: invalid JSON"), "{e}");
        // A claim line missing a field of the claim JSON is named by its line too.
        let e = read_jsonl(
            Path::new("in.jsonl"),
            "{\"id\":\"d#1\",\"quote\":\"q\",\"count\":{\"low\":3}}\n",
            &mut docs,
            &mut claims,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("in.jsonl:1: not a claim of the claim JSON"),
            "{e}"
        );
    }
}
