//! Helpers for the tests that the generator writes beside each generated crate.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Deserializes `json` into `T`, serializes it back, and panics unless the result equals the
/// original as JSON (explicit nulls and empty objects included; numbers by value, so `1` read
/// into an `f64` and written back as `1.0` is the same number, as JSON Schema says).
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
    if !same_json(&back, &original) {
        panic!(
            "round trip through {} changed the example\n  documented: {original}\n  round trip: {back}",
            std::any::type_name::<T>()
        );
    }
}

/// JSON equality with numbers compared by value: integers exactly, and a float against an integer
/// or a float as `f64`.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ if (x.is_f64() || y.is_f64()) => x.as_f64() == y.as_f64(),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| same_json(x, y)))
        }
        (x, y) => x == y,
    }
}

/// Serves `router` on a free loopback port for the rest of the test's runtime, and returns its
/// base URL (`http://127.0.0.1:PORT`). The generated loopback tests point a generated client at it.
#[cfg(feature = "server")]
pub async fn serve_on_loopback(router: axum::Router) -> String {
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(error) => panic!("no loopback port to listen on: {error}"),
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => panic!("the listener has no address: {error}"),
    };
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_equal_by_value_and_nothing_else_is_loosened() {
        assert!(same_json(
            &json!({"score": 1, "n": [2]}),
            &json!({"score": 1.0, "n": [2]})
        ));
        assert!(same_json(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!same_json(&json!(1), &json!(2.0)));
        assert!(!same_json(&json!(-1), &json!(u64::MAX)));
        assert!(!same_json(&json!({"a": null}), &json!({})));
        assert!(!same_json(&json!("1"), &json!(1)));
    }
}
