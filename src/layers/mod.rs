//! The feature model every output shares: each layer (claims, events, places, origins,
//! governorates, districts) made once as typed features, with its property names from
//! [`names`], and handed to every sink (GeoJSON, GeoPackage, tiles, the web page). One file
//! per layer; the writers live in `output`.

mod areas;
mod claims;
mod events;
pub mod names;
mod places;

use std::borrow::Cow;

use crate::admin::Area;

pub use areas::areas_layer;
pub use claims::claims_layer;
pub use events::events_layer;
pub use places::places_layer;

/// A property value: a number, a text (borrowed from the claims and events, or made for the
/// feature), a day, or null. Made once per feature and handed to every sink.
#[derive(Debug, Clone, PartialEq)]
pub enum Prop<'a> {
    /// No value.
    Null,
    /// A whole number.
    Int(i64),
    /// A text borrowed from the claims, events or areas.
    Str(&'a str),
    /// A text made for the feature.
    Text(String),
    /// `YYYY-MM-DD`.
    Day([u8; 10]),
    /// A share in [0, 1], written with two decimals (a confidence).
    Real(f64),
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
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Prop::Null => serde_json::Value::Null,
            Prop::Int(i) => serde_json::Value::from(*i),
            Prop::Real(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            other => serde_json::Value::String(other.as_str().unwrap_or_default().to_string()),
        }
    }
}

/// A feature's geometry: a point, or one of the bundled areas.
#[derive(Debug, Clone, Copy)]
pub enum Geom<'a> {
    /// A point, in degrees.
    Point {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// A governorate or district outline.
    Area(&'a Area),
}

/// A feature's properties: names and values in the order the layer gives them (every
/// feature of a layer has the same names in the same order: the order README's "Layer
/// fields" documents, which the GeoJSON, the GeoPackage's columns and the tiles keep).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Props<'a>(Vec<(&'static str, Prop<'a>)>);

impl<'a> Props<'a> {
    pub(crate) fn with_capacity(n: usize) -> Props<'a> {
        Props(Vec::with_capacity(n))
    }

    /// Adds a property, after those added before.
    pub fn insert(&mut self, name: &'static str, value: Prop<'a>) {
        self.0.push((name, value));
    }

    /// The properties in the layer's order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Prop<'a>)> {
        self.0.iter()
    }

    /// The value of a property.
    pub fn get(&self, name: &str) -> Option<&Prop<'a>> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// One feature as a layer function makes it: made once, handed to every output.
#[derive(Debug, Clone)]
pub struct Feature<'a> {
    /// The feature's id, unique in its layer.
    pub id: Cow<'a, str>,
    /// Where it is.
    pub geom: Geom<'a>,
    /// Its properties, in the layer's order.
    pub props: Props<'a>,
}

/// Where a layer's features go, in order: a GeoJSON text, a GeoPackage table, the tiles.
pub trait FeatureSink<'a> {
    /// Takes the next feature.
    fn feature(&mut self, feature: Feature<'a>);
}

/// Makes the features of `rows` on every core, a window of rows at a time, and hands them
/// to `sink` in row order (a row's totals gather its events' ids: the slow part of a layer).
pub(crate) fn in_parallel<'a, T: Sync>(
    rows: &[T],
    feature: impl Fn(&T) -> Option<Feature<'a>> + Sync,
    sink: &mut dyn FeatureSink<'a>,
) {
    use rayon::prelude::*;
    const WINDOW: usize = 8192;
    for window in rows.chunks(WINDOW) {
        let made: Vec<Vec<Feature<'a>>> = window
            .par_chunks(WINDOW / 8)
            .map(|chunk| chunk.iter().filter_map(&feature).collect())
            .collect();
        for f in made.into_iter().flatten() {
            sink.feature(f);
        }
    }
}

/// What a property holds, for sinks that type their columns (the GeoPackage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A whole number (a count, a precision).
    Count,
    /// A number with decimals (`confidence`).
    Real,
    /// Anything else.
    Text,
}

impl FieldKind {
    /// The kind of the property named `name` in any layer.
    pub fn of(name: &str) -> FieldKind {
        use names::*;
        const DATES: &[&str] = &[
            PUBLISHED,
            DATE_START,
            DATE_END,
            PERIOD_START,
            PERIOD_END,
            START,
            END,
        ];
        const COUNTS: &[&str] = &[
            CLAIMS,
            DOCUMENTS,
            EVENTS,
            SPANNING,
            PRECISION,
            LOW,
            HIGH,
            CORRECTED,
            RADIUS_M,
            WEAK_SOURCE,
        ];
        if DATES.contains(&name) {
            FieldKind::Date
        } else if name == CONFIDENCE {
            FieldKind::Real
        } else if COUNTS.contains(&name) || name.ends_with("_low") || name.ends_with("_high") {
            FieldKind::Count
        } else {
            FieldKind::Text
        }
    }
}
