//! Handwritten runtime shared by every crate that `apigen` generates.
//!
//! Generated model crates stay thin: the behaviour they have in common lives here once, so that a fix
//! reaches every generated crate by a version bump instead of a regeneration. The default part holds
//! only what models need (validation, the three-state [`Nullable`], [`Binary`]); it pulls in no HTTP
//! stack. The `client` feature adds `client`; the `server` feature adds `server`, the shared part of
//! generated servers; the `cli` feature adds `cli`, the shared part of generated command lines.
#![deny(missing_docs)]

mod binary;
mod nullable;
mod validate;

pub use binary::Binary;
pub use nullable::Nullable;
pub use validate::{Validate, ValidationError, Violation};

#[cfg(feature = "client")]
pub mod client;

/// Security schemes and requirements, as clients present and servers check them.
#[cfg(any(feature = "client", feature = "server"))]
pub mod security;

#[cfg(feature = "server")]
pub mod server;

#[cfg(feature = "cli")]
pub mod cli;

/// Values that arrive as text, read by their target type: what a server reads from a request's
/// path, query and headers, and a command line from its flags.
#[cfg(any(feature = "server", feature = "cli"))]
pub mod text;

/// What only generated code calls: deserialization and validation helpers, the round-trip test
/// helper, and (with the `client` feature) the transport, the request builder and the raw response.
///
/// Not part of the API a user writes against: it changes with the generator, in any release.
#[doc(hidden)]
pub mod for_generated_code;
