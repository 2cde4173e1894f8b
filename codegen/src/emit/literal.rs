//! Rust expressions that build a documented example value with the generated constructors,
//! so a doctest reads the way a user would write the call.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use serde_json::Value;

use super::types::{Holding, holding, ident, value_type};
use crate::ir::{Name, Shape, Tagging, Ty, TypeDef, TypeKind, Union, UnionVariant};

/// Where an expression goes: a constructor or setter argument (`impl Into<T>`) or a place that
/// needs exactly `T` (inside a `vec!` or a map).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// `impl Into<T>`: a string literal is enough for a `String`.
    Argument,
    /// Exactly `T`.
    Exact,
}

/// Builds expressions for the types of one API; named types are written `#prefix Name`.
pub struct Literals<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    prefix: TokenStream,
}

impl<'a> Literals<'a> {
    /// Expressions over `types`, naming them with `prefix` (such as `models::`).
    pub fn new(types: &'a [TypeDef], prefix: TokenStream) -> Self {
        Literals {
            types: types.iter().map(|t| (t.name.as_str(), t)).collect(),
            prefix,
        }
    }

    /// An expression of type `ty` equal to `value`, or `None` if the constructors cannot say it
    /// (an explicit `null` for an optional field, a key the type does not know, a type mismatch).
    pub fn expr(&self, value: &Value, ty: &Ty, position: Position) -> Option<TokenStream> {
        if ty.shape == Shape::Any {
            return Some(json_macro(value));
        }
        if ty.nullable {
            let inner = Ty {
                nullable: false,
                ..ty.clone()
            };
            return match value {
                Value::Null => Some(quote! { None }),
                other => self.expr(other, &inner, Position::Exact).map(|e| quote! { Some(#e) }),
            };
        }
        match (&ty.shape, value) {
            (Shape::String, Value::String(text)) => Some(match position {
                Position::Argument => quote! { #text },
                Position::Exact => quote! { #text.to_owned() },
            }),
            (Shape::Binary, Value::String(text)) => Some(match position {
                Position::Argument => quote! { #text },
                Position::Exact => quote! { ::apigen_runtime::Binary::from(#text) },
            }),
            // Suffixed: a value may go to an `impl Into<u64>` setter, where an unsuffixed literal
            // would be an `i32`.
            (Shape::Integer(kind), Value::Number(n)) => {
                let text = match n.as_i64() {
                    // A negative value for an unsigned type is no literal of it.
                    Some(i) if i < 0 && kind.rust_name().starts_with('u') => return None,
                    Some(i) => i.to_string(),
                    None => n.as_u64()?.to_string(),
                };
                let literal: Literal = format!("{text}{}", kind.rust_name()).parse().ok()?;
                Some(literal.into_token_stream())
            }
            (Shape::Number(kind), Value::Number(n)) => n.as_f64().map(|f| {
                match kind {
                    crate::ir::NumberKind::F32 => Literal::f32_suffixed(f as f32),
                    crate::ir::NumberKind::F64 => Literal::f64_suffixed(f),
                }
                .into_token_stream()
            }),
            (Shape::Boolean, Value::Bool(b)) => Some(quote! { #b }),
            (Shape::Array(item), Value::Array(items)) => {
                let items = items
                    .iter()
                    .map(|v| self.expr(v, item, Position::Exact))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote! { vec![#(#items),*] })
            }
            (Shape::Map(entry), Value::Object(map)) => self.map(map, entry),
            (Shape::Named(name), value) => self.named(name, value),
            _ => None,
        }
    }

    fn map(&self, map: &serde_json::Map<String, Value>, entry: &Ty) -> Option<TokenStream> {
        if map.is_empty() {
            return Some(quote! { ::std::collections::BTreeMap::new() });
        }
        let entries = map
            .iter()
            .map(|(key, value)| {
                let value = self.expr(value, entry, Position::Exact)?;
                Some(quote! { (#key.to_owned(), #value) })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(quote! { ::std::collections::BTreeMap::from([#(#entries),*]) })
    }

    fn named(&self, name: &Name, value: &Value) -> Option<TokenStream> {
        let def = self.types.get(name.as_str())?;
        let prefix = &self.prefix;
        let type_name = ident(name);
        match &def.kind {
            TypeKind::Enum(_) => {
                let text = value.as_str()?;
                Some(quote! { #prefix #type_name::from(#text) })
            }
            TypeKind::Alias(target) if matches!(target.shape, Shape::Named(_)) && !target.nullable => {
                self.expr(value, target, Position::Exact)
            }
            TypeKind::Alias(target) => {
                let inner = self.expr(value, target, Position::Exact)?;
                Some(quote! { #prefix #type_name(#inner) })
            }
            TypeKind::Union(union) => {
                // Untagged unions take the first variant a literal can be written for, as serde
                // takes the first that deserializes.
                candidates(union, value).into_iter().find_map(|(variant, data)| {
                    let variant_name = ident(&variant.name);
                    // A struct variant has no constructor to call; the caller falls back to JSON.
                    if variant.fields.is_some() {
                        return None;
                    }
                    let Some(ty) = &variant.ty else {
                        return Some(quote! { #prefix #type_name::#variant_name });
                    };
                    let inner = self.expr(&data, ty, Position::Exact)?;
                    let inner = if variant.boxed {
                        quote! { Box::new(#inner) }
                    } else {
                        inner
                    };
                    Some(quote! { #prefix #type_name::#variant_name(#inner) })
                })
            }
            TypeKind::Struct(s) => {
                let object = value.as_object()?;
                // Additional properties have no setter, so a key outside the fields cannot be built.
                if object.keys().any(|key| !s.fields.iter().any(|f| &f.wire_name == key)) {
                    return None;
                }
                let mut args = Vec::new();
                let mut named = Vec::new();
                for field in s.fields.iter().filter(|f| f.required) {
                    let expr = self.expr(object.get(&field.wire_name)?, &field.ty, Position::Argument)?;
                    let member = ident(&field.name);
                    named.push(quote! { .#member(#expr) });
                    args.push(expr);
                }
                let mut setters = Vec::new();
                for field in s.fields.iter().filter(|f| !f.required) {
                    let Some(value) = object.get(&field.wire_name) else {
                        continue;
                    };
                    let setter = ident(field.setter.as_ref()?);
                    let inner = Ty {
                        nullable: false,
                        ..field.ty.clone()
                    };
                    let expr = match (holding(field), value) {
                        (Holding::TriState | Holding::Optional, Value::Null) => return None,
                        (_, value) => self.expr(value, &inner, Position::Argument)?,
                    };
                    setters.push(quote! { .#setter(#expr) });
                }
                Some(match s.builder {
                    Some(_) => quote! { #prefix #type_name::builder() #(#named)* .build() #(#setters)* },
                    None => quote! { #prefix #type_name::new(#(#args),*) #(#setters)* },
                })
            }
        }
    }

    /// The Rust type of `ty`, for a `let` that needs one.
    pub fn type_of(&self, ty: &Ty) -> TokenStream {
        value_type(ty, &self.prefix)
    }
}

/// `::serde_json::json!(...)` for a value.
pub fn json_macro(value: &Value) -> TokenStream {
    let inner = json_tokens(value);
    quote! { ::serde_json::json!(#inner) }
}

fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { null },
        Value::Bool(b) => quote! { #b },
        Value::Number(n) => n.to_string().parse().unwrap_or_else(|_| quote! { null }),
        Value::String(s) => quote! { #s },
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote! { [#(#items),*] }
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote! { #k: #v }
            });
            quote! { { #(#entries),* } }
        }
    }
}

/// The variants of `union` that `value` may be, each with the value its data is built from.
fn candidates<'u>(union: &'u Union, value: &Value) -> Vec<(&'u UnionVariant, Value)> {
    let tagged = |property: &str| {
        let tag = value.get(property)?.as_str()?;
        union.variants.iter().find(|v| v.tags.iter().any(|t| t == tag))
    };
    match &union.tagging {
        Tagging::Internal(property) => {
            let (Some(variant), Some(object)) = (tagged(property), value.as_object()) else {
                return Vec::new();
            };
            let mut rest = object.clone();
            rest.remove(property);
            vec![(variant, Value::Object(rest))]
        }
        Tagging::Discriminator(property) => tagged(property).map(|v| (v, value.clone())).into_iter().collect(),
        Tagging::Untagged => union.variants.iter().map(|v| (v, value.clone())).collect(),
    }
}
