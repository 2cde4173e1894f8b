//! What generated servers share (the `server` feature): routing, reading a request into an
//! operation's typed inputs, refusing one that breaks its documented shape before it reaches a
//! handler, and writing the handler's answer.
//!
//! A generated server crate holds only what differs per operation: its trait, its input and
//! response types, and for each operation the calls into [`Inputs`] that read it. Everything here is
//! the same for every API:
//! - `route`: which operation a path is for;
//! - `service`: the `axum::Router`, body limits, 404/405/413, panics;
//! - `inputs`, `text`, `body`, `multipart`, `path`, `media`: typed inputs from the wire;
//! - `rejection`, `problem`: refusals and their default RFC 9457 answer;
//! - `reply`: answers.

pub mod auth;
pub mod body;
pub mod inputs;
pub mod media;
pub mod mock;
pub mod multipart;
pub mod path;
pub mod problem;
pub mod rejection;
pub mod reply;
pub mod route;
pub mod service;
pub use crate::text;

pub use auth::{Authentication, CredentialValue, Presented, SchemeCredential};
pub use axum::Router;
pub use bytes::Bytes;
pub use http::request::Parts;
pub use http::{Method, StatusCode};
pub use inputs::{Incoming, Inputs, Param};
pub use problem::problem_response;
pub use rejection::{Rejection, RejectionKind};
pub use reply::{IntoReply, Reply};
pub use service::{Limits, Routes};
