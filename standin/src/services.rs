//! The three generated server traits, implemented as the five documents describe the operations.
//! Each write is committed to the store before its answer is returned.

use std::sync::Arc;

use apigen_runtime::server::{Parts, Rejection, StatusCode};
use serde_json::{Value, json};

use crate::clock;
use crate::microversion::{self, Microversion};
use crate::store::{Service, Store, Stored};

/// What every service implementation shares.
#[derive(Debug)]
pub struct Shared {
    /// The snapshots.
    pub store: Store,
    /// The user the Block Storage snapshots are created by (`user_id`, from 3.41).
    pub user_id: String,
}

fn internal(error: impl std::fmt::Display) -> Rejection {
    Rejection::refuse(StatusCode::INTERNAL_SERVER_ERROR, "", error.to_string())
}

/// A typed answer from the JSON the stand-in keeps; a mismatch is the stand-in's fault (500).
fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Rejection> {
    serde_json::from_value(value).map_err(internal)
}

fn not_found(pointer: &str, what: &str, id: &str, project: &str) -> Rejection {
    Rejection::refuse(
        StatusCode::NOT_FOUND,
        pointer,
        format!("no {what} `{id}` exists in project `{project}`"),
    )
}

/// Huawei Cloud EVS: the v5 create and the v2 update.
#[derive(Debug, Clone)]
pub struct Evs(pub Arc<Shared>);

impl evs_server::Api for Evs {
    fn reject(&self, rejection: Rejection) -> apigen_runtime::server::Reply {
        crate::shape::reject_in_current_dialect(&rejection)
    }

    async fn create_standard_snapshot(
        &self,
        input: evs_server::CreateStandardSnapshotInput,
        _request: Parts,
    ) -> Result<evs_server::CreateStandardSnapshotResponse, Rejection> {
        let snapshot = &input.body.snapshot;
        let id = uuid::Uuid::new_v4().to_string();
        let now = clock::openstack_time();
        let mut document = json!({
            "id": id,
            "status": "available",
            "name": snapshot.name.clone().unwrap_or_default(),
            "description": snapshot.description.clone().unwrap_or_default(),
            "created_at": now,
            "updated_at": now,
            "metadata": snapshot.tags.clone().unwrap_or_default(),
            "size": 10,
            "os-extended-snapshot-attributes:progress": "100%",
            "os-extended-snapshot-attributes:project_id": input.project_id,
        });
        // Document 002 marks `volume_id` optional ("Mandatory: No") and says nothing of what a
        // snapshot without one is of; the stand-in takes it and stores none (spec/NOTES.md).
        if let Some(volume_id) = &snapshot.volume_id {
            document["volume_id"] = json!(volume_id);
        }
        self.0
            .store
            .insert(Stored {
                service: Service::Evs,
                id: id.clone(),
                project_id: input.project_id.clone(),
                snapshot: document,
            })
            .await
            .map_err(internal)?;
        let job_id = uuid::Uuid::new_v4().simple().to_string();
        Ok(evs_server::CreateStandardSnapshotResponse::Status202(typed(
            json!({"job_id": job_id, "snapshot_id": id}),
        )?))
    }

    async fn update_snapshot(
        &self,
        input: evs_server::UpdateSnapshotInput,
        _request: Parts,
    ) -> Result<evs_server::UpdateSnapshotResponse, Rejection> {
        let store = &self.0.store;
        let Some(stored) = store
            .get(Service::Evs, &input.project_id, &input.snapshot_id)
            .await
            .map_err(internal)?
        else {
            return Err(not_found(
                "/snapshot_id",
                "snapshot",
                &input.snapshot_id,
                &input.project_id,
            ));
        };
        let mut document = stored.snapshot;
        let change = &input.body.snapshot;
        if let Some(name) = &change.name {
            document["name"] = json!(name);
        }
        if let Some(description) = &change.description {
            document["description"] = json!(description);
        }
        document["updated_at"] = json!(clock::openstack_time());
        store
            .update(Service::Evs, &input.snapshot_id, document.clone())
            .await
            .map_err(internal)?;
        Ok(evs_server::UpdateSnapshotResponse::Status200(typed(
            json!({"snapshot": document}),
        )?))
    }
}

/// Huawei Cloud DWS: create a snapshot, and copy one.
#[derive(Debug, Clone)]
pub struct Dws(pub Arc<Shared>);

impl Dws {
    async fn store_new(
        &self,
        project_id: &str,
        cluster_id: &str,
        name: &str,
        description: Option<&str>,
    ) -> Result<String, Rejection> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = clock::huawei_time();
        let document = json!({
            "id": id,
            "name": name,
            "description": description.unwrap_or_default(),
            "cluster_id": cluster_id,
            "status": "COMPLETED",
            "type": "MANUAL",
            "started": now,
            "finished": now,
        });
        self.0
            .store
            .insert(Stored {
                service: Service::Dws,
                id: id.clone(),
                project_id: project_id.to_owned(),
                snapshot: document,
            })
            .await
            .map_err(internal)?;
        Ok(id)
    }
}

impl dws_server::Api for Dws {
    fn reject(&self, rejection: Rejection) -> apigen_runtime::server::Reply {
        crate::shape::reject_in_current_dialect(&rejection)
    }

    async fn create_snapshot(
        &self,
        input: dws_server::CreateSnapshotInput,
        _request: Parts,
    ) -> Result<dws_server::CreateSnapshotResponse, Rejection> {
        let snapshot = &input.body.snapshot;
        let id = self
            .store_new(
                &input.project_id,
                &snapshot.cluster_id,
                &snapshot.name,
                snapshot.description.as_deref(),
            )
            .await?;
        Ok(dws_server::CreateSnapshotResponse::Status200(typed(
            json!({"snapshot": {"id": id}}),
        )?))
    }

    async fn copy_snapshot(
        &self,
        input: dws_server::CopySnapshotInput,
        _request: Parts,
    ) -> Result<dws_server::CopySnapshotResponse, Rejection> {
        let Some(source) = self
            .0
            .store
            .get(Service::Dws, &input.project_id, &input.snapshot_id)
            .await
            .map_err(internal)?
        else {
            return Err(not_found(
                "/snapshot_id",
                "snapshot",
                &input.snapshot_id,
                &input.project_id,
            ));
        };
        let cluster_id = source.snapshot["cluster_id"].as_str().unwrap_or_default().to_owned();
        let id = self
            .store_new(
                &input.project_id,
                &cluster_id,
                &input.body.backup_name,
                input.body.description.as_deref(),
            )
            .await?;
        Ok(dws_server::CopySnapshotResponse::Status200(typed(
            json!({"snapshot_id": id}),
        )?))
    }
}

/// OpenStack Block Storage: create a snapshot, at the request's microversion.
#[derive(Debug, Clone)]
pub struct BlockStorage(pub Arc<Shared>);

impl block_storage_server::Api for BlockStorage {
    fn reject(&self, rejection: Rejection) -> apigen_runtime::server::Reply {
        crate::shape::reject_in_current_dialect(&rejection)
    }

    async fn create_snapshot(
        &self,
        input: block_storage_server::CreateSnapshotInput,
        request: Parts,
    ) -> Result<block_storage_server::CreateSnapshotResponse, Rejection> {
        let version = microversion::of_request(&request.headers)?;
        let snapshot = &input.body.snapshot;
        let id = uuid::Uuid::new_v4().to_string();
        let description = match &snapshot.description {
            apigen_runtime::Nullable::Value(text) => json!(text),
            _ => Value::Null,
        };
        let document = json!({
            "id": id,
            "volume_id": snapshot.volume_id,
            "name": snapshot.name,
            "status": "creating",
            "description": description,
            "created_at": clock::openstack_time(),
            "updated_at": Value::Null,
            "metadata": snapshot.metadata.clone().into_option().unwrap_or_default(),
            "size": 1,
            "user_id": self.0.user_id,
            "count": 1,
        });
        self.0
            .store
            .insert(Stored {
                service: Service::BlockStorage,
                id: id.clone(),
                project_id: input.project_id.clone(),
                snapshot: document.clone(),
            })
            .await
            .map_err(internal)?;
        let shown = at_version(document, version);
        let host = request
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        Ok(block_storage_server::CreateSnapshotResponse::Status202 {
            body: typed(json!({"snapshot": shown}))?,
            // The project id arrived percent-decoded; in a URL it goes encoded again.
            location: Some(format!(
                "http://{host}/v3/{}/snapshots/{id}",
                apigen_runtime::client::sign::encode(&input.project_id)
            )),
        })
    }
}

/// A Block Storage snapshot as `version` shows it: fields appear from the microversion that
/// introduced them (`user_id` 3.41, `count` 3.45), as the document's `x-openstack.min-ver` says.
pub fn at_version(mut document: Value, version: Microversion) -> Value {
    const INTRODUCED: &[(&str, Microversion)] = &[("user_id", Microversion(3, 41)), ("count", Microversion(3, 45))];
    if let Some(fields) = document.as_object_mut() {
        for (field, since) in INTRODUCED {
            if version < *since {
                fields.remove(*field);
            }
        }
    }
    document
}
