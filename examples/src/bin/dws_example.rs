//! Creates a DWS cluster snapshot, then copies it (`linked-copy`), with AK/SK signing.
//!
//! ```text
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_PROJECT_ID=... \
//!   cargo run -p snapshot-examples --bin dws_example -- --cluster-id 44b277eb-... --name snapshot-3 --copy-name backup20
//! ```

use std::process::ExitCode;

use clap::Parser;
use dws_client::{Client, Config, Credentials, models};

#[derive(Parser)]
#[command(about = "Create a DWS snapshot, then copy it")]
struct Args {
    /// The DWS endpoint.
    #[arg(long, env = "DWS_ENDPOINT", default_value = dws_client::DEFAULT_SERVER_URL)]
    endpoint: String,
    #[command(flatten)]
    credentials: snapshot_examples::HuaweiCredentials,
    /// The cluster to snapshot.
    #[arg(long)]
    cluster_id: String,
    /// The snapshot's name: 4 to 64 letters, digits, `-` or `_`, starting with a letter.
    #[arg(long)]
    name: String,
    /// The copy's name.
    #[arg(long)]
    copy_name: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    snapshot_examples::init_logging();
    snapshot_examples::finish(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::new(args.endpoint)
        .credentials(Credentials::ak_sk(args.credentials.ak, args.credentials.sk))
        .project_id(args.credentials.project_id);
    let client = Client::new(config)?;

    let create = models::CreateSnapshotRequestBody::new(
        models::Snapshot::builder()
            .cluster_id(args.cluster_id)
            .name(args.name)
            .build(),
    );
    let created = client.create_snapshot(&create).await?;
    let snapshot_id = created
        .body
        .snapshot
        .and_then(|s| s.id)
        .ok_or("the response names no snapshot")?;
    println!("created snapshot {snapshot_id}");

    let copy = models::CopySnapshotRequestBody::new(args.copy_name);
    let copied = client.copy_snapshot(&snapshot_id, &copy).await?;
    println!(
        "copied snapshot {snapshot_id} to {}",
        copied.body.snapshot_id.as_deref().unwrap_or("?")
    );
    Ok(())
}
