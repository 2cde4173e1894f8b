//! Every Rust name the generator makes comes from here: one policy, one place.
//!
//! The rules: heck converts case; a leading `+` or `-` becomes `plus`/`minus` (so `+1` and `-1`
//! stay apart); a name that starts with a digit gets a prefix (`_` in snake case, `n` when it is
//! all digits, `N` in camel case); a keyword becomes a raw identifier where Rust allows one and takes a trailing `_` where
//! it does not; a type name that would shadow a prelude name used by generated code gets `Model`
//! appended; and inside one scope a name already taken gets the smallest free numeric suffix, in
//! the order the names are claimed (document order), so names are stable. The wire name is never
//! lost: callers keep it beside the Rust name.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::Name;

/// Rust's strict and reserved keywords (2024 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that generated code uses unqualified, so a schema must not shadow them: the
/// prelude's, and the runtime's that a models crate re-exports at its root.
const PRELUDE_TYPES: &[&str] = &[
    "Binary",
    "Box",
    "Default",
    "Err",
    "From",
    "Into",
    "None",
    "Nullable",
    "Ok",
    "Option",
    "Result",
    "Self",
    "Some",
    "String",
    "Validate",
    "ValidationError",
    "Vec",
    "Violation",
];

/// The snake-case name of a field, parameter, method or module. May be a raw identifier (`r#type`).
pub fn snake(raw: &str) -> Name {
    escape_keyword(snake_words(raw))
}

fn snake_words(raw: &str) -> String {
    let words = spell_signs(raw).to_snake_case();
    let name = if words.is_empty() { "value".to_owned() } else { words };
    if !starts_with_digit(&name) {
        name
    } else if name.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        // `_1` would be a binding of nothing but underscores and digits, which clippy refuses
        // (`just_underscores_and_digits`): a number is `n1`.
        format!("n{name}")
    } else {
        format!("_{name}")
    }
}

/// The upper-camel-case name of a type.
pub fn camel(raw: &str) -> Name {
    Name::plain(camel_text(raw))
}

fn camel_text(raw: &str) -> String {
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
pub fn variant(raw: &str) -> Name {
    let name = camel_text(raw);
    // Variants live in their enum's namespace, so prelude names are harmless there; `Self` is not.
    Name::plain(match name.strip_suffix("Model") {
        Some(base) if PRELUDE_TYPES.contains(&base) && base != "Self" => base.to_owned(),
        _ => name,
    })
}

/// The name of a module (and its file): snake case, and a keyword takes a trailing `_`, since a
/// raw identifier has no file name of its own.
pub fn module(raw: &str) -> Name {
    let name = snake_words(raw);
    if KEYWORDS.contains(&name.as_str()) || NOT_RAW.contains(&name.as_str()) {
        Name::plain(format!("{name}_"))
    } else {
        Name::plain(name)
    }
}

/// The setter of an optional field: `with_` and the field's name (`r#type` gives `with_type`,
/// and `_1st`, a name that starts with a digit, `with_1st`).
pub fn setter(field: &Name) -> Name {
    Name::plain(format!("with_{}", field.as_str().trim_start_matches('_')))
}

/// A type name made from another and a suffix: `GetUser` and `Success` give `GetUserSuccess`.
pub fn joined(base: &Name, suffix: &str) -> Name {
    Name::plain(format!("{}{suffix}", base.as_str()))
}

/// A command-line name (`create-standard-snapshot`, `volume-id`): kebab case, ASCII letters,
/// digits and `-` only, never empty and never starting with `-`.
pub fn kebab(raw: &str) -> String {
    let kebab = spell_signs(raw).to_kebab_case();
    let kebab = kebab.trim_matches('-');
    if kebab.is_empty() {
        "value".to_owned()
    } else if kebab.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{kebab}")
    } else {
        kebab.to_owned()
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

fn escape_keyword(name: String) -> Name {
    if NOT_RAW.contains(&name.as_str()) {
        Name::plain(format!("{name}_"))
    } else if KEYWORDS.contains(&name.as_str()) {
        Name::raw(name)
    } else {
        Name::plain(name)
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

    /// A scope in which `names` are already taken.
    pub fn reserving(names: &[&str]) -> Self {
        let mut scope = Scope::new();
        for name in names {
            scope.reserve(name);
        }
        scope
    }

    /// Claims `name`, or `name` with the smallest free suffix (`2`, `3`, ...; `_2` in snake case).
    /// Names are compared by their text, so `r#type` and `type_2` never meet.
    pub fn claim(&mut self, name: Name) -> Name {
        if self.taken.insert(name.as_str().to_owned()) {
            return name;
        }
        let text = name.as_str();
        let separator = if text.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        (2..)
            .map(|n| format!("{text}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .map(Name::plain)
            .unwrap_or(name)
    }

    /// Marks `name` as taken without claiming it for anything (names the emitter itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }
}

/// A variant name for a version such as an OpenStack microversion: `1.38` becomes `V1_38`.
/// `None` unless the text is dot-separated numbers, so the name is always an identifier.
pub fn version(text: &str) -> Option<Name> {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric.then(|| Name::plain(format!("V{}", parts.join("_"))))
}

/// The variant of a per-status enum: `Status201`, `Status4xx`, `StatusDefault`.
pub fn status_variant(status: &crate::ir::Status) -> Name {
    use crate::ir::Status;
    Name::plain(match status {
        Status::Code(code) => format!("Status{code}"),
        Status::Range(class) => format!("Status{class}xx"),
        Status::Default => "StatusDefault".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names as Rust source writes them (`r#type`), for the tables below.
    fn text(name: Name) -> String {
        name.to_string()
    }

    fn is_identifier(name: &Name) -> bool {
        super::is_identifier(&name.to_string())
    }

    #[test]
    fn versions_name_only_numbers() {
        assert_eq!(version("1.38").map(text).as_deref(), Some("V1_38"));
        assert_eq!(version("2").map(text).as_deref(), Some("V2"));
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
            ("1", "n1"),
            ("2_3", "n2_3"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("", "value"),
            ("$", "value"),
        ] {
            assert_eq!(text(snake(raw)), expected, "snake({raw:?})");
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
            ("Nullable", "NullableModel"),
            ("Validate", "ValidateModel"),
            ("self", "SelfModel"),
            ("", "Value"),
        ] {
            assert_eq!(text(camel(raw)), expected, "camel({raw:?})");
            assert!(is_identifier(&camel(raw)), "{raw:?}");
        }
    }

    #[test]
    fn variant_names_may_reuse_prelude_words() {
        assert_eq!(text(variant("none")), "None");
        assert_eq!(text(variant("ASC")), "Asc");
        assert_eq!(text(variant("+1")), "Plus1");
        assert_eq!(text(variant("-1")), "Minus1");
        assert_eq!(text(variant("self")), "SelfModel");
    }

    #[test]
    fn collisions_get_stable_suffixes_in_claim_order() {
        let mut scope = Scope::new();
        assert_eq!(text(scope.claim(variant("ASC"))), "Asc");
        assert_eq!(text(scope.claim(variant("asc"))), "Asc2");
        assert_eq!(text(scope.claim(variant("Asc"))), "Asc3");
        let mut fields = Scope::new();
        assert_eq!(text(fields.claim(snake("fooBar"))), "foo_bar");
        assert_eq!(text(fields.claim(snake("foo_bar"))), "foo_bar_2");
        assert_eq!(text(fields.claim(snake("type"))), "r#type");
        assert_eq!(text(fields.claim(snake("Type"))), "type_2");
    }

    #[test]
    fn non_ascii_names_become_ascii_identifiers() {
        assert_eq!(text(snake("café")), "caf_u00e9");
        assert_eq!(text(camel("名前")), "U540dU524d");
        assert_eq!(text(snake("a²")), "a_u00b2");
        assert_eq!(text(snake("🙂")), "value");
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
                    for name in [snake(&raw), camel(&raw), variant(&raw), module(&raw)] {
                        assert!(is_identifier(&name), "{raw:?} gave {name:?}");
                        assert!(name.as_str().is_ascii(), "{raw:?} gave {name:?}");
                        // Only snake-case names are ever raw; a raw one is a keyword.
                        assert!(
                            !name.is_raw() || KEYWORDS.contains(&name.as_str()),
                            "{raw:?} gave {name:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn identifier_check() {
        assert!(super::is_identifier("r#type"));
        assert!(!super::is_identifier("a-b"));
        assert!(!super::is_identifier("1a"));
        assert!(!super::is_identifier("_"));
    }

    #[test]
    fn modules_setters_and_derived_names() {
        assert_eq!(text(module("Virtual Machines")), "virtual_machines");
        assert_eq!(text(module("type")), "type_");
        assert_eq!(text(module("self")), "self_");
        assert_eq!(text(setter(&snake("type"))), "with_type");
        assert_eq!(text(setter(&snake("1st"))), "with_1st");
        assert_eq!(text(joined(&camel("get_user"), "Success")), "GetUserSuccess");
        assert_eq!(text(status_variant(&crate::ir::Status::Range(4))), "Status4xx");
    }
}
