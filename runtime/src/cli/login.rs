//! Logging in before a call, as the vendors' own tools do: Keystone v3 for OpenStack services
//! (a password, an application credential, or a token to re-scope), with the endpoint from the
//! service catalog and the project from the token; Huawei Cloud IAM with a password for Huawei
//! services. The token source stays in the client, so a long call renews its token.
//!
//! OpenStack settings are read as openstackclient reads them: `--os-<key>`, then `OS_<KEY>`, then
//! the cloud of `clouds.yaml` (with `secure.yaml` laid over it), where `auth_type`, `region_name`
//! and `interface` are the cloud's own keys and the rest are under `auth`.

use crate::client::keystone::{self, ApplicationCredential, Domain, Interface, Keystone, Project, Scope, User};

use super::config::Settings;
use super::report::{Exit, Failure};
use super::spec::Service;

/// Where a login setting is in a cloud of `clouds.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Under `auth`.
    Auth,
    /// A key of the cloud itself.
    Cloud,
}

/// The OpenStack login settings: the key (`--os-<key>` with dashes, `OS_<KEY>`, the key in
/// `clouds.yaml`), where it is in a cloud, and its help. `token` and `project_id` are read with the
/// other settings of a call.
pub const OPENSTACK_KEYS: &[(&str, Place, &str)] = &[
    (
        "auth_type",
        Place::Cloud,
        "How to log in: password, v3applicationcredential, token, admin_token",
    ),
    (
        "auth_url",
        Place::Auth,
        "Keystone's URL (https://keystone.example.com/v3)",
    ),
    ("username", Place::Auth, "The user to log in as"),
    ("user_id", Place::Auth, "The user to log in as, by id"),
    ("password", Place::Auth, "The user's password"),
    ("user_domain_name", Place::Auth, "The user's domain"),
    ("user_domain_id", Place::Auth, "The user's domain, by id"),
    ("project_name", Place::Auth, "The project to scope the token to"),
    ("project_domain_name", Place::Auth, "The project's domain"),
    ("project_domain_id", Place::Auth, "The project's domain, by id"),
    (
        "domain_name",
        Place::Auth,
        "The domain to scope the token to, when no project is given",
    ),
    ("domain_id", Place::Auth, "The domain to scope the token to, by id"),
    (
        "application_credential_id",
        Place::Auth,
        "An application credential to log in with",
    ),
    (
        "application_credential_name",
        Place::Auth,
        "An application credential, by name (with --os-username)",
    ),
    (
        "application_credential_secret",
        Place::Auth,
        "The application credential's secret",
    ),
    ("region_name", Place::Cloud, "The region of the catalog's endpoints"),
    (
        "interface",
        Place::Cloud,
        "The catalog's interface: public (the default), internal or admin",
    ),
];

/// The flag of an OpenStack login key: `os-auth-url` for `auth_url` (also its clap id).
pub fn openstack_flag(key: &str) -> String {
    format!("os-{}", key.replace('_', "-"))
}

/// The Huawei Cloud IAM login settings: the flag (`--iam-user`), the variable, and its help.
pub const HUAWEI_KEYS: &[(&str, &str, &str)] = &[
    (
        "iam-user",
        "HUAWEICLOUD_IAM_USER",
        "An IAM user to log in as with a password",
    ),
    (
        "iam-domain",
        "HUAWEICLOUD_IAM_DOMAIN",
        "The IAM user's account (domain) name",
    ),
];

/// The variable with the IAM user's password (never a flag: it would show in `ps`).
pub const HUAWEI_PASSWORD: &str = "HUAWEICLOUD_IAM_PASSWORD";
/// The variable Huawei's SDKs read for another IAM endpoint.
pub const HUAWEI_IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";

/// A login to make before the call, and where its catalog's answer goes.
#[derive(Debug, Clone)]
pub struct Login {
    /// Logs in, and then supplies the client with tokens.
    pub keystone: Keystone,
    /// The catalog type whose endpoint the call goes to; `None` when an endpoint was given, which
    /// wins over the catalog, or when the service is not in a catalog (Huawei's regional URLs).
    pub catalog_type: Option<&'static str>,
    /// The catalog interface.
    pub interface: Interface,
    /// The catalog region.
    pub region: Option<String>,
}

fn input(line: String) -> Failure {
    Failure::new(Exit::Input, line)
}

fn config_error(error: crate::client::ConfigError) -> Failure {
    input(format!("cannot log in: {error}"))
}

/// The Keystone login that the OpenStack settings ask for, if any; `value` reads a key of
/// [`OPENSTACK_KEYS`] (flag, variable, cloud). `None` means the token, if any, is sent as it is.
pub fn openstack(
    value: &dyn Fn(&str) -> Option<String>,
    token: Option<&str>,
    project_id: Option<&str>,
    service_type: &'static str,
    endpoint_given: bool,
) -> Result<Option<Login>, Failure> {
    let auth_type = value("auth_type");
    let keystone = match auth_type.as_deref() {
        Some("admin_token" | "token_endpoint" | "none" | "noauth") => return Ok(None),
        Some("token" | "v3token") => match (value("auth_url"), token) {
            (Some(url), Some(token)) => Keystone::token(url, token).map_err(config_error)?,
            (None, _) => return Ok(None),
            (Some(_), None) => {
                return Err(Failure::new(
                    Exit::Auth,
                    "auth_type token needs a token (--os-token, OS_AUTH_TOKEN or auth.token); nothing was sent",
                ));
            }
        },
        Some("password" | "v3password") => password(value)?,
        Some("v3applicationcredential" | "applicationcredential" | "v3_application_credential") => {
            application_credential(value)?
        }
        Some(other) => {
            return Err(input(format!(
                "auth_type `{other}` is not supported: password, v3password, v3applicationcredential, token, v3token or admin_token"
            )));
        }
        None if token.is_some() => return Ok(None),
        None if value("application_credential_secret").is_some() => application_credential(value)?,
        None if value("password").is_some() => password(value)?,
        None => return Ok(None),
    };
    let is_application_credential = matches!(
        auth_type.as_deref(),
        Some("v3applicationcredential" | "applicationcredential" | "v3_application_credential")
    ) || (auth_type.is_none() && value("application_credential_secret").is_some());
    // An application credential is bound to its project: a scope would be refused.
    let keystone = if is_application_credential {
        keystone
    } else {
        keystone.scope(scope(value, project_id))
    };
    let interface = match value("interface") {
        Some(text) => text.parse::<Interface>().map_err(input)?,
        None => Interface::Public,
    };
    Ok(Some(Login {
        keystone,
        catalog_type: (!endpoint_given).then_some(service_type),
        interface,
        region: value("region_name"),
    }))
}

fn auth_url(value: &dyn Fn(&str) -> Option<String>, how: &str) -> Result<String, Failure> {
    value("auth_url").ok_or_else(|| {
        input(format!(
            "logging in with {how} needs Keystone's URL: give --os-auth-url, OS_AUTH_URL or auth.auth_url of clouds.yaml"
        ))
    })
}

/// The user: by id, or by name in its domain (`Default` when none is given, as DevStack's is).
fn user(value: &dyn Fn(&str) -> Option<String>) -> Option<User> {
    if let Some(id) = value("user_id") {
        return Some(User::id(id));
    }
    let name = value("username")?;
    let domain = value("user_domain_id")
        .map(Domain::id)
        .or_else(|| value("user_domain_name").map(Domain::name))
        .unwrap_or_else(|| Domain::id("default"));
    Some(User::name(name, domain))
}

fn password(value: &dyn Fn(&str) -> Option<String>) -> Result<Keystone, Failure> {
    let url = auth_url(value, "a password")?;
    let user = user(value).ok_or_else(|| {
        input("logging in with a password needs a user: give --os-username, OS_USERNAME or auth.username".to_owned())
    })?;
    let password = value("password").ok_or_else(|| {
        Failure::new(
            Exit::Auth,
            "logging in with a password needs one: set OS_PASSWORD, give --os-password or auth.password (secure.yaml); nothing was sent",
        )
    })?;
    Keystone::password(url, user, password).map_err(config_error)
}

fn application_credential(value: &dyn Fn(&str) -> Option<String>) -> Result<Keystone, Failure> {
    let url = auth_url(value, "an application credential")?;
    let credential = match (value("application_credential_id"), value("application_credential_name")) {
        (Some(id), _) => ApplicationCredential::Id(id),
        (None, Some(name)) => ApplicationCredential::Name {
            name,
            user: user(value).ok_or_else(|| {
                input(
                    "an application credential given by name needs its user: give --os-username or auth.username"
                        .to_owned(),
                )
            })?,
        },
        (None, None) => {
            return Err(input(
                "logging in with an application credential needs its id: give --os-application-credential-id, OS_APPLICATION_CREDENTIAL_ID or auth.application_credential_id".to_owned(),
            ));
        }
    };
    let secret = value("application_credential_secret").ok_or_else(|| {
        Failure::new(
            Exit::Auth,
            "an application credential needs its secret: set OS_APPLICATION_CREDENTIAL_SECRET or auth.application_credential_secret; nothing was sent",
        )
    })?;
    Keystone::application_credential(url, credential, secret).map_err(config_error)
}

/// The project (by id, or by name in its domain), else the domain, else the user's default.
fn scope(value: &dyn Fn(&str) -> Option<String>, project_id: Option<&str>) -> Scope {
    if let Some(id) = project_id {
        return Scope::Project(Project::id(id));
    }
    if let Some(name) = value("project_name") {
        let domain = value("project_domain_id")
            .map(Domain::id)
            .or_else(|| value("project_domain_name").map(Domain::name))
            .unwrap_or_else(|| Domain::id("default"));
        return Scope::Project(Project::name(name, domain));
    }
    match (value("domain_id"), value("domain_name")) {
        (Some(id), _) => Scope::Domain(Domain::id(id)),
        (None, Some(name)) => Scope::Domain(Domain::name(name)),
        (None, None) => Scope::Default,
    }
}

/// The Huawei Cloud IAM login the settings ask for, if any: an IAM user (`--iam-user` or
/// `HUAWEICLOUD_IAM_USER`) with `HUAWEICLOUD_IAM_PASSWORD`, scoped to the project given or else to
/// the region's project.
pub fn huawei(
    flag: &dyn Fn(&str) -> Option<String>,
    var: &dyn Fn(&str) -> Option<String>,
    region: &str,
    project_id: Option<&str>,
) -> Result<Option<Login>, Failure> {
    let setting = |(key, variable, _): &(&str, &str, &str)| flag(key).or_else(|| var(variable));
    let Some(user) = setting(&HUAWEI_KEYS[0]) else {
        return Ok(None);
    };
    let domain = setting(&HUAWEI_KEYS[1]).unwrap_or_else(|| user.clone());
    let password = var(HUAWEI_PASSWORD).ok_or_else(|| {
        Failure::new(
            Exit::Auth,
            format!("the IAM user `{user}` needs a password: set {HUAWEI_PASSWORD}; nothing was sent"),
        )
    })?;
    let url = var(HUAWEI_IAM_ENDPOINT).unwrap_or_else(|| keystone::huawei_iam_url(region));
    let mut keystone =
        Keystone::password(url, User::name(user, Domain::name(domain)), password).map_err(config_error)?;
    keystone = keystone.scope(Scope::Project(match project_id {
        Some(id) => Project::id(id),
        None => Project::Name {
            name: region.to_owned(),
            domain: None,
        },
    }));
    Ok(Some(Login {
        keystone,
        catalog_type: None,
        interface: Interface::Public,
        region: None,
    }))
}

impl Settings {
    /// Logs in when the settings ask for it: the project becomes the token's when none was given,
    /// and the endpoint the catalog's when none was given. A refused login is [`Exit::Auth`] with
    /// Keystone's message, after one attempt.
    pub async fn log_in(&mut self, service: &Service) -> Result<(), Failure> {
        let Some(login) = &self.login else {
            return Ok(());
        };
        let session = login.keystone.login().await.map_err(|error| {
            let exit = match &error {
                keystone::KeystoneError::Refused { status: 401 | 403, .. } => Exit::Auth,
                keystone::KeystoneError::Unreachable { .. } => Exit::Transport,
                _ => Exit::Api,
            };
            Failure::new(exit, format!("{error} (nothing was sent)"))
        })?;
        if self.project_id.is_none() {
            self.project_id = session.project.as_ref().map(|p| p.id.clone());
        }
        if let Some(service_type) = login.catalog_type {
            let Some(url) = session
                .catalog
                .endpoint(service_type, login.interface, login.region.as_deref())
            else {
                let listed = session.catalog.types();
                return Err(Failure::new(
                    Exit::Input,
                    format!(
                        "the service catalog has no {service_type} endpoint (interface {}{}); it lists {}: give the endpoint (--endpoint, OS_ENDPOINT or {}_endpoint_override)",
                        login.interface.as_str(),
                        login
                            .region
                            .as_deref()
                            .map(|r| format!(", region {r}"))
                            .unwrap_or_default(),
                        if listed.is_empty() {
                            "nothing".to_owned()
                        } else {
                            listed.join(", ")
                        },
                        service_type.replace('-', "_"),
                    ),
                ));
            };
            self.endpoint = super::config::openstack_base(service, url, self.project_id.as_deref());
        }
        Ok(())
    }
}
