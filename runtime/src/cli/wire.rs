//! `--dry-run` and `--debug`: the request as it would go on the wire, secrets redacted.
//!
//! Both are wire middleware (`Config::wire_middleware`), so they see the request after the
//! microversion, token and AK/SK signature are set: what `--dry-run` prints is what would be
//! sent, not a guess at it.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use crate::client::middleware::{BoxFuture, HeaderMap, HttpRequest, HttpResponse, Middleware, Next, SendError};

/// Headers whose whole value is a secret.
const SECRET_HEADERS: &[&str] = &[
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
    "cookie",
    "set-cookie",
    "proxy-authorization",
];

/// A header value as it may be shown: secrets replaced by `<redacted>`. An `Authorization` header
/// keeps its scheme and the names of the signed headers (what a user debugging a signature needs),
/// not the access key or the signature.
pub fn shown_value(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    if SECRET_HEADERS.contains(&name.as_str()) {
        return "<redacted>".to_owned();
    }
    if name == "authorization" {
        let Some((scheme, rest)) = value.split_once(' ') else {
            return "<redacted>".to_owned();
        };
        // Only a signature's parameters are shown apart; a bearer token or a basic pair (whose
        // base64 may end in `=`) is one secret.
        if !rest.to_ascii_lowercase().contains("signedheaders=") {
            return format!("{scheme} <redacted>");
        }
        let parts: Vec<String> = rest
            .split(',')
            .map(str::trim)
            .map(|part| match part.split_once('=') {
                Some((key, value)) if key.eq_ignore_ascii_case("SignedHeaders") => format!("{key}={value}"),
                Some((key, _)) => format!("{key}=<redacted>"),
                None => "<redacted>".to_owned(),
            })
            .collect();
        return format!("{scheme} {}", parts.join(", "));
    }
    value.to_owned()
}

fn headers_text(headers: &HeaderMap, out: &mut String) {
    for (name, value) in headers {
        // A credential in a header the document names (an API key) is marked sensitive.
        let shown = if value.is_sensitive() && name != http::header::AUTHORIZATION {
            "<redacted>".to_owned()
        } else {
            shown_value(name.as_str(), &String::from_utf8_lossy(value.as_bytes()))
        };
        let _ = writeln!(out, "{}: {shown}", name.as_str());
    }
}

/// The request's URI with the value of every query parameter that carries a credential redacted.
fn shown_uri(request: &HttpRequest) -> String {
    let uri = request.uri();
    let Some(query) = uri.query() else {
        return uri.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if crate::client::parts::is_secret_query(request, name) => format!("{name}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect();
    let full = uri.to_string();
    let base = full.split_once('?').map_or(full.as_str(), |(base, _)| base);
    format!("{base}?{}", pairs.join("&"))
}

/// A request as `--dry-run` prints it: the request line, the headers, a blank line, the body.
pub fn request_text(request: &HttpRequest) -> String {
    let mut out = format!("{} {}\n", request.method(), shown_uri(request));
    headers_text(request.headers(), &mut out);
    let body = request.body();
    if !body.is_empty() {
        out.push('\n');
        match std::str::from_utf8(body) {
            Ok(text) => out.push_str(text),
            Err(_) => {
                let _ = write!(out, "({} bytes of binary data)", body.len());
            }
        }
        out.push('\n');
    }
    out
}

/// Why a dry run's call "failed": it stopped before sending, as asked.
#[derive(Debug, thiserror::Error)]
#[error("dry run: the request was not sent")]
pub struct NotSent;

/// Keeps the request instead of sending it.
#[derive(Debug, Clone, Default)]
pub struct DryRun {
    captured: Arc<Mutex<Option<String>>>,
}

impl DryRun {
    /// What the request would have been, once the call has run.
    pub fn captured(&self) -> Option<String> {
        self.captured.lock().ok().and_then(|slot| slot.clone())
    }
}

impl Middleware for DryRun {
    fn handle<'a>(&'a self, request: HttpRequest, _next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        let text = request_text(&request);
        if let Ok(mut slot) = self.captured.lock() {
            *slot = Some(text);
        }
        Box::pin(async { Err(SendError::middleware(NotSent)) })
    }
}

/// Logs each exchange through tracing (at debug, target `apigen::wire`), secrets redacted.
#[derive(Debug, Clone, Copy, Default)]
pub struct WireLog;

impl Middleware for WireLog {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let attempt = request
                .extensions()
                .get::<crate::client::middleware::Call>()
                .map_or(1, crate::client::middleware::Call::attempt);
            tracing::debug!(target: "apigen::wire", attempt, "request:\n{}", request_text(&request));
            let started = std::time::Instant::now();
            let result = next.run(request).await;
            match &result {
                Ok(response) => {
                    let mut text = format!("{} in {:?}\n", response.status(), started.elapsed());
                    headers_text(response.headers(), &mut text);
                    if !response.body().is_empty() {
                        text.push('\n');
                        text.push_str(&crate::client::error::excerpt(response.body(), 4096));
                    }
                    tracing::debug!(target: "apigen::wire", attempt, "response:\n{text}");
                }
                Err(error) => tracing::debug!(target: "apigen::wire", attempt, "no response: {error}"),
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_signed_header_names_kept() {
        assert_eq!(shown_value("X-Auth-Token", "gAAAA-secret"), "<redacted>");
        assert_eq!(
            shown_value(
                "Authorization",
                "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=abc123"
            ),
            "SDK-HMAC-SHA256 Access=<redacted>, SignedHeaders=content-type;host;x-sdk-date, Signature=<redacted>"
        );
        assert_eq!(shown_value("Authorization", "Bearer tok"), "Bearer <redacted>");
        assert_eq!(shown_value("Content-Type", "application/json"), "application/json");
    }

    #[test]
    fn a_request_prints_as_it_would_be_sent() {
        let request = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:1/v5/p/snapshots")
            .header("content-type", "application/json")
            .header("x-auth-token", "secret-token")
            .body(bytes::Bytes::from_static(b"{\"snapshot\":{}}"))
            .expect("a request");
        let text = request_text(&request);
        assert_eq!(
            text,
            "POST http://127.0.0.1:1/v5/p/snapshots\ncontent-type: application/json\nx-auth-token: <redacted>\n\n{\"snapshot\":{}}\n"
        );
        assert!(!text.contains("secret-token"));
    }
}
