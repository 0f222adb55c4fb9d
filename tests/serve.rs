//! `tollmap serve`: the real binary on a loopback port, asked over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args(["-q", "serve", dir.to_str().expect("utf-8"), "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("prints its URL");
    Server {
        child,
        url: line.trim().to_string(),
    }
}

/// A raw request (paths exactly as written, no client normalisation); returns status line,
/// headers and body.
fn raw(url: &str, request_target: &str, extra: &str, method: &str) -> (String, String, Vec<u8>) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(host).expect("connects");
    write!(
        s,
        "{method} {request_target} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    )
    .expect("sends");
    let mut all = Vec::new();
    s.read_to_end(&mut all).expect("reads");
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_string(),
        headers.to_lowercase(),
        all[split + 4..].to_vec(),
    )
}

#[test]
fn serves_files_ranges_and_nothing_outside_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir(&site).expect("mkdir");
    std::fs::write(site.join("index.html"), "<!doctype html><p>map</p>").expect("write");
    let tiles: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    std::fs::write(site.join("tiles.pmtiles"), &tiles).expect("write");
    std::fs::write(dir.path().join("secret.txt"), "outside").expect("write");
    let server = start(&site);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let (status, headers, body) = raw(&server.url, "/", "", "GET");
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("content-type: text/html"), "{headers}");
    assert_eq!(body, b"<!doctype html><p>map</p>");

    let (status, headers, body) = raw(
        &server.url,
        "/tiles.pmtiles",
        "Range: bytes=100-199\r\n",
        "GET",
    );
    assert!(status.contains("206"), "{status}");
    assert!(
        headers.contains("content-range: bytes 100-199/10000"),
        "{headers}"
    );
    assert!(headers.contains("accept-ranges: bytes"));
    assert_eq!(body, &tiles[100..200]);

    let (status, _, body) = raw(&server.url, "/tiles.pmtiles", "Range: bytes=-16\r\n", "GET");
    assert!(status.contains("206"));
    assert_eq!(body, &tiles[10_000 - 16..]);
    let (status, headers, _) = raw(
        &server.url,
        "/tiles.pmtiles",
        "Range: bytes=20000-\r\n",
        "GET",
    );
    assert!(
        status.contains("416") && headers.contains("content-range: bytes */10000"),
        "{status}"
    );

    let (status, headers, body) = raw(&server.url, "/tiles.pmtiles", "", "HEAD");
    assert!(status.contains("200") && headers.contains("content-length: 10000") && body.is_empty());

    for bad in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/missing.js",
    ] {
        let (status, _, body) = raw(&server.url, bad, "", "GET");
        assert!(status.contains("404"), "{bad}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("outside"), "{bad}");
    }
    let (status, _, _) = raw(&server.url, "/index.html", "", "POST");
    assert!(status.contains("405"), "{status}");

    // And through an ordinary HTTP client (tollmap builds rustls on ring, with no default
    // provider: a client needs one installed).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let text = reqwest::blocking::get(format!("{}index.html", server.url))
        .expect("get")
        .text()
        .expect("text");
    assert!(text.contains("map"));
}

#[test]
fn a_missing_folder_is_an_error() {
    let o = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args(["serve", "/nonexistent/tollmap-out", "--port", "0"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a folder"));
}

/// The threads of a process, as Linux counts them.
fn threads(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("proc status")
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a thread count")
}

#[test]
fn idle_and_slow_clients_neither_multiply_threads_nor_lock_others_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("index.html"), "<p>map</p>").expect("write");
    let server = start(dir.path());
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let before = threads(server.child.id());
    // Sixty clients that connect and never send a request, and one that sends its request
    // a byte at a time, slower than the deadline allows.
    let idle: Vec<TcpStream> = (0..60)
        .map(|_| TcpStream::connect(&host).expect("connects"))
        .collect();
    let slow_host = host.clone();
    let slow = std::thread::spawn(move || {
        let mut s = TcpStream::connect(&slow_host).expect("connects");
        for b in b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" {
            if s.write_all(&[*b]).is_err() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(400));
        }
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        rest.is_empty()
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    let during = threads(server.child.id());
    assert!(
        during <= before + 2,
        "{during} threads with 61 clients open (was {before})"
    );
    // A normal request is answered once the idle clients' deadline has passed.
    let started = std::time::Instant::now();
    let (status, _, body) = raw(&server.url, "/", "", "GET");
    assert!(status.contains("200"), "{status}");
    assert_eq!(body, b"<p>map</p>");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "answered after {:?}",
        started.elapsed()
    );
    assert!(slow.join().expect("joins"), "the slow request was answered");
    drop(idle);
}

#[test]
fn dotfiles_folders_methods_and_broken_request_lines_get_proper_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(dir.path().join("sub").join("index.html"), "sub").expect("write");
    std::fs::write(dir.path().join(".places.geojson.tmp-9"), "half").expect("write");
    let server = start(dir.path());
    let (status, headers, _) = raw(&server.url, "/sub", "", "GET");
    assert!(status.contains("301"), "{status}");
    assert!(headers.contains("location: /sub/"), "{headers}");
    let (status, _, body) = raw(&server.url, "/sub/", "", "GET");
    assert!(status.contains("200") && body == b"sub", "{status}");
    let (status, _, _) = raw(&server.url, "/.places.geojson.tmp-9", "", "GET");
    assert!(status.contains("404"), "a dotfile is served: {status}");
    let (status, headers, _) = raw(&server.url, "/sub/", "", "DELETE");
    assert!(status.contains("405"), "{status}");
    assert!(headers.contains("allow: get, head"), "{headers}");
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut s = TcpStream::connect(host).expect("connects");
    s.write_all(b"GET /\xff\xfe HTTP/1.1\r\n\r\n")
        .expect("sends");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 400"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}
