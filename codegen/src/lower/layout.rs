//! How a crate's items are spread over files.
//!
//! A small API stays in one `lib.rs`, which reads best. A large one gets a module per tag, so that
//! no file is a wall nobody can review: operations go to the module of their first tag, and each
//! type to the module of the first operation (in name order) that uses it, directly or through
//! other types; types no operation uses go to `shared`. Everything is re-exported at the crate
//! root, so paths stay `models::Type` and `client::Builder` whatever the layout.

use std::collections::BTreeMap;

use crate::ir::{Api, Layout, Module, Name};
use crate::naming::{self, Scope};

/// Above this many types and operations together, a crate is split into modules.
pub const SPLIT_ABOVE: usize = 120;

/// The module for items that belong to no tag.
const SHARED: &str = "shared";

/// The layout of `api`, or `None` when it has at most `split_above` types and operations, few
/// enough for one file per crate.
pub fn layout(api: &Api, split_above: usize) -> Option<Layout> {
    if api.types.len() + api.operations.len() <= split_above {
        return None;
    }
    let mut names = ModuleNames::new();
    let op_module: Vec<Name> = api
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
    let mut type_module: Vec<Option<Name>> = vec![None; api.types.len()];
    for (op, module) in api.operations.iter().zip(&op_module) {
        let mut stack = Vec::new();
        op.push_named(&mut stack);
        while let Some(name) = stack.pop() {
            let Some(&i) = index.get(name) else { continue };
            if type_module[i].is_some() {
                continue;
            }
            type_module[i] = Some(module.clone());
            api.types[i].kind.push_named(&mut stack);
        }
    }

    let mut types: BTreeMap<Name, Module> = BTreeMap::new();
    for (i, module) in type_module.into_iter().enumerate() {
        let name = module.unwrap_or_else(|| names.of(None));
        types
            .entry(name.clone())
            .or_insert_with(|| names.module(&name))
            .items
            .push(i);
    }
    let mut operations: BTreeMap<Name, Module> = BTreeMap::new();
    for (i, name) in op_module.into_iter().enumerate() {
        operations
            .entry(name.clone())
            .or_insert_with(|| names.module(&name))
            .items
            .push(i);
    }
    let mut types: Vec<Module> = types.into_values().collect();
    for module in &mut types {
        module.imports = imports(api, module);
    }
    Some(Layout {
        types,
        operations: operations.into_values().collect(),
    })
}

/// Module names for tags: snake case, unique, never a name the crate root already uses.
struct ModuleNames {
    scope: Scope,
    by_tag: BTreeMap<Option<String>, Name>,
}

impl ModuleNames {
    fn new() -> Self {
        let mut scope = Scope::new();
        // `lib` and `main` are file names cargo gives meaning to; `models` is the client's
        // re-export of the models crate; `shared` is for items without a tag.
        for reserved in ["lib", "main", "models", "tests", "build", "middleware", SHARED] {
            scope.reserve(reserved);
        }
        ModuleNames {
            scope,
            by_tag: BTreeMap::new(),
        }
    }

    fn of(&mut self, tag: Option<&str>) -> Name {
        if let Some(name) = self.by_tag.get(&tag.map(str::to_owned)) {
            return name.clone();
        }
        let name = match tag {
            None => Name::plain(SHARED),
            Some(tag) => self.scope.claim(naming::module(tag)),
        };
        self.by_tag.insert(tag.map(str::to_owned), name.clone());
        name
    }

    fn module(&self, name: &Name) -> Module {
        let tag = self
            .by_tag
            .iter()
            .find(|(_, module)| *module == name)
            .and_then(|(tag, _)| tag.clone());
        Module {
            name: name.clone(),
            tag,
            items: Vec::new(),
            imports: Vec::new(),
        }
    }
}

/// The named types defined outside `module` that its types mention, sorted: what its `use`
/// line imports.
fn imports(api: &Api, module: &Module) -> Vec<Name> {
    let inside: std::collections::BTreeSet<&str> = module.items.iter().map(|&i| api.types[i].name.as_str()).collect();
    let mut mentioned = Vec::new();
    for &i in &module.items {
        api.types[i].kind.push_named(&mut mentioned);
    }
    mentioned.retain(|name| !inside.contains(name));
    mentioned.sort_unstable();
    mentioned.dedup();
    let by_name: BTreeMap<&str, &Name> = api.types.iter().map(|t| (t.name.as_str(), &t.name)).collect();
    mentioned
        .into_iter()
        .filter_map(|name| by_name.get(name).map(|n| (*n).clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, Docs, Encoding, Field, Method, Operation, Outcome, Shape, Struct, Ty, TypeDef, TypeKind};

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
                        name: Name::plain(target.to_lowercase()),
                        renamed: false,
                        setter: Some(Name::plain(format!("with_{}", target.to_lowercase()))),
                        ty: Ty::plain(Shape::Array(Box::new(Ty::plain(Shape::Named((*target).into()))))),
                        required: false,
                        docs: Docs::default(),
                        default: None,
                        min_version: None,
                        max_version: None,
                        deprecated: false,
                        boxed: false,
                        access: Default::default(),
                    })
                    .collect(),
                additional: None,
                builder: None,
            }),
            nullable: false,
        }
    }

    fn operation(name: &str, tag: Option<&str>, body: Option<&str>) -> Operation {
        Operation {
            security: Default::default(),
            auth_field: None,
            name: name.into(),
            builder: Name::plain(name.to_uppercase()),
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
                examples: Vec::new(),
            }),
            responses: Vec::new(),
            successes: Outcome::Undocumented,
            failures: Outcome::Undocumented,
            deprecated: false,
            server: Default::default(),
            cli: Default::default(),
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
            let index = api
                .types
                .iter()
                .position(|t| t.name.as_str() == type_name)
                .expect("type");
            layout
                .types
                .iter()
                .find(|m| m.items.contains(&index))
                .map(|m| m.name.as_str().to_owned())
        };
        // `attach` comes first and reaches Vm, then Disk and Tag through it.
        assert_eq!(module_of("Vm").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Disk").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Tag").as_deref(), Some("virtual_machines"));
        assert_eq!(module_of("Orphan").as_deref(), Some("shared"));
        let op_modules: Vec<&str> = layout.operations.iter().map(|m| m.name.as_str()).collect();
        // A tag named like a reserved file gets a suffix; untagged operations are `shared`.
        assert_eq!(op_modules, ["disks", "lib_2", "shared", "virtual_machines"]);
        assert_eq!(layout.types[0].imports, Vec::<Name>::new());
    }
}
