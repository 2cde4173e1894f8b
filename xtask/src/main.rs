//! `cargo xtask`: the workspace's development tasks. Thin: the work lives in `apigen-codegen`.

use std::process::ExitCode;

use std::path::PathBuf;

use apigen_codegen::GenerateError;
use apigen_codegen::workspace::{self, GenerateInto, Pick, RuntimeSource, Workspace, Written};

/// See the note on the dependency in `Cargo.toml`: jemalloc, for speed.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The workspace's development tasks.
#[derive(Debug, clap::Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
enum Task {
    /// Regenerate every crate under generated/ from spec/ (all files or none); with --spec, the
    /// models and client crates of any OpenAPI 3.0 or 3.1 spec.
    Generate(Box<GenerateArgs>),
    /// Exit non-zero if generated/ is not what `generate` would write.
    Check,
}

/// `generate [--spec PATH --out DIR ...]`.
#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// The spec to generate from, instead of every spec under spec/.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Where the crates go: DIR/NAME-models and DIR/NAME-client.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// The crates' base name; the spec's file name in kebab case by default.
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// A settings file (client-defaults, openstack-service-type, split-above); by default the
    /// one beside the spec, SPEC-STEM.apigen.toml, if there is one.
    #[arg(long, requires = "spec", value_name = "FILE")]
    settings: Option<PathBuf>,
    /// A path parameter the client configuration supplies (Config::path_default), as
    /// `x-client-default: true` would say; repeatable.
    #[arg(long = "client-default", requires = "spec", value_name = "PARAMETER")]
    client_defaults: Vec<String>,
    /// The OpenStack service type (`volume`), as `info.x-openstack.service-type` would say: calls
    /// then take a microversion.
    #[arg(long, requires = "spec", value_name = "TYPE")]
    openstack_service_type: Option<String>,
    /// Split the crates into a module per tag above this many types and operations.
    #[arg(long, requires = "spec", value_name = "ITEMS")]
    split_above: Option<usize>,
    /// Generate only the operations with this tag (and those other includes name), and the
    /// types they reach; repeatable.
    #[arg(long = "include-tag", requires = "spec", value_name = "TAG")]
    include_tags: Vec<String>,
    /// Generate only the operations whose path matches this glob (`/users/*` one segment,
    /// `/users/**` any depth); repeatable.
    #[arg(long = "include-path", requires = "spec", value_name = "GLOB")]
    include_paths: Vec<String>,
    /// Generate only the operation with this operationId; repeatable.
    #[arg(long = "include-operation", requires = "spec", value_name = "ID")]
    include_operations: Vec<String>,
    /// Leave out the operations with this tag, even when an include names them; repeatable.
    #[arg(long = "exclude-tag", requires = "spec", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Leave out the operations whose path matches this glob; repeatable.
    #[arg(long = "exclude-path", requires = "spec", value_name = "GLOB")]
    exclude_paths: Vec<String>,
    /// Leave out the operation with this operationId; repeatable.
    #[arg(long = "exclude-operation", requires = "spec", value_name = "ID")]
    exclude_operations: Vec<String>,
    /// Where the crates find apigen-runtime: a path relative to DIR, written into their manifests
    /// as given. By default, this workspace's runtime/, relative to DIR.
    #[arg(long, requires = "spec", value_name = "PATH", conflicts_with_all = ["runtime_git", "runtime_version"])]
    runtime_path: Option<String>,
    /// Where the crates find apigen-runtime: a git repository (the workspace that holds it).
    #[arg(long, requires = "spec", value_name = "URL", conflicts_with = "runtime_version")]
    runtime_git: Option<String>,
    /// The revision (commit, tag or branch) of --runtime-git.
    #[arg(long, requires = "runtime_git", value_name = "REV")]
    runtime_rev: Option<String>,
    /// Where the crates find apigen-runtime: this version requirement, from a registry.
    #[arg(long, requires = "spec", value_name = "VERSION")]
    runtime_version: Option<String>,
}

/// Tags, globs and operationIds as the patterns of a selection.
fn picks(tags: Vec<String>, paths: Vec<String>, operations: Vec<String>) -> Vec<Pick> {
    tags.into_iter()
        .map(Pick::Tag)
        .chain(paths.into_iter().map(Pick::Path))
        .chain(operations.into_iter().map(Pick::Operation))
        .collect()
}

fn main() -> ExitCode {
    quiet_caught_reader_panics();
    let task = match <Task as clap::Parser>::try_parse() {
        Ok(task) => task,
        Err(error) => {
            // Help and version go to stdout with success; a usage error to stderr with 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let workspace = Workspace::of_this_crate();
    match task {
        Task::Generate(args) => match *args {
            GenerateArgs {
                spec: Some(spec),
                out: Some(out),
                name,
                settings,
                client_defaults,
                openstack_service_type,
                split_above,
                include_tags,
                include_paths,
                include_operations,
                exclude_tags,
                exclude_paths,
                exclude_operations,
                runtime_path,
                runtime_git,
                runtime_rev,
                runtime_version,
            } => {
                let runtime = match (runtime_path, runtime_git, runtime_version) {
                    (Some(path), _, _) => Some(RuntimeSource::Path(path)),
                    (_, Some(url), _) => Some(RuntimeSource::Git { url, rev: runtime_rev }),
                    (_, _, Some(version)) => Some(RuntimeSource::Version(version)),
                    (None, None, None) => None,
                };
                let options = GenerateInto {
                    name,
                    settings_file: settings,
                    client_defaults,
                    openstack_service_type,
                    split_above,
                    include: picks(include_tags, include_paths, include_operations),
                    exclude: picks(exclude_tags, exclude_paths, exclude_operations),
                    runtime,
                };
                let place = out.display().to_string();
                report(workspace::generate_into(&spec, &out, &options), &place)
            }
            _ => generate(&workspace),
        },
        Task::Check => check(&workspace),
    }
}

/// `openapiv3` panics on some malformed documents; the generator catches those panics and
/// reports the document as invalid, so their default "thread panicked" message would only confuse.
/// Every other panic is still printed.
fn quiet_caught_reader_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_reader = info.location().is_some_and(|l| l.file().contains("openapiv3"));
        if !in_reader {
            default(info);
        }
    }));
}

fn generate(workspace: &Workspace) -> ExitCode {
    let written = workspace.write().map(|(changes, warnings)| Written {
        changes,
        warnings,
        selection: None,
    });
    report(written, "generated/")
}

/// Prints the warnings and what changed, or the errors; the exit status says which.
fn report(result: Result<Written, GenerateError>, place: &str) -> ExitCode {
    match result {
        Ok(Written {
            changes,
            warnings,
            selection,
        }) => {
            if !warnings.0.is_empty() {
                eprintln!("{warnings}");
            }
            if let Some(selected) = selection {
                let (operations, of_operations) = selected.operations;
                let (types, of_types) = selected.types;
                println!(
                    "selected {operations} of {of_operations} operations ({}): left out {} operations and {} of {of_types} types",
                    selected.patterns.join(", "),
                    of_operations - operations,
                    of_types - types,
                );
            }
            if changes.is_empty() {
                println!("{place} is up to date ({} files unchanged)", changes.unchanged);
            } else {
                print!("{}", changes.describe(false));
                println!(
                    "{place}: {} added, {} changed, {} removed, {} unchanged",
                    changes.added.len(),
                    changes.changed.len(),
                    changes.removed.len(),
                    changes.unchanged
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            eprintln!("nothing was written to {place}");
            ExitCode::FAILURE
        }
    }
}

fn check(workspace: &Workspace) -> ExitCode {
    match workspace.check() {
        Ok(changes) if changes.is_empty() => {
            println!("generated/ is up to date");
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            eprint!("{}", changes.describe(true));
            eprintln!("generated/ is stale: run `cargo xtask generate`");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
