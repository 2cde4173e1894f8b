//! Creates an EVS snapshot of a disk with AK/SK signing (EVS v5), then renames it with the
//! OpenStack-compatible update (EVS v2).
//!
//! ```text
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_PROJECT_ID=... \
//!   cargo run -p snapshot-examples --bin evs_example -- --volume-id 2c194dde-... --name nightly --new-name nightly-1
//! ```

use std::process::ExitCode;

use clap::Parser;
use evs_client::{Client, Config, Credentials, models};

#[derive(Parser)]
#[command(about = "Create an EVS snapshot with AK/SK, then rename it")]
struct Args {
    /// The EVS endpoint.
    #[arg(long, env = "EVS_ENDPOINT", default_value = evs_client::DEFAULT_SERVER_URL)]
    endpoint: String,
    #[command(flatten)]
    credentials: snapshot_examples::HuaweiCredentials,
    /// The disk to snapshot.
    #[arg(long)]
    volume_id: String,
    /// The snapshot's name (at most 64 characters).
    #[arg(long)]
    name: String,
    /// The name to give the snapshot afterwards (at most 255 bytes).
    #[arg(long)]
    new_name: String,
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

    let create = models::CreateStandardSnapshotRequestBody::new(
        models::CreateStandardSnapshot::new()
            .with_volume_id(args.volume_id)
            .with_name(args.name),
    );
    let created = client.create_standard_snapshot(&create).await?;
    let snapshot_id = created.body.snapshot_id.ok_or("the response names no snapshot")?;
    println!(
        "created snapshot {snapshot_id} (job {})",
        created.body.job_id.as_deref().unwrap_or("?")
    );

    let rename = models::UpdateSnapshotRequestBody::new(models::UpdateSnapshotOption::new().with_name(args.new_name));
    let updated = client.update_snapshot(&snapshot_id, &rename).await?;
    let snapshot = updated.body.snapshot.ok_or("the response has no snapshot")?;
    println!(
        "renamed snapshot {snapshot_id} to {} (status {})",
        snapshot.name.as_deref().unwrap_or("?"),
        snapshot.status.as_deref().unwrap_or("?")
    );
    Ok(())
}
