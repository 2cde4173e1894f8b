//! A `multipart/form-data` body (RFC 7578) already in memory, split into its fields.
//!
//! Hand-written because multer, the maintained parser, reads only from an async stream, and the
//! server has the whole body before decoding starts (its size is checked first): a parse over a
//! byte slice needs no executor and no copies. Tested against the client's writer, which is itself
//! tested against multer.

use super::text::Piece;

/// The pieces of a multipart body, by field name in order of first appearance.
pub type Fields = Vec<(String, Vec<Piece>)>;

/// The fields of `body` with `boundary`, in order of first appearance; a name given several
/// times (a list) keeps each part in order. A part is text unless it has a file name or is
/// not UTF-8.
pub fn fields(body: &[u8], boundary: &str) -> Result<Fields, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest = body;
    let start = find(rest, delimiter).ok_or("the body has no multipart boundary")?;
    rest = &rest[start + delimiter.len()..];
    let mut out: Fields = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(out);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a multipart boundary is not followed by a line break")?;
        let end = find(rest, delimiter).ok_or("a multipart part is not closed by its boundary")?;
        let part = rest[..end]
            .strip_suffix(b"\r\n")
            .ok_or("a multipart part does not end with a line break")?;
        rest = &rest[end + delimiter.len()..];
        let split = find(part, b"\r\n\r\n").ok_or("a multipart part has no blank line after its headers")?;
        let (head, content) = (&part[..split], &part[split + 4..]);
        let head = std::str::from_utf8(head).map_err(|_| "a multipart part's headers are not UTF-8")?;
        let mut name = None;
        let mut file = false;
        for line in head.split("\r\n") {
            let Some((header, value)) = line.split_once(':') else {
                continue;
            };
            let header = header.trim().to_ascii_lowercase();
            if header == "content-disposition" {
                name = parameter(value, "name");
                file = parameter(value, "filename").is_some();
            }
        }
        let name = name.ok_or("a multipart part has no name")?;
        let piece = match (file, String::from_utf8(content.to_vec())) {
            (false, Ok(text)) => Piece::Text(text),
            _ => Piece::Bytes(content.to_vec()),
        };
        match out.iter_mut().find(|(existing, _)| *existing == name) {
            Some((_, pieces)) => pieces.push(piece),
            None => out.push((name, vec![piece])),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// A parameter of a `Content-Disposition` value (`name="x"`), unquoted.
fn parameter(value: &str, wanted: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim().eq_ignore_ascii_case(wanted)).then(|| value.trim().trim_matches('"').replace("%22", "\""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_become_fields_and_lists_keep_their_order() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n\
                    --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\
                    --b\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n--b--\r\n";
        let fields = fields(body.as_bytes(), "b").expect("reads");
        assert_eq!(
            fields,
            vec![
                (
                    "tags".to_owned(),
                    vec![Piece::Text("x".into()), Piece::Text("y".into())]
                ),
                ("file".to_owned(), vec![Piece::Bytes(vec![0, 1])]),
            ]
        );
    }

    #[test]
    fn broken_bodies_are_errors_not_panics() {
        for body in [
            "",
            "--b",
            "--b\r\nno blank line\r\n--b--",
            "--b\r\n\r\nx\r\n--b--",
            "--bx",
        ] {
            assert!(fields(body.as_bytes(), "b").is_err(), "{body:?}");
        }
    }
}
