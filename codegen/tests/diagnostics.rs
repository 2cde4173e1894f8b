//! Snapshots of what the generator says about broken specs: every error and warning, with file,
//! line and JSON pointer, exactly as a user sees them. Each `tests/fixtures/broken/NAME.(yaml|json)`
//! has its `NAME.diagnostics` beside it; `APIGEN_BLESS=1` rewrites them after a deliberate change.
//! A spec that only warns still generates, so its snapshot starts with `generated`.

use std::path::{Path, PathBuf};

use apigen_codegen::{GenerateError, Settings, generate_models};

const DIR: &str = "tests/fixtures/broken";

fn render(spec: &Path) -> String {
    let settings = Settings::new("broken-models")
        .client("broken-client")
        .spec_label(spec.display().to_string());
    match generate_models(spec, &settings) {
        Ok(generated) => {
            let mut out = format!("generated {} files\n", generated.files.len());
            for warning in &generated.warnings.0 {
                out.push_str(&format!("{warning}\n"));
            }
            out
        }
        Err(GenerateError::Spec(diagnostics)) => {
            let mut out = String::from("refused\n");
            for diagnostic in &diagnostics.0 {
                out.push_str(&format!("{diagnostic}\n"));
            }
            out
        }
        Err(other) => format!("failed: {other}\n"),
    }
}

#[test]
fn each_broken_spec_says_what_and_where() {
    let bless = std::env::var_os("APIGEN_BLESS").is_some();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("fixture directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 10, "expected the broken fixtures in {DIR}");
    let mut stale = Vec::new();
    for spec in &specs {
        let got = render(spec);
        let snapshot = spec.with_extension("diagnostics");
        if bless {
            std::fs::write(&snapshot, &got).expect("write snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if got != want {
            stale.push(format!("{}:\n--- snapshot\n{want}+++ now\n{got}", snapshot.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "diagnostics changed; review, then bless with APIGEN_BLESS=1:\n\n{}",
        stale.join("\n")
    );
}
