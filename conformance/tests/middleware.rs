//! The one extension point of every generated client, over real HTTP: middleware that adds a
//! header (signed like the rest), one that refreshes a token on a 401 and sends again, one that
//! answers without sending, the order of the chain, and a `reqwest::Client` the caller brings.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use apigen_runtime::client::http::{HeaderValue, StatusCode};
use apigen_runtime::client::middleware::{
    BoxFuture, Call, HttpRequest, HttpResponse, Middleware, Next, SendError, clone_request,
};
use apigen_runtime::client::{Config, Credentials, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/independent.rs"]
mod independent;

const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";
const AK: &str = "AKIDEXAMPLE0000000001";
const SK: &str = "SKEXAMPLE/secret+Key0123456789abcdefghijklmn";

/// An application's own reqwest builder. The application picks the process-wide TLS provider
/// (the runtime never does); ring, like the runtime's own clients.
fn application_http() -> reqwest::ClientBuilder {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

fn dws_body() -> dws_client::models::CreateSnapshotRequestBody {
    serde_json::from_value(json!({"snapshot": {"cluster_id": "c", "name": "snapshot-1"}})).expect("fits")
}

fn block_storage_body() -> block_storage_client::models::CreateSnapshotRequestBody {
    serde_json::from_value(json!({"snapshot": {"volume_id": "v", "name": "s1"}})).expect("fits")
}

fn accepted() -> serde_json::Value {
    json!({"snapshot": {"id": "s", "volume_id": "v", "status": "creating", "size": 1,
        "created_at": "2019-03-11T16:24:34.469003", "name": "s1", "description": null,
        "metadata": {}, "updated_at": null}})
}

/// Adds a header, and counts what it sees on the way back: status and attempt.
struct Tag {
    seen: Arc<Mutex<Vec<(u32, u16)>>>,
}

impl Middleware for Tag {
    fn handle<'a>(
        &'a self,
        mut request: HttpRequest,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let attempt = request.extensions().get::<Call>().map_or(0, Call::attempt);
            request
                .headers_mut()
                .insert("x-team", HeaderValue::from_static("storage"));
            let response = next.run(request).await?;
            if let Ok(mut seen) = self.seen.lock() {
                seen.push((attempt, response.status().as_u16()));
            }
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_middleware_header_is_sent_and_signed_and_the_response_passes_back_through_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-team", "storage"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"snapshot": {"id": "x"}})))
        .expect(1)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let config = Config::new(server.uri())
        .credentials(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .middleware(Tag { seen: seen.clone() });
    let client = dws_client::Client::new(config).expect("client");

    client.create_snapshot(&dws_body()).await.expect("sent with the header");

    let received = server.received_requests().await.expect("recording").remove(0);
    let authorization = received
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        authorization.contains("SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date;x-team,"),
        "{authorization}"
    );
    independent::verify(&received, AK, SK).expect("the added header is covered by the signature");
    assert_eq!(*seen.lock().expect("lock"), [(1, 200)]);
}

#[tokio::test]
async fn middleware_runs_once_per_attempt_inside_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"snapshot": {"id": "s", "name": "n"}})))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let retries = RetryPolicy::default()
        .with_base_delay(std::time::Duration::from_millis(5))
        .with_max_delay(std::time::Duration::from_millis(10));
    let config = Config::new(server.uri())
        .credentials(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .retry(retries)
        .middleware(Tag { seen: seen.clone() });
    let client = evs_client::Client::new(config).expect("client");
    let body: evs_client::models::UpdateSnapshotRequestBody =
        serde_json::from_value(json!({"snapshot": {"name": "n"}})).expect("fits");

    client
        .update_snapshot("s", &body)
        .await
        .expect("succeeds on the second attempt");

    assert_eq!(*seen.lock().expect("lock"), [(1, 503), (2, 200)]);
    // Each attempt is signed afresh, after the middleware.
    for received in server.received_requests().await.expect("recording") {
        independent::verify(&received, AK, SK).expect("every attempt verifies");
    }
}

/// Keystone-style token refresh: on a 401, fetch a new token (`POST /v3/auth/tokens`, the token in
/// `X-Subject-Token`), keep it, and send the request once more with it.
struct RefreshToken {
    identity: String,
    token: Mutex<Option<String>>,
    refreshes: AtomicU32,
    http: reqwest::Client,
}

impl RefreshToken {
    fn current(&self) -> Option<String> {
        self.token.lock().ok().and_then(|t| t.clone())
    }

    async fn refresh(&self) -> Result<String, SendError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let response = self
            .http
            .post(format!("{}/v3/auth/tokens", self.identity))
            .send()
            .await
            .map_err(SendError::middleware)?;
        let token = response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| SendError::middleware("Keystone sent no X-Subject-Token"))?
            .to_owned();
        if let Ok(mut slot) = self.token.lock() {
            *slot = Some(token.clone());
        }
        Ok(token)
    }
}

fn with_token(mut request: HttpRequest, token: &str) -> Result<HttpRequest, SendError> {
    let mut value = HeaderValue::from_str(token).map_err(SendError::middleware)?;
    value.set_sensitive(true);
    request.headers_mut().insert("x-auth-token", value);
    Ok(request)
}

impl Middleware for RefreshToken {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let again = clone_request(&request);
            let first = match self.current() {
                Some(token) => with_token(request, &token)?,
                None => request,
            };
            let response = next.run(first).await?;
            if response.status() != StatusCode::UNAUTHORIZED {
                return Ok(response);
            }
            let token = self.refresh().await?;
            next.run(with_token(again, &token)?).await
        })
    }
}

#[tokio::test]
async fn a_middleware_refreshes_an_expired_token_and_sends_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/auth/tokens"))
        .respond_with(ResponseTemplate::new(201).insert_header("X-Subject-Token", "fresh-token"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/p/snapshots"))
        .and(header("x-auth-token", "fresh-token"))
        .respond_with(ResponseTemplate::new(202).set_body_json(accepted()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/p/snapshots"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {"code": 401, "message": "expired"}})))
        .expect(1)
        .mount(&server)
        .await;
    let refresh = Arc::new(RefreshToken {
        identity: server.uri(),
        token: Mutex::new(None),
        refreshes: AtomicU32::new(0),
        http: application_http().build().expect("client"),
    });
    // The configured token is the expired one; the middleware's header wins once it has a fresh one.
    let config = Config::new(server.uri())
        .credentials(Credentials::token("expired-token"))
        .project_id("p")
        .middleware(refresh.clone());
    let client = block_storage_client::Client::new(config).expect("client");

    client
        .create_snapshot(&block_storage_body())
        .await
        .expect("sent again after the refresh");
    client
        .create_snapshot(&block_storage_body())
        .await
        .expect("the fresh token straight away");

    assert_eq!(refresh.refreshes.load(Ordering::SeqCst), 1);
    let tokens: Vec<String> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .filter(|r| r.url.path() == "/v3/p/snapshots")
        .map(|r| {
            r.headers
                .get("x-auth-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens, ["expired-token", "fresh-token", "fresh-token"]);
}

/// Answers every request itself: nothing reaches the network.
struct Canned;

impl Middleware for Canned {
    fn handle<'a>(&'a self, request: HttpRequest, _next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let operation = request
                .extensions()
                .get::<Call>()
                .map(Call::operation)
                .unwrap_or_default();
            let project = request
                .extensions()
                .get::<Call>()
                .and_then(|c| c.path_parameter("project_id"))
                .unwrap_or_default()
                .to_owned();
            let body = json!({"snapshot": {"id": format!("{operation}@{project}")}});
            http_response(200, body)
        })
    }
}

fn http_response(status: u16, body: serde_json::Value) -> Result<HttpResponse, SendError> {
    apigen_runtime::client::http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).map_err(SendError::middleware)?.into())
        .map_err(SendError::middleware)
}

#[tokio::test]
async fn a_middleware_can_answer_without_sending_and_knows_the_call() {
    // Nothing listens on port 9: a request that left would fail.
    let config = Config::new("http://127.0.0.1:9")
        .credentials(Credentials::token("t"))
        .project_id("p-1")
        .middleware(Canned);
    let client = dws_client::Client::new(config).expect("client");

    let response = client
        .create_snapshot(&dws_body())
        .await
        .expect("answered by the middleware");

    let id = response.body.snapshot.and_then(|s| s.id);
    assert_eq!(id.as_deref(), Some("create_snapshot@p-1"));
}

/// Fails every request: the call reports it with the operation's name.
struct Refuse;

impl Middleware for Refuse {
    fn handle<'a>(&'a self, _request: HttpRequest, _next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async { Err(SendError::middleware("quota exhausted locally")) })
    }
}

#[tokio::test]
async fn a_middleware_failure_is_the_calls_error() {
    let client = dws_client::Client::new(
        Config::new("http://127.0.0.1:9")
            .credentials(Credentials::token("t"))
            .project_id("p")
            .middleware(Refuse),
    )
    .expect("client");

    let error = client.create_snapshot(&dws_body()).await.expect_err("refused");

    assert!(
        matches!(
            &error,
            Error::Middleware {
                operation: "create_snapshot",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "create_snapshot: middleware failed: quota exhausted locally"
    );
}

#[tokio::test]
async fn a_reqwest_client_the_caller_brings_is_the_one_that_sends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-application", "billing"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"snapshot": {"id": "x"}})))
        .expect(1)
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-application", HeaderValue::from_static("billing"));
    // The application's own client, with its own settings (here a default header; a proxy or a
    // resolver would go the same way).
    let http = application_http().default_headers(defaults).build().expect("client");
    let config = Config::new(server.uri())
        .credentials(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .http_client(http);
    let client = dws_client::Client::new(config).expect("client");

    client
        .create_snapshot(&dws_body())
        .await
        .expect("sent by the caller's client");
}
