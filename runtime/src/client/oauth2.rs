//! An OAuth 2 client-credentials token source (RFC 6749, section 4.4): what a service account
//! uses to call an API whose spec declares an `oauth2` scheme with a `clientCredentials` flow.
//! The token URL and scopes are in the spec (the client crate's docs list them).
//!
//! ```no_run
//! # use apigen_runtime::client::{Config, oauth2::ClientCredentials};
//! # fn example() -> Result<(), apigen_runtime::client::ConfigError> {
//! let tokens = ClientCredentials::new("https://auth.example.com/token", "my-client", "my-secret")?
//!     .scope("read:pets");
//! let config = Config::new("https://api.example.com").token_source(tokens);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::auth::{AccessToken, Secret, TokenSource};
use super::error::{BoxError, ConfigError};
use super::middleware::BoxFuture;

/// Tokens from an OAuth 2 token endpoint, for a client id and secret (sent as HTTP basic, as
/// RFC 6749 section 2.3.1 asks servers to accept), with the scopes asked for.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    http: reqwest::Client,
}

impl ClientCredentials {
    /// A source asking `token_url` for tokens as `client_id` with `client_secret`; fails on a
    /// URL that is not http(s), or an HTTP client that cannot be built.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, ConfigError> {
        let token_url = token_url.into();
        let parsed = reqwest::Url::parse(&token_url).map_err(|e| ConfigError::Endpoint {
            endpoint: token_url.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::Endpoint {
                endpoint: token_url,
                reason: format!("the scheme is `{}`", parsed.scheme()),
            });
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(super::tls::client_config(&[], None)?)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| ConfigError::Http(Box::new(e)))?;
        Ok(ClientCredentials {
            token_url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            http,
        })
    }

    /// Asks for `scope` too.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// A token endpoint's answer (RFC 6749, section 5.1), or its error (section 5.2).
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Why a token endpoint gave no token.
#[derive(Debug, thiserror::Error)]
#[error("the token endpoint {url} answered {status}: {reason}")]
pub struct TokenError {
    url: String,
    status: u16,
    reason: String,
}

impl TokenSource for ClientCredentials {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let mut form = vec![("grant_type", "client_credentials".to_owned())];
            if !self.scopes.is_empty() {
                form.push(("scope", self.scopes.join(" ")));
            }
            let body = serde_urlencoded::to_string(&form)?;
            let response = self
                .http
                .post(&self.token_url)
                .basic_auth(&self.client_id, Some(self.client_secret.expose()))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(body)
                .send()
                .await?;
            let status = response.status().as_u16();
            let bytes = response.bytes().await?;
            let answer: Option<TokenAnswer> = serde_json::from_slice(&bytes).ok();
            let failure = |reason: String| TokenError {
                url: self.token_url.clone(),
                status,
                reason,
            };
            let Some(answer) = answer else {
                return Err(failure(format!("not a token response: {}", super::error::excerpt(&bytes, 200))).into());
            };
            match (answer.access_token, answer.error) {
                (Some(token), None) if (200..300).contains(&status) => Ok(AccessToken::new(
                    token,
                    answer.expires_in.map(|s| SystemTime::now() + Duration::from_secs(s)),
                )),
                (_, error) => {
                    let reason = match (error, answer.error_description) {
                        (Some(error), Some(description)) => format!("{error}: {description}"),
                        (Some(error), None) => error,
                        (None, _) => "no access_token".to_owned(),
                    };
                    Err(failure(reason).into())
                }
            }
        })
    }
}
