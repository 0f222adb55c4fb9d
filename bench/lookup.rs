//! Gazetteer look-up speed on one core: exact names, full resolution, and misspelled names
//! that take the fuzzy path. Each figure is the median of five passes. Run with
//! `cargo bench --bench lookup`; results go into BENCHMARKS.md.

use std::time::Instant;

use tollmap::gazetteer::{Context, Gazetteer};

fn bundled() -> Gazetteer {
    Gazetteer::bundled().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

/// Median look-ups per second over five passes of `pass` on `n` names.
fn median_rate(n: usize, mut pass: impl FnMut() -> usize) -> (f64, usize) {
    let mut rates = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = pass();
        rates.push(n as f64 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    (rates[2], found)
}

fn main() {
    // `cargo bench --bench lookup -- fuzzy` runs one phase (exact, resolve or fuzzy).
    let args: Vec<String> = std::env::args().skip(1).collect();
    let phases = ["exact", "resolve", "fuzzy", "sites"];
    let only: Vec<&str> = phases
        .into_iter()
        .filter(|p| args.iter().any(|a| a == p))
        .collect();
    let run = |phase: &str| only.is_empty() || only.contains(&phase);
    let t = Instant::now();
    let g = bundled();
    let load = t.elapsed();
    // Distinct names of the gazetteer.
    let mut names: Vec<String> = g
        .iter()
        .flat_map(|e| e.names.iter().filter(|n| !n.starts_with('~')).cloned())
        .collect();
    names.sort();
    names.dedup();
    let ctx = Context::default();
    let (exact, hits) = if run("exact") {
        median_rate(names.len(), || {
            names.iter().map(|n| g.exact(n).count()).sum()
        })
    } else {
        (0.0, 0)
    };
    // Full resolution, on a fresh gazetteer each pass so that the look-up memo never hits.
    let (resolve, resolved) = if run("resolve") {
        median_rate(names.len(), || {
            let g = bundled();
            names
                .iter()
                .filter(|n| g.resolve(n, &ctx).is_some())
                .count()
        })
    } else {
        (0.0, 0)
    };
    // Misspellings: drop the middle character of names of 8+ characters, so exact and loose
    // keys mostly miss and the fuzzy index answers.
    let typos: Vec<String> = names
        .iter()
        .filter(|n| n.chars().count() >= 8 && n.is_ascii())
        .take(20_000)
        .map(|n| {
            let mid = n.len() / 2;
            format!("{}{}", &n[..mid], &n[mid + 1..])
        })
        .collect();
    let (fuzzy, fuzzy_found) = if run("fuzzy") {
        median_rate(typos.len(), || {
            let g = bundled();
            typos
                .iter()
                .filter(|n| g.resolve(n, &ctx).is_some())
                .count()
        })
    } else {
        (0.0, 0)
    };
    // Landmark phrases ("Kuweires airbase"): each site's names with a kind word, through
    // `look_up` on a fresh gazetteer each pass, so the site keys are gathered every time.
    let phrases: Vec<String> = g
        .iter()
        .filter(|e| e.kind.is_landmark())
        .flat_map(|e| {
            e.names
                .iter()
                .map(|n| n.trim_start_matches('^').to_string())
        })
        .filter(|n| tollmap::gazetteer::landmarks::phrase(n).is_some())
        .collect();
    let (sites, sites_found) = if run("sites") {
        median_rate(phrases.len(), || {
            let g = bundled();
            phrases
                .iter()
                .filter(|n| !g.look_up(n, &ctx).candidates.is_empty())
                .count()
        })
    } else {
        (0.0, 0)
    };
    let first_site = {
        let g = bundled();
        let t = Instant::now();
        let _ = g.look_up("Kuweires airbase", &ctx);
        t.elapsed()
    };
    println!(
        "landmark phrases (look_up, site keys gathered each pass): {} phrases, {} found, {:.0} look-ups/s; first phrase of a process {:.2} ms",
        phrases.len(),
        sites_found,
        sites,
        first_site.as_secs_f64() * 1e3
    );
    println!(
        "load (compiled index, lazy entries): {:.2} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "exact (Gazetteer::exact: key, index, entries): {} names, {} entries, {:.0} look-ups/s",
        names.len(),
        hits,
        exact
    );
    println!(
        "resolve (exact, variants, ranking; memo cold): {} names, {} resolved, {:.0} look-ups/s",
        names.len(),
        resolved,
        resolve
    );
    println!(
        "misspelled (fuzzy path; memo cold): {} names, {} resolved, {:.0} look-ups/s",
        typos.len(),
        fuzzy_found,
        fuzzy
    );
}
