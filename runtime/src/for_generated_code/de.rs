//! The pieces generated structs use to implement `Deserialize`.
//!
//! Why not `#[derive(Deserialize)]`: serde's derive expands to about 230 lines per struct (a field
//! enum with its own visitor, a sequence visitor, a map visitor), and that expansion is redone on
//! every build, incremental or not. On a spec the size of Oxide's nexus it was most of the time
//! `cargo check` spent on the models crate. A generated struct instead implements [`FromMap`]: one
//! loop over the object's keys, one line per field, with key lookup, duplicate and missing-field
//! errors shared here. Behaviour matches the derive for JSON objects: unknown keys are skipped (or
//! kept, where the schema allows additional properties), a repeated key is an error, a missing
//! required key is serde's `missing field` error, and a missing `Option` is `None`.
//! Unlike the derive, a JSON array is not accepted in place of an object.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct that reads itself from the entries of a map (a JSON object).
pub trait FromMap<'de>: Sized {
    /// What the struct is, for "invalid type" errors: "expected {EXPECTING}". Generated structs
    /// say `struct Name`, as serde's derive does.
    const EXPECTING: &'static str;

    /// Reads every entry of `map` and builds the value.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes a [`FromMap`] type from a map; the body of a generated `Deserialize::deserialize`.
pub fn from_map<'de, D: Deserializer<'de>, T: FromMap<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(MapVisitor(PhantomData))
}

/// `impl Deserialize for $ty` through its [`FromMap`]: the one line a generated struct needs,
/// instead of the same seven-line impl written out for each of thousands of types.
#[macro_export]
#[doc(hidden)]
macro_rules! deserialize_by_from_map {
    ($ty:ty) => {
        impl<'de> $crate::for_generated_code::de::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::for_generated_code::de::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::for_generated_code::de::from_map(deserializer)
            }
        }
    };
}

/// For [`deserialize_by_from_map`] and [`from_map!`](crate::from_map): the macros name serde
/// through this crate.
pub use serde;

/// [`FromMap`] and `Deserialize` for a generated struct, from a table with one line per field:
/// its position, member, JSON name and holding ([`required`], [`optional`], [`nullable`],
/// [`tri_state`]). `keep member` names the map that keeps properties the schema does not list.
///
/// ```text
/// apigen_runtime::from_map! {
///     Volume, keep additional_properties;
///     0 id "id" required;
///     1 name "name" optional;
/// }
/// ```
///
/// The expansion is the loop the runtime module describes, one slot per field; a table is what a
/// careful hand would write for thousands of structs, and it keeps generated crates short.
#[macro_export]
#[doc(hidden)]
macro_rules! from_map {
    ($ty:ident, keep $extra:ident; $($index:literal $member:ident $wire:literal $holding:ident;)*) => {
        impl<'de> $crate::for_generated_code::de::FromMap<'de> for $ty {
            const EXPECTING: &'static str = ::core::concat!("struct ", ::core::stringify!($ty));

            fn from_map<A: $crate::for_generated_code::de::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                use $crate::for_generated_code::de as de;
                $(let mut $member = ::core::option::Option::None;)*
                let mut $extra = ::std::collections::BTreeMap::new();
                let fields = de::FieldOrKey(&[$($wire),*]);
                while let ::core::option::Option::Some(key) = map.next_key_seed(fields)? {
                    match key {
                        $(::core::result::Result::Ok($index) => de::fill(&mut map, &mut $member, $wire)?,)*
                        ::core::result::Result::Ok(_) => de::skip(&mut map)?,
                        ::core::result::Result::Err(key) => de::keep(&mut map, &mut $extra, key)?,
                    }
                }
                ::core::result::Result::Ok(Self {
                    $($member: de::$holding::<_, A::Error>($member, $wire)?,)*
                    $extra,
                })
            }
        }

        $crate::deserialize_by_from_map!($ty);
    };
    ($ty:ident; $($index:literal $member:ident $wire:literal $holding:ident;)*) => {
        impl<'de> $crate::for_generated_code::de::FromMap<'de> for $ty {
            const EXPECTING: &'static str = ::core::concat!("struct ", ::core::stringify!($ty));

            fn from_map<A: $crate::for_generated_code::de::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                use $crate::for_generated_code::de as de;
                $(let mut $member = ::core::option::Option::None;)*
                let fields = de::FieldIndex(&[$($wire),*]);
                while let ::core::option::Option::Some(key) = map.next_key_seed(fields)? {
                    match key {
                        $($index => de::fill(&mut map, &mut $member, $wire)?,)*
                        _ => de::skip(&mut map)?,
                    }
                }
                ::core::result::Result::Ok(Self {
                    $($member: de::$holding::<_, A::Error>($member, $wire)?,)*
                })
            }
        }

        $crate::deserialize_by_from_map!($ty);
    };
}

/// Builder methods for a generated struct's optional fields, from a table with one line per
/// setter: its name, the member it sets, how the value is held ([`some`](super::store::some),
/// [`value`](super::store::value), or their `_boxed` forms), its doc line and the value's type.
///
/// ```text
/// apigen_runtime::setters! {
///     Volume;
///     with_name name some "Sets `name`." String;
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! setters {
    ($ty:ident; $($setter:ident $member:ident $store:ident $doc:literal $value:ty;)*) => {
        impl $ty {
            $(
                #[doc = $doc]
                pub fn $setter(mut self, value: impl ::core::convert::Into<$value>) -> Self {
                    self.$member = $crate::for_generated_code::store::$store(value.into());
                    self
                }
            )*
        }
    };
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Reads a key as the position of the field it names in `names`, or `names.len()` for a key the
/// struct does not know. Nothing is allocated for the key.
#[derive(Debug, Clone, Copy)]
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| *name == key).unwrap_or(self.0.len()))
    }
}

/// Like [`FieldIndex`], but an unknown key comes back as `Err(key)` so that a struct with
/// additional properties can keep it.
#[derive(Debug, Clone, Copy)]
pub struct FieldOrKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldOrKey {
    type Value = Result<usize, String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldOrKey {
    type Value = Result<usize, String>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .ok_or_else(|| key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key).ok_or(key))
    }
}

/// Reads the entry's value into `slot`; a second entry for the same field is serde's
/// `duplicate field` error, as with the derive.
pub fn fill<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the entry's value into `extra` under `key`: a property the struct does not list, kept
/// (a repeated key keeps its last value, as a map does).
pub fn keep<'de, A: MapAccess<'de>, V: de::Deserialize<'de>>(
    map: &mut A,
    extra: &mut std::collections::BTreeMap<String, V>,
    key: String,
) -> Result<(), A::Error> {
    extra.insert(key, map.next_value()?);
    Ok(())
}

/// Reads and drops the entry's value (a key the struct does not know).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of a required field, or serde's `missing field` error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The value of an optional field: absent is `None`. The slot holds `T`, so a `null` the schema
/// does not allow was refused when it was read, not taken as absent.
pub fn optional<T, E: de::Error>(slot: Option<T>, _name: &'static str) -> Result<Option<T>, E> {
    Ok(slot)
}

/// The value of a required field that may be null: absent or null is `None`.
pub fn nullable<T, E: de::Error>(slot: Option<Option<T>>, _name: &'static str) -> Result<Option<T>, E> {
    Ok(slot.flatten())
}

/// The value of an optional field that may be null: absent, null or a value, told apart.
pub fn tri_state<T, E: de::Error>(
    slot: Option<crate::Nullable<T>>,
    _name: &'static str,
) -> Result<crate::Nullable<T>, E> {
    Ok(slot.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// What a generated struct with a required, an optional and an extras field looks like.
    #[derive(Debug, PartialEq)]
    struct Sample {
        id: u32,
        name: Option<String>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> FromMap<'de> for Sample {
        const EXPECTING: &'static str = "struct Sample";

        fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut f0: Option<u32> = None;
            let mut f1: Option<Option<String>> = None;
            let mut extra = BTreeMap::new();
            while let Some(key) = map.next_key_seed(FieldOrKey(&["id", "name"]))? {
                match key {
                    Ok(0) => fill(&mut map, &mut f0, "id")?,
                    Ok(1) => fill(&mut map, &mut f1, "name")?,
                    Ok(_) => skip(&mut map)?,
                    Err(key) => {
                        extra.insert(key, map.next_value()?);
                    }
                }
            }
            Ok(Sample {
                id: required(f0, "id")?,
                name: f1.flatten(),
                extra,
            })
        }
    }

    impl<'de> de::Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            from_map(deserializer)
        }
    }

    /// Only known keys, unknown ones skipped.
    struct Strict {
        id: u32,
    }

    impl<'de> FromMap<'de> for Strict {
        const EXPECTING: &'static str = "struct Strict";

        fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut f0: Option<u32> = None;
            while let Some(key) = map.next_key_seed(FieldIndex(&["id"]))? {
                match key {
                    0 => fill(&mut map, &mut f0, "id")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Strict {
                id: required(f0, "id")?,
            })
        }
    }

    impl<'de> de::Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            from_map(deserializer)
        }
    }

    fn message<T: for<'de> de::Deserialize<'de>>(json: &str) -> String {
        match serde_json::from_str::<T>(json) {
            Ok(_) => "ok".to_owned(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn known_unknown_and_escaped_keys() {
        let sample: Sample =
            serde_json::from_str(r#"{"n\u0061me": "a", "id": 7, "other": [1], "x": null}"#).expect("valid");
        assert_eq!(sample.id, 7);
        assert_eq!(sample.name.as_deref(), Some("a"));
        assert_eq!(sample.extra.keys().collect::<Vec<_>>(), ["other", "x"]);
        let strict: Strict = serde_json::from_str(r#"{"skipped": {"deep": [1, 2]}, "id": 3}"#).expect("valid");
        assert_eq!(strict.id, 3);
    }

    #[test]
    fn missing_optional_and_null_optional_are_none() {
        let sample: Sample = serde_json::from_str(r#"{"id": 1}"#).expect("valid");
        assert_eq!(sample.name, None);
        let sample: Sample = serde_json::from_str(r#"{"id": 1, "name": null}"#).expect("valid");
        assert_eq!(sample.name, None);
    }

    #[test]
    fn errors_read_like_the_derive_and_carry_the_position() {
        assert_eq!(
            message::<Strict>(r#"{"other": 1}"#),
            "missing field `id` at line 1 column 12"
        );
        assert_eq!(
            message::<Strict>(r#"{"id": 1, "id": 2}"#),
            "duplicate field `id` at line 1 column 14"
        );
        assert_eq!(
            message::<Strict>(r#"{"id": "x"}"#),
            "invalid type: string \"x\", expected u32 at line 1 column 10"
        );
        assert_eq!(
            message::<Strict>("[1]"),
            "invalid type: sequence, expected struct Strict at line 1 column 0"
        );
        assert_eq!(
            message::<Sample>(r#"{"id": 1, "name": 5}"#),
            "invalid type: integer `5`, expected a string at line 1 column 19"
        );
    }
}
