//! Spec prose made safe for rustdoc and clippy.
//!
//! Spec descriptions are Markdown written for a web page of another project. In a Rust crate:
//! - a code fence or an indented block becomes a doctest that fails in the user's build;
//! - `[text]`, `[text][ref]` and `[text](Path)` are intra-doc links that rustdoc tries to resolve
//!   in the generated crate, and reports as broken (OpenStack's `< key > [: < direction > ]` is
//!   one);
//! - a bare URL and an unclosed or unknown HTML tag (`<owner>`, `<p>`) are warnings;
//! - a list item continued on an unindented line is clippy's `doc_lazy_continuation`.
//!
//! Neutralising happens in two passes. A line pass fixes what is about lines: fences are marked
//! `text` (and closed), indentation is capped below the code-block threshold, list items are
//! spaced and their continuations indented. Then pulldown-cmark, the parser rustdoc itself uses,
//! reads the result with the broken-link callback rustdoc uses, so every bracket form rustdoc
//! would try to resolve is seen exactly as rustdoc sees it, and its brackets are escaped; links to
//! Rust paths keep their text; bare URLs become autolinks; tags that are not balanced HTML are
//! escaped. Every change is an escape or an insertion at a source offset, so the prose reads the
//! same on the page.

use std::ops::Range;

use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The Markdown extensions rustdoc turns on, so the parse is the one rustdoc makes.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Makes Markdown safe to use as rustdoc: no doctest, no link rustdoc would try to resolve, no
/// bare URL, no stray tag, no lazy list continuation.
pub fn neutralise(markdown: &str) -> String {
    let mut text = normalise_lines(markdown);
    if !needs_inline_pass(&text) {
        return text;
    }
    // An escape can change how the rest parses (an escaped tag ends the link it seemed to
    // hold), so the pass runs again on its own output until nothing changes. It only ever
    // escapes or removes link syntax, so a few rounds suffice.
    for _ in 0..MAX_ROUNDS {
        // The line pass again: an undone link may leave a space at the end of a line.
        let next = normalise_lines(&escape_inline(&text));
        if next == text {
            break;
        }
        text = next;
    }
    let whole = whole_document_html(text.clone());
    if whole == text {
        return text;
    }
    // Escaped tags leave their attributes as text: a URL in one is bare now, and needs the
    // inline pass again.
    let mut text = whole;
    for _ in 0..MAX_ROUNDS {
        let next = normalise_lines(&escape_inline(&text));
        if next == text {
            break;
        }
        text = next;
    }
    text
}

/// rustdoc pairs HTML tags across the whole comment, not block by block: when what is left is
/// not balanced as a whole (a table whose rows close tags they never opened), every tag is
/// escaped and the markup reads as the text it is. An HTML block is escaped by its first `<` and
/// read again, since a backslash does nothing inside one.
fn whole_document_html(mut text: String) -> String {
    for _ in 0..MAX_HTML_ROUNDS {
        let mut tags = HtmlTags::default();
        let mut edits = Vec::new();
        for (event, range) in Parser::new_ext(&text, rustdoc_options()).into_offset_iter() {
            match event {
                Event::InlineHtml(html) => {
                    if !html.starts_with("<!--") {
                        edits.push(Edit::insert(range.start, "\\"));
                    }
                    tags.read_inline(&text, range);
                }
                // A line of an HTML block that starts with a tag: escaped, so that no line of it
                // starts a block again (a `<tr>` may interrupt a paragraph); the tags further in
                // are inline once it is text, and the next round escapes them.
                Event::Html(_) => {
                    let line = &text[range.clone()];
                    let indent = line.len() - line.trim_start().len();
                    if line[indent..].starts_with('<') && !line[indent..].starts_with("<!--") {
                        edits.push(Edit::insert(range.start + indent, "\\"));
                    }
                    tags.read_block(&text, range);
                }
                _ => {}
            }
        }
        if tags.is_clean() || edits.is_empty() {
            break;
        }
        text = apply(&text, edits);
    }
    text
}

/// Whether the inline pass could change `text`: everything it escapes or rewrites starts with a
/// bracket, an angle bracket, a URL scheme or a fence. Most spec prose has none, and skips the
/// parse.
fn needs_inline_pass(text: &str) -> bool {
    text.contains(['[', ']', '<', '>', '`', '~']) || text.contains("http")
}

/// Rounds of the inline pass before its output is taken as it is.
const MAX_ROUNDS: usize = 8;

/// Rounds of the whole-document HTML pass: each escapes what the one before turned from a block
/// into text.
const MAX_HTML_ROUNDS: usize = 16;

/// The line pass: fences marked `text` and closed, indentation capped at three spaces (so no
/// indented code block is left), list items spaced and their continuation lines indented to
/// their text, tabs expanded.
fn normalise_lines(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    // The open fence: its character and how many of them.
    let mut in_fence: Option<(char, usize)> = None;
    // Where the text of the list item being read starts; after a blank line, a line indented
    // at least that far is another paragraph of the item, anything else ends it.
    let mut item_content: Option<usize> = None;
    let mut after_blank = false;
    for line in markdown.lines() {
        let expanded = line.replace('\t', "    ");
        let trimmed = expanded.trim_start();
        let fence = fence_run(trimmed);
        match (in_fence, fence) {
            (Some((open, length)), Some((close, run)))
                if open == close && run >= length && trimmed[run..].trim().is_empty() =>
            {
                in_fence = None;
                out.push(open.to_string().repeat(length));
                continue;
            }
            (None, Some((open, run))) => {
                in_fence = Some((open, run));
                let info = trimmed[run..].trim();
                let info = if is_rust_info(info) { "text" } else { info };
                out.push(format!("{}{info}", open.to_string().repeat(run)));
                continue;
            }
            _ => {}
        }
        if in_fence.is_some() {
            out.push(expanded.trim_end().to_owned());
            continue;
        }
        // Four spaces start a code block; three still nest under a `- ` list item.
        let original = expanded.len() - trimmed.len();
        let indent = original.min(3);
        let text = trimmed.trim_end();
        if !text.is_empty() && std::mem::take(&mut after_blank) && item_content.is_some_and(|c| original < c) {
            item_content = None;
        }
        // A marker alone on its line opens an empty item, where a paragraph cannot go on (after
        // a paragraph's line, `-` underlines a heading instead).
        let starts_block = out.last().is_none_or(|previous| previous.trim().is_empty());
        if text.is_empty() {
            after_blank = true;
        } else if let Some(marker) = bare_marker(text).filter(|_| starts_block) {
            item_content = Some(indent + marker.len() + 1);
            out.push(format!("{}{marker}", " ".repeat(indent)));
            continue;
        } else if let Some((marker, mut rest)) = list_item(text) {
            // One space after each marker (`* 1. text` opens two lists on one line), so the
            // innermost item's text starts where a continuation can reach.
            let mut markers = vec![marker];
            while let Some((inner, after)) = list_item(rest) {
                markers.push(inner);
                rest = after;
            }
            item_content = Some(indent + markers.iter().map(|m| m.len() + 1).sum::<usize>());
            out.push(format!("{}{} {rest}", " ".repeat(indent), markers.join(" ")));
            continue;
        } else if let Some(content) = item_content {
            // A line that continues a list item's paragraph is indented exactly to the item's
            // text: less is clippy's `doc_lazy_continuation`, more its
            // `doc_overindented_list_items` (a wrapped shell command, say); the paragraph reads
            // the same either way.
            out.push(format!("{}{text}", " ".repeat(content)));
            continue;
        }
        out.push(format!("{}{text}", " ".repeat(indent)));
    }
    if let Some((open, length)) = in_fence {
        out.push(open.to_string().repeat(length));
    }
    out.join("\n")
}

/// The fence that opens (or closes) at the start of `line`: its character and length, for three
/// or more backticks or tildes.
fn fence_run(line: &str) -> Option<(char, usize)> {
    let first = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = line.chars().take_while(|c| *c == first).count();
    // A backtick fence's info string cannot hold a backtick (that line is inline code).
    let valid = run >= 3 && (first == '~' || !line[run..].contains('`'));
    valid.then_some((first, run))
}

/// Whether a fence's info string makes rustdoc read the block as Rust (a doctest): no words, or
/// only `rust` and rustdoc's own attributes.
fn is_rust_info(info: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
    ];
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .all(|word| RUSTDOC.contains(&word) || word.starts_with("edition") || word.starts_with("ignore-"))
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

/// A list marker with no text after it (`-`, `1.`), the whole of `line`.
fn bare_marker(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().get(digits)? {
        b'.' | b')' if (1..=9).contains(&digits) => &line[..=digits],
        b'-' | b'*' | b'+' if digits == 0 => &line[..1],
        _ => return None,
    };
    (marker.len() == line.len()).then_some(marker)
}

/// One change to the source: `text` replaces `range` (an insertion when it is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    text: String,
}

impl Edit {
    fn insert(at: usize, text: &str) -> Edit {
        Edit {
            range: at..at,
            text: text.to_owned(),
        }
    }

    fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            text: String::new(),
        }
    }
}

/// A link or image being read: where it is, what it is, and where its inner content lies.
struct LinkFrame {
    range: Range<usize>,
    link_type: LinkType,
    is_image: bool,
    dest: String,
    /// The end of the last inner event: the link text ends there.
    text_end: Option<usize>,
    /// Inline code inside the link text, whose brackets are literal.
    code: Vec<Range<usize>>,
    /// Text inside the link text: when the link is undone, a URL in it is bare.
    texts: Vec<Range<usize>>,
}

impl LinkFrame {
    fn new(range: Range<usize>, link_type: LinkType, is_image: bool, dest: String) -> Self {
        LinkFrame {
            range,
            link_type,
            is_image,
            dest,
            text_end: None,
            code: Vec::new(),
            texts: Vec::new(),
        }
    }
}

/// The inline pass, with pulldown-cmark: see the module docs.
fn escape_inline(text: &str) -> String {
    let mut accept_broken = |_: BrokenLink<'_>| Some((CowStr::Borrowed(""), CowStr::Borrowed("")));
    let parser = Parser::new_with_broken_link_callback(text, rustdoc_options(), Some(&mut accept_broken));
    let mut edits: Vec<Edit> = Vec::new();
    let mut links: Vec<LinkFrame> = Vec::new();
    let mut tags = HtmlTags::default();
    let mut in_code_block = false;
    // The lines of the HTML block being read.
    let mut html_block: Option<Vec<Range<usize>>> = None;
    // An indented code block the line pass could not flatten (inside a block quote): its range
    // and the ranges of its lines' text.
    let mut indented: Option<(Range<usize>, Vec<Range<usize>>)> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                match kind {
                    CodeBlockKind::Indented => indented = Some((range, Vec::new())),
                    // A fence the line pass did not see as one (after a list marker).
                    CodeBlockKind::Fenced(info) if is_rust_info(&info) => {
                        if let Some(edit) = text_fence(text, range.start) {
                            edits.push(edit);
                        }
                    }
                    CodeBlockKind::Fenced(_) => {}
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                if let Some((block, lines)) = indented.take() {
                    edits.push(fence_indented(text, block, &lines));
                }
            }
            Event::Text(_) if in_code_block => {
                if let Some((_, lines)) = &mut indented {
                    lines.push(range);
                }
            }
            Event::Start(Tag::Link {
                link_type, dest_url, ..
            }) => links.push(LinkFrame::new(range, link_type, false, dest_url.into_string())),
            Event::Start(Tag::Image {
                link_type, dest_url, ..
            }) => links.push(LinkFrame::new(range, link_type, true, dest_url.into_string())),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(frame) = links.pop() {
                    link_edits(text, &frame, &mut edits);
                    if let Some(outer) = links.last_mut() {
                        outer.text_end = Some(frame.range.end);
                    }
                }
            }
            Event::Text(_) => {
                escape_brackets(text, range.clone(), &[], &mut edits);
                if links.is_empty() {
                    autolink_urls(text, range.clone(), &mut edits);
                }
                note_inner(&mut links, &range, Inner::Text);
            }
            Event::Code(_) => note_inner(&mut links, &range, Inner::Code),
            Event::InlineHtml(_) => {
                tags.read_inline(text, range.clone());
                note_inner(&mut links, &range, Inner::Other);
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(Vec::new()),
            Event::Html(_) => {
                if let Some(lines) = &mut html_block {
                    lines.push(range);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                // A backslash does not escape inside an HTML block: a block that is not
                // balanced, known HTML stops being one, by an escape before its first `<`, and
                // the next round reads it as text.
                let lines = html_block.take().unwrap_or_default();
                let mut block = HtmlTags::default();
                for line in &lines {
                    block.read_block(text, line.clone());
                }
                if !block.is_clean()
                    && let Some(first) = lines.first()
                    && let Some(open) = text[first.clone()].find('<')
                {
                    edits.push(Edit::insert(first.start + open, "\\"));
                }
            }
            Event::Start(_) | Event::End(_) => {}
            _ => note_inner(&mut links, &range, Inner::Other),
        }
    }
    tags.finish(&mut edits);
    apply(text, edits)
}

/// What an event inside a link is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inner {
    Text,
    Code,
    Other,
}

/// Records an event inside the innermost open link: its text reaches at least to the event's
/// end, inline code keeps its brackets, and text is remembered in case the link is undone.
fn note_inner(links: &mut [LinkFrame], range: &Range<usize>, inner: Inner) {
    if let Some(frame) = links.last_mut() {
        frame.text_end = Some(frame.text_end.map_or(range.end, |end| end.max(range.end)));
        match inner {
            Inner::Code => frame.code.push(range.clone()),
            Inner::Text => frame.texts.push(range.clone()),
            Inner::Other => {}
        }
    }
}

/// What a link or image needs: a link rustdoc would try to resolve loses its link syntax.
fn link_edits(text: &str, frame: &LinkFrame, edits: &mut Vec<Edit>) {
    match frame.link_type {
        // Brackets that only the broken-link callback made into a link: rustdoc would resolve
        // them as a path and fail. Escaped, they are the text they were.
        LinkType::ShortcutUnknown | LinkType::CollapsedUnknown | LinkType::ReferenceUnknown => {
            escape_brackets(text, frame.range.clone(), &frame.code, edits);
            for inner in &frame.texts {
                autolink_urls(text, inner.clone(), edits);
            }
        }
        LinkType::Autolink | LinkType::Email => {}
        // A link whose target is a Rust path points into the crate the prose was written for:
        // only its text is kept.
        _ if !frame.is_image && is_intra_doc_target(&frame.dest) => {
            let open = frame.range.start;
            let text_end = frame.text_end.unwrap_or(open + 1).max(open + 1);
            edits.push(Edit::delete(open..open + 1));
            edits.push(Edit::delete(text_end..frame.range.end));
            for inner in &frame.texts {
                autolink_urls(text, inner.clone(), edits);
            }
        }
        _ => {}
    }
}

/// Whether rustdoc would read a link target as an intra-doc link (a path such as `Disk`,
/// `crate::views::Vpc`, `Vec::new()`, `struct@Foo`) rather than a URL, a file or an anchor.
fn is_intra_doc_target(dest: &str) -> bool {
    let dest = dest.trim();
    let has_scheme = dest
        .find(':')
        .is_some_and(|colon| !dest[colon..].starts_with("::") && colon > 0);
    !dest.is_empty() && !has_scheme && !dest.contains(['/', '.', '#', ' ', '?', '='])
}

/// Escapes every `[` and `]` in `range` that is not escaped already and not inside `code`.
fn escape_brackets(text: &str, range: Range<usize>, code: &[Range<usize>], edits: &mut Vec<Edit>) {
    let bytes = text.as_bytes();
    for at in range {
        if !matches!(bytes[at], b'[' | b']') || code.iter().any(|c| c.contains(&at)) {
            continue;
        }
        let backslashes = bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            edits.push(Edit::insert(at, "\\"));
        }
    }
}

/// Puts every bare `http://` or `https://` URL in the text at `range` in `<...>`, which makes it
/// a link, as rustdoc's `bare_urls` asks.
fn autolink_urls(text: &str, range: Range<usize>, edits: &mut Vec<Edit>) {
    let slice = &text[range.clone()];
    let mut from = 0;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| slice[from..].find(scheme))
        .min()
    {
        let start = from + found;
        let length = url_length(&slice[start..]);
        from = start + length.max(1);
        let has_host = slice[start..start + length]
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty());
        if !has_host {
            continue;
        }
        edits.push(Edit::insert(range.start + start, "<"));
        edits.push(Edit::insert(range.start + start + length, ">"));
    }
}

/// How many bytes of `text` a bare URL takes: up to white space or a character an autolink cannot
/// hold, without trailing punctuation.
fn url_length(text: &str) -> usize {
    let mut end = text
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '\\'))
        .map_or(text.len(), |(at, _)| at);
    while let Some(last) = text[..end].chars().next_back()
        && matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'' | '*' | '_')
    {
        end -= last.len_utf8();
    }
    end
}

/// The edit that makes the fence opening at `at` a `text` fence: its info string replaced.
fn text_fence(text: &str, at: usize) -> Option<Edit> {
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let (_, run) = fence_run(&text[at..line_end])?;
    Some(Edit {
        range: at + run..line_end,
        text: "text".to_owned(),
    })
}

/// An indented code block as a fenced `text` block, each line keeping what contains it (a block
/// quote's `>`) and losing the four spaces that made it code.
fn fence_indented(text: &str, block: Range<usize>, lines: &[Range<usize>]) -> Edit {
    let start = text[..block.start].rfind('\n').map_or(0, |n| n + 1);
    let prefix_of = |line_start: usize, content: usize| -> String {
        let prefix = &text[line_start..content];
        prefix.strip_suffix("    ").unwrap_or(prefix).to_owned()
    };
    let mut out = String::new();
    let mut first = None;
    for line in lines {
        let line_start = text[..line.start].rfind('\n').map_or(0, |n| n + 1).max(start);
        let prefix = prefix_of(line_start, line.start);
        if first.is_none() {
            out.push_str(&format!("{prefix}```text\n"));
            first = Some(prefix.clone());
        }
        out.push_str(&prefix);
        out.push_str(text[line.clone()].trim_end_matches('\n'));
        out.push('\n');
    }
    let prefix = first.unwrap_or_default();
    out.push_str(&format!("{prefix}```"));
    if text[..block.end].ends_with('\n') {
        out.push('\n');
    }
    Edit {
        range: start..block.end,
        text: out,
    }
}

/// HTML tags as rustdoc's `invalid_html_tags` reads them: a tag is kept only when it is a known
/// HTML element and balanced (or void); anything else (`<owner>`, an unclosed `<p>`, a `</i>`
/// that opens nothing) has its `<` escaped, so it reads as the text it is.
#[derive(Default)]
struct HtmlTags {
    /// Open known elements: name and the offset of their `<`.
    open: Vec<(String, usize)>,
    /// Offsets of `<`s to escape.
    escape: Vec<usize>,
}

impl HtmlTags {
    /// An inline HTML event: one tag, comment, declaration or processing instruction. A comment
    /// is left be; rustdoc reads the inside of a declaration (`<!x ...>`) as text with tags, so
    /// one is escaped whole, and the next round reads what it held.
    fn read_inline(&mut self, text: &str, range: Range<usize>) {
        let rest = &text[range.clone()];
        if rest.starts_with("<!--") {
            return;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            self.escape.push(range.start);
            return;
        }
        self.tag(text, range.start, range.end);
    }

    /// The lines of an HTML block: every tag in them, as rustdoc finds them (comments skipped).
    fn read_block(&mut self, text: &str, range: Range<usize>) {
        let mut at = range.start;
        while let Some(found) = text[at..range.end].find('<') {
            let start = at + found;
            let rest = &text[start..range.end];
            at = if rest.starts_with("<!--") {
                rest.find("-->").map_or(range.end, |end| start + end + 3)
            } else {
                self.tag(text, start, range.end);
                start + 1
            };
        }
    }

    /// The tag whose `<` is at `at`, if it starts one (`<` or `</` and a letter).
    fn tag(&mut self, text: &str, at: usize, end: usize) {
        let rest = &text[at + 1..end];
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return;
        }
        let lower = name.to_ascii_lowercase();
        let self_closing = rest
            .find('>')
            .is_some_and(|close| rest[..close].trim_end().ends_with('/'));
        if !HTML.contains(&lower.as_str()) {
            self.escape.push(at);
        } else if closing {
            match self.open.iter().rposition(|(open, _)| *open == lower) {
                Some(position) => {
                    for (_, unclosed) in self.open.drain(position..).skip(1) {
                        self.escape.push(unclosed);
                    }
                }
                None => self.escape.push(at),
            }
        } else if !VOID.contains(&lower.as_str()) && !self_closing {
            self.open.push((lower, at));
        }
    }

    /// Whether everything read so far is known HTML, balanced.
    fn is_clean(&self) -> bool {
        self.open.is_empty() && self.escape.is_empty()
    }

    fn finish(mut self, edits: &mut Vec<Edit>) {
        self.escape.extend(self.open.drain(..).map(|(_, at)| at));
        edits.extend(self.escape.into_iter().map(|at| Edit::insert(at, "\\")));
    }
}

/// HTML elements rustdoc renders; any other name is a placeholder written as a tag.
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
    "wbr",
];

/// Elements that have no closing tag.
const VOID: &[&str] = &["br", "hr", "img", "wbr"];

/// Applies non-overlapping edits (duplicates once).
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by(|a, b| (a.range.start, a.range.end, &a.text).cmp(&(b.range.start, b.range.end, &b.text)));
    edits.dedup();
    let mut out = String::with_capacity(text.len() + edits.len() * 2);
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at {
            // Overlaps an edit already made (a deletion that covers an escape): the first wins.
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
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
        // A longer fence keeps its length, so a shorter one inside stays content.
        assert_eq!(neutralise("````rust\n```\n````\nafter"), "````text\n```\n````\nafter");
        // Other languages are not doctests and keep their name.
        assert_eq!(neutralise("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(neutralise("```rust,no_run\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn an_indented_block_in_a_quote_becomes_a_text_fence() {
        let fenced = neutralise("> quoted:\n>\n>     let x = 1;\n>     x + 1\n\nafter");
        assert_eq!(fenced, "> quoted:\n>\n> ```text\n> let x = 1;\n> x + 1\n> ```\n\nafter");
        assert_eq!(neutralise(&fenced), fenced);
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
    fn a_list_item_continued_further_in_is_indented_to_its_text() {
        let markdown = "- Create:\n      curl -X POST \\\n          -H x\n  1. nested\n         deeper";
        assert_eq!(
            neutralise(markdown),
            "- Create:\n  curl -X POST \\\n  -H x\n  1. nested\n     deeper"
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
        // OpenStack's sort syntax: rustdoc reads `[: < direction > ]` as a link to resolve.
        assert_eq!(
            neutralise("in the form of < key > [: < direction > ]. A valid direction is asc"),
            "in the form of < key > \\[: < direction > \\]. A valid direction is asc"
        );
        // Reference links to nowhere, and the reference of one that is defined to a URL.
        assert_eq!(neutralise("[x][y] and [z][]"), "\\[x\\]\\[y\\] and \\[z\\]\\[\\]");
        assert_eq!(
            neutralise("see [the RFC][1].\n\n[1]: https://www.rfc-editor.org/rfc/rfc9110"),
            "see [the RFC][1].\n\n[1]: https://www.rfc-editor.org/rfc/rfc9110"
        );
    }

    #[test]
    fn links_to_rust_paths_keep_their_text() {
        assert_eq!(
            neutralise("a [`Disk`](omicron_common::api::external::Disk) and [a page](page.html)"),
            "a `Disk` and [a page](page.html)"
        );
        assert_eq!(
            neutralise("[the docs](Nope) [rel](../a/b.html) [anchor](#x) [mail](mailto:a@b.c) [f](Vec::new())"),
            "the docs [rel](../a/b.html) [anchor](#x) [mail](mailto:a@b.c) f"
        );
        assert_eq!(neutralise("[Foo]\n\n[Foo]: crate::Foo"), "Foo\n\n[Foo]: crate::Foo");
    }

    #[test]
    fn urls_and_tags() {
        // Bare URLs become links; placeholders are not tags; balanced tags stay.
        assert_eq!(
            neutralise("on https://github.com/topics. For <owner>, <b>bold</b> and <https://a.b>"),
            "on <https://github.com/topics>. For \\<owner>, <b>bold</b> and <https://a.b>"
        );
        assert_eq!(
            neutralise("(see http://www.w3.org/TR/cors/#simple-response-header.)"),
            "(see <http://www.w3.org/TR/cors/#simple-response-header>.)"
        );
        // An unclosed known tag, a close that opens nothing, and two placeholders in a path.
        assert_eq!(
            neutralise("a <p> and </i> and <br> and <container>/<object>"),
            "a \\<p> and \\</i> and <br> and \\<container>/\\<object>"
        );
        assert_eq!(neutralise("`<code>` <!-- c -->"), "`<code>` <!-- c -->");
    }

    #[test]
    fn html_that_does_not_balance_across_blocks_is_escaped_whole() {
        // setlist.fm's version table: escaped rows, then rows that close what they never opened.
        let markdown = "<h2>Versions</h2>\n<table>\n<thead>\n<tr>\n<th>Version</th>\n</tr>\n</thead> <tbody>\n<tr>\n<td>-</li>\n</tr>\n</tbody>\n</table>\n\nAfter.";
        let neutral = neutralise(markdown);
        assert!(
            rustdoc_complaints(&neutral)
                .iter()
                .all(|c| !c.contains("unopened") && !c.contains("unclosed")),
            "{neutral}"
        );
        assert_eq!(whole_html_balance(&neutral), 0, "{neutral}");
        // Balanced HTML stays as it is.
        assert_eq!(
            neutralise("<table><tr><td>a</td></tr></table>"),
            "<table><tr><td>a</td></tr></table>"
        );
    }

    /// Tags left unescaped across the whole text that do not pair up, as rustdoc counts them.
    fn whole_html_balance(text: &str) -> usize {
        let mut tags = HtmlTags::default();
        for (event, range) in Parser::new_ext(text, rustdoc_options()).into_offset_iter() {
            match event {
                Event::InlineHtml(_) => tags.read_inline(text, range),
                Event::Html(_) => tags.read_block(text, range),
                _ => {}
            }
        }
        tags.open.len() + tags.escape.len()
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(neutralise("```json\n{}"), "```json\n{}\n```");
    }

    /// What rustdoc would complain about in `text`, read by pulldown-cmark as rustdoc reads it:
    /// a link it would resolve, a Rust code block, a bare URL, or an unbalanced or unknown tag.
    /// Written apart from the code under test: it looks at the parse, not at the edits.
    fn rustdoc_complaints(text: &str) -> Vec<String> {
        const ELEMENTS: &[&str] = &["b", "i", "p", "br", "code", "em"];
        let mut accept = |_: BrokenLink<'_>| Some((CowStr::Borrowed(""), CowStr::Borrowed("")));
        let parser = Parser::new_with_broken_link_callback(text, rustdoc_options(), Some(&mut accept));
        let mut complaints = Vec::new();
        let mut open_tags: Vec<String> = Vec::new();
        let mut depth = 0;
        let mut in_code = false;
        for event in parser {
            match event {
                Event::Start(Tag::Link {
                    link_type, dest_url, ..
                }) => {
                    depth += 1;
                    let unknown = matches!(
                        link_type,
                        LinkType::ShortcutUnknown | LinkType::CollapsedUnknown | LinkType::ReferenceUnknown
                    );
                    let path_like = !dest_url.is_empty()
                        && !matches!(link_type, LinkType::Autolink | LinkType::Email)
                        && dest_url.chars().all(|c| c.is_alphanumeric() || "_:()!<>".contains(c));
                    if unknown || path_like {
                        complaints.push(format!("link to {dest_url:?} ({link_type:?})"));
                    }
                }
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Link | TagEnd::Image) => depth -= 1,
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_code = true;
                    match kind {
                        CodeBlockKind::Indented => complaints.push("indented code block".to_owned()),
                        CodeBlockKind::Fenced(info) if info.is_empty() || info.contains("rust") => {
                            complaints.push(format!("Rust fence {info:?}"))
                        }
                        CodeBlockKind::Fenced(_) => {}
                    }
                }
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(text) if !in_code && depth == 0 => {
                    for (at, _) in text.match_indices("://") {
                        let host_follows = text[at + 3..].starts_with(|c: char| c.is_ascii_alphanumeric());
                        if host_follows && (text[..at].ends_with("http") || text[..at].ends_with("https")) {
                            complaints.push(format!("bare URL in {text:?}"));
                        }
                    }
                }
                Event::InlineHtml(html) | Event::Html(html) => {
                    // Every tag in it: `<`, maybe `/`, then a letter; comments skipped.
                    let mut uncommented = String::new();
                    let mut rest = html.as_ref();
                    while let Some(open) = rest.find("<!--") {
                        uncommented.push_str(&rest[..open]);
                        uncommented.push(' ');
                        rest = rest[open..].find("-->").map_or("", |close| &rest[open + close + 3..]);
                    }
                    uncommented.push_str(rest);
                    for (at, _) in uncommented.match_indices('<') {
                        let rest = &uncommented[at + 1..];
                        let closing = rest.starts_with('/');
                        let name: String = rest
                            .trim_start_matches('/')
                            .chars()
                            .take_while(char::is_ascii_alphanumeric)
                            .collect();
                        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                            continue;
                        }
                        if !ELEMENTS.contains(&name.as_str()) {
                            complaints.push(format!("tag <{name}> in {html:?}"));
                        } else if closing {
                            if open_tags.pop().as_deref() != Some(name.as_str()) {
                                complaints.push(format!("unopened </{name}> in {html:?}"));
                            }
                        } else if name != "br" {
                            open_tags.push(name);
                        }
                    }
                }
                _ => {}
            }
        }
        complaints.extend(open_tags.into_iter().map(|tag| format!("unclosed <{tag}>")));
        complaints.extend(list_continuation_complaints(text));
        complaints
    }

    /// Clippy's `doc_lazy_continuation` and `doc_overindented_list_items`, read from the parse: a
    /// line that continues a paragraph inside a list item must start exactly at the item's text.
    fn list_continuation_complaints(text: &str) -> Vec<String> {
        let column = |at: usize| at - text[..at].rfind('\n').map_or(0, |newline| newline + 1);
        let mut complaints = Vec::new();
        // The text column of each open item; `None` for a container that is not a list item.
        let mut containers: Vec<Option<usize>> = Vec::new();
        // A break is always inside a paragraph (a tight list item's text has no paragraph tag).
        for (event, range) in Parser::new_ext(text, rustdoc_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Item) => {
                    // The range may start at the line's indentation, before the marker.
                    let start = range.start + text[range.start..].bytes().take_while(|b| *b == b' ').count();
                    let marker = text[start..].find([' ', '\n']).map_or(text.len() - start, |end| end);
                    let spaces = text[start + marker..].bytes().take_while(|b| *b == b' ').count();
                    containers.push(Some(column(start) + marker + spaces.clamp(1, 4)));
                }
                Event::Start(Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => containers.push(None),
                Event::End(TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                    containers.pop();
                }
                Event::SoftBreak | Event::HardBreak => {
                    let Some(Some(expected)) = containers.last() else {
                        continue;
                    };
                    // Only items all the way up: a quote changes what a line starts with.
                    if containers.contains(&None) {
                        continue;
                    }
                    let Some(newline) = text[range.start..].find('\n') else {
                        continue;
                    };
                    let line = &text[range.start + newline + 1..];
                    let line = line.split('\n').next().unwrap_or_default();
                    let indent = line.len() - line.trim_start_matches(' ').len();
                    if !line.trim().is_empty() && indent != *expected {
                        complaints.push(format!(
                            "continuation {line:?} at {indent}, its item's text at {expected}"
                        ));
                    }
                }
                _ => {}
            }
        }
        complaints
    }

    #[test]
    fn the_checker_sees_what_rustdoc_would_complain_about() {
        for bad in [
            "[Bar]",
            "< key > [: < direction > ]",
            "[x][y]",
            "[t](Nope)",
            "```\nx\n```",
            "    code",
            "https://a.b/c",
            "<owner>",
            "<p>",
            "</i>",
            "- item\nlazy",
            "- item\n      overindented",
            "1. item\n  short",
        ] {
            assert!(!rustdoc_complaints(bad).is_empty(), "{bad:?} passes the checker");
        }
        assert!(rustdoc_complaints("- item\n  continued\n  1. nested\n     continued").is_empty());
        assert!(rustdoc_complaints("[ok](https://x.y) <b>b</b> `[a]` <https://x.y>").is_empty());
    }

    /// Random text made of Markdown's special characters: neutralising never panics, leaves
    /// nothing rustdoc would complain about, and doing it twice changes nothing more.
    #[test]
    fn neutralising_any_text_is_safe_quiet_and_stable() {
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
            "<p>",
            "</i>",
            "<br>",
            "::",
            "é",
            "```",
            "~~~",
            "````",
            "    ",
            "\t",
            "*",
            "_",
            "!",
            "> ",
            "|",
            "< key > [: < direction > ]",
            "[^1]",
            "[a][b]",
            "[x]: https://e.com",
            "[`Vec`]",
            "(Nope)",
            "](",
            "[[",
            "]]",
            "<!-- c -->",
            "#",
            "&amp;",
        ];
        // `APIGEN_MARKDOWN_ROUNDS` runs a longer search.
        let rounds = std::env::var("APIGEN_MARKDOWN_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok());
        let rounds: usize = rounds.unwrap_or(10_000);
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..rounds {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            // As `DocText::paragraph` calls it: on trimmed text.
            let once = neutralise(text.trim());
            assert_eq!(neutralise(once.trim()), once.trim(), "unstable from {text:?}");
            let complaints = rustdoc_complaints(&once);
            assert!(complaints.is_empty(), "{complaints:?} in {once:?}, from {text:?}");
        }
    }
}
