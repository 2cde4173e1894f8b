//! Which way a value is being written: a request (what a client sends, what a server reads) or a
//! response (what a server answers). `readOnly` properties are set by the service and never sent
//! in a request; `writeOnly` ones are sent and never answered. One type serves both directions, so
//! the direction is where the writing happens: the client writes request bodies inside
//! [`as_request`], the server writes answers inside [`as_response`], and a field's
//! `skip_serializing_if` asks [`skip_read_only`] or [`skip_write_only`]. Writing a value anywhere
//! else (a user storing a model) writes every field it holds.
//!
//! A thread-local is enough: serialization is synchronous, so the direction cannot leak across an
//! `.await` into another task's writing.

use std::cell::Cell;

use crate::Nullable;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Unknown,
    Request,
    Response,
}

thread_local! {
    static DIRECTION: Cell<Direction> = const { Cell::new(Direction::Unknown) };
}

fn within<R>(direction: Direction, write: impl FnOnce() -> R) -> R {
    /// Puts the previous direction back, also when `write` panics.
    struct Restore(Direction);
    impl Drop for Restore {
        fn drop(&mut self) {
            DIRECTION.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DIRECTION.with(|d| d.replace(direction)));
    write()
}

/// Runs `write` as the writing of a request body: `readOnly` fields are left out.
pub fn as_request<R>(write: impl FnOnce() -> R) -> R {
    within(Direction::Request, write)
}

/// Runs `write` as the writing of a response body: `writeOnly` fields are left out.
pub fn as_response<R>(write: impl FnOnce() -> R) -> R {
    within(Direction::Response, write)
}

/// A field's value that may be absent.
pub trait Presence {
    /// Whether there is nothing to write.
    fn is_absent_value(&self) -> bool;
}

impl<T> Presence for Option<T> {
    fn is_absent_value(&self) -> bool {
        self.is_none()
    }
}

impl<T> Presence for Nullable<T> {
    fn is_absent_value(&self) -> bool {
        self.is_absent()
    }
}

/// `skip_serializing_if` of a `readOnly` field: absent, or written in a request.
pub fn skip_read_only<T: Presence>(value: &T) -> bool {
    value.is_absent_value() || DIRECTION.with(Cell::get) == Direction::Request
}

/// `skip_serializing_if` of a `writeOnly` field: absent, or written in a response.
pub fn skip_write_only<T: Presence>(value: &T) -> bool {
    value.is_absent_value() || DIRECTION.with(Cell::get) == Direction::Response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Account {
        name: String,
        #[serde(skip_serializing_if = "skip_read_only")]
        id: Option<u32>,
        #[serde(skip_serializing_if = "skip_write_only")]
        password: Nullable<String>,
    }

    #[test]
    fn each_direction_leaves_out_what_it_does_not_carry() {
        let account = Account {
            name: "ann".to_owned(),
            id: Some(7),
            password: Nullable::Value("pw".to_owned()),
        };
        let write = || serde_json::to_string(&account).expect("serializes");
        assert_eq!(write(), r#"{"name":"ann","id":7,"password":"pw"}"#);
        assert_eq!(as_request(write), r#"{"name":"ann","password":"pw"}"#);
        assert_eq!(as_response(write), r#"{"name":"ann","id":7}"#);
        assert_eq!(
            write(),
            r#"{"name":"ann","id":7,"password":"pw"}"#,
            "the direction is put back"
        );
    }
}
