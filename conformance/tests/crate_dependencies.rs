//! Each generated crate pulls in only its own stack: a models crate no HTTP stack, a client no
//! server framework, a server no HTTP client. Read from `cargo tree`, as a user's build resolves.

use std::process::Command;

fn normal_dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--quiet",
            "--offline",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--package",
            package,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn each_generated_crate_pulls_in_only_its_own_stack() {
    for service in ["evs", "dws", "block-storage"] {
        let models = normal_dependencies(&format!("{service}-models"));
        let client = normal_dependencies(&format!("{service}-client"));
        let server = normal_dependencies(&format!("{service}-server"));
        for http in ["hyper", "reqwest", "axum", "http"] {
            assert!(!models.iter().any(|d| d == http), "{service}-models depends on {http}");
        }
        assert!(
            client.iter().any(|d| d == "reqwest"),
            "{service}-client has its HTTP client"
        );
        assert!(!client.iter().any(|d| d == "axum"), "{service}-client depends on axum");
        assert!(server.iter().any(|d| d == "axum"), "{service}-server has its framework");
        assert!(
            !server.iter().any(|d| d == "reqwest"),
            "{service}-server depends on reqwest"
        );
    }
}
