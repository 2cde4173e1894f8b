//! The defect classes found by trying the OpenStack services' own specs, over real HTTP, through
//! their golden fixture clients (`codegen/tests/fixtures/clients/`): operations without responses,
//! path templates that disagree with their parameters, operationIds that differ only in
//! punctuation, a shared request body, JSON bodies of every integer width, and settings given
//! beside a spec the user cannot edit.

use apigen_runtime::client::{Config, Error, InvalidInput};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(server: &MockServer) -> Config {
    Config::new(server.uri())
}

#[tokio::test]
async fn an_operation_without_responses_returns_a_success_as_it_came() {
    use fixture_no_responses_client::Client;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/zones/tasks/imports/z1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"status":"COMPLETE"}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/zones/tasks/imports/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such import"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/clustertemplates/t1"))
        .and(body_json(json!([{"op": "replace", "path": "/name", "value": "big"}])))
        .respond_with(ResponseTemplate::new(202).set_body_string("accepted"))
        .mount(&server)
        .await;
    let client = Client::new(config(&server)).expect("client");

    let response = client
        .zones_tasks_imports_zone_import_id_get("z1")
        .await
        .expect("a 200");
    assert_eq!(response.status, 200);
    assert_eq!(&response.body[..], br#"{"status":"COMPLETE"}"#);

    let missing = client
        .zones_tasks_imports_zone_import_id_get("gone")
        .await
        .expect_err("a 404");
    assert!(
        matches!(&missing, Error::UnexpectedStatus { status: 404, excerpt, .. } if excerpt == "no such import"),
        "{missing:?}"
    );

    let patch: Vec<fixture_no_responses_client::models::ClustertemplatesClustertemplateIdPatchRequestItem> =
        serde_json::from_value(json!([{"op": "replace", "path": "/name", "value": "big"}])).expect("patch");
    let response = client
        .clustertemplates_clustertemplate_id_patch("t1", &patch)
        .await
        .expect("a 202");
    assert_eq!((response.status, &response.body[..]), (202, &b"accepted"[..]));
}

#[tokio::test]
async fn an_operation_that_documents_only_errors_returns_its_success_body_too() {
    use fixture_no_responses_client::Client;
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/certificates/b1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/certificates/b2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no bay"})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server)).expect("client");
    let done = client.certificates_bay_uuid_delete("b1").await.expect("a 204");
    assert_eq!((done.status, done.body.len()), (204, 0));
    let error = client.certificates_bay_uuid_delete("b2").await.expect_err("a 404");
    assert_eq!(
        error.api_body().and_then(|body| body.message.as_deref()),
        Some("no bay")
    );
}

#[tokio::test]
async fn a_path_placeholder_without_a_parameter_is_filled_and_a_parameter_the_path_lacks_is_not_taken() {
    use fixture_path_parameters_client::Client;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/p1/volumes/v%2F1/snapshots/7"))
        .and(query_param("volume_id", "q"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s7"})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server)).expect("client");
    // `{volume_id}` has no path parameter in the spec: it is the third argument (named
    // `volume_id_2`, since the query parameter `volume_id` took the name first); `backup_id` is
    // a path parameter the template does not have, so the call has no place for it.
    let response = client
        .get_snapshot("p1", 7, "v/1")
        .volume_id("q")
        .await
        .expect("the request reaches the templated path");
    assert_eq!(response.body.id.as_deref(), Some("s7"));
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1);
    assert!(!received[0].url.path().contains('{'), "{}", received[0].url);
}

#[tokio::test]
async fn operation_ids_that_differ_in_punctuation_each_reach_their_own_operation() {
    use fixture_operation_ids_client::{Client, GetUserSuccess2};
    let server = MockServer::start().await;
    let routes = [
        ("GET", "/users/u1", 202),
        ("PUT", "/users/u1", 204),
        ("GET", "/users/u1/profile", 204),
        ("POST", "/users/u1/profile", 204),
        ("GET", "/client", 204),
        ("GET", "/config", 204),
        ("POST", "/new", 204),
    ];
    for (verb, route, status) in routes {
        let response = if status == 202 {
            ResponseTemplate::new(202).set_body_json(json!({"eta": 3}))
        } else {
            ResponseTemplate::new(status)
        };
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::new(config(&server)).expect("client");
    // `get-user` has two success bodies: its enum yields its name to `getUserSuccess`'s builder.
    let pending = client.get_user("u1").send_2(true).body_2("b").await.expect("get-user");
    assert!(matches!(pending.body, GetUserSuccess2::Status202(ref p) if p.eta == Some(3)));
    client.get_user_2("u1").await.expect("get_user");
    client.get_user_3("u1").await.expect("GetUser");
    client.get_user_success("u1").await.expect("getUserSuccess");
    client.client().await.expect("client");
    client.config_2().await.expect("config");
    client.new_2().await.expect("new");
    let received = server.received_requests().await.expect("recording");
    let query = received[0].url.query().unwrap_or_default();
    assert!(query.contains("send=true") && query.contains("body=b"), "{query}");
}

#[tokio::test]
async fn a_shared_request_body_sends_its_documented_example_from_both_operations() {
    use fixture_shared_request_body_client::{Client, models};
    let documented =
        json!({"snapshot": {"volume_id": "5aa119a8-d25b-45a7-8d1b-88e127885635", "name": "nightly", "force": true}});
    let server = MockServer::start().await;
    for route in ["/snapshots", "/projects/p1/snapshots"] {
        Mock::given(method("POST"))
            .and(path(route))
            .and(body_json(documented.clone()))
            .respond_with(ResponseTemplate::new(202))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::new(config(&server)).expect("client");
    // As both doctests build it.
    let body = models::SnapshotCreate::new(
        models::SnapshotCreateSnapshot::new("5aa119a8-d25b-45a7-8d1b-88e127885635")
            .with_name("nightly")
            .with_force(true),
    );
    client.create_snapshot(&body).await.expect("the first operation");
    client
        .create_project_snapshot("p1", &body)
        .await
        .expect("the second operation");
}

#[tokio::test]
async fn integer_bodies_of_every_width_are_sent_checked_and_decoded() {
    use fixture_integer_bodies_client::Client;
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/i8"))
        .and(body_json(json!(-7)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(-7)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/u64"))
        .and(body_json(json!(u64::MAX)))
        .respond_with(ResponseTemplate::new(200).set_body_string(u64::MAX.to_string()))
        .mount(&server)
        .await;
    for route in ["/i16", "/u8", "/u16s", "/u32", "/u64s", "/names"] {
        Mock::given(path(route))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
    }
    let client = Client::new(config(&server)).expect("client");

    assert_eq!(client.put_i8(&-7).await.expect("i8").body, -7_i8);
    assert_eq!(client.post_u64(&u64::MAX).await.expect("u64").body, u64::MAX);
    client.put_i16(&-300).await.expect("i16");
    client.put_u8(&255).await.expect("u8");
    client.put_u16s(&vec![1, 1000]).await.expect("u16s");
    client.put_u32().body(&8).await.expect("u32");
    client.put_u32().await.expect("u32 without a body");
    client.post_u64s(&vec![0, u64::MAX]).await.expect("u64s");
    client.post_name("abcd").await.expect("name");

    // Documented bounds are checked before anything is sent.
    let refused = |error: Error<_>| match error {
        Error::InvalidInput(InvalidInput::Validation(error)) => {
            error.violations.iter().map(ToString::to_string).collect::<Vec<_>>()
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    let sent_before = server.received_requests().await.expect("recording").len();
    assert_eq!(
        refused(client.put_i8(&11).await.expect_err("above the maximum")),
        ["/: is 11; the maximum is 10"]
    );
    assert_eq!(
        refused(
            client
                .put_u16s(&vec![1, 2, 3, 2000])
                .await
                .expect_err("too many, too large")
        ),
        ["/: has 4 items; the maximum is 3", "/3: is 2000; the maximum is 1000"]
    );
    assert_eq!(
        refused(client.put_u32().body(&6).await.expect_err("not a multiple of 4")),
        ["/: is 6; it must be a multiple of 4"]
    );
    assert_eq!(
        refused(client.post_name("abc").await.expect_err("too short")),
        ["/: is 3 characters long; the minimum is 4"]
    );
    let sent_after = server.received_requests().await.expect("recording").len();
    assert_eq!(sent_before, sent_after, "a refused call sends nothing");
}

#[tokio::test]
async fn a_project_configured_once_and_a_microversion_per_call_from_a_settings_file() {
    use fixture_openstack_settings_client::{Client, SERVICE_TYPE, models};
    assert_eq!(SERVICE_TYPE, "volume");
    let sample = json!({"snapshot": {"id": "s1", "status": "creating", "volume_id": "v1",
        "group_snapshot_id": null, "user_id": "u1", "consumes_quota": true}});
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/p1/snapshots"))
        .respond_with(ResponseTemplate::new(202).set_body_json(&sample))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/p2/snapshots/s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sample))
        .mount(&server)
        .await;
    // The project once, in the configuration; the spec names no default and no service type.
    let client = Client::new(config(&server).project_id("p1")).expect("client");
    let body: models::SnapshotsCreateRequest =
        serde_json::from_value(json!({"snapshot": {"volume_id": "v1", "name": "nightly"}})).expect("body");

    let created = client
        .snapshots_post()
        .body(&body)
        .microversion("3.65")
        .await
        .expect("created at 3.65");
    assert_eq!(created.body.snapshot.consumes_quota, Some(true));
    // Another project for one call, at another microversion.
    client
        .snapshots_id_get("s1")
        .project_id("p2")
        .microversion("3.41")
        .await
        .expect("shown in p2");

    // A parameter's documented bounds are checked before sending, as a body's are.
    match client.snapshots_get().limit(-1).await {
        Err(Error::InvalidInput(InvalidInput::Validation(error))) => {
            assert_eq!(error.violations[0].to_string(), "/limit: is -1; the minimum is 0")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    let received = server.received_requests().await.expect("recording");
    let versions: Vec<Option<&str>> = received
        .iter()
        .map(|request| {
            request
                .headers
                .get("openstack-api-version")
                .and_then(|v| v.to_str().ok())
        })
        .collect();
    assert_eq!(versions, [Some("volume 3.65"), Some("volume 3.41")]);
    assert_eq!(received[0].url.path(), "/v3/p1/snapshots");
    assert_eq!(received[1].url.path(), "/v3/p2/snapshots/s1");
}
