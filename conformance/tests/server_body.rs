//! The server runtime's body check on a generated model: the DWS create-snapshot body that the
//! document allows arrives typed; one that breaks the document is refused with every violation,
//! each at its JSON pointer, in the default problem+json answer.

use apigen_runtime::server::body::{BodyRules, json};
use apigen_runtime::server::problem::problem_document;
use dws_models::CreateSnapshotRequestBody;

const RULES: BodyRules = BodyRules::new(&["application/json"], 1 << 20);

#[test]
fn the_documented_body_arrives_typed_and_a_bad_one_is_refused_with_every_violation() {
    let good = r#"{"snapshot": {"cluster_id": "44b277eb-39be-4921-be31-3d61b43651d7", "name": "snapshot-3"}}"#;
    let body: CreateSnapshotRequestBody = json(
        "create_snapshot",
        RULES,
        Some("application/json;charset=utf-8"),
        good.as_bytes(),
    )
    .expect("fits");
    assert_eq!(body.snapshot.name, "snapshot-3");

    let bad = r#"{"snapshot": {"cluster_id": "c", "name": "3d", "description": 7}}"#;
    let rejection =
        json::<CreateSnapshotRequestBody>("create_snapshot", RULES, Some("application/json"), bad.as_bytes())
            .expect_err("description is no string");
    assert_eq!(
        problem_document(&rejection)["violations"][0]["pointer"],
        "/snapshot/description"
    );

    let short = r#"{"snapshot": {"cluster_id": "c", "name": "3d"}}"#;
    let rejection =
        json::<CreateSnapshotRequestBody>("create_snapshot", RULES, Some("application/json"), short.as_bytes())
            .expect_err("the name is too short and starts with a digit");
    let document = problem_document(&rejection);
    assert_eq!(document["status"], 400);
    let reasons: Vec<String> = rejection.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        [
            "/snapshot/name: is 2 characters long; the minimum is 4",
            "/snapshot/name: does not match the pattern `^[A-Za-z][A-Za-z0-9_-]*$`",
        ]
    );
}
