//! Loading a rule set: JSON → a checked tree of typed nodes.
//!
//! Every `ref` and template variable becomes a slot index: parameters take
//! the first slots, then every distinct `assign` name gets its own. Scope is
//! checked here, so the evaluator can keep one flat slot vector: a slot is
//! only ever read where the compiler proved an assignment (or the parameter)
//! reaches it.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value as Json;

use super::eval::Value;
use super::{EndpointError, ParamValue};

/// The deepest nesting of rules and function calls accepted (real rule sets
/// nest about twenty deep; `serde_json` itself parses at most 128 levels).
const MAX_DEPTH: usize = 128;

/// The type of an endpoint parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        })
    }
}

/// One parameter a rule set declares.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Parameter {
    /// Its name, such as `Region` or `Bucket`.
    pub name: String,
    /// Its type.
    pub kind: ParamType,
    /// The SDK built-in it is bound to, such as `AWS::Region`,
    /// `AWS::UseFIPS` or `SDK::Endpoint`.
    pub built_in: Option<String>,
    /// The value used when none is given.
    pub default: Option<ParamValue>,
    /// Whether resolution fails without a value (after the default).
    pub required: bool,
    /// The rule set's documentation of it.
    pub documentation: Option<String>,
    /// Whether the rule set marks it deprecated.
    pub deprecated: bool,
}

/// A service's endpoint rule set, checked and compiled; load it once with
/// [`RuleSet::from_json`] and [`resolve`](super::resolve) with it many times.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(super) params: Vec<Parameter>,
    /// The defaults of `params`, as values (same order).
    pub(super) defaults: Vec<Option<Value>>,
    pub(super) rules: Vec<Rule>,
    /// Parameters plus assigned names.
    pub(super) slots: usize,
}

impl RuleSet {
    /// Load a rule set from its JSON document (`version`, `parameters`,
    /// `rules`). Every function, reference, template and rule is checked;
    /// the first problem is an [`EndpointError::InvalidRuleSet`] naming its
    /// place, such as `rules[0].rules[3].conditions[1]: unknown function`.
    pub fn from_json(v: &Json) -> Result<RuleSet, EndpointError> {
        let doc = v
            .as_object()
            .ok_or_else(|| invalid("the document", "must be a JSON object"))?;
        let params_json = match doc.get("parameters") {
            None => &serde_json::Map::new(),
            Some(p) => p
                .as_object()
                .ok_or_else(|| invalid("parameters", "must be an object"))?,
        };
        let mut c = Compiler::default();
        let mut params = Vec::with_capacity(params_json.len());
        let mut defaults = Vec::with_capacity(params_json.len());
        for (name, spec) in params_json {
            let p = parse_parameter(name, spec)?;
            defaults.push(p.default.as_ref().map(Value::from_param));
            c.names.insert(name.clone(), c.names.len());
            c.visible.push(true);
            params.push(p);
        }
        let rules_json = doc
            .get("rules")
            .ok_or_else(|| invalid("the document", "has no `rules`"))?
            .as_array()
            .ok_or_else(|| invalid("rules", "must be an array"))?;
        let mut rules = Vec::with_capacity(rules_json.len());
        for (i, r) in rules_json.iter().enumerate() {
            rules.push(c.rule(r, &format!("rules[{i}]"), 0)?);
        }
        Ok(RuleSet {
            params,
            defaults,
            rules,
            slots: c.names.len(),
        })
    }

    /// The parameters the rule set declares, in its order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.params
    }

    /// The declared parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Bind SDK built-in values (`AWS::Region`, `AWS::UseFIPS`,
    /// `AWS::UseDualStack`, `SDK::Endpoint`, `AWS::S3::ForcePathStyle`, ...)
    /// to the parameters declared with those `builtIn`s: a map ready for
    /// [`resolve`](super::resolve), to which the caller adds the operation's
    /// context parameters (`Bucket`, ...). Built-ins the rule set does not
    /// use are left out.
    pub fn bind_builtins<'a>(
        &self,
        builtins: impl IntoIterator<Item = (&'a str, ParamValue)>,
    ) -> HashMap<String, ParamValue> {
        let mut out = HashMap::new();
        for (builtin, value) in builtins {
            for p in &self.params {
                if p.built_in.as_deref() == Some(builtin) {
                    out.insert(p.name.clone(), value.clone());
                }
            }
        }
        out
    }
}

fn invalid(place: &str, what: &str) -> EndpointError {
    EndpointError::InvalidRuleSet(format!("{place}: {what}"))
}

fn parse_parameter(name: &str, spec: &Json) -> Result<Parameter, EndpointError> {
    let place = format!("parameters.{name}");
    let spec = spec
        .as_object()
        .ok_or_else(|| invalid(&place, "must be an object"))?;
    let ty = spec
        .get("type")
        .and_then(Json::as_str)
        .ok_or_else(|| invalid(&place, "has no string `type`"))?;
    let kind = match ty.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(invalid(
                &place,
                &format!("unknown type `{ty}` (expected string, boolean or stringArray)"),
            ))
        }
    };
    let str_field = |key: &str| -> Result<Option<String>, EndpointError> {
        match spec.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(&place, &format!("`{key}` must be a string"))),
        }
    };
    let default = match spec.get("default") {
        None | Some(Json::Null) => None,
        Some(d) => {
            let v = ParamValue::from_json(d)
                .filter(|v| v.param_type() == kind)
                .ok_or_else(|| invalid(&place, &format!("`default` must be a {kind}")))?;
            Some(v)
        }
    };
    let required = match spec.get("required") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err(invalid(&place, "`required` must be a boolean")),
    };
    Ok(Parameter {
        name: name.to_string(),
        kind,
        built_in: str_field("builtIn")?,
        default,
        required,
        documentation: str_field("documentation")?,
        deprecated: spec.get("deprecated").is_some_and(|d| !d.is_null()),
    })
}

/// A rule: conditions, then what it yields.
#[derive(Debug, Clone)]
pub(super) struct Rule {
    pub conditions: Vec<Call>,
    pub kind: RuleKind,
}

/// What a rule yields once its conditions hold.
#[derive(Debug, Clone)]
pub(super) enum RuleKind {
    Endpoint(Box<EndpointTemplate>),
    Error(Expr),
    Tree(Vec<Rule>),
}

/// An `endpoint` rule's output, before templating.
#[derive(Debug, Clone)]
pub(super) struct EndpointTemplate {
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    pub properties: Vec<(String, Prop)>,
}

/// A property value: JSON whose strings may be templates.
#[derive(Debug, Clone)]
pub(super) enum Prop {
    Literal(Json),
    Template(Template),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

/// An argument or output expression.
#[derive(Debug, Clone)]
pub(super) enum Expr {
    Literal(Value),
    Ref(usize),
    Template(Template),
    Call(Box<Call>),
}

/// A function call, with the slot its result is assigned to.
#[derive(Debug, Clone)]
pub(super) struct Call {
    pub func: Func,
    pub args: Vec<Expr>,
    pub assign: Option<usize>,
}

/// A built-in function.
#[derive(Debug, Clone)]
pub(super) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    /// The path is parsed at load time; the call has one argument.
    GetAttr(Vec<PathPart>),
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PathPart {
    Key(String),
    Index(usize),
}

/// A template string, split into literal text and variables.
#[derive(Debug, Clone)]
pub(super) struct Template {
    pub parts: Vec<TemplatePart>,
}

/// A piece of a template string.
#[derive(Debug, Clone)]
pub(super) enum TemplatePart {
    Text(String),
    /// `{Name}` or `{Name#path}`: a slot and a `getAttr` path.
    Var(usize, Vec<PathPart>),
}

/// The load-time state: which names exist and which are visible here.
#[derive(Default)]
struct Compiler {
    names: HashMap<String, usize>,
    /// By slot: whether the name is in scope at the current point.
    visible: Vec<bool>,
}

impl Compiler {
    fn rule(&mut self, r: &Json, place: &str, depth: usize) -> Result<Rule, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid(place, "rules are nested too deeply"));
        }
        let obj = r
            .as_object()
            .ok_or_else(|| invalid(place, "a rule must be an object"))?;
        let ty = obj
            .get("type")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(place, "a rule needs a string `type`"))?;
        // The names this rule assigns go out of scope when it ends.
        let mut assigned: Vec<usize> = Vec::new();
        let result = self.rule_inner(obj, ty, place, depth, &mut assigned);
        for slot in assigned {
            self.visible[slot] = false;
        }
        result
    }

    fn rule_inner(
        &mut self,
        obj: &serde_json::Map<String, Json>,
        ty: &str,
        place: &str,
        depth: usize,
        assigned: &mut Vec<usize>,
    ) -> Result<Rule, EndpointError> {
        let conds_json = match obj.get("conditions") {
            None => &Vec::new(),
            Some(c) => c
                .as_array()
                .ok_or_else(|| invalid(place, "`conditions` must be an array"))?,
        };
        let mut conditions = Vec::with_capacity(conds_json.len());
        for (i, c) in conds_json.iter().enumerate() {
            let cplace = format!("{place}.conditions[{i}]");
            let call = self.call(c, &cplace, depth + 1, true)?;
            if let Some(slot) = call.assign {
                assigned.push(slot);
                self.visible[slot] = true;
            }
            conditions.push(call);
        }
        let kind = match ty {
            "endpoint" => {
                let e = obj
                    .get("endpoint")
                    .ok_or_else(|| invalid(place, "an endpoint rule needs `endpoint`"))?;
                RuleKind::Endpoint(Box::new(self.endpoint(
                    e,
                    &format!("{place}.endpoint"),
                    depth,
                )?))
            }
            "error" => {
                let e = obj
                    .get("error")
                    .ok_or_else(|| invalid(place, "an error rule needs `error`"))?;
                RuleKind::Error(self.expr(e, &format!("{place}.error"), depth + 1)?)
            }
            "tree" => {
                let rs = obj
                    .get("rules")
                    .and_then(Json::as_array)
                    .ok_or_else(|| invalid(place, "a tree rule needs a `rules` array"))?;
                let mut rules = Vec::with_capacity(rs.len());
                for (i, r) in rs.iter().enumerate() {
                    rules.push(self.rule(r, &format!("{place}.rules[{i}]"), depth + 1)?);
                }
                RuleKind::Tree(rules)
            }
            other => {
                return Err(invalid(
                    place,
                    &format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
                ))
            }
        };
        Ok(Rule { conditions, kind })
    }

    fn endpoint(
        &mut self,
        e: &Json,
        place: &str,
        depth: usize,
    ) -> Result<EndpointTemplate, EndpointError> {
        let obj = e
            .as_object()
            .ok_or_else(|| invalid(place, "must be an object"))?;
        let url = self.expr(
            obj.get("url")
                .ok_or_else(|| invalid(place, "has no `url`"))?,
            &format!("{place}.url"),
            depth + 1,
        )?;
        let mut headers = Vec::new();
        if let Some(h) = obj.get("headers") {
            let h = h
                .as_object()
                .ok_or_else(|| invalid(place, "`headers` must be an object"))?;
            for (name, values) in h {
                let hplace = format!("{place}.headers.{name}");
                let values = values
                    .as_array()
                    .ok_or_else(|| invalid(&hplace, "must be an array"))?;
                let mut exprs = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    exprs.push(self.expr(v, &format!("{hplace}[{i}]"), depth + 1)?);
                }
                headers.push((name.clone(), exprs));
            }
        }
        let mut properties = Vec::new();
        if let Some(p) = obj.get("properties") {
            let p = p
                .as_object()
                .ok_or_else(|| invalid(place, "`properties` must be an object"))?;
            for (k, v) in p {
                properties.push((
                    k.clone(),
                    self.prop(v, &format!("{place}.properties.{k}"), depth + 1)?,
                ));
            }
        }
        Ok(EndpointTemplate {
            url,
            headers,
            properties,
        })
    }

    fn prop(&mut self, v: &Json, place: &str, depth: usize) -> Result<Prop, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid(place, "properties are nested too deeply"));
        }
        Ok(match v {
            Json::String(s) if is_template(s) => Prop::Template(self.template(s, place)?),
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    out.push(self.prop(it, &format!("{place}[{i}]"), depth + 1)?);
                }
                if out.iter().all(|p| matches!(p, Prop::Literal(_))) {
                    Prop::Literal(v.clone())
                } else {
                    Prop::Array(out)
                }
            }
            Json::Object(m) => {
                let mut out = Vec::with_capacity(m.len());
                for (k, it) in m {
                    out.push((
                        k.clone(),
                        self.prop(it, &format!("{place}.{k}"), depth + 1)?,
                    ));
                }
                if out.iter().all(|(_, p)| matches!(p, Prop::Literal(_))) {
                    Prop::Literal(v.clone())
                } else {
                    Prop::Object(out)
                }
            }
            other => Prop::Literal(other.clone()),
        })
    }

    fn expr(&mut self, v: &Json, place: &str, depth: usize) -> Result<Expr, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid(place, "expressions are nested too deeply"));
        }
        match v {
            Json::Object(m) if m.contains_key("fn") => Ok(Expr::Call(Box::new(self.call(
                v,
                place,
                depth + 1,
                false,
            )?))),
            Json::Object(m) if m.contains_key("ref") => {
                let name = m
                    .get("ref")
                    .and_then(Json::as_str)
                    .ok_or_else(|| invalid(place, "`ref` must be a string"))?;
                Ok(Expr::Ref(self.lookup(name, place)?))
            }
            Json::Object(_) => Err(invalid(
                place,
                "an object argument must be a function call (`fn`) or a reference (`ref`)",
            )),
            Json::String(s) if is_template(s) => Ok(Expr::Template(self.template(s, place)?)),
            Json::String(s) => Ok(Expr::Literal(Value::Str(Arc::from(s.as_str())))),
            Json::Bool(b) => Ok(Expr::Literal(Value::Bool(*b))),
            Json::Number(n) => n
                .as_i64()
                .map(|i| Expr::Literal(Value::Int(i)))
                .ok_or_else(|| invalid(place, "numbers must be integers")),
            Json::Array(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    match self.expr(it, &format!("{place}[{i}]"), depth + 1)? {
                        Expr::Literal(v) => vals.push(v),
                        _ => {
                            return Err(invalid(
                                place,
                                "array literals may only hold literal values",
                            ))
                        }
                    }
                }
                Ok(Expr::Literal(Value::Array(Arc::from(vals))))
            }
            Json::Null => Err(invalid(place, "null is not a value")),
        }
    }

    /// A function call; `condition` tells whether it is a rule's condition,
    /// the only place `assign` is allowed.
    fn call(
        &mut self,
        v: &Json,
        place: &str,
        depth: usize,
        condition: bool,
    ) -> Result<Call, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid(place, "function calls are nested too deeply"));
        }
        let obj = v
            .as_object()
            .ok_or_else(|| invalid(place, "a condition must be a function call object"))?;
        let name = obj
            .get("fn")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(place, "a function call needs a string `fn`"))?;
        let argv = obj
            .get("argv")
            .and_then(Json::as_array)
            .ok_or_else(|| invalid(place, &format!("`{name}` needs an `argv` array")))?;
        let (func, arity) = match name {
            "isSet" => (Func::IsSet, 1),
            "not" => (Func::Not, 1),
            "booleanEquals" => (Func::BooleanEquals, 2),
            "stringEquals" => (Func::StringEquals, 2),
            "getAttr" => (Func::GetAttr(Vec::new()), 2),
            "substring" => (Func::Substring, 4),
            "uriEncode" => (Func::UriEncode, 1),
            "parseURL" => (Func::ParseUrl, 1),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2),
            "aws.partition" => (Func::Partition, 1),
            "aws.parseArn" => (Func::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, 2),
            other => {
                return Err(invalid(
                    place,
                    &format!(
                        "unknown function `{other}` (known: isSet, not, booleanEquals, \
                         stringEquals, getAttr, substring, uriEncode, parseURL, \
                         isValidHostLabel, aws.partition, aws.parseArn, \
                         aws.isVirtualHostableS3Bucket)"
                    ),
                ))
            }
        };
        if argv.len() != arity {
            return Err(invalid(
                place,
                &format!("`{name}` takes {arity} argument(s), {} given", argv.len()),
            ));
        }
        let mut func = func;
        let mut args = Vec::with_capacity(arity);
        if let Func::GetAttr(path) = &mut func {
            args.push(self.expr(&argv[0], &format!("{place}.argv[0]"), depth + 1)?);
            let p = argv[1]
                .as_str()
                .ok_or_else(|| invalid(place, "the path of `getAttr` must be a literal string"))?;
            *path = parse_path(p).map_err(|e| invalid(place, &e))?;
        } else {
            for (i, a) in argv.iter().enumerate() {
                args.push(self.expr(a, &format!("{place}.argv[{i}]"), depth + 1)?);
            }
        }
        if matches!(func, Func::Substring) {
            for (i, a) in args.iter().enumerate().skip(1) {
                let ok = match (i, a) {
                    (1 | 2, Expr::Literal(Value::Int(n))) => *n >= 0,
                    (3, Expr::Literal(Value::Bool(_))) => true,
                    _ => false,
                };
                if !ok {
                    return Err(invalid(
                        place,
                        "`substring` takes a string, two non-negative integer literals and a \
                         boolean literal",
                    ));
                }
            }
        }
        let assign = match obj.get("assign") {
            None => None,
            Some(_) if !condition => {
                return Err(invalid(
                    place,
                    "`assign` is only allowed on a rule's conditions, not on nested calls",
                ))
            }
            Some(a) => {
                let a = a
                    .as_str()
                    .ok_or_else(|| invalid(place, "`assign` must be a string"))?;
                let next = self.names.len();
                let slot = *self.names.entry(a.to_string()).or_insert(next);
                if slot == self.visible.len() {
                    self.visible.push(false);
                }
                if self.visible[slot] {
                    return Err(invalid(
                        place,
                        &format!("`{a}` is already defined here and cannot be assigned again"),
                    ));
                }
                Some(slot)
            }
        };
        Ok(Call { func, args, assign })
    }

    fn lookup(&self, name: &str, place: &str) -> Result<usize, EndpointError> {
        match self.names.get(name) {
            Some(&slot) if self.visible[slot] => Ok(slot),
            _ => Err(invalid(
                place,
                &format!(
                    "reference to `{name}`, which is neither a parameter nor assigned by an \
                     enclosing condition"
                ),
            )),
        }
    }

    fn template(&self, s: &str, place: &str) -> Result<Template, EndpointError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let end = rest.find('}').ok_or_else(|| {
                        invalid(place, &format!("unclosed `{{` in template `{s}`"))
                    })?;
                    let field = &rest[..end];
                    for _ in 0..=field.chars().count() {
                        chars.next();
                    }
                    let (name, path) = match field.split_once('#') {
                        Some((n, p)) => (n, parse_path(p).map_err(|e| invalid(place, &e))?),
                        None => (field, Vec::new()),
                    };
                    let slot = self.lookup(name, place)?;
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Var(slot, path));
                }
                '}' => {
                    return Err(invalid(
                        place,
                        &format!("single `}}` in template `{s}` (write `}}}}`)"),
                    ))
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        Ok(Template { parts })
    }
}

/// Whether a string is a template: botocore's test, a `{` followed by
/// letters and `#` and a `}`. Other strings are taken literally, braces and
/// all.
pub(super) fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'#') {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b'}' {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Parse a `getAttr` path: names separated by `.`, each optionally followed
/// by one `[index]` (a bare `[index]` indexes the value itself).
pub(super) fn parse_path(p: &str) -> Result<Vec<PathPart>, String> {
    let mut out = Vec::new();
    if p.is_empty() {
        return Err("a `getAttr` path cannot be empty".into());
    }
    for part in p.split('.') {
        let (name, index) = match part.find('[') {
            Some(open) => {
                let close = part
                    .strip_suffix(']')
                    .ok_or_else(|| format!("bad index in path `{p}`"))?;
                let idx: usize = close[open + 1..]
                    .parse()
                    .map_err(|_| format!("bad index in path `{p}`"))?;
                (&part[..open], Some(idx))
            }
            None => (part, None),
        };
        if name.is_empty() && index.is_none() {
            return Err(format!("empty name in path `{p}`"));
        }
        if !name.is_empty() {
            out.push(PathPart::Key(name.to_string()));
        }
        if let Some(i) = index {
            out.push(PathPart::Index(i));
        }
    }
    Ok(out)
}
