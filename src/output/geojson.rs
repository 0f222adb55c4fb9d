//! GeoJSON layers (RFC 7946): the features of `layers` written as feature collections.
//!
//! Longitude first, WGS 84, no `crs` member, coordinates rounded to 6 decimals, properties
//! in the layer's documented order, features sorted, one feature per line: the same inputs
//! give the same bytes.

use crate::util::geodesy::round6;
use crate::util::hash::FnvHashMap as HashMap;

use serde_json::json;

use crate::admin::Area;
use crate::layers::{Feature, FeatureSink, Geom, Prop, Props};

/// Writes a property value as JSON.
fn write_prop(v: &Prop<'_>, o: &mut impl std::io::Write) -> std::io::Result<()> {
    match v {
        Prop::Null => o.write_all(b"null"),
        Prop::Int(i) => o.write_all(itoa::Buffer::new().format(*i).as_bytes()),
        Prop::Day(d) => {
            o.write_all(b"\"")?;
            o.write_all(d)?;
            o.write_all(b"\"")
        }
        Prop::Str(s) => write_json_str(o, s),
        Prop::Text(s) => write_json_str(o, s),
        // Two decimals always ("1.00"), so every reader types the field as a real number.
        Prop::Real(x) if x.is_finite() => write!(o, "{x:.2}"),
        Prop::Real(_) => o.write_all(b"null"),
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
            write_prop(v, o)?;
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
        let s = to_text(|sink| crate::layers::places_layer(&[], &[], sink));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }
}
