//! What a client call makes of the response: the success and error types of an operation (one
//! type, or an enum per status) and the `match` on the status that decodes into them.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::docs::{DocText, doc_line};
use super::types::{ident, value_type};
use crate::ir::{Name, Operation, Outcome, Payload, Response, Status, StatusVariant};

/// The Rust type a payload decodes into.
fn payload_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(ty) => value_type(ty, &quote! { models:: }),
        Payload::Text => quote! { String },
        Payload::Binary => quote! { ::apigen_runtime::client::Bytes },
    }
}

/// `response.json::<T, _>()` and the like.
fn decode(payload: &Payload) -> TokenStream {
    let ty = payload_type(payload);
    match payload {
        Payload::Json(_) => quote! { response.json::<#ty, _>() },
        Payload::Text => quote! { response.text() },
        Payload::Binary => quote! { response.bytes() },
    }
}

fn status_suffix(status: &Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(class) => format!("{class}xx"),
        Status::Default => "Default".to_owned(),
    }
}

fn status_pattern(status: &Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(*code);
            quote! { #code }
        }
        Status::Range(class) => {
            let low = proc_macro2::Literal::u16_unsuffixed(u16::from(*class) * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(u16::from(*class) * 100 + 99);
            quote! { #low..=#high }
        }
        Status::Default => quote! { _ },
    }
}

/// The patterns of statuses that share an arm. Codes and classes that touch are merged into one
/// range (`500..=503`, `400..=599` for `4XX` and `5XX`), as a reader (and clippy) would write them;
/// two lone neighbouring codes stay two codes.
fn status_patterns(statuses: &[Status]) -> Vec<TokenStream> {
    let mut spans: Vec<(u16, u16, usize)> = statuses
        .iter()
        .filter_map(|status| match status {
            Status::Code(code) => Some((*code, *code, 1)),
            Status::Range(class) => Some((u16::from(*class) * 100, u16::from(*class) * 100 + 99, 3)),
            Status::Default => None,
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u16, u16, usize)> = Vec::new();
    for (low, high, weight) in spans {
        match merged.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => {
                last.1 = last.1.max(high);
                last.2 += weight;
            }
            _ => merged.push((low, high, weight)),
        }
    }
    let mut patterns = Vec::new();
    for (low, high, weight) in merged {
        if low == high || (weight == 2 && high == low + 1) {
            patterns.extend((low..=high).map(|code| status_pattern(&Status::Code(code))));
        } else {
            let (low, high) = (
                proc_macro2::Literal::u16_unsuffixed(low),
                proc_macro2::Literal::u16_unsuffixed(high),
            );
            patterns.push(quote! { #low..=#high });
        }
    }
    if statuses.contains(&Status::Default) {
        patterns.push(status_pattern(&Status::Default));
    }
    patterns
}

/// A response's description as the doc of its variant, laid out like every other doc.
fn response_doc(description: &str, status: &Status) -> TokenStream {
    let mut docs = DocText::default();
    docs.paragraph(description.trim());
    if docs.is_empty() {
        docs.paragraph(&format!("Status {}.", status_suffix(status)));
    }
    docs.attributes(false)
}

/// The success type (`T` of `Response<T>`) and, for several statuses, the enum that holds them.
pub(super) fn success_type(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.successes {
        // Nothing says what a success holds: the body is handed over as it came.
        Outcome::Undocumented => (payload_type(&Payload::Binary), TokenStream::new()),
        Outcome::Empty => (quote! { () }, TokenStream::new()),
        Outcome::One(payload) => (payload_type(payload), TokenStream::new()),
        Outcome::PerStatus { name, variants } => {
            let doc = format!(
                "The documented successes of `{}`, one variant per status.",
                op.name.as_str()
            );
            (ident(name).into_token_stream(), per_status_enum(name, variants, &doc))
        }
    }
}

/// The error body type (`E` of `Error<E>`) and, for several, the enum that holds them.
pub(super) fn failure_type(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.failures {
        Outcome::Undocumented | Outcome::Empty => (quote! { Undocumented }, TokenStream::new()),
        Outcome::One(payload) => (payload_type(payload), TokenStream::new()),
        Outcome::PerStatus { name, variants } => {
            let doc = format!(
                "The documented error bodies of `{}`, one variant per status.",
                op.name.as_str()
            );
            (ident(name).into_token_stream(), per_status_enum(name, variants, &doc))
        }
    }
}

/// A per-status enum: one variant per documented status, holding its body if it has one.
fn per_status_enum(name: &Name, variants: &[StatusVariant], doc: &str) -> TokenStream {
    let name = ident(name);
    let items = variants.iter().map(|variant| {
        let member = ident(&variant.name);
        let doc = response_doc(&variant.description, &variant.status);
        match &variant.payload {
            Some(payload) => {
                let ty = payload_type(payload);
                quote! { #doc #member(#ty), }
            }
            None => quote! { #doc #member, },
        }
    });
    // As for unions in the models: the bodies are held as they are, sizes unmeasured.
    let allow_size = if variants.iter().any(|v| v.payload.is_some()) {
        quote! { #[allow(clippy::large_enum_variant)] }
    } else {
        TokenStream::new()
    };
    let doc = doc_line(doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #allow_size
        pub enum #name { #(#items)* }
    }
}

/// What one status arm of the dispatch does; arms that do the same share one arm.
#[derive(PartialEq)]
enum Arm<'a> {
    /// A success without a body.
    Empty,
    /// The success body of the operation's one success type.
    One(&'a Payload),
    /// A success body as a variant of the per-status enum.
    Success(&'a StatusVariant),
    /// A documented error, its body the operation's one error type (or text).
    ApiError,
    /// A documented error whose body is a variant of the per-status enum.
    ApiErrorVariant(&'a StatusVariant),
    /// A documented error with no typed body while others have one.
    ApiErrorUntyped,
}

/// The variant of a per-status outcome that stands for `status`.
fn variant_of<'a>(outcome: &'a Outcome, status: &Status) -> Option<&'a StatusVariant> {
    match outcome {
        Outcome::PerStatus { variants, .. } => variants.iter().find(|v| v.status == *status),
        _ => None,
    }
}

/// The expression of an arm.
fn arm_expression(op: &Operation, arm: &Arm<'_>) -> TokenStream {
    match arm {
        Arm::Empty => quote! { response.empty() },
        Arm::One(Payload::Json(_)) => quote! { response.json() },
        Arm::One(payload) => decode(payload),
        Arm::Success(variant) => {
            let Outcome::PerStatus { name, .. } = &op.successes else {
                return TokenStream::new();
            };
            let (name, member) = (ident(name), ident(&variant.name));
            match &variant.payload {
                Some(payload) => {
                    let decode = decode(payload);
                    quote! { #decode.map(|r| r.map(#name::#member)) }
                }
                None => quote! { response.empty().map(|r| r.map(|()| #name::#member)) },
            }
        }
        Arm::ApiError => quote! { Err(response.api_error()) },
        Arm::ApiErrorVariant(variant) => {
            let Outcome::PerStatus { name, .. } = &op.failures else {
                return TokenStream::new();
            };
            let (name, member) = (ident(name), ident(&variant.name));
            let ty = variant.payload.as_ref().map(payload_type);
            quote! { Err(response.api_error_with(|body| ::serde_json::from_slice::<#ty>(body).ok().map(#name::#member))) }
        }
        Arm::ApiErrorUntyped => quote! { Err(response.api_error_with(|_| None)) },
    }
}

/// The `match` on the response status: documented successes decode, documented errors become
/// `Error::Api`, anything else `Error::UnexpectedStatus`.
pub(super) fn dispatch(op: &Operation) -> TokenStream {
    let mut arms: Vec<(Vec<Status>, Arm<'_>)> = Vec::new();
    // Specific codes first, then ranges, then `default`, as OpenAPI orders their precedence.
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    for response in ordered {
        let arm = if response.status.is_success() {
            match &op.successes {
                Outcome::Undocumented | Outcome::Empty => Arm::Empty,
                Outcome::One(payload) => Arm::One(payload),
                per_status => match variant_of(per_status, &response.status) {
                    Some(variant) => Arm::Success(variant),
                    None => Arm::Empty,
                },
            }
        } else {
            match (&op.failures, variant_of(&op.failures, &response.status)) {
                (_, Some(variant)) => Arm::ApiErrorVariant(variant),
                (Outcome::PerStatus { .. }, None) => Arm::ApiErrorUntyped,
                _ => Arm::ApiError,
            }
        };
        // Consecutive statuses handled alike share one arm: `400 | 401 | 403 => ...`.
        match arms.last_mut() {
            Some((statuses, previous)) if *previous == arm && response.status != Status::Default => {
                statuses.push(response.status.clone())
            }
            _ => arms.push((vec![response.status.clone()], arm)),
        }
    }
    let mut arms: Vec<TokenStream> = arms
        .into_iter()
        .map(|(statuses, arm)| {
            let patterns = status_patterns(&statuses);
            let expression = arm_expression(op, &arm);
            quote! { #(#patterns)|* => #expression, }
        })
        .collect();
    let has_default = op.responses.iter().any(|r| r.status == Status::Default);
    if !has_default {
        arms.push(quote! { _ => Err(response.unexpected()), });
    }
    if op.successes == Outcome::Undocumented {
        // No success documented at all: any 2xx is one, its body returned as it came.
        arms.insert(0, quote! { 200..=299 => response.bytes(), });
    }
    quote! {
        match response.status() {
            #(#arms)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(statuses: &[Status]) -> Vec<String> {
        status_patterns(statuses).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn statuses_that_touch_share_one_range() {
        use Status::{Code, Default, Range};
        assert_eq!(patterns(&[Range(5), Range(4)]), ["400 ..= 599"]);
        assert_eq!(patterns(&[Code(502), Code(500), Code(501)]), ["500 ..= 502"]);
        assert_eq!(patterns(&[Code(409), Code(410)]), ["409", "410"]);
        assert_eq!(patterns(&[Code(404), Range(4), Default]), ["400 ..= 499", "_"]);
        assert_eq!(patterns(&[Code(399), Range(4), Code(600)]), ["399 ..= 499", "600"]);
        assert_eq!(
            patterns(&[Code(401), Code(403), Range(5)]),
            ["401", "403", "500 ..= 599"]
        );
    }
}
