//! Schemas to types: component schemas become named types, inline schemas are named after their
//! place, and every use of a schema becomes a [`Ty`].

use std::collections::BTreeSet;

use indexmap::IndexMap;

use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Lowerer;
use super::parts::{AllOf, Part};
use crate::diagnostic::join;
use crate::ir::{
    Access, Additional, Constraints, Docs, Enum, Field, IntegerKind, LengthUnit, Name, NumberKind, Shape, Struct, Ty,
    TypeDef, TypeKind, Variant,
};
use crate::naming::{self, Scope};

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The properties of an object schema, gathered from `properties` or merged from `allOf`.
#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: Vec<(String, &'a ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: BTreeSet<String>,
    pub(super) additional: Option<(&'a AdditionalProperties, String)>,
}

impl<'a> Lowerer<'a> {
    /// Lowers one component schema under its pre-assigned name.
    pub(super) fn lower_component(&mut self, key: &str, schema: &'a ReferenceOr<Schema>) {
        let Some(name) = self.component_names.get(key).cloned() else {
            return;
        };
        let pointer = join("/components/schemas", key);
        match schema {
            ReferenceOr::Reference { .. } => {
                let ty = self.ty(schema, &pointer, name.as_str());
                self.define(name, pointer, Docs::default(), TypeKind::Alias(ty), false);
            }
            ReferenceOr::Item(item) => self.define_named(name, &pointer, item),
        }
    }

    /// The type of a use of `schema` at `pointer`; inline objects and enums are named after `hint`.
    pub(super) fn ty(&mut self, schema: &'a ReferenceOr<Schema>, pointer: &str, hint: &str) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_ty(reference, pointer),
            ReferenceOr::Item(item) => self.inline(item, pointer, hint),
        }
    }

    pub(super) fn boxed_ty(&mut self, schema: &'a ReferenceOr<Box<Schema>>, pointer: &str, hint: &str) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_ty(reference, pointer),
            ReferenceOr::Item(item) => self.inline(item, pointer, hint),
        }
    }

    /// An array of `items` (any JSON values when the schema gives none), items named after `hint`.
    pub(super) fn array_of(&mut self, items: Option<&'a ReferenceOr<Box<Schema>>>, pointer: &str, hint: &str) -> Shape {
        let item = match items {
            Some(items) => self.boxed_ty(items, &join(pointer, "items"), &format!("{hint}Item")),
            None => Ty::plain(Shape::Any),
        };
        Shape::Array(Box::new(item))
    }

    pub(super) fn reference_ty(&mut self, reference: &str, pointer: &str) -> Ty {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.error(
                &join(pointer, "$ref"),
                format!("`{reference}` is not a local schema reference (`#/components/schemas/NAME`); other files and other parts of the document are not supported yet"),
            );
            return Ty::plain(Shape::Any);
        };
        let key = unescape(key);
        match self.component_names.get(&key) {
            Some(name) => {
                let nullable = self.component_schema(&key).is_some_and(|s| s.schema_data.nullable);
                Ty {
                    nullable,
                    ..Ty::plain(Shape::Named(name.clone()))
                }
            }
            None => {
                self.error(
                    &join(pointer, "$ref"),
                    format!("`{reference}` points to nothing: there is no schema `{key}` in components/schemas"),
                );
                Ty::plain(Shape::Any)
            }
        }
    }

    fn inline(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Ty {
        let data = &schema.schema_data;
        let mut ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => {
                let name = self.claim_type_name(hint);
                self.define_named(name.clone(), pointer, schema);
                Ty::plain(Shape::Named(name))
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let name = self.claim_type_name(hint);
                self.define_named(name.clone(), pointer, schema);
                Ty::plain(Shape::Named(name))
            }
            SchemaKind::Any(any) if has_combinators(any) => self.mixed(schema, any, pointer, hint, None),
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let name = self.claim_type_name(hint);
                self.define_named(name.clone(), pointer, schema);
                Ty::plain(Shape::Named(name))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let ty = self.ty(&all_of[0], &join(&join(pointer, "allOf"), "0"), hint);
                Ty {
                    nullable: ty.nullable || data.nullable,
                    ..ty
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                match self.all_of(&members_of(all_of, pointer), pointer, hint) {
                    AllOf::Object => {
                        let name = self.claim_type_name(hint);
                        self.define_named(name.clone(), pointer, schema);
                        Ty::plain(Shape::Named(name))
                    }
                    AllOf::One(member, at) => self.ty(member, &at, hint),
                    AllOf::Scalar(ty) => ty,
                    AllOf::Anything | AllOf::Conflict => Ty::plain(Shape::Any),
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() == 1 => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.ty(&members[0], &join(&join(pointer, keyword), "0"), hint)
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if data.discriminator.is_none()
                    && let Some((index, member)) = self.nullable_member(members) =>
            {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let ty = self.ty(member, &join(&join(pointer, keyword), &index.to_string()), hint);
                Ty { nullable: true, ..ty }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() > 1 => {
                let name = self.claim_type_name(hint);
                self.define_named(name.clone(), pointer, schema);
                Ty::plain(Shape::Named(name))
            }
            kind => self.anonymous(kind, data, pointer, hint),
        };
        ty.nullable |= data.nullable;
        ty
    }

    /// Types that need no name of their own: primitives, arrays, maps.
    pub(super) fn anonymous(&mut self, kind: &'a SchemaKind, data: &SchemaData, pointer: &str, hint: &str) -> Ty {
        let mut constraints = Constraints::default();
        let shape = match kind {
            SchemaKind::Type(Type::String(string)) => {
                let format = match &string.format {
                    VariantOrUnknownOrEmpty::Item(format) => Some(string_format(format).to_owned()),
                    VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                let lengths = (string.min_length, string.max_length);
                self.string(
                    lengths,
                    string.pattern.as_deref(),
                    format,
                    data,
                    pointer,
                    &mut constraints,
                )
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                constraints.multiple_of = integer.multiple_of.map(|n| n as f64);
                constraints.minimum = integer.minimum.map(|n| n as f64);
                constraints.maximum = integer.maximum.map(|n| n as f64);
                constraints.exclusive_minimum = integer.exclusive_minimum;
                constraints.exclusive_maximum = integer.exclusive_maximum;
                constraints.allowed = integer
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                let format = match &integer.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Some("int32"),
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => Some("int64"),
                    VariantOrUnknownOrEmpty::Unknown(other) => Some(other.as_str()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                constraints.format = format.map(str::to_owned);
                Shape::Integer(IntegerKind::of(format))
            }
            SchemaKind::Type(Type::Number(number)) => {
                constraints.multiple_of = number.multiple_of;
                constraints.minimum = number.minimum;
                constraints.maximum = number.maximum;
                constraints.exclusive_minimum = number.exclusive_minimum;
                constraints.exclusive_maximum = number.exclusive_maximum;
                constraints.allowed = number
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                let float = matches!(
                    number.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float)
                );
                Shape::Number(if float { NumberKind::F32 } else { NumberKind::F64 })
            }
            SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                constraints.min_items = array.min_items.map(|n| n as u64);
                constraints.max_items = array.max_items.map(|n| n as u64);
                constraints.unique_items = array.unique_items;
                self.array_of(array.items.as_ref(), pointer, hint)
            }
            SchemaKind::Type(Type::Object(object)) => {
                constraints.min_properties = object.min_properties.map(|n| n as u64);
                constraints.max_properties = object.max_properties.map(|n| n as u64);
                let value = self.additional(object.additional_properties.as_ref(), pointer, hint);
                Shape::Map(Box::new(value.unwrap_or_else(|| Ty::plain(Shape::Any))))
            }
            SchemaKind::Any(any) => {
                if any.items.is_some() {
                    self.array_of(any.items.as_ref(), pointer, hint)
                } else if any.additional_properties.is_some() {
                    let value = self.additional(any.additional_properties.as_ref(), pointer, hint);
                    Shape::Map(Box::new(value.unwrap_or_else(|| Ty::plain(Shape::Any))))
                } else if has_combinators(any) {
                    // `inline` reads these itself (`mixed`) before it comes here; a caller that does
                    // not still gets a warning rather than a silent `Value`.
                    self.untyped(
                        pointer,
                        "a schema that mixes `oneOf`/`anyOf`/`allOf`/`not` with other keywords",
                    );
                    Shape::Any
                } else {
                    self.loose_scalar(any, data, pointer, &mut constraints)
                }
            }
            // Unions of two or more members are named types (`inline`); an empty one admits anything.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Shape::Any,
            SchemaKind::Not { .. } => {
                self.untyped(&join(pointer, "not"), "`not`");
                Shape::Any
            }
            // A one-member `allOf` and an object `allOf` are handled by `inline`; this is an empty one.
            SchemaKind::AllOf { .. } => Shape::Any,
        };
        // `enum: [null]` on a string allows only null: a nullable string, not an enumeration.
        let null_only = matches!(kind, SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_none));
        Ty {
            shape,
            nullable: data.nullable || null_only,
            constraints,
        }
    }

    /// A scalar schema `openapiv3` could not read as typed, most often an integer whose bound
    /// or literal lies outside i64 (`minimum: -9223372036854776000`, `maximum: 18446744073709551615`):
    /// it lands in `AnySchema`, which keeps `type`, `format` and bounds as `f64`. The type is
    /// still the declared one; a bound at or past the type's own limit says nothing and is dropped.
    pub(super) fn loose_scalar(
        &mut self,
        any: &openapiv3::AnySchema,
        data: &SchemaData,
        pointer: &str,
        constraints: &mut Constraints,
    ) -> Shape {
        constraints.format = any.format.clone();
        match any.typ.as_deref() {
            Some("integer") => {
                constraints.multiple_of = any.multiple_of;
                let kind = IntegerKind::of(any.format.as_deref());
                let (low, high) = integer_range(kind);
                constraints.minimum = any.minimum.filter(|m| *m > low);
                constraints.maximum = any.maximum.filter(|m| *m < high);
                constraints.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                constraints.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                Shape::Integer(kind)
            }
            Some("number") => {
                constraints.multiple_of = any.multiple_of;
                constraints.minimum = any.minimum;
                constraints.maximum = any.maximum;
                constraints.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                constraints.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                Shape::Number(if any.format.as_deref() == Some("float") {
                    NumberKind::F32
                } else {
                    NumberKind::F64
                })
            }
            Some("string") => {
                let lengths = (any.min_length, any.max_length);
                self.string(
                    lengths,
                    any.pattern.as_deref(),
                    any.format.clone(),
                    data,
                    pointer,
                    constraints,
                )
            }
            Some("boolean") => Shape::Boolean,
            _ => Shape::Any,
        }
    }

    /// A string's constraints, typed schema or loose; `format: binary` makes it bytes.
    fn string(
        &mut self,
        (min_length, max_length): (Option<usize>, Option<usize>),
        pattern: Option<&str>,
        format: Option<String>,
        data: &SchemaData,
        pointer: &str,
        constraints: &mut Constraints,
    ) -> Shape {
        constraints.min_length = min_length.map(|n| n as u64);
        constraints.max_length = max_length.map(|n| n as u64);
        constraints.patterns = self.pattern(pattern, pointer).into_iter().collect();
        constraints.format = format;
        if constraints.format.as_deref() == Some("binary") {
            // Bytes have no characters: their length is counted in bytes.
            constraints.length_unit = LengthUnit::Bytes;
            Shape::Binary
        } else {
            constraints.length_unit = self.length_unit(data, pointer);
            Shape::String
        }
    }

    pub(super) fn additional(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> Option<Ty> {
        match additional? {
            AdditionalProperties::Any(true) => Some(Ty::plain(Shape::Any)),
            AdditionalProperties::Any(false) => None,
            AdditionalProperties::Schema(schema) => {
                Some(self.ty(schema, &join(pointer, "additionalProperties"), &format!("{hint}Value")))
            }
        }
    }

    /// Defines the named type `name` from `schema` (already claimed).
    fn define_named(&mut self, name: Name, pointer: &str, schema: &'a Schema) {
        let data = &schema.schema_data;
        let docs = Docs {
            summary: data.title.clone(),
            description: data.description.clone(),
        };
        let mixes = matches!(&schema.schema_kind, SchemaKind::Any(any) if has_combinators(any));
        if let Some((properties, required, additional)) =
            object_view(schema).filter(|(p, _, _)| !p.is_empty() && !mixes)
        {
            let parts = ObjectParts {
                properties: properties
                    .iter()
                    .map(|(key, schema)| (key.clone(), schema, join(&join(pointer, "properties"), key)))
                    .collect(),
                required: required.iter().cloned().collect(),
                additional: additional.map(|a| (a, pointer.to_owned())),
            };
            let kind = TypeKind::Struct(self.structure(name.as_str(), parts));
            return self.define(name, pointer.to_owned(), docs, kind, data.nullable);
        }
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => {
                let mut scope = Scope::new();
                // The catch-all keeps one stable name; a documented `other` yields to it.
                let other_variant = Name::plain("Other");
                scope.reserve(other_variant.as_str());
                let mut seen = std::collections::BTreeSet::new();
                let mut variants = Vec::new();
                for wire in string.enumeration.iter().flatten() {
                    // A value listed twice is one value: a second arm for it could never match.
                    if !seen.insert(wire.as_str()) {
                        self.warn(
                            &join(pointer, "enum"),
                            format!("`{wire}` is listed twice; it is one value of the enum"),
                        );
                        continue;
                    }
                    variants.push(Variant {
                        wire_name: wire.clone(),
                        name: scope.claim(naming::variant(wire)),
                        docs: Docs::default(),
                    });
                }
                let nullable = data.nullable || string.enumeration.iter().any(Option::is_none);
                return self.define(
                    name,
                    pointer.to_owned(),
                    docs,
                    TypeKind::Enum(Enum {
                        variants,
                        other_variant,
                    }),
                    nullable,
                );
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let members = members_of(all_of, pointer);
                match self.all_of(&members, pointer, name.as_str()) {
                    AllOf::Object => {
                        let parts = self.object_parts(&members, pointer);
                        TypeKind::Struct(self.structure(name.as_str(), parts))
                    }
                    AllOf::One(member, at) => TypeKind::Alias(self.ty(member, &at, name.as_str())),
                    AllOf::Scalar(ty) => TypeKind::Alias(ty),
                    AllOf::Anything | AllOf::Conflict => TypeKind::Alias(Ty::plain(Shape::Any)),
                }
            }
            SchemaKind::Any(any) if has_combinators(any) => {
                // Named after the component: a struct or union it needs takes the name itself.
                match self.mixed_component(&name, schema, any, pointer) {
                    Some(kind) => kind,
                    None => return,
                }
            }
            SchemaKind::OneOf { one_of } if one_of.len() > 1 => {
                self.union_kind(name.as_str(), one_of, "oneOf", data.discriminator.as_ref(), pointer)
            }
            SchemaKind::AnyOf { any_of } if any_of.len() > 1 => {
                self.union_kind(name.as_str(), any_of, "anyOf", data.discriminator.as_ref(), pointer)
            }
            _ => {
                let ty = self.inline(schema, pointer, name.as_str());
                TypeKind::Alias(ty)
            }
        };
        self.define(name, pointer.to_owned(), docs, kind, data.nullable);
    }

    /// Adds the properties of one `allOf` member to `parts`, following references.
    pub(super) fn merge(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        visiting: &mut Vec<String>,
    ) {
        let (schema, at) = match member {
            ReferenceOr::Reference { reference } => {
                let Some(key) = reference.strip_prefix(SCHEMA_PREFIX).map(unescape) else {
                    self.error(
                        &join(pointer, "$ref"),
                        format!("`{reference}` is not a local schema reference"),
                    );
                    return;
                };
                let target = join("/components/schemas", &key);
                if let Some(start) = visiting.iter().position(|v| *v == target) {
                    let mut members = visiting[start..].to_vec();
                    members.sort();
                    if self.reported_all_of_cycles.insert(members) {
                        self.error(
                            &join(pointer, "$ref"),
                            format!(
                                "`allOf` reference cycle cannot be represented: {} -> {target}",
                                visiting.join(" -> ")
                            ),
                        );
                    }
                    return;
                }
                match self.component_schema(&key) {
                    Some(schema) => (schema, target),
                    None => {
                        self.error(
                            &join(pointer, "$ref"),
                            format!(
                                "`{reference}` points to nothing: there is no schema `{key}` in components/schemas"
                            ),
                        );
                        return;
                    }
                }
            }
            ReferenceOr::Item(schema) => (schema, pointer.to_owned()),
        };
        visiting.push(at.clone());
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for (key, property) in &object.properties {
                    parts
                        .properties
                        .push((key.clone(), property, join(&join(&at, "properties"), key)));
                }
                parts.required.extend(object.required.iter().cloned());
                if let Some(additional) = &object.additional_properties {
                    parts.additional = Some((additional, at.clone()));
                }
            }
            SchemaKind::Any(any) => {
                for (key, property) in &any.properties {
                    parts
                        .properties
                        .push((key.clone(), property, join(&join(&at, "properties"), key)));
                }
                parts.required.extend(any.required.iter().cloned());
                if let Some(additional) = &any.additional_properties {
                    parts.additional = Some((additional, at.clone()));
                }
            }
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    self.merge(inner, &join(&join(&at, "allOf"), &i.to_string()), parts, visiting);
                }
            }
            _ => self.warn(
                &at,
                "an `allOf` member that is not an object is not merged; the struct holds the other members' properties",
            ),
        }
        visiting.pop();
    }

    pub(super) fn structure(&mut self, name: &str, parts: ObjectParts<'a>) -> Struct {
        let mut scope = Scope::new();
        // The struct's own methods: `new`, then a setter per optional field.
        let mut methods = Scope::new();
        methods.reserve("new");
        let mut fields: Vec<Field> = Vec::new();
        for (key, schema, pointer) in parts.properties {
            // A later `allOf` member may restate a property; the first statement keeps its place.
            if fields.iter().any(|f| f.wire_name == key) {
                continue;
            }
            let hint = format!("{name}{}", naming::camel(&key).as_str());
            let ty = self.boxed_ty(schema, &pointer, &hint);
            let data = match schema {
                ReferenceOr::Item(item) => Some(&item.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let openstack = data.and_then(|d| d.extensions.get("x-openstack"));
            let version = |k: &str| openstack.and_then(|o| o.get(k)).and_then(value_text);
            let field_name = scope.claim(naming::snake(&key));
            let access = match schema {
                ReferenceOr::Item(item) => self.access(Some(item), None),
                ReferenceOr::Reference { reference } => self.access(None, Some(reference)),
            };
            // A property that travels one way only is never required of both: a caller does not
            // give a `readOnly` one, a response does not carry a `writeOnly` one.
            let listed = parts.required.contains(&key);
            let required = listed && access == Access::ReadWrite;
            let access = match access {
                Access::WriteOnly { .. } => Access::WriteOnly { required: listed },
                other => other,
            };
            fields.push(Field {
                renamed: field_name.as_str() != key,
                setter: (!required).then(|| methods.claim(naming::setter(&field_name))),
                name: field_name,
                required,
                docs: Docs {
                    summary: data.and_then(|d| d.title.clone()),
                    description: data.and_then(|d| d.description.clone()),
                },
                default: data.and_then(|d| d.default.clone()),
                min_version: version("min-ver"),
                max_version: version("max-ver"),
                deprecated: data.is_some_and(|d| d.deprecated),
                boxed: false,
                access,
                wire_name: key,
                ty,
            });
        }
        // A schema silent about other properties allows any: they are kept, as JSON values.
        // `additionalProperties: false` is the one way to say there are none.
        let (ty, declared) = match parts.additional {
            None => (Some(Ty::plain(Shape::Any)), false),
            Some((additional, pointer)) => (
                self.additional(Some(additional), &pointer, &format!("{name}Extra")),
                true,
            ),
        };
        let additional = ty.map(|ty| Additional {
            name: scope.claim(Name::plain("additional_properties")),
            ty,
            declared,
        });
        Struct {
            fields,
            additional,
            builder: None,
        }
    }

    /// Whether a property is `readOnly` or `writeOnly`: said on the property, on an `allOf`
    /// member beside a reference (3.1's siblings of `$ref`), or on the component it refers to.
    fn access(&self, item: Option<&Schema>, reference: Option<&str>) -> Access {
        let data = || -> Option<(bool, bool)> {
            let item = match (item, reference) {
                (Some(item), _) => item,
                (None, Some(reference)) => {
                    let key = reference.strip_prefix("#/components/schemas/").map(unescape)?;
                    match self.api.components.as_ref()?.schemas.get(&key)? {
                        ReferenceOr::Item(item) => item,
                        ReferenceOr::Reference { .. } => return None,
                    }
                }
                (None, None) => return None,
            };
            let own = (item.schema_data.read_only, item.schema_data.write_only);
            let members = match &item.schema_kind {
                SchemaKind::AllOf { all_of } => all_of.as_slice(),
                _ => &[],
            };
            Some(members.iter().fold(own, |(r, w), member| {
                let (mr, mw) = match member {
                    ReferenceOr::Item(m) => (m.schema_data.read_only, m.schema_data.write_only),
                    ReferenceOr::Reference { .. } => (false, false),
                };
                (r || mr, w || mw)
            }))
        };
        match data().unwrap_or((false, false)) {
            (true, false) => Access::ReadOnly,
            (false, true) => Access::WriteOnly { required: false },
            // Both, or neither: a schema that says both says nothing usable.
            _ => Access::ReadWrite,
        }
    }

    pub(super) fn length_unit(&mut self, data: &SchemaData, pointer: &str) -> LengthUnit {
        match data.extensions.get("x-length-unit").and_then(Value::as_str) {
            None | Some("characters") => LengthUnit::Characters,
            Some("bytes") => LengthUnit::Bytes,
            Some(other) => {
                self.warn(&join(pointer, "x-length-unit"), format!("unknown length unit `{other}` (expected `bytes` or `characters`); lengths are counted in characters"));
                LengthUnit::Characters
            }
        }
    }

    pub(super) fn pattern(&mut self, pattern: Option<&str>, pointer: &str) -> Option<String> {
        let pattern = pattern?;
        match regex::Regex::new(pattern) {
            Ok(_) => Some(pattern.to_owned()),
            Err(error) => {
                // The regex crate's message draws the pattern with a caret over several lines;
                // a diagnostic is one line, so keep the last, which says what is wrong.
                let text = error.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|line| !line.trim().is_empty())
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("error: ");
                self.warn(
                    &join(pointer, "pattern"),
                    format!("the pattern is not checked: Rust's regex engine does not accept it ({reason})"),
                );
                None
            }
        }
    }

    pub(super) fn claim_type_name(&mut self, hint: &str) -> Name {
        self.type_scope.claim(naming::camel(hint))
    }

    pub(super) fn define(&mut self, name: Name, origin: String, docs: Docs, kind: TypeKind, nullable: bool) {
        self.types.insert(
            name.as_str().to_owned(),
            TypeDef {
                name,
                origin,
                docs,
                kind,
                nullable,
            },
        );
    }

    /// A construct the generator cannot type yet: the value stays a `serde_json::Value`, so the
    /// rest of the spec still generates, and the user is told where.
    fn untyped(&mut self, pointer: &str, what: &str) {
        self.warn(
            pointer,
            format!("{what} is not typed yet; the value is kept as `serde_json::Value`"),
        );
    }

    pub(super) fn component_schema(&self, key: &str) -> Option<&'a Schema> {
        let mut seen = BTreeSet::new();
        let mut key = key.to_owned();
        loop {
            match self.api.components.as_ref()?.schemas.get(&key)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    if !seen.insert(key.clone()) {
                        return None;
                    }
                    key = unescape(reference.strip_prefix(SCHEMA_PREFIX)?);
                }
            }
        }
    }
}

/// The values an integer kind holds, as `f64` (bounds are compared as `f64`).
fn integer_range(kind: IntegerKind) -> (f64, f64) {
    match kind {
        IntegerKind::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntegerKind::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntegerKind::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntegerKind::I64 => (i64::MIN as f64, i64::MAX as f64),
        IntegerKind::U8 => (0.0, u8::MAX.into()),
        IntegerKind::U16 => (0.0, u16::MAX.into()),
        IntegerKind::U32 => (0.0, u32::MAX.into()),
        IntegerKind::U64 => (0.0, u64::MAX as f64),
    }
}

/// The properties of an object schema: `(properties, required, additionalProperties)`.
pub(super) type ObjectView<'a> = (
    &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    &'a [String],
    Option<&'a AdditionalProperties>,
);

/// The properties, required keys and `additionalProperties` of an object schema, whether it says
/// `type: object` or only lists properties. `None` for `additionalProperties` means the schema is
/// silent (other properties are kept); `Some(Any(false))` that there are none.
pub(super) fn object_view(schema: &Schema) -> Option<ObjectView<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some((
            &object.properties,
            &object.required,
            object.additional_properties.as_ref(),
        )),
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            Some((&any.properties, &any.required, any.additional_properties.as_ref()))
        }
        _ => None,
    }
}

/// `additionalProperties` when it gives the other properties a type (or allows any): `false`
/// says there are none, and silence is neither.
pub(super) fn declared(additional: Option<&AdditionalProperties>) -> Option<&AdditionalProperties> {
    additional.filter(|a| **a != AdditionalProperties::Any(false))
}

fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether an untyped schema also has `oneOf`, `anyOf`, `allOf` or `not`.
fn has_combinators(any: &AnySchema) -> bool {
    !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() || any.not.is_some()
}

/// The members of an `allOf` at `pointer`, as parts.
fn members_of<'a>(all_of: &'a [ReferenceOr<Schema>], pointer: &str) -> Vec<Part<'a>> {
    all_of
        .iter()
        .enumerate()
        .map(|(i, member)| Part::Member(member, join(&join(pointer, "allOf"), &i.to_string())))
        .collect()
}

/// Undoes JSON-pointer escaping in a reference token.
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
