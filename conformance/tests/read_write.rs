//! `readOnly` and `writeOnly` over real HTTP: what the generated client puts on the wire, and what
//! the generated server answers, as seen by a plain HTTP peer on the other end, not by our own
//! decoding.

use std::sync::{Arc, Mutex};

use apigen_runtime::client::{Config, RetryPolicy};
use apigen_runtime::server::{Parts, Rejection};
use fixture_read_write_client::{Client, models};
use fixture_read_write_server as server;
use serde_json::{Value, json};

/// A server that records each body it is sent and answers `answer`.
async fn recording(answer: Value) -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let router = axum::Router::new().route(
        "/droplets",
        axum::routing::post(move |body: axum::body::Bytes| {
            let record = Arc::clone(&record);
            let answer = answer.clone();
            async move {
                record
                    .lock()
                    .expect("not poisoned")
                    .push(serde_json::from_slice::<Value>(&body).expect("JSON"));
                (
                    axum::http::StatusCode::CREATED,
                    [("content-type", "application/json")],
                    answer.to_string(),
                )
            }
        }),
    );
    let endpoint = apigen_runtime::for_generated_code::testing::serve_on_loopback(router).await;
    (endpoint, seen)
}

fn droplet() -> models::Droplet {
    let mut droplet = models::Droplet::new("web-1").with_password("s3cret").with_size("small");
    // Values a caller got from the service and sends back: the service's own are not sent.
    droplet.id = Some(7);
    droplet.created_at = Some("2026-12-03T10:00:00Z".to_owned());
    droplet.status = Some(models::Status::new().with_code("new"));
    droplet
}

#[tokio::test]
async fn the_client_never_sends_read_only_properties_and_reads_a_response_without_write_only_ones() {
    let answer = json!({"id": 7, "name": "web-1", "created_at": "2026-12-03T10:00:00Z", "status": {"code": "new"}});
    let (endpoint, seen) = recording(answer).await;
    let client = Client::new(Config::new(endpoint).retry(RetryPolicy::never())).expect("client");
    let created = client
        .create_droplet(&droplet())
        .await
        .expect("a response without the password decodes");
    assert_eq!(created.body.id, Some(7));
    assert_eq!(created.body.password, None);
    assert_eq!(
        seen.lock().expect("not poisoned").as_slice(),
        [json!({"name": "web-1", "password": "s3cret", "size": "small"})]
    );
    // Outside a request, a value is written whole.
    let whole = serde_json::to_value(droplet()).expect("serializes");
    assert_eq!(whole["id"], 7);
}

#[tokio::test]
async fn a_request_without_a_required_write_only_property_is_refused_before_sending() {
    let (endpoint, seen) = recording(json!({})).await;
    let client = Client::new(Config::new(endpoint).retry(RetryPolicy::never())).expect("client");
    let error = client
        .create_droplet(&models::Droplet::new("web-1"))
        .await
        .expect_err("no password");
    assert!(error.to_string().contains("/password"), "{error}");
    assert!(seen.lock().expect("not poisoned").is_empty());
}

struct Service;

impl server::Api for Service {
    async fn create_droplet(
        &self,
        input: server::CreateDropletInput,
        _: Parts,
    ) -> Result<server::CreateDropletResponse, Rejection> {
        // The implementation answers with what it stored, the password included: the router
        // leaves it out of the answer.
        let mut stored = input.body;
        stored.id = Some(7);
        stored.status = Some(server::models::Status::new().with_code("new"));
        Ok(server::CreateDropletResponse::Status201(stored))
    }
}

#[tokio::test]
async fn the_server_takes_a_request_without_read_only_properties_and_never_answers_write_only_ones() {
    let endpoint =
        apigen_runtime::for_generated_code::testing::serve_on_loopback(server::router(Arc::new(Service))).await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::new()
        .post(format!("{endpoint}/droplets"))
        .header("content-type", "application/json")
        .body(r#"{"name": "web-1", "password": "s3cret"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 201);
    let body: Value = serde_json::from_slice(&answer.bytes().await.expect("a body")).expect("JSON");
    assert_eq!(body, json!({"id": 7, "name": "web-1", "status": {"code": "new"}}));
    let refused = reqwest::Client::new()
        .post(format!("{endpoint}/droplets"))
        .header("content-type", "application/json")
        .body(r#"{"name": "web-1"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(
        refused.status(),
        400,
        "a request without the write-only password breaks the document"
    );
}
