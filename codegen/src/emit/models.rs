//! The models crate: one Rust item per named type, with constructors and `Validate`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{DocText, code, doc_line};
use super::types::{Holding, holding, ident, value_type};
use super::validate::{self, Checkable};
use crate::ir::{Access, Additional, Builder, Enum, Field, Name, Shape, Struct, Tagging, Ty, TypeDef, TypeKind, Union};

/// The items of one named type: its definition, constructor and `Validate`.
pub fn type_def(def: &TypeDef, checkable: &Checkable) -> TokenStream {
    let mut docs = DocText::from_docs(&def.docs);
    if docs.is_empty() {
        docs.paragraph(&format!("The `{}` schema.", def.name.as_str()));
    }
    match &def.kind {
        TypeKind::Struct(s) => structure(def, s, &docs, checkable),
        TypeKind::Enum(e) => enumeration(def, e, &docs),
        TypeKind::Alias(ty) => alias(def, ty, &mut docs, checkable),
        TypeKind::Union(u) => union(def, u, &mut docs, checkable),
    }
}

/// The field's value type without its holder (`Box` included where recursion needs it).
fn inner_type(field: &Field) -> TokenStream {
    let inner = value_type(
        &Ty {
            nullable: false,
            ..field.ty.clone()
        },
        &TokenStream::new(),
    );
    if field.boxed {
        quote! { Box<#inner> }
    } else {
        inner
    }
}

/// The Rust type of a field, from its holding.
fn field_type(field: &Field) -> TokenStream {
    let inner = inner_type(field);
    match holding(field) {
        Holding::Plain => inner,
        Holding::RequiredNullable | Holding::Optional => quote! { Option<#inner> },
        // The models crate re-exports the runtime's `Nullable` at its root.
        Holding::TriState => quote! { crate::Nullable<#inner> },
    }
}

/// Which serde derives read a field's attributes: structs derive only `Serialize` (their
/// `Deserialize` is generated), struct variants of tagged unions derive both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Derives {
    Serialize,
    Both,
}

/// One argument of a field's `#[serde(...)]`, with the width it prints at.
struct SerdeArgument {
    tokens: TokenStream,
    width: usize,
}

impl SerdeArgument {
    fn new(tokens: TokenStream, text: &str) -> Self {
        SerdeArgument {
            tokens,
            width: text.len(),
        }
    }
}

/// The serde arguments that go with a field's holding; `default` only matters to a derived
/// `Deserialize`.
fn serde_arguments(field: &Field, derives: Derives) -> Vec<SerdeArgument> {
    let mut arguments = Vec::new();
    if field.renamed {
        let wire = &field.wire_name;
        arguments.push(SerdeArgument::new(
            quote! { rename = #wire },
            &format!("rename = {wire:?}"),
        ));
    }
    let skip = match (holding(field), field.access) {
        (Holding::Plain | Holding::RequiredNullable, _) => return arguments,
        // Left out of requests, or of responses, as well as when absent.
        (_, Access::ReadOnly) => "::apigen_runtime::for_generated_code::ser::skip_read_only",
        (_, Access::WriteOnly { .. }) => "::apigen_runtime::for_generated_code::ser::skip_write_only",
        (Holding::Optional, Access::ReadWrite) => "Option::is_none",
        (Holding::TriState, Access::ReadWrite) => "crate::Nullable::is_absent",
    };
    if derives == Derives::Both {
        arguments.push(SerdeArgument::new(quote! { default }, "default"));
    }
    arguments.push(SerdeArgument::new(
        quote! { skip_serializing_if = #skip },
        &format!("skip_serializing_if = {skip:?}"),
    ));
    arguments
}

/// The column prettyplease keeps lines within: an attribute wider than this it breaks over one
/// line per argument plus two.
const MARGIN: usize = 89;

/// A field's serde attributes: one `#[serde(...)]` where it fits on a line (with the field's
/// indentation), else one attribute per argument, which serde reads the same and which takes
/// half the lines of the broken form.
fn serde_attributes(arguments: Vec<SerdeArgument>) -> TokenStream {
    if arguments.is_empty() {
        return TokenStream::new();
    }
    let separators = 2 * (arguments.len() - 1);
    let width = "    #[serde()]".len() + separators + arguments.iter().map(|a| a.width).sum::<usize>();
    let tokens = arguments.into_iter().map(|a| a.tokens);
    if width <= MARGIN {
        quote! { #[serde(#(#tokens),*)] }
    } else {
        quote! { #(#[serde(#tokens)])* }
    }
}

fn field_docs(field: &Field) -> TokenStream {
    let mut docs = DocText::from_docs(&field.docs);
    if let Some(version) = &field.min_version {
        docs.paragraph(&format!("Available from microversion {version}."));
    }
    if let Some(version) = &field.max_version {
        docs.paragraph(&format!("Available up to microversion {version}."));
    }
    if field.deprecated {
        docs.paragraph("Deprecated.");
    }
    match field.access {
        Access::ReadOnly => {
            docs.own("Read-only: set by the service; never sent in a request.");
        }
        Access::WriteOnly { required } => {
            docs.own(if required {
                "Write-only: required in a request, never in a response."
            } else {
                "Write-only: sent in a request, never in a response."
            });
        }
        Access::ReadWrite => {}
    }
    docs.constraints(&field.ty.constraints, field.default.as_ref());
    if docs.is_empty() {
        match &field.ty.shape {
            Shape::Named(name) => docs.own(&format!("See [`{}`].", name.as_str())),
            _ => docs.paragraph(&format!("The `{}` property.", field.wire_name)),
        };
    }
    docs.attributes(false)
}

fn structure(def: &TypeDef, s: &Struct, docs: &DocText, checkable: &Checkable) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs.attributes(false);
    let fields = field_items(&s.fields, quote! { pub }, Derives::Serialize);
    let additional = s
        .additional
        .as_ref()
        .map(|additional| additional_member(additional, quote! { pub }));
    let has_required = s.fields.iter().any(|f| f.required);
    let derive_default = if has_required {
        TokenStream::new()
    } else {
        quote! { Default, }
    };
    let constructor = constructor(&name, s);
    let deserialize = deserialize_struct(&def.name, s);
    let validate = validate::for_struct(&name, s, checkable);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructor
        #deserialize
        #validate
    }
}

/// `Deserialize` for a struct through the runtime's `from_map!` table: one line per field (its
/// position, member, JSON name and holding), expanded to the loop over the object's keys that
/// `apigen_runtime::for_generated_code::de` describes (and says why it is not
/// `#[derive(Deserialize)]`).
fn deserialize_struct(type_name: &Name, s: &Struct) -> TokenStream {
    let name = ident(type_name);
    let head = match &s.additional {
        Some(additional) => {
            let extra = ident(&additional.name);
            quote! { #name, keep #extra; }
        }
        None => quote! { #name; },
    };
    let rows = s.fields.iter().enumerate().map(|(index, field)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let member = ident(&field.name);
        let wire = &field.wire_name;
        let holding = match holding(field) {
            Holding::Plain => format_ident!("required"),
            Holding::Optional => format_ident!("optional"),
            Holding::RequiredNullable => format_ident!("nullable"),
            Holding::TriState => format_ident!("tri_state"),
        };
        quote! { #index #member #wire #holding; }
    });
    quote! {
        ::apigen_runtime::from_map! { #head #(#rows)* }
    }
}

/// The member that holds the properties a schema does not list, flattened into the object.
fn additional_member(additional: &Additional, visibility: TokenStream) -> TokenStream {
    let member = ident(&additional.name);
    let value = value_type(&additional.ty, &TokenStream::new());
    let doc = doc_line(if additional.declared {
        "Properties not listed above, by key."
    } else {
        "Properties the schema does not list, kept as they came."
    });
    quote! {
        #doc
        #[serde(flatten)]
        #visibility #member: ::std::collections::BTreeMap<String, #value>,
    }
}

/// The fields of a struct or struct variant with their docs and serde attributes; `visibility` is
/// `pub` in a struct and empty in an enum variant.
fn field_items(fields: &[Field], visibility: TokenStream, derives: Derives) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|field| {
            let member = ident(&field.name);
            let ty = field_type(field);
            let serde = serde_attributes(serde_arguments(field, derives));
            let doc = field_docs(field);
            quote! { #doc #serde #visibility #member: #ty, }
        })
        .collect()
}

fn constructor(name: &syn::Ident, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|field| {
        let member = ident(&field.name);
        let ty = field_type(field);
        quote! { #member: impl Into<#ty> }
    });
    let inits = s.fields.iter().map(|field| {
        let member = ident(&field.name);
        if field.required {
            quote! { #member: #member.into() }
        } else {
            quote! { #member: Default::default() }
        }
    });
    let additional_init = s.additional.as_ref().map(|additional| {
        let member = ident(&additional.name);
        quote! { #member: Default::default(), }
    });
    let allow = if required.len() > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    let setter_rows: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|field| {
            let setter = ident(field.setter.as_ref()?);
            let member = ident(&field.name);
            let value_ty = value_type(
                &Ty {
                    nullable: false,
                    ..field.ty.clone()
                },
                &TokenStream::new(),
            );
            let store = match (holding(field), field.boxed) {
                (Holding::TriState, false) => format_ident!("value"),
                (Holding::TriState, true) => format_ident!("value_boxed"),
                (_, false) => format_ident!("some"),
                (_, true) => format_ident!("some_boxed"),
            };
            let doc = format!("Sets `{}`.", code(&field.wire_name));
            Some(quote! { #setter #member #store #doc #value_ty; })
        })
        .collect();
    let setters = (!setter_rows.is_empty()).then(|| {
        quote! {
            ::apigen_runtime::setters! { #name; #(#setter_rows)* }
        }
    });
    if let Some(builder) = &s.builder {
        // The builder's locals already have the fields' types.
        let built = s.fields.iter().map(|field| {
            let member = ident(&field.name);
            if field.required {
                quote! { #member }
            } else {
                quote! { #member: Default::default() }
            }
        });
        let value = quote! { #name { #(#built,)* #additional_init } };
        let (entry, definition) = builder_items(name, s, builder, value);
        return quote! {
            impl #name {
                #entry
            }
            #setters
            #definition
        };
    }
    let new_doc = doc_line(if required.is_empty() {
        "A value with every optional property absent."
    } else {
        "A value from its required property; every optional property starts absent."
    });
    // A struct with no required property derives `Default`: its constructor need not list them.
    let body = if required.is_empty() {
        quote! { Self::default() }
    } else {
        quote! { #name { #(#inits,)* #additional_init } }
    };
    quote! {
        impl #name {
            #new_doc
            #allow
            pub fn new(#(#params),*) -> Self {
                #body
            }
        }
        #setters
    }
}

/// `Type::builder()` and the builder of a struct with several required properties: one setter per
/// required property, named like it, in field order, each at its own step (`TypeBuilder<N>`), so
/// that `build` exists only after every setter and no value can go in another's place. The values
/// wait in one flat tuple of `Option`s that each setter fills in place, so the code is linear in
/// the number of properties and no type nests (a struct with a hundred required properties must
/// not make a type a hundred levels deep for the compiler, or for this generator's own parse).
/// `value` builds the struct from locals named like the required fields.
fn builder_items(name: &syn::Ident, s: &Struct, builder: &Builder, value: TokenStream) -> (TokenStream, TokenStream) {
    let builder_name = ident(&builder.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let count = required.len();
    let types: Vec<TokenStream> = required.iter().map(|f| field_type(f)).collect();
    let members: Vec<syn::Ident> = required.iter().map(|f| ident(&f.name)).collect();
    let setters = required.iter().enumerate().map(|(step, field)| {
        let member = &members[step];
        let ty = &types[step];
        let doc = doc_line(&format!(
            "Sets `{}`, required property {} of {count}.",
            code(&field.wire_name),
            step + 1
        ));
        let index = syn::Index::from(step);
        let next = proc_macro2::Literal::usize_unsuffixed(step + 1);
        let step = proc_macro2::Literal::usize_unsuffixed(step);
        let lint = super::types::setter_lint(&field.name);
        quote! {
            impl #builder_name<#step> {
                #doc
                #lint
                pub fn #member(self, value: impl Into<#ty>) -> #builder_name<#next> {
                    let mut values = self.0;
                    values.#index = Some(value.into());
                    #builder_name(values)
                }
            }
        }
    });
    let nones = required.iter().map(|_| quote! { None });
    let order = required
        .iter()
        .map(|f| format!("`{}`", code(&f.wire_name)))
        .collect::<Vec<_>>()
        .join(", ");
    let entry_doc = doc_line(&format!(
        "A builder that takes the required properties by name, in this order: {order}; `build()` \
         compiles once all are set. Optional properties start absent and are set on the value."
    ));
    let entry = quote! {
        #entry_doc
        pub fn builder() -> #builder_name<0> {
            #builder_name((#(#nones,)*))
        }
    };
    let type_doc = doc_line(&format!(
        "Builds a [`{name}`] from its required properties, each set by name; made by [`{name}::builder`]. \
         `STEP` counts the properties set."
    ));
    let build_doc = doc_line(&format!("The [`{name}`], every optional property absent."));
    let count_literal = proc_macro2::Literal::usize_unsuffixed(count);
    // The tuple of one `Option` per required property is what clippy's `type_complexity` counts as
    // complex; a type alias for it would only move the same tuple elsewhere.
    let definition = quote! {
        #type_doc
        #[must_use = "a builder does nothing until `build` is called"]
        #[allow(clippy::type_complexity)]
        pub struct #builder_name<const STEP: usize>((#(Option<#types>,)*));

        #(#setters)*

        impl #builder_name<#count_literal> {
            #build_doc
            pub fn build(self) -> #name {
                // Step `count` is reached only through every setter, each of which filled its value.
                let (#(Some(#members),)*) = self.0 else {
                    unreachable!("every required property is set before `build` exists")
                };
                #value
            }
        }
    };
    (entry, definition)
}

fn enumeration(def: &TypeDef, e: &Enum, docs: &DocText) -> TokenStream {
    let name = ident(&def.name);
    // An open enum reads any value, but only a documented one is valid to send or to take.
    let other_ident = ident(&e.other_variant);
    let listed: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let validation = validate::implementation(
        &name,
        quote! {
            if let #name::#other_ident(value) = self {
                check::listed(at, value, &[#(#listed),*], out);
            }
        },
    );
    let doc = docs.attributes(false);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let variant_docs = e.variants.iter().map(|variant| {
        let mut docs = DocText::from_docs(&variant.docs);
        if docs.is_empty() {
            docs.paragraph(&format!("`{}`", variant.wire_name));
        }
        docs.attributes(false)
    });
    let other = ident(&e.other_variant);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this version of the crate does not know; kept as sent.
            #other(String),
        }

        impl #name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::#other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => #name::#variants, )*
                    other => #name::#other(other.to_owned()),
                }
            }
        }

        ::apigen_runtime::string_enum!(#name, #other);

        #validation
    }
}

fn alias(def: &TypeDef, ty: &Ty, docs: &mut DocText, checkable: &Checkable) -> TokenStream {
    let name = ident(&def.name);
    if validate::is_plain_alias(&def.kind) {
        let target = value_type(ty, &TokenStream::new());
        let doc = docs.attributes(false);
        return quote! { #doc pub type #name = #target; };
    }
    docs.constraints(&ty.constraints, None);
    let doc = docs.attributes(false);
    let inner = value_type(ty, &TokenStream::new());
    let default = match ty.shape {
        Shape::Named(_) => TokenStream::new(),
        _ => quote! { Default, },
    };
    let validate = match &ty.shape {
        Shape::Named(_)
        | Shape::Array(_)
        | Shape::Map(_)
        | Shape::String
        | Shape::Binary
        | Shape::Integer(_)
        | Shape::Number(_) => validate::for_newtype(&name, ty, checkable),
        Shape::Boolean | Shape::Any => validate::for_nothing(&name),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #inner);

        impl From<#inner> for #name {
            fn from(value: #inner) -> Self {
                #name(value)
            }
        }

        #validate
    }
}

/// Whether a value of `ty` is only the type `own` again, through arrays, maps and `null`, with no
/// constraint of its own on the way.
fn only_recurses(ty: &Ty, own: &str) -> bool {
    !ty.constraints.is_checkable()
        && match &ty.shape {
            Shape::Named(name) => name.as_str() == own,
            Shape::Array(item) | Shape::Map(item) => only_recurses(item, own),
            _ => false,
        }
}

fn union(def: &TypeDef, u: &Union, docs: &mut DocText, checkable: &Checkable) -> TokenStream {
    let name = ident(&def.name);
    match &u.tagging {
        Tagging::Untagged => docs.paragraph("Deserializing tries each variant in order and takes the first that fits."),
        Tagging::Internal(tag) | Tagging::Discriminator(tag) => {
            docs.paragraph(&format!("The `{tag}` property says which variant a value is."))
        }
    };
    let doc = docs.attributes(false);
    let data_type = |variant: &crate::ir::UnionVariant| {
        variant.ty.as_ref().map(|ty| {
            let inner = value_type(ty, &TokenStream::new());
            if variant.boxed {
                quote! { Box<#inner> }
            } else {
                inner
            }
        })
    };
    let variants = u.variants.iter().map(|variant| {
        let member = ident(&variant.name);
        let mut variant_docs = DocText::from_docs(&variant.docs);
        if variant_docs.is_empty() {
            match (variant.tags.as_slice(), &variant.ty) {
                ([tag, ..], _) => variant_docs.paragraph(&format!("`{tag}`.")),
                (
                    [],
                    Some(Ty {
                        shape: Shape::Named(target),
                        ..
                    }),
                ) => variant_docs.own(&format!("A [`{}`].", target.as_str())),
                ([], _) => variant_docs.paragraph(&format!("The `{}` form.", variant.name.as_str())),
            };
        }
        let variant_doc = variant_docs.attributes(false);
        let serde = match (&u.tagging, variant.tags.as_slice()) {
            (Tagging::Internal(_), [tag, aliases @ ..]) => quote! { #[serde(rename = #tag #(, alias = #aliases)*)] },
            _ => TokenStream::new(),
        };
        match (data_type(variant), &variant.fields) {
            (Some(data), _) => quote! { #variant_doc #serde #member(#data), },
            (None, Some(fields)) => {
                let additional = fields
                    .additional
                    .as_ref()
                    .map(|additional| additional_member(additional, TokenStream::new()));
                let fields = field_items(&fields.fields, TokenStream::new(), Derives::Both);
                quote! { #variant_doc #serde #member { #(#fields)* #additional }, }
            }
            (None, None) => quote! { #variant_doc #serde #member, },
        }
    });
    let (derive, container, deserialize) = match &u.tagging {
        Tagging::Untagged => (
            quote! { ::serde::Deserialize, },
            quote! { #[serde(untagged)] },
            TokenStream::new(),
        ),
        Tagging::Internal(tag) => (
            quote! { ::serde::Deserialize, },
            quote! { #[serde(tag = #tag)] },
            TokenStream::new(),
        ),
        Tagging::Discriminator(tag) => (
            TokenStream::new(),
            quote! { #[serde(untagged)] },
            discriminated(&name, u, tag),
        ),
    };
    let checks: Vec<TokenStream> = u
        .variants
        .iter()
        .filter_map(|variant| {
            let member = ident(&variant.name);
            if let Some(fields) = &variant.fields {
                // Each checked field is bound by position (`host: field0`), so that no field name
                // (`value`, `at`, `out`) meets a name the checks use; the others are not bound.
                let binding = |position: usize| format_ident!("field{position}");
                let checks = validate::field_checks(
                    fields,
                    |position, _| {
                        let binding = binding(position);
                        quote! { #binding }
                    },
                    checkable,
                );
                if checks.is_empty() {
                    return None;
                }
                let bound = checks.iter().map(|(position, _)| {
                    let field = ident(&fields.fields[*position].name);
                    let binding = binding(*position);
                    quote! { #field: #binding }
                });
                let checks = checks.iter().map(|(_, check)| check);
                return Some(quote! { #name::#member { #(#bound,)* .. } => { #(#checks)* } });
            }
            let ty = variant.ty.as_ref()?;
            // A member that holds only this union again (a JSON value's array of values) checks
            // only what the other members check: nothing of its own to call.
            if only_recurses(ty, def.name.as_str()) {
                return None;
            }
            let body = validate::value_checks(ty, quote! { value }, checkable)?;
            Some(quote! { #name::#member(value) => { #body } })
        })
        .collect();
    let body = if checks.is_empty() {
        TokenStream::new()
    } else if checks.len() == u.variants.len() {
        quote! { match self { #(#checks)* } }
    } else {
        quote! {
            #[allow(clippy::single_match)]
            match self { #(#checks)* _ => {} }
        }
    };
    let validate = validate::implementation(&name, body);
    // The variants hold the schema's members as they are. How far their sizes differ depends on
    // the member types, which the generator does not measure; boxing every member to be safe would
    // cost every user an allocation per value, so clippy's size lint is allowed where a variant
    // holds data.
    let allow_size = if u.variants.iter().any(|v| v.ty.is_some() || v.fields.is_some()) {
        quote! { #[allow(clippy::large_enum_variant)] }
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, #derive)]
        #container
        #allow_size
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        #deserialize
        #validate
    }
}

/// `Deserialize` for a union with a `discriminator`: the property is read first and chooses the
/// variant, whose own type then reads the whole value (the property included).
fn discriminated(name: &syn::Ident, u: &Union, property: &str) -> TokenStream {
    let arms = u.variants.iter().map(|variant| {
        let member = ident(&variant.name);
        let tags = &variant.tags;
        let wrap = if variant.boxed {
            quote! { |data| #name::#member(Box::new(data)) }
        } else {
            quote! { #name::#member }
        };
        quote! { #(#tags)|* => ::serde_json::from_value(value).map(#wrap).map_err(D::Error::custom), }
    });
    let all: Vec<&String> = u.variants.iter().flat_map(|v| &v.tags).collect();
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = ::serde_json::Value::deserialize(deserializer)?;
                let tag = match value.get(#property) {
                    Some(::serde_json::Value::String(tag)) => tag.clone(),
                    _ => return Err(D::Error::missing_field(#property)),
                };
                match tag.as_str() {
                    #(#arms)*
                    other => Err(D::Error::unknown_variant(other, &[#(#all),*])),
                }
            }
        }
    }
}
