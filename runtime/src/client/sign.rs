//! Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as the official SDKs do it.
//!
//! The canonical request is `METHOD`, the canonical URI (each path segment decoded, then
//! percent-encoded with only `A-Z a-z 0-9 - _ . ~` left bare, ending in `/`), the canonical query
//! (pairs sorted by key then value, both encoded the same way), the signed headers (lower-case names,
//! trimmed values, sorted; a name holding `_` is never signed), their names joined by `;`, and the
//! hex SHA-256 of the body (`UNSIGNED-PAYLOAD` for a body that is neither JSON nor BSON). The string
//! to sign is `SDK-HMAC-SHA256`, the `X-Sdk-Date` and the hex SHA-256 of the canonical request; the
//! signature is its hex HMAC-SHA256 under the secret key. `tests/huawei_vectors.rs` checks every
//! step against vectors produced by Huawei's own SDK.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// The algorithm name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The header that carries the signing time, `YYYYMMDDTHHMMSSZ` in UTC.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// The header that replaces the body hash for bodies that are not JSON or BSON.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Everything but RFC 3986's unreserved characters is encoded (Python's `quote(s, safe='~')`).
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A request as the signer sees it.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// The HTTP method, any case.
    pub method: &'a str,
    /// `host` or `host:port`, as the `Host` header will carry it.
    pub host: &'a str,
    /// The path, as sent (it may hold percent-encoded characters).
    pub path: &'a str,
    /// Query parameters, unencoded, in any order; a list value is one pair per item.
    pub query: &'a [(String, String)],
    /// The headers that will be sent, in order.
    pub headers: &'a [(String, String)],
    /// The body bytes; `None` or empty for no body.
    pub body: Option<&'a [u8]>,
}

/// The result of signing: the headers to add, and every intermediate step for tests and debugging.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signed {
    /// Every header to send, in order: the input's (values trimmed, as the SDK does) then the added ones.
    pub headers: Vec<(String, String)>,
    /// Headers the signer adds, in the order the official SDK adds them.
    pub added_headers: Vec<(String, String)>,
    /// The signed header names, lower case and sorted.
    pub signed_headers: Vec<String>,
    /// The hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    pub payload_hash: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The signature is a bearer credential for the life of the request: never printed.
        f.debug_struct("Signed")
            .field("signed_headers", &self.signed_headers)
            .field("payload_hash", &self.payload_hash)
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &"<redacted>")
            .finish()
    }
}

impl Signed {
    /// The `Authorization` header value.
    pub fn authorization(&self) -> Option<&str> {
        self.added_headers
            .iter()
            .find(|(name, _)| name == "Authorization")
            .map(|(_, value)| value.as_str())
    }
}

/// Signs `input` with the access key `ak` and secret key `sk` at `date` (`YYYYMMDDTHHMMSSZ`).
///
/// `X-Sdk-Date` is added unless the headers already have it; `Host` likewise; for a body that is
/// neither JSON nor BSON, `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` is added and signed.
pub fn sign(ak: &str, sk: &str, date: &str, input: &SigningInput<'_>) -> Signed {
    let has = |name: &str| input.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut headers: Vec<(String, String)> = input
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), value.trim().to_owned()))
        .collect();
    let mut added = Vec::new();
    let date = match input.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(DATE_HEADER)) {
        Some((_, value)) => value.trim().to_owned(),
        None => {
            added.push((DATE_HEADER.to_owned(), date.to_owned()));
            date.to_owned()
        }
    };
    let content_type = input
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v);
    let unsigned =
        content_type.is_some_and(|ct| !ct.starts_with("application/json") && !ct.starts_with("application/bson"));
    if unsigned && !has(CONTENT_SHA256_HEADER) {
        added.push((CONTENT_SHA256_HEADER.to_owned(), UNSIGNED_PAYLOAD.to_owned()));
    }
    if !has("host") {
        added.push(("Host".to_owned(), input.host.to_owned()));
    }
    headers.extend(added.iter().cloned());

    let mut canonical: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    canonical.sort();
    canonical.dedup_by(|a, b| a.0 == b.0);
    let signed_headers: Vec<String> = canonical.iter().map(|(name, _)| name.clone()).collect();
    let signed_list = signed_headers.join(";");
    let canonical_headers: String = canonical
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();

    let payload_hash = match headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(CONTENT_SHA256_HEADER))
    {
        Some((_, value)) => value.clone(),
        None => hex::encode(Sha256::digest(input.body.unwrap_or_default())),
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        canonical_uri(input.path),
        canonical_query(input.query),
        canonical_headers,
        signed_list,
        payload_hash
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let signature = hmac_hex(sk.as_bytes(), string_to_sign.as_bytes());
    let authorization = (
        "Authorization".to_owned(),
        format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_list}, Signature={signature}"),
    );
    headers.push(authorization.clone());
    added.push(authorization);
    Signed {
        headers,
        added_headers: added,
        signed_headers,
        payload_hash,
        canonical_request,
        string_to_sign,
        signature,
    }
}

fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail; the fallback keeps it panic-free.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Each segment decoded then encoded, so the signature does not depend on how the caller encoded
/// the path; always ending in `/`.
pub fn canonical_uri(path: &str) -> String {
    let mut uri: String = path
        .split('/')
        .map(|segment| encode(&percent_decode_str(segment).decode_utf8_lossy()))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Pairs sorted by key then value, each encoded; the same string is sent on the wire, so what is
/// signed is exactly what the server sees.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but `A-Z a-z 0-9 - _ . ~`.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// `YYYYMMDDTHHMMSSZ` for a time, in UTC.
pub fn sdk_date(time: std::time::SystemTime) -> String {
    let seconds = time
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn sdk_dates_are_utc_compact() {
        assert_eq!(sdk_date(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(
            sdk_date(UNIX_EPOCH + Duration::from_secs(1_704_164_645)),
            "20240102T030405Z"
        );
        assert_eq!(
            sdk_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
    }

    #[test]
    fn canonical_uri_reencodes_segments_and_ends_with_a_slash() {
        assert_eq!(canonical_uri("/v1/a%3Ab%20c/x"), "/v1/a%3Ab%20c/x/");
        assert_eq!(canonical_uri("/v1/a:b c/"), "/v1/a%3Ab%20c/");
    }

    #[test]
    fn debug_never_shows_the_signature() {
        let input = SigningInput {
            method: "GET",
            host: "h",
            path: "/",
            query: &[],
            headers: &[],
            body: None,
        };
        let signed = sign("AK", "SK", "20240102T030405Z", &input);
        assert!(!format!("{signed:?}").contains(&signed.signature));
    }
}
