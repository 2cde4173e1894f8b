//! Checking values against the constraints their schema documents.
//!
//! Generated `Validate` impls are thin: they name the constraint and where it applies, and the
//! checks here do the work, so that every generated crate reports violations the same way.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

use crate::Nullable;

/// One documented constraint that a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// Where the value is, as a JSON Pointer (RFC 6901) from the validated value: `/snapshot/name`.
    pub path: String,
    /// What the value breaks, in words: `is 3 characters long; the minimum is 4`.
    pub message: String,
}

impl Violation {
    /// A violation at `path` (a JSON Pointer) of what `message` says.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// Every constraint a value breaks, found in one pass so that a caller can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The violations, in the order of the fields that hold them.
    pub violations: Vec<Violation>,
}

impl ValidationError {
    /// The error of these violations.
    pub fn new(violations: Vec<Violation>) -> Self {
        ValidationError { violations }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} constraint violation(s)", self.violations.len())?;
        for violation in &self.violations {
            write!(f, "; {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A value whose documented constraints can be checked before it is sent.
pub trait Validate {
    /// Appends to `out` every violation in `self`, with paths below `at`. The default finds none:
    /// a type whose schema documents no constraint implements `Validate` with an empty block.
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        let _ = (at, out);
    }

    /// Checks every documented constraint and returns all violations, or `Ok` if there are none.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_at("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        (**self).validate_at(at, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_at(at, out);
        }
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        if let Nullable::Value(value) = self {
            value.validate_at(at, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&child(at, &index.to_string()), out);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, at: &str, out: &mut Vec<Violation>) {
        for (key, value) in self {
            value.validate_at(&child(at, key), out);
        }
    }
}

/// Values with no documented constraints of their own: a body or item of these types is valid as
/// it is (constraints on them are checked by the generated code of the field that holds them).
macro_rules! nothing_to_check {
    ($($ty:ty),*) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _at: &str, _out: &mut Vec<Violation>) {}
        })*
    };
}

nothing_to_check!(
    serde_json::Value,
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64
);

/// Validates `value`, which is at `key` below `at` (a field of a struct, a parameter of a call):
/// what generated code calls for a value whose checks are all its own type's.
pub fn field<T: Validate + ?Sized>(at: &str, key: &str, value: &T, out: &mut Vec<Violation>) {
    value.validate_at(&child(at, key), out);
}

/// Runs `checks` on a value from the root and returns every violation they find, or `Ok`: for
/// values whose checks are generated where they are used (a request body of a constrained
/// string or an array of bounded integers) rather than in a type's own `Validate`.
pub fn check(checks: impl FnOnce(&str, &mut Vec<Violation>)) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    checks("", &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// A property a request must carry but a response does not (required and `writeOnly`), so its
/// type cannot require it: a request without it breaks the document.
pub fn present(at: &str, key: &str, given: bool, out: &mut Vec<Violation>) {
    if !given {
        out.push(Violation::new(
            child(at, key),
            "is required in a request (a write-only property)",
        ));
    }
}

/// The JSON Pointer of `key` inside the value at `at`, escaped as RFC 6901 requires.
pub fn child(at: &str, key: &str) -> String {
    let mut path = String::with_capacity(at.len() + key.len() + 1);
    path.push_str(at);
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
    path
}

/// How a string's length is counted, as the document states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values, as JSON Schema counts `minLength` and `maxLength`.
    Characters,
    /// Bytes of the UTF-8 encoding, for documents whose limits are given in bytes.
    Bytes,
}

/// Checks `value` against `minLength`/`maxLength`, counted in `unit`.
pub fn length(at: &str, value: &str, min: Option<u64>, max: Option<u64>, unit: LengthUnit, out: &mut Vec<Violation>) {
    let (len, noun) = match unit {
        LengthUnit::Characters => (value.chars().count() as u64, "characters"),
        LengthUnit::Bytes => (value.len() as u64, "bytes"),
    };
    check_length(at, len, noun, min, max, out);
}

/// `minLength`/`maxLength` of raw bytes (a `format: binary` property), counted in bytes.
pub fn byte_length(at: &str, value: &[u8], min: Option<u64>, max: Option<u64>, out: &mut Vec<Violation>) {
    check_length(at, value.len() as u64, "bytes", min, max, out);
}

fn check_length(at: &str, len: u64, noun: &str, min: Option<u64>, max: Option<u64>, out: &mut Vec<Violation>) {
    if let Some(min) = min.filter(|min| len < *min) {
        push(out, at, format!("is {len} {noun} long; the minimum is {min}"));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        push(out, at, format!("is {len} {noun} long; the maximum is {max}"));
    }
}

/// A `pattern` compiled once, on first use.
///
/// Generated code declares one `static` per pattern; the generator has already checked that the
/// pattern compiles, so a failure here means the runtime's regex engine disagrees with the
/// generator's and is reported as a violation rather than a panic.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Regex, regex::Error>>,
}

impl Pattern {
    /// A pattern from its source text, compiled lazily.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the document wrote it.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

/// Checks that `value` matches `pattern` (anywhere in the string, as JSON Schema specifies).
pub fn pattern(at: &str, value: &str, pattern: &Pattern, out: &mut Vec<Violation>) {
    match pattern.compiled.get_or_init(|| Regex::new(pattern.source)) {
        Ok(regex) if regex.is_match(value) => {}
        Ok(_) => push(out, at, format!("does not match the pattern `{}`", pattern.source)),
        Err(error) => push(
            out,
            at,
            format!("pattern `{}` cannot be checked: {error}", pattern.source),
        ),
    }
}

/// Checks a number against `minimum`/`maximum` and their exclusive forms.
pub fn range(at: &str, value: f64, bounds: Bounds, out: &mut Vec<Violation>) {
    if let Some(min) = bounds.minimum {
        if bounds.exclusive_minimum && value <= min {
            push(out, at, format!("is {value}; it must be greater than {min}"));
        } else if value < min {
            push(out, at, format!("is {value}; the minimum is {min}"));
        }
    }
    if let Some(max) = bounds.maximum {
        if bounds.exclusive_maximum && value >= max {
            push(out, at, format!("is {value}; it must be less than {max}"));
        } else if value > max {
            push(out, at, format!("is {value}; the maximum is {max}"));
        }
    }
}

/// Checks that a number is a multiple of `factor` (`multipleOf`), within the precision of `f64`.
pub fn multiple_of(at: &str, value: f64, factor: f64, out: &mut Vec<Violation>) {
    let quotient = value / factor;
    // A relative tolerance: `0.3` is a multiple of `0.1` though `0.3 / 0.1` is `2.9999999999999996`.
    let off = (quotient - quotient.round()).abs();
    if off > 1e-9 * quotient.abs().max(1.0) {
        push(out, at, format!("is {value}; it must be a multiple of {factor}"));
    }
}

/// The numeric bounds of a schema.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// Whether `minimum` itself is excluded.
    pub exclusive_minimum: bool,
    /// Whether `maximum` itself is excluded.
    pub exclusive_maximum: bool,
}

impl Bounds {
    /// Inclusive bounds; either may be absent.
    pub const fn new(minimum: Option<f64>, maximum: Option<f64>) -> Self {
        Bounds {
            minimum,
            maximum,
            exclusive_minimum: false,
            exclusive_maximum: false,
        }
    }

    /// The same bounds with `minimum` and `maximum` themselves excluded, or not.
    pub const fn exclusive(self, minimum: bool, maximum: bool) -> Self {
        Bounds {
            exclusive_minimum: minimum,
            exclusive_maximum: maximum,
            ..self
        }
    }
}

/// Refuses a value of a documented enumeration that the document does not list. Enums stay open
/// when read (a service may answer with a value newer than its document), but what is sent to a
/// service, or taken by a server, must be a documented value.
pub fn listed(at: &str, value: &str, allowed: &[&str], out: &mut Vec<Violation>) {
    if !allowed.contains(&value) {
        let quoted: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
        push(
            out,
            at,
            format!("is `{value}`, which is not one of {}", quoted.join(", ")),
        );
    }
}

/// Checks a count (of array items or object properties) against its bounds.
pub fn count(at: &str, what: &str, len: usize, min: Option<u64>, max: Option<u64>, out: &mut Vec<Violation>) {
    let len = len as u64;
    if let Some(min) = min.filter(|min| len < *min) {
        push(out, at, format!("has {len} {what}; the minimum is {min}"));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        push(out, at, format!("has {len} {what}; the maximum is {max}"));
    }
}

/// Checks that an array holds no two equal items (`uniqueItems`).
pub fn unique<T: PartialEq>(at: &str, items: &[T], out: &mut Vec<Violation>) {
    let duplicate = items.iter().enumerate().any(|(i, a)| items[..i].contains(a));
    if duplicate {
        push(out, at, "holds duplicate items; they must be unique".to_owned());
    }
}

fn push(out: &mut Vec<Violation>, at: &str, message: String) {
    out.push(Violation {
        path: at.to_owned(),
        message,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(value: &str, unit: LengthUnit) -> Vec<String> {
        let mut out = Vec::new();
        length("/name", value, Some(2), Some(4), unit, &mut out);
        out.into_iter().map(|v| v.to_string()).collect::<Vec<_>>()
    }

    #[test]
    fn length_counts_characters_or_bytes_as_documented() {
        // "éé" is 2 characters and 4 bytes; "ééé" is 3 characters and 6 bytes.
        assert!(lengths("éé", LengthUnit::Characters).is_empty());
        assert!(lengths("éé", LengthUnit::Bytes).is_empty());
        assert!(lengths("ééé", LengthUnit::Characters).is_empty());
        assert_eq!(
            lengths("ééé", LengthUnit::Bytes),
            ["/name: is 6 bytes long; the maximum is 4"]
        );
        assert_eq!(
            lengths("a", LengthUnit::Characters),
            ["/name: is 1 characters long; the minimum is 2"]
        );
    }

    #[test]
    fn pattern_matches_anywhere_unless_anchored() {
        static ANCHORED: Pattern = Pattern::new("^[a-z]+$");
        static LOOSE: Pattern = Pattern::new("[a-z]");
        let mut out = Vec::new();
        pattern("/a", "abc", &ANCHORED, &mut out);
        pattern("/b", "1a1", &LOOSE, &mut out);
        assert!(out.is_empty(), "{out:?}");
        pattern("/c", "ab1", &ANCHORED, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "/c");
    }

    #[test]
    fn range_honours_exclusive_bounds() {
        let bounds = Bounds {
            minimum: Some(1.0),
            maximum: Some(3.0),
            exclusive_minimum: true,
            ..Bounds::default()
        };
        let mut out = Vec::new();
        range("/n", 1.0, bounds, &mut out);
        range("/n", 3.0, bounds, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        range("/n", 3.5, bounds, &mut out);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn multiples_allow_for_float_precision() {
        let mut out = Vec::new();
        multiple_of("/a", 0.3, 0.1, &mut out);
        multiple_of("/b", 10.0, 5.0, &mut out);
        multiple_of("/c", -15.0, 5.0, &mut out);
        assert!(out.is_empty(), "{out:?}");
        multiple_of("/d", 7.0, 5.0, &mut out);
        multiple_of("/e", 0.35, 0.1, &mut out);
        let paths: Vec<&str> = out.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["/d", "/e"]);
        assert_eq!(out[0].message, "is 7; it must be a multiple of 5");
    }

    #[test]
    fn child_escapes_pointer_tokens() {
        assert_eq!(child("/a", "b/c~d"), "/a/b~1c~0d");
    }

    #[test]
    fn validation_error_lists_every_violation() {
        let error = ValidationError {
            violations: vec![
                Violation {
                    path: "/a".into(),
                    message: "x".into(),
                },
                Violation {
                    path: String::new(),
                    message: "y".into(),
                },
            ],
        };
        assert_eq!(error.to_string(), "2 constraint violation(s); /a: x; /: y");
    }
}
