//! GeoJSON layers (RFC 7946): claims and events as points, place-by-period totals as points, area-by-period totals as polygons.
//!
//! Longitude first, WGS 84, no `crs` member, coordinates rounded to 6 decimals, properties
//! with sorted keys, features sorted, one feature per line: the same inputs give the same
//! bytes.

use std::collections::{BTreeMap, HashMap};

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

/// A Point geometry as GeoJSON text.
pub fn point_geometry(lon: f64, lat: f64) -> String {
    json!({"type": "Point", "coordinates": [round6(lon), round6(lat)]}).to_string()
}

/// A feature's geometry: a point, or one of the bundled areas.
#[derive(Debug, Clone, Copy)]
pub enum Geom<'a> {
    Point { lon: f64, lat: f64 },
    Area(&'a Area),
}

/// Where a layer's features go, in order: a GeoJSON text, a GeoPackage table.
pub trait FeatureSink {
    fn feature(&mut self, id: &str, geom: Geom<'_>, props: &BTreeMap<String, Value>);
}

/// A feature collection as text, one feature per line.
#[derive(Default)]
pub struct GeoJsonText {
    out: String,
    n: usize,
    /// Area outlines already written as GeoJSON, by P-code.
    areas: HashMap<String, String>,
}

impl FeatureSink for GeoJsonText {
    fn feature(&mut self, id: &str, geom: Geom<'_>, props: &BTreeMap<String, Value>) {
        if self.n == 0 {
            self.out
                .push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
        } else {
            self.out.push_str(",\n");
        }
        self.n += 1;
        // serde_json::Value objects keep sorted keys (BTreeMap) without `preserve_order`.
        self.out.push_str("{\"type\":\"Feature\",\"id\":");
        self.out
            .push_str(&Value::String(id.to_string()).to_string());
        self.out.push_str(",\"geometry\":");
        match geom {
            Geom::Point { lon, lat } => self.out.push_str(&point_geometry(lon, lat)),
            Geom::Area(a) => {
                let text = self
                    .areas
                    .entry(a.pcode.clone())
                    .or_insert_with(|| area_geometry(a));
                self.out.push_str(text);
            }
        }
        self.out.push_str(",\"properties\":");
        self.out
            .push_str(&serde_json::to_string(props).unwrap_or_else(|_| "{}".into()));
        self.out.push('}');
    }
}

impl GeoJsonText {
    /// The finished FeatureCollection.
    pub fn finish(mut self) -> String {
        if self.n == 0 {
            return "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n".into();
        }
        self.out.push_str("\n]}\n");
        self.out
    }
}

/// Runs a layer into a GeoJSON text.
pub fn to_text(layer: impl FnOnce(&mut dyn FeatureSink)) -> String {
    let mut sink = GeoJsonText::default();
    layer(&mut sink);
    sink.finish()
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
        let mut props: BTreeMap<String, Value> = BTreeMap::new();
        props.insert("id".into(), json!(c.id));
        props.insert("doc".into(), json!(c.doc));
        props.insert(
            "event_id".into(),
            json!(event_of.get(c.id.as_str()).copied().unwrap_or("")),
        );
        props.insert("title".into(), opt(doc.and_then(|d| d.title.as_deref())));
        props.insert("url".into(), opt(doc.and_then(|d| d.url.as_deref())));
        props.insert("outlet".into(), opt(doc.and_then(|d| d.outlet.as_deref())));
        props.insert("published".into(), date_value(c.published));
        props.insert("quote".into(), json!(c.quote));
        props.insert("count_low".into(), json!(c.count.low));
        props.insert("count_high".into(), json!(c.count.high));
        props.insert("count_text".into(), json!(c.count.text));
        props.insert("qualifier".into(), json!(c.count.qualifier));
        props.insert("outcome".into(), json!(c.outcome));
        props.insert("victims".into(), json!(c.victims));
        props.insert("victims_text".into(), opt(c.victims_text.as_deref()));
        props.insert("claimant".into(), opt(c.claimant.as_deref()));
        props.insert("part_of".into(), opt(c.part_of.as_deref()));
        props.insert("date_start".into(), date_value(c.date.start));
        props.insert("date_end".into(), date_value(c.date.end));
        props.insert("date_precision".into(), json!(c.date.precision));
        props.insert("date_text".into(), opt(c.date.text.as_deref()));
        props.insert("place_mention".into(), json!(p.mention));
        props.insert("place_name".into(), opt(p.name.as_deref()));
        props.insert("gazetteer_id".into(), opt(p.gazetteer_id.as_deref()));
        props.insert("admin1".into(), opt(p.admin1.as_deref()));
        props.insert("admin2".into(), opt(p.admin2.as_deref()));
        props.insert("precision".into(), json!(p.precision));
        sink.feature(&c.id, Geom::Point { lon, lat }, &props);
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
        let mut props: BTreeMap<String, Value> = BTreeMap::new();
        props.insert("id".into(), json!(e.id));
        props.insert("outcome".into(), json!(e.outcome));
        props.insert("victims".into(), json!(e.victims));
        props.insert("low".into(), json!(e.range.low));
        props.insert("high".into(), json!(e.range.high));
        props.insert("start".into(), date_value(e.start));
        props.insert("end".into(), date_value(e.end));
        props.insert("place_id".into(), opt(e.place.gazetteer_id.as_deref()));
        props.insert("name".into(), opt(e.place.name.as_deref()));
        props.insert("admin1".into(), opt(e.place.admin1.as_deref()));
        props.insert("admin2".into(), opt(e.place.admin2.as_deref()));
        props.insert("precision".into(), json!(e.place.precision));
        props.insert(
            "origins".into(),
            json!(e
                .origins
                .iter()
                .filter_map(|(o, _)| o.name.as_deref())
                .collect::<Vec<_>>()
                .join("; ")),
        );
        props.insert("claims".into(), json!(e.claims.len()));
        props.insert("claim_ids".into(), json!(e.claims.join(" ")));
        props.insert("restated_ids".into(), json!(e.restated.join(" ")));
        props.insert("documents".into(), json!(e.documents.len()));
        props.insert(
            "claimants".into(),
            json!(e.claimants.iter().cloned().collect::<Vec<_>>().join("; ")),
        );
        sink.feature(&e.id, Geom::Point { lon, lat }, &props);
    }
}

/// The outcomes written as `<outcome>_low` / `<outcome>_high` columns of place layers.
pub const LAYER_OUTCOMES: [Outcome; 5] = [
    Outcome::Killed,
    Outcome::Wounded,
    Outcome::KilledOrWounded,
    Outcome::Captured,
    Outcome::Missing,
];

/// The period and totals of a row, as properties.
fn totals(r: &PlacePeriod, props: &mut BTreeMap<String, Value>) {
    props.insert("period".into(), json!(r.period.label));
    props.insert("period_start".into(), date_value(r.period.start));
    props.insert("period_end".into(), date_value(r.period.end));
    for o in LAYER_OUTCOMES {
        let range = r.outcomes.get(&o).copied().unwrap_or_default();
        props.insert(format!("{}_low", o.as_str()), json!(range.low));
        props.insert(
            format!("{}_high", o.as_str()),
            json!(if range.any { range.high } else { Some(0) }),
        );
    }
    for v in Victims::ALL {
        let range = r.killed_by_victims.get(&v).copied().unwrap_or_default();
        props.insert(format!("killed_{}_low", v.as_str()), json!(range.low));
        props.insert(
            format!("killed_{}_high", v.as_str()),
            json!(if range.any { range.high } else { Some(0) }),
        );
    }
    props.insert("events".into(), json!(r.events.len()));
    props.insert("event_ids".into(), json!(r.events.join(" ")));
    props.insert("spanning".into(), json!(r.spanning));
    props.insert("claims".into(), json!(r.claims.len()));
    props.insert("claim_ids".into(), json!(r.claims.join(" ")));
    props.insert("restated_ids".into(), json!(r.restated.join(" ")));
    props.insert("documents".into(), json!(r.documents.len()));
    props.insert(
        "claimants".into(),
        json!(r.claimants.iter().cloned().collect::<Vec<_>>().join("; ")),
    );
}

/// `places.geojson` (or `origins.geojson`): one point per place and period with totals.
pub fn places_layer(rows: &[PlacePeriod], sink: &mut dyn FeatureSink) {
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
        let mut props: BTreeMap<String, Value> = BTreeMap::new();
        props.insert("place_id".into(), json!(pid));
        props.insert("name".into(), opt(r.place.name.as_deref()));
        props.insert("admin1".into(), opt(r.place.admin1.as_deref()));
        props.insert("admin2".into(), opt(r.place.admin2.as_deref()));
        props.insert("kind".into(), json!(r.place.kind));
        props.insert("precision".into(), json!(r.place.precision));
        totals(r, &mut props);
        sink.feature(&id, Geom::Point { lon, lat }, &props);
    }
}

/// `admin1.geojson` / `admin2.geojson`: one polygon per area and period with totals.
pub fn areas_layer(rows: &[(usize, PlacePeriod)], areas: &[Area], sink: &mut dyn FeatureSink) {
    let mut keyed: Vec<(String, &Area, &PlacePeriod)> = rows
        .iter()
        .filter_map(|(i, r)| {
            let a = areas.get(*i)?;
            Some((format!("{}|{}", a.pcode, r.period.label), a, r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, a, r) in keyed {
        let mut props: BTreeMap<String, Value> = BTreeMap::new();
        props.insert("pcode".into(), json!(a.pcode));
        props.insert("name".into(), json!(a.name));
        props.insert("name_ar".into(), json!(a.name_ar));
        if let Some(p) = &a.parent {
            props.insert("admin1".into(), json!(p));
        }
        totals(r, &mut props);
        sink.feature(&id, Geom::Area(a), &props);
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
        let s = to_text(|sink| places_layer(&[], sink));
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }
}
