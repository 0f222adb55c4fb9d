//! `tollmap refresh` over five nights against a feed server on 127.0.0.1: items roll off the
//! feed, an article is edited, one arrives under two ids, the server fails a whole night, a
//! new article comes; `--check`, a project file, and kills at chosen points.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

mod common;
use common::{tollmap, tollmap_with, FILLER, LAYER_FILES as LAYERS};

/// One feed item: guid, title, date and its article's first sentence.
type Item = (&'static str, &'static str, &'static str, &'static str);

const A: Item = (
    "a",
    "Ariha",
    "Mon, 13 May 2019 08:00:00 GMT",
    "Nine civilians were killed in Ariha on Monday.",
);
const B: Item = (
    "b",
    "Douma",
    "Tue, 14 May 2019 08:00:00 GMT",
    "Four people were killed in Douma on Tuesday.",
);
const C: Item = (
    "c",
    "Jableh",
    "Wed, 15 May 2019 08:00:00 GMT",
    "Three fighters were killed near Jableh on Wednesday.",
);
const C_EDITED: Item = (
    "c",
    "Jableh",
    "Wed, 15 May 2019 08:00:00 GMT",
    "Seven fighters were killed near Jableh on Wednesday.",
);
const D: Item = (
    "d",
    "Baniyas",
    "Thu, 16 May 2019 08:00:00 GMT",
    "Two women were killed in Baniyas on Thursday.",
);
const D_AGAIN: Item = (
    "d-syndicated",
    "Baniyas",
    "Thu, 16 May 2019 08:00:00 GMT",
    "Two women were killed in Baniyas on Thursday.",
);
const E: Item = (
    "e",
    "Qardaha",
    "Fri, 17 May 2019 08:00:00 GMT",
    "Five soldiers were killed in Qardaha on Friday.",
);

/// What the feed holds each night (`None`: the server answers 503 all night).
const NIGHTS: [Option<&[Item]>; 5] = [
    Some(&[A, B]),
    Some(&[B, C]),
    Some(&[C_EDITED, D, D_AGAIN]),
    None,
    Some(&[D, E]),
];

fn feed(items: &[Item]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example</title>");
    for (guid, title, date, first) in items {
        out.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><pubDate>{date}</pubDate><description>{first} {FILLER}</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// A feed server whose answer is the night `night` holds.
fn serve(night: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim() != "" {
                line.clear();
            }
            let (status, body) = match NIGHTS[night.load(Ordering::SeqCst)] {
                Some(items) => ("200 OK", feed(items)),
                None => ("503 Service Unavailable", "down".to_string()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The archive's documents, latest versions in their order, as JSON Lines `build` reads.
fn archive_as_jsonl(archive: &Path, out: &Path) -> usize {
    let db = rusqlite::Connection::open(archive).unwrap();
    let mut q = db
        .prepare(
            "SELECT v.meta, v.text FROM documents d JOIN versions v ON v.row = d.row AND v.version = d.version ORDER BY d.row",
        )
        .unwrap();
    let docs: Vec<(String, String)> = q
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut text = String::new();
    for (meta, body) in &docs {
        let v: serde_json::Value = serde_json::from_str(meta).unwrap();
        let line = serde_json::json!({
            "id": v["id"], "title": v["title"], "text": body, "url": v["url"],
            "outlet": v["outlet"], "published": v["published"],
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    std::fs::write(out, text).unwrap();
    docs.len()
}

#[test]
fn five_nights_lose_nothing_and_match_one_build_of_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let night = Arc::new(AtomicUsize::new(0));
    let url = format!("{}/feed.xml", serve(night.clone()));
    let site = dir.path().join("site");
    let archive = dir.path().join("archive.sqlite");
    let (site_s, archive_s) = (site.to_str().unwrap(), archive.to_str().unwrap());
    let refresh = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "refresh",
            url.as_str(),
            "--out",
            site_s,
            "--archive",
            archive_s,
            "--retries",
            "0",
        ];
        args.extend_from_slice(extra);
        tollmap_with(&args, env)
    };
    let claims_of = |site: &Path| -> Vec<String> {
        csv::Reader::from_path(site.join("claims.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap().get(0).unwrap().to_string())
            .collect()
    };
    // Night 1.
    let o = refresh(&[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 new, 0 changed, 0 unchanged documents; 2 extracted"),
        "{}",
        stderr(&o)
    );
    // Night 2: A rolled off, C is new; only C is extracted. --check first: the layers would
    // change (3), and it wrote nothing.
    night.store(1, Ordering::SeqCst);
    let o = refresh(&["--check"], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = refresh(&[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("1 new, 0 changed, 1 unchanged documents; 1 extracted, 3 in the archive"),
        "{}",
        stderr(&o)
    );
    let changes: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("changes.json")).unwrap()).unwrap();
    assert_eq!(changes["documents"]["kept_not_in_sources"], 1, "{changes}");
    assert_eq!(
        changes["claims_added"].as_array().unwrap().len(),
        1,
        "{changes}"
    );
    // Night 3: C edited, D under two ids. Killed mid-switch first: the next run is whole.
    night.store(2, Ordering::SeqCst);
    // Killed at each point of the output switch, the archive keeps nothing of the run (it
    // commits once the layers are in place) and stays readable.
    for point in ["staged", "journal", "rename-3", "committed"] {
        let o = refresh(&[], &[("TOLLMAP_TEST_DIE_AT", point)]);
        assert_eq!(o.status.code(), None, "{point}: not killed: {}", stderr(&o));
        let db = rusqlite::Connection::open(&archive).unwrap();
        let n: i64 = db
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3, "{point}: the archive holds a killed run's documents");
    }
    let o = refresh(&[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("1 new, 1 changed, 1 unchanged documents; 2 extracted, 4 in the archive"),
        "{}",
        stderr(&o)
    );
    // Nothing new on the same night: --check says so.
    let o = refresh(&["--check"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Night 4: the server fails all night: a warning, exit 1, nothing lost.
    night.store(3, Ordering::SeqCst);
    let before = claims_of(&site);
    let o = refresh(&[], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("503"), "{}", stderr(&o));
    assert_eq!(claims_of(&site), before);
    // Night 5: E is new.
    night.store(4, Ordering::SeqCst);
    let o = refresh(&[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Every article ever seen is on the map once, the edited one as edited.
    let quotes = std::fs::read_to_string(site.join("claims.csv")).unwrap();
    for town in ["Ariha", "Douma", "Jableh", "Baniyas", "Qardaha"] {
        assert!(quotes.contains(town), "{town} missing:\n{quotes}");
    }
    assert!(
        quotes.contains("Seven fighters") && !quotes.contains("Three fighters"),
        "{quotes}"
    );
    assert_eq!(claims_of(&site).len(), 5, "{quotes}");
    // The layers are one build of every document in the archive.
    let jsonl = dir.path().join("archive.jsonl");
    assert_eq!(archive_as_jsonl(&archive, &jsonl), 5);
    let reference = dir.path().join("reference");
    let o = tollmap(&[
        "-q",
        "build",
        jsonl.to_str().unwrap(),
        "--out",
        reference.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for layer in LAYERS {
        assert!(
            std::fs::read(site.join(layer)).unwrap()
                == std::fs::read(reference.join(layer)).unwrap(),
            "{layer} differs from one build of the archive"
        );
    }
    // The manifest names every document of the archive (those of nights whose feed no
    // longer holds them too), each with its address when it has one and the content hash a
    // build of it gives.
    let documents = |dir: &std::path::Path| -> Vec<(String, String, bool)> {
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let mut all: Vec<(String, String, bool)> = m["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_string(),
                    d["sha256"].as_str().unwrap().to_string(),
                    d["url"].is_string(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let listed = documents(&site);
    assert_eq!(listed.len(), 5, "{listed:?}");
    assert_eq!(listed, documents(&reference));
    // Offline: the archive alone gives the same layers.
    let offline = dir.path().join("offline");
    let o = tollmap(&[
        "refresh",
        "--offline",
        "--out",
        offline.to_str().unwrap(),
        "--archive",
        archive_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for layer in LAYERS {
        assert!(
            std::fs::read(site.join(layer)).unwrap() == std::fs::read(offline.join(layer)).unwrap(),
            "{layer} differs offline"
        );
    }
}

#[test]
fn nothing_to_fall_back_on_exits_4_and_a_busy_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let night = Arc::new(AtomicUsize::new(3));
    let url = format!("{}/feed.xml", serve(night));
    let site = dir.path().join("site");
    let archive = dir.path().join("archive.sqlite");
    let o = tollmap(&[
        "refresh",
        &url,
        "--out",
        site.to_str().unwrap(),
        "--archive",
        archive.to_str().unwrap(),
        "--retries",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!site.join("claims.geojson").exists());
    // A refresh holding the archive: a second one is refused at once.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("archive.sqlite.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let o = tollmap(&[
        "refresh",
        "--offline",
        "--out",
        site.to_str().unwrap(),
        "--archive",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another tollmap refresh is using this archive"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_project_file_runs_refresh_and_its_mistakes_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("tollmap.toml");
    let o = tollmap(&["-q", "init", project.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    std::fs::write(
        dir.path().join("articles").join("one.md"),
        "---\npublished: 2019-05-14\n---\nNine civilians were killed in Ariha on Monday.\n",
    )
    .unwrap();
    let p = project.to_str().unwrap();
    let o = tollmap(&["refresh", "--project", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Paths are the project's: the site and the archive are beside it.
    assert!(dir.path().join("site").join("claims.geojson").exists());
    assert!(dir.path().join("tollmap-archive.sqlite").exists());
    // A flag on the command line wins over the file.
    let o = tollmap(&[
        "build",
        "--project",
        p,
        "--out",
        dir.path().join("other").to_str().unwrap(),
        "--no-web",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("other").join("claims.geojson").exists());
    assert!(!dir.path().join("other").join("index.html").exists());
    // A bad value and an unknown key are named with the file and line.
    let text = std::fs::read_to_string(&project).unwrap();
    let line = text.lines().position(|l| l.starts_with("period")).unwrap() + 1;
    for (with, says) in [
        (
            "period = \"fortnight\"",
            format!("tollmap.toml:{line}: `period`: invalid value 'fortnight'"),
        ),
        (
            "perod = \"month\"",
            format!("tollmap.toml:{line}: unknown key `perod` in [build]"),
        ),
    ] {
        std::fs::write(&project, text.replace("period = \"month\"", with)).unwrap();
        let o = tollmap(&["refresh", "--project", p]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(&says), "{}", stderr(&o));
    }
    // init never overwrites.
    let o = tollmap(&["init", p]);
    assert_eq!(o.status.code(), Some(2));
}
