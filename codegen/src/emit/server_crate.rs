//! The files of a server crate, as jobs: its manifest and `lib.rs`.

use std::path::PathBuf;

use quote::quote;

use super::docs::DocText;
use super::format::{format_chunks, skip_rustfmt};
use super::jobs::Job;
use super::manifest::{manifest, with_feature};
use super::server;
use super::types::ident;
use super::validate::Checkable;
use crate::ir::Api;
use crate::settings::Settings;

/// The files of the server crate, when the settings name one: `Cargo.toml` and `src/lib.rs`.
pub fn jobs<'a>(api: &'a Api, settings: &'a Settings) -> Vec<Job<'a>> {
    let Some(server_name) = &settings.server_name else {
        return Vec::new();
    };
    let dir = PathBuf::from(server_name);
    let dependencies = [
        format!("apigen-runtime = {}", with_feature(&settings.runtime_dependency, "server")),
        format!("{0} = {{ path = \"../{0}\" }}", settings.name),
        "serde_json = \"1\"".to_owned(),
    ];
    let manifest_text = manifest(settings, server_name, "Server", &dependencies);
    let lib_path = format!("{server_name}/src/lib.rs");
    vec![
        Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone())),
        Job::new(dir.join("src/lib.rs"), move || {
            let models = ident(&settings.models_rust_name());
            let mut crate_docs = DocText::default();
            crate_docs.paragraph(&format!("Server of {} (version {}).", api.title, api.version));
            if let Some(description) = &api.description {
                crate_docs.paragraph(description);
            }
            crate_docs.own(&format!(
                "Generated from `{}` by `cargo xtask generate`. Implement [`Api`], one async method per \
                 operation, and serve [`router`]: each method gets its operation's inputs already read and \
                 checked against the document, and answers with one of its documented responses. A request \
                 that breaks the document is answered by [`Api::reject`] and never reaches a method. The \
                 types are in [`models`] (the `{}` crate); routing, decoding and refusals come from \
                 `apigen-runtime`.",
                settings.spec_label, settings.name
            ));
            let skip = skip_rustfmt();
            let inner = crate_docs.attributes(true);
            let head = quote! { #skip #inner };
            let checkable = Checkable::new(&api.types);
            let root = server::root(api, &models);
            let per_operation = api.operations.iter().map(move |op| {
                let input = server::input(op, &checkable);
                let response = server::response(op);
                quote! { #input #response }
            });
            let handlers = server::handlers(api);
            format_chunks(
                settings,
                &lib_path,
                head,
                std::iter::once(root).chain(per_operation).chain(std::iter::once(handlers)),
            )
        })
        .weighing(3 * api.operations.len()),
    ]
}
