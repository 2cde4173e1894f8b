//! Credentials, chosen per client, and a string type that never prints its contents.

use std::fmt;

/// A secret string: shown as `<redacted>` by `Debug` and `Display`, so it cannot leak through logs,
/// errors or a `{:?}` of a client.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send or sign with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// How a client proves who it is. Non-exhaustive: more schemes may come.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Credentials {
    /// An IAM (Huawei Cloud) or Keystone (OpenStack) token, sent in `X-Auth-Token`.
    Token(Secret),
    /// A Huawei Cloud access key and secret key: every request is signed (`SDK-HMAC-SHA256`).
    AkSk {
        /// The access key ID. Not a secret by itself, but redacted as well: it names the account.
        access_key: Secret,
        /// The secret access key.
        secret_key: Secret,
    },
    /// No authentication, for a local stand-in of the service.
    #[default]
    None,
}

impl Credentials {
    /// A token credential.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token(token.into())
    }

    /// An AK/SK credential.
    pub fn ak_sk(access_key: impl Into<Secret>, secret_key: impl Into<Secret>) -> Self {
        Credentials::AkSk {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
        }
    }

    /// The scheme's name, for logs: `token`, `ak/sk` or `none`.
    pub fn scheme(&self) -> &'static str {
        match self {
            Credentials::Token(_) => "token",
            Credentials::AkSk { .. } => "ak/sk",
            Credentials::None => "none",
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} credentials", self.scheme())
    }
}
