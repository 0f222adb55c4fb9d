//! GeoJSON read by `tollmap tiles`, then tiled (zooms 0 to 4, to keep each run short).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tollmap::tiles::{tiles_of_geojson, TileOptions};

fuzz_target!(|data: &[u8]| {
    let opts = TileOptions {
        max_zoom: 4,
        ..TileOptions::default()
    };
    if let Ok(set) = tiles_of_geojson("layer", data, &opts) {
        for tile in set.tiles() {
            let _ = tile;
        }
    }
});
