//! What the snapctl tests share (each test file uses part of it): a stand-in on loopback with known credentials, and its admin API.

#![allow(dead_code)]

use std::path::Path;

use apigen_runtime::for_generated_code::testing::serve_on_loopback;
use serde_json::Value;
use snapshot_standin::auth::{Accepted, KeyPair};
use snapshot_standin::identity::{Account, AppCredential, Identity};
use snapshot_standin::store::Store;
use snapshot_standin::{Options, Standin};

pub const AK: &str = "STANDINAK0000000001";
pub const SK: &str = "stand-in-secret-key";
pub const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";
pub const TOKEN: &str = "stand-in-token";
/// A user of the stand-in's Keystone (`/identity/v3`), in domain `Default`, member of `demo`
/// (whose id is `PROJECT`).
pub const USER: &str = "demo";
pub const PASSWORD: &str = "hunter2";
/// An application credential of `USER`.
pub const APP_CREDENTIAL: &str = "ac-0001";
pub const APP_SECRET: &str = "ac-secret";

/// Huawei's variables, as the official SDKs read them.
pub const HUAWEI: &[(&str, &str)] = &[
    ("HUAWEICLOUD_SDK_AK", AK),
    ("HUAWEICLOUD_SDK_SK", SK),
    ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
];

/// OpenStack's variables, as openstackclient reads them.
pub const OPENSTACK: &[(&str, &str)] = &[("OS_AUTH_TOKEN", TOKEN), ("OS_PROJECT_ID", PROJECT)];

/// A stand-in on loopback that accepts `AK`/`SK` (for `PROJECT`), `TOKEN`, and logins of `USER`;
/// its base URL.
pub async fn start() -> String {
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
            identity: Some(std::sync::Arc::new(Identity::new(
                vec![Account {
                    id: "u-1".to_owned(),
                    name: USER.to_owned(),
                    password: PASSWORD.to_owned(),
                }],
                vec![AppCredential {
                    id: APP_CREDENTIAL.to_owned(),
                    secret: APP_SECRET.to_owned(),
                }],
                PROJECT.to_owned(),
                std::time::Duration::from_secs(3600),
                Vec::new(),
            ))),
        },
        user_id: "u-1".to_owned(),
    };
    let store = Store::open(Path::new(":memory:")).expect("an in-memory database");
    serve_on_loopback(Standin::new(store, options).router()).await
}

/// `GET /_standin/<path>` as JSON.
pub async fn admin(base: &str, path: &str) -> Value {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::get(format!("{base}/_standin/{path}")).await.expect("answered");
    serde_json::from_slice(&response.bytes().await.expect("a body")).unwrap_or(Value::Null)
}
