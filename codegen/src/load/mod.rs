//! Reading a spec file into `openapiv3` types. The only module that knows about YAML.
//!
//! A spec is read once as text, parsed to a JSON value (YAML and JSON alike), checked for an
//! OpenAPI version we support, then deserialized with the path of any failure kept, so that every
//! error can name the JSON pointer and the line.

mod keywords;
mod locate;
mod misplaced;
mod normalize;
mod pointers;
mod repair;
mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

pub use locate::LineIndex;
pub(crate) use normalize::MUTUAL_TLS;

/// A spec read from disk: its text (for locating lines), and the parsed document.
#[derive(Debug)]
pub struct Loaded {
    /// The file, as given.
    pub path: PathBuf,
    /// The parsed document.
    pub api: openapiv3::OpenAPI,
    /// Finds the line of a JSON pointer in the original text.
    pub lines: LineIndex,
    /// Problems found while reading that did not stop it (OpenAPI 3.1 keywords with no 3.0 form).
    pub warnings: Vec<Diagnostic>,
    /// A 3.1 document's `webhooks`: the requests the API sends, by name, as path items.
    pub webhooks: indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>,
}

impl Loaded {
    /// A diagnostic at `pointer` in this spec; its line is filled in later, for all at once.
    pub fn diagnostic(&self, severity: Severity, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.path.clone(),
            pointer: pointer.to_owned(),
            // Lines are found for all diagnostics at once, by `LineIndex::locate`.
            line: None,
            message: message.into(),
        }
    }
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
    let fail = |pointer: &str, line, message| error_at(path, pointer, line, message);
    let text = std::fs::read_to_string(path).map_err(|e| fail("", None, format!("cannot read the file: {e}")))?;
    load_str(path, text)
}

/// Parses spec text as if read from `path` (whose extension says JSON or YAML).
pub fn load_str(path: &Path, text: String) -> Result<Loaded, Diagnostics> {
    let fail = |pointer: &str, line, message| error_at(path, pointer, line, message);
    let is_json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        // The keyword walk reads the text on another thread while the document deserializes.
        let (api, dropped) = std::thread::scope(|scope| {
            let dropped = scope.spawn(|| keywords::in_json(&text));
            let api = direct_json(&text);
            (api, dropped.join().unwrap_or_default())
        });
        if let Some(api) = api {
            return Ok(Loaded {
                path: path.to_owned(),
                api,
                lines: LineIndex::new(text),
                warnings: warnings(path, dropped),
                // A 3.0 document has none: `webhooks` is 3.1's.
                webhooks: indexmap::IndexMap::new(),
            });
        }
    }
    let mut value = if is_json {
        serde_json::from_str::<Value>(&text).map_err(|e| fail("", Some(e.line()), format!("invalid JSON: {e}")))?
    } else {
        yaml::parse(&text).map_err(|(line, message)| fail("", line, message))?
    };
    let lines = LineIndex::new(text);
    let version = check_version(&value).map_err(|(pointer, message)| {
        let line = lines.line_of(&pointer);
        fail(&pointer, line, message)
    })?;
    let mut notes = normalize::fill_missing_responses(&mut value, version == Version::V30);
    match version {
        Version::V31 => notes.extend(normalize::openapi_31_to_30(&mut value)),
        Version::V30 => notes.extend(normalize::type_arrays_in_30(&mut value)),
    }
    // Misplaced references pointed at what they mean, and deep ones hoisted; each step can make
    // work for the other (a hoisted parameter where a schema goes, a pointer to its `schema`).
    for _ in 0..3 {
        let repointed = misplaced::repoint(&mut value);
        let hoisted = pointers::hoist(&mut value);
        let done = repointed.is_empty() && hoisted == 0;
        notes.extend(repointed);
        if done {
            break;
        }
    }
    notes.extend(keywords::in_value(&value));
    let what = match version {
        Version::V30 => "OpenAPI 3.0 document",
        Version::V31 => "OpenAPI 3.1 document (as read through its 3.0 form)",
    };
    // A schema that cannot be read is repaired (a keyword dropped, or any value), with a warning,
    // and the document read again: one bad schema must not refuse everything else in it.
    let mut repaired = 0;
    let api = loop {
        let (pointer, message) = match read_api(&value) {
            Ok(api) => break api,
            Err(failed) => failed,
        };
        if repaired < MOST_REPAIRS
            && let Some(note) = repair::unreadable_schema(&mut value, &pointer)
        {
            notes.push(note);
            repaired += 1;
            continue;
        }
        let line = lines.line_of(&pointer);
        return Err(fail(&pointer, line, format!("not a valid {what}: {message}")));
    };
    let webhooks = read_webhooks(&value, &mut notes);
    Ok(Loaded {
        path: path.to_owned(),
        api,
        lines,
        warnings: warnings(path, notes),
        webhooks,
    })
}

/// The document's `webhooks`, each read as a path item; one that cannot be read is left out with
/// a warning, as it would not stop the rest of the API.
fn read_webhooks(
    document: &Value,
    notes: &mut Vec<(String, String)>,
) -> indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>> {
    let mut webhooks = indexmap::IndexMap::new();
    let Some(Value::Object(entries)) = document.get("webhooks") else {
        return webhooks;
    };
    for (name, item) in entries {
        let pointer = crate::diagnostic::join("/webhooks", name);
        match guarded(|| serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<openapiv3::PathItem>>(item)) {
            Some(Ok(item)) => {
                webhooks.insert(name.clone(), item);
            }
            Some(Err(error)) => notes.push((
                format!("{pointer}{}", pointer_of(error.path())),
                format!("the webhook is not generated: {}", error.inner()),
            )),
            None => notes.push((pointer, "the webhook is not generated: it cannot be read".to_owned())),
        }
    }
    webhooks
}

/// How many unreadable schemas a document may have repaired before it is refused as it is: each
/// repair reads the document again.
const MOST_REPAIRS: usize = 32;

/// The document as `openapiv3` reads it, or where and why it fails.
fn read_api(value: &Value) -> Result<openapiv3::OpenAPI, (String, String)> {
    let Some(parsed) = guarded(|| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value)) else {
        return Err(locate_panic(value));
    };
    parsed.map_err(|error| deepen(value, pointer_of(error.path()), error.inner().to_string()))
}

/// Warnings found while reading, as diagnostics of `path`.
fn warnings(path: &Path, notes: Vec<(String, String)>) -> Vec<Diagnostic> {
    notes
        .into_iter()
        .map(|(pointer, message)| Diagnostic {
            severity: Severity::Warning,
            file: path.to_owned(),
            // Located with the lowering's diagnostics, in one scan.
            line: None,
            pointer,
            message,
        })
        .collect()
}

/// The fast path for the common case, a valid OpenAPI 3.0 JSON document: deserialized straight
/// from the text, with no intermediate JSON tree (half the time and memory on a large spec).
/// Anything else (3.1, Swagger, an invalid document) returns `None` and takes the general path,
/// which checks, normalizes and locates errors.
fn direct_json(text: &str) -> Option<openapiv3::OpenAPI> {
    #[derive(serde::Deserialize)]
    struct Probe {
        openapi: Option<String>,
        swagger: Option<serde::de::IgnoredAny>,
    }
    let probe: Probe = serde_json::from_str(text).ok()?;
    let is_30 = probe.swagger.is_none() && probe.openapi.is_some_and(|v| v.starts_with("3.0."));
    if !is_30 || pointers::may_have_deep_refs(text) || misplaced::may_have(text) {
        return None;
    }
    guarded(|| serde_json::from_str(text).ok()).flatten()
}

/// Runs a deserialization of `openapiv3` types, turning a panic into `None`.
///
/// `openapiv3` 2.2 panics ("somehow this parsed successfully the second time") on some malformed
/// inputs, where its `ReferenceOr` fails on buffered input but succeeds on a JSON value. Input
/// must never crash the generator, so its deserializers run under `catch_unwind`, and the
/// callers report the document as invalid, located as closely as `locate_panic` can.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// Where a document whose deserialization panicked fails: the first entry under `paths` or a
/// `components` section that fails (or panics) on its own, with what is wrong with it.
fn locate_panic(document: &Value) -> (String, String) {
    let components = &document["components"];
    first_failing::<openapiv3::PathItem>(&document["paths"], "/paths")
        .or_else(|| first_failing::<openapiv3::Schema>(&components["schemas"], "/components/schemas"))
        .or_else(|| first_failing::<openapiv3::Response>(&components["responses"], "/components/responses"))
        .or_else(|| first_failing::<openapiv3::Parameter>(&components["parameters"], "/components/parameters"))
        .or_else(|| first_failing::<openapiv3::RequestBody>(&components["requestBodies"], "/components/requestBodies"))
        .or_else(|| first_failing::<openapiv3::Example>(&components["examples"], "/components/examples"))
        .or_else(|| first_failing::<openapiv3::Header>(&components["headers"], "/components/headers"))
        .unwrap_or_else(|| (String::new(), CANNOT_TAKE.to_owned()))
}

/// What a part of the document that makes `openapiv3` panic is reported as.
const CANNOT_TAKE: &str = "this part has a shape the OpenAPI reader cannot take";

fn error_at(path: &Path, pointer: &str, line: Option<usize>, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        severity: Severity::Error,
        file: path.to_owned(),
        pointer: pointer.to_owned(),
        line,
        message,
    }])
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Says plainly which OpenAPI versions are supported before serde gives a baffling error.
fn check_version(value: &Value) -> Result<Version, (String, String)> {
    let Some(object) = value.as_object() else {
        return Err((
            String::new(),
            "the document is not an object; an OpenAPI document is a mapping".to_owned(),
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err((
            "/swagger".to_owned(),
            format!(
                "this is a Swagger {} document, which is not supported; only OpenAPI 3.0 and 3.1 are (convert it with swagger2openapi first)",
                swagger.as_str().unwrap_or("2.x")
            ),
        ));
    }
    match object.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => Ok(Version::V30),
        Some(version) if version.starts_with("3.1.") => Ok(Version::V31),
        Some(version) => Err((
            "/openapi".to_owned(),
            format!("OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"),
        )),
        None => Err((
            String::new(),
            "no `openapi` version field; this is not an OpenAPI 3 document".to_owned(),
        )),
    }
}

/// `Paths` and `Responses` flatten their maps in `openapiv3`, and serde loses the path of an error
/// below a flattened map. Deserializing the entries one by one finds the entry that fails.
fn deepen(document: &Value, pointer: String, message: String) -> (String, String) {
    let (mut pointer, mut message) = (pointer, message);
    if pointer == "/paths"
        && let Some(found) = first_failing::<openapiv3::PathItem>(&document["paths"], "/paths")
    {
        (pointer, message) = found;
    }
    if pointer.starts_with("/paths/")
        && pointer.ends_with("/responses")
        && let Some(responses) = document.pointer(&pointer)
        && let Some(found) = first_failing::<openapiv3::Response>(responses, &pointer)
    {
        (pointer, message) = found;
    }
    (pointer, message)
}

/// The first entry of the map at `at` that fails to deserialize as `T` on its own (or panics),
/// with the pointer below it where serde says it failed and serde's message.
fn first_failing<T: serde::de::DeserializeOwned>(map: &Value, at: &str) -> Option<(String, String)> {
    // References are skipped: `ReferenceOr` buffers its input and would lose the path again.
    let entries = map
        .as_object()?
        .iter()
        .filter(|(key, entry)| !key.starts_with("x-") && entry.get("$ref").is_none());
    entries.into_iter().find_map(|(key, entry)| {
        let Some(result) = guarded(|| serde_path_to_error::deserialize::<_, T>(entry)) else {
            let pointer = crate::diagnostic::join(at, key);
            return Some((pointer, CANNOT_TAKE.to_owned()));
        };
        result.err().map(|error| {
            let below = pointer_of(error.path());
            (
                format!("{}{below}", crate::diagnostic::join(at, key)),
                error.inner().to_string(),
            )
        })
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::diagnostic::join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = crate::diagnostic::join(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
