//! Lowering: from `openapiv3` types to the plain-data IR, with every reference resolved and every
//! name assigned. Knows nothing of Rust syntax; problems become located diagnostics.

mod all_of;
mod layout;
mod mixed;
mod outcome;
mod schema;
mod union;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{MediaType, OpenAPI, Parameter as OaParameter, ReferenceOr, RequestBody, StatusCode};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, join};
use crate::ir::{
    Api, Body, Docs, Encoding, Example, Method, Name, Operation, Outcome, Parameter, ParameterLocation, Response,
    Server, ServerVariable, Shape, Status, Ty, TypeDef, TypeKind,
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
    "Credentials",
    "Error",
    "ErrorBody",
    "Response",
    "RetryPolicy",
    "Secret",
    "Undocumented",
    "SERVICE_TYPE",
    "DEFAULT_SERVER_URL",
];

/// `Client`'s own methods, which no operation may take.
const CLIENT_METHODS: &[&str] = &["new", "config"];

/// Fields and methods every call builder has, which no parameter may take.
const BUILDER_MEMBERS: &[&str] = &["client", "body", "microversion", "send"];

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
}

impl<'a> Lowerer<'a> {
    fn new(loaded: &'a Loaded, settings: &'a Settings) -> Self {
        Lowerer {
            loaded,
            api: &loaded.api,
            settings,
            diagnostics: loaded.warnings.clone(),
            component_names: BTreeMap::new(),
            type_scope: Scope::new(),
            types: BTreeMap::new(),
            examples: Vec::new(),
            example_ids: BTreeMap::new(),
            reported_external: BTreeSet::new(),
            example_scope: Scope::new(),
            reported_all_of_cycles: std::collections::BTreeSet::new(),
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
                    &format!("{}_schema", name.as_str()),
                    pointer,
                    format!("schema `{key}`"),
                    value.clone(),
                    Some(Ty::plain(Shape::Named(name))),
                );
            }
        }
        let mut operations = self.operations();
        self.check_alias_cycles();
        mark_recursive_fields(&mut self.types);
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        let info = &self.api.info;
        let (token_header, signing_algorithm) = self.security_schemes();
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
            examples: std::mem::take(&mut self.examples),
            servers: self.servers(),
            token_header,
            signing_algorithm,
            openstack_service_type,
            layout: None,
        };
        api.layout = layout::layout(&api, self.settings.split_above.unwrap_or(SPLIT_ABOVE));
        api
    }

    /// The token header and the signing algorithm among the security schemes.
    fn security_schemes(&self) -> (Option<String>, Option<String>) {
        let (mut token, mut signing) = (None, None);
        for scheme in self.api.components.iter().flat_map(|c| c.security_schemes.values()) {
            if let ReferenceOr::Item(openapiv3::SecurityScheme::APIKey {
                location: openapiv3::APIKeyLocation::Header,
                name,
                extensions,
                ..
            }) = scheme
            {
                match extensions.get("x-signing-algorithm").and_then(|v| v.as_str()) {
                    Some(algorithm) => signing = signing.or_else(|| Some(algorithm.to_owned())),
                    None => token = token.or_else(|| Some(name.clone())),
                }
            }
        }
        (token, signing)
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

    fn operations(&mut self) -> Vec<Operation> {
        let mut methods = Scope::new();
        for reserved in CLIENT_METHODS {
            methods.reserve(reserved);
        }
        let mut client_types = Scope::new();
        for reserved in CLIENT_ROOT_NAMES {
            client_types.reserve(reserved);
        }
        let mut operations = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let item_pointer = join("/paths", path);
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
                let operation_id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {path}", method.as_str().to_lowercase()));
                let name = methods.claim(naming::snake(&operation_id));
                let builder = client_types.claim(naming::camel(&operation_id));
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
                operations.push(Operation {
                    name,
                    builder,
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
                });
            }
        }
        self.check_client_defaults(&operations);
        // Per-status enums are named after their builders once every builder has its name, so
        // that a builder never yields its name to another operation's enum.
        for op in &mut operations {
            op.successes = outcome::successes(op, &mut client_types);
            op.failures = outcome::failures(op, &mut client_types);
        }
        operations
    }

    /// The parameters of an operation at `pointer` on the path `template`, the path item's own
    /// (at `item_pointer`) included. The path parameters are the template's: one the template does
    /// not name is dropped, and a `{name}` without a parameter gets a required string parameter,
    /// each with a warning, so that no request is sent with a value lost or a `{name}` left in it.
    fn parameters(
        &mut self,
        shared: &'a [ReferenceOr<OaParameter>],
        own: &'a [ReferenceOr<OaParameter>],
        (item_pointer, pointer): (&str, &str),
        template: &str,
        camel: &str,
    ) -> Vec<Parameter> {
        // Operation parameters override path-item parameters with the same name and location.
        let mut chosen: Vec<(&'a OaParameter, String)> = Vec::new();
        let listed = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(item_pointer, "parameters"), &i.to_string())))
            .chain(
                own.iter()
                    .enumerate()
                    .map(|(i, p)| (p, join(&join(pointer, "parameters"), &i.to_string()))),
            );
        for (parameter, at) in listed {
            let Some((parameter, at)) = self.resolve(parameter, at, "parameters", |c, key| c.parameters.get(key))
            else {
                continue;
            };
            let data = parameter.parameter_data_ref();
            let same = |(p, _): &(&OaParameter, String)| {
                p.parameter_data_ref().name == data.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(parameter)
            };
            if let Some(index) = chosen.iter().position(same) {
                chosen[index] = (parameter, at);
            } else {
                chosen.push((parameter, at));
            }
        }
        let placeholders = self.placeholders(template, item_pointer);
        chosen.retain(|(parameter, at)| {
            let OaParameter::Path { parameter_data, .. } = parameter else {
                return true;
            };
            let named = placeholders.contains(&parameter_data.name.as_str());
            if !named {
                let message = format!(
                    "the path `{template}` has no `{{{}}}`: this path parameter cannot be sent and is left out",
                    parameter_data.name
                );
                self.diagnostics
                    .push(self.loaded.diagnostic(Severity::Warning, &join(at, "name"), message));
            }
            named
        });
        let mut scope = Scope::new();
        // The generated call builder keeps these for itself.
        for reserved in BUILDER_MEMBERS {
            scope.reserve(reserved);
        }
        let mut parameters: Vec<Parameter> = chosen
            .into_iter()
            .map(|(parameter, at)| {
                let data = parameter.parameter_data_ref();
                let location = match parameter {
                    OaParameter::Path { .. } => ParameterLocation::Path,
                    OaParameter::Query { .. } => ParameterLocation::Query,
                    OaParameter::Header { .. } => ParameterLocation::Header,
                    OaParameter::Cookie { .. } => ParameterLocation::Cookie,
                };
                let ty = match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(schema) => self.ty(
                        schema,
                        &join(&at, "schema"),
                        &format!("{camel}{}", naming::camel(&data.name).as_str()),
                    ),
                    openapiv3::ParameterSchemaOrContent::Content(_) => {
                        self.warn(
                            &join(&at, "content"),
                            "a parameter described by `content` is passed as a JSON value",
                        );
                        Ty::plain(Shape::Any)
                    }
                };
                let example = data.example.clone().or_else(|| {
                    data.examples
                        .values()
                        .find_map(|e| e.as_item().and_then(|e| e.value.clone()))
                });
                // RFC 6570 styles as OpenAPI uses them: a query `form` array explodes unless told
                // not to; headers (`simple`) always join with commas.
                let separator = match parameter {
                    OaParameter::Query { style, .. } => match (style, data.explode) {
                        (openapiv3::QueryStyle::SpaceDelimited, _) => Some(' '),
                        (openapiv3::QueryStyle::PipeDelimited, _) => Some('|'),
                        (_, Some(false)) => Some(','),
                        _ => None,
                    },
                    OaParameter::Cookie { .. } => match data.explode {
                        Some(true) => None,
                        _ => Some(','),
                    },
                    _ => Some(','),
                };
                // The spec says so, or the settings do for a spec the user cannot edit.
                let client_default = location == ParameterLocation::Path
                    && (data
                        .extensions
                        .get("x-client-default")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false)
                        || self.settings.client_defaults.contains(&data.name));
                Parameter {
                    name: scope.claim(naming::snake(&data.name)),
                    wire_name: data.name.clone(),
                    location,
                    required: data.required,
                    ty,
                    docs: Docs {
                        summary: None,
                        description: data.description.clone(),
                    },
                    example,
                    client_default,
                    separator,
                }
            })
            .collect();
        for placeholder in placeholders {
            let declared = parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.wire_name == placeholder);
            if declared {
                continue;
            }
            self.warn(
                item_pointer,
                format!(
                    "`{{{placeholder}}}` in the path has no path parameter: the client takes it as a required string"
                ),
            );
            parameters.push(Parameter {
                name: scope.claim(naming::snake(placeholder)),
                wire_name: placeholder.to_owned(),
                location: ParameterLocation::Path,
                required: true,
                ty: Ty::plain(Shape::String),
                docs: Docs {
                    summary: None,
                    description: Some(format!(
                        "The `{{{placeholder}}}` segment of the path (the spec documents no parameter for it)."
                    )),
                },
                example: None,
                client_default: self.settings.client_defaults.iter().any(|name| name == placeholder),
                separator: Some(','),
            });
        }
        parameters
    }

    /// A client default the settings give that no operation's path has is a mistake worth a
    /// word (a misspelt `project-id`), located where it was given.
    fn check_client_defaults(&mut self, operations: &[Operation]) {
        for name in &self.settings.client_defaults {
            let used = operations
                .iter()
                .flat_map(|op| &op.parameters)
                .any(|p| p.location == ParameterLocation::Path && p.wire_name == *name);
            if used {
                continue;
            }
            let message =
                format!("no operation has a path parameter `{name}`, so the client default for it does nothing");
            let diagnostic = match self.settings.origins.get(name) {
                Some(origin) => Diagnostic {
                    severity: Severity::Warning,
                    file: origin.file.clone(),
                    pointer: origin.pointer.clone(),
                    line: origin.line,
                    message,
                },
                None => self.loaded.diagnostic(Severity::Warning, "", message),
            };
            self.diagnostics.push(diagnostic);
        }
    }

    /// The `{name}`s of a path template, each once, in order; a `{` left open or an empty `{}` is
    /// reported at `pointer`.
    fn placeholders<'t>(&mut self, template: &'t str, pointer: &str) -> Vec<&'t str> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.warn(
                    pointer,
                    format!("the path `{template}` has a `{{` that is never closed"),
                );
                break;
            };
            let name = &rest[open + 1..open + close];
            if name.is_empty() {
                self.warn(pointer, format!("the path `{template}` has an empty `{{}}`"));
            } else if !names.contains(&name) {
                names.push(name);
            }
            rest = &rest[open + close + 1..];
        }
        names
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

    #[allow(clippy::too_many_arguments)]
    fn request(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
        camel: &str,
        op_name: &str,
        method: Method,
        path: &str,
    ) -> Option<Body> {
        let (body, pointer) = self.resolve(body, pointer.to_owned(), "requestBodies", |c, key| {
            c.request_bodies.get(key)
        })?;
        let title = format!("{} {path} request body", method.as_str());
        let (media_type, media) = choose_media(&body.content)?;
        let media_pointer = join(&join(&pointer, "content"), media_type);
        let encoding = Encoding::of(media_type);
        let mut ty = self.media_ty(media_type, media, &media_pointer, &format!("{camel}Request"));
        // A form without a schema still has fields: any names, any values.
        if ty.is_none() && matches!(encoding, Encoding::Form | Encoding::Multipart) {
            ty = Some(Ty::plain(Shape::Map(Box::new(Ty::plain(Shape::Any)))));
        }
        // Text and bytes have no JSON form to round-trip; their examples document, not test.
        let examples = if encoding.is_typed() {
            self.media_examples(
                media,
                &media_pointer,
                &format!("{op_name}_request"),
                &title,
                ty.as_ref(),
            )
        } else {
            Vec::new()
        };
        Some(Body {
            media_type: media_type.clone(),
            encoding,
            ty,
            required: body.required,
            examples,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn responses(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        camel: &str,
        op_name: &str,
        method: Method,
        path: &str,
    ) -> Vec<Response> {
        let listed = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let status = match code {
                    StatusCode::Code(code) => Status::Code(*code),
                    StatusCode::Range(class) => Status::Range(u8::try_from(*class).unwrap_or(0)),
                };
                (status, code.to_string(), response)
            })
            .chain(
                responses
                    .default
                    .iter()
                    .map(|response| (Status::Default, "default".to_owned(), response)),
            );
        let mut out = Vec::new();
        for (status, key, response) in listed {
            let at = join(pointer, &key);
            let Some((response, at)) = self.resolve(response, at, "responses", |c, key| c.responses.get(key)) else {
                continue;
            };
            let suffix = naming::camel(&key);
            let body = choose_media(&response.content).map(|(media_type, media)| {
                let media_pointer = join(&join(&at, "content"), media_type);
                let hint = format!("{camel}Response{}", suffix.as_str());
                let ty = self.media_ty(media_type, media, &media_pointer, &hint);
                let title = format!("{} {path} response {key}", method.as_str());
                let examples = if Encoding::of(media_type).is_typed() {
                    self.media_examples(
                        media,
                        &media_pointer,
                        &format!("{op_name}_response_{}", key.to_lowercase()),
                        &title,
                        ty.as_ref(),
                    )
                } else {
                    Vec::new()
                };
                Body {
                    media_type: media_type.clone(),
                    encoding: Encoding::of(media_type),
                    ty,
                    required: true,
                    examples,
                }
            });
            let headers = response
                .headers
                .iter()
                .map(|(name, header)| (name.clone(), header.as_item().and_then(|h| h.description.clone())))
                .collect();
            out.push(Response {
                status,
                description: response.description.clone(),
                body,
                headers,
            });
        }
        out
    }

    fn media_ty(&mut self, media_type: &str, media: &'a MediaType, pointer: &str, hint: &str) -> Option<Ty> {
        if !Encoding::of(media_type).is_typed() {
            return None;
        }
        let schema = media.schema.as_ref()?;
        Some(self.ty(schema, &join(pointer, "schema"), hint))
    }

    /// The examples of one media type, as indexes into the API's examples.
    fn media_examples(
        &mut self,
        media: &'a MediaType,
        pointer: &str,
        prefix: &str,
        title: &str,
        ty: Option<&Ty>,
    ) -> Vec<usize> {
        let mut ids = Vec::new();
        if let Some(value) = &media.example {
            ids.push(self.push_example(
                prefix,
                join(pointer, "example"),
                title.to_owned(),
                value.clone(),
                ty.cloned(),
            ));
        }
        for (key, example) in &media.examples {
            let at = join(&join(pointer, "examples"), key);
            let Some((example, at)) = self.resolve(example, at, "examples", |c, key| c.examples.get(key)) else {
                continue;
            };
            match (&example.value, &example.external_value) {
                (Some(value), _) => {
                    let title = format!("{title}, example `{key}`");
                    ids.push(self.push_example(&format!("{prefix}_{key}"), at, title, value.clone(), ty.cloned()));
                }
                (None, Some(_)) => {
                    // A shared example is reported once, however many operations use it.
                    if self.reported_external.insert(at.clone()) {
                        self.warn(
                            &join(&at, "externalValue"),
                            "examples in external files are not read yet; this example is not tested",
                        );
                    }
                }
                (None, None) => {}
            }
        }
        ids
    }

    /// Adds an example, or finds the one already taken from the same place; its index.
    fn push_example(
        &mut self,
        name: &str,
        origin: String,
        title: String,
        value: serde_json::Value,
        ty: Option<Ty>,
    ) -> usize {
        if let Some(&id) = self.example_ids.get(&origin) {
            return id;
        }
        let name = self.example_scope.claim(naming::snake(name));
        let id = self.examples.len();
        self.example_ids.insert(origin.clone(), id);
        self.examples.push(Example {
            name,
            origin,
            title,
            value,
            ty,
        });
        id
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

/// The body to type: the first JSON media type, else the first listed.
fn choose_media(content: &openapiv3::Content) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(media_type, _)| Encoding::of(media_type) == Encoding::Json)
        .or_else(|| content.iter().next())
}
