//! Golden tests: each fixture spec under `tests/fixtures/models/` generates exactly the committed
//! `.rs` beside it. The `apigen-fixtures` crate compiles every committed output under the
//! workspace's `clippy -D warnings`, so a golden file is never text that does not build.
//!
//! After an intended change, bless the new output with `APIGEN_BLESS=1 cargo test -p apigen-codegen
//! --test golden` and review the diff.

use std::path::{Path, PathBuf};

use apigen_codegen::{Settings, generate_models};

const BLESS: &str = "APIGEN_BLESS";

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures in {}", dir.display());
    specs
}

fn stem(spec: &Path) -> String {
    spec.file_stem()
        .and_then(|s| s.to_str())
        .expect("fixture name")
        .to_owned()
}

fn generated_lib(spec: &Path) -> String {
    let name = stem(spec);
    let settings = Settings::new(format!("fixture-{}", name.replace('_', "-")))
        .spec_label(format!("codegen/tests/fixtures/models/{name}.yaml"))
        .runtime_dependency(r#"{ path = "../../runtime" }"#)
        .example_tests(false);
    let generated = match generate_models(spec, &settings) {
        Ok(generated) => generated,
        Err(error) => panic!("{} does not generate:\n{error}", spec.display()),
    };
    generated
        .files
        .into_iter()
        .find(|file| file.path.ends_with("src/lib.rs"))
        .map(|file| file.contents)
        .expect("a models crate has src/lib.rs")
}

#[test]
fn every_fixture_generates_its_committed_output() {
    let bless = std::env::var_os(BLESS).is_some();
    let mut failures = Vec::new();
    for spec in fixtures() {
        let actual = generated_lib(&spec);
        let expected_path = spec.with_extension("rs");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            let diff = similar::TextDiff::from_lines(&expected, &actual)
                .unified_diff()
                .header(&format!("{} (committed)", expected_path.display()), "generated")
                .to_string();
            failures.push(diff);
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ from their golden files:\n{}\nIf the change is intended: {BLESS}=1 cargo test -p apigen-codegen --test golden",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_golden_file_is_compiled_by_the_fixtures_crate() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("fixtures crate");
    let missing: Vec<String> = fixtures()
        .iter()
        .map(|spec| stem(spec))
        .filter(|name| !text.contains(&format!("\"../../tests/fixtures/models/{name}.rs\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "add these golden files as modules of {}: {missing:?}",
        lib.display()
    );
}

#[test]
fn generation_is_deterministic() {
    for spec in fixtures() {
        let first = generated_lib(&spec);
        for _ in 0..3 {
            assert_eq!(
                first,
                generated_lib(&spec),
                "{} generates different bytes on a rerun",
                spec.display()
            );
        }
    }
}

/// Client fixtures generate whole crates (models, client, server and CLI) into `fixtures/clients/`, which are
/// workspace members: the goldens are built, linted and their doctests run with everything else.
#[test]
fn every_client_fixture_generates_its_committed_crates() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("tests/fixtures/clients");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("client fixture directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty());
    let mut files = Vec::new();
    for spec in &specs {
        let name = stem(spec).replace('_', "-");
        let mut settings = Settings::new(format!("fixture-{name}-models"))
            .client(format!("fixture-{name}-client"))
            .server(format!("fixture-{name}-server"))
            .cli(format!("fixture-{name}-cli"), name.clone())
            .spec_label(format!("codegen/tests/fixtures/clients/{}.yaml", stem(spec)))
            .runtime_dependency(r#"{ path = "../../../../runtime" }"#);
        // `split_*` fixtures show the module-per-tag layout that large specs get.
        if name.starts_with("split") {
            settings = settings.split_above(0);
        }
        // A settings file beside a fixture says what its spec cannot.
        let settings = settings
            .apply_file_for(spec)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        match generate_models(spec, &settings) {
            Ok(generated) => files.extend(generated.files),
            Err(error) => panic!("{} does not generate:\n{error}", spec.display()),
        }
    }
    let out = manifest.join("fixtures/clients");
    if std::env::var_os(BLESS).is_some() {
        apigen_codegen::output::write_all(&out, &files).expect("write client goldens");
        return;
    }
    let changes = apigen_codegen::output::compare(&out, &files).expect("compare");
    assert!(
        changes.is_empty(),
        "client fixtures differ from their committed crates:\n{}\nIf the change is intended: {BLESS}=1 cargo test -p apigen-codegen --test golden",
        changes.describe(true)
    );
}
