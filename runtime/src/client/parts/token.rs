//! Token authentication: `X-Auth-Token`, as IAM and Keystone read it.

use http::header::{HeaderName, HeaderValue};

use crate::client::auth::Secret;
use crate::client::error::ConfigError;
use crate::client::middleware::{BoxFuture, HttpRequest, HttpResponse, Middleware, Next, SendError};

static HEADER: HeaderName = HeaderName::from_static("x-auth-token");

/// The configured token, on every request that does not carry one already (a documented
/// `X-Auth-Token` parameter, or a middleware that refreshed it). Marked sensitive, so that no
/// debug output of the request shows it.
pub(super) struct TokenHeader {
    value: HeaderValue,
}

impl TokenHeader {
    pub(super) fn new(token: &Secret) -> Result<Self, ConfigError> {
        let mut value = HeaderValue::from_str(token.expose()).map_err(|_| ConfigError::Header { what: "token" })?;
        value.set_sensitive(true);
        Ok(TokenHeader { value })
    }
}

impl Middleware for TokenHeader {
    fn handle<'a>(
        &'a self,
        mut request: HttpRequest,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        request
            .headers_mut()
            .entry(HEADER.clone())
            .or_insert_with(|| self.value.clone());
        next.run(request)
    }
}
