//! `$ref`s that point anywhere in the document, not only at an entry of `components`:
//! `#/components/schemas/Beta/properties/id`, `#/paths/~1jobs~1%7Bid%7D/get/responses/401`.
//!
//! `openapiv3` and lowering resolve `#/components/<section>/<key>`. Any other local JSON pointer
//! (RFC 6901 with `~0`/`~1` escapes, percent-encoded as a URI fragment) is resolved here, on the
//! JSON tree: its target is copied into `components` under a key made from the pointer's own
//! words (`Beta_id`, so the type is named `BetaId`), and every reference to it is rewritten to
//! that entry. The section is the target's kind, read from where it sits (a response, a
//! parameter, a request body, a header, else a schema). A target that itself refers elsewhere is
//! rewritten too, until nothing is left to do; a pointer to nothing is left as it is, for
//! lowering to report where it is written.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Whether `reference` is one that `openapiv3` and lowering resolve as they are.
pub fn is_entry(reference: &str) -> bool {
    match reference.strip_prefix("#/components/") {
        Some(rest) => {
            let mut parts = rest.split('/');
            matches!((parts.next(), parts.next(), parts.next()), (Some(_), Some(key), None) if !key.is_empty())
        }
        // Another file, or a URL: not ours to resolve here.
        None => !reference.starts_with("#/"),
    }
}

/// Whether the text of a JSON document may hold a `$ref` that is not an entry of `components`: a
/// cheap look at the text, so that a document without one keeps the fast path.
pub fn may_have_deep_refs(text: &str) -> bool {
    text.match_indices("\"$ref\"").any(|(at, _)| {
        let rest = text[at + 6..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            return false;
        };
        let value = rest.split('"').next().unwrap_or_default();
        !is_entry(value)
    })
}

/// Hoists the target of every deep reference into `components`; returns how many targets.
pub fn hoist(document: &mut Value) -> usize {
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    let mut unresolved = std::collections::BTreeSet::new();
    // Each round may copy targets that refer further; a chain is at most as long as the document.
    for _ in 0..64 {
        let mut found = Vec::new();
        collect(document, false, &mut found);
        let pending: Vec<String> = found
            .into_iter()
            .filter(|r| !is_entry(r) && !hoisted.contains_key(r) && !unresolved.contains(r))
            .collect();
        if pending.is_empty() {
            break;
        }
        for reference in pending {
            if hoisted.contains_key(&reference) {
                continue;
            }
            let Some(target) = decode(&reference).and_then(|pointer| resolve(document, &pointer, 0).cloned()) else {
                unresolved.insert(reference);
                continue;
            };
            let pointer = decode(&reference).unwrap_or_default();
            let section = section_of(&pointer);
            let key = fresh_key(document, section, &pointer);
            let entry = document
                .as_object_mut()
                .map(|root| root.entry("components").or_insert_with(|| Value::Object(Map::new())))
                .and_then(Value::as_object_mut)
                .map(|components| components.entry(section).or_insert_with(|| Value::Object(Map::new())))
                .and_then(Value::as_object_mut);
            let Some(entry) = entry else { continue };
            entry.insert(key.clone(), target);
            hoisted.insert(reference, format!("#/components/{section}/{key}"));
        }
        rewrite(document, false, &hoisted);
    }
    hoisted.len()
}

/// Whether the entry `key` of an object holds a literal value (an example, a default), not part
/// of the document. In a map keyed by names (`properties`, `responses`, ...) no key is a keyword:
/// a property may be called `default`, and `responses/default` is a response.
pub(super) fn is_literal(key: &str, in_names: bool) -> bool {
    // A vendor extension (`x-code-samples`) is the vendor's: a `$ref` in it is not ours to follow.
    !in_names && (key.starts_with("x-") || matches!(key, "default" | "example" | "examples" | "enum" | "const"))
}

/// Whether the object under `key` is keyed by names rather than keywords.
pub(super) fn holds_names(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "$defs"
            | "definitions"
            | "responses"
            | "schemas"
            | "parameters"
            | "headers"
            | "requestBodies"
            | "callbacks"
            | "paths"
            | "pathItems"
    )
}

/// The value at `pointer`, passing through the references on the way: a pointer into
/// `.../schema/properties/logo` where `schema` is a `$ref` means the referenced schema's `logo`, as
/// its author wrote it. `depth` bounds a chain of references that loops.
fn resolve<'d>(document: &'d Value, pointer: &str, depth: usize) -> Option<&'d Value> {
    let mut at = document;
    for token in tokens(pointer) {
        let next = match at {
            Value::Object(object) => object.get(&token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        at = match (next, at.get("$ref").and_then(Value::as_str)) {
            (Some(next), _) => next,
            (None, Some(reference)) if depth < 16 => {
                let through = resolve(document, &decode(reference)?, depth + 1)?;
                match through {
                    Value::Object(object) => object.get(&token)?,
                    _ => return None,
                }
            }
            _ => return None,
        };
    }
    Some(at)
}

/// Every `$ref` string of the document, outside literal values.
fn collect(value: &Value, in_names: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    // A media type's examples: literal values, or references to examples.
                    ("examples", Value::Object(examples)) if !in_names => {
                        out.extend(
                            examples
                                .values()
                                .filter_map(|e| e.get("$ref")?.as_str().map(str::to_owned)),
                        );
                    }
                    (key, _) if is_literal(key, in_names) => {}
                    (key, _) => collect(child, !in_names && holds_names(key), out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, false, out)),
        _ => {}
    }
}

fn rewrite(value: &mut Value, in_names: bool, hoisted: &BTreeMap<String, String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "$ref" => {
                        if let Some(to) = child.as_str().and_then(|r| hoisted.get(r)) {
                            *child = Value::String(to.clone());
                        }
                    }
                    "examples" if !in_names && child.is_object() => {
                        let references = child.as_object_mut().into_iter().flat_map(|e| e.values_mut());
                        for reference in references.filter_map(|e| e.get_mut("$ref")) {
                            if let Some(to) = reference.as_str().and_then(|r| hoisted.get(r)) {
                                *reference = Value::String(to.clone());
                            }
                        }
                    }
                    key if is_literal(key, in_names) => {}
                    key => rewrite(child, !in_names && holds_names(key), hoisted),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, false, hoisted)),
        _ => {}
    }
}

/// The JSON pointer of a `#/...` fragment: percent-decoded, escapes kept for `Value::pointer`.
pub(super) fn decode(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = fragment.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The tokens of a pointer, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Which `components` section the target at `pointer` belongs in, by where it sits.
fn section_of(pointer: &str) -> &'static str {
    let tokens = tokens(pointer);
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i].as_str());
    let last = tokens.last().map(String::as_str);
    match (parent, last) {
        (Some("responses"), _) => "responses",
        (Some("parameters"), _) => "parameters",
        (Some("headers"), _) => "headers",
        (Some("callbacks"), _) => "callbacks",
        (Some("examples"), _) => "examples",
        (_, Some("requestBody")) => "requestBodies",
        (Some("requestBodies"), _) => "requestBodies",
        _ => "schemas",
    }
}

/// Words of the pointer that say what the target is, without the structure around them.
const STRUCTURE: &[&str] = &[
    "components",
    "schemas",
    "properties",
    "items",
    "paths",
    "content",
    "schema",
    "responses",
    "parameters",
    "requestBody",
    "requestBodies",
    "definitions",
    "$defs",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
];

/// A key for the target at `pointer` that `section` does not have yet.
fn fresh_key(document: &Value, section: &str, pointer: &str) -> String {
    let words: Vec<String> = tokens(pointer)
        .into_iter()
        .filter(|t| !STRUCTURE.contains(&t.as_str()))
        .map(|t| {
            t.chars()
                .filter(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let base = if words.is_empty() {
        "Target".to_owned()
    } else {
        words.join("_")
    };
    let taken = |key: &str| {
        document
            .pointer(&format!(
                "/components/{section}/{}",
                key.replace('~', "~0").replace('/', "~1")
            ))
            .is_some()
    };
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base}_{n}") })
        .find(|key| !taken(key))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_of_components_are_left_to_the_reader() {
        assert!(is_entry("#/components/schemas/Beta"));
        assert!(is_entry("#/components/schemas/a~1b"));
        assert!(!is_entry("#/components/schemas/Beta/properties/id"));
        assert!(!is_entry("#/paths/~1jobs/get/responses/401"));
        assert!(is_entry("other.yaml#/Pet"));
        assert!(may_have_deep_refs(
            r##"{"$ref": "#/components/schemas/A/properties/b"}"##
        ));
        assert!(!may_have_deep_refs(r##"{"$ref":"#/components/schemas/A"}"##));
    }

    #[test]
    fn a_property_of_another_schema_becomes_a_component_named_from_it() {
        let mut doc = json!({
            "components": {"schemas": {
                "Beta": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}},
                "Gamma": {"type": "object", "properties": {
                    "beta_id": {"$ref": "#/components/schemas/Beta/properties/id"},
                    "again": {"$ref": "#/components/schemas/Beta/properties/id"}
                }}
            }}
        });
        assert_eq!(hoist(&mut doc), 1);
        assert_eq!(
            doc["components"]["schemas"]["Beta_id"],
            json!({"type": "string", "format": "uuid"})
        );
        let gamma = &doc["components"]["schemas"]["Gamma"]["properties"];
        assert_eq!(gamma["beta_id"], json!({"$ref": "#/components/schemas/Beta_id"}));
        assert_eq!(gamma["again"], json!({"$ref": "#/components/schemas/Beta_id"}));
    }

    #[test]
    fn escapes_percent_encoding_and_references_to_references_are_followed() {
        let mut doc = json!({
            "paths": {"/jobs/{id}": {"get": {"responses": {"401": {"description": "no"}}}}},
            "components": {
                "schemas": {"A": {"definitions": {"b": {"$ref": "#/components/schemas/C/properties/d"}}},
                            "C": {"properties": {"d": {"type": "integer"}}},
                            "E": {"$ref": "#/components/schemas/A/definitions/b"}},
                "responses": {"R": {"$ref": "#/paths/~1jobs~1%7Bid%7D/get/responses/401"}}
            }
        });
        hoist(&mut doc);
        assert_eq!(
            doc["components"]["responses"]["R"],
            json!({"$ref": "#/components/responses/jobsid_get_401"})
        );
        assert_eq!(
            doc["components"]["responses"]["jobsid_get_401"],
            json!({"description": "no"})
        );
        assert_eq!(
            doc["components"]["schemas"]["E"],
            json!({"$ref": "#/components/schemas/A_b"})
        );
        assert_eq!(
            doc["components"]["schemas"]["A_b"],
            json!({"$ref": "#/components/schemas/C_d"})
        );
        assert_eq!(doc["components"]["schemas"]["C_d"], json!({"type": "integer"}));
    }

    #[test]
    fn a_default_response_is_part_of_the_document_not_a_literal() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {"default": {"description": "error"}}}},
            "/b": {"get": {"responses": {"default": {"$ref": "#/paths/~1a/get/responses/default"}}}}
        }, "components": {"schemas": {"S": {"type": "object", "default": {"$ref": "#/not/a/reference"}}}}});
        assert_eq!(hoist(&mut doc), 1);
        assert_eq!(
            doc["paths"]["/b"]["get"]["responses"]["default"],
            json!({"$ref": "#/components/responses/a_get_default"})
        );
        assert_eq!(
            doc["components"]["responses"]["a_get_default"],
            json!({"description": "error"})
        );
        // A schema's `default` is a literal: what looks like a reference in it is left alone.
        assert_eq!(
            doc["components"]["schemas"]["S"]["default"],
            json!({"$ref": "#/not/a/reference"})
        );
        // A property called `default` is a schema like any other.
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"default": {"$ref": "#/components/schemas/B/properties/x"}, "example": {"type": "string"}}},
            "B": {"properties": {"x": {"type": "integer"}}}
        }}});
        assert_eq!(hoist(&mut doc), 1);
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["default"],
            json!({"$ref": "#/components/schemas/B_x"})
        );
        // A reference inside a vendor extension is the vendor's.
        let mut doc = json!({"paths": {"/a": {"post": {"x-code-samples": [{"source": "x"}, {"$ref": "#/paths/~1a/post/x-code-samples/0"}]}}}});
        assert_eq!(hoist(&mut doc), 0);
    }

    #[test]
    fn a_pointer_through_a_reference_reaches_the_referenced_part_and_examples_are_hoisted() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Brand"},
                "examples": {"one": {"value": {"logo": "x"}}}
            }}}}}},
            "/b": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/logo"},
                "examples": {"same": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/examples/one"}}
            }}}}}}
        }, "components": {"schemas": {"Brand": {"type": "object", "properties": {"logo": {"type": "string"}}}}}});
        assert_eq!(hoist(&mut doc), 2);
        let media = &doc["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"],
            json!({"$ref": "#/components/schemas/a_get_200_applicationjson_logo"})
        );
        assert_eq!(
            doc["components"]["schemas"]["a_get_200_applicationjson_logo"],
            json!({"type": "string"})
        );
        assert_eq!(
            media["examples"]["same"],
            json!({"$ref": "#/components/examples/a_get_200_applicationjson_examples_one"})
        );
    }

    #[test]
    fn a_pointer_to_nothing_is_left_for_lowering_to_report() {
        let mut doc = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/Z/properties/y"}}}});
        assert_eq!(hoist(&mut doc), 0);
        assert_eq!(
            doc["components"]["schemas"]["A"]["$ref"],
            "#/components/schemas/Z/properties/y"
        );
    }
}
