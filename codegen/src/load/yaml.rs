//! YAML text to a JSON value, in one pass with no YAML tree in between.
//!
//! Four things differ from reading JSON: mapping keys may be numbers or booleans (`200:` is a
//! status code), which become strings; integers may lie outside 64 bits (`-9223372036854776000`
//! in public specs), which become floats as JSON parsers read them; `<<` merge keys copy the
//! entries of the mappings they name; and tags (`!foo`) are dropped, keeping the tagged value.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses `text`; on failure, the line (where known) and the message.
pub fn parse(text: &str) -> Result<Value, (Option<usize>, String)> {
    let Json(value) = serde_yaml::from_str::<Json>(text)
        .map_err(|e| (e.location().map(|l| l.line()), format!("invalid YAML: {e}")))?;
    Ok(value)
}

/// A JSON value read from YAML.
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Json)
    }
}

struct ValueVisitor;

fn float<E: de::Error>(value: f64) -> Result<Value, E> {
    Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format!("the number {value} has no JSON form")))
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => float(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => float(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        float(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let Json(value) = map.next_value()?;
            if key == "<<" {
                merged.push(value);
            } else {
                object.insert(key, value);
            }
        }
        // Merged mappings fill in what the mapping does not say itself; earlier ones win.
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(entries) = source else {
                    return Err(de::Error::custom(
                        "a `<<` merge key must name a mapping or a list of mappings",
                    ));
                };
                for (key, value) in entries {
                    object.entry(key).or_insert(value);
                }
            }
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`): the tag names nothing OpenAPI knows; keep the value.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<Json>(variant).map(|Json(value)| value)
    }
}

/// Reads a mapping key as a string, whatever scalar it is written as.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        match deserializer.deserialize_any(ValueVisitor)? {
            Value::String(text) => Ok(text),
            Value::Null => Ok("null".to_owned()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(de::Error::custom(format!(
                "a mapping key must be a scalar, found {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalar_keys_become_strings_and_big_integers_floats() {
        let value = parse("200: ok\ntrue: yes\nmin: -9223372036854776000\nmax: 18446744073709551615\n").expect("yaml");
        assert_eq!(value["200"], json!("ok"));
        assert_eq!(value["true"], json!("yes"));
        assert_eq!(value["min"], json!(-9.223372036854776e18));
        assert_eq!(value["max"], json!(18446744073709551615u64));
    }

    #[test]
    fn merge_keys_fill_in_and_tags_are_dropped() {
        let text = "base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  b: 3\ntagged: !custom 5\n";
        let value = parse(text).expect("yaml");
        assert_eq!(value["derived"], json!({"b": 3, "a": 1}));
        assert_eq!(value["tagged"], json!(5));
    }

    #[test]
    fn errors_carry_the_line() {
        let (line, message) = parse("a: 1\nb: [unclosed\n").expect_err("invalid");
        assert!(line.is_some(), "{message}");
        assert!(message.starts_with("invalid YAML"), "{message}");
    }
}
