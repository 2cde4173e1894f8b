//! The end of the chain: the HTTP client, ours or the caller's.
//!
//! The only place that touches reqwest's request and response types: what middleware and the
//! generated code see are the `http` crate's.

use std::time::Instant;

use super::config::Config;
use super::error::ConfigError;
use super::middleware::{BoxFuture, HttpRequest, HttpResponse, SendError, Terminal};

/// Sends a request with reqwest and reads the whole response.
pub(crate) struct Sender {
    http: reqwest::Client,
}

impl Sender {
    /// The caller's client as it is, or one built from `config`: its timeouts, rustls with ring
    /// and the platform's verifier plus any configured roots.
    pub(crate) fn new(config: &Config) -> Result<Self, ConfigError> {
        let http = match config.http_client.clone() {
            Some(http) => http,
            None => reqwest::Client::builder()
                .tls_backend_preconfigured(super::tls::client_config(
                    &config.extra_roots,
                    config.client_identity.as_ref(),
                )?)
                .connect_timeout(config.connect_timeout)
                .timeout(config.timeout)
                .build()
                .map_err(|e| ConfigError::Http(Box::new(e)))?,
        };
        Ok(Sender { http })
    }
}

impl Terminal for Sender {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let started = Instant::now();
            let request = reqwest::Request::try_from(request).map_err(|e| failure(e, started))?;
            let mut response = self.http.execute(request).await.map_err(|e| failure(e, started))?;
            let status = response.status();
            let version = response.version();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(|e| failure(e, started))?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

fn failure(error: reqwest::Error, started: Instant) -> SendError {
    if error.is_timeout() {
        return SendError::Timeout {
            elapsed: started.elapsed(),
        };
    }
    let connect = error.is_connect();
    let message = error_chain(&error);
    let source = Some(Box::new(error.without_url()) as _);
    if connect {
        SendError::Connect { message, source }
    } else {
        SendError::Transport { message, source }
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
