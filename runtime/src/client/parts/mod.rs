//! The parts of the request path that the configuration plugs in: retries around everything, then
//! the caller's middleware, then what the vendor and the document need (an OpenStack
//! microversion, the credentials each call presents, Huawei's project header and AK/SK
//! signature). Each is a [`Middleware`] like the caller's, so the generic send knows nothing of
//! any vendor.

use std::sync::Arc;

use super::auth::Credentials;
use super::config::Config;
use super::error::ConfigError;
use super::middleware::Middleware;

mod authenticate;
mod huawei;
mod openstack;
mod retry;

#[cfg(feature = "cli")]
pub(crate) use authenticate::is_secret_query;

/// The whole chain for `config`, outermost first.
pub(crate) fn chain(config: &Config, host: &str) -> Result<Vec<Arc<dyn Middleware>>, ConfigError> {
    let mut chain: Vec<Arc<dyn Middleware>> =
        Vec::with_capacity(4 + config.middleware.len() + config.wire_middleware.len());
    if config.retry.max_attempts() > 1 {
        chain.push(Arc::new(retry::Retry::new(config.retry.clone())));
    }
    chain.extend(config.middleware.iter().cloned());
    if let Some((service, version)) = &config.microversion {
        chain.push(Arc::new(openstack::Microversion::new(service, version)?));
    }
    chain.push(Arc::new(authenticate::Authenticate));
    match &config.credentials {
        Credentials::Token(_) | Credentials::None => {}
        Credentials::AkSk { access_key, secret_key } => {
            if config.project_header {
                let default = config.path_defaults.get(huawei::PROJECT_PARAMETER).cloned();
                chain.push(Arc::new(huawei::ProjectHeader::new(default)));
            }
            chain.push(Arc::new(huawei::AkSkSigner::new(
                access_key.clone(),
                secret_key.clone(),
                host.to_owned(),
            )));
        }
    }
    chain.extend(config.wire_middleware.iter().cloned());
    Ok(chain)
}
