//! What a generated CLI crate says about its API: plain `static` data, read by the rest of this
//! module to build the clap commands and to turn parsed flags into a call.
//!
//! Everything here is decided by the generator's lowering (names, which flag fills which field);
//! the runtime only follows it.

/// One API: a subcommand of the CLI binary.
pub struct Service {
    /// The subcommand's name (`evs`).
    pub name: &'static str,
    /// The API's title, the subcommand's one-line help.
    pub about: &'static str,
    /// The API's description.
    pub long_about: Option<&'static str>,
    /// How the service is authenticated and configured.
    pub vendor: Vendor,
    /// The server URL template the endpoint is made from when `--endpoint` is not given, and its
    /// variables.
    pub server: Option<Server>,
    /// Its operations, in the order their subcommands are listed.
    pub operations: &'static [&'static Operation],
    /// The security schemes its document declares, which `--auth` names.
    pub schemes: &'static [crate::security::SecurityScheme],
    /// Sends one of its operations: the generated crate's dispatch.
    pub call: Call,
}

/// The generated function that sends `operation` with `input` through a client made from
/// `config`, and answers what came back.
pub type Call = for<'a> fn(
    operation: &'a Operation,
    input: &'a super::Input,
    config: crate::client::Config,
) -> crate::client::middleware::BoxFuture<'a, Result<super::Answer, super::Failure>>;

/// Which vendor's conventions configure the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Huawei Cloud: AK/SK signing, `HUAWEICLOUD_SDK_*` variables, `--region`.
    HuaweiCloud,
    /// OpenStack: tokens, `OS_*` variables and `clouds.yaml`; the service type names it there
    /// and in microversion headers (`volumev3`, `volume`). Like the generated client, the tool
    /// offers a microversion for every OpenStack service (`--os-<type>-api-version`).
    OpenStack {
        /// The service type (`volume`, from `info.x-openstack.service-type`).
        service_type: &'static str,
    },
    /// Anything else: an endpoint and, if the API takes one, a token.
    Generic,
}

/// A server URL template: `https://evs.{region}.myhuaweicloud.com`.
#[derive(Debug)]
pub struct Server {
    /// The URL with `{variable}`s.
    pub url: &'static str,
    /// Its variables: name and default.
    pub variables: &'static [(&'static str, &'static str)],
}

/// One operation: a subcommand of its service.
#[derive(Debug)]
pub struct Operation {
    /// The generated client's method: what the generated dispatch matches on.
    pub name: &'static str,
    /// The subcommand (`create-standard-snapshot`).
    pub command: &'static str,
    /// The tag it is listed under in the service's help.
    pub group: Option<&'static str>,
    /// Its summary.
    pub about: Option<&'static str>,
    /// Its description.
    pub long_about: Option<&'static str>,
    /// The method and path, shown in the help.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Its flags, parameters first, then body fields.
    pub flags: &'static [Flag],
    /// Its JSON body, when it has one that flags can fill.
    pub body: Option<BodySpec>,
    /// The one property of a success body that holds the resource (`snapshot`), shown without it.
    pub output_envelope: Option<&'static str>,
    /// The credentials it requires, for its help.
    pub security: crate::security::Security,
}

/// How the flags of an operation make its body.
#[derive(Debug)]
pub struct BodySpec {
    /// Whether the operation must send a body.
    pub required: bool,
    /// Whether it is JSON (`--body` is parsed, and field flags are laid over it); otherwise
    /// `--body` gives the bytes to send as they are.
    pub json: bool,
}

/// One flag.
#[derive(Debug)]
pub struct Flag {
    /// The long name, without `--` (`volume-id`, `metadata.key`).
    pub long: &'static str,
    /// The help text: the documentation, constraints and default.
    pub help: &'static str,
    /// What the value fills.
    pub target: Target,
    /// How the text of a value is read.
    pub value: ValueKind,
    /// How many values it takes.
    pub arity: Arity,
    /// Whether the flag must be given (unless `--body` is, for a body field).
    pub required: bool,
}

/// What a flag's value fills.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The parameter with this wire name.
    Parameter(&'static str),
    /// The body field at this path of property names, from the body's root.
    Field(&'static [&'static str]),
}

/// How a flag's text becomes a value.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    /// A string.
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`; the flag alone means `true`.
    Boolean,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// Any JSON value, written as JSON.
    Json,
}

/// How many values a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// One.
    One,
    /// One per occurrence, in order: an array.
    Repeated,
    /// `KEY=VALUE` per occurrence: a map.
    KeyValue,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("name", &self.name)
            .field("vendor", &self.vendor)
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}
