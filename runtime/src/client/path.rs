//! Filling a path template, each value exactly one path segment.
//!
//! A value is percent-encoded with only RFC 3986's unreserved characters left bare, so `/`, `?`
//! and `#` cannot change the request's target. `.` and `..` are refused outright: URL
//! normalisation would turn `/snapshots/../linked-copy` into another resource. An empty value is
//! refused too, since it would merge two segments.

use super::error::InvalidInput;
use super::sign::encode;

/// `template` with each `{name}` replaced by its encoded value from `values`. A `{name}` with no
/// value is refused rather than sent as it is (`%7Bname%7D`): the request would reach another
/// resource, or none.
pub fn fill(template: &'static str, values: &[(&'static str, &str)]) -> Result<String, InvalidInput> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        let name = &rest[open + 1..open + close];
        let Some((name, value)) = values.iter().find(|(n, _)| *n == name) else {
            return Err(InvalidInput::MissingPathParameter(name));
        };
        out.push_str(&segment(name, value)?);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One encoded path segment, or why `value` cannot be one.
pub fn segment(name: &'static str, value: &str) -> Result<String, InvalidInput> {
    let problem = match value {
        "" => Some("empty"),
        "." | ".." => Some("`.` or `..`, which URL normalisation would turn into another path"),
        _ => None,
    };
    match problem {
        Some(problem) => Err(InvalidInput::PathParameter { name, problem }),
        None => Ok(encode(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_one_segment() {
        let filled = fill(
            "/v1/{project_id}/snapshots/{id}/copy",
            &[("project_id", "p"), ("id", "a/../b?x#y")],
        );
        assert_eq!(filled, Ok("/v1/p/snapshots/a%2F..%2Fb%3Fx%23y/copy".to_owned()));
        assert_eq!(fill("/{id}", &[("id", "é %2E")]), Ok("/%C3%A9%20%252E".to_owned()));
    }

    #[test]
    fn a_placeholder_without_a_value_is_refused() {
        assert_eq!(
            fill("/v/{volume_id}/s/{id}", &[("id", "1")]),
            Err(InvalidInput::MissingPathParameter("volume_id"))
        );
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused() {
        for value in [".", "..", ""] {
            assert!(matches!(
                fill("/s/{id}/x", &[("id", value)]),
                Err(InvalidInput::PathParameter { name: "id", .. })
            ));
        }
        assert!(fill("/s/{id}", &[("id", "...")]).is_ok());
    }
}
