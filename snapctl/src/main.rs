//! `snapctl`: the generated command lines of EVS, DWS and Block Storage under one binary.
//!
//! `snapctl evs create-standard-snapshot --volume-id ... --name ...`; `snapctl --help` lists the
//! services, `snapctl <service> --help` their commands. Everything here is generated but this
//! file, which only says which services the binary has.

use std::process::ExitCode;

use apigen_runtime::cli::Cli;

static CLI: Cli = Cli {
    name: "snapctl",
    about: "Snapshots of Huawei Cloud EVS and DWS and OpenStack Block Storage, from the command line",
    version: env!("CARGO_PKG_VERSION"),
    services: &[&evs_cli::SERVICE, &dws_cli::SERVICE, &block_storage_cli::SERVICE],
    flat: false,
};

fn main() -> ExitCode {
    apigen_runtime::cli::main(&CLI)
}
