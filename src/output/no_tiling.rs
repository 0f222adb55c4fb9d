//! Stand-ins for the tiles of `build` when tollmap is built without the `tiles` feature:
//! `TileOptions` has no value, so a build never makes tiles.

use super::{OutputError, Staged};

/// Tile options: none can be made, as this tollmap was built without the `tiles` feature.
#[derive(Debug, Clone)]
pub enum TileOptions {}

/// A layer being tiled: none exists without the `tiles` feature.
pub(super) enum TileLayer {}

impl TileLayer {
    pub(super) fn shrink(&mut self) {
        match *self {}
    }
}

/// No layer is tiled.
pub(super) const TILE_LAYERS: [&str; 0] = [];

pub(super) fn max_zoom(opts: &TileOptions) -> u8 {
    match *opts {}
}

pub(super) fn tile_layer(opts: &TileOptions, _name: &str, _features: usize) -> TileLayer {
    match *opts {}
}

pub(super) fn push_tile_feature(layer: &mut TileLayer, _f: &crate::layers::Feature<'_>) {
    match *layer {}
}

pub(super) fn stage_tiles(
    _layers: Vec<TileLayer>,
    opts: &TileOptions,
    _mbtiles: bool,
) -> Result<Vec<Staged>, OutputError> {
    match *opts {}
}
