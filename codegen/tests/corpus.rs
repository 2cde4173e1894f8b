//! Real-world specs from `../shared/corpus/`, generated with `generate_into` (as `cargo xtask
//! generate --spec --out` does) into a temporary workspace, then checked with `cargo clippy`,
//! warnings (rustc's and clippy's) denied, test targets included, and documented with `cargo doc`,
//! rustdoc's warnings denied.
//!
//! CI checks the small specs and nexus; `APIGEN_CORPUS=all` (as `scripts/corpus_check.sh` sets it)
//! adds api.github.com. The OpenAPI 3.1 document (openstack-placement) goes through the loader's
//! 3.1-to-3.0 normalization.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen_codegen::workspace::{GenerateInto, generate_into};

const IN_CI: &[&str] = &[
    "petstore.yaml",
    "petstore-expanded.yaml",
    "uspto.yaml",
    "keeper.json",
    "buildomat.json",
    "propolis-server.json",
    "nexus.json",
    "openstack-placement-v1.yaml",
];
const LARGE: &[&str] = &["api.github.com.json"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

#[test]
fn generated_corpus_crates_pass_clippy_and_rustdoc_without_warnings() {
    let root = workspace_root();
    let corpus = root.join("../shared/corpus");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    let all = std::env::var("APIGEN_CORPUS").is_ok_and(|v| v == "all");
    let specs = IN_CI.iter().chain(if all { LARGE } else { &[] });
    for spec in specs {
        let path = corpus.join(spec);
        assert!(
            path.exists(),
            "{} is missing (the corpus lives in ../shared/corpus)",
            path.display()
        );
        if let Err(error) = generate_into(&path, out, &GenerateInto::default()) {
            panic!("{spec} does not generate:\n{error}");
        }
    }
    std::fs::write(
        out.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"*-models\", \"*-client\"]\n",
    )
    .expect("workspace manifest");
    // The workspace's lock file pins the same dependency versions the generated crates use here.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ];
    // Spec prose becomes doc comments: rustdoc must find no broken link, bare URL or stray tag in it.
    let doc = ["doc", "--workspace", "--no-deps", "--quiet"];
    for args in [&clippy[..], &doc[..]] {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(out)
            .env("CARGO_TARGET_DIR", root.join("target/corpus-check"))
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo {} of the generated corpus crates failed:\n{}",
            args[0],
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
