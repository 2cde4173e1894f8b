//! The runtime's Keystone login against the stand-in's identity service over loopback: a
//! password and an application credential, the catalog's endpoint and the token's project, tokens
//! renewed before they expire and once after a 401, and refused logins that create nothing.

use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::client::keystone::{
    ApplicationCredential, Domain, Interface, Keystone, KeystoneError, Project, Scope, User,
};
use apigen_runtime::for_generated_code::testing::serve_on_loopback;
use snapshot_standin::auth::Accepted;
use snapshot_standin::identity::{Account, AppCredential, Identity};
use snapshot_standin::store::Store;
use snapshot_standin::{Options, Standin};

const PROJECT: &str = "0c2f6e1bd7a84e6c9a3f6f0a51b7c8d2";
const VOLUME: &str = "5aa119a8-d25b-45a7-8d1b-88e127885635";

async fn start(ttl: Duration) -> String {
    let identity = Identity::new(
        vec![Account {
            id: "u-demo".to_owned(),
            name: "demo".to_owned(),
            password: "secret".to_owned(),
        }],
        vec![AppCredential {
            id: "ac-1".to_owned(),
            secret: "ac-secret".to_owned(),
        }],
        PROJECT.to_owned(),
        ttl,
        vec!["admin-token".to_owned()],
    );
    let options = Options {
        accepted: Accepted {
            tokens: vec!["admin-token".to_owned()],
            max_skew_seconds: 900,
            identity: Some(Arc::new(identity)),
            ..Accepted::default()
        },
        user_id: "u-demo".to_owned(),
    };
    let store = Store::open(std::path::Path::new(":memory:")).expect("an in-memory database");
    serve_on_loopback(Standin::new(store, options).router()).await
}

fn demo(base: &str, password: &str) -> Keystone {
    Keystone::password(
        format!("{base}/identity"),
        User::name("demo", Domain::name("Default")),
        password,
    )
    .expect("a source")
    .scope(Scope::Project(Project::name("demo", Domain::id("default"))))
}

fn body() -> block_storage_client::models::CreateSnapshotRequestBody {
    block_storage_client::models::CreateSnapshotRequestBody::new(
        block_storage_client::models::SnapshotCreate::builder()
            .volume_id(VOLUME)
            .name("snap-001")
            .build(),
    )
}

async fn snapshots(base: &str) -> usize {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let bytes = reqwest::get(format!("{base}/_standin/snapshots"))
        .await
        .expect("answered")
        .bytes()
        .await
        .expect("a body");
    let answer: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    answer["snapshots"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_password_login_finds_the_endpoint_and_project_and_its_token_is_accepted() {
    let base = start(Duration::from_secs(3600)).await;
    let keystone = demo(&base, "secret");
    let session = keystone.login().await.expect("logged in");
    assert_eq!(session.project.as_ref().map(|p| p.id.as_str()), Some(PROJECT));
    let endpoint = session
        .catalog
        .endpoint("volumev3", Interface::Public, Some("RegionOne"))
        .expect("the catalog has block storage");
    assert_eq!(endpoint, format!("{base}/v3/{PROJECT}"));
    let config = apigen_runtime::client::Config::new(&base)
        .project_id(PROJECT)
        .token_source(keystone);
    let client = block_storage_client::Client::new(config).expect("a client");
    let created = client.create_snapshot(&body()).await.expect("created");
    assert_eq!(created.status, 202);
}

#[tokio::test]
async fn an_application_credential_logs_in_to_its_project() {
    let base = start(Duration::from_secs(3600)).await;
    let keystone = Keystone::application_credential(
        format!("{base}/identity/v3"),
        ApplicationCredential::Id("ac-1".to_owned()),
        "ac-secret",
    )
    .expect("a source");
    let session = keystone.login().await.expect("logged in");
    assert_eq!(session.project.map(|p| p.id), Some(PROJECT.to_owned()));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_are_refused_and_nothing_is_created() {
    let base = start(Duration::from_secs(3600)).await;
    for keystone in [
        demo(&base, "wrong"),
        Keystone::password(
            format!("{base}/identity/v3"),
            User::name("nobody", Domain::id("default")),
            "secret",
        )
        .expect("a source"),
    ] {
        match keystone.login().await {
            Err(KeystoneError::Refused { status: 401, message }) => {
                assert!(message.contains("requires authentication"), "{message}");
            }
            other => panic!("expected a 401, got {other:?}"),
        }
        // The client's call fails at the token, before anything reaches the service.
        let config = apigen_runtime::client::Config::new(&base)
            .project_id(PROJECT)
            .token_source(keystone);
        let client = block_storage_client::Client::new(config).expect("a client");
        let error = client.create_snapshot(&body()).await.expect_err("refused");
        assert!(error.to_string().contains("401"), "{error}");
    }
    assert_eq!(snapshots(&base).await, 0);
}

#[tokio::test]
async fn a_token_is_renewed_when_it_expires_and_once_when_it_is_revoked() {
    // Tokens that live two seconds: each call finds the cached one about to expire and renews it.
    let base = start(Duration::from_secs(2)).await;
    let config = apigen_runtime::client::Config::new(&base)
        .project_id(PROJECT)
        .token_source(demo(&base, "secret"));
    let client = block_storage_client::Client::new(config).expect("a client");
    client.create_snapshot(&body()).await.expect("created");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client
        .create_snapshot(&body())
        .await
        .expect("created with a renewed token");

    // Tokens that live an hour are kept; one revoked under the client is renewed once, after the
    // 401, and the request sent again.
    let base = start(Duration::from_secs(3600)).await;
    let keystone = demo(&base, "secret");
    let session = keystone.login().await.expect("logged in");
    let config = apigen_runtime::client::Config::new(&base)
        .project_id(PROJECT)
        .token_source(keystone);
    let client = block_storage_client::Client::new(config).expect("a client");
    client.create_snapshot(&body()).await.expect("created");
    let revoked = reqwest::Client::new()
        .delete(format!("{base}/identity/v3/auth/tokens"))
        .header("x-auth-token", "admin-token")
        .header("x-subject-token", session.token.value.expose())
        .send()
        .await
        .expect("answered");
    assert_eq!(revoked.status(), 204);
    client
        .create_snapshot(&body())
        .await
        .expect("created after one renewal");
    assert_eq!(snapshots(&base).await, 2);
}
