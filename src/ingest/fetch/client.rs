//! The HTTP side of `fetch` (the `fetch` feature): one reqwest client, the cache, retries.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{FetchError, FetchFault, FetchOptions, Fetched, Origin};

/// Makes ring the process's TLS provider (once; a provider already installed stays).
pub(crate) fn install_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Fetches URLs with one client and one cache.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    opts: FetchOptions,
    /// When all fetching must end (`FetchOptions::deadline` from the fetcher's making).
    until: Option<std::time::Instant>,
    /// Each host's next free moment (`FetchOptions::host_delay`).
    hosts: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
}

/// What the cache keeps of a URL besides its body.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct CacheMeta {
    url: String,
    final_url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
}

impl Fetcher {
    /// A fetcher; fails only when the TLS backend cannot start.
    pub fn new(opts: FetchOptions) -> Result<Fetcher, FetchError> {
        install_tls();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(redirect_policy(opts.max_redirects))
            .user_agent(concat!(
                "tollmap/",
                env!("CARGO_PKG_VERSION"),
                " (casualty-report mapper; +https://github.com/tollmap/tollmap)"
            ))
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|e| FetchError {
                url: "URL inputs".into(),
                fault: FetchFault::Client(Box::new(e)),
            })?;
        let until = opts.deadline.map(|d| std::time::Instant::now() + d);
        Ok(Fetcher {
            client,
            opts,
            until,
            hosts: Default::default(),
        })
    }

    fn cache_paths(&self, url: &str) -> Option<(PathBuf, PathBuf)> {
        let dir = self.opts.cache.as_ref()?;
        let key = crate::util::hash::hex(&Sha256::digest(url.as_bytes()));
        Some((
            dir.join(format!("{key}.body")),
            dir.join(format!("{key}.json")),
        ))
    }

    fn cached(&self, url: &str) -> Option<(CacheMeta, Vec<u8>)> {
        let (body, meta) = self.cache_paths(url)?;
        let meta: CacheMeta = serde_json::from_slice(&std::fs::read(meta).ok()?).ok()?;
        Some((meta, std::fs::read(body).ok()?))
    }

    /// The cache entry of `url` when its files exist but cannot be read back (damaged).
    fn damaged_entry(&self, url: &str) -> Option<PathBuf> {
        let (body, meta) = self.cache_paths(url)?;
        (meta.exists() || body.exists()).then_some(meta)
    }

    fn store(&self, meta: &CacheMeta, bytes: &[u8]) -> Result<(), FetchError> {
        let Some((body, meta_path)) = self.cache_paths(&meta.url) else {
            return Ok(());
        };
        let err = |p: &Path, source: std::io::Error| FetchError {
            url: meta.url.clone(),
            fault: FetchFault::Cache {
                path: p.to_path_buf(),
                source,
            },
        };
        if let Some(dir) = &self.opts.cache {
            std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        }
        crate::util::atomic::write(&body, bytes).map_err(|e| err(&body, e))?;
        let json = serde_json::to_vec_pretty(meta).unwrap_or_default();
        crate::util::atomic::write(&meta_path, &json).map_err(|e| err(&meta_path, e))
    }

    /// Puts a downloaded body in the cache (with its validators), replacing the last copy:
    /// call it once the body has read as a page or feed. Copies from the cache are left as
    /// they are.
    pub fn remember(&self, f: &Fetched) -> Result<(), FetchError> {
        if f.origin != Origin::Downloaded {
            return Ok(());
        }
        let meta = CacheMeta {
            url: f.url.clone(),
            final_url: f.final_url.clone(),
            etag: f.etag.clone(),
            last_modified: f.last_modified.clone(),
            content_type: f.content_type.clone(),
        };
        self.store(&meta, &f.bytes)
    }

    /// Fetches one URL (with the cache's validators when it has a copy). A downloaded body
    /// is not cached until `remember` is called.
    pub fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let fail = |fault: FetchFault| FetchError {
            url: super::public_url(url),
            fault,
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(fail(FetchFault::Scheme));
        }
        let cached = self.cached(url);
        match self.try_fetch(url, cached.as_ref().map(|c| &c.0)) {
            Ok(Answer::NotModified) => match cached {
                Some((meta, bytes)) => Ok(fetched(url, meta, bytes, Origin::Revalidated)),
                None => Err(fail(FetchFault::NoCachedCopy)),
            },
            // Not cached yet: the caller `remember`s it once it has read.
            Ok(Answer::Body(meta, bytes)) => Ok(fetched(url, meta, bytes, Origin::Downloaded)),
            // The server failed: the last good copy, flagged, rather than nothing.
            Err(fault) => match cached {
                Some((meta, bytes)) => Ok(fetched(
                    url,
                    meta,
                    bytes,
                    Origin::Stale(crate::util::report::chain(&fault)),
                )),
                None => Err(fail(match self.damaged_entry(url) {
                    Some(path) => FetchFault::DamagedCache {
                        path,
                        fault: Box::new(fault),
                    },
                    None => fault,
                })),
            },
        }
    }

    fn try_fetch(&self, url: &str, validators: Option<&CacheMeta>) -> Result<Answer, FetchFault> {
        let mut delay = self.opts.backoff;
        let mut attempt = 0;
        loop {
            let mut req = self.client.get(url);
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    req = req.header(reqwest::header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &v.last_modified {
                    req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm);
                }
            }
            self.wait_for_host(url);
            // One deadline for the whole request, body included: a body that trickles in
            // byte by byte cannot hold it open past `timeout`, nor past the overall deadline.
            let now = std::time::Instant::now();
            if self.out_of_time(now) {
                return Err(self.past_deadline());
            }
            let deadline =
                (now + self.opts.timeout).min(self.until.unwrap_or(now + self.opts.timeout));
            req = req.timeout(deadline.saturating_duration_since(now));
            let retry_in = match req.send() {
                Ok(resp) => {
                    let status = resp.status();
                    if status == reqwest::StatusCode::NOT_MODIFIED {
                        return Ok(Answer::NotModified);
                    }
                    if status.is_success() {
                        match self.read_body(url, resp, deadline) {
                            Ok((m, b)) => return Ok(Answer::Body(m, b)),
                            Err(BodyEnd::Late) if attempt < self.opts.retries => delay,
                            Err(BodyEnd::Late) => return Err(self.timed_out(attempt + 1)),
                            // A body cut short (reset, closed early) is tried again.
                            Err(BodyEnd::Fault(FetchFault::Body(_)))
                                if attempt < self.opts.retries =>
                            {
                                delay
                            }
                            Err(BodyEnd::Fault(f)) => return Err(f),
                        }
                    } else if status.is_redirection() {
                        // A redirect the client stopped at (to a scheme it does not fetch).
                        let to = resp
                            .headers()
                            .get(reqwest::header::LOCATION)
                            .and_then(|v| v.to_str().ok())
                            .map(|l| {
                                resp.url().join(l).map_or_else(
                                    |_| l.to_string(),
                                    |u| super::public_url(u.as_str()),
                                )
                            });
                        return Err(FetchFault::Redirect {
                            from: super::public_url(resp.url().as_str()),
                            why: match to {
                                Some(to) => RedirectRefused::Scheme { to }.to_string(),
                                None => format!("HTTP {} with no Location", status.as_u16()),
                            },
                        });
                    } else {
                        let retryable = status.as_u16() == 429 || status.is_server_error();
                        if !retryable || attempt >= self.opts.retries {
                            return Err(FetchFault::Status(status.as_u16()));
                        }
                        retry_after(&resp).unwrap_or(delay)
                    }
                }
                Err(e) if e.is_redirect() => {
                    let why = std::error::Error::source(&e)
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "refused".into());
                    return Err(FetchFault::Redirect {
                        from: e
                            .url()
                            .map_or_else(|| url.to_string(), |u| super::public_url(u.as_str())),
                        why,
                    });
                }
                Err(e) if e.is_timeout() && attempt < self.opts.retries => delay,
                Err(e) if e.is_timeout() => return Err(self.timed_out(attempt + 1)),
                Err(e) if e.is_connect() => return Err(FetchFault::Connect(Box::new(e))),
                // A connection reset or closed before the answer: tried again.
                Err(e) if !e.is_builder() && attempt < self.opts.retries => delay,
                Err(e) => return Err(FetchFault::Request(Box::new(e))),
            };
            let wait = retry_in.min(self.opts.max_delay);
            if self.out_of_time(std::time::Instant::now() + wait) {
                return Err(self.past_deadline());
            }
            std::thread::sleep(wait);
            delay = delay.saturating_mul(2);
            attempt += 1;
        }
    }

    /// Waits until `url`'s host may be asked again (`host_delay` after its last request),
    /// and books the next slot; other hosts are not held up.
    fn wait_for_host(&self, url: &str) {
        if self.opts.host_delay.is_zero() {
            return;
        }
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let at = {
            let Ok(mut hosts) = self.hosts.lock() else {
                return;
            };
            let now = std::time::Instant::now();
            let at = hosts
                .get(&host)
                .copied()
                .filter(|t| *t > now)
                .unwrap_or(now);
            hosts.insert(host, at + self.opts.host_delay);
            at
        };
        let wait = at.saturating_duration_since(std::time::Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// The fault of a request that ran out of time after `tries` tries: its own timeout, or
    /// the overall deadline when that has passed.
    fn timed_out(&self, tries: u32) -> FetchFault {
        if self.out_of_time(std::time::Instant::now()) {
            return self.past_deadline();
        }
        FetchFault::Timeout {
            after: self.opts.timeout,
            tries,
        }
    }

    /// True when `at` is past the overall deadline.
    fn out_of_time(&self, at: std::time::Instant) -> bool {
        self.until.is_some_and(|u| at >= u)
    }

    /// The fault of a request the overall deadline stopped.
    fn past_deadline(&self) -> FetchFault {
        FetchFault::Deadline {
            after: self.opts.deadline.unwrap_or_default(),
        }
    }

    /// The body, read on a thread of its own so that the request's deadline holds whatever
    /// the server does: past it the read is abandoned (its thread stops at its next chunk, or
    /// when the connection's own read timeout ends a stalled read).
    fn read_body(
        &self,
        url: &str,
        resp: reqwest::blocking::Response,
        deadline: std::time::Instant,
    ) -> Result<(CacheMeta, Vec<u8>), BodyEnd> {
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let meta = CacheMeta {
            url: url.to_string(),
            final_url: resp.url().to_string(),
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
            content_type: header(reqwest::header::CONTENT_TYPE),
        };
        let limit = self.opts.max_bytes;
        if let Some(len) = resp.content_length() {
            if len > limit {
                return Err(BodyEnd::Fault(FetchFault::TooLarge {
                    size: Some(len),
                    limit,
                }));
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::Builder::new()
            .name("fetch-body".into())
            .spawn(move || {
                let _ = tx.send(read_until(resp, limit, deadline));
            });
        if let Err(e) = reader {
            return Err(BodyEnd::Fault(FetchFault::Body(e)));
        }
        let wait = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(wait) {
            Ok(Ok(bytes)) if bytes.len() as u64 > limit => {
                Err(BodyEnd::Fault(FetchFault::TooLarge { size: None, limit }))
            }
            Ok(Ok(bytes)) => Ok((meta, bytes)),
            Ok(Err(end)) => Err(end),
            Err(_) => Err(BodyEnd::Late),
        }
    }

    /// Fetches several URLs, `concurrency` at a time; results in input order.
    pub fn fetch_all(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let results: std::sync::Mutex<Vec<Option<Result<Fetched, FetchError>>>> =
            std::sync::Mutex::new((0..urls.len()).map(|_| None).collect());
        std::thread::scope(|s| {
            for _ in 0..self.opts.concurrency.clamp(1, urls.len().max(1)) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(url) = urls.get(i) else { break };
                    let r = self.fetch(url);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    crate::util::progress::tick(
                        self.opts.progress.as_ref(),
                        "fetching",
                        n,
                        urls.len(),
                        1,
                    );
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .zip(urls)
            .map(|(r, url)| {
                r.unwrap_or_else(|| {
                    Err(FetchError {
                        url: super::public_url(url),
                        fault: FetchFault::NotFetched,
                    })
                })
            })
            .collect()
    }
}

/// A body with what the cache keeps of it, as `fetch` hands it over.
fn fetched(url: &str, meta: CacheMeta, bytes: Vec<u8>, origin: Origin) -> Fetched {
    Fetched {
        url: url.to_string(),
        final_url: meta.final_url,
        bytes,
        content_type: meta.content_type,
        etag: meta.etag,
        last_modified: meta.last_modified,
        origin,
    }
}

/// How reading a body ended when it gave no body.
enum BodyEnd {
    /// The request's deadline passed (a slow or stalled body): a timeout, retried.
    Late,
    /// Anything else.
    Fault(FetchFault),
}

/// Reads at most `limit + 1` bytes of `resp`, stopping at `deadline`.
fn read_until(
    mut resp: reqwest::blocking::Response,
    limit: u64,
    deadline: std::time::Instant,
) -> Result<Vec<u8>, BodyEnd> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    loop {
        if std::time::Instant::now() >= deadline {
            return Err(BodyEnd::Late);
        }
        let want = chunk.len().min(cap - bytes.len());
        match resp.read(&mut chunk[..want]) {
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() >= cap {
                    return Ok(bytes);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A read that failed at or past the deadline, or on the connection's read
            // timeout, is the request running out of time; anything else is a broken body.
            Err(_) if std::time::Instant::now() >= deadline => return Err(BodyEnd::Late),
            Err(e) if is_timeout(&e) => return Err(BodyEnd::Late),
            Err(e) => return Err(BodyEnd::Fault(FetchFault::Body(e))),
        }
    }
}

/// True when an I/O error is, somewhere in its chain, a timeout.
fn is_timeout(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                return true;
            }
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        source = s.source();
    }
    false
}

enum Answer {
    NotModified,
    Body(CacheMeta, Vec<u8>),
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110), as the time to wait from now; the
/// caller caps it at `max_delay`.
fn retry_after(resp: &reqwest::blocking::Response) -> Option<Duration> {
    let v = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    retry_after_value(v, jiff::Timestamp::now())
}

fn retry_after_value(v: &str, now: jiff::Timestamp) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is an RFC 2822 date.
    let at = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    Some(Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO))
}

/// Why a redirect was not followed.
#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("it was the redirect past {max} (to {to}; a redirect loop?)")]
    TooMany { max: usize, to: String },
    #[error("it pointed to {to}; only http:// and https:// URLs are followed")]
    Scheme { to: String },
}

/// Follows at most `max` redirects, and only to `http:` and `https:` URLs.
fn redirect_policy(max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let to = super::public_url(attempt.url().as_str());
        if attempt.previous().len() > max {
            attempt.error(RedirectRefused::TooMany { max, to })
        } else if !matches!(attempt.url().scheme(), "http" | "https") {
            attempt.error(RedirectRefused::Scheme { to })
        } else {
            attempt.follow()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now: jiff::Timestamp = "2026-12-06T08:00:00Z".parse().expect("time");
        for (value, want) in [
            ("3", Some(3)),
            (" 120 ", Some(120)),
            ("Sun, 06 Dec 2026 08:00:05 GMT", Some(5)),
            ("Sun, 06 Dec 2026 07:59:00 GMT", Some(0)),
            ("soon", None),
            ("-1", None),
        ] {
            assert_eq!(
                retry_after_value(value, now),
                want.map(Duration::from_secs),
                "{value}"
            );
        }
    }
}
