//! awscli's shorthand syntax (`Key=Name,Values=a,b`, `[a,b]`, `{k=v}`, `k@=file://x`).
//!
//! A faithful re-implementation of the grammar of awscli's `shorthand.py`
//! (`ShorthandParser`), written from its documented grammar and behaviour:
//!
//! ```text
//! parameter   = keyval *("," keyval)         ; duplicate keys are an error
//! keyval      = key ["@"] "=" [values]        ; "@=" loads file:// / fileb://
//! key         = 1*[A-Za-z0-9-_.#/:]
//! values      = csv-value / explicit-list / hash-literal
//! csv-value   = first-value *("," second-value)   ; a=b,c -> {"a": ["b","c"]}
//! explicit-list = "[" [values *("," values)] "]"
//! hash-literal  = "{" [keyval *("," keyval)] "}"
//! ```
//!
//! with the same character classes for unquoted values (a first value may
//! contain `=`, `[` and `{`; later comma-separated values may not contain
//! `=`), `\,` escapes, single- and double-quoted values with `\'`/`\"`
//! escapes, trailing-space trimming, and the backtracking that makes
//! `a=b,c,d=e` mean `{"a": ["b","c"], "d": "e"}`.
//!
//! The result is plain JSON (strings, lists, objects); typing it against the
//! model is [`super::types`]'s job. `@=` file references are *not* read: they
//! are returned in [`Parsed::files`] and stay as written in the value.

use serde_json::{Map, Value};

/// A parse result and the `@=` file references found in it.
pub(crate) struct Parsed {
    pub value: Value,
    pub files: Vec<String>,
}

/// Parse one shorthand value; the error says what was expected where.
pub(crate) fn parse(input: &str) -> Result<Parsed, String> {
    let mut p = Parser {
        s: input.chars().collect(),
        i: 0,
        resolve: false,
        files: Vec::new(),
        depth: 0,
    };
    let value = p.parameter()?;
    Ok(Parsed {
        value: Value::Object(value),
        files: p.files,
    })
}

const MAX_DEPTH: usize = 64;

struct Parser {
    s: Vec<char>,
    i: usize,
    resolve: bool,
    files: Vec<String>,
    depth: usize,
}

fn is_start(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

fn is_first_follow(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

fn is_second_follow(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

impl Parser {
    fn cur(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }

    fn ws(&mut self) {
        while self.cur().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn err(&self, expected: &str) -> String {
        match self.cur() {
            None => format!(
                "expected {expected} but the value ended (at character {})",
                self.i
            ),
            Some(c) => format!(
                "expected {expected} but found '{c}' at character {}",
                self.i
            ),
        }
    }

    fn expect(&mut self, c: char, ws: bool) -> Result<(), String> {
        if ws {
            self.ws();
        }
        if self.cur() != Some(c) {
            return Err(self.err(&format!("'{c}'")));
        }
        self.i += 1;
        if ws {
            self.ws();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<Map<String, Value>, String> {
        let mut params = Map::new();
        let (k, v) = self.keyval()?;
        params.insert(k, v);
        while !self.eof() {
            self.expect(',', true)?;
            let (k, v) = self.keyval()?;
            if params.contains_key(&k) {
                return Err(format!(
                    "the key \"{k}\" appears twice (is there a \",\" where a space should separate two values?)"
                ));
            }
            params.insert(k, v);
        }
        Ok(params)
    }

    fn key(&mut self) -> String {
        let start = self.i;
        while self.cur().is_some_and(is_key_char) {
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn at_sign(&mut self) {
        let save = self.i;
        self.ws();
        if self.cur() == Some('@') {
            self.i += 1;
            self.ws();
            self.resolve = true;
        } else {
            self.i = save;
            self.resolve = false;
        }
    }

    fn keyval(&mut self) -> Result<(String, Value), String> {
        let key = self.key();
        self.at_sign();
        self.expect('=', true)?;
        let v = self.values()?;
        Ok((key, v))
    }

    fn values(&mut self) -> Result<Value, String> {
        match self.cur() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<Value, String> {
        let first = self.first_value()?;
        self.ws();
        if self.cur() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            match self.second_value_then_comma() {
                Ok((v, done)) => {
                    list.push(v);
                    if done {
                        break;
                    }
                }
                Err(e) => {
                    if self.eof() {
                        return Err(e);
                    }
                    // Back up to the previous comma: `a=b,c=d` is two pairs.
                    while self.i > 0 && self.s.get(self.i) != Some(&',') {
                        self.i -= 1;
                    }
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(list.remove(0));
        }
        Ok(Value::Array(list))
    }

    /// A second value, then either the end (true) or a comma (false).
    fn second_value_then_comma(&mut self) -> Result<(Value, bool), String> {
        let v = self.second_value()?;
        self.ws();
        if self.eof() {
            return Ok((v, true));
        }
        self.expect(',', true)?;
        Ok((v, false))
    }

    fn maybe_file(&mut self, v: String) -> Value {
        if self.resolve && (v.starts_with("file://") || v.starts_with("fileb://")) {
            self.files.push(v.clone());
        }
        Value::String(v)
    }

    fn unquoted(&mut self, follow: fn(char) -> bool) -> Option<String> {
        let start = self.i;
        let mut j = self.i;
        let mut first = true;
        loop {
            match self.s.get(j) {
                Some('\\') if self.s.get(j + 1) == Some(&',') => j += 2,
                Some(&c) if (first && is_start(c)) || (!first && follow(c)) => j += 1,
                _ => break,
            }
            first = false;
        }
        if j == start {
            return None;
        }
        self.i = j;
        let raw: String = self.s[start..j].iter().collect();
        Some(raw.replace("\\,", ",").trim_end().to_string())
    }

    fn first_value(&mut self) -> Result<Value, String> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => {
                let v = self.unquoted(is_first_follow).unwrap_or_default();
                Ok(self.maybe_file(v))
            }
        }
    }

    fn second_value(&mut self) -> Result<Value, String> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => match self.unquoted(is_second_follow) {
                Some(v) => Ok(self.maybe_file(v)),
                None => Err(self.err("a value")),
            },
        }
    }

    /// `'...'` or `"..."` with `\q` escapes; like the regex `q(?:\\q|[^q])*q`.
    fn quoted(&mut self, q: char) -> Result<Value, String> {
        let start = self.i;
        let mut j = start + 1;
        let mut last_pair = None;
        let end = loop {
            match self.s.get(j) {
                Some('\\') if self.s.get(j + 1) == Some(&q) => {
                    last_pair = Some(j + 1);
                    j += 2;
                }
                Some(&c) if c == q => break j,
                Some(_) => j += 1,
                None => match last_pair {
                    // The regex backtracks: the last `\q` ends the value.
                    Some(p) => break p,
                    None => return Err(format!("the quote at character {start} is never closed")),
                },
            }
        };
        self.i = end + 1;
        let inner: String = self.s[start + 1..end].iter().collect();
        let v = inner
            .replace(&format!("\\{q}"), &q.to_string())
            .replace("\\\\", "\\");
        Ok(self.maybe_file(v))
    }

    fn explicit_values(&mut self) -> Result<Value, String> {
        match self.cur() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn nest(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn explicit_list(&mut self) -> Result<Value, String> {
        self.nest()?;
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.cur() != Some(']') {
            values.push(self.explicit_values()?);
            self.ws();
            if self.cur() != Some(']') {
                self.expect(',', false)?;
                self.ws();
            }
        }
        self.expect(']', false)?;
        self.depth -= 1;
        Ok(Value::Array(values))
    }

    fn hash_literal(&mut self) -> Result<Value, String> {
        self.nest()?;
        self.expect('{', true)?;
        let mut map = Map::new();
        while self.cur() != Some('}') {
            let key = self.key();
            self.at_sign();
            self.expect('=', true)?;
            let v = self.explicit_values()?;
            self.ws();
            if self.cur() != Some('}') {
                self.expect(',', false)?;
                self.ws();
            }
            map.insert(key, v);
        }
        self.expect('}', false)?;
        self.depth -= 1;
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> Value {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).value
    }

    #[test]
    fn scalars_and_csv_lists() {
        assert_eq!(p("a=b"), json!({"a": "b"}));
        assert_eq!(p("a=b,c"), json!({"a": ["b", "c"]}));
        assert_eq!(p("a=b,c=d"), json!({"a": "b", "c": "d"}));
        assert_eq!(
            p("a=b,c,d=e,f=g"),
            json!({"a": ["b", "c"], "d": "e", "f": "g"})
        );
        assert_eq!(
            p("Name=tag:Name,Values=web 1,web2"),
            json!({"Name": "tag:Name", "Values": ["web 1", "web2"]})
        );
        assert_eq!(p("a="), json!({"a": ""}));
        assert_eq!(p("a = b , c = d"), json!({"a": "b", "c": "d"}));
        assert_eq!(p("a=x=y"), json!({"a": "x=y"}));
        assert_eq!(p(r"a=b\,c"), json!({"a": "b,c"}));
        assert_eq!(p("a=b  "), json!({"a": "b"}));
    }

    #[test]
    fn quoted_values() {
        assert_eq!(p("a='b,c'"), json!({"a": "b,c"}));
        assert_eq!(
            p(r#"a="b \"q\" c",d='it\'s'"#),
            json!({"a": "b \"q\" c", "d": "it's"})
        );
        assert_eq!(p("a='x',b=\"y\""), json!({"a": "x", "b": "y"}));
        assert_eq!(p("a=x,'y z'"), json!({"a": ["x", "y z"]}));
    }

    #[test]
    fn lists_and_hashes() {
        assert_eq!(p("a=[b,c]"), json!({"a": ["b", "c"]}));
        assert_eq!(p("a=[]"), json!({"a": []}));
        assert_eq!(
            p("a={b=c,d=[e,f]}"),
            json!({"a": {"b": "c", "d": ["e", "f"]}})
        );
        assert_eq!(p("a=[{b=c},{b=d}]"), json!({"a": [{"b": "c"}, {"b": "d"}]}));
        assert_eq!(p("a={}"), json!({"a": {}}));
        assert_eq!(p("="), json!({"": ""}));
        // Checked against awscli's own parser:
        assert_eq!(p("a=[b,,]"), json!({"a": ["b", ""]}));
        assert_eq!(p(r"a='b\'"), json!({"a": "b\\"}));
        assert_eq!(p(r"a='x\\y'"), json!({"a": "x\\y"}));
    }

    #[test]
    fn file_references_are_reported_not_read() {
        let r = parse("a@=file://x.json,b=file://y").expect("parse");
        assert_eq!(r.value, json!({"a": "file://x.json", "b": "file://y"}));
        assert_eq!(r.files, ["file://x.json"]);
    }

    #[test]
    fn errors() {
        for s in ["a", "a=b,a=c", "a=[b", "a={b=c", "a='b", "a=b,,"] {
            assert!(parse(s).is_err(), "{s}");
        }
        let deep = format!("a={}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
    }
}
