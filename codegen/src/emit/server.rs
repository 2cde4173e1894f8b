//! The server crate's items: the `Api` trait with one method per operation, each operation's
//! input struct and response enum, the handlers that read a request into an input, and the
//! `router` that serves an implementation. Routing, reading values off the wire, refusing bad
//! requests and writing answers are the runtime's (`apigen_runtime::server`); this file writes only
//! what differs per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{DocText, code, doc_line};
use super::types::{ident, value_type};
use super::validate::{self, Checkable};
use crate::ir::{Api, Body, Encoding, Operation, Parameter, ParameterLocation, Response, Shape, Status, Ty};

/// The items every server crate's `lib.rs` holds after its crate docs: re-exports, the trait and
/// the router.
pub fn root(api: &Api, models: &syn::Ident) -> TokenStream {
    let methods = api.operations.iter().map(trait_method);
    let routes = api.operations.iter().map(|op| route(op, &quote! { handlers }));
    let checked = api.operations.iter().any(|op| op.auth_field.is_some());
    let schemes = checked.then(|| super::security::scheme_table(api));
    let auth = checked.then(|| quote! { pub use ::apigen_runtime::server::{Authentication, CredentialValue}; });
    quote! {
        pub use ::#models as models;
        pub use ::#models::{Binary, Nullable, Validate, ValidationError, Violation};
        pub use ::apigen_runtime::server::{Limits, Parts, Rejection, RejectionKind, Reply, Router, StatusCode};
        #auth
        #schemes

        /// The API, to implement: one method per operation. Each is called only with inputs that
        /// passed every documented check, and answers with one of the operation's documented
        /// responses, or with `Err(Rejection)` to refuse in the API's own error shape (a resource
        /// that does not exist, a conflict): that goes through [`Api::reject`], as every request
        /// that breaks the document does before it reaches a method.
        pub trait Api: Send + Sync + 'static {
            #(#methods)*

            /// Writes the answer to a refused request (it does not read, breaks documented
            /// constraints, has an unsupported media type, is too large, or has no operation) or
            /// to a handler that panicked. The default answers `application/problem+json`
            /// (RFC 9457) listing every violation with its JSON pointer; an API with its own
            /// error shape answers in that one.
            fn reject(&self, rejection: Rejection) -> Reply {
                ::apigen_runtime::server::problem_response(&rejection)
            }
        }

        /// The router serving `api`, with the default [`Limits`]: serve it with `axum::serve`,
        /// nest it, or wrap it in tower layers.
        pub fn router<S: Api>(api: ::std::sync::Arc<S>) -> Router {
            router_with(api, Limits::default())
        }

        /// The router serving `api`, with `limits`.
        pub fn router_with<S: Api>(api: ::std::sync::Arc<S>, limits: Limits) -> Router {
            ::apigen_runtime::server::Routes::new(api, S::reject)
                .limits(limits)
                #(#routes)*
                .into_router()
        }
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let input = ident(&op.server.input);
    let response = ident(&op.server.response);
    let mut docs = DocText::from_docs(&op.docs);
    docs.own(&format!("`{} {}`", op.method.as_str(), code(&op.path)));
    let docs = docs.attributes(false);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #docs
        #deprecated
        fn #name(&self, input: #input, request: Parts) -> impl ::std::future::Future<Output = Result<#response, Rejection>> + Send;
    }
}

fn route(op: &Operation, module: &TokenStream) -> TokenStream {
    let method = syn::Ident::new(op.method.as_str(), proc_macro2::Span::call_site());
    let path = &op.path;
    let operation = op.name.as_str();
    let handler = ident(&op.name);
    quote! {
        .route(::apigen_runtime::server::Method::#method, #path, #operation, #module::#handler::<S>)
    }
}

/// The receiver of the API's webhooks, when its document has any: the `Webhooks` trait (one method
/// per webhook), the router that serves an implementation, and its handlers. The API sends these
/// requests to a URL its user registered; the router takes each at `/` and the webhook's name, to
/// be nested under that URL.
pub fn webhooks(api: &Api) -> TokenStream {
    if api.webhooks.is_empty() {
        return TokenStream::new();
    }
    let module = quote! { webhook_handlers };
    let methods = api.webhooks.iter().map(webhook_method);
    let routes = api.webhooks.iter().map(|op| route(op, &module));
    let handlers = handler_module(&api.webhooks, &module, &quote! { Webhooks });
    quote! {
        /// The requests this API sends to its users (its `webhooks`), to implement to receive them:
        /// one method per webhook, called only with a request that reads and passes every
        /// documented check, answering with one of its documented responses. Serve it with
        /// [`webhooks_router`] at the URL registered with the API.
        pub trait Webhooks: Send + Sync + 'static {
            #(#methods)*

            /// Writes the answer to a refused webhook request, as [`Api::reject`] does for the
            /// API's own; the default answers `application/problem+json` (RFC 9457).
            fn reject(&self, rejection: Rejection) -> Reply {
                ::apigen_runtime::server::problem_response(&rejection)
            }
        }

        /// The router receiving the webhooks `hooks` implements, with the default [`Limits`]: each
        /// webhook at `/` and its name; nest it where the API sends them.
        pub fn webhooks_router<S: Webhooks>(hooks: ::std::sync::Arc<S>) -> Router {
            webhooks_router_with(hooks, Limits::default())
        }

        /// The router receiving the webhooks `hooks` implements, with `limits`.
        pub fn webhooks_router_with<S: Webhooks>(hooks: ::std::sync::Arc<S>, limits: Limits) -> Router {
            ::apigen_runtime::server::Routes::new(hooks, S::reject)
                .limits(limits)
                #(#routes)*
                .into_router()
        }

        #handlers
    }
}

fn webhook_method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let input = ident(&op.server.input);
    let response = ident(&op.server.response);
    let mut docs = DocText::from_docs(&op.docs);
    docs.own(&format!(
        "The `{}` webhook: sent as `{}`, received at `{}`.",
        code(&op.operation_id),
        op.method.as_str(),
        code(&op.path)
    ));
    let docs = docs.attributes(false);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #docs
        #deprecated
        fn #name(&self, input: #input, request: Parts) -> impl ::std::future::Future<Output = Result<#response, Rejection>> + Send;
    }
}

/// The handlers module: for each operation, a function that reads the request into its input and
/// calls the implementation.
pub fn handlers(api: &Api) -> TokenStream {
    handler_module(&api.operations, &quote! { handlers }, &quote! { Api })
}

/// The module `module` of handlers of `operations`, each calling an implementation of `bound`.
fn handler_module(operations: &[Operation], module: &TokenStream, bound: &TokenStream) -> TokenStream {
    if operations.is_empty() {
        return TokenStream::new();
    }
    let handlers = operations.iter().map(|op| handler(op, bound));
    let typed_body = operations
        .iter()
        .any(|op| op.request.as_ref().is_some_and(|b| b.encoding.is_typed()));
    let body_kind = typed_body.then(|| quote! { use ::apigen_runtime::server::body::BodyKind; });
    let param = operations
        .iter()
        .any(|op| !op.parameters.is_empty())
        .then(|| quote! { use ::apigen_runtime::server::Param; });
    quote! {
        /// Reading each operation's request into its input, then calling the implementation.
        mod #module {
            use super::*;
            #body_kind
            #param
            use ::apigen_runtime::server::{Incoming, IntoReply};
            use ::std::sync::Arc;

            #(#handlers)*
        }
    }
}

fn handler(op: &Operation, bound: &TokenStream) -> TokenStream {
    let name = ident(&op.name);
    let input = ident(&op.server.input);
    let mut reads = Vec::new();
    let mut fields = Vec::new();
    for parameter in &op.parameters {
        reads.push(read_parameter(parameter));
        fields.push(ident(&parameter.name));
    }
    if let Some(body) = &op.request {
        reads.push(read_body(body));
        fields.push(syn::Ident::new("body", proc_macro2::Span::call_site()));
    }
    let binding = if fields.is_empty() {
        quote! { let inputs }
    } else {
        quote! { let mut inputs }
    };
    // The credentials are checked first: a request without them is a 401 whatever else is wrong.
    let (authenticate, auth_field) = match (&op.auth_field, super::security::requirement(&op.security)) {
        (Some(field), Some(requirement)) => {
            let field = ident(field);
            (
                Some(quote! { let #field = incoming.authenticate(&SECURITY_SCHEMES, #requirement)?; }),
                Some(field),
            )
        }
        _ => (None, None),
    };
    let build = if fields.is_empty() {
        quote! { let input = Some(#input { #auth_field }); }
    } else {
        let patterns = fields.iter().map(|field| quote! { Some(#field) });
        quote! {
            let input = match (#(#reads,)*) {
                (#(#patterns,)*) => Some(#input { #(#fields,)* #auth_field }),
                _ => None,
            };
        }
    };
    let allow_deprecated = op.deprecated.then(|| quote! { #[allow(deprecated)] });
    quote! {
        #allow_deprecated
        pub(super) async fn #name<S: #bound>(api: Arc<S>, incoming: Incoming) -> Result<Reply, Rejection> {
            #authenticate
            #binding = incoming.inputs();
            #build
            let input = inputs.finish(input)?;
            api.#name(input, incoming.into_head()).await?.into_reply()
        }
    }
}

/// `inputs.param(..)` for one parameter: `Some(value)` once read, `None` when it failed.
fn read_parameter(parameter: &Parameter) -> TokenStream {
    let wire = &parameter.wire_name;
    let mut param = match parameter.location {
        ParameterLocation::Path => quote! { Param::path(#wire) },
        ParameterLocation::Query => quote! { Param::query(#wire) },
        ParameterLocation::Header => quote! { Param::header(#wire) },
        ParameterLocation::Cookie => quote! { Param::cookie(#wire) },
    };
    if let (Shape::Array(_), Some(separator)) = (&parameter.ty.shape, parameter.separator) {
        let separator = Literal::character(separator);
        param = quote! { #param.split(#separator) };
    }
    let required = parameter.required || parameter.location == ParameterLocation::Path;
    match (&parameter.default, required) {
        (Some(default), false) => {
            let default = default.to_string();
            quote! { inputs.param_or(#param, #default) }
        }
        (_, true) => quote! { inputs.param(#param, true).flatten() },
        (None, false) => quote! { inputs.param(#param, false) },
    }
}

fn read_body(body: &Body) -> TokenStream {
    let media = media_types(body);
    let required = body.required;
    let read = match body.encoding {
        Encoding::Json => quote! { inputs.body(BodyKind::Json, &[#media], #required) },
        Encoding::Form => quote! { inputs.body(BodyKind::Form, &[#media], #required) },
        Encoding::Multipart => quote! { inputs.body(BodyKind::Multipart, &[#media], #required) },
        Encoding::Text => quote! { inputs.text(&[#media], #required) },
        Encoding::Binary => quote! { inputs.bytes(&[#media], #required) },
    };
    if required {
        quote! { #read.flatten() }
    } else {
        read
    }
}

fn media_types(body: &Body) -> TokenStream {
    let media = &body.media_type;
    quote! { #media }
}

/// Whether a parameter arrives as `Option` (absent is allowed and has no default).
fn is_optional(parameter: &Parameter) -> bool {
    parameter.location != ParameterLocation::Path && !parameter.required && parameter.default.is_none()
}

/// The type of a parameter's value.
fn parameter_type(parameter: &Parameter) -> TokenStream {
    let ty = value_type(
        &Ty {
            nullable: false,
            ..parameter.ty.clone()
        },
        &quote! { models:: },
    );
    if is_optional(parameter) {
        quote! { Option<#ty> }
    } else {
        ty
    }
}

/// The type of a request body as a handler gets it.
fn body_type(body: &Body) -> TokenStream {
    let ty = match (body.encoding, &body.ty) {
        (Encoding::Text, _) => quote! { String },
        (Encoding::Binary, _) => quote! { ::apigen_runtime::server::Bytes },
        (_, Some(ty)) => value_type(ty, &quote! { models:: }),
        (_, None) => quote! { ::serde_json::Value },
    };
    if body.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// An operation's input struct and its `Validate` impl.
pub fn input(op: &Operation, checkable: &Checkable<'_>) -> TokenStream {
    let name = ident(&op.server.input);
    let doc = doc_line(&format!(
        "The inputs of `{}`, read from the request and checked against the document.",
        op.name.as_str()
    ));
    let parameter_fields = op.parameters.iter().map(|parameter| {
        let field = ident(&parameter.name);
        let ty = parameter_type(parameter);
        let mut docs = DocText::from_docs(&parameter.docs);
        let place = match parameter.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        docs.own(&format!("The {place} parameter `{}`.", code(&parameter.wire_name)));
        docs.constraints(&parameter.ty.constraints, parameter.default.as_ref());
        let docs = docs.attributes(false);
        quote! { #docs pub #field: #ty, }
    });
    let body_field = op.request.as_ref().map(|body| {
        let ty = body_type(body);
        let doc = doc_line(&format!("The request body (`{}`).", code(&body.media_type)));
        quote! { #doc pub body: #ty, }
    });
    let auth_field = op.auth_field.as_ref().map(|field| {
        let field = ident(field);
        let doc = doc_line(&format!(
            "The credentials the request presented, for the first alternative of `{}`'s security requirement it meets: present, not yet verified.",
            op.name.as_str()
        ));
        quote! { #doc pub #field: Authentication, }
    });
    let checks = input_checks(op, checkable);
    let validate = validate::implementation(&name, checks);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#parameter_fields)*
            #body_field
            #auth_field
        }

        #validate
    }
}

/// The checks of an input's documented constraints: each parameter's at `/<name>`, the body's
/// from the root (as the client checks them before sending).
fn input_checks(op: &Operation, checkable: &Checkable<'_>) -> TokenStream {
    let mut checks = Vec::new();
    for parameter in &op.parameters {
        let field = ident(&parameter.name);
        checks.extend(validate::parameter_check(
            parameter,
            quote! { self.#field },
            is_optional(parameter),
            checkable,
        ));
    }
    let body = op.request.as_ref().filter(|body| body.encoding.is_typed());
    if let Some(body) = body
        && let Some(ty) = &body.ty
    {
        // An optional body that may be null is checked through one pattern, `Some(Some(value))`:
        // two nested `if let`s are clippy's `collapsible_if`.
        let through_both = !body.required && ty.nullable && !matches!(ty.shape, Shape::Named(_));
        let checked = Ty {
            nullable: ty.nullable && !through_both,
            ..ty.clone()
        };
        let check = match ty.shape {
            Shape::Named(_) => Some(quote! { ::apigen_runtime::Validate::validate_at(value, at, out); }),
            _ => validate::value_checks(&checked, quote! { value }, checkable),
        };
        if let Some(check) = check {
            checks.push(match (body.required, through_both) {
                (true, _) => quote! { { let value = &self.body; #check } },
                (false, true) => quote! { if let Some(Some(value)) = &self.body { #check } },
                (false, false) => quote! { if let Some(value) = &self.body { #check } },
            });
        }
    }
    quote! { #(#checks)* }
}

/// What a documented response carries on the server side.
pub(super) enum Carried {
    Nothing,
    Json(TokenStream, String),
    Text(String),
    Bytes(String),
}

pub(super) fn carried(body: Option<&Body>) -> Carried {
    let Some(body) = body else {
        return Carried::Nothing;
    };
    // A wildcard says what a client may get, not what a server sends.
    let media = if body.media_type.contains('*') {
        "application/octet-stream".to_owned()
    } else {
        body.media_type.clone()
    };
    match body.encoding {
        Encoding::Json => {
            let ty = match &body.ty {
                Some(ty) => value_type(ty, &quote! { models:: }),
                None => quote! { ::serde_json::Value },
            };
            Carried::Json(ty, media)
        }
        Encoding::Text => Carried::Text(media),
        Encoding::Binary | Encoding::Form | Encoding::Multipart => Carried::Bytes(media),
    }
}

impl Carried {
    fn ty(&self) -> Option<TokenStream> {
        match self {
            Carried::Nothing => None,
            Carried::Json(ty, _) => Some(ty.clone()),
            Carried::Text(_) => Some(quote! { String }),
            Carried::Bytes(_) => Some(quote! { ::apigen_runtime::server::Bytes }),
        }
    }

    /// The start of the reply (`reply::json(status, media, &body)`), given the status expression.
    fn writer(&self, status: TokenStream) -> TokenStream {
        match self {
            Carried::Nothing => quote! { ::apigen_runtime::server::reply::empty(#status) },
            Carried::Json(_, media) => quote! { ::apigen_runtime::server::reply::json(#status, #media, &body) },
            Carried::Text(media) => quote! { ::apigen_runtime::server::reply::text(#status, #media, body) },
            Carried::Bytes(media) => quote! { ::apigen_runtime::server::reply::bytes(#status, #media, body) },
        }
    }
}

/// Whether a response's variant carries the status (a class or `default` covers several).
pub(super) fn carries_status(response: &Response) -> bool {
    !matches!(response.status, Status::Code(_))
}

/// An operation's response enum and how it is written.
pub fn response(op: &Operation) -> TokenStream {
    let name = ident(&op.server.response);
    let doc = doc_line(&format!(
        "The documented answers of `{}`, one variant per response.",
        op.name.as_str()
    ));
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for response in &op.responses {
        let variant = ident(&response.variant);
        let carried = carried(response.body.as_ref());
        let mut docs = DocText::default();
        docs.paragraph(response.description.trim());
        match response.status {
            Status::Code(code) => docs.own(&format!("Status {code}.")),
            Status::Range(class) => docs.own(&format!("Any status {class}xx.")),
            Status::Default => docs.own("Any status the other variants do not cover."),
        };
        let docs = docs.attributes(false);
        let status_value = match response.status {
            Status::Code(code) => {
                let code = Literal::u16_suffixed(code);
                quote! { #code }
            }
            _ => quote! { status },
        };
        let writer = carried.writer(status_value);
        let headers: Vec<_> = response
            .headers
            .iter()
            .map(|header| {
                let field = ident(&header.name);
                let wire = &header.wire_name;
                let mut docs = DocText::default();
                if let Some(description) = &header.description {
                    docs.paragraph(description);
                }
                docs.own(&format!("The `{}` header.", code(wire)));
                let docs = docs.attributes(false);
                let ty = if header.required {
                    quote! { String }
                } else {
                    quote! { Option<String> }
                };
                (quote! { #docs #field: #ty, }, quote! { .header(#wire, #field) }, field)
            })
            .collect();
        let plain = headers.is_empty() && !carries_status(response);
        if plain {
            match carried.ty() {
                Some(ty) => {
                    variants.push(quote! { #docs #variant(#ty), });
                    arms.push(quote! { #name::#variant(body) => #writer.finish(), });
                }
                None => {
                    variants.push(quote! { #docs #variant, });
                    arms.push(quote! { #name::#variant => #writer.finish(), });
                }
            }
            continue;
        }
        let status_field = carries_status(response).then(|| {
            quote! {
                /// The status answered.
                status: StatusCode,
            }
        });
        let status_binding = carries_status(response).then(|| quote! { status, });
        let body_field = carried.ty().map(|ty| {
            quote! {
                /// The body.
                body: #ty,
            }
        });
        let body_binding = carried.ty().map(|_| quote! { body, });
        let header_fields = headers.iter().map(|(field, _, _)| field);
        let header_calls = headers.iter().map(|(_, call, _)| call);
        let header_bindings = headers.iter().map(|(_, _, field)| field);
        variants.push(quote! { #docs #variant { #status_field #body_field #(#header_fields)* }, });
        arms.push(quote! {
            #name::#variant { #status_binding #body_binding #(#header_bindings,)* } => #writer #(#header_calls)*.finish(),
        });
    }
    if let Some(fallback) = &op.server.undocumented {
        let variant = ident(fallback);
        variants.push(quote! {
            /// Any answer: the document lists no responses for this operation.
            #variant {
                /// The status answered.
                status: StatusCode,
                /// The body, as bytes.
                body: ::apigen_runtime::server::Bytes,
            },
        });
        arms.push(quote! {
            #name::#variant { status, body } => ::apigen_runtime::server::reply::bytes(status, "application/octet-stream", body).finish(),
        });
    }
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        // One value per answer, moved once into its reply: boxing the large variants would only make
        // handlers write `Box::new`.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl ::apigen_runtime::server::IntoReply for #name {
            fn into_reply(self) -> Result<Reply, Rejection> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
