//! Client configuration: one plain builder, validated when the client is made.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{Credential, Credentials, Secret, TokenSource};
pub use super::error::ConfigError;
use super::middleware::Middleware;
use super::retry::RetryPolicy;

/// Everything a client needs to reach a service. Build it with the chained setters, then hand it to
/// a generated client's `new`.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    pub(crate) endpoint: String,
    pub(crate) credentials: Credentials,
    /// Credentials for the document's security schemes: under a scheme's name, or (`None`) for
    /// every scheme of a kind the credential can be presented as.
    pub(crate) auth: Vec<(Option<String>, Credential)>,
    pub(crate) client_identity: Option<super::tls::ClientIdentity>,
    pub(crate) path_defaults: BTreeMap<String, String>,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) microversion: Option<(String, String)>,
    pub(crate) project_header: bool,
    pub(crate) extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
    pub(crate) wire_middleware: Vec<Arc<dyn Middleware>>,
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
            auth: Vec::new(),
            client_identity: None,
            path_defaults: BTreeMap::new(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            microversion: None,
            project_header: true,
            extra_roots: Vec::new(),
            http_client: None,
            middleware: Vec::new(),
            wire_middleware: Vec::new(),
        }
    }

    /// The vendor credentials: a Huawei Cloud or Keystone token (`X-Auth-Token`), or an AK/SK pair
    /// that signs every request.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// A bearer token for every scheme that takes one (`http` `bearer`, `oauth2`, `openIdConnect`):
    /// sent as `Authorization: Bearer <token>` to the operations that require such a scheme.
    pub fn bearer_auth(self, token: impl Into<Secret>) -> Self {
        self.auth_any(Credential::bearer(token))
    }

    /// A user name and password for every `http` `basic` scheme.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth_any(Credential::basic(username, password))
    }

    /// An API key for every `apiKey` scheme, sent in the header, query parameter or cookie its
    /// scheme names. A document with several API keys takes each by name ([`Config::auth_for`]).
    pub fn api_key(self, key: impl Into<Secret>) -> Self {
        self.auth_any(Credential::api_key(key))
    }

    /// Tokens from `source` for every scheme that takes a token (bearer, `oauth2`,
    /// `openIdConnect`, an API key in a header): fetched at first use, cached until shortly
    /// before they expire, renewed once when the service answers 401.
    pub fn token_source(self, source: impl TokenSource) -> Self {
        self.auth_any(Credential::tokens(source))
    }

    /// The credential for the security scheme named `scheme` (its key in
    /// `components.securitySchemes`): it wins over one given for the scheme's kind.
    pub fn auth_for(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        let scheme = scheme.into();
        self.auth.retain(|(name, _)| name.as_deref() != Some(scheme.as_str()));
        self.auth.push((Some(scheme), credential));
        self
    }

    /// A credential for every scheme of its kind; it replaces one of the same kind given before,
    /// as every other setter does.
    fn auth_any(mut self, credential: Credential) -> Self {
        let kind = std::mem::discriminant(&credential);
        self.auth
            .retain(|(name, given)| name.is_some() || std::mem::discriminant(given) != kind);
        self.auth.push((None, credential));
        self
    }

    /// The client certificate (PEM, the chain from the client's own certificate up) and its
    /// private key (PEM, PKCS #8, PKCS #1 or SEC1) presented when the server asks for one: what
    /// `mutualTLS` schemes take. Applies to the HTTP client this crate builds.
    pub fn client_identity_pem(mut self, certificate_chain: &[u8], private_key: &[u8]) -> Result<Self, ConfigError> {
        self.client_identity = Some(super::tls::ClientIdentity::from_pem(certificate_chain, private_key)?);
        Ok(self)
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

    /// The `reqwest::Client` to send with: a proxy, a connection pool shared with the rest of the
    /// application, custom DNS. It is used as it is: the configured timeouts and CA roots apply only
    /// to the client this crate builds when none is given, so set them on yours.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Adds a middleware: it sees and may change every request before it is signed and sent, and
    /// every response before it is decoded. Middleware run in the order added, inside the retries
    /// (once per attempt) and before the vendor parts (microversion, token, AK/SK signing); see
    /// [`middleware`](super::middleware).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Adds a middleware at the very end of the chain, after the vendor parts: it sees each request
    /// exactly as it goes on the wire (microversion and credentials set, AK/SK signature made),
    /// once per attempt. For logging or capturing what is sent (a CLI's `--debug` and
    /// `--dry-run`); a middleware that changes the request here breaks its signature.
    pub fn wire_middleware(mut self, middleware: impl Middleware) -> Self {
        self.wire_middleware.push(Arc::new(middleware));
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

    /// The credentials (their secrets print as `<redacted>`).
    pub fn credentials_in_use(&self) -> &Credentials {
        &self.credentials
    }

    /// The security schemes given a credential by name ([`Config::auth_for`]), in the order given.
    pub fn auth_schemes(&self) -> impl Iterator<Item = &str> {
        self.auth.iter().filter_map(|(name, _)| name.as_deref())
    }

    /// The configured default of the path parameter `name` (`project_id` for [`Config::project_id`]).
    pub fn path_default_of(&self, name: &str) -> Option<&str> {
        self.path_defaults.get(name).map(String::as_str)
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The configured microversion: service type and version.
    pub fn microversion(&self) -> Option<(&str, &str)> {
        self.microversion.as_ref().map(|(s, v)| (s.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("auth", &self.auth)
            .field("client_identity", &self.client_identity.as_ref().map(|_| "<redacted>"))
            .field("path_defaults", &self.path_defaults)
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("microversion", &self.microversion)
            .field("project_header", &self.project_header)
            .field("extra_roots", &self.extra_roots.len())
            .field("http_client", &self.http_client.as_ref().map(|_| "the caller's"))
            .field("middleware", &self.middleware.len())
            .field("wire_middleware", &self.wire_middleware.len())
            .finish()
    }
}
