//! Which operations of a spec to generate: a user of a huge API (Microsoft Graph has 9,939
//! operations) names the tags, paths or operations they use, and only those, and the types they
//! reach, are generated.
//!
//! An operation is selected when no include is given or it matches one (of any kind), and it
//! matches no exclude.

/// Includes and excludes, by tag, path glob and operationId.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub(crate) include: Patterns,
    pub(crate) exclude: Patterns,
}

/// Tags, path globs and operationIds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Patterns {
    pub(crate) tags: Vec<String>,
    pub(crate) paths: Vec<String>,
    pub(crate) operations: Vec<String>,
}

impl Patterns {
    fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.paths.is_empty() && self.operations.is_empty()
    }

    fn matches(&self, path: &str, operation_id: Option<&str>, tags: &[String]) -> bool {
        self.tags.iter().any(|tag| tags.contains(tag))
            || self.paths.iter().any(|pattern| glob(pattern, path))
            || operation_id.is_some_and(|id| self.operations.iter().any(|o| o == id))
    }

    /// Each pattern, as the option that gave it says it (`--include-tag users.user`).
    fn each(&self, kind: &'static str) -> impl Iterator<Item = (String, &str)> {
        self.tags
            .iter()
            .map(move |t| (format!("--{kind}-tag"), t.as_str()))
            .chain(self.paths.iter().map(move |p| (format!("--{kind}-path"), p.as_str())))
            .chain(
                self.operations
                    .iter()
                    .map(move |o| (format!("--{kind}-operation"), o.as_str())),
            )
    }
}

impl Selection {
    /// Whether every operation is selected.
    pub fn is_everything(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// Whether the operation at `path` with `operation_id` and `tags` is generated.
    pub fn selects(&self, path: &str, operation_id: Option<&str>, tags: &[String]) -> bool {
        (self.include.is_empty() || self.include.matches(path, operation_id, tags))
            && !self.exclude.matches(path, operation_id, tags)
    }

    /// The patterns that match none of `operations` (path, operationId, tags): most likely typos,
    /// each as its option says it.
    pub(crate) fn unmatched(&self, operations: &[(&str, Option<&str>, &[String])]) -> Vec<String> {
        let mut unmatched = Vec::new();
        for (patterns, kind) in [(&self.include, "include"), (&self.exclude, "exclude")] {
            for (option, pattern) in patterns.each(kind) {
                let hit = operations.iter().any(|(path, id, tags)| {
                    if option.ends_with("-tag") {
                        tags.iter().any(|t| t == pattern)
                    } else if option.ends_with("-path") {
                        glob(pattern, path)
                    } else {
                        *id == Some(pattern)
                    }
                });
                if !hit {
                    unmatched.push(format!("{option} {pattern}"));
                }
            }
        }
        unmatched
    }
}

/// Whether `path` (a path template, `/users/{user-id}/messages`) matches `pattern`: `*` is any run
/// of characters within one segment, `**` any run across segments, `?` one character; everything
/// else, braces included, is itself. Hand-written because the glob crates read `{a,b}` as a choice,
/// and every path template is full of braces.
pub fn glob(pattern: &str, path: &str) -> bool {
    fn matches(pattern: &[u8], text: &[u8]) -> bool {
        match pattern {
            [] => text.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=text.len()).any(|skip| matches(rest, &text[skip..])),
            [b'*', rest @ ..] => {
                let segment = text.iter().position(|&b| b == b'/').unwrap_or(text.len());
                (0..=segment).any(|skip| matches(rest, &text[skip..]))
            }
            [b'?', rest @ ..] => text.first().is_some_and(|&b| b != b'/') && matches(rest, &text[1..]),
            [first, rest @ ..] => text.first() == Some(first) && matches(rest, &text[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_and_across_segments_and_braces_are_themselves() {
        assert!(glob("/users/{user-id}/messages", "/users/{user-id}/messages"));
        assert!(glob("/users/*", "/users/{user-id}"));
        assert!(!glob("/users/*", "/users/{user-id}/messages"));
        assert!(glob("/users/**", "/users/{user-id}/messages"));
        assert!(glob("/users/*/messages", "/users/{user-id}/messages"));
        assert!(glob("/v?/pets", "/v1/pets") && !glob("/v?/pets", "/v10/pets"));
        assert!(!glob("/users", "/users/x"));
    }

    #[test]
    fn includes_are_a_union_and_excludes_win() {
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let selection = Selection {
            include: Patterns {
                tags: vec!["users.user".into()],
                paths: vec!["/me/**".into()],
                operations: vec!["groups.group.ListGroup".into()],
            },
            exclude: Patterns {
                paths: vec!["/users/*/photo/**".into()],
                ..Patterns::default()
            },
        };
        assert!(selection.selects("/users/{id}", Some("users.GetUser"), &tags(&["users.user"])));
        assert!(selection.selects("/me/messages", None, &[]));
        assert!(selection.selects("/groups", Some("groups.group.ListGroup"), &[]));
        assert!(!selection.selects("/groups", Some("groups.group.CreateGroup"), &[]));
        assert!(!selection.selects("/users/{id}/photo/$value", None, &tags(&["users.user"])));
        assert!(Selection::default().selects("/anything", None, &[]));
        let unmatched = selection.unmatched(&[("/users/{id}", Some("users.GetUser"), &tags(&["users.user"])[..])]);
        assert_eq!(
            unmatched,
            [
                "--include-path /me/**",
                "--include-operation groups.group.ListGroup",
                "--exclude-path /users/*/photo/**"
            ]
        );
    }
}
