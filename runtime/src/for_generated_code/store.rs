//! How a generated setter ([`setters!`](crate::setters)) stores its value in an optional field.

use crate::Nullable;

/// Into an `Option` field.
pub fn some<T>(value: T) -> Option<T> {
    Some(value)
}

/// Into an optional field that may also be null.
pub fn value<T>(value: T) -> Nullable<T> {
    Nullable::Value(value)
}

/// Into an `Option<Box<_>>` field (a type that holds itself).
pub fn some_boxed<T>(value: T) -> Option<Box<T>> {
    Some(Box::new(value))
}

/// Into a boxed optional field that may also be null.
pub fn value_boxed<T>(value: T) -> Nullable<Box<T>> {
    Nullable::Value(Box::new(value))
}
