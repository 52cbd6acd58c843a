//! Server configuration from the environment.
//!
//! Every setting comes from an environment variable, under the names of the
//! seed document and of the reference server (both accepted). A value that
//! cannot be understood is an error at start-up naming the variable, never a
//! silent default. [`ServerConfig::from_lookup`] takes the lookup function so
//! that tests (and embedders) need not touch the process environment.
//!
//! The policy's settings (region, profile, working directory, read-only
//! mode, consent, local file access, the policy file) are read by the core's
//! [`PolicyConfig::from_env`]; this module adds what only the server needs:
//! the `aws` program, timeouts, the output cap and the default result limit.

use aws_mcp_core::pipeline::MAX_RESULTS_LIMIT;
use std::path::{Path, PathBuf};

use std::time::Duration;

use aws_mcp_core::{Catalog, PolicyConfig, PolicyError};

/// A start-up configuration error; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A policy setting is missing or wrong.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A variable has a value that is not allowed.
    #[error("{var}={value:?} is not valid: {reason}")]
    Invalid {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// Why it is rejected, and what is allowed.
        reason: String,
    },
}

/// Everything the stdio server needs to run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// `AWS_REGION`: the default region for commands without `--region`.
    pub region: String,
    /// `AWS_API_MCP_PROFILE_NAME` or `AWS_PROFILE`: the profile commands use
    /// unless they name one.
    pub profile: Option<String>,
    /// `AWS_API_MCP_WORKING_DIR`: the commands' working directory.
    pub working_dir: PathBuf,
    /// The policy's configuration (from the same environment).
    pub policy: PolicyConfig,
    /// `AWS_MCP_AWS_CLI`: the `aws` program (default: `aws` found on `PATH`).
    pub aws_cli: PathBuf,
    /// `AWS_MCP_TIMEOUT` (seconds): the longest a command may run.
    pub timeout: Duration,
    /// `AWS_MCP_CONNECT_TIMEOUT` (seconds): the longest a connection may take.
    pub connect_timeout: Duration,
    /// `AWS_MCP_MAX_OUTPUT_BYTES`: the most bytes of output a command returns.
    pub max_output_bytes: usize,
    /// `AWS_MCP_DEFAULT_MAX_ITEMS`: the result limit of paginated commands
    /// when the call gives no `max_results`.
    pub default_max_items: u32,
    /// Which executor runs commands (`AWS_MCP_EXECUTOR`).
    pub executor: ExecutorMode,
    /// `AWS_MCP_CLI_VERSION`: the AWS CLI dialect (`auto`, `1`, `2`); see [`crate::dialect`].
    pub cli_version: crate::dialect::CliVersion,
    /// `AWS_MCP_CALL_TIMEOUT` (seconds): the longest one call (a batch of
    /// commands) may run (default 300).
    pub call_timeout: Duration,
    /// `AWS_MCP_AUDIT_LOG`: where the audit lines go (see [`crate::audit`]).
    pub audit: std::sync::Arc<crate::audit::AuditSink>,
    /// `AWS_MCP_CONSENT_KEY`: the key sealing consent states (see
    /// [`crate::consent`]); random per process when unset.
    pub consent: std::sync::Arc<crate::consent::ConsentSeal>,
}

/// Which executor runs commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
#[non_exhaustive]
pub enum ExecutorMode {
    /// The native executor for the commands it covers, the `aws` program for
    /// the rest (the default).
    #[default]
    Auto,
    /// Only the native executor; other commands fail with the reason.
    Native,
    /// Only the `aws` program.
    Subprocess,
}

impl std::str::FromStr for ExecutorMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ExecutorMode::Auto),
            "native" => Ok(ExecutorMode::Native),
            "subprocess" | "aws" | "cli" => Ok(ExecutorMode::Subprocess),
            _ => Err("it must be auto, native or subprocess".into()),
        }
    }
}

impl ServerConfig {
    /// The limits every command runs with.
    pub fn settings(&self) -> aws_mcp_core::pipeline::Settings {
        let mut s = aws_mcp_core::pipeline::Settings::default();
        s.default_max_items = self.default_max_items;
        s.timeout = self.timeout;
        s.connect_timeout = self.connect_timeout;
        s.output_cap = self.max_output_bytes;
        s.call_timeout = Some(self.call_timeout);
        s
    }

    /// Reads the configuration from the process environment.
    pub fn from_env(catalog: &Catalog) -> Result<ServerConfig, ConfigError> {
        Self::from_lookup(catalog, |k| std::env::var(k).ok())
    }

    /// Reads the configuration through `lookup` (a variable name to its value).
    pub fn from_lookup(
        catalog: &Catalog,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ServerConfig, ConfigError> {
        let policy = PolicyConfig::from_env(catalog, &lookup)?;
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());

        // A relative path with a directory part is taken from the server's
        // current directory (commands run in the working directory).
        let aws_cli = match get("AWS_MCP_AWS_CLI").map(PathBuf::from) {
            None => PathBuf::from("aws"),
            Some(p) if p.is_relative() && p.components().count() > 1 => std::path::absolute(&p)
                .map_err(|e| ConfigError::Invalid {
                    var: "AWS_MCP_AWS_CLI",
                    value: p.display().to_string(),
                    reason: e.to_string(),
                })?,
            Some(p) => p,
        };
        let timeout = parse_secs(&get, "AWS_MCP_TIMEOUT", 60)?;
        let connect_timeout = parse_secs(&get, "AWS_MCP_CONNECT_TIMEOUT", 10)?;
        let call_timeout = parse_secs(&get, "AWS_MCP_CALL_TIMEOUT", 300)?;
        let audit =
            crate::audit::AuditSink::from_lookup(&lookup).map_err(|e| ConfigError::Invalid {
                var: "AWS_MCP_AUDIT_LOG",
                value: get("AWS_MCP_AUDIT_LOG").unwrap_or_default(),
                reason: e.to_string(),
            })?;
        let consent = crate::consent::ConsentSeal::from_lookup(&lookup).map_err(|e| {
            ConfigError::Invalid {
                var: "AWS_MCP_CONSENT_KEY",
                value: "(not shown)".into(),
                reason: e.to_string(),
            }
        })?;
        let max_output_bytes = parse_num(&get, "AWS_MCP_MAX_OUTPUT_BYTES", 256 * 1024, 1024)?;
        let default_max_items = parse_num(
            &get,
            "AWS_MCP_DEFAULT_MAX_ITEMS",
            100,
            u64::from(MAX_RESULTS_LIMIT),
        )?;

        let executor = match get("AWS_MCP_EXECUTOR") {
            None => ExecutorMode::Auto,
            Some(v) => v.parse().map_err(|reason| ConfigError::Invalid {
                var: "AWS_MCP_EXECUTOR",
                value: v.clone(),
                reason,
            })?,
        };

        let cli_version = match get("AWS_MCP_CLI_VERSION") {
            None => crate::dialect::CliVersion::Auto,
            Some(v) => v.parse().map_err(|reason| ConfigError::Invalid {
                var: "AWS_MCP_CLI_VERSION",
                value: v.clone(),
                reason,
            })?,
        };

        Ok(ServerConfig {
            region: policy.region.clone(),
            profile: policy.profile.clone(),
            working_dir: policy.working_dir.clone(),
            policy,
            aws_cli,
            timeout,
            connect_timeout,
            max_output_bytes: usize::try_from(max_output_bytes).unwrap_or(usize::MAX),
            default_max_items: u32::try_from(default_max_items).unwrap_or(MAX_RESULTS_LIMIT),
            executor,
            cli_version,
            call_timeout,
            audit: std::sync::Arc::new(audit),
            consent: std::sync::Arc::new(consent),
        })
    }

    /// The AWS CLI dialect in force: runs `aws --version` when
    /// `AWS_MCP_CLI_VERSION=auto` (once; see [`crate::dialect`]).
    pub fn cli_dialect(&self) -> crate::dialect::CliDialect {
        crate::dialect::resolve(self.cli_version, &self.aws_cli, self.profile.as_deref())
    }
}

fn parse_num(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u64,
    min_or_max: u64,
) -> Result<u64, ConfigError> {
    let Some(v) = get(var) else {
        return Ok(default);
    };
    let n: u64 = v.trim().parse().map_err(|_| ConfigError::Invalid {
        var,
        value: v.clone(),
        reason: "it must be a whole number".into(),
    })?;
    // AWS_MCP_MAX_OUTPUT_BYTES has a floor; AWS_MCP_DEFAULT_MAX_ITEMS a ceiling.
    let ok = if var == "AWS_MCP_MAX_OUTPUT_BYTES" {
        n >= min_or_max
    } else {
        (1..=min_or_max).contains(&n)
    };
    if !ok {
        let reason = if var == "AWS_MCP_MAX_OUTPUT_BYTES" {
            format!("it must be at least {min_or_max}")
        } else {
            format!("it must be between 1 and {min_or_max}")
        };
        return Err(ConfigError::Invalid {
            var,
            value: v,
            reason,
        });
    }
    Ok(n)
}

fn parse_secs(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u64,
) -> Result<Duration, ConfigError> {
    let Some(v) = get(var) else {
        return Ok(Duration::from_secs(default));
    };
    match v.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err(ConfigError::Invalid {
            var,
            value: v,
            reason: "it must be a number of seconds between 0 and 86400".into(),
        }),
    }
}

/// Creates `dir` (and its parents) readable by its owner only.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::policy::FileAccess;
    use std::collections::HashMap;

    /// A configuration from `vars`, with `HOME` the temp directory (no
    /// policy file there) unless they name it.
    fn cfg(vars: &[(&str, &str)]) -> Result<ServerConfig, ConfigError> {
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("HOME".into()).or_insert_with(tmp);
        ServerConfig::from_lookup(Catalog::embedded(), move |k| map.get(k).cloned())
    }

    fn tmp() -> String {
        std::env::temp_dir().display().to_string()
    }

    #[test]
    fn region_is_required_and_validated() {
        let e = cfg(&[]).unwrap_err().to_string();
        assert!(e.contains("AWS_REGION"), "{e}");
        let e = cfg(&[("AWS_REGION", "mars-1")]).unwrap_err().to_string();
        assert!(e.contains("AWS_REGION") && e.contains("mars-1"), "{e}");
        let c = cfg(&[
            ("AWS_REGION", "eu-west-2"),
            ("AWS_API_MCP_WORKING_DIR", &tmp()),
        ])
        .unwrap();
        assert_eq!(c.region, "eu-west-2");
    }

    #[test]
    fn policy_settings_and_bad_values_name_the_variable() {
        let t = tmp();
        let c = cfg(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_API_MCP_WORKING_DIR", &t),
            ("READ_OPERATIONS_ONLY", "yes"),
            ("REQUIRE_MUTATION_CONSENT", "1"),
            (
                "AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS",
                "no-access",
            ),
            ("AWS_API_MCP_PROFILE_NAME", "dev"),
            ("AWS_PROFILE", "other"),
        ])
        .unwrap();
        assert!(c.policy.read_operations_only && c.policy.require_mutation_consent);
        assert_eq!(c.policy.file_access, FileAccess::NoAccess);
        assert_eq!(c.profile.as_deref(), Some("dev"));
        for (var, bad) in [
            ("READ_OPERATIONS_ONLY", "maybe"),
            ("REQUIRE_MUTATION_CONSENT", "2"),
            (
                "AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS",
                "everywhere",
            ),
            ("AWS_MCP_TIMEOUT", "-3"),
            ("AWS_MCP_CONNECT_TIMEOUT", "soon"),
            ("AWS_MCP_MAX_OUTPUT_BYTES", "10"),
            ("AWS_MCP_DEFAULT_MAX_ITEMS", "0"),
            ("AWS_MCP_TELEMETRY", "perhaps"),
            ("AWS_API_MCP_WORKING_DIR", "relative/dir"),
        ] {
            let mut vars = vec![("AWS_REGION", "us-east-1"), (var, bad)];
            if var != "AWS_API_MCP_WORKING_DIR" {
                vars.push(("AWS_API_MCP_WORKING_DIR", &t));
            }
            let e = cfg(&vars).unwrap_err().to_string();
            assert!(e.contains(var), "{var}: {e}");
        }
    }

    #[test]
    fn relative_aws_program_is_made_absolute() {
        let t = tmp();
        let c = cfg(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_API_MCP_WORKING_DIR", &t),
            ("AWS_MCP_AWS_CLI", ".venv/bin/aws"),
        ])
        .unwrap();
        assert!(c.aws_cli.is_absolute() && c.aws_cli.ends_with(".venv/bin/aws"));
        let c = cfg(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_API_MCP_WORKING_DIR", &t),
            ("AWS_MCP_AWS_CLI", "aws2"),
        ])
        .unwrap();
        assert_eq!(
            c.aws_cli,
            PathBuf::from("aws2"),
            "a bare name is looked up on PATH"
        );
    }
}
