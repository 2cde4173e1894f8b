//! Schemas that cannot be read, made readable so that the rest of the document can be.
//!
//! One schema with a keyword of the wrong type (`pattern: 0`, `type: {...}`) makes `openapiv3`
//! refuse the whole document, though every other operation and type in it means what it says.
//! When the document fails inside a schema, the innermost schema that fails on its own is found;
//! the keyword that breaks it is dropped (or, when no one keyword does, the schema reads as any
//! value), with a located warning; then the document is read again.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diagnostic::join;

/// Keywords that hold schemas, which are repaired on their own rather than dropped whole.
const SUBSCHEMAS: &[&str] = &[
    "properties",
    "items",
    "not",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
];

/// Repairs the first unreadable schema at or below `pointer`; returns the warning it makes, as
/// `(pointer, message)`, or `None` when there is no schema there to repair.
pub fn unreadable_schema(document: &mut Value, pointer: &str) -> Option<(String, String)> {
    let start = document.pointer(pointer)?;
    let at = innermost_failing(start, pointer, is_schema_position(pointer), 0)?;
    let schema = document.pointer_mut(&at)?;
    let message = failure(schema)?;
    if let Value::Object(object) = schema {
        // The keywords that fail on their own (`{"pattern": 0}`); if the schema reads without
        // them, only they go.
        let spoilers: Vec<(String, String)> = object
            .iter()
            .filter(|(key, _)| !SUBSCHEMAS.contains(&key.as_str()))
            .filter_map(|(key, value)| {
                let alone = Value::Object(Map::from_iter([(key.clone(), value.clone())]));
                failure(&alone).map(|why| (key.clone(), why))
            })
            .collect();
        let mut without = object.clone();
        for (key, _) in &spoilers {
            without.remove(key);
        }
        if !spoilers.is_empty() && failure(&Value::Object(without.clone())).is_none() {
            *object = without;
            let notes: Vec<String> = spoilers
                .iter()
                .map(|(key, why)| format!("`{key}` cannot be read ({why})"))
                .collect();
            return Some((at, format!("{}: ignored", notes.join("; "))));
        }
    }
    // No one keyword: the schema says nothing the generator can read, so it holds any value.
    let description = schema.get("description").filter(|d| d.is_string()).cloned();
    let mut any = Map::new();
    if let Some(description) = description {
        any.insert("description".to_owned(), description);
    }
    *schema = Value::Object(any);
    Some((
        at,
        format!("this schema cannot be read ({message}): it is read as any value"),
    ))
}

/// Why `value` is not a schema, or `None` if it is one (or a reference). `openapiv3` panics on
/// some inputs; that counts as a failure too.
fn failure(value: &Value) -> Option<String> {
    let read = std::panic::catch_unwind(|| openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(value));
    match read {
        Ok(Ok(_)) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_) => Some("a shape the OpenAPI reader cannot take".to_owned()),
    }
}

/// The pointer of the innermost schema at or below `value` that fails on its own. `schema` says
/// whether `value` sits where a schema goes.
fn innermost_failing(value: &Value, pointer: &str, schema: bool, depth: usize) -> Option<String> {
    // Deeper than any document nests its schemas: a cycle of the tree cannot exist, but a
    // pathological document should not cost more than this.
    if depth > 256 {
        return None;
    }
    let children: Box<dyn Iterator<Item = (String, &Value)>> = match value {
        Value::Object(object) => Box::new(object.iter().map(|(k, v)| (k.clone(), v))),
        Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => Box::new(std::iter::empty()),
    };
    for (key, child) in children {
        let below = join(pointer, &key);
        // Literals and extensions hold no schema of the document.
        if key.starts_with("x-")
            || (!is_name_position(pointer)
                && matches!(key.as_str(), "example" | "examples" | "enum" | "const" | "default"))
        {
            continue;
        }
        let child_is_schema = is_schema_position(&below);
        if (child.is_object() || child.is_array() || child_is_schema)
            && let Some(found) = innermost_failing(child, &below, child_is_schema, depth + 1)
        {
            return Some(found);
        }
    }
    (schema && failure(value).is_some()).then(|| pointer.to_owned())
}

/// Whether the value at `pointer` is where a schema goes, by the keys that lead to it.
fn is_schema_position(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.rsplit('/').take(3).collect();
    matches!(
        tokens.as_slice(),
        ["schema" | "items" | "not" | "additionalProperties", ..]
            | [
                _,
                "properties" | "$defs" | "definitions" | "allOf" | "oneOf" | "anyOf",
                ..
            ]
            | [_, "schemas", "components"]
    )
}

/// Whether the entries below `pointer` are keyed by names (a property may be called `default`).
fn is_name_position(pointer: &str) -> bool {
    matches!(
        pointer.rsplit('/').next(),
        Some("properties" | "$defs" | "definitions" | "schemas" | "responses" | "parameters" | "headers")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_keyword_of_the_wrong_type_is_dropped_and_the_rest_kept() {
        let mut doc = json!({"components": {"schemas": {"Pick": {
            "type": "object",
            "properties": {"timecode": {"type": "string", "pattern": 0, "description": "When."}}
        }}}});
        let (at, message) = unreadable_schema(&mut doc, "/components/schemas/Pick").expect("repaired");
        assert_eq!(at, "/components/schemas/Pick/properties/timecode");
        assert!(
            message.starts_with("`pattern` cannot be read (invalid type: integer `0`"),
            "{message}"
        );
        assert_eq!(
            doc["components"]["schemas"]["Pick"]["properties"]["timecode"],
            json!({"type": "string", "description": "When."})
        );
    }

    #[test]
    fn a_spoiling_keyword_goes_and_what_is_no_schema_reads_as_any_value() {
        let mut doc = json!({"components": {"schemas": {"Kind": {"type": {"enum": ["a"], "type": "string"}, "description": "Kind."}}}});
        let (at, message) = unreadable_schema(&mut doc, "/components/schemas").expect("repaired");
        assert_eq!(at, "/components/schemas/Kind");
        assert!(message.starts_with("`type` cannot be read"), "{message}");
        assert_eq!(doc["components"]["schemas"]["Kind"], json!({"description": "Kind."}));
        // Not a schema at all: any value.
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": "not a schema"}}}}}}}});
        let (at, _) = unreadable_schema(&mut doc, "/paths").expect("repaired");
        assert_eq!(at, "/paths/~1a/get/responses/200/content/application~1json/schema");
        assert_eq!(doc.pointer(&at), Some(&json!({})));
    }

    #[test]
    fn nothing_to_repair_outside_schemas() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": 3}}}});
        assert_eq!(unreadable_schema(&mut doc, "/paths"), None);
    }
}
