//! This workspace's own job: every spec under `spec/` to a models, a client and a server crate
//! under `generated/`.
//!
//! One function builds the output in memory; `cargo xtask generate` writes it and the freshness
//! test compares it, so the two can never disagree about what "fresh" means.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::output::{self, Changes};
use crate::{GenerateError, Generated, Settings, generate_models};

/// The workspace layout, from its root.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The workspace at `root` (the directory holding `spec/` and `generated/`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Workspace { root: root.into() }
    }

    /// The workspace this crate is built in.
    pub fn of_this_crate() -> Self {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        Workspace::new(manifest_dir.parent().unwrap_or(manifest_dir))
    }

    /// `spec/`.
    pub fn spec_dir(&self) -> PathBuf {
        self.root.join("spec")
    }

    /// `generated/`.
    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// The spec files, sorted by name: every `.yaml`, `.yml` and `.json` directly under `spec/`.
    pub fn specs(&self) -> Result<Vec<PathBuf>, GenerateError> {
        let dir = self.spec_dir();
        let io = |source| GenerateError::Io {
            path: dir.clone(),
            source,
        };
        let mut specs = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let is_spec = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
            if is_spec && path.is_file() {
                specs.push(path);
            }
        }
        specs.sort();
        Ok(specs)
    }

    /// Everything `generated/` must hold, built in memory. Every spec is tried, so that the
    /// errors of all of them are reported together.
    pub fn generate(&self) -> Result<Generated, GenerateError> {
        let mut all = Generated::default();
        let mut errors = Diagnostics::default();
        for spec in self.specs()? {
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api").to_owned();
            let relative = spec.strip_prefix(&self.root).unwrap_or(&spec);
            let settings = Settings::new(format!("{stem}-models"))
                .client(format!("{stem}-client"))
                .server(format!("{stem}-server"))
                .cli(format!("{stem}-cli"), stem.clone())
                .spec_label(relative.to_string_lossy().replace('\\', "/"))
                .runtime_dependency(r#"{ path = "../../runtime" }"#);
            let spec = relative_if_possible(&self.root, &spec);
            let settings = match settings.apply_file_for(&spec) {
                Ok(settings) => settings,
                Err(diagnostics) => {
                    errors.0.extend(diagnostics.0);
                    continue;
                }
            };
            match generate_models(&spec, &settings) {
                Ok(generated) => {
                    all.files.extend(generated.files);
                    all.warnings.0.extend(generated.warnings.0);
                }
                Err(GenerateError::Spec(diagnostics)) => errors.0.extend(diagnostics.0),
                Err(other) => return Err(other),
            }
        }
        if errors.has_errors() {
            errors.0.extend(all.warnings.0);
            return Err(GenerateError::Spec(errors));
        }
        Ok(all)
    }

    /// Regenerates `generated/`: all files or, on any error, none.
    pub fn write(&self) -> Result<(Changes, Diagnostics), GenerateError> {
        let generated = self.generate()?;
        let dir = self.generated_dir();
        let changes =
            output::write_all(&dir, &generated.files).map_err(|source| GenerateError::Io { path: dir, source })?;
        Ok((changes, generated.warnings))
    }

    /// How `generated/` differs from a fresh generation; empty when it is fresh.
    pub fn check(&self) -> Result<Changes, GenerateError> {
        let generated = self.generate()?;
        let dir = self.generated_dir();
        output::compare(&dir, &generated.files).map_err(|source| GenerateError::Io { path: dir, source })
    }
}

/// Diagnostics name the spec as `spec/x.yaml` when run from the workspace root.
fn relative_if_possible(root: &Path, spec: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(cwd) if cwd == root => spec.strip_prefix(root).unwrap_or(spec).to_owned(),
        _ => spec.to_owned(),
    }
}

/// What `generate_into` takes besides the spec and the output directory.
#[derive(Debug, Clone, Default)]
pub struct GenerateInto {
    /// The crates' base name (`<name>-models`, `<name>-client`); the spec's file name in kebab
    /// case when `None`.
    pub name: Option<String>,
    /// The settings file; the one beside the spec ([`Settings::file_for`]), if any, when `None`.
    pub settings_file: Option<PathBuf>,
    /// Path parameters the client configuration supplies, beyond the file's.
    pub client_defaults: Vec<String>,
    /// The OpenStack service type, over the file's.
    pub openstack_service_type: Option<String>,
    /// The module-per-tag threshold, over the file's.
    pub split_above: Option<usize>,
    /// Operations to generate, beside the file's: by tag, path glob and operationId.
    pub include: Vec<Pick>,
    /// Operations to leave out, beside the file's.
    pub exclude: Vec<Pick>,
    /// Where the crates find `apigen-runtime`; this workspace's `runtime/`, by a path relative to
    /// the output directory, when `None`.
    pub runtime: Option<RuntimeSource>,
}

/// One operation pattern of a selection (`--include-tag users.user`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// The operations with this tag.
    Tag(String),
    /// The operations whose path template matches this glob.
    Path(String),
    /// The operation with this operationId.
    Operation(String),
}

/// Where a crate generated outside this workspace finds `apigen-runtime`, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A path, written as given: relative to the output directory.
    Path(String),
    /// A git repository holding the runtime, at a revision if given.
    Git {
        /// The repository URL.
        url: String,
        /// A commit, tag or branch.
        rev: Option<String>,
    },
    /// A version requirement, from a registry.
    Version(String),
}

impl RuntimeSource {
    /// The dependency's TOML value.
    fn dependency(&self) -> String {
        let quoted = |text: &str| toml_string(text);
        match self {
            RuntimeSource::Path(path) => format!("{{ path = {} }}", quoted(path)),
            RuntimeSource::Git { url, rev: None } => format!("{{ git = {} }}", quoted(url)),
            RuntimeSource::Git { url, rev: Some(rev) } => {
                format!("{{ git = {}, rev = {} }}", quoted(url), quoted(rev))
            }
            RuntimeSource::Version(version) => quoted(version),
        }
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `target` as a path relative to `base` (both absolute): `../../runtime`. `None` when they share
/// no root (another drive).
fn relative_path(base: &Path, target: &Path) -> Option<PathBuf> {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = target.components().collect();
    if base.first() != target.first() {
        return None;
    }
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..base.len() {
        path.push("..");
    }
    for part in &target[common..] {
        path.push(part);
    }
    Some(path)
}

/// Generates the models, client, server and CLI crates of any spec into `out` (`out/<name>-models`,
/// `out/<name>-client`, `out/<name>-server`, `out/<name>-cli`), replacing those four directories
/// and nothing else, all or nothing.
/// Settings come from the settings file, then from `options` (as command-line flags do). The
/// crates find the runtime where `options.runtime` says, else this workspace's `runtime/` by a
/// path relative to `out`; their manifests hold no absolute path.
pub fn generate_into(spec: &Path, out: &Path, options: &GenerateInto) -> Result<Written, GenerateError> {
    let name = options.name.as_deref();
    let base = match name {
        Some(name) => name.to_owned(),
        None => crate_base_name(spec),
    };
    let runtime = match &options.runtime {
        Some(source) => source.clone(),
        None => RuntimeSource::Path(runtime_path_from(out)?),
    };
    // A path is relative to DIR; each manifest is one directory further down.
    let runtime = match runtime {
        RuntimeSource::Path(path) if Path::new(&path).is_relative() => RuntimeSource::Path(format!("../{path}")),
        other => other,
    };
    // The manifest names the spec by its file name: where it lay on this machine means nothing on
    // another.
    let label = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.to_string_lossy().into_owned());
    let settings = Settings::new(format!("{base}-models"))
        .client(format!("{base}-client"))
        .server(format!("{base}-server"))
        .cli(format!("{base}-cli"), base.clone())
        .spec_label(label)
        .runtime_dependency(runtime.dependency());
    let mut settings = match &options.settings_file {
        Some(file) => settings.apply_file(file),
        None => settings.apply_file_for(spec),
    }
    .map_err(GenerateError::Spec)?;
    for name in &options.client_defaults {
        settings = settings.client_default(name.clone());
    }
    if let Some(service_type) = &options.openstack_service_type {
        settings = settings.openstack_service_type(service_type.clone());
    }
    if let Some(items) = options.split_above {
        settings = settings.split_above(items);
    }
    for pick in &options.include {
        settings = match pick.clone() {
            Pick::Tag(tag) => settings.include_tag(tag),
            Pick::Path(glob) => settings.include_path(glob),
            Pick::Operation(id) => settings.include_operation(id),
        };
    }
    for pick in &options.exclude {
        settings = match pick.clone() {
            Pick::Tag(tag) => settings.exclude_tag(tag),
            Pick::Path(glob) => settings.exclude_path(glob),
            Pick::Operation(id) => settings.exclude_operation(id),
        };
    }
    let generated = generate_models(spec, &settings)?;
    let changes = output::write_dirs(out, &generated.files).map_err(|source| GenerateError::Io {
        path: out.to_owned(),
        source,
    })?;
    Ok(Written {
        changes,
        warnings: generated.warnings,
        selection: generated.selection,
    })
}

/// What [`generate_into`] did.
#[derive(Debug)]
pub struct Written {
    /// The files added, changed and removed.
    pub changes: Changes,
    /// Warnings: generation went on, but something was approximated or skipped.
    pub warnings: Diagnostics,
    /// What a selection of operations kept, when there was one.
    pub selection: Option<crate::ir::Selected>,
}

/// This workspace's `runtime/` as a path from `out`, with `/` between parts whatever the platform.
fn runtime_path_from(out: &Path) -> Result<String, GenerateError> {
    let runtime = Workspace::of_this_crate().root.join("runtime");
    let runtime = std::fs::canonicalize(&runtime).unwrap_or(runtime);
    let io = |source| GenerateError::Io {
        path: out.to_owned(),
        source,
    };
    let out_abs = absolute_without_creating(out).map_err(io)?;
    let relative = relative_path(&out_abs, &runtime).ok_or_else(|| {
        io(std::io::Error::other(format!(
            "{} shares no root with the runtime at {}: pass --runtime-path, --runtime-git or --runtime-version",
            out.display(),
            runtime.display()
        )))
    })?;
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// `path` made absolute with its links resolved, though it may not exist yet: its nearest existing
/// ancestor is resolved and the rest appended (nothing is created before generation succeeds).
fn absolute_without_creating(path: &Path) -> std::io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(existing)?;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// `api.github.com.json` -> `api-github-com`: lower case, runs of other characters as one `-`,
/// starting with a letter.
pub fn crate_base_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_file_names() {
        for (file, name) in [
            ("api.github.com.json", "api-github-com"),
            ("openstack-placement-v1.yaml", "openstack-placement-v1"),
            ("2fa_API.yaml", "api-2fa-api"),
            ("évs.yaml", "vs"),
        ] {
            assert_eq!(crate_base_name(Path::new(file)), name);
        }
    }
}
