//! `tollmap tiles`: vector tiles (PMTiles or MBTiles) of any GeoJSON points and polygons.

use std::process::ExitCode;

use anyhow::Result;

use super::args::TilesArgs;
use super::say;
use crate::util::report::counted;

/// Runs `tiles`.
pub fn run(args: &TilesArgs, quiet: bool) -> Result<ExitCode> {
    let opts = crate::tiles::TileOptions {
        min_zoom: args.min_zoom,
        max_zoom: args.max_zoom,
        cluster_distance: args.cluster_distance,
        buffer: args.buffer,
        max_tile_bytes: args.max_tile_bytes,
        accumulate: args.accumulate.clone(),
        attribution: args.attribution.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let (layers, stats) =
        crate::tiles::tile_files(&args.inputs, args.layer.as_deref(), &args.output, &opts)?;
    for l in &layers {
        if l.skipped > 0 {
            say(
                quiet,
                &format!(
                    "tollmap: layer {}: {} features without a point or polygon geometry left out",
                    l.name, l.skipped
                ),
            );
        }
    }
    if stats.over_cap > 0 {
        say(
            quiet,
            &format!(
                "tollmap: warning: {} tiles stay over {} bytes: what is left in them (polygons, or points merged as far as they go) cannot be made smaller",
                stats.over_cap, args.max_tile_bytes
            ),
        );
    }
    let points: usize = layers.iter().map(|l| l.points).sum();
    let polygons: usize = layers.iter().map(|l| l.polygons).sum();
    say(
        quiet,
        &format!(
            "tollmap: {}, {} in {} -> {}, zooms {}-{} ({} clustered harder to fit) -> {} in {:.2} s",
            counted(points, "point"),
            counted(polygons, "polygon"),
            counted(layers.len(), "layer"),
            counted(stats.tiles, "tile"),
            args.min_zoom,
            args.max_zoom,
            stats.reclustered,
            args.output.display(),
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(ExitCode::SUCCESS)
}
