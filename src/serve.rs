//! The local preview server of `tollmap serve`: a small static file server for an output
//! folder, with HTTP range requests (what PMTiles readers need). For a preview on one's own
//! machine (127.0.0.1 by default), not for the open internet.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// The content type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("geojson") => "application/geo+json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("gpkg") => "application/geopackage+sqlite3",
        Some("mbtiles") => "application/vnd.sqlite3",
        _ => "application/octet-stream",
    }
}

/// A byte range asked for, resolved against the file's length.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeAsk {
    /// No range, or one this server answers with the whole file (several ranges, another unit).
    Whole,
    /// The bytes from the first offset to the second, both included.
    Part(u64, u64),
    /// A range outside the file or not well formed: 416.
    Unsatisfiable,
}

/// Parses one `Range: bytes=...` value (single ranges only; several give the whole file).
pub fn parse_range(value: Option<&str>, len: u64) -> RangeAsk {
    // The unit is case-insensitive (RFC 9110).
    let Some(spec) = value.and_then(|v| {
        let v = v.trim();
        v.get(..6)
            .filter(|unit| unit.eq_ignore_ascii_case("bytes="))
            .map(|_| &v[6..])
    }) else {
        return RangeAsk::Whole;
    };
    if spec.contains(',') {
        return RangeAsk::Whole;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return RangeAsk::Unsatisfiable;
    };
    let (a, b) = (a.trim(), b.trim());
    let parsed = match (a.is_empty(), b.is_empty()) {
        (true, false) => b
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| (len.saturating_sub(n), len.saturating_sub(1))),
        (false, true) => a.parse::<u64>().ok().map(|s| (s, len.saturating_sub(1))),
        (false, false) => {
            // An end past what a u64 holds is past the end of any file: to the end.
            let end = match b.parse::<u64>() {
                Ok(e) => Some(e),
                Err(_) if b.bytes().all(|c| c.is_ascii_digit()) => Some(u64::MAX),
                Err(_) => None,
            };
            match (a.parse::<u64>(), end) {
                (Ok(s), Some(e)) if s <= e => Some((s, e.min(len.saturating_sub(1)))),
                _ => None,
            }
        }
        (true, true) => None,
    };
    match parsed {
        Some((s, e)) if len > 0 && s < len && s <= e => RangeAsk::Part(s, e),
        _ => RangeAsk::Unsatisfiable,
    }
}

/// What a request path names inside the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// A folder asked for without its final `/`: redirected there, so that its page's
    /// relative links resolve inside it.
    Folder(String),
}

/// The file a request path names inside `root`, or None (outside it, a dotfile such as a
/// build's temporary file, or nothing there).
pub fn resolve(root: &Path, target: &str) -> Option<Resolved> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) if part.to_string_lossy().starts_with('.') => return None,
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        if !path.ends_with('/') {
            let inside = out.canonicalize().ok()?;
            return inside
                .starts_with(root.canonicalize().ok()?)
                .then(|| Resolved::Folder(format!("{path}/")));
        }
        out.push("index.html");
    }
    let real = out.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(Resolved::File(real))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

/// Threads answering requests: a fixed number, made when the server starts.
const WORKERS: usize = 32;

/// Connections waiting for a worker; past this a connection is answered 503 at once.
const QUEUE: usize = 256;

/// Time a client has to send its whole request line and headers.
const REQUEST_DEADLINE: Duration = Duration::from_secs(5);

/// Time one write to a client may block (a client that stops reading is dropped).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Reads from a connection until a deadline: each read waits at most the time left, and
/// none starts after it.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: std::time::Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self
            .until
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request took too long",
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// Reads one request from `reader` and writes its answer to `stream`: the file of `root` it
/// names (whole or the range asked for), a redirect, or an error status. A request line or
/// header longer than 8 KiB is cut there; at most 100 headers are read.
pub fn respond<R: BufRead, W: Write>(
    mut reader: R,
    stream: &mut W,
    root: &Path,
) -> std::io::Result<()> {
    let mut raw_line = Vec::new();
    reader
        .by_ref()
        .take(8192)
        .read_until(b'\n', &mut raw_line)?;
    let Ok(line) = String::from_utf8(raw_line) else {
        let body = "the request line is not UTF-8\n";
        return write!(
            stream,
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    };
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut range = None;
    for _ in 0..100 {
        let mut h = String::new();
        if reader.by_ref().take(8192).read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.trim().eq_ignore_ascii_case("range") {
                range = Some(v.trim().to_string());
            }
        }
    }
    let simple = |stream: &mut W, status: &str, extra: &str, body: &str| {
        write!(
            stream,
            "HTTP/1.1 {status}\r\n{extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    if method != "GET" && method != "HEAD" {
        return simple(
            stream,
            "405 Method Not Allowed",
            "Allow: GET, HEAD\r\n",
            "only GET and HEAD\n",
        );
    }
    let path = match resolve(root, target) {
        Some(Resolved::File(path)) => path,
        Some(Resolved::Folder(to)) => {
            return simple(
                stream,
                "301 Moved Permanently",
                &format!("Location: {to}\r\n"),
                "moved\n",
            )
        }
        None => return simple(stream, "404 Not Found", "", "not found\n"),
    };
    let mut file = std::fs::File::open(&path)?;
    let len = file.metadata()?.len();
    let common = format!(
        "Content-Type: {}\r\nAccept-Ranges: bytes\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n",
        content_type(&path)
    );
    let (status, start, count, extra) = match parse_range(range.as_deref(), len) {
        RangeAsk::Whole => ("200 OK", 0, len, String::new()),
        RangeAsk::Part(s, e) => (
            "206 Partial Content",
            s,
            e - s + 1,
            format!("Content-Range: bytes {s}-{e}/{len}\r\n"),
        ),
        RangeAsk::Unsatisfiable => {
            return write!(
                stream,
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\n{common}{extra}Content-Length: {count}\r\n\r\n"
    )?;
    if method == "GET" {
        file.seek(SeekFrom::Start(start))?;
        std::io::copy(&mut file.take(count), stream)?;
    }
    stream.flush()
}

/// Answers one connection, with a deadline for the request and a timeout for each write.
fn respond_on(stream: &TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let reader = Deadline {
        stream,
        until: std::time::Instant::now() + REQUEST_DEADLINE,
    };
    let mut out = stream;
    respond(BufReader::new(reader), &mut out, root)
}

/// Serves `root` on `bind:port` until the process is stopped; `ready` gets the URL once the
/// socket is listening (port 0 picks a free port).
pub fn serve(root: &Path, bind: &str, port: u16, ready: impl FnOnce(&str)) -> std::io::Result<()> {
    if !root.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{}: not a folder", root.display()),
        ));
    }
    let listener = TcpListener::bind((bind, port))?;
    // A fixed pool of workers fed by a bounded queue: no thread per connection, so idle or
    // slow clients cannot exhaust threads or memory; past the queue, 503 at once.
    let (tx, rx) = std::sync::mpsc::sync_channel::<TcpStream>(QUEUE);
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    for i in 0..WORKERS {
        let (rx, root) = (rx.clone(), root.to_path_buf());
        std::thread::Builder::new()
            .name(format!("serve-{i}"))
            .spawn(move || loop {
                let next = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(stream) = next else { return };
                let _ = respond_on(&stream, &root);
            })?;
    }
    let addr = listener.local_addr()?;
    ready(&format!("http://{addr}/"));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if let Err(std::sync::mpsc::TrySendError::Full(mut stream)) = tx.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_rfc_9110_reads_them() {
        for (ask, want) in [
            (None, RangeAsk::Whole),
            (Some("bytes=0-99"), RangeAsk::Part(0, 99)),
            (Some("bytes=10-"), RangeAsk::Part(10, 999)),
            (Some("bytes=-100"), RangeAsk::Part(900, 999)),
            (Some("bytes=990-5000"), RangeAsk::Part(990, 999)),
            (Some("bytes=1000-"), RangeAsk::Unsatisfiable),
            (Some("bytes=9-3"), RangeAsk::Unsatisfiable),
            (Some("bytes=x-y"), RangeAsk::Unsatisfiable),
            (Some("bytes=0-1,5-6"), RangeAsk::Whole),
            (Some("BYTES=0-5"), RangeAsk::Part(0, 5)),
            (
                Some("bytes=0-99999999999999999999999"),
                RangeAsk::Part(0, 999),
            ),
            (Some("items=0-1"), RangeAsk::Whole),
        ] {
            assert_eq!(parse_range(ask, 1000), want, "{ask:?}");
        }
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("index.html"), "x").expect("write");
        std::fs::write(dir.path().join("a b.js"), "x").expect("write");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("sub").join("index.html"), "x").expect("write");
        std::fs::write(dir.path().join(".claims.geojson.tmp-7"), "x").expect("write");
        assert!(matches!(resolve(dir.path(), "/"), Some(Resolved::File(_))));
        assert!(matches!(
            resolve(dir.path(), "/index.html?v=1"),
            Some(Resolved::File(_))
        ));
        assert!(matches!(
            resolve(dir.path(), "/a%20b.js"),
            Some(Resolved::File(_))
        ));
        assert!(matches!(
            resolve(dir.path(), "/sub/"),
            Some(Resolved::File(_))
        ));
        assert_eq!(
            resolve(dir.path(), "/sub?x=1"),
            Some(Resolved::Folder("/sub/".into()))
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/missing.js",
            "/a%zz",
            "/%00",
            "/.claims.geojson.tmp-7",
            "/%2eclaims.geojson.tmp-7",
        ] {
            assert!(resolve(dir.path(), bad).is_none(), "{bad}");
        }
    }
}
