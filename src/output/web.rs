//! The Leaflet web map of `build`: `index.html`, its script and style, and `data.js` (the
//! places, origins, governorates and claims as one JavaScript object, loaded by a `<script>`
//! tag so that the page opens from `file://`); Leaflet from a pinned URL with subresource
//! integrity, or copied from a local folder for offline use.

use std::path::{Path, PathBuf};

use crate::layers::names;
use serde_json::{json, Map, Value};

use super::{stage, MapShape, OutputError, Staged};
use crate::util::hash::FnvHashMap;

const PAGE: &str = include_str!("../../web/index.html");
const SCRIPT: &str = include_str!("../../web/map.js");
const STYLE: &str = include_str!("../../web/map.css");

/// The Leaflet release the page is written for (the npm package `leaflet`).
pub const LEAFLET_VERSION: &str = "1.9.4";
const LEAFLET_CDN: &str = "https://unpkg.com/leaflet@1.9.4/dist";
const LEAFLET_JS_SRI: &str = "sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo=";
const LEAFLET_CSS_SRI: &str = "sha256-p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY=";

/// Place-periods above which the page does not inline the places (`mode: "tiles"`).
pub const INLINE_LIMIT: usize = 20_000;

/// protomaps-leaflet (npm), which draws `tiles.pmtiles` in the page when the places are too
/// many to inline.
pub const PROTOMAPS_LEAFLET_VERSION: &str = "5.1.0";
const PROTOMAPS_CDN: &str = "https://unpkg.com/protomaps-leaflet@5.1.0/dist/protomaps-leaflet.js";
const PROTOMAPS_SRI: &str = "sha256-Jq8BT3sa8wjsEgt5HP92ZXu5wzg2M7UgM+bt+eXkzbU=";

/// How the web map is made.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// A folder holding `leaflet.js` and `leaflet.css` (or an npm `leaflet` package, with
    /// them in `dist/`): copied next to the page instead of the pinned CDN URL.
    pub assets: Option<PathBuf>,
}

/// The features of one layer (by name: "places", "claims" ...) as GeoJSON-shaped values
/// (`geometry.coordinates` for points, `properties`), made by the layer functions.
pub type LayerFeatures<'a> = &'a mut dyn FnMut(&str) -> Vec<Value>;

/// Collects a layer's features as values, as `LayerFeatures` hands them over.
#[derive(Default)]
pub struct ValueSink(pub Vec<Value>);

impl ValueSink {
    /// Adds one feature as a value.
    pub fn add(&mut self, f: &crate::layers::Feature<'_>) {
        use crate::layers::Geom;
        use crate::util::geodesy::round6;
        let geometry = match f.geom {
            Geom::Point { lon, lat } => json!({ "coordinates": [round6(lon), round6(lat)] }),
            // Areas are drawn from the bundled outlines.
            Geom::Area(_) => Value::Null,
        };
        let properties: Map<String, Value> = f
            .props
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.to_json()))
            .collect();
        self.0
            .push(json!({ "geometry": geometry, "properties": properties }));
    }
}

impl<'a> crate::layers::FeatureSink<'a> for ValueSink {
    fn feature(&mut self, f: crate::layers::Feature<'a>) {
        self.add(&f);
    }
}

/// The layers the page's data is made from: the inlined ones, and the governorates.
pub fn layers_needed(shape: &MapShape) -> &'static [&'static str] {
    if shape.place_rows <= INLINE_LIMIT {
        &["places", "origins", "admin1", "claims"]
    } else {
        &["admin1"]
    }
}

fn num(v: &Value) -> Value {
    match v {
        Value::Number(_) => v.clone(),
        _ => Value::Null,
    }
}

/// Periods (id, start, end) found in the rows, in time order.
fn periods_of(layers: &[&[Value]]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = layers
        .iter()
        .flat_map(|l| l.iter())
        .filter_map(|f| {
            let p = &f["properties"];
            Some((
                p[names::PERIOD].as_str()?.to_string(),
                p[names::PERIOD_START].as_str().unwrap_or("").to_string(),
                p[names::PERIOD_END].as_str().unwrap_or("").to_string(),
            ))
        })
        .collect();
    out.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    out.dedup();
    out
}

/// One row of a place or an area: its period's totals, killed by victims and claims; the
/// other outcomes (`ol`/`oh` killed or wounded, `cl`/`ch` captured, `ml`/`mh` missing) only
/// when there are any.
fn row(p: &Value, period: &FnvHashMap<&str, usize>, claim_ix: &FnvHashMap<&str, usize>) -> Value {
    let mut vk = Map::new();
    for v in crate::model::Victims::ALL {
        let key = format!("killed_{}_low", v.as_str());
        if let Some(n) = p[key.as_str()].as_i64().filter(|n| *n > 0) {
            vk.insert(v.as_str().to_string(), n.into());
        }
    }
    let claims: Vec<usize> = p[names::CLAIM_IDS]
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|id| claim_ix.get(id).copied())
        .collect();
    let mut row = json!({
        "p": p[names::PERIOD].as_str().and_then(|id| period.get(id)).copied(),
        "kl": p[names::KILLED_LOW].as_i64().unwrap_or(0),
        "kh": num(&p[names::KILLED_HIGH]),
        "wl": p[names::WOUNDED_LOW].as_i64().unwrap_or(0),
        "wh": num(&p[names::WOUNDED_HIGH]),
        "vk": vk,
        "c": claims,
    });
    for (low, high, l, h) in [
        (
            names::KILLED_OR_WOUNDED_LOW,
            names::KILLED_OR_WOUNDED_HIGH,
            "ol",
            "oh",
        ),
        (names::CAPTURED_LOW, names::CAPTURED_HIGH, "cl", "ch"),
        (names::MISSING_LOW, names::MISSING_HIGH, "ml", "mh"),
    ] {
        let n = p[low].as_i64().unwrap_or(0);
        if n > 0 || p[high].is_null() || p[high].as_i64().unwrap_or(0) > 0 {
            row[l] = n.into();
            row[h] = num(&p[high]);
        }
    }
    row
}

/// Places (or origins) grouped by place id, each with its rows.
fn places_of(
    features: &[Value],
    period: &FnvHashMap<&str, usize>,
    claim_ix: &FnvHashMap<&str, usize>,
) -> Vec<Value> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: FnvHashMap<&str, (Value, Vec<Value>)> = FnvHashMap::default();
    for f in features {
        let p = &f["properties"];
        let id = p[names::PLACE_ID].as_str().unwrap_or("");
        let entry = by_id.entry(id).or_insert_with(|| {
            order.push(id);
            let c = &f["geometry"]["coordinates"];
            (
                json!({
                    "id": id,
                    "name": p[names::NAME],
                    "lon": c[0],
                    "lat": c[1],
                    "precision": p[names::PRECISION],
                    "admin1": p[names::ADMIN1],
                    "site": site_label(p),
                }),
                Vec::new(),
            )
        });
        entry.1.push(row(p, period, claim_ix));
    }
    order
        .into_iter()
        .filter_map(|id| by_id.remove(id))
        .map(|(mut place, rows)| {
            place["rows"] = Value::Array(rows);
            place
        })
        .collect()
}

fn claim_of(f: &Value) -> Value {
    let p = &f["properties"];
    let date = match (
        p[names::DATE_PRECISION].as_str(),
        p[names::DATE_START].as_str(),
        p[names::DATE_END].as_str(),
    ) {
        (Some("unknown"), _, _) | (None, _, _) => Value::Null,
        (_, Some(s), Some(e)) if s != e => format!("{s} \u{2013} {e}").into(),
        (_, _, Some(e)) => e.into(),
        (_, Some(s), None) => s.into(),
        _ => Value::Null,
    };
    json!({
        "id": p[names::ID], "doc": p[names::DOC], "low": p[names::COUNT_LOW], "high": p[names::COUNT_HIGH],
        "outcome": p[names::OUTCOME], "victims": p[names::VICTIMS], "victims_text": p[names::VICTIMS_TEXT],
        "date": date, "claimant": p[names::CLAIMANT], "quote": p[names::QUOTE], "url": p[names::URL],
        "title": p[names::TITLE], "outlet": p[names::OUTLET], "precision": p[names::PRECISION],
        "place": p[names::PLACE_NAME], "confidence": p[names::CONFIDENCE], "reasons": p[names::REASONS],
    })
}

/// The data object of the page.
fn data(layer: LayerFeatures<'_>, inline: bool, shape: &MapShape) -> Value {
    let mut inlined = |name: &str| if inline { layer(name) } else { Vec::new() };
    let places = inlined("places");
    let origins = inlined("origins");
    let claims = inlined("claims");
    let admin1 = layer("admin1");
    let periods = periods_of(&[&places, &origins, &admin1]);
    let period_ix: FnvHashMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.0.as_str(), i))
        .collect();
    let claim_ix: FnvHashMap<&str, usize> = claims
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((f["properties"][names::ID].as_str()?, i)))
        .collect();
    let mut area_rows: FnvHashMap<&str, Vec<Value>> = FnvHashMap::default();
    for f in &admin1 {
        let p = &f["properties"];
        if let Some(pcode) = p[names::PCODE].as_str() {
            area_rows
                .entry(pcode)
                .or_default()
                .push(row(p, &period_ix, &FnvHashMap::default()));
        }
    }
    let areas: Vec<Value> = crate::admin::bundled()
        .0
        .iter()
        .map(|a| {
            json!({
                "pcode": a.pcode,
                "name": a.name,
                "name_ar": a.name_ar,
                "rings": crate::admin::multipolygon_coordinates(&a.shape, |v| (v * 1e4).round() / 1e4),
                "rows": area_rows.remove(a.pcode.as_str()).unwrap_or_default(),
            })
        })
        .collect();
    json!({
        "generator": concat!("tollmap ", env!("CARGO_PKG_VERSION")),
        "mode": if inline { "geojson" } else { "tiles" },
        "place_rows": shape.place_rows,
        "max_killed": shape.max_killed,
        "killed_total": shape.killed_total,
        "tiles": shape.tiles.map(|t| t.0),
        "tiles_max_zoom": shape.tiles.map(|t| t.1),
        "periods": periods.iter().map(|(id, s, e)| json!({"id": id, "start": s, "end": e})).collect::<Vec<_>>(),
        "places": places_of(&places, &period_ix, &claim_ix),
        "origins": places_of(&origins, &period_ix, &claim_ix),
        "areas": areas,
        "claims": claims.iter().map(claim_of).collect::<Vec<_>>(),
    })
}

fn local_asset(dir: &Path, name: &str) -> Result<Vec<u8>, OutputError> {
    // The folder itself, its dist/ (an npm package), or a sibling npm package's dist/
    // (node_modules/leaflet given, node_modules/protomaps-leaflet beside it).
    let mut candidates = vec![dir.join(name), dir.join("dist").join(name)];
    if let (Some(parent), Some(stem)) = (dir.parent(), name.strip_suffix(".js")) {
        candidates.push(parent.join(stem).join("dist").join(name));
    }
    for c in &candidates {
        if c.is_file() {
            return std::fs::read(c).map_err(|cause| OutputError::Io {
                path: c.clone(),
                cause,
            });
        }
    }
    Err(OutputError::Io {
        path: candidates[0].clone(),
        cause: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("--web-assets: no {name} here or in dist/ (give the npm package leaflet@{LEAFLET_VERSION} or its dist folder; large maps also need protomaps-leaflet@{PROTOMAPS_LEAFLET_VERSION})"),
        ),
    })
}

/// Stages the web map's files, its data made from the layers.
pub fn stage_web(
    layer: LayerFeatures<'_>,
    shape: &MapShape,
    opts: &WebOptions,
) -> Result<Vec<Staged>, OutputError> {
    let inline = shape.place_rows <= INLINE_LIMIT;
    let data = data(layer, inline, shape);
    let mut out = Vec::new();
    let tiled = !inline && shape.tiles.is_some();
    // The page's policy names the exact files it loads from the CDN, not the whole host.
    let mut csp_scripts = Vec::new();
    let (css, mut js, csp_styles, csp_images) = match &opts.assets {
        None => (
            format!(
                r#"<link rel="stylesheet" href="{LEAFLET_CDN}/leaflet.css" integrity="{LEAFLET_CSS_SRI}" crossorigin="">"#
            ),
            format!(
                r#"<script src="{LEAFLET_CDN}/leaflet.js" integrity="{LEAFLET_JS_SRI}" crossorigin=""></script>"#
            ),
            {
                csp_scripts.push(format!("{LEAFLET_CDN}/leaflet.js"));
                format!("{LEAFLET_CDN}/leaflet.css")
            },
            format!("{LEAFLET_CDN}/images/"),
        ),
        Some(dir) => {
            let js = local_asset(dir, "leaflet.js")?;
            let css = local_asset(dir, "leaflet.css")?;
            out.push(stage("leaflet.js", |w| w.write_all(&js))?);
            out.push(stage("leaflet.css", |w| w.write_all(&css))?);
            (
                r#"<link rel="stylesheet" href="leaflet.css">"#.to_string(),
                r#"<script src="leaflet.js"></script>"#.to_string(),
                String::new(),
                String::new(),
            )
        }
    };
    if tiled {
        match &opts.assets {
            None => {
                csp_scripts.push(PROTOMAPS_CDN.to_string());
                js.push_str(&format!(
                    r#"
<script src="{PROTOMAPS_CDN}" integrity="{PROTOMAPS_SRI}" crossorigin=""></script>"#
                ))
            }
            Some(dir) => {
                let pm = local_asset(dir, "protomaps-leaflet.js")?;
                out.push(stage("protomaps-leaflet.js", |w| w.write_all(&pm))?);
                js.push_str("\n<script src=\"protomaps-leaflet.js\"></script>");
            }
        }
    }
    let page = PAGE
        .replace("{{LEAFLET_CSS}}", &css)
        .replace("{{LEAFLET_JS}}", &js)
        .replace("{{CSP_SCRIPTS}}", &csp_scripts.join(" "))
        .replace("{{CSP_STYLES}}", &csp_styles)
        .replace("{{CSP_IMAGES}}", &csp_images);
    out.push(stage("index.html", |w| w.write_all(page.as_bytes()))?);
    out.push(stage("map.js", |w| w.write_all(SCRIPT.as_bytes()))?);
    out.push(stage("map.css", |w| w.write_all(STYLE.as_bytes()))?);
    out.push(stage("data.js", |w| {
        w.write_all(b"window.TOLLMAP_DATA = ")?;
        serde_json::to_writer(&mut *w, &data).map_err(std::io::Error::other)?;
        w.write_all(b";\n")
    })?);
    Ok(out)
}

/// "airbase, near Kuweires Sharqi" for a landmark's place properties; null for the rest.
fn site_label(p: &Value) -> Value {
    let kind = p[names::KIND]
        .as_str()
        .and_then(crate::model::PlaceKind::parse);
    match kind.filter(|k| k.is_landmark()) {
        Some(k) => {
            let mut label = k.label();
            if let Some(near) = p[names::NEAR].as_str() {
                label.push_str(", near ");
                label.push_str(near);
            }
            Value::String(label)
        }
        None => Value::Null,
    }
}
