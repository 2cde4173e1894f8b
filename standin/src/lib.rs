//! A local stand-in of the three snapshot services our specs describe: Huawei Cloud EVS and DWS,
//! and OpenStack Block Storage (Cinder), in one server, built on the crates generated from
//! `spec/`. It behaves as the five documents describe, answers errors in each service's own shape,
//! authenticates as the services do (token or AK/SK signature), serves Keystone v3 under
//! `/identity/v3` to log in to, keeps its state in SQLite, and has
//! an admin API under `/_standin/` to inspect that state, read the request log, reset, and queue
//! faults. `cargo run -p snapshot-standin -- --help` lists its flags.

pub mod app;
pub mod auth;
pub mod clock;
pub mod faults;
pub mod identity;
pub mod microversion;
pub mod services;
pub mod shape;
pub mod store;

pub use app::{Options, Standin};
