//! The files of a client crate, as jobs: its manifest and `lib.rs` (or a module per tag).

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::call::ClientNames;
use super::docs::{DocText, code, inner_doc_line};
use super::format::{format_chunks, skip_rustfmt};
use super::jobs::Job;
use super::manifest::{manifest, with_feature};
use super::types::ident;
use super::validate::Checkable;
use super::{client, models_crate};
use crate::ir::Api;
use crate::settings::Settings;

/// The files of the client crate, when the settings name one: `Cargo.toml`, `src/lib.rs`, and a
/// file per module when split.
pub fn jobs<'a>(api: &'a Api, settings: &'a Settings) -> Vec<Job<'a>> {
    let Some(client_name) = &settings.client_name else {
        return Vec::new();
    };
    let layout = api.layout.as_ref();
    let dir = PathBuf::from(client_name);
    let dependencies = [
        format!(
            "apigen-runtime = {}",
            with_feature(&settings.runtime_dependency, "client")
        ),
        format!("{0} = {{ path = \"../{0}\" }}", settings.name),
        "serde_json = \"1\"".to_owned(),
    ];
    let manifest_text = manifest(settings, client_name, "Async client", &dependencies);
    let mut jobs = vec![Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone()))];
    let crate_names = move || {
        let krate = ident(&settings.client_rust_name().unwrap_or_default());
        let models = ident(&settings.models_rust_name());
        (krate, models)
    };
    let lib_path = format!("{client_name}/src/lib.rs");
    jobs.push(
        Job::new(dir.join("src/lib.rs"), move || {
            let (krate, models) = crate_names();
            let names = ClientNames {
                krate: &krate,
                models: &models,
            };
            let mut crate_docs = DocText::default();
            crate_docs.paragraph(&format!("Async client of {} (version {}).", api.title, api.version));
            if let Some(description) = &api.description {
                crate_docs.paragraph(description);
            }
            crate_docs.selection(api.selection.as_ref());
            crate_docs.own(&format!(
                "Generated from `{}` by `cargo xtask generate`. Each operation is a method of [`Client`] that \
             returns a call builder; `.await` it (or call `.send()`). Bodies are validated before anything \
             is sent; transport, authentication, retries and errors come from \
             `apigen-runtime`. The types are in [`models`] (the `{}` crate).",
                settings.spec_label, settings.name
            ));
            super::security::client_docs(api, &mut crate_docs);
            let skip = skip_rustfmt();
            let inner = crate_docs.attributes(true);
            let head = quote! { #skip #inner };
            match layout {
                None => {
                    let methods = client::methods(api, api.operations.iter(), &names);
                    let root = client::root(api, &names, methods);
                    let checkable = Checkable::new(&api.types);
                    let builders = api.operations.iter().map(|op| client::builder(api, op, &checkable));
                    format_chunks(settings, &lib_path, head, std::iter::once(root).chain(builders))
                }
                Some(layout) => {
                    let root = client::root(api, &names, TokenStream::new());
                    let modules = models_crate::module_declarations(&layout.operations);
                    format_chunks(settings, &lib_path, head, [root, modules].into_iter())
                }
            }
        })
        .weighing(if layout.is_some() { 1 } else { 3 * api.operations.len() }),
    );
    for module in layout.iter().flat_map(|l| &l.operations) {
        let path = format!("{client_name}/src/{}.rs", module.name.as_str());
        jobs.push(
            Job::new(dir.join(format!("src/{}.rs", module.name.as_str())), move || {
                let (krate, models) = crate_names();
                let names = ClientNames {
                    krate: &krate,
                    models: &models,
                };
                let about = match &module.tag {
                    Some(tag) => format!("The operations tagged `{}`.", code(tag)),
                    None => "The operations without a tag.".to_owned(),
                };
                let about = inner_doc_line(&about);
                let operations = || module.items.iter().map(|&i| &api.operations[i]);
                let methods = client::methods(api, operations(), &names);
                let skip = skip_rustfmt();
                let head = quote! {
                    #skip
                    #about
                    use super::*;
                };
                let block = quote! { impl Client { #methods } };
                let checkable = Checkable::new(&api.types);
                let builders = operations().map(|op| client::builder(api, op, &checkable));
                format_chunks(settings, &path, head, std::iter::once(block).chain(builders))
            })
            .weighing(3 * module.items.len()),
        );
    }
    jobs
}
