//! How a crate's items are spread over files.
//!
//! A small API stays in one `lib.rs`, which reads best. A large one gets a module per tag, so that
//! no file is a wall nobody can review: operations go to the module of their first tag, and each
//! type to the module of the first operation (in name order) that uses it, directly or through
//! other types; types no operation uses go to `shared`. Everything is re-exported at the crate
//! root, so paths stay `models::Type` and `client::Builder` whatever the layout.

use std::collections::BTreeMap;

use crate::ir::{Api, Shape, Ty, TypeKind};
use crate::naming::{self, Scope};

/// Above this many types and operations together, a crate is split into modules.
pub const SPLIT_ABOVE: usize = 120;

/// The module for items that belong to no tag.
const SHARED: &str = "shared";

/// One module: its file stem, the tag it stands for, and its items (indexes into the API's
/// `types` or `operations`, in that order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The Rust module name, which is also the file stem.
    pub name: String,
    /// The tag it holds, if any.
    pub tag: Option<String>,
    /// Indexes of its items.
    pub items: Vec<usize>,
}

/// The modules of both crates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Modules of the models crate, in name order.
    pub types: Vec<Module>,
    /// Modules of the client crate, in name order.
    pub operations: Vec<Module>,
}

/// The layout of `api`, or `None` when it has at most `split_above` types and operations, few
/// enough for one file per crate.
pub fn layout(api: &Api, split_above: usize) -> Option<Layout> {
    if api.types.len() + api.operations.len() <= split_above {
        return None;
    }
    let mut names = ModuleNames::new();
    let op_module: Vec<String> = api
        .operations
        .iter()
        .map(|op| names.of(op.tags.first().map(String::as_str)))
        .collect();

    let index: BTreeMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut type_module: Vec<Option<String>> = vec![None; api.types.len()];
    for (op, module) in api.operations.iter().zip(&op_module) {
        let mut stack = Vec::new();
        for parameter in &op.parameters {
            named_in(&parameter.ty, &mut stack);
        }
        let bodies = op
            .request
            .iter()
            .chain(op.responses.iter().filter_map(|r| r.body.as_ref()));
        for body in bodies {
            if let Some(ty) = &body.ty {
                named_in(ty, &mut stack);
            }
        }
        while let Some(name) = stack.pop() {
            let Some(&i) = index.get(name) else { continue };
            if type_module[i].is_some() {
                continue;
            }
            type_module[i] = Some(module.clone());
            uses(&api.types[i].kind, &mut stack);
        }
    }

    let mut types: BTreeMap<String, Module> = BTreeMap::new();
    for (i, module) in type_module.into_iter().enumerate() {
        let name = module.unwrap_or_else(|| names.of(None));
        types
            .entry(name.clone())
            .or_insert_with(|| names.module(&name))
            .items
            .push(i);
    }
    let mut operations: BTreeMap<String, Module> = BTreeMap::new();
    for (i, name) in op_module.into_iter().enumerate() {
        operations
            .entry(name.clone())
            .or_insert_with(|| names.module(&name))
            .items
            .push(i);
    }
    Some(Layout {
        types: types.into_values().collect(),
        operations: operations.into_values().collect(),
    })
}

/// Module names for tags: snake case, unique, never a name the crate root already uses.
struct ModuleNames {
    scope: Scope,
    by_tag: BTreeMap<Option<String>, String>,
}

impl ModuleNames {
    fn new() -> Self {
        let mut scope = Scope::new();
        // `lib` and `main` are file names cargo gives meaning to; `models` is the client's
        // re-export of the models crate; `shared` is for items without a tag.
        for reserved in ["lib", "main", "models", "tests", "build", SHARED] {
            scope.reserve(reserved);
        }
        ModuleNames {
            scope,
            by_tag: BTreeMap::new(),
        }
    }

    fn of(&mut self, tag: Option<&str>) -> String {
        if let Some(name) = self.by_tag.get(&tag.map(str::to_owned)) {
            return name.clone();
        }
        let name = match tag {
            None => SHARED.to_owned(),
            Some(tag) => {
                let snake = naming::snake(tag);
                // A keyword would need `r#` in `mod` and has no file name of its own.
                let bare = match snake.strip_prefix("r#") {
                    Some(keyword) => format!("{keyword}_"),
                    None => snake,
                };
                self.scope.claim(bare)
            }
        };
        self.by_tag.insert(tag.map(str::to_owned), name.clone());
        name
    }

    fn module(&self, name: &str) -> Module {
        let tag = self
            .by_tag
            .iter()
            .find(|(_, module)| *module == name)
            .and_then(|(tag, _)| tag.clone());
        Module {
            name: name.to_owned(),
            tag,
            items: Vec::new(),
        }
    }
}

/// Pushes the named types `ty` mentions.
fn named_in<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
    match &ty.shape {
        Shape::Named(name) => out.push(name),
        Shape::Array(inner) | Shape::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Pushes the named types a type's definition mentions.
fn uses<'a>(kind: &'a TypeKind, out: &mut Vec<&'a str>) {
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                named_in(&field.ty, out);
            }
            if let Some(additional) = &s.additional {
                named_in(additional, out);
            }
        }
        TypeKind::Alias(ty) => named_in(ty, out),
        TypeKind::Union(u) => {
            for variant in &u.variants {
                for ty in variant.ty.iter() {
                    named_in(ty, out);
                }
                for field in variant.fields.iter().flat_map(|s| &s.fields) {
                    named_in(&field.ty, out);
                }
            }
        }
        TypeKind::Enum(_) => {}
    }
}

/// The named types defined outside `module` that its types mention, sorted: what its `use`
/// line imports.
pub fn imports<'a>(api: &'a Api, module: &Module) -> Vec<&'a str> {
    let inside: std::collections::BTreeSet<&str> = module.items.iter().map(|&i| api.types[i].name.as_str()).collect();
    let mut mentioned = Vec::new();
    for &i in &module.items {
        uses(&api.types[i].kind, &mut mentioned);
    }
    let mut outside: Vec<&str> = mentioned.into_iter().filter(|name| !inside.contains(name)).collect();
    outside.sort_unstable();
    outside.dedup();
    outside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, Docs, Encoding, Field, Method, Operation, Struct, TypeDef};

    fn record(name: &str, fields: &[&str]) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: Docs::default(),
            kind: TypeKind::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|target| Field {
                        wire_name: target.to_lowercase(),
                        rust_name: target.to_lowercase(),
                        ty: Ty::plain(Shape::Array(Box::new(Ty::plain(Shape::Named((*target).into()))))),
                        required: false,
                        docs: Docs::default(),
                        default: None,
                        min_version: None,
                        max_version: None,
                        deprecated: false,
                        boxed: false,
                    })
                    .collect(),
                additional: None,
            }),
            nullable: false,
        }
    }

    fn operation(name: &str, tag: Option<&str>, body: Option<&str>) -> Operation {
        Operation {
            name: name.into(),
            operation_id: name.into(),
            method: Method::Post,
            path: format!("/{name}"),
            origin: String::new(),
            docs: Docs::default(),
            tags: tag.into_iter().map(str::to_owned).collect(),
            parameters: Vec::new(),
            request: body.map(|b| Body {
                media_type: "application/json".into(),
                encoding: Encoding::Json,
                ty: Some(Ty::plain(Shape::Named(b.into()))),
                required: true,
            }),
            responses: Vec::new(),
            deprecated: false,
        }
    }

    #[test]
    fn small_apis_stay_in_one_file() {
        let api = Api {
            types: vec![record("A", &[])],
            operations: vec![operation("a", Some("x"), Some("A"))],
            ..Api::default()
        };
        assert_eq!(layout(&api, SPLIT_ABOVE), None);
    }

    #[test]
    fn types_follow_the_first_operation_that_reaches_them() {
        let mut types = vec![
            record("Disk", &["Tag"]),
            record("Tag", &[]),
            record("Orphan", &[]),
            record("Vm", &["Disk"]),
        ];
        // Padding past the threshold, reached by nobody.
        types.extend((0..SPLIT_ABOVE).map(|i| record(&format!("Pad{i}"), &[])));
        let api = Api {
            types,
            operations: vec![
                operation("attach", Some("Virtual Machines"), Some("Vm")),
                operation("resize", Some("disks"), Some("Disk")),
                operation("ping", None, None),
                operation("lib", Some("lib"), None),
            ],
            ..Api::default()
        };
        let layout = layout(&api, SPLIT_ABOVE).expect("large enough to split");
        let module_of = |type_name: &str| {
            let index = api.types.iter().position(|t| t.name == type_name).expect("type");
            layout
                .types
                .iter()
                .find(|m| m.items.contains(&index))
                .map(|m| m.name.clone())
        };
        // `attach` comes first and reaches Vm, then Disk and Tag through it.
        assert_eq!(module_of("Vm").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Disk").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Tag").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Orphan").as_deref(), Some("shared"));
        let op_modules: Vec<&str> = layout.operations.iter().map(|m| m.name.as_str()).collect();
        // A tag named like a reserved file gets a suffix; untagged operations are `shared`.
        assert_eq!(op_modules, ["disks", "lib_2", "shared", "virtual_machines"]);
        assert_eq!(imports(&api, &layout.types[0]), Vec::<&str>::new());
    }
}
