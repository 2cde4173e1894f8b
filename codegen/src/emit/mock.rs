//! The server crate's mock binary (`src/main.rs`, `NAME-mock`): an implementation of the generated
//! `Api` that answers each operation with a documented response, its body from the documented
//! examples or, where there is none, a value made valid against its schema ([`super::synth`]).
//! Choosing among them (`Prefer`), decoding and serving are the runtime's
//! (`apigen_runtime::server::mock`); this file writes the table of each operation's answers and the
//! `match` from the chosen one to its variant.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::server::{Carried, carried, carries_status};
use super::synth::Synth;
use super::types::ident;
use crate::ir::{Api, Encoding, Operation, Response, Status};

/// The items of `src/main.rs`: the mock and its `main`.
pub fn items(api: &Api, server: &syn::Ident, binary: &str) -> TokenStream {
    let synth = Synth::new(&api.types);
    let tables = api
        .operations
        .iter()
        .filter(|op| op.server.undocumented.is_none())
        .map(|op| table(api, op, &synth));
    let methods = api.operations.iter().map(method);
    let by_operation: Vec<TokenStream> = api
        .operations
        .iter()
        .filter(|op| op.server.undocumented.is_none())
        .map(|op| {
            let name = op.name.as_str();
            let table = table_name(op);
            quote! { Some(#name) => &#table, }
        })
        .collect();
    let answers = if by_operation.is_empty() {
        quote! { &[] }
    } else {
        quote! {
            match rejection.operation() {
                #(#by_operation)*
                _ => &[],
            }
        }
    };
    quote! {
        use ::#server as server;

        /// Answers every operation with one of its documented responses.
        struct Mock;

        #(#tables)*

        #[allow(deprecated)]
        impl server::Api for Mock {
            #(#methods)*

            /// A request the router refuses is answered as its operation documents the status.
            fn reject(&self, rejection: server::Rejection) -> server::Reply {
                let answers: &[::apigen_runtime::server::mock::Answer] = #answers;
                ::apigen_runtime::server::mock::refusal(&rejection, answers)
            }
        }

        fn main() -> ::std::process::ExitCode {
            ::apigen_runtime::server::mock::main(#binary, server::router(::std::sync::Arc::new(Mock)))
        }
    }
}

/// The `static` table of an operation's documented answers.
fn table(api: &Api, op: &Operation, synth: &Synth<'_>) -> TokenStream {
    let name = table_name(op);
    let count = Literal::usize_unsuffixed(op.responses.len());
    let answers = op.responses.iter().map(|r| answer(api, r, synth));
    quote! {
        static #name: [::apigen_runtime::server::mock::Answer; #count] = [#(#answers),*];
    }
}

fn table_name(op: &Operation) -> syn::Ident {
    syn::Ident::new(&op.name.as_str().to_uppercase(), proc_macro2::Span::call_site())
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let input = ident(&op.server.input);
    let response = ident(&op.server.response);
    let signature = |request: TokenStream, body: TokenStream| {
        quote! {
            async fn #name(&self, _input: server::#input, #request: server::Parts) -> Result<server::#response, server::Rejection> {
                #body
            }
        }
    };
    if let Some(undocumented) = &op.server.undocumented {
        let variant = ident(undocumented);
        return signature(
            quote! { _request },
            quote! {
                Ok(server::#response::#variant { status: server::StatusCode::OK, body: ::apigen_runtime::server::Bytes::new() })
            },
        );
    }
    let table = table_name(op);
    let arms = op.responses.iter().enumerate().map(|(index, r)| {
        let index = Literal::usize_unsuffixed(index);
        let value = variant_value(r);
        quote! { #index => server::#response::#value, }
    });
    signature(
        quote! { request },
        quote! {
            let chosen = ::apigen_runtime::server::mock::choose(&request, &#table)?;
            Ok(match chosen.index() {
                #(#arms)*
                _ => return Err(server::Rejection::new(server::RejectionKind::Internal)),
            })
        },
    )
}

/// One response's entry of the table: what it covers and its bodies by example name.
fn answer(api: &Api, response: &Response, synth: &Synth<'_>) -> TokenStream {
    let covers = match response.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { Code(#code) }
        }
        Status::Range(class) => {
            let class = Literal::u8_unsuffixed(class);
            quote! { Range(#class) }
        }
        Status::Default => quote! { Default },
    };
    let bodies = bodies(api, response, synth)
        .into_iter()
        .map(|(key, text)| quote! { (#key, #text) });
    let media = match carried(response.body.as_ref()) {
        Carried::Nothing => quote! { None },
        Carried::Json(_, media) | Carried::Text(media) | Carried::Bytes(media) => quote! { Some(#media) },
    };
    quote! {
        ::apigen_runtime::server::mock::Answer::new(::apigen_runtime::server::mock::Covers::#covers, #media, &[#(#bodies),*])
    }
}

/// The response's bodies as text, by example name: the documented examples that fit their type,
/// else one made from the schema.
fn bodies(api: &Api, response: &Response, synth: &Synth<'_>) -> Vec<(String, String)> {
    let Some(body) = &response.body else {
        return Vec::new();
    };
    let json = body.encoding == Encoding::Json;
    let documented: Vec<(String, String)> = body
        .examples
        .iter()
        .filter_map(|&i| api.examples.get(i))
        .filter(|example| example.misfit.is_none())
        .map(|example| {
            let text = match (&example.value, json) {
                (serde_json::Value::String(text), false) => text.clone(),
                (value, _) => value.to_string(),
            };
            (example.key.clone(), text)
        })
        .collect();
    if !documented.is_empty() {
        return documented;
    }
    let made = match (&body.ty, body.encoding) {
        (Some(ty), Encoding::Json) => synth.value(ty).to_string(),
        (None, Encoding::Json) => "{}".to_owned(),
        (_, Encoding::Text) => "text".to_owned(),
        _ => String::new(),
    };
    vec![("synthesized".to_owned(), made)]
}

/// The variant a chosen answer is, with its status, body and headers filled in.
fn variant_value(response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let carried = carried(response.body.as_ref());
    let body = match carried {
        Carried::Nothing => None,
        Carried::Json(..) => Some(quote! { chosen.json()? }),
        Carried::Text(_) => Some(quote! { chosen.text() }),
        Carried::Bytes(_) => Some(quote! { chosen.bytes() }),
    };
    if response.headers.is_empty() && !carries_status(response) {
        return match body {
            Some(body) => quote! { #variant(#body) },
            None => quote! { #variant },
        };
    }
    let status = carries_status(response).then(|| quote! { status: chosen.status(), });
    let body = body.map(|body| quote! { body: #body, });
    let headers = response.headers.iter().map(|header| {
        let field = ident(&header.name);
        if header.required {
            quote! { #field: "mock".to_owned(), }
        } else {
            quote! { #field: None, }
        }
    });
    quote! { #variant { #status #body #(#headers)* } }
}
