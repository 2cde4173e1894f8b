//! The files of a server crate, as jobs: its manifest, `lib.rs`, and the loopback test against the
//! client crate when there is one.

use std::path::PathBuf;

use quote::quote;

use super::docs::{DocText, code, inner_doc_line};
use super::format::{format_chunks, skip_rustfmt};
use super::jobs::Job;
use super::manifest::{manifest, with_feature};
use super::types::ident;
use super::validate::Checkable;
use super::{loopback, server};
use crate::ir::{Api, Name};
use crate::settings::Settings;

/// The files of the server crate, when the settings name one: `Cargo.toml` and `src/lib.rs`.
pub fn jobs<'a>(api: &'a Api, settings: &'a Settings) -> Vec<Job<'a>> {
    let Some(server_name) = &settings.server_name else {
        return Vec::new();
    };
    let dir = PathBuf::from(server_name);
    let dependencies = [
        format!(
            "apigen-runtime = {}",
            with_feature(&settings.runtime_dependency, "server")
        ),
        format!("{0} = {{ path = \"../{0}\" }}", settings.name),
        "serde_json = \"1\"".to_owned(),
    ];
    let loopback = settings.example_tests && settings.client_name.is_some() && loopback::has_tests(api);
    let mut manifest_text = manifest(settings, server_name, "Server", &dependencies);
    // The mock: the spec's router over an implementation that answers from the document.
    let mock = format!("{}-mock", settings.base_name());
    manifest_text.push_str(&format!(
        "\n# A mock of the API; its documentation is the library's.\n[[bin]]\nname = \"{mock}\"\npath = \"src/main.rs\"\ndoc = false\n"
    ));
    if let (true, Some(client_name)) = (loopback, &settings.client_name) {
        // The loopback test talks to the server through the generated client.
        manifest_text.push_str(&format!(
            "\n[dev-dependencies]\n{client_name} = {{ path = \"../{client_name}\" }}\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n"
        ));
    }
    let lib_path = format!("{server_name}/src/lib.rs");
    let mut jobs = vec![
        Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone())),
        Job::new(dir.join("src/lib.rs"), move || {
            let models = ident(&settings.models_rust_name());
            let mut crate_docs = DocText::default();
            crate_docs.paragraph(&format!("Server of {} (version {}).", api.title, api.version));
            if let Some(description) = &api.description {
                crate_docs.paragraph(description);
            }
            crate_docs.selection(api.selection.as_ref());
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
            let per_operation = api.operations.iter().chain(&api.webhooks).map(move |op| {
                let input = server::input(op, &checkable);
                let response = server::response(op);
                quote! { #input #response }
            });
            let handlers = server::handlers(api);
            let webhooks = server::webhooks(api);
            format_chunks(
                settings,
                &lib_path,
                head,
                std::iter::once(root).chain(per_operation).chain([handlers, webhooks]),
            )
        })
        .weighing(3 * (api.operations.len() + api.webhooks.len())),
    ];
    let main_path = format!("{server_name}/src/main.rs");
    jobs.push(
        Job::new(dir.join("src/main.rs"), move || {
            let server = ident(&Name::plain(server_name.replace('-', "_")));
            let binary = format!("{}-mock", settings.base_name());
            let doc = inner_doc_line(&format!(
                "`{binary}`: a mock of {}, answering each operation from its documented examples (or a value \
                 valid against its schema) behind the generated router, so a request that breaks the document \
                 gets its documented refusal. `Prefer: code=NNN` and `Prefer: example=NAME` pick an answer.",
                api.title
            ));
            let skip = skip_rustfmt();
            format_chunks(
                settings,
                &main_path,
                quote! { #skip #doc },
                std::iter::once(super::mock::items(api, &server, &binary)),
            )
        })
        .weighing(api.operations.len()),
    );
    if loopback {
        let path = format!("{server_name}/tests/loopback.rs");
        jobs.push(
            Job::new(dir.join("tests/loopback.rs"), move || {
                let server = ident(&Name::plain(server_name.replace('-', "_")));
                let client = ident(&settings.client_rust_name().unwrap_or_default());
                let doc = inner_doc_line(&format!(
                    "The client generated from `{}` talks to this server over loopback: every documented example \
                     request arrives in its handler typed and equal to the example, and every documented example \
                     response comes back to the client equal to the example.",
                    code(&settings.spec_label)
                ));
                let skip = skip_rustfmt();
                format_chunks(
                    settings,
                    &path,
                    quote! { #skip #doc },
                    std::iter::once(loopback::items(api, &server, &client)),
                )
            })
            .weighing(api.operations.len()),
        );
    }
    jobs
}
