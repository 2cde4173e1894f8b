//! Shared bits of the example binaries in `src/bin/`: Huawei Cloud credentials from flags or the
//! environment, logging, and how a run ends.

use std::process::ExitCode;

/// Huawei Cloud project and AK/SK, from flags or the variables Huawei's own tools read.
#[derive(clap::Args)]
pub struct HuaweiCredentials {
    /// The project ID.
    #[arg(long, env = "HUAWEICLOUD_PROJECT_ID")]
    pub project_id: String,
    /// The access key ID.
    #[arg(long, env = "HUAWEICLOUD_SDK_AK", hide_env_values = true)]
    pub ak: String,
    /// The secret access key (prefer the environment variable to the flag).
    #[arg(long, env = "HUAWEICLOUD_SDK_SK", hide_env_values = true)]
    pub sk: String,
}

/// Logs to stderr; `RUST_LOG=debug` shows every attempt, `RUST_LOG=info` one line per request.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// The exit code of a run; an error is printed with its causes.
pub fn finish(result: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    let Err(error) = result else { return ExitCode::SUCCESS };
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    ExitCode::FAILURE
}
