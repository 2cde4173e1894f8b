//! Presents the credentials the transport chose for a call (its [`Plan`]): a bearer or basic
//! `Authorization`, an API key in its header, query parameter or cookie, a token from a token
//! source (renewed once, and the request sent once more, when the service answers 401). Signing
//! is the AK/SK link's, after this one, so the signature covers what this adds.

use base64::Engine;
use http::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};
use http::{StatusCode, Uri};

use crate::client::auth::{Credential, Secret};
use crate::client::error::InvalidInput;
use crate::client::middleware::{BoxFuture, HttpRequest, HttpResponse, Middleware, Next, SendError, clone_request};
use crate::client::security::{Answer, ApiKeyIn, Plan, SchemeKind};

/// The link; stateless, since what to present travels with each request.
pub(super) struct Authenticate;

impl Middleware for Authenticate {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            // Nothing to present (no requirement, a signature, a client certificate): pass it on.
            let presents = |plan: &Plan| plan.answers.iter().any(|a| matches!(a, Answer::Present(..)));
            let Some(plan) = request.extensions().get::<Plan>().filter(|p| presents(p)).cloned() else {
                return next.run(request).await;
            };
            let mut tokens = Vec::new();
            for answer in &plan.answers {
                if let Answer::Present(_, Credential::Tokens(cache)) = answer {
                    tokens.push(cache.token().await.map_err(SendError::Token)?);
                }
            }
            let retry = (!tokens.is_empty()).then(|| clone_request(&request));
            let response = next.run(present(request, &plan, &tokens)?).await?;
            let Some(again) = retry.filter(|_| response.status() == StatusCode::UNAUTHORIZED) else {
                return Ok(response);
            };
            // The service refused a token: renew each (once, whoever saw the refusal first) and
            // send once more; a second 401 is the answer.
            let mut renewed = Vec::with_capacity(tokens.len());
            let caches = plan.answers.iter().filter_map(|answer| match answer {
                Answer::Present(_, Credential::Tokens(cache)) => Some(cache),
                _ => None,
            });
            for (cache, refused) in caches.zip(&tokens) {
                renewed.push(cache.renew(refused).await.map_err(SendError::Token)?);
            }
            next.run(present(again, &plan, &renewed)?).await
        })
    }
}

/// `request` with every answer of `plan` presented; `tokens` are the token sources' current
/// tokens, in the order of their answers.
fn present(mut request: HttpRequest, plan: &Plan, tokens: &[Secret]) -> Result<HttpRequest, SendError> {
    let mut tokens = tokens.iter();
    for answer in &plan.answers {
        let Answer::Present(scheme, credential) = answer else {
            continue;
        };
        let secret = match credential {
            Credential::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                set_header(&mut request, AUTHORIZATION, &format!("Basic {encoded}"))?;
                continue;
            }
            Credential::Bearer(secret) | Credential::ApiKey(secret) => secret,
            Credential::Tokens(_) => tokens
                .next()
                .ok_or_else(|| SendError::Token("a token source gave no token".into()))?,
        };
        match scheme.kind {
            SchemeKind::ApiKey { location, name } => match location {
                ApiKeyIn::Header => {
                    let header =
                        HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidInput::Header(name.to_owned()))?;
                    set_header(&mut request, header, secret.expose())?;
                }
                ApiKeyIn::Query => add_query(&mut request, name, secret.expose())?,
                ApiKeyIn::Cookie => add_cookie(&mut request, name, secret.expose())?,
            },
            _ => set_header(&mut request, AUTHORIZATION, &format!("Bearer {}", secret.expose()))?,
        }
    }
    Ok(request)
}

/// Sets a credential header unless the call gave its own; marked sensitive, so no debug output of
/// the request shows it.
fn set_header(request: &mut HttpRequest, name: HeaderName, value: &str) -> Result<(), SendError> {
    if request.headers().contains_key(&name) {
        return Ok(());
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| InvalidInput::Header(name.as_str().to_owned()))?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}

/// Appends `name=value` to the query, percent-encoded as a form value.
fn add_query(request: &mut HttpRequest, name: &str, value: &str) -> Result<(), SendError> {
    let pair: String = form_pair(name, value);
    let uri = request.uri();
    let path_and_query = match uri.query() {
        Some(query) if !query.is_empty() => format!("{}?{query}&{pair}", uri.path()),
        _ => format!("{}?{pair}", uri.path()),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(
        path_and_query
            .parse()
            .map_err(|e: http::uri::InvalidUri| InvalidInput::Uri(e.to_string()))?,
    );
    *request.uri_mut() = Uri::from_parts(parts).map_err(|e| InvalidInput::Uri(e.to_string()))?;
    Ok(())
}

fn form_pair(name: &str, value: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    // What `application/x-www-form-urlencoded` leaves as it is.
    const QUERY_VALUE: &percent_encoding::AsciiSet =
        &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    format!(
        "{}={}",
        utf8_percent_encode(name, QUERY_VALUE),
        utf8_percent_encode(value, QUERY_VALUE)
    )
}

/// Adds `name=value` to the request's one `Cookie` header.
fn add_cookie(request: &mut HttpRequest, name: &str, value: &str) -> Result<(), SendError> {
    let cookie = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
        Some(existing) if !existing.is_empty() => format!("{existing}; {name}={value}"),
        _ => format!("{name}={value}"),
    };
    let mut value = HeaderValue::from_str(&cookie).map_err(|_| InvalidInput::Header("Cookie".to_owned()))?;
    value.set_sensitive(true);
    request.headers_mut().insert(COOKIE, value);
    Ok(())
}

#[cfg(feature = "cli")]
/// For the debug log of the command line: whether query parameter `name` of `request` carries a
/// credential.
pub(crate) fn is_secret_query(request: &HttpRequest, name: &str) -> bool {
    request.extensions().get::<Plan>().is_some_and(|plan| {
        plan.answers.iter().any(|answer| {
            matches!(answer, Answer::Present(scheme, _)
                if matches!(scheme.kind, SchemeKind::ApiKey { location: ApiKeyIn::Query, name: n } if n == name))
        })
    })
}
