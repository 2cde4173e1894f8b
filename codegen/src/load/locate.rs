//! Finding the line of a JSON pointer in the spec's text.
//!
//! `serde_yaml` and `serde_json` values carry no positions, so the line of a node is found in a
//! second, event-level parse of the same text (JSON is YAML too). It runs only when a diagnostic
//! asks for a line, so large specs that generate cleanly never pay for it.

use std::collections::HashMap;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::join;

/// Lines of the nodes of one spec, keyed by JSON pointer, built on first use.
#[derive(Debug)]
pub struct LineIndex {
    text: String,
    lines: OnceLock<HashMap<String, usize>>,
}

impl LineIndex {
    /// An index over `text`; nothing is parsed yet.
    pub fn new(text: String) -> Self {
        LineIndex {
            text,
            lines: OnceLock::new(),
        }
    }

    /// The 1-based line of the node at `pointer`, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.get_or_init(|| index(&self.text));
        let mut pointer = pointer;
        loop {
            if let Some(line) = lines.get(pointer) {
                return Some(*line);
            }
            let (parent, _) = pointer.rsplit_once('/')?;
            pointer = parent;
        }
    }
}

fn index(text: &str) -> HashMap<String, usize> {
    let mut receiver = Receiver::default();
    // A text that does not parse here already failed to load; whatever was indexed before the
    // error still helps, so the error itself is ignored.
    let _ = Parser::new_from_str(text).load(&mut receiver, false);
    receiver.lines
}

enum Frame {
    Mapping { pointer: String, key: Option<String> },
    Sequence { pointer: String, next: usize },
}

#[derive(Default)]
struct Receiver {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl Receiver {
    /// The pointer of the node that starts now, or `None` when the node is a mapping key.
    fn place_node(&mut self, event: &Event, line: usize) -> Option<String> {
        let pointer = match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Sequence { pointer, next }) => {
                let child = join(pointer, &next.to_string());
                *next += 1;
                child
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(key) => join(pointer, &key),
                None => {
                    let key_text = match event {
                        Event::Scalar(text, ..) => text.clone(),
                        _ => String::from("?"),
                    };
                    let child = join(pointer, &key_text);
                    self.lines.entry(child).or_insert(line);
                    *key = Some(key_text);
                    return None;
                }
            },
        };
        self.lines.entry(pointer.clone()).or_insert(line);
        Some(pointer)
    }
}

impl MarkedEventReceiver for Receiver {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(..) | Event::Alias(_) => {
                self.place_node(&event, mark.line());
            }
            Event::MappingStart(..) => {
                // A mapping used as a key is not something OpenAPI has; it is indexed under "?".
                let pointer = self.place_node(&event, mark.line()).unwrap_or_default();
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.place_node(&event, mark.line()).unwrap_or_default();
                self.stack.push(Frame::Sequence { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_pointers_find_the_line_of_their_key() {
        let index = LineIndex::new(
            "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\nlist:\n  - x\n  - y\n"
                .to_owned(),
        );
        assert_eq!(index.line_of("/openapi"), Some(1));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get"), Some(4));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/responses/200/description"), Some(7));
        assert_eq!(index.line_of("/list/1"), Some(10));
        // A pointer below a leaf falls back to the nearest node that exists.
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/missing/deeper"), Some(4));
    }

    #[test]
    fn json_text_is_indexed_too() {
        let index = LineIndex::new("{\n  \"a\": {\n    \"b\": [1,\n 2]\n  }\n}".to_owned());
        assert_eq!(index.line_of("/a/b"), Some(3));
        assert_eq!(index.line_of("/a/b/1"), Some(4));
    }
}
