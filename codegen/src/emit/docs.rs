//! Doc comments: every `#[doc]` attribute the generator writes is made here, from spec prose
//! (neutralised by [`super::markdown`]) and the generator's own words.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::markdown::neutralise;
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

    /// Adds a paragraph the generator wrote itself, as it is: its intra-doc links (`[`Name`]`)
    /// name items of the generated crate.
    pub fn own(&mut self, markdown: &str) -> &mut Self {
        let text = markdown.trim();
        if !text.is_empty() {
            self.paragraphs.push(text.to_owned());
        }
        self
    }

    /// Adds a paragraph of Markdown from the spec, neutralised.
    pub fn paragraph(&mut self, markdown: &str) -> &mut Self {
        // A carriage return is a line break to whoever wrote it; rustdoc refuses a bare one.
        let markdown = markdown.replace("\r\n", "\n").replace('\r', "\n");
        let cleaned = neutralise(markdown.trim());
        if !cleaned.is_empty() {
            self.paragraphs.push(cleaned);
        }
        self
    }

    /// Says which part of the spec a selection generated, when one did.
    pub fn selection(&mut self, selected: Option<&crate::ir::Selected>) -> &mut Self {
        if let Some(selected) = selected {
            let patterns: Vec<String> = selected.patterns.iter().map(|p| format!("`{p}`")).collect();
            self.paragraphs.push(format!(
                "A selection of the spec ({}): {} of its {} operations, and the {} types they use.",
                patterns.join(", "),
                selected.operations.0,
                selected.operations.1,
                selected.types.0
            ));
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
        let text = self.paragraphs.join("\n\n").replace('\r', "\n");
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

/// The doc attribute of one line of the generator's own words (spec values in it go through
/// [`code`]).
pub fn doc_line(text: &str) -> TokenStream {
    let mut docs = DocText::default();
    docs.own(text);
    docs.attributes(false)
}

/// [`doc_line`] as an inner attribute (`#![doc]`), for a file's own docs.
pub fn inner_doc_line(text: &str) -> TokenStream {
    let mut docs = DocText::default();
    docs.own(text);
    docs.attributes(true)
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
    for pattern in &c.patterns {
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
    if let Some(factor) = c.multiple_of {
        items.push(format!("a multiple of {factor}"));
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
    if !c.alternatives.is_empty() {
        let alternatives: Vec<String> = c
            .alternatives
            .iter()
            .map(|alternative| {
                let items = constraint_items(alternative);
                if items.is_empty() {
                    "anything".to_owned()
                } else {
                    items.join(", ")
                }
            })
            .collect();
        items.push(format!("one of: {}", alternatives.join("; or ")));
    }
    items
}

/// Text for inside single backticks: a backtick would end the span early.
pub fn code(text: &str) -> String {
    text.replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriage_returns_are_line_breaks_never_bare() {
        let mut docs = DocText::default();
        docs.paragraph("Windows line\r\nand an old Mac one\rend.");
        let text = docs.attributes(false).to_string();
        assert!(!text.contains("\\r"), "{text}");
        assert!(text.contains("Windows line\\n and an old Mac one\\n end."), "{text}");
    }

    #[test]
    fn constraints_read_as_phrases() {
        let c = Constraints {
            min_length: Some(4),
            max_length: Some(64),
            patterns: vec!["^[a-z]`$".into()],
            ..Constraints::default()
        };
        assert_eq!(
            constraint_items(&c),
            ["length: 4 to 64 characters", "pattern: `^[a-z]'$`"]
        );
    }
}
