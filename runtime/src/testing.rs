//! Helpers for the tests that the generator writes beside each generated crate.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Deserializes `json` into `T`, serializes it back, and panics unless the result equals the
/// original as JSON (explicit nulls and empty objects included).
///
/// Generated crates call this once per documented example, so a type that loses or invents a field
/// fails the example that shows it.
pub fn assert_json_round_trip<T: Serialize + DeserializeOwned>(json: &str) {
    let original: Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(error) => panic!("the example is not JSON: {error}"),
    };
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let typed: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(typed) => typed,
        Err(error) => panic!(
            "the example does not deserialize into {} at {}: {}",
            std::any::type_name::<T>(),
            error.path(),
            error.inner()
        ),
    };
    let back = match serde_json::to_value(&typed) {
        Ok(value) => value,
        Err(error) => panic!("{} does not serialize: {error}", std::any::type_name::<T>()),
    };
    if back != original {
        panic!(
            "round trip through {} changed the example\n  documented: {original}\n  round trip: {back}",
            std::any::type_name::<T>()
        );
    }
}
