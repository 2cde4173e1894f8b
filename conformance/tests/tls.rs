//! HTTPS end to end: a generated client against a TLS server on loopback whose certificate comes
//! from a CA made for the test. With that CA added to the configuration the call succeeds; without
//! it the handshake fails and nothing is decoded. The client's TLS is rustls with ring
//! (`apigen_runtime::client::tls`).

use std::sync::Arc;

use apigen_runtime::client::{Config, ConfigError, Credentials, Error};
use fixture_operations_client::Client;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;

/// A CA (as PEM) and a certificate it issued for `localhost`, with its key.
fn certificates() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().expect("server key");
    let server = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("server params")
        .signed_by(&server_key, &issuer)
        .expect("server certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    (ca.pem(), server.der().clone(), key)
}

/// Serves HTTPS on a loopback port: every request gets the same bytes back.
async fn serve(
    certificate: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (u16, mpsc::UnboundedReceiver<String>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .expect("server TLS config");
    let body = [7u8, 0, 255];
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    serve_with(config, answer).await
}

/// Serves HTTPS with `config` on a loopback port, answering every request with `answer`. Each
/// request's head is sent on the channel; a failed handshake sends nothing.
async fn serve_with(config: rustls::ServerConfig, answer: Vec<u8>) -> (u16, mpsc::UnboundedReceiver<String>) {
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let answer = Arc::new(answer);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (heads, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let heads = heads.clone();
            let answer = Arc::clone(&answer);
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut chunk = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
                let _ = tls.write_all(&answer).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, received)
}

fn config(port: u16) -> Config {
    Config::new(format!("https://localhost:{port}/api")).credentials(Credentials::token("t"))
}

#[tokio::test]
async fn a_call_over_https_succeeds_with_the_private_ca_and_fails_without_it() {
    let (ca_pem, certificate, key) = certificates();
    let (port, mut heads) = serve(certificate, key).await;

    let trusted = Client::new(config(port).ca_certificate_pem(ca_pem.as_bytes()).expect("CA reads")).expect("client");
    let blob = trusted.get_blob("x").await.expect("TLS with the private CA");
    assert_eq!(&blob.body[..], &[7u8, 0, 255]);
    let head = heads.recv().await.expect("the server saw the request");
    assert!(head.starts_with("GET /api/blobs/x HTTP/1.1\r\n"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nx-auth-token: t\r\n"), "{head}");

    let untrusted = Client::new(config(port)).expect("client");
    let error = untrusted
        .get_blob("x")
        .await
        .expect_err("the platform does not know the CA");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let chain = format!("{:?}", error);
    assert!(
        chain.contains("UnknownIssuer") || chain.to_lowercase().contains("certificate"),
        "{chain}"
    );
    assert!(heads.try_recv().is_err(), "no request crossed a failed handshake");
}

/// A CA, a server certificate it issued, and a client certificate it issued (PEM chain and key).
struct Mutual {
    ca: rcgen::Certificate,
    server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    client_pem: (String, String),
}

fn mutual_certificates() -> Mutual {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().expect("server key");
    let server = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("server params")
        .signed_by(&server_key, &issuer)
        .expect("server certificate");
    let client_key = KeyPair::generate().expect("client key");
    let client = CertificateParams::new(vec!["client.example".to_owned()])
        .expect("client params")
        .signed_by(&client_key, &issuer)
        .expect("client certificate");
    Mutual {
        ca,
        server: (
            server.der().clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        ),
        client_pem: (client.pem(), client_key.serialize_pem()),
    }
}

/// Serves HTTPS that asks every client for a certificate from `ca`; a handshake without one fails.
async fn serve_mutual(mutual: &Mutual) -> (u16, mpsc::UnboundedReceiver<String>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(mutual.ca.der().clone()).expect("the CA is a root");
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .expect("client verifier");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![mutual.server.0.clone()], mutual.server.1.clone_key())
        .expect("server TLS config");
    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"ok\":true}";
    serve_with(config, answer.as_bytes().to_vec()).await
}

/// The `mutualTLS` scheme: the client certificate goes in the handshake, nothing in the request;
/// without it the requirement is not met and nothing is sent.
#[tokio::test]
async fn a_mutual_tls_scheme_is_met_by_the_configured_client_certificate() {
    let mutual = mutual_certificates();
    let (port, mut heads) = serve_mutual(&mutual).await;
    let base = || {
        Config::new(format!("https://localhost:{port}"))
            .ca_certificate_pem(mutual.ca.pem().as_bytes())
            .expect("CA reads")
    };
    let (chain, key) = &mutual.client_pem;
    let with_certificate = base()
        .client_identity_pem(chain.as_bytes(), key.as_bytes())
        .expect("identity reads");
    let client = fixture_security_client::Client::new(with_certificate).expect("client");
    let answered = client.certified().await.expect("the handshake carries the certificate");
    assert_eq!(answered.body.ok, Some(true));
    let head = heads
        .recv()
        .await
        .expect("the server saw the request")
        .to_ascii_lowercase();
    assert!(head.starts_with("get /certified http/1.1\r\n"), "{head}");
    assert!(!head.contains("authorization:"), "{head}");

    let without = fixture_security_client::Client::new(base()).expect("client");
    let error = without.certified().await.expect_err("no certificate configured");
    assert!(matches!(error, Error::NoCredentials { .. }), "{error:?}");

    let error = Config::new("https://localhost")
        .client_identity_pem(chain.as_bytes(), b"not a key")
        .expect_err("no key");
    assert!(matches!(error, ConfigError::Certificate(_)), "{error:?}");
}

#[test]
fn a_ca_text_without_a_certificate_is_a_configuration_error() {
    let error = Config::new("https://localhost")
        .ca_certificate_pem(b"-----BEGIN NOTHING-----")
        .expect_err("no certificate");
    assert!(matches!(error, ConfigError::Certificate(_)), "{error:?}");
}
