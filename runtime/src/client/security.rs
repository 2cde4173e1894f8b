//! Which configured credential answers which security scheme of a call's requirement, decided
//! before anything is sent, so that a call with no usable credential is refused with the names of
//! the schemes it needs.

use std::fmt;

pub use crate::security::{ApiKeyIn, Requirement, SchemeKind, Security, SecurityScheme};

use super::auth::{Credential, Credentials};
use super::config::Config;

/// What the caller configured that answers one scheme of the chosen requirement.
#[derive(Clone)]
pub(crate) enum Answer {
    /// Present this credential as the scheme says.
    Present(&'static SecurityScheme, Credential),
    /// Sign the request (AK/SK): the signing link does it.
    Sign,
    /// The TLS settings carry it: nothing to add.
    InTls,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Present(scheme, credential) => write!(f, "{} ({credential:?})", scheme.name),
            Answer::Sign => f.write_str("signature"),
            Answer::InTls => f.write_str("client certificate"),
        }
    }
}

/// What a request presents: the answers of the requirement chosen for it. Carried in the
/// request's extensions from the transport to the authentication link.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) answers: Vec<Answer>,
}

impl Plan {
    /// Whether the request is to be signed.
    pub(crate) fn signs(&self) -> bool {
        self.answers.iter().any(|a| matches!(a, Answer::Sign))
    }
}

/// The schemes a call could have used: for the error that refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needed(pub(crate) Vec<Vec<&'static str>>);

impl Needed {
    /// The alternatives, each the names of the schemes presented together.
    pub fn alternatives(&self) -> &[Vec<&'static str>] {
        &self.0
    }
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alternatives: Vec<String> = self.0.iter().map(|names| names.join(" and ")).collect();
        f.write_str(&alternatives.join(", or "))
    }
}

/// The plan for one call: which configured credential answers each scheme of the first requirement
/// the configuration satisfies, or the alternatives none of which it does.
pub(crate) fn plan(config: &Config, schemes: &'static [SecurityScheme], security: Security) -> Result<Plan, Needed> {
    match security {
        Security::Unstated if schemes.is_empty() => Ok(legacy(config)),
        Security::Unstated => Ok(schemes
            .iter()
            .find_map(|scheme| answer(config, scheme))
            .map(|answer| Plan { answers: vec![answer] })
            .unwrap_or_default()),
        Security::Required(_) => security
            .first_met(schemes, |scheme| answer(config, scheme))
            .map(|answers| Plan { answers })
            .ok_or_else(|| Needed(security.alternatives())),
    }
}

/// A document that declares no scheme at all: the vendor credentials are sent as they always
/// were (a token in `X-Auth-Token`, or an AK/SK signature).
fn legacy(config: &Config) -> Plan {
    static TOKEN: SecurityScheme = SecurityScheme::new(
        "token",
        SchemeKind::ApiKey {
            location: ApiKeyIn::Header,
            name: "X-Auth-Token",
        },
    );
    let answers = match &config.credentials {
        Credentials::Token(token) => vec![Answer::Present(&TOKEN, Credential::ApiKey(token.clone()))],
        Credentials::AkSk { .. } => vec![Answer::Sign],
        Credentials::None => Vec::new(),
    };
    Plan { answers }
}

/// The configured credential that answers `scheme`: one given for it by name first, else the first
/// one of a kind it takes.
fn answer(config: &Config, scheme: &'static SecurityScheme) -> Option<Answer> {
    match scheme.kind {
        SchemeKind::MutualTls => return config.client_identity.is_some().then_some(Answer::InTls),
        SchemeKind::Signature => {
            return matches!(config.credentials, Credentials::AkSk { .. }).then_some(Answer::Sign);
        }
        _ => {}
    }
    if let Some((_, credential)) = config
        .auth
        .iter()
        .find(|(name, _)| name.as_deref() == Some(scheme.name))
    {
        return takes(scheme.kind, credential, true).then(|| Answer::Present(scheme, credential.clone()));
    }
    let configured = config
        .auth
        .iter()
        .filter(|(name, _)| name.is_none())
        .map(|(_, credential)| credential);
    // `Credentials::token` is the vendors' token: it answers a key carried in a header.
    let in_header = matches!(
        scheme.kind,
        SchemeKind::ApiKey {
            location: ApiKeyIn::Header,
            ..
        }
    );
    let legacy = match &config.credentials {
        Credentials::Token(token) if in_header => Some(Credential::ApiKey(token.clone())),
        _ => None,
    };
    configured
        .chain(legacy.iter())
        .find(|credential| takes(scheme.kind, credential, false))
        .map(|credential| Answer::Present(scheme, credential.clone()))
}

/// Whether `credential` can be presented as a scheme of `kind`; `by_name` when the caller named the
/// scheme, which lets a bearer token stand for an API key and the other way round.
fn takes(kind: SchemeKind, credential: &Credential, by_name: bool) -> bool {
    match (kind, credential) {
        (SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect, Credential::Bearer(_)) => true,
        (SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect, Credential::Tokens(_)) => true,
        (SchemeKind::Basic, Credential::Basic { .. }) => true,
        (SchemeKind::ApiKey { .. }, Credential::ApiKey(_)) => true,
        // A token source fetches what a header carries (a Keystone token in `X-Auth-Token`).
        (SchemeKind::ApiKey { location, .. }, Credential::Tokens(_)) => location == ApiKeyIn::Header,
        (SchemeKind::ApiKey { .. }, Credential::Bearer(_)) => by_name,
        (SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect, Credential::ApiKey(_)) => by_name,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::auth::Secret;

    static SCHEMES: [SecurityScheme; 4] = [
        SecurityScheme::new("bearer", SchemeKind::Bearer),
        SecurityScheme::new("basic", SchemeKind::Basic),
        SecurityScheme::new(
            "key",
            SchemeKind::ApiKey {
                location: ApiKeyIn::Query,
                name: "api_key",
            },
        ),
        SecurityScheme::new(
            "app",
            SchemeKind::ApiKey {
                location: ApiKeyIn::Header,
                name: "X-App",
            },
        ),
    ];

    fn names(plan: &Plan) -> Vec<&'static str> {
        plan.answers
            .iter()
            .map(|a| match a {
                Answer::Present(scheme, _) => scheme.name,
                Answer::Sign => "sign",
                Answer::InTls => "tls",
            })
            .collect()
    }

    #[test]
    fn the_first_satisfied_alternative_is_used_in_document_order() {
        static SECURITY: Security = Security::Required(&[&["bearer"], &["basic"]]);
        let config = Config::new("http://x").basic_auth("u", "p");
        assert_eq!(names(&plan(&config, &SCHEMES, SECURITY).unwrap()), ["basic"]);
        let config = config.bearer_auth("t");
        assert_eq!(names(&plan(&config, &SCHEMES, SECURITY).unwrap()), ["bearer"]);
    }

    #[test]
    fn every_scheme_of_a_requirement_must_be_answered() {
        static SECURITY: Security = Security::Required(&[&["key", "app"]]);
        // Each key given by its scheme's name.
        let config = Config::new("http://x")
            .auth_for("key", Credential::api_key("k"))
            .auth_for("app", Credential::api_key("a"));
        assert_eq!(names(&plan(&config, &SCHEMES, SECURITY).unwrap()), ["key", "app"]);
        let config = Config::new("http://x").auth_for("key", Credential::api_key("k"));
        let needed = plan(&config, &SCHEMES, SECURITY).unwrap_err();
        assert_eq!(needed.to_string(), "key and app");
    }

    #[test]
    fn a_call_with_no_usable_credential_names_every_alternative() {
        static SECURITY: Security = Security::Required(&[&["bearer"], &["key", "app"]]);
        let needed = plan(&Config::new("http://x"), &SCHEMES, SECURITY).unwrap_err();
        assert_eq!(needed.to_string(), "bearer, or key and app");
    }

    #[test]
    fn an_empty_requirement_sends_nothing_and_an_optional_one_sends_what_there_is() {
        let config = Config::new("http://x").bearer_auth("t");
        assert!(
            plan(&config, &SCHEMES, Security::Required(&[]))
                .unwrap()
                .answers
                .is_empty()
        );
        let optional = Security::Required(&[&["bearer"], &[]]);
        assert_eq!(names(&plan(&config, &SCHEMES, optional).unwrap()), ["bearer"]);
        assert!(
            plan(&Config::new("http://x"), &SCHEMES, optional)
                .unwrap()
                .answers
                .is_empty()
        );
    }

    #[test]
    fn a_later_credential_of_a_kind_replaces_the_earlier_one() {
        static SECURITY: Security = Security::Required(&[&["basic"]]);
        let config = Config::new("http://x").basic_auth("old", "p").basic_auth("new", "p");
        let plan = plan(&config, &SCHEMES, SECURITY).unwrap();
        let Answer::Present(_, Credential::Basic { username, .. }) = &plan.answers[0] else {
            panic!("{plan:?}");
        };
        assert_eq!(username, "new");
    }

    #[test]
    fn a_credential_named_for_a_scheme_wins_over_one_of_its_kind() {
        static SECURITY: Security = Security::Required(&[&["bearer"]]);
        let config = Config::new("http://x")
            .bearer_auth("any")
            .auth_for("bearer", Credential::Bearer(Secret::new("named")));
        let plan = plan(&config, &SCHEMES, SECURITY).unwrap();
        let Answer::Present(_, Credential::Bearer(token)) = &plan.answers[0] else {
            panic!("{plan:?}");
        };
        assert_eq!(token.expose(), "named");
    }

    #[test]
    fn a_vendor_token_answers_a_header_key_and_ak_sk_a_signature() {
        static SIGNED: [SecurityScheme; 2] = [
            SecurityScheme::new(
                "token",
                SchemeKind::ApiKey {
                    location: ApiKeyIn::Header,
                    name: "X-Auth-Token",
                },
            ),
            SecurityScheme::new("aksk", SchemeKind::Signature),
        ];
        static SECURITY: Security = Security::Required(&[&["token"], &["aksk"]]);
        let token = Config::new("http://x").credentials(Credentials::token("t"));
        assert_eq!(names(&plan(&token, &SIGNED, SECURITY).unwrap()), ["token"]);
        let aksk = Config::new("http://x").credentials(Credentials::ak_sk("a", "s"));
        assert!(plan(&aksk, &SIGNED, SECURITY).unwrap().signs());
    }

    #[test]
    fn a_document_without_schemes_sends_the_vendor_credentials_as_before() {
        let token = Config::new("http://x").credentials(Credentials::token("t"));
        assert_eq!(names(&plan(&token, &[], Security::Unstated).unwrap()), ["token"]);
        assert!(
            plan(&Config::new("http://x"), &[], Security::Unstated)
                .unwrap()
                .answers
                .is_empty()
        );
    }
}
