//! Shared bits of the example binaries in `src/bin/`: logging setup and error reporting.

/// Logs to stderr; `RUST_LOG=debug` shows every attempt, `RUST_LOG=info` one line per request.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Prints an error with its causes and returns a failing exit code.
pub fn report(error: &dyn std::error::Error) -> std::process::ExitCode {
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    std::process::ExitCode::FAILURE
}
