//! Security schemes and each operation's requirement: what a client presents, a server checks and
//! a command line asks for.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme as Spec};

use super::Lowerer;
use crate::diagnostic::join;
use crate::ir::{KeyLocation, OAuthFlow, SchemeKind, Security, SecurityScheme};
use crate::load::MUTUAL_TLS;

impl Lowerer<'_> {
    /// Every scheme of `components.securitySchemes`, in document order. A scheme a client cannot
    /// present by itself is kept (an operation may still name it) with a warning.
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = self.api.components.as_ref() else {
            return Vec::new();
        };
        let mut schemes = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = join("/components/securitySchemes", key);
            let scheme = match scheme {
                ReferenceOr::Item(scheme) => scheme,
                ReferenceOr::Reference { reference } => {
                    let target = reference
                        .strip_prefix("#/components/securitySchemes/")
                        .and_then(|k| components.security_schemes.get(k));
                    match target {
                        Some(ReferenceOr::Item(scheme)) => scheme,
                        _ => {
                            self.warn(
                                &join(&pointer, "$ref"),
                                format!("`{reference}` is not a security scheme of this document; operations that require `{key}` cannot be called with credentials"),
                            );
                            continue;
                        }
                    }
                }
            };
            let (kind, description) = match scheme {
                Spec::APIKey {
                    location,
                    name,
                    description,
                    extensions,
                } => {
                    let kind = match extensions.get("x-signing-algorithm").and_then(|v| v.as_str()) {
                        Some(algorithm) => SchemeKind::Signature {
                            algorithm: algorithm.to_owned(),
                        },
                        None => SchemeKind::ApiKey {
                            location: match location {
                                APIKeyLocation::Header => KeyLocation::Header,
                                APIKeyLocation::Query => KeyLocation::Query,
                                APIKeyLocation::Cookie => KeyLocation::Cookie,
                            },
                            name: name.clone(),
                        },
                    };
                    (kind, description)
                }
                Spec::HTTP {
                    scheme,
                    description,
                    extensions,
                    ..
                } => {
                    let kind = if extensions.contains_key(MUTUAL_TLS) {
                        SchemeKind::MutualTls
                    } else if scheme.eq_ignore_ascii_case("bearer") {
                        SchemeKind::Bearer
                    } else if scheme.eq_ignore_ascii_case("basic") {
                        SchemeKind::Basic
                    } else {
                        self.warn(
                            &join(&pointer, "scheme"),
                            format!("the HTTP authentication scheme `{scheme}` is not presented by the generated client: only bearer and basic are; a middleware can add its `Authorization` header"),
                        );
                        SchemeKind::Unsupported { scheme: scheme.clone() }
                    };
                    (kind, description)
                }
                Spec::OAuth2 { flows, description, .. } => {
                    let list = [
                        flows
                            .implicit
                            .as_ref()
                            .map(|f| flow("implicit", Some(&f.authorization_url), None, &f.refresh_url, &f.scopes)),
                        flows
                            .password
                            .as_ref()
                            .map(|f| flow("password", None, Some(&f.token_url), &f.refresh_url, &f.scopes)),
                        flows
                            .client_credentials
                            .as_ref()
                            .map(|f| flow("clientCredentials", None, Some(&f.token_url), &f.refresh_url, &f.scopes)),
                        flows.authorization_code.as_ref().map(|f| {
                            let (authorize, token) = (Some(&f.authorization_url), Some(&f.token_url));
                            flow("authorizationCode", authorize, token, &f.refresh_url, &f.scopes)
                        }),
                    ];
                    (
                        SchemeKind::OAuth2 {
                            flows: list.into_iter().flatten().collect(),
                        },
                        description,
                    )
                }
                Spec::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    SchemeKind::OpenIdConnect {
                        url: open_id_connect_url.clone(),
                    },
                    description,
                ),
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                kind,
                description: description.clone(),
            });
        }
        schemes
    }

    /// An operation's requirement: its own `security`, else the document's. A requirement that
    /// names a scheme the document does not declare is kept, with a warning: no caller can satisfy
    /// it, so the client refuses it and the server answers 401 unless another alternative holds.
    pub(super) fn security(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Security {
        let (requirements, at) = match (own, self.api.security.as_ref()) {
            (Some(own), _) => (own, join(pointer, "security")),
            (None, Some(root)) => (root, "/security".to_owned()),
            (None, None) => return Security::Unstated,
        };
        let mut alternatives = Vec::with_capacity(requirements.len());
        for (index, requirement) in requirements.iter().enumerate() {
            let mut all = Vec::with_capacity(requirement.len());
            for (key, scopes) in requirement {
                if !schemes.iter().any(|s| &s.key == key) {
                    self.warn(
                        &join(&join(&at, &index.to_string()), key),
                        format!("`{key}` is not a security scheme of this document (components/securitySchemes): no credential can satisfy this requirement"),
                    );
                }
                all.push((key.clone(), scopes.clone()));
            }
            alternatives.push(all);
        }
        Security::Required(alternatives)
    }
}

/// One OAuth 2 flow as the IR holds it.
fn flow(
    kind: &'static str,
    authorization_url: Option<&String>,
    token_url: Option<&String>,
    refresh_url: &Option<String>,
    scopes: &indexmap::IndexMap<String, String>,
) -> OAuthFlow {
    OAuthFlow {
        kind,
        authorization_url: authorization_url.cloned(),
        token_url: token_url.cloned(),
        refresh_url: refresh_url.clone(),
        scopes: scopes.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}
