//! The stand-in binary under load and a hard kill: 2,000 creates from 64 concurrent tasks each get
//! a distinct id and can be updated afterwards; after SIGKILL, a restart on the same database still
//! has all 2,000, with their updates.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

const CREATES: usize = 2_000;
const TASKS: usize = 64;
const PROJECT: &str = "89cd04f168b84af6be287f71730fdb4b";

/// The stand-in on a free port over `db`, and its base URL from the first line of its stdout.
fn start(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_snapshot-standin"))
        .args(["--listen", "127.0.0.1:0", "--no-auth", "--db"])
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the stand-in starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("its first line");
    let address = first.trim();
    assert!(
        address.starts_with("127.0.0.1:"),
        "the first line is the address: {first:?}"
    );
    (child, format!("http://{address}"))
}

fn client(base: &str) -> evs_client::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The document requires a token or a signature, so the client sends one; the stand-in runs
    // `--no-auth` and takes it whatever it is.
    let config = apigen_runtime::client::Config::new(base)
        .credentials(apigen_runtime::client::Credentials::token("any"))
        .project_id(PROJECT);
    evs_client::Client::new(config).expect("a client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_concurrent_creates_survive_sigkill_and_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("standin.sqlite3");
    let (mut child, base) = start(&db);
    let client = Arc::new(client(&base));

    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let client = Arc::clone(&client);
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in (task..CREATES).step_by(TASKS) {
                let body = evs_client::models::CreateStandardSnapshotRequestBody::new(
                    evs_client::models::CreateStandardSnapshot::new()
                        .with_volume_id("2c194dde-7de5-4529-a141-49f48181f411")
                        .with_name(format!("load-{n}")),
                );
                let created = client.create_standard_snapshot(&body).await.expect("created");
                ids.push(created.body.snapshot_id.expect("an id"));
            }
            ids
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.extend(task.await.expect("the task ran"));
    }
    assert_eq!(ids.len(), CREATES, "every create was answered");
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), CREATES, "every id is distinct");

    let ids = Arc::new(ids);
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let (client, ids) = (Arc::clone(&client), Arc::clone(&ids));
        tasks.push(tokio::spawn(async move {
            for n in (task..CREATES).step_by(TASKS) {
                let body = evs_client::models::UpdateSnapshotRequestBody::new(
                    evs_client::models::UpdateSnapshotOption::new().with_name(format!("updated-{n}")),
                );
                let updated = client.update_snapshot(&ids[n], &body).await.expect("updated");
                let name = updated.body.snapshot.and_then(|s| s.name);
                assert_eq!(name.as_deref(), Some(format!("updated-{n}").as_str()));
            }
        }));
    }
    for task in tasks {
        task.await.expect("the task ran");
    }

    // SIGKILL: no shutdown, no flush; only what was committed before each answer is left.
    child.kill().expect("killed");
    child.wait().expect("reaped");
    let (mut child, base) = start(&db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listed = reqwest::Client::new()
        .get(format!("{base}/_standin/snapshots"))
        .send()
        .await
        .expect("answered")
        .bytes()
        .await
        .expect("a body");
    let listed: serde_json::Value = serde_json::from_slice(&listed).expect("JSON");
    let snapshots = listed["snapshots"].as_array().expect("a list");
    assert_eq!(snapshots.len(), CREATES, "all 2,000 are still there");
    let names: BTreeSet<&str> = snapshots
        .iter()
        .filter_map(|s| s["snapshot"]["name"].as_str())
        .collect();
    assert!(
        (0..CREATES).all(|n| names.contains(format!("updated-{n}").as_str())),
        "every update is still there"
    );
    child.kill().expect("stopped");
    let _ = child.wait();
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (mut child, _base) = start(&dir.path().join("standin.sqlite3"));
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = child.wait().expect("it exits");
    assert!(status.success(), "a clean shutdown exits 0, got {status}");
}
