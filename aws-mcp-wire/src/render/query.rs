//! `--query`: JMESPath with the semantics of the Python `jmespath` library
//! (1.1) the AWS CLI runs, over `serde_json::Value`.
//!
//! The expression is parsed by the `jmespath` crate (after the same rewrite
//! of legacy `` `literal` `` strings and the same depth check the validator
//! applies, [`aws_mcp_core::query`]); the tree is evaluated here, so that:
//!
//! * objects keep their key order (multi-select hashes in expression order,
//!   `merge`, `keys` and `values` in insertion order), as Python dicts do;
//! * integers stay integers and floats stay floats (`sum` of integers is an
//!   integer, `avg` always a float, `ceil` and `floor` integers,
//!   `to_number('2')` an integer);
//! * ordering comparisons accept numbers and strings, and comparing a
//!   string with a number is an error, as Python's `<` raises;
//! * `0`/`1` never equal `false`/`true`, `!0` is `false`;
//! * `to_string` is `json.dumps(separators=(',', ':'))` with Python's
//!   default `ensure_ascii`, so non-ASCII is `\uXXXX`-escaped.
//!
//! JSON literals (`` `{"b":1,"a":2}` ``) are re-read from the expression
//! text with `serde_json`, because the crate's parser sorts their keys.
//!
//! ## Bounds
//!
//! No expression may take the process down. Its depth is checked before it
//! is parsed ([`aws_mcp_core::query`]), so the recursive parser and evaluator stay
//! within the stack. Its work is bounded by a budget: every evaluation step
//! and every value copied or built (an identity, a field, a multi-select of
//! `@`, a sorted copy, a joined string) is charged its approximate size in
//! bytes, and the evaluation stops with [`RenderError::QueryFailed`] when
//! the budget is spent. `@ | [@,@] | [@,@] | ...` doubles its value at every
//! stage; 20 stages would need gigabytes and many seconds: it now stops
//! after about [`QUERY_BUDGET_BASE`] bytes of work. The default budget is
//! [`QUERY_BUDGET_BASE`] plus [`QUERY_BUDGET_PER_INPUT_BYTE`] times the size
//! of the input, so queries that copy, sort or reshape a large response
//! still run. Because every step is charged, the budget bounds time too.

use std::cell::Cell;
use std::cmp::Ordering;

use jmespath::ast::{Ast, Comparator};
use serde_json::{Map, Number, Value};

use super::pyfmt::float_repr;
use super::RenderError;

/// The fixed part of a query's work budget, in approximate bytes.
pub const QUERY_BUDGET_BASE: u64 = 64 << 20;

/// The part of a query's work budget proportional to its input's size.
pub const QUERY_BUDGET_PER_INPUT_BYTE: u64 = 4;

/// Apply a JMESPath `query` to `value` as the AWS CLI's `--query` does.
///
/// Errors: [`RenderError::InvalidQuery`] with the parser's message when the
/// expression does not parse (or nests too deeply), [`RenderError::QueryFailed`]
/// when it fails while running (unknown function, wrong argument types or
/// count) or exceeds its work budget (see the module docs).
pub fn apply_query(value: &Value, query: &str) -> Result<Value, RenderError> {
    let input = approx_size(value, u64::MAX);
    let budget =
        QUERY_BUDGET_BASE.saturating_add(QUERY_BUDGET_PER_INPUT_BYTE.saturating_mul(input));
    apply_query_with_budget(value, query, budget)
}

/// [`apply_query`] with an explicit work budget in approximate bytes.
pub fn apply_query_with_budget(
    value: &Value,
    query: &str,
    budget: u64,
) -> Result<Value, RenderError> {
    let (expr, ast) =
        aws_mcp_core::query::parse_query(query).map_err(|e| RenderError::InvalidQuery {
            query: shorten(query),
            message: e.to_string(),
        })?;
    let cx = Cx {
        expr: &expr,
        budget: Cell::new(budget),
        limit: budget,
    };
    eval(&cx, &ast, value).map_err(|message| RenderError::QueryFailed {
        query: shorten(query),
        message,
    })
}

/// A query as echoed in an error: at most 200 characters.
fn shorten(q: &str) -> String {
    const MAX: usize = 200;
    match q.char_indices().nth(MAX) {
        None => q.to_string(),
        Some((i, _)) => format!("{}... ({} bytes in all)", &q[..i], q.len()),
    }
}

/// The approximate memory a value takes, in bytes (a node's size plus its
/// strings and keys), counted without recursion; the count stops once it
/// passes `stop`.
pub fn approx_size(v: &Value, stop: u64) -> u64 {
    const NODE: u64 = std::mem::size_of::<Value>() as u64;
    let mut total = 0u64;
    let mut stack: Vec<&Value> = vec![v];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(NODE);
        match v {
            Value::String(s) => total = total.saturating_add(s.len() as u64),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => {
                for (k, e) in m {
                    total = total.saturating_add(k.len() as u64 + NODE);
                    stack.push(e);
                }
            }
            _ => {}
        }
        if total > stop {
            break;
        }
    }
    total
}

type R<T> = Result<T, String>;

/// The expression being evaluated (after the legacy-literal rewrite) and
/// what is left of its work budget.
struct Cx<'q> {
    expr: &'q str,
    budget: Cell<u64>,
    limit: u64,
}

impl Cx<'_> {
    /// Charge `n` units of work; an error once the budget is spent.
    fn spend(&self, n: u64) -> R<()> {
        match self.budget.get().checked_sub(n) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.budget.set(0);
                Err(format!(
                    "the expression needs more than {} MB of work (its intermediate results grow too large); select less, or split it into steps",
                    self.limit >> 20
                ))
            }
        }
    }

    /// A copy of `v`, charged its size.
    fn copy(&self, v: &Value) -> R<Value> {
        self.spend(approx_size(v, self.budget.get()))?;
        Ok(v.clone())
    }

    /// Charge the size of `v` (before copying it or something as large).
    fn charge(&self, v: &Value) -> R<()> {
        self.spend(approx_size(v, self.budget.get()))
    }

    /// Charge a value just built (a string or a collection of new values).
    fn built(&self, v: Value) -> R<Value> {
        self.spend(approx_size(&v, self.budget.get()))?;
        Ok(v)
    }

    /// A `` `json` `` literal re-read from the expression text with
    /// `serde_json`, which keeps object keys in the order written (the
    /// crate's parser sorts them). `None` for raw strings or when the text
    /// cannot be re-read; the parser's value is used then.
    fn literal_at(&self, offset: usize) -> Option<Value> {
        let rest = self.expr.get(offset..)?.strip_prefix('`')?;
        let mut buf = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '`' => return serde_json::from_str(&python_ints(&buf.replace("\\`", "`"))).ok(),
                '\\' => {
                    buf.push(c);
                    buf.push(chars.next()?);
                }
                c => buf.push(c),
            }
        }
        None
    }
}

/// JSON text with every `-0` integer written `0`: Python's `json.loads`
/// reads `-0` as the integer 0, `serde_json` as the float -0.0 (which would
/// print `-0.0`). Strings are left alone.
fn python_ints(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.contains("-0") {
        return std::borrow::Cow::Borrowed(json);
    }
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let (mut i, mut in_str) = (0, false);
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' && i + 1 < b.len() {
                out.push_str(&json[i..i + 2]);
                i += 2;
                continue;
            }
            in_str = c != b'"';
        } else if c == b'"' {
            in_str = true;
        } else if c == b'-'
            && b.get(i + 1) == Some(&b'0')
            && !matches!(b.get(i + 2), Some(b'.' | b'e' | b'E' | b'0'..=b'9'))
        {
            out.push('0');
            i += 2;
            continue;
        }
        let ch = json[i..].chars().next().unwrap_or_default();
        out.push(ch);
        i += ch.len_utf8();
    }
    std::borrow::Cow::Owned(out)
}

/// JMESPath truthiness (false, null, empty strings, arrays and objects are
/// false; every number is true), also what botocore's paginators test.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        Value::Number(_) => true,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Number(_) => "number",
    }
}

/// A number as Python sees it: an integer or a float.
#[derive(Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i as i128)
    } else if let Some(u) = n.as_u64() {
        Num::Int(u as i128)
    } else {
        Num::Float(n.as_f64().unwrap_or(0.0))
    }
}

fn num_value(n: Num) -> Value {
    match n {
        Num::Int(i) => {
            if let Ok(v) = i64::try_from(i) {
                Value::from(v)
            } else if let Ok(v) = u64::try_from(i) {
                Value::from(v)
            } else {
                Number::from_f64(i as f64).map_or(Value::Null, Value::Number)
            }
        }
        Num::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
    }
}

fn num_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) => f,
    }
}

fn num_cmp(a: Num, b: Num) -> Ordering {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x.cmp(&y),
        _ => num_f64(a)
            .partial_cmp(&num_f64(b))
            .unwrap_or(Ordering::Equal),
    }
}

/// Python `==` between JSON values (numbers compare by value across int and
/// float, objects regardless of order).
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(num(x), num(y)) == Ordering::Equal,
        // Python: True == 1 and False == 0 inside containers.
        (Value::Bool(x), Value::Number(y)) | (Value::Number(y), Value::Bool(x)) => {
            num_cmp(num(y), Num::Int(*x as i128)) == Ordering::Equal
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => a == b,
    }
}

/// JMESPath `==` as the Python library does it: `0`/`1` never equal booleans.
fn jp_equals(a: &Value, b: &Value) -> bool {
    let special = |x: &Value, y: &Value| {
        matches!(x, Value::Number(n) if matches!(num(n), Num::Int(0 | 1)) || matches!(num(n), Num::Float(f) if f == 0.0 || f == 1.0))
            && y.is_boolean()
    };
    if special(a, b) || special(b, a) {
        return false;
    }
    py_eq(a, b)
}

fn comparable(v: &Value) -> bool {
    matches!(v, Value::Number(_) | Value::String(_))
}

/// How `a` and `b` order; for other pairs than two numbers or two strings,
/// the TypeError Python raises for `a <op> b`.
fn order(op: &str, a: &Value, b: &Value) -> R<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Ok(num_cmp(num(x), num(y))),
        (Value::String(x), Value::String(y)) => Ok(x.as_str().cmp(y.as_str())),
        _ => Err(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            python_type(a),
            python_type(b)
        )),
    }
}

// The evaluator is recursive over the syntax tree (whose depth
// `crate::jmes` bounds). `eval` only dispatches, and every case lives in a
// function of its own, so that a level of recursion costs a few small stack
// frames even in debug builds (one function holding every case's locals
// needed about 10 KiB a level).
fn eval(cx: &Cx<'_>, ast: &Ast, data: &Value) -> R<Value> {
    cx.spend(std::mem::size_of::<Value>() as u64)?;
    match ast {
        Ast::Field { name, .. } => field(cx, name, data),
        Ast::Subexpr { lhs, rhs, .. } => subexpr(cx, lhs, rhs, data),
        Ast::Identity { .. } => cx.copy(data),
        Ast::Literal { value, offset } => literal(cx, value, *offset),
        Ast::Index { idx, .. } => index(cx, *idx, data),
        Ast::Slice {
            start, stop, step, ..
        } => match data {
            Value::Array(a) => Ok(Value::Array(slice(cx, a, *start, *stop, *step)?)),
            _ => Ok(Value::Null),
        },
        Ast::Or { lhs, rhs, .. } => or(cx, lhs, rhs, data),
        Ast::And { lhs, rhs, .. } => and(cx, lhs, rhs, data),
        Ast::Not { node, .. } => not(cx, node, data),
        Ast::Condition {
            predicate, then, ..
        } => condition(cx, predicate, then, data),
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => comparison(cx, comparator, lhs, rhs, data),
        Ast::ObjectValues { node, .. } => object_values(cx, node, data),
        Ast::Projection { lhs, rhs, .. } => projection(cx, lhs, rhs, data),
        Ast::Flatten { node, .. } => flatten(cx, node, data),
        Ast::MultiList { elements, .. } => multi_list(cx, elements, data),
        Ast::MultiHash { elements, .. } => multi_hash(cx, elements, data),
        Ast::Expref { .. } => {
            Err("an expression reference (&expr) can only be a function argument".into())
        }
        Ast::Function { name, args, .. } => call(cx, name, args, data),
    }
}

fn field(cx: &Cx<'_>, name: &str, data: &Value) -> R<Value> {
    match data {
        Value::Object(m) => match m.get(name) {
            Some(v) => cx.copy(v),
            None => Ok(Value::Null),
        },
        _ => Ok(Value::Null),
    }
}

fn subexpr(cx: &Cx<'_>, lhs: &Ast, rhs: &Ast, data: &Value) -> R<Value> {
    let l = eval(cx, lhs, data)?;
    eval(cx, rhs, &l)
}

fn literal(cx: &Cx<'_>, value: &jmespath::Rcvar, offset: usize) -> R<Value> {
    match cx.literal_at(offset) {
        Some(v) => cx.built(v),
        None => cx.built(serde_json::to_value(&**value).map_err(|e| e.to_string())?),
    }
}

fn index(cx: &Cx<'_>, idx: i32, data: &Value) -> R<Value> {
    match data {
        Value::Array(a) => {
            let i = if idx < 0 {
                a.len() as i64 + idx as i64
            } else {
                idx as i64
            };
            match usize::try_from(i).ok().and_then(|i| a.get(i)) {
                Some(v) => cx.copy(v),
                None => Ok(Value::Null),
            }
        }
        _ => Ok(Value::Null),
    }
}

fn or(cx: &Cx<'_>, lhs: &Ast, rhs: &Ast, data: &Value) -> R<Value> {
    let l = eval(cx, lhs, data)?;
    if truthy(&l) {
        Ok(l)
    } else {
        eval(cx, rhs, data)
    }
}

fn and(cx: &Cx<'_>, lhs: &Ast, rhs: &Ast, data: &Value) -> R<Value> {
    let l = eval(cx, lhs, data)?;
    if !truthy(&l) {
        Ok(l)
    } else {
        eval(cx, rhs, data)
    }
}

fn not(cx: &Cx<'_>, node: &Ast, data: &Value) -> R<Value> {
    Ok(match eval(cx, node, data)? {
        Value::Number(_) => Value::Bool(false),
        v => Value::Bool(!truthy(&v)),
    })
}

fn condition(cx: &Cx<'_>, predicate: &Ast, then: &Ast, data: &Value) -> R<Value> {
    if truthy(&eval(cx, predicate, data)?) {
        eval(cx, then, data)
    } else {
        Ok(Value::Null)
    }
}

fn comparison(
    cx: &Cx<'_>,
    comparator: &Comparator,
    lhs: &Ast,
    rhs: &Ast,
    data: &Value,
) -> R<Value> {
    let l = eval(cx, lhs, data)?;
    let r = eval(cx, rhs, data)?;
    Ok(match comparator {
        Comparator::Equal => Value::Bool(jp_equals(&l, &r)),
        Comparator::NotEqual => Value::Bool(!jp_equals(&l, &r)),
        c => {
            if !(comparable(&l) && comparable(&r)) {
                Value::Null
            } else {
                let op = match c {
                    Comparator::LessThan => "<",
                    Comparator::LessThanEqual => "<=",
                    Comparator::GreaterThan => ">",
                    _ => ">=",
                };
                let o = order(op, &l, &r)?;
                Value::Bool(match c {
                    Comparator::LessThan => o == Ordering::Less,
                    Comparator::LessThanEqual => o != Ordering::Greater,
                    Comparator::GreaterThan => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                })
            }
        }
    })
}

fn object_values(cx: &Cx<'_>, node: &Ast, data: &Value) -> R<Value> {
    Ok(match eval(cx, node, data)? {
        Value::Object(m) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
        _ => Value::Null,
    })
}

fn projection(cx: &Cx<'_>, lhs: &Ast, rhs: &Ast, data: &Value) -> R<Value> {
    let Value::Array(items) = eval(cx, lhs, data)? else {
        return Ok(Value::Null);
    };
    let mut out = Vec::new();
    for e in &items {
        let v = eval(cx, rhs, e)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(Value::Array(out))
}

fn flatten(cx: &Cx<'_>, node: &Ast, data: &Value) -> R<Value> {
    let Value::Array(items) = eval(cx, node, data)? else {
        return Ok(Value::Null);
    };
    let mut out = Vec::new();
    for e in items {
        match e {
            Value::Array(inner) => out.extend(inner),
            e => out.push(e),
        }
    }
    Ok(Value::Array(out))
}

fn multi_list(cx: &Cx<'_>, elements: &[Ast], data: &Value) -> R<Value> {
    if data.is_null() {
        return Ok(Value::Null);
    }
    let mut out = Vec::with_capacity(elements.len());
    for e in elements {
        out.push(eval(cx, e, data)?);
    }
    Ok(Value::Array(out))
}

fn multi_hash(cx: &Cx<'_>, elements: &[jmespath::ast::KeyValuePair], data: &Value) -> R<Value> {
    if data.is_null() {
        return Ok(Value::Null);
    }
    let mut m = Map::new();
    for kv in elements {
        let v = eval(cx, &kv.value, data)?;
        m.insert(kv.key.clone(), v);
    }
    Ok(Value::Object(m))
}

/// Python list slicing (`slice.indices`).
fn slice(
    cx: &Cx<'_>,
    a: &[Value],
    start: Option<i32>,
    stop: Option<i32>,
    step: i32,
) -> R<Vec<Value>> {
    if step == 0 {
        return Err("slice step cannot be zero".into());
    }
    let len = a.len() as i64;
    let step = step as i64;
    let adjust = |v: Option<i32>, default_pos: i64, default_neg: i64| -> i64 {
        match v {
            None => {
                if step < 0 {
                    default_neg
                } else {
                    default_pos
                }
            }
            Some(v) => {
                let mut v = v as i64;
                if v < 0 {
                    v += len;
                    if v < 0 {
                        v = if step < 0 { -1 } else { 0 };
                    }
                } else if v >= len {
                    v = if step < 0 { len - 1 } else { len };
                }
                v
            }
        }
    };
    let s = adjust(start, 0, len - 1);
    let e = adjust(stop, len, -1);
    let mut out = Vec::new();
    let mut i = s;
    while (step > 0 && i < e) || (step < 0 && i > e) {
        if let Some(v) = a.get(i as usize) {
            out.push(cx.copy(v)?);
        }
        i += step;
    }
    Ok(out)
}

enum Arg<'a> {
    Val(Value),
    Expref(&'a Ast),
}

use super::text::python_type;

/// The jmespath library's `JMESPathTypeError` text: the value as Python's
/// `str()`, the expected types as a Python list (`expected` is written
/// `a, b`), the received type as given.
fn type_error_text(func: &str, v: &Value, received: &str, expected: &str) -> String {
    let list: Vec<String> = expected.split(", ").map(|t| format!("'{t}'")).collect();
    format!(
        "In function {func}(), invalid type for value: {}, expected one of: [{}], received: \"{received}\"",
        super::pyfmt::py_str(v),
        list.join(", ")
    )
}

/// A function argument of the wrong type (its JMESPath type received).
fn type_error(func: &str, v: &Value, expected: &str) -> String {
    type_error_text(func, v, type_name(v), expected)
}

/// An array element of the wrong type (its Python type received, as the
/// library's subtype check reports it).
fn subtype_error(func: &str, v: &Value, expected: &str) -> String {
    type_error_text(func, v, python_type(v), expected)
}

fn arity(func: &str, args: &[Arg<'_>], n: usize) -> R<()> {
    if args.len() != n {
        return Err(format!(
            "Expected {n} argument{} for function {func}(), received {}",
            if n == 1 { "" } else { "s" },
            args.len()
        ));
    }
    Ok(())
}

fn val<'b>(func: &str, a: &'b Arg<'_>) -> R<&'b Value> {
    match a {
        Arg::Val(v) => Ok(v),
        Arg::Expref(_) => Err(format!(
            "In function {func}(), invalid type for value: an expression reference"
        )),
    }
}

fn expref<'a>(func: &str, a: &Arg<'a>) -> R<&'a Ast> {
    match a {
        Arg::Expref(e) => Ok(e),
        Arg::Val(v) => Err(type_error(func, v, "expref")),
    }
}

fn number_arg(func: &str, a: &Arg<'_>) -> R<Num> {
    match val(func, a)? {
        Value::Number(n) => Ok(num(n)),
        v => Err(type_error(func, v, "number")),
    }
}

fn string_arg<'b>(func: &str, a: &'b Arg<'_>) -> R<&'b str> {
    match val(func, a)? {
        Value::String(s) => Ok(s),
        v => Err(type_error(func, v, "string")),
    }
}

/// An array argument; `expected` is the argument's signature (`array`,
/// `array-number`, ...), which the error names.
fn array_arg<'b>(func: &str, a: &'b Arg<'_>, expected: &str) -> R<&'b Vec<Value>> {
    match val(func, a)? {
        Value::Array(x) => Ok(x),
        v => Err(type_error(func, v, expected)),
    }
}

fn object_arg<'b>(func: &str, a: &'b Arg<'_>) -> R<&'b Map<String, Value>> {
    match val(func, a)? {
        Value::Object(m) => Ok(m),
        v => Err(type_error(func, v, "object")),
    }
}

fn numbers(func: &str, a: &[Value]) -> R<Vec<Num>> {
    a.iter()
        .map(|v| match v {
            Value::Number(n) => Ok(num(n)),
            v => Err(subtype_error(func, v, "array-number")),
        })
        .collect()
}

/// An array that is all numbers or all strings (decided by its first
/// element), as `max`, `min` (signature `array-number, array-string`) and
/// `sort` (`array-string, array-number`) require.
fn homogeneous<'b>(func: &str, a: &'b [Value], expected: &str) -> R<&'b [Value]> {
    if let Some(first) = a.first() {
        let want = type_name(first);
        if want != "number" && want != "string" {
            return Err(subtype_error(func, first, expected));
        }
        if let Some(bad) = a.iter().find(|v| type_name(v) != want) {
            return Err(subtype_error(func, bad, expected));
        }
    }
    Ok(a)
}

fn sum(ns: &[Num]) -> Num {
    let mut acc = Num::Int(0);
    for n in ns {
        acc = match (acc, *n) {
            (Num::Int(x), Num::Int(y)) => x
                .checked_add(y)
                .map_or(Num::Float(x as f64 + y as f64), Num::Int),
            (x, y) => Num::Float(num_f64(x) + num_f64(y)),
        };
    }
    acc
}

/// Keys from an expression over each element, all numbers or all strings:
/// `sort_by` (`first_decides`: the first key's type is required of the
/// others; a bad first key names the element, as the library does) and
/// `max_by`/`min_by` (each key a number or a string).
fn keys_by(
    cx: &Cx<'_>,
    func: &str,
    items: &[Value],
    e: &Ast,
    first_decides: bool,
) -> R<Vec<Value>> {
    let mut keys = Vec::with_capacity(items.len());
    let mut want: Option<&'static str> = None;
    for item in items {
        let k = eval(cx, e, item)?;
        let t = type_name(&k);
        if first_decides {
            match want {
                None => {
                    if t != "number" && t != "string" {
                        return Err(type_error_text(func, item, t, "string, number"));
                    }
                    want = Some(t);
                }
                Some(w) if w != t => return Err(type_error_text(func, &k, t, w)),
                _ => {}
            }
        } else if t != "number" && t != "string" {
            return Err(type_error_text(func, &k, t, "number, string"));
        }
        keys.push(k);
    }
    Ok(keys)
}

fn call(cx: &Cx<'_>, name: &str, arg_asts: &[Ast], data: &Value) -> R<Value> {
    let mut args = Vec::with_capacity(arg_asts.len());
    for a in arg_asts {
        args.push(match a {
            Ast::Expref { ast, .. } => Arg::Expref(ast),
            a => Arg::Val(eval(cx, a, data)?),
        });
    }
    match name {
        "map" | "max_by" | "min_by" | "sort_by" => call_with_expref(cx, name, &args),
        _ => builtin(cx, name, &args),
    }
}

/// The functions that take an expression reference (and so recurse).
fn call_with_expref(cx: &Cx<'_>, name: &str, args: &[Arg<'_>]) -> R<Value> {
    let f = name;
    Ok(match name {
        "map" => {
            arity(f, args, 2)?;
            let e = expref(f, &args[0])?;
            let items = array_arg(f, &args[1], "array")?;
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(eval(cx, e, i)?);
            }
            Value::Array(out)
        }
        "sort_by" => {
            arity(f, args, 2)?;
            let items = array_arg(f, &args[0], "array")?;
            let e = expref(f, &args[1])?;
            let keys = keys_by(cx, f, items, e, true)?;
            cx.charge(val(f, &args[0])?)?;
            let mut idx: Vec<usize> = (0..items.len()).collect();
            idx.sort_by(|&x, &y| order("<", &keys[x], &keys[y]).unwrap_or(Ordering::Equal));
            Value::Array(idx.into_iter().map(|i| items[i].clone()).collect())
        }
        _ => {
            arity(f, args, 2)?;
            let items = array_arg(f, &args[0], "array")?;
            let e = expref(f, &args[1])?;
            let keys = keys_by(cx, f, items, e, false)?;
            let mut best: Option<usize> = None;
            for i in 0..items.len() {
                best = Some(match best {
                    None => i,
                    Some(b) => {
                        let op = if name == "max_by" { ">" } else { "<" };
                        let o = order(op, &keys[i], &keys[b])?;
                        if (name == "max_by" && o == Ordering::Greater)
                            || (name == "min_by" && o == Ordering::Less)
                        {
                            i
                        } else {
                            b
                        }
                    }
                });
            }
            match best {
                Some(i) => cx.copy(&items[i])?,
                None => Value::Null,
            }
        }
    })
}

/// The functions whose arguments are all values.
fn builtin(cx: &Cx<'_>, name: &str, args: &[Arg<'_>]) -> R<Value> {
    let f = name;
    Ok(match name {
        "abs" => {
            arity(f, args, 1)?;
            match number_arg(f, &args[0])? {
                Num::Int(i) => num_value(Num::Int(i.abs())),
                Num::Float(x) => num_value(Num::Float(x.abs())),
            }
        }
        "avg" => {
            arity(f, args, 1)?;
            let ns = numbers(f, array_arg(f, &args[0], "array-number")?)?;
            if ns.is_empty() {
                Value::Null
            } else {
                num_value(Num::Float(num_f64(sum(&ns)) / ns.len() as f64))
            }
        }
        "ceil" | "floor" => {
            arity(f, args, 1)?;
            match number_arg(f, &args[0])? {
                Num::Int(i) => num_value(Num::Int(i)),
                Num::Float(x) => {
                    let r = if name == "ceil" { x.ceil() } else { x.floor() };
                    num_value(Num::Int(r as i128))
                }
            }
        }
        "contains" => {
            arity(f, args, 2)?;
            let search = val(f, &args[1])?;
            match val(f, &args[0])? {
                Value::Array(a) => Value::Bool(a.iter().any(|e| py_eq(e, search))),
                Value::String(s) => match search {
                    Value::String(sub) => Value::Bool(s.contains(sub.as_str())),
                    // Python's own TypeError, which the library lets through.
                    other => {
                        return Err(format!(
                            "'in <string>' requires string as left operand, not {}",
                            python_type(other)
                        ))
                    }
                },
                v => return Err(type_error(f, v, "array, string")),
            }
        }
        "ends_with" | "starts_with" => {
            arity(f, args, 2)?;
            let s = string_arg(f, &args[0])?;
            let p = string_arg(f, &args[1])?;
            Value::Bool(if name == "ends_with" {
                s.ends_with(p)
            } else {
                s.starts_with(p)
            })
        }
        "join" => {
            arity(f, args, 2)?;
            let sep = string_arg(f, &args[0])?;
            let parts = array_arg(f, &args[1], "array-string")?
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.as_str()),
                    v => Err(subtype_error(f, v, "array-string")),
                })
                .collect::<R<Vec<_>>>()?;
            let len = parts.iter().map(|p| p.len() + sep.len()).sum::<usize>();
            cx.spend(len as u64)?;
            Value::String(parts.join(sep))
        }
        "keys" => {
            arity(f, args, 1)?;
            let m = object_arg(f, &args[0])?;
            cx.built(Value::Array(m.keys().cloned().map(Value::String).collect()))?
        }
        "values" => {
            arity(f, args, 1)?;
            let m = object_arg(f, &args[0])?;
            cx.charge(val(f, &args[0])?)?;
            Value::Array(m.values().cloned().collect())
        }
        "length" => {
            arity(f, args, 1)?;
            Value::from(match val(f, &args[0])? {
                Value::String(s) => s.chars().count(),
                Value::Array(a) => a.len(),
                Value::Object(m) => m.len(),
                v => return Err(type_error(f, v, "string, array, object")),
            })
        }
        "max" | "min" => {
            arity(f, args, 1)?;
            let a = array_arg(f, &args[0], "array-number, array-string")?;
            let a = homogeneous(f, a, "array-number, array-string")?;
            let mut best: Option<&Value> = None;
            for v in a {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let o = order(if name == "max" { ">" } else { "<" }, v, b)?;
                        if (name == "max" && o == Ordering::Greater)
                            || (name == "min" && o == Ordering::Less)
                        {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            match best {
                Some(b) => cx.copy(b)?,
                None => Value::Null,
            }
        }
        "merge" => {
            if args.is_empty() {
                return Err("Expected at least 1 argument for function merge(), received 0".into());
            }
            let mut m = Map::new();
            for a in args {
                let o = object_arg(f, a)?;
                cx.charge(val(f, a)?)?;
                for (k, v) in o {
                    m.insert(k.clone(), v.clone());
                }
            }
            Value::Object(m)
        }
        "not_null" => {
            if args.is_empty() {
                return Err(
                    "Expected at least 1 argument for function not_null(), received 0".into(),
                );
            }
            let mut found = Value::Null;
            for a in args {
                let v = val(f, a)?;
                if !v.is_null() {
                    found = cx.copy(v)?;
                    break;
                }
            }
            found
        }
        "reverse" => {
            arity(f, args, 1)?;
            let v = val(f, &args[0])?;
            match v {
                Value::String(s) => cx.built(Value::String(s.chars().rev().collect()))?,
                Value::Array(a) => {
                    cx.charge(v)?;
                    Value::Array(a.iter().rev().cloned().collect())
                }
                v => return Err(type_error(f, v, "array, string")),
            }
        }
        "sort" => {
            arity(f, args, 1)?;
            cx.charge(val(f, &args[0])?)?;
            let a = array_arg(f, &args[0], "array-string, array-number")?;
            let mut a = homogeneous(f, a, "array-string, array-number")?.to_vec();
            a.sort_by(|x, y| order("<", x, y).unwrap_or(Ordering::Equal));
            Value::Array(a)
        }
        "sum" => {
            arity(f, args, 1)?;
            num_value(sum(&numbers(f, array_arg(f, &args[0], "array-number")?)?))
        }
        "to_array" => {
            arity(f, args, 1)?;
            let v = val(f, &args[0])?;
            cx.charge(v)?;
            match v {
                Value::Array(a) => Value::Array(a.clone()),
                v => Value::Array(vec![v.clone()]),
            }
        }
        "to_string" => {
            arity(f, args, 1)?;
            let v = val(f, &args[0])?;
            cx.charge(v)?;
            match v {
                Value::String(s) => Value::String(s.clone()),
                v => Value::String(ascii_json(v, ",", ":")),
            }
        }
        "to_number" => {
            arity(f, args, 1)?;
            match val(f, &args[0])? {
                Value::Number(n) => Value::Number(n.clone()),
                Value::String(s) => parse_py_number(s),
                _ => Value::Null,
            }
        }
        "type" => {
            arity(f, args, 1)?;
            Value::String(type_name(val(f, &args[0])?).into())
        }
        other => return Err(format!("Unknown function: {other}()")),
    })
}

/// Python's `int(s)`, else `float(s)`, else `None` (for `to_number`).
fn parse_py_number(s: &str) -> Value {
    let t = s.trim();
    let plain = t.strip_prefix(['+', '-']).unwrap_or(t);
    let digits_ok = |p: &str| {
        !p.is_empty()
            && !p.starts_with('_')
            && !p.ends_with('_')
            && !p.contains("__")
            && p.chars().all(|c| c.is_ascii_digit() || c == '_')
    };
    if digits_ok(plain) {
        let cleaned: String = t.chars().filter(|c| *c != '_').collect();
        if let Ok(i) = cleaned.parse::<i128>() {
            return num_value(Num::Int(i));
        }
    }
    let lower = plain.to_ascii_lowercase();
    if ["inf", "infinity", "nan"].contains(&lower.as_str()) {
        // Python gives inf/nan, which JSON cannot hold.
        return Value::Null;
    }
    let float_chars = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    };
    if float_chars(plain) {
        if let Ok(f) = t.parse::<f64>() {
            return num_value(Num::Float(f));
        }
    }
    Value::Null
}

/// Python's `json.dumps(v, separators=(item_sep, key_sep))` with
/// `ensure_ascii=True` (the default): `(",", ":")` is JMESPath's
/// `to_string`, `(", ", ": ")` plain `json.dumps` (botocore's pagination
/// tokens).
pub(crate) fn ascii_json(v: &Value, item_sep: &str, key_sep: &str) -> String {
    let mut out = String::new();
    fn go(v: &Value, out: &mut String, seps: (&str, &str)) {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => match num(n) {
                Num::Float(f) => out.push_str(&float_repr(f)),
                Num::Int(i) => out.push_str(&i.to_string()),
            },
            Value::String(s) => super::json::write_escaped(s, out, true),
            Value::Array(a) => {
                out.push('[');
                for (i, e) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(seps.0);
                    }
                    go(e, out, seps);
                }
                out.push(']');
            }
            Value::Object(m) => {
                out.push('{');
                for (i, (k, e)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(seps.0);
                    }
                    go(&Value::String(k.clone()), out, seps);
                    out.push_str(seps.1);
                    go(e, out, seps);
                }
                out.push('}');
            }
        }
    }
    go(v, &mut out, (item_sep, key_sep));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(v: &Value, e: &str) -> Value {
        apply_query(v, e).unwrap()
    }

    #[test]
    fn keeps_key_order_and_number_kinds() {
        let v = json!({"Items": [{"z": 1, "a": 2.5}, {"z": 3, "a": 4}]});
        let r = q(&v, "Items[].{Z: z, A: a}");
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"[{"Z":1,"A":2.5},{"Z":3,"A":4}]"#
        );
        assert_eq!(q(&v, "sum(Items[].z)"), json!(4));
        assert_eq!(q(&v, "avg(Items[].z)"), json!(2.0));
        assert_eq!(q(&v, "keys(Items[0])"), json!(["z", "a"]));
        assert_eq!(q(&v, "to_string(Items[0])"), json!(r#"{"z":1,"a":2.5}"#));
        assert_eq!(q(&json!("é"), "to_string(@)"), json!("é"));
        assert_eq!(q(&json!(["é"]), "to_string(@)"), json!("[\"\\u00e9\"]"));
    }

    #[test]
    fn literals_keep_their_key_order() {
        let r = q(&json!({}), "`{\"b\": 1, \"a\": [2.0, \"x\"]}`");
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"b":1,"a":[2.0,"x"]}"#
        );
        assert_eq!(q(&json!({}), "`Name`"), json!("Name"));
    }

    #[test]
    fn explosive_queries_stop_at_the_budget() {
        // Each stage doubles the value: 22 stages would be 4 million copies.
        let q = format!("@{}", " | [@,@]".repeat(22));
        let e = apply_query(&json!({"a": "x".repeat(100)}), &q).unwrap_err();
        assert!(
            matches!(&e, RenderError::QueryFailed { message, .. } if message.contains("MB of work")),
            "{e}"
        );
        // The same with the functions that copy: sort, reverse, to_array, values.
        for q in [
            format!("@{}", " | [sort(@), reverse(@)]".repeat(30)),
            format!("@{}", " | to_array(@) | [@, @, @]".repeat(20)),
            format!("@{}", " | {{a: @, b: @}} | values(@)".repeat(30)),
            format!("@{}", " | [to_string(@), to_string(@)]".repeat(30)),
        ] {
            assert!(apply_query(&json!(["b", "a"]), &q).is_err(), "{q}");
        }
        // A small budget stops a query that a default one runs.
        let big = json!({"Items": (0..20_000).map(|i| json!({"k": i, "v": "y".repeat(20)})).collect::<Vec<_>>()});
        assert!(apply_query_with_budget(&big, "Items[*].v", 1 << 20).is_err());
        let r = apply_query(&big, "sort_by(Items, &k)[-1].k").unwrap();
        assert_eq!(r, json!(19_999));
        assert_eq!(
            apply_query(&big, "length(Items[*].[k, v, k])").unwrap(),
            json!(20_000)
        );
    }

    /// Every worst shape the depth limit admits evaluates (with this
    /// evaluator) on a 1 MiB stack, half of a tokio worker's, in this debug build.
    #[test]
    fn the_evaluator_fits_a_small_stack_at_the_depth_limit() {
        let worker = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let data = json!({"a": [{"a": [1, 2]}], "b": -1});
                let mut ran = 0;
                for n in (1..=aws_mcp_core::query::MAX_QUERY_DEPTH).rev().step_by(3) {
                    for q in [
                        format!("{}a{}", "[".repeat(n), "]".repeat(n)),
                        format!("{}a", "!".repeat(n)),
                        format!("{}a{}", "(".repeat(n), ")".repeat(n)),
                        format!("{}a{}", "{a:".repeat(n), "}".repeat(n)),
                        format!("a{}", ".a".repeat(n)),
                        format!("a{}", " | a".repeat(n)),
                        format!("a{}", " || b".repeat(n)),
                        format!("a{}", "[*].a".repeat(n)),
                        format!("a{}", "[?a].a".repeat(n)),
                        format!("a{}", "[]".repeat(n)),
                        format!("{}b{}", "abs(".repeat(n), ")".repeat(n)),
                        format!("{}@{}", "map(&".repeat(n), ", a)".repeat(n)),
                        format!("{}@{}", "sort_by(a, &".repeat(n), ")".repeat(n)),
                    ] {
                        if aws_mcp_core::query::check_depth(&q).is_ok() {
                            let _ = apply_query(&data, &q);
                            ran += 1;
                        }
                    }
                }
                ran
            })
            .expect("thread");
        let ran = worker.join().expect("no stack overflow");
        assert!(ran > 200, "{ran}");
    }

    #[test]
    fn errors_echo_at_most_200_characters_of_the_query() {
        let q = format!("{}(", "a.".repeat(300));
        let e = apply_query(&json!({}), &q).unwrap_err().to_string();
        assert!(e.len() < 600 && e.contains("bytes in all"), "{e}");
    }

    #[test]
    fn python_semantics() {
        assert_eq!(q(&json!({"a": 0}), "!a"), json!(false));
        assert_eq!(q(&json!({"a": 1}), "a == `true`"), json!(false));
        assert_eq!(q(&json!([1, 2, 3, 4]), "[::-2]"), json!([4, 2]));
        assert_eq!(q(&json!({"a": "b"}), "a < `true`"), json!(null));
        assert!(apply_query(&json!({"a": "b", "n": 1}), "a < n").is_err());
        assert_eq!(q(&json!(null), "to_number('12')"), json!(12));
        assert_eq!(q(&json!(null), "to_number('1.5')"), json!(1.5));
        assert!(matches!(
            apply_query(&json!({}), "nope(@)"),
            Err(RenderError::QueryFailed { .. })
        ));
        assert_eq!(
            q(
                &json!({"Tags": [{"Key": "Name", "Value": "x"}]}),
                "Tags[?Key==`Name`].Value | [0]"
            ),
            json!("x")
        );
    }
}
