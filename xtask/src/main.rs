//! `cargo xtask`: the workspace's development tasks. Thin: the work lives in `apigen-codegen`.

use std::process::ExitCode;

use apigen_codegen::workspace::Workspace;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  generate   regenerate every crate under generated/ from spec/ (all files or none)
  check      exit non-zero if generated/ is not what `generate` would write";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workspace = Workspace::of_this_crate();
    match args.first().map(String::as_str) {
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

fn generate(workspace: &Workspace) -> ExitCode {
    match workspace.write() {
        Ok((changes, warnings)) => {
            if !warnings.0.is_empty() {
                eprintln!("{warnings}");
            }
            if changes.is_empty() {
                println!("generated/ is up to date ({} files unchanged)", changes.unchanged);
            } else {
                print!("{}", changes.describe(false));
                println!(
                    "generated/: {} added, {} changed, {} removed, {} unchanged",
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
            eprintln!("nothing was written to generated/");
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
