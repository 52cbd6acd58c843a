//! Pagination as the AWS CLI does it: fetch pages, merge them into one
//! result, stop at `--max-items` and hand back a resume token.
//!
//! ## Design
//!
//! * Pure: a [`Pages`] value is a small state machine. The executor asks it
//!   for the next request's token parameters ([`Pages::next_request`]), sends
//!   the request, and feeds the parsed page back ([`Pages::add_page`]);
//!   [`Pages::finish`] returns the merged result. No I/O here.
//! * The behaviour is botocore's `PageIterator` + `build_full_result`, which
//!   is what `aws ... --output json` prints: result keys are concatenated
//!   over pages (numbers and strings added), the paginator's
//!   `non_aggregate_keys` come from the first page, and when `--max-items`
//!   cuts a page the result carries `NextToken`: base64 of the JSON
//!   `{"<input token>": ..., "boto_truncate_amount": N}` exactly as botocore
//!   encodes it, so a token from the AWS CLI resumes here and the reverse.
//! * Guarded: a service that returns the same token twice stops the loop
//!   with an error instead of spinning; [`MAX_PAGES`] bounds the walk, and
//!   [`Pages::limit_memory`] bounds what it holds (an executor ties it to its
//!   output cap: a hostile endpoint answering `--max-items 100000000` with
//!   endless pages is stopped long before memory runs out).

use base64::Engine as _;
use serde_json::{Map, Value};

use aws_mcp_core::catalog::Paginator;

use crate::render::query::truthy;

/// The most pages one command fetches (a guard against runaway loops; the
/// byte cap on output usually stops much earlier).
pub const MAX_PAGES: usize = 10_000;

/// What the command asked for (`PaginationConfig`: `--max-items`,
/// `--page-size`, `--starting-token`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageRequest {
    /// Stop after this many items of the primary result key.
    pub max_items: Option<u64>,
    /// Ask the service for pages of this size (the paginator's limit key).
    pub page_size: Option<u64>,
    /// Resume from a token printed by an earlier call.
    pub starting_token: Option<String>,
}

impl PageRequest {
    /// Read `PaginationConfig` (as the validator builds it) from API
    /// parameters, removing it from them.
    ///
    /// # Errors
    /// [`PaginateError::BadConfig`] for a non-numeric `MaxItems` or `PageSize`.
    pub fn take_from(params: &mut Map<String, Value>) -> Result<PageRequest, PaginateError> {
        let Some(cfg) = params.remove("PaginationConfig") else {
            return Ok(PageRequest::default());
        };
        let num = |key: &str| -> Result<Option<u64>, PaginateError> {
            match cfg.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| bad_number(key)),
                Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad_number(key)),
                Some(_) => Err(bad_number(key)),
            }
        };
        Ok(PageRequest {
            max_items: num("MaxItems")?,
            page_size: num("PageSize")?,
            starting_token: cfg
                .get("StartingToken")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

fn bad_number(key: &str) -> PaginateError {
    PaginateError::BadConfig(format!("{key} must be a positive integer"))
}

/// Why pagination failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginateError {
    /// `--starting-token` is not a token this CLI (or the AWS CLI) printed.
    #[error("--starting-token is not a valid pagination token: {0}")]
    BadToken(String),
    /// `PaginationConfig` holds a bad value.
    #[error("bad pagination setting: {0}")]
    BadConfig(String),
    /// The paginator's expressions do not compile.
    #[error("the paginator expression {expr:?} is invalid: {detail}")]
    BadExpression {
        /// The expression.
        expr: String,
        /// The JMESPath error.
        detail: String,
    },
    /// The service returned the same continuation token twice.
    #[error("the service returned the same continuation token twice ({0}); stopping")]
    RepeatedToken(String),
    /// More than [`MAX_PAGES`] pages.
    #[error("more than {MAX_PAGES} pages; narrow the request or use --max-items")]
    TooManyPages,
    /// The pages collected hold more than [`Pages::limit_memory`] allows.
    #[error("stopped after {pages} pages: the results collected take more than {limit_mb} MB, far more than the output can show; ask for fewer items (--max-items N, then --starting-token with the NextToken printed), filter on the service side, or select less with --query")]
    TooLarge {
        /// Pages read.
        pages: usize,
        /// The limit in MB.
        limit_mb: u64,
    },
}

/// A paginator expression, read once when the walk starts.
///
/// Every `result_key`, `more_results` and `non_aggregate_keys` of botocore's
/// paginators is a plain dotted path (`Contents`, `ResultSet.ResultRows`):
/// those are looked up in place, without copying the page. The few output
/// tokens that are real JMESPath (`NextMarker || Contents[-1].Key`) are
/// evaluated with the `jmespath` crate on the one page they read.
#[derive(Debug, Clone)]
enum Expr {
    /// `a.b.c`.
    Path(Vec<String>),
    /// Any other expression (checked once; compiled per use, because the
    /// crate's compiled form is not `Send`).
    Jmes(String),
}

impl Expr {
    fn new(expr: &str) -> Result<Expr, PaginateError> {
        let is_ident = |p: &str| {
            let mut c = p.chars();
            c.next()
                .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
        };
        if expr.split('.').all(is_ident) {
            return Ok(Expr::Path(expr.split('.').map(str::to_string).collect()));
        }
        compile(expr)?;
        Ok(Expr::Jmes(expr.to_string()))
    }

    /// The value at this expression (a copy only for JMESPath expressions).
    fn eval<'v>(&self, v: &'v Value) -> Result<std::borrow::Cow<'v, Value>, PaginateError> {
        match self {
            Expr::Path(p) => Ok(std::borrow::Cow::Borrowed(get_path(v, p).unwrap_or(&NULL))),
            Expr::Jmes(e) => search(e, v).map(std::borrow::Cow::Owned),
        }
    }

    fn path(&self) -> Option<&[String]> {
        match self {
            Expr::Path(p) => Some(p),
            Expr::Jmes(_) => None,
        }
    }
}

static NULL: Value = Value::Null;

fn get_path<'v>(v: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| v.as_object()?.get(k))
}

fn get_path_mut<'v>(v: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(v, |v, k| v.as_object_mut()?.get_mut(k))
}

/// The slot at `path` in `m`, creating objects on the way (botocore's
/// `set_value_from_jmespath`); `Null` when new, `None` for an empty path.
fn slot_mut<'m>(m: &'m mut Map<String, Value>, path: &[String]) -> Option<&'m mut Value> {
    let (first, rest) = path.split_first()?;
    let slot = m.entry(first.clone()).or_insert(Value::Null);
    if rest.is_empty() {
        return Some(slot);
    }
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot_mut(slot.as_object_mut()?, rest)
}

/// One paginated walk (see the module docs).
#[derive(Debug)]
pub struct Pages<'a> {
    paginator: &'a Paginator,
    result_keys: Vec<Expr>,
    output_tokens: Vec<Expr>,
    more_results: Option<Expr>,
    non_aggregate_keys: Vec<Expr>,
    max_items: Option<u64>,
    page_size: Option<u64>,
    /// Token values for the next request, by input token name.
    next: Map<String, Value>,
    previous: Option<Map<String, Value>>,
    starting_truncation: u64,
    /// `--starting-token` was given (botocore then empties the secondary
    /// result keys of the first page, whatever the truncation).
    resumed: bool,
    total_items: u64,
    pages: usize,
    first: bool,
    done: bool,
    result: Map<String, Value>,
    non_aggregate: Map<String, Value>,
    resume: Option<Map<String, Value>>,
    kept: Option<Vec<Value>>,
    /// Approximate bytes held (merged results and kept pages), and the limit.
    held: u64,
    memory_limit: Option<u64>,
}

impl<'a> Pages<'a> {
    /// Start a walk.
    ///
    /// # Errors
    /// [`PaginateError::BadToken`] for a `--starting-token` this CLI did not
    /// print; [`PaginateError::BadExpression`] for a paginator the catalog
    /// describes wrongly.
    pub fn new(paginator: &'a Paginator, req: &PageRequest) -> Result<Pages<'a>, PaginateError> {
        let mut next = Map::new();
        for t in &paginator.input_token {
            next.insert(t.clone(), Value::Null);
        }
        let mut starting_truncation = 0;
        if let Some(tok) = &req.starting_token {
            let (tokens, trunc) = decode_token(tok, &paginator.input_token)?;
            next = tokens;
            starting_truncation = trunc;
        }
        let exprs = |v: &[String]| {
            v.iter()
                .map(|e| Expr::new(e))
                .collect::<Result<Vec<_>, _>>()
        };
        let result_keys = exprs(&paginator.result_key)?;
        if let Some(bad) = paginator
            .result_key
            .iter()
            .zip(&result_keys)
            .find(|(_, e)| e.path().is_none())
        {
            return Err(PaginateError::BadExpression {
                expr: bad.0.clone(),
                detail: "a result key must be a dotted path".into(),
            });
        }
        Ok(Pages {
            paginator,
            result_keys,
            output_tokens: exprs(&paginator.output_token)?,
            more_results: paginator
                .more_results
                .as_deref()
                .map(Expr::new)
                .transpose()?,
            non_aggregate_keys: exprs(&paginator.non_aggregate_keys)?,
            max_items: req.max_items,
            page_size: req.page_size,
            next,
            previous: None,
            starting_truncation,
            resumed: req.starting_token.is_some(),
            total_items: 0,
            pages: 0,
            first: true,
            done: false,
            result: Map::new(),
            non_aggregate: Map::new(),
            resume: None,
            kept: None,
            held: 0,
            memory_limit: None,
        })
    }

    /// Stop with [`PaginateError::TooLarge`] once the pages held take more
    /// than about `bytes` of memory ([`crate::render::approx_size`]); the
    /// first page is always taken (its size is bounded by the response
    /// size limit of the executor).
    pub fn limit_memory(&mut self, bytes: u64) {
        self.memory_limit = Some(bytes);
    }

    /// Keep every page as yielded (after any `--max-items` cut), for output
    /// formats printed page by page (`--output text`); see [`Pages::finish_pages`].
    pub fn keep_pages(&mut self) {
        self.kept.get_or_insert_with(Vec::new);
    }

    /// The merged result and the pages kept (empty unless [`Pages::keep_pages`]).
    pub fn finish_pages(mut self) -> (Value, Vec<Value>) {
        let kept = self.kept.take().unwrap_or_default();
        (self.finish(), kept)
    }

    /// The parameters to add to the next request (continuation tokens and
    /// the page size), or `None` when the walk is over.
    pub fn next_request(&self) -> Option<Map<String, Value>> {
        if self.done {
            return None;
        }
        let mut p: Map<String, Value> = self
            .next
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let (Some(limit), Some(size)) = (&self.paginator.limit_key, self.page_size) {
            p.insert(limit.clone(), Value::from(size));
        }
        Some(p)
    }

    /// The primary result key's path.
    fn primary(&self) -> Option<&[String]> {
        self.result_keys.first().and_then(Expr::path)
    }

    /// Feed one parsed page; returns whether another page is wanted.
    ///
    /// Linear in the page: the page's results are moved (not copied) into
    /// the merged result, and the merged result is never searched again.
    ///
    /// # Errors
    /// [`PaginateError::TooManyPages`], [`PaginateError::RepeatedToken`] (the
    /// service returned the same token twice), or a paginator expression that
    /// does not evaluate.
    pub fn add_page(&mut self, mut page: Value) -> Result<bool, PaginateError> {
        if self.done {
            return Ok(false);
        }
        self.pages += 1;
        if self.pages > MAX_PAGES {
            return Err(PaginateError::TooManyPages);
        }
        if let Some(limit) = self.memory_limit {
            let copies = if self.kept.is_some() { 2 } else { 1 };
            let size = crate::render::approx_size(&page, limit.saturating_add(1));
            self.held = self.held.saturating_add(size.saturating_mul(copies));
            // One page is bounded by the response size limit; the bound is
            // on what pages add up to.
            if self.held > limit && self.pages > 1 {
                return Err(PaginateError::TooLarge {
                    pages: self.pages,
                    limit_mb: (limit >> 20).max(1),
                });
            }
        }
        let primary = self.primary().map(<[String]>::to_vec);
        if self.first {
            self.first = false;
            // botocore's `_handle_first_request`, run whenever a starting
            // token was given.
            if self.resumed {
                if let Some(pk) = &primary {
                    let skip = self.starting_truncation as usize;
                    match get_path_mut(&mut page, pk) {
                        Some(Value::Array(a)) => {
                            a.drain(..skip.min(a.len()));
                        }
                        Some(Value::String(s)) => *s = s.chars().skip(skip).collect(),
                        Some(v) => *v = Value::Null,
                        None => {}
                    }
                    self.empty_secondary(&mut page);
                }
            }
            for k in &self.non_aggregate_keys {
                let v = k.eval(&page)?.into_owned();
                if let Some(slot) = k.path().and_then(|p| slot_mut(&mut self.non_aggregate, p)) {
                    *slot = v;
                }
            }
        }
        let count = match primary.as_deref().and_then(|pk| get_path(&page, pk)) {
            Some(Value::Array(a)) => a.len() as u64,
            Some(Value::String(s)) => s.chars().count() as u64,
            _ => 0,
        };
        if let (Some(max), Some(pk)) = (self.max_items, &primary) {
            let over = (self.total_items + count).saturating_sub(max);
            if over > 0 {
                // Cut this page and resume inside it next time (botocore's
                // `_truncate_response`: only the primary key is cut).
                let keep = count - over;
                if let Some(Value::Array(a)) = get_path_mut(&mut page, pk) {
                    a.truncate(keep as usize);
                }
                let mut tok = self.next.clone();
                tok.insert(
                    "boto_truncate_amount".into(),
                    Value::from(keep + self.starting_truncation),
                );
                self.resume = Some(tok);
                self.absorb(page);
                self.done = true;
                return Ok(false);
            }
        }
        let next = self.next_token(&page)?;
        self.absorb(page);
        self.total_items += count;
        if next.values().all(Value::is_null) {
            self.done = true;
            return Ok(false);
        }
        if self.max_items == Some(self.total_items) {
            self.resume = Some(next);
            self.done = true;
            return Ok(false);
        }
        if self.previous.as_ref() == Some(&next) {
            return Err(PaginateError::RepeatedToken(
                serde_json::to_string(&next).unwrap_or_default(),
            ));
        }
        self.previous = Some(next.clone());
        self.next = next;
        self.starting_truncation = 0;
        Ok(true)
    }

    /// The merged result, with `NextToken` when the walk stopped early.
    pub fn finish(self) -> Value {
        let mut out = self.result;
        merge_dicts(&mut out, self.non_aggregate);
        if let Some(tok) = self.resume {
            out.insert("NextToken".into(), Value::String(encode_token(&tok)));
        }
        Value::Object(out)
    }

    /// botocore's first-page handling of a starting token: secondary result
    /// keys are emptied (their totals were already reported).
    fn empty_secondary(&self, page: &mut Value) {
        for k in self.result_keys.iter().skip(1).filter_map(Expr::path) {
            if let Some(v) = get_path_mut(page, k) {
                *v = match v {
                    Value::Array(_) => Value::Array(Vec::new()),
                    Value::String(_) => Value::String(String::new()),
                    Value::Number(_) => Value::from(0),
                    _ => Value::Null,
                };
            }
        }
    }

    /// Merge a page's results into the whole, keeping the page when asked.
    fn absorb(&mut self, mut page: Value) {
        let keep = self.kept.is_some();
        for k in self.result_keys.iter().filter_map(Expr::path) {
            let v = match get_path_mut(&mut page, k) {
                Some(v) if !v.is_null() => {
                    if keep {
                        v.clone()
                    } else {
                        std::mem::take(v)
                    }
                }
                _ => continue,
            };
            let Some(slot) = slot_mut(&mut self.result, k) else {
                continue;
            };
            match (slot, v) {
                (slot @ Value::Null, v) => *slot = v,
                (Value::Array(a), Value::Array(b)) => a.extend(b),
                (Value::String(a), Value::String(b)) => a.push_str(&b),
                (slot @ Value::Number(_), Value::Number(b)) => {
                    let Value::Number(a) = &*slot else { continue };
                    *slot = match (a.as_i64(), b.as_i64()) {
                        (Some(x), Some(y)) => Value::from(x.saturating_add(y)),
                        _ => Value::from(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0)),
                    };
                }
                _ => {}
            }
        }
        if let Some(k) = &mut self.kept {
            k.push(page);
        }
    }

    fn next_token(&self, page: &Value) -> Result<Map<String, Value>, PaginateError> {
        let mut out = Map::new();
        if let Some(more) = &self.more_results {
            if !truthy(more.eval(page)?.as_ref()) {
                return Ok(out);
            }
        }
        for (name, expr) in self.paginator.input_token.iter().zip(&self.output_tokens) {
            let v = match expr.eval(page)?.into_owned() {
                Value::String(s) if s.is_empty() => Value::Null,
                v => v,
            };
            out.insert(name.clone(), v);
        }
        Ok(out)
    }
}

fn compile(expr: &str) -> Result<jmespath::Expression<'static>, PaginateError> {
    aws_mcp_core::query::compile(expr).map_err(|e| PaginateError::BadExpression {
        expr: expr.to_string(),
        detail: e.to_string(),
    })
}

/// A paginator expression's value, by the renderer's interpreter (Python's
/// semantics): object keys keep the service's order and integers stay
/// integers, as in botocore's merged result (the `jmespath` crate's own
/// interpreter sorts keys and makes every number a float).
fn search(expr: &str, v: &Value) -> Result<Value, PaginateError> {
    crate::render::apply_query(v, expr).map_err(|err| PaginateError::BadExpression {
        expr: expr.to_string(),
        detail: err.to_string(),
    })
}

/// botocore's `merge_dicts`: `extra` into `base`, recursing into objects.
fn merge_dicts(base: &mut Map<String, Value>, extra: Map<String, Value>) {
    for (k, v) in extra {
        match (base.get_mut(&k), v) {
            (Some(Value::Object(b)), Value::Object(e)) => merge_dicts(b, e),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Encode a resume token as botocore does: `json.dumps` then base64.
pub fn encode_token(tok: &Map<String, Value>) -> String {
    let text = crate::render::query::ascii_json(&Value::Object(tok.clone()), ", ", ": ");
    base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
}

/// Decode a starting token: the tokens by input name and the truncation.
fn decode_token(tok: &str, inputs: &[String]) -> Result<(Map<String, Value>, u64), PaginateError> {
    let json = base64::engine::general_purpose::STANDARD
        .decode(tok.trim())
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let mut map = match json {
        Some(Value::Object(m)) => m,
        _ => {
            // botocore's legacy format: "token___N" (one input token).
            let (t, n) = match tok.rsplit_once("___") {
                Some((t, n)) => (t, n.parse::<u64>().map_err(|_| bad_token(tok))?),
                None => (tok, 0),
            };
            if inputs.len() != 1 || t.is_empty() {
                return Err(bad_token(tok));
            }
            let mut m = Map::new();
            m.insert(inputs[0].clone(), Value::String(t.to_string()));
            return Ok((m, n));
        }
    };
    let trunc = match map.remove("boto_truncate_amount") {
        None => 0,
        Some(v) => v.as_u64().ok_or_else(|| bad_token(tok))?,
    };
    if map.keys().any(|k| !inputs.contains(k)) {
        return Err(bad_token(tok));
    }
    let mut out = Map::new();
    for i in inputs {
        out.insert(i.clone(), map.remove(i).unwrap_or(Value::Null));
    }
    Ok((out, trunc))
}

fn bad_token(tok: &str) -> PaginateError {
    let shown: String = tok.chars().take(40).collect();
    PaginateError::BadToken(format!(
        "{shown:?} does not decode to this operation's token"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pg(v: Value) -> Paginator {
        serde_json::from_value(v).unwrap()
    }

    fn walk(
        p: &Paginator,
        req: PageRequest,
        pages: &[(Option<&str>, Value)],
    ) -> (Value, Vec<Map<String, Value>>) {
        let mut w = Pages::new(p, &req).unwrap();
        let mut sent = Vec::new();
        let by_token: std::collections::HashMap<Option<String>, Value> = pages
            .iter()
            .map(|(t, v)| (t.map(str::to_string), v.clone()))
            .collect();
        while let Some(params) = w.next_request() {
            let tok = params
                .get("NextToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            sent.push(params);
            let page = by_token.get(&tok).cloned().expect("known page");
            if !w.add_page(page).unwrap() {
                break;
            }
        }
        (w.finish(), sent)
    }

    fn basic() -> Paginator {
        pg(
            json!({"input_token": "NextToken", "output_token": "NextToken",
                  "limit_key": "MaxResults", "result_key": "Items"}),
        )
    }

    fn three_pages() -> Vec<(Option<&'static str>, Value)> {
        vec![
            (None, json!({"Items": [1, 2], "NextToken": "a"})),
            (Some("a"), json!({"Items": [3, 4], "NextToken": "b"})),
            (Some("b"), json!({"Items": [5]})),
        ]
    }

    #[test]
    fn kept_pages_are_the_cut_pages() {
        let p = basic();
        let req = PageRequest {
            max_items: Some(3),
            ..Default::default()
        };
        let mut w = Pages::new(&p, &req).unwrap();
        w.keep_pages();
        assert!(w
            .add_page(json!({"Items": [1, 2], "NextToken": "a"}))
            .unwrap());
        assert!(!w
            .add_page(json!({"Items": [3, 4], "NextToken": "b"}))
            .unwrap());
        let (all, pages) = w.finish_pages();
        assert_eq!(all["Items"], json!([1, 2, 3]));
        assert_eq!(
            pages,
            vec![
                json!({"Items": [1, 2], "NextToken": "a"}),
                json!({"Items": [3], "NextToken": "b"})
            ]
        );
    }

    fn scan() -> Paginator {
        pg(
            json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey",
                  "limit_key": "Limit", "result_key": ["Items", "Count", "ScannedCount"],
                  "non_aggregate_keys": ["ConsumedCapacity"]}),
        )
    }

    #[test]
    fn items_keep_their_key_order() {
        // The CLI prints merged pages' objects in the model's order, not sorted.
        let pages = vec![(None, json!({"Items": [{"b": 1, "a": {"z": 1, "y": 2}}]}))];
        let (out, _) = walk(&basic(), PageRequest::default(), &pages);
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"Items":[{"b":1,"a":{"z":1,"y":2}}]}"#
        );
    }

    #[test]
    fn a_max_items_cut_keeps_the_secondary_counts() {
        // botocore's _truncate_response cuts only the primary key: a scan of
        // 5 items with --max-items 2 reports Count 5 and ScannedCount 5.
        let req = PageRequest {
            max_items: Some(2),
            ..Default::default()
        };
        let page = json!({"Items": [1, 2, 3, 4, 5], "Count": 5, "ScannedCount": 5});
        let sc = scan();
        let mut w = Pages::new(&sc, &req).unwrap();
        assert!(!w.add_page(page.clone()).unwrap());
        let out = w.finish();
        assert_eq!(out["Items"], json!([1, 2]));
        assert_eq!(
            (out["Count"].clone(), out["ScannedCount"].clone()),
            (json!(5), json!(5))
        );
        // Resuming empties the secondary keys of the first page (botocore's
        // _handle_first_request), with or without a truncation amount.
        let req = PageRequest {
            starting_token: Some(out["NextToken"].as_str().unwrap().to_string()),
            ..Default::default()
        };
        let mut w = Pages::new(&sc, &req).unwrap();
        w.add_page(page.clone()).unwrap();
        let out = w.finish();
        assert_eq!(out["Items"], json!([3, 4, 5]));
        assert_eq!(
            (out["Count"].clone(), out["ScannedCount"].clone()),
            (json!(0), json!(0))
        );
        let tok = encode_token(&{
            let mut m = Map::new();
            m.insert("ExclusiveStartKey".into(), json!({"id": {"S": "1"}}));
            m
        });
        let req = PageRequest {
            starting_token: Some(tok),
            ..Default::default()
        };
        let mut w = Pages::new(&sc, &req).unwrap();
        w.add_page(page).unwrap();
        let out = w.finish();
        assert_eq!(out["Items"], json!([1, 2, 3, 4, 5]));
        assert_eq!(out["Count"], json!(0));
    }

    /// Issue 19, finding 11: endless pages stop at the memory limit.
    #[test]
    fn endless_pages_stop_at_the_memory_limit() {
        let p = basic();
        let req = PageRequest {
            max_items: Some(100_000_000),
            ..Default::default()
        };
        let mut w = Pages::new(&p, &req).unwrap();
        w.limit_memory(1 << 20);
        let item = "x".repeat(1000);
        let mut pages = 0;
        let err = loop {
            pages += 1;
            let page = json!({"Items": vec![item.as_str(); 100], "NextToken": format!("t{pages}")});
            match w.add_page(page) {
                Ok(true) => continue,
                Ok(false) => panic!("the walk ended"),
                Err(e) => break e,
            }
        };
        assert!(matches!(err, PaginateError::TooLarge { .. }), "{err}");
        assert!(
            (9..=12).contains(&pages),
            "{pages} pages of ~110 KB for 1 MB"
        );
        assert!(err.to_string().contains("--max-items"), "{err}");
    }

    #[test]
    fn merges_every_page() {
        let (out, sent) = walk(&basic(), PageRequest::default(), &three_pages());
        assert_eq!(out, json!({"Items": [1, 2, 3, 4, 5]}));
        assert_eq!(sent.len(), 3);
    }

    #[test]
    fn max_items_cuts_and_resumes_like_botocore() {
        let req = PageRequest {
            max_items: Some(3),
            page_size: Some(2),
            ..Default::default()
        };
        let (out, sent) = walk(&basic(), req, &three_pages());
        assert_eq!(out["Items"], json!([1, 2, 3]));
        assert_eq!(sent[0]["MaxResults"], json!(2));
        let tok = out["NextToken"].as_str().unwrap();
        // botocore's encoding of {"NextToken": "a", "boto_truncate_amount": 1}.
        assert_eq!(
            tok,
            "eyJOZXh0VG9rZW4iOiAiYSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9"
        );
        let req = PageRequest {
            starting_token: Some(tok.into()),
            ..Default::default()
        };
        let (rest, sent) = walk(&basic(), req, &three_pages());
        assert_eq!(rest, json!({"Items": [4, 5]}));
        assert_eq!(sent[0]["NextToken"], json!("a"));
    }

    #[test]
    fn max_items_on_a_page_boundary_gives_the_next_token() {
        let req = PageRequest {
            max_items: Some(2),
            ..Default::default()
        };
        let (out, _) = walk(&basic(), req, &three_pages());
        assert_eq!(out["Items"], json!([1, 2]));
        assert_eq!(
            out["NextToken"],
            json!(encode_token(
                &json!({"NextToken": "a"}).as_object().unwrap().clone()
            ))
        );
    }

    #[test]
    fn more_results_and_non_aggregate_keys() {
        let p = pg(
            json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
            "more_results": "IsTruncated", "result_key": ["Contents", "CommonPrefixes"],
            "non_aggregate_keys": ["Name"]}),
        );
        let mut w = Pages::new(&p, &PageRequest::default()).unwrap();
        assert!(w
            .add_page(json!({"IsTruncated": true, "Name": "b", "Contents": [{"Key": "k1"}]}))
            .unwrap());
        assert_eq!(w.next_request().unwrap()["Marker"], json!("k1"));
        assert!(!w
            .add_page(json!({"IsTruncated": false, "Name": "b", "Contents": [{"Key": "k2"}]}))
            .unwrap());
        assert_eq!(
            w.finish(),
            json!({"Contents": [{"Key": "k1"}, {"Key": "k2"}], "Name": "b"})
        );
    }

    #[test]
    fn merged_items_keep_key_order_and_integers() {
        let p = basic();
        let mut w = Pages::new(&p, &PageRequest::default()).unwrap();
        w.add_page(json!({"Items": [{"Z": 1, "A": 2.5}], "NextToken": "x"}))
            .unwrap();
        w.add_page(json!({"Items": [{"Y": 3, "B": "b"}]})).unwrap();
        let text = serde_json::to_string(&w.finish()).unwrap();
        assert_eq!(text, r#"{"Items":[{"Z":1,"A":2.5},{"Y":3,"B":"b"}]}"#);
    }

    #[test]
    fn repeated_token_stops() {
        let p = basic();
        let mut w = Pages::new(&p, &PageRequest::default()).unwrap();
        assert!(w.add_page(json!({"Items": [1], "NextToken": "x"})).unwrap());
        assert!(matches!(
            w.add_page(json!({"Items": [2], "NextToken": "x"})),
            Err(PaginateError::RepeatedToken(_))
        ));
    }

    #[test]
    fn bad_tokens_and_config_are_errors() {
        for t in ["", "eyJPdGhlciI6ICJ4In0="] {
            let req = PageRequest {
                starting_token: Some(t.into()),
                ..Default::default()
            };
            assert!(
                matches!(Pages::new(&basic(), &req), Err(PaginateError::BadToken(_))),
                "{t}"
            );
        }
        // botocore's legacy forms: "token___N", or the bare token.
        for (t, want) in [("abc___2", "abc"), ("%%%", "%%%")] {
            let legacy = PageRequest {
                starting_token: Some(t.into()),
                ..Default::default()
            };
            let p = basic();
            let w = Pages::new(&p, &legacy).unwrap();
            assert_eq!(w.next_request().unwrap()["NextToken"], json!(want));
        }
        let mut p = json!({"PaginationConfig": {"MaxItems": "x"}})
            .as_object()
            .unwrap()
            .clone();
        assert!(matches!(
            PageRequest::take_from(&mut p),
            Err(PaginateError::BadConfig(_))
        ));
        let mut p = json!({"PaginationConfig": {"MaxItems": 5, "PageSize": "2"}, "A": 1})
            .as_object()
            .unwrap()
            .clone();
        let r = PageRequest::take_from(&mut p).unwrap();
        assert_eq!((r.max_items, r.page_size), (Some(5), Some(2)));
        assert!(!p.contains_key("PaginationConfig"));
    }

    #[test]
    fn merged_items_keep_their_key_order() {
        // Items come back with keys in the service model's order, not sorted.
        let pages = vec![
            (
                None,
                json!({"Items": [{"Zeta": 1, "Alpha": 2}], "NextToken": "a"}),
            ),
            (Some("a"), json!({"Items": [{"Zeta": 3, "Alpha": 4}]})),
        ];
        let (out, _) = walk(&basic(), PageRequest::default(), &pages);
        let text = serde_json::to_string(&out).unwrap();
        assert_eq!(
            text,
            r#"{"Items":[{"Zeta":1,"Alpha":2},{"Zeta":3,"Alpha":4}]}"#
        );
    }

    #[test]
    fn a_max_items_cut_keeps_secondary_totals() {
        // botocore cuts only the primary key (dynamodb scan: Count and
        // ScannedCount stay what the page said).
        let p = pg(
            json!({"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey",
            "limit_key": "Limit", "result_key": ["Items", "Count", "ScannedCount"]}),
        );
        let page = json!({"Items": [1, 2, 3, 4, 5], "Count": 5, "ScannedCount": 5});
        let req = PageRequest {
            max_items: Some(2),
            ..PageRequest::default()
        };
        let mut w = Pages::new(&p, &req).unwrap();
        w.add_page(page).unwrap();
        let out = w.finish();
        assert_eq!(out["Items"], json!([1, 2]));
        assert_eq!(out["Count"], 5);
        assert_eq!(out["ScannedCount"], 5);
        assert!(out["NextToken"].is_string());
    }

    #[test]
    fn dotted_result_keys_and_jmespath_output_tokens() {
        let p = pg(
            json!({"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
            "more_results": "IsTruncated", "result_key": ["Contents", "Deep.Rows"]}),
        );
        let mut w = Pages::new(&p, &PageRequest::default()).unwrap();
        let first = json!({"Contents": [{"Key": "a"}], "Deep": {"Rows": [1]}, "IsTruncated": true});
        assert!(w.add_page(first).unwrap());
        assert_eq!(w.next_request().unwrap()["Marker"], "a");
        let last = json!({"Contents": [{"Key": "b"}], "Deep": {"Rows": [2]}, "IsTruncated": false});
        assert!(!w.add_page(last).unwrap());
        let out = w.finish();
        assert_eq!(out["Contents"], json!([{"Key": "a"}, {"Key": "b"}]));
        assert_eq!(out["Deep"]["Rows"], json!([1, 2]));
        let bad = pg(json!({"input_token": "T", "output_token": "T", "result_key": "Items[0]"}));
        assert!(matches!(
            Pages::new(&bad, &PageRequest::default()),
            Err(PaginateError::BadExpression { .. })
        ));
    }
}
