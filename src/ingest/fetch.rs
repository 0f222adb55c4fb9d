//! Fetching `http://` and `https://` inputs: timeouts, retries with exponential backoff on 429
//! and 5xx (honouring `Retry-After`), a body size limit, gzip and brotli, a redirect limit, a
//! descriptive User-Agent, and an on-disk cache that revalidates with ETag / Last-Modified so
//! that a nightly refresh downloads only what changed, and that serves the last good copy
//! (with a warning) when a server is down.

use std::path::PathBuf;
use std::time::Duration;

/// How fetching behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time to connect.
    pub connect_timeout: Duration,
    /// Time for a whole request, body included.
    pub timeout: Duration,
    /// Retries after a 429 or 5xx answer or a timeout.
    pub retries: u32,
    /// First backoff delay; each retry doubles it. `Retry-After` wins when given (capped at
    /// `max_delay`).
    pub backoff: Duration,
    /// The longest wait between two tries.
    pub max_delay: Duration,
    /// The largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// The on-disk cache, if any.
    pub cache: Option<PathBuf>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Told of each URL fetched (`"fetching"`, done, total).
    pub progress: Option<crate::util::progress::Progress>,
    /// The least time between two requests to one host (politeness to a site whose feed
    /// links many pages); zero for none.
    pub host_delay: Duration,
    /// Time for all the fetching of one `Fetcher` (every URL, feed link and retry): past it,
    /// a request in flight is cut and the URLs not yet fetched fail at once, each named.
    /// `None`: no bound but the per-request `timeout` times the tries.
    pub deadline: Option<Duration>,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            cache: None,
            concurrency: 4,
            deadline: Some(Duration::from_secs(30 * 60)),
            host_delay: Duration::ZERO,
            progress: None,
        }
    }
}

/// A body fetched (or taken from the cache).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The URL the body came from, after redirects.
    pub final_url: String,
    /// The body, decoded from gzip/brotli.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `ETag` header, kept with the body when it is cached.
    pub etag: Option<String>,
    /// The `Last-Modified` header, kept with the body when it is cached.
    pub last_modified: Option<String>,
    /// How it was obtained.
    pub origin: Origin,
}

/// Where a body came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A full download, not yet in the cache: `Fetcher::remember` puts it there once the
    /// caller has read it.
    Downloaded,
    /// The cached copy, confirmed unchanged by a 304.
    Revalidated,
    /// The cached copy, because the server failed (the message says how).
    Stale(String),
}

impl Fetched {
    /// The charset the `Content-Type` header names.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        ct.split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, v)| v.trim().trim_matches('"'))
    }
}

/// Why a URL could not be fetched; the message names the URL.
#[derive(Debug, thiserror::Error)]
#[error("{url}")]
pub struct FetchError {
    /// The URL fetched.
    pub url: String,
    /// What went wrong (status, timeout, size).
    #[source]
    pub fault: FetchFault,
}

/// What went wrong fetching a URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchFault {
    /// Not an `http://` or `https://` URL.
    #[error("only http:// and https:// URLs are fetched")]
    Scheme,
    /// This build has no HTTP client.
    #[error("this tollmap was built without the `fetch` feature")]
    NoClient,
    /// The HTTP client could not start (the TLS backend).
    #[error("cannot start the HTTP client")]
    Client(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A 304 for a URL the cache has no copy of.
    #[error("304 Not Modified with no cached copy")]
    NoCachedCopy,
    /// A status that is not success (after the retries a 429 or 5xx gets).
    #[error("HTTP {0}")]
    Status(u16),
    /// A redirect not followed: more than allowed, or to a URL that is not `http://` or
    /// `https://` (`file:`, `ftp:`). URLs are named without their credentials.
    #[error("the redirect from {from} was not followed: {why}")]
    Redirect {
        /// The URL that answered with the refused redirect.
        from: String,
        /// Why, naming where it pointed.
        why: String,
    },
    /// No answer in time, after every try.
    #[error("timed out (no answer within {} s, {tries} tries)", after.as_secs_f64())]
    Timeout {
        /// The time allowed a request.
        after: Duration,
        /// Tries made.
        tries: u32,
    },
    /// The server could not be reached.
    #[error("cannot connect")]
    Connect(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The request failed otherwise.
    #[error("request failed")]
    Request(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The fetching's overall deadline (`FetchOptions::deadline`) passed first.
    #[error("not fetched: the deadline of {} s for all fetching passed", after.as_secs_f64())]
    Deadline {
        /// The time allowed all fetching.
        after: Duration,
    },
    /// A body larger than the limit.
    #[error("{}", too_large(*size, *limit))]
    TooLarge {
        /// The size announced, when it was.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// The body stopped arriving or could not be decoded.
    #[error("reading the body failed")]
    Body(#[source] std::io::Error),
    /// The cache could not be written.
    #[error("cannot write the cache file {}", path.display())]
    Cache {
        /// The cache file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server failed and the cached copy cannot be read back (a damaged entry).
    #[error("the cached copy {} cannot be read, and", path.display())]
    DamagedCache {
        /// The cache entry's metadata file.
        path: PathBuf,
        /// How the server failed.
        #[source]
        fault: Box<FetchFault>,
    },
    /// The fetch never finished (a worker thread stopped).
    #[error("not fetched")]
    NotFetched,
}

/// The URL as it may be shown and published: without the `user:password@` of its authority
/// (credentials are used to fetch, never copied into ids, messages or the manifest).
pub fn public_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://{}{}", &rest[at + 1..end], &rest[end..]),
        None => url.to_string(),
    }
}

fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(n) => format!("body of {n} bytes is over the limit of {limit}"),
        None => format!("body is over the limit of {limit} bytes"),
    }
}

#[cfg(feature = "fetch")]
mod client;
#[cfg(feature = "fetch")]
pub use client::Fetcher;

/// Without the `fetch` feature: every URL fails with a message saying so.
#[cfg(not(feature = "fetch"))]
#[derive(Debug)]
pub struct Fetcher;

#[cfg(not(feature = "fetch"))]
impl Fetcher {
    /// Fails: this build cannot fetch.
    pub fn new(_opts: FetchOptions) -> Result<Fetcher, FetchError> {
        Err(FetchError {
            url: "URL inputs".into(),
            fault: FetchFault::NoClient,
        })
    }

    /// Nothing is cached.
    pub fn remember(&self, _fetched: &Fetched) -> Result<(), FetchError> {
        Ok(())
    }

    /// Every URL fails.
    pub fn fetch_all(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        urls.iter()
            .map(|u| {
                Err(FetchError {
                    url: u.clone(),
                    fault: FetchFault::NoClient,
                })
            })
            .collect()
    }
}
