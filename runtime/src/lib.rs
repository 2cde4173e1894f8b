//! Handwritten runtime shared by every crate that `apigen` generates.
//!
//! Generated model crates stay thin: the behaviour they have in common lives here once, so that a fix
//! reaches every generated crate by a version bump instead of a regeneration. This crate holds only
//! what models need (validation, the three-state [`Nullable`]); it pulls in no HTTP stack.
#![deny(missing_docs)]

mod binary;
pub mod de;
mod nullable;
pub mod testing;
pub mod validate;

pub use binary::Binary;
pub use nullable::Nullable;
pub use validate::{Validate, ValidationError, Violation};

#[cfg(feature = "client")]
pub mod client;
