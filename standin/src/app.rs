//! The stand-in's one router: the admin API under `/_standin/`, and every vendor path answered by
//! the generated server of its service, after what the real services do in front of them: a
//! request id, the request log, queued faults, authentication, Huawei's SDK path for the EVS update,
//! and Cinder's version documents and microversion headers.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use apigen_runtime::server::StatusCode;
use apigen_runtime::server::route::Template;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower::ServiceExt;

use crate::auth::Accepted;
use crate::faults::{Fault, FaultKind, Faults};
use crate::microversion;
use crate::services::{BlockStorage, Dws, Evs, Shared};
use crate::shape::{self, Dialect};
use crate::store::{Service, Store};

/// The largest request body taken, as the generated servers' default.
const BODY_LIMIT: usize = 2 << 20;
/// How many requests the log keeps.
const LOG_LIMIT: usize = 10_000;

/// The operations, by the name faults use, with their method and path.
const OPERATIONS: &[(&str, Method, &str)] = &[
    (
        "evs.create_standard_snapshot",
        Method::POST,
        "/v5/{project_id}/snapshots",
    ),
    (
        "evs.update_snapshot",
        Method::PUT,
        "/v2/{project_id}/snapshots/{snapshot_id}",
    ),
    ("dws.create_snapshot", Method::POST, "/v1.0/{project_id}/snapshots"),
    (
        "dws.copy_snapshot",
        Method::POST,
        "/v1.0/{project_id}/snapshots/{snapshot_id}/linked-copy",
    ),
    (
        "block-storage.create_snapshot",
        Method::POST,
        "/v3/{project_id}/snapshots",
    ),
];

/// One request the stand-in received.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Logged {
    /// The method.
    pub method: String,
    /// The path and query, as received.
    pub path: String,
    /// The operation, when the path is one.
    pub operation: Option<&'static str>,
    /// The status answered (0 for a dropped connection).
    pub status: u16,
    /// The request id it was answered with.
    pub request_id: String,
}

/// Everything the stand-in holds.
pub struct Standin {
    shared: Arc<Shared>,
    accepted: Accepted,
    faults: Faults,
    log: Mutex<VecDeque<Logged>>,
    evs: Router,
    dws: Router,
    block_storage: Router,
    templates: Vec<(&'static str, Method, Template)>,
}

/// How to run a stand-in.
#[derive(Debug, Clone)]
pub struct Options {
    /// Who may call.
    pub accepted: Accepted,
    /// The `user_id` of Block Storage snapshots.
    pub user_id: String,
}

impl Standin {
    /// A stand-in over `store`.
    pub fn new(store: Store, options: Options) -> Arc<Standin> {
        let shared = Arc::new(Shared {
            store,
            user_id: options.user_id,
        });
        // Credentials are verified before dispatch (`Accepted::check`); the generated routers
        // check only that they were presented, which an open stand-in does not ask for.
        let limits = apigen_runtime::server::Limits::default().allow_anonymous(options.accepted.open);
        Arc::new(Standin {
            evs: evs_server::router_with(Arc::new(Evs(Arc::clone(&shared))), limits),
            dws: dws_server::router_with(Arc::new(Dws(Arc::clone(&shared))), limits),
            block_storage: block_storage_server::router_with(Arc::new(BlockStorage(Arc::clone(&shared))), limits),
            shared,
            accepted: options.accepted,
            faults: Faults::default(),
            log: Mutex::new(VecDeque::new()),
            templates: OPERATIONS
                .iter()
                .map(|(name, method, template)| (*name, method.clone(), Template::parse(template)))
                .collect(),
        })
    }

    /// The router to serve.
    pub fn router(self: &Arc<Self>) -> Router {
        let admin = Router::new()
            .route("/snapshots", get(admin_snapshots))
            .route("/snapshots/{service}/{id}", get(admin_snapshot))
            .route("/requests", get(admin_requests))
            .route("/reset", post(admin_reset))
            .route("/faults", get(admin_faults).post(admin_queue_fault));
        let mut router = Router::new().nest("/_standin", admin);
        if let Some(identity) = &self.accepted.identity {
            router = router.nest_service("/identity", identity.router());
        }
        router.fallback(vendor).with_state(Arc::clone(self))
    }

    fn operation(&self, method: &Method, path: &str) -> Option<&'static str> {
        self.templates
            .iter()
            .find(|(_, m, template)| m == method && template.matches(path).is_some())
            .map(|(name, _, _)| *name)
    }

    fn record(&self, entry: Logged) {
        tracing::info!(
            method = %entry.method,
            path = %entry.path,
            status = entry.status,
            request_id = %entry.request_id,
            operation = entry.operation.unwrap_or("-"),
            "request"
        );
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(entry);
    }
}

async fn vendor(State(standin): State<Arc<Standin>>, request: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = request.method().clone();
    let shown_path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let sent_uri = request.uri().clone();
    let request = rewrite_sdk_path(request);
    let path = request.uri().path().to_owned();
    let operation = standin.operation(&method, &path);
    let dialect = Dialect::of_path(&path);
    let (status, response) = match dialect {
        None => {
            let body = json!({"error": format!("no service of the stand-in has the path `{path}`")});
            (
                StatusCode::NOT_FOUND,
                (StatusCode::NOT_FOUND, Json(body)).into_response(),
            )
        }
        Some(dialect) => match serve(&standin, dialect, operation, request, &sent_uri, &request_id).await {
            Some(response) => (response.status(), response),
            None => {
                standin.record(Logged {
                    method: method.to_string(),
                    path: shown_path,
                    operation,
                    status: 0,
                    request_id,
                });
                // A dropped connection: unwinding the connection's task closes its socket without an
                // answer; `resume_unwind` skips the panic hook, so nothing is printed.
                std::panic::resume_unwind(Box::new("a queued fault drops the connection"));
            }
        },
    };
    let mut response = response;
    let (header, value) = match dialect {
        Some(Dialect::Cinder) => ("x-openstack-request-id", format!("req-{request_id}")),
        _ => ("x-request-id", request_id.replace('-', "")),
    };
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header, value);
    }
    standin.record(Logged {
        method: method.to_string(),
        path: shown_path,
        operation,
        status: status.as_u16(),
        request_id: value,
    });
    response
}

/// Huawei's SDK updates an EVS snapshot at `/v2/{project_id}/cloudsnapshots/{snapshot_id}`; it
/// is the documented `/v2/{project_id}/snapshots/{snapshot_id}` (see spec/NOTES.md).
fn rewrite_sdk_path(mut request: Request) -> Request {
    let path = request.uri().path();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if let ["v2", project, "cloudsnapshots", id] = segments.as_slice() {
        let mut rewritten = format!("/v2/{project}/snapshots/{id}");
        if let Some(query) = request.uri().query() {
            rewritten.push('?');
            rewritten.push_str(query);
        }
        if let Ok(uri) = rewritten.parse() {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// A vendor request; `None` when a fault drops the connection.
async fn serve(
    standin: &Standin,
    dialect: Dialect,
    operation: Option<&'static str>,
    request: Request,
    sent_uri: &axum::http::Uri,
    request_id: &str,
) -> Option<Response> {
    if let Some(fault) = operation.and_then(|op| standin.faults.take(op)) {
        match fault {
            FaultKind::Drop => return None,
            FaultKind::DelayMs(ms) => tokio::time::sleep(crate::faults::delay(ms)).await,
            FaultKind::Status(code) => {
                let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                let body = shape::error_body(dialect, status, "a fault queued through /_standin/faults");
                return Some(shape::reply(status, &body).map(Body::from));
            }
        }
    }
    if dialect == Dialect::Cinder
        && let Some(document) = version_document(&request)
    {
        return Some(document);
    }
    let (head, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let status = StatusCode::PAYLOAD_TOO_LARGE;
            let message = format!("the body could not be read, or is over {BODY_LIMIT} bytes");
            let mut reply = shape::reply(status, &shape::error_body(dialect, status, &message));
            // The rest of the body is unread: the connection cannot carry another request.
            reply
                .headers_mut()
                .insert(axum::http::header::CONNECTION, HeaderValue::from_static("close"));
            return Some(reply.map(Body::from));
        }
    };
    if let Err(refusal) = standin.accepted.check(&head.method, sent_uri, &head.headers, &bytes) {
        let body = shape::unauthorized_body(dialect, &refusal.to_string(), request_id);
        return Some(shape::reply(StatusCode::UNAUTHORIZED, &body).map(Body::from));
    }
    let cinder_version = (dialect == Dialect::Cinder).then(|| microversion::of_request(&head.headers));
    if let (Some(version), Some(read)) = (&cinder_version, CinderRead::of(&head.method, head.uri.path())) {
        return Some(cinder_read(standin, version, read, head.uri.query()).await);
    }
    let request = Request::from_parts(head, Body::from(bytes));
    let router = match dialect.service() {
        Service::Evs => standin.evs.clone(),
        Service::Dws => standin.dws.clone(),
        Service::BlockStorage => standin.block_storage.clone(),
    };
    let answered = shape::DIALECT.scope(dialect, router.oneshot(request)).await;
    let mut response = match answered {
        Ok(response) => response,
        Err(infallible) => match infallible {},
    };
    if let Some(Ok(version)) = cinder_version {
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&format!("volume {version}")) {
            headers.insert("openstack-api-version", value);
        }
        headers.insert("vary", HeaderValue::from_static("OpenStack-API-Version"));
    }
    Some(response)
}

/// The reads python-cinderclient, openstacksdk and openstackclient make around a create, which the
/// document (it describes the create) does not have: a snapshot, the project's snapshots, and a
/// volume. The stand-in keeps no volumes: every volume id names an available one (spec/NOTES.md).
///
/// The project's snapshots are served at `.../snapshots/detail` only, the list those clients ask
/// for: `GET .../snapshots` is the document's own path, where only POST is declared, so it
/// answers 405 as the document says (Schemathesis checks exactly that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CinderRead<'p> {
    /// `GET /v3/{project_id}/snapshots/{snapshot_id}`.
    Snapshot(&'p str, &'p str),
    /// `GET /v3/{project_id}/snapshots/detail`.
    Snapshots(&'p str),
    /// `GET /v3/{project_id}/volumes/{volume_id}`.
    Volume(&'p str),
    /// `GET /v3/{project_id}/volumes` and `.../volumes/detail`.
    Volumes,
}

impl<'p> CinderRead<'p> {
    fn of(method: &Method, path: &'p str) -> Option<CinderRead<'p>> {
        if method != Method::GET {
            return None;
        }
        let segments: Vec<&str> = path.trim_start_matches('/').trim_end_matches('/').split('/').collect();
        match segments.as_slice() {
            ["v3", project, "snapshots", "detail"] => Some(CinderRead::Snapshots(project)),
            ["v3", project, "snapshots", id] => Some(CinderRead::Snapshot(project, id)),
            ["v3", _, "volumes"] | ["v3", _, "volumes", "detail"] => Some(CinderRead::Volumes),
            ["v3", _, "volumes", id] => Some(CinderRead::Volume(id)),
            _ => None,
        }
    }
}

async fn cinder_read(
    standin: &Standin,
    version: &Result<microversion::Microversion, apigen_runtime::server::Rejection>,
    read: CinderRead<'_>,
    query: Option<&str>,
) -> Response {
    let version = match version {
        Ok(version) => *version,
        Err(rejection) => return shape::rejection_reply(Dialect::Cinder, rejection).map(Body::from),
    };
    let failed = |error: &dyn std::fmt::Display| {
        let body = shape::error_body(Dialect::Cinder, StatusCode::INTERNAL_SERVER_ERROR, &error.to_string());
        shape::reply(StatusCode::INTERNAL_SERVER_ERROR, &body).map(Body::from)
    };
    let body = match read {
        CinderRead::Snapshot(project, id) => match standin.shared.store.get(Service::BlockStorage, project, id).await {
            Ok(Some(stored)) => json!({"snapshot": crate::services::at_version(stored.snapshot, version)}),
            Ok(None) => {
                let message = format!("Snapshot {id} could not be found.");
                let body = shape::error_body(Dialect::Cinder, StatusCode::NOT_FOUND, &message);
                return shape::reply(StatusCode::NOT_FOUND, &body).map(Body::from);
            }
            Err(error) => return failed(&error),
        },
        CinderRead::Snapshots(project) => match standin.shared.store.all().await {
            Ok(all) => {
                let filters: Vec<(String, String)> = query
                    .map(|q| {
                        url_pairs(q)
                            .into_iter()
                            .filter(|(k, _)| matches!(k.as_str(), "name" | "status" | "volume_id"))
                            .collect()
                    })
                    .unwrap_or_default();
                let shown: Vec<serde_json::Value> = all
                    .into_iter()
                    .filter(|s| s.service == Service::BlockStorage && s.project_id == project)
                    .filter(|s| {
                        filters
                            .iter()
                            .all(|(k, v)| s.snapshot.get(k).and_then(|f| f.as_str()) == Some(v.as_str()))
                    })
                    .map(|s| crate::services::at_version(s.snapshot, version))
                    .collect();
                json!({ "snapshots": shown })
            }
            Err(error) => return failed(&error),
        },
        CinderRead::Volume(id) => json!({"volume": {
            "id": id,
            "name": null,
            "status": "available",
            "size": 1,
            "availability_zone": "nova",
            "bootable": "false",
            "volume_type": "__DEFAULT__",
            "attachments": [],
            "metadata": {},
            "links": [],
        }}),
        CinderRead::Volumes => json!({"volumes": []}),
    };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("volume {version}")) {
        response.headers_mut().insert("openstack-api-version", value);
    }
    response
}

/// A query's pairs, percent-decoded.
fn url_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// `GET /` (300, the versions) and `GET /v3/` (this version), as Cinder serves them.
fn version_document(request: &Request) -> Option<Response> {
    if request.method() != Method::GET {
        return None;
    }
    let host = request
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = format!("http://{host}");
    match request.uri().path() {
        "/" => Some(
            (
                StatusCode::MULTIPLE_CHOICES,
                Json(json!({"versions": [microversion::version_document(&base)]})),
            )
                .into_response(),
        ),
        "/v3" | "/v3/" => Some(Json(json!({"versions": [microversion::version_document(&base)]})).into_response()),
        _ => None,
    }
}

async fn admin_snapshots(State(standin): State<Arc<Standin>>) -> Response {
    match standin.shared.store.all().await {
        Ok(all) => Json(json!({"snapshots": all})).into_response(),
        Err(error) => admin_error(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}

async fn admin_snapshot(State(standin): State<Arc<Standin>>, Path((service, id)): Path<(String, String)>) -> Response {
    let Some(service) = Service::parse(&service) else {
        return admin_error(StatusCode::NOT_FOUND, "the services are evs, dws and block-storage");
    };
    match standin.shared.store.all().await {
        Ok(all) => match all.into_iter().find(|s| s.service == service && s.id == id) {
            Some(found) => Json(found).into_response(),
            None => admin_error(StatusCode::NOT_FOUND, "no such snapshot"),
        },
        Err(error) => admin_error(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}

async fn admin_requests(State(standin): State<Arc<Standin>>) -> Response {
    let log = standin.log.lock().unwrap_or_else(|p| p.into_inner());
    let requests: Vec<&Logged> = log.iter().collect();
    Json(json!({"requests": requests})).into_response()
}

async fn admin_reset(State(standin): State<Arc<Standin>>) -> Response {
    standin.faults.clear();
    standin.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    match standin.shared.store.reset().await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => admin_error(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}

async fn admin_faults(State(standin): State<Arc<Standin>>) -> Response {
    Json(json!({"faults": standin.faults.list()})).into_response()
}

async fn admin_queue_fault(State(standin): State<Arc<Standin>>, body: axum::body::Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(fault) => fault,
        Err(error) => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "a fault is {{\"operation\": \"dws.create_snapshot\", \"count\": 1, \"kind\": {{\"status\": 503}} | {{\"delay_ms\": 500}} | \"drop\"}}: {error}"
                ),
            );
        }
    };
    if !OPERATIONS.iter().any(|(name, _, _)| *name == fault.operation) {
        let names: Vec<&str> = OPERATIONS.iter().map(|(name, _, _)| *name).collect();
        return admin_error(
            StatusCode::BAD_REQUEST,
            &format!(
                "`{}` is not an operation; the operations are {}",
                fault.operation,
                names.join(", ")
            ),
        );
    }
    if let FaultKind::Status(code) = fault.kind
        && StatusCode::from_u16(code).is_err()
    {
        return admin_error(StatusCode::BAD_REQUEST, "the status is not an HTTP status");
    }
    standin.faults.push(fault);
    (StatusCode::CREATED, Json(json!({"faults": standin.faults.list()}))).into_response()
}

fn admin_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}
