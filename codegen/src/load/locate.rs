//! Finding the line of a JSON pointer in the spec's text.
//!
//! `serde_yaml` and `serde_json` values carry no positions, so lines are found in a second pass
//! over the same text. It runs only when diagnostics ask, once for all of them, and records only
//! the pointers asked for (and their ancestors, for fallback), so a large spec with a handful of
//! warnings pays for one scan and no index. JSON text gets a small scanner of its own, much
//! faster than the YAML parser that serves YAML text.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, join};

/// Finds lines of JSON pointers in one spec's text.
#[derive(Debug)]
pub struct LineIndex {
    text: String,
}

impl LineIndex {
    /// An index over `text`; nothing is scanned yet.
    pub fn new(text: String) -> Self {
        LineIndex { text }
    }

    /// The 1-based line of the node at `pointer`, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.scan(&wanted([pointer]));
        nearest(&lines, pointer)
    }

    /// Fills in the line of every diagnostic that has none, in one scan.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let missing: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.line.is_none())
            .map(|d| d.pointer.as_str())
            .collect();
        if missing.is_empty() {
            return;
        }
        let lines = self.scan(&wanted(missing));
        for diagnostic in diagnostics.iter_mut().filter(|d| d.line.is_none()) {
            diagnostic.line = nearest(&lines, &diagnostic.pointer);
        }
    }

    fn scan(&self, wanted: &HashSet<String>) -> HashMap<String, usize> {
        let trimmed = self.text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            let mut scanner = JsonScanner {
                text: self.text.as_bytes(),
                at: 0,
                line: 1,
                pointer: String::new(),
                wanted,
                found: HashMap::new(),
            };
            // Text that does not scan as JSON stops the scan; what was found before still helps.
            let _ = scanner.value();
            if !scanner.found.is_empty() || wanted.is_empty() {
                return scanner.found;
            }
        }
        let mut receiver = Receiver {
            stack: Vec::new(),
            wanted,
            lines: HashMap::new(),
        };
        // A text that does not parse here already failed to load; whatever was indexed before the
        // error still helps, so the error itself is ignored.
        let _ = Parser::new_from_str(&self.text).load(&mut receiver, false);
        receiver.lines
    }
}

/// The pointers to record: each asked-for pointer and all its ancestors.
fn wanted<'p>(pointers: impl IntoIterator<Item = &'p str>) -> HashSet<String> {
    let mut set = HashSet::new();
    for pointer in pointers {
        let mut current = pointer;
        loop {
            if !set.insert(current.to_owned()) {
                break;
            }
            match current.rsplit_once('/') {
                Some((parent, _)) => current = parent,
                None => break,
            }
        }
    }
    set
}

fn nearest(lines: &HashMap<String, usize>, pointer: &str) -> Option<usize> {
    let mut pointer = pointer;
    loop {
        if let Some(line) = lines.get(pointer) {
            return Some(*line);
        }
        let (parent, _) = pointer.rsplit_once('/')?;
        pointer = parent;
    }
}

/// A JSON scanner that knows only where values start: it keeps the pointer of the current value
/// in one buffer and records the line of each wanted one.
struct JsonScanner<'t, 'w> {
    text: &'t [u8],
    at: usize,
    line: usize,
    pointer: String,
    wanted: &'w HashSet<String>,
    found: HashMap<String, usize>,
}

impl JsonScanner<'_, '_> {
    fn skip_space(&mut self) {
        while let Some(&c) = self.text.get(self.at) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn record(&mut self) {
        if self.wanted.contains(&self.pointer) {
            self.found.entry(self.pointer.clone()).or_insert(self.line);
        }
    }

    /// Scans one value starting at the current position; `None` on text that is not JSON.
    fn value(&mut self) -> Option<()> {
        self.skip_space();
        self.record();
        match *self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                loop {
                    self.skip_space();
                    match *self.text.get(self.at)? {
                        b'}' => {
                            self.at += 1;
                            return Some(());
                        }
                        b',' => self.at += 1,
                        b'"' => {
                            let key = self.string()?;
                            self.skip_space();
                            if *self.text.get(self.at)? != b':' {
                                return None;
                            }
                            self.at += 1;
                            let length = self.pointer.len();
                            self.pointer = join(&self.pointer, &key);
                            // The key's line is where the member starts.
                            self.skip_space();
                            self.value()?;
                            self.pointer.truncate(length);
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut index = 0usize;
                loop {
                    self.skip_space();
                    match *self.text.get(self.at)? {
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        b',' => self.at += 1,
                        _ => {
                            let length = self.pointer.len();
                            self.pointer.push('/');
                            self.pointer.push_str(&index.to_string());
                            self.value()?;
                            self.pointer.truncate(length);
                            index += 1;
                        }
                    }
                }
            }
            b'"' => self.string().map(drop),
            _ => {
                while let Some(&c) = self.text.get(self.at) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        break;
                    }
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// Reads a string literal; the current position is its opening quote.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        let mut escaped = false;
        loop {
            match *self.text.get(self.at)? {
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                b'"' => {
                    self.at += 1;
                    break;
                }
                b'\n' => return None,
                _ => self.at += 1,
            }
        }
        let raw = std::str::from_utf8(self.text.get(start..self.at)?).ok()?;
        if escaped {
            serde_json::from_str(raw).ok()
        } else {
            Some(raw[1..raw.len() - 1].to_owned())
        }
    }
}

enum Frame {
    Mapping { pointer: String, key: Option<String> },
    Sequence { pointer: String, next: usize },
}

struct Receiver<'w> {
    stack: Vec<Frame>,
    wanted: &'w HashSet<String>,
    lines: HashMap<String, usize>,
}

impl Receiver<'_> {
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
                    if self.wanted.contains(&child) {
                        self.lines.entry(child).or_insert(line);
                    }
                    *key = Some(key_text);
                    return None;
                }
            },
        };
        if self.wanted.contains(&pointer) {
            self.lines.entry(pointer.clone()).or_insert(line);
        }
        Some(pointer)
    }
}

impl MarkedEventReceiver for Receiver<'_> {
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

    #[test]
    fn the_json_scanner_handles_escapes_and_nesting() {
        let text = "{\"x\": \"a\\\"b\", \"k/~\\u00e9\": {\n\"deep\": [\n{}, {\"z\": true}\n]}}";
        let index = LineIndex::new(text.to_owned());
        assert_eq!(index.line_of("/k~1~0\u{e9}/deep/1/z"), Some(3));
        assert_eq!(index.line_of("/x"), Some(1));
        let mut diagnostics = vec![Diagnostic {
            severity: crate::diagnostic::Severity::Warning,
            file: "t.json".into(),
            pointer: "/k~1~0\u{e9}/deep/0/missing".into(),
            line: None,
            message: String::new(),
        }];
        index.locate(&mut diagnostics);
        assert_eq!(diagnostics[0].line, Some(3));
    }
}
