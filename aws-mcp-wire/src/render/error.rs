//! Errors as the AWS CLI prints them on standard error, with its exit code.
//!
//! * **AWS CLI v1** (awscli 1.46.3): `\n<message>\n`, exit code 255 for
//!   every error (`An error occurred (Code) when calling the Op operation:
//!   message` for an API error).
//! * **AWS CLI v2 before 2.34.0** (Debian's 2.9.19): the same text, with
//!   v2's exit codes: 254 for an API error, 252 for a parameter error, 253
//!   for a configuration error (no region, no credentials), 255 for the
//!   rest (a connection error).
//! * **AWS CLI v2 2.34.0 and later** (2.36.7): v2's exit codes and its
//!   `cli_error_format` (the `--cli-error-format` option, else the
//!   `AWS_CLI_ERROR_FORMAT` variable, else the profile's setting; default
//!   `enhanced`). `enhanced` prefixes the message with `aws: [ERROR]: ` and
//!   lists the error's modeled fields other than its code and message under
//!   `Additional error details:` (simple values as Python prints them,
//!   lists and maps of fewer than 5 simple values inline, anything else as
//!   `<complex value>` with a hint); `legacy` keeps the prefix without the
//!   details; `json`, `yaml`, `text` and `table` print the error's fields
//!   with that output format instead. Errors other than API errors carry the
//!   code `ParamValidation`, `Configuration`, `NoRegion` or `NoCredentials`
//!   (`An error occurred (NoRegion): ...`); a general error is always the
//!   prefixed message. 2.34.0 to 2.34.24 also listed unmodeled fields (the
//!   `Type` of a query error, S3's `BucketName`); this module prints what
//!   2.34.25 and later print.
//!
//! The fields of an API error are botocore's `Error` dict restricted to the
//! modeled ones, in the order botocore's parser builds it: `Message` then
//! `Code` for the JSON protocols, `Code` then `Message` for the XML ones,
//! then the members of the error's shape that the response carried
//! ([`crate::protocol::parse::parse_error_details`]), in model order.

use serde_json::{Map, Value};

use super::pyfmt::py_str;
use super::{render, OutputFormat};

/// AWS CLI v2's `cli_error_format` (2.34.0 and later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ErrorFormat {
    /// `enhanced` (the default): prefixed message and additional details.
    #[default]
    Enhanced,
    /// `legacy`: the prefixed message only.
    Legacy,
    /// The error's fields in one of the output formats.
    Structured(OutputFormat),
}

impl ErrorFormat {
    /// Read a setting's value as the CLI does (case-insensitive); `None` for
    /// a value the CLI does not know (it then uses `enhanced`).
    pub fn parse(s: &str) -> Option<ErrorFormat> {
        match s.to_ascii_lowercase().as_str() {
            "enhanced" => Some(ErrorFormat::Enhanced),
            "legacy" => Some(ErrorFormat::Legacy),
            "json" => Some(ErrorFormat::Structured(OutputFormat::Json)),
            "yaml" => Some(ErrorFormat::Structured(OutputFormat::Yaml)),
            "text" => Some(ErrorFormat::Structured(OutputFormat::Text)),
            "table" => Some(ErrorFormat::Structured(OutputFormat::Table)),
            _ => None,
        }
    }
}

/// Which AWS CLI's error output to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ErrorStyle {
    /// AWS CLI v1.
    #[default]
    V1,
    /// AWS CLI v2 before 2.34.0.
    V2Legacy,
    /// AWS CLI v2 2.34.0 and later, with its error format.
    V2(ErrorFormat),
}

impl ErrorStyle {
    /// The style of AWS CLI v2 `version` (`2.9.19`) with `format`; a
    /// version that does not read as `2.MINOR.PATCH` is taken as the newest.
    pub fn v2(version: Option<&str>, format: ErrorFormat) -> ErrorStyle {
        let minor = version.and_then(|v| {
            let mut p = v.split('.');
            (p.next() == Some("2"))
                .then(|| p.next()?.parse::<u32>().ok())
                .flatten()
        });
        match minor {
            Some(m) if m < 34 => ErrorStyle::V2Legacy,
            _ => ErrorStyle::V2(format),
        }
    }
}

/// What kind of error, for its exit code and, in v2's formats, its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An API error (botocore's `ClientError`).
    Client,
    /// A parameter the service model rejects (`ParamValidation`).
    ParamValidation,
    /// A configuration error (`Configuration`).
    Configuration,
    /// No region (`NoRegion`).
    NoRegion,
    /// No credentials (`NoCredentials`).
    NoCredentials,
    /// Anything else (a connection error).
    General,
}

/// One error to print.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError<'a> {
    /// What kind of error.
    pub kind: ErrorKind,
    /// The error code of an API error.
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// The API operation (`GetUser`) of an API error.
    pub operation: &'a str,
    /// Whether the service speaks a JSON protocol (field order).
    pub json_protocol: bool,
    /// The modeled fields of an API error beyond its code and message.
    pub details: Option<&'a Map<String, Value>>,
    /// The retries made when an API error ended them because the attempts
    /// ran out: botocore's message then says `(reached max retries: N)`.
    pub max_retries: Option<u32>,
}

impl CliError<'_> {
    /// A non-API error of `kind` with `message`.
    pub fn other(kind: ErrorKind, message: &str) -> CliError<'_> {
        CliError {
            kind,
            code: "",
            message,
            operation: "",
            json_protocol: false,
            details: None,
            max_retries: None,
        }
    }

    /// `str(exception)`: what every style starts from.
    fn text(&self) -> String {
        match self.kind {
            ErrorKind::Client => format!(
                "An error occurred ({}) when calling the {} operation{}: {}",
                self.code,
                self.operation,
                self.max_retries
                    .map(|n| format!(" (reached max retries: {n})"))
                    .unwrap_or_default(),
                self.message
            ),
            _ => self.message.to_string(),
        }
    }

    /// The fields v2's structured formats print.
    fn fields(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let code = match self.kind {
            ErrorKind::Client => self.code,
            ErrorKind::ParamValidation => "ParamValidation",
            ErrorKind::Configuration => "Configuration",
            ErrorKind::NoRegion => "NoRegion",
            ErrorKind::NoCredentials => "NoCredentials",
            ErrorKind::General => "",
        };
        if self.kind == ErrorKind::Client && self.json_protocol {
            m.insert("Message".into(), self.message.into());
            m.insert("Code".into(), code.into());
        } else {
            m.insert("Code".into(), code.into());
            m.insert("Message".into(), self.message.into());
        }
        if let Some(d) = self.details {
            for (k, v) in d {
                if !m.contains_key(k) {
                    m.insert(k.clone(), v.clone());
                }
            }
        }
        m
    }
}

/// The exit code and standard error the CLI prints for `err`.
pub fn render_error(style: ErrorStyle, err: &CliError<'_>) -> (i32, String) {
    let v2_code = match err.kind {
        ErrorKind::Client => 254,
        ErrorKind::ParamValidation => 252,
        ErrorKind::Configuration | ErrorKind::NoRegion | ErrorKind::NoCredentials => 253,
        ErrorKind::General => 255,
    };
    let format = match style {
        ErrorStyle::V1 => return (255, format!("\n{}\n", err.text())),
        ErrorStyle::V2Legacy => return (v2_code, format!("\n{}\n", err.text())),
        ErrorStyle::V2(f) => f,
    };
    let prefixed = |msg: &str| format!("\naws: [ERROR]: {}\n", msg.trim());
    if err.kind == ErrorKind::General {
        return (v2_code, prefixed(&err.text()));
    }
    let fields = err.fields();
    match format {
        ErrorFormat::Legacy => (v2_code, prefixed(&err.text())),
        ErrorFormat::Enhanced => {
            let mut out = prefixed(&match err.kind {
                ErrorKind::Client => err.text(),
                _ => format!(
                    "An error occurred ({}): {}",
                    fields["Code"].as_str().unwrap_or(""),
                    err.message
                ),
            });
            out.push_str(&additional_details(&fields));
            (v2_code, out)
        }
        ErrorFormat::Structured(f) => {
            match render(&Value::Object(fields), f, None, "error") {
                Ok(text) => (v2_code, text),
                // The CLI falls back to the plain message when its formatter fails.
                Err(_) => (v2_code, prefixed(&err.text())),
            }
        }
    }
}

/// v2's `EnhancedErrorFormatter`: the fields other than the code and message.
fn additional_details(fields: &Map<String, Value>) -> String {
    let extra: Vec<(&String, &Value)> = fields
        .iter()
        .filter(|(k, _)| !matches!(k.to_ascii_lowercase().as_str(), "code" | "message"))
        .collect();
    if extra.is_empty() {
        return String::new();
    }
    let simple = |v: &Value| !matches!(v, Value::Array(_) | Value::Object(_));
    let mut out = String::from("\nAdditional error details:\n");
    let mut complex = false;
    for (k, v) in extra {
        let shown = match v {
            v if simple(v) => py_str(v),
            Value::Array(a) if a.len() < 5 && a.iter().all(simple) => {
                format!("[{}]", a.iter().map(py_str).collect::<Vec<_>>().join(", "))
            }
            Value::Object(m) if m.len() < 5 && m.values().all(simple) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{k}: {}", py_str(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => {
                complex = true;
                "<complex value>".to_string()
            }
        };
        out.push_str(&format!("{k}: {shown}\n"));
    }
    if complex {
        out.push_str(
            "Use \"--cli-error-format json\" or another error format to see the full details.\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api<'a>(details: Option<&'a Map<String, Value>>, json_protocol: bool) -> CliError<'a> {
        CliError {
            kind: ErrorKind::Client,
            code: "NoSuchEntity",
            message: "The user with name nobody cannot be found.",
            operation: "GetUser",
            json_protocol,
            details,
            max_retries: None,
        }
    }

    #[test]
    fn versions_pick_the_style() {
        let f = ErrorFormat::Enhanced;
        assert_eq!(ErrorStyle::v2(Some("2.9.19"), f), ErrorStyle::V2Legacy);
        assert_eq!(ErrorStyle::v2(Some("2.33.9"), f), ErrorStyle::V2Legacy);
        assert_eq!(ErrorStyle::v2(Some("2.34.0"), f), ErrorStyle::V2(f));
        assert_eq!(ErrorStyle::v2(Some("2.36.7"), f), ErrorStyle::V2(f));
        assert_eq!(ErrorStyle::v2(None, f), ErrorStyle::V2(f));
        assert_eq!(
            ErrorFormat::parse("JSON"),
            Some(ErrorFormat::Structured(OutputFormat::Json))
        );
        assert_eq!(ErrorFormat::parse("xml"), None);
    }

    #[test]
    fn exhausted_retries_are_named_in_every_text_style() {
        let mut e = api(None, false);
        e.max_retries = Some(4);
        let msg = "An error occurred (NoSuchEntity) when calling the GetUser operation (reached max retries: 4): The user with name nobody cannot be found.";
        assert_eq!(
            render_error(ErrorStyle::V1, &e),
            (255, format!("\n{msg}\n"))
        );
        assert_eq!(
            render_error(ErrorStyle::V2(ErrorFormat::Legacy), &e),
            (254, format!("\naws: [ERROR]: {msg}\n"))
        );
        // The structured formats print the error's fields, not the text.
        let (_, out) = render_error(
            ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Json)),
            &e,
        );
        assert!(!out.contains("max retries"), "{out}");
    }

    #[test]
    fn each_style_prints_an_api_error() {
        let e = api(None, false);
        let msg = "An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.";
        assert_eq!(
            render_error(ErrorStyle::V1, &e),
            (255, format!("\n{msg}\n"))
        );
        assert_eq!(
            render_error(ErrorStyle::V2Legacy, &e),
            (254, format!("\n{msg}\n"))
        );
        let enhanced = ErrorStyle::V2(ErrorFormat::Enhanced);
        assert_eq!(
            render_error(enhanced, &e),
            (254, format!("\naws: [ERROR]: {msg}\n"))
        );
        let (rc, out) = render_error(
            ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Json)),
            &e,
        );
        assert_eq!(rc, 254);
        assert_eq!(
            out,
            "{\n    \"Code\": \"NoSuchEntity\",\n    \"Message\": \"The user with name nobody cannot be found.\"\n}\n"
        );
        let (_, out) = render_error(
            ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Json)),
            &api(None, true),
        );
        assert!(out.starts_with("{\n    \"Message\""), "{out}");
    }

    #[test]
    fn enhanced_lists_the_modeled_details() {
        let d = json!({"Type": "User", "message": "lower", "Item": {"id": {"S": "1"}}, "Ids": [1, 2], "Flag": true});
        let d = d.as_object().unwrap();
        let (_, out) = render_error(ErrorStyle::V2(ErrorFormat::Enhanced), &api(Some(d), true));
        assert_eq!(
            out,
            "\naws: [ERROR]: An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.\n\nAdditional error details:\nType: User\nItem: <complex value>\nIds: [1, 2]\nFlag: True\nUse \"--cli-error-format json\" or another error format to see the full details.\n"
        );
        let (_, out) = render_error(ErrorStyle::V2(ErrorFormat::Legacy), &api(Some(d), true));
        assert!(!out.contains("Additional"), "{out}");
    }

    #[test]
    fn other_errors_carry_their_code() {
        let e = CliError::other(ErrorKind::NoRegion, "You must specify a region.");
        assert_eq!(
            render_error(ErrorStyle::V1, &e),
            (255, "\nYou must specify a region.\n".into())
        );
        assert_eq!(render_error(ErrorStyle::V2Legacy, &e).0, 253);
        assert_eq!(
            render_error(ErrorStyle::V2(ErrorFormat::Enhanced), &e),
            (
                253,
                "\naws: [ERROR]: An error occurred (NoRegion): You must specify a region.\n".into()
            )
        );
        let e = CliError::other(
            ErrorKind::General,
            "Could not connect to the endpoint URL: \"x\"",
        );
        assert_eq!(
            render_error(
                ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Json)),
                &e
            ),
            (
                255,
                "\naws: [ERROR]: Could not connect to the endpoint URL: \"x\"\n".into()
            )
        );
        let e = CliError::other(ErrorKind::ParamValidation, "bad");
        assert_eq!(render_error(ErrorStyle::V2Legacy, &e).0, 252);
    }
}
