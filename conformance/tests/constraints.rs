//! Each documented constraint, checked through the generated models' `validate()`: the documented
//! invalid inputs are rejected with the JSON path of the field, and valid ones are accepted.

use apigen_runtime::{Validate, Violation};

/// The violations of `value`, as `path: message` lines; empty when it is valid.
fn violations(value: &impl Validate) -> Vec<String> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(error) => error.violations.iter().map(Violation::to_string).collect(),
    }
}

mod dws_create_snapshot {
    use super::violations;
    use dws_models::{CreateSnapshotRequestBody, Snapshot};

    const CLUSTER: &str = "44b277eb-39be-4921-be31-3d61b43651d7";

    fn check(name: &str) -> Vec<String> {
        violations(&CreateSnapshotRequestBody::new(
            Snapshot::builder().cluster_id(CLUSTER).name(name).build(),
        ))
    }

    #[test]
    fn documented_names_are_accepted() {
        // "start with a letter", "4 to 64 characters", "letters, digits, hyphens (-), and underscores (_)".
        for name in ["snapshot-3", "abcd", "A_b-", "Z123", &format!("a{}", "b".repeat(63))] {
            assert_eq!(check(name), Vec::<String>::new(), "{name:?} must be accepted");
        }
    }

    #[test]
    fn a_name_that_starts_with_a_digit_is_rejected() {
        assert_eq!(
            check("3snapshot"),
            ["/snapshot/name: does not match the pattern `^[A-Za-z][A-Za-z0-9_-]*$`"]
        );
    }

    #[test]
    fn names_of_3_and_65_characters_are_rejected() {
        assert_eq!(check("abc"), ["/snapshot/name: is 3 characters long; the minimum is 4"]);
        let long = format!("a{}", "b".repeat(64));
        assert_eq!(
            check(&long),
            ["/snapshot/name: is 65 characters long; the maximum is 64"]
        );
    }

    #[test]
    fn names_with_a_space_or_a_dot_are_rejected() {
        for name in ["snap shot", "snap.shot", "snapshot-é"] {
            assert_eq!(check(name).len(), 1, "{name:?} must be rejected");
            assert!(check(name)[0].starts_with("/snapshot/name: does not match the pattern"));
        }
    }

    #[test]
    fn every_violation_is_reported_at_once() {
        // Too short and starting with a digit: two violations, one path.
        assert_eq!(check("1 a").len(), 2);
    }
}

mod evs_v5_create_snapshot {
    use super::violations;
    use evs_models::{CreateStandardSnapshot, CreateStandardSnapshotRequestBody};

    fn check(snapshot: CreateStandardSnapshot) -> Vec<String> {
        violations(&CreateStandardSnapshotRequestBody::new(snapshot))
    }

    #[test]
    fn a_description_of_86_characters_is_rejected_and_85_accepted() {
        let at_limit = CreateStandardSnapshot::new().with_description("d".repeat(85));
        assert_eq!(check(at_limit), Vec::<String>::new());
        let over = CreateStandardSnapshot::new().with_description("d".repeat(86));
        assert_eq!(
            check(over),
            ["/snapshot/description: is 86 characters long; the maximum is 85"]
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        // 85 characters of two bytes each: 170 bytes, still within "a maximum of 85 characters".
        let wide = CreateStandardSnapshot::new()
            .with_description("é".repeat(85))
            .with_name("é".repeat(64));
        assert_eq!(check(wide), Vec::<String>::new());
    }

    #[test]
    fn a_name_of_65_characters_is_rejected() {
        let over = CreateStandardSnapshot::new()
            .with_name("n".repeat(65))
            .with_description("d".repeat(86));
        assert_eq!(
            check(over),
            [
                "/snapshot/name: is 65 characters long; the maximum is 64",
                "/snapshot/description: is 86 characters long; the maximum is 85",
            ]
        );
    }

    #[test]
    fn the_documented_example_is_valid() {
        let snapshot = CreateStandardSnapshot::new()
            .with_volume_id("2c194dde-7de5-4529-a141-49f48181f411")
            .with_name("test_name")
            .with_description("test description")
            .with_enterprise_project_id("94f1ea84-1428-49b6-9920-8a9b8a29e4ca");
        assert_eq!(check(snapshot), Vec::<String>::new());
    }
}

mod evs_v2_update_snapshot {
    use super::violations;
    use evs_models::{UpdateSnapshotOption, UpdateSnapshotRequestBody};

    fn check(option: UpdateSnapshotOption) -> Vec<String> {
        violations(&UpdateSnapshotRequestBody::new(option))
    }

    #[test]
    fn limits_count_bytes_as_documented() {
        // "a maximum of 255 bytes": 255 ASCII characters fit, 256 do not.
        assert_eq!(
            check(UpdateSnapshotOption::new().with_name("n".repeat(255))),
            Vec::<String>::new()
        );
        assert_eq!(
            check(UpdateSnapshotOption::new().with_name("n".repeat(256))),
            ["/snapshot/name: is 256 bytes long; the maximum is 255"]
        );
        // 128 two-byte characters are 256 bytes: rejected although only 128 characters long.
        assert_eq!(
            check(UpdateSnapshotOption::new().with_description("é".repeat(128))),
            ["/snapshot/description: is 256 bytes long; the maximum is 255"]
        );
        assert_eq!(
            check(UpdateSnapshotOption::new().with_description("é".repeat(127))),
            Vec::<String>::new()
        );
    }
}

mod evs_v2_error_envelope {
    use super::violations;
    use evs_models::{ErrorDetail, ErrorEnvelope};
    use std::collections::BTreeMap;

    #[test]
    fn exactly_one_top_level_key() {
        let one: ErrorEnvelope =
            serde_json::from_str(r#"{"itemNotFound": {"message": "m", "code": "c"}}"#).expect("parses");
        assert_eq!(violations(&one), Vec::<String>::new());
        assert_eq!(one.0.keys().collect::<Vec<_>>(), ["itemNotFound"]);
        let none = ErrorEnvelope(BTreeMap::new());
        assert_eq!(violations(&none), ["/: has 0 properties; the minimum is 1"]);
        let two = ErrorEnvelope(BTreeMap::from([
            ("a".to_owned(), ErrorDetail::new()),
            ("b".to_owned(), ErrorDetail::new()),
        ]));
        assert_eq!(violations(&two), ["/: has 2 properties; the maximum is 1"]);
    }
}

mod block_storage_create_snapshot {
    // The models crate re-exports what its types need: no `apigen-runtime` in a user's manifest.
    use block_storage_models::{CreateSnapshotRequestBody, Nullable, SnapshotCreate};
    use serde_json::json;

    #[test]
    fn an_absent_description_and_a_null_one_are_different_requests() {
        let absent = CreateSnapshotRequestBody::new(SnapshotCreate::builder().volume_id("v").name("s").build());
        let mut null = absent.clone();
        null.snapshot.description = Nullable::Null;
        let set = CreateSnapshotRequestBody::new(
            SnapshotCreate::builder()
                .volume_id("v")
                .name("s")
                .build()
                .with_description("d"),
        );
        assert_eq!(
            serde_json::to_value(&absent).expect("json"),
            json!({"snapshot": {"volume_id": "v", "name": "s"}})
        );
        assert_eq!(
            serde_json::to_value(&null).expect("json"),
            json!({"snapshot": {"volume_id": "v", "name": "s", "description": null}})
        );
        assert_eq!(
            serde_json::to_value(&set).expect("json"),
            json!({"snapshot": {"volume_id": "v", "name": "s", "description": "d"}})
        );
    }
}
