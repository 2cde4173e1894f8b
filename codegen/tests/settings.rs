//! Settings for a spec the user does not own: from a file beside the spec, or from the flags of
//! `cargo xtask generate --spec` (`GenerateInto`), with mistakes located in the file.

use std::path::Path;

use apigen_codegen::workspace::{GenerateInto, generate_into};
use apigen_codegen::{GenerateError, Settings, generate_models};

/// The OpenStack-style fixture, copied into `dir` without the settings file beside it.
fn bare_spec(dir: &Path) -> std::path::PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clients/openstack_settings.yaml");
    let spec = dir.join("block-storage.yaml");
    std::fs::copy(source, &spec).expect("copy the spec");
    spec
}

fn client_lib(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join(format!("{name}-client/src/lib.rs"))).expect("client lib.rs")
}

#[test]
fn without_settings_the_project_is_an_argument_of_every_call_and_there_is_no_microversion() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_spec(dir.path());
    generate_into(&spec, dir.path(), &GenerateInto::default()).expect("generates");
    let lib = client_lib(dir.path(), "block-storage");
    let signature: String = lib.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        signature.contains("pub fn snapshots_id_get<'a>( &'a self, project_id: &'a str, id: &'a str, )"),
        "{lib}"
    );
    assert!(!lib.contains("pub fn microversion"), "{lib}");
}

#[test]
fn flags_say_what_the_spec_cannot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_spec(dir.path());
    let options = GenerateInto {
        client_defaults: vec!["project_id".to_owned()],
        openstack_service_type: Some("volume".to_owned()),
        ..GenerateInto::default()
    };
    generate_into(&spec, dir.path(), &options).expect("generates");
    let lib = client_lib(dir.path(), "block-storage");
    assert!(
        lib.contains("pub fn snapshots_id_get<'a>(&'a self, id: &'a str)"),
        "{lib}"
    );
    assert!(
        lib.contains("pub fn project_id(mut self, value: &'a str) -> Self"),
        "{lib}"
    );
    assert!(lib.contains("pub const SERVICE_TYPE: &str = \"volume\";"), "{lib}");
    assert!(
        lib.contains("pub fn microversion(mut self, version: &'a str) -> Self"),
        "{lib}"
    );
}

#[test]
fn a_settings_file_beside_the_spec_is_read_and_flags_add_to_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_spec(dir.path());
    std::fs::write(
        dir.path().join("block-storage.apigen.toml"),
        "openstack-service-type = \"volume\"\n",
    )
    .expect("settings");
    let options = GenerateInto {
        client_defaults: vec!["project_id".to_owned()],
        ..GenerateInto::default()
    };
    generate_into(&spec, dir.path(), &options).expect("generates");
    let lib = client_lib(dir.path(), "block-storage");
    assert!(lib.contains("pub const SERVICE_TYPE: &str = \"volume\";"), "{lib}");
    assert!(
        lib.contains("pub fn snapshots_id_get<'a>(&'a self, id: &'a str)"),
        "{lib}"
    );
}

#[test]
fn a_bad_settings_file_is_refused_with_its_line_and_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_spec(dir.path());
    let file = dir.path().join("block-storage.apigen.toml");
    std::fs::write(&file, "client-defaults = [\"project_id\"]\nservice-type = \"volume\"\n").expect("settings");
    let error = generate_into(&spec, dir.path(), &GenerateInto::default()).expect_err("an unknown key");
    let GenerateError::Spec(diagnostics) = error else {
        panic!("expected diagnostics, got {error}")
    };
    let text = diagnostics.to_string();
    assert!(
        text.contains(
            "block-storage.apigen.toml:2: at /service-type: not valid settings: unknown field `service-type`"
        ),
        "{text}"
    );
    assert!(!dir.path().join("block-storage-client").exists(), "nothing is written");

    std::fs::write(&file, "split-above = \"many\"\n").expect("settings");
    let error = generate_into(&spec, dir.path(), &GenerateInto::default()).expect_err("a wrong type");
    assert!(error.to_string().contains("block-storage.apigen.toml:1:"), "{error}");
}

#[test]
fn a_client_default_no_path_has_is_a_warning_where_it_was_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_spec(dir.path());
    let file = dir.path().join("block-storage.apigen.toml");
    std::fs::write(
        &file,
        "# the project\nclient-defaults = [\n  \"project_id\",\n  \"project-id\",\n]\n",
    )
    .expect("settings");
    let settings = Settings::new("b-models")
        .client("b-client")
        .apply_file(&file)
        .expect("settings read");
    let generated = generate_models(&spec, &settings).expect("generates");
    let warnings: Vec<String> = generated.warnings.0.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with("block-storage.apigen.toml:4: at /client-defaults/1: no operation has a path parameter `project-id`, so the client default for it does nothing"),
        "{warnings:?}"
    );
}

/// The selection fixture, copied into `dir` without its settings file.
fn bare_selection_spec(dir: &Path) -> std::path::PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clients/selection.yaml");
    let spec = dir.join("shop.yaml");
    std::fs::copy(source, &spec).expect("copy the spec");
    spec
}

#[test]
fn a_selection_by_flags_generates_the_chosen_operations_and_the_types_they_reach_and_counts_the_rest() {
    use apigen_codegen::workspace::Pick;
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = bare_selection_spec(dir.path());
    let options = GenerateInto {
        include: vec![Pick::Operation("createOrder".into()), Pick::Tag("no-such-tag".into())],
        exclude: vec![Pick::Path("/admin/**".into())],
        ..GenerateInto::default()
    };
    let written = generate_into(&spec, dir.path(), &options).expect("generates");
    let selected = written.selection.expect("a selection");
    assert_eq!(selected.operations, (1, 5));
    // createOrder's Order reaches Pet, and Pet reaches Tag; of the six schemas three are left out.
    assert_eq!(selected.types, (3, 6));
    let models = std::fs::read_to_string(dir.path().join("shop-models/src/lib.rs")).expect("models");
    for kept in ["pub struct Order", "pub struct Pet", "pub struct Tag"] {
        assert!(models.contains(kept), "{kept} is reached");
    }
    for left_out in ["Store", "Audit"] {
        assert!(
            !models.contains(&format!("pub struct {left_out}")),
            "{left_out} is left out"
        );
    }
    let client = client_lib(dir.path(), "shop");
    assert!(client.contains("fn create_order") && !client.contains("fn list_pets"));
    // A pattern that selects nothing is most likely a typo: said, with where.
    let warnings = written.warnings.to_string();
    assert!(
        warnings.contains("`--include-tag no-such-tag` selects no operation of this spec"),
        "{warnings}"
    );
    // Without a selection there is nothing to report.
    let all = generate_into(&spec, dir.path(), &GenerateInto::default()).expect("generates");
    assert!(all.selection.is_none());
}
