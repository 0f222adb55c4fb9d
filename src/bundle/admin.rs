//! The simplified governorate and district outlines bundled in `gazetteer/`, made from OCHA's.

use std::path::Path;

use geo::Simplify;
use serde_json::json;

use super::BundleError;
use crate::admin::{multipolygon_coordinates, read_areas, Area};

/// How far (degrees, about 200 m) the bundled outlines may stray from OCHA's.
const SIMPLIFY_EPSILON: f64 = 0.002;

/// Decimals kept in the bundled outlines (about 11 m).
const DECIMALS: i32 = 4;

fn round(x: f64) -> f64 {
    let f = 10f64.powi(DECIMALS);
    (x * f).round() / f
}

/// The GeoJSON of simplified outlines, one feature per area sorted by P-code, with `name`,
/// `pcode`, `name_ar` and (for districts) `admin1`.
pub fn simplified_geojson(areas: &[Area]) -> String {
    let mut sorted: Vec<&Area> = areas.iter().collect();
    sorted.sort_by(|a, b| a.pcode.cmp(&b.pcode).then_with(|| a.name.cmp(&b.name)));
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, a) in sorted.iter().enumerate() {
        let simple = a.shape.simplify(SIMPLIFY_EPSILON);
        let polys = multipolygon_coordinates(&simple, round);
        let mut props = serde_json::Map::new();
        props.insert("name".into(), json!(a.name));
        props.insert("pcode".into(), json!(a.pcode));
        props.insert("name_ar".into(), json!(a.name_ar));
        if let Some(p) = &a.parent {
            props.insert("admin1".into(), json!(p));
        }
        let f = json!({
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "MultiPolygon", "coordinates": polys},
        });
        out.push_str(&f.to_string());
        if i + 1 < sorted.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

/// Writes the simplified governorate and district outlines made from `data/boundaries` into
/// `out_dir` as `admin1.geojson` and `admin2.geojson`.
pub fn write_bundle(data: &Path, out_dir: &Path) -> Result<(), BundleError> {
    let bd = data.join("boundaries");
    for (file, level, name) in [
        (
            "ocha_syr_adm1_governorates.geojson",
            "adm1",
            "admin1.geojson",
        ),
        ("ocha_syr_adm2_districts.geojson", "adm2", "admin2.geojson"),
    ] {
        let areas = read_areas(&bd.join(file), level)?;
        let path = out_dir.join(name);
        crate::util::atomic::write(&path, simplified_geojson(&areas).as_bytes())
            .map_err(|source| BundleError::Io { path, source })?;
    }
    Ok(())
}
