//! `--output yaml` and `--output yaml-stream`: AWS CLI v2's `YAMLDumper`.
//!
//! AWS CLI v2 (2.9.19 and 2.36.7 alike) prints YAML with
//! `ruamel.yaml.YAML(typ='safe')`, block style, through ruamel's C
//! extension: ruamel's `SafeRepresenter` and YAML 1.2 `Resolver` decide
//! each node's tag and whether a plain scalar would read back as a string,
//! and libyaml's emitter (the copy bundled in `ruamel.yaml.clib`) writes
//! the text. This module reproduces that pipeline for JSON values:
//!
//! * **Representer**: mapping keys sorted (ruamel sorts plain dicts on
//!   output), `null`, `true`/`false`, integers as `str()`, floats as
//!   Python's `repr()` lower-cased (`1e+20`, `.inf`, `.nan`), strings as
//!   strings.
//! * **Resolver**: a string may be written plain only when none of the YAML
//!   1.2 implicit resolvers (bool, float, int, merge, null, timestamp,
//!   value, yaml) matches it; so `'2024-01-02T03:04:05+00:00'`, `'1.5'`,
//!   `'null'` and `''` are quoted while `yes` and `on` are not (they are
//!   YAML 1.1 booleans only).
//! * **Emitter**: libyaml's state machine for block collections (mapping
//!   values that are sequences are not indented, empty collections are
//!   `[]`/`{}`, keys longer than 128 bytes or spanning lines become
//!   `? key`), its scalar analysis and style choice (plain, then single
//!   quotes, then double quotes with escapes), and its line folding at 80
//!   columns. Characters outside the Basic Multilingual Plane count as
//!   unprintable in that libyaml and are escaped (`"\U0001F600"`).
//!
//! A result that is a scalar is not YAML at all: `YAMLDumper` writes it
//! with `json.dump` (one line) to avoid YAML's `...` document end marker.
//!
//! The well-kept Rust YAML crates were measured against the real CLI and do
//! not print this: `serde_yaml_ng` (libyaml through `unsafe-libyaml`)
//! decides quoting itself (timestamps, `=`, `<<`, `1_000` unquoted), writes
//! multi-line strings as block literals, never folds (its width is
//! unlimited) and prints `1e20`; the raw `unsafe-libyaml` API would need
//! `unsafe` code and treats non-BMP characters as printable. They are used
//! where they fit: the tests read every output back with `serde_yaml_ng`.
//!
//! Checked byte for byte against AWS CLI v2's own `YAMLDumper` over the
//! vectors of `tools/testdata/yaml_vectors.py` (`tests/render.rs`).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Number, Value};

use super::json::format_json;
use super::pyfmt::float_repr;

/// The column past which libyaml folds long scalars (its default width).
const BEST_WIDTH: usize = 80;
/// libyaml's default indentation step.
const BEST_INDENT: i32 = 2;
/// Longest key (in bytes) libyaml writes as a simple `key: value`.
const MAX_SIMPLE_KEY: usize = 128;

/// `YAMLDumper.dump`: the YAML of a (prepared) result, or its one-line
/// JSON when it is a scalar. An empty result object prints nothing (the
/// CLI's `response == {}` rule), as for `json`.
pub(crate) fn format_yaml(v: &Value) -> String {
    if matches!(v, Value::Object(m) if m.is_empty()) {
        return String::new();
    }
    dump(v)
}

/// `StreamedYAMLFormatter` for one response: the result as a one-item
/// list, nothing for an empty result object.
pub(crate) fn format_yaml_stream_item(v: &Value) -> String {
    if matches!(v, Value::Object(m) if m.is_empty()) {
        return String::new();
    }
    dump(&Value::Array(vec![v.clone()]))
}

/// `YAMLDumper.dump` of any value (a page of `yaml-stream` is dumped even
/// when it is empty).
pub(crate) fn dump(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => {
            let mut e = Emitter::default();
            e.node(v, Ctx::ROOT);
            // Document end: a line break after the root node.
            e.indent = -1;
            e.write_indent();
            e.out
        }
        scalar => format_json(scalar),
    }
}

/// Where a node is written (libyaml's `*_context` flags).
#[derive(Debug, Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    const ROOT: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const SEQUENCE: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const MAPPING: Ctx = Ctx {
        mapping: true,
        simple_key: false,
    };
    const KEY: Ctx = Ctx {
        mapping: true,
        simple_key: true,
    };
}

/// A scalar's text and how libyaml may write it.
struct Scalar<'a> {
    text: std::borrow::Cow<'a, str>,
    /// Whether the resolver reads the plain text back with the node's tag.
    plain_implicit: bool,
    a: Analysis,
}

/// libyaml's `yaml_emitter_analyze_scalar` result.
#[derive(Debug, Clone, Copy)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's emitter state, for block-style output of JSON values.
struct Emitter {
    out: String,
    /// Characters (not bytes) written on the current line.
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i32,
    indents: Vec<i32>,
    flow_level: u32,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A blank, a break, the end of the text or a NUL (which libyaml, reading
/// NUL-terminated text, takes for the end).
fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\0') || is_break(c),
    }
}

/// libyaml's `IS_PRINTABLE` as built into `ruamel.yaml.clib` (characters
/// past U+FFFF are not printable there).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = is_blankz(chars.get(i + 1).copied());
        let first = i == 0;
        let last = i + 1 == chars.len();
        if first {
            if matches!(
                c,
                '#' | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            ) {
                block_indicators = true;
            }
            if matches!(c, '?' | ':') && followed_by_whitespace {
                block_indicators = true;
            }
            if c == '-' && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if c == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if c == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(Some(c));
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if break_space || space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// ruamel's YAML 1.2 implicit resolvers: the plain scalars that would not
/// read back as strings.
static IMPLICIT: LazyLock<Regex> = LazyLock::new(|| {
    let alts = [
        // bool
        r"true|True|TRUE|false|False|FALSE",
        // float
        r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?",
        r"[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)",
        r"[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?",
        r"[-+]?\.(?:inf|Inf|INF)",
        r"\.(?:nan|NaN|NAN)",
        // int
        r"[-+]?0b[0-1_]+",
        r"[-+]?0o?[0-7_]+",
        r"[-+]?[0-9_]+",
        r"[-+]?0x[0-9a-fA-F_]+",
        // merge, null, value, yaml
        r"<<",
        r"~|null|Null|NULL",
        r"=",
        r"!|&|\*",
        // timestamp
        r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
        r"[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?",
    ];
    #[allow(clippy::expect_used)]
    Regex::new(&format!("^(?:{})$", alts.join("|"))).expect("the resolver patterns compile")
});

/// Whether a string, written plain, reads back as a string.
fn plain_is_str(s: &str) -> bool {
    // ruamel's resolvers are keyed by the first character; the empty string
    // is null.
    !s.is_empty() && !IMPLICIT.is_match(s)
}

fn number_text(n: &Number) -> String {
    if n.is_f64() {
        let f = n.as_f64().unwrap_or(0.0);
        if f.is_nan() {
            ".nan".into()
        } else if f.is_infinite() {
            if f > 0.0 { ".inf" } else { "-.inf" }.into()
        } else {
            float_repr(f).to_lowercase()
        }
    } else {
        n.to_string()
    }
}

fn scalar(v: &Value) -> Scalar<'_> {
    let (text, plain_implicit): (std::borrow::Cow<'_, str>, bool) = match v {
        Value::Null => ("null".into(), true),
        Value::Bool(b) => ((if *b { "true" } else { "false" }).into(), true),
        Value::Number(n) => (number_text(n).into(), true),
        Value::String(s) => (s.as_str().into(), plain_is_str(s)),
        Value::Array(_) | Value::Object(_) => ("".into(), true),
    };
    let a = analyze(&text);
    Scalar {
        text,
        plain_implicit,
        a,
    }
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// `WRITE_BREAK`: a line feed as the emitter's break, another break
    /// character as itself.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Array(items) if items.is_empty() || self.flow_level > 0 => {
                self.flow_empty("[", "]")
            }
            Value::Object(m) if m.is_empty() || self.flow_level > 0 => self.flow_empty("{", "}"),
            Value::Array(items) => self.block_sequence(items, ctx),
            Value::Object(m) => self.block_mapping(m),
            _ => self.scalar(&scalar(v), ctx),
        }
    }

    /// An empty collection in flow style (`[]`, `{}`).
    fn flow_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        self.flow_level -= 1;
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        self.increase_indent(false, ctx.mapping && !self.indention);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Ctx::SEQUENCE);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, m: &Map<String, Value>) {
        self.increase_indent(false, false);
        let mut entries: Vec<(&String, &Value)> = m.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in entries {
            self.write_indent();
            let key = Value::String(k.clone());
            let ks = scalar(&key);
            if !ks.a.multiline && ks.text.len() <= MAX_SIMPLE_KEY {
                self.scalar(&ks, Ctx::KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(&ks, Ctx::MAPPING);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(v, Ctx::MAPPING);
        }
        self.pop_indent();
    }

    fn select_style(&self, s: &Scalar<'_>, ctx: Ctx) -> Style {
        let mut style = Style::Plain;
        if ctx.simple_key && s.a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            let plain_ok = if self.flow_level > 0 {
                false
            } else {
                s.a.block_plain_allowed
            };
            if !plain_ok
                || (s.text.is_empty() && (self.flow_level > 0 || ctx.simple_key))
                || !s.plain_implicit
            {
                style = Style::Single;
            }
        }
        if style == Style::Single && !s.a.single_quoted_allowed {
            style = Style::Double;
        }
        style
    }

    fn scalar(&mut self, s: &Scalar<'_>, ctx: Ctx) {
        let style = self.select_style(s, ctx);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&s.text, allow_breaks),
            Style::Single => self.write_single_quoted(&s.text, allow_breaks),
            Style::Double => self.write_double_quoted(&s.text, allow_breaks),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, s: &str, allow_breaks: bool) {
        if !self.whitespace && (!s.is_empty() || self.flow_level > 0) {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if breaks {
            self.write_indent();
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let u = c as u32;
                let short = match u {
                    0x00 => Some('0'),
                    0x07 => Some('a'),
                    0x08 => Some('b'),
                    0x09 => Some('t'),
                    0x0A => Some('n'),
                    0x0B => Some('v'),
                    0x0C => Some('f'),
                    0x0D => Some('r'),
                    0x1B => Some('e'),
                    0x22 => Some('"'),
                    0x5C => Some('\\'),
                    0x85 => Some('N'),
                    0xA0 => Some('_'),
                    0x2028 => Some('L'),
                    0x2029 => Some('P'),
                    _ => None,
                };
                match short {
                    Some(e) => self.put(e),
                    None => {
                        let (lead, width) = match u {
                            0..=0xFF => ('x', 2),
                            0x100..=0xFFFF => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(lead);
                        for ch in format!("{u:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_the_resolver_quotes() {
        for s in [
            "",
            "true",
            "False",
            "1",
            "-1",
            "0x1F",
            "012",
            "0o17",
            "0b1",
            "1_000",
            "1.5",
            "1.",
            ".5",
            "1e3",
            "-.inf",
            ".NaN",
            "null",
            "~",
            "<<",
            "=",
            "!",
            "2014-04-29",
            "2014-04-29T18:30:38+00:00",
            "2014-4-9 1:02:03.5 Z",
        ] {
            assert!(!plain_is_str(s), "{s:?} should not be a plain string");
        }
        for s in [
            "yes",
            "no",
            "on",
            "Off",
            "y",
            "1.2.3",
            "10.0.1.25",
            "abc",
            "-",
            "+",
            "0x",
            "nulls",
            "2014-04-29x",
        ] {
            assert!(plain_is_str(s), "{s:?} should be a plain string");
        }
    }

    #[test]
    fn mappings_sequences_and_scalars() {
        let v = json!({"b": [1, {"c": null, "a": [[], {}]}], "a": "x", "e": {}, "d": []});
        assert_eq!(
            dump(&v),
            "a: x\nb:\n- 1\n- a:\n  - []\n  - {}\n  c: null\nd: []\ne: {}\n"
        );
        assert_eq!(dump(&json!([[1, 2], []])), "- - 1\n  - 2\n- []\n");
        assert_eq!(dump(&json!("x")), "\"x\"\n");
        assert_eq!(dump(&json!(null)), "null\n");
        assert_eq!(format_yaml(&json!({})), "");
        assert_eq!(format_yaml_stream_item(&json!({"a": 1})), "- a: 1\n");
    }

    #[test]
    fn long_multiline_and_special_strings() {
        let long = "long ".repeat(30);
        assert_eq!(
            dump(&json!({ "f": long })),
            "f: 'long long long long long long long long long long long long long long long long\n  long long long long long long long long long long long long long long '\n"
        );
        assert_eq!(
            dump(&json!({"g": "multi\nline\n"})),
            "g: 'multi\n\n  line\n\n  '\n"
        );
        assert_eq!(dump(&json!({"q": "\t tab"})), "q: \"\\t tab\"\n");
        assert_eq!(dump(&json!({"at": "\u{1F600}"})), "at: \"\\U0001F600\"\n");
        assert_eq!(dump(&json!({"k": "a: b"})), "k: 'a: b'\n");
        assert_eq!(dump(&json!({"k": "q'uote"})), "k: q'uote\n");
        assert_eq!(dump(&json!({"k": "'q"})), "k: '''q'\n");
        assert_eq!(
            dump(&json!({"t": 1e20, "u": 3.0, "v": -0.0})),
            "t: 1e+20\nu: 3.0\nv: -0.0\n"
        );
    }

    #[test]
    fn long_and_multiline_keys_are_explicit() {
        let k = "k".repeat(129);
        assert_eq!(dump(&json!({ k.clone(): 1 })), format!("? {k}\n: 1\n"));
        assert_eq!(dump(&json!({"a\nb": 1})), "? 'a\n\n  b'\n: 1\n");
        assert_eq!(dump(&json!({"": 1})), "'': 1\n");
    }

    #[test]
    fn output_reads_back_as_the_same_value() {
        let v = json!({
            "Users": [{"Name": "2014-04-29", "Tags": {"yes": "no", "x": "1e3"}, "N": 1.5}],
            "Doc": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
            "Odd": ["", " lead", "trail ", "a #b", "#x", "-", "- x", "?", "multi\nline", "tab\there", "é中", "\u{1F600}", "\u{85}"],
        });
        let back: Value = serde_yaml_ng::from_str(&dump(&v)).unwrap();
        assert_eq!(back, v);
    }
}
