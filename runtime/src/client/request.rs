//! One operation's request as the generated code assembles it: parameters and a body, nothing
//! sent yet. The transport turns it into an `http::Request` for the chain.

use std::borrow::Cow;

use bytes::Bytes;
use http::Method;
use serde::Serialize;

use super::error::InvalidInput;
use super::security::Security;

/// What the generator knows about an operation, as a `static`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Operation {
    /// The operation's Rust name, for errors and traces.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it.
    pub path: &'static str,
    /// The media types the generated code decodes from the documented responses (`application/json`,
    /// or several joined with `, `), sent as `Accept` so that a server that negotiates content
    /// answers in one of them. A header parameter named `Accept` takes its place.
    pub accept: Option<&'static str>,
    /// The credentials it requires: its own `security`, or the document's.
    pub security: Security,
}

impl Operation {
    /// An operation; a `const fn`, so generated code can make it a `static`.
    pub const fn new(name: &'static str, method: Method, path: &'static str, accept: Option<&'static str>) -> Self {
        Operation {
            name,
            method,
            path,
            accept,
            security: Security::Unstated,
        }
    }

    /// The operation with the credentials it requires.
    pub const fn with_security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        )
    }
}

/// One request, as generated code assembles it.
#[derive(Debug)]
pub struct Request<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) path_values: Vec<(&'static str, Option<Cow<'a, str>>)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<(Bytes, Cow<'static, str>)>,
}

impl<'a> Request<'a> {
    /// A request for `operation` with no parameters yet.
    pub fn new(operation: &'static Operation) -> Self {
        Request {
            operation,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
        }
    }

    /// A path parameter; `None` takes the client's default for `name`.
    pub fn path(mut self, name: &'static str, value: Option<&'a str>) -> Self {
        self.path_values.push((name, value.map(Cow::Borrowed)));
        self
    }

    /// A path parameter written by its `Display` (a number, a boolean).
    pub fn path_display(mut self, name: &'static str, value: impl ToString) -> Self {
        self.path_values.push((name, Some(Cow::Owned(value.to_string()))));
        self
    }

    /// A path parameter of a type with no `Display` (an enum, a newtype), written as
    /// [`param_text`] writes it.
    pub fn path_text<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        self.path_values.push((name, Some(Cow::Owned(param_text(value)))));
        self
    }

    /// A query parameter (a list is one call per item).
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// A header parameter. It replaces whatever the client would send under that name (the
    /// configured `User-Agent`, microversion, token or project): the call's value wins.
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        self.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// A cookie parameter; all of a request's cookies go in one `Cookie` header (RFC 6265).
    pub fn cookie(mut self, name: &str, value: impl ToString) -> Self {
        self.cookies.push((name.to_owned(), value.to_string()));
        self
    }

    /// An optional query parameter: [`query`](Self::query) when there is a value.
    pub fn query_if(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// An optional header parameter: [`header`](Self::header) when there is a value.
    pub fn header_if(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// An optional cookie parameter: [`cookie`](Self::cookie) when there is a value.
    pub fn cookie_if(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.cookie(name, value),
            None => self,
        }
    }

    /// An optional query parameter of a type with no `Display` (an enum, a nullable value),
    /// written as [`param_text`] writes it.
    pub fn query_text_if<T: Serialize + ?Sized>(self, name: &str, value: Option<&T>) -> Self {
        self.query_if(name, value.map(param_text))
    }

    /// An optional header parameter of a type with no `Display`, written as [`param_text`] does.
    pub fn header_text_if<T: Serialize + ?Sized>(self, name: &str, value: Option<&T>) -> Self {
        self.header_if(name, value.map(param_text))
    }

    /// An optional cookie parameter of a type with no `Display`, written as [`param_text`] does.
    pub fn cookie_text_if<T: Serialize + ?Sized>(self, name: &str, value: Option<&T>) -> Self {
        self.cookie_if(name, value.map(param_text))
    }

    /// A JSON body with the media type `content_type`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T, content_type: &'static str) -> Result<Self, InvalidInput> {
        let bytes = crate::for_generated_code::ser::as_request(|| serde_json::to_vec(body))
            .map_err(|e| InvalidInput::Body(e.to_string()))?;
        self.body = Some((Bytes::from(bytes), Cow::Borrowed(content_type)));
        Ok(self)
    }

    /// A form-urlencoded body from the properties of `body`.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T, content_type: &'static str) -> Result<Self, InvalidInput> {
        let bytes = crate::for_generated_code::ser::as_request(|| super::body::form(body))?;
        self.body = Some((bytes, Cow::Borrowed(content_type)));
        Ok(self)
    }

    /// A `multipart/form-data` body with one part per property of `body`.
    pub fn multipart<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, InvalidInput> {
        let (content_type, bytes) = crate::for_generated_code::ser::as_request(|| super::body::multipart(body))?;
        self.body = Some((bytes, Cow::Owned(content_type)));
        Ok(self)
    }

    /// A text body.
    pub fn text(mut self, body: &str, content_type: &'static str) -> Self {
        self.body = Some((Bytes::copy_from_slice(body.as_bytes()), Cow::Borrowed(content_type)));
        self
    }

    /// A body of raw bytes; a wildcard media type (`*/*`) is sent as `application/octet-stream`.
    pub fn bytes(mut self, body: &[u8], content_type: &'static str) -> Self {
        let content_type = if content_type.contains('*') {
            "application/octet-stream"
        } else {
            content_type
        };
        self.body = Some((Bytes::copy_from_slice(body), Cow::Borrowed(content_type)));
        self
    }
}

/// A parameter value as text for a path, query or header: a JSON string as its text, any other
/// value as its JSON. For parameter types richer than a string or a number (newtypes, enums held as
/// JSON), so a generated call never needs them to implement `Display`.
pub fn param_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(error) => format!("<unserializable: {error}>"),
    }
}

/// `IntoFuture` for a generated call builder `$ty<'a>` whose `send` answers `$output`, so that
/// awaiting a call sends it: the same nine lines for every operation, written once here.
#[macro_export]
#[doc(hidden)]
macro_rules! call_into_future {
    ($ty:ident, $output:ty) => {
        impl<'a> ::std::future::IntoFuture for $ty<'a> {
            type Output = $output;
            type IntoFuture = ::std::pin::Pin<
                ::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::core::marker::Send + 'a>,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    static OPERATION: Operation = Operation::new("list", http::Method::GET, "/items", None);

    #[test]
    fn optional_parameters_are_added_only_with_a_value() {
        let request = Request::new(&OPERATION)
            .query_if("limit", Some(5))
            .query_if("page", None::<u32>)
            .header_if("X-Trace", Some("t-1"))
            .header_if("X-None", None::<&str>)
            .cookie_if("session", Some("s"))
            .cookie_if("other", None::<String>);
        assert_eq!(request.query, [("limit".to_owned(), "5".to_owned())]);
        assert_eq!(request.headers, [("X-Trace".to_owned(), "t-1".to_owned())]);
        assert_eq!(request.cookies, [("session".to_owned(), "s".to_owned())]);
        #[derive(Serialize)]
        enum Sort {
            #[serde(rename = "name_ascending")]
            NameAscending,
        }
        let request = Request::new(&OPERATION)
            .query_text_if("sort_by", Some(&Sort::NameAscending))
            .query_text_if("missing", None::<&Sort>)
            .header_text_if("X-Limit", Some(&Some(3)))
            .cookie_text_if("c", None::<&u8>);
        assert_eq!(request.query, [("sort_by".to_owned(), "name_ascending".to_owned())]);
        assert_eq!(request.headers, [("X-Limit".to_owned(), "3".to_owned())]);
        assert!(request.cookies.is_empty());
    }

    #[test]
    fn path_values_are_borrowed_displayed_or_written_as_parameters() {
        #[derive(Serialize)]
        struct Name(String);
        let request = Request::new(&OPERATION)
            .path("a", Some("x"))
            .path("b", None)
            .path_display("c", 1.5)
            .path_text("d", &Name("disk-1".to_owned()));
        let values: Vec<(&str, Option<&str>)> = request
            .path_values
            .iter()
            .map(|(name, value)| (*name, value.as_deref()))
            .collect();
        assert_eq!(
            values,
            [("a", Some("x")), ("b", None), ("c", Some("1.5")), ("d", Some("disk-1"))]
        );
    }
}
