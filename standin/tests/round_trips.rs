//! The generated Rust clients against the stand-in over loopback: every documented operation of
//! the three services, their errors in each service's own shape, authentication, microversions,
//! the admin API and queued faults.

use apigen_runtime::for_generated_code::testing::serve_on_loopback;
use serde_json::{Value, json};
use snapshot_standin::auth::{Accepted, KeyPair};
use snapshot_standin::store::Store;
use snapshot_standin::{Options, Standin};

const AK: &str = "STANDINAK0000000001";
const SK: &str = "stand-in-secret-key";
const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";
const TOKEN: &str = "stand-in-token";

async fn start() -> String {
    let options = Options {
        accepted: Accepted {
            open: false,
            tokens: vec![TOKEN.to_owned()],
            keys: Some(KeyPair {
                ak: AK.to_owned(),
                sk: SK.to_owned(),
                project_id: Some(PROJECT.to_owned()),
            }),
            max_skew_seconds: 900,
            identity: None,
        },
        user_id: "u-1".to_owned(),
    };
    let store = Store::open(std::path::Path::new(":memory:")).expect("an in-memory database");
    serve_on_loopback(Standin::new(store, options).router()).await
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn json_of(response: reqwest::Response) -> Value {
    serde_json::from_slice(&response.bytes().await.expect("a body")).unwrap_or(Value::Null)
}

async fn admin(base: &str, path: &str) -> Value {
    json_of(
        http()
            .get(format!("{base}/_standin/{path}"))
            .send()
            .await
            .expect("answered"),
    )
    .await
}

fn signed(base: &str, sk: &str) -> apigen_runtime::client::Config {
    apigen_runtime::client::Config::new(base)
        .credentials(apigen_runtime::client::Credentials::ak_sk(AK, sk))
        .project_id(PROJECT)
}

#[tokio::test]
async fn evs_creates_then_renames_a_snapshot_through_both_update_paths() {
    let base = start().await;
    let client = evs_client::Client::new(signed(&base, SK)).expect("a client");
    let body = evs_client::models::CreateStandardSnapshotRequestBody::new(
        evs_client::models::CreateStandardSnapshot::new()
            .with_volume_id("2c194dde-7de5-4529-a141-49f48181f411")
            .with_name("nightly"),
    );
    let created = client.create_standard_snapshot(&body).await.expect("created");
    assert_eq!(created.status, 202);
    assert!(created.request_id.is_some(), "a request id header");
    let id = created.body.snapshot_id.clone().expect("an id");
    assert_eq!(created.body.job_id.as_deref().map(str::len), Some(32));

    let rename = evs_client::models::UpdateSnapshotRequestBody::new(
        evs_client::models::UpdateSnapshotOption::new()
            .with_name("renamed")
            .with_description("kept"),
    );
    let updated = client.update_snapshot(&id, &rename).await.expect("updated");
    let detail = updated.body.snapshot.expect("the full snapshot");
    assert_eq!(detail.name.as_deref(), Some("renamed"));
    assert_eq!(detail.description.as_deref(), Some("kept"));
    assert_eq!(
        detail.volume_id.as_deref(),
        Some("2c194dde-7de5-4529-a141-49f48181f411")
    );
    assert_eq!(detail.status.as_deref(), Some("available"));

    // Huawei's SDK path for the same update.
    let sdk_path = http()
        .put(format!("{base}/v2/{PROJECT}/cloudsnapshots/{id}"))
        .header("x-auth-token", TOKEN)
        .header("content-type", "application/json;charset=utf-8")
        .body(r#"{"snapshot": {"name": "via-sdk-path"}}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(sdk_path.status(), 200);
    assert_eq!(json_of(sdk_path).await["snapshot"]["name"], "via-sdk-path");
    let stored = admin(&base, &format!("snapshots/evs/{id}")).await;
    assert_eq!(stored["snapshot"]["name"], "via-sdk-path");
    assert_eq!(stored["snapshot"]["description"], "kept");

    let missing = client
        .update_snapshot("no-such-snapshot", &rename)
        .await
        .expect_err("404");
    let evs_client::Error::Api { status, body, .. } = missing else {
        panic!("an API error, got {missing:?}");
    };
    assert_eq!(status, 404);
    let evs_client::ErrorBody::Typed(envelope) = body else {
        panic!("the documented error envelope");
    };
    let detail = envelope.0.get("itemNotFound").expect("itemNotFound");
    assert!(detail.message.as_deref().unwrap_or_default().contains("/snapshot_id"));
}

#[tokio::test]
async fn dws_creates_and_copies_and_refuses_to_copy_what_does_not_exist() {
    let base = start().await;
    let client = dws_client::Client::new(signed(&base, SK)).expect("a client");
    let snapshot = dws_client::models::Snapshot::builder()
        .cluster_id("44b277eb-39be-4921-be31-3d61b43651d7")
        .name("snapshot-3")
        .build();
    let created = client
        .create_snapshot(&dws_client::models::CreateSnapshotRequestBody::new(snapshot))
        .await
        .expect("created");
    let id = created.body.snapshot.and_then(|s| s.id).expect("an id");
    let copy = dws_client::models::CopySnapshotRequestBody::new("backup20").with_description("a copy");
    let copied = client.copy_snapshot(&id, &copy).await.expect("copied");
    let copy_id = copied.body.snapshot_id.expect("the copy's id");
    assert_ne!(copy_id, id);
    let stored = admin(&base, &format!("snapshots/dws/{copy_id}")).await;
    assert_eq!(stored["snapshot"]["name"], "backup20");
    assert_eq!(stored["snapshot"]["cluster_id"], "44b277eb-39be-4921-be31-3d61b43651d7");

    let missing = http()
        .post(format!("{base}/v1.0/{PROJECT}/snapshots/absent/linked-copy"))
        .header("x-auth-token", TOKEN)
        .header("content-type", "application/json")
        .body(r#"{"backup_name": "x"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().contains_key("x-request-id"));
    let body = json_of(missing).await;
    assert_eq!(body["error_code"], "DWS.0404");
    assert!(
        body["error_msg"].as_str().unwrap_or_default().contains("absent"),
        "{body}"
    );
}

#[tokio::test]
async fn block_storage_shows_fields_from_their_microversion_and_refuses_one_above_the_maximum() {
    let base = start().await;
    let config = apigen_runtime::client::Config::new(&base)
        .credentials(apigen_runtime::client::Credentials::token(TOKEN))
        .project_id(PROJECT);
    let client = block_storage_client::Client::new(config).expect("a client");
    let body = block_storage_client::models::CreateSnapshotRequestBody::new(
        block_storage_client::models::SnapshotCreate::builder()
            .volume_id("5aa119a8-d25b-45a7-8d1b-88e127885635")
            .name("snap-001")
            .build(),
    );
    for (version, user_id, count) in [("3.0", false, false), ("3.41", true, false), ("3.65", true, true)] {
        let created = client
            .create_snapshot(&body)
            .microversion(version)
            .await
            .expect("created");
        assert_eq!(created.status, 202);
        let snapshot = &created.body.snapshot;
        assert_eq!(snapshot.status, "creating");
        assert_eq!(snapshot.user_id.is_some(), user_id, "user_id at {version}");
        assert_eq!(snapshot.count.is_some(), count, "count at {version}");
        assert_eq!(
            created
                .headers
                .get("openstack-api-version")
                .and_then(|v| v.to_str().ok()),
            Some(format!("volume {version}").as_str())
        );
        assert!(created.request_id.as_deref().is_some_and(|id| id.starts_with("req-")));
    }
    let too_new = client
        .create_snapshot(&body)
        .microversion("3.99")
        .await
        .expect_err("406");
    // A fault, as every OpenStack error is documented: typed, with Cinder's kind and text.
    assert_eq!(too_new.status(), Some(406));
    let fault = too_new.api_body().expect("the documented fault");
    let detail = fault.0.get("computeFault").expect("Cinder's kind of fault");
    assert_eq!(
        detail.message.as_deref(),
        Some("Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.71.")
    );

    let versions = http().get(format!("{base}/")).send().await.expect("answered");
    assert_eq!(versions.status(), 300);
    assert_eq!(json_of(versions).await["versions"][0]["version"], "3.71");
    let v3 = json_of(http().get(format!("{base}/v3/")).send().await.expect("answered")).await;
    assert_eq!(v3["versions"][0]["min_version"], "3.0");
}

#[tokio::test]
async fn bad_requests_are_answered_in_each_services_shape_naming_the_field() {
    let base = start().await;
    let cases = [
        (
            format!("/v5/{PROJECT}/snapshots"),
            json!({"snapshot": {"volume_id": "v", "name": "n".repeat(65)}}),
            "/error/message",
        ),
        (
            format!("/v2/{PROJECT}/snapshots/s"),
            json!({"snapshot": {"name": 7}}),
            "/badRequest/message",
        ),
        (
            format!("/v1.0/{PROJECT}/snapshots"),
            json!({"snapshot": {"cluster_id": "c", "name": "3d"}}),
            "/error_msg",
        ),
        (
            format!("/v3/{PROJECT}/snapshots"),
            json!({"snapshot": {"volume_id": "v"}}),
            "/badRequest/message",
        ),
    ];
    for (path, body, message_at) in cases {
        let method = if path.starts_with("/v2") {
            reqwest::Method::PUT
        } else {
            reqwest::Method::POST
        };
        let response = http()
            .request(method, format!("{base}{path}"))
            .header("x-auth-token", TOKEN)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 400, "{path}");
        let answer = json_of(response).await;
        let message = answer.pointer(message_at).and_then(Value::as_str).unwrap_or_default();
        assert!(message.contains("/snapshot"), "{path}: {answer}");
    }
}

/// Document 002 makes every field of an EVS create optional, `volume_id` included.
#[tokio::test]
async fn an_evs_create_with_an_empty_snapshot_is_accepted_as_the_document_says() {
    let base = start().await;
    let response = http()
        .post(format!("{base}/v5/{PROJECT}/snapshots"))
        .header("x-auth-token", TOKEN)
        .header("content-type", "application/json")
        .body(r#"{"snapshot": {}}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 202);
    let id = json_of(response).await["snapshot_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let stored = admin(&base, &format!("snapshots/evs/{id}")).await;
    assert_eq!(stored["snapshot"]["id"], id.as_str(), "{stored}");
    assert!(stored["snapshot"].get("volume_id").is_none(), "{stored}");
}

/// `null` where the schema does not allow it is refused, not read as absent (Schemathesis found
/// all three taken).
#[tokio::test]
async fn null_where_the_schema_does_not_allow_it_is_a_400_naming_the_field() {
    let base = start().await;
    let cases = [
        (
            format!("/v5/{PROJECT}/snapshots"),
            json!({"snapshot": {"volume_id": "v", "incremental": null}}),
            "/error/message",
        ),
        (
            format!("/v1.0/{PROJECT}/snapshots"),
            json!({"snapshot": {"cluster_id": "c", "name": "snap-1", "description": null}}),
            "/error_msg",
        ),
        (
            format!("/v1.0/{PROJECT}/snapshots/s-1/linked-copy"),
            json!({"backup_name": "copy-1", "description": null}),
            "/error_msg",
        ),
    ];
    for (path, body, message_at) in cases {
        let response = http()
            .post(format!("{base}{path}"))
            .header("x-auth-token", TOKEN)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 400, "{path}");
        let answer = json_of(response).await;
        let message = answer.pointer(message_at).and_then(Value::as_str).unwrap_or_default();
        assert!(message.contains("null"), "{path}: {answer}");
    }
}

#[tokio::test]
async fn a_wrong_secret_or_no_credential_gets_401_in_the_services_shape() {
    let base = start().await;
    let client = dws_client::Client::new(signed(&base, "not-the-secret")).expect("a client");
    let snapshot = dws_client::models::Snapshot::builder()
        .cluster_id("c")
        .name("snapshot-3")
        .build();
    let refused = client
        .create_snapshot(&dws_client::models::CreateSnapshotRequestBody::new(snapshot))
        .await
        .expect_err("401");
    let dws_client::Error::Api { status, .. } = &refused else {
        panic!("an API error, got {refused:?}");
    };
    assert_eq!(*status, 401);
    let bare = http()
        .post(format!("{base}/v1.0/{PROJECT}/snapshots"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("answered");
    assert_eq!(bare.status(), 401);
    assert_eq!(json_of(bare).await["error_code"], "APIGW.0301");
    let cinder = http()
        .post(format!("{base}/v3/{PROJECT}/snapshots"))
        .header("x-auth-token", "wrong")
        .send()
        .await
        .expect("answered");
    assert_eq!(cinder.status(), 401);
    assert_eq!(json_of(cinder).await["error"]["title"], "Unauthorized");
    let log = admin(&base, "requests").await;
    let statuses: Vec<u64> = log["requests"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["status"].as_u64())
        .collect();
    assert_eq!(statuses, [401, 401, 401]);
}

#[tokio::test]
async fn queued_faults_answer_the_next_calls_then_the_service_is_back() {
    let base = start().await;
    let queue = |fault: Value| {
        let base = base.clone();
        async move {
            let response = http()
                .post(format!("{base}/_standin/faults"))
                .body(fault.to_string())
                .send()
                .await
                .expect("answered");
            assert_eq!(response.status(), 201);
        }
    };
    queue(json!({"operation": "dws.create_snapshot", "count": 1, "kind": {"status": 503}})).await;
    queue(json!({"operation": "dws.create_snapshot", "count": 1, "kind": "drop"})).await;
    let config = signed(&base, SK).retry(apigen_runtime::client::RetryPolicy::never());
    let client = dws_client::Client::new(config).expect("a client");
    let snapshot = dws_client::models::Snapshot::builder()
        .cluster_id("c")
        .name("snapshot-3")
        .build();
    let body = dws_client::models::CreateSnapshotRequestBody::new(snapshot);
    let first = client.create_snapshot(&body).await.expect_err("503");
    assert!(matches!(first, dws_client::Error::Api { status: 503, .. }), "{first:?}");
    let second = client.create_snapshot(&body).await.expect_err("dropped");
    assert!(matches!(second, dws_client::Error::Transport { .. }), "{second:?}");
    client.create_snapshot(&body).await.expect("the service is back");

    let refused = http()
        .post(format!("{base}/_standin/faults"))
        .body(r#"{"operation": "dws.delete_everything", "count": 1, "kind": "drop"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status(), 400);

    assert_eq!(
        admin(&base, "snapshots").await["snapshots"].as_array().map(Vec::len),
        Some(1)
    );
    let reset = http()
        .post(format!("{base}/_standin/reset"))
        .send()
        .await
        .expect("answered");
    assert_eq!(reset.status(), 204);
    assert_eq!(
        admin(&base, "snapshots").await["snapshots"].as_array().map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn cinder_reads_around_a_create_are_served_but_not_a_get_on_the_create_path() {
    let base = start().await;
    let created = http()
        .post(format!("{base}/v3/{PROJECT}/snapshots"))
        .header("x-auth-token", TOKEN)
        .header("content-type", "application/json")
        .body(json!({"snapshot": {"volume_id": "5aa119a8-d25b-45a7-8d1b-88e127885635", "name": "listed"}}).to_string())
        .send()
        .await
        .expect("answered");
    assert_eq!(created.status(), 202);
    let id = json_of(created).await["snapshot"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let get = |path: String| {
        http()
            .get(format!("{base}/v3/{PROJECT}/{path}"))
            .header("x-auth-token", TOKEN)
            .send()
    };
    let shown = json_of(get(format!("snapshots/{id}")).await.expect("answered")).await;
    assert_eq!(shown["snapshot"]["name"], "listed");
    let listed = json_of(get("snapshots/detail?name=listed".to_owned()).await.expect("answered")).await;
    assert_eq!(listed["snapshots"].as_array().map(Vec::len), Some(1));
    // The document declares only POST on its path: a GET there is 405, as the spec says.
    let summary = get("snapshots".to_owned()).await.expect("answered");
    assert_eq!(summary.status(), 405);
}
