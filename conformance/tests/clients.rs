//! The generated clients against a real HTTP server on 127.0.0.1 (wiremock): every documented
//! example request arrives as documented and every documented response decodes to the documented
//! value; AK/SK signatures verify with an independent implementation; retries, timeouts, refused
//! connections, validation and path encoding behave as a vendor SDK's would.
//!
//! The examples come from the specs (which `documents.rs` ties to the source documents), not
//! from the code under test.

use std::path::Path;
use std::time::{Duration, Instant};

use apigen_runtime::client::{Config, Credentials, Error, ErrorBody, InvalidInput, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";
const AK: &str = "AKIDEXAMPLE0000000001";
const SK: &str = "SKEXAMPLE/secret+Key0123456789abcdefghijklmn";
const TOKEN: &str = "gAAAAA-keystone-token-for-tests";

fn spec(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec").join(file);
    let text = std::fs::read_to_string(&path).expect("spec readable");
    serde_yaml::from_str(&text).expect("spec parses")
}

/// The value of the documented example `name` at `place` (`requestBody` or `responses/200`) of
/// `method path` in `spec`.
fn example(spec: &Value, api_path: &str, method: &str, place: &str, name: &str) -> Value {
    let pointer = format!(
        "/paths/{}/{method}/{place}/content/application~1json/examples/{name}/value",
        api_path.replace('~', "~0").replace('/', "~1")
    );
    spec.pointer(&pointer)
        .unwrap_or_else(|| panic!("no example at {pointer}"))
        .clone()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(50))
        .with_max_retry_after(Duration::from_secs(2))
}

fn aksk_config(server: &MockServer) -> Config {
    Config::new(server.uri())
        .credentials(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .retry(fast_retries())
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn body_json(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

fn as_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializable")
}

#[path = "support/independent.rs"]
mod independent;

mod dws {
    use super::*;
    use dws_client::{Client, models};

    const CREATE: &str = "/v1.0/{project_id}/snapshots";
    const COPY: &str = "/v1.0/{project_id}/snapshots/{snapshot_id}/linked-copy";

    #[tokio::test]
    async fn create_snapshot_sends_the_documented_request_and_decodes_the_documented_response() {
        let spec = spec("dws.yaml");
        let request_example = example(&spec, CREATE, "post", "requestBody", "sample_request");
        let response_example = example(&spec, CREATE, "post", "responses/200", "sample_response");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/{PROJECT}/snapshots")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(&response_example)
                    .insert_header("X-Request-Id", "req-dws-1"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::CreateSnapshotRequestBody =
            serde_json::from_value(request_example.clone()).expect("example fits");

        let response = client.create_snapshot(&body).await.expect("documented success");

        assert_eq!(response.status, 200);
        assert_eq!(response.request_id.as_deref(), Some("req-dws-1"));
        assert_eq!(as_json(&response.body), response_example);
        let received = only_request(&server).await;
        assert_eq!(received.method.as_str(), "POST");
        assert_eq!(header(&received, "content-type"), Some("application/json"));
        assert_eq!(header(&received, "x-project-id"), Some(PROJECT));
        assert!(
            header(&received, "authorization")
                .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256 Access=AKIDEXAMPLE0000000001, "))
        );
        assert!(header(&received, "x-auth-token").is_none());
        assert_eq!(body_json(&received), request_example);
        independent::verify(&received, AK, SK).expect("the server verifies the signature");
        // The verifier is not a rubber stamp: a changed body, or the wrong key, fails.
        let mut tampered = received.clone();
        tampered.body.push(b' ');
        assert!(independent::verify(&tampered, AK, SK).is_err());
        assert!(independent::verify(&received, AK, "another-secret").is_err());
    }

    #[tokio::test]
    async fn copy_snapshot_fills_the_path_and_verifies() {
        let spec = spec("dws.yaml");
        let request_example = example(&spec, COPY, "post", "requestBody", "copy_automated_snapshot");
        let response_example = example(&spec, COPY, "post", "responses/200", "operation_succeeded");
        let snapshot = "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba90";
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/{PROJECT}/snapshots/{snapshot}/linked-copy")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&response_example))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::CopySnapshotRequestBody =
            serde_json::from_value(request_example.clone()).expect("example fits");

        let response = client.copy_snapshot(snapshot, &body).await.expect("documented success");

        assert_eq!(as_json(&response.body), response_example);
        let received = only_request(&server).await;
        assert_eq!(body_json(&received), request_example);
        independent::verify(&received, AK, SK).expect("the server verifies the signature");
    }

    #[tokio::test]
    async fn a_per_call_project_overrides_the_default() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1.0/other-project/snapshots"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot": {"id": "x"}})))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CreateSnapshotRequestBody::new(
            models::Snapshot::builder()
                .cluster_id("cluster")
                .name("snapshot-1")
                .build(),
        );
        client
            .create_snapshot(&body)
            .project_id("other-project")
            .await
            .expect("sent to the other project");
    }

    #[tokio::test]
    async fn an_invalid_body_is_refused_and_nothing_is_sent() {
        let server = MockServer::start().await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CreateSnapshotRequestBody::new(
            models::Snapshot::builder().cluster_id("cluster").name("1ab").build(),
        );

        let error = client
            .create_snapshot(&body)
            .await
            .expect_err("a name of 3 characters starting with a digit");

        let Error::InvalidInput(InvalidInput::Validation(validation)) = &error else {
            panic!("{error:?}")
        };
        let paths: Vec<&str> = validation.violations.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["/snapshot/name", "/snapshot/name"], "{validation}");
        assert!(server.received_requests().await.expect("recording").is_empty());
    }

    #[tokio::test]
    async fn a_path_traversal_stays_one_encoded_segment() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/{PROJECT}/snapshots/a%2F..%2Fb/linked-copy")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot_id": "x"})))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CopySnapshotRequestBody::new("backup20");

        client.copy_snapshot("a/../b", &body).await.expect("sent, encoded");

        let received = only_request(&server).await;
        assert_eq!(
            received.url.path(),
            format!("/v1.0/{PROJECT}/snapshots/a%2F..%2Fb/linked-copy")
        );
        independent::verify(&received, AK, SK).expect("the encoded path is what was signed");
    }

    #[tokio::test]
    async fn dot_segments_and_empty_ids_are_refused_before_sending() {
        let server = MockServer::start().await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CopySnapshotRequestBody::new("backup20");
        for id in [".", "..", ""] {
            let error = client.copy_snapshot(id, &body).await.expect_err("refused");
            assert!(
                matches!(
                    error,
                    Error::InvalidInput(InvalidInput::PathParameter {
                        name: "snapshot_id",
                        ..
                    })
                ),
                "{id:?}: {error:?}"
            );
        }
        assert!(server.received_requests().await.expect("recording").is_empty());
    }

    #[tokio::test]
    async fn a_post_that_gets_503_is_not_retried() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(503)
                    .set_body_string("busy")
                    .insert_header("X-Request-Id", "req-503"),
            )
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CreateSnapshotRequestBody::new(
            models::Snapshot::builder()
                .cluster_id("cluster")
                .name("snapshot-1")
                .build(),
        );

        let error = client.create_snapshot(&body).await.expect_err("503");

        assert_eq!(
            server.received_requests().await.expect("recording").len(),
            1,
            "a POST is never re-sent"
        );
        assert_eq!(error.status(), Some(503));
        assert_eq!(error.request_id(), Some("req-503"));
        assert!(
            matches!(&error, Error::Api { body: ErrorBody::Text(text), .. } if text == "busy"),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_post_is_retried_only_when_the_caller_opts_in() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot": {"id": "x"}})))
            .mount(&server)
            .await;
        let policy = fast_retries().with_retry_non_idempotent(true);
        let client = Client::new(aksk_config(&server).retry(policy)).expect("client");
        let body = models::CreateSnapshotRequestBody::new(
            models::Snapshot::builder()
                .cluster_id("cluster")
                .name("snapshot-1")
                .build(),
        );
        client
            .create_snapshot(&body)
            .await
            .expect("succeeds on the second attempt");
        assert_eq!(server.received_requests().await.expect("recording").len(), 2);
    }

    #[tokio::test]
    async fn an_undocumented_status_and_an_undecodable_body_are_told_apart() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/{PROJECT}/snapshots")))
            .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/{PROJECT}/snapshots/s/linked-copy")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(r#"{"snapshot_id": 42}"#)
                    .insert_header("X-Request-Id", "req-bad"),
            )
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let create = models::CreateSnapshotRequestBody::new(
            models::Snapshot::builder()
                .cluster_id("cluster")
                .name("snapshot-1")
                .build(),
        );
        let error = client.create_snapshot(&create).await.expect_err("418");
        assert!(
            matches!(&error, Error::UnexpectedStatus { status: 418, excerpt, .. } if excerpt == "teapot"),
            "{error:?}"
        );

        let copy = models::CopySnapshotRequestBody::new("backup20");
        let error = client.copy_snapshot("s", &copy).await.expect_err("wrong type");
        match &error {
            Error::Decode {
                status,
                path,
                excerpt,
                request_id,
                ..
            } => {
                assert_eq!(
                    (*status, path.as_str(), request_id.as_deref()),
                    (200, "snapshot_id", Some("req-bad"))
                );
                assert!(excerpt.contains("42"));
            }
            other => panic!("{other:?}"),
        }
    }
}

mod evs {
    use super::*;
    use evs_client::{Client, models};

    const CREATE: &str = "/v5/{project_id}/snapshots";
    const UPDATE: &str = "/v2/{project_id}/snapshots/{snapshot_id}";
    const SNAPSHOT: &str = "f9faf7df-fdc1-4093-9ef3-5cba06eef995";

    #[tokio::test]
    async fn create_standard_snapshot_round_trips_the_documented_example() {
        let spec = spec("evs.yaml");
        let request_example = example(&spec, CREATE, "post", "requestBody", "create_standard_snapshot");
        let response_example = example(&spec, CREATE, "post", "responses/202", "accepted");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v5/{PROJECT}/snapshots")))
            .respond_with(ResponseTemplate::new(202).set_body_json(&response_example))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::CreateStandardSnapshotRequestBody =
            serde_json::from_value(request_example.clone()).expect("fits");

        let response = client.create_standard_snapshot(&body).await.expect("accepted");

        assert_eq!(response.status, 202);
        assert_eq!(as_json(&response.body), response_example);
        let received = only_request(&server).await;
        assert_eq!(header(&received, "content-type"), Some("application/json"));
        assert_eq!(body_json(&received), request_example);
        independent::verify(&received, AK, SK).expect("the server verifies the signature");
    }

    #[tokio::test]
    async fn the_documented_400_becomes_a_typed_error() {
        let spec = spec("evs.yaml");
        let error_example = example(&spec, CREATE, "post", "responses/400", "bad_request");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(400)
                    .set_body_json(&error_example)
                    .insert_header("X-Request-Id", "req-400"),
            )
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::CreateStandardSnapshotRequestBody::new(models::CreateStandardSnapshot::new());

        let error = client.create_standard_snapshot(&body).await.expect_err("400");

        assert_eq!(error.status(), Some(400));
        assert_eq!(error.request_id(), Some("req-400"));
        let typed = error.api_body().expect("the documented error body");
        assert_eq!(as_json(typed), error_example);
        assert_eq!(typed.error.as_ref().and_then(|e| e.code.as_deref()), Some("EVS.XXX"));
    }

    #[tokio::test]
    async fn update_snapshot_round_trips_and_its_error_envelopes_are_typed() {
        let spec = spec("evs.yaml");
        let request_example = example(&spec, UPDATE, "put", "requestBody", "example_request");
        let response_example = example(&spec, UPDATE, "put", "responses/200", "example_response");
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path(format!("/v2/{PROJECT}/snapshots/{SNAPSHOT}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&response_example))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::UpdateSnapshotRequestBody = serde_json::from_value(request_example.clone()).expect("fits");

        let response = client.update_snapshot(SNAPSHOT, &body).await.expect("updated");

        assert_eq!(as_json(&response.body), response_example);
        let received = only_request(&server).await;
        assert_eq!(received.method.as_str(), "PUT");
        assert_eq!(body_json(&received), request_example);
        independent::verify(&received, AK, SK).expect("the server verifies the signature");

        for (name, status) in [("general_error", 400), ("item_not_found", 404)] {
            let envelope = example(&spec, UPDATE, "put", "responses/default", name);
            let server = MockServer::start().await;
            Mock::given(method("PUT"))
                .respond_with(ResponseTemplate::new(status).set_body_json(&envelope))
                .mount(&server)
                .await;
            let client = Client::new(aksk_config(&server)).expect("client");
            let error = client.update_snapshot(SNAPSHOT, &body).await.expect_err("error");
            assert_eq!(error.status(), Some(status));
            assert_eq!(as_json(error.api_body().expect("typed envelope")), envelope, "{name}");
        }
    }

    #[tokio::test]
    async fn a_put_that_gets_503_then_200_succeeds_after_one_retry() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot": {"id": SNAPSHOT}})))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new().with_name("snap-001"));

        let response = client
            .update_snapshot(SNAPSHOT, &body)
            .await
            .expect("succeeds on the retry");

        assert_eq!(response.status, 200);
        let requests = server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 2, "one retry");
        for request in &requests {
            independent::verify(request, AK, SK).expect("each attempt is signed");
        }
    }

    #[tokio::test]
    async fn retry_after_is_honoured_within_its_bound() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new());

        let started = Instant::now();
        client
            .update_snapshot(SNAPSHOT, &body)
            .await
            .expect("succeeds after waiting");
        let waited = started.elapsed();

        assert!(
            waited >= Duration::from_secs(1),
            "Retry-After: 1 honoured, waited {waited:?}"
        );
        assert!(
            waited < Duration::from_secs(2),
            "and no longer than needed, waited {waited:?}"
        );
    }

    #[tokio::test]
    async fn a_retry_after_beyond_the_bound_ends_the_retries() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "120"))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new());

        let started = Instant::now();
        let error = client.update_snapshot(SNAPSHOT, &body).await.expect_err("gives up");

        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(error.status(), Some(503));
        assert_eq!(server.received_requests().await.expect("recording").len(), 1);
    }

    #[tokio::test]
    async fn a_timeout_fires() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({}))
                    .set_delay(Duration::from_secs(5)),
            )
            .mount(&server)
            .await;
        let config = aksk_config(&server)
            .timeout(Duration::from_millis(300))
            .retry(RetryPolicy::never());
        let client = Client::new(config).expect("client");
        let body = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new());

        let started = Instant::now();
        let error = client.update_snapshot(SNAPSHOT, &body).await.expect_err("times out");

        assert!(
            matches!(
                error,
                Error::Timeout {
                    operation: "update_snapshot",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "fired at about 300 ms: {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_transport_error_after_the_retries() {
        // A port that was just free: nothing listens there.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("address").port()
        };
        let config = Config::new(format!("http://127.0.0.1:{port}"))
            .credentials(Credentials::ak_sk(AK, SK))
            .project_id(PROJECT)
            .retry(fast_retries());
        let client = Client::new(config).expect("client");
        let body = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new());

        let error = client.update_snapshot(SNAPSHOT, &body).await.expect_err("refused");

        assert!(matches!(error, Error::Transport { maybe_sent: false, .. }), "{error:?}");
        assert_eq!(error.status(), None);
    }
}

mod block_storage {
    use super::*;
    use block_storage_client::{Client, SERVICE_TYPE, models};

    const CREATE: &str = "/v3/{project_id}/snapshots";
    const PROJECT_ID: &str = "f5d834d636c642c7bfe8af86139c6f26";

    #[tokio::test]
    async fn create_snapshot_with_a_token_and_a_microversion() {
        let spec = spec("block-storage.yaml");
        let request_example = example(&spec, CREATE, "post", "requestBody", "curl_example");
        let response_example = example(&spec, CREATE, "post", "responses/202", "accepted");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v3/{PROJECT_ID}/snapshots")))
            .respond_with(
                ResponseTemplate::new(202)
                    .set_body_json(&response_example)
                    .insert_header("X-Openstack-Request-Id", "req-os-1"),
            )
            .mount(&server)
            .await;
        let config = Config::new(server.uri())
            .credentials(Credentials::token(TOKEN))
            .project_id(PROJECT_ID)
            .openstack_microversion(SERVICE_TYPE, "3.41");
        let client = Client::new(config).expect("client");
        let body: models::CreateSnapshotRequestBody = serde_json::from_value(request_example.clone()).expect("fits");

        let response = client.create_snapshot(&body).await.expect("accepted");

        assert_eq!(response.status, 202);
        assert_eq!(response.request_id.as_deref(), Some("req-os-1"));
        // `"description": null` and `"updated_at": null` survive the round trip.
        assert_eq!(as_json(&response.body), response_example);
        let received = only_request(&server).await;
        assert_eq!(header(&received, "x-auth-token"), Some(TOKEN));
        assert_eq!(header(&received, "openstack-api-version"), Some("volume 3.41"));
        assert_eq!(header(&received, "content-type"), Some("application/json"));
        assert!(header(&received, "authorization").is_none());
        assert_eq!(body_json(&received), request_example);
    }

    #[tokio::test]
    async fn a_call_can_pick_its_own_microversion() {
        let server = MockServer::start().await;
        let spec = spec("block-storage.yaml");
        let response_example = example(&spec, CREATE, "post", "responses/202", "accepted");
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_json(&response_example))
            .mount(&server)
            .await;
        let config = Config::new(server.uri())
            .credentials(Credentials::token(TOKEN))
            .project_id(PROJECT_ID);
        let client = Client::new(config).expect("client");
        let body = models::CreateSnapshotRequestBody::new(
            models::SnapshotCreate::builder()
                .volume_id("volume")
                .name("snapshot1")
                .build(),
        );

        client
            .create_snapshot(&body)
            .microversion("3.45")
            .await
            .expect("accepted");

        let received = only_request(&server).await;
        assert_eq!(header(&received, "openstack-api-version"), Some("volume 3.45"));
    }

    /// Cinder's own API samples (openstack/cinder, `api-ref/source/v3/samples/snapshots/v3.*/
    /// snapshot-create-response.json`), which carry fields our document does not list.
    const CINDER_SAMPLES: [(&str, &str); 3] = [
        (
            "3.14",
            r#"{"snapshot": {"created_at": "2019-03-11T16:24:34.469003", "description": "Daily backup",
                "id": "b36476e5-d18b-47f9-ac69-4818cb43ee21", "metadata": {"key": "v3"}, "name": "snap-001",
                "size": 10, "status": "creating", "updated_at": null,
                "volume_id": "d291b81c-6e40-4525-8231-90aa1588121e", "group_snapshot_id": null}}"#,
        ),
        (
            "3.41",
            r#"{"snapshot": {"created_at": "2019-03-11T16:24:34.469003", "description": "Daily backup",
                "id": "b36476e5-d18b-47f9-ac69-4818cb43ee21", "metadata": {"key": "v3"}, "name": "snap-001",
                "size": 10, "status": "creating", "updated_at": null,
                "volume_id": "d291b81c-6e40-4525-8231-90aa1588121e", "group_snapshot_id": null,
                "user_id": "c853ca26-e8ea-4797-8a52-ee124a013d0e"}}"#,
        ),
        (
            "3.65",
            r#"{"snapshot": {"created_at": "2019-03-11T16:24:34.469003", "description": "Daily backup",
                "id": "b36476e5-d18b-47f9-ac69-4818cb43ee21", "metadata": {"key": "v3"}, "name": "snap-001",
                "size": 10, "status": "creating", "updated_at": null,
                "volume_id": "d291b81c-6e40-4525-8231-90aa1588121e", "group_snapshot_id": null,
                "user_id": "c853ca26-e8ea-4797-8a52-ee124a013d0e", "consumes_quota": true}}"#,
        ),
    ];

    #[tokio::test]
    async fn fields_the_document_does_not_list_are_kept_and_serialize_back_unchanged() {
        for (microversion, sample) in CINDER_SAMPLES {
            let sent: serde_json::Value = serde_json::from_str(sample).expect("sample");
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(202).set_body_json(&sent))
                .mount(&server)
                .await;
            let config = Config::new(server.uri())
                .credentials(Credentials::token(TOKEN))
                .project_id(PROJECT_ID);
            let client = Client::new(config).expect("client");
            let body = models::CreateSnapshotRequestBody::new(
                models::SnapshotCreate::builder()
                    .volume_id("volume")
                    .name("snap-001")
                    .build(),
            );

            let response = client
                .create_snapshot(&body)
                .microversion(microversion)
                .await
                .expect("accepted");

            let snapshot = &response.body.snapshot;
            assert_eq!(
                snapshot.additional_properties.get("group_snapshot_id"),
                Some(&serde_json::Value::Null),
                "{microversion}"
            );
            if microversion == "3.65" {
                assert_eq!(
                    snapshot.additional_properties.get("consumes_quota"),
                    Some(&serde_json::Value::Bool(true))
                );
            }
            // `user_id` is documented (from 3.41), so it is a field, not an unlisted property.
            assert!(!snapshot.additional_properties.contains_key("user_id"));
            assert_eq!(as_json(&response.body), sent, "{microversion}");
        }
    }
}

mod secrets {
    use super::*;

    #[tokio::test]
    async fn no_secret_in_debug_or_display_of_clients_credentials_or_errors() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(400).set_body_string("bad"))
            .mount(&server)
            .await;
        let credentials = Credentials::ak_sk(AK, SK);
        let client = dws_client::Client::new(aksk_config(&server)).expect("client");
        let token_client =
            block_storage_client::Client::new(Config::new(server.uri()).credentials(Credentials::token(TOKEN)))
                .expect("client");
        let body = dws_models::CreateSnapshotRequestBody::new(
            dws_models::Snapshot::builder()
                .cluster_id("cluster")
                .name("snapshot-1")
                .build(),
        );
        let error = client.create_snapshot(&body).await.expect_err("400");
        let invalid = client
            .create_snapshot(&dws_models::CreateSnapshotRequestBody::new(
                dws_models::Snapshot::builder().cluster_id("c").name("1").build(),
            ))
            .await
            .expect_err("invalid");

        let shown = [
            format!("{credentials:?}"),
            format!("{credentials}"),
            format!("{client:?}"),
            format!("{:?}", client.config()),
            format!("{token_client:?}"),
            format!("{error:?}"),
            format!("{error}"),
            format!("{invalid:?}"),
            format!("{invalid}"),
        ];
        for text in &shown {
            for secret in [AK, SK, TOKEN] {
                assert!(!text.contains(secret), "{secret} leaked in: {text}");
            }
        }
        assert!(shown[2].contains("<redacted>"), "{}", shown[2]);
    }
}

mod tracing_spans {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// Everything the subscriber writes, kept for the test to read.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("not poisoned").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn each_request_is_a_span_with_the_template_status_attempts_and_duration() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .mount(&server)
            .await;
        let client = evs_client::Client::new(aksk_config(&server)).expect("client");
        let body = evs_models::UpdateSnapshotRequestBody::new(evs_models::UpdateSnapshotOption::new());
        client.update_snapshot("snapshot-7", &body).await.expect("succeeds");

        let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("utf-8");
        let closed = log
            .lines()
            .find(|line| line.contains("close"))
            .unwrap_or_else(|| panic!("no span closed:\n{log}"));
        for field in [
            "apigen.request",
            "operation=\"update_snapshot\"",
            "method=PUT",
            "path=\"/v2/{project_id}/snapshots/{snapshot_id}\"",
            "status=200",
            "attempts=2",
            "duration_ms=",
        ] {
            assert!(closed.contains(field), "{field} missing from the span:\n{closed}");
        }
        assert!(!log.contains("snapshot-7"), "the filled path is not traced:\n{log}");
        for secret in [AK, SK, "Signature="] {
            assert!(!log.contains(secret), "{secret} leaked into the trace:\n{log}");
        }
    }
}

/// Where a call's own value meets a configured one, the call's is what is sent and signed, once.
mod per_call_values {
    use super::*;

    #[tokio::test]
    async fn a_call_microversion_replaces_the_configured_one_in_a_single_header() {
        use block_storage_client::{Client, SERVICE_TYPE, models};
        let accepted = example(
            &spec("block-storage.yaml"),
            "/v3/{project_id}/snapshots",
            "post",
            "responses/202",
            "accepted",
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_json(&accepted))
            .mount(&server)
            .await;
        let config = Config::new(server.uri())
            .credentials(Credentials::token(TOKEN))
            .project_id("p")
            .openstack_microversion(SERVICE_TYPE, "3.41");
        let client = Client::new(config).expect("client");
        let body: models::CreateSnapshotRequestBody =
            serde_json::from_value(serde_json::json!({"snapshot": {"volume_id": "v", "name": "s1"}})).expect("fits");

        client
            .create_snapshot(&body)
            .microversion("3.65")
            .await
            .expect("accepted");
        client.create_snapshot(&body).await.expect("accepted");

        let requests = server.received_requests().await.expect("recording");
        let versions = |request: &wiremock::Request| -> Vec<String> {
            request
                .headers
                .get_all("openstack-api-version")
                .iter()
                .map(|v| v.to_str().unwrap_or("<not text>").to_owned())
                .collect()
        };
        assert_eq!(versions(&requests[0]), ["volume 3.65"], "the call's, alone");
        assert_eq!(versions(&requests[1]), ["volume 3.41"], "the configured one otherwise");
    }

    #[tokio::test]
    async fn a_call_project_is_the_signed_project() {
        use dws_client::{Client, models};
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot": {"id": "x"}})))
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::CreateSnapshotRequestBody =
            serde_json::from_value(serde_json::json!({"snapshot": {"cluster_id": "c", "name": "snapshot-1"}}))
                .expect("fits");

        client
            .create_snapshot(&body)
            .project_id("project-b")
            .await
            .expect("sent");

        let received = only_request(&server).await;
        assert_eq!(received.url.path(), "/v1.0/project-b/snapshots");
        let projects: Vec<&str> = received
            .headers
            .get_all("x-project-id")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert_eq!(projects, ["project-b"], "the project the request is for, once");
        independent::verify(&received, AK, SK).expect("signed as sent");
    }

    #[tokio::test]
    async fn exactly_the_official_sdks_headers_are_signed_and_accept_is_sent_unsigned() {
        use evs_client::{Client, models};
        let spec = spec("evs.yaml");
        let request_example = example(
            &spec,
            "/v5/{project_id}/snapshots",
            "post",
            "requestBody",
            "create_standard_snapshot",
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(202).set_body_json(serde_json::json!({"job_id": "j", "snapshot_id": "s"})),
            )
            .mount(&server)
            .await;
        let client = Client::new(aksk_config(&server)).expect("client");
        let body: models::CreateStandardSnapshotRequestBody = serde_json::from_value(request_example).expect("fits");

        let _ = client.create_standard_snapshot(&body).await;

        let received = only_request(&server).await;
        assert!(header(&received, "accept").is_some(), "Accept is still sent");
        let authorization = header(&received, "authorization").expect("signed");
        assert!(
            authorization.contains(", SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, "),
            "{authorization}"
        );
        independent::verify(&received, AK, SK).expect("verifies");
    }
}
