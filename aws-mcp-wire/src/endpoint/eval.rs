//! Evaluating a compiled rule set against one request's parameters.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::partitions::Partitions;
use super::rules::{Call, EndpointTemplate, Expr, Func, PathPart, Prop, Rule, RuleKind, Template};
use super::rules::{RuleSet, TemplatePart};
use super::stdlib;
use super::{Endpoint, EndpointError, ParamValue};

/// A rule-set value. Strings, arrays and objects are shared, so copying a
/// value (into a slot, out of a partition record) is a reference count.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    Int(i64),
    Str(Arc<str>),
    Array(Arc<[Value]>),
    Object(Arc<[(Arc<str>, Value)]>),
}

impl Value {
    pub(crate) fn from_param(p: &ParamValue) -> Value {
        match p {
            ParamValue::String(s) => Value::Str(Arc::from(s.as_str())),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(a) => Value::Array(
                a.iter()
                    .map(|s| Value::Str(Arc::from(s.as_str())))
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
    }

    /// A value from JSON (partition outputs); `None` for null.
    pub(crate) fn from_json(v: &serde_json::Value) -> Option<Value> {
        Some(match v {
            serde_json::Value::Null => return None,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Int(n.as_i64()?),
            serde_json::Value::String(s) => Value::Str(Arc::from(s.as_str())),
            serde_json::Value::Array(a) => Value::Array(
                a.iter()
                    .filter_map(Value::from_json)
                    .collect::<Vec<_>>()
                    .into(),
            ),
            serde_json::Value::Object(m) => Value::object(
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str(), Value::from_json(v)?)))
                    .collect(),
            ),
        })
    }

    pub(crate) fn object(fields: Vec<(&str, Value)>) -> Value {
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (Arc::from(k), v))
                .collect::<Vec<_>>()
                .into(),
        )
    }

    pub(crate) fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The field `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Python truthiness, as botocore's `not` applies it.
    fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }
}

fn type_name(v: Option<&Value>) -> &'static str {
    v.map_or("unset value", Value::type_name)
}

/// The state of one resolution.
struct Eval<'a> {
    partitions: &'a Partitions,
    slots: Vec<Option<Value>>,
}

pub(super) fn resolve(
    rules: &RuleSet,
    partitions: &Partitions,
    params: &HashMap<String, ParamValue>,
) -> Result<Endpoint, EndpointError> {
    let mut slots: Vec<Option<Value>> = Vec::with_capacity(rules.slots);
    for (p, default) in rules.params.iter().zip(&rules.defaults) {
        let v = match params.get(&p.name) {
            Some(given) => {
                if given.param_type() != p.kind {
                    return Err(EndpointError::ParameterType {
                        name: p.name.clone(),
                        expected: p.kind,
                        got: given.param_type(),
                    });
                }
                Some(Value::from_param(given))
            }
            None => default.clone(),
        };
        if v.is_none() && p.required {
            return Err(EndpointError::MissingParameter(p.name.clone()));
        }
        slots.push(v);
    }
    slots.resize(rules.slots, None);
    let mut ev = Eval { partitions, slots };
    if let Some(ep) = ev.rules(&rules.rules)? {
        return Ok(ep);
    }
    let given: Vec<String> = rules
        .params
        .iter()
        .zip(&ev.slots)
        .filter_map(|(p, v)| v.as_ref().map(|v| format!("{}={}", p.name, display(v))))
        .collect();
    Err(EndpointError::NoMatch(given.join(", ")))
}

fn display(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Str(s) => format!("{s:?}"),
        Value::Array(a) => format!("[{}]", a.iter().map(display).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => "{..}".to_string(),
    }
}

impl Eval<'_> {
    /// The first rule of `rules` that yields, if any.
    fn rules(&mut self, rules: &[Rule]) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            if let Some(ep) = self.rule(rule)? {
                return Ok(Some(ep));
            }
        }
        Ok(None)
    }

    fn rule(&mut self, rule: &Rule) -> Result<Option<Endpoint>, EndpointError> {
        for c in &rule.conditions {
            if !self.condition(c)? {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Tree(children) => self.rules(children),
            RuleKind::Error(e) => {
                let msg = match self.expr_ro(e)? {
                    Some(Value::Str(s)) => s.to_string(),
                    other => {
                        return Err(EndpointError::Evaluation(format!(
                            "an error rule's message must be a string, not a {}",
                            type_name(other.as_ref())
                        )))
                    }
                };
                Err(EndpointError::Rule(msg))
            }
            RuleKind::Endpoint(t) => self.endpoint(t).map(Some),
        }
    }

    fn endpoint(&self, t: &EndpointTemplate) -> Result<Endpoint, EndpointError> {
        let url = self.string(&t.url, "the endpoint URL")?;
        let mut headers = BTreeMap::new();
        for (name, values) in &t.headers {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                out.push(self.string(v, "a header value")?);
            }
            headers.insert(name.clone(), out);
        }
        let mut properties = serde_json::Map::new();
        for (k, p) in &t.properties {
            properties.insert(k.clone(), self.prop(p)?);
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn prop(&self, p: &Prop) -> Result<serde_json::Value, EndpointError> {
        Ok(match p {
            Prop::Literal(v) => v.clone(),
            Prop::Template(t) => serde_json::Value::String(self.template(t)?),
            Prop::Array(items) => serde_json::Value::Array(
                items
                    .iter()
                    .map(|i| self.prop(i))
                    .collect::<Result<_, _>>()?,
            ),
            Prop::Object(fields) => {
                let mut m = serde_json::Map::new();
                for (k, v) in fields {
                    m.insert(k.clone(), self.prop(v)?);
                }
                serde_json::Value::Object(m)
            }
        })
    }

    fn string(&self, e: &Expr, what: &str) -> Result<String, EndpointError> {
        match e {
            Expr::Template(t) => self.template(t),
            _ => match self.expr_ro(e)? {
                Some(Value::Str(s)) => Ok(s.to_string()),
                other => Err(EndpointError::Evaluation(format!(
                    "{what} must be a string, not a {}",
                    type_name(other.as_ref())
                ))),
            },
        }
    }

    fn template(&self, t: &Template) -> Result<String, EndpointError> {
        let mut out = String::new();
        for part in &t.parts {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Var(slot, path) => {
                    let v = self.slots[*slot].as_ref().and_then(|v| get_attr(v, path));
                    match v {
                        Some(Value::Str(s)) => out.push_str(s),
                        Some(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
                        Some(Value::Int(i)) => out.push_str(&i.to_string()),
                        other => {
                            return Err(EndpointError::Evaluation(format!(
                                "a template variable must be a string, not a {}",
                                type_name(other)
                            )))
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// An expression's value (assignments happen only in conditions).
    fn expr_ro(&self, e: &Expr) -> Result<Option<Value>, EndpointError> {
        Ok(self.arg(e)?.map(Cow::into_owned))
    }

    /// An expression's value, borrowed where it can be: references and
    /// literals are not copied, so comparing a parameter costs no reference
    /// counting.
    fn arg<'s>(&'s self, e: &'s Expr) -> Result<Option<Cow<'s, Value>>, EndpointError> {
        Ok(match e {
            Expr::Literal(v) => Some(Cow::Borrowed(v)),
            Expr::Ref(slot) => self.slots[*slot].as_ref().map(Cow::Borrowed),
            Expr::Template(t) => Some(Cow::Owned(Value::Str(Arc::from(self.template(t)?)))),
            Expr::Call(inner) => self.apply(inner)?.map(Cow::Owned),
        })
    }

    /// Evaluate a rule's condition, storing its value when it assigns one:
    /// whether it holds (is set and not `false`).
    fn condition(&mut self, c: &Call) -> Result<bool, EndpointError> {
        let v = self.apply(c)?;
        let holds = !matches!(v, None | Some(Value::Bool(false)));
        if let Some(slot) = c.assign {
            self.slots[slot] = v;
        }
        Ok(holds)
    }

    /// Apply a function to its arguments.
    fn apply(&self, c: &Call) -> Result<Option<Value>, EndpointError> {
        let arg = |i: usize| self.arg(&c.args[i]);
        Ok(match &c.func {
            Func::IsSet => Some(Value::Bool(arg(0)?.is_some())),
            Func::Not => Some(Value::Bool(!arg(0)?.as_deref().is_some_and(Value::truthy))),
            Func::BooleanEquals => {
                let (a, b) = (arg(0)?, arg(1)?);
                let (a, b) = (a.as_deref(), b.as_deref());
                match (a, b) {
                    (Some(Value::Bool(x)), Some(Value::Bool(y))) => Some(Value::Bool(x == y)),
                    _ => {
                        return Err(EndpointError::Evaluation(format!(
                            "booleanEquals needs two booleans, not a {} and a {}",
                            type_name(a),
                            type_name(b)
                        )))
                    }
                }
            }
            Func::StringEquals => {
                let (a, b) = (arg(0)?, arg(1)?);
                let (a, b) = (a.as_deref(), b.as_deref());
                match (a, b) {
                    (Some(Value::Str(x)), Some(Value::Str(y))) => Some(Value::Bool(x == y)),
                    _ => {
                        return Err(EndpointError::Evaluation(format!(
                            "stringEquals needs two strings, not a {} and a {}",
                            type_name(a),
                            type_name(b)
                        )))
                    }
                }
            }
            Func::GetAttr(path) => arg(0)?.and_then(|v| get_attr(&v, path).cloned()),
            Func::Substring => {
                let s = arg(0)?;
                let (start, stop, rev) = match (&c.args[1], &c.args[2], &c.args[3]) {
                    (
                        Expr::Literal(Value::Int(a)),
                        Expr::Literal(Value::Int(b)),
                        Expr::Literal(Value::Bool(r)),
                    ) => (*a, *b, *r),
                    // The compiler admits only literals here.
                    _ => return Ok(None),
                };
                match s.as_deref() {
                    None => None,
                    Some(Value::Str(s)) => {
                        let (start, stop) = (
                            usize::try_from(start).unwrap_or(usize::MAX),
                            usize::try_from(stop).unwrap_or(usize::MAX),
                        );
                        stdlib::substring(s, start, stop, rev).map(Value::str)
                    }
                    Some(other) => {
                        return Err(EndpointError::Evaluation(format!(
                            "substring needs a string, not a {}",
                            other.type_name()
                        )))
                    }
                }
            }
            Func::UriEncode => match arg(0)?.as_deref() {
                Some(Value::Str(s)) => Some(Value::Str(Arc::from(stdlib::uri_encode(s)))),
                _ => None,
            },
            Func::ParseUrl => match arg(0)?.as_deref() {
                Some(Value::Str(s)) => stdlib::parse_url(s).map(|u| u.to_value()),
                _ => None,
            },
            Func::IsValidHostLabel => {
                let s = arg(0)?;
                let sub = bool_arg(arg(1)?.as_deref(), "isValidHostLabel")?;
                Some(Value::Bool(
                    s.as_deref()
                        .and_then(Value::as_str)
                        .is_some_and(|s| stdlib::is_valid_host_label(s, sub)),
                ))
            }
            Func::IsVirtualHostableS3Bucket => {
                let s = arg(0)?;
                let sub = bool_arg(arg(1)?.as_deref(), "aws.isVirtualHostableS3Bucket")?;
                Some(Value::Bool(
                    s.as_deref()
                        .and_then(Value::as_str)
                        .is_some_and(|s| stdlib::is_virtual_hostable_s3_bucket(s, sub)),
                ))
            }
            Func::Partition => match arg(0)?.as_deref() {
                Some(Value::Str(region)) => Some(self.partitions.lookup(region)),
                None => Some(self.partitions.lookup("")),
                Some(other) => {
                    return Err(EndpointError::Evaluation(format!(
                        "aws.partition needs a string, not a {}",
                        other.type_name()
                    )))
                }
            },
            Func::ParseArn => match arg(0)?.as_deref() {
                Some(Value::Str(s)) => stdlib::parse_arn(s).map(|a| a.to_value()),
                _ => None,
            },
        })
    }
}

fn bool_arg(v: Option<&Value>, func: &str) -> Result<bool, EndpointError> {
    match v {
        Some(Value::Bool(b)) => Ok(*b),
        other => Err(EndpointError::Evaluation(format!(
            "the second argument of {func} must be a boolean, not a {}",
            type_name(other)
        ))),
    }
}

/// Follow a `getAttr` path; `None` when a step does not exist.
pub(super) fn get_attr<'v>(v: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    let mut cur = v;
    for part in path {
        cur = match (part, cur) {
            (PathPart::Key(k), v) => v.get(k)?,
            (PathPart::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}
