//! An operation's parameters: the path item's and its own, resolved, named in the call
//! builder's scope, and held to the path template; and the settings' client defaults, checked
//! against them.

use openapiv3::{Parameter as OaParameter, ReferenceOr};

use super::{BUILDER_MEMBERS, Lowerer};
use crate::diagnostic::{Diagnostic, Severity, join};
use crate::ir::{Docs, Operation, Parameter, ParameterLocation, Shape, Ty};
use crate::naming::{self, Scope};

impl<'a> Lowerer<'a> {
    /// The parameters of an operation at `pointer` on the path `template`, the path item's own
    /// (at `item_pointer`) included. The path parameters are the template's: one the template does
    /// not name is dropped, and a `{name}` without a parameter gets a required string parameter,
    /// each with a warning, so that no request is sent with a value lost or a `{name}` left in it.
    pub(super) fn parameters(
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
                let default = match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) if !data.required => schema
                        .schema_data
                        .default
                        .clone()
                        .filter(|value| default_fits(value, &ty)),
                    _ => None,
                };
                Parameter {
                    default,
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
                default: None,
            });
        }
        parameters
    }

    /// A client default the settings give that no operation's path has is a mistake worth a
    /// word (a misspelt `project-id`), located where it was given.
    pub(super) fn check_client_defaults(&mut self, operations: &[Operation]) {
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
}

/// Whether a documented default is a value of the parameter's type, so that a server can take it
/// in place of an absent value (a default that contradicts its schema is left for the handler).
fn default_fits(value: &serde_json::Value, ty: &Ty) -> bool {
    use serde_json::Value;
    match (&ty.shape, value) {
        (Shape::String, Value::String(_)) | (Shape::Boolean, Value::Bool(_)) => true,
        (Shape::Integer(_), Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Shape::Number(_), Value::Number(_)) => true,
        (Shape::Array(item), Value::Array(items)) => items.iter().all(|i| default_fits(i, item)),
        _ => false,
    }
}
