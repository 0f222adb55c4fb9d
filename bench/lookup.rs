//! Gazetteer look-up speed on one core: exact names, and misspelled names that take the fuzzy
//! path. Run with `cargo bench --bench lookup`; results go into BENCHMARKS.md.

use std::time::Instant;

use tollmap::gazetteer::{Context, Gazetteer};

fn main() {
    let t = Instant::now();
    let g = match Gazetteer::bundled() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let load = t.elapsed();
    // Distinct names of the gazetteer (the look-up memo never hits: every key is new).
    let mut names: Vec<String> = g
        .iter()
        .flat_map(|e| e.names.iter().filter(|n| !n.starts_with('~')).cloned())
        .collect();
    names.sort();
    names.dedup();
    let ctx = Context::default();
    let t = Instant::now();
    let mut found = 0usize;
    for n in &names {
        found += usize::from(g.resolve(n, &ctx).is_some());
    }
    let exact = t.elapsed();
    // Misspellings: drop the middle character of names of 8+ characters, so exact and loose
    // keys mostly miss and the fuzzy index answers.
    let fresh = Gazetteer::bundled().unwrap_or_else(|_| std::process::exit(2));
    let typos: Vec<String> = names
        .iter()
        .filter(|n| n.chars().count() >= 8 && n.is_ascii())
        .take(20_000)
        .map(|n| {
            let mid = n.len() / 2;
            format!("{}{}", &n[..mid], &n[mid + 1..])
        })
        .collect();
    let t = Instant::now();
    let mut fuzzy_found = 0usize;
    for n in &typos {
        fuzzy_found += usize::from(fresh.resolve(n, &ctx).is_some());
    }
    let fuzzy = t.elapsed();
    println!(
        "load (compiled index, lazy entries): {:.2} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "exact: {} distinct names, {} resolved, {:.0} look-ups/s",
        names.len(),
        found,
        names.len() as f64 / exact.as_secs_f64()
    );
    println!(
        "misspelled: {} names, {} resolved, {:.0} look-ups/s",
        typos.len(),
        fuzzy_found,
        typos.len() as f64 / fuzzy.as_secs_f64()
    );
}
