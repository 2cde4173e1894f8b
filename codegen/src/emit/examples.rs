//! `tests/examples.rs` of a models crate: every documented example must survive a round trip
//! through the type it documents. A new example in the spec is a new test at the next generation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{DocText, code};
use super::types::{ident, value_type};
use crate::ir::Api;

/// The test items; `krate` is the models crate's name as a Rust path.
pub fn items(api: &Api, krate: &syn::Ident) -> TokenStream {
    let prefix = quote! { #krate:: };
    let tests = api.examples.iter().map(|example| {
        let name = ident(&example.name);
        let mut doc = DocText::default();
        doc.paragraph(&format!("{} (`#{}`).", example.title, code(&example.origin)));
        let doc = doc.attributes(false);
        let mut unchecked = None;
        let body = match &example.ty {
            Some(ty) => {
                let ty = value_type(ty, &prefix);
                let json = raw_string(&serde_json::to_string_pretty(&example.value).unwrap_or_default());
                quote! {
                    let documented = #json;
                    ::apigen_runtime::for_generated_code::testing::assert_json_round_trip::<#ty>(documented);
                }
            }
            None => {
                let message = format!(
                    "the example at #{} has no JSON schema, so no type checks it; give its media type a schema",
                    example.origin
                );
                // The message is an argument, never the format string: a path in it
                // (`/folders/{folder_id}`) would read as a captured variable.
                let body = quote! { panic!("{}", #message); };
                unchecked = Some(message);
                body
            }
        };
        // A document that contradicts itself (or gives no schema to check an example with) gets
        // its test, ignored with the reason: the fault is the document's, and
        // `cargo test -- --ignored` still shows it.
        let reason = match (&example.misfit, unchecked) {
            (Some(reason), _) => Some(format!("the documented example does not fit its schema: {reason}")),
            (None, unchecked) => unchecked,
        };
        let ignore = reason.map(|reason| quote! { #[ignore = #reason] });
        quote! {
            #doc
            #[test]
            #ignore
            fn #name() {
                #body
            }
        }
    });
    quote! { #(#tests)* }
}

/// A raw string literal holding `text`, with enough `#`s that nothing inside ends it.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let hashes = (0..)
        .find(|n| !text.contains(&format!("\"{}", "#".repeat(*n))))
        .unwrap_or(0);
    let hashes = "#".repeat(hashes.max(1));
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}
