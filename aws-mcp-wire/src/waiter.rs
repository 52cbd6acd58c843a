//! Waiters (`aws ec2 wait instance-running ...`) as a pure state machine:
//! botocore's `Waiter.wait` without the clock and without the calls.
//!
//! ## Design
//!
//! A [`Waiter`] is made from the catalog's [`WaiterModel`] (botocore's
//! `waiters-2.json`: delay, maximum attempts, acceptors). The executor calls
//! the waiter's operation, hands each answer to [`Waiter::observe`] as a
//! [`Polled`] (the parsed output, or the API error, with the HTTP status),
//! and gets a [`Step`] back: wait [`Step::Retry`]'s delay and call again,
//! stop with [`Step::Success`], or stop with [`Step::Failure`], whose
//! [`WaiterFailure`] prints exactly what the AWS CLI prints
//! (`Waiter InstanceRunning failed: Max attempts exceeded`, exit code 255).
//! Sleeping, the command's timeout, cancellation and progress belong to the
//! executor; this module never waits.
//!
//! Every rule is botocore's (1.44), including its quirks, because the CLI's
//! output depends on them:
//!
//! * acceptors are tried in order; the first that matches sets the state;
//! * `path` compares the expression's result with `expected` by Python's
//!   `==` (so `1 == true`); `pathAll` needs a non-empty list whose every
//!   element equals it, `pathAny` a non-empty list with one that does; the
//!   three never match an error response;
//! * `status` compares the HTTP status; `error` the error code (`true`: any
//!   error, `false`: no error);
//! * when no acceptor matches an error response, the waiter fails at once
//!   with `An error occurred (Code): Message`;
//! * a state once set stays until another acceptor matches (a `retry`
//!   acceptor's match carries over an attempt where nothing matched);
//! * `Max attempts exceeded. Previously accepted state: ...` names the
//!   *last acceptor of the list* when the final attempt matched nothing, as
//!   botocore's loop variable does, and the matching one otherwise.
//!
//! The JMESPath expressions are evaluated with the `--query` interpreter
//! (`render::query`), which has the Python library's semantics.

use std::time::Duration;

use aws_mcp_core::catalog::{Acceptor, AcceptorState, Matcher, WaiterModel};
use serde_json::Value;

/// One answer of the polled operation.
#[derive(Debug, Clone, Copy)]
pub enum Polled<'a> {
    /// The call succeeded: the HTTP status and the parsed output.
    Output {
        /// The HTTP status code.
        status: u16,
        /// The parsed response.
        output: &'a Value,
    },
    /// The call failed with an API error.
    Error {
        /// The HTTP status code.
        status: u16,
        /// The error code (`InvalidInstanceID.NotFound`).
        code: &'a str,
        /// The error message.
        message: &'a str,
    },
}

/// What to do after an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Wait this long, then call again.
    Retry(Duration),
    /// The wait is over: the CLI prints nothing and exits 0.
    Success,
    /// The wait failed (the CLI exits 255 and prints the failure).
    Failure(WaiterFailure),
}

/// Why a wait failed, as botocore's `WaiterError` says it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Waiter {name} failed: {reason}")]
pub struct WaiterFailure {
    /// The waiter's name (`InstanceRunning`).
    pub name: String,
    /// botocore's reason (`Max attempts exceeded`, ...).
    pub reason: String,
    /// The kind of failure.
    pub kind: FailureKind,
}

/// The kinds of [`WaiterFailure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// A `failure` acceptor matched.
    TerminalState,
    /// An error no acceptor expected.
    UnexpectedError,
    /// The attempts ran out.
    MaxAttempts,
}

/// Why a waiter model cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WaiterError {
    /// An acceptor uses a matcher or state this version does not know.
    #[error("waiter {waiter}: acceptor {index} uses a matcher or state this version does not run")]
    Unsupported {
        /// The waiter.
        waiter: String,
        /// The acceptor's position.
        index: usize,
    },
    /// A path acceptor has no expression, or one that does not parse.
    #[error("waiter {waiter}: acceptor {index} has no valid JMESPath expression: {message}")]
    BadExpression {
        /// The waiter.
        waiter: String,
        /// The acceptor's position.
        index: usize,
        /// The parser's message.
        message: String,
    },
}

/// A running wait: see the module docs.
#[derive(Debug, Clone)]
pub struct Waiter<'m> {
    model: &'m WaiterModel,
    delay: Duration,
    max_attempts: u32,
    attempts: u32,
    state: AcceptorState,
    /// Whether any acceptor matched so far.
    matched: bool,
}

impl<'m> Waiter<'m> {
    /// A waiter over `model` with its own delay and maximum attempts.
    ///
    /// # Errors
    /// [`WaiterError`] when an acceptor cannot run (unknown matcher or state,
    /// missing or invalid expression), before anything is called.
    pub fn new(model: &'m WaiterModel) -> Result<Waiter<'m>, WaiterError> {
        for (index, a) in model.acceptors.iter().enumerate() {
            if a.matcher == Matcher::Unknown || a.state == AcceptorState::Unknown {
                return Err(WaiterError::Unsupported {
                    waiter: model.name.clone(),
                    index,
                });
            }
            if matches!(
                a.matcher,
                Matcher::Path | Matcher::PathAll | Matcher::PathAny
            ) {
                let bad = |message: String| WaiterError::BadExpression {
                    waiter: model.name.clone(),
                    index,
                    message,
                };
                let expr = a.argument.as_deref().ok_or_else(|| bad("none".into()))?;
                aws_mcp_core::query::parse(expr).map_err(|e| bad(e.to_string()))?;
            }
        }
        Ok(Waiter {
            model,
            delay: Duration::from_secs(u64::from(model.delay)),
            max_attempts: model.max_attempts.max(1),
            attempts: 0,
            state: AcceptorState::Retry,
            matched: false,
        })
    }

    /// The waiter's name (`InstanceRunning`).
    pub fn name(&self) -> &str {
        &self.model.name
    }

    /// The delay between attempts.
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// The most attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The attempts observed so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Take one answer of the operation and say what comes next.
    pub fn observe(&mut self, polled: Polled<'_>) -> Step {
        self.attempts += 1;
        let acceptors = &self.model.acceptors;
        let hit = acceptors.iter().position(|a| matches(a, &polled));
        match hit {
            Some(i) => {
                self.state = acceptors[i].state;
                self.matched = true;
            }
            None => {
                if let Polled::Error { code, message, .. } = polled {
                    return self.fail(
                        format!("An error occurred ({code}): {message}"),
                        FailureKind::UnexpectedError,
                    );
                }
            }
        }
        // botocore's `acceptor` after its loop: the one that matched, else
        // the last one of the list.
        let explained = hit
            .or(acceptors.len().checked_sub(1))
            .map(|i| &acceptors[i]);
        match self.state {
            AcceptorState::Success => return Step::Success,
            AcceptorState::Failure => {
                let why = explained.map(explanation).unwrap_or_default();
                return self.fail(
                    format!("Waiter encountered a terminal failure state: {why}"),
                    FailureKind::TerminalState,
                );
            }
            _ => {}
        }
        if self.attempts >= self.max_attempts {
            let reason = match (self.matched, explained) {
                (true, Some(a)) => format!(
                    "Max attempts exceeded. Previously accepted state: {}",
                    explanation(a)
                ),
                _ => "Max attempts exceeded".to_string(),
            };
            return self.fail(reason, FailureKind::MaxAttempts);
        }
        Step::Retry(self.delay)
    }

    fn fail(&self, reason: String, kind: FailureKind) -> Step {
        Step::Failure(WaiterFailure {
            name: self.model.name.clone(),
            reason,
            kind,
        })
    }
}

/// Whether acceptor `a` matches an answer.
fn matches(a: &Acceptor, polled: &Polled<'_>) -> bool {
    let expected = &a.expected;
    match a.matcher {
        Matcher::Path | Matcher::PathAll | Matcher::PathAny => {
            let Polled::Output { output, .. } = polled else {
                return false;
            };
            let Some(expr) = a.argument.as_deref() else {
                return false;
            };
            // An expression that fails while running matches nothing (the
            // Python library returns None for most such cases).
            let Ok(found) = crate::render::query::apply_query(output, expr) else {
                return false;
            };
            match a.matcher {
                Matcher::Path => crate::render::query::py_eq(&found, expected),
                Matcher::PathAll => match &found {
                    Value::Array(items) if !items.is_empty() => items
                        .iter()
                        .all(|v| crate::render::query::py_eq(v, expected)),
                    _ => false,
                },
                _ => match &found {
                    Value::Array(items) if !items.is_empty() => items
                        .iter()
                        .any(|v| crate::render::query::py_eq(v, expected)),
                    _ => false,
                },
            }
        }
        Matcher::Status => {
            let status = match polled {
                Polled::Output { status, .. } | Polled::Error { status, .. } => *status,
            };
            crate::render::query::py_eq(&Value::from(status), expected)
        }
        Matcher::Error => match (polled, expected) {
            (Polled::Error { .. }, Value::Bool(true)) => true,
            (Polled::Output { .. }, Value::Bool(false)) => true,
            (Polled::Error { code, .. }, Value::String(want)) => code == want,
            _ => false,
        },
        Matcher::Unknown => false,
    }
}

/// botocore's `AcceptorConfig.explanation`.
fn explanation(a: &Acceptor) -> String {
    let expected = python_str(&a.expected);
    let arg = a.argument.as_deref().unwrap_or("");
    match a.matcher {
        Matcher::Path => {
            format!("For expression \"{arg}\" we matched expected path: \"{expected}\"")
        }
        Matcher::PathAll => {
            format!("For expression \"{arg}\" all members matched expected path: \"{expected}\"")
        }
        Matcher::PathAny => format!(
            "For expression \"{arg}\" we matched expected path: \"{expected}\" at least once"
        ),
        Matcher::Status => format!("Matched expected HTTP status code: {expected}"),
        Matcher::Error => format!("Matched expected service error code: {expected}"),
        Matcher::Unknown => "No explanation for unknown waiter type: \"unknown\"".to_string(),
    }
}

/// Python's `str()` of an expected value, as botocore's f-strings print it.
fn python_str(v: &Value) -> String {
    crate::render::pyfmt::py_str(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(delay: u32, max: u32, acceptors: Value) -> WaiterModel {
        serde_json::from_value(json!({
            "name": "Test", "delay": delay, "maxAttempts": max, "acceptors": acceptors
        }))
        .unwrap()
    }

    fn ok(v: &Value) -> Polled<'_> {
        Polled::Output {
            status: 200,
            output: v,
        }
    }

    fn err<'a>(status: u16, code: &'a str) -> Polled<'a> {
        Polled::Error {
            status,
            code,
            message: "it failed",
        }
    }

    fn failure(step: Step) -> WaiterFailure {
        match step {
            Step::Failure(f) => f,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    /// botocore's InstanceRunning waiter (ec2 waiters-2.json).
    fn instance_running() -> WaiterModel {
        let e = "Reservations[].Instances[].State.Name";
        model(
            15,
            40,
            json!([
                {"state": "success", "matcher": "pathAll", "argument": e, "expected": "running"},
                {"state": "failure", "matcher": "pathAny", "argument": e, "expected": "shutting-down"},
                {"state": "failure", "matcher": "pathAny", "argument": e, "expected": "terminated"},
                {"state": "failure", "matcher": "pathAny", "argument": e, "expected": "stopping"},
                {"state": "retry", "matcher": "error", "expected": "InvalidInstanceID.NotFound"}
            ]),
        )
    }

    fn instances(states: &[&str]) -> Value {
        json!({"Reservations": [{"Instances": states.iter().map(|s| json!({"State": {"Name": s}})).collect::<Vec<_>>()}]})
    }

    #[test]
    fn path_all_succeeds_only_when_every_member_matches() {
        let m = instance_running();
        let mut w = Waiter::new(&m).unwrap();
        assert_eq!(
            w.observe(ok(&instances(&["pending", "running"]))),
            Step::Retry(Duration::from_secs(15))
        );
        assert_eq!(
            w.observe(ok(&instances(&["running", "running"]))),
            Step::Success
        );
        assert_eq!(w.attempts(), 2);
        // An empty list never matches pathAll (nor pathAny).
        let mut w = Waiter::new(&m).unwrap();
        assert!(matches!(
            w.observe(ok(&json!({"Reservations": []}))),
            Step::Retry(_)
        ));
    }

    #[test]
    fn path_any_failure_explains_like_botocore() {
        let m = instance_running();
        let mut w = Waiter::new(&m).unwrap();
        let f = failure(w.observe(ok(&instances(&["running", "terminated"]))));
        assert_eq!(f.kind, FailureKind::TerminalState);
        assert_eq!(
            f.to_string(),
            "Waiter Test failed: Waiter encountered a terminal failure state: For expression \"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once"
        );
    }

    #[test]
    fn expected_errors_retry_and_unexpected_ones_fail_at_once() {
        let m = instance_running();
        let mut w = Waiter::new(&m).unwrap();
        assert!(matches!(
            w.observe(err(400, "InvalidInstanceID.NotFound")),
            Step::Retry(_)
        ));
        let f = failure(w.observe(err(403, "UnauthorizedOperation")));
        assert_eq!(f.kind, FailureKind::UnexpectedError);
        assert_eq!(
            f.to_string(),
            "Waiter Test failed: An error occurred (UnauthorizedOperation): it failed"
        );
    }

    #[test]
    fn max_attempts_with_and_without_a_previous_match() {
        let m = instance_running();
        let mut w = Waiter::new(&m).unwrap();
        let pending = instances(&["pending"]);
        for _ in 0..39 {
            assert!(matches!(w.observe(ok(&pending)), Step::Retry(_)));
        }
        let f = failure(w.observe(ok(&pending)));
        assert_eq!(f.kind, FailureKind::MaxAttempts);
        assert_eq!(f.to_string(), "Waiter Test failed: Max attempts exceeded");
        // After a retry acceptor matched once, botocore names the acceptor its
        // loop ended on: the last of the list when the final attempt matched
        // nothing.
        let m = model(
            1,
            2,
            json!([
                {"state": "success", "matcher": "path", "argument": "Status", "expected": "OK"},
                {"state": "retry", "matcher": "status", "expected": 202},
                {"state": "failure", "matcher": "path", "argument": "Status", "expected": "BAD"}
            ]),
        );
        let mut w = Waiter::new(&m).unwrap();
        assert!(matches!(
            w.observe(Polled::Output {
                status: 202,
                output: &json!({})
            }),
            Step::Retry(_)
        ));
        let f = failure(w.observe(ok(&json!({"Status": "WAIT"}))));
        assert_eq!(
            f.reason,
            "Max attempts exceeded. Previously accepted state: For expression \"Status\" we matched expected path: \"BAD\""
        );
        // The matching acceptor when the final attempt matched.
        let mut w = Waiter::new(&m).unwrap();
        let accepted = Polled::Output {
            status: 202,
            output: &json!({}),
        };
        w.observe(accepted);
        let f = failure(w.observe(accepted));
        assert_eq!(
            f.reason,
            "Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 202"
        );
    }

    #[test]
    fn error_matchers_true_false_and_codes() {
        let m = model(
            5,
            3,
            json!([
                {"state": "success", "matcher": "error", "expected": false},
            ]),
        );
        assert_eq!(
            Waiter::new(&m).unwrap().observe(ok(&json!({}))),
            Step::Success
        );
        let m = model(
            5,
            3,
            json!([
                {"state": "success", "matcher": "error", "expected": true},
            ]),
        );
        assert_eq!(
            Waiter::new(&m).unwrap().observe(err(404, "Whatever")),
            Step::Success
        );
        assert!(matches!(
            Waiter::new(&m).unwrap().observe(ok(&json!({}))),
            Step::Retry(_)
        ));
        // Bucket-not-exists: a 404 status succeeds.
        let m = model(
            5,
            20,
            json!([{"state": "success", "matcher": "status", "expected": 404}]),
        );
        assert_eq!(
            Waiter::new(&m).unwrap().observe(err(404, "404")),
            Step::Success
        );
        let f = failure(Waiter::new(&m).unwrap().observe(err(403, "403")));
        assert_eq!(f.reason, "An error occurred (403): it failed");
    }

    #[test]
    fn path_compares_like_python() {
        // Python: `True == 1`, `1 == 1.0`; a boolean expected value.
        let m = model(
            5,
            3,
            json!([
                {"state": "success", "matcher": "path", "argument": "length(Items) > `0`", "expected": true},
            ]),
        );
        let mut w = Waiter::new(&m).unwrap();
        assert!(matches!(
            w.observe(ok(&json!({"Items": []}))),
            Step::Retry(_)
        ));
        assert_eq!(w.observe(ok(&json!({"Items": [1]}))), Step::Success);
        let m = model(
            5,
            3,
            json!([{"state": "success", "matcher": "path", "argument": "N", "expected": 1}]),
        );
        assert_eq!(
            Waiter::new(&m).unwrap().observe(ok(&json!({"N": 1.0}))),
            Step::Success
        );
        assert_eq!(
            Waiter::new(&m).unwrap().observe(ok(&json!({"N": true}))),
            Step::Success
        );
        // Path matchers never match an error answer.
        let m = model(
            5,
            1,
            json!([{"state": "success", "matcher": "path", "argument": "N", "expected": null}]),
        );
        let f = failure(Waiter::new(&m).unwrap().observe(err(400, "Boom")));
        assert_eq!(f.kind, FailureKind::UnexpectedError);
        // A missing member is None, which a null expectation matches.
        assert_eq!(
            Waiter::new(&m).unwrap().observe(ok(&json!({}))),
            Step::Success
        );
    }

    #[test]
    fn models_that_cannot_run_are_refused_before_any_call() {
        let m = model(
            5,
            3,
            json!([{"state": "success", "matcher": "jsonPath", "argument": "a", "expected": 1}]),
        );
        assert!(matches!(
            Waiter::new(&m),
            Err(WaiterError::Unsupported { index: 0, .. })
        ));
        let m = model(
            5,
            3,
            json!([{"state": "success", "matcher": "path", "argument": "a[", "expected": 1}]),
        );
        assert!(matches!(
            Waiter::new(&m),
            Err(WaiterError::BadExpression { .. })
        ));
        let m = model(
            5,
            3,
            json!([{"state": "success", "matcher": "path", "expected": 1}]),
        );
        assert!(matches!(
            Waiter::new(&m),
            Err(WaiterError::BadExpression { .. })
        ));
    }

    #[test]
    fn every_catalog_waiter_compiles() {
        let cat = aws_mcp_core::Catalog::embedded();
        let mut n = 0;
        for c in cat.commands() {
            if let Some(m) = c.detail().unwrap().waiter.as_deref() {
                Waiter::new(m).unwrap_or_else(|e| panic!("{}: {e}", c.name()));
                n += 1;
            }
        }
        assert!(n > 400);
    }
}
