//! What `call_aws` does, as one entry point for every embedder: check a
//! batch of command lines, decide, ask for consent, run, report.
//!
//! ## Design
//!
//! A Rust agent that embeds the crates should not have to assemble
//! validate → classify → policy → execute itself and enforce the decision
//! itself: one mistake there (running a command the policy refused) is a
//! security hole. [`Pipeline`] does it, and the MCP server is built on it.
//!
//! The states are types, each made only by the step before it:
//!
//! ```text
//! &[String] ──plan──▶ Plan ──ready / approve──▶ Approved ──execute──▶ Report
//!               │                 │
//!               └──▶ Report       └──decline──▶ Report
//!           (rejected or denied)     (no consent)
//! ```
//!
//! * [`Pipeline::plan`] validates and assesses every command of a batch
//!   before anything runs; one invalid or refused command refuses the batch
//!   (a [`Report`] saying which and why, the others `not_run`).
//! * A [`Plan`] whose commands all were allowed becomes an [`Approved`] plan
//!   with [`Plan::ready`]; one that needs the user's consent becomes one only
//!   through [`Plan::approve`], which the caller calls after the user said
//!   yes (or [`Plan::decline`] after they said no). [`Pipeline::call`] does
//!   this with a [`ConsentHandler`]; a server whose consent spans two
//!   requests (MCP's input-required results) calls the steps itself.
//! * [`Pipeline::execute`] runs an [`Approved`] plan in order with the
//!   [`Executor`], stopping at the first failure, and stops early when the
//!   caller's cancellation future resolves (the executor's future is dropped,
//!   which kills what it started).
//! * A [`Report`] is what the model reads: per command a [`CommandOutcome`]
//!   with a typed [`Status`], the response, the error and its kind; and
//!   [`Report::text`], the same as one text.
//!
//! The module is pure: the executor and the consent handler are traits, and
//! cancellation is any future.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::assess::{Assessment, Assessor};
use crate::catalog::Catalog;
use crate::command::ValidatedCommand;
use crate::exec::{
    ExecError, ExecOptions, ExecOutput, Executor, NoProgress, ProgressSink, CUT_MARK,
};
use crate::policy::Decision;
use crate::validate::Validator;

/// The most commands one call may carry.
pub const MAX_COMMANDS: usize = 20;

/// The largest `max_results` a call may ask for.
pub const MAX_RESULTS_LIMIT: u32 = 10_000;

/// How commands run: limits applied to every command of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The result limit of paginated commands when the call gives none.
    pub default_max_items: u32,
    /// How long one command may run.
    pub timeout: Duration,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// The most bytes of output kept per command.
    pub output_cap: usize,
    /// The most bytes of error output kept per command.
    pub error_cap: usize,
    /// How long a whole call (every command of a batch) may run; `None`:
    /// only each command's `timeout` bounds it. A command still running when
    /// the call's time is up is stopped (`timeout`), and the rest are not run.
    pub call_timeout: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        let e = ExecOptions::default();
        Settings {
            default_max_items: 100,
            timeout: e.timeout,
            connect_timeout: e.connect_timeout,
            output_cap: e.output_cap,
            error_cap: e.error_cap,
            call_timeout: None,
        }
    }
}

/// What happened to one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// It ran and exited with status 0.
    Success,
    /// It ran and failed (non-zero exit: an AWS error, most often).
    Failed,
    /// It is not a valid AWS CLI command.
    Rejected,
    /// The policy refused it.
    Denied,
    /// The user did not consent, or could not be asked.
    Declined,
    /// It could not be run to completion (could not start, timed out,
    /// cancelled).
    Error,
    /// An earlier command of the batch failed or was refused.
    NotRun,
}

impl Status {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failed => "failed",
            Status::Rejected => "rejected",
            Status::Denied => "denied",
            Status::Declined => "declined",
            Status::Error => "error",
            Status::NotRun => "not_run",
        }
    }
}

/// The outcome of one command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CommandOutcome {
    /// The command as given (shortened when very long).
    pub command: String,
    /// What happened.
    pub status: Status,
    /// The exit code of the command, when it ran.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exit_code: Option<i32>,
    /// The API response, when the command printed JSON.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub response: Option<serde_json::Value>,
    /// The output as text, when it is not JSON (`--output text`, `s3 ls`) or was cut.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output: Option<String>,
    /// What went wrong, when something did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    /// The kind of error: a validation kind (`unknown_operation`), the
    /// policy rule that refused (`read_only`, `file`, ...), `consent`,
    /// `aws_error`, `timeout`, `cancelled`, `spawn` or `exec`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error_kind: Option<String>,
    /// Close valid names, for a rejected command.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub suggestions: Vec<String>,
    /// True when the output was longer than the cap and was cut.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub truncated: bool,
    /// The size of the full output in bytes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output_bytes: Option<u64>,
    /// The result limit applied (`--max-items`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_items: Option<u32>,
    /// How long it ran, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub duration_ms: Option<u64>,
}

impl CommandOutcome {
    fn new(command: &str, status: Status) -> CommandOutcome {
        CommandOutcome {
            command: echo(command),
            status,
            exit_code: None,
            response: None,
            output: None,
            error: None,
            error_kind: None,
            suggestions: Vec::new(),
            truncated: false,
            output_bytes: None,
            max_items: None,
            duration_ms: None,
        }
    }

    fn refused(command: &str, status: Status, kind: &str, error: String) -> CommandOutcome {
        let mut o = CommandOutcome::new(command, status);
        o.error_kind = Some(kind.to_string());
        o.error = Some(error);
        o
    }

    /// The outcome of a command that ran (or could not).
    pub fn from_exec(
        command: &str,
        result: Result<ExecOutput, ExecError>,
        max_items: Option<u32>,
    ) -> CommandOutcome {
        let mut r = CommandOutcome::new(command, Status::Success);
        r.max_items = max_items;
        match result {
            Ok(o) => {
                r.exit_code = o.exit_code;
                r.truncated = o.truncated;
                r.output_bytes = Some(o.output_bytes);
                r.duration_ms = Some(o.duration_ms);
                r.response = o.json;
                r.output = match r.response {
                    Some(_) => None,
                    None => o.text,
                };
                if o.truncated {
                    if let Some(t) = r.output.as_mut() {
                        t.push_str(CUT_MARK);
                    }
                }
                if o.exit_code != Some(0) {
                    r.status = Status::Failed;
                    r.error_kind = Some("aws_error".into());
                    let err = o.stderr.trim();
                    r.error = Some(if err.is_empty() {
                        format!("the command exited with code {:?}", o.exit_code)
                    } else {
                        err.to_string()
                    });
                }
            }
            Err(e) => {
                r.status = Status::Error;
                r.error_kind = Some(
                    match e {
                        ExecError::Timeout { .. }
                        | ExecError::CallTimeout { .. }
                        | ExecError::WaitTimedOut { .. } => "timeout",
                        ExecError::Cancelled => "cancelled",
                        ExecError::Spawn { .. } => "spawn",
                        _ => "exec",
                    }
                    .into(),
                );
                r.error = Some(e.to_string());
            }
        }
        r
    }

    /// The outcome as one text for a model: the response (or output) when it
    /// succeeded, else the status and the error.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.status != Status::Success {
            s.push_str(&format!(
                "`{}` {}: {}",
                self.command,
                self.status.as_str(),
                self.error.as_deref().unwrap_or("")
            ));
            if let Some(o) = self.output.as_deref().filter(|o| !o.is_empty()) {
                s.push('\n');
                s.push_str(o);
            }
            return s;
        }
        if let Some(v) = &self.response {
            s.push_str(&v.to_string());
        } else if let Some(o) = &self.output {
            s.push_str(o);
        }
        if self.truncated {
            s.push_str(&format!(
                "\n[{} bytes in all; narrow the command with --query, filters or max_results]",
                self.output_bytes.unwrap_or(0)
            ));
        }
        s
    }
}

/// The outcome of a call: one entry per command, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Report {
    /// One entry per command, in order.
    pub results: Vec<CommandOutcome>,
    /// What a model reads: the error (once) or the outputs.
    #[serde(skip)]
    text: String,
}

impl Report {
    fn error(results: Vec<CommandOutcome>, text: String) -> Report {
        Report { results, text }
    }

    /// True unless every command succeeded.
    pub fn is_error(&self) -> bool {
        self.results.is_empty() || self.results.iter().any(|r| r.status != Status::Success)
    }

    /// The report as one text for a model.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A command of a plan: validated, assessed, with the options it runs with.
#[derive(Debug, Clone)]
struct Planned {
    text: String,
    command: ValidatedCommand,
    assessment: Assessment,
    options: ExecOptions,
}

/// A batch whose commands are all valid and not refused; some may need the
/// user's consent. Made only by [`Pipeline::plan`].
#[derive(Debug, Clone)]
pub struct Plan {
    items: Vec<Planned>,
}

/// A plan that may run: every command was allowed, or the user approved.
/// Made only by [`Plan::ready`] and [`Plan::approve`].
#[derive(Debug, Clone)]
pub struct Approved {
    items: Vec<Planned>,
}

impl Plan {
    /// The command lines, in order.
    pub fn commands(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|i| i.text.as_str())
    }

    /// The validated commands and what was decided about each, in order.
    pub fn assessed(&self) -> impl Iterator<Item = (&ValidatedCommand, &Assessment)> {
        self.items.iter().map(|i| (&i.command, &i.assessment))
    }

    /// True when at least one command needs the user's consent.
    pub fn needs_consent(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.assessment.decision(), Decision::NeedsConsent { .. }))
    }

    /// The question to put to the user: every command that needs consent,
    /// with why. Control characters and line breaks inside a command are
    /// shown escaped, so a command cannot forge lines of the question.
    pub fn consent_question(&self) -> String {
        let items: Vec<String> = self
            .items
            .iter()
            .filter_map(|i| match i.assessment.decision() {
                Decision::NeedsConsent { reason, .. } => Some(format!(
                    "  - {} ({})",
                    escape_for_people(&i.text),
                    escape_for_people(reason)
                )),
                _ => None,
            })
            .collect();
        format!(
            "An AI assistant wants to run AWS CLI command(s) that change resources in your AWS account:\n{}\nApprove?",
            items.join("\n")
        )
    }

    /// The plan, ready to run when no command needs consent; else the plan
    /// back.
    #[allow(clippy::result_large_err)]
    pub fn ready(self) -> Result<Approved, Plan> {
        if self.needs_consent() {
            Err(self)
        } else {
            Ok(Approved { items: self.items })
        }
    }

    /// The user approved every command of the plan.
    pub fn approve(self) -> Approved {
        Approved { items: self.items }
    }

    /// The user did not approve (or could not be asked): nothing runs, and
    /// the report says `why`.
    pub fn decline(self, why: &str) -> Report {
        let results = self
            .items
            .iter()
            .map(|i| CommandOutcome::refused(&i.text, Status::Declined, "consent", why.to_string()))
            .collect();
        Report::error(results, why.to_string())
    }
}

impl Approved {
    /// Run every command with `credentials` (the caller's own, when a server
    /// acts for many callers) instead of the executor's identity.
    pub fn with_credentials(mut self, credentials: crate::exec::Credentials) -> Approved {
        for i in &mut self.items {
            i.options.credentials = Some(credentials.clone());
        }
        self
    }

    /// The command lines, in order.
    pub fn commands(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|i| i.text.as_str())
    }

    /// The validated commands and what was decided about each, in order.
    pub fn assessed(&self) -> impl Iterator<Item = (&ValidatedCommand, &Assessment)> {
        self.items.iter().map(|i| (&i.command, &i.assessment))
    }
}

/// The user's answer to a consent question.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Consent {
    /// Run the commands.
    Approved,
    /// Do not run them.
    Declined,
    /// The user could not be asked; the reason says why.
    Unavailable(String),
}

/// Asks the user whether commands that need consent may run.
#[async_trait::async_trait]
pub trait ConsentHandler: Send + Sync {
    /// Put `question` (see [`Plan::consent_question`]) to the user.
    async fn ask(&self, question: &str) -> Consent;
}

/// A [`ConsentHandler`] for embedders without a user to ask: every question
/// is answered "unavailable" with the given reason.
#[derive(Debug, Clone)]
pub struct NoConsent(pub String);

#[async_trait::async_trait]
impl ConsentHandler for NoConsent {
    async fn ask(&self, _question: &str) -> Consent {
        Consent::Unavailable(self.0.clone())
    }
}

/// Checks, decides, and runs batches of AWS CLI commands.
pub struct Pipeline<'c> {
    catalog: &'c Catalog,
    validator: Validator<'c>,
    assessor: Assessor,
    executor: Arc<dyn Executor>,
    settings: Settings,
}

impl std::fmt::Debug for Pipeline<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("assessor", &self.assessor)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<'c> Pipeline<'c> {
    /// A pipeline that checks with `validator` (its catalog, dialect and
    /// limits), decides with `assessor` and runs with `executor`.
    pub fn new(
        validator: Validator<'c>,
        assessor: Assessor,
        executor: Arc<dyn Executor>,
        settings: Settings,
    ) -> Pipeline<'c> {
        Pipeline {
            catalog: validator.catalog(),
            validator,
            assessor,
            executor,
            settings,
        }
    }

    /// The validator.
    pub fn validator(&self) -> &Validator<'c> {
        &self.validator
    }

    /// The assessor.
    pub fn assessor(&self) -> &Assessor {
        &self.assessor
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The options `command` runs with: the settings' limits, and a result
    /// limit (`max_results`, else the default) when the command paginates.
    pub fn exec_options(
        &self,
        command: &ValidatedCommand,
        max_results: Option<u32>,
    ) -> ExecOptions {
        let s = &self.settings;
        let limit = max_results
            .unwrap_or(s.default_max_items)
            .clamp(1, MAX_RESULTS_LIMIT);
        let paginated = self
            .catalog
            .command_in(
                command.service(),
                command.operation(),
                self.validator.cli_dialect(),
            )
            .and_then(|c| c.arg("max-items").ok().flatten())
            .is_some();
        ExecOptions {
            max_items: paginated.then_some(limit),
            timeout: s.timeout,
            connect_timeout: s.connect_timeout,
            output_cap: s.output_cap,
            error_cap: s.error_cap,
            credentials: None,
        }
    }

    /// Validate and assess every command of a batch; nothing runs. The batch
    /// is refused as a whole (a [`Report`]) when it is empty or too long,
    /// when `max_results` is out of range, or when any command is invalid or
    /// denied.
    #[allow(clippy::result_large_err)]
    pub fn plan(&self, commands: &[String], max_results: Option<u32>) -> Result<Plan, Report> {
        if commands.is_empty() || commands.len() > MAX_COMMANDS {
            return Err(Report::error(
                Vec::new(),
                format!(
                    "cli_command holds {} commands; give between 1 and {MAX_COMMANDS}",
                    commands.len()
                ),
            ));
        }
        if max_results == Some(0) || max_results > Some(MAX_RESULTS_LIMIT) {
            return Err(Report::error(
                Vec::new(),
                format!("max_results must be between 1 and {MAX_RESULTS_LIMIT}"),
            ));
        }
        let mut items = Vec::with_capacity(commands.len());
        let mut results = Vec::with_capacity(commands.len());
        let mut failure: Option<String> = None;
        for text in commands {
            if failure.is_some() {
                results.push(CommandOutcome::new(text, Status::NotRun));
                continue;
            }
            let command = match self.validator.validate(text) {
                Ok(c) => c,
                Err(e) => {
                    let mut o = CommandOutcome::refused(
                        text,
                        Status::Rejected,
                        e.kind().as_str(),
                        e.to_string(),
                    );
                    o.suggestions = e.suggestions().to_vec();
                    failure = Some(format!("Invalid command `{}`: {e}", echo(text)));
                    results.push(o);
                    continue;
                }
            };
            let assessment = self.assessor.assess(&command);
            if let Decision::Deny { rule, reason } = assessment.decision() {
                failure = Some(format!("Refused `{}`: {reason}", echo(text)));
                results.push(CommandOutcome::refused(
                    text,
                    Status::Denied,
                    rule.as_str(),
                    reason.clone(),
                ));
                continue;
            }
            results.push(CommandOutcome::new(text, Status::NotRun));
            let options = self.exec_options(&command, max_results);
            items.push(Planned {
                text: text.clone(),
                command,
                assessment,
                options,
            });
        }
        match failure {
            None => Ok(Plan { items }),
            Some(msg) if commands.len() > 1 => Err(Report::error(
                results,
                format!("{msg} Nothing in the list was run."),
            )),
            Some(msg) => Err(Report::error(results, msg)),
        }
    }

    /// Run an approved plan in order, stopping at the first command that
    /// does not succeed (the rest are `not_run`), or when `cancelled`
    /// resolves (the running command is stopped and reported `cancelled`).
    pub async fn execute(&self, plan: Approved, cancelled: impl Future<Output = ()>) -> Report {
        self.execute_with_progress(plan, cancelled, &NoProgress)
            .await
    }

    /// [`Pipeline::execute`], with long commands (waiters) reporting how
    /// they advance to `progress`.
    pub async fn execute_with_progress(
        &self,
        plan: Approved,
        cancelled: impl Future<Output = ()>,
        progress: &dyn ProgressSink,
    ) -> Report {
        let mut cancelled = pin!(cancelled);
        let mut results = Vec::with_capacity(plan.items.len());
        let mut texts = Vec::new();
        let mut failed = false;
        let call_limit = self.settings.call_timeout;
        let deadline = call_limit.map(|t| std::time::Instant::now() + t);
        for mut item in plan.items {
            if failed {
                results.push(CommandOutcome::new(&item.text, Status::NotRun));
                continue;
            }
            // The call's time left bounds this command: its own timeout, cut
            // to what remains (and the cut reported as the call's limit).
            let mut clipped = false;
            if let (Some(deadline), Some(limit)) = (deadline, call_limit) {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left < item.options.timeout {
                    item.options.timeout = left;
                    clipped = true;
                }
                if left.is_zero() {
                    let outcome = CommandOutcome::from_exec(
                        &item.text,
                        Err(ExecError::CallTimeout {
                            seconds: limit.as_secs_f64().ceil() as u64,
                        }),
                        item.options.max_items,
                    );
                    failed = true;
                    texts.push(outcome.text());
                    results.push(outcome);
                    continue;
                }
            }
            let run = self.run_command(&item.command, &item.options, progress);
            let res = match or_cancel(run, cancelled.as_mut()).await {
                None => Err(ExecError::Cancelled),
                Some(Err(ExecError::Timeout { .. })) if clipped => Err(ExecError::CallTimeout {
                    seconds: call_limit.map_or(0, |t| t.as_secs_f64().ceil() as u64),
                }),
                Some(r) => r,
            };
            let outcome = CommandOutcome::from_exec(&item.text, res, item.options.max_items);
            failed = outcome.status != Status::Success;
            texts.push(outcome.text());
            results.push(outcome);
        }
        Report {
            results,
            text: texts.join("\n\n"),
        }
    }

    /// Run one command of an approved plan: help is answered from the
    /// catalog (no executor), a command naming several regions runs once per
    /// region ([`regions`]), anything else goes to the executor. `aws-mcp
    /// run` calls this too, so it answers exactly as `call_aws` does.
    pub async fn run_command(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<ExecOutput, ExecError> {
        if let Some(topic) = command.help() {
            return Ok(crate::help::output(self.catalog, topic, options));
        }
        if let Some(set) = command.regions() {
            return self.run_in_regions(command, set, options, progress).await;
        }
        self.executor
            .execute_with_progress(command, options, progress)
            .await
    }

    /// Everything `call_aws` does: plan, ask `consent` when a command needs
    /// it, execute.
    pub async fn call(
        &self,
        commands: &[String],
        max_results: Option<u32>,
        consent: &dyn ConsentHandler,
        cancelled: impl Future<Output = ()>,
    ) -> Report {
        let plan = match self.plan(commands, max_results) {
            Ok(p) => p,
            Err(report) => return report,
        };
        let approved = match plan.ready() {
            Ok(a) => a,
            Err(plan) => match consent.ask(&plan.consent_question()).await {
                Consent::Approved => plan.approve(),
                Consent::Declined => {
                    return plan
                        .decline("the user did not approve the command(s), so nothing was run")
                }
                Consent::Unavailable(why) => {
                    return plan.decline(&format!(
                        "the user's consent could not be obtained ({why}), so nothing was run"
                    ))
                }
            },
        };
        self.execute(approved, cancelled).await
    }
}

/// Resolve to `work`'s output, or `None` when `cancel` resolves first.
async fn or_cancel<T>(
    work: impl Future<Output = T>,
    cancel: std::pin::Pin<&mut impl Future<Output = ()>>,
) -> Option<T> {
    let mut work = pin!(work);
    let mut cancel = cancel;
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// The most characters of a command echoed back in a message.
const ECHO_CHARS: usize = 200;

/// A command as echoed in results and messages: at most [`ECHO_CHARS`]
/// characters (a long command is cut, and says so).
fn echo(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(ECHO_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… [{} bytes]", &text[..cut], text.len()),
    }
}

/// Text shown to a person: control characters (including line breaks,
/// escape sequences and bidirectional overrides) are written as `\u{..}`
/// escapes, so what a command carries cannot change how the question reads.
pub fn escape_for_people(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

pub use crate::parse::is_bidi_control;

pub mod regions;
#[cfg(test)]
mod tests;
