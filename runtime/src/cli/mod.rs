//! What generated command-line tools share (the `cli` feature).
//!
//! A generated CLI crate holds only tables ([`spec`]) and, per operation, the few lines that read
//! its parameters and body from an [`Input`] and call the generated client. Everything that is the
//! same for every API lives here:
//! - `command`: the clap commands, built from the tables, with the global options;
//! - `input`: flags and `--body` into parameters and a validated body;
//! - `config`: endpoint, credentials, project and microversion from flags, the environment and
//!   `clouds.yaml`, the way Huawei Cloud's SDKs and openstackclient read them;
//! - `login`: Keystone and Huawei IAM logins, the service catalog's endpoint;
//! - `wire`: `--dry-run` and `--debug`, which see the request as it would go on the wire;
//! - `answer`: a response body, whatever its type, as something to print;
//! - `output`: JSON, YAML, tables and values; `report`: errors and exit codes.

pub mod answer;
pub mod command;
pub mod config;
pub mod input;
pub mod login;
pub mod output;
pub mod report;
pub mod spec;
pub mod wire;

pub use answer::{Answer, Shown, finish};
pub use command::{Cli, config_failure, main, missing, refused, run, unknown_operation};
pub use input::{Input, InputError};
pub use output::{Format, View};
pub use report::{Exit, Failure};
pub use spec::{Arity, BodySpec, Call, Flag, Operation, Server, Service, Target, ValueKind, Vendor};
