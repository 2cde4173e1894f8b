//! Sending one operation's request: fill the path, make the `http::Request` every middleware sees,
//! run the chain (retries, the caller's middleware, the vendor parts, the HTTP client), and hand the
//! raw response to the generated code, which knows the documented statuses.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use http::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument;

use super::config::Config;
use super::error::{ConfigError, Error, InvalidInput};
use super::http_client::Sender;
use super::middleware::{Call, HttpRequest, Middleware, Next, SendError};
use super::request::Request;
use super::response::RawResponse;
use super::security::{self, SecurityScheme};
use super::{parts, path, sign};

/// The shared half of every generated client: configuration, the chain and a connection pool.
/// Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    sender: Sender,
    chain: Vec<Arc<dyn Middleware>>,
    /// The endpoint without a trailing `/`.
    base: String,
    /// The security schemes of the document, which operations' requirements name.
    schemes: &'static [SecurityScheme],
    user_agent: HeaderValue,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `config`; fails on an endpoint that is not an absolute http(s) URL, a
    /// setting that cannot be a header, or an HTTP client that cannot be built.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        Transport::with_schemes(config, &[])
    }

    /// A transport for the operations of a document that declares `schemes`: each call presents
    /// what its operation's requirement names, from the configured credentials.
    pub fn with_schemes(config: Config, schemes: &'static [SecurityScheme]) -> Result<Self, ConfigError> {
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
        let chain = parts::chain(&config, &host)?;
        let sender = Sender::new(&config)?;
        let base = url.as_str().trim_end_matches('/').to_owned();
        Ok(Transport {
            inner: Arc::new(Inner {
                config,
                sender,
                chain,
                base,
                schemes,
                user_agent,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `request` down the chain and returns the final response whatever its status; or the
    /// transport failure, timeout or refused input.
    pub async fn send<E>(&self, request: Request<'_>) -> Result<RawResponse, Error<E>> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "apigen.request",
            operation = operation.name,
            method = %operation.method,
            path = operation.path,
            status = tracing::field::Empty,
            // Recorded once, when the call is over: a value recorded again is appended, not
            // replaced, by tracing-subscriber's formatter (`attempts=1 attempts=2`).
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let plan = match security::plan(&self.inner.config, self.inner.schemes, operation.security) {
            Ok(plan) => plan,
            Err(needed) => {
                return Err(Error::NoCredentials {
                    operation: operation.name,
                    needed,
                });
            }
        };
        let result = async {
            let mut request = self.http_request(request)?;
            request.extensions_mut().insert(plan);
            Next::new(&self.inner.chain, &self.inner.sender).run(request).await
        }
        .instrument(span.clone())
        .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        // Without retries there was one attempt; with them, the retry layer recorded how many.
        if self.inner.config.retry.max_attempts() <= 1 {
            span.record("attempts", 1u32);
        }
        match result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                Ok(RawResponse::new(operation.name, response))
            }
            Err(error) => Err(Error::from_send(operation.name, error)),
        }
    }

    /// The request as the chain sees it: absolute URI, the generic headers (content type, user
    /// agent, `Accept`, the call's header and cookie parameters), the body, and its [`Call`].
    fn http_request(&self, request: Request<'_>) -> Result<HttpRequest, SendError> {
        let operation = request.operation;
        let config = &self.inner.config;
        let path_values = request
            .path_values
            .iter()
            .map(|(name, value)| {
                let value = value
                    .as_deref()
                    .or_else(|| config.path_defaults.get(*name).map(String::as_str));
                value
                    .map(|v| (*name, v))
                    .ok_or(InvalidInput::MissingPathParameter(name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let path = path::fill(operation.path, &path_values)?;
        let query = sign::canonical_query(&request.query);
        let uri = if query.is_empty() {
            format!("{}{path}", self.inner.base)
        } else {
            format!("{}{path}?{query}", self.inner.base)
        };
        let uri = http::Uri::try_from(uri).map_err(|e| InvalidInput::Uri(e.to_string()))?;

        let mut headers = HeaderMap::with_capacity(4 + request.headers.len());
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        let (body, content_type) = match request.body {
            Some((body, content_type)) => (body, Some(content_type)),
            None => (bytes::Bytes::new(), None),
        };
        if let Some(content_type) = content_type {
            // The media type comes from the spec: checked, not trusted (`from_static` panics).
            let value =
                HeaderValue::from_str(&content_type).map_err(|_| InvalidInput::Header("Content-Type".to_owned()))?;
            headers.insert(CONTENT_TYPE, value);
        }
        if let Some(accept) = operation.accept {
            let value = HeaderValue::from_str(accept).map_err(|_| InvalidInput::Header("Accept".to_owned()))?;
            headers.insert(ACCEPT, value);
        }
        for (name, value) in &request.headers {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }
        if !request.cookies.is_empty() {
            let cookie = request
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            let value = HeaderValue::from_str(&cookie).map_err(|_| InvalidInput::Header("Cookie".to_owned()))?;
            headers.insert(COOKIE, value);
        }

        let call = Call::new(
            operation.name,
            operation.path,
            operation.is_idempotent(),
            path_values
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .collect(),
        );
        let mut out = http::Request::new(body);
        *out.method_mut() = operation.method.clone();
        *out.uri_mut() = uri;
        *out.headers_mut() = headers;
        out.extensions_mut().insert(call);
        Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Credentials;
    use crate::client::request::Operation;
    use http::Method;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A server on loopback that answers one request with an empty 200 and hands back the request's
    /// header lines as they came on the wire.
    async fn one_request_server() -> (String, tokio::task::JoinHandle<Vec<String>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("a connection");
            let mut received = Vec::new();
            let mut buffer = [0u8; 4096];
            while !received.windows(4).any(|w| w == b"\r\n\r\n") {
                let read = socket.read(&mut buffer).await.expect("read");
                if read == 0 {
                    break;
                }
                received.extend_from_slice(&buffer[..read]);
            }
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await
                .expect("answer");
            let text = String::from_utf8_lossy(&received).into_owned();
            text.split("\r\n")
                .skip(1)
                .filter(|l| !l.is_empty())
                .map(str::to_ascii_lowercase)
                .collect()
        });
        (endpoint, task)
    }

    fn values<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
        let prefix = format!("{name}: ");
        lines.iter().filter_map(|l| l.strip_prefix(&prefix)).collect()
    }

    /// Wherever a call's own value meets a configured one, the wire carries the call's, once.
    #[tokio::test]
    async fn header_parameters_replace_configured_headers_and_cookies_share_one_header() {
        static GET: Operation = Operation::new("get", Method::GET, "/v3/{project_id}/x", Some("application/json"));
        let (endpoint, server) = one_request_server().await;
        let config = Config::new(endpoint)
            .credentials(Credentials::token("configured-token"))
            .project_id("p")
            .user_agent("configured-agent")
            .openstack_microversion("volume", "3.41")
            .retry(crate::client::RetryPolicy::never());
        let transport = Transport::new(config).expect("transport");
        let request = Request::new(&GET)
            .path("project_id", None)
            .header("User-Agent", "call-agent")
            .header("OpenStack-API-Version", "volume 3.65")
            .header("X-Auth-Token", "call-token")
            .header("Accept", "text/plain")
            .cookie("a", "1")
            .cookie("b", "2");
        transport.send::<()>(request).await.expect("answered");
        let lines = server.await.expect("server");
        assert_eq!(values(&lines, "user-agent"), ["call-agent"]);
        assert_eq!(values(&lines, "openstack-api-version"), ["volume 3.65"]);
        assert_eq!(values(&lines, "x-auth-token"), ["call-token"]);
        assert_eq!(values(&lines, "accept"), ["text/plain"]);
        assert_eq!(values(&lines, "cookie"), ["a=1; b=2"]);
    }

    /// A documented `X-Project-Id` parameter is the project header, sent once and signed.
    #[tokio::test]
    async fn a_project_header_parameter_is_the_one_sent_and_signed() {
        static POST: Operation = Operation::new("post", Method::POST, "/v1/{project_id}/x", None);
        let (endpoint, server) = one_request_server().await;
        let config = Config::new(endpoint)
            .credentials(Credentials::ak_sk("AK", "SK"))
            .project_id("configured")
            .retry(crate::client::RetryPolicy::never());
        let transport = Transport::new(config).expect("transport");
        let request = Request::new(&POST)
            .path("project_id", Some("path-project"))
            .header("X-Project-Id", "header-project");
        transport.send::<()>(request).await.expect("answered");
        let lines = server.await.expect("server");
        assert_eq!(values(&lines, "x-project-id"), ["header-project"]);
        let authorization = values(&lines, "authorization");
        assert_eq!(authorization.len(), 1);
        assert!(
            authorization[0].contains("signedheaders=host;user-agent;x-project-id;x-sdk-date,"),
            "{authorization:?}"
        );
    }

    /// Media types come from the spec; one that cannot be a header value is refused before
    /// anything is sent (nothing listens on the endpoint), not a panic.
    #[tokio::test]
    async fn a_media_type_that_is_no_header_value_is_refused() {
        static ODD_ACCEPT: Operation = Operation::new("odd_accept", Method::GET, "/t", Some("text/plain\u{1}"));
        static PLAIN: Operation = Operation::new("plain", Method::POST, "/t", None);
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
