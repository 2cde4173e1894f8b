//! A construct the generator cannot type yet does not stop generation: the value falls back to
//! `serde_json::Value`, a warning says where, and the rest of the spec is typed.

use apigen_codegen::{Settings, Severity, generate_models};

const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Choice:
      description: Anything but a number.
      not:
        type: integer
    Holder:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 3}
        choice: {$ref: '#/components/schemas/Choice'}
        either:
          not: {type: boolean}
";

#[test]
fn untyped_constructs_become_values_with_located_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("choices.yaml");
    std::fs::write(&spec, SPEC).expect("spec");
    let settings = Settings::new("choices-models")
        .spec_label("choices.yaml")
        .example_tests(false);
    let generated = generate_models(&spec, &settings).expect("generates despite `not`");

    let warnings: Vec<String> = generated.warnings.0.iter().map(ToString::to_string).collect();
    assert_eq!(generated.warnings.0.len(), 2, "{warnings:#?}");
    assert!(generated.warnings.0.iter().all(|w| w.severity == Severity::Warning));
    assert!(
        warnings[0].contains("choices.yaml:8: at /components/schemas/Choice/not: `not` is not typed yet"),
        "{warnings:#?}"
    );
    assert!(
        warnings[1].contains(":17: at /components/schemas/Holder/properties/either/not: `not` is not typed yet"),
        "{warnings:#?}"
    );

    let lib = &generated
        .files
        .iter()
        .find(|f| f.path.ends_with("src/lib.rs"))
        .expect("lib.rs")
        .contents;
    assert!(lib.contains("pub struct Choice(pub ::serde_json::Value);"), "{lib}");
    assert!(
        lib.contains("pub either: crate::Nullable<::serde_json::Value>,"),
        "{lib}"
    );
    assert!(
        lib.contains("check::length(at, value, None, Some(3), check::LengthUnit::Characters, out);"),
        "the rest is still typed and validated:\n{lib}"
    );
}
