//! `$ref`s to the wrong kind of object, read as their authors meant them.
//!
//! Public specs point a schema at a parameter (`items: {$ref: '#/components/parameters/Id'}`),
//! a schema at a response, a response at a schema, and a path item or a callback at whatever
//! holds one. `openapiv3` refuses each of those, and with them the whole document. Where the
//! target holds what the place needs, the reference is pointed at it (the parameter's `schema`,
//! the response's JSON schema), or the target is copied in (a path item, a callback), with a
//! located warning where the document is wrong. The deep references this makes are resolved by
//! `pointers::hoist`, which runs next.

use serde_json::{Value, json};

use super::pointers::{decode, holds_names, is_literal};
use crate::diagnostic::join;

/// What a place in the document holds, by the keys that lead to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    Response,
    PathItem,
    Callback,
    Other,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Parameter => "parameter",
            Kind::Response => "response",
            Kind::PathItem => "path item",
            Kind::Callback => "callback",
            Kind::Other => "object",
        }
    }
}

fn kind_of_place(pointer: &str) -> Kind {
    let tokens: Vec<&str> = pointer.rsplit('/').take(3).collect();
    match tokens.as_slice() {
        ["schema" | "items" | "not" | "additionalProperties", ..]
        | [
            _,
            "properties" | "$defs" | "definitions" | "allOf" | "oneOf" | "anyOf",
            ..,
        ]
        | [_, "schemas", "components"] => Kind::Schema,
        [_, "parameters", ..] => Kind::Parameter,
        [_, "responses", ..] => Kind::Response,
        [_, "paths", ""] | [_, "pathItems", "components"] => Kind::PathItem,
        [_, "callbacks", ..] => Kind::Callback,
        _ => Kind::Other,
    }
}

/// What a local reference points at: its `components` section, or for a pointer elsewhere, where
/// it sits.
fn kind_of_target(reference: &str) -> Kind {
    let Some(pointer) = reference.strip_prefix('#') else {
        return Kind::Other;
    };
    if let Some(rest) = pointer.strip_prefix("/components/") {
        let mut parts = rest.split('/');
        if let (Some(section), Some(_), None) = (parts.next(), parts.next(), parts.next()) {
            return match section {
                "schemas" => Kind::Schema,
                "parameters" => Kind::Parameter,
                "responses" => Kind::Response,
                "pathItems" => Kind::PathItem,
                "callbacks" => Kind::Callback,
                _ => Kind::Other,
            };
        }
    }
    if pointer.starts_with("/paths/") && pointer.matches('/').count() == 2 {
        return Kind::PathItem;
    }
    // A pointer into an object: `pointers::hoist` decides its kind where it sits.
    Kind::Other
}

/// Whether the text of a JSON document may hold a misplaced reference: a cheap look at the text
/// (the key each `$ref` object sits under), so that the fast path, which reads the text straight
/// into `openapiv3` and never runs [`repoint`], is left only when it might be needed. A false
/// "may" costs only speed.
pub fn may_have(text: &str) -> bool {
    text.match_indices("\"$ref\"").any(|(at, _)| {
        let target = text[at + 6..]
            .trim_start()
            .strip_prefix(':')
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('"'))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        let section = target
            .strip_prefix("#/components/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let under = key_before_object(&text[..at]);
        let status = under
            .is_some_and(|key| key == "default" || (key.len() == 3 && key.chars().all(|c| c.is_ascii_alphanumeric())));
        match section {
            // A parameter is an item of a `parameters` array.
            "parameters" => under.is_some(),
            "responses" => !status,
            "schemas" => status,
            "callbacks" | "pathItems" => true,
            _ => false,
        }
    })
}

/// The key whose value is the object that starts just before `before` ends (`"400": {` gives
/// `400`), or `None` for an array item or an object whose `$ref` is not its first key.
fn key_before_object(before: &str) -> Option<&str> {
    let rest = before
        .trim_end()
        .strip_suffix('{')?
        .trim_end()
        .strip_suffix(':')?
        .trim_end();
    let rest = rest.strip_suffix('"')?;
    let start = rest.rfind('"')?;
    Some(&rest[start + 1..])
}

/// Rewrites each misplaced reference; returns warnings as `(pointer, message)`.
pub fn repoint(document: &mut Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect(document, "", false, &mut found);
    let mut warnings = Vec::new();
    for (at, reference) in found {
        let place = kind_of_place(&at);
        let target = kind_of_target(&reference);
        if place == target || target == Kind::Other || place == Kind::Other {
            if matches!(place, Kind::PathItem | Kind::Callback) && reference.starts_with("#/") {
                // A path item or callback by reference: `openapiv3` reads neither; copy it in.
                inline(document, &at, &reference);
            }
            continue;
        }
        let note = match (place, target) {
            (Kind::Schema, Kind::Parameter | Kind::Response) => {
                let own = if target == Kind::Parameter {
                    Some(format!("{reference}/schema"))
                } else {
                    json_schema_of(document, &reference)
                };
                // Failing that, the schema of the same name, which the author may have meant.
                let named = reference
                    .rsplit('/')
                    .next()
                    .map(|key| format!("#/components/schemas/{key}"));
                own.and_then(|to| repoint_to(document, &at, &to, &format!("its {}'s schema", target.noun())))
                    .or_else(|| named.and_then(|to| repoint_to(document, &at, &to, "the schema of the same name")))
                    .or_else(|| {
                        let place = document.pointer_mut(&at)?.as_object_mut()?;
                        place.remove("$ref");
                        Some("it holds no schema, so this one reads as any value".to_owned())
                    })
            }
            (Kind::Response, Kind::Schema) => response_from_schema(document, &at, &reference),
            (Kind::PathItem | Kind::Callback, _) => {
                inline(document, &at, &reference);
                Some("it is read as the object it points at".to_owned())
            }
            _ => None,
        };
        if let Some(note) = note {
            warnings.push((
                join(&at, "$ref"),
                format!(
                    "`{reference}` points at a {} where a {} goes; {note}",
                    target.noun(),
                    place.noun()
                ),
            ));
        }
    }
    warnings
}

fn repoint_to(document: &mut Value, at: &str, to: &str, what: &str) -> Option<String> {
    let target = document.pointer(&decode(to)?)?;
    if target.is_null() {
        return None;
    }
    let place = document.pointer_mut(at)?.as_object_mut()?;
    place.insert("$ref".to_owned(), Value::String(to.to_owned()));
    Some(format!("read as {what}, `{to}`"))
}

/// The reference of the JSON media type's schema of the response at `reference` (the first media
/// type with a schema when none is JSON).
fn json_schema_of(document: &Value, reference: &str) -> Option<String> {
    let content = document.pointer(&decode(reference)?)?.get("content")?.as_object()?;
    let media = content
        .iter()
        .filter(|(_, m)| m.get("schema").is_some())
        .min_by_key(|(name, _)| !name.contains("json"))
        .map(|(name, _)| name)?;
    Some(format!(
        "{reference}/content/{}/schema",
        media.replace('~', "~0").replace('/', "~1")
    ))
}

/// A response given as a schema: a schema entry shaped like a response (it has `description`
/// or `content` and no `type`) is that response; any other schema is the body of one.
fn response_from_schema(document: &mut Value, at: &str, reference: &str) -> Option<String> {
    let pointer = decode(reference)?;
    let target = document.pointer(&pointer)?.clone();
    let looks_like_response = target.get("type").is_none()
        && target.get("properties").is_none()
        && (target.get("content").is_some() || target.get("description").is_some_and(Value::is_string));
    let (response, note) = if looks_like_response {
        let mut response = target.as_object()?.clone();
        response
            .entry("description")
            .or_insert_with(|| Value::String(String::new()));
        (Value::Object(response), "it is shaped like a response and read as one")
    } else {
        let description = target
            .get("description")
            .cloned()
            .unwrap_or_else(|| Value::String(String::new()));
        (
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": reference}}}}),
            "read as a response whose JSON body is that schema",
        )
    };
    *document.pointer_mut(at)? = response;
    Some(note.to_owned())
}

/// Replaces the reference at `at` with a copy of what it points at (what is beside the `$ref` wins).
fn inline(document: &mut Value, at: &str, reference: &str) {
    let Some(pointer) = decode(reference) else {
        return;
    };
    // A reference to itself, or to a place inside itself, would copy without end.
    if at.starts_with(&pointer) {
        return;
    }
    let Some(Value::Object(target)) = document.pointer(&pointer).cloned() else {
        return;
    };
    if let Some(Value::Object(place)) = document.pointer_mut(at) {
        place.remove("$ref");
        for (key, value) in target {
            place.entry(key).or_insert(value);
        }
    }
}

/// Every `$ref` with the pointer of the object that holds it, outside literals and extensions.
fn collect(value: &Value, pointer: &str, in_names: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                out.push((pointer.to_owned(), reference.clone()));
            }
            for (key, child) in object {
                if !is_literal(key, in_names) {
                    collect(child, &join(pointer, key), !in_names && holds_names(key), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &join(pointer, &i.to_string()), false, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_says_when_a_reference_may_be_misplaced() {
        assert!(!may_have(
            r##"{"parameters": [{"$ref": "#/components/parameters/Id"}]}"##
        ));
        assert!(!may_have(
            r##"{"responses": {"404": {"$ref": "#/components/responses/NotFound"}}}"##
        ));
        assert!(!may_have(r##"{"schema": {"$ref": "#/components/schemas/Pet"}}"##));
        assert!(may_have(
            r##"{"responses": {"400":{"$ref":"#/components/schemas/BadRequest"}}}"##
        ));
        assert!(may_have(r##"{"items": {"$ref": "#/components/parameters/Id"}}"##));
        assert!(may_have(r##"{"schema": {"$ref": "#/components/responses/Status"}}"##));
    }

    #[test]
    fn a_schema_that_points_at_a_parameter_or_a_response_takes_its_schema() {
        let mut doc = json!({
            "paths": {"/v": {"get": {"parameters": [{"name": "ids", "in": "query", "schema": {
                "type": "array", "items": {"$ref": "#/components/parameters/Id"}}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/responses/Status"}}}}}}}},
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "string"}}},
                "responses": {"Status": {"description": "s", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }
        });
        let warnings = repoint(&mut doc);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let get = &doc["paths"]["/v"]["get"];
        assert_eq!(
            get["parameters"][0]["schema"]["items"]["$ref"],
            "#/components/parameters/Id/schema"
        );
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/responses/Status/content/application~1json/schema"
        );
        assert!(
            warnings[0].1.contains("points at a parameter where a schema goes"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_response_that_points_at_a_schema_reads_as_one_and_path_items_are_copied_in() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"responses": {"400": {"$ref": "#/components/schemas/BadRequest"},
                                             "404": {"$ref": "#/components/schemas/Thing"}}}},
                "/b": {"$ref": "#/components/schemas/BItem"}
            },
            "components": {"schemas": {
                "BadRequest": {"description": "Bad request"},
                "Thing": {"type": "object", "description": "A thing."},
                "BItem": {"get": {"responses": {"200": {"description": "ok"}}}}
            }}
        });
        repoint(&mut doc);
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert_eq!(responses["400"], json!({"description": "Bad request"}));
        assert_eq!(
            responses["404"],
            json!({"description": "A thing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}})
        );
        assert_eq!(
            doc["paths"]["/b"],
            json!({"get": {"responses": {"200": {"description": "ok"}}}})
        );
    }
}
