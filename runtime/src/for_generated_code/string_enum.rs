//! The impls every generated string enum shares.

/// `From<String>`, `Display`, `Serialize` and `Deserialize` for a generated string enum, from
/// its `as_str` and `From<&str>` and the name of its catch-all variant: the same four impls,
/// written once here instead of thirty lines in each of hundreds of enums.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($ty:ident, $other:ident) => {
        impl ::core::convert::From<::std::string::String> for $ty {
            fn from(value: ::std::string::String) -> Self {
                match <$ty as ::core::convert::From<&str>>::from(value.as_str()) {
                    $ty::$other(_) => $ty::$other(value),
                    known => known,
                }
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::for_generated_code::de::serde::Serialize for $ty {
            fn serialize<S: $crate::for_generated_code::de::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::for_generated_code::de::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::for_generated_code::de::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <::std::string::String as $crate::for_generated_code::de::serde::Deserialize>::deserialize(deserializer)
                    .map(<$ty as ::core::convert::From<::std::string::String>>::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// What a generated string enum looks like.
    #[derive(Debug, PartialEq)]
    enum Colour {
        Red,
        Other(String),
    }

    impl Colour {
        fn as_str(&self) -> &str {
            match self {
                Colour::Red => "red",
                Colour::Other(value) => value,
            }
        }
    }

    impl From<&str> for Colour {
        fn from(value: &str) -> Self {
            match value {
                "red" => Colour::Red,
                other => Colour::Other(other.to_owned()),
            }
        }
    }

    crate::string_enum!(Colour, Other);

    #[test]
    fn known_and_unknown_values_round_trip() {
        assert_eq!(Colour::from("red".to_owned()), Colour::Red);
        assert_eq!(Colour::from("blue".to_owned()), Colour::Other("blue".to_owned()));
        assert_eq!(Colour::Red.to_string(), "red");
        let read: Vec<Colour> = serde_json::from_str(r#"["red", "blue"]"#).expect("strings");
        assert_eq!(read, [Colour::Red, Colour::Other("blue".to_owned())]);
        assert_eq!(serde_json::to_string(&read).expect("serializes"), r#"["red","blue"]"#);
        assert!(serde_json::from_str::<Colour>("1").is_err());
    }
}
