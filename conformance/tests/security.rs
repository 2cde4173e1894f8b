//! Authentication as the `security` fixture declares it, over real HTTP on loopback.
//!
//! The client side is judged by what arrives on the wire (a raw TCP server records each request's
//! head as it came), not by what our own server accepts: each requirement shape sends exactly the
//! credentials it names, in the header, query or cookie its scheme says, and nothing else; a call
//! whose requirement no configured credential meets sends nothing. The server side is the
//! generated router answered with raw requests: 401 with `WWW-Authenticate` when nothing is
//! presented, and the presented credentials handed to the implementation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use apigen_runtime::client::middleware::BoxFuture;
use apigen_runtime::client::{AccessToken, Config, Credential, Error, RetryPolicy, TokenSource};
use apigen_runtime::server::{Authentication, CredentialValue, Parts, Rejection};
use fixture_security_client::Client;
use fixture_security_server as server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A server that answers each request with the next status of `statuses` (then 200) and a `{}`
/// body, and sends each request's head (request line and lowercased header lines) on the channel.
async fn recording_server(statuses: Vec<u16>) -> (String, mpsc::UnboundedReceiver<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let (heads, received) = mpsc::unbounded_channel();
    let statuses = Arc::new(std::sync::Mutex::new(statuses.into_iter()));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let heads = heads.clone();
            let statuses = Arc::clone(&statuses);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut chunk = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&chunk[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let lines: Vec<String> = text
                    .split("\r\n")
                    .filter(|l| !l.is_empty())
                    .enumerate()
                    .map(|(i, l)| if i == 0 { l.to_owned() } else { l.to_ascii_lowercase() })
                    .collect();
                let status = statuses.lock().expect("not poisoned").next().unwrap_or(200);
                let _ = heads.send(lines);
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (endpoint, received)
}

fn client(endpoint: &str, config: impl FnOnce(Config) -> Config) -> Client {
    Client::new(config(Config::new(endpoint).retry(RetryPolicy::never()))).expect("client")
}

/// The credential-bearing lines of a request: `Authorization`, `X-API-Key`, `Cookie`, and the
/// request line (for the query).
fn credentials_sent(head: &[String]) -> Vec<String> {
    let mut out = vec![head[0].clone()];
    out.extend(
        head[1..]
            .iter()
            .filter(|l| l.starts_with("authorization:") || l.starts_with("x-api-key:") || l.starts_with("cookie:"))
            .cloned(),
    );
    out
}

#[tokio::test]
async fn each_requirement_sends_exactly_the_credentials_it_names() {
    let (endpoint, mut heads) = recording_server(Vec::new()).await;
    // Every kind configured at once: each call must pick only what its requirement names.
    let everything = |config: Config| {
        config
            .bearer_auth("jwt-1")
            .basic_auth("ann", "pa:ss")
            .auth_for("header_key", Credential::api_key("hk"))
            .auth_for("query_key", Credential::api_key("q k&"))
            .auth_for("session", Credential::api_key("s1"))
    };
    let client = client(&endpoint, everything);

    client.root_default().await.expect("the document's requirement");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /default HTTP/1.1", "authorization: bearer jwt-1"]
    );

    client.health().await.expect("no requirement");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /health HTTP/1.1"]
    );

    let body = fixture_security_client::models::LoginRequest::new();
    client.login(&body).await.expect("its own requirement");
    // base64("ann:pa:ss")
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["POST /login HTTP/1.1", "authorization: basic yw5uonbhonnz"]
    );

    client.both_keys().await.expect("AND");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /both?api_key=q%20k%26 HTTP/1.1", "x-api-key: hk"]
    );

    client.either_key().page(2).await.expect("OR, the first alternative");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /either?page=2 HTTP/1.1", "x-api-key: hk"]
    );

    client.list_pets().await.expect("oauth2 takes the bearer token");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /pets HTTP/1.1", "authorization: bearer jwt-1"]
    );
}

#[tokio::test]
async fn the_second_alternative_is_used_when_only_it_is_configured() {
    let (endpoint, mut heads) = recording_server(Vec::new()).await;
    let client = client(&endpoint, |c| c.auth_for("session", Credential::api_key("s1")));
    client.either_key().await.expect("OR, the second alternative");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /either HTTP/1.1", "cookie: sessionid=s1"]
    );
}

#[tokio::test]
async fn an_optional_requirement_sends_a_token_when_there_is_one_and_nothing_otherwise() {
    let (endpoint, mut heads) = recording_server(Vec::new()).await;
    client(&endpoint, |c| c).optional_token().await.expect("anonymous");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /optional HTTP/1.1"]
    );
    client(&endpoint, |c| c.bearer_auth("t"))
        .optional_token()
        .await
        .expect("with a token");
    assert_eq!(
        credentials_sent(&heads.recv().await.expect("sent")),
        ["GET /optional HTTP/1.1", "authorization: bearer t"]
    );
}

#[tokio::test]
async fn a_call_whose_requirement_is_not_met_is_refused_before_sending_and_names_the_schemes() {
    let (endpoint, mut heads) = recording_server(Vec::new()).await;
    // An API key for the header, but not the query key the AND also needs.
    let client = client(&endpoint, |c| c.auth_for("header_key", Credential::api_key("hk")));
    let error = client.both_keys().await.expect_err("half of an AND");
    assert!(matches!(error, Error::NoCredentials { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "both_keys needs credentials for header_key and query_key, and none of them is configured; nothing was sent"
    );
    let error = client.root_default().await.expect_err("no bearer token");
    assert!(error.to_string().contains("needs credentials for bearer,"), "{error}");
    // Digest is declared but only a middleware can present it; the certificate is not configured.
    let error = client.certified().await.expect_err("neither alternative");
    assert!(error.to_string().contains("for mtls, or digest"), "{error}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(heads.try_recv().is_err(), "nothing was sent");
}

/// Tokens `token-1`, `token-2`, ... that expire in an hour, counting the fetches.
struct Counting(Arc<AtomicUsize>);

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, apigen_runtime::client::middleware::BoxError>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(
                format!("token-{n}"),
                Some(SystemTime::now() + Duration::from_secs(3600)),
            ))
        })
    }
}

#[tokio::test]
async fn a_token_source_is_asked_once_and_again_once_after_a_401() {
    let (endpoint, mut heads) = recording_server(vec![200, 401, 200]).await;
    let fetched = Arc::new(AtomicUsize::new(0));
    let client = client(&endpoint, |c| c.token_source(Counting(Arc::clone(&fetched))));
    client.who_am_i().await.expect("first");
    client
        .who_am_i()
        .await
        .expect("the refused token is renewed and the call sent again");
    let sent: Vec<Vec<String>> = vec![
        heads.recv().await.expect("first"),
        heads.recv().await.expect("refused"),
        heads.recv().await.expect("again"),
    ];
    let tokens: Vec<String> = sent.iter().map(|h| credentials_sent(h)[1].clone()).collect();
    assert_eq!(
        tokens,
        [
            "authorization: bearer token-1",
            "authorization: bearer token-1",
            "authorization: bearer token-2"
        ]
    );
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_the_answer_not_a_loop() {
    let (endpoint, mut heads) = recording_server(vec![401, 401, 401]).await;
    let fetched = Arc::new(AtomicUsize::new(0));
    let client = client(&endpoint, |c| c.token_source(Counting(Arc::clone(&fetched))));
    let error = client.who_am_i().await.expect_err("refused twice");
    assert_eq!(error.status(), Some(401));
    heads.recv().await.expect("first");
    heads.recv().await.expect("once more");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(heads.try_recv().is_err(), "sent twice, not more");
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
}

#[test]
fn no_secret_appears_in_a_configuration_or_an_error() {
    let config = Config::new("http://127.0.0.1:1")
        .bearer_auth("s3cret-bearer")
        .basic_auth("ann", "s3cret-password")
        .auth_for("query_key", Credential::api_key("s3cret-key"));
    let printed = format!("{config:?} {:?}", Client::new(config.clone()).expect("client"));
    assert!(!printed.contains("s3cret"), "{printed}");
}

/// An implementation of the fixture's server that records what each call was handed.
#[derive(Default)]
struct Recorder {
    seen: std::sync::Mutex<Vec<Authentication>>,
}

impl Recorder {
    fn saw(&self, auth: &Authentication) {
        self.seen.lock().expect("not poisoned").push(auth.clone());
    }

    fn last(&self) -> Authentication {
        self.seen.lock().expect("not poisoned").last().cloned().expect("a call")
    }
}

fn ok() -> server::models::Done {
    server::models::Done::new().with_ok(true)
}

impl server::Api for Recorder {
    async fn root_default(
        &self,
        input: server::RootDefaultInput,
        _: Parts,
    ) -> Result<server::RootDefaultResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::RootDefaultResponse::Status200(ok()))
    }
    async fn health(&self, _: server::HealthInput, _: Parts) -> Result<server::HealthResponse, Rejection> {
        Ok(server::HealthResponse::Status200(ok()))
    }
    async fn login(&self, input: server::LoginInput, _: Parts) -> Result<server::LoginResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::LoginResponse::Status200(ok()))
    }
    async fn both_keys(&self, input: server::BothKeysInput, _: Parts) -> Result<server::BothKeysResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::BothKeysResponse::Status200(ok()))
    }
    async fn either_key(
        &self,
        input: server::EitherKeyInput,
        _: Parts,
    ) -> Result<server::EitherKeyResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::EitherKeyResponse::Status200(ok()))
    }
    async fn optional_token(
        &self,
        input: server::OptionalTokenInput,
        _: Parts,
    ) -> Result<server::OptionalTokenResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::OptionalTokenResponse::Status200(ok()))
    }
    async fn list_pets(&self, input: server::ListPetsInput, _: Parts) -> Result<server::ListPetsResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::ListPetsResponse::Status200(ok()))
    }
    async fn who_am_i(&self, input: server::WhoAmIInput, _: Parts) -> Result<server::WhoAmIResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::WhoAmIResponse::Status200(ok()))
    }
    async fn certified(&self, input: server::CertifiedInput, _: Parts) -> Result<server::CertifiedResponse, Rejection> {
        self.saw(&input.auth);
        Ok(server::CertifiedResponse::Status200(ok()))
    }
}

async fn served() -> (String, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let endpoint =
        apigen_runtime::for_generated_code::testing::serve_on_loopback(server::router(Arc::clone(&recorder))).await;
    (endpoint, recorder)
}

/// A plain HTTP client, not ours: what any caller of the server might send.
fn raw_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn get(url: String, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = raw_client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("answered")
}

#[tokio::test]
async fn the_server_answers_401_with_a_challenge_when_nothing_is_presented() {
    let (endpoint, recorder) = served().await;
    let answer = get(format!("{endpoint}/default"), &[]).await;
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.headers()["www-authenticate"], "Bearer");
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = serde_json::from_slice(&answer.bytes().await.expect("a body")).expect("problem+json");
    assert_eq!(body["status"], 401);
    // A bearer token where the operation takes basic is not basic.
    let answer = raw_client()
        .post(format!("{endpoint}/login"))
        .header("authorization", "Bearer x")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 401);
    assert_eq!(
        answer.headers()["www-authenticate"],
        "Basic realm=\"api\", charset=\"UTF-8\""
    );
    // Half of an AND is not enough; API keys have no challenge.
    let answer = get(format!("{endpoint}/both"), &[("x-api-key", "hk")]).await;
    assert_eq!(answer.status(), 401);
    assert!(answer.headers().get("www-authenticate").is_none());
    assert!(
        recorder.seen.lock().expect("not poisoned").is_empty(),
        "no call reached the implementation"
    );
}

#[tokio::test]
async fn the_server_hands_over_what_was_presented() {
    let (endpoint, recorder) = served().await;
    let answer = get(format!("{endpoint}/default"), &[("authorization", "Bearer jwt-1")]).await;
    assert_eq!(answer.status(), 200);
    assert!(matches!(recorder.last().get("bearer"), Some(CredentialValue::Bearer(t)) if t.expose() == "jwt-1"));

    let answer = get(format!("{endpoint}/both?api_key=q%20k"), &[("x-api-key", "hk")]).await;
    assert_eq!(answer.status(), 200);
    let auth = recorder.last();
    assert!(matches!(auth.get("header_key"), Some(CredentialValue::ApiKey(k)) if k.expose() == "hk"));
    assert!(matches!(auth.get("query_key"), Some(CredentialValue::ApiKey(k)) if k.expose() == "q k"));

    let answer = get(format!("{endpoint}/either"), &[("cookie", "other=1; SESSIONID=s1")]).await;
    assert_eq!(answer.status(), 200);
    let auth = recorder.last();
    assert_eq!(auth.credentials().len(), 1);
    assert!(matches!(auth.get("session"), Some(CredentialValue::ApiKey(k)) if k.expose() == "s1"));

    let answer = get(format!("{endpoint}/optional"), &[]).await;
    assert_eq!(answer.status(), 200);
    assert!(recorder.last().is_anonymous());

    let answer = get(format!("{endpoint}/health"), &[]).await;
    assert_eq!(answer.status(), 200, "security: [] is reachable without credentials");
}

#[tokio::test]
async fn the_generated_client_and_server_agree_on_basic_credentials() {
    let (endpoint, recorder) = served().await;
    let client = client(&endpoint, |c| c.basic_auth("ann", "pa:ss"));
    let body = fixture_security_client::models::LoginRequest::new();
    client.login(&body).await.expect("accepted");
    match recorder.last().get("basic") {
        Some(CredentialValue::Basic { username, password }) => {
            assert_eq!((username.as_str(), password.expose()), ("ann", "pa:ss"));
        }
        other => panic!("{other:?}"),
    }
}

/// A token endpoint on loopback: client `my-client` with secret `my-secret` gets `issued-N`.
async fn token_endpoint() -> (String, Arc<Mutex<Vec<String>>>) {
    let forms = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&forms);
    let router = axum::Router::new().route(
        "/token",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let seen = Arc::clone(&seen);
            async move {
                // base64("my-client:my-secret")
                let authorized = headers.get("authorization").and_then(|v| v.to_str().ok())
                    == Some("Basic bXktY2xpZW50Om15LXNlY3JldA==");
                let mut forms = seen.lock().expect("not poisoned");
                forms.push(body);
                if authorized {
                    let token = format!(
                        r#"{{"access_token":"issued-{}","token_type":"Bearer","expires_in":3600}}"#,
                        forms.len()
                    );
                    (axum::http::StatusCode::OK, token)
                } else {
                    let refusal = r#"{"error":"invalid_client","error_description":"unknown client or wrong secret"}"#;
                    (axum::http::StatusCode::UNAUTHORIZED, refusal.to_owned())
                }
            }
        }),
    );
    let endpoint = apigen_runtime::for_generated_code::testing::serve_on_loopback(router).await;
    (format!("{endpoint}/token"), forms)
}

#[tokio::test]
async fn an_oauth2_client_credentials_source_gets_the_token_the_call_sends() {
    use apigen_runtime::client::oauth2::ClientCredentials;
    let (token_url, forms) = token_endpoint().await;
    let (endpoint, mut heads) = recording_server(Vec::new()).await;
    let source = ClientCredentials::new(&token_url, "my-client", "my-secret")
        .expect("a token URL")
        .scope("read:pets");
    let client = client(&endpoint, |c| c.token_source(source));
    client.list_pets().await.expect("sent with the token");
    client.list_pets().await.expect("the cached token again");
    let first = heads.recv().await.expect("sent");
    let second = heads.recv().await.expect("sent");
    assert_eq!(credentials_sent(&first)[1], "authorization: bearer issued-1");
    assert_eq!(credentials_sent(&second)[1], "authorization: bearer issued-1");
    assert_eq!(
        forms.lock().expect("not poisoned").as_slice(),
        ["grant_type=client_credentials&scope=read%3Apets"]
    );

    let wrong = ClientCredentials::new(&token_url, "my-client", "not-the-secret").expect("a token URL");
    let error = client_of_source(&endpoint, wrong)
        .list_pets()
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::Token { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("401: invalid_client: unknown client or wrong secret"),
        "{text}"
    );
    assert!(!text.contains("not-the-secret"), "{text}");
}

fn client_of_source(endpoint: &str, source: impl TokenSource) -> Client {
    client(endpoint, |c| c.token_source(source))
}
