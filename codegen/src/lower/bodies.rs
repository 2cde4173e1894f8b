//! Request and response bodies: the media type chosen, its schema typed, and its examples taken
//! once each (a body shared through `components/requestBodies` keeps its examples for every
//! operation that uses it).

use openapiv3::{MediaType, ReferenceOr, RequestBody, StatusCode};

use super::{Lowerer, RESPONSE_MEMBERS};
use crate::diagnostic::join;
use crate::ir::{Body, Encoding, Example, Method, Response, ResponseHeader, Shape, Status, Ty};
use crate::naming::{self, Scope};

impl<'a> Lowerer<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn request(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
        camel: &str,
        op_name: &str,
        method: Method,
        path: &str,
    ) -> Option<Body> {
        let (body, pointer) = self.resolve(body, pointer.to_owned(), "requestBodies", |c, key| {
            c.request_bodies.get(key)
        })?;
        let title = format!("{} {path} request body", method.as_str());
        let (media_type, media) = choose_media(&body.content)?;
        let media_pointer = join(&join(&pointer, "content"), media_type);
        let encoding = Encoding::of(media_type);
        let mut ty = self.media_ty(media_type, media, &media_pointer, &format!("{camel}Request"));
        // A form without a schema still has fields: any names, any values.
        if ty.is_none() && matches!(encoding, Encoding::Form | Encoding::Multipart) {
            ty = Some(Ty::plain(Shape::Map(Box::new(Ty::plain(Shape::Any)))));
        }
        // Text and bytes have no JSON form to round-trip; their examples document, not test.
        let examples = if encoding.is_typed() {
            self.media_examples(
                media,
                &media_pointer,
                &format!("{op_name}_request"),
                &title,
                ty.as_ref(),
            )
        } else {
            Vec::new()
        };
        Some(Body {
            media_type: media_type.clone(),
            encoding,
            ty,
            required: body.required,
            examples,
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn responses(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        camel: &str,
        op_name: &str,
        method: Method,
        path: &str,
    ) -> Vec<Response> {
        let listed = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let status = match code {
                    StatusCode::Code(code) => Status::Code(*code),
                    StatusCode::Range(class) => Status::Range(u8::try_from(*class).unwrap_or(0)),
                };
                (status, code.to_string(), response)
            })
            .chain(
                responses
                    .default
                    .iter()
                    .map(|response| (Status::Default, "default".to_owned(), response)),
            );
        let mut out = Vec::new();
        let mut variant_names = Scope::new();
        for (status, key, response) in listed {
            let at = join(pointer, &key);
            let Some((response, at)) = self.resolve(response, at, "responses", |c, key| c.responses.get(key)) else {
                continue;
            };
            let suffix = naming::camel(&key);
            let body = choose_media(&response.content).map(|(media_type, media)| {
                let media_pointer = join(&join(&at, "content"), media_type);
                let hint = format!("{camel}Response{}", suffix.as_str());
                let ty = self.media_ty(media_type, media, &media_pointer, &hint);
                let title = format!("{} {path} response {key}", method.as_str());
                let examples = if Encoding::of(media_type).is_typed() {
                    self.media_examples(
                        media,
                        &media_pointer,
                        &format!("{op_name}_response_{}", key.to_lowercase()),
                        &title,
                        ty.as_ref(),
                    )
                } else {
                    Vec::new()
                };
                Body {
                    media_type: media_type.clone(),
                    encoding: Encoding::of(media_type),
                    ty,
                    required: true,
                    examples,
                }
            });
            let mut header_names = Scope::new();
            for reserved in RESPONSE_MEMBERS {
                header_names.reserve(reserved);
            }
            let headers = response
                .headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
                .map(|(name, header)| {
                    let header = header.as_item();
                    ResponseHeader {
                        name: header_names.claim(naming::snake(name)),
                        wire_name: name.clone(),
                        required: header.is_some_and(|h| h.required),
                        description: header.and_then(|h| h.description.clone()),
                    }
                })
                .collect();
            out.push(Response {
                variant: variant_names.claim(naming::status_variant(&status)),
                status,
                description: response.description.clone(),
                body,
                headers,
            });
        }
        out
    }

    fn media_ty(&mut self, media_type: &str, media: &'a MediaType, pointer: &str, hint: &str) -> Option<Ty> {
        if !Encoding::of(media_type).is_typed() {
            return None;
        }
        let schema = media.schema.as_ref()?;
        Some(self.ty(schema, &join(pointer, "schema"), hint))
    }

    /// The examples of one media type, as indexes into the API's examples.
    fn media_examples(
        &mut self,
        media: &'a MediaType,
        pointer: &str,
        prefix: &str,
        title: &str,
        ty: Option<&Ty>,
    ) -> Vec<usize> {
        let mut ids = Vec::new();
        if let Some(value) = &media.example {
            let at = join(pointer, "example");
            ids.push(self.push_example(
                (prefix, "example"),
                (at.clone(), at),
                title.to_owned(),
                value.clone(),
                ty.cloned(),
            ));
        }
        for (key, example) in &media.examples {
            let at = join(&join(pointer, "examples"), key);
            let Some((example, at)) = self.resolve(example, at, "examples", |c, key| c.examples.get(key)) else {
                continue;
            };
            match (&example.value, &example.external_value) {
                (Some(value), _) => {
                    let title = format!("{title}, example `{key}`");
                    let value_at = join(&at, "value");
                    let name = format!("{prefix}_{key}");
                    ids.push(self.push_example((&name, key), (at, value_at), title, value.clone(), ty.cloned()));
                }
                (None, Some(_)) => {
                    // A shared example is reported once, however many operations use it.
                    if self.reported_external.insert(at.clone()) {
                        self.warn(
                            &join(&at, "externalValue"),
                            "examples in external files are not read yet; this example is not tested",
                        );
                    }
                }
                (None, None) => {}
            }
        }
        ids
    }

    /// Adds an example found at `origin` (its value at `value_at`), or finds the one already taken
    /// from the same place; its index.
    pub(super) fn push_example(
        &mut self,
        (name, key): (&str, &str),
        (origin, value_at): (String, String),
        title: String,
        value: serde_json::Value,
        ty: Option<Ty>,
    ) -> usize {
        if let Some(&id) = self.example_ids.get(&origin) {
            return id;
        }
        let name = self.example_scope.claim(naming::snake(name));
        let id = self.examples.len();
        self.example_ids.insert(origin.clone(), id);
        self.examples.push(Example {
            name,
            key: key.to_owned(),
            origin,
            value_at,
            title,
            value,
            ty,
            misfit: None,
        });
        id
    }
}

/// The body to type: the first JSON media type, else the first listed.
fn choose_media(content: &openapiv3::Content) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(media_type, _)| Encoding::of(media_type) == Encoding::Json)
        .or_else(|| content.iter().next())
}
