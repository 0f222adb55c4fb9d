//! RSS and Atom feeds.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tollmap::ingest::feed::{looks_like_feed, read_feed};

fuzz_target!(|data: &[u8]| {
    let _ = looks_like_feed(data, None);
    let _ = read_feed(data, "feed.xml");
});
