//! `allOf`: what a value that fits every member at once is.
//!
//! Members are read for what they say about the value, not only for their properties:
//! - members that only describe (a `description`, `nullable`) say nothing about the type;
//! - one member that says everything (`allOf: [{$ref: X}, {description: ...}]`) is that member's
//!   type, so the spec's own type is reused rather than copied;
//! - object members merge into one struct, as before;
//! - members of one scalar type (a Nova keypair name: `[{type: string, minLength: 1},
//!   {maxLength: 255}]`) are that type with their constraints intersected;
//! - members no value can fit at once (a string and an integer) are reported and kept as a
//!   `serde_json::Value`.
//!
//! The same reading serves a schema that has keywords of its own beside `allOf` (or beside a
//! `oneOf` that says nothing): those keywords are one more part.

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind};

use super::Lowerer;
use super::parts::{AllOf, Leaf, Part, leaf_of, leaf_of_any};
use super::schema::{ObjectParts, SCHEMA_PREFIX, unescape};
use crate::diagnostic::join;
use crate::ir::{Constraints, IntegerKind, LengthUnit, NumberKind, Shape, Ty};

impl<'a> Lowerer<'a> {
    /// Reads the parts of an `allOf` at `pointer`; a conflict is reported here.
    pub(super) fn all_of(&mut self, parts: &[Part<'a>], pointer: &str, hint: &str) -> AllOf<'a> {
        let said: Vec<(&Part<'a>, Leaf<'a>)> = parts
            .iter()
            .map(|part| (part, self.leaf(part)))
            .filter(|(_, leaf)| *leaf != Leaf::Annotation)
            .collect();
        match said.as_slice() {
            [] => return AllOf::Anything,
            [(Part::Member(member, at), _)] => return AllOf::One(member, at.clone()),
            _ => {}
        }
        let leaves: Vec<Leaf<'a>> = said.iter().map(|(_, leaf)| *leaf).collect();
        if leaves.contains(&Leaf::Object) {
            // Non-object members of an object `allOf` are reported by the merge, one by one.
            return AllOf::Object;
        }
        let types: Vec<&str> = leaves
            .iter()
            .filter_map(|leaf| match leaf {
                Leaf::Scalar(Some(name)) => Some(*name),
                _ => None,
            })
            .collect();
        let one_type = types.windows(2).all(|pair| pair[0] == pair[1]);
        if one_type && !leaves.contains(&Leaf::Opaque) {
            let mut merged: Option<Ty> = None;
            for (part, _) in &said {
                let ty = self.scalar_part(part, hint);
                merged = Some(match merged {
                    None => ty,
                    Some(so_far) => match intersect(so_far, ty) {
                        Some(ty) => ty,
                        None => return self.conflict(pointer, "its members are of different types"),
                    },
                });
            }
            return merged.map_or(AllOf::Anything, AllOf::Scalar);
        }
        // One opaque member (an enum, a union) with typeless constraints beside it: the member.
        let opaque: Vec<&Part<'a>> = said
            .iter()
            .filter(|(_, leaf)| *leaf == Leaf::Opaque)
            .map(|(part, _)| *part)
            .collect();
        if let [Part::Member(member, at)] = opaque.as_slice()
            && leaves
                .iter()
                .all(|leaf| matches!(leaf, Leaf::Opaque | Leaf::Scalar(None)))
        {
            return AllOf::One(member, at.clone());
        }
        let why = if one_type {
            "an enum or union member cannot be merged with others"
        } else {
            "its members are of different types"
        };
        self.conflict(pointer, why)
    }

    fn conflict(&mut self, pointer: &str, why: &str) -> AllOf<'a> {
        self.warn(
            &join(pointer, "allOf"),
            format!("this `allOf` is not typed: {why}; the value is kept as `serde_json::Value`"),
        );
        AllOf::Conflict
    }

    /// What a part says about the value, following a reference to its schema.
    pub(super) fn leaf(&self, part: &Part<'a>) -> Leaf<'a> {
        match part {
            Part::Own(any, _, _) => leaf_of_any(any),
            Part::Member(member, _) => self.member_leaf(member, &mut Vec::new()),
        }
    }

    /// What a member says, through references and nested `allOf`s (`visiting` guards a cycle).
    fn member_leaf(&self, member: &'a ReferenceOr<Schema>, visiting: &mut Vec<&'a str>) -> Leaf<'a> {
        match member {
            ReferenceOr::Item(schema) => self.schema_leaf(schema, visiting),
            ReferenceOr::Reference { reference } => {
                if visiting.contains(&reference.as_str()) {
                    return Leaf::Opaque;
                }
                visiting.push(reference);
                let target = reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .and_then(|key| self.component_schema(&unescape(key)));
                let leaf = target.map(|schema| self.schema_leaf(schema, visiting));
                visiting.pop();
                // A reference always says something, even to a schema that says nothing itself.
                match leaf {
                    Some(Leaf::Annotation) | None => Leaf::Opaque,
                    Some(leaf) => leaf,
                }
            }
        }
    }

    fn schema_leaf(&self, schema: &'a Schema, visiting: &mut Vec<&'a str>) -> Leaf<'a> {
        let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return leaf_of(schema);
        };
        // An `allOf` is what its members say together: objects, one scalar type, or opaque.
        let leaves: Vec<Leaf<'a>> = all_of
            .iter()
            .map(|member| self.member_leaf(member, visiting))
            .filter(|leaf| *leaf != Leaf::Annotation)
            .collect();
        if leaves.contains(&Leaf::Object) {
            return Leaf::Object;
        }
        let mut named = None;
        for leaf in &leaves {
            match leaf {
                Leaf::Scalar(Some(name)) if named.is_some_and(|n| n != *name) => return Leaf::Opaque,
                Leaf::Scalar(Some(name)) => named = Some(*name),
                Leaf::Scalar(None) => {}
                _ => return Leaf::Opaque,
            }
        }
        if leaves.is_empty() {
            Leaf::Annotation
        } else {
            Leaf::Scalar(named)
        }
    }

    /// The properties of the object parts, merged (the schema's own properties first).
    pub(super) fn object_parts(&mut self, parts: &[Part<'a>], pointer: &str) -> ObjectParts<'a> {
        let mut merged = ObjectParts::default();
        let mut visiting = vec![pointer.to_owned()];
        for part in parts {
            match part {
                Part::Own(any, _, at) => {
                    for (key, property) in &any.properties {
                        merged
                            .properties
                            .push((key.clone(), property, join(&join(at, "properties"), key)));
                    }
                    merged.required.extend(any.required.iter().cloned());
                    if let Some(additional) = &any.additional_properties {
                        merged.additional = Some((additional, at.clone()));
                    }
                }
                Part::Member(member, at) => {
                    if self.leaf(part) != Leaf::Annotation {
                        self.merge(member, at, &mut merged, &mut visiting);
                    }
                }
            }
        }
        merged
    }

    /// The type and constraints one scalar part states.
    fn scalar_part(&mut self, part: &Part<'a>, hint: &str) -> Ty {
        match part {
            Part::Own(any, data, at) => self.loose_part(any, data, at, hint),
            Part::Member(ReferenceOr::Item(schema), at) => self.scalar_schema(schema, at, hint),
            Part::Member(ReferenceOr::Reference { reference }, at) => {
                let key = reference.strip_prefix(SCHEMA_PREFIX).map(unescape);
                match key.as_deref().and_then(|key| self.component_schema(key)) {
                    Some(schema) => {
                        let target = key.map_or_else(|| at.clone(), |key| join("/components/schemas", &key));
                        self.scalar_schema(schema, &target, hint)
                    }
                    None => self.reference_ty(reference, at),
                }
            }
        }
    }

    fn scalar_schema(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Ty {
        let mut ty = match &schema.schema_kind {
            SchemaKind::Any(any) => self.loose_part(any, &schema.schema_data, pointer, hint),
            SchemaKind::AllOf { all_of } => {
                let parts: Vec<Part<'a>> = all_of
                    .iter()
                    .enumerate()
                    .map(|(i, member)| Part::Member(member, join(&join(pointer, "allOf"), &i.to_string())))
                    .collect();
                match self.all_of(&parts, pointer, hint) {
                    AllOf::Scalar(ty) => ty,
                    AllOf::One(member, at) => self.scalar_part(&Part::Member(member, at), hint),
                    AllOf::Anything | AllOf::Object | AllOf::Conflict => Ty::plain(Shape::Any),
                }
            }
            kind => self.anonymous(kind, &schema.schema_data, pointer, hint),
        };
        ty.nullable |= schema.schema_data.nullable;
        ty
    }

    /// A part without a typed schema: its declared type if any, and every constraint it states
    /// (a typeless `{maxLength: 255}` constrains whatever the other members say the value is).
    fn loose_part(&mut self, any: &'a AnySchema, data: &SchemaData, pointer: &str, hint: &str) -> Ty {
        let mut constraints = Constraints::default();
        let shape = match any.typ.as_deref() {
            Some("array") => {
                constraints.min_items = any.min_items.map(|n| n as u64);
                constraints.max_items = any.max_items.map(|n| n as u64);
                constraints.unique_items = any.unique_items.unwrap_or(false);
                self.array_of(any.items.as_ref(), pointer, hint)
            }
            Some(_) => self.loose_scalar(any, data, pointer, &mut constraints),
            None => {
                constraints = self.any_constraints(any, data, pointer);
                Shape::Any
            }
        };
        Ty {
            shape,
            nullable: data.nullable,
            constraints,
        }
    }

    /// Every constraint an untyped schema states, whatever type it would apply to.
    pub(super) fn any_constraints(&mut self, any: &AnySchema, data: &SchemaData, pointer: &str) -> Constraints {
        let binary = any.format.as_deref() == Some("binary");
        Constraints {
            min_length: any.min_length.map(|n| n as u64),
            max_length: any.max_length.map(|n| n as u64),
            length_unit: if binary {
                LengthUnit::Bytes
            } else {
                self.length_unit(data, pointer)
            },
            patterns: self.pattern(any.pattern.as_deref(), pointer).into_iter().collect(),
            minimum: any.minimum,
            maximum: any.maximum,
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            multiple_of: any.multiple_of,
            min_items: any.min_items.map(|n| n as u64),
            max_items: any.max_items.map(|n| n as u64),
            unique_items: any.unique_items.unwrap_or(false),
            min_properties: any.min_properties.map(|n| n as u64),
            max_properties: any.max_properties.map(|n| n as u64),
            allowed: any.enumeration.clone(),
            format: any.format.clone(),
            alternatives: Vec::new(),
        }
    }
}

/// The type of a value that is both `a` and `b`: one shape (the more specific one where they
/// differ only in width or format), every constraint of both. `None` if no value is both.
fn intersect(a: Ty, b: Ty) -> Option<Ty> {
    let shape = match (a.shape, b.shape) {
        (Shape::Any, shape) | (shape, Shape::Any) => shape,
        (Shape::Integer(x), Shape::Integer(y)) => Shape::Integer(if x == IntegerKind::I64 { y } else { x }),
        (Shape::Number(x), Shape::Number(y)) => Shape::Number(if x == NumberKind::F64 { y } else { x }),
        (Shape::String | Shape::Binary, Shape::Binary) | (Shape::Binary, Shape::String) => Shape::Binary,
        (Shape::Array(items), Shape::Array(_)) => Shape::Array(items),
        (x, y) if x == y => x,
        _ => return None,
    };
    Some(Ty {
        shape,
        nullable: a.nullable && b.nullable,
        constraints: intersect_constraints(a.constraints, b.constraints),
    })
}

/// Constraints that hold when both hold: the tighter of each bound, every pattern.
fn intersect_constraints(a: Constraints, b: Constraints) -> Constraints {
    fn tighter<T: PartialOrd>(x: Option<T>, y: Option<T>, keep_larger: bool) -> Option<T> {
        match (x, y) {
            (Some(x), Some(y)) => Some(if (x >= y) == keep_larger { x } else { y }),
            (x, y) => x.or(y),
        }
    }
    // A bound and whether it excludes itself: where both bound alike, exclusive wins.
    let bound = |x: Option<f64>, x_excl: bool, y: Option<f64>, y_excl: bool, lower: bool| match (x, y) {
        (Some(x), Some(y)) if x == y => (Some(x), x_excl || y_excl),
        (Some(x), Some(y)) if (x > y) == lower => (Some(x), x_excl),
        (Some(_), Some(y)) => (Some(y), y_excl),
        (Some(x), None) => (Some(x), x_excl),
        (None, Some(y)) => (Some(y), y_excl),
        (None, None) => (None, false),
    };
    let (minimum, exclusive_minimum) = bound(a.minimum, a.exclusive_minimum, b.minimum, b.exclusive_minimum, true);
    let (maximum, exclusive_maximum) = bound(a.maximum, a.exclusive_maximum, b.maximum, b.exclusive_maximum, false);
    let mut patterns = a.patterns;
    for pattern in b.patterns {
        if !patterns.contains(&pattern) {
            patterns.push(pattern);
        }
    }
    let allowed = match (a.allowed.is_empty(), b.allowed.is_empty()) {
        (false, false) => a.allowed.iter().filter(|v| b.allowed.contains(v)).cloned().collect(),
        (true, _) => b.allowed,
        (false, true) => a.allowed,
    };
    Constraints {
        min_length: tighter(a.min_length, b.min_length, true),
        max_length: tighter(a.max_length, b.max_length, false),
        length_unit: if a.length_unit == LengthUnit::Bytes || b.length_unit == LengthUnit::Bytes {
            LengthUnit::Bytes
        } else {
            LengthUnit::Characters
        },
        patterns,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of: a.multiple_of.or(b.multiple_of),
        min_items: tighter(a.min_items, b.min_items, true),
        max_items: tighter(a.max_items, b.max_items, false),
        unique_items: a.unique_items || b.unique_items,
        min_properties: tighter(a.min_properties, b.min_properties, true),
        max_properties: tighter(a.max_properties, b.max_properties, false),
        allowed,
        format: a.format.or(b.format),
        alternatives: if a.alternatives.is_empty() {
            b.alternatives
        } else {
            a.alternatives
        },
    }
}
