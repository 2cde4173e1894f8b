//! What an operation's documented responses decode into, decided once from the IR's own types:
//! one type for every documented success (or failure), an enum per status, or nothing.

use crate::ir::{Name, Operation, Outcome, Payload, Response, StatusVariant};
use crate::naming::{self, Scope};

/// The successes of `op`; a per-status enum's name is claimed in `client_types`.
pub fn successes(op: &Operation, client_types: &mut Scope) -> Outcome {
    let listed: Vec<(&Response, Option<Payload>)> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| (r, Payload::of(r)))
        .collect();
    if listed.is_empty() {
        return Outcome::Undocumented;
    }
    let Some(first) = listed.iter().find_map(|(_, payload)| payload.clone()) else {
        return Outcome::Empty;
    };
    let one_type = listed
        .iter()
        .all(|(_, payload)| payload.as_ref().is_some_and(|p| p.same_type(&first)));
    if one_type {
        return Outcome::One(first);
    }
    per_status(&op.builder, "Success", listed, client_types)
}

/// The documented error bodies of `op` (those with a schema); a per-status enum's name is
/// claimed in `client_types`.
pub fn failures(op: &Operation, client_types: &mut Scope) -> Outcome {
    let typed: Vec<(&Response, Option<Payload>)> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .filter_map(|r| {
            let ty = r.body.as_ref()?.ty.clone()?;
            Some((r, Some(Payload::Json(ty))))
        })
        .collect();
    let Some(first) = typed.first().and_then(|(_, payload)| payload.clone()) else {
        return Outcome::Undocumented;
    };
    if typed
        .iter()
        .all(|(_, payload)| payload.as_ref().is_some_and(|p| p.same_type(&first)))
    {
        return Outcome::One(first);
    }
    per_status(&op.builder, "ErrorBody", typed, client_types)
}

fn per_status(
    builder: &Name,
    suffix: &str,
    listed: Vec<(&Response, Option<Payload>)>,
    client_types: &mut Scope,
) -> Outcome {
    let mut variant_names = Scope::new();
    let variants = listed
        .into_iter()
        .map(|(response, payload)| StatusVariant {
            name: variant_names.claim(naming::status_variant(&response.status)),
            status: response.status.clone(),
            description: response.description.clone(),
            payload,
        })
        .collect();
    Outcome::PerStatus {
        name: client_types.claim(naming::joined(builder, suffix)),
        variants,
    }
}
