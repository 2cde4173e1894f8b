//! Real-world specs from `../shared/corpus/`, generated with `generate_into` (as `cargo xtask
//! generate --spec --out` does: models, client, server and CLI crates) into a temporary
//! workspace, then checked with `cargo clippy`, warnings (rustc's and clippy's) denied, test
//! targets included, documented with `cargo doc`,
//! rustdoc's warnings denied, and tested with the generated crates' own `cargo test` (every
//! documented example's round trip, every doctest compiled).
//!
//! CI checks every document but the largest; `APIGEN_CORPUS=all` (as `scripts/corpus_check.sh`
//! sets it) adds api.github.com. The warnings of each spec are counted and printed, so that a
//! change in what the generator approximates shows. The OpenAPI 3.1 documents (the seven
//! OpenStack services) go through the loader's 3.1-to-3.0 normalization.

use std::process::Command;

use apigen_codegen::workspace::{GenerateInto, generate_into};

#[path = "support/build_dir.rs"]
mod build_dir;
use build_dir::workspace_root;

const IN_CI: &[&str] = &[
    "petstore.yaml",
    "petstore-expanded.yaml",
    "uspto.yaml",
    "keeper.json",
    "buildomat.json",
    "propolis-server.json",
    "nexus.json",
    "openstack-placement-v1.yaml",
    "openstack-network-v2.yaml",
    "openstack-load-balancer-v2.yaml",
    "openstack-shared-file-system-v2.yaml",
    "openstack-container-infrastructure-management-v1.yaml",
    "openstack-dns-v2.yaml",
    "openstack-object-store-v1.yaml",
];
const LARGE: &[&str] = &["api.github.com.json"];

#[test]
fn generated_corpus_crates_pass_clippy_rustdoc_and_their_own_tests() {
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
        match generate_into(&path, out, &GenerateInto::default()) {
            Ok(written) => eprintln!("{spec}: {} warning(s)", written.warnings.0.len()),
            Err(error) => panic!("{spec} does not generate:\n{error}"),
        }
    }
    std::fs::write(
        out.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"*-models\", \"*-client\", \"*-server\", \"*-cli\"]\n",
    )
    .expect("workspace manifest");
    // The workspace's lock file pins the same dependency versions the generated crates use here.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = build_dir::generated_target_dir();
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
    // The example round trips and the compiled doctests.
    let test = ["test", "--workspace", "--quiet"];
    for args in [&clippy[..], &doc[..], &test[..]] {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(out)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        // A failing test reports on stdout; the last of it says which and why.
        let stdout = String::from_utf8_lossy(&output.stdout);
        let tail: Vec<&str> = stdout.lines().rev().take(60).collect();
        assert!(
            output.status.success(),
            "cargo {} of the generated corpus crates failed:\n{}\n{}",
            args[0],
            String::from_utf8_lossy(&output.stderr),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
}
