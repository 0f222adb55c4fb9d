//! Text and Markdown files with front matter, read and then extracted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tollmap::gazetteer::Gazetteer;
use tollmap::ingest::{read_bytes, IngestOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(gaz) = Gazetteer::shared() else { return };
    if let Ok(read) = read_bytes(Path::new("story.md"), data, &IngestOptions::default()) {
        for doc in &read.documents {
            let _ = tollmap::extract::claims(doc, gaz);
        }
    }
});
