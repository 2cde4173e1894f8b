//! Values that arrive as text (path segments, query values, headers, cookies, multipart fields)
//! read into their documented types.
//!
//! Text carries no type of its own: `123` is a string to a `String` field and a number to an
//! integer one. So the reading is driven by the target type, as `serde_urlencoded` reads form
//! values: a deserializer that parses the text only as the type asks. A list is the parameter's
//! values in order (repeated keys, or one value split at the documented separator); a scalar given
//! several times is refused rather than silently taking one of them.
//!
//! Hand-written because no maintained crate reads a *list of texts* type-directed: serde_urlencoded
//! reads one form body, and its value type is private.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// Why texts are not a value of the wanted type: a message that reads after the value's pointer
/// (`/limit: is "ten", not a valid i64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError(pub String);

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TextError {}

impl de::Error for TextError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        TextError(message.to_string())
    }
}

/// One value: text, or bytes (a multipart file part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

/// `pieces` read as `T`.
pub fn read<T: DeserializeOwned>(pieces: Vec<Piece>) -> Result<T, TextError> {
    T::deserialize(Pieces(pieces))
}

/// Named fields (a multipart body) read as the struct `T`; an error names the field that did not
/// read (empty when it is the whole).
pub fn read_fields<T: DeserializeOwned>(fields: Vec<(String, Vec<Piece>)>) -> Result<T, (String, TextError)> {
    let mut current = String::new();
    let access = Fields {
        fields: fields.into_iter(),
        value: None,
        current: &mut current,
    };
    let result = T::deserialize(FieldsDeserializer(access));
    result.map_err(|error| (current, error))
}

struct Fields<'c> {
    fields: std::vec::IntoIter<(String, Vec<Piece>)>,
    value: Option<Vec<Piece>>,
    current: &'c mut String,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = TextError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, TextError> {
        let Some((name, value)) = self.fields.next() else {
            self.current.clear();
            return Ok(None);
        };
        self.current.clone_from(&name);
        self.value = Some(value);
        seed.deserialize(IntoDeserializer::<TextError>::into_deserializer(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TextError> {
        seed.deserialize(Pieces(self.value.take().unwrap_or_default()))
    }
}

struct FieldsDeserializer<'c>(Fields<'c>);

impl<'de> de::Deserializer<'de> for FieldsDeserializer<'_> {
    type Error = TextError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_map(self.0)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Every value given for one name.
struct Pieces(Vec<Piece>);

impl Pieces {
    fn single(mut self) -> Result<One, TextError> {
        match self.0.len() {
            1 => Ok(One(self.0.remove(0))),
            0 => Err(TextError("has no value".to_owned())),
            n => Err(TextError(format!("is given {n} times; one value is expected"))),
        }
    }
}

macro_rules! through_single {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                self.single()?.$method(visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Pieces {
    type Error = TextError;

    through_single! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_identifier
        deserialize_ignored_any deserialize_map
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_seq(Items {
            pieces: self.0.into_iter(),
            index: 0,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, TextError> {
        self.single()?.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.single()?.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.single()?.deserialize_enum(name, variants, visitor)
    }
}

/// The items of a list, each read on its own; an error names the item's index.
struct Items {
    pieces: std::vec::IntoIter<Piece>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = TextError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, TextError> {
        let Some(piece) = self.pieces.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(One(piece))
            .map(Some)
            .map_err(|e| TextError(format!("item {index} {e}")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.pieces.len())
    }
}

/// One text (or bytes), parsed as the visitor's type asks.
struct One(Piece);

impl One {
    fn text(&self) -> Result<&str, TextError> {
        match &self.0 {
            Piece::Text(text) => Ok(text),
            Piece::Bytes(bytes) => std::str::from_utf8(bytes).map_err(|_| TextError("is not UTF-8 text".to_owned())),
        }
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, TextError> {
        let text = self.text()?;
        text.trim()
            .parse()
            .map_err(|_| TextError(format!("is {}, not {what}", quoted(text))))
    }
}

/// A value as a message shows it: quoted, shortened past 40 characters.
fn quoted(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() > SHOWN {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head:?}…")
    } else {
        format!("{text:?}")
    }
}

macro_rules! parsed {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                visitor.$visit(self.parse::<$ty>($what)?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for One {
    type Error = TextError;

    parsed! {
        deserialize_i8 visit_i8 i8, "an integer from -128 to 127";
        deserialize_i16 visit_i16 i16, "a 16-bit integer";
        deserialize_i32 visit_i32 i32, "a 32-bit integer";
        deserialize_i64 visit_i64 i64, "an integer";
        deserialize_i128 visit_i128 i128, "an integer";
        deserialize_u8 visit_u8 u8, "an integer from 0 to 255";
        deserialize_u16 visit_u16 u16, "a 16-bit unsigned integer";
        deserialize_u32 visit_u32 u32, "a 32-bit unsigned integer";
        deserialize_u64 visit_u64 u64, "an unsigned integer";
        deserialize_u128 visit_u128 u128, "an unsigned integer";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
        deserialize_char visit_char char, "one character";
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.0 {
            Piece::Text(text) => visitor.visit_string(text),
            Piece::Bytes(bytes) => visitor.visit_byte_buf(bytes),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.text()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(TextError(format!("is {}, not `true` or `false`", quoted(other)))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.0 {
            Piece::Text(text) => visitor.visit_string(text),
            Piece::Bytes(bytes) => match String::from_utf8(bytes) {
                Ok(text) => visitor.visit_string(text),
                Err(_) => Err(TextError("is not UTF-8 text".to_owned())),
            },
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.0 {
            Piece::Text(text) => visitor.visit_byte_buf(text.into_bytes()),
            Piece::Bytes(bytes) => visitor.visit_byte_buf(bytes),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        let text = self.text()?.to_owned();
        visitor.visit_enum(text.into_deserializer())
    }

    /// A structured value in one text (a JSON object in a multipart field or a query value): read
    /// as JSON, which is how the client writes it.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        let value = self.json()?;
        de::Deserializer::deserialize_struct(value, name, fields, visitor).map_err(|e| TextError(e.to_string()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        let value = self.json()?;
        de::Deserializer::deserialize_map(value, visitor).map_err(|e| TextError(e.to_string()))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        let value = self.json()?;
        de::Deserializer::deserialize_seq(value, visitor).map_err(|e| TextError(e.to_string()))
    }

    forward_to_deserialize_any! {
        unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

impl One {
    fn json(&self) -> Result<serde_json::Value, TextError> {
        serde_json::from_str(self.text()?).map_err(|e| TextError(format!("is not a JSON value: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<Piece> {
        values.iter().map(|v| Piece::Text((*v).to_owned())).collect()
    }

    #[test]
    fn the_wanted_type_decides_how_text_reads() {
        assert_eq!(read::<String>(texts(&["123"])), Ok("123".to_owned()));
        assert_eq!(read::<i64>(texts(&["123"])), Ok(123));
        assert_eq!(read::<bool>(texts(&["true"])), Ok(true));
        assert_eq!(read::<Vec<u8>>(texts(&["1", "2"])), Ok(vec![1, 2]));
        assert_eq!(read::<Option<i32>>(texts(&[])), Ok(None));
        assert_eq!(read::<serde_json::Value>(texts(&["7"])), Ok(serde_json::json!("7")));
    }

    #[test]
    fn errors_say_what_was_sent_and_what_was_wanted() {
        assert_eq!(
            read::<i64>(texts(&["ten"])).unwrap_err().0,
            "is \"ten\", not an integer"
        );
        assert_eq!(
            read::<u8>(texts(&["300"])).unwrap_err().0,
            "is \"300\", not an integer from 0 to 255"
        );
        assert_eq!(
            read::<Vec<i32>>(texts(&["1", "x"])).unwrap_err().0,
            "item 1 is \"x\", not a 32-bit integer"
        );
        assert_eq!(
            read::<String>(texts(&["a", "b"])).unwrap_err().0,
            "is given 2 times; one value is expected"
        );
        assert_eq!(
            read::<bool>(texts(&["yes"])).unwrap_err().0,
            "is \"yes\", not `true` or `false`"
        );
    }

    #[test]
    fn enums_and_newtypes_read_from_text() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Order {
            Asc,
            Desc,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Name(String);
        assert_eq!(read::<Order>(texts(&["desc"])), Ok(Order::Desc));
        assert!(read::<Order>(texts(&["sideways"])).is_err());
        assert_eq!(read::<Name>(texts(&["n"])), Ok(Name("n".to_owned())));
    }
}
