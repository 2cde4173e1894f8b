//! Media types as HTTP compares them (RFC 9110 §8.3.1): type and subtype without case, parameters
//! ignored. Huawei's SDK sends `application/json;charset=utf-8`, which is JSON.

/// The `type/subtype` of a media type, trimmed and lower case, parameters dropped; `None` for text
/// that is not `type/subtype`.
pub fn essence(media_type: &str) -> Option<String> {
    let head = media_type.split(';').next().unwrap_or_default().trim();
    let (kind, subtype) = head.split_once('/')?;
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
    };
    (token(kind) && token(subtype)).then(|| head.to_ascii_lowercase())
}

/// Whether a request's `Content-Type` is one the operation documents: equal essences, or a
/// documented wildcard (`*/*`, `image/*`) that covers it.
pub fn accepts(documented: &str, sent: &str) -> bool {
    let (Some(documented), Some(sent)) = (essence(documented), essence(sent)) else {
        return false;
    };
    if documented == sent || documented == "*/*" {
        return true;
    }
    match documented.strip_suffix("/*") {
        Some(kind) => sent.split('/').next() == Some(kind),
        None => false,
    }
}

/// Whether a media type is JSON: `application/json` or any `+json` structured syntax suffix
/// (`application/problem+json`, `application/merge-patch+json`).
pub fn is_json(media_type: &str) -> bool {
    essence(media_type).is_some_and(|e| e == "application/json" || e.ends_with("+json"))
}

/// The `boundary` parameter of a multipart media type, unquoted.
pub fn boundary(media_type: &str) -> Option<String> {
    media_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (name.trim().eq_ignore_ascii_case("boundary") && !value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_case_do_not_matter() {
        assert!(accepts("application/json", "application/json;charset=utf-8"));
        assert!(accepts("application/json", " Application/JSON ; charset=UTF-8"));
        assert!(!accepts("application/json", "application/xml"));
        assert!(!accepts("application/json", "application/jsonx"));
    }

    #[test]
    fn documented_wildcards_cover_their_range() {
        assert!(accepts("*/*", "text/plain"));
        assert!(accepts("image/*", "image/png"));
        assert!(!accepts("image/*", "text/png"));
    }

    #[test]
    fn what_is_not_a_media_type_matches_nothing() {
        for odd in ["", "json", "/json", "application/", "a b/c", "text/pl\"ain"] {
            assert_eq!(essence(odd), None, "{odd:?}");
            assert!(!accepts("application/json", odd));
            assert!(!accepts(odd, "application/json"));
        }
    }

    #[test]
    fn json_suffixes_are_json() {
        assert!(is_json("application/problem+json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(!is_json("text/json-ish"));
    }
}
