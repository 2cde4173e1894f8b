//! When to send a request again, and how long to wait first.
//!
//! Retrying must never do work twice. A failure to connect happened before the request left, so it
//! is retried whatever the method. A 429 or 503 means the server did not act, but a POST is still
//! not re-sent unless the caller opts in, because some servers answer 503 after acting. Waits grow
//! exponentially with jitter, and a `Retry-After` is honoured when it is within bounds; a server
//! that asks for a longer wait gets its answer returned instead. The loop that applies a policy is
//! `parts/retry.rs`.

use std::time::{Duration, SystemTime};

use backon::BackoffBuilder;

/// How a client retries. The defaults: 3 attempts, 100 ms doubling to at most 5 s, and a
/// `Retry-After` honoured up to 30 s. Built with the `with_*` methods, read with the others, so
/// that the policy can grow without breaking a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
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
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Attempts in all, the first included; 1 disables retries (0 counts as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, before jitter.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest computed wait.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Whether 429 and 503 answers to non-idempotent methods (POST, PATCH) are retried too.
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before the first retry, before jitter.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest computed wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether 429 and 503 answers to POST and PATCH are retried.
    pub fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The waits before each retry of one call, in order: exponential, capped, with "equal jitter"
    /// (half fixed, half random), so retries from many clients spread out.
    ///
    /// backon's exponential backoff adds a random part of up to the whole delay; starting it at
    /// half the base and capping it at half the maximum gives exactly equal jitter of the full
    /// delay, which never exceeds `max_delay`.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + use<> {
        backon::ExponentialBuilder::default()
            .with_min_delay(self.base_delay / 2)
            .with_max_delay(self.max_delay / 2)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .build()
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
    fn delays_grow_are_capped_jittered_within_bounds_and_stop_with_the_attempts() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350))
            .with_max_attempts(11);
        let ms = Duration::from_millis;
        for _ in 0..100 {
            let delays: Vec<Duration> = policy.delays().collect();
            assert_eq!(delays.len(), 10, "one wait per retry");
            assert!((ms(50)..=ms(100)).contains(&delays[0]), "{delays:?}");
            assert!((ms(100)..=ms(200)).contains(&delays[1]), "{delays:?}");
            assert!((ms(175)..=ms(350)).contains(&delays[9]), "{delays:?}");
        }
        assert_eq!(RetryPolicy::never().delays().count(), 0);
    }

    #[test]
    fn only_429_and_503_are_retried_and_post_only_when_asked() {
        let policy = RetryPolicy::default();
        assert!(policy.retries_status(503, true));
        assert!(policy.retries_status(429, true));
        assert!(!policy.retries_status(500, true));
        assert!(!policy.retries_status(503, false));
        let opted_in = RetryPolicy::default().with_retry_non_idempotent(true);
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
