//! Event tables: UCDP GED, ACLED and tollmap's own claims.csv (the header says which).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tollmap::ingest::{read_bytes, IngestOptions};

fuzz_target!(|data: &[u8]| {
    let _ = read_bytes(Path::new("events.csv"), data, &IngestOptions::default());
});
