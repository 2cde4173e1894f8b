//! What the generator decides for the defect classes found on the OpenStack services' own specs,
//! read from its output: names that never meet, examples linked to their operations, prose
//! neutralised wherever it lands. (Their behaviour over HTTP is in `conformance/tests/unseen_specs.rs`.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apigen_codegen::{Settings, generate_models};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/clients/{name}.yaml"))
}

/// The generated files of a client fixture, by path.
fn generate(name: &str) -> BTreeMap<String, String> {
    let settings = Settings::new(format!("{name}-models")).client(format!("{name}-client"));
    let generated = generate_models(&fixture(name), &settings).unwrap_or_else(|e| panic!("{name}: {e}"));
    generated
        .files
        .into_iter()
        .map(|file| (file.path.to_string_lossy().replace('\\', "/"), file.contents))
        .collect()
}

/// The names of a file's top-level items and of the methods of its `impl` blocks, by block.
fn names(source: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let file = syn::parse_file(source).expect("generated Rust parses");
    let mut items = Vec::new();
    let mut methods = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => items.push(s.ident.to_string()),
            syn::Item::Enum(e) => items.push(e.ident.to_string()),
            syn::Item::Type(t) => items.push(t.ident.to_string()),
            syn::Item::Fn(f) => items.push(f.sig.ident.to_string()),
            syn::Item::Const(c) => items.push(c.ident.to_string()),
            syn::Item::Use(u) => {
                if let syn::UseTree::Path(path) = &u.tree
                    && let syn::UseTree::Group(group) = &*path.tree
                {
                    for each in &group.items {
                        if let syn::UseTree::Name(name) = each {
                            items.push(name.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() => methods.push(
                block
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => {}
        }
    }
    (items, methods)
}

fn duplicates(names: &[String]) -> Vec<&String> {
    let mut seen = std::collections::BTreeSet::new();
    names.iter().filter(|name| !seen.insert(*name)).collect()
}

#[test]
fn operation_ids_that_differ_in_punctuation_get_names_of_their_own() {
    let files = generate("operation_ids");
    let lib = &files["operation_ids-client/src/lib.rs"];
    let (items, methods) = names(lib);
    assert!(duplicates(&items).is_empty(), "{:?} in {items:?}", duplicates(&items));
    for block in &methods {
        assert!(duplicates(block).is_empty(), "{:?} in {block:?}", duplicates(block));
    }
    for expected in [
        "Client",
        "Client2",
        "Config2",
        "GetUser",
        "GetUser2",
        "GetUser3",
        "GetUserSuccess",
        "GetUserSuccess2",
    ] {
        assert!(items.iter().any(|item| item == expected), "no {expected} in {items:?}");
    }
    // A parameter named like a builder's own member (`send`, `body`) takes another name.
    assert!(lib.contains("pub fn send_2(mut self, value: bool)"), "{lib}");
    assert!(lib.contains("pub fn body_2(mut self, value: &'a str)"), "{lib}");
}

#[test]
fn every_client_fixture_has_distinct_item_and_method_names() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clients");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let Some(stem) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|_| path.extension().is_some_and(|e| e == "yaml"))
        else {
            continue;
        };
        for (file, text) in generate(stem).iter().filter(|(file, _)| file.ends_with(".rs")) {
            let (items, methods) = names(text);
            assert!(duplicates(&items).is_empty(), "{file}: {:?}", duplicates(&items));
            for block in &methods {
                assert!(duplicates(block).is_empty(), "{file}: {:?}", duplicates(block));
            }
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} client fixtures");
}

#[test]
fn a_shared_request_body_keeps_its_example_in_every_operation_and_is_tested_once() {
    let files = generate("shared_request_body");
    let lib = &files["shared_request_body-client/src/lib.rs"];
    let doctests = lib.matches(".with_name(\"nightly\")").count();
    assert_eq!(
        doctests, 2,
        "each operation's doctest builds the documented body:\n{lib}"
    );
    assert!(!lib.contains("json!(null)"), "{lib}");
    let examples = &files["shared_request_body-models/tests/examples.rs"];
    assert_eq!(examples.matches("#[test]").count(), 1, "{examples}");
}

#[test]
fn prose_that_rustdoc_reads_as_links_is_neutralised_in_parameter_docs() {
    let files = generate("link_like_prose");
    let lib = &files["link_like_prose-client/src/lib.rs"];
    assert!(lib.contains(r"< key > \[: < direction > \]"), "{lib}");
    assert!(lib.contains(r"Unset \<name> property"), "{lib}");
    assert!(
        lib.contains("<http://www.w3.org/TR/cors/#simple-response-header>"),
        "{lib}"
    );
    assert!(lib.contains(r"\<container>/\<object>, or a link."), "{lib}");
    // The fence after a list marker is not a doctest.
    assert!(lib.contains("~~~text"), "{lib}");
}

#[test]
fn operations_without_responses_return_bytes_and_say_so() {
    let files = generate("no_responses");
    let lib = &files["no_responses-client/src/lib.rs"];
    assert!(
        lib.contains("Result<Response<::apigen_runtime::client::Bytes>, Error<Undocumented>>"),
        "{lib}"
    );
    assert!(lib.contains("200..=299 => response.bytes(),"), "{lib}");
    assert!(lib.contains("No success response is documented"), "{lib}");
}

#[test]
fn path_parameters_follow_the_template_with_located_warnings() {
    let settings = Settings::new("p-models").client("p-client");
    let generated = generate_models(&fixture("path_parameters"), &settings).expect("generates");
    let warnings: Vec<String> = generated.warnings.0.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains(":11: at /paths/~1projects~1{project_id}~1volumes~1{volume_id}~1snapshots~1{snapshot_id}: `{volume_id}` in the path has no path parameter"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains(":17: at /paths/~1projects~1{project_id}~1volumes~1{volume_id}~1snapshots~1{snapshot_id}/get/parameters/2/name: the path `/projects/{project_id}/volumes/{volume_id}/snapshots/{snapshot_id}` has no `{backup_id}`"),
        "{warnings:?}"
    );
}
