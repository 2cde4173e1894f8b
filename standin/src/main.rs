//! `snapshot-standin`: serves the stand-in until Ctrl-C or SIGTERM. The first line of stdout is
//! the address it listens on (with `--listen 127.0.0.1:0`, the port the system picked).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use snapshot_standin::auth::{Accepted, KeyPair};
use snapshot_standin::identity::{Account, AppCredential, Identity};
use snapshot_standin::store::Store;
use snapshot_standin::{Options, Standin};

/// mimalloc rather than glibc's allocator: every request allocates and frees on whichever worker
/// thread runs it, and glibc's arenas spent about a sixth of the stand-in's time in `malloc`,
/// `free` and their locks under load (`bench/standin.sh`: about 15% more creates a second).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A local stand-in of Huawei Cloud EVS and DWS and OpenStack Block Storage snapshots.
///
/// Point a client's endpoint at it (`http://ADDRESS`) for all three services. The admin API is
/// under `/_standin/`: `GET snapshots`, `GET snapshots/{service}/{id}`, `GET requests`,
/// `POST reset`, `GET faults` and `POST faults` with
/// `{"operation": "dws.create_snapshot", "count": 1, "kind": {"status": 503}}` (or
/// `{"delay_ms": 500}`, or `"drop"`).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The SQLite database file, created if absent; `:memory:` keeps nothing after exit.
    #[arg(long, default_value = "snapshot-standin.sqlite3")]
    db: PathBuf,
    /// Accept every request, authenticated or not.
    #[arg(long)]
    no_auth: bool,
    /// A token accepted in `X-Auth-Token` (repeatable).
    #[arg(long = "token", value_name = "TOKEN")]
    tokens: Vec<String>,
    /// The access key of an accepted AK/SK pair.
    #[arg(long, requires = "sk")]
    ak: Option<String>,
    /// Its secret key.
    #[arg(long, requires = "ak")]
    sk: Option<String>,
    /// The project: the one the AK/SK pair may reach (any, when absent), and the id of the
    /// identity service's project `demo` (a new one each start, when absent).
    #[arg(long)]
    project_id: Option<String>,
    /// A user of the identity service (`/identity/v3`), in domain `Default` with access to project
    /// `demo` (repeatable).
    #[arg(long = "user", value_name = "NAME:PASSWORD", value_parser = pair)]
    users: Vec<(String, String)>,
    /// An application credential of the first `--user`, scoped to `demo` (repeatable).
    #[arg(long = "application-credential", value_name = "ID:SECRET", value_parser = pair, requires = "users")]
    application_credentials: Vec<(String, String)>,
    /// How long a token the identity service issues is valid, in seconds.
    #[arg(long, default_value_t = 3600, value_name = "SECONDS")]
    token_ttl: u64,
    /// How far a signature's `X-Sdk-Date` may be from this machine's clock, in seconds.
    #[arg(long, default_value_t = 900)]
    max_clock_skew: i64,
    /// The `user_id` Block Storage snapshots are created by.
    #[arg(long, default_value = "b1f6e4a2c8d94f0ba3e5c7d9f1a2b3c4")]
    user_id: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // One line per request: written by a thread of its own, so that no request waits on stderr.
    // The guard flushes what is left when main returns.
    // Not lossy: under a burst a request waits for room in the buffer rather than lose its line.
    let (log, _flush_on_exit) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(log)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if !args.no_auth && args.tokens.is_empty() && args.ak.is_none() && args.users.is_empty() {
        eprintln!("error: give --token, --ak/--sk, --user or --no-auth: without them no request could authenticate");
        return ExitCode::from(2);
    }
    let store = match Store::open(&args.db) {
        Ok(store) => store,
        Err(error) => {
            eprintln!("error: {}: {error}", args.db.display());
            return ExitCode::FAILURE;
        }
    };
    let identity = Identity::new(
        args.users
            .into_iter()
            .map(|(name, password)| Account {
                id: new_id(),
                name,
                password,
            })
            .collect(),
        args.application_credentials
            .into_iter()
            .map(|(id, secret)| AppCredential { id, secret })
            .collect(),
        args.project_id.clone().unwrap_or_else(new_id),
        Duration::from_secs(args.token_ttl),
        args.tokens.clone(),
    );
    let keys = match (args.ak, args.sk) {
        (Some(ak), Some(sk)) => Some(KeyPair {
            ak,
            sk,
            project_id: args.project_id,
        }),
        _ => None,
    };
    let options = Options {
        accepted: Accepted {
            open: args.no_auth,
            tokens: args.tokens,
            keys,
            max_skew_seconds: args.max_clock_skew,
            identity: Some(Arc::new(identity)),
        },
        user_id: args.user_id,
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let stop = shutdown();
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    println!("{address}");
    tracing::info!(%address, db = %args.db.display(), "serving EVS, DWS and Block Storage");
    let router = Standin::new(store, options).router();
    match axum::serve(listener, router).with_graceful_shutdown(stop).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `NAME:PASSWORD`, split at the first colon.
fn pair(text: &str) -> Result<(String, String), String> {
    text.split_once(':')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| "give NAME:SECRET".to_owned())
}

/// A new id in Keystone's form (32 hex digits).
fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Resolves on Ctrl-C, or SIGTERM on Unix. The handlers are installed when this is called, not
/// when it is first polled: a signal sent right after the address is printed must not kill the
/// process the default way.
fn shutdown() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
