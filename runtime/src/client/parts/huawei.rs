//! Huawei Cloud AK/SK: the project header and the `SDK-HMAC-SHA256` signature, as the official
//! SDKs send them.

use std::time::SystemTime;

use http::header::{HeaderName, HeaderValue};
use percent_encoding::percent_decode_str;

use crate::client::auth::Secret;
use crate::client::error::InvalidInput;
use crate::client::middleware::{BoxFuture, Call, HttpRequest, HttpResponse, Middleware, Next, SendError};
use crate::client::security::Plan;
use crate::client::sign;

/// The path parameter that names the project a request is for.
pub(super) const PROJECT_PARAMETER: &str = "project_id";

static PROJECT_HEADER: HeaderName = HeaderName::from_static("x-project-id");

/// Headers the official SDK's HTTP layer adds after signing, so they are sent but never signed: a
/// gateway that rewrites `Accept` must not break the signature. What the SDK signs is exactly
/// `content-type;host;user-agent;x-project-id;x-sdk-date` (and any header the caller adds).
const UNSIGNED: [&str; 1] = ["accept"];

/// `X-Project-Id`: the project the request is for, which is the request's own `{project_id}` when
/// the path has one (a call's `.project_id("B")` signs B), else the configured project.
pub(super) struct ProjectHeader {
    default: Option<String>,
}

impl ProjectHeader {
    pub(super) fn new(default: Option<String>) -> Self {
        ProjectHeader { default }
    }
}

impl Middleware for ProjectHeader {
    fn handle<'a>(
        &'a self,
        mut request: HttpRequest,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        if signs(&request) && !request.headers().contains_key(&PROJECT_HEADER) {
            let from_path = request
                .extensions()
                .get::<Call>()
                .and_then(|call| call.path_parameter(PROJECT_PARAMETER));
            if let Some(project) = from_path.or(self.default.as_deref()) {
                match HeaderValue::from_str(project) {
                    Ok(value) => {
                        request.headers_mut().insert(PROJECT_HEADER.clone(), value);
                    }
                    Err(_) => {
                        let refused = InvalidInput::Header("X-Project-Id".to_owned());
                        return Box::pin(async move { Err(refused.into()) });
                    }
                }
            }
        }
        next.run(request)
    }
}

/// Signs the request as it will be sent: a fresh `X-Sdk-Date` on every attempt, then `Host`,
/// `X-Sdk-Content-Sha256` for a body that is not JSON, and `Authorization`.
pub(super) struct AkSkSigner {
    access_key: Secret,
    secret_key: Secret,
    /// `host[:port]` of the endpoint, as `Host` carries it.
    host: String,
}

impl AkSkSigner {
    pub(super) fn new(access_key: Secret, secret_key: Secret, host: String) -> Self {
        AkSkSigner {
            access_key,
            secret_key,
            host,
        }
    }

    fn sign(&self, request: &mut HttpRequest) -> Result<(), InvalidInput> {
        let mut headers = Vec::with_capacity(request.headers().len() + 1);
        for (name, value) in request.headers() {
            if UNSIGNED.contains(&name.as_str()) {
                continue;
            }
            let value = value
                .to_str()
                .map_err(|_| InvalidInput::Header(name.as_str().to_owned()))?;
            headers.push((name.as_str().to_owned(), value.to_owned()));
        }
        let date = sign::sdk_date(SystemTime::now());
        if !request.headers().contains_key(sign::DATE_HEADER) {
            headers.push((sign::DATE_HEADER.to_owned(), date.clone()));
        }
        let query = query_pairs(request.uri().query().unwrap_or_default());
        let host = request.uri().authority().map_or(self.host.as_str(), |a| a.as_str());
        let body = request.body();
        let signed = sign::sign(
            self.access_key.expose(),
            self.secret_key.expose(),
            &date,
            &sign::SigningInput {
                method: request.method().as_str(),
                host,
                path: request.uri().path(),
                query: &query,
                headers: &headers,
                body: (!body.is_empty()).then_some(body.as_ref()),
            },
        );
        let map = request.headers_mut();
        if !map.contains_key(sign::DATE_HEADER) {
            map.insert(
                HeaderName::from_static("x-sdk-date"),
                header_value(sign::DATE_HEADER, &date)?,
            );
        }
        for (name, value) in &signed.added_headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidInput::Header(name.clone()))?;
            let mut value = header_value(name, value)?;
            if header == http::header::AUTHORIZATION {
                value.set_sensitive(true);
            }
            map.insert(header, value);
        }
        Ok(())
    }
}

impl Middleware for AkSkSigner {
    fn handle<'a>(
        &'a self,
        mut request: HttpRequest,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        if !signs(&request) {
            return next.run(request);
        }
        match self.sign(&mut request) {
            Ok(()) => next.run(request),
            Err(refused) => Box::pin(async move { Err(refused.into()) }),
        }
    }
}

/// Whether the credentials chosen for this request are the AK/SK signature (an operation may take
/// a token instead, or nothing).
fn signs(request: &HttpRequest) -> bool {
    request.extensions().get::<Plan>().is_some_and(Plan::signs)
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, InvalidInput> {
    HeaderValue::from_str(value).map_err(|_| InvalidInput::Header(name.to_owned()))
}

/// The query as unencoded pairs, for the signer to encode canonically. The runtime writes every
/// query in that canonical form, so decoding and encoding again gives back what is sent.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_back_as_the_pairs_that_made_it() {
        let pairs = vec![
            ("limit".to_owned(), "10".to_owned()),
            ("name".to_owned(), "a b/é".to_owned()),
            ("flag".to_owned(), String::new()),
        ];
        let sent = sign::canonical_query(&pairs);
        let mut back = query_pairs(&sent);
        back.sort();
        let mut expected = pairs;
        expected.sort();
        assert_eq!(back, expected);
    }
}
