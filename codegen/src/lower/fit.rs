//! Whether a documented example fits the type it documents, read as the generated code reads it.
//!
//! Public specs contradict themselves (api.github.com documents a webhook delivery's `payload` as
//! an object and shows `"ok"`; its migrations leave out a required key). The round-trip test of
//! such an example would fail in the user's crate for a fault of the document, so the misfit is a
//! located warning, and the test is generated ignored, with the reason.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::join;
use crate::ir::{IntegerKind, Shape, Struct, Tagging, Ty, TypeDef, TypeKind};

/// Why `value` does not decode into `ty`: the JSON pointer below the example and the reason; `None`
/// when it fits.
pub fn misfit(value: &Value, ty: &Ty, types: &BTreeMap<String, TypeDef>) -> Option<(String, String)> {
    Fit { types }.ty(value, ty, "")
}

struct Fit<'t> {
    types: &'t BTreeMap<String, TypeDef>,
}

type Misfit = Option<(String, String)>;

fn because(at: &str, reason: impl Into<String>) -> Misfit {
    Some((at.to_owned(), reason.into()))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Fit<'_> {
    fn ty(&self, value: &Value, ty: &Ty, at: &str) -> Misfit {
        if value.is_null() && (ty.nullable || ty.shape == Shape::Any) {
            return None;
        }
        match (&ty.shape, value) {
            (Shape::Any, _) => None,
            (Shape::String | Shape::Binary, Value::String(_)) => None,
            (Shape::Boolean, Value::Bool(_)) => None,
            (Shape::Number(_), Value::Number(_)) => None,
            (Shape::Integer(kind), Value::Number(number)) => {
                let fits = match (number.as_i64(), number.as_u64()) {
                    (Some(n), _) => integer_fits(*kind, i128::from(n)),
                    (None, Some(n)) => integer_fits(*kind, i128::from(n)),
                    (None, None) => false,
                };
                (!fits).then(|| (at.to_owned(), format!("{number} is not a {}", kind.rust_name())))
            }
            (Shape::Array(item), Value::Array(items)) => items
                .iter()
                .enumerate()
                .find_map(|(i, each)| self.ty(each, item, &join(at, &i.to_string()))),
            (Shape::Map(entry), Value::Object(object)) => object
                .iter()
                .find_map(|(key, each)| self.ty(each, entry, &join(at, key))),
            (Shape::Named(name), _) => self.named(value, name.as_str(), at),
            (shape, other) => because(
                at,
                format!("{} where the schema has {}", kind_of(other), shape_word(shape)),
            ),
        }
    }

    fn named(&self, value: &Value, name: &str, at: &str) -> Misfit {
        let def = self.types.get(name)?;
        if value.is_null() && def.nullable {
            return None;
        }
        match &def.kind {
            TypeKind::Enum(_) => match value {
                Value::String(_) => None,
                other => because(at, format!("{} where the schema has a string enum", kind_of(other))),
            },
            TypeKind::Alias(ty) => self.ty(value, ty, at),
            TypeKind::Struct(s) => self.structure(value, s, at),
            TypeKind::Union(union) => {
                let variant_fits =
                    |variant: &crate::ir::UnionVariant, value: &Value| match (&variant.ty, &variant.fields) {
                        (Some(ty), _) => self.ty(value, ty, at),
                        (None, Some(fields)) => self.structure(value, fields, at),
                        (None, None) => None,
                    };
                match &union.tagging {
                    Tagging::Untagged => {
                        let misfits: Vec<(String, String)> =
                            union.variants.iter().filter_map(|v| variant_fits(v, value)).collect();
                        if misfits.len() < union.variants.len() {
                            None
                        } else {
                            because(at, "no member of the union fits it")
                        }
                    }
                    Tagging::Internal(tag) | Tagging::Discriminator(tag) => {
                        let Some(found) = value.get(tag).and_then(Value::as_str) else {
                            return because(&join(at, tag), "the tag that selects the member is missing");
                        };
                        match union.variants.iter().find(|v| v.tags.iter().any(|t| t == found)) {
                            Some(variant) => variant_fits(variant, value),
                            None => because(&join(at, tag), format!("`{found}` names no member")),
                        }
                    }
                }
            }
        }
    }

    fn structure(&self, value: &Value, s: &Struct, at: &str) -> Misfit {
        let Value::Object(object) = value else {
            return because(at, format!("{} where the schema has an object", kind_of(value)));
        };
        for field in &s.fields {
            let place = join(at, &field.wire_name);
            match object.get(&field.wire_name) {
                // A required key that cannot be null must be there (a nullable one reads as null).
                None if field.required && !field.ty.nullable && field.ty.shape != Shape::Any => {
                    return because(at, format!("the required `{}` is missing", field.wire_name));
                }
                None => {}
                // An optional key read as null is absent.
                Some(Value::Null) if !field.required => {}
                Some(each) => {
                    if let Some(misfit) = self.ty(each, &field.ty, &place) {
                        return Some(misfit);
                    }
                }
            }
        }
        let additional = s.additional.as_ref()?;
        object
            .iter()
            .filter(|(key, _)| !s.fields.iter().any(|f| f.wire_name == **key))
            .find_map(|(key, each)| self.ty(each, &additional.ty, &join(at, key)))
    }
}

fn integer_fits(kind: IntegerKind, n: i128) -> bool {
    let (low, high): (i128, i128) = match kind {
        IntegerKind::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntegerKind::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntegerKind::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntegerKind::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntegerKind::U8 => (0, u8::MAX.into()),
        IntegerKind::U16 => (0, u16::MAX.into()),
        IntegerKind::U32 => (0, u32::MAX.into()),
        IntegerKind::U64 => (0, u64::MAX.into()),
    };
    (low..=high).contains(&n)
}

fn shape_word(shape: &Shape) -> &'static str {
    match shape {
        Shape::String | Shape::Binary => "a string",
        Shape::Integer(_) => "an integer",
        Shape::Number(_) => "a number",
        Shape::Boolean => "a boolean",
        Shape::Array(_) => "an array",
        Shape::Map(_) => "an object",
        Shape::Named(_) | Shape::Any => "a value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_arrays_and_maps() {
        let types = BTreeMap::new();
        let int32 = Ty::plain(Shape::Integer(IntegerKind::I32));
        assert_eq!(misfit(&json!(5), &int32, &types), None);
        assert_eq!(
            misfit(&json!(1.5), &int32, &types),
            Some((String::new(), "1.5 is not a i32".to_owned()))
        );
        let list = Ty::plain(Shape::Array(Box::new(Ty::plain(Shape::String))));
        assert_eq!(
            misfit(&json!(["a", 2]), &list, &types),
            Some(("/1".to_owned(), "a number where the schema has a string".to_owned()))
        );
        assert_eq!(
            misfit(
                &json!(1.0),
                &Ty::plain(Shape::Number(crate::ir::NumberKind::F64)),
                &types
            ),
            None
        );
    }
}
