//! A command line for any spec, as a user gets it from `--spec X --out DIR`: the `-cli` crate is a
//! binary named after the generated name, its commands the spec's operations, and it authenticates
//! as the spec declares (`--auth SCHEME=VALUE` or a variable per scheme), showing in `--help` what
//! each command takes and in `--dry-run` that a credential is sent, never its value.
//!
//! The binary is built with plain `cargo build` in the output directory and run as a process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use apigen_codegen::workspace::{GenerateInto, generate_into};

#[path = "support/build_dir.rs"]
mod build_dir;
use build_dir::workspace_root;

/// The `security` binary, generated from the security fixture and built once for every test here.
fn binary() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("sdk");
        let spec = workspace_root().join("codegen/tests/fixtures/clients/security.yaml");
        generate_into(&spec, &out, &GenerateInto::default()).expect("generates");
        let crate_dir = out.join("security-cli");
        std::fs::copy(workspace_root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");
        let target = build_dir::generated_target_dir();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--quiet", "--bin", "security"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo build in {} failed:\n{}",
            crate_dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let binary = target
            .join("debug")
            .join(format!("security{}", std::env::consts::EXE_SUFFIX));
        (dir, binary)
    });
    path
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).env_remove("SECURITY_BEARER");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_operations_are_the_commands_and_each_says_which_credentials_it_takes() {
    let help = run(&["--help"], &[]);
    assert!(help.status.success(), "{}", text(&help.stderr));
    let help = text(&help.stdout);
    for command in [
        "root-default",
        "health",
        "login",
        "both-keys",
        "either-key",
        "list-pets",
    ] {
        assert!(help.contains(command), "{command} in\n{help}");
    }
    let command = text(&run(&["either-key", "--help"], &[]).stdout);
    assert!(command.contains("Authentication, one of:"), "{command}");
    assert!(
        command.contains("--auth header_key=KEY [env: SECURITY_HEADER_KEY] (API key)"),
        "{command}"
    );
    assert!(
        command.contains("--auth session=KEY [env: SECURITY_SESSION]"),
        "{command}"
    );
    let both = text(&run(&["both-keys", "--help"], &[]).stdout);
    assert!(
        both.contains("--auth header_key=KEY [env: SECURITY_HEADER_KEY] (API key)\n  and --auth query_key=KEY"),
        "{both}"
    );
    let health = text(&run(&["health", "--help"], &[]).stdout);
    assert!(health.contains("Authentication: none needed."), "{health}");
}

#[test]
fn a_dry_run_shows_that_each_credential_is_sent_and_never_its_value() {
    let output = run(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "both-keys",
            "--dry-run",
            "--auth",
            "header_key=s3cret-header",
        ],
        &[("SECURITY_QUERY_KEY", "s3cret-query")],
    );
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("GET http://127.0.0.1:9/both?api_key=<redacted>\n"),
        "{stdout}"
    );
    assert!(stdout.contains("x-api-key: <redacted>"), "{stdout}");
    let basic = run(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "login",
            "--remember",
            "--dry-run",
            "--auth",
            "basic=ann:s3cret",
        ],
        &[],
    );
    let shown = text(&basic.stdout);
    assert!(
        shown.contains("authorization: Basic <redacted>"),
        "{shown}{}",
        text(&basic.stderr)
    );
    for output in [&stdout, &stderr, &shown] {
        assert!(!output.contains("s3cret"), "{output}");
    }
}

#[test]
fn missing_or_unknown_credentials_are_refused_before_sending() {
    let missing = run(&["--endpoint", "http://127.0.0.1:9", "root-default"], &[]);
    assert_eq!(missing.status.code(), Some(4), "{}", text(&missing.stderr));
    assert!(
        text(&missing.stderr).contains("root_default needs credentials for bearer"),
        "{}",
        text(&missing.stderr)
    );
    let unknown = run(
        &["--endpoint", "http://127.0.0.1:9", "root-default", "--auth", "nope=1"],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("not a security scheme of the security API; it has bearer, basic"),
        "{}",
        text(&unknown.stderr)
    );
    let half = run(
        &["--endpoint", "http://127.0.0.1:9", "login", "--auth", "basic=ann"],
        &[],
    );
    assert_eq!(half.status.code(), Some(2));
    assert!(
        text(&half.stderr).contains("--auth basic: give USER:PASSWORD"),
        "{}",
        text(&half.stderr)
    );
}
