//! The TLS configuration every client uses: rustls with the `ring` provider, certificates checked
//! by the platform's verifier, plus any root the configuration adds (a private cloud's own CA).
//!
//! Why not reqwest's `rustls` feature: it brings `aws-lc-rs`, whose C build was most of the time
//! of a cold build of a generated client. Why not install `ring` as the process-wide default: that
//! is the application's choice, and an SDK that makes it would break an application that makes a
//! different one. So the provider goes into this client's configuration only.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls_platform_verifier::Verifier;

use super::error::ConfigError;

/// Reads every certificate in a PEM text; an empty or unreadable text is an error, since a root
/// that silently does not load shows up later as a handshake failure with no hint of the cause.
pub(crate) fn pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::Certificate(e.to_string()))?;
    if certificates.is_empty() {
        return Err(ConfigError::Certificate("no PEM certificate in the text".to_owned()));
    }
    Ok(certificates)
}

/// A client certificate chain and its key, for servers that ask for one (`mutualTLS`).
pub(crate) struct ClientIdentity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Clone for ClientIdentity {
    fn clone(&self) -> Self {
        ClientIdentity {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
        }
    }
}

impl ClientIdentity {
    /// Reads the chain and the key; either missing or unreadable is an error now, not a failed
    /// handshake later.
    pub(crate) fn from_pem(chain: &[u8], key: &[u8]) -> Result<Self, ConfigError> {
        let chain = pem_certificates(chain)?;
        let key = PrivateKeyDer::from_pem_slice(key)
            .map_err(|e| ConfigError::Certificate(format!("the private key: {e}")))?;
        Ok(ClientIdentity { chain, key })
    }
}

/// The client TLS configuration: the platform's roots and `extra_roots`, TLS 1.2 and 1.3, and the
/// client's certificate when it has one.
pub(crate) fn client_config(
    extra_roots: &[CertificateDer<'static>],
    identity: Option<&ClientIdentity>,
) -> Result<ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = if extra_roots.is_empty() {
        Verifier::new(provider.clone())
    } else {
        Verifier::new_with_extra_roots(extra_roots.iter().cloned(), provider.clone())
    }
    .map_err(|e| ConfigError::Tls(e.to_string()))?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    match identity {
        Some(identity) => builder
            .with_client_auth_cert(identity.chain.clone(), identity.key.clone_key())
            .map_err(|e| ConfigError::Tls(format!("the client certificate: {e}"))),
        None => Ok(builder.with_no_client_auth()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_without_a_certificate_is_refused() {
        let error = pem_certificates(b"not a certificate").expect_err("nothing to read");
        assert_eq!(
            error.to_string(),
            "the CA certificate cannot be read: no PEM certificate in the text"
        );
    }

    #[test]
    fn the_platform_configuration_builds() {
        client_config(&[], None).expect("ring and the platform verifier");
    }
}
