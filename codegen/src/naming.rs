//! Every Rust name the generator makes comes from here: one policy, one place.
//!
//! The rules: heck converts case; a leading `+` or `-` becomes `plus`/`minus` (so `+1` and `-1`
//! stay apart); a name that starts with a digit gets a prefix (`_` in snake case, `N` in camel
//! case); a keyword becomes a raw identifier where Rust allows one and takes a trailing `_` where
//! it does not; a type name that would shadow a prelude name used by generated code gets `Model`
//! appended; and inside one scope a name already taken gets the smallest free numeric suffix, in
//! the order the names are claimed (document order), so names are stable. The wire name is never
//! lost: callers keep it beside the Rust name.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2024 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that generated code uses unqualified, so a schema must not shadow them.
const PRELUDE_TYPES: &[&str] = &[
    "Box", "Default", "Err", "From", "Into", "None", "Ok", "Option", "Result", "Self", "Some", "String", "Vec",
];

/// The snake-case name of a field, parameter, method or module. May be a raw identifier (`r#type`).
pub fn snake(raw: &str) -> String {
    let words = spell_signs(raw).to_snake_case();
    let name = if words.is_empty() { "value".to_owned() } else { words };
    let name = if starts_with_digit(&name) {
        format!("_{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// The upper-camel-case name of a type.
pub fn camel(raw: &str) -> String {
    let words = spell_signs(raw).to_upper_camel_case();
    let name = if words.is_empty() { "Value".to_owned() } else { words };
    let name = if starts_with_digit(&name) {
        format!("N{name}")
    } else {
        name
    };
    if PRELUDE_TYPES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// The upper-camel-case name of an enum variant.
pub fn variant(raw: &str) -> String {
    let name = camel(raw);
    // Variants live in their enum's namespace, so prelude names are harmless there; `Self` is not.
    match name.strip_suffix("Model") {
        Some(base) if PRELUDE_TYPES.contains(&base) && base != "Self" => base.to_owned(),
        _ => name,
    }
}

/// Whether `name` can be written as a Rust identifier as it is (raw identifiers included).
pub fn is_identifier(name: &str) -> bool {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = bare.chars();
    let first_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    first_ok && chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) && bare != "_"
}

/// Prepares a wire name for heck. A leading sign carries meaning (`+1` vs `-1`, sort orders), so
/// it is spelt out. Identifiers are kept ASCII: a non-ASCII letter or digit becomes its code point
/// (`é` -> `u00e9`), which is stable and distinct, and rustc's `uncommon_codepoints` lint cannot
/// fire on generated code; any other non-ASCII character separates words.
fn spell_signs(raw: &str) -> String {
    let (sign, rest) = if let Some(rest) = raw.strip_prefix('+') {
        ("plus_", rest)
    } else if let Some(rest) = raw.strip_prefix('-') {
        ("minus_", rest)
    } else {
        ("", raw)
    };
    let mut out = String::with_capacity(raw.len() + sign.len());
    out.push_str(sign);
    for c in rest.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", u32::from(c)));
        } else {
            out.push(' ');
        }
    }
    out
}

fn starts_with_digit(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_digit())
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Names already taken in one scope (a crate's types, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// Claims `name`, or `name` with the smallest free suffix (`2`, `3`, ...; `_2` in snake case).
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let bare = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(bare)
    }

    /// Marks `name` as taken without claiming it for anything (names the emitter itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }
}

/// A variant name for a version such as an OpenStack microversion: `1.38` becomes `V1_38`.
/// `None` unless the text is dot-separated numbers, so the name is always an identifier.
pub fn version(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric.then(|| format!("V{}", parts.join("_")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_name_only_numbers() {
        assert_eq!(version("1.38").as_deref(), Some("V1_38"));
        assert_eq!(version("2").as_deref(), Some("V2"));
        for bad in ["a b", "1..2", "1.x", "", "1.38 "] {
            assert_eq!(version(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn snake_case_names() {
        for (raw, expected) in [
            ("cluster_id", "cluster_id"),
            ("backupName", "backup_name"),
            (
                "os-extended-snapshot-attributes:progress",
                "os_extended_snapshot_attributes_progress",
            ),
            ("X-Auth-Token", "x_auth_token"),
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("async", "r#async"),
            ("1st", "_1st"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("", "value"),
            ("$", "value"),
        ] {
            assert_eq!(snake(raw), expected, "snake({raw:?})");
            assert!(is_identifier(&snake(raw)), "{raw:?}");
        }
    }

    #[test]
    fn camel_case_names() {
        for (raw, expected) in [
            ("snapshot_resp", "SnapshotResp"),
            ("SnapshotResp", "SnapshotResp"),
            ("create-snapshot", "CreateSnapshot"),
            ("2fa", "N2fa"),
            ("String", "StringModel"),
            ("Option", "OptionModel"),
            ("self", "SelfModel"),
            ("", "Value"),
        ] {
            assert_eq!(camel(raw), expected, "camel({raw:?})");
            assert!(is_identifier(&camel(raw)), "{raw:?}");
        }
    }

    #[test]
    fn variant_names_may_reuse_prelude_words() {
        assert_eq!(variant("none"), "None");
        assert_eq!(variant("ASC"), "Asc");
        assert_eq!(variant("+1"), "Plus1");
        assert_eq!(variant("-1"), "Minus1");
        assert_eq!(variant("self"), "SelfModel");
    }

    #[test]
    fn collisions_get_stable_suffixes_in_claim_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim(variant("ASC")), "Asc");
        assert_eq!(scope.claim(variant("asc")), "Asc2");
        assert_eq!(scope.claim(variant("Asc")), "Asc3");
        let mut fields = Scope::new();
        assert_eq!(fields.claim(snake("fooBar")), "foo_bar");
        assert_eq!(fields.claim(snake("foo_bar")), "foo_bar_2");
        assert_eq!(fields.claim(snake("type")), "r#type");
        assert_eq!(fields.claim(snake("Type")), "type_2");
    }

    #[test]
    fn non_ascii_names_become_ascii_identifiers() {
        assert_eq!(snake("café"), "caf_u00e9");
        assert_eq!(camel("名前"), "U540dU524d");
        assert_eq!(snake("a²"), "a_u00b2");
        assert_eq!(snake("🙂"), "value");
    }

    #[test]
    fn every_name_is_an_identifier_whatever_the_input() {
        // A deterministic sweep over awkward characters in every position.
        let pieces = [
            "", "a", "A", "1", "_", "-", "+", ":", ".", " ", "é", "²", "🙂", "type", "self", "$", "{", "\u{0}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let raw = format!("{a}{b}{c}");
                    for name in [snake(&raw), camel(&raw), variant(&raw)] {
                        assert!(is_identifier(&name), "{raw:?} gave {name:?}");
                        assert!(name.is_ascii(), "{raw:?} gave {name:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn identifier_check() {
        assert!(is_identifier("r#type"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier("_"));
    }
}
