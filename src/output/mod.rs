//! The output folder of `tollmap build`: every file made in memory first, then each written atomically.

pub mod atomic;
pub mod csv;
pub mod geojson;
pub mod gpkg;
pub mod web;

use crate::hash::FnvHashMap as HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::aggregate::{self, EventRules, Granularity};
use crate::gazetteer::Gazetteer;
use crate::ingest::InputFile;
use crate::model::{Claim, Document, PlaceRole, Scope};

/// What can go wrong writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder that could not be written.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The GeoPackage could not be made.
    #[error(transparent)]
    Gpkg(#[from] gpkg::GpkgError),
    /// The vector tiles could not be made.
    #[error(transparent)]
    Tiles(#[from] crate::tiles::TilesError),
}

/// An output file made in a temporary file (removed if never written), with its size and
/// content hash.
#[derive(Debug)]
pub struct Staged {
    /// The file name in the output folder.
    pub name: String,
    pub path: tempfile::TempPath,
    pub bytes: u64,
    pub sha256: String,
}

/// A temporary file hashed as it is written (behind a buffer: it sees large writes).
struct HashingFile {
    out: tempfile::NamedTempFile,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl std::io::Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        self.out.write_all(buf)?;
        self.hasher.update(buf);
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn temp_file(name: &str) -> Result<tempfile::NamedTempFile, OutputError> {
    let prefix = format!("tollmap-{name}-");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix);
    // Readable by all, as a file made with File::create would be (tempfile's default is 0600).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o644));
    }
    b.tempfile().map_err(|cause| OutputError::Io {
        path: std::env::temp_dir(),
        cause,
    })
}

/// Makes one output file: `fill` writes its bytes.
fn stage(
    name: &str,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Staged, OutputError> {
    use sha2::Digest;
    let tmp = temp_file(name)?;
    let io = |cause| OutputError::Io {
        path: PathBuf::from(name),
        cause,
    };
    let mut f = std::io::BufWriter::with_capacity(
        1 << 20,
        HashingFile {
            out: tmp,
            hasher: sha2::Sha256::new(),
            bytes: 0,
        },
    );
    fill(&mut f).map_err(io)?;
    let HashingFile { out, hasher, bytes } = f.into_inner().map_err(|e| io(e.into_error()))?;
    Ok(Staged {
        name: name.to_string(),
        path: out.into_temp_path(),
        bytes,
        sha256: crate::hash::hex(&hasher.finalize()),
    })
}

/// The files of a build, made but not yet written.
#[derive(Debug)]
pub struct BuildFiles {
    /// Every file, in the order they are written (manifest last).
    pub files: Vec<Staged>,
    /// Counts for the run's summary.
    pub counts: Counts,
}

/// What a build counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: usize,
    pub claims: usize,
    pub event_claims: usize,
    pub cumulative_claims: usize,
    pub claims_on_map: usize,
    pub events: usize,
    pub place_periods: usize,
    pub origin_periods: usize,
    pub admin1_periods: usize,
    pub admin2_periods: usize,
    pub events_outside_admin1: usize,
    pub events_outside_admin2: usize,
    pub unresolved_mentions: usize,
}

/// What `build` makes besides the data: the period, the event rules, the tiles and the page.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions<'a> {
    pub period: Granularity,
    pub rules: &'a EventRules,
    pub tiles: Option<&'a crate::tiles::TileOptions>,
    pub web: Option<&'a web::WebOptions>,
}

/// Makes every output file of `tollmap build` from the documents and their claims.
pub fn build_files(
    docs: &[Document],
    claims: &[Claim],
    inputs: &[InputFile],
    gaz: &Gazetteer,
    opts: BuildOptions<'_>,
) -> Result<BuildFiles, OutputError> {
    let BuildOptions {
        period,
        rules,
        tiles,
        web,
    } = opts;
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let t0 = std::time::Instant::now();
    let tick = |what: &str| {
        if std::env::var_os("TOLLMAP_TIMING").is_some() {
            eprintln!("{what}: {:?}", t0.elapsed());
        }
    };
    let events = aggregate::events(claims, rules);
    tick("events");
    let mut event_of: HashMap<&str, &str> = HashMap::default();
    for e in &events {
        for c in e.claims.iter().chain(&e.restated) {
            event_of.insert(c.as_str(), e.id.as_str());
        }
    }
    let places = aggregate::by_place_and_period(&events, PlaceRole::Event, period);
    let origins = aggregate::by_place_and_period(&events, PlaceRole::Origin, period);
    let (adm1, adm2) = crate::admin::bundled();
    // Each event's governorate and district, by the point of its place (memoised: events
    // share places).
    let mut located: HashMap<(u64, u64), (Option<usize>, Option<usize>)> = HashMap::default();
    let mut locate = |e: &aggregate::Event| {
        let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) else {
            return (None, None);
        };
        *located
            .entry((lat.to_bits(), lon.to_bits()))
            .or_insert_with(|| {
                (
                    crate::admin::locate_index(adm1, lon, lat),
                    crate::admin::locate_index(adm2, lon, lat),
                )
            })
    };
    tick("places+origins");
    let (admin1_rows, outside1) = aggregate::by_area_and_period(&events, period, |e| locate(e).0);
    let (admin2_rows, outside2) = aggregate::by_area_and_period(&events, period, |e| locate(e).1);
    tick("admin rows");
    let counts = Counts {
        // Documents, and the events of tables (each its own document).
        documents: docs.len()
            + claims
                .iter()
                .filter(|c| c.part_of.is_none() && !by_id.contains_key(c.doc.as_str()))
                .map(|c| c.doc.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len(),
        claims: claims.len(),
        event_claims: claims.iter().filter(|c| c.scope == Scope::Event).count(),
        cumulative_claims: claims
            .iter()
            .filter(|c| c.scope == Scope::Cumulative)
            .count(),
        claims_on_map: claims
            .iter()
            .filter(|c| c.scope == Scope::Event && c.event_place().is_some())
            .count(),
        events: events.len(),
        place_periods: places.len(),
        origin_periods: origins.len(),
        admin1_periods: admin1_rows.len(),
        admin2_periods: admin2_rows.len(),
        events_outside_admin1: outside1,
        events_outside_admin2: outside2,
        unresolved_mentions: claims
            .iter()
            .flat_map(|c| c.places.iter())
            .filter(|p| !p.is_resolved() || p.is_fallback())
            .count(),
    };
    let mut files: Vec<Staged> = Vec::new();
    let gpkg_tmp = temp_file(GPKG_NAME)?.into_temp_path();
    let _ = std::fs::remove_file(&gpkg_tmp);
    type Layer<'a> = Box<dyn Fn(&mut dyn geojson::FeatureSink) + Sync + 'a>;
    let layers: Vec<(&str, &str, &str, Layer<'_>)> = vec![
        ("claims", "POINT", "every event claim at its event place", {
            let (by_id, event_of) = (&by_id, &event_of);
            Box::new(move |s| geojson::claims_layer(claims, by_id, event_of, s))
        }),
        ("events", "POINT", "claims reporting the same deaths", {
            let events = &events;
            Box::new(move |s| geojson::events_layer(events, s))
        }),
        ("places", "POINT", "event places by period", {
            let (places, events) = (&places, &events);
            Box::new(move |s| geojson::places_layer(places, events, s))
        }),
        ("origins", "POINT", "where the dead came from, by period", {
            let (origins, events) = (&origins, &events);
            Box::new(move |s| geojson::places_layer(origins, events, s))
        }),
        ("admin1", "MULTIPOLYGON", "governorates by period", {
            let (rows, events) = (&admin1_rows, &events);
            Box::new(move |s| geojson::areas_layer(rows, adm1, events, s))
        }),
        ("admin2", "MULTIPOLYGON", "districts by period", {
            let (rows, events) = (&admin2_rows, &events);
            Box::new(move |s| geojson::areas_layer(rows, adm2, events, s))
        }),
    ];
    // The GeoJSON files and the GeoPackage are independent: made at the same time (one
    // after the other with RAYON_NUM_THREADS=1; the bytes are the same either way).
    // The GeoPackage is the lighter half: the CSV tables go with it.
    let write_gpkg_and_csv = || -> Result<Vec<Staged>, OutputError> {
        let g = gpkg::Gpkg::create(&gpkg_tmp)?;
        for (name, geometry, description, layer) in &layers {
            let mut table = g.table(name, geometry, description)?;
            layer(&mut table);
            table.finish()?;
        }
        g.finish()?;
        tick("GeoPackage");
        Ok(vec![
            stage("claims.csv", |w| csv::claims_csv(claims, w))?,
            stage("cumulative.csv", |w| csv::cumulative_csv(claims, w))?,
            stage("unresolved.csv", |w| csv::unresolved_csv(claims, w))?,
        ])
    };
    let write_geojson = || -> Result<Vec<Staged>, OutputError> {
        let mut out = Vec::new();
        for (name, _, _, layer) in &layers {
            out.push(stage(&format!("{name}.geojson"), |w| {
                let mut text = geojson::GeoJsonWriter::new(w);
                layer(&mut text);
                text.finish()
            })?);
            tick(name);
        }
        Ok(out)
    };
    let (geojson_files, csv_files) = rayon::join(write_geojson, write_gpkg_and_csv);
    files.extend(geojson_files?);
    files.extend(csv_files?);
    tick("GeoJSON, GeoPackage and CSV");
    if let Some(opts) = tiles {
        let sources = TILE_LAYERS.iter().filter_map(|name| {
            layers.iter().find(|l| l.0 == *name).map(|l| {
                (
                    *name,
                    l.3.as_ref() as &(dyn Fn(&mut dyn geojson::FeatureSink) + Sync),
                )
            })
        });
        files.push(stage_tiles(sources, opts)?);
        tick("tiles");
    }
    if let Some(opts) = web {
        let max_killed = places
            .iter()
            .chain(origins.iter())
            .filter_map(|r| r.outcomes.get(&crate::model::Outcome::Killed))
            .map(|r| r.low)
            .max()
            .unwrap_or(0);
        let shape = web::MapShape {
            place_rows: counts.place_periods + counts.origin_periods,
            max_killed,
            tiles: tiles.map(|t| ("tiles.pmtiles", t.max_zoom)),
        };
        let features = |name: &str| {
            let mut sink = web::ValueSink::default();
            if let Some(l) = layers.iter().find(|l| l.0 == name) {
                (l.3)(&mut sink);
            }
            sink.0
        };
        let page = web::stage_web(&features, &shape, opts)?;
        files.extend(page);
        tick("web map");
    }
    files.push(staged_file(GPKG_NAME, gpkg_tmp)?);
    let outputs: Vec<serde_json::Value> = files
        .iter()
        .map(|f| json!({"file": f.name, "bytes": f.bytes, "sha256": f.sha256}))
        .collect();
    let manifest = json!({
        "tool": {"name": "tollmap", "version": env!("CARGO_PKG_VERSION")},
        "gazetteer": {"version": gaz.version(), "entries": gaz.len()},
        "options": {
            "period": period.as_str(),
            "event_km": rules.distance_km,
            "event_days": rules.window_days,
            "event_same_district": rules.same_district,
            "tiles_max_zoom": tiles.map(|t| t.max_zoom),
        },
        "inputs": inputs.iter().map(|f| json!({
            "path": f.path.display().to_string(),
            "bytes": f.bytes,
            "sha256": f.sha256,
            "documents": f.documents,
        })).collect::<Vec<_>>(),
        "counts": counts,
        "outputs": outputs,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    files.push(stage("manifest.json", |w| w.write_all(text.as_bytes()))?);
    tick("GeoPackage hashed, manifest");
    Ok(BuildFiles { files, counts })
}

/// The layers of `tiles.pmtiles`.
const TILE_LAYERS: [&str; 3] = ["claims", "places", "admin1"];

/// Properties left out of the tiles: long source text and id lists (they stay in the
/// GeoJSON layers and the GeoPackage).
const TILE_OMITS: [&str; 5] = ["claim_ids", "event_ids", "quote", "restated_ids", "title"];

/// The claim properties in the tiles: what a map needs to draw and filter a claim and to find
/// it again (by `id`) in claims.geojson, claims.csv or the GeoPackage.
const TILE_CLAIM_FIELDS: [&str; 15] = [
    "admin1",
    "claimant",
    "count_high",
    "count_low",
    "date_end",
    "date_precision",
    "date_start",
    "doc",
    "event_id",
    "id",
    "outcome",
    "place_name",
    "precision",
    "qualifier",
    "victims",
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
            acc("claims", AccOp::Sum),
            acc("events", AccOp::Sum),
            acc("killed_low", AccOp::Sum),
            acc("killed_high", AccOp::Upper),
            acc("wounded_low", AccOp::Sum),
            acc("wounded_high", AccOp::Upper),
            acc("killed_civilians_low", AccOp::Sum),
            acc("killed_foreign_forces_low", AccOp::Sum),
            acc("killed_jihadist_low", AccOp::Sum),
            acc("killed_kurdish_forces_low", AccOp::Sum),
            acc("killed_opposition_low", AccOp::Sum),
            acc("killed_pro_government_low", AccOp::Sum),
            acc("killed_unknown_low", AccOp::Sum),
        ],
        name: "tollmap".into(),
        description: "Casualty claims, place totals and governorate totals".into(),
        attribution:
            "tollmap; places: GeoNames, Who's On First, OCHA (CC BY); boundaries: OCHA (CC BY-IGO)"
                .into(),
        ..TileOptions::default()
    }
}

/// A tile layer as a feature sink: the layer functions write into it as they write the
/// GeoJSON files and the GeoPackage tables (no text is parsed back).
struct TileSink<'a>(&'a mut crate::tiles::source::Layer);

impl geojson::FeatureSink for TileSink<'_> {
    fn feature(&mut self, _id: &str, geom: geojson::Geom<'_>, props: &geojson::Props<'_>) {
        use crate::tiles::source::Shape;
        let shape = match geom {
            geojson::Geom::Point { lon, lat } => Shape::Point { lon, lat },
            geojson::Geom::Area(a) => Shape::MultiPolygon(&a.shape),
        };
        // Ids are text ("geonames:170063|2016-08"): MVT ids are integers, so none is kept.
        use crate::tiles::mvt::ValRef;
        fn value<'v>(v: &'v geojson::Prop<'_>) -> Option<ValRef<'v>> {
            match v {
                geojson::Prop::Null => None,
                geojson::Prop::Int(i) => Some(ValRef::Int(*i)),
                other => other.as_str().map(ValRef::Str),
            }
        }
        self.0
            .push(None, shape, props.iter().map(|(k, v)| (*k, value(v))));
    }
}

/// Tiles the claims, places and admin1 layers into a staged `tiles.pmtiles`.
fn stage_tiles<'a>(
    sources: impl Iterator<Item = (&'a str, &'a (dyn Fn(&mut dyn geojson::FeatureSink) + Sync))>,
    opts: &crate::tiles::TileOptions,
) -> Result<Staged, OutputError> {
    use crate::tiles::{archive, make_tiles, source};
    let mut layers = Vec::with_capacity(TILE_LAYERS.len());
    for (name, write) in sources {
        let mut layer = source::Layer::new(name);
        layer.omit(&TILE_OMITS);
        if name == "claims" {
            layer.keep_only(&TILE_CLAIM_FIELDS);
        }
        if name == "admin1" {
            layer.max_zoom = Some(TILE_AREA_MAX_ZOOM);
        }
        write(&mut TileSink(&mut layer));
        layer.shrink();
        layers.push(layer);
    }
    let ts = make_tiles(layers, opts)?;
    let mut tmp = temp_file("tiles.pmtiles")?;
    archive::write_pmtiles_to(&ts, std::io::BufWriter::new(tmp.as_file_mut())).map_err(|e| {
        OutputError::Io {
            path: tmp.path().to_path_buf(),
            cause: std::io::Error::other(e),
        }
    })?;
    staged_file("tiles.pmtiles", tmp.into_temp_path())
}

/// A temporary file written by a library that needs a path or a seekable file (SQLite,
/// PMTiles), hashed once it is complete.
fn staged_file(name: &str, path: tempfile::TempPath) -> Result<Staged, OutputError> {
    let sha256 = sha256_file(&path).map_err(|cause| OutputError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(Staged {
        name: name.into(),
        bytes: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        path,
        sha256,
    })
}

/// The GeoPackage's file name in the output folder.
pub const GPKG_NAME: &str = "tollmap.gpkg";

fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(crate::hash::hex(&h.finalize()))
}

impl BuildFiles {
    /// Writes every file into `dir` (created if needed): all are moved next to their place
    /// first, then renamed into place, so a failure leaves the previous output whole. Called
    /// once: the staged files are moved, not copied.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        std::fs::create_dir_all(dir).map_err(|cause| OutputError::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |cause| OutputError::Io { path, cause }
        };
        let tmp_of = |name: &str| dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let result = (|| {
            for f in &self.files {
                let tmp = tmp_of(&f.name);
                staged.push((tmp.clone(), dir.join(&f.name)));
                // A rename when the temporary folder is on the same disk, else a copy.
                if std::fs::rename(&f.path, &tmp).is_err() {
                    std::fs::copy(&f.path, &tmp).map_err(io(&tmp))?;
                }
                std::fs::File::open(&tmp)
                    .and_then(|h| h.sync_all())
                    .map_err(io(&tmp))?;
            }
            for (tmp, path) in &staged {
                std::fs::rename(tmp, path).map_err(io(path))?;
            }
            Ok(())
        })();
        if result.is_err() {
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
        }
        result
    }
}
