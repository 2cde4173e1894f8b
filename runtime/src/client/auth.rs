//! Credentials, chosen per client: the vendors' token and AK/SK ([`Credentials`]), a credential for
//! any scheme a document declares ([`Credential`]), tokens fetched and renewed by a
//! [`TokenSource`], and a string type that never prints its contents.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::error::BoxError;
use super::middleware::BoxFuture;

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

/// A credential for one of the security schemes a document declares, given to
/// [`Config::auth_for`](super::Config::auth_for) under the scheme's name, or to the setters that
/// answer every scheme of a kind ([`Config::bearer_auth`](super::Config::bearer_auth),
/// [`Config::basic_auth`](super::Config::basic_auth), [`Config::api_key`](super::Config::api_key),
/// [`Config::token_source`](super::Config::token_source)).
#[derive(Clone)]
#[non_exhaustive]
pub enum Credential {
    /// A bearer token (`http` `bearer`, and the access token of `oauth2` and `openIdConnect`).
    Bearer(Secret),
    /// A user name and password (`http` `basic`).
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key, sent where its scheme says (header, query parameter or cookie).
    ApiKey(Secret),
    /// Tokens fetched by a source, cached until shortly before they expire and renewed once when
    /// the service answers 401.
    Tokens(TokenCache),
}

impl Credential {
    /// A bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credential::Bearer(token.into())
    }

    /// A user name and password.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credential::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// An API key.
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Credential::ApiKey(key.into())
    }

    /// Tokens from `source`, cached and renewed.
    pub fn tokens(source: impl TokenSource) -> Self {
        Credential::Tokens(TokenCache::new(source))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}:<redacted>)"),
            Credential::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credential::Tokens(_) => f.write_str("Tokens(<redacted>)"),
        }
    }
}

/// A token and when it stops being valid.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token.
    pub value: Secret,
    /// When it expires; `None` for a token that does not say (kept until the service refuses it).
    pub expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token that expires at `expires_at`, if that is known.
    pub fn new(value: impl Into<Secret>, expires_at: Option<SystemTime>) -> Self {
        AccessToken {
            value: value.into(),
            expires_at,
        }
    }
}

/// Where tokens come from: an OAuth 2 token endpoint, OpenID Connect, Keystone, a file a sidecar
/// renews. Implement `fetch`; the client caches what it returns (see [`TokenCache`]).
pub trait TokenSource: Send + Sync + 'static {
    /// Gets a new token. Called once at first use, again shortly before the token expires, and
    /// once after the service answers 401 to it; never by two requests at once.
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>>;
}

/// A [`TokenSource`] behind a cache: the token is kept until [`TokenCache::RENEW_BEFORE`] before it
/// expires; requests that need it while it is being renewed wait for that one renewal; a token the
/// service refused is renewed once, by whichever request saw the refusal first. Cheap to clone:
/// clones share the cache.
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<CacheInner>,
}

struct CacheInner {
    source: Box<dyn TokenSource>,
    current: tokio::sync::Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// How long before its expiry a token is renewed, so that it does not expire in flight.
    pub const RENEW_BEFORE: Duration = Duration::from_secs(60);

    /// A cache in front of `source`.
    pub fn new(source: impl TokenSource) -> Self {
        TokenCache {
            inner: Arc::new(CacheInner {
                source: Box::new(source),
                current: tokio::sync::Mutex::new(None),
            }),
        }
    }

    /// The current token, fetching one when there is none or it expires within
    /// [`TokenCache::RENEW_BEFORE`].
    pub async fn token(&self) -> Result<Secret, BoxError> {
        let mut current = self.inner.current.lock().await;
        if let Some(token) = current.as_ref()
            && !expires_soon(token)
        {
            return Ok(token.value.clone());
        }
        let token = self.inner.source.fetch().await?;
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }

    /// Drops `refused` (a token the service answered 401 to) and fetches a new one; when another
    /// request has already renewed it, returns that one without fetching again.
    pub async fn renew(&self, refused: &Secret) -> Result<Secret, BoxError> {
        let mut current = self.inner.current.lock().await;
        if let Some(token) = current.as_ref()
            && token.value != *refused
            && !expires_soon(token)
        {
            return Ok(token.value.clone());
        }
        let token = self.inner.source.fetch().await?;
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }
}

fn expires_soon(token: &AccessToken) -> bool {
    token
        .expires_at
        .is_some_and(|at| at <= SystemTime::now() + TokenCache::RENEW_BEFORE)
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counting {
        fetched: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
    }

    impl TokenSource for Counting {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
            Box::pin(async move {
                let n = self.fetched.fetch_add(1, Ordering::SeqCst) + 1;
                // Slow enough that concurrent callers overlap with the fetch.
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(AccessToken::new(
                    format!("token-{n}"),
                    self.lifetime.map(|l| SystemTime::now() + l),
                ))
            })
        }
    }

    fn cache(lifetime: Option<Duration>) -> (TokenCache, Arc<AtomicUsize>) {
        let fetched = Arc::new(AtomicUsize::new(0));
        let cache = TokenCache::new(Counting {
            fetched: fetched.clone(),
            lifetime,
        });
        (cache, fetched)
    }

    #[tokio::test]
    async fn concurrent_requests_wait_for_one_fetch() {
        let (cache, fetched) = cache(Some(Duration::from_secs(3600)));
        let tokens = futures_join(&cache, 8).await;
        assert!(tokens.iter().all(|t| t.expose() == "token-1"));
        assert_eq!(fetched.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_close_to_expiry_is_renewed_before_use() {
        let (cache, fetched) = cache(Some(TokenCache::RENEW_BEFORE / 2));
        assert_eq!(cache.token().await.unwrap().expose(), "token-1");
        assert_eq!(cache.token().await.unwrap().expose(), "token-2");
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_refused_token_is_renewed_once_for_every_request_that_saw_it_refused() {
        let (cache, fetched) = cache(None);
        let refused = cache.token().await.unwrap();
        let first = cache.renew(&refused).await.unwrap();
        let second = cache.renew(&refused).await.unwrap();
        assert_eq!((first.expose(), second.expose()), ("token-2", "token-2"));
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn no_credential_prints_its_secret() {
        let printed = format!(
            "{:?} {:?} {:?}",
            Credential::bearer("s3cret"),
            Credential::basic("ann", "s3cret"),
            Credential::api_key("s3cret")
        );
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("ann"), "{printed}");
    }

    async fn futures_join(cache: &TokenCache, n: usize) -> Vec<Secret> {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.token().await.expect("token") })
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.expect("joined"));
        }
        out
    }
}
