//! User overlays: extra places and aliases from CSV or GeoJSON files that win over the bundled data.
//!
//! CSV columns (header required, by name): `name` (required), `aliases` (`|`-separated),
//! `lat`, `lon` (required unless `same_as` is given), `kind` (default `landmark`), `admin1`,
//! `admin2`, `country` (default `SY`), `population`, `id` (default `overlay:<file>:<line>`),
//! `same_as` (the id of a place of the gazetteer, e.g. `geonames:171830`: the row's names become
//! aliases of that place, which keeps its own point and id). Landmarks: `kind` is one of the
//! landmark kinds (`airbase`, `prison`, `camp`, `hill` ...), `near` the town the site is
//! described with, `radius_m` the radius in metres within which it lies, `weak_source`
//! `true` when its only source is weak. A row whose `id` is a bundled place's (`landmark:576`)
//! replaces that place: the way to correct a bundled landmark's point.
//! GeoJSON: a FeatureCollection of Points whose properties use the same names.
//! Syrian overlay places without `admin1`/`admin2` take those of the nearest bundled place
//! within 10 km.

use std::collections::HashMap;
use std::path::Path;

use super::{distance_km, sha256_hex, Entry, Gazetteer, GazetteerError};
use crate::model::PlaceKind;

/// Reads overlay files into entries, resolving `same_as` against `base`; also returns a
/// hash of the files' contents (the overlay layer's version).
pub fn read(paths: &[&Path], base: &Gazetteer) -> Result<(Vec<Entry>, String), GazetteerError> {
    let mut out = Vec::new();
    let mut hashes = String::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|cause| GazetteerError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        hashes.push_str(&sha256_hex(text.as_bytes()));
        out.extend(parse(path, &text, base)?);
    }
    Ok((out, sha256_hex(hashes.as_bytes())))
}

/// The entries of one overlay file's text; `path` names it in messages and ids, and its
/// extension (`.geojson`/`.json`, else CSV) says the format.
pub fn parse(path: &Path, text: &str, base: &Gazetteer) -> Result<Vec<Entry>, GazetteerError> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("overlay")
        .to_string();
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
    let rows = if is_json {
        geojson_rows(path, text)?
    } else {
        csv_rows(path, text)?
    };
    rows.into_iter()
        .map(|(line, row)| entry_of(path, &stem, line, &row, base))
        .collect()
}

type Row = HashMap<String, String>;

fn err(path: &Path, line: usize, message: String) -> GazetteerError {
    GazetteerError::Format {
        source_name: path.display().to_string(),
        line,
        message,
    }
}

fn csv_rows(path: &Path, text: &str) -> Result<Vec<(usize, Row)>, GazetteerError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| err(path, 1, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "name") {
        return Err(err(path, 1, "the header has no `name` column".into()));
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            err(path, line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let row: Row = headers
            .iter()
            .cloned()
            .zip(rec.iter().map(str::to_string))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        out.push((line, row));
    }
    Ok(out)
}

fn geojson_rows(path: &Path, text: &str) -> Result<Vec<(usize, Row)>, GazetteerError> {
    let fc: geojson::FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| err(path, 0, e.to_string()))?;
    let mut out = Vec::new();
    for (i, f) in fc.features.into_iter().enumerate() {
        let feature_no = i + 1;
        let mut row: Row = HashMap::new();
        for (k, v) in f.properties.unwrap_or_default() {
            let s = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => continue,
                serde_json::Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                other => other.to_string(),
            };
            row.insert(k.to_ascii_lowercase(), s);
        }
        if let Some(g) = f.geometry {
            match g.value {
                geojson::GeometryValue::Point { coordinates: c } if c.len() >= 2 => {
                    row.insert("lon".into(), c[0].to_string());
                    row.insert("lat".into(), c[1].to_string());
                }
                _ => {
                    return Err(err(
                        path,
                        feature_no,
                        format!("feature {feature_no}: only Point geometries are overlay places"),
                    ))
                }
            }
        }
        out.push((feature_no, row));
    }
    Ok(out)
}

fn entry_of(
    path: &Path,
    stem: &str,
    line: usize,
    row: &Row,
    base: &Gazetteer,
) -> Result<Entry, GazetteerError> {
    let get = |k: &str| row.get(k).map(String::as_str);
    let name = get("name").ok_or_else(|| err(path, line, "missing `name`".into()))?;
    let mut names = vec![name.to_string()];
    if let Some(a) = get("aliases") {
        names.extend(
            a.split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    if let Some(target) = get("same_as") {
        let e = base.iter().find(|e| e.id == target).ok_or_else(|| {
            err(
                path,
                line,
                format!("`same_as` names no gazetteer place: {target}"),
            )
        })?;
        let mut e = e.clone();
        e.names = names;
        e.sources.push(format!("overlay:{stem}"));
        return Ok(e);
    }
    let num = |k: &str| -> Result<f64, GazetteerError> {
        let v = get(k).ok_or_else(|| err(path, line, format!("missing `{k}`")))?;
        v.parse()
            .map_err(|_| err(path, line, format!("`{k}` is not a number: {v}")))
    };
    let (lat, lon) = (num("lat")?, num("lon")?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(err(
            path,
            line,
            format!("coordinates out of range: {lat}, {lon}"),
        ));
    }
    let kind = match get("kind") {
        None => PlaceKind::Landmark,
        Some(k) => {
            PlaceKind::parse(k).ok_or_else(|| err(path, line, format!("unknown kind `{k}`")))?
        }
    };
    let country = get("country").unwrap_or("SY").to_string();
    let (mut admin1, mut admin2) = (
        get("admin1").map(str::to_string),
        get("admin2").map(str::to_string),
    );
    if country == "SY" && (admin1.is_none() || admin2.is_none()) {
        let nearest = base
            .iter()
            .filter(|e| e.country == "SY" && e.admin1.is_some())
            .map(|e| (distance_km(lat, lon, e.lat, e.lon), e))
            .filter(|(d, _)| *d <= 10.0)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, e)) = nearest {
            admin1 = admin1.or_else(|| e.admin1.clone());
            admin2 = admin2.or_else(|| e.admin2.clone());
        }
    }
    let radius_m = match get("radius_m") {
        None => None,
        Some(r) => Some(r.parse::<u32>().map_err(|_| {
            err(
                path,
                line,
                format!("`radius_m` is not a whole number of metres: {r}"),
            )
        })?),
    };
    let near = get("near").map(str::to_string);
    let site = (kind.is_landmark() || near.is_some() || radius_m.is_some())
        .then_some(super::Site { near, radius_m });
    let weak = match get("weak_source").map(str::to_ascii_lowercase).as_deref() {
        None | Some("0" | "false" | "no") => false,
        Some("1" | "true" | "yes") => true,
        Some(other) => {
            return Err(err(
                path,
                line,
                format!("`weak_source` must be true or false: {other}"),
            ))
        }
    };
    let mut sources = vec![format!("overlay:{stem}")];
    if weak {
        sources.push(super::WEAK_SOURCE.to_string());
    }
    Ok(Entry {
        site,
        id: get("id")
            .map(str::to_string)
            .unwrap_or_else(|| format!("overlay:{stem}:{line}")),
        kind,
        name: name.to_string(),
        lat,
        lon,
        country,
        admin1,
        admin2,
        population: get("population").and_then(|p| p.parse().ok()).unwrap_or(0),
        sources,
        names,
    })
}
