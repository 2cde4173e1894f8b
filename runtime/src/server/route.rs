//! Which documented operation a request path is for, and the raw values of its `{name}`s.
//!
//! Hand-written rather than axum's (matchit) routing, because a generated server must take any
//! spec without panicking: matchit refuses, with a panic at start-up, two templates that differ
//! only in a parameter's name (`/repos/{owner}` beside `/repos/{org}/x` is common in real specs)
//! and a parameter that shares a segment with text (`/files/{name}.json`). Here every template is
//! accepted; when several match, the one with text where the others have a parameter wins, segment
//! by segment from the left, as OpenAPI says concrete paths match before templated ones.

/// One segment of a template: text, or text and `{name}`s mixed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Pattern(Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param(&'static str),
}

/// A path template, split into segments.
#[derive(Debug, Clone)]
pub struct Template {
    segments: Vec<Segment>,
}

/// The raw (still percent-encoded) values of a template's parameters, by name.
pub type Captures = Vec<(&'static str, String)>;

impl Template {
    /// `template` (`/v2/{project_id}/snapshots/{snapshot_id}`), split. Any text is a template: an
    /// unclosed `{` is text.
    pub fn parse(template: &'static str) -> Template {
        let segments = split(template)
            .map(|segment| {
                let pieces = pieces(segment);
                match pieces.as_slice() {
                    [] => Segment::Literal(String::new()),
                    [Piece::Literal(text)] => Segment::Literal(text.clone()),
                    _ => Segment::Pattern(pieces),
                }
            })
            .collect();
        Template { segments }
    }

    /// The captures of `path` if it matches, and its rank: higher for text where another template
    /// has a parameter, compared segment by segment from the left (two bits a segment, the first
    /// 31 segments counted: no real path is longer).
    pub fn matches(&self, path: &str) -> Option<(u64, Captures)> {
        let mut captures = Vec::new();
        let mut rank: u64 = 0;
        let mut ranked = 0;
        let mut push = |score: u64| {
            if ranked < 31 {
                rank = (rank << 2) | score;
                ranked += 1;
            }
        };
        // A path of another length cannot match: known before anything is captured.
        let slashes = path.bytes().filter(|b| *b == b'/').count();
        let given_segments = if path.starts_with('/') { slashes } else { slashes + 1 };
        if given_segments != self.segments.len() {
            return None;
        }
        let mut given = split(path);
        for segment in &self.segments {
            let value = given.next()?;
            match segment {
                Segment::Literal(text) => {
                    if text != value {
                        return None;
                    }
                    push(2);
                }
                Segment::Pattern(pieces) => {
                    let start = captures.len();
                    if !match_pieces(pieces, value, &mut captures) {
                        captures.truncate(start);
                        return None;
                    }
                    let only_param = matches!(pieces.as_slice(), [Piece::Param(_)]);
                    push(if only_param { 0 } else { 1 });
                }
            }
        }
        if given.next().is_some() {
            return None;
        }
        // Templates of different lengths never match one path, so ranks only meet their equals.
        Some((rank, captures))
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

fn pieces(segment: &'static str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Literal(rest[..open].to_owned()));
        }
        out.push(Piece::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest.to_owned()));
    }
    out
}

/// Whether `value` is `pieces` with each parameter standing for one or more characters (or none,
/// when it is the whole segment); a parameter takes as little as lets the rest match.
fn match_pieces(pieces: &[Piece], value: &str, captures: &mut Captures) -> bool {
    match pieces.split_first() {
        None => value.is_empty(),
        Some((Piece::Literal(text), rest)) => value
            .strip_prefix(text.as_str())
            .is_some_and(|tail| match_pieces(rest, tail, captures)),
        Some((Piece::Param(name), rest)) => {
            if rest.is_empty() {
                // An empty value is captured, so that it is refused as a bad value (400) rather
                // than as a path that does not exist.
                captures.push((name, value.to_owned()));
                return true;
            }
            for (end, _) in value.char_indices().skip(1).chain(std::iter::once((value.len(), ' '))) {
                let start = captures.len();
                captures.push((name, value[..end].to_owned()));
                if match_pieces(rest, &value[end..], captures) {
                    return true;
                }
                captures.truncate(start);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captures(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
        Template::parse(template).matches(path).map(|(_, c)| c)
    }

    #[test]
    fn parameters_capture_one_raw_segment() {
        assert_eq!(
            captures("/v2/{project_id}/snapshots/{id}", "/v2/p%20q/snapshots/s1"),
            Some(vec![("project_id", "p%20q".to_owned()), ("id", "s1".to_owned())])
        );
        assert_eq!(captures("/v2/{project_id}/snapshots", "/v2/p/snapshots/x"), None);
        assert_eq!(captures("/v2/{project_id}/snapshots", "/v2/p"), None);
        assert_eq!(captures("/v3/", "/v3/"), Some(vec![]));
        assert_eq!(captures("/v3/", "/v3"), None);
    }

    #[test]
    fn a_parameter_may_share_its_segment_with_text() {
        assert_eq!(
            captures("/files/{name}.json", "/files/a.b.json"),
            Some(vec![("name", "a.b".to_owned())])
        );
        assert_eq!(captures("/files/{name}.json", "/files/.json"), None);
        assert_eq!(captures("/v2/{id}", "/v2/"), Some(vec![("id", String::new())]));
        assert_eq!(
            captures("/x/{a}-{b}", "/x/1-2-3"),
            Some(vec![("a", "1".to_owned()), ("b", "2-3".to_owned())])
        );
    }

    #[test]
    fn text_outranks_a_parameter() {
        let (concrete, _) = Template::parse("/snapshots/detail")
            .matches("/snapshots/detail")
            .expect("matches");
        let (templated, _) = Template::parse("/snapshots/{id}")
            .matches("/snapshots/detail")
            .expect("matches");
        assert!(concrete > templated);
    }

    #[test]
    fn odd_templates_are_text() {
        assert_eq!(captures("/a/{open", "/a/{open"), Some(vec![]));
        assert_eq!(captures("", "/"), Some(vec![]));
    }
}
