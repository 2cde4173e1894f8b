//! Keystone v3 under `/identity/v3`, as DevStack serves it: enough for openstackclient,
//! openstacksdk and our own clients to log in with a password, an application credential or a
//! token, find the services in the catalog (all of them this stand-in), and have the tokens it
//! issued accepted by those services until they expire.
//!
//! One domain (`Default`), one project (`demo`), the users given with `--user NAME:PASSWORD`, each
//! a member of `demo`, and the application credentials given with
//! `--application-credential ID:SECRET` (the first user's, scoped to `demo`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, routing::post};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

/// The domain every user and the project are in.
const DOMAIN_ID: &str = "default";
const DOMAIN_NAME: &str = "Default";
/// The project every user may reach.
pub const PROJECT_NAME: &str = "demo";
/// The region of every endpoint in the catalog.
pub const REGION: &str = "RegionOne";

/// A user who may log in.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its id.
    pub id: String,
    /// Its name, unique in domain `Default`.
    pub name: String,
    /// Its password.
    pub password: String,
}

/// An application credential of the first user.
#[derive(Debug, Clone)]
pub struct AppCredential {
    /// Its id.
    pub id: String,
    /// Its secret.
    pub secret: String,
}

/// What a token was issued for.
#[derive(Debug, Clone)]
struct Issued {
    user: usize,
    methods: Vec<&'static str>,
    scope: Scoped,
    issued_at: SystemTime,
    expires_at: SystemTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scoped {
    Project,
    Domain,
}

/// Why a token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// Issued here and not expired.
    Valid,
    /// Issued here, expired.
    Expired,
    /// Never issued here.
    Unknown,
}

/// The identity service: accounts, and the tokens it issued.
#[derive(Debug)]
pub struct Identity {
    accounts: Vec<Account>,
    app_credentials: Vec<AppCredential>,
    project_id: String,
    ttl: Duration,
    /// Tokens given with `--token`: accepted as a token to re-scope, never expiring.
    fixed_tokens: Vec<String>,
    issued: Mutex<HashMap<String, Issued>>,
}

impl Identity {
    /// An identity service with `accounts`, `app_credentials`, the project `project_id` and tokens
    /// that live `ttl`.
    pub fn new(
        accounts: Vec<Account>,
        app_credentials: Vec<AppCredential>,
        project_id: String,
        ttl: Duration,
        fixed_tokens: Vec<String>,
    ) -> Identity {
        Identity {
            accounts,
            app_credentials,
            project_id,
            ttl,
            fixed_tokens,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// The project's id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// Whether `token` was issued here and is still valid; an expired one is forgotten.
    pub fn token_state(&self, token: &str) -> TokenState {
        let mut issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        match issued.get(token) {
            Some(found) if found.expires_at > SystemTime::now() => TokenState::Valid,
            Some(_) => {
                issued.remove(token);
                TokenState::Expired
            }
            None => TokenState::Unknown,
        }
    }

    /// The routes under `/identity`.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/", get(versions))
            .route("/v3", get(version))
            .route("/v3/", get(version))
            .route(
                "/v3/auth/tokens",
                post(issue).get(validate).head(validate).delete(revoke),
            )
            .with_state(Arc::clone(self))
    }

    /// Which account and methods a login's `identity` names, or why it is refused.
    fn authenticate(&self, identity: &Value) -> Result<(usize, Vec<&'static str>), Refused> {
        let methods: Vec<&str> = identity
            .get("methods")
            .and_then(Value::as_array)
            .map(|m| m.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(method) = methods.first() else {
            return Err(Refused::bad("identity.methods names no method"));
        };
        match *method {
            "password" => {
                let user = identity
                    .pointer("/password/user")
                    .ok_or_else(|| Refused::bad("identity.password.user is missing"))?;
                let password = user.get("password").and_then(Value::as_str).unwrap_or_default();
                let index = self.find_user(user)?;
                if self.accounts[index].password != password {
                    return Err(Refused::unauthorized());
                }
                Ok((index, vec!["password"]))
            }
            "application_credential" => {
                let credential = identity
                    .get("application_credential")
                    .ok_or_else(|| Refused::bad("identity.application_credential is missing"))?;
                let secret = credential.get("secret").and_then(Value::as_str).unwrap_or_default();
                let id = credential.get("id").and_then(Value::as_str);
                let found = self.app_credentials.iter().find(|c| Some(c.id.as_str()) == id);
                match found {
                    Some(found) if found.secret == secret && !self.accounts.is_empty() => {
                        Ok((0, vec!["application_credential"]))
                    }
                    _ => Err(Refused::unauthorized()),
                }
            }
            "token" => {
                let token = identity
                    .pointer("/token/id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if self.fixed_tokens.iter().any(|t| t == token) && !self.accounts.is_empty() {
                    return Ok((0, vec!["token"]));
                }
                let issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
                match issued.get(token) {
                    Some(found) if found.expires_at > SystemTime::now() => {
                        let mut methods = found.methods.clone();
                        if !methods.contains(&"token") {
                            methods.push("token");
                        }
                        Ok((found.user, methods))
                    }
                    _ => Err(Refused::unauthorized()),
                }
            }
            other => Err(Refused {
                status: StatusCode::UNAUTHORIZED,
                message: format!("Attempted to authenticate with an unsupported method: {other}."),
            }),
        }
    }

    fn find_user(&self, user: &Value) -> Result<usize, Refused> {
        let found = if let Some(id) = user.get("id").and_then(Value::as_str) {
            self.accounts.iter().position(|a| a.id == id)
        } else {
            let name = user
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| Refused::bad("a user is named by id, or by name and domain"))?;
            let domain = user
                .get("domain")
                .ok_or_else(|| Refused::bad("a user named by name needs its domain"))?;
            if !is_default_domain(domain) {
                return Err(Refused::unauthorized());
            }
            self.accounts.iter().position(|a| a.name == name)
        };
        found.ok_or_else(Refused::unauthorized)
    }

    /// The scope a login asks for: the project (by id, or name and domain), the domain, or the
    /// default project when it names none.
    fn scope(&self, auth: &Value) -> Result<Scoped, Refused> {
        let Some(scope) = auth.get("scope") else {
            return Ok(Scoped::Project);
        };
        if let Some(project) = scope.get("project") {
            let by_id = project.get("id").and_then(Value::as_str) == Some(self.project_id.as_str());
            let by_name = project.get("name").and_then(Value::as_str) == Some(PROJECT_NAME)
                && project.get("domain").is_some_and(is_default_domain);
            return if by_id || by_name {
                Ok(Scoped::Project)
            } else {
                Err(Refused::unauthorized())
            };
        }
        if let Some(domain) = scope.get("domain") {
            return if is_default_domain(domain) {
                Ok(Scoped::Domain)
            } else {
                Err(Refused::unauthorized())
            };
        }
        Err(Refused::bad("the scope is a project or a domain"))
    }

    fn token_body(&self, issued: &Issued, base: &str) -> Value {
        let account = &self.accounts[issued.user];
        let domain = json!({"id": DOMAIN_ID, "name": DOMAIN_NAME});
        let mut token = json!({
            "methods": issued.methods,
            "user": {"domain": domain, "id": account.id, "name": account.name, "password_expires_at": null},
            "audit_ids": [uuid::Uuid::new_v4().simple().to_string()[..22].to_owned()],
            "expires_at": keystone_time(issued.expires_at),
            "issued_at": keystone_time(issued.issued_at),
            "roles": [{"id": "member", "name": "member"}, {"id": "reader", "name": "reader"}],
            "catalog": self.catalog(base),
        });
        match issued.scope {
            Scoped::Project => {
                token["project"] = json!({"domain": domain, "id": self.project_id, "name": PROJECT_NAME});
                token["is_domain"] = json!(false);
            }
            Scoped::Domain => token["domain"] = domain,
        }
        json!({ "token": token })
    }

    /// Every service of the stand-in, at `base` (the address the caller reached it at).
    fn catalog(&self, base: &str) -> Value {
        let endpoints = |url: &str| -> Value {
            ["public", "internal", "admin"]
                .iter()
                .map(|interface| {
                    json!({
                        "id": uuid::Uuid::new_v4().simple().to_string(),
                        "interface": interface,
                        "region": REGION,
                        "region_id": REGION,
                        "url": url,
                    })
                })
                .collect()
        };
        let volume = format!("{base}/v3/{}", self.project_id);
        let service = |kind: &str, name: &str, url: &str| json!({"id": uuid::Uuid::new_v4().simple().to_string(), "type": kind, "name": name, "endpoints": endpoints(url)});
        json!([
            service("identity", "keystone", &format!("{base}/identity")),
            service("block-storage", "cinder", &volume),
            service("volumev3", "cinderv3", &volume),
            service("evs", "evs", base),
            service("dws", "dws", base),
        ])
    }
}

fn is_default_domain(domain: &Value) -> bool {
    domain.get("id").and_then(Value::as_str) == Some(DOMAIN_ID)
        || domain.get("name").and_then(Value::as_str) == Some(DOMAIN_NAME)
}

/// Keystone's `2026-12-03T22:31:59.000000Z`.
fn keystone_time(at: SystemTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    OffsetDateTime::from(at).format(&format).unwrap_or_default()
}

/// A refused login, answered in Keystone's shape.
struct Refused {
    status: StatusCode,
    message: String,
}

impl Refused {
    fn unauthorized() -> Refused {
        Refused {
            status: StatusCode::UNAUTHORIZED,
            message: "The request you have made requires authentication.".to_owned(),
        }
    }

    fn bad(message: &str) -> Refused {
        Refused {
            status: StatusCode::BAD_REQUEST,
            message: format!("Invalid input for field 'identity': {message}"),
        }
    }

    fn into_response(self) -> Response {
        keystone_error(self.status, &self.message)
    }
}

fn keystone_error(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let mut response = (
        status,
        Json(json!({"error": {"code": status.as_u16(), "message": message, "title": title}})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static("Keystone uri=\"/identity\""),
        );
    }
    response
}

/// `http://HOST`, the address the caller used.
fn base(headers: &HeaderMap) -> String {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

fn version_body(base: &str) -> Value {
    json!({
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": format!("{base}/identity/v3/")}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
    })
}

async fn versions(headers: HeaderMap) -> Response {
    let body = json!({"versions": {"values": [version_body(&base(&headers))]}});
    (StatusCode::MULTIPLE_CHOICES, Json(body)).into_response()
}

async fn version(headers: HeaderMap) -> Response {
    Json(json!({"version": version_body(&base(&headers))})).into_response()
}

/// `POST /identity/v3/auth/tokens`.
async fn issue(State(identity): State<Arc<Identity>>, request: Request) -> Response {
    let headers = request.headers().clone();
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), 1 << 20).await else {
        return keystone_error(StatusCode::BAD_REQUEST, "The request body could not be read.");
    };
    let Ok(body) = serde_json::from_slice::<Value>(&bytes) else {
        return keystone_error(StatusCode::BAD_REQUEST, "The request body is not JSON.");
    };
    let Some(auth) = body.get("auth") else {
        return Refused::bad("'auth' is a required property").into_response();
    };
    let identity_part = auth.get("identity").cloned().unwrap_or(Value::Null);
    let (user, methods) = match identity.authenticate(&identity_part) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    let scope = match identity.scope(auth) {
        Ok(scope) => scope,
        Err(refused) => return refused.into_response(),
    };
    let now = SystemTime::now();
    let issued = Issued {
        user,
        methods,
        scope,
        issued_at: now,
        expires_at: now + identity.ttl,
    };
    let token = uuid::Uuid::new_v4().simple().to_string();
    let body = identity.token_body(&issued, &base(&headers));
    identity
        .issued
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(token.clone(), issued);
    tracing::info!(user = %identity.accounts[user].name, "issued a token");
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&token) {
        response.headers_mut().insert("x-subject-token", value);
    }
    response
}

/// `GET /identity/v3/auth/tokens`: the caller's `X-Auth-Token` must be valid; the token in
/// `X-Subject-Token` is shown, or 404.
async fn validate(State(identity): State<Arc<Identity>>, headers: HeaderMap) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let caller = header("x-auth-token");
    if identity.token_state(caller) != TokenState::Valid && !identity.fixed_tokens.iter().any(|t| t == caller) {
        return Refused::unauthorized().into_response();
    }
    let subject = header("x-subject-token");
    let found = identity
        .issued
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(subject)
        .cloned();
    match found.filter(|f| f.expires_at > SystemTime::now()) {
        Some(issued) => {
            let mut response = Json(identity.token_body(&issued, &base(&headers))).into_response();
            if let Ok(value) = HeaderValue::from_str(subject) {
                response.headers_mut().insert("x-subject-token", value);
            }
            response
        }
        None => keystone_error(StatusCode::NOT_FOUND, &format!("Could not find token: {subject}.")),
    }
}

/// `DELETE /identity/v3/auth/tokens`: the token in `X-Subject-Token` is revoked (204), or 404.
async fn revoke(State(identity): State<Arc<Identity>>, headers: HeaderMap) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let caller = header("x-auth-token");
    if identity.token_state(caller) != TokenState::Valid && !identity.fixed_tokens.iter().any(|t| t == caller) {
        return Refused::unauthorized().into_response();
    }
    let subject = header("x-subject-token");
    match identity
        .issued
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(subject)
    {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => keystone_error(StatusCode::NOT_FOUND, &format!("Could not find token: {subject}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(ttl: Duration) -> Identity {
        Identity::new(
            vec![Account {
                id: "u1".into(),
                name: "demo".into(),
                password: "pw".into(),
            }],
            vec![AppCredential {
                id: "ac1".into(),
                secret: "acs".into(),
            }],
            "p1".into(),
            ttl,
            vec!["fixed".into()],
        )
    }

    #[test]
    fn passwords_application_credentials_and_tokens_are_checked() {
        let identity = identity(Duration::from_secs(60));
        let password = |name: &str, pw: &str| json!({"methods": ["password"], "password": {"user": {"name": name, "domain": {"name": "Default"}, "password": pw}}});
        assert!(identity.authenticate(&password("demo", "pw")).is_ok());
        assert_eq!(
            identity
                .authenticate(&password("demo", "wrong"))
                .err()
                .map(|r| r.status),
            Some(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(
            identity.authenticate(&password("nobody", "pw")).err().map(|r| r.status),
            Some(StatusCode::UNAUTHORIZED)
        );
        let app = |secret: &str| json!({"methods": ["application_credential"], "application_credential": {"id": "ac1", "secret": secret}});
        assert!(identity.authenticate(&app("acs")).is_ok());
        assert!(identity.authenticate(&app("nope")).is_err());
        let token = |id: &str| json!({"methods": ["token"], "token": {"id": id}});
        assert!(identity.authenticate(&token("fixed")).is_ok());
        assert!(identity.authenticate(&token("never-issued")).is_err());
    }

    #[test]
    fn a_scope_outside_the_project_and_domain_is_refused() {
        let identity = identity(Duration::from_secs(60));
        let scoped = |scope: Value| identity.scope(&json!({ "scope": scope })).map_err(|r| r.status);
        assert_eq!(scoped(json!({"project": {"id": "p1"}})), Ok(Scoped::Project));
        assert_eq!(
            scoped(json!({"project": {"name": "demo", "domain": {"id": "default"}}})),
            Ok(Scoped::Project)
        );
        assert_eq!(
            scoped(json!({"project": {"name": "other", "domain": {"id": "default"}}})),
            Err(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(scoped(json!({"domain": {"name": "Default"}})), Ok(Scoped::Domain));
    }

    #[test]
    fn an_issued_token_expires() {
        let identity = identity(Duration::ZERO);
        identity.issued.lock().unwrap().insert(
            "t".into(),
            Issued {
                user: 0,
                methods: vec!["password"],
                scope: Scoped::Project,
                issued_at: SystemTime::now(),
                expires_at: SystemTime::now(),
            },
        );
        assert_eq!(identity.token_state("t"), TokenState::Expired);
        assert_eq!(identity.token_state("t"), TokenState::Unknown);
        assert_eq!(keystone_time(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
    }
}
