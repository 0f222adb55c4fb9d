//! GeoJSON layers (RFC 7946): claims and events as points, place-by-period totals as points, area-by-period totals as polygons.
//!
//! Longitude first, WGS 84, no `crs` member, coordinates rounded to 6 decimals, properties
//! with sorted keys, features sorted, one feature per line: the same inputs give the same
//! bytes.

use crate::hash::FnvHashMap as HashMap;

use serde_json::{json, Value};

use crate::admin::Area;
use crate::aggregate::{Event, PlacePeriod};
use crate::model::{Claim, Document, Outcome, Scope, Victims};

/// Rounds a coordinate to 6 decimals (about 0.1 m).
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn date_value(d: Option<jiff::civil::Date>) -> Value {
    d.map(|d| Value::String(d.to_string()))
        .unwrap_or(Value::Null)
}

fn opt(s: Option<&str>) -> Value {
    s.map(|s| Value::String(s.to_string()))
        .unwrap_or(Value::Null)
}

/// A feature's geometry: a point, or one of the bundled areas.
#[derive(Debug, Clone, Copy)]
pub enum Geom<'a> {
    Point { lon: f64, lat: f64 },
    Area(&'a Area),
}

/// A feature's properties: names and values, sorted by name (every feature of a layer has
/// the same names).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Props(Vec<(&'static str, Value)>);

impl Props {
    fn with_capacity(n: usize) -> Props {
        Props(Vec::with_capacity(n))
    }

    /// Adds a property (names are sorted when the feature is handed over).
    pub fn insert(&mut self, name: &'static str, value: Value) {
        self.0.push((name, value));
    }

    fn sorted(mut self) -> Props {
        self.0.sort_by(|a, b| a.0.cmp(b.0));
        self
    }

    /// The properties in name order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Value)> {
        self.0.iter()
    }

    /// The value of a property.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// Where a layer's features go, in order: a GeoJSON text, a GeoPackage table.
pub trait FeatureSink {
    fn feature(&mut self, id: &str, geom: Geom<'_>, props: &Props);
}

/// A feature collection written as it is made, one feature per line.
pub struct GeoJsonWriter<W: std::io::Write> {
    out: W,
    n: usize,
    /// Area outlines already written as GeoJSON, by P-code.
    areas: HashMap<String, String>,
    /// The first write error (a sink cannot return one).
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> GeoJsonWriter<W> {
    pub fn new(out: W) -> Self {
        GeoJsonWriter {
            out,
            n: 0,
            areas: HashMap::default(),
            error: None,
        }
    }

    fn write_feature(&mut self, id: &str, geom: Geom<'_>, props: &Props) -> std::io::Result<()> {
        let o = &mut self.out;
        o.write_all(if self.n == 0 {
            b"{\"type\":\"FeatureCollection\",\"features\":[\n"
        } else {
            b",\n"
        })?;
        self.n += 1;
        // serde_json::Value objects keep sorted keys (BTreeMap) without `preserve_order`.
        o.write_all(b"{\"type\":\"Feature\",\"id\":")?;
        serde_json::to_writer(&mut *o, id)?;
        o.write_all(b",\"geometry\":")?;
        match geom {
            Geom::Point { lon, lat } => {
                o.write_all(b"{\"coordinates\":[")?;
                serde_json::to_writer(&mut *o, &round6(lon))?;
                o.write_all(b",")?;
                serde_json::to_writer(&mut *o, &round6(lat))?;
                o.write_all(b"],\"type\":\"Point\"}")?
            }
            Geom::Area(a) => {
                let text = self
                    .areas
                    .entry(a.pcode.clone())
                    .or_insert_with(|| area_geometry(a));
                o.write_all(text.as_bytes())?
            }
        }
        o.write_all(b",\"properties\":{")?;
        for (i, (k, v)) in props.iter().enumerate() {
            if i > 0 {
                o.write_all(b",")?;
            }
            serde_json::to_writer(&mut *o, k)?;
            o.write_all(b":")?;
            serde_json::to_writer(&mut *o, v)?;
        }
        o.write_all(b"}}")
    }

    /// Ends the FeatureCollection; the first error of any feature, if one failed.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.n == 0 {
            self.out
                .write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n]}\n")
        } else {
            self.out.write_all(b"\n]}\n")
        }
    }
}

impl<W: std::io::Write> FeatureSink for GeoJsonWriter<W> {
    fn feature(&mut self, id: &str, geom: Geom<'_>, props: &Props) {
        if self.error.is_none() {
            if let Err(e) = self.write_feature(id, geom, props) {
                self.error = Some(e);
            }
        }
    }
}

/// Runs a layer into a GeoJSON text.
pub fn to_text(layer: impl FnOnce(&mut dyn FeatureSink)) -> String {
    let mut buf: Vec<u8> = Vec::new();
    let mut sink = GeoJsonWriter::new(&mut buf);
    layer(&mut sink);
    let _ = sink.finish();
    String::from_utf8(buf).unwrap_or_default()
}

/// `claims.geojson`: every event-scope claim with a resolved event place, as a point there,
/// with the event it was counted in (`event_id`, empty when it was not counted).
pub fn claims_layer(
    claims: &[Claim],
    docs: &HashMap<&str, &Document>,
    event_of: &HashMap<&str, &str>,
    sink: &mut dyn FeatureSink,
) {
    let mut sorted: Vec<&Claim> = claims.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for c in sorted {
        if c.scope != Scope::Event {
            continue;
        }
        let Some(p) = c.event_place() else { continue };
        let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
            continue;
        };
        let doc = docs.get(c.doc.as_str());
        let mut props = Props::with_capacity(48);
        props.insert("id", json!(c.id));
        props.insert("doc", json!(c.doc));
        props.insert(
            "event_id",
            json!(event_of.get(c.id.as_str()).copied().unwrap_or("")),
        );
        props.insert("title", opt(doc.and_then(|d| d.title.as_deref())));
        props.insert("url", opt(doc.and_then(|d| d.url.as_deref())));
        props.insert("outlet", opt(doc.and_then(|d| d.outlet.as_deref())));
        props.insert("published", date_value(c.published));
        props.insert("quote", json!(c.quote));
        props.insert("count_low", json!(c.count.low));
        props.insert("count_high", json!(c.count.high));
        props.insert("count_text", json!(c.count.text));
        props.insert("qualifier", json!(c.count.qualifier));
        props.insert("outcome", json!(c.outcome));
        props.insert("victims", json!(c.victims));
        props.insert("victims_text", opt(c.victims_text.as_deref()));
        props.insert("claimant", opt(c.claimant.as_deref()));
        props.insert("part_of", opt(c.part_of.as_deref()));
        props.insert("date_start", date_value(c.date.start));
        props.insert("date_end", date_value(c.date.end));
        props.insert("date_precision", json!(c.date.precision));
        props.insert("date_text", opt(c.date.text.as_deref()));
        props.insert("place_mention", json!(p.mention));
        props.insert("place_name", opt(p.name.as_deref()));
        props.insert("gazetteer_id", opt(p.gazetteer_id.as_deref()));
        props.insert("admin1", opt(p.admin1.as_deref()));
        props.insert("admin2", opt(p.admin2.as_deref()));
        props.insert("precision", json!(p.precision));
        sink.feature(&c.id, Geom::Point { lon, lat }, &props.sorted());
    }
}

/// `events.geojson`: one point per event, with its range and the claims it holds.
pub fn events_layer(events: &[Event], sink: &mut dyn FeatureSink) {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for e in sorted {
        let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) else {
            continue;
        };
        let mut props = Props::with_capacity(48);
        props.insert("id", json!(e.id));
        props.insert("outcome", json!(e.outcome));
        props.insert("victims", json!(e.victims));
        props.insert("low", json!(e.range.low));
        props.insert("high", json!(e.range.high));
        props.insert("start", date_value(e.start));
        props.insert("end", date_value(e.end));
        props.insert("place_id", opt(e.place.gazetteer_id.as_deref()));
        props.insert("name", opt(e.place.name.as_deref()));
        props.insert("admin1", opt(e.place.admin1.as_deref()));
        props.insert("admin2", opt(e.place.admin2.as_deref()));
        props.insert("precision", json!(e.place.precision));
        props.insert(
            "origins",
            json!(e
                .origins
                .iter()
                .filter_map(|(o, _)| o.name.as_deref())
                .collect::<Vec<_>>()
                .join("; ")),
        );
        props.insert("claims", json!(e.claims.len()));
        props.insert("claim_ids", json!(e.claims.join(" ")));
        props.insert("restated_ids", json!(e.restated.join(" ")));
        props.insert("documents", json!(e.documents.len()));
        props.insert(
            "claimants",
            json!(e.claimants.iter().cloned().collect::<Vec<_>>().join("; ")),
        );
        sink.feature(&e.id, Geom::Point { lon, lat }, &props.sorted());
    }
}

/// The `<outcome>_low` / `<outcome>_high` columns of place and area layers.
const OUTCOME_COLUMNS: [(Outcome, &str, &str); 5] = [
    (Outcome::Killed, "killed_low", "killed_high"),
    (Outcome::Wounded, "wounded_low", "wounded_high"),
    (
        Outcome::KilledOrWounded,
        "killed_or_wounded_low",
        "killed_or_wounded_high",
    ),
    (Outcome::Captured, "captured_low", "captured_high"),
    (Outcome::Missing, "missing_low", "missing_high"),
];

/// The `killed_<victims>_low` / `_high` columns.
const VICTIM_COLUMNS: [(Victims, &str, &str); 7] = [
    (
        Victims::Civilians,
        "killed_civilians_low",
        "killed_civilians_high",
    ),
    (
        Victims::ProGovernment,
        "killed_pro_government_low",
        "killed_pro_government_high",
    ),
    (
        Victims::Opposition,
        "killed_opposition_low",
        "killed_opposition_high",
    ),
    (
        Victims::Jihadist,
        "killed_jihadist_low",
        "killed_jihadist_high",
    ),
    (
        Victims::KurdishForces,
        "killed_kurdish_forces_low",
        "killed_kurdish_forces_high",
    ),
    (
        Victims::ForeignForces,
        "killed_foreign_forces_low",
        "killed_foreign_forces_high",
    ),
    (
        Victims::Unknown,
        "killed_unknown_low",
        "killed_unknown_high",
    ),
];

/// The period and totals of a row, as properties.
fn totals(r: &PlacePeriod, events: &[Event], props: &mut Props) {
    props.insert("period", json!(r.period.label));
    props.insert("period_start", date_value(r.period.start));
    props.insert("period_end", date_value(r.period.end));
    for (o, low, high) in OUTCOME_COLUMNS {
        let range = r.outcomes.get(&o).copied().unwrap_or_default();
        props.insert(low, json!(range.low));
        props.insert(high, json!(if range.any { range.high } else { Some(0) }));
    }
    for (v, low, high) in VICTIM_COLUMNS {
        let range = r.killed_by_victims.get(&v).copied().unwrap_or_default();
        props.insert(low, json!(range.low));
        props.insert(high, json!(if range.any { range.high } else { Some(0) }));
    }
    let join = |ids: &mut dyn Iterator<Item = &str>, sep: &str| -> (usize, String) {
        let mut n = 0;
        let mut out = String::new();
        for id in ids {
            if n > 0 {
                out.push_str(sep);
            }
            out.push_str(id);
            n += 1;
        }
        (n, out)
    };
    let (n_events, event_ids) = join(&mut r.events_of(events).map(|e| e.id.as_str()), " ");
    let (n_claims, claim_ids) = join(&mut r.claim_ids(events), " ");
    props.insert("events", json!(n_events));
    props.insert("event_ids", json!(event_ids));
    props.insert("spanning", json!(r.spanning));
    props.insert("claims", json!(n_claims));
    props.insert("claim_ids", json!(claim_ids));
    props.insert(
        "restated_ids",
        json!(join(&mut r.restated_ids(events), " ").1),
    );
    props.insert("documents", json!(r.documents(events).len()));
    props.insert(
        "claimants",
        json!(join(&mut r.claimants(events).into_iter(), "; ").1),
    );
}

/// `places.geojson` (or `origins.geojson`): one point per place and period with totals.
pub fn places_layer(rows: &[PlacePeriod], events: &[Event], sink: &mut dyn FeatureSink) {
    let mut keyed: Vec<(String, &PlacePeriod)> = rows
        .iter()
        .filter_map(|r| {
            let pid = r.place.gazetteer_id.as_deref()?;
            Some((format!("{pid}|{}", r.period.label), r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, r) in keyed {
        let (Some(lat), Some(lon), Some(pid)) = (r.place.lat, r.place.lon, &r.place.gazetteer_id)
        else {
            continue;
        };
        let mut props = Props::with_capacity(48);
        props.insert("place_id", json!(pid));
        props.insert("name", opt(r.place.name.as_deref()));
        props.insert("admin1", opt(r.place.admin1.as_deref()));
        props.insert("admin2", opt(r.place.admin2.as_deref()));
        props.insert("kind", json!(r.place.kind));
        props.insert("precision", json!(r.place.precision));
        totals(r, events, &mut props);
        sink.feature(&id, Geom::Point { lon, lat }, &props.sorted());
    }
}

/// `admin1.geojson` / `admin2.geojson`: one polygon per area and period with totals.
pub fn areas_layer(
    rows: &[(usize, PlacePeriod)],
    areas: &[Area],
    events: &[Event],
    sink: &mut dyn FeatureSink,
) {
    let mut keyed: Vec<(String, &Area, &PlacePeriod)> = rows
        .iter()
        .filter_map(|(i, r)| {
            let a = areas.get(*i)?;
            Some((format!("{}|{}", a.pcode, r.period.label), a, r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, a, r) in keyed {
        let mut props = Props::with_capacity(48);
        props.insert("pcode", json!(a.pcode));
        props.insert("name", json!(a.name));
        props.insert("name_ar", json!(a.name_ar));
        if let Some(p) = &a.parent {
            props.insert("admin1", json!(p));
        }
        totals(r, events, &mut props);
        sink.feature(&id, Geom::Area(a), &props.sorted());
    }
}

/// An area's outline as a GeoJSON MultiPolygon, coordinates rounded to 6 decimals.
pub fn area_geometry(a: &Area) -> String {
    let coordinates = crate::admin::multipolygon_coordinates(&a.shape, round6);
    json!({"type": "MultiPolygon", "coordinates": coordinates}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_six_decimals() {
        assert_eq!(round6(36.123_456_789), 36.123457);
        assert_eq!(round6(-0.000_000_4), -0.0);
    }

    #[test]
    fn empty_layer_is_a_valid_feature_collection() {
        let s = to_text(|sink| places_layer(&[], &[], sink));
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }
}
