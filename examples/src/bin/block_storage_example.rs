//! Creates an OpenStack Block Storage snapshot with a Keystone token and a chosen microversion.
//!
//! ```text
//! OS_TOKEN=... OS_PROJECT_ID=... \
//!   cargo run -p snapshot-examples --bin block_storage_example -- --endpoint https://cloud:8776 \
//!   --volume-id cb623b3c-... --name snapshot1 --microversion 3.41
//! ```

use std::process::ExitCode;

use block_storage_client::{Client, Config, Credentials, SERVICE_TYPE, models};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Create a Block Storage snapshot with a token and a microversion")]
struct Args {
    /// The Block Storage endpoint.
    #[arg(long, env = "OS_VOLUME_ENDPOINT", default_value = block_storage_client::DEFAULT_SERVER_URL)]
    endpoint: String,
    /// The project ID.
    #[arg(long, env = "OS_PROJECT_ID")]
    project_id: String,
    /// A Keystone token.
    #[arg(long, env = "OS_TOKEN", hide_env_values = true)]
    token: String,
    /// The microversion, such as `3.41` (which adds `user_id` to the response).
    #[arg(long, env = "OS_VOLUME_API_VERSION", default_value = "3.0")]
    microversion: String,
    /// The volume to snapshot.
    #[arg(long)]
    volume_id: String,
    /// The snapshot's name.
    #[arg(long)]
    name: String,
    /// Snapshot even if the volume is attached.
    #[arg(long)]
    force: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    snapshot_examples::init_logging();
    snapshot_examples::finish(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::new(args.endpoint)
        .credentials(Credentials::token(args.token))
        .project_id(args.project_id)
        .openstack_microversion(SERVICE_TYPE, args.microversion);
    let client = Client::new(config)?;

    let create = models::CreateSnapshotRequestBody::new(
        models::SnapshotCreate::builder()
            .volume_id(args.volume_id)
            .name(args.name)
            .build()
            .with_force(args.force),
    );
    let created = client.create_snapshot(&create).await?;
    let snapshot = created.body.snapshot;
    println!(
        "created snapshot {} of volume {} ({}, {} GiB, user {})",
        snapshot.id,
        snapshot.volume_id,
        snapshot.status,
        snapshot.size,
        snapshot.user_id.as_deref().unwrap_or("not shown below 3.41")
    );
    Ok(())
}
