//! Feeds mutated HTTP requests to generated servers and reports every 5xx and every panic: a
//! request, however broken, must be answered with a 4xx (or a success) in the API's own shape.
//!
//! The servers are the `server_inputs` fixture (every parameter style and body encoding the
//! generator emits) and the stand-in (the three workspace specs, with real handlers and SQLite in
//! memory), driven in-process through their `axum::Router`. Each case starts from a valid seed
//! request and applies a few mutations to its method, path segments, query, headers and body (the
//! body through the same JSON mutations as the spec fuzzer). A finding is saved with its seed and
//! case number, so `--seed S --case N` replays it.
//!
//! `apigen-fuzz-server [--seconds N] [--seed S] [--out DIR] [--case N]`

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apigen_fuzz::mutate::{damage_text, hostile_key, mutate_value};
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use fixture_server_inputs_server as fixture;
use futures_util::FutureExt;
use serde_json::Value;
use tower::ServiceExt;

/// A request before it is built: everything a mutation may touch.
#[derive(Debug, Clone)]
struct Case {
    method: String,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Case {
    fn new(method: &str, path: &str, query: &[(&str, &str)], headers: &[(&str, &str)], body: &[u8]) -> Case {
        Case {
            method: method.to_owned(),
            segments: path.trim_start_matches('/').split('/').map(str::to_owned).collect(),
            query: query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body: body.to_vec(),
        }
    }

    fn uri(&self) -> String {
        let mut uri = format!("/{}", self.segments.join("/"));
        if !self.query.is_empty() {
            let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            uri.push('?');
            uri.push_str(&pairs.join("&"));
        }
        uri
    }

    /// The request, or `None` when the mutations made something HTTP cannot carry (a method or a
    /// URI that does not parse): the server never sees those.
    fn build(&self) -> Option<Request<Body>> {
        let method = Method::from_bytes(self.method.as_bytes()).ok()?;
        let mut builder = Request::builder().method(method).uri(self.uri());
        for (name, value) in &self.headers {
            let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value))
            else {
                continue;
            };
            builder = builder.header(name, value);
        }
        builder.body(Body::from(self.body.clone())).ok()
    }

    fn describe(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v)))
            .collect();
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.uri(),
            headers.join("\n"),
            String::from_utf8_lossy(&self.body)
        )
    }
}

const JSON: (&str, &str) = ("content-type", "application/json");

/// The stand-in's and the fixture's documented requests, valid as they are.
fn seeds() -> Vec<(Target, Case)> {
    let p = "89cd04f168b84af6be287f71730fdb4b";
    let multipart = "--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"sizes\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\nbytes\r\n--b--\r\n";
    vec![
        (
            Target::Standin,
            Case::new(
                "POST",
                &format!("/v5/{p}/snapshots"),
                &[],
                &[JSON],
                br#"{"snapshot": {"volume_id": "2c194dde", "name": "nightly", "tags": {"k": "v"}, "incremental": true}}"#,
            ),
        ),
        (
            Target::Standin,
            Case::new("PUT", &format!("/v2/{p}/cloudsnapshots/s-1"), &[], &[JSON], br#"{"snapshot": {"name": "x", "description": "d"}}"#),
        ),
        (
            Target::Standin,
            Case::new(
                "POST",
                &format!("/v1.0/{p}/snapshots"),
                &[],
                &[("content-type", "application/json;charset=utf-8")],
                br#"{"snapshot": {"cluster_id": "44b277eb", "name": "snapshot-3", "description": "d"}}"#,
            ),
        ),
        (
            Target::Standin,
            Case::new("POST", &format!("/v1.0/{p}/snapshots/s-1/linked-copy"), &[], &[JSON], br#"{"backup_name": "backup20"}"#),
        ),
        (
            Target::Standin,
            Case::new(
                "POST",
                &format!("/v3/{p}/snapshots"),
                &[],
                &[JSON, ("openstack-api-version", "volume 3.65")],
                br#"{"snapshot": {"volume_id": "5aa119a8", "name": "snap-001", "description": null, "force": true, "metadata": {"k": "v"}}}"#,
            ),
        ),
        (Target::Standin, Case::new("GET", "/v3/", &[], &[], b"")),
        (
            Target::Fixture,
            Case::new(
                "POST",
                "/volumes/vol-1/snapshots",
                &[("copies", "2"), ("dry_run", "true")],
                &[JSON, ("x-client-token", "t")],
                br#"{"snapshot": {"name": "nightly", "tags": ["db"], "size_gb": 10, "retention": "daily"}}"#,
            ),
        ),
        (
            Target::Fixture,
            Case::new(
                "GET",
                "/volumes/vol-1/snapshots",
                &[("tag", "a"), ("tag", "b"), ("ids", "1,2"), ("sort", "asc")],
                &[("x-fields", "id, name"), ("cookie", "session=abc")],
                b"",
            ),
        ),
        (Target::Fixture, Case::new("GET", "/snapshots/a.json", &[], &[], b"")),
        (Target::Fixture, Case::new("PUT", "/snapshots/s/note", &[], &[("content-type", "text/plain")], b"a note")),
        (
            Target::Fixture,
            Case::new("PUT", "/snapshots/s/blob", &[], &[("content-type", "application/octet-stream")], b"\x00\x01"),
        ),
        (
            Target::Fixture,
            Case::new("POST", "/forms", &[], &[("content-type", "application/x-www-form-urlencoded")], b"name=ab&count=3"),
        ),
        (
            Target::Fixture,
            Case::new("POST", "/uploads", &[], &[("content-type", "multipart/form-data; boundary=b")], multipart.as_bytes()),
        ),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Standin,
    Fixture,
}

const PATH_VALUES: &[&str] = &[
    "",
    ".",
    "..",
    "%2e",
    "%2E%2e",
    "%FF",
    "%",
    "%zz",
    "a%2Fb",
    "snapshots",
    "{project_id}",
    "é",
    "%00",
    "a b",
];
const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=b",
    "*/*",
    "application/",
    ";;;",
    "",
];
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "BREW",
];

fn mutate(rng: &mut fastrand::Rng, case: &mut Case) {
    match rng.u8(0..10) {
        0 => case.method = METHODS[rng.usize(..METHODS.len())].to_owned(),
        1 => {
            if !case.segments.is_empty() {
                let at = rng.usize(..case.segments.len());
                case.segments[at] = match rng.u8(0..3) {
                    0 => PATH_VALUES[rng.usize(..PATH_VALUES.len())].to_owned(),
                    1 => hostile_key(rng),
                    _ => "x".repeat(rng.usize(0..5000)),
                };
            }
        }
        2 => match rng.u8(0..3) {
            0 => case.segments.push(hostile_key(rng)),
            1 => {
                case.segments.pop();
            }
            _ => case.segments.insert(0, String::new()),
        },
        3 => {
            let key = if rng.bool() && !case.query.is_empty() {
                case.query[rng.usize(..case.query.len())].0.clone()
            } else {
                ["copies", "dry_run", "tag", "ids", "sort", "limit"][rng.usize(..6)].to_owned()
            };
            let value = match rng.u8(0..4) {
                0 => hostile_key(rng),
                1 => format!("{}", rng.i64(..)),
                2 => "%FF%".to_owned(),
                _ => String::new(),
            };
            case.query.push((key, value));
        }
        4 => {
            let media = MEDIA_TYPES[rng.usize(..MEDIA_TYPES.len())];
            case.headers.retain(|(k, _)| k != "content-type");
            if !media.is_empty() {
                case.headers
                    .push(("content-type".to_owned(), media.as_bytes().to_vec()));
            }
        }
        5 => {
            let name = [
                "x-client-token",
                "x-fields",
                "cookie",
                "openstack-api-version",
                "content-length",
                "host",
            ][rng.usize(..6)];
            let value: Vec<u8> = match rng.u8(0..3) {
                0 => hostile_key(rng).into_bytes(),
                1 => (0..rng.usize(0..40)).map(|_| rng.u8(0x20..0x7f)).collect(),
                _ => format!("volume {}.{}", rng.u32(0..5), rng.u32(0..200)).into_bytes(),
            };
            case.headers.push((name.to_owned(), value));
        }
        6 | 7 => {
            if let Ok(mut value) = serde_json::from_slice::<Value>(&case.body) {
                for _ in 0..rng.usize(1..=4) {
                    mutate_value(rng, &mut value);
                }
                case.body = value.to_string().into_bytes();
            } else {
                let mut text = String::from_utf8_lossy(&case.body).into_owned();
                damage_text(rng, &mut text);
                case.body = text.into_bytes();
            }
        }
        8 => {
            let mut text = String::from_utf8_lossy(&case.body).into_owned();
            damage_text(rng, &mut text);
            case.body = text.into_bytes();
        }
        _ => {
            let cut = rng.usize(0..=case.body.len());
            case.body.truncate(cut);
            if rng.bool() {
                case.body.extend((0..rng.usize(0..64)).map(|_| rng.u8(..)));
            }
        }
    }
}

/// Answers every documented operation of the fixture with a documented answer.
struct Fixture;

impl fixture::Api for Fixture {
    async fn sorted_snapshots(
        &self,
        _: fixture::SortedSnapshotsInput,
        _: fixture::Parts,
    ) -> Result<fixture::SortedSnapshotsResponse, fixture::Rejection> {
        Ok(fixture::SortedSnapshotsResponse::Status200(Vec::new()))
    }

    async fn daily_report(
        &self,
        _: fixture::DailyReportInput,
        _: fixture::Parts,
    ) -> Result<fixture::DailyReportResponse, fixture::Rejection> {
        Ok(fixture::DailyReportResponse::Status200(
            fixture::models::DailyReportResponseN200::new(1),
        ))
    }

    async fn weekly_report(
        &self,
        _: fixture::WeeklyReportInput,
        _: fixture::Parts,
    ) -> Result<fixture::WeeklyReportResponse, fixture::Rejection> {
        Ok(fixture::WeeklyReportResponse::Status200(
            fixture::models::WeeklyReportResponseN200::new(7),
        ))
    }

    async fn put_raw_report(
        &self,
        _: fixture::PutRawReportInput,
        _: fixture::Parts,
    ) -> Result<fixture::PutRawReportResponse, fixture::Rejection> {
        Ok(fixture::PutRawReportResponse::Status204)
    }

    async fn create_snapshot(
        &self,
        input: fixture::CreateSnapshotInput,
        _: fixture::Parts,
    ) -> Result<fixture::CreateSnapshotResponse, fixture::Rejection> {
        let body = fixture::models::Snapshot::builder()
            .id("s-1")
            .name(input.body.snapshot.name)
            .status("creating")
            .build();
        Ok(fixture::CreateSnapshotResponse::Status202 {
            body,
            x_request_id: input
                .x_client_token
                .map(|token| apigen_runtime::client::sign::encode(&token)),
            location: format!(
                "/volumes/{}/snapshots/s-1",
                apigen_runtime::client::sign::encode(&input.volume_id)
            ),
        })
    }
    async fn export_snapshot(
        &self,
        input: fixture::ExportSnapshotInput,
        _: fixture::Parts,
    ) -> Result<fixture::ExportSnapshotResponse, fixture::Rejection> {
        Ok(fixture::ExportSnapshotResponse::Status200(input.name))
    }
    async fn list_snapshots(
        &self,
        _: fixture::ListSnapshotsInput,
        _: fixture::Parts,
    ) -> Result<fixture::ListSnapshotsResponse, fixture::Rejection> {
        Ok(fixture::ListSnapshotsResponse::Status200(Vec::new()))
    }
    async fn put_blob(
        &self,
        _: fixture::PutBlobInput,
        _: fixture::Parts,
    ) -> Result<fixture::PutBlobResponse, fixture::Rejection> {
        Ok(fixture::PutBlobResponse::Status204)
    }
    async fn put_note(
        &self,
        _: fixture::PutNoteInput,
        _: fixture::Parts,
    ) -> Result<fixture::PutNoteResponse, fixture::Rejection> {
        Ok(fixture::PutNoteResponse::Status204)
    }
    async fn submit_form(
        &self,
        _: fixture::SubmitFormInput,
        _: fixture::Parts,
    ) -> Result<fixture::SubmitFormResponse, fixture::Rejection> {
        Ok(fixture::SubmitFormResponse::Status204)
    }
    async fn upload(
        &self,
        _: fixture::UploadInput,
        _: fixture::Parts,
    ) -> Result<fixture::UploadResponse, fixture::Rejection> {
        Ok(fixture::UploadResponse::Status201)
    }
}

struct Args {
    seconds: u64,
    seed: u64,
    out: PathBuf,
    case: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 600,
        seed: 1,
        out: PathBuf::from("target/fuzz-server-findings"),
        case: None,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => args.seconds = value("--seconds")?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => args.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--case" => args.case = Some(value("--case")?.parse().map_err(|e| format!("--case: {e}"))?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\nusage: apigen-fuzz-server [--seconds N] [--seed S] [--out DIR] [--case N]");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("no runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> std::process::ExitCode {
    let store = match snapshot_standin::store::Store::open(std::path::Path::new(":memory:")) {
        Ok(store) => store,
        Err(error) => {
            eprintln!("{error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let options = snapshot_standin::Options {
        accepted: snapshot_standin::auth::Accepted {
            open: true,
            ..Default::default()
        },
        user_id: "fuzz".to_owned(),
    };
    let standin = snapshot_standin::Standin::new(store, options).router();
    let fixture_router = fixture::router_with(Arc::new(Fixture), fixture::Limits::default().with_body_bytes(64 * 1024));
    let seeds = seeds();
    // A panic that escapes is a finding, reported by the loop; the default hook would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let cases: Box<dyn Iterator<Item = u64>> = match args.case {
        Some(case) => Box::new(std::iter::once(case)),
        None => Box::new(0..),
    };
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let (mut runs, mut unsendable, mut findings) = (0u64, 0u64, 0u64);
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    for number in cases {
        if args.case.is_none() && Instant::now() >= deadline {
            break;
        }
        let mut rng = fastrand::Rng::with_seed(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ number);
        let (target, seed) = &seeds[rng.usize(..seeds.len())];
        let mut case = seed.clone();
        for _ in 0..rng.usize(1..=4) {
            mutate(&mut rng, &mut case);
        }
        let Some(request) = case.build() else {
            unsendable += 1;
            continue;
        };
        runs += 1;
        let router = match target {
            Target::Standin => standin.clone(),
            Target::Fixture => fixture_router.clone(),
        };
        let answered = AssertUnwindSafe(async move {
            let response = match router.oneshot(request).await {
                Ok(response) => response,
                Err(infallible) => match infallible {},
            };
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((status, body))
        })
        .catch_unwind()
        .await;
        let problem = match answered {
            Ok(Ok((status, _))) if status < 500 => {
                *statuses.entry(status).or_default() += 1;
                None
            }
            Ok(Ok((status, body))) => Some(format!("answered {status}: {}", String::from_utf8_lossy(&body))),
            Ok(Err(message)) => Some(format!("the body could not be read: {message}")),
            Err(_) => Some("a panic escaped the server".to_owned()),
        };
        if let Some(problem) = problem {
            findings += 1;
            let _ = std::fs::create_dir_all(&args.out);
            let saved = args.out.join(format!("seed{}-case{number}.http", args.seed));
            let _ = std::fs::write(&saved, case.describe());
            eprintln!(
                "FINDING case {number} (seed {}): {problem}\n  request: {}",
                args.seed,
                saved.display()
            );
        }
        if runs.is_multiple_of(20_000) {
            eprintln!("{runs} requests, {findings} findings");
        }
    }
    let spread: Vec<String> = statuses.iter().map(|(status, n)| format!("{status}: {n}")).collect();
    println!(
        "{runs} requests in {:.0} s ({unsendable} more not expressible as HTTP): {findings} findings (5xx or panics); statuses {}",
        started.elapsed().as_secs_f64(),
        spread.join(", ")
    );
    if findings == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
