//! What generated servers share (the `server` feature): how a request that breaks its documented
//! shape is refused before it reaches a handler, and in what shape the refusal is answered.
//!
//! This is the first part of the server runtime: rejections and their RFC 9457 answer, media
//! types compared as HTTP compares them, and path values decoded as the client encodes them. The
//! extraction into typed inputs and the axum router come with the server emitter.

pub mod body;
pub mod media;
pub mod path;
pub mod problem;
pub mod rejection;

pub use rejection::{Rejection, RejectionKind};
