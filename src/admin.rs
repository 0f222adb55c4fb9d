//! Governorate and district polygons (OCHA boundaries): reading them, locating points in
//! them, and the simplified copies bundled in `gazetteer/` for the area layers (written by
//! `bundle::admin`).

use std::path::Path;

use geo::{BoundingRect, Contains, MultiPolygon, Point, Rect};
use serde_json::{json, Value};

/// An outline file that could not be read or does not hold the areas expected.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The file could not be read.
    #[error("{path}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        #[source]
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file is not GeoJSON polygons with the expected properties.
    #[error("{path}: {message}")]
    Data {
        /// The file.
        path: std::path::PathBuf,
        /// What does not fit.
        message: String,
    },
}

/// A governorate (level 1) or district (level 2) polygon.
#[derive(Debug, Clone)]
pub struct Area {
    /// OCHA English name ("Aleppo", "Jebel Saman").
    pub name: String,
    /// OCHA P-code ("SY02", "SY0200").
    pub pcode: String,
    /// Arabic name.
    pub name_ar: String,
    /// The governorate of a district.
    pub parent: Option<String>,
    /// The outline (WGS 84 longitude, latitude).
    pub shape: MultiPolygon<f64>,
    /// Its bounding box, for quick rejection.
    pub bbox: Rect<f64>,
}

/// How far outside every polygon a point may lie and still belong to the nearest area
/// (degrees, about 5 km): coastline and border rounding.
const NEAR: f64 = 0.05;

fn data_err(path: &Path, message: &str) -> AdminError {
    AdminError::Data {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn parse_fc(text: &str, path: &Path) -> Result<geojson::FeatureCollection, AdminError> {
    text.parse::<geojson::FeatureCollection>()
        .map_err(|e| data_err(path, &e.to_string()))
}

/// Reads OCHA polygons: `level` is `adm1` or `adm2` (their property prefixes), or `bundled`
/// for the copies tollmap writes (`name`, `pcode`, `name_ar`, `admin1`).
pub fn read_areas(path: &Path, level: &str) -> Result<Vec<Area>, AdminError> {
    let text = std::fs::read_to_string(path).map_err(|source| AdminError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    areas_of(&text, path, level)
}

fn areas_of(text: &str, path: &Path, level: &str) -> Result<Vec<Area>, AdminError> {
    let fc = parse_fc(text, path)?;
    let (name_key, pcode_key, ar_key, parent_key) = match level {
        "adm1" => ("adm1_name", "adm1_pcode", "adm1_name1", None),
        "adm2" => ("adm2_name", "adm2_pcode", "adm2_name1", Some("adm1_name")),
        _ => ("name", "pcode", "name_ar", Some("admin1")),
    };
    let mut out = Vec::new();
    for f in fc.features {
        let props = f.properties.unwrap_or_default();
        let text = |k: &str| props.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let name = text(name_key).ok_or_else(|| data_err(path, &format!("no {name_key}")))?;
        let geom = f
            .geometry
            .ok_or_else(|| data_err(path, &format!("{name}: no geometry")))?;
        let g: geo::Geometry<f64> = geom
            .try_into()
            .map_err(|e: geojson::Error| data_err(path, &e.to_string()))?;
        let shape = match g {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(m) => m,
            _ => return Err(data_err(path, &format!("{name}: not a polygon"))),
        };
        let bbox = shape
            .bounding_rect()
            .ok_or_else(|| data_err(path, &format!("{name}: empty polygon")))?;
        out.push(Area {
            pcode: text(pcode_key).unwrap_or_default(),
            name_ar: text(ar_key).unwrap_or_default(),
            parent: parent_key.and_then(text),
            name,
            shape,
            bbox,
        });
    }
    Ok(out)
}

/// The area containing the point, or the nearest one within about 5 km (coastline rounding).
pub fn locate(areas: &[Area], lon: f64, lat: f64) -> Option<&Area> {
    locate_index(areas, lon, lat).map(|i| &areas[i])
}

/// `locate`, as an index into `areas`.
pub fn locate_index(areas: &[Area], lon: f64, lat: f64) -> Option<usize> {
    let p = Point::new(lon, lat);
    let inside = areas.iter().position(|a| {
        a.bbox.min().x <= lon
            && lon <= a.bbox.max().x
            && a.bbox.min().y <= lat
            && lat <= a.bbox.max().y
            && a.shape.contains(&p)
    });
    if inside.is_some() {
        return inside;
    }
    use geo::{Distance, Euclidean};
    areas
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.bbox.min().x - NEAR <= lon
                && lon <= a.bbox.max().x + NEAR
                && a.bbox.min().y - NEAR <= lat
                && lat <= a.bbox.max().y + NEAR
        })
        .map(|(i, a)| (Euclidean.distance(&p, &a.shape), i))
        .filter(|(d, _)| *d < NEAR)
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, i)| i)
}

/// The coordinates of a MultiPolygon as GeoJSON, each rounded by `round`; rings of fewer
/// than four points (left by simplification) are dropped.
pub fn multipolygon_coordinates(shape: &MultiPolygon<f64>, round: impl Fn(f64) -> f64) -> Value {
    let ring = |ls: &geo::LineString<f64>| -> Value {
        Value::Array(
            ls.coords()
                .map(|c| json!([round(c.x), round(c.y)]))
                .collect(),
        )
    };
    Value::Array(
        shape
            .0
            .iter()
            .filter(|p| p.exterior().0.len() >= 4)
            .map(|p| {
                let mut rings = vec![ring(p.exterior())];
                rings.extend(p.interiors().iter().filter(|r| r.0.len() >= 4).map(ring));
                Value::Array(rings)
            })
            .collect(),
    )
}

/// The bundled governorates (level 1) and districts (level 2), parsed once per process.
pub fn bundled() -> &'static (Vec<Area>, Vec<Area>) {
    static AREAS: std::sync::OnceLock<(Vec<Area>, Vec<Area>)> = std::sync::OnceLock::new();
    AREAS.get_or_init(|| {
        let read =
            |text: &str, name: &str| areas_of(text, Path::new(name), "bundled").unwrap_or_default();
        (
            read(
                include_str!("../gazetteer/admin1.geojson"),
                "gazetteer/admin1.geojson",
            ),
            read(
                include_str!("../gazetteer/admin2.geojson"),
                "gazetteer/admin2.geojson",
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_outlines_hold_every_governorate_and_district() {
        let (adm1, adm2) = bundled();
        assert_eq!(adm1.len(), 14);
        assert_eq!(adm2.len(), 62);
        // Aleppo's citadel, Idlib city, Latakia port, Deir ez-Zor.
        for (lon, lat, gov, district) in [
            (37.1626, 36.1993, "Aleppo", "Jebel Saman"),
            (36.6339, 35.9306, "Idleb", "Idleb"),
            (35.7796, 35.5234, "Lattakia", "Lattakia"),
            (40.1408, 35.3359, "Deir-ez-Zor", "Deir-ez-Zor"),
        ] {
            assert_eq!(locate(adm1, lon, lat).map(|a| a.name.as_str()), Some(gov));
            let d = locate(adm2, lon, lat).expect(district);
            assert_eq!(d.name, district);
            assert_eq!(d.parent.as_deref(), Some(gov));
        }
        // Beirut and Baghdad are in no Syrian area.
        assert!(locate(adm1, 35.5018, 33.8938).is_none());
        assert!(locate(adm1, 44.3661, 33.3152).is_none());
    }
}
