//! A response: as it came (`RawResponse`, for the generated dispatch, which knows what each
//! documented status means) and decoded (`Response<T>`, what a call returns).

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{Error, ErrorBody, REQUEST_ID_HEADERS, excerpt};
use super::middleware::HttpResponse;

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 200;

/// A response before the generated code has decided what its status means.
#[derive(Debug)]
pub struct RawResponse {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Bytes,
}

/// A successful call: the documented body with the status, headers and request id it came with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The request id (`X-Request-Id` or `X-Openstack-Request-Id`).
    pub request_id: Option<String>,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: f(self.body),
        }
    }

    /// A response header as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl RawResponse {
    /// The response of `operation` as the chain returned it.
    pub(crate) fn new(operation: &'static str, response: HttpResponse) -> Self {
        let (parts, body) = response.into_parts();
        RawResponse {
            operation,
            status: parts.status.as_u16(),
            request_id: request_id(&parts.headers),
            headers: parts.headers,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body decoded as `T`, or a decode error naming the JSON path that failed.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let decoded: Result<T, (String, String)> = match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(body) => deserializer
                .end()
                .map(|()| body)
                .map_err(|e| (".".to_owned(), e.to_string())),
            Err(error) => Err((error.path().to_string(), error.inner().to_string())),
        };
        match decoded {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                request_id: self.request_id,
                body,
            }),
            Err((path, message)) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                request_id: self.request_id,
                path,
                message,
                excerpt: excerpt(&self.body, EXCERPT_CHARS),
            }),
        }
    }

    /// The body as text; a body that is not UTF-8 is a decode error.
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                request_id: self.request_id,
                body,
            }),
            Err(error) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                request_id: self.request_id,
                path: ".".to_owned(),
                message: format!("the text body is not UTF-8: {error}"),
                excerpt: excerpt(&self.body, EXCERPT_CHARS),
            }),
        }
    }

    /// The body as bytes, as they came.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: self.body,
        })
    }

    /// A success without a documented body; whatever came is dropped.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: (),
        })
    }

    /// A documented error status: the body typed as `E` if it parses, else kept as text.
    pub fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        let body = match serde_json::from_slice::<E>(&self.body) {
            Ok(typed) => ErrorBody::Typed(typed),
            Err(_) => ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            body,
        }
    }

    /// A documented error status whose body type depends on the status: `parse` picks it.
    pub fn api_error_with<E>(self, parse: impl FnOnce(&[u8]) -> Option<E>) -> Error<E> {
        let body = match parse(&self.body) {
            Some(typed) => ErrorBody::Typed(typed),
            None => ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            body,
        }
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id,
            excerpt: excerpt(&self.body, EXCERPT_CHARS),
        }
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}
