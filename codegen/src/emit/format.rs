//! Rust source text from tokens: every generated `.rs` file is parsed by `syn` and printed by
//! prettyplease, one chunk of items at a time, under the `@generated` header.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::EmitError;
use super::manifest::header;
use crate::settings::Settings;

/// Generated files are formatted once, by prettyplease, at generation. If `cargo fmt` restyled
/// them they would no longer equal a fresh generation and the freshness test would fail, so they
/// ask rustfmt to leave them alone (the `cfg_attr` form is the one stable Rust accepts as an inner
/// attribute).
pub fn skip_rustfmt() -> TokenStream {
    quote! { #![cfg_attr(rustfmt, rustfmt::skip)] }
}

/// A generated Rust file: the `@generated` header, then its head (inner attributes, `use` lines)
/// and chunks of items, formatted one chunk at a time so that no token tree of the whole file is
/// ever held; top-level items are separated by one blank line, as hand-written code is. `file`
/// names the file in errors.
pub fn format_chunks(
    settings: &Settings,
    file: &str,
    head: TokenStream,
    chunks: impl Iterator<Item = TokenStream>,
) -> Result<String, EmitError> {
    let parse = |tokens: TokenStream| {
        syn::parse2::<syn::File>(tokens).map_err(|e| EmitError {
            file: file.to_owned(),
            message: e.to_string(),
        })
    };
    let mut single = parse(head)?;
    // The file's inner attributes and docs, then a blank line, then its `use` lines.
    let head_items = std::mem::take(&mut single.items);
    let mut out = line_doc_comments(prettyplease::unparse(&single));
    single.attrs.clear();
    if !head_items.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        single.items = head_items;
        out.push_str(&prettyplease::unparse(&single));
        single.items.clear();
    }
    for chunk in chunks {
        let parsed = parse(chunk)?;
        if parsed.items.is_empty() {
            continue;
        }
        // `mod` and `use` lines read as one block; everything else gets a blank line between.
        let tight = parsed
            .items
            .iter()
            .all(|item| matches!(item, syn::Item::Mod(_) | syn::Item::Use(_)));
        if tight {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&line_doc_comments(prettyplease::unparse(&parsed)));
            continue;
        }
        for item in parsed.items {
            if !out.is_empty() {
                out.push('\n');
            }
            if let Some(table) = table_macro(&item) {
                out.push_str(&table);
                continue;
            }
            single.items = vec![item];
            out.push_str(&line_doc_comments(prettyplease::unparse(&single)));
        }
    }
    Ok(format!("{}{out}", header(settings, "//")))
}

/// The runtime's table macros (`from_map!`, `setters!`), whose entries are rows separated by `;`.
const TABLE_MACROS: &[&str] = &["from_map", "setters"];

/// A runtime table macro printed as a table: one row per line. prettyplease cannot know a macro's
/// grammar, so it fills a macro's body with tokens like running text; a table read one row per
/// line is what a hand would write.
fn table_macro(item: &syn::Item) -> Option<String> {
    let syn::Item::Macro(item) = item else { return None };
    let mut segments = item.mac.path.segments.iter().map(|segment| segment.ident.to_string());
    let from_runtime = segments.next().as_deref() == Some("apigen_runtime");
    let name = segments.next().filter(|name| TABLE_MACROS.contains(&name.as_str()))?;
    if !from_runtime || segments.next().is_some() || !item.attrs.is_empty() {
        return None;
    }
    let mut out = format!("::apigen_runtime::{name}! {{\n");
    let mut row: Vec<TokenTree> = Vec::new();
    for token in item.mac.tokens.clone() {
        let ends_row = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ';');
        row.push(token);
        if ends_row {
            out.push_str("    ");
            out.push_str(&tokens_text(std::mem::take(&mut row)));
            out.push('\n');
        }
    }
    if !row.is_empty() {
        out.push_str("    ");
        out.push_str(&tokens_text(row));
        out.push('\n');
    }
    out.push_str("}\n");
    Some(out)
}

/// Tokens as a row of a table macro reads: words apart, punctuation as in a type
/// (`::std::collections::BTreeMap<String, Value>`, `Vec<u8>`, `(A, B)`), `,` followed by a space.
fn tokens_text(tokens: impl IntoIterator<Item = TokenTree>) -> String {
    let mut out = String::new();
    // Whether the text so far ends in a word (identifier or literal), which a next word must be
    // kept apart from.
    let mut after_word = false;
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
                after_word = true;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                after_word = true;
            }
            TokenTree::Punct(punct) => {
                let ch = punct.as_char();
                // A path that starts a row's type after a word: `Nullable ::std::...` reads badly
                // glued, `String ::x` would be wrong; a space before a leading `::`.
                if after_word && ch == ':' && punct.spacing() == proc_macro2::Spacing::Joint && !out.ends_with(':') {
                    out.push(' ');
                }
                out.push(ch);
                if ch == ',' {
                    out.push(' ');
                }
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::Brace => ("{ ", " }"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                if after_word && group.delimiter() == proc_macro2::Delimiter::Brace {
                    out.push(' ');
                }
                out.push_str(open);
                out.push_str(&tokens_text(group.stream()));
                out.push_str(close);
                after_word = false;
            }
        }
    }
    out
}

/// Rewrites the block doc comments prettyplease prints for multi-line doc attributes
/// (`/** a\n b*/`, `/*! ... */`) as the line comments hand-written code uses (`/// a`, `/// b`),
/// indented like the block. Only doc text is ever printed as a block: a generated line never
/// starts with `/**` or `/*!` otherwise (string literals that span lines hold JSON).
fn line_doc_comments(text: String) -> String {
    if !text.contains("/**") && !text.contains("/*!") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let marker = match body.get(..3) {
            Some("/**") => "///",
            Some("/*!") => "//!",
            _ => {
                out.push_str(line);
                continue;
            }
        };
        let mut rest = &body[3..];
        loop {
            let content = rest.trim_end_matches('\n');
            let (content, last) = match content.strip_suffix("*/") {
                Some(before) => (before, true),
                None => (content, false),
            };
            out.push_str(indent);
            out.push_str(marker);
            out.push_str(content.trim_end_matches(' '));
            out.push('\n');
            if last {
                break;
            }
            match lines.next() {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    out
}
