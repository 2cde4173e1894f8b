//! OpenStack microversions: `OpenStack-API-Version: {service type} {version}` on every request
//! that does not pick its own.

use http::header::{HeaderName, HeaderValue};

use crate::client::error::ConfigError;
use crate::client::middleware::{BoxFuture, HttpRequest, HttpResponse, Middleware, Next, SendError};

static HEADER: HeaderName = HeaderName::from_static("openstack-api-version");

/// The configured microversion, for requests that carry none of their own. One header, never two:
/// Cinder reads the first, so a call's `.microversion("3.65")` beside a configured 3.41 would
/// silently run at 3.41.
pub(super) struct Microversion {
    value: HeaderValue,
}

impl Microversion {
    pub(super) fn new(service: &str, version: &str) -> Result<Self, ConfigError> {
        let value = HeaderValue::from_str(&format!("{service} {version}"))
            .map_err(|_| ConfigError::Header { what: "microversion" })?;
        Ok(Microversion { value })
    }
}

impl Middleware for Microversion {
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
