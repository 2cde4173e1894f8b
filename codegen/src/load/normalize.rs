//! OpenAPI 3.1 to the OpenAPI 3.0 shape that `openapiv3` reads.
//!
//! 3.1 differs from 3.0 mostly in how schemas spell things (JSON Schema 2020-12): nullability is a
//! type array, `const` and `examples` exist, numeric exclusive bounds are numbers, `$ref` may have
//! siblings. Each of those has an exact 3.0 spelling, so a rewrite of the parsed document before
//! deserialization lets one lowering serve both versions: no second set of types, no second
//! lowering to keep in step. The rewrite keeps every JSON pointer that existed (siblings of a
//! `$ref` move under `allOf`, which locates at the schema itself), so diagnostics still find
//! their lines. What has no 3.0 spelling is dropped with a located warning.

use serde_json::{Map, Value, json};

use crate::diagnostic::join;

/// JSON Schema keywords that 3.0 has no spelling for; the generator ignores them.
const UNSUPPORTED: &[&str] = &[
    "prefixItems",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
];

/// Rewrites a 3.1 document in place; returns warnings as `(pointer, message)`.
pub fn openapi_31_to_30(document: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let Some(root) = document.as_object_mut() else {
        return warnings;
    };
    root.insert("openapi".to_owned(), Value::from("3.0.3"));
    // 3.1 makes `paths` optional; 3.0 requires it.
    root.entry("paths").or_insert_with(|| json!({}));
    // `webhooks` holds path items like `paths` does, and is rewritten the same way.
    for (key, value) in root.iter_mut() {
        containers(value, &join("", key), Form::V31, &mut warnings);
    }
    mutual_tls(document);
    warnings
}

/// Which rewrites a walk makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A 3.1 document: every 3.1 spelling becomes its 3.0 one.
    V31,
    /// A 3.0 document that borrowed 3.1's `type: [T, "null"]` here and there, which `openapiv3`
    /// refuses whole; nothing else is touched, since the rest is 3.0 and means what 3.0 says.
    TypeArraysIn30,
}

/// In a 3.0 document, reads the 3.1 form `type: [integer, "null"]` as what it means (a nullable
/// integer) instead of refusing the whole document, with a warning at each.
pub fn type_arrays_in_30(document: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    if let Some(root) = document.as_object_mut() {
        for (key, value) in root.iter_mut() {
            containers(value, &join("", key), Form::TypeArraysIn30, &mut warnings);
        }
    }
    warnings
}

/// The extension that marks a 3.1 `mutualTLS` security scheme in its 3.0 spelling.
pub const MUTUAL_TLS: &str = "x-apigen-mutual-tls";

/// 3.1's `mutualTLS` scheme type has no 3.0 spelling; it becomes an `http` scheme marked with
/// [`MUTUAL_TLS`], which lowering reads back, so its pointer and description stay where they were.
fn mutual_tls(document: &mut Value) {
    let Some(schemes) = document
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for scheme in schemes.values_mut().filter_map(Value::as_object_mut) {
        if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
            scheme.insert("type".to_owned(), Value::from("http"));
            scheme.insert("scheme".to_owned(), Value::from("mutual-tls"));
            scheme.insert(MUTUAL_TLS.to_owned(), Value::Bool(true));
        }
    }
}

/// The methods of a path item, in the order OpenAPI lists them.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Gives every operation without `responses` an empty one, so that it reads as an operation
/// with nothing documented. OpenAPI 3.1 made `responses` optional; 3.0 requires it, so there each
/// filled one is also reported, as a warning. Operations in callbacks are filled too.
pub fn fill_missing_responses(document: &mut Value, required: bool) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    if let Some(paths) = document.get_mut("paths") {
        fill_paths(paths, "/paths", required, &mut warnings);
    }
    if let Some(webhooks) = document.get_mut("webhooks") {
        fill_paths(webhooks, "/webhooks", required, &mut warnings);
    }
    warnings
}

fn fill_paths(paths: &mut Value, pointer: &str, required: bool, warnings: &mut Vec<(String, String)>) {
    let Value::Object(paths) = paths else { return };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let item_pointer = join(pointer, path);
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            let at = join(&item_pointer, method);
            if !operation.contains_key("responses") {
                operation.insert("responses".to_owned(), json!({}));
                if required {
                    warnings.push((
                        at.clone(),
                        "OpenAPI 3.0 requires `responses`; none are documented, so a success is returned as it came (`Response<Bytes>`)".to_owned(),
                    ));
                }
            }
            if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
                for (name, callback) in callbacks.iter_mut() {
                    fill_paths(callback, &join(&join(&at, "callbacks"), name), required, warnings);
                }
            }
        }
    }
}

/// Walks the parts of a document that are not schemas, normalizing every schema found in them.
fn containers(value: &mut Value, pointer: &str, form: Form, warnings: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let at = join(pointer, key);
                match key.as_str() {
                    // Literal values, not documents. (Outside a schema, `default` is a response,
                    // `responses/default`, whose schemas are rewritten like any other.)
                    "example" | "examples" | "enum" | "const" => {}
                    "schema" => schema(child, &at, form, warnings),
                    "schemas" if pointer == "/components" => {
                        if let Value::Object(schemas) = child {
                            for (name, each) in schemas.iter_mut() {
                                schema(each, &join(&at, name), form, warnings);
                            }
                        }
                    }
                    _ => containers(child, &at, form, warnings),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                containers(item, &join(pointer, &i.to_string()), form, warnings);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema and the schemas inside it.
fn schema(value: &mut Value, pointer: &str, form: Form, warnings: &mut Vec<(String, String)>) {
    if form == Form::V31
        && let Value::Bool(accepts) = *value
    {
        // JSON Schema's boolean schemas: `true` is `{}`; `false`, which no value meets, has no
        // 3.0 spelling that the generated types could state, so it reads as any value.
        if !accepts {
            warnings.push((
                pointer.to_owned(),
                "the schema `false` (no value is valid) has no OpenAPI 3.0 spelling; read as any value".to_owned(),
            ));
        }
        *value = json!({});
        return;
    }
    let Value::Object(object) = value else { return };
    if form == Form::TypeArraysIn30 {
        if matches!(object.get("type"), Some(Value::Array(_))) {
            type_array(object);
            warnings.push((
                join(pointer, "type"),
                "a list of types is OpenAPI 3.1's form, not 3.0's; read as 3.1 means it (`[T, \"null\"]`: a nullable T)"
                    .to_owned(),
            ));
        }
        subschemas(object, pointer, form, warnings);
        return;
    }
    ref_siblings(object);
    type_array(object);
    if let Some(constant) = object.remove("const") {
        // 3.1 writes `const` without a type more often than not; the value says which.
        if !object.contains_key("type")
            && let Some(json_type) = type_of(&constant)
        {
            object.insert("type".to_owned(), Value::from(json_type));
        }
        object.insert("enum".to_owned(), Value::Array(vec![constant]));
    }
    if let Some(Value::Array(examples)) = object.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        object.entry("example").or_insert(first);
    }
    for (keyword, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit @ Value::Number(_)) = object.get(keyword).cloned() {
            object.insert(bound.to_owned(), limit);
            object.insert(keyword.to_owned(), Value::Bool(true));
        }
    }
    content_media(object);
    null_members(object);
    pattern_properties(object);
    for keyword in UNSUPPORTED {
        if object.remove(*keyword).is_some() {
            warnings.push((
                join(pointer, keyword),
                format!("`{keyword}` has no OpenAPI 3.0 equivalent and is ignored"),
            ));
        }
    }
    // `items: true` says nothing; `items: false` (no items, or none beyond `prefixItems`) is a
    // limit the generated types cannot state.
    match object.get("items") {
        Some(Value::Bool(true)) => {
            object.remove("items");
        }
        Some(Value::Bool(false)) => {
            object.remove("items");
            warnings.push((
                join(pointer, "items"),
                "`items: false` (no items beyond `prefixItems`) is not checked; the array holds any JSON values"
                    .to_owned(),
            ));
        }
        _ => {}
    }
    subschemas(object, pointer, form, warnings);
}

/// Rewrites the schemas inside a schema.
fn subschemas(object: &mut Map<String, Value>, pointer: &str, form: Form, warnings: &mut Vec<(String, String)>) {
    for (key, child) in object.iter_mut() {
        let at = join(pointer, key);
        match key.as_str() {
            "properties" | "$defs" => {
                if let Value::Object(children) = child {
                    for (name, each) in children.iter_mut() {
                        schema(each, &join(&at, name), form, warnings);
                    }
                }
            }
            "items" | "not" => schema(child, &at, form, warnings),
            // `additionalProperties: false` is 3.0 as well, and means what it says there.
            "additionalProperties" if !child.is_boolean() => schema(child, &at, form, warnings),
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(members) = child {
                    for (i, each) in members.iter_mut().enumerate() {
                        schema(each, &join(&at, &i.to_string()), form, warnings);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `$ref` beside other keywords: 3.0 ignores the siblings, so the reference moves into a
/// one-member `allOf` that the siblings (description, nullability) can accompany.
fn ref_siblings(object: &mut Map<String, Value>) {
    if object.len() > 1
        && let Some(reference) = object.remove("$ref")
    {
        object.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
    }
}

/// `type: [T, "null"]` becomes `type: T, nullable: true`; several non-null types become an
/// `anyOf` of one schema per type.
fn type_array(object: &mut Map<String, Value>) {
    let types: Vec<String> = match object.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(single)) if single == "null" => vec![single.clone()],
        _ => return,
    };
    let (nulls, others): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
    if !nulls.is_empty() {
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
    match others.as_slice() {
        [] => {
            object.remove("type");
        }
        [one] => {
            object.insert("type".to_owned(), Value::from(one.as_str()));
        }
        several => {
            object.remove("type");
            // Each member takes the keywords that apply to its type, and the enum values of it.
            let taken: Vec<(String, Value)> = several
                .iter()
                .flat_map(|t| keywords_of(t).iter())
                .filter_map(|k| object.remove(*k).map(|v| ((*k).to_owned(), v)))
                .collect();
            let values = object.remove("enum");
            let members = several
                .iter()
                .map(|t| {
                    let mut member = Map::new();
                    member.insert("type".to_owned(), Value::from(t.as_str()));
                    for (keyword, value) in &taken {
                        if keywords_of(t).contains(&keyword.as_str()) {
                            member.insert(keyword.clone(), value.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = &values {
                        let own: Vec<Value> = values.iter().filter(|v| json_type_is(v, t)).cloned().collect();
                        if !own.is_empty() {
                            member.insert("enum".to_owned(), Value::Array(own));
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            object.insert("anyOf".to_owned(), Value::Array(members));
        }
    }
}

/// The JSON Schema type of a literal, when it is a scalar.
fn type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// The keywords that constrain values of one JSON type.
fn keywords_of(json_type: &str) -> &'static [&'static str] {
    match json_type {
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

fn json_type_is(value: &Value, json_type: &str) -> bool {
    match json_type {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `patternProperties` whose patterns all share one value schema is a map of that schema (3.0
/// cannot say which keys, only what values); other shapes have no 3.0 spelling.
fn pattern_properties(object: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(patterns)) = object.get("patternProperties") else {
        return false;
    };
    let mut schemas = patterns.values();
    let Some(first) = schemas.next().cloned() else {
        return false;
    };
    if schemas.any(|other| *other != first) {
        return false;
    }
    object.remove("patternProperties");
    object.insert("additionalProperties".to_owned(), first);
    true
}

/// `contentEncoding: base64` is 3.0's `format: byte`; any other `contentMediaType` is binary.
fn content_media(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    if object.contains_key("format") {
        return;
    }
    if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
        object.insert("format".to_owned(), Value::from("byte"));
    } else if media.is_some() {
        object.insert("format".to_owned(), Value::from("binary"));
    }
}

/// `oneOf`/`anyOf` with a `{type: null}` member: the member goes, and the schema is nullable.
fn null_members(object: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = object.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        if members.len() != before {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
}

fn is_null_schema(member: &Value) -> bool {
    match member.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema_value: Value) -> (Value, Vec<(String, String)>) {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema_value}},
        });
        let warnings = openapi_31_to_30(&mut document);
        (document["components"]["schemas"]["S"].clone(), warnings)
    }

    #[test]
    fn type_arrays_with_null_are_nullable() {
        let (s, _) = normalized(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(s, json!({"type": "string", "nullable": true, "maxLength": 3}));
        let (s, _) = normalized(json!({"type": ["string", "integer"]}));
        assert_eq!(s, json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_take_their_30_spelling() {
        let (s, _) = normalized(json!({"type": "integer", "const": 3, "examples": [3, 4], "exclusiveMinimum": 0}));
        assert_eq!(
            s,
            json!({"type": "integer", "enum": [3], "example": 3, "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn ref_siblings_survive_under_all_of() {
        let (s, _) = normalized(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        let (s, _) = normalized(json!({"$ref": "#/components/schemas/T"}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/T"}));
    }

    #[test]
    fn null_members_make_the_union_nullable() {
        let (s, _) = normalized(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
        assert_eq!(s, json!({"anyOf": [{"type": "string"}], "nullable": true}));
    }

    #[test]
    fn nested_schemas_are_rewritten_and_literals_are_not() {
        let (s, _) = normalized(json!({
            "type": "object",
            "properties": {"a": {"type": ["integer", "null"]}},
            "example": {"type": ["not", "a", "schema"]},
            "items": {"const": "x"},
        }));
        assert_eq!(s["properties"]["a"], json!({"type": "integer", "nullable": true}));
        assert_eq!(s["example"], json!({"type": ["not", "a", "schema"]}));
        assert_eq!(s["items"], json!({"type": "string", "enum": ["x"]}));
    }

    #[test]
    fn keywords_without_a_30_spelling_are_dropped_with_a_warning() {
        let (s, warnings) = normalized(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
        assert_eq!(s, json!({"type": "array"}));
        assert_eq!(warnings[0].0, "/components/schemas/S/prefixItems");
    }

    #[test]
    fn several_types_split_their_keywords_and_enum_values() {
        let (s, _) = normalized(json!({"type": ["boolean", "string"], "enum": ["false", "true"], "maxLength": 5}));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "boolean"}, {"type": "string", "maxLength": 5, "enum": ["false", "true"]}]})
        );
    }

    #[test]
    fn one_pattern_properties_schema_is_a_map() {
        let (s, warnings) = normalized(
            json!({"type": "object", "patternProperties": {"^[A-Z]+$": {"type": "integer"}}, "additionalProperties": false}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "integer"}})
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn boolean_schemas_are_any_value_and_additional_properties_false_stays() {
        let (value, warnings) = normalized(json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {"open": true, "never": false, "list": {"type": "array", "items": {"$ref": "#/x"}}},
            "allOf": [true]
        }));
        assert_eq!(value["additionalProperties"], json!(false));
        assert_eq!(value["properties"]["open"], json!({}));
        assert_eq!(value["properties"]["never"], json!({}));
        assert_eq!(value["allOf"][0], json!({}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].0.ends_with("/properties/never"), "{warnings:?}");
    }

    #[test]
    fn content_media_type_is_binary() {
        let (s, _) = normalized(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _) = normalized(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
    }
}
