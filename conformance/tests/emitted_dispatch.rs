//! The client emitter's constructs, over real HTTP, through the golden fixture client
//! (`codegen/tests/fixtures/clients/operations.yaml`): success and error bodies typed per status,
//! status ranges and `default`, query arrays, header and cookie parameters, integer path
//! parameters, an optional body and a 204; form, multipart, text and byte bodies both ways.

use apigen_runtime::client::{Config, Credentials, Error, ErrorBody};
use fixture_operations_client::{Client, PutItemErrorBody, PutItemSuccess, models};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::new(Config::new(format!("{}/api", server.uri())).credentials(Credentials::token("t"))).expect("client")
}

#[tokio::test]
async fn each_success_status_decodes_into_its_own_variant() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/items/7"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 7})))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let item = models::Item::new("seven");

    let response = client.put_item(7).body(&item).await.expect("created");

    assert_eq!(response.status, 201);
    assert_eq!(
        response.body,
        PutItemSuccess::Status201(models::Created::new().with_id(7))
    );
    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[0].body).expect("json"),
        json!({"name": "seven"})
    );
}

#[tokio::test]
async fn each_error_status_decodes_into_its_own_variant_and_default_keeps_text() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/items/1"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"current": {"name": "one"}})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/items/2"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let conflict = client.put_item(1).await.expect_err("409");
    match conflict.api_body() {
        Some(PutItemErrorBody::Status409(body)) => {
            assert_eq!(body.current.as_ref().map(|c| c.name.as_str()), Some("one"))
        }
        other => panic!("{other:?}"),
    }
    let other = client.put_item(2).await.expect_err("500");
    assert!(
        matches!(&other, Error::Api { status: 500, body: ErrorBody::Text(text), .. } if text == "boom"),
        "{other:?}"
    );
}

#[tokio::test]
async fn query_header_and_cookie_parameters_arrive_and_ranges_match() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/items"))
        .and(query_param("limit", "2"))
        .and(query_param("marker", "m 1"))
        .and(header("x-trace", "trace-1"))
        .and(header("cookie", "session=s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"name": "a"}, {"name": "b", "size": 3}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/items"))
        .and(query_param("limit", "0"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"message": "limit"})))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let items = client
        .list_items(2)
        .marker("m 1")
        .tags(vec!["b".to_owned(), "a".to_owned()])
        .x_trace("trace-1")
        .session("s1")
        .await
        .expect("listed");
    assert_eq!(items.body.len(), 2);
    assert_eq!(items.body[1].size, Some(3));
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received[0].url.query(), Some("limit=2&marker=m%201&tags=a&tags=b"));

    let error = client.list_items(0).await.expect_err("4XX");
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.api_body().and_then(|p| p.message.as_deref()), Some("limit"));
}

#[tokio::test]
async fn a_204_without_a_body_is_an_empty_success() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/items/9"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let response = client.delete_items_item_id(9).await.expect("deleted");
    assert_eq!((response.status, response.body), (204, ()));
}

#[tokio::test]
async fn a_form_body_is_urlencoded_and_validated_first() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/forms"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let login = models::Login::new("ann lee").with_remember(true);
    client.submit_form(&login).await.expect("accepted");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        std::str::from_utf8(&received[0].body).expect("text"),
        "user=ann+lee&remember=true"
    );

    // `user` has minLength 1: nothing is sent.
    let error = client
        .submit_form(&models::Login::new(""))
        .await
        .expect_err("too short");
    assert!(matches!(error, Error::InvalidInput(_)), "{error}");
    assert_eq!(server.received_requests().await.expect("recording").len(), 1);
}

#[tokio::test]
async fn a_multipart_body_has_a_part_per_property() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/uploads"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = client(&server).await;
    // A file that is not UTF-8, with CR LF inside: it must arrive byte for byte.
    let file = vec![0x89u8, b'P', b'N', b'G', b'\r', b'\n', 0x1a, 0xff, 0x00];
    let upload = models::UploadPartsRequest::new("report")
        .with_labels(vec!["a".to_owned(), "b".to_owned()])
        .with_meta(std::collections::BTreeMap::from([("pages".to_owned(), 3)]))
        .with_attachment(file.clone());

    client.upload_parts(&upload).await.expect("stored");

    let received = server.received_requests().await.expect("recording");
    let content_type = received[0]
        .headers
        .get("content-type")
        .expect("content type")
        .to_str()
        .expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a boundary");
    // Parsed by hand, independently of the runtime's writer: split the bytes on the boundary
    // line, then each part into its headers and its content.
    let body = &received[0].body;
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut rest = body
        .strip_prefix(format!("--{boundary}").as_bytes())
        .expect("starts with the boundary");
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(at) = rest.windows(delimiter.len()).position(|w| w == delimiter.as_slice()) {
        let part = rest[..at]
            .strip_prefix(b"\r\n")
            .expect("a line break after the boundary");
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
        parts.push((
            String::from_utf8(part[..split].to_vec()).expect("ascii headers"),
            part[split + 4..].to_vec(),
        ));
        rest = &rest[at + delimiter.len()..];
    }
    assert_eq!(rest, b"--\r\n", "the closing boundary ends the body");
    let named = |name: &str| -> Vec<Vec<u8>> {
        parts
            .iter()
            .filter(|(headers, _)| headers.contains(&format!("name=\"{name}\"")))
            .map(|(_, content)| content.clone())
            .collect()
    };
    assert_eq!(named("title"), [b"report".to_vec()]);
    assert_eq!(named("labels"), [b"a".to_vec(), b"b".to_vec()]);
    assert_eq!(named("meta"), [br#"{"pages":3}"#.to_vec()]);
    assert_eq!(named("attachment"), [file]);
    let attachment = &parts
        .iter()
        .find(|(h, _)| h.contains("name=\"attachment\""))
        .expect("a file part")
        .0;
    assert!(attachment.contains("filename=\"attachment\""), "{attachment}");
    assert!(
        attachment.contains("Content-Type: application/octet-stream"),
        "{attachment}"
    );
    assert_eq!(parts.len(), 5);

    // `maxLength` of a binary property counts bytes, and is checked before anything is sent.
    let too_big = models::UploadPartsRequest::new("big").with_attachment(vec![0u8; 65]);
    let error = client.upload_parts(&too_big).await.expect_err("65 bytes");
    assert!(
        error
            .to_string()
            .contains("/attachment: is 65 bytes long; the maximum is 64"),
        "{error}"
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1,
        "nothing more sent"
    );
}

#[tokio::test]
async fn bytes_go_up_as_octet_stream_and_text_and_bytes_come_back() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/blobs/a%20b"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_string("receipt 42"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/blobs/x"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 159, 146, 150]))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let receipt = client.put_blob("a b", &[1, 2, 255]).await.expect("stored");
    assert_eq!(receipt.body, "receipt 42");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received[0].body, vec![1, 2, 255]);

    // Not UTF-8, and not meant to be: the bytes arrive as sent.
    let blob = client.get_blob("x").await.expect("bytes");
    assert_eq!(&blob.body[..], &[0u8, 159, 146, 150]);
}

#[tokio::test]
async fn accept_names_the_documented_response_types_unless_a_parameter_does() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server).await;

    client.put_blob("b", b"x").await.expect("text back");
    client.get_blob("b").await.expect("bytes back");
    client.get_blob("b").accept("image/png").await.expect("bytes back");
    client.list_items(5).await.expect("json back");

    let received = server.received_requests().await.expect("recording");
    let accepts: Vec<Vec<&str>> = received
        .iter()
        .map(|r| {
            r.headers
                .get_all("accept")
                .iter()
                .map(|v| v.to_str().expect("text"))
                .collect()
        })
        .collect();
    assert_eq!(
        accepts,
        [
            vec!["text/plain"],
            vec!["*/*"],
            vec!["image/png"],
            vec!["application/json"]
        ]
    );
}

#[tokio::test]
async fn an_optional_text_body_is_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/notes"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server).await;

    client.post_note().await.expect("no body");
    client.post_note().body("# Title").await.expect("with a body");

    let received = server.received_requests().await.expect("recording");
    assert!(received[0].body.is_empty());
    assert!(received[0].headers.get("content-type").is_none());
    assert_eq!(received[1].body, b"# Title");
    assert_eq!(received[1].headers.get("content-type").expect("set"), "text/markdown");
}

#[tokio::test]
async fn a_text_response_that_is_not_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/blobs/bad"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0xff, 0xfe]))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let error = client.put_blob("bad", b"x").await.expect_err("not text");
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error}");
}

#[tokio::test]
async fn arrays_follow_their_style_exploded_joined_or_delimited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server).await;

    client
        .list_items(1)
        .ids(vec![3, 1])
        .words(vec!["red fox".to_owned(), "owl".to_owned()])
        .x_flags(vec!["new".to_owned(), "hot".to_owned()])
        .await
        .expect("listed");

    let received = server.received_requests().await.expect("recording");
    let pairs: Vec<(String, String)> = received[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(pairs.contains(&("ids".to_owned(), "3,1".to_owned())), "{pairs:?}");
    assert!(
        pairs.contains(&("words".to_owned(), "red fox owl".to_owned())),
        "{pairs:?}"
    );
    assert_eq!(
        pairs.iter().filter(|(k, _)| k == "ids").count(),
        1,
        "explode: false is one parameter"
    );
    let flags: Vec<&str> = received[0]
        .headers
        .get_all("x-flags")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(flags, ["new,hot"], "a header array is one comma-joined value");
}

/// A crate split into a module per tag works like a flat one: paths stay at the crate root.
#[tokio::test]
async fn a_client_split_by_tag_calls_across_modules() {
    use fixture_split_by_tag_client::models::{Attachment, Disk, DiskState};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/instances/i%201"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "d1", "state": "attached"})))
        .mount(&server)
        .await;
    let client = fixture_split_by_tag_client::Client::new(Config::new(server.uri())).expect("client");

    let disk = client
        .attach_disk("i 1", &Attachment::new(Disk::new("d1")))
        .await
        .expect("attached");
    assert_eq!(disk.body.state, Some(DiskState::Attached));
    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[0].body).expect("json"),
        json!({"disk": {"name": "d1"}})
    );

    let too_long = Attachment::new(Disk::new("a name too long"));
    assert!(matches!(
        client.attach_disk("i 1", &too_long).await,
        Err(Error::InvalidInput(_))
    ));
}
