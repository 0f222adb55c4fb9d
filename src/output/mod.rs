//! The output folder of `tollmap build`: every file made in memory first, then each written atomically.

mod csv;
mod geojson;
#[cfg(feature = "gpkg")]
mod gpkg;
pub mod styles;
#[cfg(not(feature = "tiles"))]
#[path = "no_tiling.rs"]
mod tiling;
#[cfg(feature = "tiles")]
mod tiling;
#[cfg(not(feature = "web"))]
#[path = "no_web.rs"]
pub mod web;
#[cfg(feature = "web")]
pub mod web;

pub use csv::spreadsheet_safe;
#[cfg(feature = "tiles")]
pub use tiling::build_tile_options;
pub use tiling::TileOptions;
use tiling::{max_zoom, push_tile_feature, stage_tiles, tile_layer, TileLayer, TILE_LAYERS};

use crate::util::hash::FnvHashMap as HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::aggregate::{EventRules, Granularity, Summary};
use crate::gazetteer::Gazetteer;
use crate::ingest::InputFile;
use crate::model::{Claim, Document};

/// What can go wrong writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder that could not be written.
    #[error("{path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why it could not be written.
        #[source]
        cause: std::io::Error,
    },
    /// Another build is writing into the same folder.
    #[error("{}: another tollmap build is writing into this folder; try again when it has finished", .0.display())]
    Busy(PathBuf),
    /// A thread making outputs stopped (it panicked).
    #[error("the {0} thread of the build stopped")]
    Thread(&'static str),
    /// The GeoPackage could not be made (`path`: where it was being written).
    #[cfg(feature = "gpkg")]
    #[error("{}", path.display())]
    Gpkg {
        /// The GeoPackage being written (in the staging folder).
        path: PathBuf,
        /// What failed.
        #[source]
        source: gpkg::GpkgError,
    },
    /// The vector tiles could not be made.
    #[cfg(feature = "tiles")]
    #[error(transparent)]
    Tiles(#[from] crate::tiles::TilesError),
}

/// An output file made in a temporary file (removed if never written), with its size and
/// content hash.
#[derive(Debug)]
pub struct Staged {
    /// The file name in the output folder.
    pub name: String,
    /// The temporary file holding the bytes until they are moved into place.
    pub path: tempfile::TempPath,
    /// Its size in bytes.
    pub bytes: u64,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
}

/// The block size of an output file's writes: a multiple of any disk's logical block, so a
/// full block can be written with `O_DIRECT`.
const STAGE_BLOCK: usize = 1 << 20;

/// The alignment `O_DIRECT` asks of buffers, offsets and lengths (4 KiB covers 512-byte and
/// 4 KiB logical blocks).
const DIRECT_ALIGN: usize = 4096;

/// Where outputs are staged before they are moved into place: the system's temporary folder
/// unless a `Staging` folder is in use.
static STAGING_DIR: std::sync::RwLock<Option<PathBuf>> = std::sync::RwLock::new(None);

/// The folder outputs are staged in now.
fn staging_dir() -> PathBuf {
    STAGING_DIR
        .read()
        .ok()
        .and_then(|d| d.clone())
        .unwrap_or_else(std::env::temp_dir)
}

/// A build's staging folder inside its output folder (`.tollmap-staging-PID`): the outputs
/// are made there, on the output's own disk (so they are renamed into place, not copied), and
/// whatever a killed build left there, or beside the outputs, is removed by the next build
/// into the folder. Take it while holding the folder's `OutputLock`; dropped, it removes
/// itself.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
}

/// The prefix of staging folders in an output folder.
pub const STAGING_PREFIX: &str = ".tollmap-staging-";

impl Staging {
    /// Clears what earlier builds left in `out` (staging folders, half-renamed `.NAME.tmp-PID`
    /// files) and makes this build's staging folder, used by every output from now on.
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        for entry in std::fs::read_dir(out).map_err(io(out))?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with(SWITCH_PREFIX) {
                // A switch a killed build left half done: back to the build before it.
                roll_back_switch(out, &path);
            } else if name.starts_with(STAGING_PREFIX) {
                std::fs::remove_dir_all(&path).map_err(io(&path))?;
            } else if is_stale_switch_file(&name) {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        if let Ok(mut d) = STAGING_DIR.write() {
            *d = Some(dir.clone());
        }
        Ok(Staging { dir })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Ok(mut d) = STAGING_DIR.write() {
            *d = None;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The prefix of a switch's folder in an output folder (`.tollmap-switch-PID`): the journal
/// of the outputs being moved into place and hard links to the files they replace.
const SWITCH_PREFIX: &str = ".tollmap-switch-";

/// Moving a build's files into place, all or nothing: until `commit`, the previous files can
/// be put back (`roll_back`), by this run on an error or by the next run after a kill.
struct Switch {
    dir: PathBuf,
    folder: PathBuf,
}

impl Switch {
    /// Keeps each file about to be replaced (a hard link in the switch folder, a copy where
    /// links are not allowed) and writes the journal: `old NAME` for a file that had a
    /// previous version, `new NAME` for one that did not. On disk before it returns.
    fn begin(dir: &Path, files: &[Staged]) -> Result<Switch, OutputError> {
        let folder = dir.join(format!("{SWITCH_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(folder.join("old")).map_err(io(&folder))?;
        let mut journal = String::new();
        for f in files {
            let target = dir.join(&f.name);
            if target.is_file() {
                let kept = folder.join("old").join(&f.name);
                if std::fs::hard_link(&target, &kept).is_err() {
                    std::fs::copy(&target, &kept).map_err(io(&kept))?;
                }
                journal.push_str(&format!("old {}\n", f.name));
            } else {
                journal.push_str(&format!("new {}\n", f.name));
            }
        }
        let path = folder.join("journal");
        crate::util::atomic::write(&path, journal.as_bytes()).map_err(io(&path))?;
        Ok(Switch {
            dir: dir.to_path_buf(),
            folder,
        })
    }

    /// The switch is done: the previous files are let go.
    fn commit(self) -> Result<(), OutputError> {
        std::fs::remove_dir_all(&self.folder).map_err(|cause| OutputError::Io {
            path: self.folder.clone(),
            cause,
        })
    }

    /// Puts the previous build back.
    fn roll_back(self) {
        roll_back_switch(&self.dir, &self.folder);
    }
}

/// Undoes the switch whose folder is `folder`: each replaced file gets its previous version
/// back, each new one goes; then the folder goes. A folder without a journal never started
/// its switch.
fn roll_back_switch(dir: &Path, folder: &Path) {
    if let Ok(journal) = std::fs::read_to_string(folder.join("journal")) {
        for line in journal.lines() {
            match line.split_once(' ') {
                Some(("old", name)) if BUILD_FILES.contains(&name) => {
                    let _ = std::fs::rename(folder.join("old").join(name), dir.join(name));
                }
                Some(("new", name)) if BUILD_FILES.contains(&name) => {
                    let _ = std::fs::remove_file(dir.join(name));
                }
                _ => {}
            }
        }
    }
    let _ = std::fs::remove_dir_all(folder);
}

/// Test hook, in debug builds only (what the integration tests run): with
/// `TOLLMAP_TEST_DIE_AT=POINT` the process stops dead, as a kill would (no cleanup, no
/// rollback), when the switch reaches POINT: `staged` (every file staged), `journal` (the
/// previous files kept, the journal written), `rename-N` (N files moved into place),
/// `committed`. Release builds never read the variable.
fn die_at(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("TOLLMAP_TEST_DIE_AT").is_ok_and(|p| p == point) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// The error of an I/O failure on `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |cause| OutputError::Io { path, cause }
}

/// `.claims.geojson.tmp-1234`: a file `BuildFiles::write` was moving into place.
fn is_stale_switch_file(name: &str) -> bool {
    name.starts_with('.')
        && name.rsplit_once(".tmp-").is_some_and(|(file, pid)| {
            BUILD_FILES.contains(&&file[1..]) && pid.bytes().all(|b| b.is_ascii_digit())
        })
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
    let dir = staging_dir();
    b.tempfile_in(&dir)
        .map_err(|cause| OutputError::Io { path: dir, cause })
}

/// The same file opened for direct writes (no copy into the page cache), where the system
/// and the file system allow it.
fn direct_handle(path: &Path) -> Option<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_DIRECT)
            .open(path)
            .ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

/// Blocks per output file: one being filled while the others are hashed and written.
const STAGE_BUFFERS: usize = 3;

/// A block buffer whose bytes start at an address aligned for `O_DIRECT`.
struct AlignedBuf {
    /// `STAGE_BLOCK + DIRECT_ALIGN` bytes.
    bytes: Vec<u8>,
    start: usize,
}

impl AlignedBuf {
    fn new() -> AlignedBuf {
        let bytes = vec![0u8; STAGE_BLOCK + DIRECT_ALIGN];
        // An unaligned start (never, in practice) only makes direct writes fail over to
        // buffered ones.
        let start = bytes.as_ptr().align_offset(DIRECT_ALIGN).min(DIRECT_ALIGN);
        AlignedBuf { bytes, start }
    }

    fn block(&self, len: usize) -> &[u8] {
        &self.bytes[self.start..self.start + len]
    }
}

/// Hashes an output file's blocks and writes them at their offsets, in order, on its own
/// thread; each buffer goes back through `back` to be filled again. Whole blocks are written
/// with `O_DIRECT` when `direct` is open and the system takes them, the rest through `file`.
fn write_blocks(
    blocks: std::sync::mpsc::Receiver<(AlignedBuf, usize)>,
    back: std::sync::mpsc::SyncSender<AlignedBuf>,
    file: std::fs::File,
    mut direct: Option<std::fs::File>,
) -> std::io::Result<sha2::Sha256> {
    use sha2::Digest;
    use std::os::unix::fs::FileExt;
    let mut hasher = sha2::Sha256::new();
    let mut at = 0u64;
    for (buf, len) in blocks {
        let block = buf.block(len);
        hasher.update(block);
        let whole = len % DIRECT_ALIGN == 0;
        let written = match &direct {
            Some(d) if whole => d.write_all_at(block, at).is_ok(),
            _ => false,
        };
        if !written {
            if whole {
                // Refused (EINVAL on a file system without direct I/O): buffered from now on.
                direct = None;
            }
            file.write_all_at(block, at)?;
        }
        at += len as u64;
        // Nobody may be waiting for it (the last blocks): then it is dropped.
        let _ = back.try_send(buf);
    }
    Ok(hasher)
}

/// An output file being written: a temporary file, hashed as it is written.
///
/// Bytes gather in an aligned block of `STAGE_BLOCK`; each full block goes to a thread that
/// hashes it and writes it at its offset, with `O_DIRECT` where the file system takes it,
/// while the next block is filled. A gigabyte of GeoJSON copied into the page cache cost
/// about a second of kernel time on a VM (fresh pages to clear and fault in); a direct write
/// hands the block to the disk, and the writer does not wait for it. The last, partial block
/// goes through the page cache, as does any direct write the system refuses.
pub struct StageWriter {
    name: String,
    out: tempfile::NamedTempFile,
    buf: AlignedBuf,
    filled: usize,
    /// Buffers made so far (at most `STAGE_BUFFERS`).
    buffers: usize,
    to: Option<std::sync::mpsc::SyncSender<(AlignedBuf, usize)>>,
    back: std::sync::mpsc::Receiver<AlignedBuf>,
    thread: Option<std::thread::JoinHandle<std::io::Result<sha2::Sha256>>>,
    /// Bytes handed to the thread so far.
    written: u64,
}

impl StageWriter {
    /// Starts the output file `name`.
    fn new(name: &str) -> Result<StageWriter, OutputError> {
        let out = temp_file(name)?;
        let io = |cause| OutputError::Io {
            path: out.path().to_path_buf(),
            cause,
        };
        let direct = direct_handle(out.path());
        let file = out.as_file().try_clone().map_err(io)?;
        let (to, blocks) = std::sync::mpsc::sync_channel(STAGE_BUFFERS);
        let (give_back, back) = std::sync::mpsc::sync_channel(STAGE_BUFFERS);
        let thread = std::thread::Builder::new()
            .name("write".into())
            .spawn(move || write_blocks(blocks, give_back, file, direct))
            .map_err(io)?;
        Ok(StageWriter {
            name: name.to_string(),
            out,
            buf: AlignedBuf::new(),
            filled: 0,
            buffers: 1,
            to: Some(to),
            back,
            thread: Some(thread),
            written: 0,
        })
    }

    fn error(&self, cause: std::io::Error) -> OutputError {
        OutputError::Io {
            path: staging_dir().join(&self.name),
            cause,
        }
    }

    /// The writing thread's end: its hash, or the error that stopped it.
    fn join(&mut self) -> std::io::Result<sha2::Sha256> {
        self.to = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the writing thread failed")),
            None => Err(std::io::Error::other("the file was already ended")),
        }
    }

    /// Hands the filled part of the block to the writing thread and takes a free buffer.
    fn send_block(&mut self) -> std::io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let next = match self.back.try_recv() {
            Ok(b) => b,
            Err(_) if self.buffers < STAGE_BUFFERS => {
                self.buffers += 1;
                AlignedBuf::new()
            }
            Err(_) => match self.back.recv() {
                Ok(b) => b,
                // The thread stopped: its error says why.
                Err(_) => return Err(self.join().err().unwrap_or_else(stopped)),
            },
        };
        let full = std::mem::replace(&mut self.buf, next);
        let len = std::mem::take(&mut self.filled);
        let sent = self.to.as_ref().map(|to| to.send((full, len)));
        match sent {
            Some(Ok(())) => {
                self.written += len as u64;
                Ok(())
            }
            _ => Err(self.join().err().unwrap_or_else(stopped)),
        }
    }

    /// Ends the file: its size and hash.
    fn finish(mut self) -> Result<Staged, OutputError> {
        use sha2::Digest;
        let hasher = match self.send_block().and_then(|()| self.join()) {
            Ok(h) => h,
            Err(e) => return Err(self.error(e)),
        };
        if let Ok(f) = self.out.as_file().try_clone() {
            start_sync(f);
        }
        Ok(Staged {
            name: self.name,
            path: self.out.into_temp_path(),
            bytes: self.written,
            sha256: crate::util::hash::hex(&hasher.finalize()),
        })
    }
}

/// The error of a writing thread that ended without one.
fn stopped() -> std::io::Error {
    std::io::Error::other("the writing thread stopped")
}

impl std::io::Write for StageWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, mut data: &[u8]) -> std::io::Result<()> {
        while !data.is_empty() {
            let n = (STAGE_BLOCK - self.filled).min(data.len());
            let at = self.buf.start + self.filled;
            self.buf.bytes[at..at + n].copy_from_slice(&data[..n]);
            self.filled += n;
            data = &data[n..];
            if self.filled == STAGE_BLOCK {
                self.send_block()?;
            }
        }
        Ok(())
    }

    /// Nothing to do: a partial block is written by `finish`, so that every earlier write
    /// stays a whole, aligned block.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Makes one output file: `fill` writes its bytes.
fn stage(
    name: &str,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Staged, OutputError> {
    let mut w = StageWriter::new(name)?;
    if let Err(e) = fill(&mut w) {
        return Err(w.error(e));
    }
    w.finish()
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
    /// Documents read (and the events of tables, each its own document).
    pub documents: usize,
    /// Claims extracted or read.
    pub claims: usize,
    /// Claims of one event (not cumulative tolls).
    pub event_claims: usize,
    /// Cumulative tolls (running or national totals), kept off the map.
    pub cumulative_claims: usize,
    /// Event claims with an event place, on the map.
    pub claims_on_map: usize,
    /// Events the event claims were grouped into.
    pub events: usize,
    /// Rows of the places layer (place and period).
    pub place_periods: usize,
    /// Rows of the origins layer (place of origin and period).
    pub origin_periods: usize,
    /// Rows of the admin1 layer (governorate and period).
    pub admin1_periods: usize,
    /// Rows of the admin2 layer (district and period).
    pub admin2_periods: usize,
    /// Events with a point in no governorate.
    pub events_outside_admin1: usize,
    /// Events with a point in no district.
    pub events_outside_admin2: usize,
    /// Place mentions that did not resolve (or fell back to the document's place).
    pub unresolved_mentions: usize,
}

/// What the web page shows, from the build.
#[derive(Debug, Clone)]
pub struct MapShape {
    /// Place-periods and origin-periods.
    pub place_rows: usize,
    /// The largest killed (low) of one place-period: the circles' scale.
    pub max_killed: u64,
    /// The killed of every place row: what the largest cluster of the tiles can hold.
    pub killed_total: u64,
    /// The tile archive and its highest zoom, when `build` writes one.
    pub tiles: Option<(&'static str, u8)>,
}

/// What `build` makes besides the data: the period, the event rules, the tiles and the page.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions<'a> {
    /// The period the layers are summed by.
    pub period: Granularity,
    /// How claims are grouped into events.
    pub rules: &'a EventRules,
    /// The vector tiles to make, or none.
    pub tiles: Option<&'a TileOptions>,
    /// With the tiles, `tiles.mbtiles` too (the same tiles as MBTiles, which QGIS 3.22 and
    /// GDAL before 3.8 read; they do not read PMTiles).
    pub mbtiles: bool,
    /// The web page to make, or none.
    pub web: Option<&'a web::WebOptions>,
}

/// `corrections-unmatched.csv`: the corrections not applied, with why.
pub fn stage_unmatched(
    not_applied: &[crate::corrections::NotApplied<'_>],
) -> Result<Staged, OutputError> {
    stage(crate::corrections::UNMATCHED_FILE, |w| {
        crate::corrections::unmatched_csv(not_applied, w)
    })
}

/// The CSV tables of the claims (`claims.csv`, `cumulative.csv`, `unresolved.csv`): they
/// need no events, so a build makes them while the claims are summed.
pub fn stage_tables(claims: &[Claim], docs: &[Document]) -> Result<Vec<Staged>, OutputError> {
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    Ok(vec![
        stage("claims.csv", |w| csv::claims_csv(claims, &by_id, w))?,
        stage("cumulative.csv", |w| csv::cumulative_csv(claims, &by_id, w))?,
        stage("unresolved.csv", |w| csv::unresolved_csv(claims, w))?,
    ])
}

/// A layer function: hands its features to a sink.
type LayerFn<'a> = Box<dyn Fn(&mut dyn crate::layers::FeatureSink<'a>) + Sync + 'a>;

/// One layer of a build: its name, its GeoPackage geometry type and description, and the
/// function making its features.
struct LayerSpec<'a> {
    name: &'static str,
    #[cfg_attr(not(feature = "gpkg"), allow(dead_code))]
    geometry: &'static str,
    #[cfg_attr(not(feature = "gpkg"), allow(dead_code))]
    description: &'static str,
    features: LayerFn<'a>,
}

/// The six layers of a build, in the order of the GeoPackage and the manifest.
fn layer_specs<'a>(
    summary: &'a Summary<'a>,
    by_id: &'a HashMap<&'a str, &'a Document>,
) -> Vec<LayerSpec<'a>> {
    let spec = |name, geometry, description, features| LayerSpec {
        name,
        geometry,
        description,
        features,
    };
    let events = &summary.events;
    vec![
        spec("claims", "POINT", "every event claim at its event place", {
            let (claims, order, event_of) = (summary.claims, &summary.id_order, &summary.event_of);
            Box::new(move |s: &mut dyn crate::layers::FeatureSink<'a>| {
                crate::layers::claims_layer(claims, order, by_id, (events, event_of), s)
            }) as LayerFn<'a>
        }),
        spec(
            "events",
            "POINT",
            "claims reporting the same deaths",
            Box::new(move |s| crate::layers::events_layer(events, s)),
        ),
        spec("places", "POINT", "event places by period", {
            let places = &summary.places;
            Box::new(move |s| crate::layers::places_layer(places, events, s))
        }),
        spec("origins", "POINT", "where the dead came from, by period", {
            let origins = &summary.origins;
            Box::new(move |s| crate::layers::places_layer(origins, events, s))
        }),
        spec("admin1", "MULTIPOLYGON", "governorates by period", {
            let (rows, areas) = (&summary.admin1, summary.admin1_areas);
            Box::new(move |s| crate::layers::areas_layer(rows, areas, events, s))
        }),
        spec("admin2", "MULTIPOLYGON", "districts by period", {
            let (rows, areas) = (&summary.admin2, summary.admin2_areas);
            Box::new(move |s| crate::layers::areas_layer(rows, areas, events, s))
        }),
    ]
}

/// The layer files of a build (GeoJSON, GeoPackage, tiles, web page), made from a summary.
/// `tables` is joined before the manifest is made, so the CSV tables can be made at the same
/// time on another thread.
pub fn stage_build(
    summary: &Summary<'_>,
    docs: &[Document],
    counts: Counts,
    tables: impl FnOnce() -> Result<Vec<Staged>, OutputError>,
    opts: BuildOptions<'_>,
) -> Result<Vec<Staged>, OutputError> {
    let t0 = std::time::Instant::now();
    let tick = |what: &str| crate::util::timing::phase(what, t0);
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let layers = layer_specs(summary, &by_id);
    let shape = MapShape {
        place_rows: counts.place_periods + counts.origin_periods,
        max_killed: summary.max_killed(),
        killed_total: summary.killed_total(),
        tiles: opts.tiles.map(|t| ("tiles.pmtiles", max_zoom(t))),
    };
    let web_layers: &[&str] = if opts.web.is_some() {
        web::layers_needed(&shape)
    } else {
        &[]
    };
    let written = write_layers(
        &layers,
        &counts,
        opts.tiles,
        opts.mbtiles,
        opts.period,
        web_layers,
    )?;
    std::thread::scope(|s| -> Result<Vec<Staged>, OutputError> {
        let LayersWritten {
            mut files,
            gpkg,
            tiles,
            mut web_values,
        } = written;
        // The page while the GeoPackage is hashed.
        let hash = gpkg
            .map(|(gpkg, project)| {
                files.push(project);
                spawn(s, "hash", move || staged_file(GPKG_NAME, gpkg))
            })
            .transpose()?;
        files.extend(tables()?);
        files.extend(tiles.into_iter().flatten());
        tick("GeoJSON, GeoPackage, CSV and tiles");
        if let Some(web_opts) = opts.web {
            let mut features = |name: &str| web_values.remove(name).unwrap_or_default();
            files.extend(web::stage_web(&mut features, &shape, web_opts)?);
            tick("web map");
        }
        if let Some(hash) = hash {
            files.push(joined(hash.join())?);
        }
        Ok(files)
    })
}

/// What `write_layers` made: the GeoJSON files in the layers' order, the GeoPackage (not
/// yet hashed), the tiles, and the features the page takes, by layer.
struct LayersWritten {
    files: Vec<Staged>,
    /// The GeoPackage and the QGIS project that opens it.
    gpkg: Option<(tempfile::TempPath, Staged)>,
    tiles: Option<Vec<Staged>>,
    web_values: HashMap<&'static str, Vec<serde_json::Value>>,
}

/// Runs each layer function once; its features go, in batches, to a thread writing the
/// GeoJSON files and one writing the GeoPackage, while this thread keeps what the tiles and
/// the page need. The bytes do not depend on the threads: each file is written by one, in
/// the layer's order.
fn write_layers(
    layers: &[LayerSpec<'_>],
    counts: &Counts,
    tiles: Option<&TileOptions>,
    mbtiles: bool,
    period: Granularity,
    web_layers: &[&str],
) -> Result<LayersWritten, OutputError> {
    let t0 = std::time::Instant::now();
    let tick = |what: &str| crate::util::timing::phase(what, t0);
    let gpkg_tmp = temp_file(GPKG_NAME)?.into_temp_path();
    let _ = std::fs::remove_file(&gpkg_tmp);
    let names: Vec<&str> = layers.iter().map(|l| l.name).collect();
    std::thread::scope(|s| -> Result<LayersWritten, OutputError> {
        let (geojson_tx, geojson_rx) = std::sync::mpsc::sync_channel::<Batch<'_>>(FANOUT_QUEUE);
        let (gpkg_tx, gpkg_rx) = std::sync::mpsc::sync_channel::<Batch<'_>>(FANOUT_QUEUE);
        let names = &names;
        let geojson = spawn(s, "geojson", move || {
            write_geojson(geojson_rx, names, &tick)
        })?;
        let gpkg = spawn(s, "gpkg", move || {
            write_gpkg(gpkg_rx, layers, gpkg_tmp, period, &tick)
        })?;
        let mut tile_layers = Vec::new();
        let mut tiles_job = None;
        let mut web_values: HashMap<&'static str, Vec<serde_json::Value>> = HashMap::default();
        // The tiled layers first: the tiles are made while the others are written.
        let tiled = |i: &usize| TILE_LAYERS.contains(&layers[*i].name);
        let order: Vec<usize> = (0..layers.len())
            .filter(tiled)
            .chain((0..layers.len()).filter(|i| !tiled(i)))
            .collect();
        for i in order {
            let name = layers[i].name;
            let mut fan = Fanout {
                to: [&geojson_tx, &gpkg_tx],
                batch: Vec::with_capacity(FANOUT_BATCH),
                tiles: tiles.filter(|_| TILE_LAYERS.contains(&name)).map(|t| {
                    let features = match name {
                        "claims" => counts.claims_on_map,
                        "places" => counts.place_periods,
                        _ => 0,
                    };
                    tile_layer(t, name, features)
                }),
                web: web_layers.contains(&name).then(web::ValueSink::default),
            };
            fan.send(Batch::Begin(i));
            (layers[i].features)(&mut fan);
            fan.flush();
            fan.send(Batch::End);
            if let Some(mut l) = fan.tiles {
                l.shrink();
                tile_layers.push(l);
            }
            if let Some(w) = fan.web {
                web_values.insert(name, w.0);
            }
            if let Some(opts) = tiles.filter(|_| tile_layers.len() == TILE_LAYERS.len()) {
                let layers = std::mem::take(&mut tile_layers);
                tiles_job = Some(spawn(s, "tiles", move || {
                    let staged = stage_tiles(layers, opts, mbtiles);
                    tick("tiles");
                    staged
                })?);
            }
        }
        drop((geojson_tx, gpkg_tx));
        let mut files = joined(geojson.join())?;
        // In the layers' own order, whatever order they were written in.
        files.sort_by_key(|(i, _)| *i);
        Ok(LayersWritten {
            files: files.into_iter().map(|(_, f)| f).collect(),
            gpkg: joined(gpkg.join())?,
            tiles: tiles_job.map(|j| joined(j.join())).transpose()?,
            web_values,
        })
    })
}

/// The GeoJSON writing thread: one file per layer, from the batches of `rx`.
fn write_geojson(
    rx: std::sync::mpsc::Receiver<Batch<'_>>,
    names: &[&str],
    tick: &(dyn Fn(&str) + Sync),
) -> Result<Vec<(usize, Staged)>, OutputError> {
    let mut out = Vec::new();
    let mut current: Option<(usize, geojson::GeoJsonWriter<StageWriter>)> = None;
    let failed = |i: usize| {
        move |cause| OutputError::Io {
            path: staging_dir().join(format!("{}.geojson", names[i])),
            cause,
        }
    };
    for msg in rx {
        match msg {
            Batch::Begin(i) => {
                let name = format!("{}.geojson", names[i]);
                current = Some((i, geojson::GeoJsonWriter::new(StageWriter::new(&name)?)));
            }
            Batch::Features(batch) => {
                if let Some((i, w)) = current.as_mut() {
                    for f in batch.iter() {
                        w.write_feature(&f.id, f.geom, &f.props)
                            .map_err(failed(*i))?;
                    }
                }
            }
            Batch::End => {
                if let Some((i, w)) = current.take() {
                    let staged = w.finish().map_err(failed(i))?;
                    out.push((i, staged.finish()?));
                    tick(names[i]);
                }
            }
        }
    }
    Ok(out)
}

/// Without the `gpkg` feature: no GeoPackage (the batches are taken and dropped).
#[cfg(not(feature = "gpkg"))]
fn write_gpkg(
    rx: std::sync::mpsc::Receiver<Batch<'_>>,
    _layers: &[LayerSpec<'_>],
    _path: tempfile::TempPath,
    _period: Granularity,
    _tick: &(dyn Fn(&str) + Sync),
) -> Result<Option<(tempfile::TempPath, Staged)>, OutputError> {
    rx.into_iter().for_each(drop);
    Ok(None)
}

/// The GeoPackage writing thread: one table per layer, from the batches of `rx`, into the
/// file at `path`.
#[cfg(feature = "gpkg")]
fn write_gpkg(
    rx: std::sync::mpsc::Receiver<Batch<'_>>,
    layers: &[LayerSpec<'_>],
    path: tempfile::TempPath,
    period: Granularity,
    tick: &(dyn Fn(&str) + Sync),
) -> Result<Option<(tempfile::TempPath, Staged)>, OutputError> {
    let fill = || -> Result<gpkg::Finished, gpkg::GpkgError> {
        let g = gpkg::Gpkg::create(&path)?;
        {
            let mut table = None;
            for msg in rx {
                match msg {
                    Batch::Begin(i) => {
                        let l = &layers[i];
                        table = Some(g.table(l.name, l.geometry, l.description)?);
                    }
                    Batch::Features(batch) => {
                        if let Some(t) = table.as_mut() {
                            t.add_all(&batch);
                        }
                    }
                    Batch::End => {
                        if let Some(t) = table.take() {
                            t.finish()?;
                        }
                    }
                }
            }
        }
        g.finish()
    };
    let finished = fill().map_err(|source| OutputError::Gpkg {
        path: staging_dir().join(GPKG_NAME),
        source,
    })?;
    tick("GeoPackage");
    let project = stage(PROJECT_NAME, |w| {
        w.write_all(project_of(&finished, period).as_bytes())
    })?;
    Ok(Some((path, project)))
}

/// The QGIS project's file name in the output folder.
pub const PROJECT_NAME: &str = "tollmap.qgs";

/// The QGIS project of a GeoPackage's layers: the places and governorates shown, the others
/// listed; the temporal controller over the build's periods, a step of one period.
#[cfg(feature = "gpkg")]
fn project_of(finished: &gpkg::Finished, period: Granularity) -> String {
    // The layer tree from the top: points over polygons.
    const ORDER: [(&str, bool, bool); 6] = [
        ("places", false, true),
        ("events", false, false),
        ("claims", false, false),
        ("origins", false, false),
        ("admin2", true, false),
        ("admin1", true, true),
    ];
    let layers: Vec<styles::ProjectLayer<'_>> = ORDER
        .iter()
        .filter_map(|&(name, polygons, visible)| {
            let (_, style) = finished.styles.iter().find(|(n, _)| n == name)?;
            Some(styles::ProjectLayer {
                name,
                polygons,
                visible,
                style,
            })
        })
        .collect();
    let step = match period {
        Granularity::Day => "d",
        Granularity::Week => "wk",
        Granularity::Month => "mon",
        Granularity::Year => "y",
    };
    let days = finished
        .days
        .as_ref()
        .map(|(a, b)| (a.as_str(), b.as_str()));
    styles::project(GPKG_NAME, &layers, days, step)
}

/// The build's `manifest.json`: the tool, the gazetteer, the options, the inputs, the
/// counts and every file's size and SHA-256.
pub fn stage_manifest(
    files: &[Staged],
    inputs: &[InputFile],
    (docs, hashes): (&[Document], &[String]),
    corrections: Option<serde_json::Value>,
    gaz: &Gazetteer,
    counts: &Counts,
    opts: BuildOptions<'_>,
) -> Result<Staged, OutputError> {
    let outputs: Vec<serde_json::Value> = files
        .iter()
        .map(|f| json!({"file": f.name, "bytes": f.bytes, "sha256": f.sha256}))
        .collect();
    let manifest = json!({
        "tool": {"name": "tollmap", "version": env!("CARGO_PKG_VERSION")},
        "gazetteer": {"version": gaz.version(), "entries": gaz.len()},
        "options": {
            "period": opts.period.as_str(),
            "event_km": opts.rules.distance_km,
            "event_days": opts.rules.window_days,
            "event_same_district": opts.rules.same_district,
            "tiles_max_zoom": opts.tiles.map(max_zoom),
        },
        "inputs": inputs.iter().map(|f| json!({
            "path": f.path.display().to_string(),
            "bytes": f.bytes,
            "sha256": f.sha256,
            "documents": f.documents,
        })).collect::<Vec<_>>(),
        "documents": manifest_documents(docs, hashes),
        "corrections": corrections,
        "counts": counts,
        "outputs": outputs,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    stage("manifest.json", |w| w.write_all(text.as_bytes()))
}

/// The manifest's list of every document the layers were made from, in input order: its id,
/// address, source (file, `file:line`, or the feed or page URL) and content hash
/// (`Document::content_hash`; `hashes` when it holds one per document, else computed here).
fn manifest_documents(docs: &[Document], hashes: &[String]) -> Vec<serde_json::Value> {
    use rayon::prelude::*;
    docs.par_iter()
        .enumerate()
        .map(|(i, d)| {
            let sha256 = match hashes.get(i).filter(|_| hashes.len() == docs.len()) {
                Some(h) => h.clone(),
                None => d.content_hash(),
            };
            json!({"id": d.id, "url": d.url, "source": d.source, "sha256": sha256})
        })
        .collect()
}

/// A build's hold on its output folder: while it lives, no other build (of this or another
/// process) can take the folder. Taken before the inputs are read and released when the
/// process ends, however it ends (an advisory `flock` on the folder itself: no lock file).
#[derive(Debug)]
pub struct OutputLock {
    _dir: std::fs::File,
    /// The folder, when this lock made it: removed again if the build writes nothing.
    created: Option<PathBuf>,
}

impl OutputLock {
    /// Takes the folder `dir` (made if missing), or fails at once naming it when another
    /// build holds it.
    pub fn take(dir: &Path) -> Result<OutputLock, OutputError> {
        let io = |cause| OutputError::Io {
            path: dir.to_path_buf(),
            cause,
        };
        let created = match std::fs::create_dir(dir) {
            Ok(()) => Some(dir.to_path_buf()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
            Err(_) => {
                std::fs::create_dir_all(dir).map_err(io)?;
                Some(dir.to_path_buf())
            }
        };
        let file = std::fs::File::open(dir).map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(OutputLock {
                _dir: file,
                created,
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Busy(dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

impl Drop for OutputLock {
    /// A folder this lock made and the build left empty goes (a failed first build leaves
    /// nothing behind).
    fn drop(&mut self) {
        if let Some(dir) = &self.created {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Every file `build` may write into its output folder.
pub const BUILD_FILES: &[&str] = &[
    "claims.geojson",
    "events.geojson",
    "places.geojson",
    "origins.geojson",
    "admin1.geojson",
    "admin2.geojson",
    "claims.csv",
    "cumulative.csv",
    "unresolved.csv",
    GPKG_NAME,
    PROJECT_NAME,
    "tiles.pmtiles",
    "tiles.mbtiles",
    "index.html",
    "map.js",
    "map.css",
    "data.js",
    "leaflet.js",
    "leaflet.css",
    "protomaps-leaflet.js",
    "manifest.json",
    crate::corrections::UNMATCHED_FILE,
    // What `refresh` writes after the build's files.
    "changes.json",
    "changes.md",
];

/// A scoped thread's answer; a thread that panicked is an error.
pub(crate) fn joined<T>(r: std::thread::Result<Result<T, OutputError>>) -> Result<T, OutputError> {
    r.unwrap_or_else(|_| Err(OutputError::Thread("output")))
}

/// Starts a named thread (the name shows in profiles).
pub(crate) fn spawn<'s, T: Send + 's>(
    s: &'s std::thread::Scope<'s, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 's,
) -> Result<std::thread::ScopedJoinHandle<'s, T>, OutputError> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn_scoped(s, f)
        .map_err(|cause| OutputError::Io {
            path: PathBuf::from(name),
            cause,
        })
}

/// What goes to the threads writing a layer: its start, its features, its end.
#[derive(Clone)]
enum Batch<'a> {
    Begin(usize),
    Features(std::sync::Arc<Vec<crate::layers::Feature<'a>>>),
    End,
}

/// Features handed to the writing threads at a time.
const FANOUT_BATCH: usize = 2048;

/// Batches a writing thread may be behind by (a few megabytes each).
const FANOUT_QUEUE: usize = 8;

/// A layer's features handed to every output: batches to the GeoJSON and GeoPackage threads,
/// each feature into the tile layer and the page's values when they take this layer.
struct Fanout<'a, 's> {
    to: [&'s std::sync::mpsc::SyncSender<Batch<'a>>; 2],
    batch: Vec<crate::layers::Feature<'a>>,
    tiles: Option<TileLayer>,
    web: Option<web::ValueSink>,
}

impl<'a> Fanout<'a, '_> {
    /// Sends to both threads; a thread that stopped has its error returned when joined.
    fn send(&self, msg: Batch<'a>) {
        for to in self.to {
            let _ = to.send(msg.clone());
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(FANOUT_BATCH));
            self.send(Batch::Features(std::sync::Arc::new(batch)));
        }
    }
}

impl<'a> crate::layers::FeatureSink<'a> for Fanout<'a, '_> {
    fn feature(&mut self, f: crate::layers::Feature<'a>) {
        if let Some(layer) = self.tiles.as_mut() {
            push_tile_feature(layer, &f);
        }
        if let Some(w) = self.web.as_mut() {
            w.add(&f);
        }
        self.batch.push(f);
        if self.batch.len() >= FANOUT_BATCH {
            self.flush();
        }
    }
}

/// A temporary file written by a library that needs a path or a seekable file (SQLite,
/// PMTiles), hashed once it is complete.
fn staged_file(name: &str, path: tempfile::TempPath) -> Result<Staged, OutputError> {
    if let Ok(f) = std::fs::File::open(&path) {
        start_sync(f);
    }
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

/// Starts writing a finished file to disk in the background: `BuildFiles::write` still syncs
/// every file before renaming it into place, and then has little left to wait for.
fn start_sync(file: std::fs::File) {
    let _ = std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || file.sync_data());
}

/// The GeoPackage's file name in the output folder.
pub const GPKG_NAME: &str = "tollmap.gpkg";

fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut h = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    // Large reads: a GeoPackage of 400 MB is 50,000 reads through `io::copy`'s 8 KiB buffer.
    let mut buf = vec![0u8; STAGE_BLOCK];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(crate::util::hash::hex(&h.finalize()))
}

impl BuildFiles {
    /// Writes every file into `dir` (created if needed): all are moved next to their place
    /// first, then renamed into place, so a failure leaves the previous output whole. Then
    /// the outputs of an earlier build that this one did not make go (the page after
    /// `--no-web`, the tiles after `--no-tiles`); no other file of `dir` is touched. Called
    /// once: the staged files are moved, not copied.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        std::fs::create_dir_all(dir).map_err(|cause| OutputError::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
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
            }
            // On disk before any is renamed into place (flushed together: the disk sees
            // them at once).
            use rayon::prelude::*;
            staged.par_iter().try_for_each(|(tmp, _)| {
                std::fs::File::open(tmp)
                    .and_then(|h| h.sync_all())
                    .map_err(io(tmp))
            })?;
            // The switch: the previous files are kept (hard links) and the plan written down
            // before the first rename; a failed rename rolls back to the previous build, and
            // a switch a killed build left half done is rolled back by the next one.
            die_at("staged");
            let switch = Switch::begin(dir, &self.files)?;
            die_at("journal");
            for (i, (tmp, path)) in staged.iter().enumerate() {
                if let Err(e) = std::fs::rename(tmp, path) {
                    switch.roll_back();
                    return Err(io(path)(e));
                }
                die_at(&format!("rename-{}", i + 1));
            }
            switch.commit()?;
            die_at("committed");
            // What an earlier build wrote and this one does not (`--no-web`, `--no-tiles`)
            // goes, so the folder holds one build; files tollmap never writes stay.
            for name in BUILD_FILES {
                if !self.files.iter().any(|f| f.name == *name) {
                    match std::fs::remove_file(dir.join(name)) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                            return Err(io(&dir.join(name))(e))
                        }
                        _ => {}
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn sha256(bytes: &[u8]) -> String {
        use sha2::Digest;
        crate::util::hash::hex(&sha2::Sha256::digest(bytes))
    }

    /// Whole blocks (direct where the file system allows), a tail, writes of every size: the
    /// file holds the bytes in order, and the size and hash are theirs.
    #[test]
    fn staged_files_hold_every_byte_with_their_hash() {
        let sizes = [
            0,
            1,
            DIRECT_ALIGN - 1,
            STAGE_BLOCK,
            STAGE_BLOCK + 1,
            2 * STAGE_BLOCK + 12_345,
        ];
        for size in sizes {
            let data: Vec<u8> = (0..size).map(|i| (i * 7 + i / 251) as u8).collect();
            let mut w = StageWriter::new("test.bin").unwrap();
            // Uneven writes, some crossing block ends.
            let mut rest = &data[..];
            let mut step = 1;
            while !rest.is_empty() {
                let n = step.min(rest.len());
                w.write_all(&rest[..n]).unwrap();
                w.flush().unwrap();
                rest = &rest[n..];
                step = step * 3 + 1;
            }
            let staged = w.finish().unwrap();
            assert_eq!(staged.bytes, size as u64, "size {size}");
            assert_eq!(staged.sha256, sha256(&data), "size {size}");
            assert_eq!(std::fs::read(&staged.path).unwrap(), data, "size {size}");
        }
    }
}
