//! Emission: IR to formatted Rust source and crate manifests. Knows nothing of YAML or `openapiv3`.
//!
//! Every item is built with `quote!`, parsed into a `syn::File` and printed by prettyplease, so the
//! output is formatted by construction. Emitters write into a list of files; writing them to disk
//! is the output module's job.

mod client;
mod docs;
mod examples;
mod literal;
mod models;
mod types;
mod validate;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::output::GeneratedFile;

pub use docs::neutralise;

/// Generated files are formatted once, by prettyplease, at generation. If `cargo fmt` restyled
/// them they would no longer equal a fresh generation and the freshness test would fail, so they
/// ask rustfmt to leave them alone (the `cfg_attr` form is the one stable Rust accepts as an inner
/// attribute).
fn skip_rustfmt() -> TokenStream {
    quote! { #![cfg_attr(rustfmt, rustfmt::skip)] }
}

/// What one crate's emission needs besides the IR.
#[derive(Debug, Clone)]
pub struct CrateSettings {
    /// The crate's package name, such as `evs-models`.
    pub name: String,
    /// The spec as named in headers: `spec/evs.yaml`.
    pub spec_label: String,
    /// The TOML value of the `apigen-runtime` dependency, such as `{ path = "../../runtime" }`.
    pub runtime_dependency: String,
    /// Whether to write `tests/examples.rs`.
    pub example_tests: bool,
    /// The client crate's package name (`evs-client`); `None` for models only.
    pub client_name: Option<String>,
}

/// Emission produced Rust that does not parse: a bug in the generator, named by file.
#[derive(Debug, thiserror::Error)]
#[error("internal error: the generator emitted invalid Rust for {file}: {message}")]
pub struct EmitError {
    /// The file being emitted.
    pub file: String,
    /// The parser's complaint.
    pub message: String,
}

/// The files of the models crate for `api`, paths relative to the crate directory.
pub fn models_crate(api: &Api, settings: &CrateSettings) -> Result<Vec<GeneratedFile>, EmitError> {
    let header = header(settings, "//");
    let skip = skip_rustfmt();
    let mut crate_docs = docs::DocText::default();
    crate_docs.paragraph(&format!("Models of {} (version {}).", api.title, api.version));
    if let Some(description) = &api.description {
        crate_docs.paragraph(description);
    }
    crate_docs.paragraph(&format!(
        "Generated from `{}` by `cargo xtask generate`. Every type implements \
         `apigen_runtime::Validate`, which checks the constraints its schema documents.",
        settings.spec_label
    ));
    let inner = crate_docs.attributes(true);
    let items = models::items(api);
    let lib = format_file(quote! { #skip #inner #items }, &format!("{}/src/lib.rs", settings.name))?;
    let mut files = vec![
        GeneratedFile::new(
            "Cargo.toml",
            manifest(
                settings,
                &settings.name,
                "Models",
                &[
                    format!("apigen-runtime = {}", settings.runtime_dependency),
                    r#"serde = { version = "1", features = ["derive"] }"#.to_owned(),
                    r#"serde_json = "1""#.to_owned(),
                ],
            ),
        ),
        GeneratedFile::new("src/lib.rs", format!("{header}{lib}")),
    ];
    if settings.example_tests && !api.examples.is_empty() {
        let krate = syn::Ident::new(&settings.name.replace('-', "_"), proc_macro2::Span::call_site());
        let doc = format!(
            " Every documented example in `{}` survives a round trip through the type it documents.",
            settings.spec_label
        );
        let tests = examples::items(api, &krate);
        let text = format_file(
            quote! { #skip #![doc = #doc] #tests },
            &format!("{}/tests/examples.rs", settings.name),
        )?;
        files.push(GeneratedFile::new("tests/examples.rs", format!("{header}{text}")));
    }
    Ok(files
        .into_iter()
        .map(|f| f.under(PathBuf::from(&settings.name)))
        .collect())
}

/// The files of the client crate for `api`, paths relative to the output root. Empty when the
/// settings name no client crate.
pub fn client_crate(api: &Api, settings: &CrateSettings) -> Result<Vec<GeneratedFile>, EmitError> {
    let Some(client_name) = &settings.client_name else {
        return Ok(Vec::new());
    };
    let header = header(settings, "//");
    let skip = skip_rustfmt();
    let krate = syn::Ident::new(&client_name.replace('-', "_"), proc_macro2::Span::call_site());
    let models = syn::Ident::new(&settings.name.replace('-', "_"), proc_macro2::Span::call_site());
    let mut crate_docs = docs::DocText::default();
    crate_docs.paragraph(&format!("Async client of {} (version {}).", api.title, api.version));
    if let Some(description) = &api.description {
        crate_docs.paragraph(description);
    }
    crate_docs.paragraph(&format!(
        "Generated from `{}` by `cargo xtask generate`. Each operation is a method of [`Client`] that \
         returns a call builder; `.await` it (or call `.send()`). Bodies are validated before anything \
         is sent; transport, authentication (token or AK/SK signing), retries and errors come from \
         `apigen-runtime`. The types are in [`models`] (the `{}` crate).",
        settings.spec_label, settings.name
    ));
    let inner = crate_docs.attributes(true);
    let items = client::items(
        api,
        &client::ClientNames {
            krate: &krate,
            models: &models,
        },
    );
    let lib = format_file(quote! { #skip #inner #items }, &format!("{client_name}/src/lib.rs"))?;
    let dependencies = [
        format!("apigen-runtime = {}", with_client_feature(&settings.runtime_dependency)),
        format!("{0} = {{ path = \"../{0}\" }}", settings.name),
        "serde_json = \"1\"".to_owned(),
    ];
    let manifest = manifest(settings, client_name, "Async client", &dependencies);
    let files = vec![
        GeneratedFile::new("Cargo.toml", manifest),
        GeneratedFile::new("src/lib.rs", format!("{header}{lib}")),
    ];
    Ok(files.into_iter().map(|f| f.under(PathBuf::from(client_name))).collect())
}

/// The runtime dependency with the `client` feature: `{ path = "x" }` becomes
/// `{ path = "x", features = ["client"] }`.
fn with_client_feature(dependency: &str) -> String {
    let trimmed = dependency.trim();
    match trimmed.strip_suffix('}') {
        Some(open) if open.trim_end().ends_with('{') => r#"{ features = ["client"] }"#.to_owned(),
        Some(open) => format!(r#"{}, features = ["client"] }}"#, open.trim_end()),
        None => format!(r#"{{ version = {trimmed}, features = ["client"] }}"#),
    }
}

fn header(settings: &CrateSettings, comment: &str) -> String {
    format!(
        "{comment} @generated by `cargo xtask generate` from {}. Do not edit: change the spec and regenerate.\n",
        settings.spec_label
    )
}

/// A generated crate's `Cargo.toml`: the `@generated` header, the package, and `dependencies`.
fn manifest(settings: &CrateSettings, name: &str, what: &str, dependencies: &[String]) -> String {
    format!(
        r#"{header}[package]
name = "{name}"
version = "0.1.0"
description = "{what} generated from {spec}"
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

[dependencies]
{dependencies}
"#,
        header = header(settings, "#"),
        spec = settings.spec_label,
        dependencies = dependencies.join("\n"),
    )
}

/// Parses `tokens` as a file and prints it, one blank line between top-level items.
fn format_file(tokens: TokenStream, file: &str) -> Result<String, EmitError> {
    let mut parsed: syn::File = syn::parse2(tokens).map_err(|e| EmitError {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    // prettyplease puts top-level items on consecutive lines; printing them one by one and joining
    // with a blank line reads like hand-written code.
    let mut out = String::new();
    let items = std::mem::take(&mut parsed.items);
    if !parsed.attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&parsed));
    }
    parsed.attrs.clear();
    for item in items {
        if !out.is_empty() {
            out.push('\n');
        }
        parsed.items = vec![item];
        out.push_str(&prettyplease::unparse(&parsed));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, Docs, Field, Shape, Struct, Ty, TypeDef, TypeKind};

    fn field(wire: &str, rust: &str, ty: Ty, required: bool) -> Field {
        Field {
            wire_name: wire.into(),
            rust_name: rust.into(),
            ty,
            required,
            docs: Docs::default(),
            default: None,
            min_version: None,
            max_version: None,
            deprecated: false,
            boxed: false,
        }
    }

    /// The emitter is driven by hand-built IR here: no spec, no loader, no lowering.
    #[test]
    fn a_hand_built_struct_emits_fields_holders_and_checks() {
        let name = Ty {
            constraints: Constraints {
                max_length: Some(8),
                ..Constraints::default()
            },
            ..Ty::plain(Shape::String)
        };
        let note = Ty {
            nullable: true,
            ..Ty::plain(Shape::String)
        };
        let api = Api {
            title: "Hand".into(),
            version: "1".into(),
            types: vec![TypeDef {
                name: "Thing".into(),
                origin: "/components/schemas/Thing".into(),
                docs: Docs {
                    summary: None,
                    description: Some("A thing.".into()),
                },
                kind: TypeKind::Struct(Struct {
                    fields: vec![field("name", "name", name, true), field("note", "note", note, false)],
                    additional: None,
                }),
                nullable: false,
            }],
            ..Api::default()
        };
        let settings = CrateSettings {
            name: "hand-models".into(),
            spec_label: "hand.yaml".into(),
            runtime_dependency: "{}".into(),
            example_tests: true,
            client_name: None,
        };
        let files = models_crate(&api, &settings).expect("emits");
        let paths: Vec<_> = files.iter().map(|f| f.path.to_string_lossy().into_owned()).collect();
        assert_eq!(
            paths,
            ["hand-models/Cargo.toml", "hand-models/src/lib.rs"],
            "no examples, no example tests"
        );
        let lib = &files[1].contents;
        for expected in [
            "// @generated by `cargo xtask generate` from hand.yaml.",
            "/// A thing.\n",
            "pub name: String,",
            "#[serde(default, skip_serializing_if = \"::apigen_runtime::Nullable::is_absent\")]\n    pub note: ::apigen_runtime::Nullable<String>,",
            "pub fn new(name: impl Into<String>) -> Self {",
            "Some(8u64),",
        ] {
            assert!(lib.contains(expected), "missing {expected:?} in:\n{lib}");
        }
    }
}
