//! The intermediate representation: plain data between lowering and emission.
//!
//! Lowering fills it from `openapiv3` types; the emitters read only this. Nothing here knows YAML
//! or Rust syntax, so emitters can be tested with hand-built values and a second input format
//! would need only a second lowering. Every collection is ordered, so output order is fixed by
//! construction.

use std::fmt;

use serde_json::Value;

/// A Rust identifier, decided once by lowering (through the naming module) and used as it is by
/// every emitter: the identifier's text, and whether it must be written as a raw identifier
/// (`r#type`). Emitters never make a name of their own and never take one apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name {
    text: String,
    raw: bool,
}

impl Name {
    /// A name that is an identifier as it is (not a keyword).
    pub fn plain(text: impl Into<String>) -> Name {
        Name {
            text: text.into(),
            raw: false,
        }
    }

    /// A keyword that is written `r#text`.
    pub fn raw(text: impl Into<String>) -> Name {
        Name {
            text: text.into(),
            raw: true,
        }
    }

    /// The identifier without any `r#`: what a file name, a doc or a derived name uses.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the identifier is written `r#` in Rust source.
    pub fn is_raw(&self) -> bool {
        self.raw
    }
}

/// As Rust source writes it: `r#type` for a raw identifier.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.text)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::plain(text)
    }
}

/// One API, lowered from one spec file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Every named type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Every operation, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Every webhook (3.1's `webhooks`: requests the API sends to its users), sorted by Rust
    /// name; `path` is where the server crate's `webhooks_router` receives it.
    pub webhooks: Vec<Operation>,
    /// Every documented example, in document order.
    pub examples: Vec<Example>,
    /// The servers, in document order.
    pub servers: Vec<Server>,
    /// The OpenStack service type (`info.x-openstack.service-type`), which names the API in
    /// `OpenStack-API-Version` headers.
    pub openstack_service_type: Option<String>,
    /// The security schemes (`components.securitySchemes`), in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// How the crates are spread over modules; `None` keeps each crate in one file.
    pub layout: Option<Layout>,
    /// What a selection of operations left of the spec; `None` when everything is generated.
    pub selection: Option<Selected>,
}

/// The part of a spec a selection (`--include-tag users.user`) generates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selected {
    /// The options that chose it, as written (`--include-tag users.user`).
    pub patterns: Vec<String>,
    /// Operations generated, of all the spec has.
    pub operations: (usize, usize),
    /// Named types generated, of all the spec's operations would need.
    pub types: (usize, usize),
}

impl Api {
    /// The request-signing algorithm of a security scheme (`x-signing-algorithm`), if any.
    pub fn signing_algorithm(&self) -> Option<&str> {
        self.security_schemes.iter().find_map(|s| match &s.kind {
            SchemeKind::Signature { algorithm } => Some(algorithm.as_str()),
            _ => None,
        })
    }

    /// The header of an API-key scheme that carries a token (`X-Auth-Token`), if any.
    pub fn token_header(&self) -> Option<&str> {
        self.security_schemes.iter().find_map(|s| match &s.kind {
            SchemeKind::ApiKey {
                location: KeyLocation::Header,
                name,
            } => Some(name.as_str()),
            _ => None,
        })
    }
}

/// A security scheme: how a credential is presented.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`, which requirements name.
    pub key: String,
    /// What it takes and where it goes.
    pub kind: SchemeKind,
    /// Its description.
    pub description: Option<String>,
}

/// How a scheme's credential is presented.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SchemeKind {
    /// `http` `bearer`.
    #[default]
    Bearer,
    /// `http` `basic`.
    Basic,
    /// `apiKey`.
    ApiKey {
        /// Header, query or cookie.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// An `apiKey` scheme whose requests are signed (`x-signing-algorithm`).
    Signature {
        /// The algorithm (`SDK-HMAC-SHA256`).
        algorithm: String,
    },
    /// `oauth2`, with its flows.
    OAuth2 {
        /// The flows, in the order OpenAPI lists them.
        flows: Vec<OAuthFlow>,
    },
    /// `openIdConnect`.
    OpenIdConnect {
        /// The discovery URL.
        url: String,
    },
    /// `mutualTLS` (3.1).
    MutualTls,
    /// An `http` scheme a client cannot present by itself (Digest, ...).
    Unsupported {
        /// The scheme as written.
        scheme: String,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// One OAuth 2 flow of a scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    /// `implicit`, `password`, `clientCredentials` or `authorizationCode`.
    pub kind: &'static str,
    /// Where the user authorizes, for flows that have one.
    pub authorization_url: Option<String>,
    /// Where tokens are obtained, for flows that have one.
    pub token_url: Option<String>,
    /// Where tokens are refreshed.
    pub refresh_url: Option<String>,
    /// The scopes and what each grants.
    pub scopes: Vec<(String, String)>,
}

/// What an operation requires to be called.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Security {
    /// The document says nothing (no `security` at its root or on the operation).
    #[default]
    Unstated,
    /// Alternatives in document order, each the schemes presented together with the scopes
    /// named; no alternative (`security: []`) means none is needed.
    Required(Vec<Vec<(String, Vec<String>)>>),
}

impl Security {
    /// Whether a call must present a credential: some requirement exists and none of the
    /// alternatives is empty.
    pub fn is_needed(&self) -> bool {
        matches!(self, Security::Required(alternatives)
            if !alternatives.is_empty() && alternatives.iter().all(|a| !a.is_empty()))
    }

    /// Whether the server checks anything: at least one alternative names a scheme.
    pub fn names_a_scheme(&self) -> bool {
        matches!(self, Security::Required(alternatives) if alternatives.iter().any(|a| !a.is_empty()))
    }
}

/// How a large API's crates are spread over files: a module per tag.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Modules of the models crate, in name order.
    pub types: Vec<Module>,
    /// Modules of the client crate, in name order.
    pub operations: Vec<Module>,
}

/// One module of a split crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The Rust module name, which is also the file stem.
    pub name: Name,
    /// The tag it holds, if any.
    pub tag: Option<String>,
    /// Its items: indexes into the API's `types` or `operations`.
    pub items: Vec<usize>,
    /// The named types defined in other modules that its types mention, sorted: what its `use`
    /// line imports (models crate only; client modules import their crate root).
    pub imports: Vec<Name>,
}

/// A server the API is reachable at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Server {
    /// The URL template, with `{variable}`s.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
    /// Its variables, in document order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerVariable {
    /// The name in the URL template.
    pub wire_name: String,
    /// The Rust parameter name.
    pub name: Name,
    /// The default value.
    pub default: String,
    /// The allowed values, if restricted.
    pub allowed: Vec<String>,
    /// Its description.
    pub description: Option<String>,
}

/// Prose from the spec, kept apart so emitters can lay it out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Docs {
    /// A one-line summary or title.
    pub summary: Option<String>,
    /// The description (Markdown).
    pub description: Option<String>,
}

/// A named type: a component schema, or an inline schema named after its place.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: Name,
    /// JSON pointer of the schema it came from.
    pub origin: String,
    /// Its documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
    /// Whether JSON `null` is a valid value of the whole type.
    pub nullable: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string with a documented set of values.
    Enum(Enum),
    /// Another type under this name: a reference, an array, a map or a constrained primitive.
    Alias(Ty),
    /// One of several types (`oneOf`, `anyOf`).
    Union(Union),
}

impl TypeKind {
    /// Pushes the named types this definition mentions.
    pub fn push_named<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    field.ty.push_named(out);
                }
                if let Some(additional) = &s.additional {
                    additional.ty.push_named(out);
                }
            }
            TypeKind::Alias(ty) => ty.push_named(out),
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    for ty in variant.ty.iter() {
                        ty.push_named(out);
                    }
                    for field in variant.fields.iter().flat_map(|s| &s.fields) {
                        field.ty.push_named(out);
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
}

/// A value that is one of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// How a value says which variant it is.
    pub tagging: Tagging,
    /// The variants, in document order.
    pub variants: Vec<UnionVariant>,
}

/// How the variant of a union value is told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagging {
    /// By trying each variant in order: the first that fits wins.
    Untagged,
    /// By a property whose value names the variant and which is not part of the variant's data:
    /// every member of the `oneOf` is an object with a one-value string enum under this key.
    Internal(String),
    /// By the `discriminator` property, which stays part of the variant's own type.
    Discriminator(String),
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name, unique in its union.
    pub name: Name,
    /// The tag values that select it (internal tagging and discriminators).
    pub tags: Vec<String>,
    /// Its data as one value (a newtype variant); `None` for a unit or struct variant.
    pub ty: Option<Ty>,
    /// Its data as named fields (a struct variant of an internally tagged union).
    pub fields: Option<Struct>,
    /// Its documentation.
    pub docs: Docs,
    /// Whether the data must be boxed because its type contains this union (recursion).
    pub boxed: bool,
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    /// The properties, in document order.
    pub fields: Vec<Field>,
    /// The member that holds properties not listed (`additionalProperties` beside `properties`).
    pub additional: Option<Additional>,
    /// How a value is built when it has two or more required properties: by name, through a
    /// builder, so that two values of one type cannot be passed in each other's place. `None`
    /// for a struct that `new` builds from at most one value (and for a union's struct variant).
    pub builder: Option<Builder>,
}

/// The builder of a struct with several required properties: one setter per required property,
/// named like its field, called in field order, then `build`. Each step is a type of its own
/// (`TypeBuilder<N>`), so `build` exists only once every setter has run.
#[derive(Debug, Clone, PartialEq)]
pub struct Builder {
    /// The builder type's name, unique among the crate's types.
    pub name: Name,
}

/// The member of a struct that holds the properties its schema does not list, by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    /// The Rust field name, unique among the struct's fields.
    pub name: Name,
    /// The type of each value.
    pub ty: Ty,
    /// Whether the schema states `additionalProperties`. When it is silent, the member keeps
    /// whatever the server sent beyond the listed properties (services add fields faster than
    /// their documents), so a decoded value serializes back to what was read.
    pub declared: bool,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key in JSON.
    pub wire_name: String,
    /// The Rust field name, unique in its struct.
    pub name: Name,
    /// Whether the Rust name differs from the key, so serde must be told the key.
    pub renamed: bool,
    /// The builder-style setter of an optional field (`with_name`), unique among the struct's
    /// methods; `None` for a required field, which the constructor takes.
    pub setter: Option<Name>,
    /// The value's type.
    pub ty: Ty,
    /// Whether the key must be present.
    pub required: bool,
    /// Its documentation.
    pub docs: Docs,
    /// The documented default, if any.
    pub default: Option<Value>,
    /// The first OpenStack microversion that has this field (`x-openstack.min-ver`).
    pub min_version: Option<String>,
    /// The last OpenStack microversion that has this field (`x-openstack.max-ver`).
    pub max_version: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Whether the value must be boxed because its type contains this struct (recursion).
    pub boxed: bool,
    /// Which way it travels (`readOnly`, `writeOnly`).
    pub access: Access,
}

/// Which way a property travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Both ways.
    #[default]
    ReadWrite,
    /// `readOnly`: set by the service, never sent in a request, never asked of a caller.
    ReadOnly,
    /// `writeOnly`: sent, never answered, so not required when a response is read; `required`
    /// says whether a request must carry it, which validation checks.
    WriteOnly {
        /// Whether the schema lists it in `required`.
        required: bool,
    },
}

/// A string enumeration. It stays open: values the spec does not list still deserialize.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The documented values, in document order.
    pub variants: Vec<Variant>,
    /// The variant that holds values the spec does not list.
    pub other_variant: Name,
}

/// One documented enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value in JSON.
    pub wire_name: String,
    /// The Rust variant name, unique in its enum.
    pub name: Name,
    /// What the value means, when a `oneOf` of one-value enums documents each value.
    pub docs: Docs,
}

/// A use of a type: its shape, whether it may be `null`, and the constraints on its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Ty {
    /// The kind of value.
    pub shape: Shape,
    /// Whether JSON `null` is allowed here.
    pub nullable: bool,
    /// What the document restricts the value to.
    pub constraints: Constraints,
}

impl Ty {
    /// Pushes the named types this type is or holds (through arrays and maps).
    pub fn push_named<'a>(&'a self, out: &mut Vec<&'a str>) {
        match &self.shape {
            Shape::Named(name) => out.push(name.as_str()),
            Shape::Array(inner) | Shape::Map(inner) => inner.push_named(out),
            _ => {}
        }
    }

    /// An unconstrained, non-nullable use of `shape`.
    pub fn plain(shape: Shape) -> Ty {
        Ty {
            shape,
            nullable: false,
            constraints: Constraints::default(),
        }
    }

    /// Whether `self` and `other` hold the same values in the same Rust type: the same shape
    /// and nullability all the way down. Constraints are checks on a value, not part of its type.
    pub fn same_type(&self, other: &Ty) -> bool {
        self.nullable == other.nullable
            && match (&self.shape, &other.shape) {
                (Shape::Array(a), Shape::Array(b)) | (Shape::Map(a), Shape::Map(b)) => a.same_type(b),
                (a, b) => a == b,
            }
    }
}

/// The kind of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A string (every `format` but `binary` is kept as text).
    String,
    /// Raw bytes: a string declared `format: binary` (or, in 3.1, with a `contentMediaType`), as a
    /// multipart file part is. JSON has no bytes, so in JSON it is a string.
    Binary,
    /// An integer.
    Integer(IntegerKind),
    /// A floating-point number.
    Number(NumberKind),
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Any,
    /// A named type of this API, by Rust name.
    Named(Name),
    /// An array of items.
    Array(Box<Ty>),
    /// An object whose keys are free and whose values all have one type.
    Map(Box<Ty>),
}

/// Integer widths, from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerKind {
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64`, no format, or a format this generator does not know.
    I64,
    /// `uint8`.
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl IntegerKind {
    /// The kind a `format` names; `int64` for none or an unknown one.
    pub fn of(format: Option<&str>) -> IntegerKind {
        match format {
            Some("int8") => IntegerKind::I8,
            Some("int16") => IntegerKind::I16,
            Some("int32") => IntegerKind::I32,
            Some("uint8") => IntegerKind::U8,
            Some("uint16") => IntegerKind::U16,
            Some("uint32") => IntegerKind::U32,
            Some("uint64") => IntegerKind::U64,
            _ => IntegerKind::I64,
        }
    }

    /// The Rust type's name.
    pub fn rust_name(self) -> &'static str {
        match self {
            IntegerKind::I8 => "i8",
            IntegerKind::I16 => "i16",
            IntegerKind::I32 => "i32",
            IntegerKind::I64 => "i64",
            IntegerKind::U8 => "u8",
            IntegerKind::U16 => "u16",
            IntegerKind::U32 => "u32",
            IntegerKind::U64 => "u64",
        }
    }
}

/// Float widths, from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// `float`.
    F32,
    /// `double` or no format.
    F64,
}

/// How string lengths are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LengthUnit {
    /// Characters, as JSON Schema counts them.
    #[default]
    Characters,
    /// UTF-8 bytes (`x-length-unit: bytes`).
    Bytes,
}

/// Documented restrictions on a value, as schema keywords.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// How the lengths count.
    pub length_unit: LengthUnit,
    /// `pattern`s, when the regex engine accepts them: all must match (an `allOf` may give
    /// several).
    pub patterns: Vec<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `enum` on a non-string value, listed for the docs.
    pub allowed: Vec<Value>,
    /// `format`, kept for the docs.
    pub format: Option<String>,
    /// The alternatives of a `oneOf`/`anyOf` that only narrows its own `type` (an IP address
    /// string that is `ipv4` or `ipv6`), kept for the docs.
    pub alternatives: Vec<Constraints>,
}

impl Constraints {
    /// Whether anything here can be checked at run time.
    pub fn is_checkable(&self) -> bool {
        self.min_length.is_some()
            || self.max_length.is_some()
            || !self.patterns.is_empty()
            || self.minimum.is_some()
            || self.maximum.is_some()
            || self.multiple_of.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
            || self.min_properties.is_some()
            || self.max_properties.is_some()
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// OPTIONS.
    Options,
    /// HEAD.
    Head,
    /// PATCH.
    Patch,
    /// TRACE.
    Trace,
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The client's method (snake case), unique among the client's methods.
    pub name: Name,
    /// The call builder's type, unique in the client crate.
    pub builder: Name,
    /// `operationId` as written, or the name derived from method and path.
    pub operation_id: String,
    /// The method.
    pub method: Method,
    /// The path template, as written.
    pub path: String,
    /// JSON pointer of the operation.
    pub origin: String,
    /// Summary and description.
    pub docs: Docs,
    /// Tags, in document order.
    pub tags: Vec<String>,
    /// Path, query, header and cookie parameters.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request: Option<Body>,
    /// The documented responses, in document order.
    pub responses: Vec<Response>,
    /// What a documented success decodes into.
    pub successes: Outcome,
    /// What a documented error body decodes into.
    pub failures: Outcome,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// What it requires to be called.
    pub security: Security,
    /// The server input's field that holds the credentials presented, when it requires any
    /// (`auth`, claimed beside the parameters).
    pub auth_field: Option<Name>,
    /// The names the server crate gives this operation's types.
    pub server: ServerNames,
    /// How the command-line tool offers it.
    pub cli: CliCommand,
}

impl Operation {
    /// Whether it is a webhook (from `webhooks`, not `paths`): the API sends it.
    pub fn is_webhook(&self) -> bool {
        self.origin.starts_with("/webhooks/")
    }

    /// Pushes the named types its parameters and bodies are.
    pub fn push_named<'a>(&'a self, out: &mut Vec<&'a str>) {
        for parameter in &self.parameters {
            parameter.ty.push_named(out);
        }
        let bodies = self
            .request
            .iter()
            .chain(self.responses.iter().filter_map(|r| r.body.as_ref()));
        for body in bodies {
            if let Some(ty) = &body.ty {
                ty.push_named(out);
            }
        }
    }
}

/// An operation as a subcommand of the generated command-line tool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CliCommand {
    /// The subcommand, kebab case from the `operationId`, unique in its service.
    pub name: String,
    /// The tag it is listed under (the operation's first).
    pub group: Option<String>,
    /// Its flags: parameters first, then body fields, each long name unique in the command and
    /// apart from the tool's own options.
    pub flags: Vec<CliFlag>,
    /// Whether flags and `--body` make its request body (a JSON body with a schema).
    pub body: bool,
    /// The one property of every documented success body that holds the resource
    /// (`snapshot`): the tool shows the resource's fields.
    pub output_envelope: Option<String>,
}

/// One flag of a subcommand.
#[derive(Debug, Clone, PartialEq)]
pub struct CliFlag {
    /// The long name without `--` (`volume-id`, `metadata.key`).
    pub long: String,
    /// What its value fills.
    pub target: CliTarget,
    /// How its text is read.
    pub value: CliValue,
    /// How many values it takes.
    pub arity: CliArity,
    /// Whether it must be given (unless `--body` is, for a body field).
    pub required: bool,
    /// Its documentation.
    pub description: Option<String>,
    /// The documented constraints, for the help.
    pub constraints: Constraints,
    /// The documented default, for the help.
    pub default: Option<Value>,
    /// Whether the client's configuration supplies it when the flag is not given (the project
    /// of a path, from `--project` or the vendor's variables).
    pub configured: bool,
}

/// What a flag fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliTarget {
    /// The parameter with this wire name.
    Parameter(String),
    /// The body field at this path of property names from the body's root.
    Field(Vec<String>),
}

/// How a flag's text becomes a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliValue {
    /// A string.
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// One of the documented values.
    Enum(Vec<String>),
    /// Any JSON value (a union, an object that is not flattened, an array of objects).
    Json,
}

/// How many values a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliArity {
    /// One.
    One,
    /// One per occurrence: an array.
    Repeated,
    /// `KEY=VALUE` per occurrence: a map.
    KeyValue,
}

/// The types a server crate defines for one operation, unique among the server crate's names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerNames {
    /// The struct of its decoded, checked inputs (`CreateSnapshotInput`).
    pub input: Name,
    /// The enum of its documented answers, one variant per response (`CreateSnapshotResponse`).
    pub response: Name,
    /// The variant that answers anything, when the document lists no response at all (so that
    /// a handler can still answer).
    pub undocumented: Option<Name>,
}

/// What the documented responses of one side (successes, or failures) decode into.
#[derive(Debug, Clone, PartialEq)]
// Two per operation: not worth a box to keep the variants the same size.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// Nothing documented on this side.
    Undocumented,
    /// Documented statuses without a body worth decoding.
    Empty,
    /// One body type for every documented status.
    One(Payload),
    /// A body type per status: an enum named `name` with one variant per status.
    PerStatus {
        /// The enum's name, unique in the client crate.
        name: Name,
        /// Its variants, in document order.
        variants: Vec<StatusVariant>,
    },
}

/// One variant of a per-status enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The variant name (`Status201`), unique in its enum.
    pub name: Name,
    /// The status it stands for.
    pub status: Status,
    /// The response's description.
    pub description: String,
    /// Its body, if it has one worth decoding.
    pub payload: Option<Payload>,
}

/// What a response body decodes into.
#[derive(Debug, Clone, PartialEq)]
// A handful per operation: not worth a box to keep the variants the same size.
#[allow(clippy::large_enum_variant)]
pub enum Payload {
    /// A schema's type (JSON).
    Json(Ty),
    /// Text.
    Text,
    /// Bytes.
    Binary,
}

impl Payload {
    /// The payload of a documented response, if it has a body worth decoding: JSON with a
    /// schema, text or bytes.
    pub fn of(response: &Response) -> Option<Payload> {
        let body = response.body.as_ref()?;
        match body.encoding {
            Encoding::Text => Some(Payload::Text),
            Encoding::Binary => Some(Payload::Binary),
            _ => body.ty.clone().map(Payload::Json),
        }
    }

    /// Whether two payloads decode into the same Rust type.
    pub fn same_type(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Json(a), Payload::Json(b)) => a.same_type(b),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust name, unique among the call builder's fields and methods.
    pub name: Name,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Its type.
    pub ty: Ty,
    /// Its documentation.
    pub docs: Docs,
    /// The documented example value, if any.
    pub example: Option<Value>,
    /// Whether the client configuration supplies it by default (`x-client-default: true`), so a
    /// call gives it only to override the default.
    pub client_default: bool,
    /// The documented default of an optional parameter, when it is a value of the parameter's
    /// type: a server takes it when the request has none.
    pub default: Option<Value>,
    /// How an array value is written: `None` repeats the parameter per item (`explode`, the
    /// query default); `Some(sep)` joins the items with `sep` (`,` for `explode: false` and for
    /// headers, ` ` for `spaceDelimited`, `|` for `pipeDelimited`).
    pub separator: Option<char>,
}

/// How a body is written on the wire, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// JSON (`application/json`, `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: the properties of an object as a query string.
    Form,
    /// `multipart/form-data`: one part per property.
    Multipart,
    /// Text (`text/*`).
    Text,
    /// Anything else, as bytes (`application/octet-stream`, `*/*`, images, vendor types).
    Binary,
}

impl Encoding {
    /// The encoding of a media type.
    pub fn of(media_type: &str) -> Encoding {
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") || essence.starts_with("application/json+") {
            Encoding::Json
        } else if essence == "application/x-www-form-urlencoded" {
            Encoding::Form
        } else if essence.starts_with("multipart/") {
            Encoding::Multipart
        } else if essence.starts_with("text/") {
            Encoding::Text
        } else {
            Encoding::Binary
        }
    }

    /// Whether the body has a schema-typed Rust value (rather than text or bytes).
    pub fn is_typed(self) -> bool {
        matches!(self, Encoding::Json | Encoding::Form | Encoding::Multipart)
    }
}

/// A request or response body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The media type (`application/json`, ...).
    pub media_type: String,
    /// How it is written.
    pub encoding: Encoding,
    /// The type, for JSON, form and multipart bodies with a schema.
    pub ty: Option<Ty>,
    /// Whether a request must carry it.
    pub required: bool,
    /// Its documented examples: indexes into [`Api::examples`], in document order.
    pub examples: Vec<usize>,
}

/// Which responses a response entry covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// A class such as `4XX` (the digit).
    Range(u8),
    /// `default`: every status not listed.
    Default,
}

impl Status {
    /// Whether the entry documents a success (2xx).
    pub fn is_success(&self) -> bool {
        matches!(self, Status::Code(200..=299) | Status::Range(2))
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it covers.
    pub status: Status,
    /// Its description.
    pub description: String,
    /// Its body, if documented.
    pub body: Option<Body>,
    /// Documented response headers, `Content-Type` aside (the body's media type sets it).
    pub headers: Vec<ResponseHeader>,
    /// Its variant in the server's response enum (`Status202`), unique among the operation's
    /// responses.
    pub variant: Name,
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header's name on the wire.
    pub wire_name: String,
    /// The Rust field name, unique in its response (beside `status` and `body`).
    pub name: Name,
    /// Whether the response always carries it.
    pub required: bool,
    /// Its description.
    pub description: Option<String>,
}

/// A documented example and the type it must fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The test's name, unique in the API: operation, place, example name.
    pub name: Name,
    /// The example's key in `examples` (`accepted`), or `example` for the single one: what a
    /// mock's `Prefer: example=NAME` names.
    pub key: String,
    /// Where it is: JSON pointer of the example.
    pub origin: String,
    /// JSON pointer of the value itself (`origin/value` for an Example Object).
    pub value_at: String,
    /// A short human description: `POST /path request body, example "x"`.
    pub title: String,
    /// The example value.
    pub value: Value,
    /// The type it must deserialize into; `None` when the spec gives it no schema.
    pub ty: Option<Ty>,
    /// Why the example does not fit its type, when the document contradicts itself: its test is
    /// generated ignored, with this reason.
    pub misfit: Option<String>,
}
