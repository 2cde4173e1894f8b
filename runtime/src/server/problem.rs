//! The default answer to a rejection: `application/problem+json` (RFC 9457), listing every
//! violation with its JSON pointer. A server whose API documents another error shape answers in
//! that one instead (the generated trait's rejection hook).

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use serde_json::json;

use super::rejection::Rejection;

/// The media type of the answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The RFC 9457 document of `rejection`: `type`, `title`, `status`, `detail`, and the extension
/// members `operation`, `violations` (`pointer`, `reason`) and `omitted`.
pub fn problem_document(rejection: &Rejection) -> serde_json::Value {
    let violations: Vec<serde_json::Value> = rejection
        .violations()
        .iter()
        .map(|v| json!({"pointer": if v.path.is_empty() { "/" } else { v.path.as_str() }, "reason": v.message}))
        .collect();
    let detail = match (
        rejection.violations().first(),
        rejection.violations().len() + rejection.omitted(),
    ) {
        (None, _) => rejection.kind().title().to_owned(),
        (Some(first), 1) => first.to_string(),
        (Some(first), count) => format!("{first} (and {} more)", count - 1),
    };
    let mut document = json!({
        "type": "about:blank",
        "title": rejection.kind().title(),
        "status": rejection.status().as_u16(),
        "detail": detail,
        "violations": violations,
    });
    if let Some(operation) = rejection.operation() {
        document["operation"] = json!(operation);
    }
    if rejection.omitted() > 0 {
        document["omitted"] = json!(rejection.omitted());
    }
    document
}

/// The whole answer: status, `Content-Type: application/problem+json`, `Allow` for a 405.
pub fn problem_response(rejection: &Rejection) -> http::Response<Bytes> {
    let body = serde_json::to_vec(&problem_document(rejection)).unwrap_or_default();
    let mut response = http::Response::new(Bytes::from(body));
    *response.status_mut() = rejection.status();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    if !rejection.allow().is_empty() {
        let allow = rejection
            .allow()
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(value) = HeaderValue::from_str(&allow) {
            response.headers_mut().insert(ALLOW, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Violation;
    use crate::server::rejection::{MAX_VIOLATIONS, RejectionKind};
    use http::Method;

    #[test]
    fn violations_are_listed_with_their_pointers() {
        let rejection = Rejection::new(RejectionKind::Invalid)
            .for_operation("create_snapshot")
            .with_violations([
                Violation::new("/snapshot/name", "is 2 characters long; the minimum is 4"),
                Violation::new("", "has 3 properties; the maximum is 2"),
            ]);
        let response = problem_response(&rejection);
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
        let document: serde_json::Value = serde_json::from_slice(response.body()).expect("JSON");
        assert_eq!(
            document,
            json!({
                "type": "about:blank",
                "title": "The request breaks documented constraints",
                "status": 400,
                "detail": "/snapshot/name: is 2 characters long; the minimum is 4 (and 1 more)",
                "operation": "create_snapshot",
                "violations": [
                    {"pointer": "/snapshot/name", "reason": "is 2 characters long; the minimum is 4"},
                    {"pointer": "/", "reason": "has 3 properties; the maximum is 2"}
                ]
            })
        );
    }

    #[test]
    fn a_405_says_which_methods_the_path_has() {
        let rejection = Rejection::new(RejectionKind::MethodNotAllowed).with_allow([Method::GET, Method::PUT]);
        let response = problem_response(&rejection);
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()[ALLOW], "GET, PUT");
    }

    #[test]
    fn a_huge_report_stays_bounded() {
        let many = (0..10_000).map(|i| Violation::new(format!("/items/{i}"), "is empty"));
        let rejection = Rejection::new(RejectionKind::Invalid).with_violations(many);
        let document = problem_document(&rejection);
        assert_eq!(document["violations"].as_array().map(Vec::len), Some(MAX_VIOLATIONS));
        assert_eq!(document["omitted"], 10_000 - MAX_VIOLATIONS);
    }
}
