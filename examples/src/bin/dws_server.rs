//! A DWS server implemented on the generated `dws-server` crate: the README's example of
//! implementing a generated server trait.
//!
//! ```text
//! cargo run -p snapshot-examples --bin dws_server -- 127.0.0.1:8080
//! ```

use std::sync::Arc;

use dws_server::{
    Api, CopySnapshotInput, CopySnapshotResponse, CreateSnapshotInput, CreateSnapshotResponse, Parts, Rejection,
    StatusCode, models,
};

struct Dws;

impl Api for Dws {
    async fn create_snapshot(
        &self,
        input: CreateSnapshotInput,
        _request: Parts,
    ) -> Result<CreateSnapshotResponse, Rejection> {
        // The name has 4 to 64 characters and starts with a letter: checked before this runs.
        println!(
            "creating {} of cluster {}",
            input.body.snapshot.name, input.body.snapshot.cluster_id
        );
        let created = models::SnapshotResp::new().with_id("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba90");
        Ok(CreateSnapshotResponse::Status200(
            models::CreateSnapshotResponseBody::new().with_snapshot(created),
        ))
    }

    async fn copy_snapshot(
        &self,
        input: CopySnapshotInput,
        _request: Parts,
    ) -> Result<CopySnapshotResponse, Rejection> {
        Err(Rejection::refuse(
            StatusCode::NOT_FOUND,
            "/snapshot_id",
            format!("no snapshot {}", input.snapshot_id),
        ))
    }

    // Optional: answer refusals in your API's own error shape (the default is RFC 9457 problem+json).
    // fn reject(&self, rejection: Rejection) -> dws_server::Reply { ... }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("{}", listener.local_addr()?);
    axum::serve(listener, dws_server::router(Arc::new(Dws))).await
}
