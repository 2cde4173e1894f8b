//! Path values as the client sends them: one percent-encoded segment each. Decoding is the
//! inverse of the client's `path::segment`, and refuses what the client refuses to send (empty,
//! `.`, `..`), since a server that accepted them could be reached by a path the client cannot make.

use percent_encoding::percent_decode_str;

/// Why a path segment is not a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SegmentError {
    /// Nothing between two slashes.
    #[error("is empty")]
    Empty,
    /// `.` or `..`, which URL normalisation turns into another path.
    #[error("is `.` or `..`")]
    DotSegment,
    /// Its percent-decoding is not UTF-8.
    #[error("is not UTF-8 once percent-decoded")]
    NotUtf8,
}

/// The value a path segment carries, percent-decoded.
pub fn decode_segment(segment: &str) -> Result<String, SegmentError> {
    match segment {
        "" => return Err(SegmentError::Empty),
        "." | ".." => return Err(SegmentError::DotSegment),
        _ => {}
    }
    let value = percent_decode_str(segment)
        .decode_utf8()
        .map_err(|_| SegmentError::NotUtf8)?
        .into_owned();
    match value.as_str() {
        "" => Err(SegmentError::Empty),
        "." | ".." => Err(SegmentError::DotSegment),
        _ => Ok(value),
    }
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    /// Every value the client can send decodes back to itself.
    #[test]
    fn the_clients_encoding_decodes_back() {
        for value in ["a", "a/../b?x#y", "é %2E", "...", "snap shot", "~-_."] {
            let sent = crate::client::path::segment("id", value).expect("the client sends it");
            assert_eq!(decode_segment(&sent).as_deref(), Ok(value), "{sent}");
        }
    }

    #[test]
    fn what_the_client_refuses_the_server_refuses() {
        for segment in ["", ".", "..", "%2E", "%2e%2E"] {
            assert!(decode_segment(segment).is_err(), "{segment}");
        }
        assert_eq!(decode_segment("%FF"), Err(SegmentError::NotUtf8));
    }
}
