//! The mock every server crate builds (`NAME-mock`), as a user runs it: generated from the EVS spec
//! with `--spec --out`, built with plain `cargo build`, started with `--listen 127.0.0.1:0`, and
//! asked over plain HTTP. It answers with the documented examples, picks among them by `Prefer`,
//! and answers a request that breaks the document as the document answers that status.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use apigen_codegen::workspace::{GenerateInto, generate_into};

#[path = "support/build_dir.rs"]
mod build_dir;
use build_dir::workspace_root;

fn binary() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("sdk");
        generate_into(&workspace_root().join("spec/evs.yaml"), &out, &GenerateInto::default()).expect("generates");
        let crate_dir = out.join("evs-server");
        std::fs::copy(workspace_root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock");
        let target = build_dir::generated_target_dir();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--quiet", "--bin", "evs-mock"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (
            dir,
            target
                .join("debug")
                .join(format!("evs-mock{}", std::env::consts::EXE_SUFFIX)),
        )
    });
    path
}

/// The mock on a free port; killed when dropped.
struct Mock {
    child: Child,
    address: String,
}

impl Mock {
    fn start() -> Mock {
        let mut child = Command::new(binary())
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the mock starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("its first line");
        let address = first.trim().to_owned();
        assert!(address.starts_with("127.0.0.1:"), "{first:?}");
        Mock { child, address }
    }

    /// One request; the status, the lowercased head and the body.
    fn send(&self, method: &str, path: &str, headers: &[&str], body: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n",
            self.address
        );
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
        let status = head[9..12].parse().expect("a status");
        (status, head.to_ascii_lowercase(), body.to_owned())
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const JSON: &str = "content-type: application/json";
const TOKEN: &str = "x-auth-token: any";

#[test]
fn the_documented_example_answers_and_prefer_picks_another() {
    let mock = Mock::start();
    let (status, head, body) = mock.send("POST", "/v5/p1/snapshots", &[JSON, TOKEN], r#"{"snapshot": {}}"#);
    assert_eq!(status, 202);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(
        body,
        r#"{"job_id":"ee62a0c1e79c4e11be5adc17a49f69ef","snapshot_id":"bb02c803-55ac-4e84-9c80-60d352199d7d"}"#
    );
    let prefer = "prefer: code=404, example=item_not_found";
    let (status, _, body) = mock.send(
        "PUT",
        "/v2/p1/snapshots/s1",
        &[JSON, TOKEN, prefer],
        r#"{"snapshot": {}}"#,
    );
    assert_eq!(
        (status, body.as_str()),
        (404, r#"{"itemNotFound":{"message":"XXXX","code":"XXX"}}"#)
    );
    // A preference nothing documents is a 400, answered in the operation's documented error shape.
    let (status, _, body) = mock.send(
        "PUT",
        "/v2/p1/snapshots/s1",
        &[JSON, TOKEN, "prefer: example=nope"],
        "{}",
    );
    assert_eq!(
        (status, body.as_str()),
        (400, r#"{"error":{"message":"XXXX","code":"XXX"}}"#)
    );
}

#[test]
fn a_request_that_breaks_the_document_gets_the_documented_error() {
    let mock = Mock::start();
    let long = format!(r#"{{"snapshot": {{"name": "{}"}}}}"#, "n".repeat(65));
    let (status, head, body) = mock.send("POST", "/v5/p1/snapshots", &[JSON, TOKEN], &long);
    assert_eq!(status, 400);
    // EVS documents its 400 with an `{"error": {...}}` body: the mock answers with it.
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(body, r#"{"error":{"message":"XXXX","code":"EVS.XXX"}}"#);
    let (status, _, _) = mock.send("POST", "/v5/p1/snapshots", &[JSON], r#"{"snapshot": {}}"#);
    assert_eq!(status, 401, "no credentials");
}
