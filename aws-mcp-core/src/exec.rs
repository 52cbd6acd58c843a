//! Execution: the [`Executor`] trait that runs a [`ValidatedCommand`], and the
//! pure pieces every executor shares.
//!
//! ## Design
//!
//! * The core crate holds no process or network code, so it only defines the
//!   interface: an async [`Executor`] takes a validated command and
//!   [`ExecOptions`] (result limit, timeouts, output cap) and returns an
//!   [`ExecOutput`] or an [`ExecError`]. `aws-mcp-native` implements it by
//!   calling the AWS API in-process (with this crate's protocol, endpoint,
//!   pagination and rendering modules), the stdio adapter by running the
//!   installed `aws` program for what the native executor does not cover; an
//!   embedder may implement it with an SDK, a remote runner, or a recorder
//!   for tests.
//! * What is decided about a command before it runs is decided here, purely,
//!   so that every executor agrees: [`bounded_argv`] adds the result limit
//!   (`--max-items`) and a machine-readable output format, and
//!   [`cap_output`] cuts output by bytes on a UTF-8 boundary and says so.
//! * Output is never held unbounded: an executor keeps at most
//!   [`ExecOptions::output_cap`] bytes of standard output and
//!   [`ExecOptions::error_cap`] bytes of standard error, and reports the total
//!   it saw.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::command::ValidatedCommand;

/// How to run one command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecOptions {
    /// Append `--max-items N` to a paginated command that does not set
    /// `--max-items` or `--no-paginate` itself. Set it only for commands
    /// whose argument table has `--max-items` (the CLI's pagination
    /// arguments); `None` leaves the command as it is.
    pub max_items: Option<u32>,
    /// The whole run, from start to exit; the process is killed when it
    /// elapses.
    pub timeout: Duration,
    /// How long to wait for a TCP connection to AWS (passed to the CLI as
    /// `--cli-connect-timeout` unless the command sets it).
    pub connect_timeout: Duration,
    /// The most bytes of standard output kept; the rest is counted and
    /// dropped, and the output is marked as cut.
    pub output_cap: usize,
    /// The most bytes of standard error kept.
    pub error_cap: usize,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            max_items: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            output_cap: 256 * 1024,
            error_cap: 16 * 1024,
        }
    }
}

/// What a finished command produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecOutput {
    /// The process exit code (`None` when a signal ended it).
    pub exit_code: Option<i32>,
    /// Standard output parsed as JSON, when the command printed JSON and the
    /// output was not cut.
    pub json: Option<serde_json::Value>,
    /// Standard output as text (capped), when it was not parsed as JSON.
    pub text: Option<String>,
    /// Standard error as text (capped); empty when the command printed
    /// nothing there.
    pub stderr: String,
    /// True when standard output was longer than the cap and was cut.
    pub truncated: bool,
    /// The total size of standard output in bytes, before any cut.
    pub output_bytes: u64,
    /// How long the command ran, in milliseconds.
    pub duration_ms: u64,
}

impl ExecOutput {
    /// True when the command exited with status 0.
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }

    /// Builds an output from what a process printed, parsing standard output
    /// as JSON when it is JSON and was not cut.
    pub fn from_streams(
        exit_code: Option<i32>,
        stdout: Capped,
        stderr: Capped,
        duration: Duration,
    ) -> ExecOutput {
        let trimmed = stdout.text.trim();
        let json = if !stdout.truncated && (trimmed.starts_with('{') || trimmed.starts_with('[')) {
            serde_json::from_str::<serde_json::Value>(trimmed).ok()
        } else {
            None
        };
        let text = match json {
            Some(_) => None,
            None => Some(stdout.text),
        };
        let mut err = stderr.text;
        if stderr.truncated {
            err.push_str(CUT_MARK);
        }
        ExecOutput {
            exit_code,
            json,
            text,
            stderr: err,
            truncated: stdout.truncated,
            output_bytes: stdout.total_bytes,
            duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// Why a command could not be run to completion.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecError {
    /// The program could not be started.
    #[error("could not start the AWS CLI program `{program}`: {reason}; install awscli or set AWS_MCP_AWS_CLI to its path")]
    Spawn {
        /// The program that was run.
        program: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The command ran longer than its timeout and was killed.
    #[error("the command ran longer than {seconds} seconds and was stopped; narrow it (filters, --max-items) or raise AWS_MCP_TIMEOUT")]
    Timeout {
        /// The timeout in seconds.
        seconds: u64,
    },
    /// The client cancelled the request and the command was killed.
    #[error("the command was cancelled by the client and stopped")]
    Cancelled,
    /// Reading the program's output failed.
    #[error("reading the command's output failed: {0}")]
    Io(String),
    /// The executor was configured wrongly.
    #[error("the executor is not configured correctly: {0}")]
    Config(String),
}

/// Runs validated commands.
#[async_trait::async_trait]
pub trait Executor: Send + Sync {
    /// Runs `command` with `options`. A command that runs and fails (exit
    /// code not 0) is an `Ok` output: its standard error says why. An `Err`
    /// means it could not be run or did not finish.
    async fn execute(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError>;
}

/// The mark appended to text that was cut.
pub const CUT_MARK: &str = "\n[output cut: longer than the output cap]";

/// Text kept from a byte stream, at most a cap long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capped {
    /// The text kept, cut on a UTF-8 boundary; invalid UTF-8 is replaced.
    pub text: String,
    /// True when bytes were dropped.
    pub truncated: bool,
    /// How many bytes the stream had in all.
    pub total_bytes: u64,
}

/// Keeps at most `cap` bytes of `bytes` as text, cut on a UTF-8 character
/// boundary (never inside a character), with invalid sequences replaced by
/// U+FFFD. `total_bytes` is the length of the whole stream, which may exceed
/// `bytes.len()` when the caller already dropped the rest.
pub fn cap_output(bytes: &[u8], cap: usize, total_bytes: u64) -> Capped {
    let total = total_bytes.max(bytes.len() as u64);
    let mut end = bytes.len().min(cap);
    if end < bytes.len() {
        // Step back over continuation bytes so the cut falls between characters.
        while end > 0 && end < bytes.len() && (bytes[end] & 0b1100_0000) == 0b1000_0000 {
            end -= 1;
        }
    }
    let truncated = (end as u64) < total;
    let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
    Capped {
        text,
        truncated,
        total_bytes: total,
    }
}

/// The words to hand to the `aws` program for `command`: its normalized argv,
/// plus `--output json` when no output format was chosen (so the result can
/// be parsed, whatever the user's profile says), `--max-items` from
/// [`ExecOptions::max_items`] when the command does not bound itself, and
/// `--cli-connect-timeout` from [`ExecOptions::connect_timeout`] when the
/// command does not set it.
pub fn bounded_argv(command: &ValidatedCommand, options: &ExecOptions) -> Vec<String> {
    let mut argv = command.argv.clone();
    let given = |name: &str| {
        command.args.iter().any(|a| a.name == name)
            || command.argv.iter().any(|w| {
                w.strip_prefix("--")
                    .is_some_and(|rest| rest == name || rest.starts_with(&format!("{name}=")))
            })
    };
    if let Some(n) = options.max_items {
        // A skeleton request calls nothing (with `output`, awscli would
        // validate `--max-items` against the template and fail).
        if !command.globals.no_paginate && !given("max-items") && !given("generate-cli-skeleton") {
            argv.push("--max-items".into());
            argv.push(n.to_string());
        }
    }
    if command.globals.output.is_none() && !given("output") {
        argv.push("--output".into());
        argv.push("json".into());
    }
    if command.globals.cli_connect_timeout.is_none() && !given("cli-connect-timeout") {
        argv.push("--cli-connect-timeout".into());
        argv.push(options.connect_timeout.as_secs().max(1).to_string());
    }
    argv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CommandKind;
    use crate::command::{GivenArg, GlobalOptions};

    fn cmd(argv: &[&str]) -> ValidatedCommand {
        ValidatedCommand {
            service: "s3api".into(),
            operation: "list-buckets".into(),
            kind: CommandKind::Operation,
            api: None,
            region: None,
            globals: GlobalOptions::default(),
            parameters: serde_json::Map::new(),
            args: Vec::new(),
            local_paths: Vec::new(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            notes: Default::default(),
        }
    }

    #[test]
    fn cap_keeps_short_output() {
        let c = cap_output("héllo".as_bytes(), 100, 0);
        assert_eq!(c.text, "héllo");
        assert!(!c.truncated);
        assert_eq!(c.total_bytes, 6);
    }

    #[test]
    fn cap_cuts_on_char_boundary() {
        // "é" is two bytes (0xC3 0xA9); a cap of 2 would split it after "a".
        let c = cap_output("aé".as_bytes(), 2, 0);
        assert_eq!(c.text, "a");
        assert!(c.truncated);
        let c = cap_output("aé".as_bytes(), 3, 0);
        assert_eq!(c.text, "aé");
        assert!(!c.truncated);
        // Four-byte characters.
        let s = "🦀🦀";
        for cap in 0..8 {
            let c = cap_output(s.as_bytes(), cap, 0);
            assert!(s.starts_with(&c.text));
            assert_eq!(c.text.len(), (cap / 4) * 4);
            assert!(c.truncated);
        }
    }

    #[test]
    fn cap_counts_dropped_bytes() {
        let c = cap_output(b"abc", 10, 5000);
        assert!(c.truncated, "the caller dropped bytes beyond what it kept");
        assert_eq!(c.total_bytes, 5000);
    }

    #[test]
    fn cap_replaces_invalid_utf8() {
        let c = cap_output(&[b'a', 0xFF, b'b'], 10, 0);
        assert_eq!(c.text, "a\u{FFFD}b");
    }

    #[test]
    fn output_parses_json_unless_cut() {
        let out = ExecOutput::from_streams(
            Some(0),
            cap_output(br#"{"Buckets": []}"#, 100, 0),
            Capped::default(),
            Duration::from_millis(5),
        );
        assert!(out.success());
        assert_eq!(out.json, Some(serde_json::json!({"Buckets": []})));
        assert!(out.text.is_none());

        let out = ExecOutput::from_streams(
            Some(0),
            cap_output(br#"{"Buckets": []}"#, 5, 0),
            Capped::default(),
            Duration::ZERO,
        );
        assert!(out.json.is_none());
        assert!(out.truncated);
        assert_eq!(out.text.as_deref(), Some("{\"Buc"));

        let out = ExecOutput::from_streams(
            Some(1),
            cap_output(b"2024-01-01 bucket", 100, 0),
            cap_output(b"boom", 2, 0),
            Duration::ZERO,
        );
        assert!(!out.success());
        assert!(out.json.is_none());
        assert!(out.stderr.starts_with("bo") && out.stderr.ends_with(CUT_MARK));
    }

    #[test]
    fn argv_gets_limit_format_and_connect_timeout() {
        let opts = ExecOptions {
            max_items: Some(7),
            ..ExecOptions::default()
        };
        let argv = bounded_argv(&cmd(&["s3api", "list-buckets"]), &opts);
        assert_eq!(
            argv,
            [
                "s3api",
                "list-buckets",
                "--max-items",
                "7",
                "--output",
                "json",
                "--cli-connect-timeout",
                "10"
            ]
        );
    }

    #[test]
    fn argv_respects_what_the_user_set() {
        let mut c = cmd(&[
            "s3api",
            "list-objects-v2",
            "--max-items",
            "3",
            "--output",
            "text",
        ]);
        c.args.push(GivenArg {
            name: "max-items".into(),
            values: vec!["3".into()],
        });
        c.globals.output = Some("text".into());
        c.globals.cli_connect_timeout = Some(4);
        let opts = ExecOptions {
            max_items: Some(100),
            ..ExecOptions::default()
        };
        assert_eq!(bounded_argv(&c, &opts), c.argv);

        let mut c = cmd(&["ec2", "describe-instances", "--no-paginate"]);
        c.globals.no_paginate = true;
        let argv = bounded_argv(&c, &opts);
        assert!(!argv.iter().any(|w| w == "--max-items"));
        // A skeleton request calls nothing: no result limit.
        let c = cmd(&["ec2", "describe-vpcs", "--generate-cli-skeleton", "output"]);
        let argv = bounded_argv(&c, &opts);
        assert!(!argv.iter().any(|w| w == "--max-items"));
    }
}
