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

use crate::layers::{Feature, FeatureSink, FieldKind, Geom, Prop};

/// What `last_change` says: a constant, so that output bytes depend only on the inputs.
const LAST_CHANGE: &str = "1970-01-01T00:00:00.000Z";

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The SQL type of a property, by its name.
pub fn column_type(name: &str) -> &'static str {
    match FieldKind::of(name) {
        FieldKind::Date => "DATE",
        // 32-bit, which GDAL reads as Integer (INTEGER would be Integer64).
        FieldKind::Count => "MEDIUMINT",
        FieldKind::Real => "REAL",
        FieldKind::Text => "TEXT",
    }
}

/// A GeoPackage being written; each layer is one table, with its default style in
/// `layer_styles` (`styles`).
pub struct Gpkg {
    conn: Connection,
    /// Each finished layer and the values of its class field (`styles::class_field`).
    styled: std::cell::RefCell<Vec<(String, Vec<i64>)>>,
    /// The first and last day of the layers' periods.
    days: std::cell::RefCell<Option<([u8; 10], [u8; 10])>>,
}

/// A written GeoPackage's layer styles (by table) and the days its periods cover.
pub struct Finished {
    /// Each layer's default style, in the order the layers were written.
    pub styles: Vec<(String, super::styles::Style)>,
    /// The first and last day of the periods, `YYYY-MM-DD`.
    pub days: Option<(String, String)>,
}

/// A GeoPackage error, with the layer it concerns.
#[derive(Debug, thiserror::Error)]
#[error("GeoPackage layer {layer}")]
pub struct GpkgError {
    /// The layer (table) being written.
    pub layer: String,
    /// What SQLite said.
    #[source]
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
        Ok(Gpkg {
            conn,
            styled: Default::default(),
            days: Default::default(),
        })
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
            styled: &self.styled,
            days: &self.days,
            class_field: super::styles::class_field(name),
            values: Vec::new(),
            name,
            geometry_type,
            description,
            columns: None,
            one: None,
            many: None,
            blobs: Vec::new(),
            bbox: None,
            error: None,
        })
    }

    /// Writes each layer's default style into `layer_styles` (QGIS opens a layer with it) and
    /// closes the file.
    pub fn finish(self) -> Result<Finished, GpkgError> {
        let styles = self.write_styles().map_err(|cause| GpkgError {
            layer: "layer_styles".into(),
            cause,
        })?;
        let text = |d: [u8; 10]| String::from_utf8_lossy(&d).into_owned();
        let days = self.days.borrow().map(|(a, b)| (text(a), text(b)));
        self.conn.close().map_err(|(_, cause)| GpkgError {
            layer: "(close)".into(),
            cause,
        })?;
        Ok(Finished { styles, days })
    }
}

impl Gpkg {
    /// The `layer_styles` table (as QGIS makes it, registered as attributes), one default
    /// style per layer, its time fixed as `last_change` is.
    fn write_styles(&self) -> rusqlite::Result<Vec<(String, super::styles::Style)>> {
        let styled = self.styled.borrow();
        let mut out = Vec::new();
        if styled.is_empty() {
            return Ok(out);
        }
        self.conn.execute_batch(
            "BEGIN;
             CREATE TABLE layer_styles (
               id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256),
               f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
               styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
               description TEXT, owner TEXT(30), ui TEXT(30),
               update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));",
        )?;
        self.conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
             VALUES ('layer_styles', 'attributes', 'layer_styles', 'default styles (QGIS)', ?1)",
            [LAST_CHANGE],
        )?;
        for (layer, values) in styled.iter() {
            let Some(style) = super::styles::style(layer, values) else {
                continue;
            };
            self.conn.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,
                   f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description,
                   owner, ui, update_time)
                 VALUES ('', '', ?1, 'geom', ?1, ?2, ?3, 1, ?4, '', NULL, ?5)",
                rusqlite::params![layer, style.qml, style.sld, style.description, LAST_CHANGE],
            )?;
            out.push((layer.clone(), style));
        }
        self.conn.execute_batch("COMMIT")?;
        Ok(out)
    }
}

/// Rows per `INSERT` statement: each statement also updates `sqlite_sequence` (the tables
/// are `AUTOINCREMENT`, which ArcGIS Pro expects) and is stepped and reset once, so rows go
/// in groups (within SQLite's limit of 32,766 bound values).
const ROWS_PER_INSERT: usize = 32;

/// One layer's table as features arrive.
pub struct Table<'c> {
    conn: &'c Connection,
    /// Where the layer's class values go when it is finished.
    styled: &'c std::cell::RefCell<Vec<(String, Vec<i64>)>>,
    days: &'c std::cell::RefCell<Option<([u8; 10], [u8; 10])>>,
    /// The field its style's classes are drawn on, and its values so far.
    class_field: Option<&'static str>,
    values: Vec<i64>,
    name: &'c str,
    geometry_type: &'c str,
    description: &'c str,
    /// Property names, fixed by the first feature.
    columns: Option<Vec<&'static str>>,
    /// The statements inserting one row, and `ROWS_PER_INSERT` rows (fewer for very wide
    /// layers: `many` then says how many).
    one: Option<Insert<'c>>,
    many: Option<(usize, Insert<'c>)>,
    /// The geometry blobs of the rows being inserted (reused).
    blobs: Vec<Vec<u8>>,
    bbox: Option<(f64, f64, f64, f64)>,
    /// The first error (a sink cannot return one).
    error: Option<rusqlite::Error>,
}

impl<'c> Table<'c> {
    fn create(&mut self, columns: &[&'static str]) -> rusqlite::Result<()> {
        let cols: String = columns
            .iter()
            .map(|c| format!(", {} {}", quote(c), column_type(c)))
            .collect();
        self.conn.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {}{cols})",
            quote(self.name),
            self.geometry_type
        ))?;
        let insert = |rows: usize| {
            let values = format!("(?{})", ", ?".repeat(columns.len()));
            format!(
                "INSERT INTO {} (geom{}) VALUES {}",
                quote(self.name),
                columns
                    .iter()
                    .map(|c| format!(", {}", quote(c)))
                    .collect::<String>(),
                vec![values; rows].join(", ")
            )
        };
        self.one = Some(Insert::prepare(self.conn, &insert(1))?);
        let rows = (32_766 / (columns.len() + 1)).min(ROWS_PER_INSERT);
        self.many = if rows > 1 {
            Some((rows, Insert::prepare(self.conn, &insert(rows))?))
        } else {
            None
        };
        self.columns = Some(columns.to_vec());
        Ok(())
    }

    /// Inserts the features, as many rows at a time as a statement takes.
    fn insert_all(&mut self, features: &[Feature<'_>]) -> rusqlite::Result<()> {
        let Some(first) = features.first() else {
            return Ok(());
        };
        if self.columns.is_none() {
            let names: Vec<&'static str> = first.props.iter().map(|(k, _)| *k).collect();
            self.create(&names)?;
        }
        let per = self.many.as_ref().map_or(1, |(n, _)| *n);
        let mut groups = features.chunks_exact(per);
        for group in &mut groups {
            self.insert_rows(group)?;
        }
        for f in groups.remainder() {
            self.insert_rows(std::slice::from_ref(f))?;
        }
        Ok(())
    }

    /// Inserts one row per feature with one statement (`one`, or `many` for a full group).
    fn insert_rows(&mut self, features: &[Feature<'_>]) -> rusqlite::Result<()> {
        let Table {
            columns,
            one,
            many,
            blobs,
            bbox,
            ..
        } = self;
        if blobs.len() < features.len() {
            blobs.resize_with(features.len(), Vec::new);
        }
        for (f, blob) in features.iter().zip(blobs.iter_mut()) {
            let b = geometry_blob(f.geom, blob);
            *bbox = Some(match *bbox {
                None => b,
                Some(a) => (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
            });
        }
        let columns = columns.as_deref().unwrap_or_default();
        let stmt = match (features.len(), many.as_mut()) {
            (1, _) => one.as_mut(),
            (n, Some((rows, stmt))) if n == *rows => Some(stmt),
            _ => None,
        };
        let Some(stmt) = stmt else {
            // Only whole groups and single rows are inserted (`insert_all`).
            let per = many.as_ref().map_or(1, |(n, _)| *n);
            return Err(rusqlite::Error::InvalidParameterCount(
                features.len() * (columns.len() + 1),
                per * (columns.len() + 1),
            ));
        };
        let mut row = stmt.row();
        for (r, (f, blob)) in features.iter().zip(blobs.iter()).enumerate() {
            // Parameters are numbered from 1: the geometry, then the columns, row by row.
            let base = r * (columns.len() + 1) + 1;
            row.blob(base, blob)?;
            // Every feature of a layer has the same names in the same order (the same
            // static strings): by position, with a look-up by name if one ever differs.
            let props = &f.props;
            if props.iter().map(|(k, _)| *k).eq(columns.iter().copied()) {
                for (i, (_, v)) in props.iter().enumerate() {
                    row.value(base + 1 + i, Some(v))?;
                }
            } else {
                for (i, c) in columns.iter().enumerate() {
                    row.value(base + 1 + i, props.get(c))?;
                }
            }
        }
        row.execute()
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
        self.one = None;
        self.many = None;
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
        self.styled
            .borrow_mut()
            .push((self.name.to_string(), std::mem::take(&mut self.values)));
        Ok(())
    }
}

impl Table<'_> {
    /// Adds one feature (its id is the row's `fid`, not kept).
    pub fn add(&mut self, f: &Feature<'_>) {
        self.add_all(std::slice::from_ref(f));
    }

    /// Adds features in order, several rows per statement.
    pub fn add_all(&mut self, features: &[Feature<'_>]) {
        if self.error.is_some() {
            return;
        }
        for f in features {
            use crate::layers::{names, Prop};
            if let (Some(Prop::Day(a)), Some(Prop::Day(b))) = (
                f.props.get(names::PERIOD_START),
                f.props.get(names::PERIOD_END),
            ) {
                let mut days = self.days.borrow_mut();
                *days = Some(match *days {
                    None => (*a, *b),
                    Some((x, y)) => (x.min(*a), y.max(*b)),
                });
            }
        }
        if let Some(field) = self.class_field {
            self.values
                .extend(features.iter().map(|f| match f.props.get(field) {
                    Some(crate::layers::Prop::Int(n)) => *n,
                    _ => 0,
                }));
        }
        if let Err(e) = self.insert_all(features) {
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
fn geometry_blob(geom: Geom<'_>, b: &mut Vec<u8>) -> (f64, f64, f64, f64) {
    b.clear();
    b.extend_from_slice(b"GP");
    b.push(0); // version 1
    match geom {
        Geom::Point { lon, lat } => {
            let (x, y) = (
                crate::util::geodesy::round6(lon),
                crate::util::geodesy::round6(lat),
            );
            b.push(0b0000_0001); // little endian, no envelope
            b.extend_from_slice(&4326i32.to_le_bytes());
            b.push(1);
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
            (x, y, x, y)
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
            (min.x, min.y, max.x, max.y)
        }
    }
}

/// A layer's prepared `INSERT`, bound value by value through rusqlite's raw binding (each
/// text or blob is copied by SQLite as it is bound: `SQLITE_TRANSIENT`).
struct Insert<'c> {
    stmt: rusqlite::Statement<'c>,
}

impl<'c> Insert<'c> {
    fn prepare(conn: &'c Connection, sql: &str) -> rusqlite::Result<Insert<'c>> {
        Ok(Insert {
            stmt: conn.prepare(sql)?,
        })
    }

    /// Starts a row: every parameter is bound again before it is executed.
    fn row(&mut self) -> Row<'_, 'c> {
        Row { insert: self }
    }
}

/// A whole number past what a GeoPackage count column (`MEDIUMINT`, 32-bit) holds.
#[derive(Debug, thiserror::Error)]
#[error("{0} is more than a count column of the GeoPackage holds ({max})", max = i32::MAX)]
struct CountTooLarge(i64);

/// One row being bound.
struct Row<'s, 'c> {
    insert: &'s mut Insert<'c>,
}

impl Row<'_, '_> {
    fn blob(&mut self, i: usize, b: &[u8]) -> rusqlite::Result<()> {
        self.insert.stmt.raw_bind_parameter(i, b)
    }

    fn value(&mut self, i: usize, v: Option<&Prop<'_>>) -> rusqlite::Result<()> {
        let stmt = &mut self.insert.stmt;
        match v {
            // Count columns are 32-bit: a sum past them is an error, never a wrong number.
            Some(Prop::Int(n)) if i32::try_from(*n).is_err() => Err(
                rusqlite::Error::ToSqlConversionFailure(Box::new(CountTooLarge(*n))),
            ),
            Some(Prop::Int(n)) => stmt.raw_bind_parameter(i, n),
            // As the GeoJSON writes it: two decimals.
            Some(Prop::Real(x)) => stmt.raw_bind_parameter(i, (x * 100.0).round() / 100.0),
            Some(Prop::Null) | None => stmt.raw_bind_parameter(i, rusqlite::types::Null),
            Some(other) => stmt.raw_bind_parameter(i, other.as_str().unwrap_or_default()),
        }
    }

    /// Inserts the row (rusqlite resets the statement after the step).
    fn execute(self) -> rusqlite::Result<()> {
        self.insert.stmt.raw_execute().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Props;

    #[test]
    fn point_blobs_follow_the_standard_layout() {
        let mut b = Vec::new();
        let bbox = geometry_blob(
            Geom::Point {
                lon: 36.2,
                lat: 35.1,
            },
            &mut b,
        );
        assert_eq!(&b[..4], b"GP\x00\x01");
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        assert_eq!(b[8], 1);
        assert_eq!(u32::from_le_bytes(b[9..13].try_into().unwrap()), 1);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), 36.2);
        assert_eq!(bbox, (36.2, 35.1, 36.2, 35.1));
    }

    /// A GeoPackage of one point table `layer`, filled by `fill`, finished and opened again
    /// (the folder goes with the first answer).
    fn written(layer: &str, fill: impl FnOnce(&mut Table<'_>)) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.gpkg");
        let g = Gpkg::create(&path).unwrap();
        let mut t = g.table(layer, "POINT", "test").unwrap();
        fill(&mut t);
        t.finish().unwrap();
        g.finish().unwrap();
        let db = Connection::open(&path).unwrap();
        (dir, db)
    }

    #[test]
    fn a_count_past_a_32_bit_column_is_an_error_not_a_wrong_number() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gpkg::create(&dir.path().join("t.gpkg")).unwrap();
        let mut t = g.table("places", "POINT", "test").unwrap();
        let mut props = Props::default();
        props.insert("killed_low", Prop::Int(i64::from(i32::MAX) + 1));
        t.add(&Feature {
            id: std::borrow::Cow::Borrowed("x"),
            geom: Geom::Point {
                lon: 36.0,
                lat: 35.0,
            },
            props,
        });
        let err = crate::util::report::chain(&t.finish().unwrap_err());
        assert!(
            err.contains("places") && err.contains("2147483648 is more than a count column"),
            "{err}"
        );
    }

    /// Values are bound where they lie: each row reads back as it was given, text, numbers,
    /// dates and nulls, also when a feature names its properties in another order.
    #[test]
    fn rows_read_back_as_given() {
        use std::borrow::Cow;
        let rows: [(&str, i64, Option<&str>); 3] = [
            ("Baniyas \"old town\"", 7, Some("2025-03-07")),
            ("جبلة", 0, None),
            ("", -3, Some("2024-12-31")),
        ];
        let (_dir, db) = written("claims", |t| {
            for (i, (name, n, day)) in rows.iter().enumerate() {
                let mut props = Props::default();
                let day = day.map(|d| {
                    let mut b = [0u8; 10];
                    b.copy_from_slice(d.as_bytes());
                    Prop::Day(b)
                });
                let mut fields = vec![
                    ("count_low", Prop::Int(*n)),
                    ("date_start", day.unwrap_or(Prop::Null)),
                    ("name", Prop::Text(name.to_string())),
                    ("quote", Prop::Str(name)),
                ];
                if i == 1 {
                    fields.reverse();
                }
                for (k, v) in fields {
                    props.insert(k, v);
                }
                t.add(&Feature {
                    id: Cow::Borrowed("x"),
                    geom: Geom::Point {
                        lon: 36.0 + i as f64,
                        lat: 35.0,
                    },
                    props,
                });
            }
        });
        let mut q = db
            .prepare("SELECT name, quote, count_low, date_start, typeof(count_low) FROM claims ORDER BY fid")
            .unwrap();
        let got: Vec<(String, String, i64, Option<String>, String)> = q
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let want: Vec<(String, String, i64, Option<String>, String)> = rows
            .iter()
            .map(|(name, n, day)| {
                (
                    name.to_string(),
                    name.to_string(),
                    *n,
                    day.map(str::to_string),
                    "integer".to_string(),
                )
            })
            .collect();
        assert_eq!(got, want);
        let extent: (f64, f64) = db
            .query_row("SELECT min_x, max_x FROM gpkg_contents", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(extent, (36.0, 38.0));
    }

    /// Full groups of rows and the rest: every row in order, numbered from 1.
    #[test]
    fn rows_in_groups_keep_their_order() {
        use std::borrow::Cow;
        let n = 2 * ROWS_PER_INSERT + 5;
        let names: Vec<String> = (0..n).map(|i| format!("place {i}")).collect();
        let features: Vec<Feature<'_>> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut props = Props::default();
                props.insert("claims", Prop::Int(i as i64));
                props.insert("name", Prop::Str(name));
                Feature {
                    id: Cow::Borrowed("x"),
                    geom: Geom::Point {
                        lon: 36.0,
                        lat: 35.0 + i as f64 / 100.0,
                    },
                    props,
                }
            })
            .collect();
        let (_dir, db) = written("places", |t| {
            t.add_all(&features[..3]);
            t.add_all(&features[3..]);
        });
        let mut q = db
            .prepare("SELECT fid, claims, name FROM places ORDER BY fid")
            .unwrap();
        let got: Vec<(i64, i64, String)> = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let want: Vec<(i64, i64, String)> = (0..n)
            .map(|i| (i as i64 + 1, i as i64, format!("place {i}")))
            .collect();
        assert_eq!(got, want);
        let seq: i64 = db
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'places'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(seq, n as i64);
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
