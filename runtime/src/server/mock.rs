//! What every generated mock server shares: choosing the documented answer a request asks for,
//! and the `main` that serves it.
//!
//! A mock answers each operation from its documented examples, or from a value the generator made
//! valid against the response schema where the document shows none. Which answer: the one a
//! `Prefer` header names as Prism reads it (`Prefer: code=404`, `Prefer: example=accepted`, both
//! together), else the first documented success. Requests reach the mock only through the
//! generated router, so a request that breaks the document gets the router's documented refusal.

use std::process::ExitCode;

use bytes::Bytes;
use http::StatusCode;
use http::request::Parts;
use serde::de::DeserializeOwned;

use super::rejection::Rejection;

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// One status.
    Code(u16),
    /// A class (`4XX`), by its digit.
    Range(u8),
    /// Every status the others do not cover.
    Default,
}

/// One documented response: the statuses it covers and its bodies, by example name (its body as
/// text: JSON for a JSON body). No body at all is an empty list.
#[derive(Debug)]
pub struct Answer {
    covers: Covers,
    media: Option<&'static str>,
    examples: &'static [(&'static str, &'static str)],
}

impl Answer {
    /// A response covering `covers`, its body of `media` with `examples`; a `const fn`, so that
    /// the table is a `static`.
    pub const fn new(
        covers: Covers,
        media: Option<&'static str>,
        examples: &'static [(&'static str, &'static str)],
    ) -> Self {
        Answer {
            covers,
            media,
            examples,
        }
    }

    fn is_success(&self) -> bool {
        matches!(self.covers, Covers::Code(200..=299) | Covers::Range(2))
    }
}

/// The answer chosen for a request: which response (its index in the table), the status and the
/// body.
#[derive(Debug)]
pub struct Chosen {
    index: usize,
    status: StatusCode,
    body: &'static str,
}

impl Chosen {
    /// The response's index in the operation's table.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The status to answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body, decoded into the response's type.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        serde_json::from_str(self.body).map_err(|error| {
            // A generator defect, not the caller's: the body was made for this type.
            Rejection::refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "",
                format!("the mock's answer does not decode into its type: {error}"),
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        self.body.to_owned()
    }

    /// The body as bytes.
    pub fn bytes(&self) -> Bytes {
        Bytes::from_static(self.body.as_bytes())
    }
}

/// A refusal of the generated router (a request that breaks the document, or lacks credentials)
/// answered as the operation documents that status: the documented response that covers it
/// (exact, class, `default`), with its first body. Without one, RFC 9457 problem+json.
pub fn refusal(rejection: &Rejection, answers: &[Answer]) -> super::Reply {
    let status = rejection.kind().status();
    let code = status.as_u16();
    let class = u8::try_from(code / 100).ok();
    let documented = answers
        .iter()
        .find(|a| a.covers == Covers::Code(code))
        .or_else(|| answers.iter().find(|a| Some(a.covers) == class.map(Covers::Range)))
        .or_else(|| answers.iter().find(|a| a.covers == Covers::Default));
    match documented {
        Some(answer) => {
            let body = answer.examples.first().map_or("", |(_, body)| *body);
            let builder = match answer.media {
                Some(media) => super::reply::bytes(status, media, Bytes::from_static(body.as_bytes())),
                None => super::reply::empty(status),
            };
            builder.finish().unwrap_or_else(|_| super::problem_response(rejection))
        }
        None => super::problem_response(rejection),
    }
}

/// What a `Prefer` header asks for: a status, an example by name.
#[derive(Debug, Default, PartialEq, Eq)]
struct Preference<'a> {
    code: Option<u16>,
    example: Option<&'a str>,
}

fn preference(head: &Parts) -> Result<Preference<'_>, Rejection> {
    let mut wanted = Preference::default();
    for value in head.headers.get_all("prefer") {
        let Ok(text) = value.to_str() else { continue };
        for pair in text.split([',', ';']) {
            match pair.trim().split_once('=') {
                Some(("code", code)) => {
                    let code = code.trim().trim_matches('"');
                    wanted.code = Some(
                        code.parse()
                            .ok()
                            .filter(|c| (100..600).contains(c))
                            .ok_or_else(|| refuse(format!("`code={code}` is not an HTTP status")))?,
                    );
                }
                Some(("example", name)) => wanted.example = Some(name.trim().trim_matches('"')),
                _ => {}
            }
        }
    }
    Ok(wanted)
}

fn refuse(reason: String) -> Rejection {
    Rejection::refuse(StatusCode::BAD_REQUEST, "/headers/Prefer", reason)
}

/// The answer to `head` among an operation's documented `answers`.
pub fn choose(head: &Parts, answers: &'static [Answer]) -> Result<Chosen, Rejection> {
    let wanted = preference(head)?;
    let covering = |code: u16| {
        let exact = answers.iter().position(|a| a.covers == Covers::Code(code));
        let class = u8::try_from(code / 100).ok();
        exact
            .or_else(|| answers.iter().position(|a| Some(a.covers) == class.map(Covers::Range)))
            .or_else(|| answers.iter().position(|a| a.covers == Covers::Default))
    };
    let index = match (wanted.code, wanted.example) {
        (Some(code), _) => covering(code).ok_or_else(|| refuse(format!("no documented response has status {code}")))?,
        (None, Some(name)) => answers
            .iter()
            .position(|a| a.examples.iter().any(|(n, _)| *n == name))
            .ok_or_else(|| refuse(format!("no documented response has an example `{name}`")))?,
        (None, None) => answers
            .iter()
            .position(Answer::is_success)
            .or_else(|| answers.iter().position(|a| a.covers == Covers::Default))
            .unwrap_or(0),
    };
    let Some(answer) = answers.get(index) else {
        return Err(refuse("the operation documents no response".to_owned()));
    };
    let status = match (answer.covers, wanted.code) {
        (Covers::Code(code), _) => code,
        (_, Some(code)) => code,
        (Covers::Range(class), None) => u16::from(class) * 100,
        (Covers::Default, None) => 200,
    };
    let body = match wanted.example {
        Some(name) => answer
            .examples
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, body)| *body)
            .ok_or_else(|| refuse(format!("the {status} response has no example `{name}`")))?,
        None => answer.examples.first().map_or("", |(_, body)| *body),
    };
    let status = StatusCode::from_u16(status).map_err(|e| refuse(e.to_string()))?;
    Ok(Chosen { index, status, body })
}

/// The `main` of a generated mock: `--listen ADDR` (default `127.0.0.1:4010`, Prism's port; port 0
/// picks a free one), the bound address printed as the first line of standard output, then the
/// router served until the process is stopped.
pub fn main(name: &str, router: axum::Router) -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:4010".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => match args.next() {
                Some(address) => listen = address,
                None => return usage(name, "--listen needs an address"),
            },
            "-h" | "--help" => {
                println!(
                    "{name}: a mock of the API, answering from its documented examples\n\nUsage: {name} [--listen ADDR]\n\n  --listen ADDR  where to listen [default: 127.0.0.1:4010; port 0 picks one]\n\nA `Prefer: code=NNN` or `Prefer: example=NAME` header picks among the documented answers."
                );
                return ExitCode::SUCCESS;
            }
            other => return usage(name, &format!("unknown argument `{other}`")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return usage(name, &format!("cannot start: {error}")),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&listen).await {
            Ok(listener) => listener,
            Err(error) => return usage(name, &format!("cannot listen on {listen}: {error}")),
        };
        match listener.local_addr() {
            Ok(address) => println!("{address}"),
            Err(error) => return usage(name, &format!("no address: {error}")),
        }
        match axum::serve(listener, router).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => usage(name, &format!("serving failed: {error}")),
        }
    })
}

fn usage(name: &str, problem: &str) -> ExitCode {
    eprintln!("{name}: {problem}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    static ANSWERS: [Answer; 3] = [
        Answer::new(
            Covers::Code(202),
            Some("application/json"),
            &[("accepted", r#"{"id":1}"#), ("other", r#"{"id":2}"#)],
        ),
        Answer::new(
            Covers::Range(4),
            Some("application/json"),
            &[("bad", r#"{"error":"x"}"#)],
        ),
        Answer::new(Covers::Default, None, &[]),
    ];

    fn head(prefer: Option<&str>) -> Parts {
        let mut request = http::Request::builder().uri("/x");
        if let Some(prefer) = prefer {
            request = request.header("prefer", prefer);
        }
        request.body(()).expect("a request").into_parts().0
    }

    fn chosen(prefer: Option<&str>) -> (usize, u16, &'static str) {
        let c = choose(&head(prefer), &ANSWERS).expect("chosen");
        (c.index(), c.status().as_u16(), c.body)
    }

    #[test]
    fn the_first_success_and_its_first_example_by_default() {
        assert_eq!(chosen(None), (0, 202, r#"{"id":1}"#));
    }

    #[test]
    fn prefer_picks_a_status_an_example_or_both() {
        assert_eq!(chosen(Some("example=other")), (0, 202, r#"{"id":2}"#));
        assert_eq!(chosen(Some("code=404")), (1, 404, r#"{"error":"x"}"#));
        assert_eq!(chosen(Some("code=503")), (2, 503, ""));
        assert_eq!(chosen(Some("code=202, example=other")), (0, 202, r#"{"id":2}"#));
    }

    #[test]
    fn a_refusal_is_answered_as_the_document_answers_its_status() {
        let refused = Rejection::new(super::super::RejectionKind::Malformed);
        let reply = refusal(&refused, &ANSWERS);
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        assert_eq!(reply.headers()["content-type"], "application/json");
        assert_eq!(reply.body().as_ref(), br#"{"error":"x"}"#);
        let reply = refusal(&refused, &[]);
        assert_eq!(reply.headers()["content-type"], "application/problem+json");
    }

    #[test]
    fn a_preference_nothing_documents_is_a_400_about_the_header() {
        for prefer in ["example=nope", "code=teapot", "code=202; example=bad"] {
            let refused = choose(&head(Some(prefer)), &ANSWERS).expect_err(prefer);
            assert_eq!(refused.kind().status(), StatusCode::BAD_REQUEST, "{prefer}");
            assert_eq!(refused.violations()[0].path, "/headers/Prefer");
        }
    }
}
