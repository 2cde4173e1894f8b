//! A 3.1 document's `webhooks` are received by the generated server crate's `Webhooks` trait and
//! `webhooks_router`: a vendor's callback, sent over real HTTP by a plain client, arrives typed in
//! its method; one that breaks the document is refused before it gets there.

use std::sync::{Arc, Mutex};

use apigen_runtime::server::{Parts, Rejection};
use fixture_webhooks_only_server::{
    self as server, NewPetInput, NewPetResponse, PetRemovedInput, PetRemovedResponse, Webhooks, models,
};

/// Keeps every pet it is sent, and every removal.
#[derive(Default)]
struct Receiver {
    pets: Mutex<Vec<models::Pet>>,
    removed: Mutex<Vec<models::PetRemovedRequest>>,
}

impl Webhooks for Receiver {
    async fn new_pet(&self, input: NewPetInput, _request: Parts) -> Result<NewPetResponse, Rejection> {
        if let Some(pet) = input.body {
            self.pets.lock().expect("not poisoned").push(pet);
        }
        Ok(NewPetResponse::Status200)
    }

    async fn pet_removed(&self, input: PetRemovedInput, _request: Parts) -> Result<PetRemovedResponse, Rejection> {
        self.removed.lock().expect("not poisoned").push(input.body);
        Ok(PetRemovedResponse::Status204)
    }
}

#[tokio::test]
async fn a_webhook_arrives_typed_and_a_bad_one_is_refused() {
    let receiver = Arc::new(Receiver::default());
    // Nested where the user registered the receiver with the vendor.
    let router = axum::Router::new().nest("/hooks", server::webhooks_router(Arc::clone(&receiver)));
    let endpoint = apigen_runtime::for_generated_code::testing::serve_on_loopback(router).await;
    // Plain HTTP; reqwest wants a TLS provider chosen all the same.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let send = |body: &'static str, path: &'static str| {
        http.post(format!("{endpoint}{path}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let answer = send(r#"{"name": "rex", "age": 3}"#, "/hooks/newPet")
        .await
        .expect("answered");
    assert_eq!(answer.status(), 200);
    let pets = receiver.pets.lock().expect("not poisoned").clone();
    assert_eq!(pets.len(), 1);
    assert_eq!(pets[0].name, "rex");
    // A property the schema does not list is kept, as in any model.
    assert_eq!(pets[0].additional_properties.get("age"), Some(&serde_json::json!(3)));

    let refused = send(r#"{"name": 5}"#, "/hooks/newPet").await.expect("answered");
    assert_eq!(refused.status(), 400);
    assert_eq!(
        refused.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let unknown = send(r#"{"name": "rex"}"#, "/hooks/oldPet").await.expect("answered");
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        receiver.pets.lock().expect("not poisoned").len(),
        1,
        "nothing refused reached the method"
    );

    // A webhook whose payload is an inline schema, named after the webhook, with its constraints.
    let removed = send(r#"{"id": 7, "reason": "adopted"}"#, "/hooks/pet-removed")
        .await
        .expect("answered");
    assert_eq!(removed.status(), 204);
    let too_long = send(
        r#"{"id": 8, "reason": "a reason far longer than twenty"}"#,
        "/hooks/pet-removed",
    )
    .await
    .expect("answered");
    assert_eq!(too_long.status(), 400);
    let removals = receiver.removed.lock().expect("not poisoned").clone();
    assert_eq!(removals.len(), 1);
    assert_eq!((removals[0].id, removals[0].reason.as_deref()), (7, Some("adopted")));
}
