//! One documented create (DWS `create_snapshot`, its example body) through the generated server
//! beside the same handler written by hand with axum, in one run. `scripts/bench_server.sh` runs
//! it and prints the ratio of medians.
//!
//! Both sides are driven in-process through `Router::oneshot`, so the network is not measured:
//! only routing, reading the body into the generated model, validating it, the handler, and
//! writing the JSON answer. The hand-written side does the same work the way an axum user would
//! (`Path` and `Json` extractors, `Validate::validate`, `Json` response); the generated side also
//! checks the media type, the body limit and every parameter, and catches panics.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use criterion::{Criterion, criterion_group, criterion_main};
use dws_models::{CreateSnapshotRequestBody, CreateSnapshotResponseBody, SnapshotResp, Validate};
use tower::ServiceExt;

const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";
const BODY: &str = r#"{"snapshot": {"cluster_id": "44b277eb-39be-4921-be31-3d61b43651d7", "name": "snapshot-3", "description": "Snapshot-3 description"}}"#;
const ID: &str = "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba90";

/// The handler both sides share: what the service does once the request is read.
fn answer(project_id: &str, body: &CreateSnapshotRequestBody) -> CreateSnapshotResponseBody {
    debug_assert_eq!(project_id, PROJECT);
    debug_assert_eq!(body.snapshot.name, "snapshot-3");
    CreateSnapshotResponseBody::new().with_snapshot(SnapshotResp::new().with_id(ID))
}

struct Generated;

impl dws_server::Api for Generated {
    async fn create_snapshot(
        &self,
        input: dws_server::CreateSnapshotInput,
        _request: dws_server::Parts,
    ) -> Result<dws_server::CreateSnapshotResponse, dws_server::Rejection> {
        Ok(dws_server::CreateSnapshotResponse::Status200(answer(
            &input.project_id,
            &input.body,
        )))
    }

    async fn copy_snapshot(
        &self,
        _input: dws_server::CopySnapshotInput,
        _request: dws_server::Parts,
    ) -> Result<dws_server::CopySnapshotResponse, dws_server::Rejection> {
        Ok(dws_server::CopySnapshotResponse::Status404)
    }
}

async fn hand_written(
    Path(project_id): Path<String>,
    Json(body): Json<CreateSnapshotRequestBody>,
) -> impl IntoResponse {
    match body.validate() {
        Ok(()) => (StatusCode::OK, Json(answer(&project_id, &body))).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    }
}

fn request() -> Request<Body> {
    Request::post(format!("/v1.0/{PROJECT}/snapshots"))
        .header("content-type", "application/json")
        .body(Body::from(BODY))
        .expect("a request")
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let generated = dws_server::router(Arc::new(Generated));
    let hand = axum::Router::new().route("/v1.0/{project_id}/snapshots", post(hand_written));
    // Both answer the same, or the comparison means nothing.
    for router in [&generated, &hand] {
        let response = runtime.block_on(router.clone().oneshot(request())).expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        let body = runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .expect("a body");
        assert_eq!(body.as_ref(), format!(r#"{{"snapshot":{{"id":"{ID}"}}}}"#).as_bytes());
    }
    let mut group = c.benchmark_group("create_snapshot_server");
    let mut sides = vec![("generated_server", generated), ("hand_written_axum", hand)];
    if std::env::var("BENCH_ORDER").as_deref() == Ok("reverse") {
        sides.reverse();
    }
    for (name, router) in sides {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let router = router.clone();
                async move {
                    let response = router.oneshot(request()).await.expect("answered");
                    axum::body::to_bytes(response.into_body(), usize::MAX)
                        .await
                        .expect("a body")
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
