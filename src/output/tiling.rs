//! The tiles of `build` (the `tiles` feature): which layers and fields go into
//! `tiles.pmtiles`, each feature added to its tile layer as it is made, and the archive staged
//! with the other outputs.

use super::{staged_file, temp_file, OutputError, Staged};
use crate::layers::names;
use crate::tiles::source::Layer;

/// The options of the tiles `build` makes.
pub type TileOptions = crate::tiles::TileOptions;

/// A layer being tiled, filled as its features are made.
pub(super) type TileLayer = Layer;

/// The highest zoom of the tiles.
pub(super) fn max_zoom(opts: &TileOptions) -> u8 {
    opts.max_zoom
}

/// The layers of `tiles.pmtiles`.
pub(super) const TILE_LAYERS: [&str; 3] = ["claims", "places", "admin1"];

/// Properties left out of the tiles: long source text and id lists (they stay in the
/// GeoJSON layers and the GeoPackage).
const TILE_OMITS: [&str; 5] = [
    names::CLAIM_IDS,
    names::EVENT_IDS,
    names::QUOTE,
    names::RESTATED_IDS,
    names::TITLE,
];

/// The claim properties in the tiles: what a map needs to draw and filter a claim and to find
/// it again (by `id`) in claims.geojson, claims.csv or the GeoPackage.
const TILE_CLAIM_FIELDS: [&str; 15] = [
    names::ADMIN1,
    names::CLAIMANT,
    names::COUNT_HIGH,
    names::COUNT_LOW,
    names::DATE_END,
    names::DATE_PRECISION,
    names::DATE_START,
    names::DOC,
    names::EVENT_ID,
    names::ID,
    names::OUTCOME,
    names::PLACE_NAME,
    names::PRECISION,
    names::QUALIFIER,
    names::VICTIMS,
];

/// Highest zoom of the governorate polygons in the tiles: they are simplified to about 200 m,
/// which zoom 8 already shows; map clients draw them larger from there.
const TILE_AREA_MAX_ZOOM: u8 = 8;

/// The tiler options of `build`: zooms 0 to `max_zoom`, points clustered within 10 pixels
/// below it, clusters summing the place totals (upper bounds stay open when one is).
pub fn build_tile_options(max_zoom: u8) -> crate::tiles::TileOptions {
    use crate::tiles::{AccOp, Accumulate, TileOptions};
    let acc = |field: &str, op| Accumulate {
        field: field.to_string(),
        op,
    };
    TileOptions {
        min_zoom: 0,
        max_zoom,
        cluster_distance: 10.0,
        accumulate: vec![
            acc(names::CLAIMS, AccOp::Sum),
            acc(names::EVENTS, AccOp::Sum),
            acc(names::KILLED_LOW, AccOp::Sum),
            acc(names::KILLED_HIGH, AccOp::Upper),
            acc(names::WOUNDED_LOW, AccOp::Sum),
            acc(names::WOUNDED_HIGH, AccOp::Upper),
            acc(names::KILLED_CIVILIANS_LOW, AccOp::Sum),
            acc(names::KILLED_FOREIGN_FORCES_LOW, AccOp::Sum),
            acc(names::KILLED_JIHADIST_LOW, AccOp::Sum),
            acc(names::KILLED_KURDISH_FORCES_LOW, AccOp::Sum),
            acc(names::KILLED_OPPOSITION_LOW, AccOp::Sum),
            acc(names::KILLED_PRO_GOVERNMENT_LOW, AccOp::Sum),
            acc(names::KILLED_UNKNOWN_LOW, AccOp::Sum),
        ],
        name: "tollmap".into(),
        description: "Casualty claims, place totals and governorate totals".into(),
        attribution:
            "tollmap; places: GeoNames, Who's On First, OCHA (CC BY); boundaries: OCHA (CC BY-IGO)"
                .into(),
        ..TileOptions::default()
    }
}

/// An empty tile layer of `build` for about `features` features: long texts left out, claims
/// with their map fields only, governorates up to their zoom.
pub(super) fn tile_layer(_opts: &TileOptions, name: &str, features: usize) -> Layer {
    let mut layer = Layer::new(name);
    layer.expect(features);
    layer.omit(&TILE_OMITS);
    if name == "claims" {
        layer.keep_only(&TILE_CLAIM_FIELDS);
    }
    if name == "admin1" {
        layer.max_zoom = Some(TILE_AREA_MAX_ZOOM);
    }
    layer
}

/// Adds a feature to a tile layer (no text is parsed back).
pub(super) fn push_tile_feature(layer: &mut Layer, f: &crate::layers::Feature<'_>) {
    use crate::tiles::mvt::ValRef;
    use crate::tiles::source::Shape;
    fn value<'v>(v: &'v crate::layers::Prop<'_>) -> Option<ValRef<'v>> {
        match v {
            crate::layers::Prop::Null => None,
            crate::layers::Prop::Int(i) => Some(ValRef::Int(*i)),
            crate::layers::Prop::Real(x) => Some(ValRef::Float((x * 100.0).round() / 100.0)),
            other => other.as_str().map(ValRef::Str),
        }
    }
    let shape = match f.geom {
        crate::layers::Geom::Point { lon, lat } => Shape::Point { lon, lat },
        crate::layers::Geom::Area(a) => Shape::MultiPolygon(&a.shape),
    };
    // Ids are text ("geonames:170063|2016-08"): MVT ids are integers, so none is kept.
    layer.push(None, shape, f.props.iter().map(|(k, v)| (*k, value(v))));
}

/// Tiles the claims, places and admin1 layers into a staged `tiles.pmtiles`, and with
/// `mbtiles` the same tiles as `tiles.mbtiles`.
pub(super) fn stage_tiles(
    layers: Vec<Layer>,
    opts: &TileOptions,
    mbtiles: bool,
) -> Result<Vec<Staged>, OutputError> {
    use crate::tiles::{archive, make_tiles};
    let ts = make_tiles(layers, opts)?;
    let mut out = Vec::new();
    if mbtiles {
        let tmp = temp_file("tiles.mbtiles")?.into_temp_path();
        archive::write_mbtiles(&ts, &tmp)?;
        out.push(staged_file("tiles.mbtiles", tmp)?);
    }
    let mut tmp = temp_file("tiles.pmtiles")?;
    archive::write_pmtiles_to(&ts, std::io::BufWriter::new(tmp.as_file_mut())).map_err(|e| {
        OutputError::Tiles(crate::tiles::TilesError::Output {
            path: tmp.path().to_path_buf(),
            source: e,
        })
    })?;
    out.push(staged_file("tiles.pmtiles", tmp.into_temp_path())?);
    Ok(out)
}
