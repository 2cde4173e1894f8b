//! Each example binary, run as a user would, against a real HTTP server on loopback.

use std::process::{Command, Output};

use serde_json::json;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";

async fn run(binary: &'static str, env: Vec<(&'static str, String)>, args: Vec<&'static str>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .envs(env)
            .args(args)
            .env("RUST_LOG", "info")
            .output()
            .expect("the example runs")
    })
    .await
    .expect("joined")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn evs_creates_with_aksk_then_renames() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v5/{PROJECT}/snapshots")))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"job_id": "job-1", "snapshot_id": "snap-1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/v2/{PROJECT}/snapshots/snap-1")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"snapshot": {"name": "nightly-1", "status": "available"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let env = vec![
        ("EVS_ENDPOINT", server.uri()),
        ("HUAWEICLOUD_PROJECT_ID", PROJECT.to_owned()),
        ("HUAWEICLOUD_SDK_AK", "AK-example".to_owned()),
        ("HUAWEICLOUD_SDK_SK", "SK-example".to_owned()),
    ];
    let output = run(
        env!("CARGO_BIN_EXE_evs_example"),
        env,
        vec!["--volume-id", "vol-1", "--name", "nightly", "--new-name", "nightly-1"],
    )
    .await;
    let out = stdout(&output);
    assert!(out.contains("created snapshot snap-1 (job job-1)"), "{out}");
    assert!(
        out.contains("renamed snapshot snap-1 to nightly-1 (status available)"),
        "{out}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("SK-example"),
        "the secret key is never logged"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dws_creates_then_copies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1.0/{PROJECT}/snapshots")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"snapshot": {"id": "snap-2"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1.0/{PROJECT}/snapshots/snap-2/linked-copy")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"snapshot_id": "snap-3"})))
        .expect(1)
        .mount(&server)
        .await;
    let env = vec![
        ("DWS_ENDPOINT", server.uri()),
        ("HUAWEICLOUD_PROJECT_ID", PROJECT.to_owned()),
        ("HUAWEICLOUD_SDK_AK", "AK-example".to_owned()),
        ("HUAWEICLOUD_SDK_SK", "SK-example".to_owned()),
    ];
    let args = vec![
        "--cluster-id",
        "cluster-1",
        "--name",
        "snapshot-3",
        "--copy-name",
        "backup20",
    ];
    let out = stdout(&run(env!("CARGO_BIN_EXE_dws_example"), env, args).await);
    assert!(out.contains("created snapshot snap-2"), "{out}");
    assert!(out.contains("copied snapshot snap-2 to snap-3"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn dws_refuses_an_invalid_name_before_sending() {
    let server = MockServer::start().await;
    let env = vec![
        ("DWS_ENDPOINT", server.uri()),
        ("HUAWEICLOUD_PROJECT_ID", PROJECT.to_owned()),
        ("HUAWEICLOUD_SDK_AK", "AK-example".to_owned()),
        ("HUAWEICLOUD_SDK_SK", "SK-example".to_owned()),
    ];
    let args = vec!["--cluster-id", "cluster-1", "--name", "3d", "--copy-name", "backup20"];
    let output = run(env!("CARGO_BIN_EXE_dws_example"), env, args).await;
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("/snapshot/name: is 2 characters long; the minimum is 4"),
        "{err}"
    );
    assert!(server.received_requests().await.expect("recording").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn block_storage_creates_with_a_token_and_a_microversion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v3/{PROJECT}/snapshots")))
        .and(header("x-auth-token", "token-example"))
        .and(header("openstack-api-version", "volume 3.41"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"snapshot": {
            "status": "creating", "size": 2, "metadata": {}, "name": "snapshot1", "volume_id": "vol-1",
            "created_at": "2020-03-11T14:42:02.823364", "description": null, "id": "snap-4",
            "updated_at": null, "user_id": "user-1"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let env = vec![
        ("OS_VOLUME_ENDPOINT", server.uri()),
        ("OS_PROJECT_ID", PROJECT.to_owned()),
        ("OS_TOKEN", "token-example".to_owned()),
    ];
    let args = vec!["--volume-id", "vol-1", "--name", "snapshot1", "--microversion", "3.41"];
    let out = stdout(&run(env!("CARGO_BIN_EXE_block_storage_example"), env, args).await);
    assert!(
        out.contains("created snapshot snap-4 of volume vol-1 (creating, 2 GiB, user user-1)"),
        "{out}"
    );
}

/// The README's quick start: the EVS example against the stand-in, which keeps what it did.
#[tokio::test(flavor = "multi_thread")]
async fn the_quick_start_creates_and_renames_a_snapshot_on_the_stand_in() {
    use snapshot_standin::auth::{Accepted, KeyPair};
    let options = snapshot_standin::Options {
        accepted: Accepted {
            keys: Some(KeyPair {
                ak: "MY-AK".to_owned(),
                sk: "MY-SK".to_owned(),
                project_id: Some(PROJECT.to_owned()),
            }),
            max_skew_seconds: 900,
            ..Accepted::default()
        },
        user_id: "me".to_owned(),
    };
    let store = snapshot_standin::store::Store::open(std::path::Path::new(":memory:")).expect("a database");
    let standin = snapshot_standin::Standin::new(store, options);
    let base = apigen_runtime::for_generated_code::testing::serve_on_loopback(standin.router()).await;
    let output = run(
        env!("CARGO_BIN_EXE_evs_example"),
        vec![
            ("HUAWEICLOUD_SDK_AK", "MY-AK".to_owned()),
            ("HUAWEICLOUD_SDK_SK", "MY-SK".to_owned()),
            ("HUAWEICLOUD_PROJECT_ID", PROJECT.to_owned()),
            ("EVS_ENDPOINT", base.clone()),
        ],
        vec![
            "--volume-id",
            "2c194dde-7de5-4529-a141-49f48181f411",
            "--name",
            "nightly",
            "--new-name",
            "nightly-1",
        ],
    )
    .await;
    let printed = stdout(&output);
    assert!(
        printed.contains("renamed snapshot") && printed.contains("to nightly-1 (status available)"),
        "{printed}"
    );
}
