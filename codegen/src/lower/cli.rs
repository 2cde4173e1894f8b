//! How the command-line tool offers each operation: its subcommand, its flags, and the envelope
//! its answers are shown without. Decided here, once, from the lowered types, so the CLI emitter
//! only writes tables.
//!
//! A request body that is an envelope (one property holding an object, as Huawei's and
//! OpenStack's `{"snapshot": {...}}`) is flattened without its key: `--name`, not
//! `--snapshot.name`. Deeper objects use dotted names (`--metadata.key`), maps take repeated
//! `KEY=VALUE`, arrays of scalars repeat the flag, and what has no flag form (unions, arrays of
//! objects, objects below [`MAX_DEPTH`], recursive types) takes a JSON value.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Api, CliArity, CliCommand, CliFlag, CliTarget, CliValue, Encoding, Field, Operation, ParameterLocation, Shape,
    Struct, Ty, TypeDef, TypeKind,
};
use crate::naming;

/// How deep objects are flattened into dotted flags; deeper ones take JSON.
pub const MAX_DEPTH: usize = 3;

/// The tool's own subcommands, which no operation may be named.
const RESERVED_COMMANDS: &[&str] = &["completions", "man", "help"];

/// The tool's own options (their long names and clap ids), which no flag may take.
const RESERVED_FLAGS: &[&str] = &[
    "body",
    "output",
    "column",
    "max-width",
    "endpoint",
    "dry-run",
    "debug",
    "help",
    "version",
    "region",
    "token",
    "project",
    "os-cloud",
    "os-token",
    "os-project-id",
    "microversion",
    // The login options (`runtime/src/cli/login.rs`).
    "os-auth-type",
    "os-auth-url",
    "os-username",
    "os-user-id",
    "os-password",
    "os-user-domain-name",
    "os-user-domain-id",
    "os-project-name",
    "os-project-domain-name",
    "os-project-domain-id",
    "os-domain-name",
    "os-domain-id",
    "os-application-credential-id",
    "os-application-credential-name",
    "os-application-credential-secret",
    "os-region-name",
    "os-interface",
    "iam-user",
    "iam-domain",
];

/// Fills every operation's [`CliCommand`].
pub fn commands(api: &mut Api) {
    let types: BTreeMap<String, TypeDef> = api
        .types
        .iter()
        .map(|t| (t.name.as_str().to_owned(), t.clone()))
        .collect();
    let mut reserved_flags: Vec<String> = RESERVED_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    if let Some(service_type) = &api.openstack_service_type {
        reserved_flags.push(format!("os-{}-api-version", naming::kebab(service_type)));
    }
    let mut names: BTreeSet<String> = RESERVED_COMMANDS.iter().map(|s| (*s).to_owned()).collect();
    // Claimed in the order of the operations' JSON pointers, so that which of two clashing
    // operations keeps the plain name does not depend on their Rust names.
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    order.sort_by(|a, b| api.operations[*a].origin.cmp(&api.operations[*b].origin));
    for index in order {
        let op = &api.operations[index];
        let name = claim(&mut names, naming::kebab(&op.operation_id));
        let command = CliCommand {
            name,
            group: op.tags.first().cloned(),
            flags: flags(op, &types, &reserved_flags),
            body: body_struct(op, &types).is_some(),
            output_envelope: output_envelope(op, &types),
        };
        api.operations[index].cli = command;
    }
}

fn claim(taken: &mut BTreeSet<String>, name: String) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or(name)
}

/// The type behind aliases: the shape a value really has.
fn resolve<'t>(ty: &'t Ty, types: &'t BTreeMap<String, TypeDef>) -> &'t Ty {
    let mut current = ty;
    for _ in 0..16 {
        match &current.shape {
            Shape::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => current = inner,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

fn struct_of<'t>(ty: &'t Ty, types: &'t BTreeMap<String, TypeDef>) -> Option<(&'t str, &'t Struct)> {
    match &resolve(ty, types).shape {
        Shape::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Struct(fields)) => Some((name.as_str(), fields)),
            _ => None,
        },
        _ => None,
    }
}

/// The struct a JSON request body is, if it has one.
fn body_struct<'t>(op: &'t Operation, types: &'t BTreeMap<String, TypeDef>) -> Option<&'t Struct> {
    let body = op.request.as_ref()?;
    if body.encoding != Encoding::Json {
        return None;
    }
    struct_of(body.ty.as_ref()?, types).map(|(_, s)| s)
}

/// The one field of an envelope struct, when `shape` is one: a single property holding an object.
fn envelope<'t>(shape: &'t Struct, types: &'t BTreeMap<String, TypeDef>) -> Option<(&'t Field, &'t Struct)> {
    match shape.fields.as_slice() {
        [only] if shape.additional.as_ref().is_none_or(|a| !a.declared) => {
            struct_of(&only.ty, types).map(|(_, inner)| (only, inner))
        }
        _ => None,
    }
}

fn output_envelope(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<String> {
    let mut found: Option<String> = None;
    for response in op.responses.iter().filter(|r| r.status.is_success()) {
        let Some(body) = &response.body else { continue };
        let Some(ty) = &body.ty else { continue };
        let (_, shape) = struct_of(ty, types)?;
        let [only] = shape.fields.as_slice() else {
            return None;
        };
        let holds_resource =
            matches!(resolve(&only.ty, types).shape, Shape::Array(_)) || struct_of(&only.ty, types).is_some();
        if !holds_resource || found.as_ref().is_some_and(|key| *key != only.wire_name) {
            return None;
        }
        found = Some(only.wire_name.clone());
    }
    found
}

fn flags(op: &Operation, types: &BTreeMap<String, TypeDef>, reserved: &[String]) -> Vec<CliFlag> {
    let mut taken: BTreeSet<String> = reserved.iter().cloned().collect();
    let mut flags = Vec::new();
    for parameter in &op.parameters {
        let base = naming::kebab(&parameter.wire_name);
        let long = if taken.contains(&base) {
            let location = match parameter.location {
                ParameterLocation::Path => "path",
                ParameterLocation::Query => "query",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
            };
            claim(&mut taken, format!("{location}-{base}"))
        } else {
            claim(&mut taken, base)
        };
        let (value, arity) = kind(&parameter.ty, types);
        flags.push(CliFlag {
            long,
            target: CliTarget::Parameter(parameter.wire_name.clone()),
            value,
            arity,
            required: parameter.required && !parameter.client_default,
            description: parameter
                .docs
                .description
                .clone()
                .or_else(|| parameter.docs.summary.clone()),
            constraints: parameter.ty.constraints.clone(),
            default: parameter.default.clone(),
            configured: parameter.client_default,
        });
    }
    if let Some(shape) = body_struct(op, types) {
        let mut walk = Walk {
            types,
            taken: &mut taken,
            flags: &mut flags,
            visiting: Vec::new(),
        };
        match envelope(shape, types) {
            Some((field, inner)) => {
                walk.visiting
                    .extend(struct_of(&field.ty, types).map(|(name, _)| name.to_owned()));
                walk.fields(inner, std::slice::from_ref(&field.wire_name), "", field.required, 1);
            }
            None => walk.fields(shape, &[], "", true, 0),
        }
    }
    flags
}

struct Walk<'w> {
    types: &'w BTreeMap<String, TypeDef>,
    taken: &'w mut BTreeSet<String>,
    flags: &'w mut Vec<CliFlag>,
    /// The struct types being flattened, outermost first: a recursive field takes JSON.
    visiting: Vec<String>,
}

impl Walk<'_> {
    fn fields(&mut self, shape: &Struct, path: &[String], prefix: &str, parent_required: bool, depth: usize) {
        // What the service sets is no input: a request never carries it.
        for field in shape.fields.iter().filter(|f| f.access != crate::ir::Access::ReadOnly) {
            let required = parent_required
                && (field.required || field.access == (crate::ir::Access::WriteOnly { required: true }));
            let mut field_path = path.to_vec();
            field_path.push(field.wire_name.clone());
            let name = format!("{prefix}{}", naming::kebab(&field.wire_name));
            let nested = struct_of(&field.ty, self.types)
                .filter(|(type_name, inner)| {
                    depth < MAX_DEPTH
                        && !inner.fields.is_empty()
                        && inner.additional.as_ref().is_none_or(|a| !a.declared)
                        && !self.visiting.iter().any(|v| v == type_name)
                })
                .filter(|_| !field.ty.nullable);
            if let Some((type_name, inner)) = nested {
                self.visiting.push(type_name.to_owned());
                self.fields(inner, &field_path, &format!("{name}."), required, depth + 1);
                self.visiting.pop();
                continue;
            }
            let long = if self.taken.contains(&name) {
                claim(self.taken, format!("field-{name}"))
            } else {
                claim(self.taken, name)
            };
            let (value, arity) = kind(&field.ty, self.types);
            self.flags.push(CliFlag {
                long,
                target: CliTarget::Field(field_path),
                value,
                arity,
                required,
                description: field.docs.description.clone().or_else(|| field.docs.summary.clone()),
                constraints: field.ty.constraints.clone(),
                default: field.default.clone(),
                configured: false,
            });
        }
    }
}

/// How a value of `ty` is given on the command line.
fn kind(ty: &Ty, types: &BTreeMap<String, TypeDef>) -> (CliValue, CliArity) {
    let ty = resolve(ty, types);
    match &ty.shape {
        Shape::Array(item) => match scalar(item, types) {
            Some(value) => (value, CliArity::Repeated),
            None => (CliValue::Json, CliArity::One),
        },
        Shape::Map(value) => match scalar(value, types) {
            Some(value) => (value, CliArity::KeyValue),
            None => (CliValue::Json, CliArity::One),
        },
        Shape::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Struct(shape)) if shape.fields.is_empty() => match &shape.additional {
                Some(additional) => match scalar(&additional.ty, types) {
                    Some(value) => (value, CliArity::KeyValue),
                    None => (CliValue::Json, CliArity::One),
                },
                None => (CliValue::Json, CliArity::One),
            },
            _ => (scalar(ty, types).unwrap_or(CliValue::Json), CliArity::One),
        },
        _ => (scalar(ty, types).unwrap_or(CliValue::Json), CliArity::One),
    }
}

/// The kind of a scalar value, or `None` for one that is not a scalar.
fn scalar(ty: &Ty, types: &BTreeMap<String, TypeDef>) -> Option<CliValue> {
    let ty = resolve(ty, types);
    Some(match &ty.shape {
        Shape::String | Shape::Binary => CliValue::Text,
        Shape::Integer(_) => CliValue::Integer,
        Shape::Number(_) => CliValue::Number,
        Shape::Boolean => CliValue::Boolean,
        Shape::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Enum(values)) => {
                CliValue::Enum(values.variants.iter().map(|v| v.wire_name.clone()).collect())
            }
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::settings::Settings;

    fn api(spec: &str) -> Api {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec").join(spec);
        let loaded = crate::load::load(&path).expect("loads");
        let file = Settings::file_for(&path);
        let settings = if file.exists() {
            Settings::new("test").apply_file(&file).expect("settings")
        } else {
            Settings::new("test")
        };
        crate::lower::lower(&loaded, &settings).expect("lowers").0
    }

    fn command<'a>(api: &'a Api, operation_id: &str) -> &'a CliCommand {
        &api.operations
            .iter()
            .find(|op| op.operation_id == operation_id)
            .expect("the operation")
            .cli
    }

    fn longs(command: &CliCommand) -> Vec<&str> {
        command.flags.iter().map(|f| f.long.as_str()).collect()
    }

    #[test]
    fn an_envelope_body_is_flattened_without_its_key() {
        let evs = api("evs.yaml");
        let create = command(&evs, "create_standard_snapshot");
        assert_eq!(create.name, "create-standard-snapshot");
        assert_eq!(create.group.as_deref(), Some("snapshots"));
        assert!(create.body);
        let longs = longs(create);
        assert!(longs.contains(&"volume-id") && longs.contains(&"name"), "{longs:?}");
        assert!(!longs.iter().any(|l| l.starts_with("snapshot")), "{longs:?}");
        let volume = create
            .flags
            .iter()
            .find(|f| f.long == "volume-id")
            .expect("--volume-id");
        assert_eq!(
            volume.target,
            CliTarget::Field(vec!["snapshot".into(), "volume_id".into()])
        );
        let project = create
            .flags
            .iter()
            .find(|f| f.long == "project-id")
            .expect("--project-id");
        assert!(!project.required, "the configuration supplies the project");
        let tags = create.flags.iter().find(|f| f.long == "tags").expect("--tags");
        assert_eq!(tags.arity, CliArity::KeyValue);
        let update = command(&evs, "update_snapshot");
        assert_eq!(update.output_envelope.as_deref(), Some("snapshot"));
        assert_eq!(create.output_envelope, None, "a job id is not an envelope");
    }

    #[test]
    fn block_storage_flags_cover_maps_booleans_and_microversions() {
        let cinder = api("block-storage.yaml");
        let create = command(&cinder, "create_snapshot");
        let longs = longs(create);
        assert!(longs.contains(&"metadata") && longs.contains(&"force"), "{longs:?}");
        let force = create.flags.iter().find(|f| f.long == "force").expect("--force");
        assert_eq!(force.value, CliValue::Boolean);
        let metadata = create.flags.iter().find(|f| f.long == "metadata").expect("--metadata");
        assert_eq!(metadata.arity, CliArity::KeyValue);
        assert_eq!(create.output_envelope.as_deref(), Some("snapshot"));
    }

    #[test]
    fn names_that_clash_with_the_tools_options_are_prefixed() {
        let mut taken: BTreeSet<String> = ["body".to_owned()].into();
        assert_eq!(claim(&mut taken, "name".into()), "name");
        assert_eq!(claim(&mut taken, "name".into()), "name-2");
        assert_eq!(naming::kebab("X-Request-Id"), "x-request-id");
        assert_eq!(naming::kebab("__"), "value");
        assert_eq!(naming::kebab("2fa"), "n2fa");
    }
}
