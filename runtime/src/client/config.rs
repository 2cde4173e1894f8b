//! Client configuration: one plain builder, validated when the client is made.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use super::auth::Credentials;
use super::retry::RetryPolicy;

/// Everything a client needs to reach a service. Build it with the chained setters, then hand it to
/// a generated client's `new`.
#[derive(Clone)]
pub struct Config {
    pub(crate) endpoint: String,
    pub(crate) credentials: Credentials,
    pub(crate) path_defaults: BTreeMap<String, String>,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) microversion: Option<(String, String)>,
    pub(crate) project_header: bool,
    pub(crate) extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

/// The `User-Agent` sent unless configured otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("apigen-runtime/", env!("CARGO_PKG_VERSION"), " (rust)");

impl Config {
    /// A configuration for the service at `endpoint` (`https://host[:port][/prefix]`), with no
    /// credentials, a 10 s connect timeout, a 60 s total timeout per attempt, and the default
    /// [`RetryPolicy`].
    pub fn new(endpoint: impl Into<String>) -> Self {
        Config {
            endpoint: endpoint.into(),
            credentials: Credentials::None,
            path_defaults: BTreeMap::new(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            microversion: None,
            project_header: true,
            extra_roots: Vec::new(),
        }
    }

    /// How to authenticate.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The project every call uses for `{project_id}` unless the call gives its own. With AK/SK
    /// credentials it is also sent, and signed, as `X-Project-Id`, as Huawei's SDKs do.
    pub fn project_id(self, project_id: impl Into<String>) -> Self {
        self.path_default("project_id", project_id)
    }

    /// A default for the path parameter `name`, used by every call that does not give one.
    pub fn path_default(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path_defaults.insert(name.into(), value.into());
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The longest wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for a whole attempt, from sending to the last byte of the response.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How to retry.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends `OpenStack-API-Version: {service_type} {version}` with every request.
    pub fn openstack_microversion(mut self, service_type: impl Into<String>, version: impl Into<String>) -> Self {
        self.microversion = Some((service_type.into(), version.into()));
        self
    }

    /// Whether AK/SK requests carry `X-Project-Id` (on by default, as in Huawei's SDKs).
    pub fn project_header(mut self, send: bool) -> Self {
        self.project_header = send;
        self
    }

    /// Trusts the CA certificates in `pem` (PEM text, one or more) besides the platform's roots:
    /// a private cloud whose endpoints carry certificates from its own CA.
    pub fn ca_certificate_pem(mut self, pem: &[u8]) -> Result<Self, ConfigError> {
        self.extra_roots.extend(super::tls::pem_certificates(pem)?);
        Ok(self)
    }

    /// The configured endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("path_defaults", &self.path_defaults)
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("microversion", &self.microversion)
            .field("project_header", &self.project_header)
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

/// A configuration that cannot make a client.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The endpoint is not an absolute http or https URL.
    #[error("endpoint `{endpoint}` is not an absolute http(s) URL: {reason}")]
    Endpoint {
        /// The endpoint as given.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// A header value cannot be sent.
    #[error("the {what} is not a valid header value")]
    Header {
        /// Which setting.
        what: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("the HTTP client cannot be built: {0}")]
    Http(#[source] reqwest::Error),
    /// A CA certificate given to [`Config::ca_certificate_pem`] cannot be read.
    #[error("the CA certificate cannot be read: {0}")]
    Certificate(String),
    /// TLS cannot be set up (the platform's certificate verifier failed to start).
    #[error("TLS cannot be set up: {0}")]
    Tls(String),
}
