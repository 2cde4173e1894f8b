//! A response body as the user asked to see it: JSON, YAML, a table or bare values, with `-c`
//! choosing fields, as openstackclient prints them.
//!
//! A body that is an envelope (`{"snapshot": {...}}`, as the generator found in the operation's
//! documented response) is shown by its resource's fields; a list of objects is one row per item.
//! Tables are laid out by comfy-table inside the width given (the terminal's, or `--max-width`):
//! a long value wraps inside its cell, so no line is wider than the screen and nothing is broken
//! across the border.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle, presets::ASCII_FULL_CONDENSED};
use serde_json::{Map, Value};

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON, indented.
    Json,
    /// YAML.
    Yaml,
    /// A table: field and value for one resource, a row per item for a list.
    Table,
    /// The values alone, one per line (space-separated per row for a list).
    Value,
}

/// What to print and how.
#[derive(Debug, Clone)]
pub struct View {
    /// The format.
    pub format: Format,
    /// The fields to show (`-c`), in order; empty shows every field.
    pub columns: Vec<String>,
    /// The widest a table may be.
    pub max_width: u16,
}

/// The resource a body holds: the envelope's content when `envelope` names its one property.
pub fn resource(body: Value, envelope: Option<&str>) -> Value {
    match (body, envelope) {
        (Value::Object(mut object), Some(key)) if object.len() == 1 && object.contains_key(key) => {
            object.remove(key).unwrap_or(Value::Null)
        }
        (body, _) => body,
    }
}

/// `value` as `view` asks, ending with a newline (empty for an empty body).
pub fn render(value: &Value, view: &View) -> String {
    let value = select(value, &view.columns);
    match view.format {
        Format::Json => match serde_json::to_string_pretty(&value) {
            Ok(text) => text + "\n",
            Err(_) => String::new(),
        },
        Format::Yaml => serde_yaml::to_string(&value).unwrap_or_default(),
        Format::Table => table(&value, view.max_width),
        Format::Value => values(&value),
    }
}

/// Only the chosen fields of an object, or of each object of a list, in the order chosen.
fn select(value: &Value, columns: &[String]) -> Value {
    if columns.is_empty() {
        return value.clone();
    }
    let pick = |object: &Map<String, Value>| {
        let mut out = Map::new();
        for column in columns {
            out.insert(column.clone(), object.get(column).cloned().unwrap_or(Value::Null));
        }
        Value::Object(out)
    };
    match value {
        Value::Object(object) => pick(object),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| match item {
                    Value::Object(object) => pick(object),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// How a value reads in a cell: text as it is, anything else as compact JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// openstackclient's tables: ASCII borders, `+---+---+` under the header as around the table, no
/// line between rows.
const STYLE: TableStyle = ASCII_FULL_CONDENSED.header_separator(LineStyle::new('+', '-', '+', '+'));

fn new_table(max_width: u16) -> Table {
    let mut table = Table::new();
    table
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(max_width);
    table
}

fn table(value: &Value, max_width: u16) -> String {
    match value {
        Value::Object(object) => {
            let mut table = new_table(max_width);
            table.set_header(["Field", "Value"]);
            for (key, value) in object {
                table.add_row([key.clone(), cell(value)]);
            }
            table.to_string() + "\n"
        }
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut columns: Vec<String> = Vec::new();
            for item in items {
                if let Value::Object(object) = item {
                    for key in object.keys() {
                        if !columns.contains(key) {
                            columns.push(key.clone());
                        }
                    }
                }
            }
            let mut table = new_table(max_width);
            table.set_header(columns.clone());
            for item in items {
                table.add_row(
                    columns
                        .iter()
                        .map(|column| cell(item.get(column).unwrap_or(&Value::Null))),
                );
            }
            table.to_string() + "\n"
        }
        Value::Null => String::new(),
        other => cell(other) + "\n",
    }
}

fn values(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(object) => {
            for value in object.values() {
                let _ = writeln!(out, "{}", cell(value));
            }
        }
        Value::Array(items) => {
            for item in items {
                let line: Vec<String> = match item {
                    Value::Object(object) => object.values().map(cell).collect(),
                    other => vec![cell(other)],
                };
                let _ = writeln!(out, "{}", line.join(" "));
            }
        }
        Value::Null => {}
        other => {
            let _ = writeln!(out, "{}", cell(other));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(format: Format, columns: &[&str]) -> View {
        View {
            format,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            max_width: 80,
        }
    }

    #[test]
    fn an_envelope_is_shown_by_its_resource() {
        let body = json!({"snapshot": {"id": "s-1", "name": "n"}});
        assert_eq!(
            resource(body.clone(), Some("snapshot")),
            json!({"id": "s-1", "name": "n"})
        );
        assert_eq!(resource(body.clone(), Some("other")), body);
        assert_eq!(resource(body.clone(), None), body);
    }

    #[test]
    fn columns_choose_fields_in_their_order() {
        let value = json!({"id": "s-1", "name": "n", "size": 10});
        assert_eq!(render(&value, &view(Format::Value, &["size", "id"])), "10\ns-1\n");
        let list = json!([{"id": "a", "size": 1}, {"id": "b", "size": 2}]);
        assert_eq!(render(&list, &view(Format::Value, &["id"])), "a\nb\n");
        assert_eq!(
            render(&value, &view(Format::Json, &["missing"])),
            "{\n  \"missing\": null\n}\n"
        );
    }

    #[test]
    fn a_table_fits_its_width_and_wraps_inside_cells() {
        let long = "word ".repeat(40);
        let value = json!({"id": "2c194dde-7de5-4529-a141-49f48181f411", "description": long.trim()});
        let text = render(&value, &view(Format::Table, &[]));
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line:?} is wider than 80");
            assert!(
                line.starts_with('+') || line.starts_with('|'),
                "{line:?} is not a table line"
            );
        }
        assert!(text.contains("| id "), "{text}");
        assert!(
            text.contains("2c194dde-7de5-4529-a141-49f48181f411"),
            "the id stays whole: {text}"
        );
    }
}
