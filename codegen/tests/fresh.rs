//! `generated/` must be exactly what `cargo xtask generate` writes from `spec/` today.

use apigen_codegen::workspace::Workspace;

#[test]
fn generated_crates_are_fresh() {
    let workspace = Workspace::of_this_crate();
    let changes = match workspace.check() {
        Ok(changes) => changes,
        Err(error) => panic!("the specs under spec/ do not generate:\n{error}"),
    };
    assert!(
        changes.is_empty(),
        "generated/ is stale:\n{}\nRun `cargo xtask generate` and commit the result.",
        changes.describe(true)
    );
}
