//! How a command ends: its exit code, and what it says on stderr when it fails.
//!
//! Exit codes, documented in every generated CLI's `--help`: 0 success, 1 the service answered
//! with an error, 2 the input was refused before anything was sent, 3 the request got no answer
//! (connection, timeout), 4 authentication (missing credentials, or a 401/403 answer).

use serde_json::Value;

use super::answer::Shown;
use crate::client::{Error, ErrorBody};

/// The exit codes, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The call succeeded (or `--dry-run` printed it).
    Success = 0,
    /// The service answered with an error.
    Api = 1,
    /// The input was refused before anything was sent.
    Input = 2,
    /// No answer: the connection failed or timed out.
    Transport = 3,
    /// Credentials are missing or were refused.
    Auth = 4,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The text of `--help` that documents the exit codes.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  the service answered with an error
  2  invalid input: nothing was sent
  3  no answer: the connection failed or timed out
  4  authentication: credentials missing, or refused by the service";

/// A failed command: its exit code and the lines it prints on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// What to print, one line each.
    pub lines: Vec<String>,
}

impl Failure {
    /// A failure of one line.
    pub fn new(exit: Exit, line: impl Into<String>) -> Failure {
        Failure {
            exit,
            lines: vec![line.into()],
        }
    }
}

/// What the service's error body says: its code and message, where such keys are.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ServiceError {
    /// The service's error code (`EVS.0400`, `DWS.0404`).
    pub code: Option<String>,
    /// Its message.
    pub message: Option<String>,
}

/// The code and message of an error body, looked for the way vendors write them: at the root
/// (`{"error_code", "error_msg"}`, DWS) or in the one object the root holds (`{"error": {"code",
/// "message"}}`, `{"itemNotFound": {...}}`, `{"badRequest": {...}}`).
pub fn service_error(body: &Value) -> ServiceError {
    fn text(object: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| match object.get(*key) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        })
    }
    const CODES: &[&str] = &["error_code", "code", "errorCode", "type"];
    const MESSAGES: &[&str] = &[
        "error_msg",
        "message",
        "error_message",
        "errorMessage",
        "detail",
        "title",
        "msg",
    ];
    let Value::Object(root) = body else {
        return ServiceError::default();
    };
    let found = ServiceError {
        code: text(root, CODES),
        message: text(root, MESSAGES),
    };
    if found.message.is_some() {
        return found;
    }
    for inner in root.values() {
        if let Value::Object(inner) = inner {
            let nested = ServiceError {
                code: text(inner, CODES),
                message: text(inner, MESSAGES),
            };
            if nested.message.is_some() {
                return nested;
            }
        }
    }
    found
}

/// The failure a client error is reported as.
pub fn failure<E: std::fmt::Debug>(error: Error<E>, show_error: impl FnOnce(E) -> Shown) -> Failure {
    let status_exit = |status: u16| {
        if matches!(status, 401 | 403) {
            Exit::Auth
        } else {
            Exit::Api
        }
    };
    match error {
        Error::InvalidInput(ref invalid) => {
            let mut lines = vec!["invalid input, nothing was sent:".to_owned()];
            match invalid {
                crate::client::error::InvalidInput::Validation(validation) => {
                    lines.extend(validation.violations.iter().map(|v| format!("  {v}")));
                }
                other => lines.push(format!("  {other}")),
            }
            Failure {
                exit: Exit::Input,
                lines,
            }
        }
        Error::Api {
            status,
            request_id,
            body,
            ..
        } => {
            let json = match body {
                ErrorBody::Typed(typed) => show_error(typed).into_json(),
                ErrorBody::Text(text) => Shown::Text(text).into_json(),
            };
            Failure {
                exit: status_exit(status),
                lines: answer_lines(status, request_id.as_deref(), &json),
            }
        }
        Error::UnexpectedStatus {
            status,
            request_id,
            excerpt,
            ..
        } => {
            let json = Shown::Text(excerpt).into_json();
            Failure {
                exit: status_exit(status),
                lines: answer_lines(status, request_id.as_deref(), &json),
            }
        }
        Error::Transport { .. } | Error::Timeout { .. } => Failure::new(Exit::Transport, error.to_string()),
        Error::Decode { .. } => Failure::new(Exit::Api, error.to_string()),
        Error::NoCredentials { .. } | Error::Token { .. } => Failure::new(Exit::Auth, error.to_string()),
        _ => Failure::new(Exit::Transport, error.to_string()),
    }
}

fn answer_lines(status: u16, request_id: Option<&str>, body: &Value) -> Vec<String> {
    let found = service_error(body);
    let mut first = format!("error: the service answered {status}");
    if let Some(code) = &found.code {
        let _ = std::fmt::Write::write_fmt(&mut first, format_args!(" {code}"));
    }
    let mut lines = vec![first];
    match (&found.message, body) {
        (Some(message), _) => lines.push(format!("message: {message}")),
        (None, Value::String(text)) if !text.is_empty() => lines.push(format!("body: {text}")),
        (None, Value::Null) => {}
        (None, other) => lines.push(format!("body: {other}")),
    }
    lines.push(format!("request id: {}", request_id.unwrap_or("(none in the answer)")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_and_messages_are_found_where_vendors_put_them() {
        let evs = json!({"error": {"code": "EVS.0400", "message": "/snapshot/name: too long"}});
        assert_eq!(
            service_error(&evs),
            ServiceError {
                code: Some("EVS.0400".into()),
                message: Some("/snapshot/name: too long".into())
            }
        );
        let dws = json!({"error_code": "DWS.0404", "error_msg": "not found"});
        assert_eq!(service_error(&dws).code.as_deref(), Some("DWS.0404"));
        let cinder = json!({"itemNotFound": {"code": 404, "message": "Snapshot x could not be found."}});
        assert_eq!(service_error(&cinder).code.as_deref(), Some("404"));
        assert_eq!(service_error(&json!("plain")), ServiceError::default());
    }

    #[test]
    fn an_answer_is_reported_with_status_code_message_and_request_id() {
        let body = json!({"error_code": "DWS.0404", "error_msg": "snapshot s-1 not found"});
        assert_eq!(
            answer_lines(404, Some("req-1"), &body),
            vec![
                "error: the service answered 404 DWS.0404",
                "message: snapshot s-1 not found",
                "request id: req-1"
            ]
        );
    }
}
