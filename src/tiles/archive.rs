//! Tile archives: PMTiles v3 (written with the `pmtiles` crate, read back by a small reader of
//! our own) and MBTiles 1.3 (SQLite through rusqlite), each written to a temporary file in the
//! destination folder and renamed into place.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{TilesError, Tileset};

/// What went wrong inside a tile archive, read or written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file could not be read or written.
    #[error("I/O")]
    Io(#[from] std::io::Error),
    /// The `pmtiles` crate refused the archive or a tile.
    #[error("PMTiles")]
    Pmtiles(#[from] pmtiles::PmtError),
    /// SQLite failed on an MBTiles file.
    #[cfg(feature = "gpkg")]
    #[error("MBTiles (SQLite)")]
    Sqlite(#[from] rusqlite::Error),
    /// The archive's metadata is not JSON.
    #[error("metadata")]
    Metadata(#[from] serde_json::Error),
    /// The bytes do not follow the format.
    #[error("{0}")]
    Malformed(String),
    /// This build cannot do it (a feature left out).
    #[error("{0}")]
    Unsupported(&'static str),
}

fn out_err(path: &Path, e: impl Into<ArchiveError>) -> TilesError {
    TilesError::Output {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, TilesError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tempfile::Builder::new()
        .prefix(".tollmap-tiles")
        .tempfile_in(&dir)
        .map_err(|e| out_err(path, e))
}

/// Writes the tile set as PMTiles v3 to any seekable writer (gzip tiles and directories).
pub fn write_pmtiles_to<W: Write + Seek>(ts: &Tileset, w: W) -> Result<(), ArchiveError> {
    use pmtiles::{Compression, PmTilesWriter, TileCoord, TileType};
    let [west, south, east, north] = ts.bounds;
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .precompressed(Compression::Gzip)
        .internal_compression(Compression::Gzip)
        .min_zoom(ts.min_zoom)
        .max_zoom(ts.max_zoom)
        .bounds(west, south, east, north)
        .center(ts.center.0, ts.center.1)
        .center_zoom(ts.center.2)
        .metadata(ts.metadata.to_string())
        .create(w)?;
    for tile in ts.tiles() {
        let (z, x, y, bytes) = tile?;
        writer.add_tile(TileCoord::new(z, x, y)?, &bytes)?;
    }
    Ok(writer.finalize()?)
}

/// Writes `path` as PMTiles, atomically.
pub fn write_pmtiles(ts: &Tileset, path: &Path) -> Result<(), TilesError> {
    let mut tmp = temp_beside(path)?;
    write_pmtiles_to(ts, std::io::BufWriter::new(tmp.as_file_mut()))
        .map_err(|e| out_err(path, e))?;
    finish(tmp, path)
}

fn finish(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), TilesError> {
    tmp.as_file().sync_all().map_err(|e| out_err(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| out_err(path, e.error))?;
    Ok(())
}

/// Without the `gpkg` feature (no SQLite): MBTiles cannot be written.
#[cfg(not(feature = "gpkg"))]
pub fn write_mbtiles(_ts: &Tileset, path: &Path) -> Result<(), TilesError> {
    Err(out_err(
        path,
        ArchiveError::Unsupported(
            "this tollmap was built without the `gpkg` feature (SQLite): write .pmtiles",
        ),
    ))
}

/// Writes `path` as MBTiles (tiles gzip, TMS rows, the metadata GDAL and QGIS read),
/// atomically.
#[cfg(feature = "gpkg")]
pub fn write_mbtiles(ts: &Tileset, path: &Path) -> Result<(), TilesError> {
    let tmp = temp_beside(path)?;
    {
        let mut db = rusqlite::Connection::open(tmp.path()).map_err(|e| out_err(path, e))?;
        db.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
        )
        .map_err(|e| out_err(path, e))?;
        let tx = db.transaction().map_err(|e| out_err(path, e))?;
        {
            let [w, s, e, n] = ts.bounds;
            let m = &ts.metadata;
            let text = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let json = serde_json::json!({ "vector_layers": m["vector_layers"] });
            let rows = [
                ("name", text("name")),
                ("description", text("description")),
                ("attribution", text("attribution")),
                ("format", "pbf".into()),
                ("type", "overlay".into()),
                ("version", "2".into()),
                ("generator", text("generator")),
                ("minzoom", ts.min_zoom.to_string()),
                ("maxzoom", ts.max_zoom.to_string()),
                ("bounds", format!("{w},{s},{e},{n}")),
                (
                    "center",
                    format!("{},{},{}", ts.center.0, ts.center.1, ts.center.2),
                ),
                ("json", json.to_string()),
            ];
            let mut st = tx
                .prepare("INSERT INTO metadata (name, value) VALUES (?1, ?2)")
                .map_err(|e| out_err(path, e))?;
            for (k, v) in rows {
                st.execute(rusqlite::params![k, v])
                    .map_err(|e| out_err(path, e))?;
            }
            let mut st = tx
                .prepare("INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?1, ?2, ?3, ?4)")
                .map_err(|e| out_err(path, e))?;
            for tile in ts.tiles() {
                let (z, x, y, bytes) = tile.map_err(|e| out_err(path, e))?;
                let row = (1u32 << z) - 1 - y;
                st.execute(rusqlite::params![z, x, row, bytes])
                    .map_err(|e| out_err(path, e))?;
            }
        }
        tx.execute_batch(
            "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
        )
        .map_err(|e| out_err(path, e))?;
        tx.commit().map_err(|e| out_err(path, e))?;
        db.close().map_err(|(_, e)| out_err(path, e))?;
    }
    finish(tmp, path)
}

/// A PMTiles archive read back: header fields, metadata and every tile (decompressed).
pub struct PmTilesContents {
    /// Lowest zoom of the archive.
    pub min_zoom: u8,
    /// Highest zoom of the archive.
    pub max_zoom: u8,
    /// West, south, east, north.
    pub bounds: [f64; 4],
    /// Longitude, latitude and zoom a viewer opens at.
    pub center: (f64, f64, u8),
    /// The TileJSON-style metadata (layers, fields, attribution).
    pub metadata: serde_json::Value,
    /// (z, x, y, uncompressed MVT bytes), in tile-id order.
    pub tiles: Vec<TileData>,
}

/// A tile read back: z, x, y (XYZ) and its uncompressed MVT bytes.
pub type TileData = (u8, u32, u32, Vec<u8>);

fn varints(buf: &[u8]) -> Result<Vec<u64>, ArchiveError> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u64, 0);
    for &b in buf {
        if shift >= 64 {
            return Err(malformed("varint too long"));
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            out.push(v);
            v = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    Ok(out)
}

fn gunzip(bytes: &[u8], compression: u8) -> Result<Vec<u8>, ArchiveError> {
    match compression {
        1 => Ok(bytes.to_vec()),
        2 => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
            Ok(out)
        }
        c => Err(malformed(format!(
            "compression {c} not supported by this reader"
        ))),
    }
}

fn malformed(what: impl Into<String>) -> ArchiveError {
    ArchiveError::Malformed(what.into())
}

/// An archive that could not be read, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}", path.display())]
pub struct ReadError {
    /// The archive.
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub source: ArchiveError,
}

/// Reads a whole PMTiles v3 archive (for checks and tests; tiles are held in memory).
pub fn read_pmtiles(path: &Path) -> Result<PmTilesContents, ReadError> {
    pmtiles_contents(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })
}

fn pmtiles_contents(path: &Path) -> Result<PmTilesContents, ArchiveError> {
    let mut f = std::fs::File::open(path)?;
    let mut h = [0u8; 127];
    f.read_exact(&mut h)?;
    if &h[..7] != b"PMTiles" || h[7] != 3 {
        return Err(malformed("not a PMTiles v3 archive"));
    }
    let u = |o: usize| u64::from_le_bytes(h[o..o + 8].try_into().unwrap_or([0; 8]));
    let i =
        |o: usize| f64::from(i32::from_le_bytes(h[o..o + 4].try_into().unwrap_or([0; 4]))) / 1e7;
    let internal = h[97];
    let tile_compression = h[98];
    let mut read_at = |off: u64, len: u64| -> Result<Vec<u8>, ArchiveError> {
        f.seek(SeekFrom::Start(off))?;
        let len = usize::try_from(len).map_err(|_| malformed("a length past memory"))?;
        let mut buf = vec![0u8; len];
        f.read_exact(&mut buf)?;
        Ok(buf)
    };
    let metadata_raw = gunzip(&read_at(u(24), u(32))?, internal)?;
    let metadata = serde_json::from_slice(&metadata_raw)?;
    let (leaf_off, data_off) = (u(40), u(56));
    // Directories, depth first, collecting (tile id, run length, offset, length).
    let mut stack = vec![(u(8), u(16))];
    let mut entries = Vec::new();
    while let Some((off, len)) = stack.pop() {
        let v = varints(&gunzip(&read_at(off, len)?, internal)?)?;
        let n = *v.first().ok_or_else(|| malformed("empty directory"))? as usize;
        if v.len() != 1 + 4 * n {
            return Err(malformed("malformed directory"));
        }
        let (ids, runs, lens, offs) = (
            &v[1..1 + n],
            &v[1 + n..1 + 2 * n],
            &v[1 + 2 * n..1 + 3 * n],
            &v[1 + 3 * n..],
        );
        let mut id = 0u64;
        let mut prev_end = 0u64;
        for k in 0..n {
            id += ids[k];
            let offset = if offs[k] == 0 && k > 0 {
                prev_end
            } else {
                offs[k].wrapping_sub(1)
            };
            prev_end = offset + lens[k];
            if runs[k] == 0 {
                stack.push((leaf_off + offset, lens[k]));
            } else {
                entries.push((id, runs[k], offset, lens[k]));
            }
        }
    }
    entries.sort_unstable();
    let mut tiles = Vec::new();
    for (id, run, offset, len) in entries {
        let raw = gunzip(&read_at(data_off + offset, len)?, tile_compression)?;
        for r in 0..run {
            let c = pmtiles::TileCoord::from(pmtiles::TileId::new(id + r)?);
            tiles.push((c.z(), c.x(), c.y(), raw.clone()));
        }
    }
    Ok(PmTilesContents {
        min_zoom: h[100],
        max_zoom: h[101],
        bounds: [i(102), i(106), i(110), i(114)],
        center: (i(119), i(123), h[118]),
        metadata,
        tiles,
    })
}

/// Reads every tile of an MBTiles file: (z, x, y in XYZ, uncompressed bytes), sorted.
#[cfg(feature = "gpkg")]
pub fn read_mbtiles(path: &Path) -> Result<Vec<TileData>, ReadError> {
    mbtiles_contents(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(feature = "gpkg")]
fn mbtiles_contents(path: &Path) -> Result<Vec<TileData>, ArchiveError> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut st = db.prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, u8>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, u32>(2)?,
            r.get::<_, Vec<u8>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (z, x, row, data) = row?;
        out.push((z, x, (1u32 << z) - 1 - row, gunzip(&data, 2)?));
    }
    out.sort_by_key(|t| (t.0, t.1, t.2));
    Ok(out)
}
