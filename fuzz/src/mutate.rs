//! The mutations both fuzzers share: damage to text, and changes to a JSON value at a random
//! node (a hostile value in its place, a renamed key, a copied subtree, a changed type).

use serde_json::{Map, Value, json};

/// Text damage: a cut, a removed line, a duplicated line or a stray byte.
pub fn damage_text(rng: &mut fastrand::Rng, text: &mut String) {
    let boundary = |rng: &mut fastrand::Rng, text: &str| {
        let mut at = rng.usize(..=text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match rng.u8(..4) {
        0 => {
            let at = boundary(rng, text);
            text.truncate(at);
        }
        1 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                lines.remove(rng.usize(..lines.len()));
            }
            *text = lines.join("\n");
        }
        2 => {
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = rng.usize(..lines.len());
                let mut copy: Vec<&str> = lines.clone();
                copy.insert(i, lines[i]);
                *text = copy.join("\n");
            }
        }
        _ => {
            let at = boundary(rng, text);
            let stray = ['{', '}', '"', ':', '-', '\t', '\u{0}', 'é', '[', '&', '*'][rng.usize(..11)];
            text.insert(at, stray);
        }
    }
}

/// Walks to a random node and changes it.
pub fn mutate_value(rng: &mut fastrand::Rng, root: &mut Value) {
    // Pick a random node by walking down, stopping at each level with some probability.
    let mut pointer = String::new();
    let mut walker: &Value = root;
    loop {
        if rng.u8(..10) >= 8 {
            break;
        }
        match walker {
            Value::Object(map) if !map.is_empty() => {
                let Some((key, child)) = map.iter().nth(rng.usize(..map.len())) else {
                    break;
                };
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walker = child;
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.usize(..items.len());
                pointer.push_str(&format!("/{i}"));
                walker = &items[i];
            }
            _ => break,
        }
    }
    let Some(node) = root.pointer_mut(&pointer) else { return };
    match rng.u8(..9) {
        0 => *node = hostile_value(rng),
        1 => {
            if let Value::Object(map) = node
                && !map.is_empty()
            {
                let key = map.keys().nth(rng.usize(..map.len())).cloned().unwrap_or_default();
                if let Some(value) = map.remove(&key) {
                    map.insert(hostile_key(rng), value);
                }
            }
        }
        2 => {
            if let Value::Object(map) = node
                && !map.is_empty()
            {
                let key = map.keys().nth(rng.usize(..map.len())).cloned().unwrap_or_default();
                map.remove(&key);
            }
        }
        3 => {
            if let Value::Object(map) = node {
                let copy = Value::Object(map.clone());
                map.insert(hostile_key(rng), copy);
            }
        }
        4 => {
            if let Value::Object(map) = node {
                let target = [
                    "#/components/schemas/Nope",
                    "#/components/schemas/",
                    "#/",
                    "#",
                    "other.yaml#/x",
                    "#/components/schemas/a~1b",
                    "#/components/parameters/x",
                ][rng.usize(..7)];
                map.insert("$ref".to_owned(), json!(target));
            }
        }
        5 => {
            if let Value::Object(map) = node {
                let types = [
                    "string", "integer", "number", "boolean", "array", "object", "null", "file",
                ];
                let t = types[rng.usize(..types.len())];
                let value = if rng.bool() { json!(t) } else { json!([t, "null"]) };
                map.insert("type".to_owned(), value);
            }
        }
        6 => {
            if let Value::Object(map) = node {
                let keyword = [
                    "oneOf",
                    "anyOf",
                    "allOf",
                    "not",
                    "items",
                    "additionalProperties",
                    "properties",
                    "enum",
                    "discriminator",
                    "nullable",
                    "required",
                ][rng.usize(..11)];
                let value = match keyword {
                    "oneOf" | "anyOf" | "allOf" => {
                        json!([{"type": "string"}, {"$ref": "#/components/schemas/Nope"}, {"type": "object", "properties": {"type": {"type": "string", "enum": ["x"]}}}])
                    }
                    "not" | "items" | "additionalProperties" => json!({"type": "integer", "minimum": -1e300}),
                    "properties" => json!({"": {}, "type": {"type": "string"}, "1": {"nullable": true}}),
                    "enum" => json!(["", "a", "A", null, 1, "+1", "-1", "self"]),
                    "discriminator" => json!({"propertyName": "kind", "mapping": {"a": "#/components/schemas/Nope"}}),
                    "nullable" => json!(true),
                    _ => json!(["missing", ""]),
                };
                map.insert(keyword.to_owned(), value);
            }
        }
        7 => {
            if let Value::Object(map) = node
                && map.len() > 1
            {
                // Move one subtree under another key of the same object.
                let keys: Vec<String> = map.keys().cloned().collect();
                let from = &keys[rng.usize(..keys.len())];
                let to = &keys[rng.usize(..keys.len())];
                if let (Some(value), true) = (map.get(from).cloned(), from != to)
                    && let Some(Value::Object(target)) = map.get_mut(to)
                {
                    target.insert(hostile_key(rng), value);
                }
            }
        }
        _ => {
            if let Value::String(text) = node {
                text.push_str(&hostile_key(rng));
            } else if let Value::Number(_) = node {
                *node = [json!(-9.223372036854776e18), json!(u64::MAX), json!(0.5), json!(-1)][rng.usize(..4)].clone();
            }
        }
    }
}

pub fn hostile_key(rng: &mut fastrand::Rng) -> String {
    const KEYS: &[&str] = &[
        "", "type", "self", "Self", "crate", "super", "r#type", "1", "-1", "+1", "__", "é", "名前", "a b", "a/b",
        "a~b", "{id}", "x-ext", "$ref", "default", "Option", "Result", "String", "Vec", "Box", "models", "lib", "ASC",
        "asc", "\u{0}", "\u{202e}", "a\nb", "___", "0abc", "Ok", "Err", "None", "Some",
    ];
    if rng.u8(..8) == 0 {
        "a".repeat(rng.usize(200..400))
    } else {
        KEYS[rng.usize(..KEYS.len())].to_owned()
    }
}

pub fn hostile_value(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..10) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-9.223372036854776e18),
        3 => json!(u64::MAX),
        4 => json!(hostile_key(rng)),
        5 => json!([]),
        6 => Value::Object(Map::new()),
        7 => json!({"$ref": "#/components/schemas/Nope"}),
        8 => json!({"type": "object", "properties": {"self": {"$ref": "#"}}}),
        _ => json!([1, "two", null, {"three": [3]}]),
    }
}
