//! What a handler's answer becomes on the wire: a status, the documented headers and the body in
//! its documented media type. Generated response enums write themselves through this.

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Serialize;

use super::rejection::{Rejection, RejectionKind};
use crate::Violation;

/// A whole answer, its body in memory.
pub type Reply = http::Response<Bytes>;

/// A documented answer of an operation, written as a [`Reply`]. Fails (500, in the API's shape)
/// only when the handler's value cannot be written: a body that does not serialize, a header
/// value that is not visible ASCII.
pub trait IntoReply {
    /// The answer on the wire.
    fn into_reply(self) -> Result<Reply, Rejection>;
}

/// An answer being put together; errors are kept until [`ReplyBuilder::finish`].
#[derive(Debug)]
#[must_use = "an answer is only written by `finish`"]
pub struct ReplyBuilder {
    reply: Result<Reply, String>,
}

/// An answer with `status` and no body.
pub fn empty(status: impl TryInto<StatusCode>) -> ReplyBuilder {
    with_body(status, None, Bytes::new())
}

/// An answer with `body` as JSON, sent as `content_type`.
pub fn json<T: Serialize + ?Sized>(
    status: impl TryInto<StatusCode>,
    content_type: &'static str,
    body: &T,
) -> ReplyBuilder {
    match crate::for_generated_code::ser::as_response(|| serde_json::to_vec(body)) {
        Ok(bytes) => with_body(status, Some(content_type), Bytes::from(bytes)),
        Err(error) => ReplyBuilder {
            reply: Err(format!("the response body does not serialize: {error}")),
        },
    }
}

/// An answer with a text body.
pub fn text(status: impl TryInto<StatusCode>, content_type: &'static str, body: String) -> ReplyBuilder {
    with_body(status, Some(content_type), Bytes::from(body))
}

/// An answer with a body of bytes.
pub fn bytes(status: impl TryInto<StatusCode>, content_type: &'static str, body: impl Into<Bytes>) -> ReplyBuilder {
    with_body(status, Some(content_type), body.into())
}

fn with_body(status: impl TryInto<StatusCode>, content_type: Option<&'static str>, body: Bytes) -> ReplyBuilder {
    let Ok(status) = status.try_into() else {
        return ReplyBuilder {
            reply: Err("the response status is not an HTTP status".to_owned()),
        };
    };
    let mut reply = http::Response::new(body);
    *reply.status_mut() = status;
    if let Some(content_type) = content_type
        && let Ok(value) = HeaderValue::from_str(content_type)
    {
        reply.headers_mut().insert(CONTENT_TYPE, value);
    }
    ReplyBuilder { reply: Ok(reply) }
}

impl ReplyBuilder {
    /// Adds a documented header, when it has a value.
    pub fn header(mut self, name: &'static str, value: impl Into<Option<String>>) -> Self {
        let Some(value) = value.into() else {
            return self;
        };
        if let Ok(reply) = &mut self.reply {
            match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
                (Ok(name), Ok(value)) => {
                    reply.headers_mut().append(name, value);
                }
                _ => self.reply = Err(format!("the response header `{name}` is not a valid header value")),
            }
        }
        self
    }

    /// The answer, or the 500 that says why it cannot be written.
    pub fn finish(self) -> Result<Reply, Rejection> {
        self.reply
            .map_err(|reason| Rejection::new(RejectionKind::Internal).with_violations([Violation::new("", reason)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_has_its_status_type_and_headers() {
        let reply = json(202, "application/json", &serde_json::json!({"id": "s1"}))
            .header("X-Request-Id", "r1".to_owned())
            .header("X-Absent", None)
            .finish()
            .expect("writes");
        assert_eq!(reply.status(), StatusCode::ACCEPTED);
        assert_eq!(reply.headers()["content-type"], "application/json");
        assert_eq!(reply.headers()["x-request-id"], "r1");
        assert!(reply.headers().get("x-absent").is_none());
        assert_eq!(reply.body().as_ref(), br#"{"id":"s1"}"#);
    }

    #[test]
    fn what_cannot_be_written_is_a_500_not_a_panic() {
        let bad_header = empty(204)
            .header("X-Id", "a\nb".to_owned())
            .finish()
            .expect_err("newline");
        assert_eq!(bad_header.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bad_status = empty(1000u16).finish().expect_err("no such status");
        assert_eq!(bad_status.kind(), RejectionKind::Internal);
        let nan = json(200, "application/json", &f64::NAN).finish();
        assert!(nan.is_ok(), "serde_json writes NaN as null");
    }
}
