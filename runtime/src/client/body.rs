//! Request bodies that are not JSON: form-urlencoded and multipart forms from a serializable
//! value. The body is rendered to bytes once, so it can be signed and resent on a retry.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::error::InvalidInput;

mod parts;

/// `application/x-www-form-urlencoded` from a flat object (nested objects and lists have no
/// standard form spelling and are refused).
pub fn form<T: Serialize + ?Sized>(body: &T) -> Result<Bytes, InvalidInput> {
    let fields = fields(body)?;
    let mut out = form_urlencoded_pairs(&fields)?;
    // An empty form is an empty body, not "=".
    if fields.is_empty() {
        out.clear();
    }
    Ok(Bytes::from(out))
}

/// `multipart/form-data`: one part per property, in the order the body writes them; a list is one
/// part per item, and an absent or null value sends nothing. Strings are `text/plain` parts, bytes
/// ([`Binary`](crate::Binary)) are `application/octet-stream` parts with a file name (the
/// property's), anything else is its JSON. Returns the content type (which carries the boundary)
/// and the body.
pub fn multipart<T: Serialize + ?Sized>(body: &T) -> Result<(String, Bytes), InvalidInput> {
    let fields = body.serialize(parts::Fields).map_err(|error| match error {
        parts::PartError::NotPlain => {
            InvalidInput::Body("a multipart body must be an object with properties".to_owned())
        }
        parts::PartError::Message(message) => InvalidInput::Body(message),
    })?;
    let boundary = format!("apigen-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    let mut out = Vec::new();
    for (name, part) in fields {
        let items = match part {
            parts::Part::List(items) => items,
            other => vec![other],
        };
        let name = name.replace('"', "%22").replace(['\r', '\n'], " ");
        for item in items {
            let (content, content_type, file) = match item {
                parts::Part::Text(text) => (text.into_bytes(), "text/plain; charset=utf-8", false),
                parts::Part::Json(json) => (json.into_bytes(), "application/json", false),
                parts::Part::Bytes(bytes) => (bytes, "application/octet-stream", true),
                parts::Part::Skip | parts::Part::List(_) => continue,
            };
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = if file {
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n")
            } else {
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n")
            };
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
            out.extend_from_slice(&content);
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), Bytes::from(out)))
}

/// The top-level properties of `body` in the order it writes them, nulls left out (an absent
/// field sends nothing).
fn fields<T: Serialize + ?Sized>(body: &T) -> Result<Vec<(String, Value)>, InvalidInput> {
    let json = serde_json::to_vec(body).map_err(|e| InvalidInput::Body(e.to_string()))?;
    let Ordered(fields) = serde_json::from_slice(&json).map_err(|_| {
        InvalidInput::Body(format!(
            "a form body must be an object with properties, not {}",
            String::from_utf8_lossy(&json)
        ))
    })?;
    Ok(fields.into_iter().filter(|(_, v)| !v.is_null()).collect())
}

/// A JSON object's entries in document order (`serde_json::Map` may sort them).
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

fn form_urlencoded_pairs(fields: &[(String, Value)]) -> Result<Vec<u8>, InvalidInput> {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in fields {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Bool(_) | Value::Number(_) => value.to_string(),
            _ => {
                return Err(InvalidInput::Body(format!(
                    "form field `{name}` is {value}; a form-urlencoded field holds a string, number or boolean"
                )));
            }
        };
        pairs.push((name, text));
    }
    serde_urlencoded::to_string(&pairs)
        .map(String::into_bytes)
        .map_err(|e| InvalidInput::Body(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_fields_are_percent_encoded_in_order() {
        #[derive(Serialize)]
        struct Login {
            user: &'static str,
            n: u8,
            ok: bool,
            skip: Option<u8>,
        }
        let body = form(&Login {
            user: "ann lee",
            n: 3,
            ok: true,
            skip: None,
        })
        .expect("flat");
        assert_eq!(&body[..], b"user=ann+lee&n=3&ok=true");
    }

    #[test]
    fn nested_form_values_are_refused() {
        let error = form(&json!({"a": {"b": 1}})).expect_err("nested");
        assert!(error.to_string().contains("form field `a`"), "{error}");
        assert!(form(&json!(["x"])).is_err());
    }

    #[test]
    fn multipart_has_a_part_per_value_and_closes_its_boundary() {
        let (content_type, body) = multipart(&json!({"name": "a\"b", "tags": ["x", "y"], "n": 1})).expect("object");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let text = String::from_utf8(body.to_vec()).expect("utf-8");
        assert_eq!(text.matches(&format!("--{boundary}\r\n")).count(), 4, "{text}");
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        assert!(
            text.contains("name=\"name\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\na\"b\r\n"),
            "{text}"
        );
        assert!(
            text.contains("name=\"n\"\r\nContent-Type: application/json\r\n\r\n1\r\n"),
            "{text}"
        );
    }

    #[test]
    fn binary_parts_carry_their_bytes_unchanged() {
        #[derive(Serialize)]
        struct Upload {
            file: crate::Binary,
            more: Vec<crate::Binary>,
            absent: Option<crate::Binary>,
            meta: Option<serde_json::Value>,
            note: &'static str,
        }
        let upload = Upload {
            file: crate::Binary(vec![0xff, 0, b'\r', b'\n', 0x80]),
            more: vec![crate::Binary(vec![1]), crate::Binary(vec![2])],
            absent: None,
            meta: Some(json!({"k": [1, 2]})),
            note: "n",
        };
        let (content_type, body) = multipart(&upload).expect("object");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
            vec![0xff, 0, b'\r', b'\n', 0x80],
            format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"more\"; filename=\"more\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{1}\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"more\"; filename=\"more\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{2}\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":[1,2]}}\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nn\r\n--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body.to_vec(), expected, "{}", String::from_utf8_lossy(&body));
    }

    /// What `multipart` writes, read back by a maintained parser (multer, the one axum uses): every
    /// part's name, file name, content type and bytes.
    #[tokio::test]
    async fn a_maintained_parser_reads_every_part_back() {
        #[derive(Serialize)]
        struct Upload {
            file: crate::Binary,
            tags: Vec<&'static str>,
            meta: serde_json::Value,
            #[serde(rename = "odd \"name\"")]
            odd: &'static str,
        }
        let upload = Upload {
            file: crate::Binary(vec![0xff, 0, b'\r', b'\n', b'-', b'-', 0x80]),
            tags: vec!["a", "b"],
            meta: json!({"k": [1, 2]}),
            odd: "é\r\n",
        };
        let (content_type, body) = multipart(&upload).expect("object");
        let boundary = multer::parse_boundary(&content_type).expect("a boundary");
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
        let mut parts = multer::Multipart::new(stream, boundary);
        let mut read = Vec::new();
        while let Some(field) = parts.next_field().await.expect("well-formed") {
            let name = field.name().map(str::to_owned);
            let file = field.file_name().map(str::to_owned);
            let media = field.content_type().map(ToString::to_string);
            let bytes = field.bytes().await.expect("part body").to_vec();
            read.push((name, file, media, bytes));
        }
        let part = |name: &str, file: Option<&str>, media: &str, bytes: &[u8]| {
            (
                Some(name.to_owned()),
                file.map(str::to_owned),
                Some(media.to_owned()),
                bytes.to_vec(),
            )
        };
        assert_eq!(
            read,
            [
                part(
                    "file",
                    Some("file"),
                    "application/octet-stream",
                    &[0xff, 0, b'\r', b'\n', b'-', b'-', 0x80]
                ),
                part("tags", None, "text/plain; charset=utf-8", b"a"),
                part("tags", None, "text/plain; charset=utf-8", b"b"),
                part("meta", None, "application/json", br#"{"k":[1,2]}"#),
                part("odd %22name%22", None, "text/plain; charset=utf-8", "é\r\n".as_bytes()),
            ]
        );
    }

    #[test]
    fn a_multipart_body_that_is_not_an_object_is_refused() {
        let error = multipart(&json!(["x"])).expect_err("a list");
        assert!(error.to_string().contains("must be an object"), "{error}");
    }
}
