//! GeoJSON layers (RFC 7946): claims as points, and place-by-period totals as points.
//!
//! Longitude first, WGS 84, no `crs` member, coordinates rounded to 6 decimals, properties
//! with sorted keys, features sorted, one feature per line: the same inputs give the same
//! bytes.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::aggregate::PlacePeriod;
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

fn collection(features: Vec<(String, f64, f64, BTreeMap<String, Value>)>) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let n = features.len();
    for (i, (id, lon, lat, props)) in features.into_iter().enumerate() {
        let f = json!({
            "type": "Feature",
            "id": id,
            "geometry": {"type": "Point", "coordinates": [round6(lon), round6(lat)]},
            "properties": props,
        });
        // serde_json::Value objects keep sorted keys (BTreeMap) without `preserve_order`.
        out.push_str(&f.to_string());
        if i + 1 < n {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

/// `claims.geojson`: every event-scope claim with a resolved event place, as a point there.
pub fn claims_layer(claims: &[Claim], docs: &HashMap<&str, &Document>) -> String {
    let mut features = Vec::new();
    for c in claims {
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
        features.push((c.id.clone(), lon, lat, props));
    }
    features.sort_by(|a, b| a.0.cmp(&b.0));
    collection(features)
}

/// The outcomes written as `<outcome>_low` / `<outcome>_high` columns of place layers.
pub const LAYER_OUTCOMES: [Outcome; 5] = [
    Outcome::Killed,
    Outcome::Wounded,
    Outcome::KilledOrWounded,
    Outcome::Captured,
    Outcome::Missing,
];

/// `places.geojson` (or `origins.geojson`): one point per place and period with totals.
pub fn places_layer(rows: &[PlacePeriod]) -> String {
    let mut features = Vec::new();
    for r in rows {
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
        props.insert("claims".into(), json!(r.claims.len()));
        props.insert("claim_ids".into(), json!(r.claims.join(" ")));
        props.insert("restated_ids".into(), json!(r.restated.join(" ")));
        props.insert("documents".into(), json!(r.documents.len()));
        props.insert(
            "claimants".into(),
            json!(r.claimants.iter().cloned().collect::<Vec<_>>().join("; ")),
        );
        features.push((format!("{pid}|{}", r.period.label), lon, lat, props));
    }
    features.sort_by(|a, b| a.0.cmp(&b.0));
    collection(features)
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
        let s = places_layer(&[]);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }
}
