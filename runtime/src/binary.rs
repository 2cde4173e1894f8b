//! [`Binary`]: the type of a property declared `type: string, format: binary`.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Raw bytes, as a multipart file part carries them.
///
/// A multipart body sends it as an `application/octet-stream` part, byte for byte. JSON has no
/// bytes: there it is a string, which works for UTF-8 content and is an error otherwise, rather than
/// a silent replacement of the bytes that are not. The encoders tell the two apart by
/// `Serializer::is_human_readable` (JSON is, the multipart encoder is not).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Binary {
    fn from(bytes: &[u8; N]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary(text.as_bytes().to_vec())
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(text.into_bytes())
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let text = std::str::from_utf8(&self.0).map_err(|_| {
                serde::ser::Error::custom(
                    "binary data that is not UTF-8 has no JSON form; send it in a multipart or octet-stream body",
                )
            })?;
            serializer.serialize_str(text)
        } else {
            serializer.serialize_bytes(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BinaryVisitor;

        impl<'de> Visitor<'de> for BinaryVisitor {
            type Value = Binary;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string or bytes")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Binary, E> {
                Ok(Binary::from(text))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Binary, E> {
                Ok(Binary::from(text))
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Binary, E> {
                Ok(Binary::from(bytes))
            }

            fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Binary, E> {
                Ok(Binary(bytes))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(Binary(bytes))
            }
        }

        deserializer.deserialize_any(BinaryVisitor)
    }
}

impl crate::Validate for Binary {
    fn validate_at(&self, _at: &str, _out: &mut Vec<crate::Violation>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_sees_a_string() {
        let text = Binary::from("hello");
        assert_eq!(serde_json::to_string(&text).expect("UTF-8"), "\"hello\"");
        assert_eq!(serde_json::from_str::<Binary>("\"hello\"").expect("string"), text);
        assert_eq!(format!("{text:?}"), "Binary(5 bytes)");
    }

    #[test]
    fn bytes_that_are_not_utf8_have_no_json_form() {
        let error = serde_json::to_string(&Binary(vec![0xff, 0])).expect_err("not UTF-8");
        assert!(error.to_string().contains("not UTF-8"), "{error}");
    }
}
