//! Bad specs: each kind fails with a message that names the file, the JSON pointer and the line,
//! and leaves `generated/` exactly as it was (all or nothing), even when other specs are fine.

use std::fs;
use std::path::Path;

use apigen_codegen::GenerateError;
use apigen_codegen::workspace::Workspace;

const GOOD: &str = "openapi: 3.0.3
info: {title: good, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
";

/// Generates a workspace holding a good spec and `file` with `text`; expects failure and returns
/// every diagnostic line. Checks that nothing was written.
fn failure(file: &str, text: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::create_dir_all(root.join("spec")).expect("spec dir");
    fs::write(root.join("spec/aaa-good.yaml"), GOOD).expect("good spec");
    fs::write(root.join("spec").join(file), text).expect("bad spec");
    fs::create_dir_all(root.join("generated/old-models")).expect("generated dir");
    fs::write(root.join("generated/old-models/lib.rs"), "old").expect("sentinel");

    let result = Workspace::new(root).write();
    let message = match result {
        Err(GenerateError::Spec(diagnostics)) => {
            assert!(diagnostics.has_errors());
            diagnostics.to_string()
        }
        Err(other) => panic!("expected a spec error, got {other}"),
        Ok(_) => panic!("{file} generated without error"),
    };
    assert_eq!(
        listing(&root.join("generated")),
        ["old-models", "old-models/lib.rs"],
        "generated/ was touched"
    );
    assert_eq!(
        fs::read_to_string(root.join("generated/old-models/lib.rs")).expect("sentinel"),
        "old"
    );
    let entries: Vec<_> = fs::read_dir(root)
        .expect("root")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(entries.len(), 2, "no staging directory is left behind: {entries:?}");
    assert!(message.contains(file), "the message names the file: {message}");
    message
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).expect("readable") {
            let path = entry.expect("entry").path();
            out.push(path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned());
            if path.is_dir() {
                pending.push(path);
            }
        }
    }
    out.sort();
    out
}

#[track_caller]
fn contains_all(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in:\n{message}");
    }
}

#[test]
fn invalid_yaml() {
    let message = failure(
        "broken.yaml",
        "openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: '1'\npaths: {}\n",
    );
    contains_all(&message, &["error: ", "broken.yaml:", "invalid YAML"]);
}

#[test]
fn invalid_json() {
    let message = failure("broken.json", "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {,}\n}\n");
    contains_all(&message, &["broken.json:3:", "invalid JSON"]);
}

#[test]
fn reference_to_nothing() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b:
          $ref: '#/components/schemas/Missing'
";
    let message = failure("dangling.yaml", text);
    contains_all(
        &message,
        &[
            "dangling.yaml:10: at /components/schemas/A/properties/b/$ref:",
            "`#/components/schemas/Missing` points to nothing",
        ],
    );
}

#[test]
fn references_to_nothing_outside_schemas() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    parameters:
      - $ref: '#/components/parameters/Nope'
    post:
      requestBody:
        $ref: '#/components/requestBodies/Nope'
      responses:
        '200':
          $ref: '#/components/responses/Nope'
";
    let message = failure("elsewhere.yaml", text);
    contains_all(
        &message,
        &[
            "elsewhere.yaml:6: at /paths/~1a/parameters/0/$ref: `#/components/parameters/Nope` points to nothing",
            "elsewhere.yaml:9: at /paths/~1a/post/requestBody/$ref: `#/components/requestBodies/Nope` points to nothing",
            "elsewhere.yaml:12: at /paths/~1a/post/responses/200/$ref: `#/components/responses/Nope` points to nothing",
        ],
    );
}

#[test]
fn reference_cycle_that_cannot_be_represented() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      $ref: '#/components/schemas/B'
    B:
      $ref: '#/components/schemas/A'
";
    let message = failure("cycle.yaml", text);
    contains_all(
        &message,
        &[
            "cycle.yaml:6: at /components/schemas/A:",
            "reference cycle cannot be represented: A -> B -> A",
        ],
    );
    assert_eq!(message.lines().count(), 1, "the cycle is reported once: {message}");
}

#[test]
fn all_of_cycle() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      allOf:
        - $ref: '#/components/schemas/B'
        - type: object
    B:
      allOf:
        - $ref: '#/components/schemas/A'
        - type: object
";
    let message = failure("all-of-cycle.yaml", text);
    contains_all(&message, &["`allOf` reference cycle cannot be represented"]);
}

#[test]
fn construct_not_yet_supported() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Remote:
      $ref: 'other.yaml#/components/schemas/Thing'
";
    let message = failure("external.yaml", text);
    contains_all(
        &message,
        &[
            "external.yaml:7: at /components/schemas/Remote/$ref:",
            "other files and other parts of the document are not supported yet",
        ],
    );
}

#[test]
fn every_problem_of_a_spec_is_reported_together() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        x: {$ref: '#/components/schemas/Nope'}
        y: {not: {type: string}}
";
    let message = failure("several.yaml", text);
    contains_all(
        &message,
        &[
            "error: ",
            "several.yaml:9:",
            "points to nothing",
            // Warnings found on the way are reported with the errors.
            "warning: ",
            "several.yaml:10:",
            "`not` is not typed yet",
        ],
    );
}

#[test]
fn swagger_2_is_named_and_refused() {
    let message = failure(
        "old.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    contains_all(
        &message,
        &[
            "old.yaml:1: at /swagger:",
            "Swagger 2.0 document, which is not supported; only OpenAPI 3.0 and 3.1 are",
        ],
    );
}

#[test]
fn an_unknown_openapi_version_is_named_and_refused() {
    let message = failure(
        "new.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    contains_all(
        &message,
        &[
            "new.yaml:1: at /openapi:",
            "OpenAPI 4.0.0 is not supported; this generator reads OpenAPI 3.0.x and 3.1.x",
        ],
    );
}

#[test]
fn a_document_of_the_wrong_shape_names_the_place() {
    let text =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: [not, a, map]\n";
    let message = failure("shape.yaml", text);
    contains_all(
        &message,
        &[
            "shape.yaml:6: at /paths/~1a/get/responses:",
            "not a valid OpenAPI 3.0 document",
        ],
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let error = apigen_codegen::generate_models(
        Path::new("does/not/exist.yaml"),
        &apigen_codegen::Settings::new("x").example_tests(false),
    )
    .expect_err("a missing file cannot generate");
    contains_all(
        &error.to_string(),
        &["does/not/exist.yaml: at (document): cannot read the file"],
    );
}

#[test]
fn an_invalid_crate_name_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("good.yaml");
    fs::write(&spec, GOOD).expect("spec");
    for (models, client) in [("1models", None), ("good-models", Some("bad client!"))] {
        let mut settings = apigen_codegen::Settings::new(models)
            .spec_label("good.yaml")
            .example_tests(false);
        if let Some(client) = client {
            settings = settings.client(client);
        }
        let error = apigen_codegen::generate_models(&spec, &settings).expect_err("refused");
        assert!(error.to_string().contains("is not a valid crate name"), "{error}");
    }
}
