//! The driver of `bench/standin.sh`.
//!
//! `snapshot-load load URL BODY_FILE CONNECTIONS SECONDS`: POSTs the JSON in BODY_FILE to URL from
//! CONNECTIONS concurrent keep-alive connections for SECONDS (after one second of warm-up), and
//! prints one JSON line: requests, requests per second, p50 and p99 in milliseconds, and the count
//! of answers that were not 2xx.
//!
//! `snapshot-load bad BASE TABLE_FILE`: sends each request of TABLE_FILE (a JSON list of
//! `{"what", "method", "path", "content_type", "body"}`) to BASE and prints one JSON line per case:
//! the status, and whether the body is JSON naming the offending field.
//!
//! Hand-written rather than `oha` or `wrk` so that the bench script installs nothing beyond
//! cargo and npm, and both servers are measured by the same client.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Both servers get a token: Prism checks that the documented security scheme's header is there,
/// the stand-in runs with `--no-auth`.
const TOKEN: &str = "bench-token";

fn http(connections: usize) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|error| fail(&format!("no HTTP client: {error}")))
}

fn fail(message: &str) -> ! {
    eprintln!("snapshot-load: {message}");
    std::process::exit(2)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["load", url, body, connections, seconds] => {
            let body = std::fs::read(body).unwrap_or_else(|e| fail(&format!("{body}: {e}")));
            let connections: usize = connections.parse().unwrap_or_else(|_| fail("CONNECTIONS is a number"));
            let seconds: u64 = seconds.parse().unwrap_or_else(|_| fail("SECONDS is a number"));
            load(url, body, connections, Duration::from_secs(seconds)).await;
        }
        ["bad", base, table] => {
            let text = std::fs::read_to_string(table).unwrap_or_else(|e| fail(&format!("{table}: {e}")));
            let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{table}: {e}")));
            bad(base, &cases).await;
        }
        _ => fail("usage: snapshot-load load URL BODY_FILE CONNECTIONS SECONDS | bad BASE TABLE_FILE"),
    }
}

async fn load(url: &str, body: Vec<u8>, connections: usize, duration: Duration) {
    let client = http(connections);
    let body = Arc::new(body);
    let warm_up = Instant::now() + Duration::from_secs(1);
    let end = warm_up + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, url, body) = (client.clone(), url.to_owned(), Arc::clone(&body));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                let sent = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-auth-token", TOKEN)
                    .body(body.as_ref().clone())
                    .send()
                    .await;
                let ok = match sent {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        let _ = response.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                if started >= warm_up {
                    latencies.push(started.elapsed());
                    if !ok {
                        failures += 1;
                    }
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        if let Ok((mine, failed)) = task.await {
            latencies.extend(mine);
            failures += failed;
        }
    }
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    let report = json!({
        "connections": connections,
        "requests": latencies.len(),
        "rps": latencies.len() as f64 / duration.as_secs_f64(),
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "not_2xx": failures,
    });
    println!("{report}");
}

async fn bad(base: &str, cases: &[Value]) {
    let client = http(1);
    for case in cases {
        let text = |key: &str| case[key].as_str().unwrap_or_default().to_owned();
        let method = reqwest::Method::from_bytes(text("method").as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut request = client
            .request(method, format!("{base}{}", text("path")))
            .header("x-auth-token", TOKEN);
        if !text("content_type").is_empty() {
            request = request.header("content-type", text("content_type"));
        }
        request = request.body(text("body"));
        let (status, answer) = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.bytes().await.unwrap_or_default())
            }
            Err(error) => (0, error.to_string().into_bytes().into()),
        };
        let parsed: Option<Value> = serde_json::from_slice(&answer).ok();
        let names = text("names");
        let names_field = !names.is_empty() && String::from_utf8_lossy(&answer).contains(&names);
        let line = json!({
            "what": text("what"),
            "status": status,
            "json": parsed.is_some(),
            "names_field": names_field,
            "excerpt": String::from_utf8_lossy(&answer).chars().take(160).collect::<String>(),
        });
        println!("{line}");
    }
}
