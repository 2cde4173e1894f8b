//! What a call answered, as the CLI prints it, whatever the operation's response types are.
//!
//! A generated client decodes a response into the operation's own type: a model, text, bytes,
//! nothing, or an enum with a variant per documented status. None of these need to serialize,
//! so each generated dispatch arm says, from the IR, how its success and error bodies are shown
//! ([`Shown::json`], [`Shown::text`], [`Shown::bytes`], or a `match` over the per-status enum):
//! the runtime never guesses a body's kind from its Rust type.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::report::{Failure, failure};
use crate::client::{Error, Response};

/// A body as the CLI prints it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A JSON document: formatted as `-o` asks.
    Json(Value),
    /// Text, printed as it came.
    Text(String),
    /// Bytes, written to stdout as they came (a download, an undocumented body).
    Bytes(Bytes),
    /// Nothing (a 204, a documented empty answer).
    Empty,
}

impl Shown {
    /// A decoded JSON body. A model that does not serialize (a map with non-string keys, which
    /// no JSON body decodes into) shows as `null` rather than failing the command after it ran.
    pub fn json<T: Serialize>(body: T) -> Shown {
        Shown::Json(serde_json::to_value(body).unwrap_or(Value::Null))
    }

    /// A text body.
    pub fn text(body: impl AsRef<str>) -> Shown {
        Shown::Text(body.as_ref().to_owned())
    }

    /// A body of bytes.
    pub fn bytes(body: impl AsRef<[u8]>) -> Shown {
        Shown::Bytes(Bytes::copy_from_slice(body.as_ref()))
    }

    /// No body.
    pub fn empty<T>(_: T) -> Shown {
        Shown::Empty
    }

    /// The body as JSON, for an error report: text that parses as JSON is read as JSON, other
    /// text and bytes as a string (bytes lossily), nothing as `null`.
    pub fn into_json(self) -> Value {
        match self {
            Shown::Json(value) => value,
            Shown::Text(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
            Shown::Bytes(bytes) => serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
            Shown::Empty => Value::Null,
        }
    }
}

/// What a call answered: the status, the request id and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The request id of the answer.
    pub request_id: Option<String>,
    /// The body.
    pub body: Shown,
}

/// The answer of a generated call, or its failure: what every generated operation ends with.
/// `show` turns the success body into what is printed; `show_error` does the same for a typed
/// error body, which the report searches for the service's code and message.
pub fn finish<T, E>(
    result: Result<Response<T>, Error<E>>,
    show: impl FnOnce(T) -> Shown,
    show_error: impl FnOnce(E) -> Shown,
) -> Result<Answer, Failure>
where
    E: std::fmt::Debug,
{
    match result {
        Ok(response) => Ok(Answer {
            status: response.status,
            request_id: response.request_id,
            body: show(response.body),
        }),
        Err(error) => Err(failure(error, show_error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_kind_of_body_reads_as_json_for_a_report() {
        assert_eq!(Shown::json(json!({"a": 1})).into_json(), json!({"a": 1}));
        assert_eq!(Shown::text("{\"b\": 2}").into_json(), json!({"b": 2}));
        assert_eq!(Shown::text("plain").into_json(), json!("plain"));
        assert_eq!(Shown::bytes([0xff, b'x']).into_json(), json!("\u{fffd}x"));
        assert_eq!(Shown::empty(()).into_json(), Value::Null);
    }
}
