//! A schema that has keywords of its own beside `oneOf`, `anyOf` or `allOf`.
//!
//! OpenStack's documents write an IP address as `type: string` with a `oneOf` of
//! `format: ipv4` and `format: ipv6`: the members only narrow the type the schema already
//! states. Such a schema keeps its own type, and the alternatives are documented. A schema whose
//! members are whole schemas of its own type (`type: object` with an `anyOf` of object
//! references) is the union of its members. Members that add properties to an object add them as
//! optional fields. Only members that contradict the schema's own type leave no right type, and
//! the value stays a `serde_json::Value`, with a warning.

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::parts::{AllOf, Leaf, Part, leaf_of_any};
use crate::diagnostic::join;
use crate::ir::{Constraints, Docs, Name, Shape, Ty, TypeKind};

impl<'a> Lowerer<'a> {
    /// The type of `schema` (untyped as `openapiv3` reads it, because it mixes keywords), at
    /// `pointer`. A struct or union it needs is defined as `name` when given (a component),
    /// else named after `hint`.
    pub(super) fn mixed(
        &mut self,
        schema: &'a Schema,
        any: &'a AnySchema,
        pointer: &str,
        hint: &str,
        name: Option<Name>,
    ) -> Ty {
        let data = &schema.schema_data;
        if any.not.is_some() {
            self.warn(
                &join(pointer, "not"),
                "`not` is not typed yet; the value is kept as `serde_json::Value`",
            );
            return Ty::plain(Shape::Any);
        }
        let mut parts = vec![Part::Own(any, data, pointer.to_owned())];
        parts.extend(
            any.all_of
                .iter()
                .enumerate()
                .map(|(i, member)| Part::Member(member, join(&join(pointer, "allOf"), &i.to_string()))),
        );
        let unions: Vec<(&str, &'a [ReferenceOr<Schema>])> = [("oneOf", &any.one_of), ("anyOf", &any.any_of)]
            .into_iter()
            .filter(|(_, members)| !members.is_empty())
            .map(|(keyword, members)| (keyword, members.as_slice()))
            .collect();
        let (keyword, members) = match unions.as_slice() {
            [] => return self.parts_ty(&parts, &[], pointer, hint, name, Vec::new()),
            [one] => *one,
            _ => return self.untyped_mix(pointer, "a schema with both `oneOf` and `anyOf`"),
        };
        let at = join(pointer, keyword);
        let member_parts: Vec<Part<'a>> = members
            .iter()
            .enumerate()
            .map(|(i, member)| Part::Member(member, join(&at, &i.to_string())))
            .collect();
        let leaves: Vec<Leaf<'a>> = member_parts.iter().map(|part| self.leaf(part)).collect();
        // Members that say nothing admit anything: the schema is what its own keywords say.
        if leaves.iter().all(|leaf| *leaf == Leaf::Annotation) {
            return self.parts_ty(&parts, &[], pointer, hint, name, Vec::new());
        }
        // Fragments (members that only add constraints, required keys or properties, untyped or
        // of the schema's own type) narrow the schema's own type.
        let own_type = any.typ.as_deref();
        let fragments: Option<Vec<&'a Schema>> = members
            .iter()
            .map(|member| match member {
                ReferenceOr::Item(schema) if is_fragment(schema, own_type) => Some(schema),
                _ => None,
            })
            .collect();
        if let Some(fragments) = fragments {
            let mut alternatives = Vec::new();
            let mut extra = Vec::new();
            for (fragment, part) in fragments.iter().zip(&member_parts) {
                let Part::Member(_, at) = part else { continue };
                match &fragment.schema_kind {
                    SchemaKind::Any(loose) => {
                        alternatives.push(self.any_constraints(loose, &fragment.schema_data, at));
                        if !loose.properties.is_empty() {
                            extra.push((loose, at.clone()));
                        }
                    }
                    kind => {
                        let narrowed = self.anonymous(kind, &fragment.schema_data, at, hint);
                        alternatives.push(narrowed.constraints);
                    }
                }
            }
            return self.parts_ty(&parts, &extra, pointer, hint, name, alternatives);
        }
        // Whole schemas of the schema's own type (and nothing else stated beside them): the union.
        let own = leaf_of_any(any);
        let only_type = AnySchema {
            typ: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            ..any.clone()
        } == AnySchema::default();
        let consistent = leaves.iter().all(|leaf| match (leaf, own_type) {
            (Leaf::Object, Some("object")) => true,
            (Leaf::Scalar(Some(member)), Some(own)) => *member == own,
            (Leaf::Opaque, _) => true,
            _ => false,
        });
        if only_type && consistent && matches!(own, Leaf::Object | Leaf::Scalar(_)) {
            let name = name.unwrap_or_else(|| self.claim_type_name(hint));
            let kind = self.union_kind(name.as_str(), members, keyword, data.discriminator.as_ref(), pointer);
            let docs = Docs {
                summary: data.title.clone(),
                description: data.description.clone(),
            };
            self.define(name.clone(), pointer.to_owned(), docs, kind, data.nullable);
            return Ty::plain(Shape::Named(name));
        }
        self.untyped_mix(
            pointer,
            &format!("a schema whose `{keyword}` members do not only narrow its own keywords"),
        )
    }

    /// The type of the parts of a schema (its own keywords and its `allOf` members), with the
    /// properties of `extra` fragments as optional fields and `alternatives` documented.
    fn parts_ty(
        &mut self,
        parts: &[Part<'a>],
        extra: &[(&'a AnySchema, String)],
        pointer: &str,
        hint: &str,
        name: Option<Name>,
        alternatives: Vec<Constraints>,
    ) -> Ty {
        let data = match parts.first() {
            Some(Part::Own(_, data, _)) => Some(*data),
            _ => None,
        };
        let mut ty = match self.all_of(parts, pointer, hint) {
            AllOf::Anything | AllOf::Conflict => Ty::plain(Shape::Any),
            AllOf::One(member, at) => self.ty(member, &at, hint),
            AllOf::Scalar(ty) => ty,
            AllOf::Object => {
                let mut object = self.object_parts(parts, pointer);
                for (fragment, at) in extra {
                    for (key, property) in &fragment.properties {
                        object
                            .properties
                            .push((key.clone(), property, join(&join(at, "properties"), key)));
                    }
                }
                if object.properties.is_empty() {
                    // An object without properties is a map, as `type: object` alone is.
                    let value = object
                        .additional
                        .and_then(|(additional, at)| self.additional(Some(additional), &at, hint));
                    return Ty {
                        nullable: data.is_some_and(|d| d.nullable),
                        ..Ty::plain(Shape::Map(Box::new(value.unwrap_or_else(|| Ty::plain(Shape::Any)))))
                    };
                }
                let name = name.unwrap_or_else(|| self.claim_type_name(hint));
                let kind = TypeKind::Struct(self.structure(name.as_str(), object));
                let docs = Docs {
                    summary: data.and_then(|d| d.title.clone()),
                    description: data.and_then(|d| d.description.clone()),
                };
                self.define(name.clone(), pointer.to_owned(), docs, kind, false);
                Ty::plain(Shape::Named(name))
            }
        };
        ty.constraints.alternatives = alternatives
            .into_iter()
            .filter(|alternative| *alternative != Constraints::default())
            .collect();
        ty.nullable |= data.is_some_and(|d| d.nullable);
        ty
    }

    /// A component schema that mixes keywords: the kind of the type named `name`, or `None`
    /// when `mixed` defined it already (a struct or union).
    pub(super) fn mixed_component(
        &mut self,
        name: &Name,
        schema: &'a Schema,
        any: &'a AnySchema,
        pointer: &str,
    ) -> Option<TypeKind> {
        let ty = self.mixed(schema, any, pointer, name.as_str(), Some(name.clone()));
        match &ty.shape {
            Shape::Named(defined) if defined == name => None,
            _ => Some(TypeKind::Alias(ty)),
        }
    }

    fn untyped_mix(&mut self, pointer: &str, what: &str) -> Ty {
        self.warn(
            pointer,
            format!("{what} is not typed yet; the value is kept as `serde_json::Value`"),
        );
        Ty::plain(Shape::Any)
    }
}

/// Whether a member only narrows a schema whose own type is `own_type`: untyped (or of that
/// type), with keywords only (no combinators, no items, no enum of its own).
fn is_fragment(member: &Schema, own_type: Option<&str>) -> bool {
    match &member.schema_kind {
        SchemaKind::Any(fragment) => {
            (fragment.typ.is_none() || fragment.typ.as_deref() == own_type)
                && fragment.one_of.is_empty()
                && fragment.any_of.is_empty()
                && fragment.all_of.is_empty()
                && fragment.not.is_none()
                && fragment.items.is_none()
        }
        SchemaKind::Type(kind) => {
            let (name, narrows) = match kind {
                Type::String(string) => ("string", string.enumeration.is_empty()),
                Type::Integer(_) => ("integer", true),
                Type::Number(_) => ("number", true),
                Type::Boolean(_) => ("boolean", true),
                Type::Object(object) => (
                    "object",
                    object.properties.is_empty() && object.additional_properties.is_none(),
                ),
                Type::Array(array) => ("array", array.items.is_none()),
            };
            own_type == Some(name) && narrows
        }
        _ => false,
    }
}
