//! Render API results exactly as the AWS CLI prints them: v1 (awscli 1.46.3)
//! and v2 (2.9.19 to 2.36.7), whose `json`, `text` and `table` printers are
//! the same code, plus v2's `yaml`, `yaml-stream` and `off`.
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
//! ## AWS CLI v2
//!
//! v2's formatters for `json`, `text` and `table` are v1's (the same
//! `formatter.py`, `text.py` and `table.py` up to style); what differs is
//! the value handed over (timestamps are ISO 8601 by default: the parser's
//! [`TimestampMode::Iso8601`](crate::protocol::parse::TimestampMode)) and
//! three more formats, which AWS CLI v1 rejects
//! ([`OutputFormat::for_dialect`] says so):
//!
//! * `yaml`: ruamel.yaml's safe dumper, keys sorted (module `yaml`);
//! * `yaml-stream`: each page of a paginated call as its own one-item
//!   YAML list, with no merging and no resume token
//!   ([`render_yaml_stream_pages`]);
//! * `off` (2.34.0+): nothing on standard output.
//!
//! Errors, on standard error with the CLI's exit code, differ by version
//! ([`error`]): v1 and v2 before 2.34.0 print the bare message, later
//! v2 versions `aws: [ERROR]: ...` and the error's modeled details.
//!
//! ## Not covered
//!
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

pub mod error;
mod json;
pub(crate) mod pyfmt;
pub(crate) mod query;
mod table;
mod text;
mod unicode_tables;
mod yaml;

use std::fmt;
use std::str::FromStr;

use aws_mcp_core::catalog::Dialect;
use serde_json::Value;

pub use error::{render_error, CliError, ErrorFormat, ErrorKind, ErrorStyle};
pub use json::dumps_indent4;
pub use query::{
    apply_query, apply_query_with_budget, approx_size, QUERY_BUDGET_BASE,
    QUERY_BUDGET_PER_INPUT_BYTE,
};

/// Terminal width the CLI assumes for `--output table` when standard output
/// is not a terminal (`awscli.table.determine_terminal_width`'s default).
pub const DEFAULT_TABLE_WIDTH: usize = 80;

/// An output format of the AWS CLI (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutputFormat {
    /// `json`: indented JSON, 4 spaces, non-ASCII unescaped.
    Json,
    /// `text`: tab-separated lines.
    Text,
    /// `table`: a box-drawn table titled with the operation name.
    Table,
    /// `yaml` (AWS CLI v2): block YAML, keys sorted.
    Yaml,
    /// `yaml-stream` (AWS CLI v2): one YAML list item per page.
    YamlStream,
    /// `off` (AWS CLI v2.34.0 and later): nothing on standard output.
    Off,
}

impl OutputFormat {
    /// The formats AWS CLI v1 accepts, in its order.
    pub const ALL: [OutputFormat; 3] =
        [OutputFormat::Json, OutputFormat::Text, OutputFormat::Table];

    /// The formats AWS CLI v2 accepts, in its order.
    pub const ALL_V2: [OutputFormat; 6] = [
        OutputFormat::Json,
        OutputFormat::Text,
        OutputFormat::Table,
        OutputFormat::Yaml,
        OutputFormat::YamlStream,
        OutputFormat::Off,
    ];

    /// The `--output` value naming this format.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
            OutputFormat::Yaml => "yaml",
            OutputFormat::YamlStream => "yaml-stream",
            OutputFormat::Off => "off",
        }
    }

    /// This format, if the dialect's CLI has it: AWS CLI v1 has only
    /// `json`, `text` and `table`.
    pub fn for_dialect(self, dialect: Dialect) -> Result<OutputFormat, RenderError> {
        if dialect == Dialect::V1 && !OutputFormat::ALL.contains(&self) {
            return Err(RenderError::UnknownFormat {
                format: self.as_str().to_string(),
                hint: " (yaml, yaml-stream and off are AWS CLI v2 formats; this is AWS CLI v1)",
            });
        }
        Ok(self)
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Any format of either CLI version; see [`OutputFormat::for_dialect`].
impl FromStr for OutputFormat {
    type Err = RenderError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL_V2
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| RenderError::UnknownFormat {
                format: s.to_string(),
                hint: "",
            })
    }
}

/// Why a result could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// `--output` named a format the CLI does not have.
    #[error("invalid output format '{format}': choose from 'json', 'text', 'table', 'yaml', 'yaml-stream', 'off'{hint}")]
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

/// Render `value` (a parsed API response) as the AWS CLI prints it with
/// `--output format` and `--query query`, for operation `title` (the
/// operation's model name such as `DescribeInstances`, which titles tables).
///
/// The result is the complete standard output, including its final newline;
/// it is empty where the CLI prints nothing (a `json` or `yaml` result equal
/// to `{}`, a `table` of an empty or false result, a `text` empty list,
/// `off`). `yaml-stream` here is the output of a call that does not
/// paginate; see [`render_yaml_stream_pages`] for one that does.
///
/// # Errors
/// [`RenderError`] when the `--query` does not parse or fails, or the
/// value cannot be printed in the format.
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
        OutputFormat::Yaml => Ok(yaml::format_yaml(&data)),
        OutputFormat::YamlStream => Ok(yaml::format_yaml_stream_item(&data)),
        OutputFormat::Off => Ok(String::new()),
    }
}

/// `--output yaml-stream` of a paginated operation, as AWS CLI v2 prints it
/// from its `PageIterator`: each page as the service sent it (after any
/// `--max-items` cut), without `ResponseMetadata`, queried on its own, then
/// written as a one-item YAML list. Nothing is merged and no resume token is
/// printed.
pub fn render_yaml_stream_pages(
    pages: &[Value],
    query: Option<&str>,
) -> Result<String, RenderError> {
    let mut out = String::new();
    for page in pages {
        let data = prepare(page, query)?;
        out.push_str(&yaml::dump(&Value::Array(vec![data])));
    }
    Ok(out)
}

/// Render an already prepared result (no `ResponseMetadata` removal, no
/// query) as `--output table` for a terminal `width` columns wide.
///
/// # Errors
/// [`RenderError`] when the value cannot be laid out as a table.
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

/// Python's truth value of a JSON value (`bool(x)`: null, false, zero
/// and empty strings, lists and objects are false), as the AWS CLI's table
/// formatter and customizations test values. JMESPath's truthiness differs
/// (every number is true): see the query module.
pub fn python_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_names_round_trip_and_v1_explains_the_v2_formats() {
        for f in OutputFormat::ALL_V2 {
            assert_eq!(f.as_str().parse::<OutputFormat>().unwrap(), f);
            assert_eq!(f.for_dialect(Dialect::V2), Ok(f));
        }
        for f in OutputFormat::ALL {
            assert_eq!(f.for_dialect(Dialect::V1), Ok(f));
        }
        for f in [
            OutputFormat::Yaml,
            OutputFormat::YamlStream,
            OutputFormat::Off,
        ] {
            let e = f.for_dialect(Dialect::V1).unwrap_err().to_string();
            assert!(e.contains(f.as_str()) && e.contains("AWS CLI v2"), "{e}");
        }
        let e = "xml".parse::<OutputFormat>().unwrap_err().to_string();
        assert!(e.contains("'xml'") && !e.contains("v2"), "{e}");
    }

    #[test]
    fn yaml_formats_and_off() {
        let v = json!({"B": [1], "A": "2024-01-02T03:04:05+00:00", "ResponseMetadata": {}});
        assert_eq!(
            render(&v, OutputFormat::Yaml, None, "Op").unwrap(),
            "A: '2024-01-02T03:04:05+00:00'\nB:\n- 1\n"
        );
        assert_eq!(
            render(&v, OutputFormat::YamlStream, Some("B"), "Op").unwrap(),
            "- - 1\n"
        );
        assert_eq!(render(&v, OutputFormat::Off, None, "Op").unwrap(), "");
        assert_eq!(
            render(&json!({}), OutputFormat::YamlStream, None, "Op").unwrap(),
            ""
        );
        let pages = [json!({"Items": [1], "Next": "t"}), json!({"Items": []})];
        assert_eq!(
            render_yaml_stream_pages(&pages, None).unwrap(),
            "- Items:\n  - 1\n  Next: t\n- Items: []\n"
        );
        assert_eq!(
            render_yaml_stream_pages(&pages, Some("Items[0]")).unwrap(),
            "- 1\n- null\n"
        );
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
