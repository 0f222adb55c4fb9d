//! GeoPackage (OGC 12-128r18, version 1.3): the layers as tables of one SQLite file, with
//! the spatial reference, contents and geometry-column tables QGIS and GDAL read.
//!
//! Geometries are standard GeoPackage blobs (the `GP` header with SRS 4326 and an envelope
//! for polygons, then little-endian WKB). Column types follow the property names: dates
//! (`published`, `date_*`, `period_start`, `period_end`, `start`, `end`) are `DATE`, counts
//! (`*_low`, `*_high`, `claims`, `documents`, `events`, `spanning`, `precision`, `low`,
//! `high`) are `MEDIUMINT` (32-bit integers), the rest `TEXT`. `last_change` is fixed, so the same layers give
//! the same bytes.

use std::path::Path;

use rusqlite::Connection;

use super::geojson::{Feature, FeatureSink, Geom, Prop, Props};

/// What `last_change` says: a constant, so that output bytes depend only on the inputs.
const LAST_CHANGE: &str = "1970-01-01T00:00:00.000Z";

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The SQL type of a property, by its name.
pub fn column_type(name: &str) -> &'static str {
    const DATES: &[&str] = &[
        "published",
        "date_start",
        "date_end",
        "period_start",
        "period_end",
        "start",
        "end",
    ];
    const COUNTS: &[&str] = &[
        "claims",
        "documents",
        "events",
        "spanning",
        "precision",
        "low",
        "high",
    ];
    if DATES.contains(&name) {
        "DATE"
    } else if COUNTS.contains(&name) || name.ends_with("_low") || name.ends_with("_high") {
        // 32-bit, which GDAL reads as Integer (INTEGER would be Integer64).
        "MEDIUMINT"
    } else {
        "TEXT"
    }
}

/// A GeoPackage being written; each layer is one table.
pub struct Gpkg {
    conn: Connection,
}

/// A GeoPackage error, with the layer it concerns.
#[derive(Debug, thiserror::Error)]
#[error("GeoPackage layer {layer}: {cause}")]
pub struct GpkgError {
    pub layer: String,
    pub cause: rusqlite::Error,
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Gpkg {
    /// Creates a new GeoPackage at `path` (which must not exist).
    pub fn create(path: &Path) -> Result<Gpkg, GpkgError> {
        let err = |cause| GpkgError {
            layer: "(header)".into(),
            cause,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.execute_batch(&format!(
            "PRAGMA page_size = 65536;
             PRAGMA application_id = 1196444487;
             PRAGMA user_version = 10300;
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             CREATE TABLE gpkg_spatial_ref_sys (
               srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
               organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
               description TEXT);
             INSERT INTO gpkg_spatial_ref_sys VALUES
               ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
               ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
               ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
             CREATE TABLE gpkg_contents (
               table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
               identifier TEXT UNIQUE, description TEXT DEFAULT '',
               last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
               min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
               CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
             CREATE TABLE gpkg_geometry_columns (
               table_name TEXT NOT NULL, column_name TEXT NOT NULL,
               geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
               z TINYINT NOT NULL, m TINYINT NOT NULL,
               CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
               CONSTRAINT uk_gc_table_name UNIQUE (table_name),
               CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
               CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
        ))
        .map_err(err)?;
        Ok(Gpkg { conn })
    }

    /// Starts a layer's table; its features come through the returned sink, and
    /// `Table::finish` registers it.
    pub fn table<'c>(
        &'c self,
        name: &'c str,
        geometry_type: &'c str,
        description: &'c str,
    ) -> Result<Table<'c>, GpkgError> {
        self.conn
            .execute_batch("BEGIN")
            .map_err(|cause| GpkgError {
                layer: name.to_string(),
                cause,
            })?;
        Ok(Table {
            conn: &self.conn,
            name,
            geometry_type,
            description,
            columns: None,
            insert: None,
            bbox: None,
            error: None,
        })
    }

    /// Closes the file.
    pub fn finish(self) -> Result<(), GpkgError> {
        self.conn.close().map_err(|(_, cause)| GpkgError {
            layer: "(close)".into(),
            cause,
        })
    }
}

/// One layer's table as features arrive.
pub struct Table<'c> {
    conn: &'c Connection,
    name: &'c str,
    geometry_type: &'c str,
    description: &'c str,
    /// Property names, fixed by the first feature.
    columns: Option<Vec<String>>,
    insert: Option<rusqlite::Statement<'c>>,
    bbox: Option<(f64, f64, f64, f64)>,
    /// The first error (a sink cannot return one).
    error: Option<rusqlite::Error>,
}

impl<'c> Table<'c> {
    fn create(&mut self, columns: &[String]) -> rusqlite::Result<()> {
        let cols: String = columns
            .iter()
            .map(|c| format!(", {} {}", quote(c), column_type(c)))
            .collect();
        self.conn.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {}{cols})",
            quote(self.name),
            self.geometry_type
        ))?;
        let sql = format!(
            "INSERT INTO {} (geom{}) VALUES (?{})",
            quote(self.name),
            columns
                .iter()
                .map(|c| format!(", {}", quote(c)))
                .collect::<String>(),
            ", ?".repeat(columns.len())
        );
        self.insert = Some(self.conn.prepare(&sql)?);
        self.columns = Some(columns.to_vec());
        Ok(())
    }

    fn insert(&mut self, geom: Geom<'_>, props: &Props<'_>) -> rusqlite::Result<()> {
        if self.columns.is_none() {
            let names: Vec<String> = props.iter().map(|(k, _)| k.to_string()).collect();
            self.create(&names)?;
        }
        let (blob, bbox) = geometry_blob(geom);
        self.bbox = Some(match self.bbox {
            None => bbox,
            Some(b) => (
                b.0.min(bbox.0),
                b.1.min(bbox.1),
                b.2.max(bbox.2),
                b.3.max(bbox.3),
            ),
        });
        let columns = self.columns.as_deref().unwrap_or_default();
        // Every feature of a layer has the same names in the same order: by position, with a
        // look-up by name if one ever differs.
        let same = props
            .iter()
            .map(|(k, _)| *k)
            .eq(columns.iter().map(String::as_str));
        use rusqlite::types::{ToSqlOutput, Value as Sql, ValueRef};
        let Some(stmt) = self.insert.as_mut() else {
            return Ok(());
        };
        stmt.raw_bind_parameter(1, ToSqlOutput::Borrowed(ValueRef::Blob(&blob)))?;
        let bind = |stmt: &mut rusqlite::Statement<'_>, i: usize, v: Option<&Prop<'_>>| {
            let value = match v {
                Some(Prop::Int(n)) => ToSqlOutput::Owned(Sql::Integer(*n)),
                Some(Prop::Null) | None => ToSqlOutput::Owned(Sql::Null),
                Some(other) => ToSqlOutput::Borrowed(ValueRef::Text(
                    other.as_str().unwrap_or_default().as_bytes(),
                )),
            };
            stmt.raw_bind_parameter(i + 2, value)
        };
        if same {
            for (i, (_, v)) in props.iter().enumerate() {
                bind(stmt, i, Some(v))?;
            }
        } else {
            for (i, c) in columns.iter().enumerate() {
                bind(stmt, i, props.get(c))?;
            }
        }
        stmt.raw_execute()?;
        Ok(())
    }

    /// Ends the layer: its table (created empty when it had no features), its row in
    /// `gpkg_contents` with the extent, and its geometry column.
    pub fn finish(mut self) -> Result<(), GpkgError> {
        let err = |cause| GpkgError {
            layer: self.name.to_string(),
            cause,
        };
        if let Some(cause) = self.error.take() {
            return Err(err(cause));
        }
        if self.columns.is_none() {
            self.create(&[]).map_err(err)?;
        }
        self.insert = None;
        let (min_x, min_y, max_x, max_y) = self.bbox.unwrap_or((0.0, 0.0, 0.0, 0.0));
        self.conn
            .execute(
                "INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, 4326)",
                rusqlite::params![self.name, self.description, LAST_CHANGE, min_x, min_y, max_x, max_y],
            )
            .map_err(err)?;
        self.conn
            .execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
                rusqlite::params![self.name, self.geometry_type],
            )
            .map_err(err)?;
        self.conn.execute_batch("COMMIT").map_err(err)?;
        Ok(())
    }
}

impl Table<'_> {
    /// Adds one feature (its id is the row's `fid`, not kept).
    pub fn add(&mut self, f: &Feature<'_>) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.insert(f.geom, &f.props) {
            self.error = Some(e);
        }
    }
}

impl<'a> FeatureSink<'a> for Table<'_> {
    fn feature(&mut self, f: Feature<'a>) {
        self.add(&f);
    }
}

/// A GeoPackage geometry blob and its bounding box (min x, min y, max x, max y).
fn geometry_blob(geom: Geom<'_>) -> (Vec<u8>, (f64, f64, f64, f64)) {
    let mut b: Vec<u8> = Vec::with_capacity(64);
    b.extend_from_slice(b"GP");
    b.push(0); // version 1
    match geom {
        Geom::Point { lon, lat } => {
            let (x, y) = (super::geojson::round6(lon), super::geojson::round6(lat));
            b.push(0b0000_0001); // little endian, no envelope
            b.extend_from_slice(&4326i32.to_le_bytes());
            b.push(1);
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
            (b, (x, y, x, y))
        }
        Geom::Area(a) => {
            let (min, max) = (a.bbox.min(), a.bbox.max());
            b.push(0b0000_0011); // little endian, envelope [minx, maxx, miny, maxy]
            b.extend_from_slice(&4326i32.to_le_bytes());
            for v in [min.x, max.x, min.y, max.y] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            b.push(1);
            b.extend_from_slice(&6u32.to_le_bytes());
            let polys: Vec<&geo::Polygon<f64>> = a
                .shape
                .0
                .iter()
                .filter(|p| p.exterior().0.len() >= 4)
                .collect();
            b.extend_from_slice(&(polys.len() as u32).to_le_bytes());
            for p in polys {
                b.push(1);
                b.extend_from_slice(&3u32.to_le_bytes());
                let rings: Vec<&geo::LineString<f64>> = std::iter::once(p.exterior())
                    .chain(p.interiors().iter().filter(|r| r.0.len() >= 4))
                    .collect();
                b.extend_from_slice(&(rings.len() as u32).to_le_bytes());
                for r in rings {
                    b.extend_from_slice(&(r.0.len() as u32).to_le_bytes());
                    for c in &r.0 {
                        b.extend_from_slice(&c.x.to_le_bytes());
                        b.extend_from_slice(&c.y.to_le_bytes());
                    }
                }
            }
            (b, (min.x, min.y, max.x, max.y))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_blobs_follow_the_standard_layout() {
        let (b, bbox) = geometry_blob(Geom::Point {
            lon: 36.2,
            lat: 35.1,
        });
        assert_eq!(&b[..4], b"GP\x00\x01");
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        assert_eq!(b[8], 1);
        assert_eq!(u32::from_le_bytes(b[9..13].try_into().unwrap()), 1);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), 36.2);
        assert_eq!(bbox, (36.2, 35.1, 36.2, 35.1));
    }

    #[test]
    fn column_types_by_name() {
        for (name, t) in [
            ("killed_low", "MEDIUMINT"),
            ("killed_civilians_high", "MEDIUMINT"),
            ("period_start", "DATE"),
            ("published", "DATE"),
            ("quote", "TEXT"),
            ("claim_ids", "TEXT"),
            ("precision", "MEDIUMINT"),
        ] {
            assert_eq!(column_type(name), t, "{name}");
        }
    }
}
