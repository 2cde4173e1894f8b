//! The client emitter's constructs, over real HTTP, through the golden fixture client
//! (`codegen/tests/fixtures/clients/operations.yaml`): success and error bodies typed per status,
//! status ranges and `default`, query arrays, header and cookie parameters, integer path
//! parameters, an optional body and a 204.

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
