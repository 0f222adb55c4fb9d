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
    /// How it was obtained.
    pub origin: Origin,
}

/// Where a body came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A full download.
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
#[error("{url}: {message}")]
pub struct FetchError {
    /// The URL fetched.
    pub url: String,
    /// What went wrong (status, timeout, size).
    pub message: String,
}

#[cfg(feature = "fetch")]
mod client;
#[cfg(feature = "fetch")]
pub(crate) use client::install_tls;
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
            message: "this tollmap was built without the `fetch` feature".into(),
        })
    }

    /// Every URL fails.
    pub fn fetch_all(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        urls.iter()
            .map(|u| {
                Err(FetchError {
                    url: u.clone(),
                    message: "this tollmap was built without the `fetch` feature".into(),
                })
            })
            .collect()
    }
}
