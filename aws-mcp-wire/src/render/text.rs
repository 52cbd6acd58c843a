//! `--output text`: `awscli/text.py`.
//!
//! * A scalar prints as Python's `str()` on its own line.
//! * A structure prints its scalar values (keys sorted) on one
//!   tab-separated line, prefixed by the upper-cased key that led to it,
//!   then each non-scalar member (keys sorted) under its own key.
//! * A list of structures uses, for every element, the sorted union of the
//!   scalar keys of all elements (missing ones print empty; a member that is
//!   scalar elsewhere but nested here prints as Python's `repr`).
//! * A list of scalars under a key prints one `KEY\tvalue` line per element;
//!   a bare list prints its scalars on one tab-separated line. Lists of
//!   lists print their scalars first, then each nested list.
//! * An empty list prints nothing.
//!
//! A list mixing structures with other values crashes the CLI
//! (`AttributeError`); it is reported as [`RenderError::Unrenderable`].

use serde_json::{Map, Value};

use super::pyfmt::py_str;
use super::{OutputFormat, RenderError};

/// The CLI's text output of a (prepared) result. On failure, the error
/// carries what the CLI would have printed before it crashed.
pub(crate) fn format_text(v: &Value) -> Result<String, RenderError> {
    let mut out = String::new();
    match item(v, None, None, &mut out) {
        Ok(()) => Ok(out),
        Err(RenderError::Unrenderable {
            format,
            reason,
            cli_message,
            ..
        }) => Err(RenderError::Unrenderable {
            format,
            reason,
            cli_message,
            partial: out,
        }),
        Err(e) => Err(e),
    }
}

/// Python's `type(v).__name__`.
pub(crate) fn python_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn item(
    v: &Value,
    ident: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) -> Result<(), RenderError> {
    match v {
        Value::Object(m) => dict(m, ident, scalar_keys, out),
        Value::Array(a) => list(a, ident, out),
        s => {
            out.push_str(&py_str(s));
            out.push('\n');
            Ok(())
        }
    }
}

fn list(a: &[Value], ident: Option<&str>, out: &mut String) -> Result<(), RenderError> {
    if a.is_empty() {
        return Ok(());
    }
    if a.iter().any(Value::is_object) {
        let mut keys: Vec<String> = Vec::new();
        for e in a {
            let Value::Object(m) = e else {
                // `_all_scalar_keys` calls `.items()` on every element.
                return Err(RenderError::Unrenderable {
                    format: OutputFormat::Text,
                    reason: "a list mixes structures with other values".into(),
                    cli_message: format!("'{}' object has no attribute 'items'", python_type(e)),
                    partial: String::new(),
                });
            };
            for (k, v) in m {
                if is_scalar(v) {
                    keys.push(k.clone());
                }
            }
        }
        keys.sort();
        keys.dedup();
        for e in a {
            item(e, ident, Some(&keys), out)?;
        }
    } else if a.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = a.iter().filter(|e| is_scalar(e)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, ident, out);
        }
        for e in a.iter().filter(|e| !is_scalar(e)) {
            item(e, ident, None, out)?;
        }
    } else {
        let all: Vec<&Value> = a.iter().collect();
        scalar_list(&all, ident, out);
    }
    Ok(())
}

fn scalar_list(elements: &[&Value], ident: Option<&str>, out: &mut String) {
    match ident {
        Some(id) => {
            let id = id.to_uppercase();
            for e in elements {
                out.push_str(&id);
                out.push('\t');
                out.push_str(&py_str(e));
                out.push('\n');
            }
        }
        None => {
            let parts: Vec<String> = elements.iter().map(|e| py_str(e)).collect();
            out.push_str(&parts.join("\t"));
            out.push('\n');
        }
    }
}

fn dict(
    m: &Map<String, Value>,
    ident: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) -> Result<(), RenderError> {
    let mut scalars: Vec<String> = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (k, v) in entries {
                if is_scalar(v) {
                    scalars.push(py_str(v));
                } else {
                    nested.push((k, v));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(m.get(k).map(py_str).unwrap_or_default());
            }
            let mut rest: Vec<(&String, &Value)> = m
                .iter()
                .filter(|(k, _)| keys.binary_search(k).is_err())
                .collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            nested = rest;
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = ident {
            out.push_str(&id.to_uppercase());
            out.push('\t');
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, v) in nested {
        item(v, Some(k), None, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn structures_and_lists() {
        let v = json!({"Items": [{"B": 2, "A": "x", "L": ["p", "q"]}, {"A": "y", "C": null}], "Z": true});
        assert_eq!(
            format_text(&v).unwrap(),
            "True\nITEMS\tx\t2\t\nL\tp\nL\tq\nITEMS\ty\t\tNone\n"
        );
        assert_eq!(format_text(&json!([])).unwrap(), "");
        assert_eq!(format_text(&json!([1, "a", 2.0])).unwrap(), "1\ta\t2.0\n");
        assert!(format_text(&json!([{"a": 1}, 2])).is_err());
    }
}
