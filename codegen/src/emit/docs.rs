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
    // Each line, and whether it is prose (brackets, URLs and tags are escaped) or code.
    let mut out: Vec<(String, bool)> = Vec::new();
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
                out.push((fence.to_owned(), false));
            } else {
                in_fence = true;
                let language = trimmed[3..].trim();
                let language = if language.is_empty() || language.starts_with("rust") {
                    "text"
                } else {
                    language
                };
                out.push((format!("{fence}{language}"), false));
            }
            continue;
        }
        if in_fence {
            out.push((expanded.trim_end().to_owned(), false));
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
            out.push((format!("{}{marker} {rest}", " ".repeat(indent)), true));
            continue;
        } else if let Some(content) = item_content
            && indent < content
        {
            // A line that continues a list item's paragraph is indented to the item's text, as
            // rustdoc (and clippy's `doc_lazy_continuation`) read it.
            out.push((format!("{}{text}", " ".repeat(content)), true));
            continue;
        }
        out.push((format!("{}{text}", " ".repeat(indent)), true));
    }
    if in_fence {
        out.push(("```".to_owned(), false));
    }
    // Prose is escaped a run of lines at a time, since a link or a code span may wrap.
    let mut lines = Vec::with_capacity(out.len());
    let mut start = 0;
    while start < out.len() {
        let prose = out[start].1;
        let end = out[start..]
            .iter()
            .position(|(_, p)| *p != prose)
            .map_or(out.len(), |n| start + n);
        let run: Vec<&str> = out[start..end].iter().map(|(line, _)| line.as_str()).collect();
        if prose {
            lines.push(escape_prose(&run.join("\n")));
        } else {
            lines.push(run.join("\n"));
        }
        start = end;
    }
    lines.join("\n")
}

/// Makes spec prose quiet under `cargo doc`, outside code spans:
/// - the brackets of `[text]` are escaped unless an inline link (`[text](url)`) follows. The prose
///   was written for another page or crate: a `[Name]` would be a rustdoc intra-doc link to
///   something this crate does not have (nexus writes `[`crate::external_api::views::Vpc`]`), and a
///   footnote-like `[1]` is one too;
/// - a bare `https://` URL is put in `<...>`, which makes it a link;
/// - a `<word>` that is not an HTML tag (`<owner>`, a placeholder) is escaped.
fn escape_prose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let code = code_spans(&chars);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if code[i] {
            out.push(c);
            i += 1;
            continue;
        }
        if c == '\\' && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '[' {
            // An inline link is kept whole, unless its target is a Rust path (an intra-doc link
            // into the crate the prose was written for): then only its text is kept.
            let link = closing_bracket(&chars, &code, i)
                .filter(|&text_end| chars.get(text_end + 1) == Some(&'('))
                .and_then(|text_end| Some((text_end, closing_paren(&chars, text_end + 1)?)));
            if let Some((text_end, end)) = link {
                let target: String = chars[text_end + 2..end].iter().collect();
                if is_rust_path(target.trim()) {
                    let text: String = chars[i + 1..text_end].iter().collect();
                    out.push_str(&escape_prose(&text));
                } else {
                    out.extend(&chars[i..=end]);
                }
                i = end + 1;
                continue;
            }
        }
        if c == '[' || c == ']' {
            out.push('\\');
        }
        if c == 'h' && bare_url_at(&chars, i) {
            let len = url_length(&chars[i..]);
            out.push('<');
            out.extend(&chars[i..i + len]);
            out.push('>');
            i += len;
            continue;
        }
        if c == '<' && url_starts_at(&chars, i + 1) {
            // An autolink (`<https://...>`) is kept whole.
            let len = url_length(&chars[i + 1..]);
            if chars.get(i + 1 + len) == Some(&'>') {
                out.extend(&chars[i..i + len + 2]);
                i += len + 2;
                continue;
            }
        }
        if c == '<' && placeholder_tag_at(&chars, i) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Which characters are in a code span, backticks included: a run of backticks opens one only if
/// a run of the same length closes it before the paragraph ends (a blank line), as in CommonMark.
fn code_spans(chars: &[char]) -> Vec<bool> {
    let mut code = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&t| t == '`').count();
        let mut j = i + run;
        let mut close = None;
        while j < chars.len() && !(chars[j] == '\n' && chars.get(j + 1) == Some(&'\n')) {
            if chars[j] == '`' {
                let found = chars[j..].iter().take_while(|&&t| t == '`').count();
                if found == run {
                    close = Some(j + found);
                    break;
                }
                j += found;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                code[i..end].iter_mut().for_each(|c| *c = true);
                i = end;
            }
            None => i += run,
        }
    }
    code
}

/// The position of the `]` that closes the `[` at `open`, outside code spans.
fn closing_bracket(chars: &[char], code: &[bool], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        if code[i] {
            continue;
        }
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether an `http://` or `https://` URL starts at `at`.
fn url_starts_at(chars: &[char], at: usize) -> bool {
    let rest: String = chars[at.min(chars.len())..chars.len().min(at + 8)].iter().collect();
    rest.starts_with("https://") || rest.starts_with("http://")
}

/// Whether a bare `http://` or `https://` URL starts at `at` (not already in `<...>`, a link or a
/// word).
fn bare_url_at(chars: &[char], at: usize) -> bool {
    let starts = url_starts_at(chars, at);
    let before = at.checked_sub(1).map(|b| chars[b]);
    starts
        && !matches!(before, Some(c) if c == '<' || c == '(' || c == '"' || c == '\'' || c == '=' || c.is_alphanumeric())
}

/// How many characters of `chars` a bare URL takes: up to white space, without trailing
/// punctuation.
fn url_length(chars: &[char]) -> usize {
    let mut len = chars
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | '[' | ']'))
        .count();
    while len > 0 && matches!(chars[len - 1], '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'') {
        len -= 1;
    }
    len
}

/// Whether `<` at `at` opens a `<word>` that is not an HTML tag rustdoc would accept.
fn placeholder_tag_at(chars: &[char], at: usize) -> bool {
    const HTML: &[&str] = &[
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    ];
    let after_slash = chars[at + 1..].iter().take_while(|c| **c == '/').count();
    let start = at + 1 + after_slash;
    let name: String = chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '-' || **c == '_')
        .collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    // `<https://...>` and `<a@b.c>` are autolinks, not tags.
    let closes = matches!(chars.get(start + name.chars().count()), Some('>' | ' ' | '/'));
    closes && !HTML.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether a link target is a Rust path (`Disk`, `crate::views::Vpc`, `f()`, `m!`) rather than a
/// URL or a file.
fn is_rust_path(target: &str) -> bool {
    let path = target.trim_end_matches("()").trim_end_matches('!');
    !path.is_empty()
        && path.split("::").all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The position of the `)` that closes the `(` at `open`.
fn closing_paren(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
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
    fn brackets_outside_code_and_links_are_escaped() {
        assert_eq!(
            neutralise("A [`crate::views::Vpc`] and [Policy], see [1].\n`a[0]` and [docs](https://x.y/[z]) stay."),
            "A \\[`crate::views::Vpc`\\] and \\[Policy\\], see \\[1\\].\n`a[0]` and [docs](https://x.y/[z]) stay."
        );
        assert_eq!(neutralise("already \\[escaped\\]"), "already \\[escaped\\]");
        // A lone backtick opens no code span.
        assert_eq!(neutralise("it's ` odd, data[0]"), "it's ` odd, data\\[0\\]");
        // A link that wraps onto the next line is still one link.
        assert_eq!(
            neutralise("the [media\ntype](https://x.y/#t) to"),
            "the [media\ntype](https://x.y/#t) to"
        );
        // Bare URLs become links; placeholders are not tags; real tags stay.
        assert_eq!(
            neutralise("on https://github.com/topics. For <owner>, <b>bold</b> and <https://a.b>"),
            "on <https://github.com/topics>. For \\<owner>, <b>bold</b> and <https://a.b>"
        );
        // A link into the crate the prose came from keeps its text only.
        assert_eq!(
            neutralise("a [`Disk`](omicron_common::api::external::Disk) and [a page](page.html)"),
            "a `Disk` and [a page](page.html)"
        );
        assert_eq!(neutralise("```\n[not touched]\n```"), "```text\n[not touched]\n```");
    }

    /// Random text made of Markdown's special characters: neutralising never panics, and doing it
    /// twice changes nothing more (escapes are not escaped again).
    #[test]
    fn neutralising_any_text_is_safe_and_stable() {
        const PIECES: &[&str] = &[
            "[",
            "]",
            "(",
            ")",
            "`",
            "``",
            "<",
            ">",
            "\\",
            "https://a.b/c",
            "http://",
            "x",
            " ",
            "\n",
            "\n\n",
            "- ",
            "1. ",
            "<owner>",
            "<b>",
            "</b>",
            "::",
            "é",
            "```",
            "    ",
            "*",
            "_",
            "!",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            // As `DocText::paragraph` calls it: on trimmed text.
            let once = neutralise(text.trim());
            assert_eq!(neutralise(once.trim()), once.trim(), "from {text:?}");
        }
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
