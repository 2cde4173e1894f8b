//! The docs of a client method: what the spec says of the operation, its documented responses,
//! and a compiled (`no_run`) example that sends the documented request.

use proc_macro2::TokenStream;
use quote::quote;

use super::call::{ClientNames, body_type, positional};
use super::docs::DocText;
use super::literal::{Literals, Position, json_macro};
use super::synth::Synth;
use super::types::ident;
use crate::ir::{Api, Encoding, Operation, Outcome, Shape, Status, Ty, TypeKind};

pub(super) fn method_docs(
    api: &Api,
    op: &Operation,
    names: &ClientNames<'_>,
    values: (&Literals<'_>, &Synth<'_>),
) -> TokenStream {
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
    if let Some(example) = doc_example(api, op, names, values) {
        text.own(&format!("# Example\n\n{example}"));
    }
    if op.deprecated {
        text.paragraph("Deprecated.");
    }
    text.attributes(false)
}

/// A compiled (`no_run`) doctest that sends the documented example request, or one made valid
/// against the body's schema where the document shows none.
fn doc_example(
    api: &Api,
    op: &Operation,
    names: &ClientNames<'_>,
    (literals, synth): (&Literals<'_>, &Synth<'_>),
) -> Option<String> {
    let krate = names.krate;
    let endpoint = api.servers.first().map(|s| {
        let mut url = s.url.clone();
        for v in &s.variables {
            url = url.replace(&format!("{{{}}}", v.name), &v.default);
        }
        url
    });
    let endpoint = endpoint.unwrap_or_else(|| "http://localhost:8080".to_owned());
    let (credentials, vendor, keyed) =
        super::security::example_credentials(api, &op.security, "my", &TokenStream::new());
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
                .unwrap_or_else(|| placeholder(api, &ty.shape, &p.wire_name));
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
            // Without a documented example, a value valid against the schema (the mock's): a
            // `null` would compile and then fail on every run of the example.
            let made;
            let value = match request_example {
                Some(example) => &example.value,
                None => {
                    made = synth.value(ty);
                    &made
                }
            };
            let stmt = match literals.expr(value, ty, Position::Exact) {
                Some(expr) => quote! { let body = #expr; },
                None => {
                    let json = json_macro(value);
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
            let client = Client::new(Config::new(#endpoint) #(#credentials)* #(#defaults)*)?;
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
    if keyed {
        imports.push("Credential");
    }
    if vendor {
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

/// A value of the right kind for a parameter the spec gives no example for: a documented enum's
/// first value (any other would fail the call's validation), a number, a flag, or a name.
pub(super) fn placeholder(api: &Api, shape: &Shape, name: &str) -> serde_json::Value {
    match shape {
        Shape::Integer(_) => serde_json::json!(1),
        Shape::Number(_) => serde_json::json!(1.5),
        Shape::Boolean => serde_json::json!(true),
        Shape::Array(item) => serde_json::Value::Array(vec![placeholder(api, &item.shape, name)]),
        Shape::Named(type_name) => match api.types.iter().find(|t| t.name == *type_name).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) if !e.variants.is_empty() => {
                serde_json::Value::String(e.variants[0].wire_name.clone())
            }
            Some(TypeKind::Alias(ty)) => placeholder(api, &ty.shape, name),
            _ => named_placeholder(name),
        },
        _ => named_placeholder(name),
    }
}

fn named_placeholder(name: &str) -> serde_json::Value {
    serde_json::Value::String(format!("my-{}", name.to_ascii_lowercase().replace('_', "-")))
}
