//! The specs hold every example the source documents show, unchanged.
//!
//! This reads the documents themselves (`../shared/docs/`), pulls out every JSON object they
//! contain, and finds each one among the examples of the spec that transcribes that document. It
//! shares no code with the generator, so a transcription slip cannot hide behind a generator slip.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Every JSON object in `text`: each `{` is tried as the start of one, and a parsed object is skipped
/// whole. Path templates such as `{project_id}` do not parse and are passed over.
fn json_objects(text: &str) -> Vec<Value> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while let Some(offset) = text[start..].find('{') {
        let open = start + offset;
        match balanced_end(bytes, open)
            .and_then(|end| Some((end, serde_json::from_str::<Value>(&text[open..end]).ok()?)))
        {
            Some((end, value)) if value.is_object() => {
                found.push(value);
                start = end;
            }
            _ => start = open + 1,
        }
    }
    found
}

/// The index just past the `}` that closes the `{` at `open`, minding JSON strings.
fn balanced_end(bytes: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every `value` of every media-type example in a spec.
fn spec_examples(spec: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    collect(spec, &mut out);
    out
}

fn collect(node: &Value, out: &mut Vec<Value>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(examples)) = map.get("examples") {
                out.extend(examples.values().filter_map(|e| e.get("value")).cloned());
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

#[test]
fn every_example_in_the_documents_is_in_its_spec() {
    let root = workspace();
    let docs = root.join("../shared/docs");
    let cases = [
        ("dws-create-snapshot.txt", "dws.yaml", 2),
        ("dws-copy-snapshot.txt", "dws.yaml", 2),
        ("evs-v5-create-snapshot.txt", "evs.yaml", 3),
        ("evs-v2-update-snapshot.txt", "evs.yaml", 4),
        ("block-storage-v3-create-snapshot.txt", "block-storage.yaml", 2),
    ];
    let mut missing = Vec::new();
    for (document, spec, expected) in cases {
        let text = std::fs::read_to_string(docs.join(document))
            .unwrap_or_else(|e| panic!("{document}: {e} (the documents live in ../shared/docs)"));
        let spec_text = std::fs::read_to_string(root.join("spec").join(spec)).expect("spec");
        let spec_value: Value = serde_yaml::from_str(&spec_text).expect("spec parses");
        let examples = spec_examples(&spec_value);
        let shown = json_objects(&text);
        assert_eq!(
            shown.len(),
            expected,
            "{document}: expected {expected} JSON examples, found {shown:#?}"
        );
        for value in shown {
            if !examples.contains(&value) {
                missing.push(format!("{document}: {value}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "examples shown in the documents but not in the specs:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_extractor_skips_path_templates_and_finds_nested_objects() {
    let text = "POST /v1/{project_id}/x\n{ \"a\": {\"b\": \"}\"} }\ncurl -d ' { \"c\": 1 }' https://{host}";
    assert_eq!(
        json_objects(text),
        [serde_json::json!({"a": {"b": "}"}}), serde_json::json!({"c": 1})]
    );
}
