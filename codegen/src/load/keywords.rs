//! Schema keywords the generator does not read, found so that none is dropped without a word.
//!
//! `openapiv3` keeps the keywords OpenAPI 3.0 defines and extensions (`x-...`); anything else in a
//! schema (`$id`, `$dynamicRef`, a misspelt `maxlength`) vanishes at deserialization. This walk
//! finds them first, each with its JSON pointer. It runs over the parsed JSON tree where the
//! loader has one, and straight over the text for a 3.0 JSON document (which skips the tree), so
//! every document gets the same warnings.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::join;

/// The schema keywords `openapiv3` reads (OpenAPI 3.0's, and the 3.1 ones the loader rewrites
/// into them), and annotations whose loss changes nothing.
const KNOWN: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "examples",
    "deprecated",
    "$ref",
    "$comment",
    "$schema",
    "$defs",
    "const",
    "contentMediaType",
    "contentEncoding",
];

/// What is lost with a keyword, where there is more to say than that it is ignored.
fn consequence(keyword: &str) -> &'static str {
    match keyword {
        "$id" | "$anchor" => "references are resolved by `#/components/schemas/...` only, not by schema ids",
        "$dynamicRef" | "$dynamicAnchor" | "$recursiveRef" | "$recursiveAnchor" => {
            "dynamic references are not followed; the schema is typed without them"
        }
        "dependentRequired" | "dependencies" => "keys that require others are not checked",
        "minContains" | "maxContains" => "item counts are not checked",
        _ => "it is ignored",
    }
}

fn warning(keyword: &str) -> String {
    // A keyword spelt in another case (`readonly`, `maxlength`) is most likely that keyword.
    let meant = KNOWN.iter().find(|known| known.eq_ignore_ascii_case(keyword));
    match meant {
        Some(meant) => {
            format!("`{keyword}` is not a schema keyword the generator reads (did you mean `{meant}`?): it is ignored")
        }
        None => format!(
            "`{keyword}` is not a schema keyword the generator reads: {}",
            consequence(keyword)
        ),
    }
}

/// Where the walk is: what the object or array at hand holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A part of the document that holds schemas somewhere below (an operation, a component).
    Container,
    /// The `components` object, whose `schemas` is a map of schemas.
    Components,
    /// A schema.
    Schema,
    /// A map whose values are schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `oneOf`, `anyOf`).
    SchemaList,
    /// A literal or anything else that holds no schema (`example`, `enum`, `xml`).
    Skip,
}

/// Where the value under `key` of an object at `place` is.
fn child(place: Place, key: &str) -> Place {
    match place {
        Place::Container | Place::Components => match key {
            "schema" => Place::Schema,
            "schemas" if place == Place::Components => Place::SchemaMap,
            "components" => Place::Components,
            // Outside a schema, `default` is a response (`responses/default`) or a server
            // variable's string: never a literal that could hold a schema.
            "example" | "examples" | "enum" | "const" => Place::Skip,
            _ => Place::Container,
        },
        Place::Schema => match key {
            "properties" | "$defs" => Place::SchemaMap,
            "items" | "not" | "additionalProperties" => Place::Schema,
            "allOf" | "oneOf" | "anyOf" => Place::SchemaList,
            _ => Place::Skip,
        },
        Place::SchemaMap => Place::Schema,
        Place::SchemaList | Place::Skip => Place::Skip,
    }
}

/// Where each item of an array at `place` is.
fn item(place: Place) -> Place {
    match place {
        Place::Container => Place::Container,
        Place::SchemaList => Place::Schema,
        _ => Place::Skip,
    }
}

fn unknown(key: &str) -> bool {
    !key.starts_with("x-") && !KNOWN.contains(&key)
}

/// The unknown schema keywords of a parsed document: `(pointer, message)` each.
pub fn in_value(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    walk_value(document, Place::Container, "", &mut found);
    found
}

fn walk_value(value: &Value, place: Place, pointer: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child_value) in object {
                let at = join(pointer, key);
                if place == Place::Schema && unknown(key) {
                    found.push((at.clone(), warning(key)));
                }
                let next = child(place, key);
                if next != Place::Skip {
                    walk_value(child_value, next, &at, found);
                }
            }
        }
        Value::Array(items) => {
            let next = item(place);
            if next != Place::Skip {
                for (i, each) in items.iter().enumerate() {
                    walk_value(each, next, &join(pointer, &i.to_string()), found);
                }
            }
        }
        _ => {}
    }
}

/// The unknown schema keywords of a JSON document, read straight from its text (no tree is
/// built); nothing if the text is not JSON, which the loader reports itself.
pub fn in_json(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let walk = Walk {
        place: Place::Container,
        path: &mut path,
        found: &mut found,
    };
    if walk.deserialize(&mut deserializer).is_err() {
        return Vec::new();
    }
    found
}

/// The streaming form of `walk_value`: one value, at a place, below a path of keys.
struct Walk<'w> {
    place: Place,
    path: &'w mut Vec<String>,
    found: &'w mut Vec<(String, String)>,
}

impl Walk<'_> {
    fn pointer(&self) -> String {
        self.path
            .iter()
            .fold(String::new(), |pointer, token| join(&pointer, token))
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.place == Place::Skip {
            return deserializer.deserialize_ignored_any(IgnoredAny).map(drop);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.place == Place::Schema && unknown(&key) {
                self.path.push(key.clone());
                let pointer = self.pointer();
                self.found.push((pointer, warning(&key)));
                self.path.pop();
            }
            let place = child(self.place, &key);
            self.path.push(key);
            map.next_value_seed(Walk {
                place,
                path: self.path,
                found: self.found,
            })?;
            self.path.pop();
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let place = item(self.place);
        let mut index = 0usize;
        loop {
            self.path.push(index.to_string());
            let next = seq.next_element_seed(Walk {
                place,
                path: self.path,
                found: self.found,
            })?;
            self.path.pop();
            if next.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "object", "$id": "x", "properties": {
                    "tree": {"$dynamicRef": "#node", "maxlength": 3, "x-ok": 1}
                }}, "example": {"$id": "not a schema"}}
            }}}}}},
            "components": {"schemas": {"Node": {"$dynamicAnchor": "node", "items": {"$anchor": "i"},
                "allOf": [{"dependentRequired": {}}], "examples": [{"$id": 1}], "title": "t"}}},
        })
    }

    #[test]
    fn unknown_keywords_are_found_where_they_are_and_only_in_schemas() {
        let mut found: Vec<String> = in_value(&document()).into_iter().map(|(pointer, _)| pointer).collect();
        found.sort();
        assert_eq!(
            found,
            [
                "/components/schemas/Node/$dynamicAnchor",
                "/components/schemas/Node/allOf/0/dependentRequired",
                "/components/schemas/Node/items/$anchor",
                "/paths/~1a/get/responses/200/content/application~1json/schema/$id",
                "/paths/~1a/get/responses/200/content/application~1json/schema/properties/tree/$dynamicRef",
                "/paths/~1a/get/responses/200/content/application~1json/schema/properties/tree/maxlength",
            ]
        );
    }

    #[test]
    fn the_text_walk_finds_what_the_tree_walk_finds() {
        let text = serde_json::to_string_pretty(&document()).expect("json");
        assert_eq!(in_json(&text), in_value(&document()));
        assert_eq!(in_json("{not json"), Vec::new());
    }
}
