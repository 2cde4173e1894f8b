//! What generated clients share: configuration, credentials and signing, retries, errors, and the
//! one function that sends a request. Enabled by the `client` feature.

pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod path;
pub mod retry;
pub mod sign;
mod tls;
pub mod transport;

pub use auth::{Credentials, Secret};
pub use bytes::Bytes;
pub use config::{Config, ConfigError};
pub use error::{Error, ErrorBody, InvalidInput, Undocumented};
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use transport::{Operation, RawResponse, Request, Response, Transport, param_text};
