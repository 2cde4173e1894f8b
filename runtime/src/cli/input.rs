//! Parsed flags turned into what a call needs: the parameters' texts, and the JSON body made of
//! `--body` with the field flags laid over it.
//!
//! The body is built as JSON first and only then read into the operation's model type, so that
//! one reading (serde, then the model's `validate()`) reports every problem with the same JSON
//! pointers and messages as the library does, whether a value came from a flag or from `--body`.

use std::collections::BTreeMap;
use std::io::Read;

use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::spec::{Arity, Flag, Operation, Target, ValueKind};
use crate::text::{self, Piece};
use crate::{Validate, ValidationError};

/// The id of the `--body` argument of every operation with a body.
pub const BODY_ARG: &str = "body";

/// Why the command line does not make a request. Each is reported with exit code 2, and nothing
/// is sent.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// `--body` names a file that cannot be read.
    #[error("--body {path}: {source}")]
    BodyFile {
        /// The path as given (`-` for standard input).
        path: String,
        /// Why it cannot be read.
        source: std::io::Error,
    },
    /// `--body` is not JSON.
    #[error("--body {path}: not JSON, at line {line} column {column}: {message}")]
    BodyJson {
        /// The path as given.
        path: String,
        /// Where the JSON breaks.
        line: usize,
        /// Where the JSON breaks.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A flag's value is not of its kind.
    #[error("--{flag}: {message}")]
    Flag {
        /// The flag's long name.
        flag: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A flag names a field inside a `--body` value that is not an object.
    #[error("--{flag}: the body has {found} at {pointer}, where an object with this field belongs")]
    NotAnObject {
        /// The flag's long name.
        flag: &'static str,
        /// JSON pointer of the value in the way.
        pointer: String,
        /// What kind of value is there.
        found: &'static str,
    },
    /// The body does not have the documented shape (a wrong type, a missing field).
    #[error("{pointer}: {message}")]
    Shape {
        /// JSON pointer of the value, `/snapshot/name` (empty for the whole body).
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The body breaks documented constraints: the library's own report.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// A parameter's text is not a value of its type.
    #[error("--{flag}: {message}")]
    Parameter {
        /// The flag's long name.
        flag: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A text body that is not UTF-8.
    #[error("--body: a text body must be UTF-8")]
    BodyText,
    /// The operation needs a body and neither `--body` nor a field flag gave one.
    #[error("this operation needs a body: give its fields as flags, or --body FILE")]
    MissingBody,
}

/// The inputs of one call, read from its subcommand's matches.
#[derive(Debug, Default)]
pub struct Input {
    parameters: BTreeMap<&'static str, (&'static str, Vec<String>)>,
    body: Option<Value>,
    raw: Option<Vec<u8>>,
}

impl Input {
    /// Reads the flags of `operation` from `matches`; `stdin` is what `--body -` reads.
    pub fn read(operation: &Operation, matches: &ArgMatches, stdin: &mut dyn Read) -> Result<Input, InputError> {
        let mut input = Input::default();
        if let Some(spec) = &operation.body
            && let Some(path) = matches.get_one::<String>(BODY_ARG)
        {
            let bytes = read_file(path, stdin)?;
            if spec.json {
                input.body = Some(parse_body(path, &bytes)?);
            } else {
                input.raw = Some(bytes);
            }
        }
        for flag in operation.flags {
            let texts: Vec<String> = matches
                .get_many::<String>(flag.long)
                .map(|values| values.cloned().collect())
                .unwrap_or_default();
            if texts.is_empty() {
                continue;
            }
            match flag.target {
                Target::Parameter(wire_name) => {
                    input.parameters.insert(wire_name, (flag.long, texts));
                }
                Target::Field(path) => {
                    let value = flag_value(flag, &texts)?;
                    let body = input.body.get_or_insert_with(|| Value::Object(Map::new()));
                    set(body, path, value, flag.long, flag.arity == Arity::KeyValue)?;
                }
            }
        }
        Ok(input)
    }

    /// The parameter `wire_name` read as `T`, or `None` when its flag was not given.
    pub fn parameter<T: DeserializeOwned>(&self, wire_name: &str) -> Result<Option<T>, InputError> {
        let Some((flag, texts)) = self.parameters.get(wire_name) else {
            return Ok(None);
        };
        let pieces = texts.iter().cloned().map(Piece::Text).collect();
        text::read(pieces)
            .map(Some)
            .map_err(|error| InputError::Parameter { flag, message: error.0 })
    }

    /// The body as JSON, if `--body` or a field flag gave one.
    pub fn body_json(&self) -> Option<&Value> {
        self.body.as_ref()
    }

    /// The body read into its model type and validated: `None` when nothing gave one.
    pub fn body<T: DeserializeOwned + Validate>(&self) -> Result<Option<T>, InputError> {
        let Some(json) = &self.body else {
            return Ok(None);
        };
        let body: T = serde_path_to_error::deserialize(json).map_err(|error| InputError::Shape {
            pointer: pointer_of(error.path()),
            message: error.inner().to_string(),
        })?;
        body.validate()?;
        Ok(Some(body))
    }

    /// The body of an operation that must send one.
    pub fn required_body<T: DeserializeOwned + Validate>(&self) -> Result<T, InputError> {
        self.body()?.ok_or(InputError::MissingBody)
    }

    /// The bytes `--body` gave, for a body that is not JSON.
    pub fn raw_body(&self) -> Result<Option<Vec<u8>>, InputError> {
        Ok(self.raw.clone())
    }

    /// The bytes of a body that is not JSON and must be sent.
    pub fn required_raw_body(&self) -> Result<Vec<u8>, InputError> {
        self.raw_body()?.ok_or(InputError::MissingBody)
    }

    /// The text `--body` gave, for a text body.
    pub fn text_body(&self) -> Result<Option<String>, InputError> {
        self.raw
            .clone()
            .map(|bytes| String::from_utf8(bytes).map_err(|_| InputError::BodyText))
            .transpose()
    }

    /// The text of a text body that must be sent.
    pub fn required_text_body(&self) -> Result<String, InputError> {
        self.text_body()?.ok_or(InputError::MissingBody)
    }
}

fn read_file(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        stdin.read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|content| bytes = content)
    };
    read.map_err(|source| InputError::BodyFile {
        path: path.to_owned(),
        source,
    })?;
    Ok(bytes)
}

fn parse_body(path: &str, bytes: &[u8]) -> Result<Value, InputError> {
    serde_json::from_slice(bytes).map_err(|error| InputError::BodyJson {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
        message: strip_position(&error.to_string()),
    })
}

/// serde_json's message without its own "at line L column C", which the error states apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The JSON pointer of a serde path (`snapshot.name` is `/snapshot/name`).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        let text = match segment {
            serde_path_to_error::Segment::Seq { index } => index.to_string(),
            serde_path_to_error::Segment::Map { key } => key.replace('~', "~0").replace('/', "~1"),
            serde_path_to_error::Segment::Enum { variant } => variant.clone(),
            serde_path_to_error::Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&text);
    }
    pointer
}

/// The JSON value of a field flag's texts.
fn flag_value(flag: &Flag, texts: &[String]) -> Result<Value, InputError> {
    match flag.arity {
        Arity::One => scalar(flag, &texts[texts.len() - 1]),
        Arity::Repeated => texts
            .iter()
            .map(|text| scalar(flag, text))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Arity::KeyValue => {
            let mut map = Map::new();
            for text in texts {
                let Some((key, value)) = text.split_once('=') else {
                    return Err(InputError::Flag {
                        flag: flag.long,
                        message: format!("`{text}` is not KEY=VALUE"),
                    });
                };
                map.insert(key.to_owned(), scalar(flag, value)?);
            }
            Ok(Value::Object(map))
        }
    }
}

fn scalar(flag: &Flag, text: &str) -> Result<Value, InputError> {
    let refuse = |what: &str| InputError::Flag {
        flag: flag.long,
        message: format!("`{text}` is not {what}"),
    };
    match flag.value {
        ValueKind::Text | ValueKind::Enum(_) => Ok(Value::String(text.to_owned())),
        ValueKind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.trim().parse::<u64>().map(Value::from))
            .map_err(|_| refuse("an integer")),
        ValueKind::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| refuse("a number")),
        ValueKind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(refuse("true or false")),
        },
        ValueKind::Json => serde_json::from_str(text).map_err(|error| InputError::Flag {
            flag: flag.long,
            message: format!("not JSON: {}", strip_position(&error.to_string())),
        }),
    }
}

/// Puts `value` at `path` in `body`, making the objects on the way; a flag wins over `--body`.
/// A map from `KEY=VALUE` flags (`merge`) adds its keys to a map `--body` gave, each key winning,
/// as `openstack ... --property` adds to what is there.
fn set(body: &mut Value, path: &[&str], value: Value, flag: &'static str, merge: bool) -> Result<(), InputError> {
    let mut here = body;
    let mut pointer = String::new();
    for (depth, key) in path.iter().enumerate() {
        let object = match here {
            Value::Object(object) => object,
            other => {
                return Err(InputError::NotAnObject {
                    flag,
                    pointer: if pointer.is_empty() {
                        "the root".to_owned()
                    } else {
                        pointer
                    },
                    found: kind_of(other),
                });
            }
        };
        pointer.push('/');
        pointer.push_str(key);
        if depth + 1 == path.len() {
            match (object.get_mut(*key), value) {
                (Some(Value::Object(given)), Value::Object(added)) if merge => given.extend(added),
                (_, value) => {
                    object.insert((*key).to_owned(), value);
                }
            }
            return Ok(());
        }
        here = object
            .entry((*key).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    *here = value;
    Ok(())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flag(long: &'static str, target: Target, value: ValueKind, arity: Arity) -> Flag {
        Flag {
            long,
            help: "",
            target,
            value,
            arity,
            required: false,
        }
    }

    #[test]
    fn field_flags_are_laid_over_the_body_and_win() {
        let mut body = json!({"snapshot": {"name": "from-file", "volume_id": "v"}});
        set(&mut body, &["snapshot", "name"], json!("from-flag"), "name", false).expect("sets");
        set(
            &mut body,
            &["snapshot", "metadata", "key"],
            json!("k"),
            "metadata.key",
            false,
        )
        .expect("sets");
        assert_eq!(
            body,
            json!({"snapshot": {"name": "from-flag", "volume_id": "v", "metadata": {"key": "k"}}})
        );
        let mut tagged = json!({"tags": {"a": "1", "b": "body"}});
        set(&mut tagged, &["tags"], json!({"b": "flag", "c": "3"}), "tags", true).expect("merges");
        assert_eq!(tagged, json!({"tags": {"a": "1", "b": "flag", "c": "3"}}));
        let mut wrong = json!({"snapshot": []});
        let error = set(&mut wrong, &["snapshot", "name"], json!("n"), "name", false).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "--name: the body has an array at /snapshot, where an object with this field belongs"
        );
    }

    #[test]
    fn values_are_read_by_their_kind() {
        let size = flag("size", Target::Field(&["size"]), ValueKind::Integer, Arity::One);
        assert_eq!(flag_value(&size, &["12".into()]).expect("reads"), json!(12));
        assert_eq!(
            flag_value(&size, &["twelve".into()]).expect_err("refused").to_string(),
            "--size: `twelve` is not an integer"
        );
        let tags = flag("tags", Target::Field(&["tags"]), ValueKind::Text, Arity::KeyValue);
        assert_eq!(
            flag_value(&tags, &["a=1".into(), "b=x=y".into()]).expect("reads"),
            json!({"a": "1", "b": "x=y"})
        );
        assert_eq!(
            flag_value(&tags, &["a".into()]).expect_err("refused").to_string(),
            "--tags: `a` is not KEY=VALUE"
        );
        let ids = flag("ids", Target::Field(&["ids"]), ValueKind::Number, Arity::Repeated);
        assert_eq!(
            flag_value(&ids, &["1.5".into(), "2".into()]).expect("reads"),
            json!([1.5, 2.0])
        );
        let force = flag("force", Target::Field(&["force"]), ValueKind::Boolean, Arity::One);
        assert_eq!(flag_value(&force, &["true".into()]).expect("reads"), json!(true));
        let any = flag("extra", Target::Field(&["extra"]), ValueKind::Json, Arity::One);
        assert_eq!(
            flag_value(&any, &["{\"a\": [1]}".into()]).expect("reads"),
            json!({"a": [1]})
        );
        assert!(
            flag_value(&any, &["{".into()])
                .expect_err("refused")
                .to_string()
                .starts_with("--extra: not JSON")
        );
    }

    #[test]
    fn a_body_that_is_not_json_says_where() {
        let bytes = read_file("-", &mut "{\"snapshot\": {\"name\": }".as_bytes()).expect("reads");
        let error = parse_body("-", &bytes).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "--body -: not JSON, at line 1 column 23: expected value"
        );
        let missing = read_file("/nonexistent/body.json", &mut std::io::empty()).expect_err("refused");
        assert!(
            missing.to_string().starts_with("--body /nonexistent/body.json: "),
            "{missing}"
        );
    }

    #[test]
    fn shape_errors_carry_the_json_pointer() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            name: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            snapshot: Inner,
        }
        impl Validate for Outer {}
        let input = Input {
            body: Some(json!({"snapshot": {"name": 7}})),
            ..Input::default()
        };
        let error = input.body::<Outer>().expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("/snapshot/name: invalid type: integer `7`"),
            "{error}"
        );
    }
}
