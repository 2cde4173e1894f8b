//! [`Settings`]: everything a generation needs besides the spec, as one documented builder.
//!
//! Two kinds of setting live here. What the crates are called and where they find the runtime is
//! the caller's business (the workspace job or `--spec/--out`). What the spec itself could have
//! said through an extension, but may not because the user cannot edit it (a path parameter the
//! client configuration supplies, an OpenStack service type), can also come from flags or a
//! settings file beside the spec.

/// How to generate the crates of one spec.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) name: String,
    pub(crate) client_name: Option<String>,
    pub(crate) spec_label: String,
    pub(crate) runtime_dependency: String,
    pub(crate) example_tests: bool,
    pub(crate) split_above: Option<usize>,
    pub(crate) client_defaults: Vec<String>,
    pub(crate) openstack_service_type: Option<String>,
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
            runtime_dependency: r#""0.1""#.to_owned(),
            example_tests: true,
            split_above: None,
            client_defaults: Vec::new(),
            openstack_service_type: None,
        }
    }

    /// Also generates the client crate, named `name` (such as `evs-client`).
    pub fn client(mut self, name: impl Into<String>) -> Self {
        self.client_name = Some(name.into());
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

    /// The models crate's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client crate's name, if one is generated.
    pub fn client_name(&self) -> Option<&str> {
        self.client_name.as_deref()
    }

    /// The models crate as Rust names it (`evs_models`).
    pub(crate) fn models_rust_name(&self) -> crate::ir::Name {
        crate::ir::Name::plain(self.name.replace('-', "_"))
    }

    /// The client crate as Rust names it (`evs_client`).
    pub(crate) fn client_rust_name(&self) -> Option<crate::ir::Name> {
        self.client_name
            .as_ref()
            .map(|name| crate::ir::Name::plain(name.replace('-', "_")))
    }
}
