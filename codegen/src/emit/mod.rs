//! Emission: IR to formatted Rust source and crate manifests. Knows nothing of YAML or `openapiv3`.
//!
//! Every item is built with `quote!`, parsed into a `syn::File` and printed by prettyplease, so the
//! output is formatted by construction. Emitters write into a list of files; writing them to disk
//! is the output module's job.

mod client;
mod docs;
mod examples;
pub mod layout;
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
    /// Split the crates into a module per tag above this many types and operations together;
    /// `None` for the default, [`layout::SPLIT_ABOVE`].
    pub split_above: Option<usize>,
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

/// A file to write and how to make its text; jobs run on all cores, each building its own
/// tokens (token streams cannot cross threads), so the IR is the only thing they share.
struct Job<'a> {
    path: PathBuf,
    /// Roughly how much work the job is (items emitted), so the largest start first.
    weight: usize,
    make: Box<dyn Fn() -> Result<String, EmitError> + Send + Sync + 'a>,
}

impl<'a> Job<'a> {
    fn new(path: impl Into<PathBuf>, make: impl Fn() -> Result<String, EmitError> + Send + Sync + 'a) -> Self {
        Job {
            path: path.into(),
            weight: 0,
            make: Box::new(make),
        }
    }

    fn weighing(mut self, weight: usize) -> Self {
        self.weight = weight;
        self
    }
}

/// The files of the models crate and, when the settings name one, the client crate, paths
/// relative to the output root.
pub fn crates(api: &Api, settings: &CrateSettings) -> Result<Vec<GeneratedFile>, EmitError> {
    let layout = layout::layout(api, settings.split_above.unwrap_or(layout::SPLIT_ABOVE));
    let checkable = validate::Checkable::new(&api.types);
    let mut jobs = models_jobs(api, settings, layout.as_ref(), &checkable);
    jobs.extend(client_jobs(api, settings, layout.as_ref()));
    run(jobs)
}

/// Runs `jobs` on up to as many threads as there are cores; the files keep the jobs' order.
fn run(jobs: Vec<Job<'_>>) -> Result<Vec<GeneratedFile>, EmitError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    // Largest first, so that no thread is left with a big file at the end.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].weight));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<String, EmitError>>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let text = (jobs[i].make)();
            if let Ok(mut results) = results.lock() {
                results[i] = Some(text);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    jobs.iter()
        .zip(results)
        .map(|(job, text)| {
            let text = text.unwrap_or_else(|| {
                Err(EmitError {
                    file: job.path.display().to_string(),
                    message: "a generation thread stopped before writing this file".to_owned(),
                })
            })?;
            Ok(GeneratedFile::new(job.path.clone(), text))
        })
        .collect()
}

/// The models crate: `Cargo.toml`, `src/lib.rs`, a file per module when split, and the example
/// tests.
fn models_jobs<'a>(
    api: &'a Api,
    settings: &'a CrateSettings,
    layout: Option<&'a layout::Layout>,
    checkable: &'a validate::Checkable<'a>,
) -> Vec<Job<'a>> {
    let dir = PathBuf::from(&settings.name);
    let manifest_text = manifest(
        settings,
        &settings.name,
        "Models",
        &[
            format!("apigen-runtime = {}", settings.runtime_dependency),
            r#"serde = { version = "1", features = ["derive"] }"#.to_owned(),
            r#"serde_json = "1""#.to_owned(),
        ],
    );
    let mut jobs = vec![Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone()))];
    let lib_path = format!("{}/src/lib.rs", settings.name);
    jobs.push(
        Job::new(dir.join("src/lib.rs"), move || {
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
            let skip = skip_rustfmt();
            let inner = crate_docs.attributes(true);
            let head = quote! { #skip #inner };
            match layout {
                None => format_chunks(
                    settings,
                    &lib_path,
                    head,
                    api.types.iter().map(|def| models::type_def(def, checkable)),
                ),
                Some(layout) => format_chunks(
                    settings,
                    &lib_path,
                    head,
                    std::iter::once(module_declarations(&layout.types)),
                ),
            }
        })
        .weighing(if layout.is_some() { 1 } else { api.types.len() }),
    );
    for module in layout.iter().flat_map(|l| &l.types) {
        let path = format!("{}/src/{}.rs", settings.name, module.name);
        jobs.push(
            Job::new(dir.join(format!("src/{}.rs", module.name)), move || {
                let about = match &module.tag {
                    Some(tag) => format!(" Types the `{tag}` operations are the first to use."),
                    None => " Types that no tagged operation is the first to use.".to_owned(),
                };
                let imported: Vec<syn::Ident> = layout::imports(api, module).into_iter().map(types::ident).collect();
                let uses = if imported.is_empty() {
                    TokenStream::new()
                } else {
                    quote! { use super::{#(#imported),*}; }
                };
                // Each file asks rustfmt to leave it alone: the attribute on `lib.rs` does not
                // reach out-of-line modules.
                let skip = skip_rustfmt();
                let head = quote! { #skip #![doc = #about] #uses };
                let items = module.items.iter().map(|&i| models::type_def(&api.types[i], checkable));
                format_chunks(settings, &path, head, items)
            })
            .weighing(module.items.len()),
        );
    }
    if settings.example_tests && !api.examples.is_empty() {
        let path = format!("{}/tests/examples.rs", settings.name);
        jobs.push(Job::new(dir.join("tests/examples.rs"), move || {
            let krate = syn::Ident::new(&settings.name.replace('-', "_"), proc_macro2::Span::call_site());
            let doc = format!(
                " Every documented example in `{}` survives a round trip through the type it documents.",
                settings.spec_label
            );
            let skip = skip_rustfmt();
            format_chunks(
                settings,
                &path,
                quote! { #skip #![doc = #doc] },
                std::iter::once(examples::items(api, &krate)),
            )
        }));
    }
    jobs
}

/// `mod a; ... pub use a::*; ...` for the modules of a split crate.
fn module_declarations(modules: &[layout::Module]) -> TokenStream {
    let names: Vec<syn::Ident> = modules.iter().map(|m| types::ident(&m.name)).collect();
    quote! {
        #(mod #names;)*
        #(pub use #names::*;)*
    }
}

/// The client crate, when the settings name one: `Cargo.toml`, `src/lib.rs`, and a file per
/// module when split.
fn client_jobs<'a>(api: &'a Api, settings: &'a CrateSettings, layout: Option<&'a layout::Layout>) -> Vec<Job<'a>> {
    let Some(client_name) = &settings.client_name else {
        return Vec::new();
    };
    let dir = PathBuf::from(client_name);
    let dependencies = [
        format!("apigen-runtime = {}", with_client_feature(&settings.runtime_dependency)),
        format!("{0} = {{ path = \"../{0}\" }}", settings.name),
        "serde_json = \"1\"".to_owned(),
    ];
    let manifest_text = manifest(settings, client_name, "Async client", &dependencies);
    let mut jobs = vec![Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone()))];
    let crate_names = move || {
        let krate = syn::Ident::new(&client_name.replace('-', "_"), proc_macro2::Span::call_site());
        let models = syn::Ident::new(&settings.name.replace('-', "_"), proc_macro2::Span::call_site());
        (krate, models)
    };
    let lib_path = format!("{client_name}/src/lib.rs");
    jobs.push(
        Job::new(dir.join("src/lib.rs"), move || {
            let (krate, models) = crate_names();
            let names = client::ClientNames {
                krate: &krate,
                models: &models,
            };
            let mut crate_docs = docs::DocText::default();
            crate_docs.paragraph(&format!("Async client of {} (version {}).", api.title, api.version));
            if let Some(description) = &api.description {
                crate_docs.paragraph(description);
            }
            crate_docs.own(&format!(
                "Generated from `{}` by `cargo xtask generate`. Each operation is a method of [`Client`] that \
             returns a call builder; `.await` it (or call `.send()`). Bodies are validated before anything \
             is sent; transport, authentication (token or AK/SK signing), retries and errors come from \
             `apigen-runtime`. The types are in [`models`] (the `{}` crate).",
                settings.spec_label, settings.name
            ));
            let skip = skip_rustfmt();
            let inner = crate_docs.attributes(true);
            let head = quote! { #skip #inner };
            match layout {
                None => {
                    let methods = client::methods(api, api.operations.iter(), &names);
                    let root = client::root(api, &names, methods);
                    let builders = api.operations.iter().map(|op| client::builder(api, op));
                    format_chunks(settings, &lib_path, head, std::iter::once(root).chain(builders))
                }
                Some(layout) => {
                    let root = client::root(api, &names, TokenStream::new());
                    let modules = module_declarations(&layout.operations);
                    format_chunks(settings, &lib_path, head, [root, modules].into_iter())
                }
            }
        })
        .weighing(if layout.is_some() { 1 } else { 3 * api.operations.len() }),
    );
    for module in layout.iter().flat_map(|l| &l.operations) {
        let path = format!("{client_name}/src/{}.rs", module.name);
        jobs.push(
            Job::new(dir.join(format!("src/{}.rs", module.name)), move || {
                let (krate, models) = crate_names();
                let names = client::ClientNames {
                    krate: &krate,
                    models: &models,
                };
                let about = match &module.tag {
                    Some(tag) => format!(" The operations tagged `{tag}`."),
                    None => " The operations without a tag.".to_owned(),
                };
                let operations = || module.items.iter().map(|&i| &api.operations[i]);
                let methods = client::methods(api, operations(), &names);
                let skip = skip_rustfmt();
                let head = quote! {
                    #skip
                    #![doc = #about]
                    use super::*;
                };
                let block = quote! { impl Client { #methods } };
                let builders = operations().map(|op| client::builder(api, op));
                format_chunks(settings, &path, head, std::iter::once(block).chain(builders))
            })
            .weighing(3 * module.items.len()),
        );
    }
    jobs
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

/// A generated Rust file: the `@generated` header, then its head (inner attributes, `use` lines)
/// and chunks of items, formatted one chunk at a time so that no token tree of the whole file is
/// ever held; top-level items are separated by one blank line, as hand-written code is. `file`
/// names the file in errors.
fn format_chunks(
    settings: &CrateSettings,
    file: &str,
    head: TokenStream,
    chunks: impl Iterator<Item = TokenStream>,
) -> Result<String, EmitError> {
    let parse = |tokens: TokenStream| {
        syn::parse2::<syn::File>(tokens).map_err(|e| EmitError {
            file: file.to_owned(),
            message: e.to_string(),
        })
    };
    let mut single = parse(head)?;
    // The file's inner attributes and docs, then a blank line, then its `use` lines.
    let head_items = std::mem::take(&mut single.items);
    let mut out = line_doc_comments(prettyplease::unparse(&single));
    single.attrs.clear();
    if !head_items.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        single.items = head_items;
        out.push_str(&prettyplease::unparse(&single));
        single.items.clear();
    }
    for chunk in chunks {
        let parsed = parse(chunk)?;
        // `mod` and `use` lines read as one block; everything else gets a blank line between.
        let tight = parsed
            .items
            .iter()
            .all(|item| matches!(item, syn::Item::Mod(_) | syn::Item::Use(_)));
        if tight {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&line_doc_comments(prettyplease::unparse(&parsed)));
            continue;
        }
        for item in parsed.items {
            if !out.is_empty() {
                out.push('\n');
            }
            single.items = vec![item];
            out.push_str(&line_doc_comments(prettyplease::unparse(&single)));
        }
    }
    Ok(format!("{}{out}", header(settings, "//")))
}

/// Rewrites the block doc comments prettyplease prints for multi-line doc attributes
/// (`/** a\n b*/`, `/*! ... */`) as the line comments hand-written code uses (`/// a`, `/// b`),
/// indented like the block. Only doc text is ever printed as a block: a generated line never
/// starts with `/**` or `/*!` otherwise (string literals that span lines hold JSON).
fn line_doc_comments(text: String) -> String {
    if !text.contains("/**") && !text.contains("/*!") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let marker = match body.get(..3) {
            Some("/**") => "///",
            Some("/*!") => "//!",
            _ => {
                out.push_str(line);
                continue;
            }
        };
        let mut rest = &body[3..];
        loop {
            let content = rest.trim_end_matches('\n');
            let (content, last) = match content.strip_suffix("*/") {
                Some(before) => (before, true),
                None => (content, false),
            };
            out.push_str(indent);
            out.push_str(marker);
            out.push_str(content.trim_end_matches(' '));
            out.push('\n');
            if last {
                break;
            }
            match lines.next() {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    out
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
            split_above: None,
        };
        let files = crates(&api, &settings).expect("emits");
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
            "#[serde(skip_serializing_if = \"::apigen_runtime::Nullable::is_absent\")]\n    pub note: ::apigen_runtime::Nullable<String>,",
            "use ::apigen_runtime::de::{FieldIndex, fill, required, skip};",
            "let fields = FieldIndex(&[\"name\", \"note\"]);",
            "name: required(f0, \"name\")?,",
            "note: f1.unwrap_or_default(),",
            "pub fn new(name: impl Into<String>) -> Self {",
            "Some(8u64),",
        ] {
            assert!(lib.contains(expected), "missing {expected:?} in:\n{lib}");
        }
    }
}
