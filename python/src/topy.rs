//! Claims into Python objects, as `json.loads` of the claim JSON would give them: structs and
//! maps as dicts (fields in declaration order), sequences and fixed arrays as lists, unit
//! variants as their names, `None` as None. Field names are made once per call and shared (a
//! Python string caches its hash): a corpus's claims are millions of dict keys. Floats that
//! repeat (coordinates, confidences) are shared too. (Sharing short string values as well
//! was measured, and cost more in look-ups than it saved.)

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};
use tollmap::util::hash::FxHashMap;

/// A Python error carried through serde.
#[derive(Debug)]
pub struct Error(pub PyErr);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

/// Field and variant names, made into Python strings once: keyed by the address and length
/// of the `&'static str` serde hands over; and the floats made so far, by their bits.
#[derive(Default)]
pub struct Names {
    made: FxHashMap<(usize, usize), Py<PyString>>,
    floats: FxHashMap<u64, Py<PyAny>>,
}

/// How many distinct floats are kept (a bound on the cache, not a limit: past it, new ones
/// are made each time).
const SHARED_MAX: usize = 1 << 16;

impl Names {
    fn float<'py>(&mut self, py: Python<'py>, v: f64) -> PyResult<Bound<'py, PyAny>> {
        if let Some(made) = self.floats.get(&v.to_bits()) {
            return Ok(made.bind(py).clone());
        }
        let made = v.into_bound_py_any(py)?;
        if self.floats.len() < SHARED_MAX {
            self.floats.insert(v.to_bits(), made.clone().unbind());
        }
        Ok(made)
    }

    fn get<'py>(&mut self, py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
        self.made
            .entry((name.as_ptr() as usize, name.len()))
            .or_insert_with(|| PyString::intern(py, name).unbind())
            .bind(py)
            .clone()
    }
}

/// `value` as Python objects.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    names: &mut Names,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(Serializer { py, names }).map_err(|e| e.0)
}

/// The serializer: one per value, borrowing the name cache.
pub struct Serializer<'a, 'py> {
    py: Python<'py>,
    names: &'a mut Names,
}

/// A sequence or tuple being made: a list.
pub struct Seq<'a, 'py> {
    py: Python<'py>,
    names: &'a mut Names,
    list: Bound<'py, PyList>,
}

/// A struct or map being made: a dict.
pub struct Dict<'a, 'py> {
    py: Python<'py>,
    names: &'a mut Names,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

impl<'a, 'py> Serializer<'a, 'py> {
    fn any<T: IntoPyObject<'py>>(&self, v: T) -> Out<'py> {
        v.into_bound_py_any(self.py).map_err(Error)
    }
}

impl<'a, 'py> ser::Serializer for Serializer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, Error>;
    type SerializeMap = Dict<'a, 'py>;
    type SerializeStruct = Dict<'a, 'py>;
    type SerializeStructVariant = ser::Impossible<Self::Ok, Error>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        self.any(v)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.any(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.any(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.any(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.any(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.any(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.any(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.any(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.any(v)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        // JSON has no NaN or infinity: serde_json writes them as null.
        if v.is_finite() {
            Ok(self.names.float(self.py, v)?)
        } else {
            Ok(self.py.None().into_bound(self.py))
        }
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.any(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        // As serde_json: a list of numbers.
        let list = PyList::empty(self.py);
        for b in v {
            list.append(*b)?;
        }
        Ok(list.into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(self.names.get(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let dict = PyDict::new(self.py);
        let key = self.names.get(self.py, variant);
        let py = self.py;
        let v = value.serialize(Serializer {
            py,
            names: self.names,
        })?;
        dict.set_item(key, v)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a, 'py>, Error> {
        Ok(Seq {
            py: self.py,
            names: self.names,
            list: PyList::empty(self.py),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom(format!(
            "{name}::{variant}: tuple variants are not in the claim JSON"
        )))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Dict<'a, 'py>, Error> {
        Ok(Dict {
            py: self.py,
            names: self.names,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Dict<'a, 'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom(format!(
            "{name}::{variant}: struct variants are not in the claim JSON"
        )))
    }
}

impl<'a, 'py> Seq<'a, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let v = value.serialize(Serializer {
            py: self.py,
            names: self.names,
        })?;
        self.list.append(v)?;
        Ok(())
    }
}

/// A sequence, a tuple and a tuple struct are all a list.
macro_rules! seq_as_list {
    ($trait:ident, $method:ident) => {
        impl<'a, 'py> ser::$trait for Seq<'a, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                Ok(self.list.into_any())
            }
        }
    };
}

seq_as_list!(SerializeSeq, serialize_element);
seq_as_list!(SerializeTuple, serialize_element);
seq_as_list!(SerializeTupleStruct, serialize_field);

impl<'a, 'py> ser::SerializeMap for Dict<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(Serializer {
            py: self.py,
            names: self.names,
        })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        let v = value.serialize(Serializer {
            py: self.py,
            names: self.names,
        })?;
        self.dict.set_item(key, v)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'a, 'py> ser::SerializeStruct for Dict<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let k = self.names.get(self.py, key);
        let v = value.serialize(Serializer {
            py: self.py,
            names: self.names,
        })?;
        self.dict.set_item(k, v)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}
