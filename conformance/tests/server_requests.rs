//! A generated server (the `server_inputs` fixture) over real HTTP on loopback: what it reads off
//! the wire arrives typed, and every bad request is refused before it reaches a handler, with a
//! 4xx (never a 500), in problem+json, naming each violation by its JSON pointer. Requests are
//! written by hand with reqwest: the generated client would refuse to send most of them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use apigen_runtime::for_generated_code::testing::serve_on_loopback;
use fixture_server_inputs_server as server;
use serde_json::{Value, json};
use server::models;

/// Counts the calls that reach it and keeps the last input, as text.
#[derive(Default)]
struct Tracker {
    calls: AtomicUsize,
    last: Mutex<String>,
}

impl Tracker {
    fn saw(&self, input: &impl std::fmt::Debug) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        *self.last.lock().expect("not poisoned") = format!("{input:?}");
    }
}

fn snapshot(name: &str) -> models::Snapshot {
    models::Snapshot::builder()
        .id("s-1")
        .name(name)
        .status("creating")
        .build()
}

impl server::Api for Tracker {
    async fn sorted_snapshots(
        &self,
        _: server::SortedSnapshotsInput,
        _: server::Parts,
    ) -> Result<server::SortedSnapshotsResponse, server::Rejection> {
        Ok(server::SortedSnapshotsResponse::Status200(Vec::new()))
    }

    async fn daily_report(
        &self,
        input: server::DailyReportInput,
        _: server::Parts,
    ) -> Result<server::DailyReportResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::DailyReportResponse::Status200(
            models::DailyReportResponseN200::new(1),
        ))
    }

    async fn weekly_report(
        &self,
        input: server::WeeklyReportInput,
        _: server::Parts,
    ) -> Result<server::WeeklyReportResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::WeeklyReportResponse::Status200(
            models::WeeklyReportResponseN200::new(7),
        ))
    }

    async fn put_raw_report(
        &self,
        input: server::PutRawReportInput,
        _: server::Parts,
    ) -> Result<server::PutRawReportResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::PutRawReportResponse::Status204)
    }

    async fn create_snapshot(
        &self,
        input: server::CreateSnapshotInput,
        _: server::Parts,
    ) -> Result<server::CreateSnapshotResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::CreateSnapshotResponse::Status202 {
            body: snapshot(&input.body.snapshot.name),
            x_request_id: Some("req-1".to_owned()),
            location: format!("/volumes/{}/snapshots/s-1", input.volume_id),
        })
    }

    async fn export_snapshot(
        &self,
        input: server::ExportSnapshotInput,
        _: server::Parts,
    ) -> Result<server::ExportSnapshotResponse, server::Rejection> {
        self.saw(&input);
        if input.name == "boom" {
            panic!("the handler fails on `boom`");
        }
        Ok(server::ExportSnapshotResponse::Status200(format!(
            "snapshot {}",
            input.name
        )))
    }

    async fn list_snapshots(
        &self,
        input: server::ListSnapshotsInput,
        _: server::Parts,
    ) -> Result<server::ListSnapshotsResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::ListSnapshotsResponse::Status200(vec![snapshot("nightly")]))
    }

    async fn put_blob(
        &self,
        input: server::PutBlobInput,
        _: server::Parts,
    ) -> Result<server::PutBlobResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::PutBlobResponse::Status204)
    }

    async fn put_note(
        &self,
        input: server::PutNoteInput,
        _: server::Parts,
    ) -> Result<server::PutNoteResponse, server::Rejection> {
        self.saw(&input);
        if input.snapshot_id == "missing" {
            return Err(server::Rejection::refuse(
                server::StatusCode::NOT_FOUND,
                "/snapshot_id",
                "no snapshot has this id",
            ));
        }
        Ok(server::PutNoteResponse::Status204)
    }

    async fn submit_form(
        &self,
        input: server::SubmitFormInput,
        _: server::Parts,
    ) -> Result<server::SubmitFormResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::SubmitFormResponse::Status204)
    }

    async fn upload(
        &self,
        input: server::UploadInput,
        _: server::Parts,
    ) -> Result<server::UploadResponse, server::Rejection> {
        self.saw(&input);
        Ok(server::UploadResponse::Status201)
    }
}

/// A plain HTTP client (reqwest is built without a TLS provider of its own here; it needs one
/// even for `http://`).
fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A server with a 1 KiB body limit, and a plain HTTP client for it.
async fn start() -> (Arc<Tracker>, String, reqwest::Client) {
    let tracker = Arc::new(Tracker::default());
    let limits = server::Limits::default().with_body_bytes(1024);
    let base = serve_on_loopback(server::router_with(Arc::clone(&tracker), limits)).await;
    (tracker, base, http_client())
}

const GOOD: &str = r#"{"snapshot": {"name": "nightly", "tags": ["db"], "size_gb": 10}}"#;

/// One bad request: what is sent, and the status and pointers of the answer.
struct Case {
    what: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    status: u16,
    pointers: Vec<&'static str>,
}

fn case(
    what: &'static str,
    method: &'static str,
    path: &str,
    body: &str,
    status: u16,
    pointers: &[&'static str],
) -> Case {
    let headers = if body.is_empty() {
        vec![]
    } else {
        vec![("content-type", "application/json")]
    };
    Case {
        what,
        method,
        path: path.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
        status,
        pointers: pointers.to_vec(),
    }
}

fn create(what: &'static str, body: &str, pointers: &[&'static str]) -> Case {
    case(what, "POST", "/volumes/vol-1/snapshots", body, 400, pointers)
}

fn with_headers(mut case: Case, headers: &[(&'static str, &'static str)]) -> Case {
    case.headers = headers.to_vec();
    case
}

fn bad_requests() -> Vec<Case> {
    let long_description = r#"{"snapshot": {"name": "nightly", "description": "ééééééé"}}"#;
    let multipart = "--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nx\r\n--b--\r\n";
    vec![
        create("malformed JSON", r#"{"snapshot": {"name": "nightly""#, &["/snapshot"]),
        create("trailing text", r#"{"snapshot": {"name": "nightly"}} x"#, &["/"]),
        create("a wrong type", r#"{"snapshot": {"name": 7}}"#, &["/snapshot/name"]),
        create(
            "an integer as text",
            r#"{"snapshot": {"name": "nightly", "size_gb": "ten"}}"#,
            &["/snapshot/size_gb"],
        ),
        create("a missing envelope", r#"{}"#, &["/"]),
        create(
            "a missing required field",
            r#"{"snapshot": {"tags": ["db"]}}"#,
            &["/snapshot"],
        ),
        create("too short", r#"{"snapshot": {"name": "ab"}}"#, &["/snapshot/name"]),
        create(
            "too long",
            &format!(r#"{{"snapshot": {{"name": "a{}"}}}}"#, "b".repeat(64)),
            &["/snapshot/name"],
        ),
        create(
            "against the pattern",
            r#"{"snapshot": {"name": "1abc"}}"#,
            &["/snapshot/name"],
        ),
        create(
            "too many bytes, though few characters",
            long_description,
            &["/snapshot/description"],
        ),
        create(
            "too many items",
            r#"{"snapshot": {"name": "nightly", "tags": ["a", "b", "c", "d"]}}"#,
            &["/snapshot/tags"],
        ),
        create(
            "too few items",
            r#"{"snapshot": {"name": "nightly", "tags": []}}"#,
            &["/snapshot/tags"],
        ),
        create(
            "repeated items",
            r#"{"snapshot": {"name": "nightly", "tags": ["a", "a"]}}"#,
            &["/snapshot/tags"],
        ),
        create(
            "an enum value the document does not list",
            r#"{"snapshot": {"name": "nightly", "retention": "hourly"}}"#,
            &["/snapshot/retention"],
        ),
        case(
            "a query enum value the document does not list",
            "GET",
            "/volumes/vol-1/snapshots?sort=sideways",
            "",
            400,
            &["/sort"],
        ),
        create(
            "below the minimum",
            r#"{"snapshot": {"name": "nightly", "size_gb": 0}}"#,
            &["/snapshot/size_gb"],
        ),
        create(
            "above the maximum",
            r#"{"snapshot": {"name": "nightly", "size_gb": 2000}}"#,
            &["/snapshot/size_gb"],
        ),
        create(
            "every violation at once",
            r#"{"snapshot": {"name": "ab", "tags": [], "size_gb": 0}}"#,
            &["/snapshot/name", "/snapshot/tags", "/snapshot/size_gb"],
        ),
        case(
            "a path value too short",
            "POST",
            "/volumes/ab/snapshots",
            GOOD,
            400,
            &["/volume_id"],
        ),
        case(
            "a `.` path value",
            "POST",
            "/volumes/./snapshots",
            GOOD,
            400,
            &["/volume_id"],
        ),
        case(
            "a `..` path value",
            "POST",
            "/volumes/%2e%2E/snapshots",
            GOOD,
            400,
            &["/volume_id"],
        ),
        case(
            "an empty path value",
            "POST",
            "/volumes//snapshots",
            GOOD,
            400,
            &["/volume_id"],
        ),
        case(
            "a path value that is not UTF-8",
            "GET",
            "/snapshots/%FF.json",
            "",
            400,
            &["/name"],
        ),
        case(
            "a query value below its minimum",
            "POST",
            "/volumes/vol-1/snapshots?copies=0",
            GOOD,
            400,
            &["/copies"],
        ),
        case(
            "a query value of the wrong type",
            "POST",
            "/volumes/vol-1/snapshots?copies=two",
            GOOD,
            400,
            &["/copies"],
        ),
        case(
            "a boolean that is not one",
            "POST",
            "/volumes/vol-1/snapshots?dry_run=yes",
            GOOD,
            400,
            &["/dry_run"],
        ),
        case(
            "a scalar given twice",
            "POST",
            "/volumes/vol-1/snapshots?copies=1&copies=2",
            GOOD,
            400,
            &["/copies"],
        ),
        case(
            "a repeated query list too long",
            "GET",
            "/volumes/vol-1/snapshots?tag=a&tag=b&tag=c&tag=d",
            "",
            400,
            &["/tag"],
        ),
        case(
            "a comma list with a bad item",
            "GET",
            "/volumes/vol-1/snapshots?ids=1,x",
            "",
            400,
            &["/ids"],
        ),
        with_headers(
            case(
                "a header value too long",
                "POST",
                "/volumes/vol-1/snapshots",
                GOOD,
                400,
                &["/X-Client-Token"],
            ),
            &[
                ("content-type", "application/json"),
                ("x-client-token", "0123456789abcdefXYZ"),
            ],
        ),
        with_headers(
            case(
                "a cookie against its pattern",
                "GET",
                "/volumes/vol-1/snapshots",
                "",
                400,
                &["/session"],
            ),
            &[("cookie", "theme=dark; session=NOT-LOWER")],
        ),
        with_headers(
            case(
                "an unsupported media type",
                "POST",
                "/volumes/vol-1/snapshots",
                GOOD,
                415,
                &["/"],
            ),
            &[("content-type", "text/plain")],
        ),
        with_headers(
            case(
                "a body without a media type",
                "POST",
                "/volumes/vol-1/snapshots",
                GOOD,
                415,
                &["/"],
            ),
            &[],
        ),
        case("a missing body", "POST", "/volumes/vol-1/snapshots", "", 400, &["/"]),
        case(
            "a body over the limit",
            "POST",
            "/volumes/vol-1/snapshots",
            &format!(r#"{{"snapshot": {{"name": "{}"}}}}"#, "a".repeat(2000)),
            413,
            &["/"],
        ),
        case("a path no operation has", "GET", "/volumes", "", 404, &["/"]),
        case(
            "a method the path does not have",
            "DELETE",
            "/volumes/vol-1/snapshots",
            "",
            405,
            &["/"],
        ),
        with_headers(
            case("a form value too short", "POST", "/forms", "name=a", 400, &["/name"]),
            &[("content-type", "application/x-www-form-urlencoded")],
        ),
        with_headers(
            case(
                "a form value of the wrong type",
                "POST",
                "/forms",
                "name=ab&count=many",
                400,
                &["/count"],
            ),
            &[("content-type", "application/x-www-form-urlencoded")],
        ),
        with_headers(
            case(
                "a multipart body without its file",
                "POST",
                "/uploads",
                multipart,
                400,
                &["/"],
            ),
            &[("content-type", "multipart/form-data; boundary=b")],
        ),
        with_headers(
            case(
                "a multipart body without a boundary",
                "POST",
                "/uploads",
                multipart,
                400,
                &["/"],
            ),
            &[("content-type", "multipart/form-data")],
        ),
        Case {
            what: "a text body that is not UTF-8",
            method: "PUT",
            path: "/snapshots/s-1/note".to_owned(),
            headers: vec![("content-type", "text/plain")],
            body: vec![0xff, 0xfe],
            status: 400,
            pointers: vec!["/"],
        },
    ]
}

/// Sends `case` as it is written, over a plain socket, and reads the status and JSON body.
async fn raw_request(base: &str, case: &Case) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-length: {}\r\n",
        case.method,
        case.path,
        case.body.len()
    );
    for (name, value) in &case.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("writes");
    stream.write_all(&case.body).await.expect("writes");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("reads");
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_bad_request_is_a_4xx_in_problem_json_that_names_each_violation_and_reaches_no_handler() {
    let (tracker, base, http) = start().await;
    let cases = bad_requests();
    assert!(cases.len() >= 25, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        // A URL library resolves `.` and `..` (`%2e` too) before sending: those go over a socket.
        if case.path.contains("/.") || case.path.to_ascii_lowercase().contains("%2e") {
            let (status, document) = raw_request(&base, case).await;
            let pointers: Vec<&str> = document["violations"]
                .as_array()
                .map(|list| list.iter().filter_map(|v| v["pointer"].as_str()).collect())
                .unwrap_or_default();
            if status != case.status || pointers != case.pointers {
                failures.push(format!("{}: got {status} {document}", case.what));
            }
            continue;
        }
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("a method");
        let mut request = http.request(method, format!("{base}{}", case.path));
        for (name, value) in &case.headers {
            request = request.header(*name, *value);
        }
        if !case.body.is_empty() {
            request = request.body(case.body.clone());
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: no answer: {e}", case.what));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let allow = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        let document: Value =
            serde_json::from_slice(&response.bytes().await.unwrap_or_default()).unwrap_or(Value::Null);
        let pointers: Vec<&str> = document["violations"]
            .as_array()
            .map(|list| list.iter().filter_map(|v| v["pointer"].as_str()).collect())
            .unwrap_or_default();
        let reasons_given = document["violations"]
            .as_array()
            .is_some_and(|list| list.iter().all(|v| v["reason"].as_str().is_some_and(|r| !r.is_empty())));
        let fits = status == case.status
            && content_type == "application/problem+json"
            && document["status"] == json!(status)
            && pointers == case.pointers
            && reasons_given
            && (case.status != 405 || allow.as_deref() == Some("POST, GET"));
        if !fits {
            failures.push(format!("{}: got {status} {content_type} {document}", case.what));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases answered otherwise:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(
        tracker.calls.load(Ordering::SeqCst),
        0,
        "a bad request reached a handler"
    );
}

#[tokio::test]
async fn what_the_wire_carries_arrives_typed_with_defaults_applied() {
    let (tracker, base, http) = start().await;
    let response = http
        .post(format!("{base}/volumes/vol%201/snapshots"))
        .header("content-type", "application/json;charset=utf-8")
        .body(GOOD)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["x-request-id"], "req-1");
    assert_eq!(response.headers()["location"], "/volumes/vol 1/snapshots/s-1");
    let last = tracker.last.lock().expect("not poisoned").clone();
    for expected in [
        r#"volume_id: "vol 1""#,
        "dry_run: false",
        "copies: 1",
        "x_client_token: None",
    ] {
        assert!(last.contains(expected), "{expected} not in {last}");
    }

    let response = http
        .get(format!(
            "{base}/volumes/v-1/snapshots?tag=a&tag=b%20c&ids=1,2,3&sort=desc"
        ))
        .header("x-fields", "id, name")
        .header("cookie", "theme=dark; session=abc123")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let last = tracker.last.lock().expect("not poisoned").clone();
    for expected in [
        r#"tag: Some(["a", "b c"])"#,
        "ids: Some([1, 2, 3])",
        "sort: Some(Desc)",
        r#"x_fields: Some(["id", "name"])"#,
        r#"session: Some("abc123")"#,
    ] {
        assert!(last.contains(expected), "{expected} not in {last}");
    }

    let text = http
        .get(format!("{base}/snapshots/a.b.json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(text.headers()["content-type"], "text/plain");
    assert_eq!(text.text().await.expect("text"), "snapshot a.b");

    let form = http
        .post(format!("{base}/forms"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=a+b&count=3")
        .send()
        .await
        .expect("answered");
    assert_eq!(form.status(), 204);
    assert!(
        tracker
            .last
            .lock()
            .expect("not poisoned")
            .contains(r#"name: "a b", count: Some(3)"#)
    );
}

#[tokio::test]
async fn a_panicking_handler_answers_500_in_the_same_shape_and_the_server_keeps_serving() {
    let (_tracker, base, http) = start().await;
    let response = http
        .get(format!("{base}/snapshots/boom.json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let document: Value = serde_json::from_slice(&response.bytes().await.expect("a body")).expect("problem+json");
    assert_eq!(document["status"], 500);
    assert_eq!(document["operation"], "export_snapshot");
    let next = http
        .get(format!("{base}/snapshots/fine.json"))
        .send()
        .await
        .expect("still serving");
    assert_eq!(next.status(), 200);
}

#[tokio::test]
async fn a_handlers_refusal_is_answered_through_the_rejection_hook() {
    let (_tracker, base, http) = start().await;
    let response = http
        .put(format!("{base}/snapshots/missing/note"))
        .header("content-type", "text/plain")
        .body("a note")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 404);
    let document: Value = serde_json::from_slice(&response.bytes().await.expect("a body")).expect("problem+json");
    assert_eq!(document["operation"], "put_note");
    assert_eq!(document["violations"][0]["pointer"], "/snapshot_id");
}

/// An API with its own error shape answers every refusal in it, through the one hook.
struct OwnShape;

impl server::Api for OwnShape {
    async fn sorted_snapshots(
        &self,
        _: server::SortedSnapshotsInput,
        _: server::Parts,
    ) -> Result<server::SortedSnapshotsResponse, server::Rejection> {
        Ok(server::SortedSnapshotsResponse::Status200(Vec::new()))
    }

    async fn daily_report(
        &self,
        _: server::DailyReportInput,
        _: server::Parts,
    ) -> Result<server::DailyReportResponse, server::Rejection> {
        Ok(server::DailyReportResponse::Status200(
            models::DailyReportResponseN200::new(1),
        ))
    }

    async fn weekly_report(
        &self,
        _: server::WeeklyReportInput,
        _: server::Parts,
    ) -> Result<server::WeeklyReportResponse, server::Rejection> {
        Ok(server::WeeklyReportResponse::Status200(
            models::WeeklyReportResponseN200::new(7),
        ))
    }

    async fn put_raw_report(
        &self,
        _: server::PutRawReportInput,
        _: server::Parts,
    ) -> Result<server::PutRawReportResponse, server::Rejection> {
        Ok(server::PutRawReportResponse::Status204)
    }

    async fn create_snapshot(
        &self,
        _: server::CreateSnapshotInput,
        _: server::Parts,
    ) -> Result<server::CreateSnapshotResponse, server::Rejection> {
        // Only bad requests are sent here; were one to pass, it would be refused all the same.
        Err(server::Rejection::refuse(
            server::StatusCode::CONFLICT,
            "",
            "this test sends only bad requests",
        ))
    }
    async fn export_snapshot(
        &self,
        _: server::ExportSnapshotInput,
        _: server::Parts,
    ) -> Result<server::ExportSnapshotResponse, server::Rejection> {
        Ok(server::ExportSnapshotResponse::Status200(String::new()))
    }
    async fn list_snapshots(
        &self,
        _: server::ListSnapshotsInput,
        _: server::Parts,
    ) -> Result<server::ListSnapshotsResponse, server::Rejection> {
        Ok(server::ListSnapshotsResponse::Status200(Vec::new()))
    }
    async fn put_blob(
        &self,
        _: server::PutBlobInput,
        _: server::Parts,
    ) -> Result<server::PutBlobResponse, server::Rejection> {
        Ok(server::PutBlobResponse::Status204)
    }
    async fn put_note(
        &self,
        _: server::PutNoteInput,
        _: server::Parts,
    ) -> Result<server::PutNoteResponse, server::Rejection> {
        Ok(server::PutNoteResponse::Status204)
    }
    async fn submit_form(
        &self,
        _: server::SubmitFormInput,
        _: server::Parts,
    ) -> Result<server::SubmitFormResponse, server::Rejection> {
        Ok(server::SubmitFormResponse::Status204)
    }
    async fn upload(
        &self,
        _: server::UploadInput,
        _: server::Parts,
    ) -> Result<server::UploadResponse, server::Rejection> {
        Ok(server::UploadResponse::Status201)
    }

    fn reject(&self, rejection: server::Rejection) -> server::Reply {
        let message = rejection
            .violations()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        let body = json!({"code": format!("FIX.{}", rejection.status().as_u16()), "message": message});
        let mut reply = server::Reply::new(serde_json::to_vec(&body).expect("JSON").into());
        *reply.status_mut() = rejection.status();
        reply
    }
}

#[tokio::test]
async fn the_rejection_hook_answers_in_the_apis_own_shape() {
    let base = serve_on_loopback(server::router(Arc::new(OwnShape))).await;
    let response = http_client()
        .post(format!("{base}/volumes/vol-1/snapshots"))
        .header("content-type", "application/json")
        .body(r#"{"snapshot": {"name": "ab"}}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 400);
    let body: Value = serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON");
    assert_eq!(
        body,
        json!({"code": "FIX.400", "message": "/snapshot/name: is 2 characters long; the minimum is 4"})
    );
}

#[tokio::test]
async fn the_router_nests_under_a_prefix_and_takes_tower_layers() {
    // A tower layer around the generated router: it marks every answer, refusals included.
    let marked = tower::util::MapResponseLayer::new(|mut response: axum::response::Response| {
        response
            .headers_mut()
            .insert("x-layer", axum::http::HeaderValue::from_static("seen"));
        response
    });
    let app = axum::Router::new().nest("/api", server::router(Arc::new(Tracker::default())).layer(marked));
    let base = serve_on_loopback(app).await;
    let http = http_client();
    let nested = http
        .get(format!("{base}/api/snapshots/x.json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(nested.status(), 200);
    assert_eq!(nested.headers()["x-layer"], "seen");
    let refused = http
        .get(format!("{base}/api/snapshots/%FF.json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status(), 400);
    assert_eq!(refused.headers()["x-layer"], "seen");
    let outside = http
        .get(format!("{base}/snapshots/x.json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(outside.status(), 404);
}
