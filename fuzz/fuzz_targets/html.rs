//! HTML pages (charset sniffing, readability, dates), then extracted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tollmap::gazetteer::Gazetteer;
use tollmap::ingest::html::read_page;

fuzz_target!(|data: &[u8]| {
    let Ok(gaz) = Gazetteer::shared() else { return };
    if let Ok(page) = read_page(
        "page",
        "page.html",
        data,
        None,
        Some("https://example.org/a/"),
    ) {
        let _ = tollmap::extract::claims(&page.document, gaz);
    }
});
