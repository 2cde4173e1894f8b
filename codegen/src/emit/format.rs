//! Rust source text from tokens: every generated `.rs` file is parsed by `syn` and printed by
//! prettyplease, one chunk of items at a time, under the `@generated` header.

use proc_macro2::TokenStream;
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
            single.items = vec![item];
            out.push_str(&line_doc_comments(prettyplease::unparse(&single)));
        }
    }
    Ok(format!("{}{out}", header(settings, "//")))
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
