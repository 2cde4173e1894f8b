//! Whether a request presents what its operation requires, and what it presented: the router
//! answers 401 (with `WWW-Authenticate` for HTTP schemes) when no alternative of the requirement is
//! met, and hands the credentials of the first one that is to the implementation, which verifies
//! them. Checking a token's validity is the implementation's; checking that one was sent where the
//! document says is the router's.

use std::fmt;

use base64::Engine;
use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};
use http::request::Parts;

use super::rejection::{Rejection, RejectionKind};
use crate::Violation;
use crate::security::{ApiKeyIn, SchemeKind, Security, SecurityScheme};

/// A secret a request presented: printed as `<redacted>`, so that logging an input does not leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Presented(String);

impl Presented {
    /// The value, for the code that verifies it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Presented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What one scheme's credential was, as the request carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialValue {
    /// The token of `Authorization: Bearer` (bearer, `oauth2` and `openIdConnect` schemes).
    Bearer(Presented),
    /// The user name and password of `Authorization: Basic`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Presented,
    },
    /// An API key, from the header, query parameter or cookie its scheme names.
    ApiKey(Presented),
    /// The whole `Authorization` header of a signed request (AK/SK) or of an HTTP scheme the router
    /// does not take apart (Digest): the implementation verifies it.
    Authorization(Presented),
    /// The scheme is `mutualTLS`: the certificate was checked where TLS ends, not here.
    ClientCertificate,
}

/// One scheme of the requirement a request met, and its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemeCredential {
    /// The scheme's key in `components.securitySchemes`.
    pub scheme: &'static str,
    /// What the request carried.
    pub value: CredentialValue,
}

/// The credentials a request presented: those of the first alternative of its operation's
/// requirement that it met, in document order. Empty when the operation may be called without
/// any and none was presented.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Authentication {
    credentials: Vec<SchemeCredential>,
}

impl Authentication {
    /// The credentials, one per scheme of the alternative met.
    pub fn credentials(&self) -> &[SchemeCredential] {
        &self.credentials
    }

    /// The credential presented for the scheme named `scheme`, if that scheme was used.
    pub fn get(&self, scheme: &str) -> Option<&CredentialValue> {
        self.credentials.iter().find(|c| c.scheme == scheme).map(|c| &c.value)
    }

    /// Whether no credential was presented (allowed by an empty alternative).
    pub fn is_anonymous(&self) -> bool {
        self.credentials.is_empty()
    }
}

/// The credentials `head` presents for `security`, or the 401 that refuses it.
pub fn authenticate(
    head: &Parts,
    schemes: &'static [SecurityScheme],
    security: Security,
) -> Result<Authentication, Rejection> {
    let met = security.first_met(schemes, |scheme| {
        presented(head, scheme).map(|value| SchemeCredential {
            scheme: scheme.name,
            value,
        })
    });
    if let Some(credentials) = met {
        return Ok(Authentication { credentials });
    }
    let alternatives = security.alternatives();
    let needed: Vec<String> = alternatives.iter().map(|names| names.join(" and ")).collect();
    let mut challenges: Vec<&'static str> = Vec::new();
    for name in alternatives.iter().flatten() {
        let challenge = match schemes.iter().find(|s| s.name == *name).map(|s| s.kind) {
            Some(SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect) => "Bearer",
            Some(SchemeKind::Basic) => "Basic realm=\"api\", charset=\"UTF-8\"",
            _ => continue,
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    Err(Rejection::new(RejectionKind::Status(http::StatusCode::UNAUTHORIZED))
        .with_violations([Violation::new(
            "",
            format!("this operation needs credentials: {}", needed.join(", or ")),
        )])
        .with_challenges(challenges))
}

/// What `head` carries for `scheme`, when it carries it where the scheme says.
fn presented(head: &Parts, scheme: &SecurityScheme) -> Option<CredentialValue> {
    let authorization = || header(&head.headers, AUTHORIZATION.as_str());
    match scheme.kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
            let (kind, token) = authorization()?.split_once(' ')?;
            let token = token.trim();
            (kind.eq_ignore_ascii_case("bearer") && !token.is_empty())
                .then(|| CredentialValue::Bearer(Presented(token.to_owned())))
        }
        SchemeKind::Basic => {
            let (kind, encoded) = authorization()?.split_once(' ')?;
            if !kind.eq_ignore_ascii_case("basic") {
                return None;
            }
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
            let pair = String::from_utf8(decoded).ok()?;
            let (username, password) = pair.split_once(':')?;
            Some(CredentialValue::Basic {
                username: username.to_owned(),
                password: Presented(password.to_owned()),
            })
        }
        SchemeKind::ApiKey { location, name } => {
            let value = match location {
                ApiKeyIn::Header => header(&head.headers, name)?.to_owned(),
                ApiKeyIn::Query => query(head, name)?,
                ApiKeyIn::Cookie => cookie(&head.headers, name)?,
            };
            (!value.is_empty()).then_some(CredentialValue::ApiKey(Presented(value)))
        }
        SchemeKind::Signature | SchemeKind::Unsupported => {
            authorization().map(|value| CredentialValue::Authorization(Presented(value.to_owned())))
        }
        SchemeKind::MutualTls => Some(CredentialValue::ClientCertificate),
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().filter(|v| !v.trim().is_empty())
}

fn query(head: &Parts, name: &str) -> Option<String> {
    let query = head.uri.query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "session",
            SchemeKind::ApiKey {
                location: ApiKeyIn::Cookie,
                name: "sid",
            },
        ),
    ];

    fn head(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = http::Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).expect("a request").into_parts().0
    }

    #[test]
    fn the_first_alternative_met_is_handed_over() {
        let security = Security::Required(&[&["bearer"], &["key", "session"]]);
        let head = head("/x?api_key=k%201", &[("cookie", "a=b; sid=s1")]);
        let auth = authenticate(&head, &SCHEMES, security).expect("met");
        assert_eq!(
            auth.get("key"),
            Some(&CredentialValue::ApiKey(Presented("k 1".to_owned())))
        );
        assert_eq!(
            auth.get("session"),
            Some(&CredentialValue::ApiKey(Presented("s1".to_owned())))
        );
        assert_eq!(auth.get("bearer"), None);
    }

    #[test]
    fn basic_credentials_are_decoded() {
        // "ann:pass:word" — a password may hold a colon.
        let head = head("/x", &[("authorization", "Basic YW5uOnBhc3M6d29yZA==")]);
        let auth = authenticate(&head, &SCHEMES, Security::Required(&[&["basic"]])).expect("met");
        assert_eq!(
            auth.get("basic"),
            Some(&CredentialValue::Basic {
                username: "ann".to_owned(),
                password: Presented("pass:word".to_owned())
            })
        );
    }

    #[test]
    fn nothing_presented_is_a_401_with_a_challenge_per_http_scheme() {
        let security = Security::Required(&[&["bearer"], &["basic"], &["key"]]);
        // A bearer token where basic is expected, and the other way round, are not presented.
        let head = head("/x", &[("authorization", "Token abc")]);
        let rejection = authenticate(&head, &SCHEMES, security).expect_err("refused");
        assert_eq!(rejection.kind().status(), http::StatusCode::UNAUTHORIZED);
        assert_eq!(
            rejection.challenges(),
            ["Bearer", "Basic realm=\"api\", charset=\"UTF-8\""]
        );
        assert_eq!(
            rejection.violations()[0].message,
            "this operation needs credentials: bearer, or basic, or key"
        );
    }

    #[test]
    fn an_empty_alternative_lets_anyone_in() {
        let auth = authenticate(&head("/x", &[]), &SCHEMES, Security::Required(&[&["bearer"], &[]])).expect("met");
        assert!(auth.is_anonymous());
    }

    #[test]
    fn presented_secrets_do_not_print() {
        let head = head("/x", &[("authorization", "Bearer s3cret")]);
        let auth = authenticate(&head, &SCHEMES, Security::Required(&[&["bearer"]])).expect("met");
        assert!(!format!("{auth:?}").contains("s3cret"));
    }
}
