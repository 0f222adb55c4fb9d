//! JSON Lines documents.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tollmap::ingest::{read_bytes, IngestOptions};

fuzz_target!(|data: &[u8]| {
    let _ = read_bytes(Path::new("docs.jsonl"), data, &IngestOptions::default());
});
