//! URL and feed inputs against a real HTTP server on 127.0.0.1 started by each test: pages,
//! RSS and Atom feeds, revalidation with 304, retries, timeouts, size and redirect limits,
//! a windows-1256 page, a malformed feed and a 404.

use std::io::{BufRead, BufReader, Write};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the server answers: status, extra headers, body, and a delay before answering.
struct Reply {
    status: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn reply(status: &'static str, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
        delay: Duration::ZERO,
    }
}

/// A request as the handler sees it: path and headers (lower-case names).
struct Request {
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Serves `handler` on 127.0.0.1 until the test ends; returns the base URL.
fn serve(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let mut headers = Vec::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                let r = handler(&Request { path, headers });
                std::thread::sleep(r.delay);
                let mut head = format!(
                    "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    r.status,
                    r.body.len()
                );
                for (k, v) in &r.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&r.body);
            });
        }
    });
    base
}

mod common;
use common::{files_of, tollmap, FILLER};

fn claims(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn page(title: &str, date: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p>{body}</p>
<p>Residents said the fighting went on for most of the day and that roads out of the area were
closed, while aid groups said they could not reach the wounded until the evening.</p>
<p>Officials gave no further details of the attack or of those responsible for it.</p></article>
<aside><h3>Related</h3><a href="/x">Forty killed in an unrelated raid</a></aside></body></html>"#
    )
}

/// The page every test can rely on: one claim of nine killed in Ariha.
fn good_page() -> Reply {
    reply(
        "200 OK",
        "text/html",
        page(
            "Ariha",
            "2019-05-14",
            "Nine civilians were killed in Ariha on Monday.",
        ),
    )
}

#[test]
fn a_page_and_feeds_whose_items_link_to_pages() {
    let base = serve(|r| {
        // Feed links are absolute, to this server.
        let link = format!("http://{}", r.header("host").unwrap_or(""));
        match r.path.as_str() {
            "/a" => reply(
                "200 OK",
                "text/html; charset=utf-8",
                page(
                    "Shelling in Ariha",
                    "2019-05-14",
                    "Nine civilians were killed on Monday when shells hit a market in Ariha, local medics said.",
                ),
            ),
            "/b" => reply(
                "200 OK",
                "text/html",
                page(
                    "Raid on Saraqeb",
                    "2019-05-10",
                    "Six rebels were killed in an air raid on Saraqeb on Thursday, activists said.",
                ),
            ),
            "/rss" => reply(
                "200 OK",
                "application/rss+xml",
                format!(
                    r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Raid on Saraqeb</title><link>{link}/b</link><guid>b</guid><pubDate>Fri, 10 May 2019 09:00:00 GMT</pubDate><description>Teaser.</description></item>
</channel></rss>"#
                ),
            ),
            "/atom" => reply(
                "200 OK",
                "application/atom+xml",
                format!(
                    r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><id>w</id><updated>2019-05-14T00:00:00Z</updated>
<entry><title>Shelling in Ariha</title><id>{link}/a</id><link href="{link}/a"/><updated>2019-05-14T08:00:00Z</updated><summary>Teaser</summary></entry></feed>"#
                ),
            ),
            _ => reply("404 Not Found", "text/plain", "no"),
        }
    });
    let o = tollmap(&[
        "extract",
        &format!("{base}/a"),
        &format!("{base}/rss"),
        &format!("{base}/atom"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cs = claims(&o);
    let got: Vec<(u64, &str, &str)> = cs
        .iter()
        .map(|c| {
            (
                c["count"]["low"].as_u64().unwrap(),
                c["doc"].as_str().unwrap(),
                c["date"]["start"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // The page (Monday before 14 May), the RSS item (Thursday before 10 May); the Atom item
    // is the same page as the URL given and is read once.
    assert!(
        got.contains(&(9, &format!("{base}/a"), "2019-05-13")),
        "{got:?}"
    );
    assert!(got.contains(&(6, "b", "2019-05-09")), "{got:?}");
    assert!(
        !cs.iter().any(|c| c["count"]["low"] == 40),
        "related links read: {got:?}"
    );
    // A build's manifest names the pages the feed linked to, each with its address and
    // content hash, beside the feed itself among the inputs.
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = tollmap(&[
        "-q",
        "build",
        &format!("{base}/rss"),
        "--no-tiles",
        "--no-web",
        "--out",
        site.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("manifest.json")).unwrap()).unwrap();
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "{m}");
    assert_eq!(docs[0]["id"], "b");
    assert_eq!(docs[0]["url"], format!("{base}/b"));
    let sha = docs[0]["sha256"].as_str().unwrap();
    assert!(
        sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
        "{sha}"
    );
}

#[test]
fn a_second_run_revalidates_and_downloads_nothing_new() {
    let full = Arc::new(AtomicUsize::new(0));
    let counter = full.clone();
    let base = serve(move |r| {
        if r.header("if-none-match") == Some("\"v1\"") {
            return reply("304 Not Modified", "text/html", "");
        }
        counter.fetch_add(1, Ordering::SeqCst);
        let mut rep = good_page();
        rep.headers.push(("ETag".into(), "\"v1\"".into()));
        rep
    });
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{base}/a");
    let args = [
        "extract",
        url.as_str(),
        "--cache",
        cache.path().to_str().unwrap(),
    ];
    let first = tollmap(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = tollmap(&args);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        full.load(Ordering::SeqCst),
        1,
        "the second run downloaded again"
    );
    assert_eq!(claims(&first), claims(&second));
    assert_eq!(claims(&second).len(), 1);
}

#[test]
fn a_500_succeeds_on_retry() {
    let tries = Arc::new(AtomicUsize::new(0));
    let t = tries.clone();
    let base = serve(move |_| {
        if t.fetch_add(1, Ordering::SeqCst) == 0 {
            let mut r = reply("500 Internal Server Error", "text/plain", "oops");
            r.headers.push(("Retry-After".into(), "0".into()));
            return r;
        }
        good_page()
    });
    let o = tollmap(&["extract", &format!("{base}/a")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(tries.load(Ordering::SeqCst), 2);
    assert_eq!(claims(&o).len(), 1);
}

/// Runs one URL that must fail: exit 1, the message naming the URL, and the good page of
/// the same run still extracted.
fn fails_with(
    path: &str,
    extra: &[&str],
    handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    needle: &str,
) {
    let base = serve(move |r| {
        if r.path == "/good" {
            return good_page();
        }
        handler(r)
    });
    let bad = format!("{base}{path}");
    let good = format!("{base}/good");
    let mut args = vec!["extract", bad.as_str(), good.as_str(), "--retries", "0"];
    args.extend_from_slice(extra);
    let o = tollmap(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&bad) && err.contains(needle), "{err}");
    assert_eq!(
        claims(&o).len(),
        1,
        "the good page was not extracted: {err}"
    );
}

#[test]
fn a_timeout_is_reported_and_the_run_goes_on() {
    fails_with(
        "/slow",
        &["--timeout", "0.5"],
        |_| {
            let mut r = reply("200 OK", "text/html", "<p>late</p>");
            r.delay = Duration::from_secs(3);
            r
        },
        "timed out",
    );
}

#[test]
fn an_oversized_body_is_refused() {
    fails_with(
        "/big",
        &["--max-mb", "1"],
        |_| reply("200 OK", "text/html", vec![b'a'; 2 * 1024 * 1024]),
        "over the limit",
    );
}

#[test]
fn a_redirect_loop_is_cut() {
    fails_with(
        "/loop",
        &[],
        |_| {
            let mut r = reply("302 Found", "text/plain", "");
            r.headers.push(("Location".into(), "/loop".into()));
            r
        },
        "redirect",
    );
}

#[test]
fn a_404_and_a_malformed_feed_are_named() {
    fails_with(
        "/missing",
        &[],
        |_| reply("404 Not Found", "text/plain", "no"),
        "404",
    );
    fails_with(
        "/feed",
        &[],
        |_| {
            reply(
                "200 OK",
                "application/rss+xml",
                "<rss><channel><item><title>x",
            )
        },
        "not a valid RSS or Atom feed",
    );
}

#[test]
fn a_windows_1256_page_reads_as_arabic() {
    let base = serve(|_| {
        let mut body = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"><title>Aleppo</title></head><body><article><h1>Aleppo</h1><p>Nine civilians were killed on Monday in the city of ".to_vec();
        body.extend_from_slice(&[0xcd, 0xe1, 0xc8]); // حلب
        body.extend_from_slice(b", local medics said. Residents said the shelling went on for most of the day and that the roads out of the city were closed until the evening, while aid groups said they could not reach the wounded.</p><p>Officials gave no further details of the attack.</p></article></body></html>");
        Reply {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "text/html".into())],
            body,
            delay: Duration::ZERO,
        }
    });
    let o = tollmap(&["extract", &format!("{base}/p"), "--published", "2019-05-14"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cs = claims(&o);
    assert_eq!(cs.len(), 1, "{cs:#?}");
    let place = &cs[0]["places"][0];
    assert_eq!(place["mention"], "حلب", "{cs:#?}");
    assert_eq!(place["name"], "Aleppo", "{cs:#?}");
}

/// A server answering the good page at `/a` until the switch is set to 0, then `down`; with
/// the switch, the page's URL and an empty cache folder.
fn good_page_until_down(down: &'static str) -> (Arc<AtomicUsize>, String, tempfile::TempDir) {
    let up = Arc::new(AtomicUsize::new(1));
    let state = up.clone();
    let base = serve(move |_| {
        if state.load(Ordering::SeqCst) == 0 {
            return reply(down, "text/plain", "down");
        }
        good_page()
    });
    (up, format!("{base}/a"), tempfile::tempdir().unwrap())
}

/// `extract URL --cache DIR --retries 0`.
fn cached_extract<'a>(url: &'a str, cache: &'a tempfile::TempDir) -> [&'a str; 6] {
    [
        "extract",
        url,
        "--cache",
        cache.path().to_str().unwrap(),
        "--retries",
        "0",
    ]
}

#[test]
fn a_broken_server_serves_the_last_good_copy_from_the_cache() {
    let (up, url, cache) = good_page_until_down("503 Service Unavailable");
    let args = cached_extract(&url, &cache);
    let first = tollmap(&args);
    assert!(first.status.success());
    up.store(0, Ordering::SeqCst);
    let second = tollmap(&args);
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(
        err.contains("503") && err.contains("used the cached copy"),
        "{err}"
    );
    assert_eq!(claims(&first), claims(&second));
}

#[test]
fn when_every_url_fails_nothing_is_written_and_the_exit_is_2() {
    let base = serve(|r| match r.path.as_str() {
        "/good" => good_page(),
        "/feed" => reply("200 OK", "application/rss+xml", "<rss><channel><item>"),
        "/down" => reply("503 Service Unavailable", "text/plain", "down"),
        _ => reply("404 Not Found", "text/plain", "no"),
    });
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    let site = dir.to_str().unwrap();
    let good = format!("{base}/good");
    let first = tollmap(&[
        "-q",
        "build",
        &good,
        "--out",
        site,
        "--no-web",
        "--no-tiles",
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = files_of(&dir);
    for bad in [
        vec![format!("{base}/missing")],
        vec![format!("{base}/missing"), format!("{base}/down")],
        vec![format!("{base}/feed")],
    ] {
        let mut args = vec!["-q", "build"];
        args.extend(bad.iter().map(String::as_str));
        args.extend(["--out", site, "--retries", "0", "--no-web", "--no-tiles"]);
        let o = tollmap(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.contains(&bad[0]), "{err}");
        assert_eq!(files_of(&dir), before, "{bad:?} changed the output");
        let mut args = vec!["extract"];
        args.extend(bad.iter().map(String::as_str));
        args.extend(["--retries", "0"]);
        assert_eq!(tollmap(&args).status.code(), Some(2), "extract {bad:?}");
    }
}

#[test]
fn a_bad_200_never_replaces_the_last_good_copy_in_the_cache() {
    // 0: the article; 1: a maintenance page answered 200; 2: an empty 200; 3: down.
    let state = Arc::new(AtomicUsize::new(0));
    let now = state.clone();
    let base = serve(move |_| match now.load(Ordering::SeqCst) {
        0 => good_page(),
        1 => reply(
            "200 OK",
            "text/html",
            "<html><body><h1>Down for maintenance</h1><p>Back soon.</p></body></html>",
        ),
        2 => reply("200 OK", "text/html", ""),
        _ => reply("500 Internal Server Error", "text/plain", "down"),
    });
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{base}/a");
    let args = cached_extract(&url, &cache);
    let first = tollmap(&args);
    assert!(first.status.success());
    assert_eq!(claims(&first).len(), 1);
    let cached = files_of(cache.path());
    for bad in [1, 2] {
        state.store(bad, Ordering::SeqCst);
        let o = tollmap(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("no article text found"), "{err}");
        assert_eq!(files_of(cache.path()), cached, "state {bad} was cached");
    }
    state.store(3, Ordering::SeqCst);
    let down = tollmap(&args);
    let err = String::from_utf8_lossy(&down.stderr);
    assert_eq!(down.status.code(), Some(1), "{err}");
    assert!(err.contains("used the cached copy"), "{err}");
    assert_eq!(claims(&down), claims(&first));
}

/// A server whose bodies come slowly: after the headers (a 100-byte body announced), one
/// byte every `every` (never, for `None`: the body stalls). Counts the connections.
fn trickle(every: Option<Duration>) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok() && line.trim() != "" {
                    line.clear();
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
                let _ = stream.write_all(head.as_bytes());
                for _ in 0..100 {
                    match every {
                        Some(d) => std::thread::sleep(d),
                        None => std::thread::sleep(Duration::from_secs(30)),
                    }
                    if stream.write_all(b"x").is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, connections)
}

#[test]
fn a_body_that_trickles_or_stalls_is_cut_at_the_deadline_and_retried() {
    for every in [Some(Duration::from_millis(200)), None] {
        let (base, connections) = trickle(every);
        let url = format!("{base}/slow");
        let started = std::time::Instant::now();
        let o = tollmap(&["extract", &url, "--timeout", "1", "--retries", "1"]);
        let took = started.elapsed();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{every:?}: {err}");
        assert!(err.contains("timed out"), "{every:?}: {err}");
        // Two tries of one second each and a backoff of half a second, not 20 s of trickle.
        assert!(took < Duration::from_secs(6), "{every:?}: took {took:?}");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            2,
            "{every:?}: retried once"
        );
    }
}

#[test]
fn credentials_in_a_url_are_used_but_never_published() {
    let base = serve(|r| match r.path.as_str() {
        "/good" => good_page(),
        _ => reply("404 Not Found", "text/plain", "no"),
    });
    let with_secret = base.replacen("http://", "http://reader:s3cret@", 1);
    let good = format!("{with_secret}/good");
    let missing = format!("{with_secret}/missing");
    let o = tollmap(&["extract", &good, &missing, "--retries", "0"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(claims(&o).len(), 1, "{out}");
    assert!(
        !out.contains("s3cret") && !err.contains("s3cret"),
        "{out}\n{err}"
    );
    assert!(err.contains(&format!("{base}/missing")), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let o = tollmap(&[
        "-q",
        "build",
        &good,
        "--out",
        site.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in std::fs::read_dir(&site).unwrap().flatten() {
        let bytes = std::fs::read(f.path()).unwrap();
        assert!(
            !bytes.windows(6).any(|w| w == b"s3cret"),
            "{} holds the password",
            f.path().display()
        );
    }
}

#[test]
fn a_pdf_or_binary_body_is_named_not_read_as_a_page() {
    fails_with(
        "/report.pdf",
        &[],
        |_| {
            reply(
                "200 OK",
                "application/pdf",
                b"%PDF-1.4\n%\xe2\xe3\n1 0 obj".to_vec(),
            )
        },
        "PDF",
    );
    fails_with(
        "/blob",
        &[],
        |_| {
            reply(
                "200 OK",
                "application/octet-stream",
                vec![0u8, 159, 146, 150, 7],
            )
        },
        "application/octet-stream",
    );
}

#[test]
fn a_damaged_cache_entry_is_named_when_the_server_fails() {
    let (up, url, cache) = good_page_until_down("500 Internal Server Error");
    let args = cached_extract(&url, &cache);
    assert!(tollmap(&args).status.success());
    for f in std::fs::read_dir(cache.path()).unwrap().flatten() {
        if f.path().extension().is_some_and(|e| e == "json") {
            std::fs::write(f.path(), "{ not json").unwrap();
        }
    }
    up.store(0, Ordering::SeqCst);
    let o = tollmap(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cached copy") && err.contains("cannot be read") && err.contains("500"),
        "{err}"
    );
}

/// A server that reads each request's head and then hands the connection, with its number
/// (0 for the first), to `answer`, which writes what it likes, or nothing.
fn raw(answer: impl Fn(usize, &mut std::net::TcpStream) + Send + Sync + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answer = Arc::new(answer);
    let count = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (answer, n) = (answer.clone(), count.fetch_add(1, Ordering::SeqCst));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim() != "" {
                    line.clear();
                }
                answer(n, &mut stream);
            });
        }
    });
    base
}

/// The head and body of a good page's answer (`Content-Length` as `announced`, or the
/// body's own length).
fn good_answer(announced: Option<usize>) -> Vec<u8> {
    let body = good_page().body;
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        announced.unwrap_or(body.len())
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

#[test]
fn a_connection_closed_without_an_answer_or_a_body_cut_short_is_tried_again() {
    let base = raw(|n, stream| match n {
        // Closed before any answer.
        0 => drop(stream.shutdown(std::net::Shutdown::Both)),
        // Half the body of what the head announced, then closed.
        1 => {
            let whole = good_answer(Some(100_000));
            let _ = stream.write_all(&whole[..whole.len() / 2]);
        }
        _ => {
            let _ = stream.write_all(&good_answer(None));
        }
    });
    let url = format!("{base}/page");
    let o = tollmap(&["extract", &url, "--retries", "2"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(claims(&o).len(), 1, "{err}");
    // Without retries each fault is named, not taken as a page.
    for (n, needle) in [(0, "request failed"), (1, "reading the body failed")] {
        let base = raw(move |_, stream| match n {
            0 => drop(stream.shutdown(std::net::Shutdown::Both)),
            _ => {
                let whole = good_answer(Some(100_000));
                let _ = stream.write_all(&whole[..whole.len() / 2]);
            }
        });
        let url = format!("{base}/page");
        let o = tollmap(&["extract", &url, "--retries", "0"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(&url) && err.contains(needle), "{n}: {err}");
    }
}

#[test]
fn a_429_waits_as_its_retry_after_date_asks() {
    let times = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = times.clone();
    let base = serve(move |_| {
        let mut t = seen.lock().unwrap();
        t.push(std::time::Instant::now());
        if t.len() == 1 {
            // Two seconds from now as an HTTP date (whole seconds: a wait of 1 to 2 s).
            let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
            let date = jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&at)
                .unwrap();
            let mut r = reply("429 Too Many Requests", "text/plain", "slow down");
            r.headers.push(("Retry-After".into(), date));
            return r;
        }
        good_page()
    });
    let url = format!("{base}/page");
    let o = tollmap(&["extract", &url, "--retries", "1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let t = times.lock().unwrap();
    assert_eq!(t.len(), 2);
    // The backoff alone would have waited 0.5 s.
    let waited = t[1] - t[0];
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

#[test]
fn a_redirect_to_another_scheme_is_refused_naming_where_it_pointed() {
    fails_with(
        "/away",
        &[],
        |_| {
            let mut r = reply("302 Found", "text/plain", "");
            r.headers
                .push(("Location".into(), "file:///etc/passwd".into()));
            r
        },
        "it pointed to file:///etc/passwd; only http:// and https:// URLs are followed",
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_size_limit() {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = Arc::new(gz.finish().unwrap());
    assert!(bomb.len() < 200_000, "{} bytes packed", bomb.len());
    fails_with(
        "/bomb",
        &["--max-mb", "2"],
        move |_| {
            let mut r = reply("200 OK", "text/html", bomb.as_slice().to_vec());
            r.headers.push(("Content-Encoding".into(), "gzip".into()));
            r
        },
        "over the limit",
    );
}

#[test]
fn an_entity_bomb_in_a_feed_expands_nothing() {
    let mut feed =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        let prev = (b'a' + i - 1) as char;
        let this = (b'a' + i) as char;
        feed.push_str(&format!(
            "<!ENTITY {this} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    feed.push_str(&format!("]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>&j;</title><description>Nine civilians were killed in Ariha on Monday. &j; {FILLER}</description></item></channel></rss>"));
    let base = serve(move |_| reply("200 OK", "application/rss+xml", feed.clone()));
    let url = format!("{base}/feed");
    let o = tollmap(&["extract", &url, "--retries", "0"]);
    let err = String::from_utf8_lossy(&o.stderr);
    // A billion `a`s were never made: the item is read with its entities left as they are.
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(claims(&o).len(), 1, "{err}");
    assert!(o.stdout.len() < 100_000, "{} bytes out", o.stdout.len());
}

#[test]
fn a_page_with_an_unknown_charset_is_read_as_utf8() {
    let base = serve(|_| {
        let mut r = good_page();
        r.headers = vec![(
            "Content-Type".into(),
            "text/html; charset=x-no-such-charset".into(),
        )];
        r
    });
    let url = format!("{base}/page");
    let o = tollmap(&["extract", &url]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(claims(&o).len(), 1, "{err}");
}

#[test]
fn a_feed_of_thousands_of_items_is_read_whole() {
    let mut feed =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
    for i in 0..5000 {
        feed.push_str(&format!(
            "<item><guid>item-{i}</guid><title>Item {i}</title><pubDate>Tue, 14 May 2019 08:00:00 GMT</pubDate><description>{} civilians were killed in Ariha on Monday. {FILLER}</description></item>",
            i % 50 + 2
        ));
    }
    feed.push_str("</channel></rss>");
    let base = serve(move |_| reply("200 OK", "application/rss+xml", feed.clone()));
    let url = format!("{base}/feed");
    let o = tollmap(&["extract", &url]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(claims(&o).len(), 5000, "{err}");
}

#[test]
fn links_past_the_fetch_deadline_fail_at_once_each_named() {
    // A feed of 12 teasers whose pages hang: with 4 requests at a time and a 1 s timeout,
    // the 2 s deadline passes before most are tried.
    let base = serve(|r| {
        if r.path == "/feed" {
            let mut feed = String::from(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>",
            );
            for i in 0..12 {
                feed.push_str(&format!(
                    "<item><guid>i{i}</guid><title>t{i}</title><link>/page/{i}</link></item>"
                ));
            }
            feed.push_str("</channel></rss>");
            return reply("200 OK", "application/rss+xml", feed);
        }
        let mut r = good_page();
        r.delay = Duration::from_secs(5);
        r
    });
    let url = format!("{base}/feed");
    let started = std::time::Instant::now();
    let o = tollmap(&[
        "extract",
        &url,
        "--timeout",
        "1",
        "--retries",
        "3",
        "--fetch-deadline",
        "2",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the deadline of 2 s for all fetching passed"),
        "{err}"
    );
    // Twelve pages of 4 tries of 1 s each at 4 at a time would take over 12 s.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_saved_feed_file_is_read_and_its_linked_pages_fetched() {
    let base = serve(|r| match r.path.as_str() {
        "/page" => good_page(),
        _ => reply("404 Not Found", "text/plain", "no"),
    });
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("saved.xml");
    std::fs::write(
        &feed,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
             <item><guid>full</guid><title>Douma</title><pubDate>Tue, 14 May 2019 08:00:00 GMT</pubDate>\
             <description>Four people were killed in Douma on Tuesday. {FILLER}</description></item>\
             <item><guid>teaser</guid><title>Ariha</title><link>{base}/page</link></item>\
             </channel></rss>"
        ),
    )
    .unwrap();
    let o = tollmap(&["extract", feed.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let docs: std::collections::BTreeSet<String> = claims(&o)
        .iter()
        .map(|c| c["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        ["full", "teaser"],
        "{err}"
    );
    // The manifest lists the page the feed linked to, with its hash.
    let out = dir.path().join("site");
    let o = tollmap(&[
        "-q",
        "build",
        feed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-web",
        "--no-tiles",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let inputs = manifest["inputs"].to_string();
    assert!(inputs.contains(&format!("{base}/page")), "{inputs}");
}

#[test]
fn requests_to_one_host_keep_the_host_delay_apart() {
    let times = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = times.clone();
    let base = serve(move |_| {
        seen.lock().unwrap().push(std::time::Instant::now());
        good_page()
    });
    let urls: Vec<String> = (0..3).map(|i| format!("{base}/page/{i}")).collect();
    let mut args = vec!["extract", "--host-delay", "0.4"];
    args.extend(urls.iter().map(String::as_str));
    let o = tollmap(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut t = times.lock().unwrap().clone();
    t.sort();
    assert_eq!(t.len(), 3);
    for pair in t.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(350), "gap {gap:?}");
    }
}
