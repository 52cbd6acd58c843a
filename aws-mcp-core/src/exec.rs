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
//! * What every executor shares is decided here, purely: [`cap_output`] cuts
//!   output by bytes on a UTF-8 boundary and says so.
//! * Output is never held unbounded: an executor keeps at most
//!   [`ExecOptions::output_cap`] bytes of standard output and
//!   [`ExecOptions::error_cap`] bytes of standard error, and reports the total
//!   it saw.
//! * **Whose credentials.** By default an executor signs with its own
//!   identity (the standard credential chain). A server that acts for many
//!   callers (the HTTP transport with per-caller roles) puts each caller's
//!   temporary [`Credentials`] in [`ExecOptions::credentials`]; an executor
//!   then signs with those and nothing else, so one caller never runs with
//!   another's (or the server's) identity.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::command::ValidatedCommand;

/// How to run one command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// Sign with these credentials instead of the executor's own identity
    /// (the caller's, when a server acts for many callers). Never serialized.
    #[serde(skip)]
    pub credentials: Option<Credentials>,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            max_items: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            output_cap: 256 * 1024,
            error_cap: 16 * 1024,
            credentials: None,
        }
    }
}

/// AWS credentials a command runs with (temporary ones from STS, most
/// often). The secret parts are never printed: `Debug` shows the access key
/// id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
    /// When they expire, for temporary credentials.
    pub expires: Option<SystemTime>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires", &self.expires)
            .finish()
    }
}

/// What a finished command produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExecOutput {
    /// The process exit code (`None` when a signal ended it).
    pub exit_code: Option<i32>,
    /// Standard output parsed as JSON, when the command printed JSON and the
    /// output was not cut.
    pub json: Option<serde_json::Value>,
    /// Standard output as printed (capped), whether or not it parsed as JSON.
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
        let text = Some(stdout.text);
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
        /// The operating system's reason, and what to do about it.
        reason: String,
        /// The operating system's error, when there was one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The command ran longer than its timeout and was killed.
    #[error("the command ran longer than {seconds} seconds and was stopped; narrow it (filters, --max-items) or raise AWS_MCP_TIMEOUT")]
    Timeout {
        /// The timeout in seconds.
        seconds: u64,
    },
    /// The whole call (a batch of commands) ran longer than the server
    /// allows one call; the command running then was stopped.
    #[error("the call ran longer than its {seconds}-second limit and this command was stopped; run fewer or narrower commands per call, or raise AWS_MCP_CALL_TIMEOUT")]
    CallTimeout {
        /// The call's limit in seconds.
        seconds: u64,
    },
    /// The client cancelled the request and the command was killed.
    #[error("the command was cancelled by the client and stopped")]
    Cancelled,
    /// Reading the program's output failed.
    #[error("reading the command's output failed: {0}")]
    Io(#[from] std::io::Error),
    /// The executor was configured wrongly.
    #[error("the executor is not configured correctly: {0}")]
    Config(String),
    /// A waiter (`aws ... wait ...`) had not reached its state when the
    /// command's time was up; it was stopped before its next attempt.
    #[error("waiter {waiter} was still waiting after {attempts} of its {max_attempts} attempts ({delay_seconds} s apart) when the {seconds}-second limit of the command came; run it again to keep waiting, or raise AWS_MCP_TIMEOUT (it may wait up to {longest_seconds} s)")]
    WaitTimedOut {
        /// The waiter's name (`InstanceRunning`).
        waiter: String,
        /// Attempts made.
        attempts: u32,
        /// The waiter's most attempts.
        max_attempts: u32,
        /// Seconds between attempts.
        delay_seconds: u64,
        /// The command's time limit in seconds.
        seconds: u64,
        /// The longest the waiter may wait (delay × attempts).
        longest_seconds: u64,
    },
}

/// How far a long command has come: a waiter's attempts, the regions of a
/// `--region '*'` run. The MCP server forwards it as a progress
/// notification when the client asked for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Steps done (attempts made, regions finished).
    pub done: u64,
    /// Steps in all, when known.
    pub total: Option<u64>,
    /// What is happening, in one line.
    pub message: String,
}

/// Receives [`Progress`] reports. `report` is called from the executor's
/// task and must not block.
pub trait ProgressSink: Send + Sync {
    /// One report.
    fn report(&self, progress: Progress);
}

/// A [`ProgressSink`] that drops every report.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&self, _progress: Progress) {}
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

    /// [`Executor::execute`], reporting how a long command advances to
    /// `progress` (a waiter's attempts). The default reports nothing.
    async fn execute_with_progress(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<ExecOutput, ExecError> {
        let _ = progress;
        self.execute(command, options).await
    }
}

/// The mark appended to text that was cut.
pub const CUT_MARK: &str = "\n[output cut: longer than the output cap]";

/// Text kept from a byte stream, at most a cap long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(out.text.as_deref(), Some(r#"{"Buckets": []}"#));

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
    fn errors_keep_their_causes() {
        use std::error::Error as _;
        let e = ExecError::from(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe"));
        assert_eq!(e.to_string(), "reading the command's output failed: pipe");
        assert!(e.source().is_some_and(|s| s.to_string() == "pipe"));
        let e = ExecError::Spawn {
            program: "aws".into(),
            reason: "No such file or directory".into(),
            source: Some(std::io::ErrorKind::NotFound.into()),
        };
        assert!(e.source().is_some());
        assert!(ExecError::Cancelled.source().is_none());
    }
}
