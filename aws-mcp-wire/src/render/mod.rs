//! Render API results exactly as the AWS CLI v1 (awscli 1.46.3) prints them.
//!
//! A native executor parses an API response into a [`serde_json::Value`]
//! (object keys in model order, `serde_json`'s `preserve_order` is on) and
//! hands it to [`render`], which reproduces, byte for byte, what
//! `aws ... --output <format> [--query <expr>]` would write to a stdout that
//! is not a terminal.
//!
//! ## Design
//!
//! The CLI's formatters (`awscli/formatter.py`, `awscli/text.py`,
//! `awscli/table.py`) are Python, so the output depends on Python's own
//! conventions. Each is re-implemented here, with the Python behaviour it
//! depends on made explicit:
//!
//! * **Scalars** are printed with Python's `str()`: `True`, `False`, `None`,
//!   and floats in Python's shortest round-trip `repr` (`1e-05`, `1e+16`,
//!   `2.0`). A nested structure that the text format prints as a scalar is
//!   printed as Python's `repr` of a dict or list (`{'a': 1}`), with
//!   Python's escaping of unprintable characters.
//! * **`json`** is `json.dump(indent=4, ensure_ascii=False)`: non-ASCII is
//!   written as is, control characters as `\u00XX`. A result equal to `{}`
//!   prints nothing (the CLI's rule for operations without a body).
//! * **`text`** is tab separated: scalar keys of a structure in sorted
//!   order on one line, prefixed with the upper-cased name of the key that
//!   led there; lists of structures share the union of their scalar keys.
//! * **`table`** is the CLI's box table: the operation name as title, one
//!   section per nested structure, columns scaled to the widest section, and
//!   single-row sections turned vertical when the table is wider than the
//!   terminal. Standard output is not a terminal for an executor, so the
//!   width is the CLI's fallback of 80 columns ([`DEFAULT_TABLE_WIDTH`]);
//!   [`render_table`] takes another width. Text is measured as the CLI
//!   measures it: East Asian Width W, F and A count two columns, from tables
//!   generated from the Python that runs the pinned CLI
//!   (`tools/testdata/gen_unicode_tables.py`). Color is off (`--color auto`
//!   without a terminal).
//! * **`--query`** is evaluated by a JMESPath interpreter over
//!   `serde_json::Value` written here on the `jmespath` crate's parser, with
//!   the Python `jmespath` library's semantics, because the crate's own
//!   interpreter keeps objects in a `BTreeMap` and would sort keys that the
//!   CLI prints in model order (and it does not keep integers and floats
//!   apart the way Python does).
//!
//! As in the CLI, a top-level `ResponseMetadata` key is removed before the
//! query runs. Where the CLI itself crashes on a shape of data (for example
//! a table of a list mixing structures and scalars), [`render`] returns
//! [`RenderError::Unrenderable`] instead of panicking.
//!
//! ## What the executor hands over
//!
//! The value the CLI would format: botocore's parsed response, members the
//! service did not send left out, keys in model order. Timestamps stay as
//! they came on the wire (v1's default `cli_timestamp_format = wire`): ISO
//! strings from XML and REST services, epoch numbers from JSON protocols,
//! integer or float as sent. Blobs are base64 strings. Floats must be read
//! exactly (the workspace enables `serde_json`'s `float_roundtrip`; without
//! it some floats read back one unit off and print differently). Integers
//! past 64 bits, which Python keeps and `serde_json::Value` cannot, are out
//! of reach; API integer shapes are 64-bit.
//!
//! ## Not covered
//!
//! * YAML: AWS CLI v1's `--output` accepts only `json`, `text` and `table`
//!   (`awscli/data/cli.json`); `yaml` and `yaml-stream` are v2 formats, and
//!   [`OutputFormat::from_str`](std::str::FromStr) rejects them with that
//!   explanation.
//! * Paginated text output is the one place the CLI does not format the
//!   merged result: it formats and queries each page separately, keeping
//!   only the paginator's result keys (and, on the first page, its
//!   non-aggregate keys), then a `NEXTTOKEN` line when `--max-items` stops
//!   early. [`render_text_pages`] does that from the pages; [`render`] with
//!   [`OutputFormat::Text`] is right for operations that do not paginate.
//!   For `json` and `table` the CLI formats the merged result
//!   (`PageIterator.build_full_result`), which the executor builds.
//!
//! Test vectors generated through awscli's real formatters
//! (`tools/testdata/render_vectors.py`) and the JMESPath compliance suite
//! answered by Python's `jmespath` (`tools/testdata/jmespath_vectors.py`)
//! are compared byte for byte in `aws-mcp-core/tests/render.rs`.

mod json;
pub(crate) mod pyfmt;
pub(crate) mod query;
mod table;
mod text;
mod unicode_tables;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

pub use query::apply_query;

/// Terminal width the CLI assumes for `--output table` when standard output
/// is not a terminal (`awscli.table.determine_terminal_width`'s default).
pub const DEFAULT_TABLE_WIDTH: usize = 80;

/// An output format of the AWS CLI v1 (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// `json`: indented JSON, 4 spaces, non-ASCII unescaped.
    Json,
    /// `text`: tab-separated lines.
    Text,
    /// `table`: a box-drawn table titled with the operation name.
    Table,
}

impl OutputFormat {
    /// The formats AWS CLI v1 accepts, in its order.
    pub const ALL: [OutputFormat; 3] =
        [OutputFormat::Json, OutputFormat::Text, OutputFormat::Table];

    /// The `--output` value naming this format.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutputFormat {
    type Err = RenderError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(OutputFormat::Json),
            "text" => Ok(OutputFormat::Text),
            "table" => Ok(OutputFormat::Table),
            other => Err(RenderError::UnknownFormat {
                format: other.to_string(),
                hint: if matches!(other, "yaml" | "yaml-stream") {
                    " (yaml and yaml-stream are AWS CLI v2 formats; this is AWS CLI v1)"
                } else {
                    ""
                },
            }),
        }
    }
}

/// Why a result could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// `--output` named a format AWS CLI v1 does not have.
    #[error("invalid output format '{format}': choose from 'json', 'text', 'table'{hint}")]
    UnknownFormat {
        /// The value given.
        format: String,
        /// Extra explanation for a known format of another CLI version.
        hint: &'static str,
    },
    /// The `--query` expression does not parse.
    #[error("Bad value for --query {query}: {message}")]
    InvalidQuery {
        /// The expression.
        query: String,
        /// The parser's message.
        message: String,
    },
    /// The `--query` expression failed while it ran (a function given the
    /// wrong type or number of arguments, an unknown function, an ordering
    /// comparison of a string with a number).
    #[error("--query {query} failed: {message}")]
    QueryFailed {
        /// The expression.
        query: String,
        /// What went wrong.
        message: String,
    },
    /// The data has a shape the CLI's formatter cannot print either (the CLI
    /// crashes with a Python exception); change the format or the query.
    #[error("the {format} output cannot show this result: {reason}; use --output json or another --query")]
    Unrenderable {
        /// The output format.
        format: OutputFormat,
        /// What the formatter could not handle.
        reason: String,
        /// The Python exception's text the AWS CLI prints (on standard
        /// error, exit code 255): `'int' object has no attribute 'items'`.
        cli_message: String,
        /// What the CLI had printed before it failed (`--output text`
        /// writes as it goes).
        partial: String,
    },
}

/// Render `value` (a parsed API response) as the AWS CLI v1 prints it with
/// `--output format` and `--query query`, for operation `title` (the
/// operation's model name such as `DescribeInstances`, which titles tables).
///
/// The result is the complete standard output, including its final newline;
/// it is empty where the CLI prints nothing (a `json` result equal to `{}`,
/// a `table` of an empty or false result, a `text` empty list).
pub fn render(
    value: &Value,
    format: OutputFormat,
    query: Option<&str>,
    title: &str,
) -> Result<String, RenderError> {
    render_with_width(value, format, query, title, DEFAULT_TABLE_WIDTH)
}

/// [`render`] with the terminal width the table format fits (the CLI uses
/// the width of its terminal when standard output is one).
pub fn render_with_width(
    value: &Value,
    format: OutputFormat,
    query: Option<&str>,
    title: &str,
    width: usize,
) -> Result<String, RenderError> {
    let data = prepare(value, query)?;
    match format {
        OutputFormat::Json => Ok(json::format_json(&data)),
        OutputFormat::Text => text::format_text(&data),
        OutputFormat::Table => table::format_table(&data, title, width),
    }
}

/// Render an already prepared result (no `ResponseMetadata` removal, no
/// query) as `--output table` for a terminal `width` columns wide.
pub fn render_table(value: &Value, title: &str, width: usize) -> Result<String, RenderError> {
    table::format_table(value, title, width)
}

/// `--output text` of a paginated operation, as the CLI prints it from its
/// `PageIterator`: each page in turn, reduced to the paginator's
/// `result_keys` (JMESPath expressions such as `Reservations` or
/// `DistributionList.Items`, set back under the same dotted path) with, on
/// the first page only, the `non_aggregate_keys` read from that first page;
/// the query is applied to each reduced page separately. When pagination
/// stopped early (`--max-items`), `resume_token` is the token the CLI
/// prints, formatted (and queried) as `{"NextToken": {"NextToken": token}}`.
///
/// `pages` are the parsed pages as the paginator yields them (after any
/// `--max-items` truncation).
pub fn render_text_pages(
    pages: &[Value],
    result_keys: &[&str],
    non_aggregate_keys: &[&str],
    resume_token: Option<&str>,
    query: Option<&str>,
) -> Result<String, RenderError> {
    let mut out = String::new();
    let emit = |current: &Value, out: &mut String| -> Result<(), RenderError> {
        let data = match query {
            Some(q) => apply_query(current, q)?,
            None => current.clone(),
        };
        out.push_str(&text::format_text(&data)?);
        Ok(())
    };
    let mut first_part = serde_json::Map::new();
    if let Some(first) = pages.first() {
        for key in non_aggregate_keys {
            let v = apply_query(first, key)?;
            set_dotted(&mut first_part, key, v)?;
        }
    }
    for (i, page) in pages.iter().enumerate() {
        let mut current = if i == 0 {
            first_part.clone()
        } else {
            serde_json::Map::new()
        };
        for key in result_keys {
            let v = apply_query(page, key)?;
            set_dotted(&mut current, key, v)?;
        }
        emit(&Value::Object(current), &mut out)?;
    }
    if let Some(token) = resume_token {
        let v = serde_json::json!({"NextToken": {"NextToken": token}});
        emit(&v, &mut out)?;
    }
    Ok(out)
}

/// botocore's `set_value_from_jmespath`: set `value` at a dotted path,
/// creating structures on the way (and replacing nothing but the last key).
fn set_dotted(
    map: &mut serde_json::Map<String, Value>,
    path: &str,
    value: Value,
) -> Result<(), RenderError> {
    let bad = || RenderError::QueryFailed {
        query: path.to_string(),
        message: "a paginator key must be a dotted path of names".into(),
    };
    match path.split_once('.') {
        None if !path.is_empty() => {
            map.insert(path.to_string(), value);
            Ok(())
        }
        Some((head, rest)) if !head.is_empty() => {
            let slot = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            match slot {
                Value::Object(inner) => set_dotted(inner, rest, value),
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// Remove the top-level `ResponseMetadata`, then apply the query.
fn prepare(value: &Value, query: Option<&str>) -> Result<Value, RenderError> {
    let stripped;
    let base = match value {
        Value::Object(m) if m.contains_key("ResponseMetadata") => {
            let mut m = m.clone();
            m.shift_remove("ResponseMetadata");
            stripped = Value::Object(m);
            &stripped
        }
        v => v,
    };
    match query {
        Some(q) => apply_query(base, q),
        None => Ok(base.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_names_round_trip_and_yaml_is_explained() {
        for f in OutputFormat::ALL {
            assert_eq!(f.as_str().parse::<OutputFormat>().unwrap(), f);
        }
        let e = "yaml".parse::<OutputFormat>().unwrap_err().to_string();
        assert!(
            e.contains("'json', 'text', 'table'") && e.contains("v2"),
            "{e}"
        );
        let e = "xml".parse::<OutputFormat>().unwrap_err().to_string();
        assert!(e.contains("'xml'") && !e.contains("v2"), "{e}");
    }

    #[test]
    fn response_metadata_is_removed_before_the_query() {
        let v = json!({"ResponseMetadata": {"RequestId": "x"}});
        assert_eq!(render(&v, OutputFormat::Json, None, "Op").unwrap(), "");
        let v = json!({"A": 1, "ResponseMetadata": {"RequestId": "x"}});
        assert_eq!(
            render(&v, OutputFormat::Json, Some("keys(@)"), "Op").unwrap(),
            "[\n    \"A\"\n]\n"
        );
    }

    #[test]
    fn bad_query_reports_the_parse_message() {
        let e = render(&json!({}), OutputFormat::Json, Some("a[?"), "Op").unwrap_err();
        assert!(matches!(e, RenderError::InvalidQuery { .. }), "{e:?}");
        assert!(e.to_string().contains("a[?"), "{e}");
    }
}
