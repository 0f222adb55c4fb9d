//! Gazetteer overlays: the first byte picks CSV or GeoJSON, the rest is the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tollmap::gazetteer::Gazetteer;

fuzz_target!(|data: &[u8]| {
    let Ok(gaz) = Gazetteer::shared() else { return };
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if pick & 1 == 0 {
        "places.csv"
    } else {
        "places.geojson"
    };
    let _ = gaz.read_overlay(Path::new(name), text);
});
