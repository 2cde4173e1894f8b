//! What a document says about authentication, as generated code states it: the security schemes
//! (`components.securitySchemes`) and each operation's requirement (its own `security`, or the
//! document's). Clients present what a requirement names; servers check that it was presented.

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyIn {
    /// A request header of that name.
    Header,
    /// A query parameter of that name.
    Query,
    /// A cookie of that name.
    Cookie,
}

/// How a scheme's credential is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `http` `bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `http` `basic`: `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// `apiKey`: the key in a header, query parameter or cookie named `name`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyIn,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// `oauth2`: an access token, sent as a bearer token.
    OAuth2,
    /// `openIdConnect`: an ID or access token, sent as a bearer token.
    OpenIdConnect,
    /// `mutualTLS`: the client certificate of the TLS settings; nothing goes in the request.
    MutualTls,
    /// An `apiKey` scheme with `x-signing-algorithm`: the request is signed (Huawei Cloud AK/SK).
    Signature,
    /// An `http` scheme this client cannot present (Digest, ...): only a middleware can.
    Unsupported,
}

/// One security scheme of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`: what requirements, keyed credentials and the
    /// command line's `--auth` name it by.
    pub name: &'static str,
    /// How its credential is presented.
    pub kind: SchemeKind,
}

impl SecurityScheme {
    /// A scheme; a `const fn`, so generated code can list them in a `static`.
    pub const fn new(name: &'static str, kind: SchemeKind) -> Self {
        SecurityScheme { name, kind }
    }

    /// What kind of credential it takes, for messages and help.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            SchemeKind::Bearer => "bearer token",
            SchemeKind::Basic => "user name and password",
            SchemeKind::ApiKey { .. } => "API key",
            SchemeKind::OAuth2 => "OAuth 2 access token",
            SchemeKind::OpenIdConnect => "OpenID Connect token",
            SchemeKind::MutualTls => "client certificate",
            SchemeKind::Signature => "access key and secret key",
            SchemeKind::Unsupported => "credential only a middleware can present",
        }
    }
}

/// One way to satisfy an operation: the schemes (by name) that are all presented together. An
/// empty requirement means the operation may be called without credentials.
pub type Requirement = &'static [&'static str];

/// What an operation requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// The document says nothing (no `security` anywhere): the first declared scheme the caller has
    /// a credential for is used, and a call without any is sent as it is.
    Unstated,
    /// The alternatives, in document order: the first the caller can satisfy is used. No
    /// alternative at all (`security: []`) means no credentials, and none are sent.
    Required(&'static [Requirement]),
}

impl Security {
    /// What `answer` gives for each scheme of the first alternative whose every scheme it answers,
    /// in document order (empty for no requirement at all, or an empty alternative met first);
    /// `None` when no alternative is met. `Unstated` is met by nothing asked.
    pub(crate) fn first_met<T>(
        self,
        schemes: &'static [SecurityScheme],
        mut answer: impl FnMut(&'static SecurityScheme) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Security::Required(alternatives) = self else {
            return Some(Vec::new());
        };
        if alternatives.is_empty() {
            return Some(Vec::new());
        }
        alternatives.iter().find_map(|requirement| {
            requirement
                .iter()
                .map(|name| schemes.iter().find(|s| s.name == *name).and_then(&mut answer))
                .collect()
        })
    }

    /// The alternatives as the names of their schemes, for the messages that refuse a call.
    pub(crate) fn alternatives(self) -> Vec<Vec<&'static str>> {
        match self {
            Security::Required(alternatives) => alternatives.iter().map(|r| r.to_vec()).collect(),
            Security::Unstated => Vec::new(),
        }
    }
}
