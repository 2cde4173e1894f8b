//! The files of a command-line crate, as jobs: its manifest and `lib.rs`.
//!
//! The crate is a library, so that a binary can put several services together (`snapctl` in this
//! workspace puts EVS, DWS and Block Storage under one command) through the runtime's
//! `cli::main`; and it is a binary of its own, named after the generated name, whose commands are
//! the operations, so that any spec gives a working command line without a `main` to write.

use std::path::PathBuf;

use quote::quote;

use super::cli;
use super::docs::{DocText, code};
use super::format::{format_chunks, skip_rustfmt};
use super::jobs::Job;
use super::manifest::{manifest, with_feature};
use super::types::ident;
use crate::ir::Api;
use crate::settings::Settings;

/// The files of the CLI crate, when the settings name one (and a client crate).
pub fn jobs<'a>(api: &'a Api, settings: &'a Settings) -> Vec<Job<'a>> {
    let (Some((cli_name, command)), Some(client_name)) = (&settings.cli, &settings.client_name) else {
        return Vec::new();
    };
    let dir = PathBuf::from(cli_name);
    let dependencies = [
        format!("apigen-runtime = {}", with_feature(&settings.runtime_dependency, "cli")),
        format!("{client_name} = {{ path = \"../{client_name}\" }}"),
        // Untyped parameters and bodies are read as `serde_json::Value`, as in every crate of the four.
        "serde_json = \"1\"".to_owned(),
    ];
    let manifest_text = format!(
        "{}\n# The command itself; its documentation is the library's.\n[[bin]]\nname = \"{command}\"\npath = \"src/main.rs\"\ndoc = false\n",
        manifest(settings, cli_name, "Command-line tool", &dependencies)
    );
    let lib_path = format!("{cli_name}/src/lib.rs");
    let main_path = format!("{cli_name}/src/main.rs");
    vec![
        Job::new(dir.join("src/main.rs"), move || {
            let lib = ident(&settings.cli_rust_name().unwrap_or_default());
            let doc = super::docs::inner_doc_line(&format!(
                "The `{}` command: the operations of {} as its subcommands.",
                code(command),
                api.title
            ));
            let skip = skip_rustfmt();
            let head = quote! { #skip #doc };
            let body = quote! {
                static CLI: ::apigen_runtime::cli::Cli =
                    ::apigen_runtime::cli::Cli::single(#command, env!("CARGO_PKG_VERSION"), &[&::#lib::SERVICE]);

                fn main() -> ::std::process::ExitCode {
                    ::apigen_runtime::cli::main(&CLI)
                }
            };
            format_chunks(settings, &main_path, head, std::iter::once(body))
        }),
        Job::new(dir.join("Cargo.toml"), move || Ok(manifest_text.clone())),
        Job::new(dir.join("src/lib.rs"), move || {
            let client = ident(&settings.client_rust_name().unwrap_or_default());
            let mut docs = DocText::default();
            docs.paragraph(&format!("Command line of {} (version {}).", api.title, api.version));
            docs.own(&format!(
                "Generated from `{}` by `cargo xtask generate`. [`SERVICE`] is this API as the subcommand `{}`: a \
                 subcommand per operation, a flag per parameter and body field, each validated before anything \
                 is sent. Put it in a binary with `apigen_runtime::cli::main`; the commands, configuration, \
                 output formats and exit codes come from `apigen-runtime`, the calls from the `{}` crate.",
                settings.spec_label,
                code(command),
                client_name
            ));
            let skip = skip_rustfmt();
            let inner = docs.attributes(true);
            let head = quote! {
                #skip
                #inner
                use ::#client as client;
                #[allow(unused_imports)]
                use client::models;
            };
            let tables = api.operations.iter().map(cli::operation_table);
            format_chunks(
                settings,
                &lib_path,
                head,
                std::iter::once(cli::root(api, command)).chain(tables),
            )
        })
        .weighing(api.operations.len()),
    ]
}
