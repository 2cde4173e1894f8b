//! When to send a request again, and how long to wait first.
//!
//! Retrying must never do work twice. A failure to connect happened before the request left, so it
//! is retried whatever the method. A 429 or 503 means the server did not act, but a POST is still
//! not re-sent unless the caller opts in, because some servers answer 503 after acting. Waits grow
//! exponentially with jitter, and a `Retry-After` is honoured when it is within bounds; a server
//! that asks for a longer wait gets its answer returned instead.

use std::time::{Duration, SystemTime};

/// How a client retries. The defaults: 3 attempts, 100 ms doubling to at most 5 s, and a
/// `Retry-After` honoured up to 30 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The wait before the first retry, before jitter.
    pub base_delay: Duration,
    /// The longest computed wait.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Whether 429 and 503 answers to non-idempotent methods (POST, PATCH) are retried too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential, capped, with
    /// "equal jitter" (half fixed, half random), so retries from many clients spread out.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let full = self.base_delay.saturating_mul(1 << exponent).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// Whether a response with `status` to a request whose method is `idempotent` may be retried.
    pub fn retries_status(&self, status: u16, idempotent: bool) -> bool {
        matches!(status, 429 | 503) && (idempotent || self.retry_non_idempotent)
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(
                (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first),
                "{first:?}"
            );
            let second = policy.backoff(2);
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second),
                "{second:?}"
            );
            let capped = policy.backoff(10);
            assert!(
                (Duration::from_millis(175)..=Duration::from_millis(350)).contains(&capped),
                "{capped:?}"
            );
        }
    }

    #[test]
    fn only_429_and_503_are_retried_and_post_only_when_asked() {
        let policy = RetryPolicy::default();
        assert!(policy.retries_status(503, true));
        assert!(policy.retries_status(429, true));
        assert!(!policy.retries_status(500, true));
        assert!(!policy.retries_status(503, false));
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        assert!(opted_in.retries_status(503, false));
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Tue, 02 Jan 2024 03:04:05 GMT").expect("date");
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Tue, 02 Jan 2024 03:04:15 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Tue, 02 Jan 2024 03:04:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
