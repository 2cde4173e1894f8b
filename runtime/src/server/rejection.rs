//! A request refused before it reaches a handler: why, for which operation, and every documented
//! constraint it breaks (capped, so that a hostile body cannot make the answer huge).

use http::{Method, StatusCode};

use crate::Violation;

/// The most violations a rejection keeps; the rest are only counted.
pub const MAX_VIOLATIONS: usize = 50;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectionKind {
    /// The body or a parameter cannot be read as its type (malformed JSON, a wrong type, a missing
    /// required field): 400.
    Malformed,
    /// It reads, but breaks documented constraints (length, pattern, range, item counts): 400.
    Invalid,
    /// A `Content-Type` the operation does not document: 415.
    UnsupportedMediaType,
    /// A body over the configured limit: 413.
    PayloadTooLarge,
    /// A method the path does not have: 405, with `Allow`.
    MethodNotAllowed,
    /// A path no operation has: 404.
    NotFound,
    /// The handler panicked, or its answer could not be written: 500. Not the client's fault, but
    /// answered in the same shape as every refusal.
    Internal,
    /// A refusal a handler makes with a status of its choosing (401, 404 for a resource that does
    /// not exist, 409), answered in the API's error shape like the rest.
    Status(StatusCode),
}

impl RejectionKind {
    /// The status it is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            RejectionKind::Malformed | RejectionKind::Invalid => StatusCode::BAD_REQUEST,
            RejectionKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RejectionKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RejectionKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            RejectionKind::NotFound => StatusCode::NOT_FOUND,
            RejectionKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            RejectionKind::Status(status) => status,
        }
    }

    /// A short, fixed summary of the kind (RFC 9457's `title`).
    pub fn title(self) -> &'static str {
        match self {
            RejectionKind::Malformed => "The request cannot be read",
            RejectionKind::Invalid => "The request breaks documented constraints",
            RejectionKind::UnsupportedMediaType => "Unsupported media type",
            RejectionKind::PayloadTooLarge => "The request body is too large",
            RejectionKind::MethodNotAllowed => "Method not allowed",
            RejectionKind::NotFound => "No such resource",
            RejectionKind::Internal => "Internal server error",
            RejectionKind::Status(status) => status.canonical_reason().unwrap_or("Refused"),
        }
    }
}

/// A refused request (or, for [`RejectionKind::Internal`], one the server failed). Built by the
/// server runtime; a server's rejection hook turns it into the
/// API's own error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejection {
    kind: RejectionKind,
    operation: Option<&'static str>,
    violations: Vec<Violation>,
    omitted: usize,
    allow: Vec<Method>,
    challenges: Vec<&'static str>,
}

impl Rejection {
    /// A rejection of `kind`, with no violation yet.
    pub fn new(kind: RejectionKind) -> Self {
        Rejection {
            kind,
            operation: None,
            violations: Vec::new(),
            omitted: 0,
            allow: Vec::new(),
            challenges: Vec::new(),
        }
    }

    /// A handler's refusal: `status`, with the one `reason` about the value at `pointer` (`""` for
    /// the request as a whole).
    pub fn refuse(status: StatusCode, pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Rejection::new(RejectionKind::Status(status)).with_violations([Violation::new(pointer, reason)])
    }

    /// The operation the request was for, when the route was found.
    pub fn for_operation(mut self, operation: &'static str) -> Self {
        self.operation = Some(operation);
        self
    }

    /// Adds a violation; past [`MAX_VIOLATIONS`] it is only counted.
    pub fn push(&mut self, violation: Violation) {
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(violation);
        } else {
            self.omitted += 1;
        }
    }

    /// Adds every violation, as [`Rejection::push`] does.
    pub fn with_violations(mut self, violations: impl IntoIterator<Item = Violation>) -> Self {
        for violation in violations {
            self.push(violation);
        }
        self
    }

    /// The methods the path has, for a 405's `Allow`.
    pub fn with_allow(mut self, methods: impl IntoIterator<Item = Method>) -> Self {
        self.allow.extend(methods);
        self
    }

    /// Why.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// The status it is answered with.
    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// The operation, when the route was found.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    /// The violations kept, each with the JSON pointer of the value and the reason.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations were found beyond those kept.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// The challenges of a 401's `WWW-Authenticate` (`Bearer`, `Basic realm="api"`), which the
    /// router adds to the answer whatever shape the API's hook writes it in.
    pub fn with_challenges(mut self, challenges: impl IntoIterator<Item = &'static str>) -> Self {
        self.challenges.extend(challenges);
        self
    }

    /// The challenges for `WWW-Authenticate`.
    pub fn challenges(&self) -> &[&'static str] {
        &self.challenges
    }

    /// The methods for `Allow`.
    pub fn allow(&self) -> &[Method] {
        &self.allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_are_capped_and_the_rest_counted() {
        let many = (0..MAX_VIOLATIONS + 7).map(|i| Violation::new(format!("/items/{i}"), "is empty"));
        let rejection = Rejection::new(RejectionKind::Invalid).with_violations(many);
        assert_eq!(rejection.violations().len(), MAX_VIOLATIONS);
        assert_eq!(rejection.omitted(), 7);
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn every_kind_but_internal_is_a_client_error() {
        use RejectionKind::*;
        for kind in [
            Malformed,
            Invalid,
            UnsupportedMediaType,
            PayloadTooLarge,
            MethodNotAllowed,
            NotFound,
        ] {
            assert!(kind.status().is_client_error(), "{kind:?}");
        }
    }
}
