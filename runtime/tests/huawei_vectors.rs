//! The signer reproduces, byte for byte, every vector in `../shared/vectors/huawei-signing.json`,
//! which were produced by Huawei Cloud's official Python SDK: every intermediate step, the
//! `Authorization` header, the headers the signer adds (in order), and the query string on the wire.
#![cfg(feature = "client")]

use std::path::Path;

use apigen_runtime::client::sign::{SigningInput, canonical_query, sign};
use serde_json::Value;

fn vectors() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/huawei-signing.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the vectors live in ../shared/vectors)", path.display()));
    serde_json::from_str(&text).expect("the vectors file is JSON")
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// `[["ids", ["b", "a"]], ["limit", 10]]` as pairs, one per list item.
fn query(value: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for pair in value.as_array().expect("query_params is a list") {
        let key = pair[0].as_str().expect("a query key is a string").to_owned();
        match &pair[1] {
            Value::Array(items) => pairs.extend(items.iter().map(|item| (key.clone(), text(item)))),
            Value::Null => {}
            other => pairs.push((key, text(other))),
        }
    }
    pairs
}

fn headers(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .expect("headers are an object")
        .iter()
        .map(|(name, value)| (name.clone(), text(value)))
        .collect()
}

#[test]
fn every_vector_is_reproduced_byte_for_byte() {
    let vectors = vectors();
    assert_eq!(vectors["algorithm"], "SDK-HMAC-SHA256");
    let list = vectors["vectors"].as_array().expect("a list of vectors");
    assert!(
        list.len() >= 13,
        "expected the 13 published vectors, found {}",
        list.len()
    );
    for vector in list {
        let name = vector["name"].as_str().expect("named");
        let input = &vector["input"];
        let query = query(&input["query_params"]);
        let headers = headers(&input["headers"]);
        let body = input["body"].as_str().map(str::as_bytes);
        let date = vectors["fixed"]["x_sdk_date"].as_str().expect("fixed date");
        let signed = sign(
            input["ak"].as_str().expect("ak"),
            input["sk"].as_str().expect("sk"),
            date,
            &SigningInput {
                method: input["method"].as_str().expect("method"),
                host: input["host"].as_str().expect("host"),
                path: input["resource_path"].as_str().expect("path"),
                query: &query,
                headers: &headers,
                body,
            },
        );
        let expected = &vector["intermediate"];
        let signed_headers: Vec<&str> = expected["signed_headers"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(signed.signed_headers, signed_headers, "{name}: signed headers");
        assert_eq!(signed.payload_hash, expected["payload_sha256"], "{name}: payload hash");
        assert_eq!(
            signed.canonical_request, expected["canonical_request"],
            "{name}: canonical request"
        );
        assert_eq!(
            signed.string_to_sign, expected["string_to_sign"],
            "{name}: string to sign"
        );
        assert_eq!(signed.signature, expected["signature"], "{name}: signature");

        let output = &vector["output"];
        assert_eq!(
            signed.authorization(),
            output["authorization"].as_str(),
            "{name}: Authorization"
        );
        let added: Vec<(String, String)> = headers_of(&output["headers_added_by_signer"]);
        assert_eq!(
            signed.added_headers, added,
            "{name}: headers added by the signer, in order"
        );
        assert_eq!(
            signed.headers,
            headers_of(&output["final_headers"]),
            "{name}: final headers, in order"
        );

        let path = input["resource_path"].as_str().expect("path");
        let wire_query = canonical_query(&query);
        let wire = if wire_query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{wire_query}")
        };
        assert_eq!(wire, output["request_uri_on_wire"], "{name}: request URI on the wire");
    }
}

fn headers_of(value: &Value) -> Vec<(String, String)> {
    headers(value)
}
