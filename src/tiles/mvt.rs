//! Mapbox Vector Tile 2.1 encoding and decoding: the protobuf wire format of tiles, layers,
//! features, values and geometry commands.

use std::collections::BTreeMap;

use crate::util::hash::FxHashMap;

/// The tile extent: coordinates inside a tile run from 0 to 4095.
pub const EXTENT: u32 = 4096;

/// A property value to encode, borrowing its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValRef<'a> {
    /// A signed integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
}

/// A decoded property value (MVT has no null: missing values are left out).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A signed integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(Box<str>),
    /// A boolean.
    Bool(bool),
}

impl Val {
    /// The value to encode.
    pub fn as_ref(&self) -> ValRef<'_> {
        match self {
            Val::Int(i) => ValRef::Int(*i),
            Val::Float(f) => ValRef::Float(*f),
            Val::Str(s) => ValRef::Str(s),
            Val::Bool(b) => ValRef::Bool(*b),
        }
    }
}

/// Geometry in tile coordinates (may lie in the buffer, outside 0..EXTENT).
#[derive(Debug, Clone, PartialEq)]
pub enum TileGeom {
    /// A point in tile coordinates.
    Point(i32, i32),
    /// Rings: exterior rings positive area in tile coordinates (y down), holes negative; the
    /// closing point is not repeated.
    Polygon(Vec<Vec<(i32, i32)>>),
}

/// One feature of a layer being encoded.
pub struct FeatureOut<'a> {
    /// The feature id, if any.
    pub id: Option<u64>,
    /// Its geometry in tile coordinates.
    pub geom: TileGeom,
    /// Its properties, in order.
    pub props: Vec<(&'a str, ValRef<'a>)>,
}

/// Encodes one layer's features into `tile` (a tile may hold several layers, appended in turn).
pub fn encode_layer(tile: &mut Vec<u8>, name: &str, features: &[FeatureOut<'_>]) {
    let mut layer = Vec::with_capacity(64 + features.len() * 24);
    put_varint_field(&mut layer, 15, 2);
    put_bytes_field(&mut layer, 1, name.as_bytes());
    let mut keys: Vec<&str> = Vec::new();
    let mut key_ids: FxHashMap<&str, u32> = FxHashMap::default();
    // Each property position's last key id: a layer's features mostly name the same keys in
    // the same order, from the same strings.
    let mut last_keys: crate::util::slots::NameSlots<u32> =
        crate::util::slots::NameSlots::default();
    // The distinct values and their ids (in order of first use, written in that order at the
    // end): each is held once.
    // Sized for a few distinct values per feature (ids and names are distinct per feature).
    let mut value_ids: FxHashMap<Vec<u8>, u32> =
        FxHashMap::with_capacity_and_hasher(features.len() * 4, Default::default());
    let mut encoded = Vec::with_capacity(32);
    let mut feature = Vec::new();
    let mut packed = Vec::new();
    for f in features {
        feature.clear();
        if let Some(id) = f.id {
            put_varint_field(&mut feature, 1, id);
        }
        packed.clear();
        for (pos, (k, v)) in f.props.iter().enumerate() {
            let kid = match last_keys.get(pos, k) {
                Some(&kid) => kid,
                None => {
                    let next = keys.len() as u32;
                    let kid = *key_ids.entry(k).or_insert_with(|| {
                        keys.push(k);
                        next
                    });
                    last_keys.set(pos, k, kid);
                    kid
                }
            };
            encoded.clear();
            encode_value(*v, &mut encoded);
            let vid = match value_ids.get(encoded.as_slice()) {
                Some(&id) => id,
                None => {
                    let next = value_ids.len() as u32;
                    value_ids.insert(encoded.clone(), next);
                    next
                }
            };
            put_varint(&mut packed, u64::from(kid));
            put_varint(&mut packed, u64::from(vid));
        }
        if !packed.is_empty() {
            put_bytes_field(&mut feature, 2, &packed);
        }
        packed.clear();
        let kind = encode_geometry(&f.geom, &mut packed);
        put_varint_field(&mut feature, 3, kind);
        put_bytes_field(&mut feature, 4, &packed);
        put_bytes_field(&mut layer, 2, &feature);
    }
    for k in &keys {
        put_bytes_field(&mut layer, 3, k.as_bytes());
    }
    // Ids are 0..n: each value goes to its place.
    let mut values: Vec<Vec<u8>> = vec![Vec::new(); value_ids.len()];
    for (v, id) in value_ids {
        if let Some(slot) = values.get_mut(id as usize) {
            *slot = v;
        }
    }
    for v in &values {
        put_bytes_field(&mut layer, 4, v);
    }
    put_varint_field(&mut layer, 5, u64::from(EXTENT));
    put_bytes_field(tile, 3, &layer);
}

/// Appends a value message to `out`.
fn encode_value(v: ValRef<'_>, out: &mut Vec<u8>) {
    match v {
        ValRef::Str(s) => put_bytes_field(out, 1, s.as_bytes()),
        ValRef::Float(f) => {
            put_varint(out, (3 << 3) | 1);
            out.extend_from_slice(&f.to_le_bytes());
        }
        ValRef::Int(i) if i >= 0 => put_varint_field(out, 5, i as u64),
        ValRef::Int(i) => put_varint_field(out, 6, zigzag(i)),
        ValRef::Bool(b) => put_varint_field(out, 7, u64::from(b)),
    }
}

fn command(id: u32, count: usize) -> u64 {
    u64::from(id & 7) | ((count as u64) << 3)
}

/// Writes the geometry commands; returns the MVT geometry type.
fn encode_geometry(g: &TileGeom, out: &mut Vec<u8>) -> u64 {
    match g {
        TileGeom::Point(x, y) => {
            put_varint(out, command(1, 1));
            put_varint(out, zigzag(i64::from(*x)));
            put_varint(out, zigzag(i64::from(*y)));
            1
        }
        TileGeom::Polygon(rings) => {
            let (mut cx, mut cy) = (0i64, 0i64);
            for ring in rings {
                let Some(&(x0, y0)) = ring.first() else {
                    continue;
                };
                put_varint(out, command(1, 1));
                put_varint(out, zigzag(i64::from(x0) - cx));
                put_varint(out, zigzag(i64::from(y0) - cy));
                cx = i64::from(x0);
                cy = i64::from(y0);
                put_varint(out, command(2, ring.len() - 1));
                for &(x, y) in &ring[1..] {
                    put_varint(out, zigzag(i64::from(x) - cx));
                    put_varint(out, zigzag(i64::from(y) - cy));
                    cx = i64::from(x);
                    cy = i64::from(y);
                }
                put_varint(out, command(7, 1));
            }
            3
        }
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    put_varint(out, field << 3);
    put_varint(out, v);
}

fn put_bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A decoded feature: what a map client would see.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedFeature {
    /// The feature id, if any.
    pub id: Option<u64>,
    /// Its geometry in tile coordinates.
    pub geom: TileGeom,
    /// Its properties by name.
    pub props: BTreeMap<String, Val>,
}

/// A decoded layer.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedLayer {
    /// The layer name.
    pub name: String,
    /// The tile extent (4096 by default).
    pub extent: u32,
    /// The layer's features.
    pub features: Vec<DecodedFeature>,
}

/// Why a tile could not be decoded.
#[derive(Debug, thiserror::Error)]
#[error("malformed vector tile: {0}")]
pub struct DecodeError(&'static str);

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.buf.is_empty()
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self
                .buf
                .split_first()
                .ok_or(DecodeError("truncated varint"))?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(DecodeError("varint too long"))
    }

    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = usize::try_from(self.varint()?).map_err(|_| DecodeError("length"))?;
        if n > self.buf.len() {
            return Err(DecodeError("truncated field"));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    /// The next field's number and wire type.
    fn key(&mut self) -> Result<(u64, u64), DecodeError> {
        let k = self.varint()?;
        Ok((k >> 3, k & 7))
    }

    fn skip(&mut self, wire: u64) -> Result<(), DecodeError> {
        match wire {
            0 => self.varint().map(|_| ()),
            1 => self.fixed(8).map(|_| ()),
            2 => self.bytes().map(|_| ()),
            5 => self.fixed(4).map(|_| ()),
            _ => Err(DecodeError("unknown wire type")),
        }
    }

    fn fixed(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.buf.len() {
            return Err(DecodeError("truncated fixed field"));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }
}

fn packed(bytes: &[u8]) -> Result<Vec<u64>, DecodeError> {
    let mut r = Reader { buf: bytes };
    let mut out = Vec::new();
    while !r.done() {
        out.push(r.varint()?);
    }
    Ok(out)
}

/// Decodes an uncompressed tile.
pub fn decode(tile: &[u8]) -> Result<Vec<DecodedLayer>, DecodeError> {
    let mut r = Reader { buf: tile };
    let mut layers = Vec::new();
    while !r.done() {
        let (field, wire) = r.key()?;
        if field == 3 && wire == 2 {
            layers.push(decode_layer(r.bytes()?)?);
        } else {
            r.skip(wire)?;
        }
    }
    Ok(layers)
}

fn decode_layer(bytes: &[u8]) -> Result<DecodedLayer, DecodeError> {
    let mut r = Reader { buf: bytes };
    let (mut name, mut extent) = (String::new(), EXTENT);
    let (mut keys, mut values, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    while !r.done() {
        match r.key()? {
            (1, 2) => name = String::from_utf8_lossy(r.bytes()?).into_owned(),
            (2, 2) => raw.push(r.bytes()?),
            (3, 2) => keys.push(String::from_utf8_lossy(r.bytes()?).into_owned()),
            (4, 2) => values.push(decode_value(r.bytes()?)?),
            (5, 0) => extent = u32::try_from(r.varint()?).map_err(|_| DecodeError("extent"))?,
            (_, wire) => r.skip(wire)?,
        }
    }
    let mut features = Vec::with_capacity(raw.len());
    for f in raw {
        let mut r = Reader { buf: f };
        let (mut id, mut tags, mut kind, mut geometry) = (None, Vec::new(), 0, Vec::new());
        while !r.done() {
            match r.key()? {
                (1, 0) => id = Some(r.varint()?),
                (2, 2) => tags = packed(r.bytes()?)?,
                (3, 0) => kind = r.varint()?,
                (4, 2) => geometry = packed(r.bytes()?)?,
                (_, wire) => r.skip(wire)?,
            }
        }
        let mut props = BTreeMap::new();
        for pair in tags.chunks(2) {
            let [k, v] = pair else {
                return Err(DecodeError("odd tag count"));
            };
            let key = keys.get(*k as usize).ok_or(DecodeError("key index"))?;
            let val: &Val = values.get(*v as usize).ok_or(DecodeError("value index"))?;
            props.insert(key.clone(), val.clone());
        }
        features.push(DecodedFeature {
            id,
            geom: decode_geometry(kind, &geometry)?,
            props,
        });
    }
    Ok(DecodedLayer {
        name,
        extent,
        features,
    })
}

fn decode_value(bytes: &[u8]) -> Result<Val, DecodeError> {
    let mut r = Reader { buf: bytes };
    let mut out = None;
    while !r.done() {
        out = Some(match r.key()? {
            (1, 2) => Val::Str(String::from_utf8_lossy(r.bytes()?).into()),
            (2, 5) => {
                let b = r.fixed(4)?;
                Val::Float(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            (3, 1) => {
                let b = r.fixed(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Val::Float(f64::from_le_bytes(a))
            }
            (4, 0) => Val::Int(r.varint()? as i64),
            (5, 0) => Val::Int(r.varint()? as i64),
            (6, 0) => Val::Int(unzigzag(r.varint()?)),
            (7, 0) => Val::Bool(r.varint()? != 0),
            (_, wire) => {
                r.skip(wire)?;
                continue;
            }
        });
    }
    out.ok_or(DecodeError("empty value"))
}

fn decode_geometry(kind: u64, cmds: &[u64]) -> Result<TileGeom, DecodeError> {
    let (mut x, mut y) = (0i64, 0i64);
    let mut rings: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut i = 0;
    while i < cmds.len() {
        let (id, count) = (cmds[i] & 7, (cmds[i] >> 3) as usize);
        i += 1;
        match id {
            1 | 2 => {
                for _ in 0..count {
                    let (dx, dy) = match (cmds.get(i), cmds.get(i + 1)) {
                        (Some(dx), Some(dy)) => (unzigzag(*dx), unzigzag(*dy)),
                        _ => return Err(DecodeError("truncated geometry")),
                    };
                    i += 2;
                    x += dx;
                    y += dy;
                    if id == 1 {
                        rings.push(Vec::new());
                    }
                    let ring = rings
                        .last_mut()
                        .ok_or(DecodeError("LineTo before MoveTo"))?;
                    ring.push((x as i32, y as i32));
                }
            }
            7 => {}
            _ => return Err(DecodeError("unknown command")),
        }
    }
    match kind {
        1 => match rings.first().and_then(|r| r.first()) {
            Some(&(x, y)) => Ok(TileGeom::Point(x, y)),
            None => Err(DecodeError("empty point")),
        },
        3 => Ok(TileGeom::Polygon(rings)),
        _ => Err(DecodeError("unsupported geometry type")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_round_trip() {
        let v = [
            Val::Int(7),
            Val::Int(-3),
            Val::Float(2.5),
            Val::Str("Jableh".into()),
            Val::Bool(true),
        ];
        let square = vec![vec![(0, 0), (4096, 0), (4096, 4096), (0, 4096)]];
        let features = vec![
            FeatureOut {
                id: Some(1),
                geom: TileGeom::Point(10, -20),
                props: vec![("count", v[0].as_ref()), ("name", v[3].as_ref())],
            },
            FeatureOut {
                id: None,
                geom: TileGeom::Polygon(square.clone()),
                props: vec![
                    ("d", v[1].as_ref()),
                    ("f", v[2].as_ref()),
                    ("b", v[4].as_ref()),
                    ("count", v[0].as_ref()),
                ],
            },
        ];
        let mut tile = Vec::new();
        encode_layer(&mut tile, "places", &features);
        encode_layer(&mut tile, "empty", &[]);
        let layers = decode(&tile).expect("decodes");
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0].name, "places");
        assert_eq!(layers[0].extent, 4096);
        let f = &layers[0].features;
        assert_eq!(f[0].id, Some(1));
        assert_eq!(f[0].geom, TileGeom::Point(10, -20));
        assert_eq!(f[0].props["count"], Val::Int(7));
        assert_eq!(f[0].props["name"], Val::Str("Jableh".into()));
        assert_eq!(f[1].geom, TileGeom::Polygon(square));
        assert_eq!(f[1].props["d"], Val::Int(-3));
        assert_eq!(f[1].props["f"], Val::Float(2.5));
        assert_eq!(f[1].props["b"], Val::Bool(true));
        assert!(layers[1].features.is_empty());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [&[0x1a, 0xff][..], &[0x1a, 0x05, 0x12], &[0xff; 11]] {
            assert!(decode(bad).is_err());
        }
    }
}
