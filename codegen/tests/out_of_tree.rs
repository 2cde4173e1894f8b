//! Crates generated with `--out DIR` outside this workspace, as a user gets them: their manifests
//! name the runtime as asked (a path relative to DIR by default, a git URL, a version) and hold no
//! absolute path of the machine that generated them; and they build there with plain `cargo build`.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen_codegen::workspace::{GenerateInto, RuntimeSource, generate_into};

#[path = "support/build_dir.rs"]
mod build_dir;
use build_dir::workspace_root;

fn petstore() -> PathBuf {
    workspace_root().join("../shared/corpus/petstore.yaml")
}

fn manifests(out: &Path) -> (String, String) {
    let read = |name: &str| std::fs::read_to_string(out.join(name).join("Cargo.toml")).expect("manifest");
    (read("petstore-models"), read("petstore-client"))
}

/// No path of this machine: not the output directory, no absolute path at all.
fn assert_portable(manifest: &str, out: &Path) {
    assert!(
        !manifest.contains(out.to_string_lossy().as_ref()),
        "{} in\n{manifest}",
        out.display()
    );
    for line in manifest.lines() {
        assert!(
            !line.contains("= \"/") && !line.contains(":\\\\"),
            "absolute path in `{line}`"
        );
    }
}

#[test]
fn the_default_names_the_runtime_relative_to_the_output_and_builds_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("sdk");
    generate_into(&petstore(), &out, &GenerateInto::default()).expect("generates");
    let (models, client) = manifests(&out);
    for manifest in [&models, &client] {
        assert_portable(manifest, &out);
        assert!(manifest.contains("generated from petstore.yaml"), "{manifest}");
    }
    let runtime_line = models
        .lines()
        .find(|l| l.starts_with("apigen-runtime"))
        .expect("runtime dependency");
    let relative = runtime_line.split('"').nth(1).expect("a quoted path");
    assert!(relative.starts_with(".."), "{runtime_line}");
    let resolved = out.join("petstore-models").join(relative);
    assert!(
        resolved.join("Cargo.toml").exists(),
        "{} is not the runtime",
        resolved.display()
    );

    // As a user would: `cargo build` in the crate's own directory, no workspace around it. The
    // workspace's lock pins the versions its own builds use, so the shared target dir is reused.
    let crate_dir = out.join("petstore-client");
    std::fs::copy(workspace_root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");
    let target = build_dir::generated_target_dir();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--quiet"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo build in {} failed:\n{}",
        crate_dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_git_url_or_a_version_is_written_as_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            RuntimeSource::Git {
                url: "https://example.com/apigen.git".to_owned(),
                rev: Some("v0.1.0".to_owned()),
            },
            r#"apigen-runtime = { git = "https://example.com/apigen.git", rev = "v0.1.0" }"#,
            r#"apigen-runtime = { git = "https://example.com/apigen.git", rev = "v0.1.0", features = ["client"] }"#,
        ),
        (
            RuntimeSource::Version("0.1".to_owned()),
            r#"apigen-runtime = "0.1""#,
            r#"apigen-runtime = { version = "0.1", features = ["client"] }"#,
        ),
        (
            // Relative to DIR, so one `..` more from each crate's own directory.
            RuntimeSource::Path("../vendor/apigen-runtime".to_owned()),
            r#"apigen-runtime = { path = "../../vendor/apigen-runtime" }"#,
            r#"apigen-runtime = { path = "../../vendor/apigen-runtime", features = ["client"] }"#,
        ),
    ];
    for (source, models_line, client_line) in cases {
        let options = GenerateInto {
            runtime: Some(source),
            ..GenerateInto::default()
        };
        generate_into(&petstore(), dir.path(), &options).expect("generates");
        let (models, client) = manifests(dir.path());
        assert!(models.lines().any(|l| l == models_line), "{models}");
        assert!(client.lines().any(|l| l == client_line), "{client}");
        assert_portable(&models, dir.path());
        assert_portable(&client, dir.path());
    }
}
