//! `--output json`: Python's `json.dump(indent=4, ensure_ascii=False)`.
//!
//! Python writes `", "`-free separators when indenting (`","` at line ends,
//! `": "` after keys), empty containers as `[]` and `{}`, non-ASCII
//! characters as they are, and control characters as lowercase `\u00XX`
//! except the short escapes `\n \r \t \b \f`. Floats use Python's `repr`.
//! The CLI prints nothing for a result equal to `{}`.

use serde_json::Value;

use super::pyfmt::number_str;

/// The CLI's json output of a (prepared) result, final newline included.
pub(crate) fn format_json(v: &Value) -> String {
    if matches!(v, Value::Object(m) if m.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    write_value(v, 0, &mut out, false);
    out.push('\n');
    out
}

/// Python's `json.dumps(v, indent=4)` (`ensure_ascii=True`): what awscli's
/// hand-written commands print with `sys.stdout.write` (no final newline).
pub fn dumps_indent4(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, 0, &mut out, true);
    out
}

fn indent(level: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', level * 4));
}

fn write_value(v: &Value, level: usize, out: &mut String, ascii: bool) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_str(n)),
        Value::String(s) => write_escaped(s, out, ascii),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(level + 1, out);
                write_value(e, level + 1, out, ascii);
            }
            out.push('\n');
            indent(level, out);
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            out.push_str("{\n");
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(level + 1, out);
                write_escaped(k, out, ascii);
                out.push_str(": ");
                write_value(e, level + 1, out, ascii);
            }
            out.push('\n');
            indent(level, out);
            out.push('}');
        }
    }
}

/// A JSON string as Python's encoder writes it: with `ascii`
/// (`ensure_ascii=True`, the default of `json.dumps`) everything outside
/// printable ASCII becomes `\uXXXX` (UTF-16 units), without it only
/// control characters do.
pub(crate) fn write_escaped(s: &str, out: &mut String, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && (c as u32) > 0x7e) => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dumps_escapes_non_ascii_like_json_dumps() {
        let v = json!([{"n": "é😀"}, []]);
        assert_eq!(
            dumps_indent4(&v),
            "[\n    {\n        \"n\": \"\\u00e9\\ud83d\\ude00\"\n    },\n    []\n]"
        );
    }

    #[test]
    fn indents_like_python() {
        let v = json!({"a": [1, {"b": []}], "c": {}, "d": "é\u{1}\"", "e": 1.0});
        assert_eq!(
            format_json(&v),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": []\n        }\n    ],\n    \"c\": {},\n    \"d\": \"é\\u0001\\\"\",\n    \"e\": 1.0\n}\n"
        );
        assert_eq!(format_json(&json!({})), "");
        assert_eq!(format_json(&json!([])), "[]\n");
        assert_eq!(format_json(&json!(null)), "null\n");
    }
}
