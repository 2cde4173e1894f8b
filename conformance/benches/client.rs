//! One generated-client call beside the same request written by hand with reqwest, against one
//! loopback server, in one run. `scripts/bench_client.sh` runs it and prints the ratio of medians.
//!
//! Both sides send the Block Storage create-snapshot example with a token and decode the
//! documented 202 response into the generated model; the generated side also validates the body,
//! fills the path template, runs the request through the middleware chain, traces, and classifies
//! the status, which is the overhead measured. A third side adds one middleware that does nothing
//! but pass the request on: the cost of a middleware.

use std::net::SocketAddr;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use block_storage_client::middleware::{BoxFuture, HttpRequest, HttpResponse, Middleware, Next, SendError};
use block_storage_client::{Client, Config, Credentials, models};
use criterion::{Criterion, criterion_group, criterion_main};

const PROJECT: &str = "f5d834d636c642c7bfe8af86139c6f26";
const TOKEN: &str = "gAAAAA-bench-token";
const RESPONSE: &str = r#"{ "snapshot": { "status": "creating", "size": 2, "metadata": {}, "name": "snapshot1", "volume_id": "cb623b3c-f14a-48d6-a339-d9fda95be662", "created_at": "2020-03-11T14:42:02.823364", "description": null, "id": "a370cf02-f469-4acc-be91-2b27a856806d", "updated_at": null } }"#;

async fn create(
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> (StatusCode, [(&'static str, &'static str); 2], &'static str) {
    // A check per request, so neither side can skip sending what the server needs.
    let authorized = headers.get("x-auth-token").is_some_and(|t| t == TOKEN) && !body.is_empty();
    let status = if authorized {
        StatusCode::ACCEPTED
    } else {
        StatusCode::UNAUTHORIZED
    };
    (
        status,
        [
            ("content-type", "application/json"),
            ("x-openstack-request-id", "req-bench"),
        ],
        RESPONSE,
    )
}

fn server(runtime: &tokio::runtime::Runtime) -> SocketAddr {
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("address");
        let app = Router::new().route("/v3/{project_id}/snapshots", post(create));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("server runs") });
        address
    })
}

fn body() -> models::CreateSnapshotRequestBody {
    models::CreateSnapshotRequestBody::new(
        models::SnapshotCreate::builder()
            .volume_id("cb623b3c-f14a-48d6-a339-d9fda95be662")
            .name("snapshot1")
            .build()
            .with_force(true),
    )
}

/// Passes every request on unchanged.
struct NoOp;

impl Middleware for NoOp {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        next.run(request)
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let address = server(&runtime);
    let endpoint = format!("http://{address}");

    let generated = Client::new(
        Config::new(&endpoint)
            .credentials(Credentials::token(TOKEN))
            .project_id(PROJECT),
    )
    .expect("client");
    let with_middleware = Client::new(
        Config::new(&endpoint)
            .credentials(Credentials::token(TOKEN))
            .project_id(PROJECT)
            .middleware(NoOp),
    )
    .expect("client");
    // reqwest without its own TLS provider needs one installed to build a client at all; the
    // generated client configures its own, so this is the hand-written side's setup only.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let hand = reqwest::Client::new();
    let url = format!("{endpoint}/v3/{PROJECT}/snapshots");
    let request = body();

    // Which side runs first shifts medians by a few percent on a shared machine, so the script runs
    // the sides in both orders (`BENCH_ORDER=reverse`) and averages.
    let mut sides = [
        "generated_client",
        "hand_written_reqwest",
        "generated_client_one_middleware",
    ];
    if std::env::var("BENCH_ORDER").is_ok_and(|order| order == "reverse") {
        sides.reverse();
    }
    let mut group = c.benchmark_group("create_snapshot");
    for side in sides {
        match side {
            "generated_client" => group.bench_function(side, |b| {
                b.to_async(&runtime).iter(|| async {
                    let response = generated.create_snapshot(&request).await.expect("202");
                    assert_eq!(response.status, 202);
                    response.body
                })
            }),
            "generated_client_one_middleware" => group.bench_function(side, |b| {
                b.to_async(&runtime).iter(|| async {
                    let response = with_middleware.create_snapshot(&request).await.expect("202");
                    assert_eq!(response.status, 202);
                    response.body
                })
            }),
            _ => group.bench_function(side, |b| {
                b.to_async(&runtime).iter(|| async {
                    let bytes = serde_json::to_vec(&request).expect("serializes");
                    let response = hand
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .header("X-Auth-Token", TOKEN)
                        .body(bytes)
                        .send()
                        .await
                        .expect("sent");
                    assert_eq!(response.status().as_u16(), 202);
                    let body = response.bytes().await.expect("read");
                    serde_json::from_slice::<models::CreateSnapshotResponseBody>(&body).expect("decodes")
                })
            }),
        };
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
