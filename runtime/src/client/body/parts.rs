//! Reading a body's properties as multipart parts straight from `Serialize`, so bytes stay bytes
//! (through `serde_json::Value` they could only be text or a list of numbers).

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

/// What one value sends.
pub(super) enum Part {
    Text(String),
    Json(String),
    Bytes(Vec<u8>),
    List(Vec<Part>),
    Skip,
}

#[derive(Debug)]
pub(super) enum PartError {
    /// Not a string, bytes, list or absent value: the caller sends its JSON instead.
    NotPlain,
    Message(String),
}

impl fmt::Display for PartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartError::NotPlain => f.write_str("not a plain value"),
            PartError::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for PartError {}

impl ser::Error for PartError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        PartError::Message(message.to_string())
    }
}

/// The `Serializer` methods whose values are never a part of their own kind: numbers and
/// booleans (sent as their JSON), tuples and enum variants with data.
macro_rules! not_plain {
    () => {
        not_plain!(@scalars serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
            serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
            serialize_f32: f32, serialize_f64: f64);
        fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, PartError> {
            Err(PartError::NotPlain)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, PartError> {
            Err(PartError::NotPlain)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, PartError> {
            Err(PartError::NotPlain)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, PartError> {
            Err(PartError::NotPlain)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, PartError> {
            Err(PartError::NotPlain)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, PartError> {
            Err(PartError::NotPlain)
        }
    };
    (@scalars $($method:ident: $ty:ty),*) => {
        $(
            fn $method(self, _: $ty) -> Result<Self::Ok, PartError> {
                Err(PartError::NotPlain)
            }
        )*
    };
}

/// The part of one value: its own kind where it has one, its JSON otherwise.
fn part_of<T: Serialize + ?Sized>(value: &T) -> Result<Part, PartError> {
    match value.serialize(Probe) {
        Err(PartError::NotPlain) => serde_json::to_string(value)
            .map(Part::Json)
            .map_err(|e| PartError::Message(e.to_string())),
        other => other,
    }
}

/// The top level: an object (a struct, or a map when properties are flattened into it).
pub(super) struct Fields;

pub(super) struct Collected(Vec<(String, Part)>, Option<String>);

impl Serializer for Fields {
    type Ok = Vec<(String, Part)>;
    type Error = PartError;
    type SerializeSeq = Impossible<Self::Ok, PartError>;
    type SerializeTuple = Impossible<Self::Ok, PartError>;
    type SerializeTupleStruct = Impossible<Self::Ok, PartError>;
    type SerializeTupleVariant = Impossible<Self::Ok, PartError>;
    type SerializeMap = Collected;
    type SerializeStruct = Collected;
    type SerializeStructVariant = Impossible<Self::Ok, PartError>;

    fn is_human_readable(&self) -> bool {
        false
    }
    not_plain!();
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Collected, PartError> {
        Ok(Collected(Vec::with_capacity(len), None))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Collected, PartError> {
        Ok(Collected(Vec::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, PartError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, PartError> {
        value.serialize(self)
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_none(self) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_unit(self) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<Self::Ok, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, PartError> {
        Err(PartError::NotPlain)
    }
}

impl SerializeStruct for Collected {
    type Ok = Vec<(String, Part)>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), PartError> {
        self.0.push((key.to_owned(), part_of(value)?));
        Ok(())
    }
    fn end(self) -> Result<Self::Ok, PartError> {
        Ok(self.0)
    }
}

impl SerializeMap for Collected {
    type Ok = Vec<(String, Part)>;
    type Error = PartError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), PartError> {
        match serde_json::to_value(key) {
            Ok(serde_json::Value::String(key)) => {
                self.1 = Some(key);
                Ok(())
            }
            _ => Err(PartError::Message("a multipart field name must be a string".to_owned())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        let key = self
            .1
            .take()
            .ok_or_else(|| PartError::Message("a value without a key".to_owned()))?;
        self.0.push((key, part_of(value)?));
        Ok(())
    }
    fn end(self) -> Result<Self::Ok, PartError> {
        Ok(self.0)
    }
}

/// One property's value: text, bytes, a list, or nothing; `NotPlain` for the rest.
struct Probe;

struct List(Vec<Part>);

impl SerializeSeq for List {
    type Ok = Part;
    type Error = PartError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        // A list inside a list has no multipart form of its own: it is one JSON part.
        let part = match part_of(value)? {
            Part::List(_) => Part::Json(serde_json::to_string(value).map_err(|e| PartError::Message(e.to_string()))?),
            part => part,
        };
        self.0.push(part);
        Ok(())
    }
    fn end(self) -> Result<Part, PartError> {
        Ok(Part::List(self.0))
    }
}

impl Serializer for Probe {
    type Ok = Part;
    type Error = PartError;
    type SerializeSeq = List;
    type SerializeTuple = Impossible<Part, PartError>;
    type SerializeTupleStruct = Impossible<Part, PartError>;
    type SerializeTupleVariant = Impossible<Part, PartError>;
    type SerializeMap = Impossible<Part, PartError>;
    type SerializeStruct = Impossible<Part, PartError>;
    type SerializeStructVariant = Impossible<Part, PartError>;

    // Not human-readable, so that `Binary` writes bytes here (and a string in JSON).
    fn is_human_readable(&self) -> bool {
        false
    }
    not_plain!();
    fn serialize_str(self, text: &str) -> Result<Part, PartError> {
        Ok(Part::Text(text.to_owned()))
    }
    fn serialize_char(self, c: char) -> Result<Part, PartError> {
        Ok(Part::Text(c.to_string()))
    }
    fn serialize_bytes(self, bytes: &[u8]) -> Result<Part, PartError> {
        Ok(Part::Bytes(bytes.to_vec()))
    }
    fn serialize_none(self) -> Result<Part, PartError> {
        Ok(Part::Skip)
    }
    fn serialize_unit(self) -> Result<Part, PartError> {
        Ok(Part::Skip)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Part, PartError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<Part, PartError> {
        value.serialize(self)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Part, PartError> {
        Ok(Part::Text(variant.to_owned()))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, PartError> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, PartError> {
        Err(PartError::NotPlain)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, PartError> {
        Err(PartError::NotPlain)
    }
}
