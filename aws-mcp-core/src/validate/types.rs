//! Typing argument values against the model, the way awscli and botocore do.
//!
//! Two steps, as in the real CLI:
//!
//! 1. **Unpacking** (awscli's `argprocess.py`): a value that starts with `{`
//!    or `[` is JSON, kept as written; otherwise a structure, map or list of
//!    structures is shorthand ([`super::shorthand`]), then typed by the
//!    model (awscli's `BackCompatVisitor`: numbers and booleans converted,
//!    a scalar where a list is expected wrapped); scalars are converted with
//!    Python's rules (`int()`, `float()`); lists of scalars take one word
//!    per element. Timestamps and blobs stay strings (botocore serializes
//!    them), so `parameters` hold exactly what the CLI hands to botocore.
//! 2. **Checking** (botocore's `ParamValidator`): unknown structure members,
//!    missing required members (idempotency tokens excepted: botocore fills
//!    them), JSON types, minimum lengths and values, tagged unions, and
//!    enum values (botocore does not check enums; see [`EnumCheck`]).
//!
//! A value that comes from a `file://`/`fileb://` reference is not known to
//! the validator (it never reads files): it stays as written and is exempt
//! from type checks.

use serde_json::{Map, Number, Value};

use super::error::ValidationError;
use super::shorthand;
use super::suggest::closest;
use crate::catalog::{MemberRef, Service, Shape, ShapeType};

/// What to do with a string that is not one of its shape's enum values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EnumCheck {
    /// Reject it, listing the allowed values (the default: models are
    /// pinned, and a wrong value is the commonest model mistake).
    #[default]
    Reject,
    /// Accept it, as botocore does (services sometimes accept values newer
    /// than the pinned model); the command carries a note.
    Note,
}

/// The raw words given to one argument.
pub(crate) enum Raw<'a> {
    /// One word (`--opt value`).
    One(&'a str),
    /// A list argument's words (`--opt a b c`).
    Many(&'a [String]),
}

/// A path to a value, built only when an error needs it.
#[derive(Clone, Copy)]
pub(crate) enum Seg<'a> {
    Root(&'a str),
    Key(&'a Seg<'a>, &'a str),
    Idx(&'a Seg<'a>, usize),
}

impl std::fmt::Display for Seg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seg::Root(s) => f.write_str(s),
            Seg::Key(p, k) => write!(f, "{p}.{k}"),
            Seg::Idx(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

fn is_file_ref(s: &str) -> bool {
    s.starts_with("file://") || s.starts_with("fileb://")
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    super::shorten(&s)
}

/// The typing context of one command.
pub(crate) struct Typer<'a> {
    pub service: Service<'a>,
    pub enum_check: EnumCheck,
    /// `@=` file references found in shorthand values.
    pub nested_files: Vec<String>,
    /// Required members found missing.
    pub missing: Vec<String>,
    /// Non-fatal notes (accepted enum mismatches).
    pub notes: Vec<String>,
}

impl<'a> Typer<'a> {
    pub fn new(service: Service<'a>, enum_check: EnumCheck) -> Self {
        Typer {
            service,
            enum_check,
            nested_files: Vec::new(),
            missing: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn shape(&self, name: &str) -> Result<Option<&'a Shape>, ValidationError> {
        Ok(self.service.shape(name)?)
    }

    fn member_shape(&self, m: &MemberRef) -> Result<Option<&'a Shape>, ValidationError> {
        self.shape(&m.shape)
    }

    fn is_document_container(&self, sh: &Shape, depth: usize) -> Result<bool, ValidationError> {
        if sh.traits().document {
            return Ok(true);
        }
        if depth > 32 {
            return Ok(false);
        }
        let inner = match sh.shape_type {
            ShapeType::List => sh.member.as_deref(),
            ShapeType::Map => sh.value.as_deref(),
            _ => None,
        };
        match inner {
            Some(m) => match self.member_shape(m)? {
                Some(s) => self.is_document_container(s, depth + 1),
                None => Ok(false),
            },
            None => Ok(false),
        }
    }

    fn supports_shorthand(&self, sh: &Shape) -> Result<bool, ValidationError> {
        if self.is_document_container(sh, 0)? {
            return Ok(false);
        }
        Ok(match sh.shape_type {
            ShapeType::Structure | ShapeType::Map => true,
            ShapeType::List => match sh.member.as_deref() {
                Some(m) => self.member_shape(m)?.is_some_and(|s| {
                    matches!(
                        s.shape_type,
                        ShapeType::Structure | ShapeType::List | ShapeType::Map
                    )
                }),
                None => false,
            },
            _ => false,
        })
    }

    /// Unpack the words of one argument into JSON (awscli's `unpack_cli_arg`
    /// with the shorthand handler in front).
    pub fn unpack(
        &mut self,
        sh: &Shape,
        json_value: bool,
        raw: &Raw<'_>,
        label: &str,
        old_list_case: bool,
    ) -> Result<Value, ValidationError> {
        let first = match raw {
            Raw::One(s) => Some(*s),
            Raw::Many(v) => v.first().map(String::as_str),
        };
        if json_value || sh.traits().document {
            return json(first.unwrap_or(""), label);
        }
        let complex = matches!(
            sh.shape_type,
            ShapeType::Structure | ShapeType::List | ShapeType::Map
        );
        if !complex {
            return match raw {
                Raw::One(s) => scalar(sh.shape_type, s, label),
                Raw::Many(v) => Ok(Value::Array(
                    v.iter()
                        .map(|s| scalar(sh.shape_type, s, label))
                        .collect::<Result<_, _>>()?,
                )),
            };
        }
        let looks_json = first.is_some_and(|f| f.trim().starts_with(['[', '{']));
        if !looks_json && self.supports_shorthand(sh)? {
            return self.shorthand(sh, raw, label, old_list_case);
        }
        match (sh.shape_type, raw) {
            (ShapeType::Structure | ShapeType::Map, Raw::One(s)) => {
                if s.trim_start().starts_with('{') {
                    json(s, label)
                } else {
                    Err(ValidationError::InvalidJson {
                        arg: label.into(),
                        detail: format!(
                            "expected a JSON object starting with `{{`, got `{}`",
                            super::shorten(s)
                        ),
                    })
                }
            }
            (ShapeType::List, Raw::One(s)) if s.trim_start().starts_with('[') => json(s, label),
            (ShapeType::List, Raw::Many([s])) if s.trim_start().starts_with('[') => json(s, label),
            (ShapeType::List, _) => {
                let words: Vec<&str> = match raw {
                    Raw::One(s) => vec![*s],
                    Raw::Many(v) => v.iter().map(String::as_str).collect(),
                };
                let Some(m) = sh.member.as_deref() else {
                    return Ok(Value::Array(
                        words.iter().map(|w| Value::String(w.to_string())).collect(),
                    ));
                };
                let msh = self.member_shape(m)?;
                let mut out = Vec::with_capacity(words.len());
                for w in words {
                    out.push(match msh {
                        Some(ms) => {
                            let jv = m.traits().jsonvalue
                                && m.traits().location.as_deref() == Some("header");
                            self.unpack(ms, jv, &Raw::One(w), label, false)?
                        }
                        None => Value::String(w.to_string()),
                    });
                }
                Ok(Value::Array(out))
            }
            (_, Raw::Many(v)) => json(v.first().map(String::as_str).unwrap_or(""), label),
            _ => Ok(Value::Null),
        }
    }

    fn shorthand(
        &mut self,
        sh: &Shape,
        raw: &Raw<'_>,
        label: &str,
        old_list_case: bool,
    ) -> Result<Value, ValidationError> {
        // awscli's two backward-compatible special cases.
        if sh.shape_type == ShapeType::List && old_list_case {
            if let Some(m) = sh.member.as_deref() {
                if let Some(ms) = self.member_shape(m)? {
                    if ms.shape_type == ShapeType::Structure && ms.members.len() == 1 {
                        let key = &ms.members[0].0;
                        let words: Vec<&str> = match raw {
                            Raw::One(s) => vec![*s],
                            Raw::Many(v) => v.iter().map(String::as_str).collect(),
                        };
                        return Ok(Value::Array(
                            words
                                .into_iter()
                                .map(|w| {
                                    let mut o = Map::new();
                                    o.insert(key.to_string(), Value::String(w.into()));
                                    Value::Object(o)
                                })
                                .collect(),
                        ));
                    }
                }
            }
        }
        if let (ShapeType::Structure, Raw::One(s)) = (sh.shape_type, raw) {
            if sh.members.len() == 1 && &*sh.members[0].0 == "Value" && !s.contains('=') {
                if let Some(ms) = self.member_shape(&sh.members[0].1)? {
                    if ms.shape_type == ShapeType::String {
                        let mut o = Map::new();
                        o.insert("Value".into(), Value::String(s.to_string()));
                        return Ok(Value::Object(o));
                    }
                }
            }
        }
        let mut parse = |s: &str| -> Result<Value, ValidationError> {
            let p = shorthand::parse(s).map_err(|detail| ValidationError::InvalidShorthand {
                arg: label.into(),
                detail,
            })?;
            self.nested_files.extend(p.files);
            Ok(p.value)
        };
        let mut v = match raw {
            Raw::One(s) => parse(s)?,
            Raw::Many(words) => {
                Value::Array(words.iter().map(|w| parse(w)).collect::<Result<_, _>>()?)
            }
        };
        self.visit(sh, &mut v, label, 0)?;
        Ok(v)
    }

    /// awscli's `BackCompatVisitor`: type shorthand strings by the model.
    fn visit(
        &self,
        sh: &Shape,
        v: &mut Value,
        label: &str,
        depth: usize,
    ) -> Result<(), ValidationError> {
        if depth > 64 {
            return Ok(());
        }
        match sh.shape_type {
            ShapeType::Structure => {
                if sh.traits().document && !v.is_null() {
                    return Err(ValidationError::InvalidShorthand {
                        arg: label.into(),
                        detail: "shorthand syntax cannot express a document value: give the whole argument as JSON".into(),
                    });
                }
                if let Value::Object(o) = v {
                    for (name, m) in sh.members.iter() {
                        if let Some(child) = o.get_mut(&**name) {
                            if let Some(ms) = self.member_shape(m)? {
                                self.visit(ms, child, label, depth + 1)?;
                            }
                        }
                    }
                }
            }
            ShapeType::List => {
                if let Value::Array(items) = v {
                    if let Some(ms) = match sh.member.as_deref() {
                        Some(m) => self.member_shape(m)?,
                        None => None,
                    } {
                        for it in items {
                            self.visit(ms, it, label, depth + 1)?;
                        }
                    }
                } else if !v.is_null() {
                    *v = Value::Array(vec![v.take()]);
                }
            }
            ShapeType::Map => {
                if let Value::Object(o) = v {
                    if let Some(ms) = match sh.value.as_deref() {
                        Some(m) => self.member_shape(m)?,
                        None => None,
                    } {
                        for (_, it) in o.iter_mut() {
                            self.visit(ms, it, label, depth + 1)?;
                        }
                    }
                }
            }
            ShapeType::Integer | ShapeType::Long | ShapeType::Float | ShapeType::Double => {
                let converted = match &*v {
                    Value::String(s) => scalar(sh.shape_type, s, label)?,
                    Value::Null => return Ok(()),
                    other => {
                        return Err(ValidationError::InvalidType {
                            arg: label.into(),
                            expected: type_words(sh.shape_type).into(),
                            value: short(other),
                        })
                    }
                };
                *v = converted;
            }
            ShapeType::Boolean => {
                if let Value::String(s) = &*v {
                    if s.eq_ignore_ascii_case("true") {
                        *v = Value::Bool(true);
                    } else if s.eq_ignore_ascii_case("false") {
                        *v = Value::Bool(false);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// botocore's parameter validation of one value against its shape.
    pub fn check(
        &mut self,
        sh: &Shape,
        v: &Value,
        path: Seg<'_>,
        depth: usize,
    ) -> Result<(), ValidationError> {
        if depth > 64 {
            return Ok(());
        }
        if let Value::String(s) = v {
            if is_file_ref(s) && sh.shape_type != ShapeType::String {
                return Ok(());
            }
        }
        let bad = |expected: &str| ValidationError::InvalidType {
            arg: path.to_string(),
            expected: expected.into(),
            value: short(v),
        };
        match sh.shape_type {
            ShapeType::Structure => {
                if sh.traits().document {
                    return Ok(());
                }
                let Value::Object(o) = v else {
                    return Err(bad("a structure (shorthand `Key=value,...` or a JSON object)"));
                };
                for (k, child) in o {
                    let Some(m) = sh.member_ref(k) else {
                        return Err(ValidationError::UnknownKey {
                            arg: path.to_string(),
                            key: k.clone(),
                            suggestions: closest(k, sh.members.iter().map(|(n, _)| &**n)),
                        });
                    };
                    if let Some(ms) = self.member_shape(m)? {
                        self.check(ms, child, Seg::Key(&path, k), depth + 1)?;
                    }
                }
                for r in sh.required.iter() {
                    if !o.contains_key(&**r) && !sh.member_ref(r).is_some_and(|m| m.traits().idempotency_token) {
                        self.missing.push(Seg::Key(&path, r).to_string());
                    }
                }
                if sh.traits().union && o.len() != 1 {
                    return Err(ValidationError::OutOfRange {
                        arg: path.to_string(),
                        detail: format!(
                            "is a union: set exactly one of its members ({})",
                            sh.members.iter().map(|(n, _)| &**n).collect::<Vec<_>>().join(", ")
                        ),
                    });
                }
            }
            ShapeType::List => {
                let Value::Array(items) = v else {
                    return Err(bad("a list"));
                };
                self.min_len(sh, items.len(), path)?;
                if let Some(ms) = match sh.member.as_deref() {
                    Some(m) => self.member_shape(m)?,
                    None => None,
                } {
                    for (i, it) in items.iter().enumerate() {
                        self.check(ms, it, Seg::Idx(&path, i), depth + 1)?;
                    }
                }
            }
            ShapeType::Map => {
                let Value::Object(o) = v else {
                    return Err(bad("a map (shorthand `key=value,...` or a JSON object)"));
                };
                let ks = match sh.key.as_deref() {
                    Some(m) => self.member_shape(m)?,
                    None => None,
                };
                let vs = match sh.value.as_deref() {
                    Some(m) => self.member_shape(m)?,
                    None => None,
                };
                for (k, child) in o {
                    if let Some(ks) = ks {
                        self.check(ks, &Value::String(k.clone()), Seg::Key(&path, k), depth + 1)?;
                    }
                    if let Some(vs) = vs {
                        self.check(vs, child, Seg::Key(&path, k), depth + 1)?;
                    }
                }
            }
            ShapeType::String => {
                let Value::String(s) = v else {
                    return Err(bad("a string"));
                };
                self.min_len(sh, s.chars().count(), path)?;
                if !sh.enum_values.is_empty() && !sh.enum_values.iter().any(|e| **e == **s) {
                    let allowed: Vec<String> = sh.enum_values.iter().map(|e| e.to_string()).collect();
                    match self.enum_check {
                        EnumCheck::Reject => {
                            return Err(ValidationError::InvalidEnum {
                                arg: path.to_string(),
                                value: super::shorten(s),
                                suggestions: closest(s, allowed.iter().map(String::as_str)),
                                allowed,
                            })
                        }
                        EnumCheck::Note => self.notes.push(format!(
                            "`{}` is not among the values the pinned model lists for `{path}` ({})",
                            super::shorten(s),
                            allowed.join(", ")
                        )),
                    }
                }
            }
            ShapeType::Integer | ShapeType::Long => {
                if !(v.is_i64() || v.is_u64()) {
                    return Err(bad("an integer"));
                }
                self.min_value(sh, v.as_f64().unwrap_or(0.0), path)?;
            }
            ShapeType::Float | ShapeType::Double => {
                if !v.is_number() {
                    return Err(bad("a number"));
                }
                self.min_value(sh, v.as_f64().unwrap_or(0.0), path)?;
            }
            ShapeType::Boolean => {
                if !v.is_boolean() {
                    return Err(bad("a boolean (true or false)"));
                }
            }
            ShapeType::Blob => {
                if !v.is_string() {
                    return Err(bad("binary data given as a string or a fileb:// file"));
                }
            }
            ShapeType::Timestamp => match v {
                Value::Number(_) => {}
                Value::String(s) if is_timestamp(s) => {}
                _ => return Err(bad("a timestamp (ISO 8601 such as 2024-01-31T12:00:00Z, or seconds since the epoch)")),
            },
        }
        Ok(())
    }

    fn min_len(&self, sh: &Shape, len: usize, path: Seg<'_>) -> Result<(), ValidationError> {
        match sh.min {
            Some(min) if (len as f64) < min => Err(ValidationError::OutOfRange {
                arg: path.to_string(),
                detail: format!("is too short: length {len}, the minimum is {min}"),
            }),
            _ => Ok(()),
        }
    }

    fn min_value(&self, sh: &Shape, x: f64, path: Seg<'_>) -> Result<(), ValidationError> {
        match sh.min {
            Some(min) if x < min => Err(ValidationError::OutOfRange {
                arg: path.to_string(),
                detail: format!("is too small: {x}, the minimum is {min}"),
            }),
            _ => Ok(()),
        }
    }
}

fn json(s: &str, label: &str) -> Result<Value, ValidationError> {
    serde_json::from_str(s).map_err(|e| ValidationError::InvalidJson {
        arg: label.into(),
        detail: e.to_string(),
    })
}

pub(crate) fn type_words(t: ShapeType) -> &'static str {
    match t {
        ShapeType::Integer | ShapeType::Long => "an integer",
        ShapeType::Float | ShapeType::Double => "a number",
        ShapeType::Boolean => "a boolean",
        ShapeType::Timestamp => "a timestamp",
        ShapeType::Blob => "binary data",
        ShapeType::String => "a string",
        ShapeType::List => "a list",
        ShapeType::Map => "a map",
        ShapeType::Structure => "a structure",
    }
}

/// Python's `int()` on a string: optional sign, digits, single `_` between digits.
pub(crate) fn parse_int(s: &str) -> Option<Value> {
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if neg {
        format!("-{clean}")
            .parse::<i64>()
            .ok()
            .map(|n| Value::Number(n.into()))
    } else {
        clean.parse::<u64>().ok().map(|n| Value::Number(n.into()))
    }
}

/// Python's `float()` on a string, finite values only (JSON has no infinity).
pub(crate) fn parse_float(s: &str) -> Option<Value> {
    let t = s.trim();
    if t.is_empty() || t.contains('_') {
        return None;
    }
    let f: f64 = t.parse().ok()?;
    Number::from_f64(f).map(Value::Number)
}

/// Convert one word to a scalar of the given type (awscli's `unpack_scalar_cli_arg`).
pub(crate) fn scalar(t: ShapeType, s: &str, label: &str) -> Result<Value, ValidationError> {
    let bad = || ValidationError::InvalidType {
        arg: label.into(),
        expected: type_words(t).into(),
        value: super::shorten(s),
    };
    match t {
        ShapeType::Integer | ShapeType::Long => parse_int(s).ok_or_else(bad),
        ShapeType::Float | ShapeType::Double => parse_float(s).ok_or_else(bad),
        ShapeType::Boolean => Ok(Value::Bool(
            !s.eq_ignore_ascii_case("false") && !s.is_empty(),
        )),
        _ => Ok(Value::String(s.to_string())),
    }
}

/// Whether a string is a timestamp botocore can parse: epoch seconds, or an
/// ISO 8601 date with optional time and zone (`T` or a space between).
pub(crate) fn is_timestamp(s: &str) -> bool {
    let t = s.trim();
    if parse_float(t).is_some() {
        return true;
    }
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    // YYYY-MM-DD or YYYYMMDD
    let date_len = if digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
    {
        10
    } else if digits(0..8) {
        8
    } else {
        return false;
    };
    let rest = &t[date_len..];
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    // time: HH[:MM[:SS[.frac]]] or HHMMSS, then Z or +hh[:mm] / -hh[:mm]
    let (time, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let time_ok = !time.is_empty()
        && time
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b':' || c == b'.' || c == b',')
        && time.as_bytes()[0].is_ascii_digit();
    let zone_ok = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || (zone.len() >= 3 && zone[1..].bytes().all(|c| c.is_ascii_digit() || c == b':'));
    time_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_number_rules() {
        assert_eq!(parse_int(" 42 "), Some(json!(42)));
        assert_eq!(parse_int("-7"), Some(json!(-7)));
        assert_eq!(parse_int("+1_000"), Some(json!(1000)));
        for bad in ["1.5", "ten", "", "1__0", "_1", "0x10"] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
        assert_eq!(parse_float("1.5"), Some(json!(1.5)));
        assert_eq!(parse_float("3"), Some(json!(3.0)));
        assert_eq!(parse_float("1e3"), Some(json!(1000.0)));
        assert_eq!(parse_float("inf"), None);
        assert_eq!(parse_float("nan"), None);
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2024-01-31",
            "2024-01-31T12:00:00Z",
            "2024-01-31T12:00:00.123+02:00",
            "2024-01-31 12:00",
            "1714521600",
            "1714521600.5",
            "20240131T120000Z",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in ["yesterday", "2024-1-31", "2024-01-31Tnoon", "31/01/2024"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
