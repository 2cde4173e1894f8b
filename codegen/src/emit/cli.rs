//! The command-line crate's code: one `static` table per operation (its subcommand and flags, as
//! lowering decided them), the service's table, and the one dispatch function that reads each
//! operation's inputs and calls the generated client. Everything else (clap, configuration,
//! output, exit codes) is the runtime's `cli` module.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::call::{body_type, optional, positional};
use super::docs::constraint_items;
use super::types::ident;
use crate::ir::{Api, CliArity, CliFlag, CliTarget, CliValue, Encoding, Operation, Outcome, Payload, Shape};

/// The text of a flag's help: its description's first sentence or paragraph, its constraints,
/// its default.
fn flag_help(flag: &CliFlag) -> String {
    let mut help = flag
        .description
        .as_deref()
        .map(|text| {
            text.split("\n\n")
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let items = constraint_items(&flag.constraints);
    if !items.is_empty() {
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str(&format!("[{}]", items.join("; ").replace('`', "")));
    }
    if let Some(default) = &flag.default {
        if !help.is_empty() {
            help.push(' ');
        }
        let shown = match default {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        help.push_str(&format!("[default: {shown}]"));
    } else if flag.configured {
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str("[default: from the configuration]");
    }
    help
}

fn flag_table(flag: &CliFlag) -> TokenStream {
    let long = &flag.long;
    let help = flag_help(flag);
    let target = match &flag.target {
        CliTarget::Parameter(wire) => quote! { ::apigen_runtime::cli::Target::Parameter(#wire) },
        CliTarget::Field(path) => quote! { ::apigen_runtime::cli::Target::Field(&[#(#path),*]) },
    };
    let value = match &flag.value {
        CliValue::Text => quote! { ::apigen_runtime::cli::ValueKind::Text },
        CliValue::Integer => quote! { ::apigen_runtime::cli::ValueKind::Integer },
        CliValue::Number => quote! { ::apigen_runtime::cli::ValueKind::Number },
        CliValue::Boolean => quote! { ::apigen_runtime::cli::ValueKind::Boolean },
        CliValue::Enum(values) => quote! { ::apigen_runtime::cli::ValueKind::Enum(&[#(#values),*]) },
        CliValue::Json => quote! { ::apigen_runtime::cli::ValueKind::Json },
    };
    let arity = match flag.arity {
        CliArity::One => quote! { ::apigen_runtime::cli::Arity::One },
        CliArity::Repeated => quote! { ::apigen_runtime::cli::Arity::Repeated },
        CliArity::KeyValue => quote! { ::apigen_runtime::cli::Arity::KeyValue },
    };
    let required = flag.required;
    quote! {
        ::apigen_runtime::cli::Flag {
            long: #long,
            help: #help,
            target: #target,
            value: #value,
            arity: #arity,
            required: #required,
        }
    }
}

fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    }
}

/// The `static` table of one operation.
pub fn operation_table(op: &Operation) -> TokenStream {
    let table = table_name(op);
    let name = op.name.as_str();
    let command = &op.cli.name;
    let group = option_str(op.cli.group.as_deref());
    let about = option_str(op.docs.summary.as_deref());
    let long_about = option_str(op.docs.description.as_deref());
    let method = op.method.as_str();
    let path = &op.path;
    let flags = op.cli.flags.iter().map(flag_table);
    let body = match &op.request {
        Some(body) => {
            let required = body.required;
            let json = body.encoding.is_typed();
            quote! { Some(::apigen_runtime::cli::BodySpec { required: #required, json: #json }) }
        }
        None => quote! { None },
    };
    let envelope = option_str(op.cli.output_envelope.as_deref());
    let security = super::security::requirement(&op.security)
        .unwrap_or_else(|| quote! { ::apigen_runtime::for_generated_code::Security::Unstated });
    let doc = super::docs::doc_line(&format!("The `{command}` subcommand."));
    quote! {
        #doc
        static #table: ::apigen_runtime::cli::Operation = ::apigen_runtime::cli::Operation {
            name: #name,
            command: #command,
            group: #group,
            about: #about,
            long_about: #long_about,
            method: #method,
            path: #path,
            flags: &[#(#flags),*],
            body: #body,
            output_envelope: #envelope,
            security: #security,
        };
    }
}

fn table_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.name.as_str().to_uppercase())
}

/// The service's table, its dispatch, and `main`'s entry points.
pub fn root(api: &Api, service_name: &str) -> TokenStream {
    let about = api.title.as_str();
    let long_about = option_str(api.description.as_deref());
    let vendor = match (&api.openstack_service_type, api.signing_algorithm()) {
        (Some(service_type), _) => quote! { ::apigen_runtime::cli::Vendor::OpenStack { service_type: #service_type } },
        (None, Some(_)) => quote! { ::apigen_runtime::cli::Vendor::HuaweiCloud },
        (None, None) => quote! { ::apigen_runtime::cli::Vendor::Generic },
    };
    let server = match api.servers.first() {
        Some(server) => {
            let url = &server.url;
            let variables = server.variables.iter().map(|v| {
                let (name, default) = (&v.wire_name, &v.default);
                quote! { (#name, #default) }
            });
            quote! { Some(::apigen_runtime::cli::Server { url: #url, variables: &[#(#variables),*] }) }
        }
        None => quote! { None },
    };
    let tables = api.operations.iter().map(table_name);
    let schemes = if api.security_schemes.is_empty() {
        quote! { &[] }
    } else {
        quote! { &client::SECURITY_SCHEMES }
    };
    // Each operation is an `async fn` of its own, and `call` only picks one: a single async block
    // with an arm per operation is one state machine the size of the API, which took rustc more
    // than 20 GB on a 262-operation spec (gsmtasks.com in the public directory).
    let (calls, names): (Vec<TokenStream>, Vec<TokenStream>) = api
        .operations
        .iter()
        .map(|op| {
            let wire = op.name.as_str();
            let function = ident(&op.name);
            (
                operation_call(op),
                quote! { #wire => Box::pin(calls::#function(client, input)), },
            )
        })
        .unzip();
    let (input, config) = if api.operations.is_empty() {
        (quote! { _input }, quote! { _config })
    } else {
        (quote! { input }, quote! { config })
    };
    let body = if api.operations.is_empty() {
        quote! { Box::pin(async move { Err(::apigen_runtime::cli::unknown_operation(operation.name)) }) }
    } else {
        quote! {
            let client = match client::Client::new(config) {
                Ok(client) => client,
                Err(error) => {
                    let failure = ::apigen_runtime::cli::config_failure(error);
                    return Box::pin(async move { Err(failure) });
                }
            };
            match operation.name {
                #(#names)*
                other => Box::pin(async move { Err(::apigen_runtime::cli::unknown_operation(other)) }),
            }
        }
    };
    let calls = (!api.operations.is_empty()).then(|| {
        quote! {
            /// One function per operation: its inputs read from the command line, the call made,
            /// the answer shown.
            mod calls {
                use super::*;

                #(#calls)*
            }
        }
    });
    quote! {
        /// This API as a subcommand of a command-line tool: its operations, flags and configuration.
        pub static SERVICE: ::apigen_runtime::cli::Service = ::apigen_runtime::cli::Service {
            name: #service_name,
            about: #about,
            long_about: #long_about,
            vendor: #vendor,
            server: #server,
            operations: &[#(&#tables),*],
            schemes: #schemes,
            call,
        };

        fn call<'a>(
            operation: &'a ::apigen_runtime::cli::Operation,
            #input: &'a ::apigen_runtime::cli::Input,
            #config: client::Config,
        ) -> ::apigen_runtime::client::middleware::BoxFuture<'a, Result<::apigen_runtime::cli::Answer, ::apigen_runtime::cli::Failure>> {
            #body
        }

        #calls
    }
}

/// One operation's function in the dispatch: its inputs read, the call made, the answer shown.
fn operation_call(op: &Operation) -> TokenStream {
    let method = ident(&op.name);
    let refused = quote! { .map_err(::apigen_runtime::cli::refused)? };
    let mut reads = Vec::new();
    let mut arguments = Vec::new();
    for parameter in positional(op) {
        let local = format_ident!("p_{}", parameter.name.as_str());
        let wire = &parameter.wire_name;
        let ty = owned_type(&parameter.ty.shape, &parameter.ty);
        reads.push(quote! {
            let #local: #ty = input.parameter(#wire)#refused.ok_or_else(|| ::apigen_runtime::cli::missing(#wire))?;
        });
        arguments.push(if parameter.ty.shape == Shape::String {
            quote! { &#local }
        } else {
            quote! { #local }
        });
    }
    let mut body_setter = TokenStream::new();
    if let (Some(request), Some(ty)) = (&op.request, body_type(op)) {
        let required = request.required;
        // What `--body` holds, from the body's encoding and type (the same facts `body_type`
        // reads): JSON (a model, or a JSON string the client borrows as `str`), text, or bytes.
        let owned = match request.encoding {
            Encoding::Text => quote! { String },
            Encoding::Binary => quote! { Vec<u8> },
            _ if json_string(request) => quote! { String },
            _ => ty,
        };
        let reader = match (request.encoding, required) {
            (Encoding::Text, true) => quote! { required_text_body },
            (Encoding::Text, false) => quote! { text_body },
            (Encoding::Binary, true) => quote! { required_raw_body },
            (Encoding::Binary, false) => quote! { raw_body },
            (_, true) => quote! { required_body },
            (_, false) => quote! { body },
        };
        let read = if required {
            quote! { let body: #owned = input.#reader()#refused; }
        } else {
            quote! { let body: Option<#owned> = input.#reader()#refused; }
        };
        reads.push(read);
        if required {
            arguments.push(quote! { &body });
        } else {
            body_setter = quote! {
                if let Some(body) = &body {
                    call = call.body(body);
                }
            };
        }
    }
    let mut setters = Vec::new();
    for parameter in optional(op) {
        let local = format_ident!("p_{}", parameter.name.as_str());
        let setter = ident(&parameter.name);
        let wire = &parameter.wire_name;
        let ty = owned_type(&parameter.ty.shape, &parameter.ty);
        reads.push(quote! { let #local: Option<#ty> = input.parameter(#wire)#refused; });
        setters.push(if parameter.ty.shape == Shape::String {
            quote! {
                if let Some(value) = &#local {
                    call = call.#setter(value);
                }
            }
        } else {
            quote! {
                if let Some(value) = #local {
                    call = call.#setter(value);
                }
            }
        });
    }
    let mutable = if setters.is_empty() && body_setter.is_empty() {
        quote! {}
    } else {
        quote! { mut }
    };
    let show = show_outcome(&op.successes, Side::Success);
    let show_error = show_outcome(&op.failures, Side::Failure);
    // An operation with nothing to read names the input only to ignore it.
    let input = if reads.is_empty() {
        quote! { _input }
    } else {
        quote! { input }
    };
    quote! {
        pub(super) async fn #method(
            client: client::Client,
            #input: &::apigen_runtime::cli::Input,
        ) -> Result<::apigen_runtime::cli::Answer, ::apigen_runtime::cli::Failure> {
            #(#reads)*
            let #mutable call = client.#method(#(#arguments),*);
            #(#setters)*
            #body_setter
            ::apigen_runtime::cli::finish(call.send().await, #show, #show_error)
        }
    }
}

/// How a payload is shown: `Shown::json`, `Shown::text` or `Shown::bytes`.
fn show_payload(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(_) => quote! { ::apigen_runtime::cli::Shown::json },
        Payload::Text => quote! { ::apigen_runtime::cli::Shown::text },
        Payload::Binary => quote! { ::apigen_runtime::cli::Shown::bytes },
    }
}

/// Which side of an operation's outcome a body is on.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Success,
    Failure,
}

/// How the body of one side of an outcome is shown, as the client decodes it: for a per-status
/// enum, a `match` with each variant's payload shown by its own kind. With nothing documented
/// the client hands a success over as bytes and an error as `Undocumented` (JSON); a documented
/// empty success is `()`.
fn show_outcome(outcome: &Outcome, side: Side) -> TokenStream {
    match outcome {
        Outcome::Undocumented if side == Side::Success => show_payload(&Payload::Binary),
        Outcome::Empty if side == Side::Success => quote! { ::apigen_runtime::cli::Shown::empty },
        Outcome::Undocumented | Outcome::Empty => quote! { ::apigen_runtime::cli::Shown::json },
        Outcome::One(payload) => show_payload(payload),
        Outcome::PerStatus { name, variants } => {
            let name = ident(name);
            let arms = variants.iter().map(|variant| {
                let member = ident(&variant.name);
                match &variant.payload {
                    Some(payload) => {
                        let show = show_payload(payload);
                        quote! { client::#name::#member(body) => #show(body), }
                    }
                    None => quote! { client::#name::#member => ::apigen_runtime::cli::Shown::Empty, },
                }
            });
            quote! { |body| match body { #(#arms)* } }
        }
    }
}

/// Whether a typed body is a plain JSON string, which the client borrows as `str`.
fn json_string(request: &crate::ir::Body) -> bool {
    request
        .ty
        .as_ref()
        .is_some_and(|ty| ty.shape == Shape::String && !ty.nullable)
}

/// The owned type a parameter is read into (`String` where the client borrows `&str`).
fn owned_type(shape: &Shape, ty: &crate::ir::Ty) -> TokenStream {
    match shape {
        Shape::String => quote! { String },
        _ => super::types::value_type(
            &crate::ir::Ty {
                nullable: false,
                ..ty.clone()
            },
            &quote! { client::models:: },
        ),
    }
}
