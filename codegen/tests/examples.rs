//! The example tests the generator writes beside a models crate: one per documented example,
//! and a failing one for an example that no schema types.

use std::path::Path;

use apigen_codegen::{Settings, generate_models};

fn example_tests(spec: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).expect("spec written");
    let settings = Settings::new("demo-models").spec_label("spec.yaml");
    let generated = generate_models(&path, &settings).expect("generates");
    generated
        .files
        .into_iter()
        .find(|f| f.path == Path::new("demo-models/tests/examples.rs"))
        .map(|f| f.contents)
        .expect("an examples test file")
}

const SPEC: &str = r##"openapi: 3.0.3
info: {title: demo, version: '1'}
paths:
  /things:
    post:
      operationId: create_thing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples:
              first: {value: {"id": "a\"#b"}}
              second: {value: {"id": "c"}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              example: {"anything": true}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
"##;

#[test]
fn each_example_is_a_test_and_an_untyped_one_is_ignored_with_its_reason() {
    let tests = example_tests(SPEC);
    assert!(tests.contains("fn create_thing_request_first()"), "{tests}");
    assert!(tests.contains("fn create_thing_request_second()"), "{tests}");
    let compact: String = tests.split_whitespace().collect();
    assert!(
        compact.contains("assert_json_round_trip::<demo_models::Thing,>(documented)"),
        "{tests}"
    );
    // The raw string needs two hashes, since the value holds `"#`.
    assert!(tests.contains(r###"r##"{"###), "{tests}");
    assert!(tests.contains("fn create_thing_response_200()"), "{tests}");
    assert!(
        tests.contains("#[ignore = \"the example at #/paths/~1things/post/responses/200/content/application~1json/example has no JSON schema, so no type checks it; give its media type a schema\"]"),
        "{tests}"
    );
}
