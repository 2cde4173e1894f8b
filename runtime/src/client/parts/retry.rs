//! Applying a [`RetryPolicy`]: the outermost part, so that everything after it (the caller's
//! middleware, signing with a fresh date) runs once per attempt.

use std::time::SystemTime;

use crate::client::middleware::{
    BoxFuture, Call, HttpRequest, HttpResponse, Middleware, Next, SendError, clone_request,
};
use crate::client::retry::{RetryPolicy, parse_retry_after};

pub(super) struct Retry {
    policy: RetryPolicy,
}

impl Retry {
    pub(super) fn new(policy: RetryPolicy) -> Self {
        Retry { policy }
    }
}

impl Middleware for Retry {
    fn handle<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(async move {
            let policy = &self.policy;
            let idempotent = request.extensions().get::<Call>().is_some_and(Call::is_idempotent);
            let mut delays = policy.delays();
            let mut attempt = 1;
            loop {
                let mut this = clone_request(&request);
                if let Some(call) = this.extensions_mut().get_mut::<Call>() {
                    call.set_attempt(attempt);
                }
                let outcome = next.run(this).await;
                let wait = match &outcome {
                    Err(error) if error.is_connect() => {
                        let wait = delays.next();
                        if let Some(wait) = wait {
                            tracing::debug!(attempt, ?wait, %error, "connection failed before sending; retrying");
                        }
                        wait
                    }
                    Ok(response) if policy.retries_status(response.status().as_u16(), idempotent) => {
                        let asked = response
                            .headers()
                            .get(http::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| parse_retry_after(v, SystemTime::now()));
                        let backoff = delays.next();
                        let wait = match asked {
                            Some(asked) if asked > policy.max_retry_after() => None,
                            Some(asked) => backoff.map(|_| asked),
                            None => backoff,
                        };
                        if let Some(wait) = wait {
                            tracing::debug!(
                                attempt,
                                status = response.status().as_u16(),
                                ?wait,
                                "retryable status; retrying"
                            );
                        }
                        wait
                    }
                    _ => None,
                };
                match wait {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    None => {
                        tracing::Span::current().record("attempts", attempt);
                        return outcome;
                    }
                }
            }
        })
    }
}
