//! The files of a models crate, as jobs: its manifest, `lib.rs` (or a module per tag), and the
//! round-trip test of every documented example.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{DocText, code, inner_doc_line};
use super::format::{format_chunks, skip_rustfmt};
use super::jobs::Job;
use super::manifest::manifest;
use super::types::ident;
use super::validate::Checkable;
use super::{examples, models};
use crate::ir::{Api, Module};
use crate::settings::Settings;

/// The files of the models crate: `Cargo.toml`, `src/lib.rs`, a file per module when split, and
/// the example tests.
pub fn jobs<'a>(api: &'a Api, settings: &'a Settings, checkable: &'a Checkable<'a>) -> Vec<Job<'a>> {
    let layout = api.layout.as_ref();
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
            let mut crate_docs = DocText::default();
            crate_docs.paragraph(&format!("Models of {} (version {}).", api.title, api.version));
            if let Some(description) = &api.description {
                crate_docs.paragraph(description);
            }
            crate_docs.selection(api.selection.as_ref());
            crate_docs.paragraph(&format!(
                "Generated from `{}` by `cargo xtask generate`. Every type implements [`Validate`], which \
             checks the constraints its schema documents; it, [`Nullable`] and [`Binary`] are re-exported \
             from `apigen-runtime`, so a crate that uses these types needs no other dependency.",
                settings.spec_label
            ));
            let skip = skip_rustfmt();
            let inner = crate_docs.attributes(true);
            let head = quote! {
                #skip
                #inner
                pub use ::apigen_runtime::{Binary, Nullable, Validate, ValidationError, Violation};
            };
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
        let path = format!("{}/src/{}.rs", settings.name, module.name.as_str());
        jobs.push(
            Job::new(dir.join(format!("src/{}.rs", module.name.as_str())), move || {
                let about = match &module.tag {
                    Some(tag) => format!("Types the `{}` operations are the first to use.", code(tag)),
                    None => "Types that no tagged operation is the first to use.".to_owned(),
                };
                let about = inner_doc_line(&about);
                let imported: Vec<syn::Ident> = module.imports.iter().map(ident).collect();
                let uses = if imported.is_empty() {
                    TokenStream::new()
                } else {
                    quote! { use super::{#(#imported),*}; }
                };
                // Each file asks rustfmt to leave it alone: the attribute on `lib.rs` does not
                // reach out-of-line modules.
                let skip = skip_rustfmt();
                let head = quote! { #skip #about #uses };
                let items = module.items.iter().map(|&i| models::type_def(&api.types[i], checkable));
                format_chunks(settings, &path, head, items)
            })
            .weighing(module.items.len()),
        );
    }
    if settings.example_tests && !api.examples.is_empty() {
        let path = format!("{}/tests/examples.rs", settings.name);
        jobs.push(Job::new(dir.join("tests/examples.rs"), move || {
            let krate = ident(&settings.models_rust_name());
            let doc = inner_doc_line(&format!(
                "Every documented example in `{}` survives a round trip through the type it documents.",
                code(&settings.spec_label)
            ));
            let skip = skip_rustfmt();
            format_chunks(
                settings,
                &path,
                quote! { #skip #doc },
                std::iter::once(examples::items(api, &krate)),
            )
        }));
    }
    jobs
}

/// `mod a; ... pub use a::*; ...` for the modules of a split crate.
pub fn module_declarations(modules: &[Module]) -> TokenStream {
    let names: Vec<syn::Ident> = modules.iter().map(|m| ident(&m.name)).collect();
    quote! {
        #(mod #names;)*
        #(pub use #names::*;)*
    }
}
