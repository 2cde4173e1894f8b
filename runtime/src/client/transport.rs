//! Sending one operation's request: fill the path, authenticate or sign, send, retry when it is
//! safe, and hand the raw response to the generated code, which knows the documented statuses.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::Credentials;
use super::config::{Config, ConfigError};
use super::error::{Error, ErrorBody, InvalidInput, REQUEST_ID_HEADERS, excerpt};
use super::path;
use super::retry::parse_retry_after;
use super::sign;

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 200;

/// What the generator knows about an operation, as a `static`.
#[derive(Debug)]
pub struct Operation {
    /// The operation's Rust name, for errors and traces.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it.
    pub path: &'static str,
    /// The media types the generated code decodes from the documented responses (`application/json`,
    /// or several joined with `, `), sent as `Accept` so that a server that negotiates content
    /// answers in one of them. A header parameter named `Accept` takes its place.
    pub accept: Option<&'static str>,
}

impl Operation {
    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        )
    }
}

/// One request, as generated code assembles it.
#[derive(Debug)]
pub struct Request<'a> {
    operation: &'static Operation,
    path_values: Vec<(&'static str, Option<&'a str>)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<(Bytes, Cow<'static, str>)>,
}

impl<'a> Request<'a> {
    /// A request for `operation` with no parameters yet.
    pub fn new(operation: &'static Operation) -> Self {
        Request {
            operation,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A path parameter; `None` takes the client's default for `name`.
    pub fn path(mut self, name: &'static str, value: Option<&'a str>) -> Self {
        self.path_values.push((name, value));
        self
    }

    /// A query parameter (a list is one call per item).
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// A header parameter.
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        self.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// The operation's `Accept`, unless a header parameter gives its own.
    fn default_accept(&self) -> Option<&'static str> {
        let accept = self.operation.accept?;
        let given = self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("accept"));
        (!given).then_some(accept)
    }

    /// A JSON body with the media type `content_type`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T, content_type: &'static str) -> Result<Self, InvalidInput> {
        let bytes = serde_json::to_vec(body).map_err(|e| InvalidInput::Body(e.to_string()))?;
        self.body = Some((Bytes::from(bytes), Cow::Borrowed(content_type)));
        Ok(self)
    }

    /// A form-urlencoded body from the properties of `body`.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T, content_type: &'static str) -> Result<Self, InvalidInput> {
        self.body = Some((super::body::form(body)?, Cow::Borrowed(content_type)));
        Ok(self)
    }

    /// A `multipart/form-data` body with one part per property of `body`.
    pub fn multipart<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, InvalidInput> {
        let (content_type, bytes) = super::body::multipart(body)?;
        self.body = Some((bytes, Cow::Owned(content_type)));
        Ok(self)
    }

    /// A text body.
    pub fn text(mut self, body: &str, content_type: &'static str) -> Self {
        self.body = Some((Bytes::copy_from_slice(body.as_bytes()), Cow::Borrowed(content_type)));
        self
    }

    /// A body of raw bytes; a wildcard media type (`*/*`) is sent as `application/octet-stream`.
    pub fn bytes(mut self, body: &[u8], content_type: &'static str) -> Self {
        let content_type = if content_type.contains('*') {
            "application/octet-stream"
        } else {
            content_type
        };
        self.body = Some((Bytes::copy_from_slice(body), Cow::Borrowed(content_type)));
        self
    }
}

/// A parameter value as text for a path, query or header: a JSON string as its text, any other
/// value as its JSON. For parameter types richer than a string or a number (newtypes, enums held as
/// JSON), so a generated call never needs them to implement `Display`.
pub fn param_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(error) => format!("<unserializable: {error}>"),
    }
}

/// A response before the generated code has decided what its status means.
#[derive(Debug)]
pub struct RawResponse {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Bytes,
}

/// A successful call: the documented body with the status, headers and request id it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The request id (`X-Request-Id` or `X-Openstack-Request-Id`).
    pub request_id: Option<String>,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: f(self.body),
        }
    }

    /// A response header as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl RawResponse {
    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body decoded as `T`, or a decode error naming the JSON path that failed.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let decoded: Result<T, (String, String)> = match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(body) => deserializer
                .end()
                .map(|()| body)
                .map_err(|e| (".".to_owned(), e.to_string())),
            Err(error) => Err((error.path().to_string(), error.inner().to_string())),
        };
        match decoded {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                request_id: self.request_id,
                body,
            }),
            Err((path, message)) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                request_id: self.request_id,
                path,
                message,
                excerpt: excerpt(&self.body, EXCERPT_CHARS),
            }),
        }
    }

    /// The body as text; a body that is not UTF-8 is a decode error.
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                request_id: self.request_id,
                body,
            }),
            Err(error) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                request_id: self.request_id,
                path: ".".to_owned(),
                message: format!("the text body is not UTF-8: {error}"),
                excerpt: excerpt(&self.body, EXCERPT_CHARS),
            }),
        }
    }

    /// The body as bytes, as they came.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: self.body,
        })
    }

    /// A success without a documented body; whatever came is dropped.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: (),
        })
    }

    /// A documented error status: the body typed as `E` if it parses, else kept as text.
    pub fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        let body = match serde_json::from_slice::<E>(&self.body) {
            Ok(typed) => ErrorBody::Typed(typed),
            Err(_) => ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            body,
        }
    }

    /// A documented error status whose body type depends on the status: `parse` picks it.
    pub fn api_error_with<E>(self, parse: impl FnOnce(&[u8]) -> Option<E>) -> Error<E> {
        let body = match parse(&self.body) {
            Some(typed) => ErrorBody::Typed(typed),
            None => ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            body,
        }
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            excerpt: excerpt(&self.body, EXCERPT_CHARS),
        }
    }
}

/// The shared half of every generated client: configuration and a connection pool. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: Config,
    /// The endpoint without a trailing `/`.
    base: String,
    /// `host[:port]`, as the `Host` header carries it.
    host: String,
    /// Header values prepared once: the user agent, the microversion, the token (sensitive).
    user_agent: HeaderValue,
    microversion: Option<HeaderValue>,
    token: Option<HeaderValue>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `config`; fails on an endpoint that is not an absolute http(s) URL.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        let endpoint_error = |reason: String| ConfigError::Endpoint {
            endpoint: config.endpoint.clone(),
            reason,
        };
        let url = reqwest::Url::parse(&config.endpoint).map_err(|e| endpoint_error(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(endpoint_error(format!("the scheme is `{}`", url.scheme())));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(endpoint_error("it has a query or fragment".to_owned()));
        }
        let host_name = url
            .host_str()
            .ok_or_else(|| endpoint_error("it has no host".to_owned()))?;
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        let user_agent =
            HeaderValue::from_str(&config.user_agent).map_err(|_| ConfigError::Header { what: "user agent" })?;
        let microversion = match &config.microversion {
            Some((service, version)) => Some(
                HeaderValue::from_str(&format!("{service} {version}"))
                    .map_err(|_| ConfigError::Header { what: "microversion" })?,
            ),
            None => None,
        };
        let token = match &config.credentials {
            Credentials::Token(token) => {
                let mut value =
                    HeaderValue::from_str(token.expose()).map_err(|_| ConfigError::Header { what: "token" })?;
                value.set_sensitive(true);
                Some(value)
            }
            _ => None,
        };
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(super::tls::client_config(&config.extra_roots)?)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()
            .map_err(ConfigError::Http)?;
        let base = url.as_str().trim_end_matches('/').to_owned();
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                config,
                base,
                host,
                user_agent,
                microversion,
                token,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `request`, retrying as the policy allows, and returns the final response whatever
    /// its status; or the transport failure, timeout or refused input.
    pub async fn send<E>(&self, request: Request<'_>) -> Result<RawResponse, Error<E>> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "apigen.request",
            operation = operation.name,
            method = %operation.method,
            path = operation.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.send_with_retries(request).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status);
        }
        result
    }

    async fn send_with_retries<E>(&self, request: Request<'_>) -> Result<RawResponse, Error<E>> {
        let operation = request.operation;
        let config = &self.inner.config;
        let path_values = request
            .path_values
            .iter()
            .map(|(name, value)| {
                let value = value.or_else(|| config.path_defaults.get(*name).map(String::as_str));
                value
                    .map(|v| (*name, v))
                    .ok_or(InvalidInput::MissingPathParameter(name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let path = path::fill(operation.path, &path_values)?;
        let query = sign::canonical_query(&request.query);
        let url = if query.is_empty() {
            format!("{}{path}", self.inner.base)
        } else {
            format!("{}{path}?{query}", self.inner.base)
        };
        // A signature covers the path as the URL parser will send it (with the endpoint's own
        // prefix); only signing needs it, so only signing parses the URL for it.
        let signed_path = match config.credentials {
            Credentials::AkSk { .. } => Some(reqwest::Url::parse(&url).map(|u| u.path().to_owned()).unwrap_or(path)),
            _ => None,
        };

        let policy = &config.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempts", attempt);
            let headers = self.headers(&request, signed_path.as_deref())?;
            let mut builder = self.inner.http.request(operation.method.clone(), &url).headers(headers);
            if let Some((body, _)) = &request.body {
                builder = builder.body(body.clone());
            }
            let attempt_started = Instant::now();
            let outcome = builder.send().await;
            let retries_left = attempt < policy.max_attempts.max(1);
            let response = match outcome {
                Ok(response) => response,
                Err(error) if error.is_connect() && retries_left => {
                    let wait = policy.backoff(attempt);
                    tracing::debug!(attempt, ?wait, error = %error, "connection failed before sending; retrying");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(error) => return Err(transport_error(operation, error, attempt_started.elapsed())),
            };
            let status = response.status().as_u16();
            tracing::debug!(
                attempt,
                status,
                elapsed_ms = attempt_started.elapsed().as_millis() as u64,
                "response"
            );
            if retries_left && policy.retries_status(status, operation.is_idempotent()) {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                let wait = match retry_after {
                    Some(asked) if asked > policy.max_retry_after => None,
                    Some(asked) => Some(asked),
                    None => Some(policy.backoff(attempt)),
                };
                if let Some(wait) = wait {
                    tracing::debug!(attempt, status, ?wait, "retryable status; retrying");
                    // Drain the body so the connection can be reused.
                    let _ = response.bytes().await;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .map_err(|e| transport_error(operation, e, attempt_started.elapsed()))?;
            return Ok(RawResponse {
                operation: operation.name,
                status,
                request_id: request_id(&headers),
                headers,
                body,
            });
        }
    }

    /// The headers of one attempt, authenticated (signing needs a fresh date each attempt).
    fn headers(&self, request: &Request<'_>, signed_path: Option<&str>) -> Result<HeaderMap, InvalidInput> {
        let inner = &*self.inner;
        let config = &inner.config;
        let (Credentials::AkSk { access_key, secret_key }, Some(path)) = (&config.credentials, signed_path) else {
            // Unsigned: straight into a header map, with the constant values prepared once.
            let mut map = HeaderMap::with_capacity(4 + request.headers.len());
            if let Some((_, content_type)) = &request.body {
                // The media type comes from the spec: checked, not trusted (`from_static` panics).
                let value =
                    HeaderValue::from_str(content_type).map_err(|_| InvalidInput::Header("Content-Type".to_owned()))?;
                map.insert(reqwest::header::CONTENT_TYPE, value);
            }
            map.insert(reqwest::header::USER_AGENT, inner.user_agent.clone());
            if let Some(accept) = request.default_accept() {
                let value = HeaderValue::from_str(accept).map_err(|_| InvalidInput::Header("Accept".to_owned()))?;
                map.insert(reqwest::header::ACCEPT, value);
            }
            if let Some(version) = &inner.microversion {
                map.insert(HeaderName::from_static("openstack-api-version"), version.clone());
            }
            for (name, value) in &request.headers {
                let (name, value) = header_pair(name, value)?;
                map.append(name, value);
            }
            if let Some(token) = &inner.token {
                map.insert(HeaderName::from_static("x-auth-token"), token.clone());
            }
            return Ok(map);
        };
        let mut headers: Vec<(String, String)> = Vec::with_capacity(8);
        if let Some((_, content_type)) = &request.body {
            headers.push(("Content-Type".to_owned(), content_type.to_string()));
        }
        headers.push(("User-Agent".to_owned(), config.user_agent.clone()));
        if let Some(accept) = request.default_accept() {
            headers.push(("Accept".to_owned(), accept.to_owned()));
        }
        if let Some((service, version)) = &config.microversion {
            headers.push(("OpenStack-API-Version".to_owned(), format!("{service} {version}")));
        }
        headers.extend(request.headers.iter().cloned());
        let date = sign::sdk_date(SystemTime::now());
        headers.push((sign::DATE_HEADER.to_owned(), date.clone()));
        if config.project_header
            && let Some(project) = config.path_defaults.get("project_id")
        {
            headers.push(("X-Project-Id".to_owned(), project.clone()));
        }
        let signed = sign::sign(
            access_key.expose(),
            secret_key.expose(),
            &date,
            &sign::SigningInput {
                method: request.operation.method.as_str(),
                host: &inner.host,
                path,
                query: &request.query,
                headers: &headers,
                body: request.body.as_ref().map(|(body, _)| body.as_ref()),
            },
        );
        let mut map = HeaderMap::with_capacity(signed.headers.len());
        for (name, value) in &signed.headers {
            let (name, value) = header_pair(name, value)?;
            map.append(name, value);
        }
        Ok(map)
    }
}

/// A header from text, marked sensitive when it carries a credential so it is never printed.
fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), InvalidInput> {
    let invalid = || InvalidInput::Header(name.to_owned());
    let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
    let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
    if matches!(header.as_str(), "x-auth-token" | "authorization") {
        value.set_sensitive(true);
    }
    Ok((header, value))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

fn transport_error<E>(operation: &'static Operation, error: reqwest::Error, elapsed: Duration) -> Error<E> {
    if error.is_timeout() {
        return Error::Timeout {
            operation: operation.name,
            elapsed,
        };
    }
    Error::Transport {
        operation: operation.name,
        maybe_sent: !error.is_connect(),
        message: error_chain(&error),
        source: Some(error.without_url()),
    }
}

/// The error and its causes on one line: reqwest's own message is often just "error sending request".
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Config, InvalidInput};

    /// Media types come from the spec; one that cannot be a header value is refused before
    /// anything is sent (nothing listens on the endpoint), not a panic.
    #[tokio::test]
    async fn a_media_type_that_is_no_header_value_is_refused() {
        static ODD_ACCEPT: Operation = Operation {
            name: "odd_accept",
            method: Method::GET,
            path: "/t",
            accept: Some("text/plain\u{1}"),
        };
        static PLAIN: Operation = Operation {
            name: "plain",
            method: Method::POST,
            path: "/t",
            accept: None,
        };
        let transport = Transport::new(Config::new("http://127.0.0.1:9")).expect("transport");
        for (request, header) in [
            (Request::new(&PLAIN).text("x", "text/plain\u{1}"), "Content-Type"),
            (Request::new(&ODD_ACCEPT), "Accept"),
        ] {
            let error = transport.send::<()>(request).await.expect_err("refused");
            assert!(
                matches!(&error, Error::InvalidInput(InvalidInput::Header(name)) if name == header),
                "{error:?}"
            );
        }
    }
}
