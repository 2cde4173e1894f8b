//! `oneOf` and `anyOf` to Rust enums.
//!
//! Three shapes are told apart, from the most precise to the most general:
//! - a `discriminator` names the property that selects the member: the enum reads that property
//!   first, and each member keeps the property as part of its own type;
//! - every member is an inline object holding a one-value string enum under the same key (the
//!   shape serde and schemars write for `#[serde(tag = "...")]`): the enum is internally tagged and
//!   each member's other properties become its variant's data;
//! - anything else is untagged: the first member that fits wins.
//!
//! A `oneOf` whose members are all string enums is one string enum whose values keep the members'
//! descriptions.

use std::collections::BTreeSet;

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schema::{ObjectParts, ObjectView, SCHEMA_PREFIX, declared, object_view, unescape};
use crate::diagnostic::join;
use crate::ir::{Docs, Enum, Name, Shape, Tagging, Ty, TypeKind, Union, UnionVariant, Variant};
use crate::naming::{self, Scope};

impl<'a> Lowerer<'a> {
    /// The one member that means something in a union that otherwise only adds null: OpenAPI 3.0
    /// has no nullable `$ref`, so generators (OpenAPI.NET, for every Microsoft spec) write
    /// `anyOf: [{$ref: X}, {type: object, nullable: true}]`. Read literally, the second member is
    /// any object or null; with an object `X` that only matters for an object `X` would refuse, so
    /// the union is read as its author meant it: a nullable `X`, not an enum of two variants
    /// wrapped around every such property. Returns the member's index and schema.
    pub(super) fn nullable_member(
        &self,
        members: &'a [ReferenceOr<Schema>],
    ) -> Option<(usize, &'a ReferenceOr<Schema>)> {
        let mut meaningful = members.iter().enumerate().filter(|(_, member)| !is_null_marker(member));
        let (index, member) = meaningful.next()?;
        let only_adds_null = members.len() > 1 && meaningful.next().is_none();
        (only_adds_null && self.is_object_like(member)).then_some((index, member))
    }

    /// Whether `member` (followed through references) describes objects and nothing else.
    fn is_object_like(&self, member: &ReferenceOr<Schema>) -> bool {
        let schema = match member {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|key| self.component_schema(&unescape(key))),
        };
        schema.is_some_and(|schema| match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(any) => {
                any.one_of.is_empty() && any.any_of.is_empty() && any.typ.as_deref().is_none_or(|t| t == "object")
            }
            _ => false,
        })
    }

    /// The kind of the named type `name` for a `oneOf`/`anyOf` of `members` at `pointer`.
    pub(super) fn union_kind(
        &mut self,
        name: &str,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&'a Discriminator>,
        pointer: &str,
    ) -> TypeKind {
        let at = join(pointer, keyword);
        if let Some(merged) = string_values(members) {
            return TypeKind::Enum(merged);
        }
        if discriminator.is_none()
            && let Some((index, member)) = self.nullable_member(members)
        {
            let ty = self.ty(member, &join(&at, &index.to_string()), name);
            return TypeKind::Alias(Ty { nullable: true, ..ty });
        }
        if let Some(discriminator) = discriminator
            && let Some(union) = self.discriminated(members, discriminator, &at)
        {
            return TypeKind::Union(union);
        }
        if let Some(tag) = shared_tag(members) {
            return TypeKind::Union(self.internally_tagged(name, members, &tag, &at));
        }
        TypeKind::Union(self.untagged(name, members, &at))
    }

    fn discriminated(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: &Discriminator,
        at: &str,
    ) -> Option<Union> {
        let property = &discriminator.property_name;
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        // A member listed twice is one variant, and a tag selects one variant: a second arm for
        // either could never match.
        let mut seen_members = BTreeSet::new();
        let mut claimed_tags = BTreeSet::new();
        for (i, member) in members.iter().enumerate() {
            let pointer = join(at, &i.to_string());
            if let ReferenceOr::Reference { reference } = member
                && !seen_members.insert(reference.as_str())
            {
                self.warn(&pointer, format!("`{reference}` is listed twice; it is one variant"));
                continue;
            }
            let ReferenceOr::Reference { reference } = member else {
                self.warn(
                    &pointer,
                    format!("a `discriminator` member must be a `$ref`; the enum is untagged, so `{property}` does not select the variant"),
                );
                return None;
            };
            let key = reference.strip_prefix(SCHEMA_PREFIX).map(unescape)?;
            let rust_name = self.component_names.get(&key)?.clone();
            // `mapping` values are references or bare schema names; unmapped members use their name.
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || **target == key)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                tags.push(key.clone());
            }
            tags.retain(|tag| claimed_tags.insert(tag.clone()));
            if tags.is_empty() {
                self.warn(
                    &pointer,
                    format!("every tag of `{reference}` selects an earlier member; it is not a variant of its own"),
                );
                continue;
            }
            let ty = self.reference_ty(reference, &pointer);
            variants.push(UnionVariant {
                name: scope.claim(rust_name),
                tags,
                ty: Some(ty),
                fields: None,
                docs: Docs::default(),
                boxed: false,
            });
        }
        Some(Union {
            tagging: Tagging::Discriminator(property.clone()),
            variants,
        })
    }

    fn internally_tagged(&mut self, name: &str, members: &'a [ReferenceOr<Schema>], tag: &str, at: &str) -> Union {
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let pointer = join(at, &i.to_string());
            let ReferenceOr::Item(schema) = member else { continue };
            let Some((properties, required, additional)) = object_view(schema) else {
                continue;
            };
            let Some(value) = properties.get(tag).and_then(one_string_value) else {
                continue;
            };
            let variant = scope.claim(naming::variant(&value));
            let variant_type_hint = format!("{name}{}", variant.as_str());
            let docs = Docs {
                summary: schema.schema_data.title.clone(),
                description: schema.schema_data.description.clone(),
            };
            let rest: Vec<_> = properties.iter().filter(|(key, _)| *key != tag).collect();
            let parts = |rest: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>| ObjectParts {
                properties: rest
                    .into_iter()
                    .map(|(key, schema)| (key.clone(), schema, join(&join(&pointer, "properties"), key)))
                    .collect(),
                required: required.iter().filter(|key| *key != tag).cloned().collect(),
                additional: additional.map(|a| (a, pointer.clone())),
            };
            // Named fields go in the variant itself (`Running { host, since }`), as a hand-written
            // tagged enum has them, with what the schema does not name kept beside them; a
            // member that types its other properties gets a struct of its own.
            let declared = declared(additional);
            let fields = (!rest.is_empty() && declared.is_none())
                .then(|| self.structure(&variant_type_hint, parts(rest.clone())));
            let ty = if declared.is_none() {
                None
            } else {
                let struct_name = self.claim_type_name(&variant_type_hint);
                let kind = TypeKind::Struct(self.structure(struct_name.as_str(), parts(rest)));
                let struct_docs = Docs {
                    summary: None,
                    description: Some(format!(
                        "The data of [`{name}::{}`] (`{tag}` is `{value}`).",
                        variant.as_str()
                    )),
                };
                self.define(struct_name.clone(), pointer, struct_docs, kind, false);
                Some(Ty::plain(Shape::Named(struct_name)))
            };
            variants.push(UnionVariant {
                name: variant,
                tags: vec![value],
                ty,
                fields,
                docs,
                boxed: false,
            });
        }
        Union {
            tagging: Tagging::Internal(tag.to_owned()),
            variants,
        }
    }

    fn untagged(&mut self, name: &str, members: &'a [ReferenceOr<Schema>], at: &str) -> Union {
        let mut scope = Scope::new();
        // Each variant with the microversion it starts at, when it is an OpenStack version's shape.
        let mut variants: Vec<(UnionVariant, Option<(u32, u32)>)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let pointer = join(at, &i.to_string());
            let mut since = None;
            let (rust_name, docs) = match member {
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix(SCHEMA_PREFIX).map(unescape);
                    let known = key.as_ref().and_then(|key| self.component_names.get(key)).cloned();
                    (
                        known.unwrap_or_else(|| Name::plain(format!("Variant{i}"))),
                        Docs::default(),
                    )
                }
                ReferenceOr::Item(schema) => {
                    let data = &schema.schema_data;
                    let versions = microversions(data);
                    // An OpenStack body that changed with the microversion: each member is one
                    // version's shape, named after the first version it belongs to.
                    // Only a well-formed version (`1.38`) makes a name; anything else is named as usual.
                    let version_name = match &versions {
                        Some((Some(min), _)) => naming::version(min).map(|name| (name, min.clone())),
                        _ => None,
                    };
                    let word = match version_name {
                        Some((name, min)) => {
                            since = major_minor(&min);
                            name
                        }
                        None => data
                            .title
                            .as_deref()
                            .map(naming::camel)
                            .unwrap_or_else(|| Name::plain(kind_word(&schema.schema_kind))),
                    };
                    let range = match versions {
                        Some((Some(min), Some(max))) => Some(format!("Microversions {min} to {max}.")),
                        Some((Some(min), None)) => Some(format!("From microversion {min}.")),
                        Some((None, Some(max))) => Some(format!("Up to microversion {max}.")),
                        _ => None,
                    };
                    let description = match (range, &data.description) {
                        (Some(range), Some(text)) => Some(format!("{range}\n\n{text}")),
                        (Some(range), None) => Some(range),
                        (None, text) => text.clone(),
                    };
                    (
                        word,
                        Docs {
                            summary: None,
                            description,
                        },
                    )
                }
            };
            let rust_name = scope.claim(rust_name);
            let ty = self.ty(member, &pointer, &format!("{name}{}", rust_name.as_str()));
            variants.push((
                UnionVariant {
                    name: rust_name,
                    tags: Vec::new(),
                    ty: Some(ty),
                    fields: None,
                    docs,
                    boxed: false,
                },
                since,
            ));
        }
        // serde tries variants in order, and a `Value` fits anything: it goes last. Microversion
        // shapes go newest first: a newer shape requires more, so an older body falls through to
        // its own shape instead of a newer body being read as an older one and losing fields.
        if variants.iter().all(|(_, since)| since.is_some()) {
            variants.sort_by_key(|(_, since)| std::cmp::Reverse(*since));
        }
        let mut variants: Vec<UnionVariant> = variants.into_iter().map(|(variant, _)| variant).collect();
        variants.sort_by_key(|v| v.ty.as_ref().is_some_and(|ty| ty.shape == Shape::Any));
        Union {
            tagging: Tagging::Untagged,
            variants,
        }
    }
}

/// The first two numbers of a version (`2.38` gives `(2, 38)`), which order microversions.
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.').map(|n| n.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
}

/// The OpenStack microversion range of a schema (`x-openstack: {min-ver, max-ver}`), if it has one.
fn microversions(data: &openapiv3::SchemaData) -> Option<(Option<String>, Option<String>)> {
    let openstack = data.extensions.get("x-openstack")?;
    let text = |key: &str| match openstack.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let range = (text("min-ver"), text("max-ver"));
    (range.0.is_some() || range.1.is_some()).then_some(range)
}

/// A `oneOf` of inline string enums, merged into one enum; `None` if any member is something else.
fn string_values(members: &[ReferenceOr<Schema>]) -> Option<Enum> {
    let mut scope = Scope::new();
    let other_variant = Name::plain("Other");
    scope.reserve(other_variant.as_str());
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for member in members {
        let ReferenceOr::Item(schema) = member else { return None };
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return None;
        };
        if string.enumeration.is_empty() {
            return None;
        }
        for wire in string.enumeration.iter().flatten() {
            if seen.insert(wire.clone()) {
                variants.push(Variant {
                    name: scope.claim(naming::variant(wire)),
                    wire_name: wire.clone(),
                    docs: Docs {
                        summary: schema.schema_data.title.clone(),
                        description: schema.schema_data.description.clone(),
                    },
                });
            }
        }
    }
    Some(Enum {
        variants,
        other_variant,
    })
}

/// The key under which every member is an inline object with a distinct one-value string enum.
fn shared_tag(members: &[ReferenceOr<Schema>]) -> Option<String> {
    let views: Vec<ObjectView> = members
        .iter()
        .map(|m| match m {
            ReferenceOr::Item(schema) => object_view(schema),
            ReferenceOr::Reference { .. } => None,
        })
        .collect::<Option<_>>()?;
    let (first, _, _) = views.first()?;
    first.keys().find_map(|key| {
        let mut values = BTreeSet::new();
        let tags_every_member = views.iter().all(|(properties, required, _)| {
            required.contains(key)
                && properties
                    .get(key)
                    .and_then(one_string_value)
                    .is_some_and(|value| values.insert(value))
        });
        tags_every_member.then(|| key.clone())
    })
}

/// A member that allows null and constrains nothing else: `{nullable: true}`, alone or with
/// `type: object`.
fn is_null_marker(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    schema.schema_data.nullable
        && match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => *object == openapiv3::ObjectType::default(),
            SchemaKind::Any(any) => *any == openapiv3::AnySchema::default(),
            _ => false,
        }
}

/// The value of a string enum with exactly one value.
fn one_string_value(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else { return None };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A variant name for an untitled inline member, from what it is.
fn kind_word(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        SchemaKind::Any(any) if !any.properties.is_empty() => "Object",
        _ => "Value",
    }
}
