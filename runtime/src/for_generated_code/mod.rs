//! What only generated code calls. Hidden from the docs and outside semver: it changes with the
//! generator. Users name the types at the crate root and in [`client`](crate::client).

pub mod de;
pub mod ser;
pub mod store;
mod string_enum;
pub mod testing;

/// The checks generated `Validate` impls call.
pub mod validate {
    pub use crate::validate::{
        Bounds, LengthUnit, Pattern, byte_length, check, child, count, field, length, listed, multiple_of, pattern,
        present, range, unique,
    };
}

#[cfg(feature = "client")]
pub use crate::client::{
    request::{Operation, Request, param_text},
    response::RawResponse,
    transport::Transport,
};
#[cfg(any(feature = "client", feature = "server"))]
pub use crate::security::{ApiKeyIn, SchemeKind, Security, SecurityScheme};
#[cfg(feature = "client")]
pub use http::Method;
