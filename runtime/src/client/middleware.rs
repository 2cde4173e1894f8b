//! One way to see and change every request before it is signed and sent, and every response
//! before it is decoded.
//!
//! A [`Middleware`] gets the request and a [`Next`] that runs the rest of the chain; it may change
//! the request, answer without sending, look at the response, or run `next` again (token refresh
//! on a 401). The chain, outermost first:
//!
//! 1. retries (`Config::retry`): every middleware below runs once per attempt;
//! 2. yours, in the order given to `Config::middleware`;
//! 3. the vendor parts the configuration asks for: the OpenStack microversion, the credentials the
//!    call presents (bearer, basic, API keys, tokens, a vendor token),
//!    Huawei's project header and AK/SK signing (last, so the signature covers what is sent);
//! 4. those given to `Config::wire_middleware`, which see the request as it goes on the wire;
//! 5. the HTTP client.
//!
//! Requests and responses are the `http` crate's types (the ones a middleware needs are re-exported
//! here), with the body as [`Bytes`]: the response body is read in full before middleware sees it, so any
//! middleware can look at it and the generated code still decodes it. Each request carries a
//! [`Call`] extension saying which operation it is.
//!
//! A header already on the request is left alone by the vendor parts (a call's own microversion, a
//! refreshed token, a documented `X-Project-Id` parameter win over the configured ones), so a
//! middleware can override any of them by setting the header.
//!
//! ```
//! use apigen_runtime::client::middleware::{
//!     BoxFuture, HeaderValue, HttpRequest, HttpResponse, Middleware, Next, SendError,
//! };
//!
//! /// Tags every request with the team that sent it.
//! struct Team(&'static str);
//!
//! impl Middleware for Team {
//!     fn handle<'a>(&'a self, mut request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
//!         request.headers_mut().insert("x-team", HeaderValue::from_static(self.0));
//!         next.run(request)
//!     }
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

pub use super::error::{BoxError, SendError};

/// The `http` types a middleware works with, so that writing one needs no dependency of its own.
pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};

/// A request as middleware sees it: method, absolute URI, headers, the body as bytes, and a
/// [`Call`] in its extensions.
pub type HttpRequest = http::Request<Bytes>;

/// A response as middleware sees it, its body read in full.
pub type HttpResponse = http::Response<Bytes>;

/// The future a middleware returns: boxed, so that middleware are object safe and can be mixed in
/// one chain.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A step in the path of every request.
pub trait Middleware: Send + Sync + 'static {
    /// Handles one request: change it and call `next.run(request)`, or answer without sending.
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>>;
}

impl<M: Middleware + ?Sized> Middleware for Arc<M> {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        (**self).handle(request, next)
    }
}

/// What the chain ends in: the HTTP client.
pub(crate) trait Terminal: Send + Sync {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, SendError>>;
}

/// The rest of the chain after a middleware. `Copy`, so a middleware can run it more than once.
#[derive(Clone, Copy)]
pub struct Next<'a> {
    chain: &'a [Arc<dyn Middleware>],
    sender: &'a dyn Terminal,
}

impl<'a> Next<'a> {
    pub(crate) fn new(chain: &'a [Arc<dyn Middleware>], sender: &'a dyn Terminal) -> Self {
        Next { chain, sender }
    }

    /// Runs the rest of the chain on `request`, down to the HTTP client.
    pub fn run(self, request: HttpRequest) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        match self.chain.split_first() {
            Some((first, rest)) => first.handle(
                request,
                Next {
                    chain: rest,
                    sender: self.sender,
                },
            ),
            None => self.sender.send(request),
        }
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("middleware_left", &self.chain.len())
            .finish()
    }
}

/// A copy of `request` to send again (`http::Request` is not `Clone`; its body here is cheap to
/// copy, and its extensions are copied too).
pub fn clone_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    copy
}

/// What a request is for: every request in the chain carries one in its extensions
/// (`request.extensions().get::<Call>()`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Call {
    operation: &'static str,
    path_template: &'static str,
    idempotent: bool,
    path_parameters: Arc<[(&'static str, String)]>,
    attempt: u32,
}

impl Call {
    pub(crate) fn new(
        operation: &'static str,
        path_template: &'static str,
        idempotent: bool,
        path_parameters: Vec<(&'static str, String)>,
    ) -> Self {
        Call {
            operation,
            path_template,
            idempotent,
            path_parameters: path_parameters.into(),
            attempt: 1,
        }
    }

    /// The operation's Rust name (`create_snapshot`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The path template, as the spec writes it (`/v3/{project_id}/snapshots`).
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The value a path parameter has in this request (the call's own, or the configured default),
    /// unencoded.
    pub fn path_parameter(&self, name: &str) -> Option<&str> {
        self.path_parameters
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.as_str())
    }

    /// Which attempt this is, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    pub(crate) fn set_attempt(&mut self, attempt: u32) {
        self.attempt = attempt;
    }
}
