//! GeoJSON layers (RFC 7946): claims and events as points, place-by-period totals as points, area-by-period totals as polygons.
//!
//! Longitude first, WGS 84, no `crs` member, coordinates rounded to 6 decimals, properties
//! with sorted keys, features sorted, one feature per line: the same inputs give the same
//! bytes.

use crate::util::geodesy::round6;
use std::borrow::Cow;

use crate::util::hash::FnvHashMap as HashMap;

use serde_json::{json, Value};

use crate::admin::Area;
use crate::aggregate::{Event, PlacePeriod};
use crate::model::{Claim, Document, Outcome, Scope, Victims};

/// A property value: a number, a text (borrowed from the claims and events, or made for the
/// feature), a day, or null. Made once per feature and handed to every sink.
#[derive(Debug, Clone, PartialEq)]
pub enum Prop<'a> {
    Null,
    Int(i64),
    Str(&'a str),
    Text(String),
    /// `YYYY-MM-DD`.
    Day([u8; 10]),
}

impl<'a> Prop<'a> {
    /// A day, or null.
    pub fn date(d: Option<jiff::civil::Date>) -> Prop<'a> {
        let Some(d) = d else { return Prop::Null };
        let y = d.year();
        if !(0..=9999).contains(&y) {
            return Prop::Text(d.to_string());
        }
        let (y, m, dd) = (y as u32, d.month() as u32, d.day() as u32);
        let digit = |v: u32| b'0' + (v % 10) as u8;
        Prop::Day([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(dd / 10),
            digit(dd),
        ])
    }

    /// A text, or null.
    pub fn opt(s: Option<&'a str>) -> Prop<'a> {
        s.map_or(Prop::Null, Prop::Str)
    }

    /// A count.
    pub fn count(n: u64) -> Prop<'a> {
        Prop::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A count, or null.
    pub fn opt_count(n: Option<u64>) -> Prop<'a> {
        n.map_or(Prop::Null, Prop::count)
    }

    /// The text of a text or day value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Prop::Str(s) => Some(s),
            Prop::Text(s) => Some(s),
            Prop::Day(d) => std::str::from_utf8(d).ok(),
            _ => None,
        }
    }

    /// As a JSON value.
    pub fn to_json(&self) -> Value {
        match self {
            Prop::Null => Value::Null,
            Prop::Int(i) => Value::from(*i),
            other => Value::String(other.as_str().unwrap_or_default().to_string()),
        }
    }

    /// Writes the value as JSON.
    fn write_json(&self, o: &mut impl std::io::Write) -> std::io::Result<()> {
        match self {
            Prop::Null => o.write_all(b"null"),
            Prop::Int(i) => o.write_all(itoa::Buffer::new().format(*i).as_bytes()),
            Prop::Day(d) => {
                o.write_all(b"\"")?;
                o.write_all(d)?;
                o.write_all(b"\"")
            }
            Prop::Str(s) => write_json_str(o, s),
            Prop::Text(s) => write_json_str(o, s),
        }
    }
}

/// A JSON string: written as it is when nothing needs escaping (most ids and names).
pub fn write_json_str(o: &mut impl std::io::Write, s: &str) -> std::io::Result<()> {
    // No early exit: the test of every byte is vectorised.
    let plain = !s.bytes().fold(false, |bad, b| {
        bad | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        o.write_all(b"\"")?;
        o.write_all(s.as_bytes())?;
        o.write_all(b"\"")
    } else {
        serde_json::to_writer(o, s).map_err(std::io::Error::other)
    }
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
pub struct Props<'a>(Vec<(&'static str, Prop<'a>)>);

impl<'a> Props<'a> {
    fn with_capacity(n: usize) -> Props<'a> {
        Props(Vec::with_capacity(n))
    }

    /// Adds a property (names are sorted when the feature is handed over).
    pub fn insert(&mut self, name: &'static str, value: Prop<'a>) {
        self.0.push((name, value));
    }

    /// The properties sorted by name. A layer's features give their names in the same order:
    /// the order is worked out once (`order` keeps it) and applied to the others.
    fn sorted(mut self, order: &mut PropOrder) -> Props<'a> {
        let same = order.names.len() == self.0.len()
            && self
                .0
                .iter()
                .zip(&order.names)
                .all(|((k, _), &(ptr, len))| k.as_ptr() as usize == ptr && k.len() == len);
        if !same {
            let mut perm: Vec<usize> = (0..self.0.len()).collect();
            perm.sort_by(|&a, &b| self.0[a].0.cmp(self.0[b].0).then(a.cmp(&b)));
            order.names = self
                .0
                .iter()
                .map(|(k, _)| (k.as_ptr() as usize, k.len()))
                .collect();
            order.perm = perm;
        }
        let mut out = Vec::with_capacity(self.0.len());
        for &i in &order.perm {
            let (k, v) = &mut self.0[i];
            out.push((*k, std::mem::replace(v, Prop::Null)));
        }
        Props(out)
    }

    /// The properties in name order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Prop<'a>)> {
        self.0.iter()
    }

    /// The value of a property.
    pub fn get(&self, name: &str) -> Option<&Prop<'a>> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// The order that sorts a layer's property names (see `Props::sorted`): the names'
/// addresses and lengths as given, and the permutation.
#[derive(Debug, Default)]
struct PropOrder {
    names: Vec<(usize, usize)>,
    perm: Vec<usize>,
}

/// One feature as a layer function makes it: made once, handed to every output.
#[derive(Debug, Clone)]
pub struct Feature<'a> {
    pub id: Cow<'a, str>,
    pub geom: Geom<'a>,
    pub props: Props<'a>,
}

/// Where a layer's features go, in order: a GeoJSON text, a GeoPackage table, the tiles.
pub trait FeatureSink<'a> {
    fn feature(&mut self, feature: Feature<'a>);
}

/// A feature collection written as it is made, one feature per line.
pub struct GeoJsonWriter<W: std::io::Write> {
    out: W,
    n: usize,
    /// Area outlines already written as GeoJSON, by P-code.
    areas: HashMap<String, String>,
    /// The first write error (a sink cannot return one).
    error: Option<std::io::Error>,
    /// The feature being written (one write per feature).
    line: Vec<u8>,
    /// Each property position's name as last written (`,"name":`): a layer's features name
    /// the same properties in the same order, with the same static strings.
    keys: crate::util::slots::NameSlots<Vec<u8>>,
}

impl<W: std::io::Write> GeoJsonWriter<W> {
    pub fn new(out: W) -> Self {
        GeoJsonWriter {
            out,
            n: 0,
            areas: HashMap::default(),
            error: None,
            line: Vec::new(),
            keys: crate::util::slots::NameSlots::default(),
        }
    }

    /// Writes one feature.
    pub fn write_feature(
        &mut self,
        id: &str,
        geom: Geom<'_>,
        props: &Props<'_>,
    ) -> std::io::Result<()> {
        use std::io::Write as _;
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let o = &mut line;
        o.write_all(if self.n == 0 {
            b"{\"type\":\"FeatureCollection\",\"features\":[\n"
        } else {
            b",\n"
        })?;
        self.n += 1;
        o.write_all(b"{\"type\":\"Feature\",\"id\":")?;
        write_json_str(o, id)?;
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
            match self.keys.get(i, k) {
                Some(key) => o.write_all(key)?,
                None => {
                    let mut key = Vec::with_capacity(k.len() + 4);
                    if i > 0 {
                        key.push(b',');
                    }
                    write_json_str(&mut key, k)?;
                    key.push(b':');
                    o.write_all(&key)?;
                    self.keys.set(i, k, key);
                }
            }
            v.write_json(o)?;
        }
        o.write_all(b"}}")?;
        let written = self.out.write_all(&line);
        self.line = line;
        written
    }

    /// Ends the FeatureCollection and hands back the writer; the first error of any
    /// feature, if one failed.
    pub fn finish(mut self) -> std::io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.n == 0 {
            self.out
                .write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n]}\n")?;
        } else {
            self.out.write_all(b"\n]}\n")?;
        }
        Ok(self.out)
    }
}

impl<'a, W: std::io::Write> FeatureSink<'a> for GeoJsonWriter<W> {
    fn feature(&mut self, f: Feature<'a>) {
        if self.error.is_none() {
            if let Err(e) = self.write_feature(&f.id, f.geom, &f.props) {
                self.error = Some(e);
            }
        }
    }
}

/// Runs a layer into a GeoJSON text.
#[cfg(test)]
pub fn to_text<'a>(layer: impl FnOnce(&mut dyn FeatureSink<'a>)) -> String {
    let mut buf: Vec<u8> = Vec::new();
    let mut sink = GeoJsonWriter::new(&mut buf);
    layer(&mut sink);
    let _ = sink.finish();
    String::from_utf8(buf).unwrap_or_default()
}

/// `claims.geojson`: every event-scope claim with a resolved event place, as a point there,
/// with the event it was counted in (`event_id`, empty when it was not counted), in id order
/// (`by_id`: `aggregate::id_order`). `event_of` gives each claim's event as
/// `aggregate::events_indexed` does (an index into `events` plus one, 0 for none).
pub fn claims_layer<'a>(
    claims: &'a [Claim],
    by_id: &[u32],
    docs: &HashMap<&str, &'a Document>,
    (events, event_of): (&'a [Event], &[u32]),
    sink: &mut dyn FeatureSink<'a>,
) {
    let sorted = by_id
        .iter()
        .filter_map(|&i| Some((claims.get(i as usize)?, i as usize)));
    let mut order = PropOrder::default();
    for (c, i) in sorted {
        if c.scope != Scope::Event {
            continue;
        }
        let Some(p) = c.event_place() else { continue };
        let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
            continue;
        };
        let doc = docs.get(c.doc.as_str());
        let mut props = Props::with_capacity(28);
        props.insert("id", Prop::Str(&c.id));
        props.insert("doc", Prop::Str(&c.doc));
        props.insert(
            "event_id",
            Prop::Str(
                event_of
                    .get(i)
                    .and_then(|&n| events.get((n as usize).checked_sub(1)?))
                    .map_or("", |e| e.id.as_str()),
            ),
        );
        props.insert("title", Prop::opt(doc.and_then(|d| d.title.as_deref())));
        props.insert("url", Prop::opt(doc.and_then(|d| d.url.as_deref())));
        props.insert("outlet", Prop::opt(doc.and_then(|d| d.outlet.as_deref())));
        props.insert("published", Prop::date(c.published));
        props.insert("quote", Prop::Str(&c.quote));
        props.insert("count_low", Prop::count(c.count.low));
        props.insert("count_high", Prop::opt_count(c.count.high));
        props.insert("count_text", Prop::Str(&c.count.text));
        props.insert("qualifier", Prop::Str(c.count.qualifier.as_str()));
        props.insert("outcome", Prop::Str(c.outcome.as_str()));
        props.insert("victims", Prop::Str(c.victims.as_str()));
        props.insert("victims_text", Prop::opt(c.victims_text.as_deref()));
        props.insert("claimant", Prop::opt(c.claimant.as_deref()));
        props.insert("part_of", Prop::opt(c.part_of.as_deref()));
        props.insert("date_start", Prop::date(c.date.start));
        props.insert("date_end", Prop::date(c.date.end));
        props.insert("date_precision", Prop::Str(c.date.precision.as_str()));
        props.insert("date_text", Prop::opt(c.date.text.as_deref()));
        props.insert("place_mention", Prop::Str(&p.mention));
        props.insert("place_name", Prop::opt(p.name.as_deref()));
        props.insert("gazetteer_id", Prop::opt(p.gazetteer_id.as_deref()));
        props.insert("admin1", Prop::opt(p.admin1.as_deref()));
        props.insert("admin2", Prop::opt(p.admin2.as_deref()));
        props.insert("precision", Prop::opt_count(p.precision.map(u64::from)));
        site_props(p, true, &mut props);
        sink.feature(Feature {
            id: Cow::Borrowed(&c.id),
            geom: Geom::Point { lon, lat },
            props: props.sorted(&mut order),
        });
    }
}

/// What a place says of itself as a site: its kind (`place_kind`; `kind` in the place
/// layers says it already), the town it is described with, its radius in metres, and
/// `weak_source` 1 when a single editor-placed map mark is all its source is.
fn site_props<'a>(p: &'a crate::model::Place, with_kind: bool, props: &mut Props<'a>) {
    if with_kind {
        props.insert("place_kind", Prop::opt(p.kind.map(|k| k.as_str())));
    }
    props.insert("near", Prop::opt(p.near.as_deref()));
    props.insert("radius_m", Prop::opt_count(p.radius_m.map(u64::from)));
    props.insert("weak_source", Prop::Int(i64::from(p.weak_source)));
}

/// `events.geojson`: one point per event, with its range and the claims it holds.
pub fn events_layer<'a>(events: &'a [Event], sink: &mut dyn FeatureSink<'a>) {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let feature = |e: &&'a Event, order: &mut PropOrder| {
        let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) else {
            return None;
        };
        let mut props = Props::with_capacity(18);
        props.insert("id", Prop::Str(&e.id));
        props.insert("outcome", Prop::Str(e.outcome.as_str()));
        props.insert("victims", Prop::Str(e.victims.as_str()));
        props.insert("low", Prop::count(e.range.low));
        props.insert("high", Prop::opt_count(e.range.high));
        props.insert("start", Prop::date(e.start));
        props.insert("end", Prop::date(e.end));
        props.insert("place_id", Prop::opt(e.place.gazetteer_id.as_deref()));
        props.insert("name", Prop::opt(e.place.name.as_deref()));
        props.insert("admin1", Prop::opt(e.place.admin1.as_deref()));
        props.insert("admin2", Prop::opt(e.place.admin2.as_deref()));
        props.insert(
            "precision",
            Prop::opt_count(e.place.precision.map(u64::from)),
        );
        props.insert(
            "origins",
            Prop::Text(
                e.origins
                    .iter()
                    .filter_map(|(o, _)| o.name.as_deref())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        );
        props.insert("claims", Prop::count(e.claims.len() as u64));
        props.insert("claim_ids", Prop::Text(e.claims.join(" ")));
        props.insert("restated_ids", Prop::Text(e.restated.join(" ")));
        props.insert("documents", Prop::count(e.documents.len() as u64));
        props.insert("claimants", Prop::Text(e.claimants.join("; ")));
        Some(Feature {
            id: Cow::Borrowed(&e.id),
            geom: Geom::Point { lon, lat },
            props: props.sorted(order),
        })
    };
    in_parallel(&sorted, feature, sink);
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
fn totals<'a>(r: &'a PlacePeriod, events: &'a [Event], props: &mut Props<'a>) {
    props.insert("period", Prop::Str(&r.period.label));
    props.insert("period_start", Prop::date(r.period.start));
    props.insert("period_end", Prop::date(r.period.end));
    for (o, low, high) in OUTCOME_COLUMNS {
        let range = r.outcomes.get(&o).copied().unwrap_or_default();
        props.insert(low, Prop::count(range.low));
        props.insert(
            high,
            Prop::opt_count(if range.any { range.high } else { Some(0) }),
        );
    }
    for (v, low, high) in VICTIM_COLUMNS {
        let range = r.killed_by_victims.get(&v).copied().unwrap_or_default();
        props.insert(low, Prop::count(range.low));
        props.insert(
            high,
            Prop::opt_count(if range.any { range.high } else { Some(0) }),
        );
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
    props.insert("events", Prop::count(n_events as u64));
    props.insert("event_ids", Prop::Text(event_ids));
    props.insert("spanning", Prop::count(r.spanning as u64));
    props.insert("claims", Prop::count(n_claims as u64));
    props.insert("claim_ids", Prop::Text(claim_ids));
    props.insert(
        "restated_ids",
        Prop::Text(join(&mut r.restated_ids(events), " ").1),
    );
    props.insert("documents", Prop::count(r.documents(events).len() as u64));
    props.insert(
        "claimants",
        Prop::Text(join(&mut r.claimants(events).into_iter(), "; ").1),
    );
}

/// `places.geojson` (or `origins.geojson`): one point per place and period with totals.
pub fn places_layer<'a>(
    rows: &'a [PlacePeriod],
    events: &'a [Event],
    sink: &mut dyn FeatureSink<'a>,
) {
    let mut keyed: Vec<(String, &PlacePeriod)> = rows
        .iter()
        .filter_map(|r| {
            let pid = r.place.gazetteer_id.as_deref()?;
            Some((format!("{pid}|{}", r.period.label), r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let feature = |(id, r): &(String, &'a PlacePeriod), order: &mut PropOrder| {
        let (Some(lat), Some(lon), Some(pid)) = (r.place.lat, r.place.lon, &r.place.gazetteer_id)
        else {
            return None;
        };
        let mut props = Props::with_capacity(41);
        props.insert("place_id", Prop::Str(pid));
        props.insert("name", Prop::opt(r.place.name.as_deref()));
        props.insert("admin1", Prop::opt(r.place.admin1.as_deref()));
        props.insert("admin2", Prop::opt(r.place.admin2.as_deref()));
        props.insert("kind", Prop::opt(r.place.kind.map(|k| k.as_str())));
        props.insert(
            "precision",
            Prop::opt_count(r.place.precision.map(u64::from)),
        );
        site_props(r.place, false, &mut props);
        totals(r, events, &mut props);
        Some(Feature {
            id: Cow::Owned(id.clone()),
            geom: Geom::Point { lon, lat },
            props: props.sorted(order),
        })
    };
    in_parallel(&keyed, feature, sink);
}

/// Makes the features of `rows` on every core, a window of rows at a time, and hands them
/// to `sink` in row order (a row's totals gather its events' ids: the slow part of a layer).
fn in_parallel<'a, T: Sync>(
    rows: &[T],
    feature: impl Fn(&T, &mut PropOrder) -> Option<Feature<'a>> + Sync,
    sink: &mut dyn FeatureSink<'a>,
) {
    use rayon::prelude::*;
    const WINDOW: usize = 8192;
    for window in rows.chunks(WINDOW) {
        let made: Vec<Vec<Feature<'a>>> = window
            .par_chunks(WINDOW / 8)
            .map(|chunk| {
                let mut order = PropOrder::default();
                chunk
                    .iter()
                    .filter_map(|r| feature(r, &mut order))
                    .collect()
            })
            .collect();
        for f in made.into_iter().flatten() {
            sink.feature(f);
        }
    }
}

/// `admin1.geojson` / `admin2.geojson`: one polygon per area and period with totals.
pub fn areas_layer<'a>(
    rows: &'a [(usize, PlacePeriod)],
    areas: &'a [Area],
    events: &'a [Event],
    sink: &mut dyn FeatureSink<'a>,
) {
    let mut keyed: Vec<(String, &Area, &PlacePeriod)> = rows
        .iter()
        .filter_map(|(i, r)| {
            let a = areas.get(*i)?;
            Some((format!("{}|{}", a.pcode, r.period.label), a, r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut order = PropOrder::default();
    for (id, a, r) in keyed {
        let mut props = Props::with_capacity(39);
        props.insert("pcode", Prop::Str(&a.pcode));
        props.insert("name", Prop::Str(&a.name));
        props.insert("name_ar", Prop::Str(&a.name_ar));
        if let Some(p) = &a.parent {
            props.insert("admin1", Prop::Str(p));
        }
        totals(r, events, &mut props);
        sink.feature(Feature {
            id: Cow::Owned(id),
            geom: Geom::Area(a),
            props: props.sorted(&mut order),
        });
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
    fn empty_layer_is_a_valid_feature_collection() {
        let s = to_text(|sink| places_layer(&[], &[], sink));
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }
}
