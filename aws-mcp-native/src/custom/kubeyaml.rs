//! Kubeconfig YAML as awscli reads and writes it: PyYAML's `SafeLoader`
//! (YAML 1.1) into ordered mappings, and `yaml.dump(..., SafeDumper,
//! default_flow_style=False)` back (`customizations/eks/ordered_yaml.py`).
//!
//! The document is a [`serde_json::Value`] (its maps keep their order).
//! [`dump`] is PyYAML's emitter for what a kubeconfig holds — block
//! mappings and sequences (sequences in a mapping not indented, `{}` and
//! `[]` for empty ones), plain scalars where PyYAML's `analyze_scalar` and
//! its implicit resolvers allow them, single quotes otherwise — and
//! refuses what it does not reproduce exactly (floats, text that needs
//! double quotes, line breaks, lines PyYAML would fold at 80 columns, keys
//! of 128 characters or more).
//!
//! [`load`] reads with `serde_yaml_ng` (YAML 1.2), which agrees with
//! PyYAML only where YAML 1.1 and 1.2 agree. A file is therefore taken
//! when it is exactly what [`dump`] writes for what was read (as the AWS
//! CLI writes kubeconfigs: the two readings are then the same), or when
//! nothing in it reads differently under YAML 1.1: no anchors, aliases or
//! tags, no integers or floats, and no string that PyYAML would resolve to
//! another type if it was written plain (`yes`, `0o17`, `2024-01-01`,
//! `<<`). Anything else is an error, never a guess.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

/// PyYAML's `best_width`.
const BEST_WIDTH: usize = 80;

/// Why a document is not read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum YamlError {
    /// The text does not parse.
    #[error("{0}")]
    Parse(String),
    /// The document holds something read or written differently by PyYAML
    /// than here.
    #[error("{0}")]
    Unsupported(String),
}

/// PyYAML's implicit resolvers (`yaml/resolver.py`, verbose patterns
/// written out): a plain scalar matching one is not a string.
fn resolvers() -> &'static [Regex] {
    static R: OnceLock<Vec<Regex>> = OnceLock::new();
    R.get_or_init(|| {
        [
            r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
            r"^(?:<<)$",
            r"^(?:~|null|Null|NULL|)$",
            r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
            r"^(?:=)$",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// Whether PyYAML reads `s`, written plain, as a string.
fn plain_is_str(s: &str) -> bool {
    !resolvers().iter().any(|r| r.is_match(s))
}

/// PyYAML's `analyze_scalar` for a block context: (plain allowed, single
/// quotes allowed, multiline). `None`: the text needs double quotes
/// (special or non-ASCII characters, which `allow_unicode=False` escapes).
fn analyze(s: &str) -> Option<(bool, bool, bool)> {
    if s.is_empty() {
        return Some((true, true, false));
    }
    let chars: Vec<char> = s.chars().collect();
    let ws = |c: char| {
        matches!(
            c,
            '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    let brk = |c: char| matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}');
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut followed_by_ws = chars.len() == 1 || ws(chars[1]);
    let n = chars.len();
    for (i, &ch) in chars.iter().enumerate() {
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_ws {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_ws {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_ws {
                block_indicators = true;
            }
        }
        if brk(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            special = true;
        }
        if ch == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == n - 1;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if brk(ch) {
            leading_break |= i == 0;
            trailing_break |= i == n - 1;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = ws(ch);
        followed_by_ws = i + 2 >= n || ws(chars[i + 2]);
    }
    if special || space_break {
        return None;
    }
    let mut plain = !(leading_space || leading_break || trailing_space || trailing_break);
    let mut single = true;
    if break_space {
        plain = false;
        single = false;
    }
    if line_breaks || block_indicators {
        plain = false;
    }
    if !single {
        return None;
    }
    Some((plain, single, line_breaks))
}

/// `s` as PyYAML writes it starting at `column`; `key`: as a simple key.
fn scalar(s: &str, column: usize, key: bool) -> Result<String, YamlError> {
    let unsupported = || {
        YamlError::Unsupported(format!(
            "the value {s:?} is written by PyYAML in a form not reproduced here"
        ))
    };
    let (plain, single, multiline) = analyze(s).ok_or_else(unsupported)?;
    if multiline || (key && s.chars().count() >= 128) {
        return Err(unsupported());
    }
    let plain = plain && plain_is_str(s) && !(key && s.is_empty());
    let text = if plain {
        s.to_string()
    } else if single {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        return Err(unsupported());
    };
    // PyYAML breaks a line at a single space once past the width (not in
    // keys); such values are refused rather than folded.
    if !key && text.contains(' ') {
        let b: Vec<char> = text.chars().collect();
        for (i, &c) in b.iter().enumerate() {
            let single_space =
                c == ' ' && (i == 0 || b[i - 1] != ' ') && b.get(i + 1).is_some_and(|n| *n != ' ');
            // The column before this character.
            if single_space && column + i > BEST_WIDTH {
                return Err(unsupported());
            }
        }
    }
    Ok(text)
}

/// A scalar value (anything but a non-empty collection) as PyYAML writes it.
fn value_text(v: &Value, column: usize) -> Result<String, YamlError> {
    Ok(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        Value::Number(n) => {
            return Err(YamlError::Unsupported(format!(
                "the number {n} is written by PyYAML in a form not reproduced here"
            )))
        }
        Value::String(s) => scalar(s, column, false)?,
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        // Non-empty collections are written by write_map and write_seq.
        Value::Array(_) | Value::Object(_) => {
            return Err(YamlError::Unsupported(
                "a collection where a scalar was expected".into(),
            ))
        }
    })
}

/// Whether `v` is written on its own lines (a non-empty collection).
fn is_block(v: &Value) -> bool {
    match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    }
}

/// A block mapping at `indent`; `inline`: its first key follows a `- `
/// already written.
fn write_map(
    out: &mut String,
    m: &Map<String, Value>,
    indent: usize,
    inline: bool,
) -> Result<(), YamlError> {
    for (i, (k, v)) in m.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        let key = scalar(k, indent, true)?;
        out.push_str(&key);
        out.push(':');
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, indent + 2, false)?;
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_seq(out, items, indent, false)?;
            }
            _ => {
                let col = indent + key.chars().count() + 2;
                out.push(' ');
                out.push_str(&value_text(v, col)?);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A block sequence whose dashes are at `indent`; `inline`: the first
/// item follows a `- ` already written.
fn write_seq(
    out: &mut String,
    items: &[Value],
    indent: usize,
    inline: bool,
) -> Result<(), YamlError> {
    for (i, v) in items.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match v {
            Value::Object(inner) if is_block(v) => write_map(out, inner, indent + 2, true)?,
            Value::Array(inner) if is_block(v) => write_seq(out, inner, indent + 2, true)?,
            _ => {
                out.push_str(&value_text(v, indent + 2)?);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// `yaml.dump(v, Dumper=SafeOrderedDumper, default_flow_style=False)`.
pub(crate) fn dump(v: &Value) -> Result<String, YamlError> {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0, false)?,
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0, false)?,
        other => {
            out.push_str(&value_text(other, 0)?);
            out.push('\n');
            if !matches!(other, Value::Array(_) | Value::Object(_)) {
                // PyYAML ends a plain top-level scalar document with `...`.
                out.push_str("...\n");
            }
        }
    }
    Ok(out)
}

/// `serde_yaml_ng`'s reading as JSON (keys must be strings).
fn to_json(v: serde_yaml_ng::Value) -> Result<Value, YamlError> {
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                return Err(YamlError::Unsupported(format!(
                    "the number {n} is read by PyYAML in a way not reproduced here"
                )));
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(to_json).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let Y::String(k) = k else {
                    return Err(YamlError::Unsupported(
                        "a mapping key that is not a string".into(),
                    ));
                };
                out.insert(k, to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(_) => {
            return Err(YamlError::Unsupported("a tagged value".into()));
        }
    })
}

/// Whether every scalar of `v` reads the same under YAML 1.1 (PyYAML)
/// as under 1.2: strings (and keys) that stay strings when plain, nulls
/// and booleans; no numbers.
fn same_in_yaml11(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(_) => true,
        Value::Number(_) => false,
        Value::String(s) => plain_is_str(s),
        Value::Array(a) => a.iter().all(same_in_yaml11),
        Value::Object(m) => m.iter().all(|(k, v)| plain_is_str(k) && same_in_yaml11(v)),
    }
}

/// `ordered_yaml_load`: the document in `text` as PyYAML reads it (`Null`
/// for an empty one), or why it is not taken (see the module docs).
pub(crate) fn load(text: &str) -> Result<Value, YamlError> {
    let y: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| YamlError::Parse(e.to_string()))?;
    let v = to_json(y)?;
    if dump(&v).is_ok_and(|d| d == text) {
        return Ok(v);
    }
    static NODE_PROPS: OnceLock<Option<Regex>> = OnceLock::new();
    let props = NODE_PROPS
        .get_or_init(|| Regex::new(r"(?m)(^|[\s\[\]{},:-])[&*!%]").ok())
        .as_ref();
    if props.is_none_or(|r| r.is_match(text)) || !same_in_yaml11(&v) {
        return Err(YamlError::Unsupported(
            "it uses YAML that PyYAML (YAML 1.1) may read differently (anchors, aliases, tags, numbers, or plain words such as yes, no, on, off)".into(),
        ));
    }
    Ok(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dumps_like_pyyaml() {
        // Expected texts: PyYAML 6 `yaml.dump(..., SafeOrderedDumper,
        // default_flow_style=False)` of the same ordered data.
        let v = json!({
            "apiVersion": "v1",
            "clusters": [{"cluster": {"certificate-authority-data": "LS0t", "server": "https://x.eks.amazonaws.com/"}, "name": "arn:aws:eks:us-east-1:1:cluster/c"}],
            "contexts": [],
            "current-context": "",
            "kind": "Config",
            "preferences": {},
            "users": [{"name": "u", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "args": ["--region", "us-east-1", "-"], "command": "aws", "env": null}}}],
            "n": [[1, 2], {}, [], true, "yes", "123", "a: b", "#x", "it's", " lead", "x #y", "a#b", "2024-01-01", "~"]
        });
        let expected = "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0t
    server: https://x.eks.amazonaws.com/
  name: arn:aws:eks:us-east-1:1:cluster/c
contexts: []
current-context: ''
kind: Config
preferences: {}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - us-east-1
      - '-'
      command: aws
      env: null
n:
- - 1
  - 2
- {}
- []
- true
- 'yes'
- '123'
- 'a: b'
- '#x'
- it's
- ' lead'
- 'x #y'
- a#b
- '2024-01-01'
- '~'
";
        assert_eq!(dump(&v).unwrap(), expected);
        assert_eq!(load(expected).unwrap(), v);
        // A string PyYAML writes plain that YAML 1.2 reads as a number:
        // written as PyYAML does, but such a file is not read back.
        let octal = json!({"a": "0o17"});
        assert_eq!(dump(&octal).unwrap(), "a: 0o17\n");
        assert!(load("a: 0o17\n").is_err());
    }

    #[test]
    fn refuses_what_it_does_not_reproduce() {
        assert!(dump(&json!({"a": "line\nbreak"})).is_err());
        assert!(dump(&json!({"a": "é"})).is_err());
        assert!(dump(&json!({"a": 1.5})).is_err());
        let long = format!("{} {}", "x".repeat(90), "y");
        assert!(dump(&json!({ "a": long })).is_err());
        assert!(dump(&json!({ "a": "x".repeat(200) })).is_ok());
    }

    #[test]
    fn loads_only_what_pyyaml_reads_alike() {
        assert_eq!(load("").unwrap(), Value::Null);
        // Hand-written but unambiguous: taken.
        let v = load("# comment\nkind: \"Config\"\nclusters:\n  - name: a\n").unwrap();
        assert_eq!(v, json!({"kind": "Config", "clusters": [{"name": "a"}]}));
        // YAML 1.1 booleans and octals, anchors, numbers: refused.
        assert!(load("a: yes\n").is_err());
        assert!(load("a: 0o17\n").is_err());
        assert!(load("a: &x b\nc: *x\n").is_err());
        assert!(load("a: 012\n").is_err());
        assert!(load("a: [\n").is_err());
        // ... unless exactly as PyYAML writes them.
        assert_eq!(load("a: 1\n").unwrap(), json!({"a": 1}));
    }
}
