//! Logging in to Keystone v3 (OpenStack) and to Huawei Cloud IAM, which answers the same call: a
//! [`TokenSource`] that gets a token with a password, an application credential or another token
//! (re-scoping), and the [`Catalog`] of endpoints that comes with it.
//!
//! Hand-written because no maintained Rust crate does this as openstacksdk does: the ones there
//! are either unmaintained or bring a whole OpenStack SDK with their own HTTP stack.
//!
//! ```no_run
//! # use apigen_runtime::client::Config;
//! # use apigen_runtime::client::keystone::{self, Domain, Interface, Keystone, Project, Scope, User};
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let keystone = Keystone::password(
//!     "https://keystone.example.com/v3",
//!     User::name("demo", Domain::name("Default")),
//!     "secret",
//! )?
//! .scope(Scope::Project(Project::name("demo", Domain::name("Default"))));
//! let session = keystone.login().await?;
//! let endpoint = session.catalog.endpoint("block-storage", Interface::Public, None)
//!     .ok_or("no block-storage endpoint")?;
//! // The catalog's URL ends in the `/v3/PROJECT` that the client's paths begin with. The first
//! // token is used as is; later ones are fetched when it is about to expire.
//! let config = Config::new(keystone::root_for_paths(endpoint, "v3")).token_source(keystone);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{AccessToken, Secret, TokenCache, TokenSource};
use super::error::{BoxError, ConfigError};
use super::middleware::BoxFuture;

/// A domain, by id or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// By id (`default`).
    Id(String),
    /// By name (`Default`).
    Name(String),
}

impl Domain {
    /// A domain by id.
    pub fn id(id: impl Into<String>) -> Self {
        Domain::Id(id.into())
    }

    /// A domain by name.
    pub fn name(name: impl Into<String>) -> Self {
        Domain::Name(name.into())
    }

    fn body(&self) -> Value {
        match self {
            Domain::Id(id) => json!({ "id": id }),
            Domain::Name(name) => json!({ "name": name }),
        }
    }
}

/// A user, by id or by name in a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum User {
    /// By id.
    Id(String),
    /// By name, which is unique only within its domain.
    Name {
        /// The user name.
        name: String,
        /// Its domain (for Huawei Cloud, the account name).
        domain: Domain,
    },
}

impl User {
    /// A user by id.
    pub fn id(id: impl Into<String>) -> Self {
        User::Id(id.into())
    }

    /// A user by name in `domain`.
    pub fn name(name: impl Into<String>, domain: Domain) -> Self {
        User::Name {
            name: name.into(),
            domain,
        }
    }

    fn body(&self) -> Value {
        match self {
            User::Id(id) => json!({ "id": id }),
            User::Name { name, domain } => json!({ "name": name, "domain": domain.body() }),
        }
    }
}

/// A project, by id or by name (in a domain, which Huawei Cloud's regional projects do not need).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Project {
    /// By id.
    Id(String),
    /// By name.
    Name {
        /// The project name (for Huawei Cloud, the region: `cn-north-4`).
        name: String,
        /// Its domain, when names are unique only within one.
        domain: Option<Domain>,
    },
}

impl Project {
    /// A project by id.
    pub fn id(id: impl Into<String>) -> Self {
        Project::Id(id.into())
    }

    /// A project by name in `domain`.
    pub fn name(name: impl Into<String>, domain: Domain) -> Self {
        Project::Name {
            name: name.into(),
            domain: Some(domain),
        }
    }

    fn body(&self) -> Value {
        match self {
            Project::Id(id) => json!({ "id": id }),
            Project::Name { name, domain: None } => json!({ "name": name }),
            Project::Name {
                name,
                domain: Some(domain),
            } => json!({ "name": name, "domain": domain.body() }),
        }
    }
}

/// What the token is scoped to.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// No scope in the request: Keystone scopes it to the user's default project, or to the
    /// application credential's project.
    #[default]
    Default,
    /// A project.
    Project(Project),
    /// A domain.
    Domain(Domain),
}

/// An application credential, by id, or by name with its user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplicationCredential {
    /// By id.
    Id(String),
    /// By name; names are unique per user.
    Name {
        /// The credential's name.
        name: String,
        /// Its user.
        user: User,
    },
}

/// How the login proves who it is.
#[derive(Clone, Debug)]
enum Method {
    Password {
        user: User,
        password: Secret,
    },
    ApplicationCredential {
        credential: ApplicationCredential,
        secret: Secret,
    },
    Token(Secret),
}

impl Method {
    fn identity(&self) -> Value {
        match self {
            Method::Password { user, password } => {
                let mut user = user.body();
                user["password"] = Value::String(password.expose().to_owned());
                json!({ "methods": ["password"], "password": { "user": user } })
            }
            Method::ApplicationCredential { credential, secret } => {
                let mut body = match credential {
                    ApplicationCredential::Id(id) => json!({ "id": id }),
                    ApplicationCredential::Name { name, user } => json!({ "name": name, "user": user.body() }),
                };
                body["secret"] = Value::String(secret.expose().to_owned());
                json!({ "methods": ["application_credential"], "application_credential": body })
            }
            Method::Token(token) => json!({ "methods": ["token"], "token": { "id": token.expose() } }),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Method::Password { .. } => "password",
            Method::ApplicationCredential { .. } => "application credential",
            Method::Token(_) => "token",
        }
    }
}

/// Logs in to Keystone v3 (or Huawei Cloud IAM) and, as a [`TokenSource`], keeps a client supplied
/// with tokens. Cheap to clone: clones share the token of the last [`Keystone::login`].
#[derive(Clone)]
pub struct Keystone {
    inner: Arc<Inner>,
}

struct Inner {
    auth_url: String,
    method: Method,
    scope: Scope,
    http: reqwest::Client,
    /// The `/v3` URL found from `auth_url`, once looked for.
    versioned: tokio::sync::OnceCell<String>,
    /// The token of the last [`Keystone::login`], handed to the first [`TokenSource::fetch`] so
    /// that a login followed by a call costs one request to Keystone, not two.
    primed: Mutex<Option<AccessToken>>,
}

impl Keystone {
    /// Logs in as `user` with `password` at `auth_url` (`https://keystone.example.com/v3`; an
    /// unversioned URL is looked at for its v3 version, as openstacksdk does).
    pub fn password(auth_url: impl Into<String>, user: User, password: impl Into<Secret>) -> Result<Self, ConfigError> {
        Keystone::new(
            auth_url.into(),
            Method::Password {
                user,
                password: password.into(),
            },
        )
    }

    /// Logs in with an application credential and its secret; the token is scoped to the
    /// credential's project.
    pub fn application_credential(
        auth_url: impl Into<String>,
        credential: ApplicationCredential,
        secret: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        Keystone::new(
            auth_url.into(),
            Method::ApplicationCredential {
                credential,
                secret: secret.into(),
            },
        )
    }

    /// Exchanges `token` for a new one, scoped as [`Keystone::scope`] says (re-scoping).
    pub fn token(auth_url: impl Into<String>, token: impl Into<Secret>) -> Result<Self, ConfigError> {
        Keystone::new(auth_url.into(), Method::Token(token.into()))
    }

    /// Huawei Cloud IAM for `region`: `user` of the account `domain` with `password`, the token
    /// scoped to the region's project (its name is the region's), as Huawei's documents on token
    /// authentication describe. [`Keystone::scope`] changes the scope (a sub-project, the domain).
    pub fn huawei_iam(
        region: &str,
        domain: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        Ok(
            Keystone::password(huawei_iam_url(region), User::name(user, Domain::name(domain)), password)?.scope(
                Scope::Project(Project::Name {
                    name: region.to_owned(),
                    domain: None,
                }),
            ),
        )
    }

    fn new(auth_url: String, method: Method) -> Result<Self, ConfigError> {
        let parsed = reqwest::Url::parse(&auth_url).map_err(|e| ConfigError::Endpoint {
            endpoint: auth_url.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::Endpoint {
                endpoint: auth_url,
                reason: format!("the scheme is `{}`", parsed.scheme()),
            });
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(super::tls::client_config(&[], None)?)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| ConfigError::Http(Box::new(e)))?;
        Ok(Keystone {
            inner: Arc::new(Inner {
                auth_url: auth_url.trim_end_matches('/').to_owned(),
                method,
                scope: Scope::Default,
                http,
                versioned: tokio::sync::OnceCell::new(),
                primed: Mutex::new(None),
            }),
        })
    }

    /// Scopes the tokens to `scope`. Call before the first login: the source is then shared.
    pub fn scope(self, scope: Scope) -> Self {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            auth_url: shared.auth_url.clone(),
            method: shared.method.clone(),
            scope: shared.scope.clone(),
            http: shared.http.clone(),
            versioned: tokio::sync::OnceCell::new(),
            primed: Mutex::new(None),
        });
        Keystone {
            inner: Arc::new(Inner { scope, ..inner }),
        }
    }

    /// The auth URL as given.
    pub fn auth_url(&self) -> &str {
        &self.inner.auth_url
    }

    /// Logs in: one `POST /v3/auth/tokens` (after a version lookup when the auth URL has no
    /// version). The token is kept for the first [`TokenSource::fetch`].
    pub async fn login(&self) -> Result<Session, KeystoneError> {
        let session = self.request_token().await?;
        *self.inner.primed.lock().unwrap_or_else(|p| p.into_inner()) = Some(session.token.clone());
        Ok(session)
    }

    async fn request_token(&self) -> Result<Session, KeystoneError> {
        let base = self.versioned_url().await;
        let url = format!("{base}/auth/tokens");
        let mut auth = json!({ "identity": self.inner.method.identity() });
        match &self.inner.scope {
            Scope::Default => {}
            Scope::Project(project) => auth["scope"] = json!({ "project": project.body() }),
            Scope::Domain(domain) => auth["scope"] = json!({ "domain": domain.body() }),
        }
        tracing::debug!(url = %url, method = self.inner.method.name(), "logging in");
        let response = self
            .inner
            .http
            .post(&url)
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .body(json!({ "auth": auth }).to_string())
            .send()
            .await
            .map_err(|source| KeystoneError::Unreachable {
                url: url.clone(),
                source,
            })?;
        let status = response.status().as_u16();
        let subject = response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(|source| KeystoneError::Unreachable {
            url: url.clone(),
            source,
        })?;
        if !(200..300).contains(&status) {
            return Err(KeystoneError::Refused {
                status,
                message: error_message(&bytes),
            });
        }
        let malformed = |reason: String| KeystoneError::Malformed {
            url: url.clone(),
            reason,
        };
        let Some(subject) = subject else {
            return Err(malformed("no X-Subject-Token header".to_owned()));
        };
        let answer: TokenAnswer =
            serde_json::from_slice(&bytes).map_err(|e| malformed(format!("the body is not a token: {e}")))?;
        let expires_at = match answer.token.expires_at.as_deref() {
            Some(text) => {
                Some(parse_time(text).ok_or_else(|| malformed(format!("expires_at `{text}` is not a time")))?)
            }
            None => None,
        };
        Ok(Session {
            token: AccessToken::new(subject, expires_at),
            user_id: answer.token.user.map(|u| u.id),
            project: answer.token.project.map(|p| ScopedProject { id: p.id, name: p.name }),
            catalog: Catalog {
                services: answer.token.catalog.unwrap_or_default(),
            },
        })
    }

    /// The auth URL ending in the v3 version: as given when it names one; otherwise the v3 link
    /// of the version document found there; otherwise with `/v3` appended.
    async fn versioned_url(&self) -> String {
        self.inner
            .versioned
            .get_or_init(|| async {
                let given = &self.inner.auth_url;
                if names_v3(given) {
                    return given.clone();
                }
                match self
                    .inner
                    .http
                    .get(given)
                    .header("accept", "application/json")
                    .send()
                    .await
                {
                    Ok(response) => match response.bytes().await {
                        Ok(bytes) => serde_json::from_slice::<Value>(&bytes)
                            .ok()
                            .and_then(|document| v3_link(&document))
                            .unwrap_or_else(|| format!("{given}/v3")),
                        Err(_) => format!("{given}/v3"),
                    },
                    Err(_) => format!("{given}/v3"),
                }
            })
            .await
            .clone()
    }
}

impl fmt::Debug for Keystone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keystone")
            .field("auth_url", &self.inner.auth_url)
            .field("method", &self.inner.method)
            .field("scope", &self.inner.scope)
            .finish()
    }
}

impl TokenSource for Keystone {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let primed = self.inner.primed.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(token) = primed.filter(|t| {
                t.expires_at
                    .is_none_or(|at| at > SystemTime::now() + TokenCache::RENEW_BEFORE)
            }) {
                return Ok(token);
            }
            Ok(self.request_token().await?.token)
        })
    }
}

/// The IAM endpoint of a Huawei Cloud region, with its version.
pub fn huawei_iam_url(region: &str) -> String {
    format!("https://iam.{region}.myhuaweicloud.com/v3")
}

/// Whether the URL's last path segment is a v3 version (`v3`, `v3.14`).
fn names_v3(url: &str) -> bool {
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    last == "v3"
        || last
            .strip_prefix("v3.")
            .is_some_and(|minor| minor.bytes().all(|b| b.is_ascii_digit()))
}

/// The `self` link of the v3 version in a Keystone version document: one version
/// (`{"version": {...}}`) or a list (`{"versions": {"values": [...]}}`).
fn v3_link(document: &Value) -> Option<String> {
    let candidates: Vec<&Value> = match (document.get("version"), document.pointer("/versions/values")) {
        (Some(one), _) => vec![one],
        (None, Some(Value::Array(values))) => values.iter().collect(),
        _ => Vec::new(),
    };
    candidates
        .into_iter()
        .filter(|v| {
            v.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.starts_with("v3"))
        })
        .find_map(|v| {
            v.get("links")?
                .as_array()?
                .iter()
                .find(|l| l.get("rel").and_then(Value::as_str) == Some("self"))?
                .get("href")?
                .as_str()
                .map(|href| href.trim_end_matches('/').to_owned())
        })
}

/// Keystone's `{"error": {"message": ...}}`, Huawei IAM's `{"error_msg": ...}`, or the body's start.
fn error_message(body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    parsed
        .as_ref()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error_msg"))
                .or_else(|| v.get("message"))
        })
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| super::error::excerpt(body, 200))
}

/// `2026-12-03T22:31:59.000000Z`, as Keystone and IAM write `expires_at`.
fn parse_time(text: &str) -> Option<SystemTime> {
    let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some(SystemTime::from(parsed))
}

/// Why no token was had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoneError {
    /// Keystone was not reached, or its answer was cut off.
    #[error("Keystone at {url} could not be reached: {source}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// What failed.
        #[source]
        source: reqwest::Error,
    },
    /// Keystone refused the login (401 for a wrong password or an unknown user).
    #[error("Keystone refused the login ({status}): {message}")]
    Refused {
        /// The status it answered.
        status: u16,
        /// Its message.
        message: String,
    },
    /// The answer is not a token.
    #[error("Keystone's answer at {url} is not a token: {reason}")]
    Malformed {
        /// The URL asked.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// What a login gives: the token, who it is for, and where the services are.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Session {
    /// The token (`X-Subject-Token`) and its expiry.
    pub token: AccessToken,
    /// The user's id.
    pub user_id: Option<String>,
    /// The project the token is scoped to.
    pub project: Option<ScopedProject>,
    /// The service catalog.
    pub catalog: Catalog,
}

/// The project a token is scoped to.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct ScopedProject {
    /// Its id: what `{project_id}` in the services' paths is.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    token: TokenBody,
}

#[derive(Deserialize)]
struct TokenBody {
    expires_at: Option<String>,
    user: Option<IdOnly>,
    project: Option<ScopedProject>,
    catalog: Option<Vec<CatalogService>>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

/// The endpoints a token's catalog lists.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    services: Vec<CatalogService>,
}

/// One service of a catalog.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct CatalogService {
    /// Its type (`block-storage`, `volumev3`).
    #[serde(rename = "type")]
    pub service_type: String,
    /// Its name (`cinderv3`).
    #[serde(default)]
    pub name: Option<String>,
    /// Its endpoints.
    #[serde(default)]
    pub endpoints: Vec<CatalogEndpoint>,
}

/// One endpoint of a catalog's service.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct CatalogEndpoint {
    /// `public`, `internal` or `admin`.
    pub interface: String,
    /// Its region's id.
    #[serde(default)]
    pub region_id: Option<String>,
    /// Its region (the older key, which catalogs still write beside `region_id`).
    #[serde(default)]
    pub region: Option<String>,
    /// The URL.
    pub url: String,
}

/// Which of a service's endpoints to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Interface {
    /// Reachable from anywhere (the default, as in openstackclient).
    #[default]
    Public,
    /// Inside the cloud's network.
    Internal,
    /// For operators.
    Admin,
}

impl Interface {
    /// The interface's name in a catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::Public => "public",
            Interface::Internal => "internal",
            Interface::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Interface {
    type Err = String;

    /// `public`, `internal`, `admin`, or the v2 spellings `publicURL`, `internalURL`, `adminURL`.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim_end_matches("URL") {
            "public" => Ok(Interface::Public),
            "internal" => Ok(Interface::Internal),
            "admin" => Ok(Interface::Admin),
            _ => Err(format!("`{text}` is not an interface: public, internal or admin")),
        }
    }
}

/// Service types and the older names catalogs still list them under, most current first, as the
/// OpenStack service-types authority (os-service-types) has them.
const SERVICE_TYPE_ALIASES: &[&[&str]] = &[
    &["block-storage", "volumev3", "volumev2", "volume", "block-store"],
    &["shared-file-system", "sharev2", "share"],
    &["load-balancer", "octavia"],
    &["key-manager", "keystore"],
    &[
        "container-infrastructure-management",
        "container-infrastructure",
        "container-infra",
    ],
    &["clustering", "cluster"],
    &["application-catalog", "application_catalog"],
    &["baremetal", "bare-metal"],
    &["instance-ha", "ha"],
];

/// A catalog URL without the version (and the project after it) that a client's paths already
/// begin with: `https://host:8776/v3/PROJECT` and `https://host/volume/v3` are `https://host:8776`
/// and `https://host/volume` for paths that begin `/v3/`. A URL without that version is the root
/// already (the paths add it).
pub fn root_for_paths(url: &str, version: &str) -> String {
    let url = url.trim_end_matches('/');
    let segments: Vec<&str> = url.split('/').collect();
    // `scheme:`, ``, `host`, then the path.
    for keep in (3..segments.len()).rev() {
        if segments[keep] == version && segments.len() - keep <= 2 {
            return segments[..keep].join("/");
        }
    }
    url.to_owned()
}

/// `service_type` and its aliases, most current first.
pub fn service_types(service_type: &str) -> Vec<&str> {
    SERVICE_TYPE_ALIASES
        .iter()
        .find(|names| names.contains(&service_type))
        .map(|names| names.to_vec())
        .unwrap_or_else(|| vec![service_type])
}

impl Catalog {
    /// The services listed.
    pub fn services(&self) -> &[CatalogService] {
        &self.services
    }

    /// The URL of `service_type` (or one of its aliases, most current first) at `interface`, in
    /// `region` when given (else the first region listed).
    pub fn endpoint(&self, service_type: &str, interface: Interface, region: Option<&str>) -> Option<&str> {
        service_types(service_type).into_iter().find_map(|kind| {
            self.services
                .iter()
                .filter(|service| service.service_type == kind)
                .flat_map(|service| &service.endpoints)
                .find(|endpoint| {
                    endpoint.interface.trim_end_matches("URL") == interface.as_str()
                        && region.is_none_or(|r| {
                            endpoint.region_id.as_deref() == Some(r) || endpoint.region.as_deref() == Some(r)
                        })
                })
                .map(|endpoint| endpoint.url.as_str())
        })
    }

    /// The types listed, for a message saying what the catalog has.
    pub fn types(&self) -> Vec<&str> {
        self.services.iter().map(|s| s.service_type.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_v3_version_is_found_in_one_version_or_a_list() {
        let one = json!({"version": {"id": "v3.14", "links": [{"rel": "self", "href": "http://h/identity/v3/"}]}});
        assert_eq!(v3_link(&one).as_deref(), Some("http://h/identity/v3"));
        let list = json!({"versions": {"values": [
            {"id": "v2.0", "links": [{"rel": "self", "href": "http://h/v2.0/"}]},
            {"id": "v3.14", "links": [{"rel": "self", "href": "http://h/v3/"}]}
        ]}});
        assert_eq!(v3_link(&list).as_deref(), Some("http://h/v3"));
        assert!(names_v3("http://h/identity/v3/") && names_v3("http://h/v3.14"));
        assert!(!names_v3("http://h/identity") && !names_v3("http://h/v3x"));
    }

    #[test]
    fn the_catalog_finds_a_service_by_an_alias_interface_and_region() {
        let services: Vec<CatalogService> = serde_json::from_value(json!([
            {"type": "volumev3", "endpoints": [
                {"interface": "public", "region_id": "One", "url": "http://one/v3/p"},
                {"interface": "internal", "region_id": "One", "url": "http://internal/v3/p"},
                {"interface": "public", "region_id": "Two", "region": "Two", "url": "http://two/v3/p"}
            ]}
        ]))
        .unwrap();
        let catalog = Catalog { services };
        assert_eq!(
            catalog.endpoint("block-storage", Interface::Public, None),
            Some("http://one/v3/p")
        );
        assert_eq!(
            catalog.endpoint("volume", Interface::Public, Some("Two")),
            Some("http://two/v3/p")
        );
        assert_eq!(
            catalog.endpoint("volumev3", Interface::Internal, None),
            Some("http://internal/v3/p")
        );
        assert_eq!(catalog.endpoint("block-storage", Interface::Admin, None), None);
        assert_eq!(catalog.endpoint("compute", Interface::Public, None), None);
        assert_eq!("internalURL".parse::<Interface>(), Ok(Interface::Internal));
    }

    #[test]
    fn a_catalog_url_loses_the_version_and_project_the_paths_begin_with() {
        assert_eq!(root_for_paths("https://h:8776/v3/p1", "v3"), "https://h:8776");
        assert_eq!(root_for_paths("https://h/volume/v3/", "v3"), "https://h/volume");
        assert_eq!(root_for_paths("https://h/volume", "v3"), "https://h/volume");
        assert_eq!(root_for_paths("https://v3/x/y/z", "v3"), "https://v3/x/y/z");
    }

    #[test]
    fn identities_are_written_as_keystone_reads_them_and_never_printed() {
        let method = Method::Password {
            user: User::name("demo", Domain::name("Default")),
            password: Secret::new("s3cret"),
        };
        assert_eq!(
            method.identity(),
            json!({"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"}, "password": "s3cret"}}})
        );
        let method = Method::ApplicationCredential {
            credential: ApplicationCredential::Id("ac".into()),
            secret: Secret::new("s3cret"),
        };
        assert_eq!(
            method.identity(),
            json!({"methods": ["application_credential"], "application_credential": {"id": "ac", "secret": "s3cret"}})
        );
        let keystone = Keystone::password("http://h/v3", User::id("u"), "s3cret").unwrap();
        assert!(!format!("{keystone:?}").contains("s3cret"));
    }

    #[test]
    fn keystone_times_parse() {
        let at = parse_time("2026-12-03T22:31:59.000000Z").expect("parses");
        let since = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(since, 1_796_337_119);
        assert_eq!(parse_time("tomorrow"), None);
    }

    #[test]
    fn keystone_and_iam_errors_give_their_message() {
        let keystone = br#"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#;
        assert_eq!(
            error_message(keystone),
            "The request you have made requires authentication."
        );
        let iam = br#"{"error_msg": "The username or password is wrong.", "error_code": "IAM.0004"}"#;
        assert_eq!(error_message(iam), "The username or password is wrong.");
    }
}
