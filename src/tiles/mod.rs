//! Vector tiles: points clustered at low zooms with their casualty totals kept, polygons
//! clipped per tile, encoded as MVT and written as PMTiles or MBTiles, the same bytes for the
//! same input whatever the thread count.
//!
//! How a tile set is made, from the highest zoom down:
//! - At `max_zoom` every input point is its own feature (with the input's properties).
//! - At each lower zoom the features of the zoom above are taken in Z-order (which keeps each
//!   tile's features together) and each one joins the current cluster when it lies in the same
//!   tile and within `cluster_distance` pixels (of a 256-pixel tile) of the cluster's first
//!   member; otherwise it starts a new cluster. A cluster sits at the weighted centre of its
//!   points and carries `point_count` and the `--accumulate` fields, combined over all its
//!   points (sum, min, max, count, or `upper`: a sum that is null as soon as one member has no
//!   upper bound). Other properties are left off clusters: no single member speaks for them.
//! - A tile whose gzip size would pass `max_tile_bytes` has its points clustered again, at
//!   twice the distance each time, until it fits: features are merged, never dropped, so the
//!   totals stay whole. A tile that still does not fit (polygons alone) is kept and counted.
//! - Polygons are clipped to each tile plus its buffer and snapped to the 4096 grid.

pub mod archive;
pub mod mvt;
pub(crate) mod source;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;

use crate::util::geodesy::round6;
use mvt::{FeatureOut, TileGeom, ValRef, EXTENT};
use source::{Layer, WORLD};

/// Why tiles could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TilesError {
    /// An input that could not be read or parsed.
    #[error("{}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong (a parse error gives the line and column).
        #[source]
        source: std::io::Error,
    },
    /// The temporary file tiles are spooled to could not be made or written (it lives in
    /// the system's temporary folder, `TMPDIR`, named in the message).
    #[error("the tiles' temporary file in {} (TMPDIR)", dir.display())]
    Spool {
        /// The temporary folder.
        dir: PathBuf,
        /// Why (a full disk, no permission).
        #[source]
        source: std::io::Error,
    },
    /// A tile address outside its zoom.
    #[error("tile {z}/{x}/{y}")]
    Address {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
        /// What the `pmtiles` crate said.
        #[source]
        source: pmtiles::PmtError,
    },
    /// Options that do not fit together.
    #[error("{0}")]
    Options(String),
    /// Polygons that would cover more tiles than a tile set may hold.
    #[error(
        "the polygons cover about {tiles} tiles up to zoom {max_zoom}, over the limit of \
         {MAX_POLYGON_TILES}; use --max-zoom {fits} or lower"
    )]
    TooManyTiles {
        /// The tiles the polygons would cover.
        tiles: u64,
        /// The highest zoom asked for.
        max_zoom: u8,
        /// The highest zoom whose tiles fit the limit.
        fits: u8,
    },
    /// An output that could not be written.
    #[error("writing {}", path.display())]
    Output {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: archive::ArchiveError,
    },
}

/// How clustered features combine a numeric field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccOp {
    /// The sum of the values.
    Sum,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The number of features merged.
    Count,
    /// Sum of upper bounds: null (unbounded) when any member lacks the field.
    Upper,
}

/// `FIELD:OP`, as `--accumulate` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accumulate {
    /// The property summed.
    pub field: String,
    /// How the values are merged.
    pub op: AccOp,
}

/// An `--accumulate` value that is not `FIELD:OP`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AccumulateError(String);

impl FromStr for Accumulate {
    type Err = AccumulateError;
    fn from_str(s: &str) -> Result<Self, AccumulateError> {
        let (field, op) = s.rsplit_once(':').ok_or_else(|| {
            AccumulateError(format!(
                "{s:?}: expected FIELD:OP (OP is sum, min, max, count or upper)"
            ))
        })?;
        let op = match op {
            "sum" => AccOp::Sum,
            "min" => AccOp::Min,
            "max" => AccOp::Max,
            "count" => AccOp::Count,
            "upper" => AccOp::Upper,
            other => {
                return Err(AccumulateError(format!(
                    "{s:?}: unknown operation {other:?} (sum, min, max, count or upper)"
                )))
            }
        };
        if field.is_empty() {
            return Err(AccumulateError(format!("{s:?}: empty field name")));
        }
        Ok(Accumulate {
            field: field.to_string(),
            op,
        })
    }
}

/// What the tiler does.
#[derive(Debug, Clone)]
pub struct TileOptions {
    /// Lowest zoom made.
    pub min_zoom: u8,
    /// Highest zoom made.
    pub max_zoom: u8,
    /// Pixels of a 256-pixel tile; 0 clusters only to keep tiles under the size cap.
    pub cluster_distance: f64,
    /// Pixels of a 256-pixel tile drawn around each tile.
    pub buffer: f64,
    /// Largest tile in bytes: a tile over it is made again with points merged further.
    pub max_tile_bytes: usize,
    /// The properties merged when points are clustered, and how.
    pub accumulate: Vec<Accumulate>,
    /// The archive's name in its metadata.
    pub name: String,
    /// The archive's description in its metadata.
    pub description: String,
    /// The attribution shown by viewers.
    pub attribution: String,
    /// Only these properties go into the tiles of `tile_files` (empty: every one).
    pub include: Vec<String>,
    /// These properties are left out of the tiles of `tile_files` (tippecanoe's `-x`).
    pub exclude: Vec<String>,
}

impl Default for TileOptions {
    fn default() -> Self {
        TileOptions {
            min_zoom: 0,
            max_zoom: 14,
            cluster_distance: 0.0,
            buffer: 5.0,
            max_tile_bytes: 500_000,
            accumulate: Vec::new(),
            name: "tollmap".into(),
            description: String::new(),
            attribution: String::new(),
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

/// A finished tile set: gzip-compressed tiles spooled to a temporary file, indexed in
/// PMTiles tile-id order, and their metadata.
pub struct Tileset {
    spool: std::fs::File,
    /// (tile id, z, x, y, offset in the spool, length), sorted by tile id.
    index: Vec<(u64, u8, u32, u32, u64, u32)>,
    /// Lowest zoom made.
    pub min_zoom: u8,
    /// Highest zoom made.
    pub max_zoom: u8,
    /// West, south, east, north.
    pub bounds: [f64; 4],
    /// Longitude, latitude, zoom.
    pub center: (f64, f64, u8),
    /// The TileJSON-style metadata (vector_layers, attribution ...), keys sorted; zooms,
    /// bounds and center are in the PMTiles header and the MBTiles rows.
    pub metadata: serde_json::Value,
    /// What was made: tiles, features, sizes.
    pub stats: TileStats,
}

impl Tileset {
    /// Every tile, in tile-id order: (z, x, y, gzip bytes).
    pub fn tiles(&self) -> impl Iterator<Item = std::io::Result<(u8, u32, u32, Vec<u8>)>> + '_ {
        use std::os::unix::fs::FileExt;
        self.index.iter().map(|&(_, z, x, y, off, len)| {
            let mut buf = vec![0u8; len as usize];
            self.spool.read_exact_at(&mut buf, off)?;
            Ok((z, x, y, buf))
        })
    }
}

/// Counts for the run summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct TileStats {
    /// Tiles made.
    pub tiles: usize,
    /// Tiles clustered harder to fit under the size cap.
    pub reclustered: usize,
    /// Tiles left over the cap (nothing more could be merged).
    pub over_cap: usize,
}

/// One accumulated field of a (possible) cluster: 16 bytes.
#[derive(Clone, Copy, Debug)]
struct Acc {
    v: f64,
    /// Members that had the field.
    n: u32,
    /// Bit 0: some member had it; bit 1: some member lacked it (for `upper`, unbounded);
    /// bit 2: some value was not an integer.
    flags: u8,
}

const HAS: u8 = 1;
const OPEN: u8 = 2;
const FLOAT: u8 = 4;

impl Acc {
    fn of(v: Option<ValRef<'_>>) -> Acc {
        match v {
            Some(ValRef::Int(i)) => Acc {
                v: i as f64,
                n: 1,
                flags: HAS,
            },
            Some(ValRef::Float(f)) => Acc {
                v: f,
                n: 1,
                flags: HAS | FLOAT,
            },
            _ => Acc {
                v: 0.0,
                n: 0,
                flags: OPEN,
            },
        }
    }

    fn merge(&mut self, o: &Acc, op: AccOp) {
        if o.flags & HAS != 0 {
            self.v = if self.flags & HAS == 0 {
                o.v
            } else {
                match op {
                    AccOp::Min => self.v.min(o.v),
                    AccOp::Max => self.v.max(o.v),
                    AccOp::Sum | AccOp::Upper | AccOp::Count => self.v + o.v,
                }
            };
        }
        self.n += o.n;
        self.flags |= o.flags;
    }

    fn val(&self, op: AccOp) -> Option<ValRef<'static>> {
        match op {
            AccOp::Count => Some(ValRef::Int(i64::from(self.n))),
            AccOp::Upper if self.flags & OPEN != 0 => None,
            _ if self.flags & HAS == 0 => None,
            _ if self.flags & FLOAT == 0 && self.v.abs() < 9.0e15 => {
                Some(ValRef::Int(self.v as i64))
            }
            _ => Some(ValRef::Float(self.v)),
        }
    }
}

use source::PointRef as Item;

/// Items of one layer at one zoom, with `n_acc` accumulators each, grouped by tile at every
/// zoom (Z-order at the highest zoom; clustering keeps the grouping).
struct Level {
    items: Vec<Item>,
    accs: Vec<Acc>,
}

/// One layer prepared for tiling.
struct Prepared {
    layer: Layer,
    /// (key index in the layer, field, op) per accumulate option the layer can fill (its
    /// field is one of the layer's, or the op is `count`): its items' accumulators, in order.
    acc_keys: Vec<(Option<u32>, String, AccOp)>,
    /// The ops of `acc_keys`.
    ops: Vec<AccOp>,
}

fn morton(x: u32, y: u32) -> u64 {
    fn spread(v: u32) -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        v = (v | (v << 1)) & 0x5555_5555_5555_5555;
        v
    }
    spread(x) | (spread(y) << 1)
}

/// World units per pixel (of a 256-pixel tile) at zoom `z`.
fn unit(z: u8) -> f64 {
    WORLD / 256.0 / f64::from(1u32 << z)
}

fn tile_key(x: u32, y: u32, z: u8) -> u64 {
    let shift = 32 - u32::from(z);
    ((u64::from(x) >> shift) << 32) | (u64::from(y) >> shift)
}

/// Clusters a level in place at zoom `z` with a distance in world units: each item joins the
/// current cluster when it is in the same tile and within `dist` of the cluster's first
/// member. The output never runs ahead of the input, so one buffer serves both.
fn cluster(lv: &mut Level, n_acc: usize, ops: &[AccOp], z: u8, dist: f64) {
    let d2 = dist * dist;
    let mut out = 0usize;
    let mut anchor = (0u32, 0u32);
    let (mut sx, mut sy) = (0u128, 0u128);
    for i in 0..lv.items.len() {
        let it = lv.items[i];
        let joins = out > 0 && {
            let dx = f64::from(it.x) - f64::from(anchor.0);
            let dy = f64::from(it.y) - f64::from(anchor.1);
            tile_key(anchor.0, anchor.1, z) == tile_key(it.x, it.y, z) && dx * dx + dy * dy <= d2
        };
        if joins {
            let c = out - 1;
            for (k, op) in ops.iter().enumerate() {
                let other = lv.accs[i * n_acc + k];
                lv.accs[c * n_acc + k].merge(&other, *op);
            }
            sx += u128::from(it.x) * u128::from(it.points);
            sy += u128::from(it.y) * u128::from(it.points);
            let cl = &mut lv.items[c];
            cl.points += it.points;
            cl.x = (sx / u128::from(cl.points)) as u32;
            cl.y = (sy / u128::from(cl.points)) as u32;
        } else {
            anchor = (it.x, it.y);
            sx = u128::from(it.x) * u128::from(it.points);
            sy = u128::from(it.y) * u128::from(it.points);
            lv.items[out] = it;
            lv.accs.copy_within(i * n_acc..(i + 1) * n_acc, out * n_acc);
            out += 1;
        }
    }
    lv.items.truncate(out);
    lv.accs.truncate(out * n_acc);
}

/// The neighbouring tiles (not its own) whose buffer holds a point at zoom `z`.
fn buffer_tiles(x: u32, y: u32, z: u8, buffer: f64) -> impl Iterator<Item = (u32, u32)> {
    let shift = 32 - u32::from(z);
    let max = (1u64 << z) - 1;
    let b = buffer as u64;
    let lo = |v: u32| ((u64::from(v).saturating_sub(b)) >> shift) as u32;
    let hi = |v: u32| ((u64::from(v) + b).min((1u64 << 32) - 1) >> shift).min(max) as u32;
    let (x0, x1, y0, y1) = (lo(x), hi(x), lo(y), hi(y));
    let own = (
        (u64::from(x) >> shift) as u32,
        (u64::from(y) >> shift) as u32,
    );
    (x0..=x1)
        .flat_map(move |tx| (y0..=y1).map(move |ty| (tx, ty)))
        .filter(move |t| *t != own)
}

/// Where one zoom's tiles find their content, per layer: runs of items (a tile's own),
/// buffer copies from neighbours, and polygons.
struct ZoomIndex {
    /// (tile key, layer, start, end) of each tile's own items.
    runs: Vec<(u64, u32, u32, u32)>,
    /// (tile key, layer, item) copies from neighbours.
    extras: Vec<(u64, u32, u32)>,
    /// (tile key, layer, polygon).
    polygons: Vec<(u64, u32, u32)>,
}

fn index_zoom(
    prepared: &[Prepared],
    levels: &[Level],
    z: u8,
    opts: &TileOptions,
) -> (Vec<u64>, ZoomIndex) {
    let buffer = opts.buffer * unit(z);
    let mut ix = ZoomIndex {
        runs: Vec::new(),
        extras: Vec::new(),
        polygons: Vec::new(),
    };
    for (l, lv) in levels.iter().enumerate() {
        if prepared[l].layer.max_zoom.is_some_and(|m| z > m) {
            continue;
        }
        let mut start = 0usize;
        while start < lv.items.len() {
            let key = tile_key(lv.items[start].x, lv.items[start].y, z);
            let mut end = start + 1;
            while end < lv.items.len() && tile_key(lv.items[end].x, lv.items[end].y, z) == key {
                end += 1;
            }
            ix.runs.push((key, l as u32, start as u32, end as u32));
            start = end;
        }
        for (i, it) in lv.items.iter().enumerate() {
            for (tx, ty) in buffer_tiles(it.x, it.y, z, buffer) {
                ix.extras
                    .push(((u64::from(tx) << 32) | u64::from(ty), l as u32, i as u32));
            }
        }
        let size = WORLD / f64::from(1u32 << z);
        let max = f64::from((1u32 << z) - 1);
        let t = |v: f64| (v / size).floor().clamp(0.0, max) as u32;
        for (i, poly) in prepared[l].layer.polygons.iter().enumerate() {
            let [x0, y0, x1, y1] = poly.bbox;
            for tx in t(x0 - buffer)..=t(x1 + buffer) {
                for ty in t(y0 - buffer)..=t(y1 + buffer) {
                    ix.polygons
                        .push(((u64::from(tx) << 32) | u64::from(ty), l as u32, i as u32));
                }
            }
        }
    }
    ix.runs.sort_unstable();
    ix.extras.sort_unstable();
    ix.polygons.sort_unstable();
    let mut keys: Vec<u64> = ix
        .runs
        .iter()
        .map(|r| r.0)
        .chain(ix.extras.iter().map(|e| e.0))
        .chain(ix.polygons.iter().map(|p| p.0))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    (keys, ix)
}

/// The entries of a sorted list whose first field is `key`.
fn with_key<T>(list: &[T], key: u64, of: impl Fn(&T) -> u64) -> &[T] {
    let lo = list.partition_point(|e| of(e) < key);
    let hi = list.partition_point(|e| of(e) <= key);
    &list[lo..hi]
}

/// The most tiles the polygons of a tile set may cover, over all zooms (a world-sized polygon
/// covers 4^z tiles at zoom z: 1.4 million at zoom 10, 268 million at 14). Checked before any
/// tile is made, so such a request fails at once instead of growing without bound.
pub const MAX_POLYGON_TILES: u64 = 4_000_000;

/// The tiles the layers' polygons cover at each zoom from `min_zoom` to `max_zoom` (with the
/// buffer), counted from their bounding boxes.
fn polygon_tiles(layers: &[Layer], opts: &TileOptions) -> Vec<u64> {
    (opts.min_zoom..=opts.max_zoom)
        .map(|z| {
            let buffer = opts.buffer * unit(z);
            let size = WORLD / f64::from(1u32 << z);
            let max = f64::from((1u32 << z) - 1);
            let t = |v: f64| (v / size).floor().clamp(0.0, max) as u64;
            layers
                .iter()
                .filter(|l| l.max_zoom.is_none_or(|m| z <= m))
                .flat_map(|l| &l.polygons)
                .map(|p| {
                    let [x0, y0, x1, y1] = p.bbox;
                    (t(x1 + buffer) - t(x0 - buffer) + 1) * (t(y1 + buffer) - t(y0 - buffer) + 1)
                })
                .fold(0u64, u64::saturating_add)
        })
        .collect()
}

/// Refuses a tile set whose polygons would cover more than `MAX_POLYGON_TILES` tiles, naming
/// the highest zoom that fits.
fn check_polygon_tiles(layers: &[Layer], opts: &TileOptions) -> Result<(), TilesError> {
    let per_zoom = polygon_tiles(layers, opts);
    let total = per_zoom.iter().fold(0u64, |a, &b| a.saturating_add(b));
    if total <= MAX_POLYGON_TILES {
        return Ok(());
    }
    let mut sum = 0u64;
    let fits = per_zoom
        .iter()
        .take_while(|&&n| {
            sum = sum.saturating_add(n);
            sum <= MAX_POLYGON_TILES
        })
        .count();
    Err(TilesError::TooManyTiles {
        tiles: total,
        max_zoom: opts.max_zoom,
        fits: (opts.min_zoom + fits as u8).saturating_sub(1),
    })
}

/// Tiles encoded per batch: bounds the memory held by finished tiles before they are spooled.
const BATCH: usize = 2048;

/// Makes the tile set of `layers`, spooling the tiles to a temporary file.
pub fn make_tiles(layers: Vec<Layer>, opts: &TileOptions) -> Result<Tileset, TilesError> {
    if opts.min_zoom > opts.max_zoom || opts.max_zoom > 20 {
        return Err(TilesError::Options(format!(
            "zooms {}..{}: need min-zoom <= max-zoom <= 20",
            opts.min_zoom, opts.max_zoom
        )));
    }
    if !(opts.cluster_distance >= 0.0 && opts.buffer >= 0.0 && opts.buffer <= 256.0) {
        return Err(TilesError::Options(
            "--cluster-distance must be >= 0 and --buffer between 0 and 256".into(),
        ));
    }
    check_polygon_tiles(&layers, opts)?;
    let bounds = layers
        .iter()
        .filter_map(|l| l.bounds)
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    // The highest zoom's level: every point, in Z-order; the layer gives its points up.
    let mut levels = Vec::with_capacity(layers.len());
    let mut prepared = Vec::with_capacity(layers.len());
    for mut layer in layers {
        let acc_keys: Vec<(Option<u32>, String, AccOp)> = opts
            .accumulate
            .iter()
            .map(|a| (layer.key_id(&a.field), a.field.clone(), a.op))
            .filter(|(key, _, op)| key.is_some() || *op == AccOp::Count)
            .collect();
        let ops: Vec<AccOp> = acc_keys.iter().map(|a| a.2).collect();
        let n_acc = ops.len();
        let mut items: Vec<Item> = std::mem::take(&mut layer.points);
        items.sort_unstable_by_key(|it| (morton(it.x, it.y), it.feature));
        // Each feature's properties are read once for all its accumulators.
        let mut accs = Vec::with_capacity(items.len() * n_acc);
        let mut found: Vec<Option<ValRef<'_>>> = vec![None; n_acc];
        for it in &items {
            found.iter_mut().for_each(|f| *f = None);
            if n_acc > 0 {
                for (k, v) in layer.props(it.feature) {
                    for (slot, (key, _, _)) in found.iter_mut().zip(&acc_keys) {
                        if *key == Some(k) {
                            *slot = Some(v);
                        }
                    }
                }
            }
            accs.extend(found.iter().map(|v| Acc::of(*v)));
        }
        levels.push(Level { items, accs });
        prepared.push(Prepared {
            layer,
            acc_keys,
            ops,
        });
    }
    let spool_error = |source| TilesError::Spool {
        dir: std::env::temp_dir(),
        source,
    };
    let mut spool = tempfile::tempfile().map_err(spool_error)?;
    let mut spooled: u64 = 0;
    let mut index = Vec::new();
    let mut stats = TileStats::default();
    let mut clustered = vec![false; prepared.len()];
    for z in (opts.min_zoom..=opts.max_zoom).rev() {
        if z < opts.max_zoom && opts.cluster_distance > 0.0 {
            for (lv, p) in levels.iter_mut().zip(&prepared) {
                cluster(lv, p.ops.len(), &p.ops, z, opts.cluster_distance * unit(z));
            }
        }
        for (l, lv) in levels.iter().enumerate() {
            clustered[l] |= lv.items.iter().any(|it| it.points > 1);
        }
        let (keys, ix) = index_zoom(&prepared, &levels, z, opts);
        for batch in keys.chunks(BATCH) {
            let made: Vec<Option<EncodedTile>> = batch
                .par_iter()
                .map(|&key| encode_tile(&prepared, &levels, &ix, key, z, opts))
                .collect::<Result<_, _>>()?;
            for t in made.into_iter().flatten() {
                spool.write_all(&t.bytes).map_err(spool_error)?;
                index.push((t.id, z, t.x, t.y, spooled, t.bytes.len() as u32));
                spooled += t.bytes.len() as u64;
                stats.tiles += 1;
                stats.reclustered += usize::from(t.reclustered);
                stats.over_cap += usize::from(t.over_cap);
            }
        }
    }
    index.sort_unstable_by_key(|t| t.0);
    let span = (bounds[2] - bounds[0]).max(bounds[3] - bounds[1]).max(1e-9);
    let fit = (360.0 / span).log2().floor().clamp(0.0, 20.0) as u8;
    let center = (
        round6((bounds[0] + bounds[2]) / 2.0),
        round6((bounds[1] + bounds[3]) / 2.0),
        fit.clamp(opts.min_zoom, opts.max_zoom),
    );
    let metadata = metadata(&prepared, &clustered, opts);
    Ok(Tileset {
        spool,
        index,
        min_zoom: opts.min_zoom,
        max_zoom: opts.max_zoom,
        bounds: bounds.map(round6),
        center,
        metadata,
        stats,
    })
}

/// The archive formats, by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// A PMTiles v3 archive (`.pmtiles`).
    PmTiles,
    /// An MBTiles SQLite file (`.mbtiles`).
    MbTiles,
}

impl Archive {
    /// The archive kind of an output path, by its extension.
    pub fn of(path: &Path) -> Result<Archive, TilesError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pmtiles") => Ok(Archive::PmTiles),
            Some("mbtiles") => Ok(Archive::MbTiles),
            _ => Err(TilesError::Options(format!(
                "{}: the output must end in .pmtiles or .mbtiles",
                path.display()
            ))),
        }
    }
}

/// What one layer held.
#[derive(Debug, Clone)]
pub struct LayerSummary {
    /// The layer name.
    pub name: String,
    /// Point features read.
    pub points: usize,
    /// Polygon features read.
    pub polygons: usize,
    /// Features skipped (no geometry, or a geometry that is not a point or a polygon).
    pub skipped: u64,
}

/// Tiles one layer read from GeoJSON bytes the caller holds, in memory (no archive is
/// written): `tile_files` of one file, for a library caller.
pub fn tiles_of_geojson(
    name: &str,
    bytes: &[u8],
    opts: &TileOptions,
) -> Result<Tileset, TilesError> {
    let mut layer = Layer::new(name);
    source::read_from(bytes, &mut layer).map_err(|e| TilesError::Input {
        path: PathBuf::from(name),
        source: e.into(),
    })?;
    make_tiles(vec![layer], opts)
}

/// Reads GeoJSON files (one layer each, or all into `layer`), tiles them and writes `out`
/// atomically.
pub fn tile_files(
    inputs: &[PathBuf],
    layer: Option<&str>,
    out: &Path,
    opts: &TileOptions,
) -> Result<(Vec<LayerSummary>, TileStats), TilesError> {
    let archive = Archive::of(out)?;
    let mut layers: Vec<Layer> = Vec::new();
    let new_layer = |name: &str| {
        let mut l = Layer::new(name);
        if !opts.include.is_empty() {
            l.keep_only(&opts.include.iter().map(String::as_str).collect::<Vec<_>>());
        }
        if !opts.exclude.is_empty() {
            l.omit(&opts.exclude.iter().map(String::as_str).collect::<Vec<_>>());
        }
        l
    };
    for input in inputs {
        let name = match layer {
            Some(n) => n.to_string(),
            None => input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "layer".into()),
        };
        let at = match layers.iter().position(|l| l.name == name) {
            Some(i) => i,
            None => {
                layers.push(new_layer(&name));
                layers.len() - 1
            }
        };
        source::read_into(input, &mut layers[at])?;
    }
    let summary = layers
        .iter()
        .map(|l| LayerSummary {
            name: l.name.clone(),
            points: l.points.len(),
            polygons: l.polygons.len(),
            skipped: l.skipped,
        })
        .collect();
    let ts = make_tiles(layers, opts)?;
    match archive {
        Archive::PmTiles => archive::write_pmtiles(&ts, out)?,
        Archive::MbTiles => archive::write_mbtiles(&ts, out)?,
    }
    Ok((summary, ts.stats))
}

fn metadata(prepared: &[Prepared], clustered: &[bool], opts: &TileOptions) -> serde_json::Value {
    let vector_layers: Vec<serde_json::Value> = prepared
        .iter()
        .enumerate()
        .map(|(l, p)| {
            let layer = &p.layer;
            let mut fields = serde_json::Map::new();
            for (k, name) in layer.keys.iter().enumerate() {
                let t = match layer.key_types[k] {
                    1 => "Number",
                    2 => "String",
                    4 => "Boolean",
                    _ => "Mixed",
                };
                fields.insert(name.clone(), t.into());
            }
            if clustered[l] {
                fields.insert("point_count".into(), "Number".into());
                for (key, field, op) in &p.acc_keys {
                    if key.is_some() || *op == AccOp::Count {
                        fields.insert(field.clone(), "Number".into());
                    }
                }
            }
            serde_json::json!({
                "id": layer.name,
                "description": "",
                "minzoom": opts.min_zoom,
                "maxzoom": layer.max_zoom.map_or(opts.max_zoom, |m| m.clamp(opts.min_zoom, opts.max_zoom)),
                "fields": fields,
            })
        })
        .collect();
    serde_json::json!({
        "name": opts.name,
        "description": opts.description,
        "attribution": opts.attribution,
        "format": "pbf",
        "type": "overlay",
        "version": "2",
        "generator": concat!("tollmap ", env!("CARGO_PKG_VERSION")),
        "vector_layers": vector_layers,
    })
}

/// Tile coordinates of a world point in tile (z, tx, ty).
fn to_tile(x: f64, y: f64, z: u8, tx: u32, ty: u32) -> (i32, i32) {
    let size = WORLD / f64::from(1u32 << z);
    let f = |v: f64, t: u32| ((v - f64::from(t) * size) / size * f64::from(EXTENT)).round() as i32;
    (f(x, tx), f(y, ty))
}

/// Tile coordinates of a point, rounded down: a point is inside exactly one tile's 0..4096.
fn point_in_tile(x: u32, y: u32, z: u8, tx: u32, ty: u32) -> (i32, i32) {
    let shift = 32 - u32::from(z);
    let f = |v: u32, t: u32| ((i64::from(v) - (i64::from(t) << shift)) >> (shift - 12)) as i32;
    (f(x, tx), f(y, ty))
}

/// One encoded tile.
struct EncodedTile {
    id: u64,
    x: u32,
    y: u32,
    bytes: Vec<u8>,
    reclustered: bool,
    over_cap: bool,
}

type Rings = Vec<Vec<(i32, i32)>>;

fn encode_tile(
    prepared: &[Prepared],
    levels: &[Level],
    ix: &ZoomIndex,
    key: u64,
    z: u8,
    opts: &TileOptions,
) -> Result<Option<EncodedTile>, TilesError> {
    let (tx, ty) = ((key >> 32) as u32, key as u32);
    let coord = pmtiles::TileCoord::new(z, tx, ty).map_err(|source| TilesError::Address {
        z,
        x: tx,
        y: ty,
        source,
    })?;
    let id = pmtiles::TileId::from(coord).value();
    let runs = with_key(&ix.runs, key, |r| r.0);
    let extras = with_key(&ix.extras, key, |e| e.0);
    let poly_entries = with_key(&ix.polygons, key, |p| p.0);
    // Per layer: this tile's items (its own run, then neighbours' buffer copies) and its
    // clipped polygons.
    let mut local: Vec<Level> = Vec::with_capacity(prepared.len());
    let mut polys: Vec<Vec<(u32, Rings)>> = Vec::with_capacity(prepared.len());
    for (l, p) in prepared.iter().enumerate() {
        let lv = &levels[l];
        let n_acc = p.ops.len();
        let mut mine = Level {
            items: Vec::new(),
            accs: Vec::new(),
        };
        for &(_, _, start, end) in runs.iter().filter(|r| r.1 as usize == l) {
            let (start, end) = (start as usize, end as usize);
            mine.items.extend_from_slice(&lv.items[start..end]);
            mine.accs
                .extend_from_slice(&lv.accs[start * n_acc..end * n_acc]);
        }
        for &(_, _, i) in extras.iter().filter(|e| e.1 as usize == l) {
            let i = i as usize;
            mine.items.push(lv.items[i]);
            mine.accs
                .extend_from_slice(&lv.accs[i * n_acc..(i + 1) * n_acc]);
        }
        let mut pl = Vec::new();
        for &(_, _, i) in poly_entries.iter().filter(|e| e.1 as usize == l) {
            let poly = &p.layer.polygons[i as usize];
            if let Some(rings) = clip_polygon(&poly.rings, z, tx, ty, opts.buffer) {
                pl.push((poly.feature, rings));
            }
        }
        local.push(mine);
        polys.push(pl);
    }
    if local.iter().all(|lv| lv.items.is_empty()) && polys.iter().all(Vec::is_empty) {
        return Ok(None);
    }
    let mut dist = opts.cluster_distance.max(1.0) * unit(z);
    let mut reclustered = false;
    loop {
        let raw = encode_layers(prepared, &local, &polys, z, tx, ty);
        let bytes = gzip(&raw);
        let fits = bytes.len() <= opts.max_tile_bytes;
        let can_merge = local.iter().any(|lv| lv.items.len() > 1) && dist < WORLD;
        if fits || !can_merge {
            return Ok(Some(EncodedTile {
                id,
                x: tx,
                y: ty,
                bytes,
                reclustered,
                over_cap: !fits,
            }));
        }
        // Too big: cluster this tile's points harder; merged, never dropped.
        dist *= 2.0;
        reclustered = true;
        for (lv, p) in local.iter_mut().zip(prepared) {
            cluster(lv, p.ops.len(), &p.ops, z, dist);
        }
    }
}

fn encode_layers(
    prepared: &[Prepared],
    local: &[Level],
    polys: &[Vec<(u32, Rings)>],
    z: u8,
    tx: u32,
    ty: u32,
) -> Vec<u8> {
    let mut tile = Vec::new();
    for (l, p) in prepared.iter().enumerate() {
        let n_acc = p.ops.len();
        let lv = &local[l];
        let keys = &p.layer.keys;
        let mut features = Vec::with_capacity(lv.items.len() + polys[l].len());
        for (i, it) in lv.items.iter().enumerate() {
            let (x, y) = point_in_tile(it.x, it.y, z, tx, ty);
            if it.points > 1 {
                let mut props: Vec<(&str, ValRef)> = Vec::with_capacity(n_acc + 1);
                for (k, (key, field, op)) in p.acc_keys.iter().enumerate() {
                    if key.is_none() && *op != AccOp::Count {
                        continue;
                    }
                    if let Some(val) = lv.accs[i * n_acc + k].val(*op) {
                        props.push((field.as_str(), val));
                    }
                }
                props.push(("point_count", ValRef::Int(i64::from(it.points))));
                props.sort_by(|a, b| a.0.cmp(b.0));
                props.dedup_by(|a, b| a.0 == b.0);
                features.push(FeatureOut {
                    id: None,
                    geom: TileGeom::Point(x, y),
                    props,
                });
            } else {
                features.push(FeatureOut {
                    id: p.layer.id(it.feature),
                    geom: TileGeom::Point(x, y),
                    props: p
                        .layer
                        .props(it.feature)
                        .map(|(k, v)| (keys[k as usize].as_str(), v))
                        .collect(),
                });
            }
        }
        for (feature, rings) in &polys[l] {
            features.push(FeatureOut {
                id: p.layer.id(*feature),
                geom: TileGeom::Polygon(rings.clone()),
                props: p
                    .layer
                    .props(*feature)
                    .map(|(k, v)| (keys[k as usize].as_str(), v))
                    .collect(),
            });
        }
        if !features.is_empty() {
            mvt::encode_layer(&mut tile, &p.layer.name, &features);
        }
    }
    tile
}

fn gzip(raw: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new().write(
        Vec::with_capacity(raw.len() / 3 + 64),
        flate2::Compression::new(1),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(raw);
    enc.finish().unwrap_or_default()
}

/// Clips a polygon (world coordinates) to tile (z, tx, ty) plus its buffer, in tile
/// coordinates; None when nothing of the exterior is left.
fn clip_polygon(
    rings: &[Vec<(f64, f64)>],
    z: u8,
    tx: u32,
    ty: u32,
    buffer_px: f64,
) -> Option<Vec<Vec<(i32, i32)>>> {
    let size = WORLD / f64::from(1u32 << z);
    let b = buffer_px / 256.0 * size;
    let (x0, y0) = (f64::from(tx) * size - b, f64::from(ty) * size - b);
    let (x1, y1) = (f64::from(tx + 1) * size + b, f64::from(ty + 1) * size + b);
    let mut out = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let mut pts = ring.clone();
        for edge in 0..4 {
            pts = clip_edge(&pts, edge, x0, y0, x1, y1);
            if pts.is_empty() {
                break;
            }
        }
        let mut q: Vec<(i32, i32)> = Vec::with_capacity(pts.len());
        for (x, y) in pts {
            let p = to_tile(x, y, z, tx, ty);
            if q.last() != Some(&p) {
                q.push(p);
            }
        }
        while q.len() > 1 && q.first() == q.last() {
            q.pop();
        }
        let area = ring_area(&q);
        if q.len() < 3 || area == 0 {
            if r == 0 {
                return None;
            }
            continue;
        }
        // Exterior positive (clockwise on screen), holes negative.
        if (r == 0) != (area > 0) {
            q.reverse();
        }
        out.push(q);
    }
    Some(out)
}

fn ring_area(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

/// One Sutherland–Hodgman pass: edge 0 left, 1 right, 2 top, 3 bottom.
fn clip_edge(pts: &[(f64, f64)], edge: u8, x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
    let inside = |p: (f64, f64)| match edge {
        0 => p.0 >= x0,
        1 => p.0 <= x1,
        2 => p.1 >= y0,
        _ => p.1 <= y1,
    };
    let cross = |a: (f64, f64), b: (f64, f64)| {
        let t = match edge {
            0 => (x0 - a.0) / (b.0 - a.0),
            1 => (x1 - a.0) / (b.0 - a.0),
            2 => (y0 - a.1) / (b.1 - a.1),
            _ => (y1 - a.1) / (b.1 - a.1),
        };
        (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    };
    let mut out = Vec::with_capacity(pts.len() + 4);
    for i in 0..pts.len() {
        let cur = pts[i];
        let prev = pts[(i + pts.len() - 1) % pts.len()];
        match (inside(prev), inside(cur)) {
            (true, true) => out.push(cur),
            (true, false) => out.push(cross(prev, cur)),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (false, false) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulate_options_parse() {
        let a: Accumulate = "killed_low:sum".parse().expect("parses");
        assert_eq!(a.op, AccOp::Sum);
        assert_eq!(
            "a:b:max".parse::<Accumulate>().expect("parses").field,
            "a:b"
        );
        for bad in ["killed", "killed:avg", ":sum"] {
            assert!(bad.parse::<Accumulate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn accumulators_combine_ranges_honestly() {
        let (a, b, none) = (
            Acc::of(Some(ValRef::Int(3))),
            Acc::of(Some(ValRef::Float(1.5))),
            Acc::of(None),
        );
        let mut s = a;
        s.merge(&b, AccOp::Sum);
        s.merge(&none, AccOp::Sum);
        assert_eq!(s.val(AccOp::Sum), Some(ValRef::Float(4.5)));
        assert_eq!(s.val(AccOp::Count), Some(ValRef::Int(2)));
        assert_eq!(s.val(AccOp::Upper), None, "one unbounded member: unbounded");
        let mut m = a;
        m.merge(&b, AccOp::Min);
        assert_eq!(m.val(AccOp::Min), Some(ValRef::Float(1.5)));
        let mut i = a;
        i.merge(&a, AccOp::Sum);
        assert_eq!(
            i.val(AccOp::Sum),
            Some(ValRef::Int(6)),
            "integers stay integers"
        );
    }

    #[test]
    fn clipping_keeps_the_inside_and_orients_rings() {
        // A square over the whole world, clipped to tile 1/0/0: the tile plus its buffer.
        let w = WORLD;
        let ring = vec![(0.0, 0.0), (0.0, w), (w, w), (w, 0.0)];
        let out = clip_polygon(&[ring], 1, 0, 0, 0.0).expect("inside");
        assert_eq!(out.len(), 1);
        assert!(ring_area(&out[0]) > 0);
        let xs: Vec<i32> = out[0].iter().map(|p| p.0).collect();
        assert_eq!((xs.iter().min(), xs.iter().max()), (Some(&0), Some(&4096)));
        // A polygon elsewhere leaves nothing.
        let far = vec![
            (0.9 * w, 0.9 * w),
            (0.95 * w, 0.9 * w),
            (0.95 * w, 0.95 * w),
        ];
        assert!(clip_polygon(&[far], 1, 0, 0, 0.0).is_none());
    }
}
