//! What generated clients share: configuration, credentials and signing, retries, errors,
//! middleware, and the one function that sends a request. Enabled by the `client` feature.
//!
//! What a user names is here; what only generated code calls (the transport, the request builder,
//! the raw response) is in [`for_generated_code`](crate::for_generated_code).

pub mod auth;
pub(crate) mod body;
pub mod config;
pub mod error;
mod http_client;
pub mod keystone;
pub mod middleware;
pub mod oauth2;
pub(crate) mod parts;
pub(crate) mod path;
pub(crate) mod request;
pub(crate) mod response;
pub mod retry;
pub mod security;
pub mod sign;
mod tls;
pub(crate) mod transport;

pub use auth::{AccessToken, Credential, Credentials, Secret, TokenCache, TokenSource};
pub use bytes::Bytes;
pub use config::Config;
pub use error::{ConfigError, Error, ErrorBody, InvalidInput, Undocumented};
/// The `http` crate, whose types middleware sees and `Response::headers` is.
pub use http;
pub use middleware::Middleware;
pub use response::Response;
pub use retry::RetryPolicy;
