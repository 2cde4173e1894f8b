//! Doc comments from spec prose.
//!
//! Spec descriptions are Markdown written for a web page. In a Rust crate, a code fence or an
//! indented block becomes a doctest that fails in the user's build, so fences are marked `text`
//! and indentation is capped below the code-block threshold.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Constraints, Docs, LengthUnit};

/// Builds the lines of one item's documentation.
#[derive(Debug, Default)]
pub struct DocText {
    paragraphs: Vec<String>,
}

impl DocText {
    /// Starts with the summary and description of `docs`.
    pub fn from_docs(docs: &Docs) -> Self {
        let mut text = DocText::default();
        if let Some(summary) = &docs.summary {
            text.paragraph(summary);
        }
        if let Some(description) = &docs.description
            && docs.summary.as_deref() != Some(description.as_str())
        {
            text.paragraph(description);
        }
        text
    }

    /// Adds a paragraph of Markdown, neutralised.
    pub fn paragraph(&mut self, markdown: &str) -> &mut Self {
        let cleaned = neutralise(markdown.trim());
        if !cleaned.is_empty() {
            self.paragraphs.push(cleaned);
        }
        self
    }

    /// Adds the documented constraints and default as a list.
    pub fn constraints(&mut self, constraints: &Constraints, default: Option<&Value>) -> &mut Self {
        let items = constraint_items(constraints);
        if !items.is_empty() {
            let list: Vec<String> = items.into_iter().map(|item| format!("- {item}")).collect();
            self.paragraphs.push(format!("Constraints:\n{}", list.join("\n")));
        }
        if let Some(default) = default {
            self.paragraphs
                .push(format!("Default when absent: `{}`.", code(&default.to_string())));
        }
        self
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// `#[doc = "..."]` attributes, one per line (inner `#![doc]` when `inner`).
    pub fn attributes(&self, inner: bool) -> TokenStream {
        let text = self.paragraphs.join("\n\n");
        let lines = text.lines().map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        });
        let lines: Vec<String> = lines.collect();
        // Several lines go in one attribute, which is one literal to parse and print instead of
        // one per line; prettyplease prints it as a block comment, which `mod.rs` turns back into
        // `///` lines. Text that could not live in a block comment keeps an attribute per line.
        if lines.len() > 1 && !text.contains("/*") && !text.contains("*/") {
            let joined = lines.join("\n");
            return if inner {
                quote! { #![doc = #joined] }
            } else {
                quote! { #[doc = #joined] }
            };
        }
        if inner {
            quote! { #( #![doc = #lines] )* }
        } else {
            quote! { #( #[doc = #lines] )* }
        }
    }
}

/// The constraints of a value, each as a short phrase.
pub fn constraint_items(c: &Constraints) -> Vec<String> {
    let mut items = Vec::new();
    let unit = match c.length_unit {
        LengthUnit::Characters => "characters",
        LengthUnit::Bytes if c.format.as_deref() == Some("binary") => "bytes",
        LengthUnit::Bytes => "bytes (UTF-8)",
    };
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => items.push(format!("length: {min} to {max} {unit}")),
        (Some(min), None) => items.push(format!("length: at least {min} {unit}")),
        (None, Some(max)) => items.push(format!("length: at most {max} {unit}")),
        (None, None) => {}
    }
    if let Some(pattern) = &c.pattern {
        items.push(format!("pattern: `{}`", code(pattern)));
    }
    let bound = |value: f64, exclusive: bool, word: &str, strict: &str| {
        if exclusive {
            format!("{strict} {value}")
        } else {
            format!("{word}: {value}")
        }
    };
    if let Some(min) = c.minimum {
        items.push(bound(min, c.exclusive_minimum, "minimum", "greater than"));
    }
    if let Some(max) = c.maximum {
        items.push(bound(max, c.exclusive_maximum, "maximum", "less than"));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => items.push(format!("items: {min} to {max}")),
        (Some(min), None) => items.push(format!("items: at least {min}")),
        (None, Some(max)) => items.push(format!("items: at most {max}")),
        (None, None) => {}
    }
    if c.unique_items {
        items.push("items are unique".to_owned());
    }
    match (c.min_properties, c.max_properties) {
        (Some(min), Some(max)) if min == max => {
            items.push(format!("exactly {min} propert{}", if min == 1 { "y" } else { "ies" }))
        }
        (Some(min), Some(max)) => items.push(format!("properties: {min} to {max}")),
        (Some(min), None) => items.push(format!("properties: at least {min}")),
        (None, Some(max)) => items.push(format!("properties: at most {max}")),
        (None, None) => {}
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c
            .allowed
            .iter()
            .map(|v| format!("`{}`", code(&v.to_string())))
            .collect();
        items.push(format!("one of {}", values.join(", ")));
    }
    if let Some(format) = &c.format {
        items.push(format!("format: `{}`", code(format)));
    }
    items
}

/// Text for inside single backticks: a backtick would end the span early.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// Makes Markdown safe to use as rustdoc: no fence or indented block becomes a doctest.
pub fn neutralise(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Where the text of the list item being read starts, until a blank line ends its paragraph.
    let mut item_content: Option<usize> = None;
    for line in markdown.lines() {
        let expanded = line.replace('\t', "    ");
        let trimmed = expanded.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                in_fence = false;
                out.push(fence.to_owned());
            } else {
                in_fence = true;
                let language = trimmed[3..].trim();
                let language = if language.is_empty() || language.starts_with("rust") {
                    "text"
                } else {
                    language
                };
                out.push(format!("{fence}{language}"));
            }
            continue;
        }
        if in_fence {
            out.push(expanded.trim_end().to_owned());
            continue;
        }
        // Four spaces start a code block; three still nest under a `- ` list item.
        let indent = (expanded.len() - trimmed.len()).min(3);
        let text = trimmed.trim_end();
        if text.is_empty() {
            item_content = None;
        } else if let Some((marker, rest)) = list_item(text) {
            // One space after the marker, so the item's text starts where a continuation can reach.
            item_content = Some(indent + marker.len() + 1);
            out.push(format!("{}{marker} {rest}", " ".repeat(indent)));
            continue;
        } else if let Some(content) = item_content
            && indent < content
        {
            // A line that continues a list item's paragraph is indented to the item's text, as
            // rustdoc (and clippy's `doc_lazy_continuation`) read it.
            out.push(format!("{}{text}", " ".repeat(content)));
            continue;
        }
        out.push(format!("{}{text}", " ".repeat(indent)));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

/// A Markdown list item's marker (`-`, `*`, `+`, `1.`, `1)`) and its text, when `line` (without its
/// indentation) starts one.
fn list_item(line: &str) -> Option<(&str, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker_len = match line.as_bytes().get(digits)? {
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        b'-' | b'*' | b'+' if digits == 0 => 1,
        _ => return None,
    };
    let (marker, rest) = line.split_at(marker_len);
    let text = rest.trim_start_matches(' ');
    (rest.starts_with(' ') && !text.is_empty()).then_some((marker, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_indented_blocks_are_flattened() {
        let markdown = "Example:\n\n```\nlet x = 1;\n```\n\n    not code\n- item\n    - nested";
        assert_eq!(
            neutralise(markdown),
            "Example:\n\n```text\nlet x = 1;\n```\n\n   not code\n- item\n   - nested"
        );
    }

    #[test]
    fn a_list_item_continued_on_the_next_line_is_indented_to_its_text() {
        let markdown =
            "**Note**:\n*   One, wrapped\nhere.\n*   Two.\n\nAfter.\n10. Ten\nmore\n   - nested\nstill nested";
        assert_eq!(
            neutralise(markdown),
            "**Note**:\n* One, wrapped\n  here.\n* Two.\n\nAfter.\n10. Ten\n    more\n   - nested\n     still nested"
        );
        // Not list items: emphasis, a rule, a bare number, a dash without text.
        assert_eq!(
            neutralise("*emphasis*\n---\n2024.\n-\nnext"),
            "*emphasis*\n---\n2024.\n-\nnext"
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(neutralise("```json\n{}"), "```json\n{}\n```");
    }

    #[test]
    fn constraints_read_as_phrases() {
        let c = Constraints {
            min_length: Some(4),
            max_length: Some(64),
            pattern: Some("^[a-z]`$".into()),
            ..Constraints::default()
        };
        assert_eq!(
            constraint_items(&c),
            ["length: 4 to 64 characters", "pattern: `^[a-z]'$`"]
        );
    }
}
