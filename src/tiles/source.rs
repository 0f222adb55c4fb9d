//! Reading GeoJSON for tiling: a FeatureCollection streamed feature by feature into compact
//! layers (projected points, polygon rings and a flat property table), never the whole
//! parsed document.

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::mvt::ValRef;
use super::TilesError;
use crate::util::hash::FnvHashMap;

/// Web Mercator's latitude limit.
const MAX_LAT: f64 = 85.051_128_779_806_59;

/// A point projected to world coordinates (32 bits a side, Web Mercator); at low zooms, a
/// cluster of `points` points at their weighted centre.
#[derive(Debug, Clone, Copy)]
pub struct PointRef {
    pub x: u32,
    pub y: u32,
    /// How many input points it stands for (1 as read).
    pub points: u32,
    /// Index of the input feature whose properties it carries (the first member's).
    pub feature: u32,
}

/// A polygon in world coordinates (f64, same scale as points).
#[derive(Debug, Clone)]
pub struct PolygonRef {
    pub rings: Vec<Vec<(f64, f64)>>,
    pub feature: u32,
    /// World bounding box: min x, min y, max x, max y.
    pub bbox: [f64; 4],
}

/// One layer's features, compactly.
#[derive(Debug, Default)]
pub struct Layer {
    pub name: String,
    pub keys: Vec<String>,
    key_ids: FnvHashMap<String, u32>,
    /// Per key: bit 0 number, bit 1 string, bit 2 boolean.
    pub key_types: Vec<u8>,
    pub points: Vec<PointRef>,
    pub polygons: Vec<PolygonRef>,
    /// Per input feature: varint(id + 1, 0 when none), then its properties, each
    /// varint(key), a type byte and the value (see `Props`).
    data: Vec<u8>,
    ends: Vec<u64>,
    /// Longitude/latitude bounds: west, south, east, north.
    pub bounds: Option<[f64; 4]>,
    /// Features without a usable geometry (null, lines), left out.
    pub skipped: u64,
    /// Property names not kept.
    omit: Vec<String>,
    /// When set, the only property names kept.
    keep: Option<Vec<String>>,
    /// The layer's own highest zoom, when lower than the tile set's (clients overzoom it).
    pub max_zoom: Option<u8>,
    /// For features with `'static` names: by position, the last name's key (`None`: left
    /// out).
    slots: crate::util::slots::NameSlots<Option<u32>>,
    /// Features announced by `expect`.
    expected: usize,
}

/// The properties of one feature, decoded from the layer's byte record.
pub struct Props<'a> {
    buf: &'a [u8],
}

fn take_varint(buf: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = buf.split_first()?;
        *buf = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

impl<'a> Iterator for Props<'a> {
    type Item = (u32, ValRef<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        let key = take_varint(&mut self.buf)? as u32;
        let (&tag, rest) = self.buf.split_first()?;
        self.buf = rest;
        let val = match tag {
            0 => {
                let z = take_varint(&mut self.buf)?;
                ValRef::Int(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            1 => {
                let (b, rest) = self.buf.split_at_checked(8)?;
                self.buf = rest;
                ValRef::Float(f64::from_le_bytes(b.try_into().ok()?))
            }
            2 => {
                let n = take_varint(&mut self.buf)? as usize;
                let (b, rest) = self.buf.split_at_checked(n)?;
                self.buf = rest;
                ValRef::Str(std::str::from_utf8(b).ok()?)
            }
            3 => ValRef::Bool(false),
            _ => ValRef::Bool(true),
        };
        Some((key, val))
    }
}

impl Layer {
    pub fn new(name: &str) -> Layer {
        Layer {
            name: name.to_string(),
            ..Layer::default()
        }
    }

    /// Says how many features are coming (made in memory, one point each): the arrays are
    /// allocated once instead of doubling, each doubling a copy into fresh memory. The
    /// properties' room is set from the first features' average size.
    pub fn expect(&mut self, features: usize) {
        self.expected = features;
        self.points.reserve(features);
        self.ends.reserve(features);
    }

    /// Gives back the growth room of the layer's arrays once it is complete.
    pub fn shrink(&mut self) {
        self.points.shrink_to_fit();
        self.polygons.shrink_to_fit();
        self.data.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Keeps only these properties.
    pub fn keep_only(&mut self, names: &[&str]) {
        self.keep = Some(names.iter().map(|n| n.to_string()).collect());
    }

    /// Leaves these properties out of the layer.
    pub fn omit(&mut self, names: &[&str]) {
        self.omit = names.iter().map(|n| n.to_string()).collect();
    }

    /// The number of input features kept.
    pub fn features(&self) -> usize {
        self.ends.len()
    }

    fn record(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.data[start..self.ends[i] as usize]
    }

    /// The properties of input feature `i`, as (key index, value), keys in name order.
    pub fn props(&self, i: u32) -> Props<'_> {
        let mut buf = self.record(i);
        let _ = take_varint(&mut buf);
        Props { buf }
    }

    /// The input's `id` of feature `i`, when it was a non-negative integer.
    pub fn id(&self, i: u32) -> Option<u64> {
        let mut buf = self.record(i);
        take_varint(&mut buf).and_then(|v| v.checked_sub(1))
    }

    pub fn key_id(&self, key: &str) -> Option<u32> {
        self.key_ids.get(key).copied()
    }

    /// The key of property name `k` (at position `pos` of its feature), or `None` when the
    /// name is left out.
    fn resolve(&mut self, pos: usize, k: &str, static_names: bool) -> Option<u32> {
        if static_names {
            if let Some(&key) = self.slots.get(pos, k) {
                return key;
            }
        }
        let left_out = self.omit.iter().any(|o| o == k)
            || self
                .keep
                .as_ref()
                .is_some_and(|keep| !keep.iter().any(|o| o == k));
        let key = (!left_out).then(|| self.key(k));
        if static_names {
            self.slots.set(pos, k, key);
        }
        key
    }

    fn key(&mut self, k: &str) -> u32 {
        if let Some(&id) = self.key_ids.get(k) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(k.to_string());
        self.key_types.push(0);
        self.key_ids.insert(k.to_string(), id);
        id
    }

    fn widen(&mut self, lon: f64, lat: f64) {
        let b = self.bounds.get_or_insert([lon, lat, lon, lat]);
        b[0] = b[0].min(lon);
        b[1] = b[1].min(lat);
        b[2] = b[2].max(lon);
        b[3] = b[3].max(lat);
    }

    /// Adds one GeoJSON feature.
    fn add(&mut self, raw: RawFeature) -> Result<(), GeometryError> {
        let feature = self.ends.len() as u32;
        let Some(geometry) = raw.geometry else {
            self.skipped += 1;
            return Ok(());
        };
        let before = (self.points.len(), self.polygons.len());
        self.add_geometry(&geometry, feature)?;
        if (self.points.len(), self.polygons.len()) == before {
            self.skipped += 1;
            return Ok(());
        }
        let id = raw.id.as_ref().and_then(Value::as_u64);
        match raw.properties {
            Some(props) => {
                let mut sorted: Vec<(String, Value)> = props.into_iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                // Arrays and objects become their JSON text.
                let texts: Vec<Option<String>> = sorted
                    .iter()
                    .map(|(_, v)| match v {
                        Value::Array(_) | Value::Object(_) => Some(v.to_string()),
                        _ => None,
                    })
                    .collect();
                self.push_record(
                    id,
                    sorted
                        .iter()
                        .zip(&texts)
                        .map(|((k, v), text)| (k.as_str(), Self::json_value(v, text.as_deref()))),
                    false,
                );
            }
            None => self.push_record(id, std::iter::empty(), false),
        }
        Ok(())
    }

    /// A GeoJSON property value as a tile value (`None` for null); `text` is the JSON text of an
    /// array or object.
    fn json_value<'v>(v: &'v Value, text: Option<&'v str>) -> Option<ValRef<'v>> {
        match v {
            Value::Null => None,
            Value::Bool(b) => Some(ValRef::Bool(*b)),
            Value::Number(n) => Some(match n.as_i64() {
                Some(i) => ValRef::Int(i),
                None => ValRef::Float(n.as_f64().unwrap_or(0.0)),
            }),
            Value::String(s) => Some(ValRef::Str(s)),
            _ => text.map(ValRef::Str),
        }
    }

    /// Adds a feature made in memory (no GeoJSON text): a point or a multipolygon in
    /// longitude/latitude, its id and its properties (in name order).
    pub fn push<'v>(
        &mut self,
        id: Option<u64>,
        shape: Shape<'_>,
        props: impl IntoIterator<Item = (&'static str, Option<ValRef<'v>>)>,
    ) {
        let feature = self.ends.len() as u32;
        match shape {
            Shape::Point { lon, lat } => self.add_point(lon, lat, feature),
            Shape::MultiPolygon(mp) => {
                let before = self.polygons.len();
                for poly in mp {
                    let rings: Vec<Vec<(f64, f64)>> = std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .map(|r| r.coords().map(|c| (c.x, c.y)).collect())
                        .collect();
                    self.add_rings(rings, feature);
                }
                if self.polygons.len() == before {
                    self.skipped += 1;
                    return;
                }
            }
        }
        self.push_record(id, props, true);
    }

    /// Writes one feature's record: its id, then its properties (nulls and omitted names
    /// left out).
    /// `static_names`: the names are `'static` (the same text at the same address every
    /// time), so each position's key is remembered by address.
    fn push_record<'k, 'v>(
        &mut self,
        id: Option<u64>,
        props: impl IntoIterator<Item = (&'k str, Option<ValRef<'v>>)>,
        static_names: bool,
    ) {
        push_varint(
            &mut self.data,
            id.and_then(|i| i.checked_add(1)).unwrap_or(0),
        );
        for (pos, (k, v)) in props.into_iter().enumerate() {
            let Some(v) = v else { continue };
            let Some(key) = self.resolve(pos, k, static_names) else {
                continue;
            };
            push_varint(&mut self.data, u64::from(key));
            let kind = match v {
                ValRef::Bool(b) => {
                    self.data.push(if b { 4 } else { 3 });
                    4
                }
                ValRef::Int(i) => {
                    self.data.push(0);
                    push_varint(&mut self.data, ((i << 1) ^ (i >> 63)) as u64);
                    1
                }
                ValRef::Float(f) => {
                    self.data.push(1);
                    self.data.extend_from_slice(&f.to_le_bytes());
                    1
                }
                ValRef::Str(text) => {
                    self.data.push(2);
                    push_varint(&mut self.data, text.len() as u64);
                    self.data.extend_from_slice(text.as_bytes());
                    2
                }
            };
            self.key_types[key as usize] |= kind;
        }
        self.ends.push(self.data.len() as u64);
        // Room for the announced features' properties, at the first ones' average size and a
        // tenth more.
        const SAMPLE: usize = 1024;
        if self.ends.len() == SAMPLE && self.expected > SAMPLE {
            let per = self.data.len() / SAMPLE + 1;
            let want = (self.expected + self.expected / 10) * per;
            self.data.reserve(want.saturating_sub(self.data.len()));
        }
    }

    fn add_geometry(&mut self, g: &RawGeometry, feature: u32) -> Result<(), GeometryError> {
        let coords = g.coordinates.as_ref();
        match g.kind.as_str() {
            "Point" => {
                let (lon, lat) = position(coords)?;
                self.add_point(lon, lat, feature);
            }
            "MultiPoint" => {
                for p in array(coords)? {
                    let (lon, lat) = position(Some(p))?;
                    self.add_point(lon, lat, feature);
                }
            }
            "Polygon" => self.add_polygon(array(coords)?, feature)?,
            "MultiPolygon" => {
                for poly in array(coords)? {
                    self.add_polygon(array(Some(poly))?, feature)?;
                }
            }
            "GeometryCollection" => {
                for member in g.geometries.iter().flatten() {
                    self.add_geometry(member, feature)?;
                }
            }
            "LineString" | "MultiLineString" => {}
            other => return Err(GeometryError::Type(other.to_string())),
        }
        Ok(())
    }

    fn add_point(&mut self, lon: f64, lat: f64, feature: u32) {
        self.widen(lon, lat);
        let (x, y) = project(lon, lat);
        self.points.push(PointRef {
            x: to_u32(x),
            y: to_u32(y),
            points: 1,
            feature,
        });
    }

    fn add_polygon(&mut self, rings: &[Value], feature: u32) -> Result<(), GeometryError> {
        let mut lonlat = Vec::with_capacity(rings.len());
        for ring in rings {
            let mut pts = Vec::new();
            for p in array(Some(ring))? {
                pts.push(position(Some(p))?);
            }
            lonlat.push(pts);
        }
        self.add_rings(lonlat, feature);
        Ok(())
    }

    /// Adds a polygon given as longitude/latitude rings (the first the exterior).
    fn add_rings(&mut self, rings: Vec<Vec<(f64, f64)>>, feature: u32) {
        let mut out = Vec::with_capacity(rings.len());
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for ring in rings {
            let mut pts = Vec::with_capacity(ring.len());
            for (lon, lat) in ring {
                self.widen(lon, lat);
                let (x, y) = project(lon, lat);
                bbox = [
                    bbox[0].min(x),
                    bbox[1].min(y),
                    bbox[2].max(x),
                    bbox[3].max(y),
                ];
                pts.push((x, y));
            }
            if pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            if pts.len() >= 3 {
                out.push(pts);
            }
        }
        if !out.is_empty() {
            self.polygons.push(PolygonRef {
                rings: out,
                feature,
                bbox,
            });
        }
    }
}

/// A feature's geometry handed to `Layer::push`.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    Point { lon: f64, lat: f64 },
    MultiPolygon(&'a geo::MultiPolygon<f64>),
}

/// A GeoJSON geometry the tiler cannot read.
#[derive(Debug, thiserror::Error)]
pub enum GeometryError {
    /// A geometry type GeoJSON does not have.
    #[error("unknown geometry type {0:?}")]
    Type(String),
    /// Coordinates that are not an array.
    #[error("coordinates are not an array")]
    NotArray,
    /// A position that is not a longitude and latitude in range.
    #[error("bad position {0}")]
    Position(String),
}

fn array(v: Option<&Value>) -> Result<&[Value], GeometryError> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        _ => Err(GeometryError::NotArray),
    }
}

fn position(v: Option<&Value>) -> Result<(f64, f64), GeometryError> {
    let a = array(v)?;
    match (
        a.first().and_then(Value::as_f64),
        a.get(1).and_then(Value::as_f64),
    ) {
        (Some(lon), Some(lat))
            if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
        {
            Ok((lon, lat))
        }
        _ => Err(GeometryError::Position(
            Value::Array(a.to_vec()).to_string(),
        )),
    }
}

/// Web Mercator, as a fraction of the world (0..1 each way, y down).
pub fn project(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x * WORLD, y * WORLD)
}

/// The inverse of `project`, from world units.
#[cfg(test)]
pub fn unproject(x: f64, y: f64) -> (f64, f64) {
    let lon = x / WORLD * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * y / WORLD);
    (lon, n.sinh().atan().to_degrees())
}

/// World size in world units (2^32).
pub const WORLD: f64 = 4_294_967_296.0;

fn to_u32(v: f64) -> u32 {
    v.clamp(0.0, WORLD - 1.0) as u32
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Option<Value>,
    #[serde(default)]
    geometries: Option<Vec<RawGeometry>>,
}

#[derive(Deserialize)]
struct RawFeature {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    geometry: Option<RawGeometry>,
    #[serde(default)]
    properties: Option<serde_json::Map<String, Value>>,
}

struct FeatureSeed<'a>(&'a mut Layer);

impl<'de> DeserializeSeed<'de> for FeatureSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let raw = RawFeature::deserialize(d)?;
        self.0.add(raw).map_err(de::Error::custom)
    }
}

struct FeaturesSeed<'a>(&'a mut Layer);

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(FeatureSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// The top level: a FeatureCollection (streamed) or a single Feature.
struct DocumentSeed<'a>(&'a mut Layer);

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection or Feature")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut kind: Option<String> = None;
        let mut single = RawFeature {
            id: None,
            geometry: None,
            properties: None,
        };
        let mut saw_features = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => kind = Some(map.next_value()?),
                "features" => {
                    map.next_value_seed(FeaturesSeed(&mut *self.0))?;
                    saw_features = true;
                }
                "geometry" => single.geometry = map.next_value()?,
                "properties" => single.properties = map.next_value()?,
                "id" => single.id = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match kind.as_deref() {
            Some("FeatureCollection") if saw_features => Ok(()),
            Some("FeatureCollection") => {
                Err(de::Error::custom("FeatureCollection without features"))
            }
            Some("Feature") => self.0.add(single).map_err(de::Error::custom),
            Some(other) => Err(de::Error::custom(format!(
                "top-level type {other:?}: expected FeatureCollection or Feature"
            ))),
            None => Err(de::Error::custom("no \"type\" member: not GeoJSON")),
        }
    }
}

/// Streams a GeoJSON file into `layer`. Errors name the file, line and column.
pub fn read_into(path: &Path, layer: &mut Layer) -> Result<(), TilesError> {
    let input = |source: std::io::Error| TilesError::Input {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(input)?;
    read_from(std::io::BufReader::with_capacity(1 << 20, file), layer).map_err(|e| input(e.into()))
}

/// Streams GeoJSON from a reader into `layer`; the error gives the line and column.
pub fn read_from<R: Read>(reader: R, layer: &mut Layer) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    DocumentSeed(layer).deserialize(&mut de)?;
    de.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_streams_into_a_layer() {
        let text = r#"{"features":[
          {"type":"Feature","id":4,"geometry":{"type":"Point","coordinates":[35.9,35.5]},"properties":{"name":"A","killed":3,"x":null}},
          {"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[36,35],[36.5,35.1]]},"properties":{"killed":1.5,"ok":true}},
          {"type":"Feature","geometry":null,"properties":{}},
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[35,35],[36,35],[36,36],[35,35]]]},"properties":{}}
        ],"type":"FeatureCollection"}"#;
        let mut layer = Layer::new("t");
        read_from(text.as_bytes(), &mut layer).expect("reads");
        assert_eq!(layer.features(), 3);
        assert_eq!(layer.points.len(), 3);
        assert_eq!(layer.polygons.len(), 1);
        assert_eq!(layer.skipped, 1);
        assert_eq!(layer.id(0), Some(4));
        let killed = layer.key_id("killed").expect("key");
        assert_eq!(layer.props(0).count(), 2, "null left out");
        assert!(layer.props(1).any(|p| p == (killed, ValRef::Float(1.5))));
        let name = layer.key_id("name").expect("key");
        assert_eq!(
            layer.props(0).collect::<Vec<_>>(),
            vec![(killed, ValRef::Int(3)), (name, ValRef::Str("A"))]
        );
        assert_eq!(layer.id(1), None);
        assert_eq!(layer.bounds, Some([35.0, 35.0, 36.5, 36.0]));
        let (lon, lat) = unproject(f64::from(layer.points[0].x), f64::from(layer.points[0].y));
        assert!((lon - 35.9).abs() < 1e-6 && (lat - 35.5).abs() < 1e-6);
    }

    #[test]
    fn bad_documents_say_where() {
        for (text, want) in [
            (
                r#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[1]}}]}"#,
                "bad position",
            ),
            (r#"{"type":"FeatureCollection","features":[{"#, "line 1"),
            (r#"{"type":"Topology"}"#, "Topology"),
            (r#"[1,2]"#, "FeatureCollection"),
        ] {
            let err = read_from(text.as_bytes(), &mut Layer::new("t")).expect_err(text);
            assert!(err.to_string().contains(want), "{err}");
        }
    }
}
