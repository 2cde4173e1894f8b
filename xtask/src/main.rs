//! `cargo xtask`: the workspace's development tasks. Thin: the work lives in `apigen-codegen`.

use std::process::ExitCode;

use std::path::PathBuf;

use apigen_codegen::output::Changes;
use apigen_codegen::workspace::{self, Workspace};
use apigen_codegen::{Diagnostics, GenerateError};

/// See the note on the dependency in `Cargo.toml`: jemalloc, for speed.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  generate                 regenerate every crate under generated/ from spec/ (all files or none)
  generate --spec PATH --out DIR [--name NAME]
                           generate the models and client crates of any OpenAPI spec into
                           DIR/NAME-models and DIR/NAME-client (NAME defaults to the file name)
  check                    exit non-zero if generated/ is not what `generate` would write";

fn main() -> ExitCode {
    quiet_caught_reader_panics();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workspace = Workspace::of_this_crate();
    match args.first().map(String::as_str) {
        Some("generate") if args.len() > 1 => match SpecArgs::parse(&args[1..]) {
            Ok(spec) => generate_spec(&spec),
            Err(message) => {
                eprintln!("{message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("generate") => generate(&workspace),
        Some("check") => check(&workspace),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
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

/// `--spec PATH --out DIR [--name NAME]`.
struct SpecArgs {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
}

impl SpecArgs {
    fn parse(args: &[String]) -> Result<Self, String> {
        let (mut spec, mut out, mut name) = (None, None, None);
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = || args.clone().next().cloned().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--spec" => spec = Some(PathBuf::from(value()?)),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--name" => name = Some(value()?),
                other => return Err(format!("unknown argument `{other}`")),
            }
            args.next();
        }
        match (spec, out) {
            (Some(spec), Some(out)) => Ok(SpecArgs { spec, out, name }),
            _ => Err("--spec and --out go together".to_owned()),
        }
    }
}

fn generate_spec(args: &SpecArgs) -> ExitCode {
    let place = args.out.display().to_string();
    report(
        workspace::generate_into(&args.spec, &args.out, args.name.as_deref()),
        &place,
    )
}

fn generate(workspace: &Workspace) -> ExitCode {
    report(workspace.write(), "generated/")
}

/// Prints the warnings and what changed, or the errors; the exit status says which.
fn report(result: Result<(Changes, Diagnostics), GenerateError>, place: &str) -> ExitCode {
    match result {
        Ok((changes, warnings)) => {
            if !warnings.0.is_empty() {
                eprintln!("{warnings}");
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
