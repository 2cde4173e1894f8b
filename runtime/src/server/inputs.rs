//! A routed request taken apart into an operation's typed inputs, as the client put them
//! together: path segments percent-decoded, query values form-decoded, header and cookie values
//! read, lists split at their documented separator, defaults applied, and the body decoded by its
//! media type. Every value that does not read is recorded, so that one answer lists them all.

use bytes::Bytes;
use http::request::Parts;
use serde::de::DeserializeOwned;

use super::body::{self, BodyKind};
use super::rejection::{Rejection, RejectionKind};
use super::route::Captures;
use super::text::{self, Piece};
use crate::{Validate, Violation};

/// A request the router has matched to an operation, with its body read in full.
#[derive(Debug)]
pub struct Incoming {
    pub(crate) operation: &'static str,
    pub(crate) head: Parts,
    pub(crate) captures: Captures,
    pub(crate) body: Bytes,
    /// Whether a request without the credentials its operation requires is let through.
    pub(crate) anonymous: bool,
}

impl Incoming {
    /// The operation it was routed to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Starts reading its inputs.
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            incoming: self,
            query: None,
            violations: Vec::new(),
            kind: RejectionKind::Malformed,
        }
    }

    /// The credentials it presents for `security`, or the 401 that refuses it (unless the router
    /// lets anonymous requests through: then none).
    pub fn authenticate(
        &self,
        schemes: &'static [crate::security::SecurityScheme],
        security: crate::security::Security,
    ) -> Result<super::auth::Authentication, super::Rejection> {
        match super::auth::authenticate(&self.head, schemes, security) {
            Err(_) if self.anonymous => Ok(super::auth::Authentication::default()),
            other => other,
        }
    }

    /// Its head (method, URI, headers, extensions), for the handler.
    pub fn into_head(self) -> Parts {
        self.head
    }
}

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A `{name}` of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// A documented parameter: where, its name on the wire, and for a list how its items are joined.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    location: Location,
    name: &'static str,
    separator: Option<char>,
}

impl Param {
    /// A path parameter.
    pub const fn path(name: &'static str) -> Param {
        Param {
            location: Location::Path,
            name,
            separator: None,
        }
    }

    /// A query parameter; a list repeats the key unless [`Param::split`] says otherwise.
    pub const fn query(name: &'static str) -> Param {
        Param {
            location: Location::Query,
            name,
            separator: None,
        }
    }

    /// A header parameter.
    pub const fn header(name: &'static str) -> Param {
        Param {
            location: Location::Header,
            name,
            separator: None,
        }
    }

    /// A cookie parameter.
    pub const fn cookie(name: &'static str) -> Param {
        Param {
            location: Location::Cookie,
            name,
            separator: None,
        }
    }

    /// A list whose items come joined by `separator` in one value (`,` for `explode: false` and
    /// headers, ` ` and `|` for the delimited styles).
    pub const fn split(mut self, separator: char) -> Param {
        self.separator = Some(separator);
        self
    }
}

/// The reading of one request's inputs; see the module docs.
#[derive(Debug)]
pub struct Inputs<'r> {
    incoming: &'r Incoming,
    query: Option<Vec<(String, String)>>,
    violations: Vec<Violation>,
    kind: RejectionKind,
}

impl<'r> Inputs<'r> {
    /// The parameter read as `T`: `Some(Some(value))`, `Some(None)` when it is absent and not
    /// `required`, and `None` when it cannot be read (recorded).
    pub fn param<T: DeserializeOwned>(&mut self, param: Param, required: bool) -> Option<Option<T>> {
        let pieces = self.pieces(param)?;
        if pieces.is_empty() {
            if required {
                self.record(param.name, "is required".to_owned());
                // A request without the header that carries its credentials is unauthenticated
                // (401), not malformed: that is what clients and oracles expect of it.
                if param.location == Location::Header && param.name.eq_ignore_ascii_case("authorization") {
                    self.kind = RejectionKind::Status(http::StatusCode::UNAUTHORIZED);
                }
                return None;
            }
            return Some(None);
        }
        match text::read(pieces) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                self.record(param.name, error.0);
                None
            }
        }
    }

    /// The parameter read as `T`, or its documented default (`default`, as JSON) when absent;
    /// `None` when it cannot be read (recorded).
    pub fn param_or<T: DeserializeOwned>(&mut self, param: Param, default: &str) -> Option<T> {
        match self.param(param, false)? {
            Some(value) => Some(value),
            None => match serde_json::from_str(default) {
                Ok(value) => Some(value),
                Err(error) => {
                    self.record(
                        param.name,
                        format!("has no value, and its documented default does not read: {error}"),
                    );
                    None
                }
            },
        }
    }

    /// The body decoded as `kind` says (JSON, form, multipart) into `T`, from one of the
    /// documented `media_types`. `Some(None)` when there is none and it is not `required`.
    pub fn body<T: DeserializeOwned>(
        &mut self,
        kind: BodyKind,
        media_types: &'static [&'static str],
        required: bool,
    ) -> Option<Option<T>> {
        let content_type = self.content_type();
        let bytes = &self.incoming.body;
        if bytes.is_empty() && content_type.is_none() {
            if required {
                self.violations.push(Violation::new("", "the request body is required"));
                return None;
            }
            return Some(None);
        }
        match body::decode::<T>(kind, media_types, content_type, bytes) {
            Ok(value) => Some(Some(value)),
            Err(rejection) => {
                self.reject_with(rejection);
                None
            }
        }
    }

    /// A text body (`text/*`), as UTF-8.
    pub fn text(&mut self, media_types: &'static [&'static str], required: bool) -> Option<Option<String>> {
        let bytes = self.raw(media_types, required)?;
        match bytes.map(|b| String::from_utf8(b.to_vec())) {
            None => Some(None),
            Some(Ok(text)) => Some(Some(text)),
            Some(Err(_)) => {
                self.violations
                    .push(Violation::new("", "the request body is not UTF-8 text"));
                None
            }
        }
    }

    /// A body taken as bytes, of one of `media_types` (`*/*` takes any).
    pub fn bytes(&mut self, media_types: &'static [&'static str], required: bool) -> Option<Option<Bytes>> {
        self.raw(media_types, required)
    }

    /// Refuses the request unless every value read; else checks the documented constraints of
    /// `input` (400 with every violation) and hands it over.
    pub fn finish<T: Validate>(self, input: Option<T>) -> Result<T, Rejection> {
        let operation = self.incoming.operation;
        match input {
            Some(input) if self.violations.is_empty() => match input.validate() {
                Ok(()) => Ok(input),
                Err(error) => Err(Rejection::new(RejectionKind::Invalid)
                    .for_operation(operation)
                    .with_violations(error.violations)),
            },
            _ => Err(self.into_rejection()),
        }
    }

    /// What was recorded, as one rejection.
    pub fn into_rejection(self) -> Rejection {
        let violations = if self.violations.is_empty() {
            vec![Violation::new("", "the request does not read")]
        } else {
            self.violations
        };
        Rejection::new(self.kind)
            .for_operation(self.incoming.operation)
            .with_violations(violations)
    }

    fn raw(&mut self, media_types: &'static [&'static str], required: bool) -> Option<Option<Bytes>> {
        let content_type = self.content_type();
        let bytes = self.incoming.body.clone();
        if bytes.is_empty() && content_type.is_none() {
            if required {
                self.violations.push(Violation::new("", "the request body is required"));
                return None;
            }
            return Some(None);
        }
        match body::check_media_type(self.incoming.operation, media_types, content_type) {
            Ok(()) => Some(Some(bytes)),
            Err(rejection) => {
                self.reject_with(rejection);
                None
            }
        }
    }

    /// Takes on a body's rejection: its violations, and its kind when that is not a plain
    /// "does not read" (an unsupported media type is answered as such, whatever else is wrong).
    fn reject_with(&mut self, rejection: Rejection) {
        let unauthenticated = self.kind == RejectionKind::Status(http::StatusCode::UNAUTHORIZED);
        if rejection.kind() != RejectionKind::Malformed && !unauthenticated {
            self.kind = rejection.kind();
        }
        self.violations.extend(rejection.violations().iter().cloned());
    }

    /// The `Content-Type`; one that is not visible ASCII is no media type the operation has.
    fn content_type(&self) -> Option<&'r str> {
        let value = self.incoming.head.headers.get(http::header::CONTENT_TYPE)?;
        Some(value.to_str().unwrap_or("(not visible ASCII)"))
    }

    fn record(&mut self, name: &str, reason: String) {
        let pointer = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
        self.violations.push(Violation::new(pointer, reason));
    }

    /// The values given for `param`, split into list items; `None` when one cannot be read
    /// (recorded).
    fn pieces(&mut self, param: Param) -> Option<Vec<Piece>> {
        let raw: Vec<String> = match param.location {
            Location::Path => {
                let segment = self
                    .incoming
                    .captures
                    .iter()
                    .find(|(name, _)| *name == param.name)
                    .map(|(_, value)| value.as_str());
                match segment.map(super::path::decode_segment) {
                    None => Vec::new(),
                    Some(Ok(value)) => vec![value],
                    Some(Err(error)) => {
                        self.record(param.name, error.to_string());
                        return None;
                    }
                }
            }
            Location::Query => {
                let query = self.query.get_or_insert_with(|| {
                    let raw = self.incoming.head.uri.query().unwrap_or("");
                    form_urlencoded::parse(raw.as_bytes()).into_owned().collect()
                });
                query
                    .iter()
                    .filter(|(name, _)| name == param.name)
                    .map(|(_, value)| value.clone())
                    .collect()
            }
            Location::Header => {
                let mut values = Vec::new();
                for value in self.incoming.head.headers.get_all(param.name) {
                    match value.to_str() {
                        Ok(text) => values.push(text.trim().to_owned()),
                        Err(_) => {
                            self.record(param.name, "is not visible ASCII".to_owned());
                            return None;
                        }
                    }
                }
                values
            }
            Location::Cookie => {
                let mut values = Vec::new();
                for header in self.incoming.head.headers.get_all(http::header::COOKIE) {
                    let Ok(header) = header.to_str() else { continue };
                    for pair in header.split(';') {
                        if let Some((name, value)) = pair.trim().split_once('=')
                            && name == param.name
                        {
                            values.push(value.trim_matches('"').to_owned());
                        }
                    }
                }
                values
            }
        };
        let items = match param.separator {
            Some(separator) => raw
                .iter()
                .flat_map(|value| value.split(separator))
                // A header list is `a, b`: the space after each comma is the header's, not the item's.
                .map(|item| {
                    if param.location == Location::Header {
                        item.trim()
                    } else {
                        item
                    }
                })
                .filter(|item| !item.is_empty() || param.location == Location::Path)
                .map(|item| item.to_owned())
                .collect(),
            None => raw,
        };
        Some(items.into_iter().map(Piece::Text).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incoming(headers: &[(&str, &str)]) -> Incoming {
        let mut request = http::Request::builder().uri("/x");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Incoming {
            operation: "op",
            head: request.body(()).expect("a request").into_parts().0,
            captures: Default::default(),
            body: Bytes::new(),
            anonymous: false,
        }
    }

    #[test]
    fn a_missing_authorization_header_parameter_is_a_401_and_another_header_a_400() {
        let request = incoming(&[]);
        let mut inputs = request.inputs();
        let read: Option<Option<String>> = inputs.param(Param::header("Authorization"), true);
        assert!(read.is_none());
        let refused = inputs.into_rejection();
        assert_eq!(refused.kind().status(), http::StatusCode::UNAUTHORIZED);
        let mut inputs = request.inputs();
        let _: Option<Option<String>> = inputs.param(Param::header("X-Trace"), true);
        assert_eq!(inputs.into_rejection().kind().status(), http::StatusCode::BAD_REQUEST);
    }
}
