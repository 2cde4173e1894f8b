//! Lowering: from `openapiv3` types to the plain-data IR, with every reference resolved and every
//! name assigned. Knows nothing of Rust syntax; problems become located diagnostics.

mod all_of;
mod bodies;
mod cli;
mod fit;
mod layout;
mod mixed;
mod outcome;
mod parameters;
mod parts;
mod schema;
mod security;
mod select;
mod union;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, join};
use crate::ir::{
    Api, Builder, Docs, Example, Method, Name, Operation, Outcome, Server, ServerNames, ServerVariable, Shape, Ty,
    TypeDef, TypeKind,
};
use crate::load::Loaded;
use crate::naming::{self, Scope};
use crate::settings::Settings;

pub use layout::SPLIT_ABOVE;
use schema::unescape;

/// Names a client crate defines or imports at its root, which no call builder or per-status enum
/// may take.
const CLIENT_ROOT_NAMES: &[&str] = &[
    "Client",
    "Config",
    "ConfigError",
    "Credential",
    "Credentials",
    "TokenSource",
    "Error",
    "ErrorBody",
    "Response",
    "RetryPolicy",
    "Secret",
    "Undocumented",
    "Middleware",
    "middleware",
    "Binary",
    "Nullable",
    "Validate",
    "ValidationError",
    "Violation",
    "SERVICE_TYPE",
    "DEFAULT_SERVER_URL",
    "SECURITY_SCHEMES",
];

/// What a models crate re-exports from the runtime at its root, so that a user can write
/// `models::Nullable::Null` without naming the runtime; no type may take these names.
pub const MODELS_ROOT_NAMES: &[&str] = &["Binary", "Nullable", "Validate", "ValidationError", "Violation"];

/// `Client`'s own methods and the server trait's own hook, which no operation may take.
const CLIENT_METHODS: &[&str] = &["new", "config", "reject"];

/// Names a server crate defines or imports at its root, which no input or response type may take.
const SERVER_ROOT_NAMES: &[&str] = &[
    "Api",
    "router",
    "router_with",
    "Webhooks",
    "webhooks_router",
    "webhooks_router_with",
    "webhook_handlers",
    "models",
    "handlers",
    "Limits",
    "Parts",
    "Rejection",
    "RejectionKind",
    "Reply",
    "Router",
    "StatusCode",
    "Authentication",
    "CredentialValue",
    "SECURITY_SCHEMES",
    "Binary",
    "Nullable",
    "Validate",
    "ValidationError",
    "Violation",
];

/// The fields of a server response variant besides its headers.
const RESPONSE_MEMBERS: &[&str] = &["status", "body"];

/// Fields and methods every call builder has, which no parameter may take.
/// `auth` is the server input's field of the credentials presented.
const BUILDER_MEMBERS: &[&str] = &["client", "body", "microversion", "send", "auth"];

/// Where a generated `webhooks_router` receives the webhook named `name`: `/` and the name, with
/// anything but letters, digits, `-`, `_` and `.` as `-` (the receiver is nested wherever the
/// user registered it with the vendor).
fn webhook_path(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("/{slug}")
}

/// Lowers a loaded spec. Returns the API and its warnings, or every error found.
pub fn lower(loaded: &Loaded, settings: &Settings) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut lowerer = Lowerer::new(loaded, settings);
    let api = lowerer.run();
    let mut diagnostics = lowerer.diagnostics;
    // A problem of a path item is found from each of its operations; it is reported once.
    let mut seen = BTreeSet::new();
    diagnostics.retain(|d| seen.insert((d.severity, d.pointer.clone(), d.message.clone())));
    loaded.lines.locate(&mut diagnostics);
    // In the order of the document, as a reader goes through it.
    diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
    let diagnostics = Diagnostics(diagnostics);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((api, diagnostics))
    }
}

struct Lowerer<'a> {
    loaded: &'a Loaded,
    api: &'a OpenAPI,
    settings: &'a Settings,
    diagnostics: Vec<Diagnostic>,
    /// Rust names of component schemas, assigned before anything is lowered so references resolve.
    component_names: BTreeMap<String, Name>,
    type_scope: Scope,
    /// The types, by the text of their names.
    types: BTreeMap<String, TypeDef>,
    examples: Vec<Example>,
    /// Where each example came from (its JSON pointer) and its index in `examples`: a body
    /// shared through `components/requestBodies` has its examples once, for every operation.
    example_ids: BTreeMap<String, usize>,
    /// External examples already warned about, by JSON pointer.
    reported_external: BTreeSet<String>,
    example_scope: Scope,
    /// The `allOf` cycles already reported, each as its sorted members: lowering each schema of a
    /// cycle finds the same cycle again from another start.
    reported_all_of_cycles: std::collections::BTreeSet<Vec<String>>,
    /// How many operations the spec has, selected or not.
    operations_in_spec: usize,
}

impl<'a> Lowerer<'a> {
    fn new(loaded: &'a Loaded, settings: &'a Settings) -> Self {
        Lowerer {
            loaded,
            api: &loaded.api,
            settings,
            diagnostics: loaded.warnings.clone(),
            component_names: BTreeMap::new(),
            type_scope: Scope::reserving(MODELS_ROOT_NAMES),
            types: BTreeMap::new(),
            examples: Vec::new(),
            example_ids: BTreeMap::new(),
            reported_external: BTreeSet::new(),
            example_scope: Scope::new(),
            reported_all_of_cycles: std::collections::BTreeSet::new(),
            operations_in_spec: 0,
        }
    }

    fn run(&mut self) -> Api {
        let schemas: Vec<_> = self.api.components.iter().flat_map(|c| c.schemas.iter()).collect();
        for (key, _) in &schemas {
            let name = self.type_scope.claim(naming::camel(key));
            self.component_names.insert((*key).clone(), name);
        }
        for (key, schema) in &schemas {
            self.lower_component(key, schema);
            if let ReferenceOr::Item(item) = schema
                && let Some(value) = &item.schema_data.example
                && let Some(name) = self.component_names.get(*key).cloned()
            {
                let pointer = join(&join("/components/schemas", key), "example");
                self.push_example(
                    (&format!("{}_schema", name.as_str()), "example"),
                    (pointer.clone(), pointer),
                    format!("schema `{key}`"),
                    value.clone(),
                    Some(Ty::plain(Shape::Named(name))),
                );
            }
        }
        let security_schemes = self.security_schemes();
        let mut operations = self.operations(&security_schemes);
        let selection = &self.settings.selection;
        let selected = (!selection.is_everything()).then(|| {
            let (kept, of) = select::prune(&mut self.types, &mut self.examples, &mut operations);
            let mut patterns = Vec::new();
            for (kind, list) in [
                ("--include-tag", &selection.include.tags),
                ("--include-path", &selection.include.paths),
                ("--include-operation", &selection.include.operations),
                ("--exclude-tag", &selection.exclude.tags),
                ("--exclude-path", &selection.exclude.paths),
                ("--exclude-operation", &selection.exclude.operations),
            ] {
                patterns.extend(list.iter().map(|p| format!("{kind} {p}")));
            }
            crate::ir::Selected {
                patterns,
                operations: (operations.len(), self.operations_in_spec),
                types: (kept, of),
            }
        });
        self.check_alias_cycles();
        mark_recursive_fields(&mut self.types);
        self.check_examples();
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        let (webhooks, operations): (Vec<_>, Vec<_>) = operations.into_iter().partition(Operation::is_webhook);
        self.claim_builders();
        let info = &self.api.info;
        let openstack_service_type = self.settings.openstack_service_type.clone().or_else(|| {
            info.extensions
                .get("x-openstack")
                .and_then(|o| o.get("service-type"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        });
        let mut api = Api {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            types: std::mem::take(&mut self.types).into_values().collect(),
            operations,
            webhooks,
            examples: std::mem::take(&mut self.examples),
            servers: self.servers(),
            security_schemes,
            openstack_service_type,
            layout: None,
            selection: selected,
        };
        cli::commands(&mut api);
        api.layout = layout::layout(&api, self.settings.split_above.unwrap_or(SPLIT_ABOVE));
        api
    }

    /// A builder for every struct with two or more required properties, named after it, claimed
    /// once every type has its name (so no type can take the builder's name after it).
    fn claim_builders(&mut self) {
        for def in self.types.values_mut() {
            if let TypeKind::Struct(s) = &mut def.kind
                && s.fields.iter().filter(|f| f.required).count() >= 2
            {
                let name = self
                    .type_scope
                    .claim(Name::plain(format!("{}Builder", def.name.as_str())));
                s.builder = Some(Builder { name });
            }
        }
    }

    fn servers(&self) -> Vec<Server> {
        self.api
            .servers
            .iter()
            .map(|server| {
                let mut scope = Scope::new();
                let variables = server
                    .variables
                    .iter()
                    .flat_map(|vars| vars.iter())
                    .map(|(name, variable)| ServerVariable {
                        name: scope.claim(naming::snake(name)),
                        wire_name: name.clone(),
                        default: variable.default.clone(),
                        allowed: variable.enumeration.clone(),
                        description: variable.description.clone(),
                    })
                    .collect();
                Server {
                    url: server.url.clone(),
                    description: server.description.clone(),
                    variables,
                }
            })
            .collect()
    }

    fn operations(&mut self, schemes: &[crate::ir::SecurityScheme]) -> Vec<Operation> {
        let mut methods = Scope::new();
        for reserved in CLIENT_METHODS {
            methods.reserve(reserved);
        }
        let mut client_types = Scope::new();
        for reserved in CLIENT_ROOT_NAMES {
            client_types.reserve(reserved);
        }
        let mut server_types = Scope::new();
        for reserved in SERVER_ROOT_NAMES {
            server_types.reserve(reserved);
        }
        // A webhook is a method of the server crate's `Webhooks` trait, not of the client: its
        // names come from a scope of their own, beside the trait's `reject`.
        let mut webhook_methods = Scope::reserving(&["reject"]);
        let mut operations = Vec::new();
        let selection = &self.settings.selection;
        let mut seen: Vec<(&str, Option<&str>, &[String])> = Vec::new();
        let paths = self
            .api
            .paths
            .paths
            .iter()
            .map(|(path, item)| (path.clone(), join("/paths", path), item, false));
        let webhooks = self
            .loaded
            .webhooks
            .iter()
            .map(|(name, item)| (webhook_path(name), join("/webhooks", name), item, true));
        let sources: Vec<_> = paths.chain(webhooks).collect();
        for (path, item_pointer, item, webhook) in &sources {
            let (path, item_pointer, webhook) = (path, item_pointer.clone(), *webhook);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        &join(&item_pointer, "$ref"),
                        format!("path item reference `{reference}` is not supported yet"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                self.operations_in_spec += 1;
                if !selection.is_everything() {
                    seen.push((path.as_str(), op.operation_id.as_deref(), op.tags.as_slice()));
                    if !selection.selects(path, op.operation_id.as_deref(), &op.tags) {
                        continue;
                    }
                }
                let pointer = join(&item_pointer, method);
                let method = match method {
                    "get" => Method::Get,
                    "put" => Method::Put,
                    "post" => Method::Post,
                    "delete" => Method::Delete,
                    "options" => Method::Options,
                    "head" => Method::Head,
                    "patch" => Method::Patch,
                    _ => Method::Trace,
                };
                let operation_id = match (&op.operation_id, webhook) {
                    (Some(id), _) => id.clone(),
                    // A webhook is named by its key in `webhooks`.
                    (None, true) => item_pointer.rsplit('/').next().map(unescape).unwrap_or_default(),
                    (None, false) => format!("{} {path}", method.as_str().to_lowercase()),
                };
                let (name, builder) = if webhook {
                    (
                        webhook_methods.claim(naming::snake(&operation_id)),
                        naming::camel(&operation_id),
                    )
                } else {
                    (
                        methods.claim(naming::snake(&operation_id)),
                        client_types.claim(naming::camel(&operation_id)),
                    )
                };
                // Inline types are named after the operation, whatever name its builder took.
                let hint = naming::camel(&operation_id);
                let hint = hint.as_str();
                let parameters =
                    self.parameters(&item.parameters, &op.parameters, (&item_pointer, &pointer), path, hint);
                let request = op.request_body.as_ref().and_then(|body| {
                    self.request(body, &join(&pointer, "requestBody"), hint, name.as_str(), method, path)
                });
                let responses = self.responses(
                    &op.responses,
                    &join(&pointer, "responses"),
                    hint,
                    name.as_str(),
                    method,
                    path,
                );
                let security = self.security(op.security.as_ref(), &pointer, schemes);
                let auth_field = security.names_a_scheme().then(|| Name::plain("auth"));
                // A variant of its own, alone in its enum: no response takes a name beside it.
                let undocumented = responses.is_empty().then(|| Name::plain("Undocumented"));
                operations.push(Operation {
                    name,
                    builder: builder.clone(),
                    operation_id,
                    method,
                    path: path.clone(),
                    origin: pointer,
                    docs: Docs {
                        summary: op.summary.clone(),
                        description: op.description.clone(),
                    },
                    tags: op.tags.clone(),
                    parameters,
                    request,
                    responses,
                    successes: Outcome::Undocumented,
                    failures: Outcome::Undocumented,
                    deprecated: op.deprecated,
                    security,
                    auth_field,
                    server: ServerNames {
                        input: server_types.claim(naming::joined(&builder, "Input")),
                        response: server_types.claim(naming::joined(&builder, "Response")),
                        undocumented,
                    },
                    cli: Default::default(),
                });
            }
        }
        for pattern in selection.unmatched(&seen) {
            self.warn("/paths", format!("`{pattern}` selects no operation of this spec"));
        }
        self.check_client_defaults(&operations);
        // Per-status enums are named after their builders once every builder has its name, so
        // that a builder never yields its name to another operation's enum. A webhook has no
        // client side.
        for op in operations.iter_mut().filter(|op| !op.is_webhook()) {
            op.successes = outcome::successes(op, &mut client_types);
            op.failures = outcome::failures(op, &mut client_types);
        }
        operations
    }

    /// Follows a reference to `#/components/<section>/<key>`, or returns the item where it is.
    /// A reference that leads nowhere is reported at `at/$ref`.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: String,
        section: &str,
        lookup: impl Fn(&'a openapiv3::Components, &str) -> Option<&'a ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((item, at)),
            ReferenceOr::Reference { reference } => reference,
        };
        let key = reference
            .strip_prefix(&format!("#/components/{section}/"))
            .map(unescape);
        let found = key.and_then(|key| match lookup(self.api.components.as_ref()?, &key)? {
            ReferenceOr::Item(item) => Some((item, join(&format!("/components/{section}"), &key))),
            ReferenceOr::Reference { .. } => None,
        });
        if found.is_none() {
            self.error(
                &join(&at, "$ref"),
                format!("`{reference}` points to nothing: it is not an entry of components/{section} (references to references are not followed)"),
            );
        }
        found
    }

    /// `A = B` and `B = A` cannot be written in Rust; report each such cycle once, at its first
    /// member in name order.
    fn check_alias_cycles(&mut self) {
        let mut reported = BTreeSet::new();
        let names: Vec<String> = self.types.keys().cloned().collect();
        for start in names {
            let mut chain = vec![start.clone()];
            let mut current = start;
            while let Some(TypeDef {
                kind:
                    TypeKind::Alias(Ty {
                        shape: Shape::Named(next),
                        ..
                    }),
                ..
            }) = self.types.get(&current)
            {
                let next = next.as_str();
                if let Some(position) = chain.iter().position(|name| name == next) {
                    let mut cycle = chain.split_off(position);
                    if cycle.iter().all(|name| reported.insert(name.clone())) {
                        let origin = self.types[&cycle[0]].origin.clone();
                        cycle.push(cycle[0].clone());
                        self.error(
                            &origin,
                            format!("reference cycle cannot be represented: {}", cycle.join(" -> ")),
                        );
                    }
                    break;
                }
                chain.push(next.to_owned());
                current = next.to_owned();
            }
        }
    }

    /// Marks every example that does not decode into its type, with a warning where it fails.
    fn check_examples(&mut self) {
        for index in 0..self.examples.len() {
            let example = &self.examples[index];
            let Some(ty) = &example.ty else { continue };
            let Some((below, reason)) = fit::misfit(&example.value, ty, &self.types) else {
                continue;
            };
            let pointer = format!("{}{below}", example.value_at);
            let reason = if below.is_empty() {
                reason
            } else {
                format!("at `{below}`, {reason}")
            };
            self.warn(
                &pointer,
                format!("the example does not fit its schema ({reason}); its round-trip test is generated ignored"),
            );
            self.examples[index].misfit = Some(reason);
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.loaded.diagnostic(Severity::Error, pointer, message);
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.loaded.diagnostic(Severity::Warning, pointer, message);
        self.diagnostics.push(diagnostic);
    }
}

/// Boxes every field whose type leads back, without passing through an array or map, to the
/// struct that holds it: Rust cannot size such a struct otherwise.
fn mark_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    fn direct(ty: &Ty) -> Option<&str> {
        match &ty.shape {
            Shape::Named(name) => Some(name.as_str()),
            _ => None,
        }
    }
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| direct(&f.ty))
                    .map(str::to_owned)
                    .collect(),
                TypeKind::Alias(ty) => direct(ty).map(str::to_owned).into_iter().collect(),
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .flat_map(|v| {
                        v.ty.iter()
                            .chain(v.fields.iter().flat_map(|s| s.fields.iter().map(|f| &f.ty)))
                    })
                    .filter_map(direct)
                    .map(str::to_owned)
                    .collect(),
                TypeKind::Enum(_) => Vec::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (name, def) in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = direct(&field.ty).is_some_and(|target| reaches(target, name));
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = variant
                        .ty
                        .as_ref()
                        .and_then(direct)
                        .is_some_and(|target| reaches(target, name));
                    for field in variant.fields.iter_mut().flat_map(|s| s.fields.iter_mut()) {
                        field.boxed = direct(&field.ty).is_some_and(|target| reaches(target, name));
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}
