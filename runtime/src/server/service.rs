//! The router a generated `router` function builds: the operations' templates and handlers,
//! served as one `axum::Router`. Every request is answered: a path no operation has is a 404, a
//! method the path does not have a 405 with `Allow`, a body over the limit a 413, a request that
//! does not read a 400, and a handler that panics a 500; each goes through the API's rejection
//! hook, so it comes back in the API's own error shape.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::FutureExt;
use http::Method;
use http::header::CONTENT_LENGTH;

use super::inputs::Incoming;
use super::problem::problem_response;
use super::rejection::{Rejection, RejectionKind};
use super::reply::Reply;
use super::route::{Captures, Template};
use crate::Violation;

/// Bounds on what a server takes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Limits {
    body_bytes: usize,
    anonymous: bool,
}

impl Default for Limits {
    /// 2 MiB of body, as axum's own default; every operation's security requirement checked.
    fn default() -> Self {
        Limits {
            body_bytes: 2 << 20,
            anonymous: false,
        }
    }
}

impl Limits {
    /// The largest request body taken, in bytes; a longer one is answered 413.
    pub fn with_body_bytes(mut self, bytes: usize) -> Self {
        self.body_bytes = bytes;
        self
    }

    /// The largest request body taken, in bytes.
    pub fn body_bytes(&self) -> usize {
        self.body_bytes
    }

    /// Whether a request that does not present what its operation's security requirement names
    /// is let through (with no credentials handed over) instead of answered 401: a server behind
    /// a gateway that authenticates, or a local stand-in that takes anyone.
    pub fn allow_anonymous(mut self, allow: bool) -> Self {
        self.anonymous = allow;
        self
    }

    /// Whether requests without credentials are let through.
    pub fn anonymous_allowed(&self) -> bool {
        self.anonymous
    }
}

type HandlerFuture = Pin<Box<dyn Future<Output = Result<Reply, Rejection>> + Send>>;
type Handler<S> = Box<dyn Fn(Arc<S>, Incoming) -> HandlerFuture + Send + Sync>;

/// A route found for a request: its entry and the path's raw values.
type Found<'a, S> = (&'a Entry<S>, Captures);

/// A candidate while routing: its rank, its entry, the path's raw values.
type Candidate<'a, S> = (u64, &'a Entry<S>, Captures);

struct Entry<S> {
    method: Method,
    template: Template,
    operation: &'static str,
    handler: Handler<S>,
}

/// The routes of one API over its implementation `S`, and how `S` answers a rejection.
pub struct Routes<S> {
    api: Arc<S>,
    reject: fn(&S, Rejection) -> Reply,
    limits: Limits,
    entries: Vec<Entry<S>>,
}

impl<S: Send + Sync + 'static> Routes<S> {
    /// No routes yet; `reject` writes every refusal (the generated trait's hook).
    pub fn new(api: Arc<S>, reject: fn(&S, Rejection) -> Reply) -> Self {
        Routes {
            api,
            reject,
            limits: Limits::default(),
            entries: Vec::new(),
        }
    }

    /// Bounds other than the defaults.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// `operation` at `method` and `template`, answered by `handler`.
    pub fn route<F, Fut>(mut self, method: Method, template: &'static str, operation: &'static str, handler: F) -> Self
    where
        F: Fn(Arc<S>, Incoming) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, Rejection>> + Send + 'static,
    {
        self.entries.push(Entry {
            method,
            template: Template::parse(template),
            operation,
            handler: Box::new(move |api, incoming| Box::pin(handler(api, incoming))),
        });
        self
    }

    /// The routes as an `axum::Router`, to serve, nest or wrap in tower layers. They are one tower
    /// service behind the router's fallback, not an axum handler: nothing is extracted twice.
    pub fn into_router(self) -> axum::Router {
        axum::Router::new().fallback_service(RoutesService(Arc::new(self)))
    }

    /// The answer to `request`.
    pub async fn serve(&self, request: axum::extract::Request) -> Reply {
        let (head, body) = request.into_parts();
        let entry = match self.find(&head.method, head.uri.path()) {
            Ok(found) => found,
            Err(rejection) => return self.answer(rejection),
        };
        let (entry, captures) = entry;
        let body = match self.read_body(&head, body).await {
            Ok(body) => body,
            Err(rejection) => {
                let too_large = rejection.kind() == RejectionKind::PayloadTooLarge;
                let mut reply = self.answer(rejection.for_operation(entry.operation));
                if too_large {
                    // The rest of the body is left unread, so this connection cannot carry another
                    // request: say so, or a client that reuses it sees its next request fail.
                    reply
                        .headers_mut()
                        .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
                }
                return reply;
            }
        };
        let incoming = Incoming {
            operation: entry.operation,
            head,
            captures,
            body,
            anonymous: self.limits.anonymous_allowed(),
        };
        let handled = AssertUnwindSafe((entry.handler)(Arc::clone(&self.api), incoming))
            .catch_unwind()
            .await;
        match handled {
            Ok(Ok(reply)) => reply,
            Ok(Err(rejection)) => {
                let rejection = match rejection.operation() {
                    Some(_) => rejection,
                    None => rejection.for_operation(entry.operation),
                };
                self.answer(rejection)
            }
            Err(_) => {
                tracing::error!(operation = entry.operation, "the handler panicked; answered 500");
                let rejection = Rejection::new(RejectionKind::Internal)
                    .for_operation(entry.operation)
                    .with_violations([Violation::new("", "the handler failed")]);
                self.answer(rejection)
            }
        }
    }

    /// The best route for `method` and `path`, with the path's raw values; or the 404 or 405.
    fn find(&self, method: &Method, path: &str) -> Result<Found<'_, S>, Rejection> {
        let mut best: Option<Candidate<'_, S>> = None;
        let mut allow: Vec<Method> = Vec::new();
        let mut head_as_get: Option<Candidate<'_, S>> = None;
        for entry in &self.entries {
            let Some((rank, captures)) = entry.template.matches(path) else {
                continue;
            };
            if !allow.contains(&entry.method) {
                allow.push(entry.method.clone());
            }
            let slot = if entry.method == *method {
                &mut best
            } else if *method == Method::HEAD && entry.method == Method::GET {
                &mut head_as_get
            } else {
                continue;
            };
            if slot.as_ref().is_none_or(|(best_rank, _, _)| rank > *best_rank) {
                *slot = Some((rank, entry, captures));
            }
        }
        if let Some((_, entry, captures)) = best.or(head_as_get) {
            return Ok((entry, captures));
        }
        if allow.is_empty() {
            return Err(Rejection::new(RejectionKind::NotFound)
                .with_violations([Violation::new("", format!("no operation has the path `{path}`"))]));
        }
        let listed: Vec<&str> = allow.iter().map(Method::as_str).collect();
        Err(Rejection::new(RejectionKind::MethodNotAllowed)
            .with_violations([Violation::new(
                "",
                format!("`{path}` has no {method}; it has {}", listed.join(", ")),
            )])
            .with_allow(allow))
    }

    /// The body in full, up to the limit.
    async fn read_body(&self, head: &http::request::Parts, body: axum::body::Body) -> Result<Bytes, Rejection> {
        let limit = self.limits.body_bytes;
        let too_large = |length: String| {
            Rejection::new(RejectionKind::PayloadTooLarge).with_violations([Violation::new(
                "",
                format!("the body is {length} bytes long; the limit is {limit}"),
            )])
        };
        let declared = head
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(length) = declared
            && length > limit as u64
        {
            return Err(too_large(length.to_string()));
        }
        match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => Ok(bytes),
            Err(error) => {
                let exceeded = std::error::Error::source(&error)
                    .is_some_and(|source| source.is::<http_body_util::LengthLimitError>())
                    || error.to_string().contains("length limit");
                if exceeded {
                    Err(too_large("more than that".to_owned()))
                } else {
                    Err(Rejection::new(RejectionKind::Malformed)
                        .with_violations([Violation::new("", format!("the body could not be read: {error}"))]))
                }
            }
        }
    }

    /// A rejection written by the API's hook; should the hook panic, the default answer.
    fn answer(&self, rejection: Rejection) -> Reply {
        let api = &*self.api;
        let reject = self.reject;
        let fallback = rejection.clone();
        let mut reply = match std::panic::catch_unwind(AssertUnwindSafe(|| reject(api, rejection))) {
            Ok(reply) => reply,
            Err(_) => {
                tracing::error!("the rejection hook panicked; answered in problem+json");
                problem_response(&fallback)
            }
        };
        // RFC 9110: a 401 carries at least one challenge; the hook writes the body, not this.
        if !fallback.challenges().is_empty()
            && reply.status() == http::StatusCode::UNAUTHORIZED
            && !reply.headers().contains_key(http::header::WWW_AUTHENTICATE)
            && let Ok(value) = http::HeaderValue::from_str(&fallback.challenges().join(", "))
        {
            reply.headers_mut().insert(http::header::WWW_AUTHENTICATE, value);
        }
        reply
    }
}

/// [`Routes`] as a tower service.
struct RoutesService<S>(Arc<Routes<S>>);

impl<S> Clone for RoutesService<S> {
    fn clone(&self) -> Self {
        RoutesService(Arc::clone(&self.0))
    }
}

impl<S: Send + Sync + 'static> tower_service::Service<axum::extract::Request> for RoutesService<S> {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: axum::extract::Request) -> Self::Future {
        let routes = Arc::clone(&self.0);
        Box::pin(async move { Ok(routes.serve(request).await.map(axum::body::Body::from)) })
    }
}
