//! `--query` expressions: the one place a JMESPath expression is read.
//!
//! The validator checks a `--query` with [`parse`], and every renderer that
//! evaluates one (the native executor's output, pagination) starts from the
//! same [`parse`], so what was accepted is exactly what runs; the botocore
//! model's own expressions (paginators, endpoint context parameters) go
//! through [`compile`]. The AWS CLI's Python `jmespath` library still accepts
//! legacy literals that are not JSON (`` `Name` ``); [`legacy_literals`]
//! rewrites them as JSON strings first.
//!
//! ## Bounded depth
//!
//! The `jmespath` crate parses with recursive descent, its syntax tree is
//! dropped recursively, and the evaluator of `aws_mcp_wire::render` walks the
//! tree recursively: a 16 KB `--query` of 8,000 nested `[` (or 10,000 `!`)
//! overflowed the stack and aborted the whole process. The Python library
//! the AWS CLI runs stops the same inputs with "maximum recursion depth
//! exceeded"; here they are refused before the parser sees them.
//!
//! [`nesting_depth`] scans the expression once, without recursion, and
//! returns an upper bound of the depth of its syntax tree (and so of the
//! parser's and the evaluator's recursion): brackets (`[`, `{`, `(`) open a
//! level, and within a level every operator (`.`, `|`, `||`, `&&`, `!`, `&`,
//! comparisons, `*`, `@`, `?`, and the brackets themselves) may add one more,
//! because chains such as `a.b.c` build left-nested trees and projections
//! nest what follows them. Commas separate siblings (multi-select elements,
//! function arguments), which do not add up. Quoted strings, raw strings and
//! literals are skipped (a JSON literal is parsed by `serde_json`, whose own
//! recursion limit applies). An expression whose bound exceeds
//! [`MAX_QUERY_DEPTH`] is refused with [`QueryError::TooDeep`].
//!
//! The bound is conservative (real queries stay far below the limit: the
//! CLI's documented examples reach 15) and cheap (linear, no allocation
//! beyond one small stack of counters).

use std::borrow::Cow;

use jmespath::ast::Ast;

/// The deepest expression accepted, as measured by [`nesting_depth`].
///
/// Real queries stay far below it (the deepest of the AWS CLI's documented
/// examples measures 15). At this depth the parser, the evaluator and the
/// tree's destructor need at most about 640 KiB of stack in a debug build
/// (the crate's parser takes about 10 KiB a level there) and much less in a
/// release build; the test below runs every worst shape the limit admits on
/// a 1 MiB stack, half of a tokio worker thread's.
pub const MAX_QUERY_DEPTH: usize = 128;

/// Why an expression was not compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The expression nests deeper than [`MAX_QUERY_DEPTH`].
    #[error("the expression nests too deeply (about {depth} levels; at most {max} are accepted, where the AWS CLI fails with \"maximum recursion depth exceeded\"); simplify it, for example by splitting it into a shorter --query and selecting the rest yourself")]
    TooDeep {
        /// The measured depth.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// The expression is not valid JMESPath.
    #[error("{0}")]
    Syntax(String),
}

/// An upper bound of the syntax tree depth of `expr` (see the module docs).
pub fn nesting_depth(expr: &str) -> usize {
    #[derive(Default, Clone, Copy)]
    struct Level {
        /// Operators in the current comma-separated segment.
        ops: usize,
        /// The deepest closed sub-level in the current segment.
        child: usize,
        /// The deepest finished segment.
        best: usize,
    }
    impl Level {
        fn depth(&self) -> usize {
            self.best.max(self.ops + self.child) + 1
        }
    }
    let b = expr.as_bytes();
    let mut stack: Vec<Level> = vec![Level::default()];
    let mut i = 0usize;
    // Close the innermost level into its parent.
    fn close(stack: &mut Vec<Level>) {
        if stack.len() > 1 {
            if let Some(done) = stack.pop() {
                let d = done.depth();
                if let Some(top) = stack.last_mut() {
                    top.child = top.child.max(d);
                }
            }
        }
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' => {
                // Skip a raw string, quoted identifier or literal (with escapes).
                i += 1;
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                    } else if b[i] == c {
                        break;
                    } else {
                        i += 1;
                    }
                }
            }
            b'[' | b'{' | b'(' => {
                if let Some(top) = stack.last_mut() {
                    top.ops += 1;
                }
                stack.push(Level::default());
            }
            b']' | b'}' | b')' => close(&mut stack),
            b',' => {
                if let Some(top) = stack.last_mut() {
                    top.best = top.best.max(top.ops + top.child);
                    top.ops = 0;
                    top.child = 0;
                }
            }
            b'.' | b'|' | b'&' | b'!' | b'<' | b'>' | b'=' | b'*' | b'@' | b'?' => {
                if let Some(top) = stack.last_mut() {
                    top.ops += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Unclosed levels count as if closed at the end (the parser recurses
    // into them before it finds the error).
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.first().map_or(0, Level::depth)
}

/// Refuse `expr` when it nests deeper than [`MAX_QUERY_DEPTH`].
pub fn check_depth(expr: &str) -> Result<(), QueryError> {
    let depth = nesting_depth(expr);
    if depth > MAX_QUERY_DEPTH {
        return Err(QueryError::TooDeep {
            depth,
            max: MAX_QUERY_DEPTH,
        });
    }
    Ok(())
}

/// Parse `query` (after [`legacy_literals`]) into the `jmespath` crate's
/// tree, after the depth check.
///
/// # Errors
/// [`QueryError::TooDeep`] when it nests deeper than [`MAX_QUERY_DEPTH`],
/// [`QueryError::Syntax`] with the parser's message when it is not valid
/// JMESPath.
///
/// ```
/// assert!(aws_mcp_core::query::parse("Reservations[].Instances[].InstanceId").is_ok());
/// assert!(aws_mcp_core::query::parse("Reservations[").is_err());
/// assert!(aws_mcp_core::query::parse(&"[".repeat(8000)).is_err());
/// ```
pub fn parse(query: &str) -> Result<Ast, QueryError> {
    Ok(parse_query(query)?.1)
}

/// Compile `expr` with the `jmespath` crate's evaluator, after the depth
/// check (for the botocore model's own expressions: paginators, endpoint
/// context parameters).
pub fn compile(expr: &str) -> Result<jmespath::Expression<'static>, QueryError> {
    check_depth(expr)?;
    jmespath::compile(expr).map_err(syntax)
}

fn syntax(e: jmespath::JmespathError) -> QueryError {
    QueryError::Syntax(e.to_string().lines().next().unwrap_or_default().to_string())
}

/// Rewrite JMESPath literals that are not JSON (`` `Name` ``) as JSON strings,
/// as the Python `jmespath` library the AWS CLI uses still does (a
/// deprecated but accepted form that documentation uses widely).
pub fn legacy_literals(q: &str) -> Cow<'_, str> {
    if !q.contains('`') {
        return Cow::Borrowed(q);
    }
    let mut out = String::with_capacity(q.len() + 8);
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                // Raw string or quoted identifier: copy through, with escapes.
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                let mut lit = String::new();
                while let Some(d) = chars.next() {
                    if d == '\\' && chars.peek() == Some(&'`') {
                        lit.push('`');
                        chars.next();
                    } else if d == '`' {
                        break;
                    } else {
                        lit.push(d);
                    }
                }
                out.push('`');
                if serde_json::from_str::<serde_json::Value>(&lit).is_ok() {
                    out.push_str(&lit.replace('`', "\\`"));
                } else {
                    // The Python library reads `"<text>"` as JSON (escapes
                    // interpreted); when that fails too, the literal is a
                    // bad token, left as is for the parser to refuse.
                    match serde_json::from_str::<String>(&format!("\"{}\"", lit.trim_start())) {
                        Ok(text) => {
                            let js = serde_json::Value::String(text).to_string();
                            out.push_str(&js.replace('`', "\\`"));
                        }
                        Err(_) => out.push_str(&lit.replace('`', "\\`")),
                    }
                }
                out.push('`');
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`parse`], also returning the rewritten text (the evaluator re-reads
/// JSON literals from it).
pub fn parse_query(query: &str) -> Result<(Cow<'_, str>, Ast), QueryError> {
    let expr = legacy_literals(query);
    check_depth(&expr)?;
    let ast = jmespath::parse(&expr).map_err(syntax)?;
    Ok((expr, ast))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worst shapes at and just past the limit.
    fn shapes(n: usize) -> Vec<(&'static str, String)> {
        vec![
            ("brackets", format!("{}a{}", "[".repeat(n), "]".repeat(n))),
            ("open brackets", "[".repeat(n)),
            ("nots", format!("{}a", "!".repeat(n))),
            ("exprefs", format!("sort_by(@, {}a)", "&".repeat(n))),
            ("parens", format!("{}a{}", "(".repeat(n), ")".repeat(n))),
            ("hashes", format!("{}a{}", "{a:".repeat(n), "}".repeat(n))),
            ("chain", format!("a{}", ".a".repeat(n))),
            ("pipes", format!("a{}", " | a".repeat(n))),
            ("ors", format!("a{}", " || a".repeat(n))),
            ("ands", format!("a{}", " && a".repeat(n))),
            ("projections", format!("a{}", "[*].a".repeat(n))),
            ("filters", format!("a{}", "[?a].a".repeat(n))),
            ("flattens", format!("a{}", "[]".repeat(n))),
            ("indexes", format!("a{}", "[0]".repeat(n))),
            (
                "functions",
                format!("{}@{}", "abs(".repeat(n), ")".repeat(n)),
            ),
            ("comparisons", format!("a{}", " == a".repeat(n))),
            ("wildcards", format!("a{}", ".*".repeat(n))),
        ]
    }

    #[test]
    fn the_bound_is_an_upper_bound_and_real_queries_are_shallow() {
        for (q, at_most) in [
            ("a", 1),
            ("a.b", 2),
            ("[a, b, c]", 3),
            ("{a: a.b.c, b: d}", 5),
        ] {
            let d = nesting_depth(q);
            assert!(d <= at_most + 1, "{q}: {d}");
        }
        for q in [
            "Reservations[].Instances[].{ID: InstanceId, Name: Tags[?Key=='Name'] | [0].Value, IPs: NetworkInterfaces[].PrivateIpAddresses[].PrivateIpAddress}",
            "sort_by(Contents, &LastModified)[-5:].{Key: Key, Size: Size}",
            "Stacks[?StackStatus!='DELETE_COMPLETE' && contains(StackName, 'prod')].[StackName, StackStatus, CreationTime]",
            "length(Items[?n > `1` && !(m == 'x')])",
        ] {
            let d = nesting_depth(q);
            assert!(d < 40, "{q}: {d}");
            parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
        // Strings, raw strings and literals are skipped.
        assert_eq!(nesting_depth("'[[[[[[' "), nesting_depth("a"));
        assert_eq!(nesting_depth("\"[[[\\\"[[\""), nesting_depth("a"));
        assert_eq!(nesting_depth("`[[[[`"), nesting_depth("a"));
    }

    #[test]
    fn deep_expressions_are_refused_before_parsing() {
        for (name, q) in shapes(MAX_QUERY_DEPTH * 40) {
            match parse_query(&q).map(|r| r.1) {
                Err(QueryError::TooDeep { depth, max }) => {
                    assert!(depth > max, "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert!(compile(&q).is_err(), "{name}");
        }
        let e = parse(&"[".repeat(8000)).unwrap_err().to_string();
        assert!(
            e.contains("nests too deeply") && e.contains("maximum recursion depth"),
            "{e}"
        );
    }

    /// Every shape the limit lets through parses and drops on a 1 MiB
    /// stack (half of a tokio worker's), in this debug build.
    #[test]
    fn what_the_limit_accepts_fits_a_small_stack() {
        let worker = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let mut accepted = 0;
                for n in (1..=MAX_QUERY_DEPTH).rev().step_by(3) {
                    for (name, q) in shapes(n) {
                        if check_depth(&q).is_err() {
                            continue;
                        }
                        accepted += 1;
                        // Parse and drop (the renderer's evaluator is
                        // tested the same way in aws-mcp-wire; the crate's
                        // own evaluator only runs the botocore model's
                        // shallow expressions).
                        if let Ok((_, ast)) = parse_query(&q) {
                            drop(ast);
                        }
                        let _ = name;
                    }
                }
                accepted
            })
            .expect("thread");
        let accepted = worker.join().expect("no stack overflow");
        assert!(accepted > 100, "{accepted}");
    }

    #[test]
    fn legacy_string_literals_become_json_strings() {
        assert_eq!(legacy_literals("a[?b==`Name`]"), "a[?b==`\"Name\"`]");
        assert_eq!(legacy_literals("a[?b==`1`]"), "a[?b==`1`]");
        assert_eq!(legacy_literals("a[?b==`\"x\"`]"), "a[?b==`\"x\"`]");
        assert_eq!(legacy_literals("a[?b=='`x`']"), "a[?b=='`x`']");
        // Escapes are read as JSON's; text that is not a JSON string body
        // stays a bad token, as in the Python library.
        assert_eq!(legacy_literals("`a\\tb`"), "`\"a\\tb\"`");
        assert!(crate::query::parse("`[-01, \"x\"]`").is_err());
        assert!(crate::query::parse("`[-01]`").is_ok());
        for q in [
            "Tags[?Key==`Name`]|[0].Value",
            "[?Engine == `aurora-postgresql`]",
            "[?d == `boolean`]",
        ] {
            assert!(compile(&legacy_literals(q)).is_ok(), "{q}");
        }
    }
}
