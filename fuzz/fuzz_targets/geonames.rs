//! GeoNames dumps read by `tollmap gazetteer import`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tollmap::bundle::import::parse(Path::new("SY.txt"), text);
});
