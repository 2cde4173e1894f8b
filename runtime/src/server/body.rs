//! A JSON request body, taken as far as a handler needs it: its media type checked (415), its
//! size bounded (413), read into its model type (400 naming the JSON pointer that failed), and
//! validated against every documented constraint at once (400 listing each violation). Only a body
//! that passes all four reaches the handler.

use serde::de::DeserializeOwned;

use super::media;
use super::rejection::{Rejection, RejectionKind};
use crate::{Validate, Violation};

/// What an operation says about its body.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct BodyRules {
    /// The documented media types (`application/json`, ...).
    pub media_types: &'static [&'static str],
    /// The largest body taken, in bytes.
    pub limit: usize,
}

impl BodyRules {
    /// Rules for a body of one of `media_types`, up to `limit` bytes.
    pub const fn new(media_types: &'static [&'static str], limit: usize) -> Self {
        BodyRules { media_types, limit }
    }
}

/// The body of `operation` as `T`, or the rejection that answers it.
pub fn json<T: DeserializeOwned + Validate>(
    operation: &'static str,
    rules: BodyRules,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, Rejection> {
    let refuse =
        |kind, violation: Option<Violation>| Rejection::new(kind).for_operation(operation).with_violations(violation);
    match content_type {
        Some(sent)
            if rules
                .media_types
                .iter()
                .any(|documented| media::accepts(documented, sent)) => {}
        Some(sent) => {
            let reason = format!("`{sent}` is not one of {}", rules.media_types.join(", "));
            return Err(refuse(
                RejectionKind::UnsupportedMediaType,
                Some(Violation::new("", reason)),
            ));
        }
        None => {
            let reason = format!("no Content-Type; expected {}", rules.media_types.join(", "));
            return Err(refuse(
                RejectionKind::UnsupportedMediaType,
                Some(Violation::new("", reason)),
            ));
        }
    }
    if body.len() > rules.limit {
        let reason = format!("is {} bytes long; the limit is {}", body.len(), rules.limit);
        return Err(refuse(RejectionKind::PayloadTooLarge, Some(Violation::new("", reason))));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let pointer = pointer(error.path());
            let reason = error.inner().to_string();
            return Err(refuse(RejectionKind::Malformed, Some(Violation::new(pointer, reason))));
        }
    };
    if let Err(error) = deserializer.end() {
        return Err(refuse(
            RejectionKind::Malformed,
            Some(Violation::new("", error.to_string())),
        ));
    }
    value
        .validate()
        .map_err(|error| refuse(RejectionKind::Invalid, None).with_violations(error.violations))?;
    Ok(value)
}

/// A serde path as a JSON Pointer (RFC 6901): `snapshot.tags[2]` is `/snapshot/tags/2`, with `~`
/// and `/` in keys escaped. A segment serde could not name (text that ended inside a value) ends
/// the pointer at the value that holds it.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for a generated model: `name` must have 4 characters or more.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Snapshot {
        name: String,
        #[serde(default)]
        tags: Vec<u8>,
    }

    impl Validate for Snapshot {
        fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
            if self.name.chars().count() < 4 {
                out.push(Violation::new(format!("{at}/name"), "is too short"));
            }
            if self.tags.len() > 2 {
                out.push(Violation::new(format!("{at}/tags"), "has too many items"));
            }
        }
    }

    const RULES: BodyRules = BodyRules::new(&["application/json"], 64);

    fn take(content_type: Option<&str>, body: &str) -> Result<Snapshot, Rejection> {
        json("create_snapshot", RULES, content_type, body.as_bytes())
    }

    fn pointers(rejection: &Rejection) -> Vec<&str> {
        rejection.violations().iter().map(|v| v.path.as_str()).collect()
    }

    #[test]
    fn a_good_body_arrives_typed() {
        let taken = take(Some("application/json;charset=utf-8"), r#"{"name": "nightly"}"#);
        assert_eq!(
            taken,
            Ok(Snapshot {
                name: "nightly".to_owned(),
                tags: Vec::new()
            })
        );
    }

    #[test]
    fn each_bad_body_is_a_4xx_that_says_where() {
        let cases: [(Option<&str>, &str, u16, &[&str]); 7] = [
            (Some("text/plain"), r#"{"name": "nightly"}"#, 415, &[""]),
            (None, r#"{"name": "nightly"}"#, 415, &[""]),
            (Some("application/json"), &"x".repeat(65), 413, &[""]),
            (Some("application/json"), r#"{"name": "nightly""#, 400, &[""]),
            (Some("application/json"), r#"{"name": 7}"#, 400, &["/name"]),
            (
                Some("application/json"),
                r#"{"name": "nightly", "tags": [1, "x"]}"#,
                400,
                &["/tags/1"],
            ),
            (
                Some("application/json"),
                r#"{"name": "ab", "tags": [1, 2, 3]}"#,
                400,
                &["/name", "/tags"],
            ),
        ];
        for (content_type, body, status, expected) in cases {
            let rejection = take(content_type, body).expect_err(body);
            assert_eq!(rejection.status().as_u16(), status, "{body}");
            assert_eq!(pointers(&rejection), expected, "{body}");
            assert_eq!(rejection.operation(), Some("create_snapshot"));
        }
    }

    #[test]
    fn a_missing_field_and_trailing_text_are_malformed() {
        let missing = take(Some("application/json"), r#"{"tags": []}"#).expect_err("no name");
        assert_eq!(missing.kind(), RejectionKind::Malformed);
        assert!(missing.violations()[0].message.contains("missing field `name`"));
        let trailing = take(Some("application/json"), r#"{"name": "nightly"} x"#).expect_err("trailing");
        assert_eq!(trailing.kind(), RejectionKind::Malformed);
    }

    #[test]
    fn pointer_escapes_keys() {
        let body = br#"{"a/b~c": {"x": 1}}"#;
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[serde(rename = "x")]
            _x: String,
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        let error = serde_path_to_error::deserialize::<_, std::collections::BTreeMap<String, Inner>>(&mut de)
            .expect_err("x is no string");
        assert_eq!(pointer(error.path()), "/a~1b~0c/x");
    }
}
