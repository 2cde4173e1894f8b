//! The parts of a combined schema and what each says about the value, read without lowering
//! anything: what `allOf` merging and a schema with keywords beside `oneOf` decide from.

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, Type};

use crate::ir::Ty;

/// One part of an `allOf`: a member as written, or the keywords of the schema itself.
#[derive(Clone)]
pub(super) enum Part<'a> {
    /// A member, at its pointer.
    Member(&'a ReferenceOr<Schema>, String),
    /// The schema's own keywords beside the combinator (its combinators are not part of it).
    Own(&'a AnySchema, &'a SchemaData, String),
}

/// What a part says about the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaf<'a> {
    /// Nothing: only annotations.
    Annotation,
    /// It is an object (properties, required keys, `type: object`).
    Object,
    /// It constrains a scalar or an array, of the type named if it names one.
    Scalar(Option<&'a str>),
    /// It is something that needs a type of its own: an enum, a union, a `not`.
    Opaque,
}

/// What an `allOf` is. Short-lived: read once where it is matched.
#[allow(clippy::large_enum_variant)]
pub(super) enum AllOf<'a> {
    /// No part says anything: any value.
    Anything,
    /// One member says everything; the others only describe.
    One(&'a ReferenceOr<Schema>, String),
    /// Objects: a struct of their merged properties.
    Object,
    /// One scalar (or array) type, constraints intersected.
    Scalar(Ty),
    /// Parts no value fits at once, or that cannot be merged; reported, kept as `Value`.
    Conflict,
}

/// What a schema says about the value, on its own: an `allOf` is read member by member by the
/// lowering (`Lowerer::leaf`), which follows references; here it is only one that needs a type.
pub(super) fn leaf_of(schema: &Schema) -> Leaf<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => Leaf::Object,
        SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => Leaf::Opaque,
        SchemaKind::Type(Type::String(_)) => Leaf::Scalar(Some("string")),
        SchemaKind::Type(Type::Integer(_)) => Leaf::Scalar(Some("integer")),
        SchemaKind::Type(Type::Number(_)) => Leaf::Scalar(Some("number")),
        SchemaKind::Type(Type::Boolean(_)) => Leaf::Scalar(Some("boolean")),
        SchemaKind::Type(Type::Array(_)) => Leaf::Scalar(Some("array")),
        SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() && any.not.is_none() => {
            if any.all_of.is_empty() {
                leaf_of_any(any)
            } else {
                Leaf::Opaque
            }
        }
        _ => Leaf::Opaque,
    }
}

/// What the keywords of an untyped schema say, its combinators aside.
pub(super) fn leaf_of_any(any: &AnySchema) -> Leaf<'_> {
    let combinators_aside = AnySchema {
        one_of: Vec::new(),
        all_of: Vec::new(),
        any_of: Vec::new(),
        not: None,
        ..any.clone()
    };
    if combinators_aside == AnySchema::default() {
        return Leaf::Annotation;
    }
    let object = !any.properties.is_empty()
        || !any.required.is_empty()
        || any.additional_properties.is_some()
        || any.min_properties.is_some()
        || any.max_properties.is_some()
        || any.typ.as_deref() == Some("object");
    if object {
        Leaf::Object
    } else {
        Leaf::Scalar(any.typ.as_deref())
    }
}
