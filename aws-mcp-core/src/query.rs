//! `--query` expressions: the one place a JMESPath expression is read.
//!
//! The validator checks a `--query` with [`parse`], and every renderer that
//! evaluates one (the native executor's output, pagination) starts from the
//! same [`parse`], so what was accepted is exactly what runs. The AWS CLI's
//! Python `jmespath` library still accepts legacy literals that are not JSON
//! (`` `Name` ``); [`legacy_literals`] rewrites them as JSON strings first.

use jmespath::ast::Ast;

/// Why a `--query` expression was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The expression does not parse; the message is the parser's first line.
    #[error("{0}")]
    Syntax(String),
}

/// Parse `query` (after [`legacy_literals`]) into the `jmespath` crate's tree.
///
/// # Errors
/// [`QueryError::Syntax`] with the parser's message when the expression is
/// not valid JMESPath.
///
/// ```
/// assert!(aws_mcp_core::query::parse("Reservations[].Instances[].InstanceId").is_ok());
/// assert!(aws_mcp_core::query::parse("Reservations[").is_err());
/// ```
pub fn parse(query: &str) -> Result<Ast, QueryError> {
    jmespath::parse(&legacy_literals(query)).map_err(|e| {
        QueryError::Syntax(e.to_string().lines().next().unwrap_or_default().to_string())
    })
}

/// Rewrite JMESPath literals that are not JSON (`` `Name` ``) as JSON strings,
/// as the Python `jmespath` library the AWS CLI uses still does (a
/// deprecated but accepted form that documentation uses widely).
pub fn legacy_literals(q: &str) -> std::borrow::Cow<'_, str> {
    if !q.contains('`') {
        return std::borrow::Cow::Borrowed(q);
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
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::legacy_literals;

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
            assert!(jmespath::compile(&legacy_literals(q)).is_ok(), "{q}");
        }
    }
}
