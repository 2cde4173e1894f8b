//! What generated clients share: configuration, credentials and signing, retries, errors, and the
//! one function that sends a request. Enabled by the `client` feature.

pub mod sign;
