//! `Validate` impls: the documented constraints of every type, checked by the runtime's helpers.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Holding, holding};
use crate::ir::{IntegerKind, LengthUnit, NumberKind, Parameter, Shape, Struct, Ty, TypeDef, TypeKind};

/// Which named types have something to validate (enums never do).
pub struct Checkable<'a> {
    kinds: BTreeMap<&'a str, &'a TypeKind>,
}

impl<'a> Checkable<'a> {
    /// Indexes the types of one API.
    pub fn new(types: &'a [TypeDef]) -> Self {
        Checkable {
            kinds: types.iter().map(|t| (t.name.as_str(), &t.kind)).collect(),
        }
    }

    /// Whether a value of the named type checks itself: every named type does (an enum refuses
    /// values the document does not list).
    fn delegates(&self, name: &str) -> bool {
        self.kinds.contains_key(name)
    }
}

/// Checks of each field of `s` that has something to check, with the field's position; `place`
/// gives the expression of a reference to the field at a position from its member name
/// (`&self.name` in a struct, a pattern binding in a struct variant).
pub fn field_checks(
    s: &Struct,
    place: impl Fn(usize, &syn::Ident) -> TokenStream,
    checkable: &Checkable,
) -> Vec<(usize, TokenStream)> {
    s.fields
        .iter()
        .enumerate()
        .filter_map(|(position, field)| {
            let member = super::types::ident(&field.name);
            let place = place(position, &member);
            let wire = &field.wire_name;
            if only_delegates(&field.ty, checkable) {
                return Some((position, quote! { check::field(at, #wire, #place, out); }));
            }
            // The wrapper (`Option`, `Nullable`) is unwrapped below, so the value itself is not null.
            let unwrapped = Ty {
                nullable: false,
                ..field.ty.clone()
            };
            let body = value_checks(&unwrapped, quote! { value }, checkable)?;
            let at = quote! { let at = &check::child(at, #wire); };
            let check = match holding(field) {
                Holding::Plain => quote! { { let value = #place; #at #body } },
                Holding::Optional | Holding::RequiredNullable => {
                    quote! { if let Some(value) = #place { #at #body } }
                }
                Holding::TriState => {
                    quote! { if let ::apigen_runtime::Nullable::Value(value) = #place { #at #body } }
                }
            };
            Some((position, check))
        })
        .collect()
}

/// Whether every check of a value of `ty` is a named type's own `Validate`, through `Option`,
/// `Box`, `Vec` and maps, whose runtime impls reach each item at its pointer: one call then does
/// them all (`validate::field`), instead of a loop written out per field.
pub fn only_delegates(ty: &Ty, checkable: &Checkable) -> bool {
    !ty.constraints.is_checkable()
        && match &ty.shape {
            Shape::Named(name) => checkable.delegates(name.as_str()),
            Shape::Array(inner) | Shape::Map(inner) => only_delegates(inner, checkable),
            _ => false,
        }
}

/// `impl Validate for #name` over the fields of a struct.
pub fn for_struct(name: &syn::Ident, s: &Struct, checkable: &Checkable) -> TokenStream {
    let checks = field_checks(s, |_, member| quote! { &self.#member }, checkable)
        .into_iter()
        .map(|(_, check)| check);
    let write_only = s
        .fields
        .iter()
        .filter(|f| f.access == crate::ir::Access::WriteOnly { required: true })
        .map(|f| {
            let member = super::types::ident(&f.name);
            let wire = &f.wire_name;
            quote! {
                check::present(at, #wire, !::apigen_runtime::for_generated_code::ser::Presence::is_absent_value(&self.#member), out);
            }
        });
    let checks = write_only.chain(checks);
    let additional = s.additional.as_ref().and_then(|additional| {
        let extra = super::types::ident(&additional.name);
        let body = value_checks(&additional.ty, quote! { value }, checkable)?;
        Some(quote! {
            for (key, value) in &self.#extra {
                let at = &check::child(at, key);
                #body
            }
        })
    });
    implementation(name, quote! { #(#checks)* #additional })
}

/// `impl Validate` for a newtype over `ty`.
pub fn for_newtype(name: &syn::Ident, ty: &Ty, checkable: &Checkable) -> TokenStream {
    let body = value_checks(
        &Ty {
            nullable: false,
            ..ty.clone()
        },
        quote! { value },
        checkable,
    )
    .map(|body| {
        if ty.nullable && ty.shape != Shape::Any {
            quote! { if let Some(value) = &self.0 { #body } }
        } else {
            quote! { let value = &self.0; #body }
        }
    });
    implementation(name, body.unwrap_or_default())
}

/// `impl Validate` with nothing to check, so that every named type can be validated alike.
pub fn for_nothing(name: &syn::Ident) -> TokenStream {
    implementation(name, TokenStream::new())
}

/// `impl Validate`; a type with nothing to check takes the trait's default, which finds nothing.
pub fn implementation(name: &syn::Ident, body: TokenStream) -> TokenStream {
    if body.is_empty() {
        return quote! { impl ::apigen_runtime::Validate for #name {} };
    }
    let import = import_for(&body);
    quote! {
        impl ::apigen_runtime::Validate for #name {
            fn validate_at(&self, at: &str, out: &mut Vec<::apigen_runtime::Violation>) {
                #import
                #body
            }
        }
    }
}

/// The runtime's checks as `check::...` in the function that calls them: one short path keeps each
/// check on one line. Scoped to the function, so no item of the crate can meet the name (the
/// bodies name no type of the schema's).
/// Empty where `body` calls none of them (it only delegates to `Validate`), which rustc would call
/// an unused import.
pub fn import_for(body: &TokenStream) -> TokenStream {
    if calls_checks(body.clone()) {
        quote! { use ::apigen_runtime::for_generated_code::validate as check; }
    } else {
        TokenStream::new()
    }
}

/// Whether the emitted statements name a path `check::...`: the checks above are the only code
/// that does (a field named `check` is `self.check`, never followed by `::`).
fn calls_checks(tokens: TokenStream) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            proc_macro2::TokenTree::Ident(ident) if ident == "check" => {
                if matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ':') {
                    return true;
                }
            }
            proc_macro2::TokenTree::Group(group) if calls_checks(group.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// Statements that check `value` (a reference to a value of `ty`) at `at`; `None` if nothing to check.
pub fn value_checks(ty: &Ty, value: TokenStream, checkable: &Checkable) -> Option<TokenStream> {
    if ty.nullable && ty.shape != Shape::Any {
        let inner = value_checks(
            &Ty {
                nullable: false,
                ..ty.clone()
            },
            quote! { value },
            checkable,
        )?;
        return Some(quote! { if let Some(value) = #value { #inner } });
    }
    let c = &ty.constraints;
    let mut checks = Vec::new();
    let opt = |v: Option<u64>| match v {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    };
    match &ty.shape {
        Shape::String => {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt(c.min_length), opt(c.max_length));
                let unit = match c.length_unit {
                    LengthUnit::Characters => quote! { Characters },
                    LengthUnit::Bytes => quote! { Bytes },
                };
                checks.push(quote! {
                    check::length(at, #value, #min, #max, check::LengthUnit::#unit, out);
                });
            }
            for pattern in &c.patterns {
                let check = quote! {
                    static PATTERN: check::Pattern = check::Pattern::new(#pattern);
                    check::pattern(at, #value, &PATTERN, out);
                };
                // Several patterns (from an `allOf`) each get a block, so each is its own `static`.
                checks.push(if c.patterns.len() > 1 {
                    quote! { { #check } }
                } else {
                    check
                });
            }
        }
        Shape::Binary if c.min_length.is_some() || c.max_length.is_some() => {
            let (min, max) = (opt(c.min_length), opt(c.max_length));
            checks.push(quote! {
                check::byte_length(at, #value.as_bytes(), #min, #max, out);
            });
        }
        Shape::Integer(_) | Shape::Number(_) => {
            let as_f64 = match &ty.shape {
                Shape::Number(NumberKind::F64) => quote! { *#value },
                // `as` is the only conversion from 64-bit integers; bounds are compared in f64 anyway.
                Shape::Integer(IntegerKind::I64 | IntegerKind::U64) => quote! { *#value as f64 },
                _ => quote! { f64::from(*#value) },
            };
            // A bound the Rust type already keeps (`minimum: -2147483648` of an `int32`) is no check.
            let (held_min, held_max) = held_range(&ty.shape);
            let minimum = c
                .minimum
                .filter(|m| c.exclusive_minimum || !held_min.is_some_and(|h| *m <= h));
            let maximum = c
                .maximum
                .filter(|m| c.exclusive_maximum || !held_max.is_some_and(|h| *m >= h));
            if minimum.is_some() || maximum.is_some() {
                let bound = |v: Option<f64>| match v {
                    Some(n) => quote! { Some(#n) },
                    None => quote! { None },
                };
                let (min, max) = (bound(minimum), bound(maximum));
                let exclusive = if c.exclusive_minimum || c.exclusive_maximum {
                    let (xmin, xmax) = (c.exclusive_minimum, c.exclusive_maximum);
                    quote! { .exclusive(#xmin, #xmax) }
                } else {
                    TokenStream::new()
                };
                checks.push(quote! {
                    check::range(at, #as_f64, check::Bounds::new(#min, #max)#exclusive, out);
                });
            }
            if let Some(factor) = c.multiple_of.filter(|f| f.is_finite() && *f > 0.0) {
                checks.push(quote! { check::multiple_of(at, #as_f64, #factor, out); });
            }
        }
        Shape::Array(item) => {
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt(c.min_items), opt(c.max_items));
                checks.push(quote! { check::count(at, "items", #value.len(), #min, #max, out); });
            }
            if c.unique_items {
                checks.push(quote! { check::unique(at, #value, out); });
            }
            if let Some(inner) = value_checks(item, quote! { item }, checkable) {
                checks.push(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let at = &check::child(at, &index.to_string());
                        #inner
                    }
                });
            }
        }
        Shape::Map(entry) => {
            if c.min_properties.is_some() || c.max_properties.is_some() {
                let (min, max) = (opt(c.min_properties), opt(c.max_properties));
                checks.push(quote! { check::count(at, "properties", #value.len(), #min, #max, out); });
            }
            if let Some(inner) = value_checks(entry, quote! { entry }, checkable) {
                checks.push(quote! {
                    for (key, entry) in #value {
                        let at = &check::child(at, key);
                        #inner
                    }
                });
            }
        }
        Shape::Named(name) if checkable.delegates(name.as_str()) => {
            checks.push(quote! { ::apigen_runtime::Validate::validate_at(#value, at, out); });
        }
        _ => {}
    }
    if checks.is_empty() {
        None
    } else {
        Some(quote! { #(#checks)* })
    }
}

/// The range a value of an integer shape holds by its Rust type, as `f64`; none for numbers.
fn held_range(shape: &Shape) -> (Option<f64>, Option<f64>) {
    match shape {
        Shape::Integer(kind) => match kind {
            IntegerKind::I8 => (Some(i8::MIN.into()), Some(i8::MAX.into())),
            IntegerKind::I16 => (Some(i16::MIN.into()), Some(i16::MAX.into())),
            IntegerKind::I32 => (Some(i32::MIN.into()), Some(i32::MAX.into())),
            IntegerKind::U8 => (Some(0.0), Some(u8::MAX.into())),
            IntegerKind::U16 => (Some(0.0), Some(u16::MAX.into())),
            IntegerKind::U32 => (Some(0.0), Some(u32::MAX.into())),
            // 64-bit bounds are compared in f64, where `i64::MAX` rounds up: only the exact ends.
            IntegerKind::I64 => (Some(i64::MIN as f64), Some(i64::MAX as f64)),
            IntegerKind::U64 => (Some(0.0), Some(u64::MAX as f64)),
        },
        _ => (None, None),
    }
}

/// Whether a kind is a type alias (`pub type`) rather than a newtype.
pub fn is_plain_alias(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Alias(ty) if matches!(ty.shape, Shape::Named(_)) && !ty.nullable && !ty.constraints.is_checkable())
}

/// The check of one parameter's documented constraints, at `/<wire name>` below `at`: its value is
/// at `place` (a field, `self.limit`), an `Option` when `optional`. `None` when it has nothing to
/// check. The client checks its call's parameters with it before sending, the server its input's
/// after reading them.
pub fn parameter_check(
    parameter: &Parameter,
    place: TokenStream,
    optional: bool,
    checkable: &Checkable,
) -> Option<TokenStream> {
    let ty = Ty {
        nullable: false,
        ..parameter.ty.clone()
    };
    let wire = &parameter.wire_name;
    if only_delegates(&ty, checkable) {
        return Some(quote! { check::field(at, #wire, &#place, out); });
    }
    let checks = value_checks(&ty, quote! { value }, checkable)?;
    let at = quote! { let at = &check::child(at, #wire); };
    Some(if optional {
        quote! { if let Some(value) = &#place { #at #checks } }
    } else {
        quote! { { let value = &#place; #at #checks } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_goes_only_where_a_check_path_is_named() {
        assert!(calls_checks(quote! { { check::pattern(at, value, &PATTERN, out); } }));
        assert!(!calls_checks(
            quote! { ::apigen_runtime::Validate::validate_at(&self.check, at, out); }
        ));
        assert!(import_for(&quote! { self.check.len(); }).is_empty());
    }
}
