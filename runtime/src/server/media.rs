//! Media types as HTTP compares them (RFC 9110 §8.3.1): type and subtype without case, parameters
//! ignored. Huawei's SDK sends `application/json;charset=utf-8`, which is JSON.

/// Whether a request's `Content-Type` is one the operation documents: equal essences, or a
/// documented wildcard (`*/*`, `image/*`) that covers it. Compared in place, without allocating:
/// it runs on every request with a body.
pub fn accepts(documented: &str, sent: &str) -> bool {
    // What clients send most: the documented type itself.
    if documented.eq_ignore_ascii_case(sent) && parts(sent).is_some() {
        return true;
    }
    let (Some((kind, subtype)), Some((sent_kind, sent_subtype))) = (parts(documented), parts(sent)) else {
        return false;
    };
    match (kind, subtype) {
        ("*", "*") => true,
        (kind, "*") => kind.eq_ignore_ascii_case(sent_kind),
        (kind, subtype) => kind.eq_ignore_ascii_case(sent_kind) && subtype.eq_ignore_ascii_case(sent_subtype),
    }
}

/// Whether `part` is an HTTP token (RFC 9110 §5.6.2).
fn is_token(part: &str) -> bool {
    !part.is_empty()
        && part.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// The type and subtype of a media type, parameters dropped; `None` unless both are tokens.
fn parts(media_type: &str) -> Option<(&str, &str)> {
    let head = media_type.split(';').next().unwrap_or_default().trim();
    let (kind, subtype) = head.split_once('/')?;
    (is_token(kind) && is_token(subtype)).then_some((kind, subtype))
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
            assert_eq!(parts(odd), None, "{odd:?}");
            assert!(!accepts("application/json", odd));
            assert!(!accepts(odd, "application/json"));
        }
    }
}
