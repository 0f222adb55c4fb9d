//! Helpers the integration tests share: running the real binary, finding the shared corpus.
// Each test file uses some of these, not all.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `tollmap ARGS...` from the repository root.
pub fn tollmap(args: &[&str]) -> Output {
    tollmap_with(args, &[])
}

/// Runs `tollmap ARGS...` from the repository root with extra environment variables.
pub fn tollmap_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tollmap")
}

/// A file of `../shared` (the real corpus and data beside the repository), or `None` with
/// a message when it is absent: a lone clone skips the test and says so; under `CI` (which
/// always has it) a missing file fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have {}",
        p.display()
    );
    eprintln!("skipping: {} not found (not a CI run)", p.display());
    None
}

/// The names and bytes of every file in a folder, hidden ones included.
pub fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The layer and table files of a build, which must be the same bytes for the same claims.
pub const LAYER_FILES: [&str; 9] = [
    "claims.geojson",
    "events.geojson",
    "places.geojson",
    "origins.geojson",
    "admin1.geojson",
    "admin2.geojson",
    "claims.csv",
    "cumulative.csv",
    "unresolved.csv",
];

/// Words without a figure that make a feed item's text long enough to be read as the
/// article, not as a teaser.
pub const FILLER: &str = "Residents said the fighting went on for most of the day and that roads \
out of the area were closed, while aid groups said they could not reach the wounded until the \
evening. Officials gave no further details of the attack or of those responsible for it, and \
the road to the coast stayed shut. Shops in the old market did not open, and families who \
had left the day before said they would not come back until the shelling stopped.";
