//! `apigen-codegen`: OpenAPI 3.0 and 3.1 specs to Rust crates.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML or JSON to `openapiv3`, the only module that knows YAML) ->
//! [`lower`] (references resolved, names assigned, plain-data [`ir`]) ->
//! [`emit`] (`quote!` -> `syn::File` -> prettyplease) -> [`output`] (all files, or none, on disk).
//! Names come from [`naming`] alone; problems are located [`diagnostic`]s.
#![deny(missing_docs)]

pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod selection;
pub mod settings;
pub mod workspace;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use output::GeneratedFile;
pub use settings::Settings;

/// Why generation produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; every one found is listed.
    #[error("{0}")]
    Spec(Diagnostics),
    /// The crate name cannot name a Rust crate.
    #[error("`{0}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter")]
    CrateName(String),
    /// The generator emitted invalid Rust: a generator bug.
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    /// Reading or writing files failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: std::path::PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// Generated files with the warnings found on the way.
#[derive(Debug, Default)]
pub struct Generated {
    /// The files, relative to the output root.
    pub files: Vec<GeneratedFile>,
    /// Warnings: generation went on, but something was approximated or skipped.
    pub warnings: Diagnostics,
    /// What a selection of operations kept, when there was one.
    pub selection: Option<ir::Selected>,
}

/// Loads `spec`, lowers it and emits its models crate, and its client crate when the settings
/// name one.
pub fn generate_models(spec: &Path, settings: &Settings) -> Result<Generated, GenerateError> {
    // Both crate names become Rust identifiers; check them before anything uses them.
    for name in std::iter::once(&settings.name).chain(settings.client_name.as_ref()) {
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(GenerateError::CrateName(name.clone()));
        }
    }
    let loaded = load::load(spec).map_err(GenerateError::Spec)?;
    let (api, warnings) = lower::lower(&loaded, settings).map_err(GenerateError::Spec)?;
    // The parsed document is no longer needed; freeing a large one takes a while, so another
    // thread does it while emission runs.
    let freeing = std::thread::Builder::new().spawn(move || drop(loaded));
    let files = emit::crates(&api, settings)?;
    if let Ok(freeing) = freeing {
        let _ = freeing.join();
    }
    Ok(Generated {
        files,
        warnings,
        selection: api.selection,
    })
}
