//! A JSON value for a type that has no documented example, made so that it is valid against the
//! type's schema: every required property, values within the documented bounds, lengths,
//! formats, patterns, enums and tags. The mock server answers with it where the document shows
//! nothing (as Prism does from a schema), so it is made once, at generation time, from the IR.
//!
//! Optional properties are filled near the top of a value and left out deeper down, so that a
//! recursive type ends.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{Access, Constraints, Shape, Tagging, Ty, TypeDef, TypeKind};

/// How deep optional properties are still filled in.
const OPTIONAL_DEPTH: usize = 2;
/// How deep a value goes at all; a required recursion past it ends in `null` or an empty value.
const MAX_DEPTH: usize = 12;

/// Makes values of the types of one API.
pub struct Synth<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> Synth<'a> {
    /// A synthesizer over `types`.
    pub fn new(types: &'a [TypeDef]) -> Self {
        Synth {
            types: types.iter().map(|t| (t.name.as_str(), t)).collect(),
        }
    }

    /// A value of `ty`.
    pub fn value(&self, ty: &Ty) -> Value {
        self.of(ty, 0)
    }

    fn of(&self, ty: &Ty, depth: usize) -> Value {
        if let Some(listed) = ty.constraints.allowed.iter().find(|v| !v.is_null()) {
            return listed.clone();
        }
        if depth > MAX_DEPTH {
            return if ty.nullable { Value::Null } else { empty(&ty.shape) };
        }
        let c = &ty.constraints;
        match &ty.shape {
            Shape::String => Value::String(string(c)),
            Shape::Binary => Value::String(String::new()),
            Shape::Integer(kind) => json!(integer(c, kind.rust_name().starts_with('u'))),
            Shape::Number(_) => number(c),
            Shape::Boolean => Value::Bool(false),
            Shape::Any => Value::Object(Map::new()),
            Shape::Named(name) => self.named(name.as_str(), depth),
            Shape::Array(item) => {
                let count = c.min_items.unwrap_or(if c.max_items == Some(0) { 0 } else { 1 });
                Value::Array((0..count).map(|_| self.of(item, depth + 1)).collect())
            }
            Shape::Map(value) => {
                let count = c.min_properties.unwrap_or(0);
                Value::Object(
                    (0..count)
                        .map(|i| (format!("key{}", i + 1), self.of(value, depth + 1)))
                        .collect(),
                )
            }
        }
    }

    fn named(&self, name: &str, depth: usize) -> Value {
        let Some(def) = self.types.get(name) else {
            return Value::Null;
        };
        match &def.kind {
            TypeKind::Struct(s) => self.object(&s.fields, depth),
            TypeKind::Enum(e) => e
                .variants
                .first()
                .map_or(Value::Null, |v| Value::String(v.wire_name.clone())),
            TypeKind::Alias(ty) => self.of(ty, depth + 1),
            TypeKind::Union(union) => {
                let Some(first) = union.variants.first() else {
                    return Value::Null;
                };
                let mut value = match (&first.ty, &first.fields) {
                    (Some(ty), _) => self.of(ty, depth + 1),
                    (None, Some(fields)) => self.object(&fields.fields, depth),
                    (None, None) => Value::Object(Map::new()),
                };
                // A tagged member says which it is: its first tag under the union's property.
                if let (Tagging::Internal(property) | Tagging::Discriminator(property), Some(tag), Value::Object(o)) =
                    (&union.tagging, first.tags.first(), &mut value)
                {
                    o.insert(property.clone(), Value::String(tag.clone()));
                }
                value
            }
        }
    }

    /// An object of `fields`: what a response carries (never a `writeOnly` property), the
    /// required ones always, the optional ones near the top.
    fn object(&self, fields: &[crate::ir::Field], depth: usize) -> Value {
        let mut object = Map::new();
        for field in fields {
            let required = field.required || (field.access == Access::ReadOnly && depth < OPTIONAL_DEPTH);
            let wanted = required || depth < OPTIONAL_DEPTH;
            if !wanted || matches!(field.access, Access::WriteOnly { .. }) {
                continue;
            }
            let value = match &field.default {
                Some(default) if !default.is_null() => default.clone(),
                _ => self.of(&field.ty, depth + 1),
            };
            object.insert(field.wire_name.clone(), value);
        }
        Value::Object(object)
    }
}

/// The least value of a shape, where depth ran out.
fn empty(shape: &Shape) -> Value {
    match shape {
        Shape::Array(_) => Value::Array(Vec::new()),
        Shape::String | Shape::Binary => Value::String(String::new()),
        Shape::Integer(_) | Shape::Number(_) => json!(0),
        Shape::Boolean => Value::Bool(false),
        _ => Value::Object(Map::new()),
    }
}

/// A string of the documented format, matching the documented patterns, within the lengths.
fn string(c: &Constraints) -> String {
    let by_format = match c.format.as_deref() {
        Some("date-time") => Some("2026-01-01T00:00:00Z"),
        Some("date") => Some("2026-01-01"),
        Some("time") => Some("00:00:00Z"),
        Some("uuid") => Some("00000000-0000-4000-8000-000000000000"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url" | "uri-reference" | "iri") => Some("https://example.com/"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("AAAA"),
        _ => None,
    };
    let fit = |text: String| fit_length(text, c.min_length, c.max_length);
    let candidates: Vec<String> = by_format
        .map(str::to_owned)
        .into_iter()
        .chain(
            [
                "string",
                "a",
                "A",
                "a1",
                "abc",
                "Abc1",
                "a-b_c",
                "1",
                "0",
                "a.b",
                "ab:1",
                "user@example.com",
            ]
            .map(str::to_owned),
        )
        .map(fit)
        .collect();
    let patterns: Vec<regex::Regex> = c.patterns.iter().filter_map(|p| regex::Regex::new(p).ok()).collect();
    candidates
        .iter()
        .find(|text| patterns.iter().all(|p| p.is_match(text)))
        .or(candidates.first())
        .cloned()
        .unwrap_or_default()
}

/// `text` padded or cut to the bounds (ASCII, so characters and bytes agree).
fn fit_length(mut text: String, min: Option<u64>, max: Option<u64>) -> String {
    let min = usize::try_from(min.unwrap_or(0)).unwrap_or(usize::MAX).min(4096);
    while text.len() < min {
        text.push('a');
    }
    if let Some(max) = max.and_then(|m| usize::try_from(m).ok()) {
        text.truncate(max);
    }
    text
}

/// The least integer the bounds and `multipleOf` allow, else 1 (or 0 where 1 is out of bounds).
fn integer(c: &Constraints, unsigned: bool) -> i64 {
    let low = c
        .minimum
        .map(|m| {
            if c.exclusive_minimum {
                m.floor() as i64 + 1
            } else {
                m.ceil() as i64
            }
        })
        .or(unsigned.then_some(0));
    let high = c.maximum.map(|m| {
        if c.exclusive_maximum {
            m.ceil() as i64 - 1
        } else {
            m.floor() as i64
        }
    });
    let mut value = low.unwrap_or(1).max(low.unwrap_or(i64::MIN));
    if let Some(high) = high
        && value > high
    {
        value = high;
    }
    if let Some(step) = c.multiple_of.filter(|s| *s >= 1.0).map(|s| s as i64) {
        let rounded = value.div_euclid(step) * step;
        value = if rounded < low.unwrap_or(i64::MIN) {
            rounded + step
        } else {
            rounded
        };
    }
    value
}

/// A number within the bounds, a multiple of `multipleOf` where one is documented.
fn number(c: &Constraints) -> Value {
    let mut value = match (c.minimum, c.maximum) {
        (Some(low), Some(high)) => (low + high) / 2.0,
        (Some(low), None) => low + if c.exclusive_minimum { 1.0 } else { 0.0 },
        (None, Some(high)) => high - if c.exclusive_maximum { 1.0 } else { 0.0 },
        (None, None) => 1.0,
    };
    if let Some(step) = c.multiple_of.filter(|s| *s > 0.0) {
        value = (value / step).ceil() * step;
    }
    json!(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_take_their_format_length_and_pattern() {
        let c = Constraints {
            patterns: vec!["^[A-Za-z][A-Za-z0-9_-]*$".to_owned()],
            min_length: Some(4),
            max_length: Some(64),
            ..Constraints::default()
        };
        let text = string(&c);
        assert!(regex::Regex::new(&c.patterns[0]).unwrap().is_match(&text), "{text}");
        assert!(text.len() >= 4, "{text}");
        let uuid = Constraints {
            format: Some("uuid".to_owned()),
            ..Constraints::default()
        };
        assert_eq!(string(&uuid), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn numbers_keep_within_bounds_and_steps() {
        let c = Constraints {
            minimum: Some(3.0),
            exclusive_minimum: true,
            multiple_of: Some(5.0),
            ..Constraints::default()
        };
        assert_eq!(integer(&c, false), 5);
        let c = Constraints {
            maximum: Some(-2.0),
            ..Constraints::default()
        };
        assert_eq!(integer(&c, false), -2);
        assert_eq!(integer(&Constraints::default(), true), 0);
    }
}
