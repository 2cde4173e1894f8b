//! The `snapctl` binary against the stand-in over loopback: AK/SK from Huawei's variables, a token
//! from OpenStack's, flags and `--body`, and input refused before anything is sent (the stand-in's
//! request log stays empty and its state unchanged).

use std::process::{Command, Output};

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
        },
        user_id: "u-1".to_owned(),
    };
    let store = Store::open(std::path::Path::new(":memory:")).expect("an in-memory database");
    serve_on_loopback(Standin::new(store, options).router()).await
}

async fn admin(base: &str, path: &str) -> Value {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::get(format!("{base}/_standin/{path}")).await.expect("answered");
    serde_json::from_slice(&response.bytes().await.expect("a body")).unwrap_or(Value::Null)
}

/// Runs snapctl with a clean environment plus `env`; stdout is not a terminal, so JSON is the default.
async fn snapctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_snapctl"));
    command.args(args).env_clear().env("HOME", "/nonexistent");
    for (key, value) in env {
        command.env(key, value);
    }
    tokio::task::spawn_blocking(move || command.output().expect("snapctl runs"))
        .await
        .expect("joined")
}

fn huawei() -> Vec<(&'static str, &'static str)> {
    vec![
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", SK),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ]
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "stdout is not JSON: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evs_snapshot_is_created_and_renamed_with_ak_sk_from_the_environment() {
    let base = start().await;
    let created = snapctl(
        &[
            "evs",
            "create-standard-snapshot",
            "--endpoint",
            &base,
            "--volume-id",
            "2c194dde-7de5-4529-a141-49f48181f411",
            "--name",
            "test_name",
        ],
        &huawei(),
    )
    .await;
    assert_eq!(
        created.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let id = stdout_json(&created)["snapshot_id"]
        .as_str()
        .expect("a snapshot id")
        .to_owned();
    let stored = admin(&base, &format!("snapshots/evs/{id}")).await;
    assert_eq!(stored["snapshot"]["name"], "test_name", "{stored}");

    let renamed = snapctl(
        &[
            "evs",
            "update-snapshot",
            "--endpoint",
            &base,
            "--snapshot-id",
            &id,
            "--name",
            "renamed",
            "--description",
            "from snapctl",
        ],
        &huawei(),
    )
    .await;
    assert_eq!(
        renamed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&renamed.stderr)
    );
    let shown = stdout_json(&renamed);
    let stored = admin(&base, &format!("snapshots/evs/{id}")).await;
    assert_eq!(shown["name"], "renamed");
    assert_eq!(
        shown, stored["snapshot"],
        "the output is the stored snapshot, without its envelope"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_block_storage_snapshot_takes_its_body_from_a_file_and_a_token_from_the_environment() {
    let base = start().await;
    let dir = std::env::temp_dir().join(format!("snapctl-body-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let body = dir.join("body.json");
    std::fs::write(
        &body,
        json!({"snapshot": {"volume_id": "v-1", "name": "from-file", "metadata": {"a": "1"}}}).to_string(),
    )
    .expect("written");
    let body = body.to_string_lossy().into_owned();
    let output = snapctl(
        &[
            "block-storage",
            "create-snapshot",
            "--endpoint",
            &base,
            "--body",
            &body,
            "--name",
            "from-flag",
        ],
        &[
            ("OS_AUTH_TOKEN", TOKEN),
            ("OS_PROJECT_ID", PROJECT),
            ("OS_VOLUME_API_VERSION", "3.65"),
        ],
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shown = stdout_json(&output);
    assert_eq!(shown["name"], "from-flag", "a flag overrides --body");
    assert_eq!(shown["metadata"], json!({"a": "1"}));
    assert_eq!(shown["user_id"], "u-1", "3.65 shows user_id");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_exit_2_and_nothing_is_sent() {
    let base = start().await;
    let long = "n".repeat(65);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "evs",
                "create-standard-snapshot",
                "--endpoint",
                &base,
                "--volume-id",
                "v",
                "--name",
                &long,
            ],
            "/snapshot/name: is 65 characters long; the maximum is 64",
        ),
        (
            vec!["evs", "update-snapshot", "--endpoint", &base, "--name", "x"],
            "--snapshot-id",
        ),
        (
            vec!["evs", "create-standard-snapshot", "--endpoint", &base, "--body", "-"],
            "--body -: not JSON",
        ),
    ];
    for (args, message) in cases {
        let output = snapctl(&args, &huawei()).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let half: Vec<(&str, &str)> = vec![("HUAWEICLOUD_SDK_AK", AK)];
    let output = snapctl(
        &[
            "evs",
            "create-standard-snapshot",
            "--endpoint",
            &base,
            "--volume-id",
            "v",
        ],
        &half,
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        admin(&base, "requests").await["requests"],
        json!([]),
        "nothing reached the stand-in"
    );
    assert_eq!(admin(&base, "snapshots").await["snapshots"], json!([]));

    let wrong: Vec<(&str, &str)> = vec![
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", "wrong"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ];
    let output = snapctl(
        &[
            "evs",
            "create-standard-snapshot",
            "--endpoint",
            &base,
            "--volume-id",
            "v",
        ],
        &wrong,
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("401") && stderr.contains("APIGW.0301") && stderr.contains("request id: "),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong"), "the secret key is never printed: {stderr}");
    assert_eq!(admin(&base, "snapshots").await["snapshots"], json!([]));
}
