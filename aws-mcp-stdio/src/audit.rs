//! The audit log: one JSON line per tool call.
//!
//! ## Design
//!
//! * **What a line holds**: the time, the transport, the caller (the key of
//!   their verified token: `issuer|subject`; `local` over stdio), the tool,
//!   and for `call_aws` each command as *service, operation and the names of
//!   the options given* — never their values, never the output: a value may
//!   be a password, a secret string or a private key, and the output may be
//!   anything. With each command: its access level and whether it is
//!   read-only, the policy's decision and the rule that made it, the
//!   executor, the status, the exit code, how long it ran and how many bytes
//!   it printed. The call's outcome (`ran`, `failed`, `refused`, `rejected`,
//!   `consent_asked`, `declined`, `identity_failed`) and duration close it.
//! * **Where**: `AWS_MCP_AUDIT_LOG` = `stderr` (default), `off`, or a file
//!   path (appended to, created owner-only). One `write` per line, so lines
//!   from concurrent calls never interleave.
//! * A command that did not validate is logged without a name (its text may
//!   hold anything); its error kind says why.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

use serde::Serialize;

/// Where audit lines go.
#[derive(Debug)]
pub enum AuditSink {
    /// Nowhere.
    Off,
    /// Standard error.
    Stderr,
    /// A file, appended to.
    File(PathBuf, Mutex<std::fs::File>),
}

/// A bad `AWS_MCP_AUDIT_LOG`.
#[derive(Debug, thiserror::Error)]
#[error("AWS_MCP_AUDIT_LOG={value:?} is not valid: {reason}; give stderr, off, or a file path")]
pub struct AuditConfigError {
    value: String,
    reason: String,
}

impl AuditSink {
    /// The sink `AWS_MCP_AUDIT_LOG` names (default: stderr).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<AuditSink, AuditConfigError> {
        let v = lookup("AWS_MCP_AUDIT_LOG").unwrap_or_default();
        match v.trim() {
            "" | "stderr" | "-" => Ok(AuditSink::Stderr),
            "off" | "none" | "false" => Ok(AuditSink::Off),
            path => {
                let p = PathBuf::from(path);
                let mut o = std::fs::OpenOptions::new();
                o.create(true).append(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    o.mode(0o600);
                }
                let f = o.open(&p).map_err(|e| AuditConfigError {
                    value: v.clone(),
                    reason: e.to_string(),
                })?;
                Ok(AuditSink::File(p, Mutex::new(f)))
            }
        }
    }

    /// Writes one record as one line.
    pub fn record(&self, record: &AuditRecord) {
        if matches!(self, AuditSink::Off) {
            return;
        }
        let Ok(mut line) = serde_json::to_vec(record) else {
            return;
        };
        line.push(b'\n');
        match self {
            AuditSink::Off => {}
            AuditSink::Stderr => {
                let _ = std::io::stderr().lock().write_all(&line);
            }
            AuditSink::File(_, f) => {
                if let Ok(mut f) = f.lock() {
                    let _ = f.write_all(&line);
                }
            }
        }
    }
}

/// One tool call, as the audit log records it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    /// When the call ended (RFC 3339, UTC, milliseconds).
    pub time: String,
    /// Always `audit` (to find the lines among other logs).
    pub kind: &'static str,
    /// `stdio` or `http`.
    pub transport: &'static str,
    /// Who called: `issuer|subject`, `local` or `anonymous`.
    pub caller: String,
    /// The tool.
    pub tool: &'static str,
    /// The call's outcome.
    pub outcome: &'static str,
    /// Why, when the outcome is not `ran` (a kind, never free text with values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The commands, in order (for `call_aws`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<AuditCommand>,
    /// The AWS identity the commands ran with: `caller` (the caller's role)
    /// or `server`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<&'static str>,
    /// The role assumed for the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// How long the call took, in milliseconds.
    pub duration_ms: u64,
}

/// One command of a call.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditCommand {
    /// `aws service operation --option-name ...`: names only, no values;
    /// `None` for a command that did not validate.
    pub command: Option<String>,
    /// The access level (`read`, `list`, `write`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_level: Option<&'static str>,
    /// Whether a read-only server may run it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// The policy's decision: `allow`, `deny`, `consent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<&'static str>,
    /// The rule that decided (`read_only`, `deny_list`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// The executor that ran it: `native`, `subprocess`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor: Option<&'static str>,
    /// The outcome (`success`, `failed`, `denied`, `not_run`, ...).
    pub status: &'static str,
    /// The kind of error, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// The exit status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// How long it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// How many bytes it printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
}

/// `aws service operation --name ...` for a validated command: the option
/// names given, in order, never their values.
pub fn redacted_command(cmd: &aws_mcp_core::ValidatedCommand) -> String {
    let mut s = format!("aws {} {}", cmd.service(), cmd.operation());
    for a in cmd.args() {
        s.push_str(" --");
        s.push_str(&a.name);
    }
    s
}

/// `t` as RFC 3339 in UTC with milliseconds (`2026-12-01T09:30:00.123Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_are_rfc3339_utc() {
        let t = |s: u64, ms: u64| {
            rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(s) + Duration::from_millis(ms))
        };
        assert_eq!(t(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(t(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(t(1_798_761_599, 999), "2026-12-31T23:59:59.999Z");
        assert_eq!(t(4_107_542_400, 0), "2100-03-01T00:00:00.000Z");
    }

    #[test]
    fn commands_are_logged_without_values() {
        let cmd = aws_mcp_core::validate(
            aws_mcp_core::Catalog::embedded(),
            "aws secretsmanager put-secret-value --secret-id db --secret-string hunter2",
        )
        .expect("valid");
        let s = redacted_command(&cmd);
        assert_eq!(
            s,
            "aws secretsmanager put-secret-value --secret-id --secret-string"
        );
        assert!(!s.contains("hunter2"));
    }

    #[test]
    fn sinks_from_the_environment() {
        assert!(matches!(
            AuditSink::from_lookup(|_| None),
            Ok(AuditSink::Stderr)
        ));
        assert!(matches!(
            AuditSink::from_lookup(|_| Some("off".into())),
            Ok(AuditSink::Off)
        ));
        let e = AuditSink::from_lookup(|_| Some("/nonexistent-dir/x/audit.log".into()))
            .expect_err("no such directory")
            .to_string();
        assert!(e.contains("AWS_MCP_AUDIT_LOG"), "{e}");
        let dir = std::env::temp_dir().join(format!("aws-mcp-audit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("audit.log");
        let sink = AuditSink::from_lookup(|_| Some(path.display().to_string())).expect("file");
        let rec = AuditRecord {
            time: rfc3339(SystemTime::now()),
            kind: "audit",
            transport: "stdio",
            caller: "local".into(),
            tool: "call_aws",
            outcome: "ran",
            reason: None,
            commands: vec![AuditCommand {
                command: Some("aws s3 ls".into()),
                status: "success",
                ..AuditCommand::default()
            }],
            identity: None,
            role: None,
            duration_ms: 3,
        };
        sink.record(&rec);
        sink.record(&rec);
        let text = std::fs::read_to_string(&path).expect("written");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["commands"][0]["command"], "aws s3 ls");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
