//! [`Settings`]: everything a generation needs besides the spec, as one documented builder.
//!
//! Two kinds of setting live here. What the crates are called and where they find the runtime is
//! the caller's business (the workspace job or `--spec/--out`). What the spec itself could have
//! said through an extension, but may not because the user cannot edit it (a path parameter the
//! client configuration supplies, an OpenStack service type), can also come from flags or from a
//! settings file beside the spec ([`Settings::file_for`]):
//!
//! ```toml
//! # block-storage.apigen.toml, beside block-storage.yaml
//! client-defaults = ["project_id"]   # as `x-client-default: true` on each such path parameter
//! openstack-service-type = "volume"  # as `info.x-openstack.service-type`
//! split-above = 200                  # a module per tag above this many types and operations
//! include-tags = ["users.user"]      # only these operations, and the types they reach
//! include-paths = ["/me/**"]         # `*` within a path segment, `**` across them
//! include-operations = ["users.user.ListUser"]
//! exclude-tags = []                  # and never these (also exclude-paths, exclude-operations)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

/// How to generate the crates of one spec.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) name: String,
    pub(crate) client_name: Option<String>,
    pub(crate) server_name: Option<String>,
    /// The CLI crate's name and the subcommand its service is under.
    pub(crate) cli: Option<(String, String)>,
    pub(crate) spec_label: String,
    pub(crate) runtime_dependency: String,
    pub(crate) example_tests: bool,
    pub(crate) split_above: Option<usize>,
    pub(crate) client_defaults: Vec<String>,
    pub(crate) openstack_service_type: Option<String>,
    pub(crate) selection: crate::selection::Selection,
    /// Where settings that must match the spec came from, by setting (`client-defaults/0`), so a
    /// mismatch can be reported there.
    pub(crate) origins: BTreeMap<String, Origin>,
}

/// Where a setting was given: a line of a settings file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) file: PathBuf,
    pub(crate) pointer: String,
    pub(crate) line: Option<usize>,
}

/// What a settings file may say; every key is optional, and an unknown one is an error.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct SettingsFile {
    #[serde(default)]
    client_defaults: Vec<toml::Spanned<String>>,
    openstack_service_type: Option<String>,
    split_above: Option<usize>,
    #[serde(default)]
    include_tags: Vec<String>,
    #[serde(default)]
    include_paths: Vec<String>,
    #[serde(default)]
    include_operations: Vec<String>,
    #[serde(default)]
    exclude_tags: Vec<String>,
    #[serde(default)]
    exclude_paths: Vec<String>,
    #[serde(default)]
    exclude_operations: Vec<String>,
}

impl Settings {
    /// Settings for a models crate named `name` (such as `evs-models`): no client crate, the
    /// example tests on, the runtime from crates.io, every layout and spec default.
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        Settings {
            spec_label: name.clone(),
            name,
            client_name: None,
            server_name: None,
            cli: None,
            runtime_dependency: r#""0.1""#.to_owned(),
            example_tests: true,
            split_above: None,
            client_defaults: Vec::new(),
            openstack_service_type: None,
            selection: crate::selection::Selection::default(),
            origins: BTreeMap::new(),
        }
    }

    /// Generates the operations tagged `tag` (and those any other include names), and the types
    /// they reach.
    pub fn include_tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.include.tags.push(tag.into());
        self
    }

    /// Generates the operations whose path template matches `glob` (`/users/*`: one segment;
    /// `/users/**`: any depth).
    pub fn include_path(mut self, glob: impl Into<String>) -> Self {
        self.selection.include.paths.push(glob.into());
        self
    }

    /// Generates the operation whose operationId is `id`.
    pub fn include_operation(mut self, id: impl Into<String>) -> Self {
        self.selection.include.operations.push(id.into());
        self
    }

    /// Leaves out the operations tagged `tag`, even when an include names them.
    pub fn exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.exclude.tags.push(tag.into());
        self
    }

    /// Leaves out the operations whose path template matches `glob`.
    pub fn exclude_path(mut self, glob: impl Into<String>) -> Self {
        self.selection.exclude.paths.push(glob.into());
        self
    }

    /// Leaves out the operation whose operationId is `id`.
    pub fn exclude_operation(mut self, id: impl Into<String>) -> Self {
        self.selection.exclude.operations.push(id.into());
        self
    }

    /// Also generates the client crate, named `name` (such as `evs-client`).
    pub fn client(mut self, name: impl Into<String>) -> Self {
        self.client_name = Some(name.into());
        self
    }

    /// Also generates the server crate, named `name` (such as `evs-server`).
    pub fn server(mut self, name: impl Into<String>) -> Self {
        self.server_name = Some(name.into());
        self
    }

    /// Also generates the command-line crate, named `name` (such as `evs-cli`), whose service is
    /// the subcommand `command` (`evs`). It needs the client crate.
    pub fn cli(mut self, name: impl Into<String>, command: impl Into<String>) -> Self {
        self.cli = Some((name.into(), command.into()));
        self
    }

    /// How generated headers name the spec (`spec/evs.yaml`).
    pub fn spec_label(mut self, label: impl Into<String>) -> Self {
        self.spec_label = label.into();
        self
    }

    /// The TOML value of the crates' `apigen-runtime` dependency, such as
    /// `{ path = "../../runtime" }`.
    pub fn runtime_dependency(mut self, dependency: impl Into<String>) -> Self {
        self.runtime_dependency = dependency.into();
        self
    }

    /// Whether the models crate gets `tests/examples.rs`, a round-trip test per documented example.
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
        self
    }

    /// Splits the crates into a module per tag above this many types and operations together
    /// (default [`crate::lower::SPLIT_ABOVE`]).
    pub fn split_above(mut self, items: usize) -> Self {
        self.split_above = Some(items);
        self
    }

    /// Marks the path parameter `name` as supplied by the client configuration in every
    /// operation that has it, as `x-client-default: true` on the parameter would: a call gives
    /// it only to override `Config::path_default`.
    pub fn client_default(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.client_defaults.contains(&name) {
            self.client_defaults.push(name);
        }
        self
    }

    /// Names the OpenStack service type, as `info.x-openstack.service-type` would (`volume`):
    /// calls then take a microversion, sent as `OpenStack-API-Version: volume 3.N`.
    pub fn openstack_service_type(mut self, service_type: impl Into<String>) -> Self {
        self.openstack_service_type = Some(service_type.into());
        self
    }

    /// The settings file that goes with `spec`: beside it, named after it with `.apigen.toml`
    /// (`spec/block-storage.apigen.toml` for `spec/block-storage.yaml`).
    pub fn file_for(spec: &Path) -> PathBuf {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        spec.with_file_name(format!("{stem}.apigen.toml"))
    }

    /// Applies the settings file at `path` (see the module docs): what it gives takes the place
    /// of what is set, and its client defaults are added. A file that cannot be read or parsed,
    /// or that has an unknown key, is an error naming the file, the key and the line.
    pub fn apply_file(mut self, path: &Path) -> Result<Self, Diagnostics> {
        let fail = |pointer: String, line: Option<usize>, message: String| {
            Diagnostics(vec![Diagnostic {
                severity: Severity::Error,
                file: path.to_owned(),
                pointer,
                line,
                message,
            }])
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(String::new(), None, format!("cannot read the settings file: {e}")))?;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let file: SettingsFile = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|span| line_of(span.start));
            let key = e
                .span()
                .and_then(|span| text.get(span.clone()))
                .map(|found| found.split(['=', ' ']).next().unwrap_or("").trim().to_owned())
                .filter(|key| !key.is_empty() && !key.contains(['\n', '"']))
                .map(|key| format!("/{key}"))
                .unwrap_or_default();
            fail(key, line, format!("not valid settings: {}", e.message().trim()))
        })?;
        for (index, name) in file.client_defaults.into_iter().enumerate() {
            let line = Some(line_of(name.span().start));
            let name = name.into_inner();
            let key = format!("client-defaults/{index}");
            self.origins.insert(
                name.clone(),
                Origin {
                    file: path.to_owned(),
                    pointer: format!("/{key}"),
                    line,
                },
            );
            self = self.client_default(name);
        }
        if let Some(service_type) = file.openstack_service_type {
            self = self.openstack_service_type(service_type);
        }
        if let Some(items) = file.split_above {
            self = self.split_above(items);
        }
        let selection = &mut self.selection;
        selection.include.tags.extend(file.include_tags);
        selection.include.paths.extend(file.include_paths);
        selection.include.operations.extend(file.include_operations);
        selection.exclude.tags.extend(file.exclude_tags);
        selection.exclude.paths.extend(file.exclude_paths);
        selection.exclude.operations.extend(file.exclude_operations);
        Ok(self)
    }

    /// [`Settings::apply_file`] for the file beside `spec` ([`Settings::file_for`]), when there is
    /// one.
    pub fn apply_file_for(self, spec: &Path) -> Result<Self, Diagnostics> {
        let file = Settings::file_for(spec);
        if file.is_file() {
            self.apply_file(&file)
        } else {
            Ok(self)
        }
    }

    /// The models crate's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client crate's name, if one is generated.
    pub fn client_name(&self) -> Option<&str> {
        self.client_name.as_deref()
    }

    /// The server crate's name, if one is generated.
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// The CLI crate's name, if one is generated.
    pub fn cli_name(&self) -> Option<&str> {
        self.cli.as_ref().map(|(name, _)| name.as_str())
    }

    /// The models crate as Rust names it (`evs_models`).
    pub(crate) fn models_rust_name(&self) -> crate::ir::Name {
        crate::ir::Name::plain(self.name.replace('-', "_"))
    }

    /// The generated name the crates share (`evs`, or the name given with `--name`): the CLI's
    /// command, else the models crate's name without `-models`.
    pub(crate) fn base_name(&self) -> &str {
        match &self.cli {
            Some((_, command)) => command,
            None => self.name.strip_suffix("-models").unwrap_or(&self.name),
        }
    }

    /// The CLI crate as Rust names it (`evs_cli`).
    pub(crate) fn cli_rust_name(&self) -> Option<crate::ir::Name> {
        self.cli_name()
            .map(|name| crate::ir::Name::plain(name.replace('-', "_")))
    }

    /// The client crate as Rust names it (`evs_client`).
    pub(crate) fn client_rust_name(&self) -> Option<crate::ir::Name> {
        self.client_name
            .as_ref()
            .map(|name| crate::ir::Name::plain(name.replace('-', "_")))
    }
}
