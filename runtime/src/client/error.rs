//! The one error type of every generated client.
//!
//! `E` is the operation's documented error body. Every variant that follows a response carries its
//! status and request id, so a failure can be traced on the server side; none carries a secret.

use std::fmt;
use std::time::Duration;

use super::security::Needed;
use crate::ValidationError;

/// Any error, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The request id headers, in order of preference.
pub const REQUEST_ID_HEADERS: [&str; 2] = ["X-Request-Id", "X-Openstack-Request-Id"];

/// Why a call failed. Non-exhaustive, like its variants: match what you handle and keep a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input was refused before anything was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(#[from] InvalidInput),
    /// The request could not be sent or its response not read.
    #[error("transport failure for {operation}: {message}")]
    #[non_exhaustive]
    Transport {
        /// The operation.
        operation: &'static str,
        /// Whether the request may have reached the server.
        maybe_sent: bool,
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// No complete response within the configured time.
    #[error("{operation} timed out after {elapsed:?}")]
    #[non_exhaustive]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// How long the last attempt ran.
        elapsed: Duration,
    },
    /// The server answered with a documented error status.
    #[error("{operation} failed with status {status}{}: {body}", request_id_suffix(.request_id.as_deref()))]
    #[non_exhaustive]
    Api {
        /// The operation.
        operation: &'static str,
        /// The status.
        status: u16,
        /// The request id from the response headers.
        request_id: Option<String>,
        /// The body: typed when it parses as the documented error body, else the text.
        body: ErrorBody<E>,
    },
    /// The server answered with a status the operation does not document.
    #[error("{operation} answered the undocumented status {status}{}: {excerpt}", request_id_suffix(.request_id.as_deref()))]
    #[non_exhaustive]
    UnexpectedStatus {
        /// The operation.
        operation: &'static str,
        /// The status.
        status: u16,
        /// The request id from the response headers.
        request_id: Option<String>,
        /// The start of the body.
        excerpt: String,
    },
    /// The operation requires credentials and the configuration has none that it takes: nothing
    /// was sent.
    #[error("{operation} needs credentials for {needed}, and none of them is configured; nothing was sent")]
    #[non_exhaustive]
    NoCredentials {
        /// The operation.
        operation: &'static str,
        /// The security schemes that would do, as alternatives.
        needed: Needed,
    },
    /// A token source failed to give a token: nothing was sent, or the refused request was not
    /// sent again.
    #[error("{operation}: no token: {source}")]
    #[non_exhaustive]
    Token {
        /// The operation.
        operation: &'static str,
        /// What the token source reported.
        #[source]
        source: BoxError,
    },
    /// A middleware failed.
    #[error("{operation}: middleware failed: {source}")]
    #[non_exhaustive]
    Middleware {
        /// The operation.
        operation: &'static str,
        /// What the middleware reported.
        #[source]
        source: BoxError,
    },
    /// A documented success or error body did not match its schema.
    #[error("{operation}: the {status} response does not decode at {path}: {message}{}; body starts: {excerpt}", request_id_suffix(.request_id.as_deref()))]
    #[non_exhaustive]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The status.
        status: u16,
        /// The request id from the response headers.
        request_id: Option<String>,
        /// JSON path of the value that failed (`snapshot.size`), `.` for the whole body.
        path: String,
        /// What was wrong.
        message: String,
        /// The start of the body.
        excerpt: String,
    },
}

impl<E> Error<E> {
    /// The error of `operation` for a request that got no response.
    pub(crate) fn from_send(operation: &'static str, error: SendError) -> Self {
        match error {
            SendError::Timeout { elapsed } => Error::Timeout { operation, elapsed },
            SendError::Connect { message, source } => Error::Transport {
                operation,
                maybe_sent: false,
                message,
                source,
            },
            SendError::Transport { message, source } => Error::Transport {
                operation,
                maybe_sent: true,
                message,
                source,
            },
            SendError::InvalidInput(refused) => Error::InvalidInput(refused),
            SendError::Middleware(source) => Error::Middleware { operation, source },
            SendError::Token(source) => Error::Token { operation, source },
        }
    }

    /// The response status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The request id, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::UnexpectedStatus { request_id, .. }
            | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The typed error body, when the server sent the documented one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api {
                body: ErrorBody::Typed(body),
                ..
            } => Some(body),
            _ => None,
        }
    }
}

/// A body that breaks its documented constraints is refused input, so a generated call checks it
/// with `?`.
impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Error::InvalidInput(InvalidInput::Validation(error))
    }
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id.map(|id| format!(" (request id {id})")).unwrap_or_default()
}

/// An error response body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody<E> {
    /// The documented error body.
    Typed(E),
    /// Anything else, as text.
    Text(String),
}

impl<E: fmt::Debug> fmt::Display for ErrorBody<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorBody::Typed(body) => write!(f, "{body:?}"),
            ErrorBody::Text(text) if text.is_empty() => f.write_str("(empty body)"),
            ErrorBody::Text(text) => f.write_str(text),
        }
    }
}

/// The error body type of an operation that documents none: it can never be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undocumented {}

/// Never called (there is no value); lets code that shows any error body as JSON take this one.
impl serde::Serialize for Undocumented {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> serde::Deserialize<'de> for Undocumented {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("this operation documents no error body"))
    }
}

/// Input refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The body breaks documented constraints.
    #[error("{0}")]
    Validation(#[from] ValidationError),
    /// A path parameter would not stay one path segment.
    #[error("path parameter `{name}` is {problem}")]
    PathParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A path parameter was neither given nor configured.
    #[error("path parameter `{0}` was not given and the client has no default for it")]
    MissingPathParameter(&'static str),
    /// A header name or value cannot be sent.
    #[error("header `{0}` has a name or value that cannot be sent")]
    Header(String),
    /// The request URI cannot be made from the endpoint, path and query.
    #[error("the request URI is not valid: {0}")]
    Uri(String),
    /// The body could not be serialized.
    #[error("the request body does not serialize: {0}")]
    Body(String),
}

/// A configuration that cannot make a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint is not an absolute http or https URL.
    #[error("endpoint `{endpoint}` is not an absolute http(s) URL: {reason}")]
    #[non_exhaustive]
    Endpoint {
        /// The endpoint as given.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// A header value cannot be sent.
    #[error("the {what} is not a valid header value")]
    #[non_exhaustive]
    Header {
        /// Which setting.
        what: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("the HTTP client cannot be built: {0}")]
    Http(#[source] BoxError),
    /// A CA certificate given to `Config::ca_certificate_pem` cannot be read.
    #[error("the CA certificate cannot be read: {0}")]
    Certificate(String),
    /// TLS cannot be set up (the platform's certificate verifier failed to start).
    #[error("TLS cannot be set up: {0}")]
    Tls(String),
}

/// The first `limit` characters of a body, for error messages.
pub fn excerpt(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(limit).collect();
    if text.chars().count() > limit {
        out.push('…');
    }
    out
}

/// Why a request got no response. The generated call turns it into its `Error`, naming the
/// operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// No connection could be made: the request was not sent.
    #[error("cannot connect: {message}")]
    Connect {
        /// What failed, with its causes.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// No complete response within the configured time.
    #[error("timed out after {elapsed:?}")]
    Timeout {
        /// How long the attempt ran.
        elapsed: Duration,
    },
    /// The request failed after it may have been sent, or its response could not be read.
    #[error("{message}")]
    Transport {
        /// What failed, with its causes.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// The request cannot be sent as it is (a header that is not text, a URI that is not one).
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// A middleware failed.
    #[error("middleware failed: {0}")]
    Middleware(#[source] BoxError),
    /// A token source failed to give a token.
    #[error("no token: {0}")]
    Token(#[source] BoxError),
}

impl SendError {
    /// A middleware's own failure.
    pub fn middleware(error: impl Into<BoxError>) -> Self {
        SendError::Middleware(error.into())
    }

    /// Whether the request surely never reached the server, so sending it again is safe.
    pub fn is_connect(&self) -> bool {
        matches!(self, SendError::Connect { .. })
    }
}
