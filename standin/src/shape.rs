//! Errors in each service's own shape, as the real services answer them:
//! - EVS v5: `{"error": {"code": "EVS.XXXX", "message": "..."}}` (the v5 document);
//! - EVS v2: an envelope named after the error (`{"badRequest": {...}}`, `{"itemNotFound": {...}}`);
//! - DWS: `{"error_code": "DWS.XXXX", "error_msg": "..."}`, as Huawei's DWS and its SDK read it;
//! - Block Storage: Cinder's fault envelope (`{"badRequest": {"code": 400, "message": "..."}}`);
//! - authentication failures at Huawei's API gateway: `{"error_code": "APIGW.0301", ...}`; at
//!   Keystone's middleware for Cinder: `{"error": {"code": 401, "title": "Unauthorized", ...}}`.
//!
//! Every message says which field and why: the violations of a rejection, joined.

use apigen_runtime::server::{Rejection, Reply, StatusCode};
use serde_json::{Value, json};

use crate::store::Service;

tokio::task_local! {
    /// The dialect of the request being served, set by the stand-in's router around each
    /// generated server, so that their rejection hooks answer in it.
    pub static DIALECT: Dialect;
}

/// The rejection hook of every service: the rejection in the current request's dialect.
pub fn reject_in_current_dialect(rejection: &Rejection) -> Reply {
    let dialect = DIALECT.try_with(|d| *d).unwrap_or(Dialect::Cinder);
    rejection_reply(dialect, rejection)
}

/// Which of a service's error formats an operation answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// EVS API v5.
    EvsV5,
    /// The OpenStack-compatible EVS API v2.
    EvsV2,
    /// DWS.
    Dws,
    /// Cinder.
    Cinder,
}

impl Dialect {
    /// The dialect of a request path (`/v5/...` is EVS v5, `/v1.0/...` DWS, `/v3/...` Cinder).
    pub fn of_path(path: &str) -> Option<Dialect> {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        match first {
            "v5" => Some(Dialect::EvsV5),
            "v2" => Some(Dialect::EvsV2),
            "v1.0" => Some(Dialect::Dws),
            "v3" | "" => Some(Dialect::Cinder),
            _ => None,
        }
    }

    /// The service of the dialect.
    pub fn service(self) -> Service {
        match self {
            Dialect::EvsV5 | Dialect::EvsV2 => Service::Evs,
            Dialect::Dws => Service::Dws,
            Dialect::Cinder => Service::BlockStorage,
        }
    }
}

/// The error body of `status` with `message`, in `dialect`.
pub fn error_body(dialect: Dialect, status: StatusCode, message: &str) -> Value {
    let code = status.as_u16();
    match dialect {
        Dialect::EvsV5 => json!({"error": {"code": huawei_code("EVS", status), "message": message}}),
        Dialect::EvsV2 => json!({ fault_name(status): {"code": huawei_code("EVS", status), "message": message} }),
        Dialect::Dws => json!({"error_code": huawei_code("DWS", status), "error_msg": message}),
        Dialect::Cinder => json!({ fault_name(status): {"code": code, "message": message} }),
    }
}

/// The body of a failed authentication, as the service's front door answers it.
pub fn unauthorized_body(dialect: Dialect, message: &str, request_id: &str) -> Value {
    match dialect {
        Dialect::Cinder => json!({"error": {"code": 401, "title": "Unauthorized", "message": message}}),
        _ => json!({"error_code": "APIGW.0301", "error_msg": message, "request_id": request_id}),
    }
}

/// A JSON answer.
pub fn reply(status: StatusCode, body: &Value) -> Reply {
    let mut reply = Reply::new(body.to_string().into());
    *reply.status_mut() = status;
    reply.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    reply
}

/// A rejection in `dialect`: its status, and every violation in the message.
pub fn rejection_reply(dialect: Dialect, rejection: &Rejection) -> Reply {
    let mut message = rejection
        .violations()
        .iter()
        .map(|v| {
            if v.path.is_empty() {
                v.message.clone()
            } else {
                format!("{}: {}", v.path, v.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    if rejection.omitted() > 0 {
        message.push_str(&format!(" (and {} more)", rejection.omitted()));
    }
    if message.is_empty() {
        message = rejection.kind().title().to_owned();
    }
    let mut reply = reply(rejection.status(), &error_body(dialect, rejection.status(), &message));
    if !rejection.allow().is_empty() {
        let allow: Vec<&str> = rejection.allow().iter().map(|m| m.as_str()).collect();
        if let Ok(value) = axum::http::HeaderValue::from_str(&allow.join(", ")) {
            reply.headers_mut().insert(axum::http::header::ALLOW, value);
        }
    }
    reply
}

/// Cinder's (and Nova's) name of a fault envelope by status.
fn fault_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 => "overLimit",
        415 => "badMediaType",
        429 => "overLimit",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    }
}

/// A Huawei-style error code for a status (`EVS.0400`): the services' codes are per cause and
/// undocumented here, so the stand-in's say the status, under the service's prefix.
fn huawei_code(service: &str, status: StatusCode) -> String {
    format!("{service}.{:04}", status.as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_answers_in_its_own_shape() {
        let not_found = StatusCode::NOT_FOUND;
        assert_eq!(
            error_body(Dialect::EvsV5, StatusCode::BAD_REQUEST, "m"),
            json!({"error": {"code": "EVS.0400", "message": "m"}})
        );
        assert_eq!(
            error_body(Dialect::EvsV2, not_found, "m"),
            json!({"itemNotFound": {"code": "EVS.0404", "message": "m"}})
        );
        assert_eq!(
            error_body(Dialect::Dws, not_found, "m"),
            json!({"error_code": "DWS.0404", "error_msg": "m"})
        );
        assert_eq!(
            error_body(Dialect::Cinder, StatusCode::BAD_REQUEST, "m"),
            json!({"badRequest": {"code": 400, "message": "m"}})
        );
    }

    #[test]
    fn paths_name_their_dialect() {
        assert_eq!(Dialect::of_path("/v5/p/snapshots"), Some(Dialect::EvsV5));
        assert_eq!(Dialect::of_path("/v2/p/cloudsnapshots/s"), Some(Dialect::EvsV2));
        assert_eq!(Dialect::of_path("/v1.0/p/snapshots"), Some(Dialect::Dws));
        assert_eq!(Dialect::of_path("/v3/p/snapshots"), Some(Dialect::Cinder));
        assert_eq!(Dialect::of_path("/_standin/requests"), None);
    }
}
