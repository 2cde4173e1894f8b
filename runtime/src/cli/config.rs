//! Where a command's endpoint, credentials, project and microversion come from, the way the
//! vendors' own tools read them.
//!
//! - Huawei Cloud: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (AK/SK signing) and
//!   `HUAWEICLOUD_SDK_PROJECT_ID`, the variables Huawei's SDKs read; `--region` fills the
//!   documented server URL.
//! - OpenStack: `--os-token`, `OS_AUTH_TOKEN` or `OS_TOKEN`; `--os-project-id` or `OS_PROJECT_ID`;
//!   `--os-<type>-api-version` or `OS_<TYPE>_API_VERSION` for the microversion; `--os-cloud` or
//!   `OS_CLOUD` naming a cloud of `clouds.yaml`, looked for where openstackclient looks
//!   (`OS_CLIENT_CONFIG_FILE`, `./clouds.yaml`, `~/.config/openstack/clouds.yaml`,
//!   `/etc/openstack/clouds.yaml`, with `secure.yaml` laid over it), for its token, project and
//!   endpoint override; a password or application credential logs in to Keystone first
//!   (`login`), as openstackclient does. Huawei Cloud IAM users log in likewise.
//! - Every service: `--endpoint URL` (or `OS_ENDPOINT` for OpenStack) replaces the documented server.
//! - Every security scheme the document declares: `--auth SCHEME=VALUE` or the variable
//!   `<SERVICE>_<SCHEME>` (`PETSTORE_API_KEY`); `user:password` for HTTP basic, `ACCESS:SECRET` for
//!   an AK/SK signature, `CERT_FILE:KEY_FILE` (PEM) for mutual TLS, the token or key itself
//!   otherwise.
//!
//! A flag wins over a variable, and a variable over `clouds.yaml`.

use std::path::PathBuf;

use serde_json::Value;

use super::login::{self, Login};
use super::report::{Exit, Failure};
use super::spec::{Service, Vendor};
use crate::client::{Config, Credential, Credentials, Secret};
use crate::security::SchemeKind;

/// The options of the command line that configure a call (not its parameters).
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--os-token` (or `--token`).
    pub token: Option<String>,
    /// `--os-project-id` (or `--project`).
    pub project_id: Option<String>,
    /// `--os-cloud`.
    pub cloud: Option<String>,
    /// `--os-<type>-api-version`.
    pub microversion: Option<String>,
    /// `--auth SCHEME=VALUE`, in the order given.
    pub auth: Vec<String>,
    /// The login flags given (`auth_url` for `--os-auth-url`, `iam-user` for `--iam-user`): see
    /// [`login::OPENSTACK_KEYS`] and [`login::HUAWEI_KEYS`].
    pub login: Vec<(String, String)>,
}

impl Globals {
    fn login_flag(&self, key: &str) -> Option<String> {
        self.login.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }
}

/// Where the settings are read from besides the command line: the environment and the files
/// `clouds.yaml` may be in. Tests give their own.
pub struct Sources<'a> {
    /// An environment variable's value.
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// The `clouds.yaml` files to look in, in order; the first that exists is read.
    pub clouds_files: Vec<PathBuf>,
    /// The `secure.yaml` files (the secrets of `clouds.yaml`'s clouds), likewise.
    pub secure_files: Vec<PathBuf>,
}

impl Sources<'_> {
    /// The places openstackclient looks for `clouds.yaml`, given the environment.
    pub fn clouds_files(var: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
        config_files(var, "OS_CLIENT_CONFIG_FILE", "clouds.yaml")
    }

    /// The places openstackclient looks for `secure.yaml`.
    pub fn secure_files(var: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
        config_files(var, "OS_CLIENT_SECURE_FILE", "secure.yaml")
    }
}

/// `$variable`, `./name`, `~/.config/openstack/name` (or under `XDG_CONFIG_HOME`),
/// `/etc/openstack/name`.
fn config_files(var: &dyn Fn(&str) -> Option<String>, variable: &str, name: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(file) = var(variable) {
        files.push(PathBuf::from(file));
    }
    files.push(PathBuf::from(name));
    let config_home = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".config")));
    if let Some(config_home) = config_home {
        files.push(config_home.join("openstack").join(name));
    }
    files.push(PathBuf::from("/etc/openstack").join(name));
    files
}

/// What a call is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The endpoint.
    pub endpoint: String,
    /// The vendor credentials.
    pub credentials: Credentials,
    /// Credentials for the document's security schemes, by scheme.
    pub auth: Vec<(String, Credential)>,
    /// A client certificate chain and key (PEM), for a `mutualTLS` scheme.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
    /// The project, when one was configured.
    pub project_id: Option<String>,
    /// The OpenStack service type and microversion to send.
    pub microversion: Option<(String, String)>,
    /// A login to make before the call ([`Settings::log_in`]); its token source then supplies the
    /// client.
    pub login: Option<Login>,
}

impl Settings {
    /// The client configuration; fails on a client certificate that cannot be read.
    pub fn config(&self) -> Result<Config, Failure> {
        let mut config = Config::new(self.endpoint.clone()).credentials(self.credentials.clone());
        for (scheme, credential) in &self.auth {
            config = config.auth_for(scheme.clone(), credential.clone());
        }
        if let Some((chain, key)) = &self.identity {
            config = config
                .client_identity_pem(chain, key)
                .map_err(|error| Failure::new(Exit::Input, format!("--auth: {error}")))?;
        }
        if let Some(project) = &self.project_id {
            config = config.project_id(project.clone());
        }
        if let Some((service, version)) = &self.microversion {
            config = config.openstack_microversion(service.clone(), version.clone());
        }
        if let Some(login) = &self.login {
            config = config.token_source(login.keystone.clone());
        }
        Ok(config)
    }
}

/// The variable that gives the credential of `scheme` of `service`: `PETSTORE_API_KEY` for scheme
/// `api_key` of `petstore`, every character that cannot be in a variable name an underscore.
pub fn scheme_variable(service: &str, scheme: &str) -> String {
    let mut name = String::new();
    for c in format!("{service}_{scheme}").chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        };
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    name.trim_matches('_').to_owned()
}

/// What `--auth` and the scheme variables give: credentials by scheme, vendor credentials for an
/// AK/SK signature, and a client certificate.
#[derive(Default)]
struct SchemeAuth {
    by_scheme: Vec<(String, Credential)>,
    signature: Option<Credentials>,
    identity: Option<(Vec<u8>, Vec<u8>)>,
}

impl SchemeAuth {
    fn is_empty(&self) -> bool {
        self.by_scheme.is_empty() && self.signature.is_none() && self.identity.is_none()
    }
}

/// Reads `--auth` (which wins) and the variable of each scheme.
fn scheme_auth(
    service: &Service,
    globals: &Globals,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<SchemeAuth, Failure> {
    let input = |line: String| Failure::new(Exit::Input, line);
    let mut given: Vec<(&str, String, String)> = Vec::new();
    for pair in &globals.auth {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(input(format!("--auth takes SCHEME=VALUE, not `{}`", name_only(pair))));
        };
        if !service.schemes.iter().any(|s| s.name == name) {
            let known: Vec<&str> = service.schemes.iter().map(|s| s.name).collect();
            return Err(input(if known.is_empty() {
                format!(
                    "--auth {name}=...: the {} API declares no security scheme",
                    service.name
                )
            } else {
                format!(
                    "--auth {name}=...: not a security scheme of the {} API; it has {}",
                    service.name,
                    known.join(", ")
                )
            }));
        }
        given.retain(|(n, _, _)| *n != name);
        given.push((name, value.to_owned(), format!("--auth {name}")));
    }
    for scheme in service.schemes {
        let variable = scheme_variable(service.name, scheme.name);
        if !given.iter().any(|(n, _, _)| *n == scheme.name)
            && let Some(value) = var(&variable).filter(|v| !v.is_empty())
        {
            given.push((scheme.name, value, variable));
        }
    }
    let mut auth = SchemeAuth::default();
    for (name, value, source) in given {
        let Some(scheme) = service.schemes.iter().find(|s| s.name == name) else {
            continue;
        };
        let pair = |what: &str| {
            value
                .split_once(':')
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .ok_or_else(|| input(format!("{source}: give {what}")))
        };
        match scheme.kind {
            SchemeKind::Basic => {
                let (user, password) = pair("USER:PASSWORD")?;
                auth.by_scheme
                    .push((name.to_owned(), Credential::basic(user, password)));
            }
            SchemeKind::Signature => {
                let (access, secret) = pair("ACCESS_KEY:SECRET_KEY")?;
                auth.signature = Some(Credentials::ak_sk(access, secret));
            }
            SchemeKind::MutualTls => {
                let (chain, key) = pair("CERT_FILE:KEY_FILE")?;
                let read = |file: &str| std::fs::read(file).map_err(|e| input(format!("{source}: {file}: {e}")));
                auth.identity = Some((read(&chain)?, read(&key)?));
            }
            SchemeKind::Unsupported => {
                return Err(input(format!(
                    "{source}: the scheme `{name}` cannot be presented by this tool (only bearer and basic HTTP schemes can)"
                )));
            }
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                auth.by_scheme.push((name.to_owned(), Credential::bearer(value)));
            }
            SchemeKind::ApiKey { .. } => auth.by_scheme.push((name.to_owned(), Credential::api_key(value))),
        }
    }
    Ok(auth)
}

/// The name of a `--auth` argument without its value, for a message that must not print a secret.
fn name_only(pair: &str) -> String {
    if pair.contains(':') || pair.len() > 24 {
        "<redacted>".to_owned()
    } else {
        pair.to_owned()
    }
}

fn auth_failure(line: impl Into<String>) -> Failure {
    Failure::new(Exit::Auth, line)
}

/// The settings of a call to `service`.
pub fn settings(service: &Service, globals: &Globals, sources: &Sources<'_>) -> Result<Settings, Failure> {
    let var = |name: &str| (sources.var)(name).filter(|value| !value.is_empty());
    let auth = scheme_auth(service, globals, &var)?;
    let mut settings = vendor_settings(service, globals, sources, !auth.is_empty())?;
    if let Some(signature) = auth.signature {
        settings.credentials = signature;
    }
    settings.auth = auth.by_scheme;
    settings.identity = auth.identity;
    Ok(settings)
}

/// The settings the vendor's own conventions give; `scheme_auth` when `--auth` or a scheme
/// variable gave a credential, so that the vendor's are not required.
fn vendor_settings(
    service: &Service,
    globals: &Globals,
    sources: &Sources<'_>,
    scheme_auth: bool,
) -> Result<Settings, Failure> {
    let var = |name: &str| (sources.var)(name).filter(|value| !value.is_empty());
    match service.vendor {
        Vendor::HuaweiCloud => {
            let credentials = match (var("HUAWEICLOUD_SDK_AK"), var("HUAWEICLOUD_SDK_SK"), &globals.token) {
                (_, _, Some(token)) => Credentials::Token(Secret::new(token.clone())),
                (Some(ak), Some(sk), None) => Credentials::ak_sk(ak, sk),
                (Some(_), None, None) => {
                    return Err(auth_failure(
                        "HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not: nothing was sent",
                    ));
                }
                (None, Some(_), None) => {
                    return Err(auth_failure(
                        "HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not: nothing was sent",
                    ));
                }
                (None, None, None) => Credentials::None,
            };
            let project_id = globals.project_id.clone().or_else(|| var("HUAWEICLOUD_SDK_PROJECT_ID"));
            let login = match credentials {
                Credentials::None => {
                    let region = region(service, globals);
                    login::huawei(&|key| globals.login_flag(key), &var, &region, project_id.as_deref())?
                }
                _ => None,
            };
            if login.is_none() && credentials == Credentials::None && !scheme_auth {
                return Err(auth_failure(format!(
                    "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, give --token, or log in as an IAM user (--iam-user or HUAWEICLOUD_IAM_USER, with {}); nothing was sent",
                    login::HUAWEI_PASSWORD
                )));
            }
            Ok(Settings {
                endpoint: endpoint(service, globals.endpoint.clone(), globals)?,
                credentials,
                auth: Vec::new(),
                identity: None,
                project_id,
                microversion: None,
                login,
            })
        }
        Vendor::OpenStack { service_type } => {
            let cloud_name = globals.cloud.clone().or_else(|| var("OS_CLOUD"));
            let cloud = match &cloud_name {
                Some(name) => Some(read_cloud(name, &sources.clouds_files, &sources.secure_files)?),
                None => None,
            };
            let cloud_auth = |key: &str| {
                cloud
                    .as_ref()
                    .and_then(|c| c.get("auth"))
                    .and_then(|auth| auth.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let token = globals
                .token
                .clone()
                .or_else(|| var("OS_AUTH_TOKEN"))
                .or_else(|| var("OS_TOKEN"))
                .or_else(|| cloud_auth("token"));
            let login_value = |key: &str| {
                let place = login::OPENSTACK_KEYS
                    .iter()
                    .find(|(k, _, _)| *k == key)
                    .map_or(login::Place::Auth, |(_, place, _)| *place);
                globals
                    .login_flag(key)
                    .or_else(|| var(&format!("OS_{}", key.to_ascii_uppercase())))
                    .or_else(|| match place {
                        login::Place::Auth => cloud_auth(key),
                        login::Place::Cloud => cloud
                            .as_ref()
                            .and_then(|c| c.get(key))
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    })
                    .filter(|v| !v.is_empty())
            };
            let project_id = globals
                .project_id
                .clone()
                .or_else(|| var("OS_PROJECT_ID"))
                .or_else(|| cloud_auth("project_id"));
            let override_keys = endpoint_override_keys(service_type);
            let from_cloud = cloud.as_ref().and_then(|cloud| {
                override_keys
                    .iter()
                    .find_map(|key| cloud.get(key.as_str()).and_then(Value::as_str).map(str::to_owned))
                    .or_else(|| cloud_auth("endpoint"))
            });
            let given = globals.endpoint.clone().or_else(|| var("OS_ENDPOINT")).or(from_cloud);
            let login = login::openstack(
                &login_value,
                token.as_deref(),
                project_id.as_deref(),
                service_type,
                given.is_some(),
            )?;
            let given = given.map(|url| openstack_base(service, &url, project_id.as_deref()));
            let variable = format!("OS_{}_API_VERSION", service_type.to_ascii_uppercase().replace('-', "_"));
            let microversion = globals
                .microversion
                .clone()
                .or_else(|| var(&variable))
                .or_else(|| {
                    cloud
                        .as_ref()
                        .and_then(|c| c.get(format!("{}_api_version", service_type.replace('-', "_"))))
                        .and_then(|v| v.as_str().map(str::to_owned).or_else(|| Some(v.to_string())))
                })
                .map(|version| (service_type.to_owned(), version));
            let credentials = match token {
                _ if login.is_some() => Credentials::None,
                Some(token) => Credentials::Token(Secret::new(token)),
                None if scheme_auth => Credentials::None,
                None => {
                    return Err(auth_failure(
                        "no credentials: log in with a password (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, or a cloud of clouds.yaml: OS_CLOUD, --os-cloud), an application credential, or give a token (--os-token, OS_AUTH_TOKEN); nothing was sent",
                    ));
                }
            };
            // The catalog gives the endpoint after the login; until then the documented server's.
            let endpoint = match (&given, &login) {
                (None, Some(_)) => service.server.as_ref().map(|s| s.url.to_owned()).unwrap_or_default(),
                _ => endpoint(service, given, globals)?,
            };
            Ok(Settings {
                endpoint,
                credentials,
                auth: Vec::new(),
                identity: None,
                project_id,
                microversion,
                login,
            })
        }
        Vendor::Generic => Ok(Settings {
            endpoint: endpoint(service, globals.endpoint.clone(), globals)?,
            credentials: globals
                .token
                .clone()
                .map(|t| Credentials::Token(Secret::new(t)))
                .unwrap_or_default(),
            auth: Vec::new(),
            identity: None,
            project_id: globals.project_id.clone(),
            microversion: None,
            login: None,
        }),
    }
}

/// The keys of `clouds.yaml` that override a service type's endpoint, as openstacksdk names them.
fn endpoint_override_keys(service_type: &str) -> Vec<String> {
    let mut types = vec![service_type.to_owned()];
    if service_type == "volume" || service_type == "block-storage" {
        types.extend(["block-storage", "volumev3", "volume"].map(str::to_owned));
    }
    let mut keys = Vec::new();
    for kind in types {
        let key = format!("{}_endpoint_override", kind.replace('-', "_"));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// An OpenStack endpoint as the spec's paths want it: catalog endpoints end in the version and
/// project (`https://host:8776/v3/%(project_id)s`) that the documented paths already start with,
/// so that ending is dropped.
pub(super) fn openstack_base(service: &Service, url: &str, project: Option<&str>) -> String {
    let mut url = url.trim_end_matches('/').to_owned();
    if let Some(project) = project {
        url = url
            .replace("%(project_id)s", project)
            .replace("$(project_id)s", project);
    }
    let Some(prefix) = service.operations.first().and_then(|op| {
        op.path
            .split('/')
            .find(|segment| !segment.is_empty() && !segment.starts_with('{'))
    }) else {
        return url;
    };
    crate::client::keystone::root_for_paths(&url, prefix)
}

/// The value of the server variable `region`: `--region`, else its default.
fn region(service: &Service, globals: &Globals) -> String {
    globals.region.clone().unwrap_or_else(|| {
        service
            .server
            .as_ref()
            .and_then(|s| s.variables.iter().find(|(name, _)| *name == "region"))
            .map(|(_, default)| (*default).to_owned())
            .unwrap_or_default()
    })
}

fn endpoint(service: &Service, given: Option<String>, globals: &Globals) -> Result<String, Failure> {
    if let Some(url) = given {
        return Ok(url);
    }
    let Some(server) = &service.server else {
        return Err(Failure::new(
            Exit::Input,
            format!("the {} API documents no server: give --endpoint URL", service.name),
        ));
    };
    let mut url = server.url.to_owned();
    for (name, default) in server.variables {
        let value = match (*name, &globals.region) {
            ("region", Some(region)) => region.as_str(),
            _ => default,
        };
        url = url.replace(&format!("{{{name}}}"), value);
    }
    Ok(url)
}

/// The cloud `name` of the first `clouds.yaml` that exists.
fn read_cloud(name: &str, files: &[PathBuf], secure_files: &[PathBuf]) -> Result<Value, Failure> {
    let input = |line: String| Failure::new(Exit::Input, line);
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(input(format!("{}: {error}", file.display()))),
        };
        let document: Value =
            serde_yaml::from_str(&text).map_err(|error| input(format!("{}: not YAML: {error}", file.display())))?;
        let mut cloud = document
            .get("clouds")
            .and_then(|clouds| clouds.get(name))
            .cloned()
            .ok_or_else(|| input(format!("{}: has no cloud `{name}` under `clouds`", file.display())))?;
        if let Some(secrets) = read_secure(name, secure_files)? {
            merge(&mut cloud, secrets);
        }
        return Ok(cloud);
    }
    let looked: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Err(input(format!(
        "cloud `{name}` was asked for (OS_CLOUD or --os-cloud) but no clouds.yaml was found; looked in {}",
        looked.join(", ")
    )))
}

/// The cloud `name` of the first `secure.yaml` that exists, if it has one.
fn read_secure(name: &str, files: &[PathBuf]) -> Result<Option<Value>, Failure> {
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(Failure::new(Exit::Input, format!("{}: {error}", file.display()))),
        };
        let document: Value = serde_yaml::from_str(&text)
            .map_err(|error| Failure::new(Exit::Input, format!("{}: not YAML: {error}", file.display())))?;
        return Ok(document.get("clouds").and_then(|clouds| clouds.get(name)).cloned());
    }
    Ok(None)
}

/// Lays `over` on `base`, object by object, as openstacksdk merges `secure.yaml` into `clouds.yaml`.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::spec::{Operation, Server};

    const OPERATIONS: &[&Operation] = &[&Operation {
        name: "create_snapshot",
        command: "create-snapshot",
        group: None,
        about: None,
        long_about: None,
        method: "POST",
        path: "/v3/{project_id}/snapshots",
        flags: &[],
        body: None,
        output_envelope: None,
        security: crate::security::Security::Unstated,
    }];

    fn service(vendor: Vendor) -> Service {
        Service {
            name: "test",
            about: "",
            long_about: None,
            vendor,
            server: Some(Server {
                url: "https://evs.{region}.myhuaweicloud.com",
                variables: &[("region", "cn-north-4")],
            }),
            operations: OPERATIONS,
            schemes: &[],
            call: |_, _, _| Box::pin(async { Err(Failure::new(Exit::Api, "not called here")) }),
        }
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn a_scheme_variable_is_the_service_and_scheme_in_capitals() {
        assert_eq!(scheme_variable("petstore", "api_key"), "PETSTORE_API_KEY");
        assert_eq!(scheme_variable("my-api", "OAuth2.0 (client)"), "MY_API_OAUTH2_0_CLIENT");
    }

    #[test]
    fn huawei_reads_the_sdk_variables_and_the_region() {
        let vars = env(&[
            ("HUAWEICLOUD_SDK_AK", "ak"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "p1"),
        ]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![],
            secure_files: vec![],
        };
        let globals = Globals {
            region: Some("ap-southeast-1".into()),
            ..Globals::default()
        };
        let settings = settings(&service(Vendor::HuaweiCloud), &globals, &sources).expect("settles");
        assert_eq!(settings.endpoint, "https://evs.ap-southeast-1.myhuaweicloud.com");
        assert_eq!(settings.credentials, Credentials::ak_sk("ak", "sk"));
        assert_eq!(settings.project_id.as_deref(), Some("p1"));
        let half = env(&[("HUAWEICLOUD_SDK_AK", "ak")]);
        let sources = Sources {
            var: &half,
            clouds_files: vec![],
            secure_files: vec![],
        };
        let failure = settings_of(&service(Vendor::HuaweiCloud), &Globals::default(), &sources);
        assert_eq!(failure.exit, Exit::Auth);
    }

    #[test]
    fn an_iam_user_logs_in_to_the_regions_iam_with_the_password_variable() {
        let vars = env(&[("HUAWEICLOUD_IAM_USER", "ann"), ("HUAWEICLOUD_IAM_PASSWORD", "pw")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![],
            secure_files: vec![],
        };
        let globals = Globals {
            region: Some("ap-southeast-1".into()),
            ..Globals::default()
        };
        let got = settings(&service(Vendor::HuaweiCloud), &globals, &sources).expect("settles");
        let login = got.login.expect("logs in");
        assert_eq!(
            login.keystone.auth_url(),
            "https://iam.ap-southeast-1.myhuaweicloud.com/v3"
        );
        assert_eq!(login.catalog_type, None);
        assert_eq!(got.endpoint, "https://evs.ap-southeast-1.myhuaweicloud.com");
        let vars = env(&[("HUAWEICLOUD_IAM_USER", "ann")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![],
            secure_files: vec![],
        };
        let failure = settings_of(&service(Vendor::HuaweiCloud), &Globals::default(), &sources);
        assert_eq!(failure.exit, Exit::Auth);
        assert!(failure.lines[0].contains("HUAWEICLOUD_IAM_PASSWORD"), "{failure:?}");
    }

    fn settings_of(service: &Service, globals: &Globals, sources: &Sources<'_>) -> Failure {
        settings(service, globals, sources).expect_err("refused")
    }

    #[test]
    fn openstack_reads_clouds_yaml_below_the_environment() {
        let dir = tempfile::tempdir().expect("a directory");
        let file = dir.path().join("clouds.yaml");
        std::fs::write(
            &file,
            "clouds:\n  lab:\n    auth_type: admin_token\n    auth:\n      token: from-file\n      project_id: p-file\n    block_storage_endpoint_override: http://127.0.0.1:8776/v3/%(project_id)s\n    volume_api_version: '3.41'\n  pw:\n    auth_type: password\n    region_name: Two\n    auth:\n      auth_url: https://keystone/v3\n      username: demo\n      project_name: demo\n  nouser:\n    auth:\n      auth_url: https://keystone/v3\n      password: secret\n",
        )
        .expect("written");
        let vol = Vendor::OpenStack { service_type: "volume" };
        let vars = env(&[("OS_CLOUD", "lab")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file.clone()],
            secure_files: vec![],
        };
        let got = settings(&service(vol), &Globals::default(), &sources).expect("settles");
        assert_eq!(got.endpoint, "http://127.0.0.1:8776");
        assert_eq!(got.credentials, Credentials::token("from-file"));
        assert_eq!(got.project_id.as_deref(), Some("p-file"));
        assert_eq!(got.microversion, Some(("volume".into(), "3.41".into())));

        let vars = env(&[
            ("OS_CLOUD", "lab"),
            ("OS_AUTH_TOKEN", "from-env"),
            ("OS_VOLUME_API_VERSION", "3.65"),
        ]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file.clone()],
            secure_files: vec![],
        };
        let got = settings(&service(vol), &Globals::default(), &sources).expect("settles");
        assert_eq!(got.credentials, Credentials::token("from-env"));
        assert_eq!(got.microversion, Some(("volume".into(), "3.65".into())));

        // The password is in secure.yaml, laid over the cloud of clouds.yaml.
        let secure = dir.path().join("secure.yaml");
        std::fs::write(&secure, "clouds:\n  pw:\n    auth:\n      password: from-secure\n").expect("written");
        let vars = env(&[("OS_CLOUD", "pw")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file.clone()],
            secure_files: vec![secure.clone()],
        };
        let got = settings(&service(vol), &Globals::default(), &sources).expect("settles");
        let login = got.login.expect("logs in");
        assert_eq!(login.keystone.auth_url(), "https://keystone/v3");
        assert_eq!(
            (login.catalog_type, login.region.as_deref()),
            (Some("volume"), Some("Two"))
        );
        assert_eq!(got.credentials, Credentials::None);
        assert_eq!(got.project_id, None, "the token's, after the login");
        // Without secure.yaml the cloud has no password: refused before anything is sent.
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file.clone()],
            secure_files: vec![],
        };
        let failure = settings_of(&service(vol), &Globals::default(), &sources);
        assert_eq!(failure.exit, Exit::Auth, "{failure:?}");
        assert!(failure.lines[0].contains("OS_PASSWORD"), "{failure:?}");
        // A flag wins over the variable and the cloud; an endpoint given wins over the catalog.
        let vars = env(&[
            ("OS_CLOUD", "pw"),
            ("OS_PASSWORD", "from-env"),
            ("OS_ENDPOINT", "http://e:8776"),
        ]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file.clone()],
            secure_files: vec![],
        };
        let globals = Globals {
            login: vec![("auth_url".into(), "https://other/v3".into())],
            ..Globals::default()
        };
        let got = settings(&service(vol), &globals, &sources).expect("settles");
        let login = got.login.expect("logs in");
        assert_eq!(login.keystone.auth_url(), "https://other/v3");
        assert_eq!(login.catalog_type, None);
        assert_eq!(got.endpoint, "http://e:8776");
        // A password without a user cannot log in.
        let vars = env(&[("OS_CLOUD", "nouser")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![file],
            secure_files: vec![],
        };
        let failure = settings_of(&service(vol), &Globals::default(), &sources);
        assert_eq!(failure.exit, Exit::Input);
        assert!(failure.lines[0].contains("--os-username"), "{failure:?}");

        let vars = env(&[("OS_CLOUD", "lab")]);
        let sources = Sources {
            var: &vars,
            clouds_files: vec![dir.path().join("absent.yaml")],
            secure_files: vec![],
        };
        let failure = settings_of(&service(vol), &Globals::default(), &sources);
        assert!(failure.lines[0].contains("no clouds.yaml was found"), "{failure:?}");
    }
}
