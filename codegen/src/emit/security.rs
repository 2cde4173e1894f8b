//! Authentication as the IR states it: the runtime's scheme table and requirements, and the
//! words that tell a reader of a generated crate how to authenticate.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{DocText, code};
use crate::ir::{Api, KeyLocation, SchemeKind, Security, SecurityScheme};

/// The runtime's `SchemeKind` for a scheme.
fn kind(scheme: &SecurityScheme) -> TokenStream {
    let path = quote! { ::apigen_runtime::for_generated_code::SchemeKind };
    match &scheme.kind {
        SchemeKind::Bearer => quote! { #path::Bearer },
        SchemeKind::Basic => quote! { #path::Basic },
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                KeyLocation::Header => quote! { Header },
                KeyLocation::Query => quote! { Query },
                KeyLocation::Cookie => quote! { Cookie },
            };
            quote! { #path::ApiKey { location: ::apigen_runtime::for_generated_code::ApiKeyIn::#location, name: #name } }
        }
        SchemeKind::Signature { .. } => quote! { #path::Signature },
        SchemeKind::OAuth2 { .. } => quote! { #path::OAuth2 },
        SchemeKind::OpenIdConnect { .. } => quote! { #path::OpenIdConnect },
        SchemeKind::MutualTls => quote! { #path::MutualTls },
        SchemeKind::Unsupported { .. } => quote! { #path::Unsupported },
    }
}

/// `SECURITY_SCHEMES`, the table a client's transport and a server's router look schemes up in;
/// nothing when the document declares none.
pub fn scheme_table(api: &Api) -> TokenStream {
    if api.security_schemes.is_empty() {
        return TokenStream::new();
    }
    let count = proc_macro2::Literal::usize_unsuffixed(api.security_schemes.len());
    let schemes = api.security_schemes.iter().map(|scheme| {
        let key = &scheme.key;
        let kind = kind(scheme);
        quote! { ::apigen_runtime::for_generated_code::SecurityScheme::new(#key, #kind) }
    });
    quote! {
        /// The document's security schemes, which operations' requirements name (and the
        /// command line's `--auth`).
        #[doc(hidden)]
        pub static SECURITY_SCHEMES: [::apigen_runtime::for_generated_code::SecurityScheme; #count] = [#(#schemes),*];
    }
}

/// The expression of the runtime's `Security` for a requirement, or `None` when the document says
/// nothing (the runtime's default).
pub fn requirement(security: &Security) -> Option<TokenStream> {
    let Security::Required(alternatives) = security else {
        return None;
    };
    let alternatives = alternatives.iter().map(|all| {
        let keys = all.iter().map(|(key, _)| key);
        quote! { &[#(#keys),*] }
    });
    Some(quote! { ::apigen_runtime::for_generated_code::Security::Required(&[#(#alternatives),*]) })
}

/// What a scheme takes and how a client configuration gives it, as a list item.
fn client_item(api: &Api, scheme: &SecurityScheme) -> String {
    let several = |same: fn(&SchemeKind) -> bool| api.security_schemes.iter().filter(|s| same(&s.kind)).count() > 1;
    let key = code(&scheme.key);
    let keyed = |credential: &str| format!("`Config::auth_for(\"{key}\", Credential::{credential})`");
    let (what, how) = match &scheme.kind {
        SchemeKind::Bearer => {
            let how = if several(is_bearer_like) {
                keyed("bearer(token)")
            } else {
                "`Config::bearer_auth(token)`".to_owned()
            };
            ("a bearer token (`Authorization: Bearer`)".to_owned(), how)
        }
        SchemeKind::Basic if several(|k| matches!(k, SchemeKind::Basic)) => (
            "a user name and password (HTTP basic)".to_owned(),
            keyed("basic(user, password)"),
        ),
        SchemeKind::Basic => (
            "a user name and password (HTTP basic)".to_owned(),
            "`Config::basic_auth(user, password)`".to_owned(),
        ),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                KeyLocation::Header => "header",
                KeyLocation::Query => "query parameter",
                KeyLocation::Cookie => "cookie",
            };
            let how = if several(|k| matches!(k, SchemeKind::ApiKey { .. })) {
                keyed("api_key(key)")
            } else {
                "`Config::api_key(key)`".to_owned()
            };
            (format!("an API key in the {place} `{}`", code(name)), how)
        }
        SchemeKind::Signature { algorithm } => (
            format!(
                "an access key and secret key that sign each request (`{}`)",
                code(algorithm)
            ),
            "`Config::credentials(Credentials::ak_sk(access_key, secret_key))`".to_owned(),
        ),
        SchemeKind::OAuth2 { flows } => {
            let flows: Vec<String> = flows
                .iter()
                .map(|f| match &f.token_url {
                    Some(url) => format!("{} (token URL <{url}>)", f.kind),
                    None => f.kind.to_owned(),
                })
                .collect();
            let how = if several(is_bearer_like) {
                keyed("bearer(access_token)")
            } else {
                "`Config::bearer_auth(access_token)`, or `Config::token_source(source)` to fetch and renew tokens"
                    .to_owned()
            };
            (format!("an OAuth 2 access token; flows: {}", flows.join(", ")), how)
        }
        SchemeKind::OpenIdConnect { url } => {
            let how = if several(is_bearer_like) {
                keyed("bearer(token)")
            } else {
                "`Config::bearer_auth(token)`, or `Config::token_source(source)`".to_owned()
            };
            (format!("an OpenID Connect token (discovery at <{url}>)"), how)
        }
        SchemeKind::MutualTls => (
            "a client certificate (mutual TLS)".to_owned(),
            "`Config::client_identity_pem(certificate_chain, private_key)?`".to_owned(),
        ),
        SchemeKind::Unsupported { scheme } => (
            format!(
                "HTTP `{}` authentication, which only a middleware can present",
                code(scheme)
            ),
            "`Config::middleware(...)` that sets `Authorization`".to_owned(),
        ),
    };
    format!("- `{key}`: {what}; give it with {how}.")
}

fn is_bearer_like(kind: &SchemeKind) -> bool {
    matches!(
        kind,
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }
    )
}

/// The client crate's "Authentication" section: each scheme, what it takes, the `Config` setter
/// that gives it, then each scheme's own description.
pub fn client_docs(api: &Api, docs: &mut DocText) {
    if api.security_schemes.is_empty() {
        return;
    }
    let items: Vec<String> = api.security_schemes.iter().map(|s| client_item(api, s)).collect();
    docs.own(&format!(
        "# Authentication\n\nEach call presents what its operation requires (its own `security`, or the \
         document's), from the credentials given to [`Config`]; a call whose requirement no configured \
         credential meets is refused before sending with [`Error::NoCredentials`]. The security schemes:\n\n{}",
        items.join("\n")
    ));
    for scheme in &api.security_schemes {
        if let Some(description) = &scheme.description {
            docs.own(&format!("`{}`:", code(&scheme.key)));
            docs.paragraph(description);
        }
    }
}

/// The `Config` setters that give made-up credentials (`{prefix}-token`) for every scheme of the
/// alternative a caller would most likely use: one with an AK/SK signature (the vendors'
/// recommendation), else the first. For doctests and loopback tests; also says whether the setters
/// name `Credentials` and `Credential`, which a doctest imports.
pub fn example_credentials(
    api: &Api,
    security: &Security,
    prefix: &str,
    krate: &TokenStream,
) -> (Vec<TokenStream>, bool, bool) {
    let keys: Vec<&str> = match security {
        Security::Required(alternatives) => {
            let signed = alternatives.iter().find(|all| {
                all.iter().any(|(key, _)| {
                    api.security_schemes
                        .iter()
                        .any(|s| &s.key == key && matches!(s.kind, SchemeKind::Signature { .. }))
                })
            });
            signed
                .or(alternatives.first())
                .map(|all| all.iter().map(|(key, _)| key.as_str()).collect())
                .unwrap_or_default()
        }
        Security::Unstated => Vec::new(),
    };
    let several = |same: fn(&SchemeKind) -> bool| api.security_schemes.iter().filter(|s| same(&s.kind)).count() > 1;
    let (mut setters, mut vendor, mut keyed) = (Vec::new(), false, false);
    let token = format!("{prefix}-token");
    for scheme in keys
        .iter()
        .filter_map(|key| api.security_schemes.iter().find(|s| s.key == *key))
    {
        let key = &scheme.key;
        let setter = match &scheme.kind {
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => {
                if several(is_bearer_like) {
                    keyed = true;
                    quote! { .auth_for(#key, #krate Credential::bearer(#token)) }
                } else {
                    quote! { .bearer_auth(#token) }
                }
            }
            SchemeKind::Basic => {
                let (user, password) = (format!("{prefix}-user"), format!("{prefix}-password"));
                if several(|k| matches!(k, SchemeKind::Basic)) {
                    keyed = true;
                    quote! { .auth_for(#key, #krate Credential::basic(#user, #password)) }
                } else {
                    quote! { .basic_auth(#user, #password) }
                }
            }
            // The vendors' own token header keeps the vendors' own credential.
            SchemeKind::ApiKey {
                location: KeyLocation::Header,
                name,
            } if name.eq_ignore_ascii_case("x-auth-token") => {
                vendor = true;
                quote! { .credentials(#krate Credentials::token(#token)) }
            }
            SchemeKind::ApiKey { .. } => {
                let slug: String = key
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect();
                let value = format!("{prefix}-{slug}");
                if several(|k| matches!(k, SchemeKind::ApiKey { .. })) {
                    keyed = true;
                    quote! { .auth_for(#key, #krate Credential::api_key(#value)) }
                } else {
                    quote! { .api_key(#value) }
                }
            }
            SchemeKind::Signature { .. } => {
                vendor = true;
                let (access, secret) = (format!("{prefix}-access-key"), format!("{prefix}-secret-key"));
                quote! { .credentials(#krate Credentials::ak_sk(#access, #secret)) }
            }
            SchemeKind::MutualTls | SchemeKind::Unsupported { .. } => continue,
        };
        setters.push(setter);
    }
    (setters, vendor, keyed)
}
