//! Rust type expressions for IR types.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Field, Name, NumberKind, Shape, Ty};

/// The identifier of a name lowering decided.
pub fn ident(name: &Name) -> Ident {
    if name.is_raw() {
        Ident::new_raw(name.as_str(), Span::call_site())
    } else {
        Ident::new(name.as_str(), Span::call_site())
    }
}

/// Methods of std's operator and conversion traits, which clippy's `should_implement_trait` expects
/// a method of that name taking `self` and one argument to implement.
const STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// The `allow` a by-value setter needs when the spec names its property or parameter like a std
/// trait's method (`sub`, a JWT claim; `add`): the name is the spec's, and a setter is no operator.
pub fn setter_lint(name: &Name) -> Option<TokenStream> {
    let text = name.as_str();
    STD_TRAIT_METHODS.contains(&text).then(|| {
        let reason = format!("the setter of `{text}` is named as the spec names it; it is no `{text}` operator");
        quote::quote! { #[allow(clippy::should_implement_trait, reason = #reason)] }
    })
}

/// The type of a value of `ty`, with `Option` for a nullable value. Named types are written
/// `#prefix Name`, so the same IR can be written inside the crate or from a test beside it.
pub fn value_type(ty: &Ty, prefix: &TokenStream) -> TokenStream {
    let inner = shape_type(&ty.shape, prefix);
    if ty.nullable && ty.shape != Shape::Any {
        quote! { Option<#inner> }
    } else {
        inner
    }
}

/// The type of a shape, without nullability.
pub fn shape_type(shape: &Shape, prefix: &TokenStream) -> TokenStream {
    match shape {
        Shape::String => quote! { String },
        Shape::Binary => quote! { ::apigen_runtime::Binary },
        Shape::Integer(kind) => {
            let name = proc_macro2::Ident::new(kind.rust_name(), Span::call_site());
            quote! { #name }
        }
        Shape::Number(NumberKind::F32) => quote! { f32 },
        Shape::Number(NumberKind::F64) => quote! { f64 },
        Shape::Boolean => quote! { bool },
        Shape::Any => quote! { ::serde_json::Value },
        Shape::Named(name) => {
            let name = ident(name);
            quote! { #prefix #name }
        }
        Shape::Array(item) => {
            let item = value_type(item, prefix);
            quote! { Vec<#item> }
        }
        Shape::Map(value) => {
            let value = value_type(value, prefix);
            quote! { ::std::collections::BTreeMap<String, #value> }
        }
    }
}

/// How a field is held, from whether its key is required and whether its value may be null.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// `T`: always present, never null (or `Value`, whose own `Null` covers null).
    Plain,
    /// `Option<T>`, skipped when `None`: the key may be absent, the value is never null.
    Optional,
    /// `Option<T>`, always written: the key is present, the value may be null.
    RequiredNullable,
    /// `Nullable<T>`: absent, null and a value are three different things.
    TriState,
}

pub fn holding(field: &Field) -> Holding {
    let nullable = field.ty.nullable || field.ty.shape == Shape::Any;
    match (field.required, nullable) {
        (true, false) => Holding::Plain,
        (true, true) if field.ty.shape == Shape::Any => Holding::Plain,
        (true, true) => Holding::RequiredNullable,
        (false, false) => Holding::Optional,
        (false, true) => Holding::TriState,
    }
}
