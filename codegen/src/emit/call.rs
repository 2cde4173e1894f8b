//! The shape of one call, as both its method and its docs need it: the crate names, which
//! parameters are arguments and which are set on the builder, and the types they are taken as.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::value_type;
use crate::ir::{Encoding, Operation, Parameter, ParameterLocation, Shape, Ty};

/// What the client emitter needs to know besides the IR.
pub struct ClientNames<'a> {
    /// The client crate's Rust name (`dws_client`).
    pub krate: &'a syn::Ident,
    /// The models crate's Rust name (`dws_models`).
    pub models: &'a syn::Ident,
}

/// Parameters the caller must give, in order: path (without a client default), then required
/// query and header parameters.
pub(super) fn positional(op: &Operation) -> Vec<&Parameter> {
    let path = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path && !p.client_default);
    let rest = op
        .parameters
        .iter()
        .filter(|p| p.location != ParameterLocation::Path && p.required);
    path.chain(rest).collect()
}

/// Parameters the caller may set on the builder: path parameters with a client default, and
/// optional query and header parameters.
pub(super) fn optional(op: &Operation) -> Vec<&Parameter> {
    op.parameters
        .iter()
        .filter(|p| {
            (p.location == ParameterLocation::Path && p.client_default)
                || (p.location != ParameterLocation::Path && !p.required)
        })
        .collect()
}

/// The type a parameter is taken as: `&'a str` for strings, the value type otherwise.
pub(super) fn parameter_type(parameter: &Parameter) -> TokenStream {
    match parameter.ty.shape {
        Shape::String => quote! { &'a str },
        _ => value_type(
            &Ty {
                nullable: false,
                ..parameter.ty.clone()
            },
            &quote! { models:: },
        ),
    }
}

/// The request body type, borrowed by the builder as `&'a` it: the schema's type for JSON and
/// forms (any JSON value when there is no schema), `str` for text, `[u8]` for anything else.
pub(super) fn body_type(op: &Operation) -> Option<TokenStream> {
    let body = op.request.as_ref()?;
    Some(match (body.encoding, &body.ty) {
        (Encoding::Text, _) => quote! { str },
        (Encoding::Binary, _) => quote! { [u8] },
        // A JSON string is borrowed as `str`, as a text body is.
        (
            _,
            Some(Ty {
                shape: Shape::String,
                nullable: false,
                ..
            }),
        ) => quote! { str },
        (_, Some(ty)) => value_type(ty, &quote! { models:: }),
        (_, None) => quote! { ::serde_json::Value },
    })
}

/// Whether the request body has documented constraints to check (text and bytes have none).
pub(super) fn body_is_typed(op: &Operation) -> bool {
    op.request.as_ref().is_some_and(|b| b.encoding.is_typed())
}
