//! The client crate: a `Client` with one method per operation, each returning a call builder that
//! is sent by `.send()` or `.await`. Transport, auth, retries and errors are the runtime's; this
//! file writes only what differs per operation: parameters, the body, and what each status means.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::docs::{DocText, code, doc_line};
use super::literal::{Literals, Position, json_macro};
use super::types::{ident, value_type};
use super::validate::{self, Checkable};
use crate::ir::{
    Api, Encoding, Method, Name, Operation, Outcome, Parameter, ParameterLocation, Payload, Response, Shape, Status,
    StatusVariant, Ty,
};

/// What the client emitter needs to know besides the IR.
pub struct ClientNames<'a> {
    /// The client crate's Rust name (`dws_client`).
    pub krate: &'a syn::Ident,
    /// The models crate's Rust name (`dws_models`).
    pub models: &'a syn::Ident,
}

/// The items every client crate's `lib.rs` holds after its crate docs: re-exports, servers, and
/// `Client` with `methods` (the operations' methods, when they live in `lib.rs` too).
pub fn root(api: &Api, names: &ClientNames<'_>, methods: TokenStream) -> TokenStream {
    let models = names.models;
    let servers = servers(api);
    let service_type = api.openstack_service_type.as_ref().map(|service| {
        let doc = doc_line(&format!(
            "The OpenStack service type, for `Config::openstack_microversion(SERVICE_TYPE, \"3.N\")` or a call's `.microversion(\"3.N\")`: requests then carry `OpenStack-API-Version: {} 3.N`.",
            code(service)
        ));
        quote! { #doc pub const SERVICE_TYPE: &str = #service; }
    });
    quote! {
        pub use ::#models as models;
        pub use ::apigen_runtime::client::{
            Config, ConfigError, Credentials, Error, ErrorBody, Response, RetryPolicy, Secret, Undocumented,
        };

        #servers
        #service_type

        /// A client of the API. Cheap to clone: clones share one configuration and connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: ::apigen_runtime::client::Transport,
        }

        impl Client {
            /// A client from its configuration; fails on an endpoint that is not an absolute
            /// http(s) URL.
            pub fn new(config: Config) -> Result<Self, ConfigError> {
                Ok(Client { transport: ::apigen_runtime::client::Transport::new(config)? })
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
    let methods = operations.map(|op| method(api, op, names, &literals));
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

/// Parameters the caller must give, in order: path (without a client default), then required
/// query and header parameters.
fn positional(op: &Operation) -> Vec<&Parameter> {
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
fn optional(op: &Operation) -> Vec<&Parameter> {
    op.parameters
        .iter()
        .filter(|p| {
            (p.location == ParameterLocation::Path && p.client_default)
                || (p.location != ParameterLocation::Path && !p.required)
        })
        .collect()
}

/// The type a parameter is taken as: `&'a str` for strings, the value type otherwise.
fn parameter_type(parameter: &Parameter) -> TokenStream {
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
fn body_type(op: &Operation) -> Option<TokenStream> {
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
fn body_is_typed(op: &Operation) -> bool {
    op.request.as_ref().is_some_and(|b| b.encoding.is_typed())
}

/// The Rust type a payload decodes into.
fn payload_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(ty) => value_type(ty, &quote! { models:: }),
        Payload::Text => quote! { String },
        Payload::Binary => quote! { ::apigen_runtime::client::Bytes },
    }
}

/// `response.json::<T, _>()` and the like.
fn decode(payload: &Payload) -> TokenStream {
    let ty = payload_type(payload);
    match payload {
        Payload::Json(_) => quote! { response.json::<#ty, _>() },
        Payload::Text => quote! { response.text() },
        Payload::Binary => quote! { response.bytes() },
    }
}

fn status_suffix(status: &Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(class) => format!("{class}xx"),
        Status::Default => "Default".to_owned(),
    }
}

fn status_pattern(status: &Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(*code);
            quote! { #code }
        }
        Status::Range(class) => {
            let low = proc_macro2::Literal::u16_unsuffixed(u16::from(*class) * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(u16::from(*class) * 100 + 99);
            quote! { #low..=#high }
        }
        Status::Default => quote! { _ },
    }
}

/// The patterns of statuses that share an arm. Codes and classes that touch are merged into one
/// range (`500..=503`, `400..=599` for `4XX` and `5XX`), as a reader (and clippy) would write them;
/// two lone neighbouring codes stay two codes.
fn status_patterns(statuses: &[Status]) -> Vec<TokenStream> {
    let mut spans: Vec<(u16, u16, usize)> = statuses
        .iter()
        .filter_map(|status| match status {
            Status::Code(code) => Some((*code, *code, 1)),
            Status::Range(class) => Some((u16::from(*class) * 100, u16::from(*class) * 100 + 99, 3)),
            Status::Default => None,
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u16, u16, usize)> = Vec::new();
    for (low, high, weight) in spans {
        match merged.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => {
                last.1 = last.1.max(high);
                last.2 += weight;
            }
            _ => merged.push((low, high, weight)),
        }
    }
    let mut patterns = Vec::new();
    for (low, high, weight) in merged {
        if low == high || (weight == 2 && high == low + 1) {
            patterns.extend((low..=high).map(|code| status_pattern(&Status::Code(code))));
        } else {
            let (low, high) = (
                proc_macro2::Literal::u16_unsuffixed(low),
                proc_macro2::Literal::u16_unsuffixed(high),
            );
            patterns.push(quote! { #low..=#high });
        }
    }
    if statuses.contains(&Status::Default) {
        patterns.push(status_pattern(&Status::Default));
    }
    patterns
}

/// A response's description as the doc of its variant, laid out like every other doc.
fn response_doc(description: &str, status: &Status) -> TokenStream {
    let mut docs = DocText::default();
    docs.paragraph(description.trim());
    if docs.is_empty() {
        docs.paragraph(&format!("Status {}.", status_suffix(status)));
    }
    docs.attributes(false)
}

/// The success type (`T` of `Response<T>`) and, for several statuses, the enum that holds them.
fn success_type(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.successes {
        // Nothing says what a success holds: the body is handed over as it came.
        Outcome::Undocumented => (payload_type(&Payload::Binary), TokenStream::new()),
        Outcome::Empty => (quote! { () }, TokenStream::new()),
        Outcome::One(payload) => (payload_type(payload), TokenStream::new()),
        Outcome::PerStatus { name, variants } => {
            let doc = format!(
                "The documented successes of `{}`, one variant per status.",
                op.name.as_str()
            );
            (ident(name).into_token_stream(), per_status_enum(name, variants, &doc))
        }
    }
}

/// The error body type (`E` of `Error<E>`) and, for several, the enum that holds them.
fn failure_type(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.failures {
        Outcome::Undocumented | Outcome::Empty => (quote! { Undocumented }, TokenStream::new()),
        Outcome::One(payload) => (payload_type(payload), TokenStream::new()),
        Outcome::PerStatus { name, variants } => {
            let doc = format!(
                "The documented error bodies of `{}`, one variant per status.",
                op.name.as_str()
            );
            (ident(name).into_token_stream(), per_status_enum(name, variants, &doc))
        }
    }
}

/// A per-status enum: one variant per documented status, holding its body if it has one.
fn per_status_enum(name: &Name, variants: &[StatusVariant], doc: &str) -> TokenStream {
    let name = ident(name);
    let items = variants.iter().map(|variant| {
        let member = ident(&variant.name);
        let doc = response_doc(&variant.description, &variant.status);
        match &variant.payload {
            Some(payload) => {
                let ty = payload_type(payload);
                quote! { #doc #member(#ty), }
            }
            None => quote! { #doc #member, },
        }
    });
    // As for unions in the models: the bodies are held as they are, sizes unmeasured.
    let allow_size = if variants.iter().any(|v| v.payload.is_some()) {
        quote! { #[allow(clippy::large_enum_variant)] }
    } else {
        TokenStream::new()
    };
    let doc = doc_line(doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #allow_size
        pub enum #name { #(#items)* }
    }
}

/// What one status arm of the dispatch does; arms that do the same share one arm.
#[derive(PartialEq)]
enum Arm<'a> {
    /// A success without a body.
    Empty,
    /// The success body of the operation's one success type.
    One(&'a Payload),
    /// A success body as a variant of the per-status enum.
    Success(&'a StatusVariant),
    /// A documented error, its body the operation's one error type (or text).
    ApiError,
    /// A documented error whose body is a variant of the per-status enum.
    ApiErrorVariant(&'a StatusVariant),
    /// A documented error with no typed body while others have one.
    ApiErrorUntyped,
}

/// The variant of a per-status outcome that stands for `status`.
fn variant_of<'a>(outcome: &'a Outcome, status: &Status) -> Option<&'a StatusVariant> {
    match outcome {
        Outcome::PerStatus { variants, .. } => variants.iter().find(|v| v.status == *status),
        _ => None,
    }
}

/// The expression of an arm.
fn arm_expression(op: &Operation, arm: &Arm<'_>) -> TokenStream {
    match arm {
        Arm::Empty => quote! { response.empty() },
        Arm::One(Payload::Json(_)) => quote! { response.json() },
        Arm::One(payload) => decode(payload),
        Arm::Success(variant) => {
            let Outcome::PerStatus { name, .. } = &op.successes else {
                return TokenStream::new();
            };
            let (name, member) = (ident(name), ident(&variant.name));
            match &variant.payload {
                Some(payload) => {
                    let decode = decode(payload);
                    quote! { #decode.map(|r| r.map(#name::#member)) }
                }
                None => quote! { response.empty().map(|r| r.map(|()| #name::#member)) },
            }
        }
        Arm::ApiError => quote! { Err(response.api_error()) },
        Arm::ApiErrorVariant(variant) => {
            let Outcome::PerStatus { name, .. } = &op.failures else {
                return TokenStream::new();
            };
            let (name, member) = (ident(name), ident(&variant.name));
            let ty = variant.payload.as_ref().map(payload_type);
            quote! { Err(response.api_error_with(|body| ::serde_json::from_slice::<#ty>(body).ok().map(#name::#member))) }
        }
        Arm::ApiErrorUntyped => quote! { Err(response.api_error_with(|_| None)) },
    }
}

/// The `match` on the response status: documented successes decode, documented errors become
/// `Error::Api`, anything else `Error::UnexpectedStatus`.
fn dispatch(op: &Operation) -> TokenStream {
    let mut arms: Vec<(Vec<Status>, Arm<'_>)> = Vec::new();
    // Specific codes first, then ranges, then `default`, as OpenAPI orders their precedence.
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    for response in ordered {
        let arm = if response.status.is_success() {
            match &op.successes {
                Outcome::Undocumented | Outcome::Empty => Arm::Empty,
                Outcome::One(payload) => Arm::One(payload),
                per_status => match variant_of(per_status, &response.status) {
                    Some(variant) => Arm::Success(variant),
                    None => Arm::Empty,
                },
            }
        } else {
            match (&op.failures, variant_of(&op.failures, &response.status)) {
                (_, Some(variant)) => Arm::ApiErrorVariant(variant),
                (Outcome::PerStatus { .. }, None) => Arm::ApiErrorUntyped,
                _ => Arm::ApiError,
            }
        };
        // Consecutive statuses handled alike share one arm: `400 | 401 | 403 => ...`.
        match arms.last_mut() {
            Some((statuses, previous)) if *previous == arm && response.status != Status::Default => {
                statuses.push(response.status.clone())
            }
            _ => arms.push((vec![response.status.clone()], arm)),
        }
    }
    let mut arms: Vec<TokenStream> = arms
        .into_iter()
        .map(|(statuses, arm)| {
            let patterns = status_patterns(&statuses);
            let expression = arm_expression(op, &arm);
            quote! { #(#patterns)|* => #expression, }
        })
        .collect();
    let has_default = op.responses.iter().any(|r| r.status == Status::Default);
    if !has_default {
        arms.push(quote! { _ => Err(response.unexpected()), });
    }
    if op.successes == Outcome::Undocumented {
        // No success documented at all: any 2xx is one, its body returned as it came.
        arms.insert(0, quote! { 200..=299 => response.bytes(), });
    }
    quote! {
        match response.status() {
            #(#arms)*
        }
    }
}

fn method(api: &Api, op: &Operation, names: &ClientNames<'_>, literals: &Literals<'_>) -> TokenStream {
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
    let docs = method_docs(api, op, names, literals);
    let all_params: Vec<TokenStream> = params.chain(body_param).collect();
    let microversion_init = api
        .openstack_service_type
        .as_ref()
        .map(|_| quote! { microversion: None, });
    quote! {
        #docs
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

fn method_docs(api: &Api, op: &Operation, names: &ClientNames<'_>, literals: &Literals<'_>) -> TokenStream {
    let mut docs = DocText::from_docs(&op.docs);
    docs.paragraph(&format!("`{} {}`", op.method.as_str(), op.path));
    let mut lines = Vec::new();
    for response in &op.responses {
        let status = match &response.status {
            Status::Code(code) => code.to_string(),
            Status::Range(class) => format!("{class}XX"),
            Status::Default => "other statuses".to_owned(),
        };
        let description = response.description.trim().replace('\n', " ");
        lines.push(format!("- {status}: {description}"));
    }
    if !lines.is_empty() {
        docs.paragraph(&format!("Documented responses:\n{}", lines.join("\n")));
    }
    if op.successes == Outcome::Undocumented {
        docs.own("No success response is documented: a 2xx answer is returned as it came, its body as bytes.");
    }
    let mut text = docs;
    if let Some(example) = doc_example(api, op, names, literals) {
        text.own(&format!("# Example\n\n{example}"));
    }
    if op.deprecated {
        text.paragraph("Deprecated.");
    }
    text.attributes(false)
}

/// A compiled (`no_run`) doctest that sends the documented example request.
fn doc_example(api: &Api, op: &Operation, names: &ClientNames<'_>, literals: &Literals<'_>) -> Option<String> {
    let krate = names.krate;
    let endpoint = api.servers.first().map(|s| {
        let mut url = s.url.clone();
        for v in &s.variables {
            url = url.replace(&format!("{{{}}}", v.name), &v.default);
        }
        url
    });
    let endpoint = endpoint.unwrap_or_else(|| "http://localhost:8080".to_owned());
    let credentials = if api.signing_algorithm.is_some() {
        quote! { .credentials(Credentials::ak_sk("my-access-key", "my-secret-key")) }
    } else if api.token_header.is_some() {
        quote! { .credentials(Credentials::token("my-token")) }
    } else {
        TokenStream::new()
    };
    let defaults = op.parameters.iter().filter(|p| p.client_default).map(|p| {
        let value = p
            .example
            .as_ref()
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("my-{}", p.wire_name.replace('_', "-")));
        // The generic setter: the generator knows no parameter by name.
        let wire = &p.wire_name;
        quote! { .path_default(#wire, #value) }
    });
    let args: Vec<TokenStream> = positional(op)
        .iter()
        .map(|p| {
            let ty = Ty {
                nullable: false,
                ..p.ty.clone()
            };
            let value = p
                .example
                .clone()
                .unwrap_or_else(|| placeholder(&ty.shape, &p.wire_name));
            literals
                .expr(&value, &ty, Position::Argument)
                .unwrap_or_else(|| quote! { Default::default() })
        })
        .collect();
    let name = ident(&op.name);
    let request_example = op
        .request
        .as_ref()
        .and_then(|body| body.examples.first())
        .and_then(|&id| api.examples.get(id));
    let (body_stmt, body_arg) = match (op.request.as_ref().filter(|b| b.required), body_type(op)) {
        (Some(body), Some(_)) if body.encoding == Encoding::Text => {
            (quote! { let body = String::from("text"); }, quote! { &body })
        }
        (Some(body), Some(_)) if body.encoding == Encoding::Binary => (
            quote! { let body: Vec<u8> = std::fs::read("body.bin")?; },
            quote! { &body },
        ),
        (Some(body), Some(_)) => {
            let any = Ty::plain(Shape::Any);
            let ty = body.ty.as_ref().unwrap_or(&any);
            let ty_tokens = literals.type_of(ty);
            let value = request_example.map(|e| &e.value);
            let stmt = match value.and_then(|v| literals.expr(v, ty, Position::Exact)) {
                Some(expr) => quote! { let body = #expr; },
                None => {
                    let json = json_macro(value.unwrap_or(&serde_json::Value::Null));
                    quote! { let body: #ty_tokens = ::serde_json::from_value(#json)?; }
                }
            };
            (stmt, quote! { &body })
        }
        _ => (TokenStream::new(), TokenStream::new()),
    };
    let call_args: Vec<TokenStream> = args
        .into_iter()
        .chain((!body_arg.is_empty()).then_some(body_arg))
        .collect();
    let tokens = quote! {
        fn example() {
            let client = Client::new(Config::new(#endpoint) #credentials #(#defaults)*)?;
            #body_stmt
            let response = client.#name(#(#call_args),*).await?;
            println!("{} {:?}", response.status, response.body);
        }
    };
    let file: syn::File = syn::parse2(tokens).ok()?;
    let printed = prettyplease::unparse(&file);
    let body: Vec<&str> = printed.lines().collect();
    let inner = body.get(1..body.len().saturating_sub(1))?;
    // `models` is named by a body and by an argument of a named type (a `NameOrId` path value).
    let names_models = !body_stmt.is_empty() || positional(op).iter().any(|p| mentions_named(&p.ty));
    let mut imports = vec!["Client", "Config"];
    if !credentials.is_empty() {
        imports.push("Credentials");
    }
    if names_models {
        imports.push("models");
    }
    let imports = imports.join(", ");
    let mut out = vec![
        "```no_run".to_owned(),
        format!("use {krate}::{{{imports}}};"),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    ];
    out.extend(
        inner
            .iter()
            .map(|line| line.strip_prefix("    ").unwrap_or(line).to_owned()),
    );
    out.push("# Ok(())".to_owned());
    out.push("# }".to_owned());
    out.push("```".to_owned());
    Some(out.join("\n"))
}

/// Whether a value of `ty` is written with a named type of the models crate.
fn mentions_named(ty: &Ty) -> bool {
    match &ty.shape {
        Shape::Named(_) => true,
        Shape::Array(inner) | Shape::Map(inner) => mentions_named(inner),
        _ => false,
    }
}

/// An expression of text (`impl ToString`) for a parameter value `value` of type `ty`: strings and
/// numbers as they are, anything richer through the runtime's `param_text`.
fn as_text(value: TokenStream, ty: &Ty) -> TokenStream {
    if is_display(ty) {
        value
    } else {
        quote! { ::apigen_runtime::client::param_text(&#value) }
    }
}

/// Whether a value of `ty` is written as a parameter by its own `Display`.
fn is_display(ty: &Ty) -> bool {
    matches!(
        ty.shape,
        Shape::String | Shape::Integer(_) | Shape::Number(_) | Shape::Boolean
    ) && !ty.nullable
}

/// A value of the right kind for a parameter the spec gives no example for.
fn placeholder(shape: &Shape, name: &str) -> serde_json::Value {
    match shape {
        Shape::Integer(_) => serde_json::json!(1),
        Shape::Number(_) => serde_json::json!(1.5),
        Shape::Boolean => serde_json::json!(true),
        Shape::Array(item) => serde_json::Value::Array(vec![placeholder(&item.shape, name)]),
        _ => serde_json::Value::String(format!("my-{}", name.to_ascii_lowercase().replace('_', "-"))),
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
        quote! {
            #doc
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
                (false, client_default) => {
                    // A non-string value is formatted into a local first, so the borrow outlives the request.
                    let local = format_ident!("{}_text", p.name.as_str());
                    let text = if is_display(&p.ty) {
                        quote! { v.to_string() }
                    } else {
                        as_text(quote! { v }, &p.ty)
                    };
                    let to_text = if client_default {
                        quote! { let #local = self.#field.map(|v| #text); }
                    } else {
                        quote! { let #local = Some({ let v = self.#field; #text }); }
                    };
                    (to_text, quote! { .path(#wire, #local.as_deref()) })
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
            ParameterLocation::Cookie => quote! { .header("Cookie", format!("{}={}", #wire, #value)) },
            ParameterLocation::Header => quote! { .header(#wire, #value) },
            _ => quote! { .query(#wire, #value) },
        };
        if p.required && !is_array {
            chained.push(add(as_text(quote! { self.#field }, &p.ty)));
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
    let invalid = quote! { .map_err(|e| Error::InvalidInput(::apigen_runtime::client::InvalidInput::from(e)))? };
    let validate = validation(op, &optional, body_required, checkable, &invalid);
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

            /// Validates the body against its documented constraints, sends the request (retrying
            /// as the client's policy allows) and decodes the documented response.
            pub async fn send(self) -> #output {
                static OPERATION: ::apigen_runtime::client::Operation = ::apigen_runtime::client::Operation {
                    name: #op_name,
                    method: ::apigen_runtime::client::Method::#method,
                    path: #path,
                    accept: #accept,
                };
                #validate
                #(#path_locals)*
                #binding = ::apigen_runtime::client::Request::new(&OPERATION) #(#path_calls)* #(#chained)*;
                #(#statements)*
                let response = self.client.transport.send(request).await?;
                #dispatch
            }
        }

        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = #output;
            type IntoFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
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
            let ty = Ty {
                nullable: false,
                ..p.ty.clone()
            };
            let checks = validate::value_checks(&ty, quote! { value }, checkable)?;
            let field = ident(&p.name);
            let wire = &p.wire_name;
            let at = quote! { let at = &::apigen_runtime::validate::child(at, #wire); };
            Some(if optional.iter().any(|o| o.name == p.name) {
                quote! { if let Some(value) = &self.#field { #at #checks } }
            } else {
                quote! { { let value = &self.#field; #at #checks } }
            })
        })
        .collect();
    let body_ty = op
        .request
        .as_ref()
        .and_then(|b| b.ty.as_ref())
        .filter(|_| body_is_typed(op));
    let body = body_ty.and_then(|ty| {
        let (value, checks) = match ty.shape {
            Shape::Named(_) => (
                quote! { body },
                quote! { ::apigen_runtime::Validate::validate_at(body, at, out); },
            ),
            _ => (
                quote! { value },
                validate::value_checks(ty, quote! { value }, checkable)?,
            ),
        };
        Some(if body_required {
            quote! { { let #value = self.body; #checks } }
        } else {
            quote! { if let Some(#value) = self.body { #checks } }
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
    Some(quote! { ::apigen_runtime::validate::check(|at, out| { #(#parameters)* #body }) #invalid; })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(statuses: &[Status]) -> Vec<String> {
        status_patterns(statuses).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn statuses_that_touch_share_one_range() {
        use Status::{Code, Default, Range};
        assert_eq!(patterns(&[Range(5), Range(4)]), ["400 ..= 599"]);
        assert_eq!(patterns(&[Code(502), Code(500), Code(501)]), ["500 ..= 502"]);
        assert_eq!(patterns(&[Code(409), Code(410)]), ["409", "410"]);
        assert_eq!(patterns(&[Code(404), Range(4), Default]), ["400 ..= 499", "_"]);
        assert_eq!(patterns(&[Code(399), Range(4), Code(600)]), ["399 ..= 499", "600"]);
        assert_eq!(
            patterns(&[Code(401), Code(403), Range(5)]),
            ["401", "403", "500 ..= 599"]
        );
    }
}
