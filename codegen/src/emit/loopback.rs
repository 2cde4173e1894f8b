//! `tests/loopback.rs` of a server crate: the generated client talks to the generated server over
//! loopback. Each documented example request must arrive in the handler typed and equal to the
//! example; each documented example response must come back to the client equal to the example.
//! A new example in the spec is a new test at the next generation.
//!
//! The server side is one recorder that implements every operation alike: it keeps the body it was
//! given and answers with the status and JSON value the test queued.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::call::positional;
use super::doctest::placeholder;
use super::literal::{Literals, Position};
use super::types::ident;
use crate::ir::{Api, Body, Encoding, Example, Operation, Outcome, Response, Shape, Status, Ty};

/// Whether the API has an example a loopback test can send or answer.
pub fn has_tests(api: &Api) -> bool {
    api.operations.iter().any(|op| !cases(api, op).is_empty())
}

/// The test file's items; `server` and `client` are the crates' Rust names.
pub fn items(api: &Api, server: &syn::Ident, client: &syn::Ident) -> TokenStream {
    let literals = Literals::new(&api.types, quote! { #client::models:: });
    let methods = api.operations.iter().map(|op| recorder_method(op, server));
    // An example shared by several operations (a body from `components/requestBodies`) is tested
    // once, under its own name, through the first operation that has it.
    let mut tested = std::collections::BTreeSet::new();
    let mut tests = Vec::new();
    let mut checks_bodies = false;
    for op in &api.operations {
        for case in cases(api, op) {
            let example = match &case {
                Case::Request(example) | Case::Response(_, example) => example,
            };
            if tested.insert(example.name.clone())
                && let Some(test) = test(api, op, &case, &literals, client)
            {
                checks_bodies |= matches!(case, Case::Request(_));
                tests.push(test);
            }
        }
    }
    // Only what some test or method calls, so that no helper is dead code.
    let keeps = api.operations.iter().any(|op| op.request.is_some());
    let keep = keeps.then(|| {
        quote! {
            fn keep(&self, body: ::serde_json::Value) {
                self.bodies.lock().expect("not poisoned").push(body);
            }
        }
    });
    let bodies = checks_bodies.then(|| {
        quote! {
            fn bodies(&self) -> Vec<::serde_json::Value> {
                self.bodies.lock().expect("not poisoned").clone()
            }
        }
    });
    let bodies_field = (keeps || checks_bodies).then(|| quote! { bodies: Mutex<Vec<::serde_json::Value>>, });
    quote! {
        use ::std::sync::{Arc, Mutex};

        use #server::{Api, Parts};

        /// Keeps each body it is given and answers with what the test queued.
        #[derive(Default)]
        struct Recorder {
            #bodies_field
            answer: Mutex<Option<(u16, ::serde_json::Value)>>,
        }

        impl Recorder {
            #keep

            fn will_answer(&self, status: u16, body: ::serde_json::Value) {
                *self.answer.lock().expect("not poisoned") = Some((status, body));
            }

            fn answer(&self) -> (u16, ::serde_json::Value) {
                self.answer.lock().expect("not poisoned").take().expect("the test queued an answer")
            }

            #bodies
        }

        #[allow(deprecated)]
        impl Api for Recorder {
            #(#methods)*
        }

        /// A client of the server run by `recorder` on a free loopback port.
        async fn client_of(recorder: &Arc<Recorder>, config: fn(#client::Config) -> #client::Config) -> #client::Client {
            let endpoint = ::apigen_runtime::for_generated_code::testing::serve_on_loopback(#server::router(Arc::clone(recorder))).await;
            #client::Client::new(config(#client::Config::new(endpoint))).expect("the loopback endpoint is a URL")
        }

        #(#tests)*
    }
}

/// One loopback test: a documented example request, or a documented example response.
enum Case<'a> {
    Request(&'a Example),
    Response(&'a Response, &'a Example),
}

fn cases<'a>(api: &'a Api, op: &'a Operation) -> Vec<Case<'a>> {
    let mut out = Vec::new();
    // The types are the operation's own: an example shared by several operations was typed by the
    // first that lowered it, whose type may be another (same shape, another name).
    let request = op
        .request
        .as_ref()
        .filter(|body| body.encoding.is_typed() && body.ty.is_some());
    for &id in request.iter().flat_map(|body| &body.examples) {
        if let Some(example) = api.examples.get(id).filter(|e| e.ty.is_some()) {
            out.push(Case::Request(example));
        }
    }
    // A response needs a request to answer: one whose body the document gives, or none needed.
    let sendable = op
        .request
        .as_ref()
        .is_none_or(|body| !body.required || !body.encoding.is_typed() || example_of(api, body).is_some());
    if sendable {
        for response in &op.responses {
            let body = response
                .body
                .as_ref()
                .filter(|b| b.encoding == Encoding::Json && b.ty.is_some());
            for &id in body.iter().flat_map(|b| &b.examples) {
                if let Some(example) = api.examples.get(id).filter(|e| e.ty.is_some()) {
                    out.push(Case::Response(response, example));
                }
            }
        }
    }
    out
}

fn example_of<'a>(api: &'a Api, body: &Body) -> Option<&'a Example> {
    body.examples
        .iter()
        .filter_map(|&id| api.examples.get(id))
        .find(|e| e.ty.is_some())
}

/// The recorder's method for one operation: keep the body, answer what was queued.
fn recorder_method(op: &Operation, server: &syn::Ident) -> TokenStream {
    let name = ident(&op.name);
    let input = ident(&op.server.input);
    let response = ident(&op.server.response);
    let keep = op.request.as_ref().map(|body| {
        let value = match body.encoding {
            // `Value::from` takes an `Option` as well: an optional body is kept as null when absent.
            Encoding::Text => quote! { ::serde_json::Value::from(input.body.clone()) },
            Encoding::Binary if body.required => quote! { ::serde_json::Value::from(input.body.to_vec()) },
            Encoding::Binary => quote! { ::serde_json::Value::from(input.body.as_ref().map(|bytes| bytes.to_vec())) },
            // A number or boolean is `Copy`: passed as it is (clippy's
            // `needless_borrows_for_generic_args`).
            _ if is_copy_scalar(body.ty.as_ref()) => {
                quote! { ::serde_json::to_value(input.body).expect("a request body serializes") }
            }
            _ => quote! { ::serde_json::to_value(&input.body).expect("a request body serializes") },
        };
        quote! { self.keep(#value); }
    });
    let input_binding = if keep.is_some() {
        quote! { input }
    } else {
        quote! { _input }
    };
    let mut codes = Vec::new();
    let mut ranges = Vec::new();
    let mut rest = Vec::new();
    for documented in &op.responses {
        let arm = answer_arm(&quote! { #server::#response }, documented);
        match documented.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                codes.push(quote! { #code => #arm, });
            }
            Status::Range(class) => {
                let (low, high) = (
                    Literal::u16_unsuffixed(u16::from(class) * 100),
                    Literal::u16_unsuffixed(u16::from(class) * 100 + 99),
                );
                ranges.push(quote! { #low..=#high => #arm, });
            }
            Status::Default => rest.push(arm),
        }
    }
    if let Some(fallback) = &op.server.undocumented {
        let variant = ident(fallback);
        rest.push(quote! {
            #server::#response::#variant { status: ::apigen_runtime::server::StatusCode::from_u16(status).expect("an HTTP status"), body: body.to_string().into() }
        });
    }
    let otherwise = rest.into_iter().next().unwrap_or_else(|| {
        let message = format!(
            "the test asked `{}` for status {{}}, which it does not document",
            op.name.as_str()
        );
        quote! { panic!(#message, status) }
    });
    // Only a `default` answer: no match with a single wildcard arm (clippy's
    // `match_single_binding`).
    let answer = if codes.is_empty() && ranges.is_empty() {
        otherwise
    } else {
        quote! {
            match status {
                #(#codes)*
                #(#ranges)*
                _ => #otherwise,
            }
        }
    };
    quote! {
        async fn #name(&self, #input_binding: #server::#input, _request: Parts) -> Result<#server::#response, #server::Rejection> {
            #keep
            let (status, body) = self.answer();
            let _ = &body;
            Ok(#answer)
        }
    }
}

/// The value of one documented answer, from the queued status and JSON.
fn answer_arm(enum_name: &TokenStream, response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let body = response.body.as_ref().map(|body| match body.encoding {
        Encoding::Json => quote! { ::serde_json::from_value(body).expect("the example fits its schema") },
        Encoding::Text => quote! { body.as_str().unwrap_or_default().to_owned() },
        _ => quote! { body.to_string().into() },
    });
    let carries_status = !matches!(response.status, Status::Code(_));
    if response.headers.is_empty() && !carries_status {
        return match body {
            Some(body) => quote! { #enum_name::#variant(#body) },
            None => quote! { #enum_name::#variant },
        };
    }
    let status = carries_status
        .then(|| quote! { status: ::apigen_runtime::server::StatusCode::from_u16(status).expect("an HTTP status"), });
    let body = body.map(|body| quote! { body: #body, });
    let headers = response.headers.iter().map(|header| {
        let field = ident(&header.name);
        if header.required {
            quote! { #field: String::new(), }
        } else {
            quote! { #field: None, }
        }
    });
    quote! { #enum_name::#variant { #status #body #(#headers)* } }
}

/// A test, or `None` when the call cannot be written (an argument the generator cannot make).
fn test(
    api: &Api,
    op: &Operation,
    case: &Case<'_>,
    literals: &Literals<'_>,
    client: &syn::Ident,
) -> Option<TokenStream> {
    let method = ident(&op.name);
    let mut args = Vec::new();
    for parameter in positional(op) {
        let ty = Ty {
            nullable: false,
            ..parameter.ty.clone()
        };
        let value = parameter
            .example
            .clone()
            .unwrap_or_else(|| placeholder(api, &ty.shape, &parameter.wire_name));
        args.push(literals.expr(&value, &ty, Position::Argument)?);
    }
    let defaults = op.parameters.iter().filter(|p| p.client_default).map(|p| {
        let wire = &p.wire_name;
        let value = format!("my-{}", p.wire_name.to_ascii_lowercase().replace('_', "-"));
        quote! { .path_default(#wire, #value) }
    });
    let request_example = match case {
        Case::Request(example) => Some(*example),
        Case::Response(..) => op.request.as_ref().and_then(|body| example_of(api, body)),
    };
    let body = op.request.as_ref();
    let (body_stmt, body_arg, body_setter) = match (body, request_example) {
        (Some(body), Some(example)) if body.encoding.is_typed() => {
            let ty = literals.type_of(body.ty.as_ref()?);
            let json = serde_json::to_string(&example.value).ok()?;
            let stmt = quote! { let body: #ty = ::serde_json::from_str(#json).expect("the example fits its schema"); };
            if body.required {
                (stmt, Some(quote! { &body }), None)
            } else {
                (stmt, None, Some(quote! { .body(&body) }))
            }
        }
        (Some(body), _) if body.required && body.encoding == Encoding::Text => {
            (TokenStream::new(), Some(quote! { "text" }), None)
        }
        (Some(body), _) if body.required && body.encoding == Encoding::Binary => {
            (TokenStream::new(), Some(quote! { &b"bytes"[..] }), None)
        }
        (Some(body), _) if body.required => return None,
        _ => (TokenStream::new(), None, None),
    };
    let call_args = args.into_iter().chain(body_arg);
    let call = quote! { client.#method(#(#call_args),*) #body_setter };
    let ignore = match case {
        Case::Request(example) | Case::Response(_, example) => example.misfit.as_ref().map(|reason| {
            let reason = format!("the documented example does not fit its schema: {reason}");
            quote! { #[ignore = #reason] }
        }),
    };
    let (credentials, _, _) =
        super::security::example_credentials(api, &op.security, "loopback", &quote! { #client:: });
    let config = quote! { |config| config #(#credentials)* #(#defaults)* };
    let (name, queued, check) = match case {
        Case::Request(example) => {
            let name = ident(&example.name);
            let (status, value) = answer_for_request(api, op);
            let status = Literal::u16_unsuffixed(status);
            let sent = if op.request.as_ref().is_some_and(|b| is_copy_scalar(b.ty.as_ref())) {
                quote! { body }
            } else {
                quote! { &body }
            };
            let check = quote! {
                let _ = #call.await;
                let expected = ::apigen_runtime::for_generated_code::ser::as_request(|| ::serde_json::to_value(#sent)).expect("a request body serializes");
                assert_eq!(recorder.bodies(), vec![expected], "the handler got another body than the example");
            };
            (name, quote! { recorder.will_answer(#status, #value); }, check)
        }
        Case::Response(response, example) => {
            let name = ident(&example.name);
            let status = status_for(op, &response.status);
            let json = serde_json::to_string(&example.value).ok()?;
            let payload_ty = literals.type_of(response.body.as_ref()?.ty.as_ref()?);
            let check = response_check(op, response, &call, client)?;
            let status_literal = Literal::u16_unsuffixed(status);
            (
                name,
                quote! {
                    recorder.will_answer(#status_literal, ::serde_json::from_str(#json).expect("the example is JSON"));
                    let expected: #payload_ty = ::serde_json::from_str(#json).expect("the example fits its schema");
                },
                check,
            )
        }
    };
    Some(quote! {
        #[tokio::test]
        #ignore
        async fn #name() {
            let recorder = Arc::new(Recorder::default());
            let client = client_of(&recorder, #config).await;
            #body_stmt
            #queued
            #check
        }
    })
}

/// The status a response example is answered with: its own, the class's first, or for
/// `default` one no other response of the operation lists.
fn status_for(op: &Operation, status: &Status) -> u16 {
    match status {
        Status::Code(code) => *code,
        Status::Range(class) => u16::from(*class) * 100,
        Status::Default => [500u16, 599, 418, 299]
            .into_iter()
            .find(|code| !op.responses.iter().any(|r| covers(&r.status, *code)))
            .unwrap_or(599),
    }
}

fn covers(status: &Status, code: u16) -> bool {
    match status {
        Status::Code(c) => *c == code,
        Status::Range(class) => code / 100 == u16::from(*class),
        Status::Default => false,
    }
}

/// What a request test has the recorder answer: a documented example if there is one, else a
/// documented answer without a body.
fn answer_for_request(api: &Api, op: &Operation) -> (u16, TokenStream) {
    for response in &op.responses {
        let example = response
            .body
            .as_ref()
            .filter(|b| b.encoding == Encoding::Json)
            .and_then(|b| example_of(api, b));
        if let Some(example) = example {
            let json = serde_json::to_string(&example.value).unwrap_or_default();
            return (
                status_for(op, &response.status),
                quote! { ::serde_json::from_str(#json).expect("the example is JSON") },
            );
        }
    }
    let status = op
        .responses
        .iter()
        .find(|r| r.body.is_none())
        .or(op.responses.first())
        .map(|r| status_for(op, &r.status))
        .unwrap_or(200);
    (status, quote! { ::serde_json::Value::Null })
}

/// Sends the call and checks that the client decoded the example, on the side its status is.
fn response_check(op: &Operation, response: &Response, call: &TokenStream, client: &syn::Ident) -> Option<TokenStream> {
    let success = response.status.is_success();
    let outcome = if success { &op.successes } else { &op.failures };
    let expected = match outcome {
        Outcome::One(_) => quote! { expected },
        Outcome::PerStatus { name, variants } => {
            let variant = variants.iter().find(|v| v.status == response.status)?;
            variant.payload.as_ref()?;
            let (name, member) = (ident(name), ident(&variant.name));
            quote! { #client::#name::#member(expected) }
        }
        Outcome::Undocumented | Outcome::Empty => return None,
    };
    Some(if success {
        quote! {
            let response = #call.await.expect("the documented answer decodes");
            assert_eq!(response.body, #expected);
        }
    } else {
        quote! {
            match #call.await {
                Err(#client::Error::Api { body: #client::ErrorBody::Typed(body), .. }) => assert_eq!(body, #expected),
                other => panic!("expected the documented error body, got {other:?}"),
            }
        }
    })
}

/// Whether a body of `ty` is a number or a boolean (or one that may be null): `Copy`, so it is
/// serialized by value.
fn is_copy_scalar(ty: Option<&Ty>) -> bool {
    ty.is_some_and(|ty| matches!(ty.shape, Shape::Integer(_) | Shape::Number(_) | Shape::Boolean))
}
