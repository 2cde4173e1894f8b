use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that may be absent, present as JSON `null`, or present with a value.
///
/// `Option<T>` can tell only two of these apart. APIs give the three different meanings (an update
/// that leaves a field alone, clears it, or sets it), and documented examples carry explicit nulls
/// that must survive a round trip. Generated structs use this type, with `#[serde(default,
/// skip_serializing_if = "Nullable::is_absent")]`, for fields that are both optional and nullable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// The field is not in the JSON object.
    #[default]
    Absent,
    /// The field is in the JSON object with the value `null`.
    Null,
    /// The field is in the JSON object with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the JSON object.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit JSON `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, dropping the difference between absent and null.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // An absent field is normally skipped by `skip_serializing_if`; when it is not (inside a
            // map or sequence), `null` is the only faithful JSON for it.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Called only when the key is present; an absent key takes `Default`, which is `Absent`.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        field: Nullable<String>,
    }

    #[test]
    fn the_three_states_round_trip() {
        for (json, state) in [
            ("{}", Nullable::Absent),
            (r#"{"field":null}"#, Nullable::Null),
            (r#"{"field":"x"}"#, Nullable::Value("x".to_owned())),
        ] {
            let holder: Holder = serde_json::from_str(json).expect("valid JSON");
            assert_eq!(holder.field, state, "{json}");
            assert_eq!(serde_json::to_string(&holder).expect("serializable"), json);
        }
    }
}
