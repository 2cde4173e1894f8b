//! A request body, taken as far as a handler needs it: its media type checked (415) and read into
//! its model type by its encoding (JSON, form, multipart), a failure naming the JSON pointer of
//! what did not read (400). Its size is bounded before (413, by the router) and its constraints
//! checked after (400 listing each violation, with the parameters'), by `inputs`.

use serde::de::DeserializeOwned;

use super::media;
use super::rejection::{Rejection, RejectionKind};
use super::text;
use crate::Violation;

/// How a typed body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

/// Refuses a `content_type` that is none of the documented `media_types` (415).
pub fn check_media_type(
    operation: &'static str,
    media_types: &'static [&'static str],
    content_type: Option<&str>,
) -> Result<(), Rejection> {
    let reason = match content_type {
        Some(sent) if media_types.iter().any(|documented| media::accepts(documented, sent)) => return Ok(()),
        Some(sent) => format!("`{sent}` is not one of {}", media_types.join(", ")),
        None => format!("no Content-Type; expected {}", media_types.join(", ")),
    };
    Err(Rejection::new(RejectionKind::UnsupportedMediaType)
        .for_operation(operation)
        .with_violations([Violation::new("", reason)]))
}

/// `body` read into `T` as `kind` says, after its media type is checked (415); a body that does
/// not read is refused (400) with the JSON pointer of what failed. Constraints are checked
/// afterwards, on the whole input.
pub fn decode<T: DeserializeOwned>(
    kind: BodyKind,
    media_types: &'static [&'static str],
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, Rejection> {
    let malformed = |pointer: String, reason: String| {
        Rejection::new(RejectionKind::Malformed).with_violations([Violation::new(pointer, reason)])
    };
    check_media_type("", media_types, content_type)?;
    match kind {
        BodyKind::Json => {
            // Most bodies read: try without tracking the path (several times faster), and only on
            // failure read again with serde_path_to_error for the pointer of what failed.
            if let Ok(value) = serde_json::from_slice(body) {
                return Ok(value);
            }
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            let value: T = serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|error| malformed(pointer(error.path()), error.inner().to_string()))?;
            deserializer
                .end()
                .map_err(|error| malformed(String::new(), error.to_string()))?;
            Ok(value)
        }
        BodyKind::Form => {
            let pairs = form_urlencoded::parse(body);
            let deserializer = serde_urlencoded::Deserializer::new(pairs);
            serde_path_to_error::deserialize(deserializer)
                .map_err(|error| malformed(pointer(error.path()), error.inner().to_string()))
        }
        BodyKind::Multipart => {
            let boundary = content_type
                .and_then(super::media::boundary)
                .ok_or_else(|| malformed(String::new(), "the multipart Content-Type has no boundary".to_owned()))?;
            let fields =
                super::multipart::fields(body, &boundary).map_err(|reason| malformed(String::new(), reason))?;
            text::read_fields(fields).map_err(|(field, error)| {
                let pointer = if field.is_empty() {
                    String::new()
                } else {
                    format!("/{}", field.replace('~', "~0").replace('/', "~1"))
                };
                malformed(pointer, error.0)
            })
        }
    }
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

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Snapshot {
        name: String,
        #[serde(default)]
        tags: Vec<u8>,
    }

    const JSON: &[&str] = &["application/json"];

    fn take(kind: BodyKind, content_type: Option<&str>, body: &str) -> Result<Snapshot, Rejection> {
        decode(kind, JSON_OR_FORM, content_type, body.as_bytes())
    }

    const JSON_OR_FORM: &[&str] = &[
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ];

    fn pointers(rejection: &Rejection) -> Vec<&str> {
        rejection.violations().iter().map(|v| v.path.as_str()).collect()
    }

    #[test]
    fn a_good_body_arrives_typed_whatever_its_parameters() {
        let taken = take(
            BodyKind::Json,
            Some("application/json;charset=utf-8"),
            r#"{"name": "nightly"}"#,
        );
        assert_eq!(
            taken,
            Ok(Snapshot {
                name: "nightly".to_owned(),
                tags: Vec::new()
            })
        );
        let form = take(
            BodyKind::Form,
            Some("application/x-www-form-urlencoded"),
            "name=night+ly",
        );
        assert_eq!(
            form,
            Ok(Snapshot {
                name: "night ly".to_owned(),
                tags: Vec::new()
            })
        );
    }

    #[test]
    fn each_bad_body_is_a_4xx_that_says_where() {
        let cases: [(Option<&str>, &str, u16, &[&str]); 5] = [
            (Some("text/plain"), r#"{"name": "nightly"}"#, 415, &[""]),
            (None, r#"{"name": "nightly"}"#, 415, &[""]),
            (Some("application/json"), r#"{"name": "nightly""#, 400, &[""]),
            (Some("application/json"), r#"{"name": 7}"#, 400, &["/name"]),
            (
                Some("application/json"),
                r#"{"name": "nightly", "tags": [1, "x"]}"#,
                400,
                &["/tags/1"],
            ),
        ];
        for (content_type, body, status, expected) in cases {
            let rejection = decode::<Snapshot>(BodyKind::Json, JSON, content_type, body.as_bytes()).expect_err(body);
            assert_eq!(rejection.status().as_u16(), status, "{body}");
            assert_eq!(pointers(&rejection), expected, "{body}");
        }
    }

    #[test]
    fn a_missing_field_and_trailing_text_are_malformed() {
        let missing = take(BodyKind::Json, Some("application/json"), r#"{"tags": []}"#).expect_err("no name");
        assert_eq!(missing.kind(), RejectionKind::Malformed);
        assert!(missing.violations()[0].message.contains("missing field `name`"));
        let trailing =
            take(BodyKind::Json, Some("application/json"), r#"{"name": "nightly"} x"#).expect_err("trailing");
        assert_eq!(trailing.kind(), RejectionKind::Malformed);
    }

    #[cfg(feature = "client")]
    #[test]
    fn the_clients_multipart_body_reads_back() {
        let (content_type, body) =
            crate::client::body::multipart(&serde_json::json!({"name": "a\"b", "tags": [1, 2]})).expect("object");
        let taken: Snapshot = decode(BodyKind::Multipart, JSON_OR_FORM, Some(&content_type), &body).expect("reads");
        assert_eq!(
            taken,
            Snapshot {
                name: "a\"b".to_owned(),
                tags: vec![1, 2]
            }
        );
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
