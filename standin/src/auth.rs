//! Authentication as the real services do it: an accepted token in `X-Auth-Token`, or an AK/SK
//! signature (`SDK-HMAC-SHA256`) recomputed here with the runtime's own signer from the request as
//! received, its `X-Sdk-Date` within a bounded skew of the server's clock.

use apigen_runtime::client::sign::{self, SigningInput};
use axum::http::{HeaderMap, Method, Uri};

use crate::identity::TokenState;

/// Who may call.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    /// Accept every request, authenticated or not.
    pub open: bool,
    /// The accepted tokens.
    pub tokens: Vec<String>,
    /// The accepted access key, its secret key and its project.
    pub keys: Option<KeyPair>,
    /// How far `X-Sdk-Date` may be from the server's clock, in seconds.
    pub max_skew_seconds: i64,
    /// The identity service, whose tokens are accepted until they expire.
    pub identity: Option<std::sync::Arc<crate::identity::Identity>>,
}

/// An AK/SK pair and the project it may reach.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// The access key.
    pub ak: String,
    /// The secret key.
    pub sk: String,
    /// The project, if the pair is bound to one.
    pub project_id: Option<String>,
}

/// Why a request is not authenticated; the text is the 401's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No credential at all.
    #[error("the request carries no credential: sign it with AK/SK or send X-Auth-Token")]
    Missing,
    /// A token that is not accepted.
    #[error("the X-Auth-Token is not valid")]
    BadToken,
    /// A token the identity service issued, expired.
    #[error("the X-Auth-Token has expired: log in again")]
    Expired,
    /// An `Authorization` header that is not an SDK-HMAC-SHA256 signature.
    #[error("the Authorization header is not an SDK-HMAC-SHA256 signature")]
    Malformed,
    /// An access key the stand-in does not know.
    #[error("the access key is not known")]
    UnknownKey,
    /// `X-Sdk-Date` missing, unreadable, or too far from now.
    #[error("X-Sdk-Date is missing, unreadable or more than {0} seconds from the server's clock")]
    Skew(i64),
    /// The signature does not match the request.
    #[error("the signature does not match the request: the secret key or the signed content differs")]
    BadSignature,
    /// The key pair may not reach this project.
    #[error("the access key may not reach project `{0}`")]
    Project(String),
}

impl Accepted {
    /// Whether a request is authenticated: its method, its URI as sent (a signature covers the
    /// path the client wrote), its headers and its body.
    pub fn check(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
        if self.open {
            return Ok(());
        }
        if let Some(token) = header(headers, "x-auth-token") {
            if self.tokens.iter().any(|t| t == token) {
                return Ok(());
            }
            return match self.identity.as_ref().map(|identity| identity.token_state(token)) {
                Some(TokenState::Valid) => Ok(()),
                Some(TokenState::Expired) => Err(Refusal::Expired),
                _ => Err(Refusal::BadToken),
            };
        }
        let Some(authorization) = header(headers, "authorization") else {
            return Err(Refusal::Missing);
        };
        let parsed = parse_authorization(authorization).ok_or(Refusal::Malformed)?;
        let keys = self
            .keys
            .as_ref()
            .filter(|k| k.ak == parsed.access)
            .ok_or(Refusal::UnknownKey)?;
        let date = header(headers, sign::DATE_HEADER).ok_or(Refusal::Skew(self.max_skew_seconds))?;
        match crate::clock::seconds_from_now(date) {
            Some(skew) if skew <= self.max_skew_seconds => {}
            _ => return Err(Refusal::Skew(self.max_skew_seconds)),
        }
        let signed_headers: Vec<(String, String)> = parsed
            .signed_headers
            .iter()
            .map(|name| {
                let values: Vec<&str> = headers
                    .get_all(name.as_str())
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                (name.clone(), values.join(","))
            })
            .collect();
        let query = query_pairs(uri.query().unwrap_or(""));
        let host = header(headers, "host").unwrap_or_default();
        let input = SigningInput {
            method: method.as_str(),
            host,
            path: uri.path(),
            query: &query,
            headers: &signed_headers,
            body: Some(body),
        };
        let expected = sign::sign(&keys.ak, &keys.sk, date, &input);
        if expected.signature != parsed.signature || expected.signed_headers != parsed.signed_headers {
            return Err(Refusal::BadSignature);
        }
        if let Some(project) = &keys.project_id {
            let in_path = uri.path().trim_start_matches('/').split('/').nth(1).unwrap_or("");
            if in_path != project {
                return Err(Refusal::Project(in_path.to_owned()));
            }
        }
        Ok(())
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

struct Authorization {
    access: String,
    signed_headers: Vec<String>,
    signature: String,
}

/// `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`.
fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix(sign::ALGORITHM)?.trim();
    let mut access = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Access" => access = Some(value.to_owned()),
            "SignedHeaders" => signed_headers = Some(value.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(value.to_owned()),
            _ => {}
        }
    }
    Some(Authorization {
        access: access?,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

/// The query's pairs, percent-decoded as the signer expects them (it encodes them again).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::http::request::Parts;

    fn check(accepted: &Accepted, parts: &Parts, body: &[u8]) -> Result<(), Refusal> {
        accepted.check(&parts.method, &parts.uri, &parts.headers, body)
    }

    fn signed_request(sk: &str, date: &str) -> (Parts, Vec<u8>) {
        let body = br#"{"snapshot": {"name": "n"}}"#.to_vec();
        let headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("X-Project-Id".to_owned(), "p1".to_owned()),
        ];
        let query = vec![("a".to_owned(), "b c".to_owned())];
        let signed = sign::sign(
            "AK1",
            sk,
            date,
            &SigningInput {
                method: "POST",
                host: "127.0.0.1:9",
                path: "/v1.0/p1/snapshots",
                query: &query,
                headers: &headers,
                body: Some(&body),
            },
        );
        let mut request = axum::http::Request::builder()
            .method("POST")
            .uri("/v1.0/p1/snapshots?a=b%20c");
        for (name, value) in &signed.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let (parts, ()) = request.body(()).expect("a request").into_parts();
        (parts, body)
    }

    fn accepted() -> Accepted {
        Accepted {
            keys: Some(KeyPair {
                ak: "AK1".to_owned(),
                sk: "SK1".to_owned(),
                project_id: Some("p1".to_owned()),
            }),
            tokens: vec!["t1".to_owned()],
            max_skew_seconds: 900,
            open: false,
            identity: None,
        }
    }

    fn now() -> String {
        sign::sdk_date(std::time::SystemTime::now())
    }

    #[test]
    fn a_signature_from_the_runtimes_signer_verifies() {
        let (parts, body) = signed_request("SK1", &now());
        assert_eq!(check(&accepted(), &parts, &body), Ok(()));
    }

    #[test]
    fn a_wrong_secret_a_changed_body_and_an_old_date_are_refused() {
        let (parts, body) = signed_request("SK2", &now());
        assert_eq!(check(&accepted(), &parts, &body), Err(Refusal::BadSignature));
        let (parts, _) = signed_request("SK1", &now());
        assert_eq!(check(&accepted(), &parts, b"{}"), Err(Refusal::BadSignature));
        let (parts, body) = signed_request("SK1", "20200101T000000Z");
        assert_eq!(check(&accepted(), &parts, &body), Err(Refusal::Skew(900)));
    }

    #[test]
    fn tokens_are_checked_and_a_bare_request_is_refused() {
        let request = |token: Option<&str>| {
            let mut builder = axum::http::Request::builder().uri("/v3/p/snapshots");
            if let Some(token) = token {
                builder = builder.header("X-Auth-Token", token);
            }
            builder.body(()).expect("a request").into_parts().0
        };
        assert_eq!(check(&accepted(), &request(Some("t1")), b""), Ok(()));
        assert_eq!(check(&accepted(), &request(Some("t2")), b""), Err(Refusal::BadToken));
        assert_eq!(check(&accepted(), &request(None), b""), Err(Refusal::Missing));
    }
}
