//! The client crate: a `Client` with one method per operation, each returning a call builder that
//! is sent by `.send()` or `.await`. Transport, auth, retries and errors are the runtime's; this
//! file writes only what differs per operation: parameters, the body, and what each status means.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::call::{ClientNames, body_is_typed, body_type, optional, parameter_type, positional};
use super::dispatch::{dispatch, failure_type, success_type};
use super::docs::{DocText, code, doc_line};
use super::doctest::method_docs;
use super::literal::Literals;
use super::security;
use super::synth::Synth;
use super::types::ident;
use super::validate::{self, Checkable};
use crate::ir::{Api, Encoding, Method, Operation, Parameter, ParameterLocation, Shape, Ty};

/// The items every client crate's `lib.rs` holds after its crate docs: re-exports, servers, and
/// `Client` with `methods` (the operations' methods, when they live in `lib.rs` too).
pub fn root(api: &Api, names: &ClientNames<'_>, methods: TokenStream) -> TokenStream {
    let models = names.models;
    let servers = servers(api);
    let schemes = security::scheme_table(api);
    let transport = if api.security_schemes.is_empty() {
        quote! { ::apigen_runtime::for_generated_code::Transport::new(config)? }
    } else {
        quote! { ::apigen_runtime::for_generated_code::Transport::with_schemes(config, &SECURITY_SCHEMES)? }
    };
    let service_type = api.openstack_service_type.as_ref().map(|service| {
        let doc = doc_line(&format!(
            "The OpenStack service type, for `Config::openstack_microversion(SERVICE_TYPE, \"3.N\")` or a call's `.microversion(\"3.N\")`: requests then carry `OpenStack-API-Version: {} 3.N`.",
            code(service)
        ));
        quote! { #doc pub const SERVICE_TYPE: &str = #service; }
    });
    quote! {
        pub use ::#models as models;
        pub use ::#models::{Binary, Nullable, Validate, ValidationError, Violation};
        pub use ::apigen_runtime::client::{
            Config, ConfigError, Credential, Credentials, Error, ErrorBody, Middleware, Response, RetryPolicy, Secret,
            TokenSource, Undocumented, middleware,
        };

        #servers
        #service_type
        #schemes

        /// A client of the API. Cheap to clone: clones share one configuration and connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: ::apigen_runtime::for_generated_code::Transport,
        }

        impl Client {
            /// A client from its configuration; fails on an endpoint that is not an absolute
            /// http(s) URL.
            pub fn new(config: Config) -> Result<Self, ConfigError> {
                Ok(Client { transport: #transport })
            }

            /// The configuration this client was made with.
            pub fn config(&self) -> &Config {
                self.transport.config()
            }

            #methods
        }
    }
}

/// The methods of `operations`, to go inside an `impl Client` block.
pub fn methods<'o>(api: &Api, operations: impl Iterator<Item = &'o Operation>, names: &ClientNames<'_>) -> TokenStream {
    let literals = Literals::new(&api.types, quote! { models:: });
    let synth = Synth::new(&api.types);
    let methods = operations.map(|op| method(api, op, names, (&literals, &synth)));
    quote! { #(#methods)* }
}

/// `server_url(...)` and `DEFAULT_SERVER_URL` for the first server.
fn servers(api: &Api) -> TokenStream {
    let Some(server) = api.servers.first() else {
        return TokenStream::new();
    };
    let mut default_url = server.url.clone();
    let mut format = server.url.replace('{', "{{").replace('}', "}}");
    // A variable is captured by the format string (`{region}`), but a raw identifier cannot be,
    // so it is passed as an argument (`{}` with `r#type`).
    let mut arguments = Vec::new();
    for variable in &server.variables {
        default_url = default_url.replace(&format!("{{{}}}", variable.wire_name), &variable.default);
        let placeholder = if variable.name.is_raw() {
            arguments.push(ident(&variable.name));
            "{}".to_owned()
        } else {
            format!("{{{}}}", variable.name.as_str())
        };
        format = format.replace(&format!("{{{{{}}}}}", variable.wire_name), &placeholder);
    }
    let mut docs = DocText::default();
    docs.paragraph(&format!(
        "The URL of the server `{}`, with its variables filled in.",
        server.url
    ));
    if let Some(description) = &server.description {
        docs.paragraph(description);
    }
    let lines: Vec<String> = server
        .variables
        .iter()
        .map(|v| {
            let allowed = if v.allowed.is_empty() {
                String::new()
            } else {
                format!("; one of `{}`", v.allowed.join("`, `"))
            };
            let description = v.description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
            format!(
                "- `{}` (default `{}`{allowed}){description}",
                v.name.as_str(),
                v.default
            )
        })
        .collect();
    if !lines.is_empty() {
        docs.paragraph(&lines.join("\n"));
    }
    let doc = docs.attributes(false);
    let params = server.variables.iter().map(|v| {
        let name = ident(&v.name);
        quote! { #name: &str }
    });
    let default_doc = doc_line(&format!(
        "The URL of the server `{}` with every variable at its default.",
        code(&server.url)
    ));
    let body = if server.variables.is_empty() {
        quote! { #default_url.to_owned() }
    } else {
        quote! { format!(#format #(, #arguments)*) }
    };
    quote! {
        #doc
        pub fn server_url(#(#params),*) -> String {
            #body
        }

        #default_doc
        pub const DEFAULT_SERVER_URL: &str = #default_url;
    }
}

fn method(api: &Api, op: &Operation, names: &ClientNames<'_>, values: (&Literals<'_>, &Synth<'_>)) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let positional = positional(op);
    let optional = optional(op);
    let params = positional.iter().map(|p| {
        let name = ident(&p.name);
        let ty = parameter_type(p);
        quote! { #name: #ty }
    });
    let body_param = body_type(op).map(|ty| {
        if op.request.as_ref().is_some_and(|b| b.required) {
            quote! { body: &'a #ty }
        } else {
            TokenStream::new()
        }
    });
    let body_param = body_param.filter(|t| !t.is_empty());
    let fields = positional.iter().map(|p| ident(&p.name));
    let optional_fields = optional.iter().map(|p| ident(&p.name));
    let body_init = match (&body_param, body_type(op)) {
        (Some(_), _) => quote! { body, },
        (None, Some(_)) => quote! { body: None, },
        (None, None) => TokenStream::new(),
    };
    let docs = method_docs(api, op, names, values);
    let all_params: Vec<TokenStream> = params.chain(body_param).collect();
    let microversion_init = api
        .openstack_service_type
        .as_ref()
        .map(|_| quote! { microversion: None, });
    // Clippy's bound is seven arguments, `self` included; an operation with more required
    // parameters takes them all, by position, as the spec lists them.
    let many = (all_params.len() + 1 > 7).then(|| {
        let reason = format!(
            "one argument per required parameter: the spec gives `{}` {} of them",
            op.operation_id,
            all_params.len()
        );
        quote! { #[allow(clippy::too_many_arguments, reason = #reason)] }
    });
    quote! {
        #docs
        #many
        pub fn #name<'a>(&'a self, #(#all_params),*) -> #builder<'a> {
            #builder {
                client: self,
                #(#fields,)*
                #(#optional_fields: None,)*
                #body_init
                #microversion_init
            }
        }
    }
}

/// The call builder of one operation: its type, setters, `send` and `IntoFuture`.
pub fn builder(api: &Api, op: &Operation, checkable: &Checkable<'_>) -> TokenStream {
    let name = ident(&op.builder);
    let (success_ty, success_def) = success_type(op);
    let (failure_ty, failure_def) = failure_type(op);
    let positional = positional(op);
    let optional = optional(op);
    let positional_fields = positional.iter().map(|p| {
        let field = ident(&p.name);
        let ty = parameter_type(p);
        quote! { #field: #ty, }
    });
    let optional_fields = optional.iter().map(|p| {
        let field = ident(&p.name);
        let ty = parameter_type(p);
        quote! { #field: Option<#ty>, }
    });
    let body_required = body_type(op).is_some() && op.request.as_ref().is_some_and(|b| b.required);
    let body_field = body_type(op).map(|ty| {
        if body_required {
            quote! { body: &'a #ty, }
        } else {
            quote! { body: Option<&'a #ty>, }
        }
    });
    let setters = optional.iter().map(|p| {
        let field = ident(&p.name);
        let ty = parameter_type(p);
        let mut docs = DocText::default();
        if p.client_default {
            docs.own(&format!(
                "Sets `{}` for this call instead of the client's default.",
                code(&p.wire_name)
            ));
        } else {
            docs.own(&format!(
                "Sets the {} parameter `{}`.",
                location_word(p.location),
                code(&p.wire_name)
            ));
            if let Some(description) = &p.docs.description {
                docs.paragraph(description);
            }
            docs.constraints(&p.ty.constraints, None);
        }
        let doc = docs.attributes(false);
        let lint = super::types::setter_lint(&p.name);
        quote! {
            #doc
            #lint
            pub fn #field(mut self, value: #ty) -> Self {
                self.#field = Some(value);
                self
            }
        }
    });
    let body_setter = match (body_type(op), op.request.as_ref().is_some_and(|b| b.required)) {
        (Some(ty), false) => quote! {
            /// Sets the request body.
            pub fn body(mut self, body: &'a #ty) -> Self {
                self.body = Some(body);
                self
            }
        },
        _ => TokenStream::new(),
    };
    let microversion_setter = api.openstack_service_type.as_ref().map(|service| {
        let doc = doc_line(&format!(
            "Sends `OpenStack-API-Version: {} {{version}}` with this call, overriding the client's microversion.",
            code(service)
        ));
        quote! {
            #doc
            pub fn microversion(mut self, version: &'a str) -> Self {
                self.microversion = Some(version);
                self
            }
        }
    });
    let microversion_header = api.openstack_service_type.as_ref().map(|service| {
        let value = format!("{} {{version}}", service.replace('{', "{{").replace('}', "}}"));
        quote! {
            if let Some(version) = self.microversion {
                request = request.header("OpenStack-API-Version", format!(#value));
            }
        }
    });
    let microversion_field = api
        .openstack_service_type
        .as_ref()
        .map(|_| quote! { microversion: Option<&'a str>, });
    let method = method_const(op.method);
    let op_name = op.name.as_str();
    let path = &op.path;
    let path_values = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
        .map(|p| {
            let field = ident(&p.name);
            let wire = &p.wire_name;
            match (p.ty.shape == Shape::String, p.client_default) {
                (true, false) => (TokenStream::new(), quote! { .path(#wire, Some(self.#field)) }),
                (true, true) => (TokenStream::new(), quote! { .path(#wire, self.#field) }),
                (false, false) if is_display(&p.ty) => {
                    (TokenStream::new(), quote! { .path_display(#wire, self.#field) })
                }
                (false, false) => (TokenStream::new(), quote! { .path_text(#wire, &self.#field) }),
                (false, true) => {
                    // A value the client's configuration may give instead: formatted into a local
                    // when the call has one, so the borrow outlives the request.
                    let local = format_ident!("{}_text", p.name.as_str());
                    let text = if is_display(&p.ty) {
                        quote! { v.to_string() }
                    } else {
                        as_text(quote! { v }, &p.ty)
                    };
                    (
                        quote! { let #local = self.#field.map(|v| #text); },
                        quote! { .path(#wire, #local.as_deref()) },
                    )
                }
            }
        });
    let (path_locals, path_calls): (Vec<_>, Vec<_>) = path_values.unzip();
    // Required scalar parameters and a required body chain onto the request; the rest need
    // statements, and only then is `request` mutable.
    let mut chained: Vec<TokenStream> = Vec::new();
    let mut statements: Vec<TokenStream> = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location != ParameterLocation::Path) {
        let field = ident(&p.name);
        let wire = &p.wire_name;
        let is_array = matches!(p.ty.shape, Shape::Array(_));
        let add = |value: TokenStream| match p.location {
            ParameterLocation::Cookie => quote! { .cookie(#wire, #value) },
            ParameterLocation::Header => quote! { .header(#wire, #value) },
            _ => quote! { .query(#wire, #value) },
        };
        if p.required && !is_array {
            chained.push(add(as_text(quote! { self.#field }, &p.ty)));
            continue;
        }
        if !p.required && !is_array {
            // An optional scalar chains too: the runtime's `query_if` (and `header_if`,
            // `cookie_if`) adds it only when set.
            let display = is_display(&p.ty);
            let value = if display {
                quote! { self.#field }
            } else {
                quote! { self.#field.as_ref() }
            };
            chained.push(match (p.location, display) {
                (ParameterLocation::Cookie, true) => quote! { .cookie_if(#wire, #value) },
                (ParameterLocation::Cookie, false) => quote! { .cookie_text_if(#wire, #value) },
                (ParameterLocation::Header, true) => quote! { .header_if(#wire, #value) },
                (ParameterLocation::Header, false) => quote! { .header_text_if(#wire, #value) },
                (_, true) => quote! { .query_if(#wire, #value) },
                (_, false) => quote! { .query_text_if(#wire, #value) },
            });
            continue;
        }
        let one = match (&p.ty.shape, p.separator) {
            (Shape::Array(item), None) => {
                let call = add(as_text(quote! { item }, item));
                quote! { for item in value { request = request #call; } }
            }
            (Shape::Array(item), Some(separator)) => {
                // `join` takes `String`s.
                let text = if is_display(item) {
                    quote! { item.to_string() }
                } else {
                    as_text(quote! { item }, item)
                };
                let separator = separator.to_string();
                let call = add(quote! { joined });
                quote! {
                    let joined = value.iter().map(|item| #text).collect::<Vec<_>>().join(#separator);
                    request = request #call;
                }
            }
            (_, _) => {
                let call = add(as_text(quote! { value }, &p.ty));
                quote! { request = request #call; }
            }
        };
        statements.push(if p.required {
            quote! { let value = self.#field; #one }
        } else {
            quote! { if let Some(value) = self.#field { #one } }
        });
    }
    let invalid = quote! { ? };
    let validate = validation(op, &optional, body_required, checkable, &invalid);
    let send_doc = doc_line(send_summary(
        op.request.is_some() && body_is_typed(op),
        validate.is_some(),
    ));
    let content_type = op.request.as_ref().map(|b| b.media_type.clone()).unwrap_or_default();
    if let Some(request_body) = op.request.as_ref() {
        let attach = |body: TokenStream| match request_body.encoding {
            Encoding::Json => quote! { .json(#body, #content_type)? },
            Encoding::Form => quote! { .form(#body, #content_type)? },
            Encoding::Multipart => quote! { .multipart(#body)? },
            Encoding::Text => quote! { .text(#body, #content_type) },
            Encoding::Binary => quote! { .bytes(#body, #content_type) },
        };
        if body_required {
            chained.push(attach(quote! { self.body }));
        } else {
            let call = attach(quote! { body });
            statements.push(quote! { if let Some(body) = self.body { request = request #call; } });
        }
    }
    if let Some(header) = microversion_header {
        statements.push(header);
    }
    let binding = if statements.is_empty() {
        quote! { let request }
    } else {
        quote! { let mut request }
    };
    let dispatch = dispatch(op);
    let accept = match accept(op) {
        Some(types) => quote! { Some(#types) },
        None => quote! { None },
    };
    let security = security::requirement(&op.security).map(|s| quote! { .with_security(#s) });
    let output = quote! { Result<Response<#success_ty>, Error<#failure_ty>> };
    let doc = doc_line(&format!(
        "A `{}` call: set its optional parts, then `.send()` or `.await` it.",
        op.name.as_str()
    ));
    quote! {
        #success_def
        #failure_def

        #doc
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is sent or awaited"]
        pub struct #name<'a> {
            client: &'a Client,
            #(#positional_fields)*
            #(#optional_fields)*
            #body_field
            #microversion_field
        }

        impl<'a> #name<'a> {
            #(#setters)*
            #body_setter
            #microversion_setter

            #send_doc
            pub async fn send(self) -> #output {
                static OPERATION: ::apigen_runtime::for_generated_code::Operation = ::apigen_runtime::for_generated_code::Operation::new(
                    #op_name,
                    ::apigen_runtime::for_generated_code::Method::#method,
                    #path,
                    #accept,
                ) #security;
                #validate
                #(#path_locals)*
                #binding = ::apigen_runtime::for_generated_code::Request::new(&OPERATION) #(#path_calls)* #(#chained)*;
                #(#statements)*
                let response = self.client.transport.send(request).await?;
                #dispatch
            }
        }

        ::apigen_runtime::call_into_future!(#name, #output);
    }
}

/// The checks of a call's documented constraints before anything is sent: each parameter's (at
/// `/<name>`) and the body's (from the root), all violations reported together. A body of a
/// named type alone validates itself; otherwise the checks are generated here, as a struct's
/// fields' are.
fn validation(
    op: &Operation,
    optional: &[&Parameter],
    body_required: bool,
    checkable: &Checkable<'_>,
    invalid: &TokenStream,
) -> Option<TokenStream> {
    let parameters: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter_map(|p| {
            let field = ident(&p.name);
            let is_optional = optional.iter().any(|o| o.name == p.name);
            validate::parameter_check(p, quote! { self.#field }, is_optional, checkable)
        })
        .collect();
    let body_ty = op
        .request
        .as_ref()
        .and_then(|b| b.ty.as_ref())
        .filter(|_| body_is_typed(op));
    let body = body_ty.and_then(|ty| {
        // An optional body that may be null is checked through one pattern, `Some(Some(value))`:
        // two nested `if let`s are clippy's `collapsible_if`.
        let through_both = !body_required && ty.nullable && !matches!(ty.shape, Shape::Named(_));
        let checked = Ty {
            nullable: ty.nullable && !through_both,
            ..ty.clone()
        };
        let (value, checks) = match ty.shape {
            Shape::Named(_) => (
                quote! { body },
                quote! { ::apigen_runtime::Validate::validate_at(body, at, out); },
            ),
            _ => (
                quote! { value },
                validate::value_checks(&checked, quote! { value }, checkable)?,
            ),
        };
        Some(match (body_required, through_both) {
            (true, _) => quote! { { let #value = self.body; #checks } },
            (false, true) => quote! { if let Some(Some(#value)) = self.body { #checks } },
            (false, false) => quote! { if let Some(#value) = self.body { #checks } },
        })
    });
    if parameters.is_empty()
        && let Some(Ty {
            shape: Shape::Named(_), ..
        }) = body_ty
    {
        return Some(if body_required {
            quote! { ::apigen_runtime::Validate::validate(self.body) #invalid; }
        } else {
            quote! { if let Some(body) = self.body { ::apigen_runtime::Validate::validate(body) #invalid; } }
        });
    }
    if parameters.is_empty() && body.is_none() {
        return None;
    }
    let import = validate::import_for(&quote! { #(#parameters)* #body });
    Some(
        quote! { ::apigen_runtime::for_generated_code::validate::check(|at, out| { #import #(#parameters)* #body }) #invalid; },
    )
}

/// What `send` does first, in words that hold for this operation: only a call with a body says it
/// validates one.
fn send_summary(has_body: bool, checks: bool) -> &'static str {
    match (has_body, checks) {
        (true, true) => {
            "Validates the body against its documented constraints, sends the request (retrying as the client's policy allows) and decodes the documented response."
        }
        (false, true) => {
            "Checks the parameters against their documented constraints, sends the request (retrying as the client's policy allows) and decodes the documented response."
        }
        (_, false) => "Sends the request (retrying as the client's policy allows) and decodes the documented response.",
    }
}

/// The `Accept` of an operation: the media types of its documented response bodies (the ones the
/// generated code decodes), each once, in document order. A media type that is not printable ASCII
/// cannot be a header value and is left out.
fn accept(op: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    for body in op.responses.iter().filter_map(|r| r.body.as_ref()) {
        let printable = body.media_type.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
        if printable && !body.media_type.trim().is_empty() && !types.contains(&body.media_type.as_str()) {
            types.push(&body.media_type);
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}

fn location_word(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

fn method_const(method: Method) -> syn::Ident {
    format_ident!("{}", method.as_str())
}

/// An expression of text (`impl ToString`) for a parameter value `value` of type `ty`: strings and
/// numbers as they are, anything richer through the runtime's `param_text`.
fn as_text(value: TokenStream, ty: &Ty) -> TokenStream {
    if is_display(ty) {
        value
    } else {
        quote! { ::apigen_runtime::for_generated_code::param_text(&#value) }
    }
}

/// Whether a value of `ty` is written as a parameter by its own `Display`.
fn is_display(ty: &Ty) -> bool {
    matches!(
        ty.shape,
        Shape::String | Shape::Integer(_) | Shape::Number(_) | Shape::Boolean
    ) && !ty.nullable
}
