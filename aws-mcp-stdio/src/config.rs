//! Server configuration from the environment.
//!
//! Every setting comes from an environment variable, under the names of the
//! seed document and of the reference server (both accepted). A value that
//! cannot be understood is an error at start-up naming the variable, never a
//! silent default. [`ServerConfig::from_lookup`] takes the lookup function so
//! that tests (and embedders) need not touch the process environment.
//!
//! The policy settings (read-only mode, consent, local file access) live in
//! [`PolicySettings`], parsed here until the core policy module's own
//! configuration takes them over.

use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_mcp_core::Catalog;

/// A start-up configuration error; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("{var} is not set; {hint}")]
    Missing {
        /// The variable.
        var: &'static str,
        /// What to set it to.
        hint: &'static str,
    },
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
    /// The working directory could not be created.
    #[error("could not create the working directory {path}: {reason}; set AWS_API_MCP_WORKING_DIR to an existing absolute directory")]
    WorkDir {
        /// The directory.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
}

/// Where local files may be read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileAccess {
    /// Only inside the working directory (the default).
    Workdir,
    /// Anywhere the user can reach.
    Unrestricted,
    /// No local file at all.
    NoAccess,
}

/// The policy settings the server reads from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySettings {
    /// `READ_OPERATIONS_ONLY`: only read-only commands run.
    pub read_only: bool,
    /// `REQUIRE_MUTATION_CONSENT`: mutations need the user's consent.
    pub require_mutation_consent: bool,
    /// `AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS`.
    pub file_access: FileAccess,
}

/// Everything the stdio server needs to run.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `AWS_REGION`: the default region for commands without `--region`.
    pub region: String,
    /// `AWS_API_MCP_PROFILE_NAME` or `AWS_PROFILE`: the profile commands use
    /// unless they name one.
    pub profile: Option<String>,
    /// `AWS_API_MCP_WORKING_DIR`: the commands' working directory.
    pub working_dir: PathBuf,
    /// Policy settings.
    pub policy: PolicySettings,
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
    /// `AWS_MCP_TELEMETRY` / `AWS_API_MCP_TELEMETRY`: accepted and recorded;
    /// this project sends nothing anywhere.
    pub telemetry: bool,
}

/// The most results a call may ask for through `max_results`.
pub const MAX_RESULTS_LIMIT: u32 = 10_000;

impl ServerConfig {
    /// Reads the configuration from the process environment.
    pub fn from_env(catalog: &Catalog) -> Result<ServerConfig, ConfigError> {
        Self::from_lookup(catalog, |k| std::env::var(k).ok())
    }

    /// Reads the configuration through `lookup` (a variable name to its value).
    pub fn from_lookup(
        catalog: &Catalog,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ServerConfig, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());

        let region = get("AWS_REGION").ok_or(ConfigError::Missing {
            var: "AWS_REGION",
            hint: "set it to the default region for commands, such as us-east-1",
        })?;
        let region = region.trim().to_string();
        if !valid_region(catalog, &region) {
            return Err(ConfigError::Invalid {
                var: "AWS_REGION",
                value: region,
                reason: "not a region name; use one such as us-east-1 or eu-west-2".into(),
            });
        }

        let profile = get("AWS_API_MCP_PROFILE_NAME")
            .or_else(|| get("AWS_PROFILE"))
            .map(|p| p.trim().to_string());

        let working_dir = match get("AWS_API_MCP_WORKING_DIR") {
            Some(dir) => {
                let p = PathBuf::from(&dir);
                if !p.is_absolute() {
                    return Err(ConfigError::Invalid {
                        var: "AWS_API_MCP_WORKING_DIR",
                        value: dir,
                        reason: "it must be an absolute path".into(),
                    });
                }
                if !p.is_dir() {
                    return Err(ConfigError::Invalid {
                        var: "AWS_API_MCP_WORKING_DIR",
                        value: dir,
                        reason: "it must be an existing directory".into(),
                    });
                }
                p
            }
            None => default_working_dir(&get)?,
        };

        let read_only = parse_bool(&get, "READ_OPERATIONS_ONLY")?.unwrap_or(false);
        let require_mutation_consent =
            parse_bool(&get, "REQUIRE_MUTATION_CONSENT")?.unwrap_or(false);
        let file_access = match get("AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS") {
            None => FileAccess::Workdir,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "workdir" | "false" | "no" | "0" => FileAccess::Workdir,
                "unrestricted" | "true" | "yes" | "1" => FileAccess::Unrestricted,
                "no-access" | "no_access" | "none" => FileAccess::NoAccess,
                _ => {
                    return Err(ConfigError::Invalid {
                        var: "AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS",
                        value: v,
                        reason: "use workdir, unrestricted or no-access".into(),
                    })
                }
            },
        };
        let telemetry = match parse_bool(&get, "AWS_MCP_TELEMETRY")? {
            Some(t) => t,
            None => parse_bool(&get, "AWS_API_MCP_TELEMETRY")?.unwrap_or(false),
        };

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
        let max_output_bytes = parse_num(&get, "AWS_MCP_MAX_OUTPUT_BYTES", 256 * 1024, 1024)?;
        let default_max_items = parse_num(
            &get,
            "AWS_MCP_DEFAULT_MAX_ITEMS",
            100,
            u64::from(MAX_RESULTS_LIMIT),
        )?;

        Ok(ServerConfig {
            region,
            profile,
            working_dir,
            policy: PolicySettings {
                read_only,
                require_mutation_consent,
                file_access,
            },
            aws_cli,
            timeout,
            connect_timeout,
            max_output_bytes: usize::try_from(max_output_bytes).unwrap_or(usize::MAX),
            default_max_items: u32::try_from(default_max_items).unwrap_or(MAX_RESULTS_LIMIT),
            telemetry,
        })
    }
}

/// A region is valid when the catalog's partitions list it, or when it has
/// the shape of a region name (`xx-name-N`), so regions newer than the
/// catalog still work.
pub fn valid_region(catalog: &Catalog, region: &str) -> bool {
    if catalog.partition_of(region).is_some() {
        return true;
    }
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
) -> Result<Option<bool>, ConfigError> {
    match get(var) {
        None => Ok(None),
        Some(v) => match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Ok(Some(true)),
            "false" | "no" | "0" | "off" => Ok(Some(false)),
            _ => Err(ConfigError::Invalid {
                var,
                value: v,
                reason: "use true/yes/1 or false/no/0".into(),
            }),
        },
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

/// `$XDG_RUNTIME_DIR/aws-mcp/workdir`, else `<temp>/aws-mcp-<user>/workdir`,
/// created with owner-only permissions.
fn default_working_dir(get: &impl Fn(&str) -> Option<String>) -> Result<PathBuf, ConfigError> {
    let base = match get("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(d) if d.is_absolute() && d.is_dir() => d.join("aws-mcp"),
        _ => {
            let user = get("USER")
                .or_else(|| get("USERNAME"))
                .unwrap_or_else(|| "user".into());
            let user: String = user
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            std::env::temp_dir().join(format!("aws-mcp-{user}"))
        }
    };
    let dir = base.join("workdir");
    create_private_dir(&dir).map_err(|e| ConfigError::WorkDir {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(dir)
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
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<ServerConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
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
        let e = cfg(&[("AWS_REGION", "us-east-1; rm")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("AWS_REGION"), "{e}");
        let c = cfg(&[
            ("AWS_REGION", "eu-west-2"),
            ("AWS_API_MCP_WORKING_DIR", &tmp()),
        ])
        .unwrap();
        assert_eq!(c.region, "eu-west-2");
        // A region newer than the catalog, with a region's shape.
        assert!(cfg(&[
            ("AWS_REGION", "xy-newplace-9"),
            ("AWS_API_MCP_WORKING_DIR", &tmp())
        ])
        .is_ok());
    }

    #[test]
    fn booleans_and_bad_values_name_the_variable() {
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
        assert!(c.policy.read_only && c.policy.require_mutation_consent);
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

    #[test]
    fn working_dir_must_exist() {
        let e = cfg(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_API_MCP_WORKING_DIR", "/definitely/not/here/aws-mcp"),
        ])
        .unwrap_err()
        .to_string();
        assert!(e.contains("AWS_API_MCP_WORKING_DIR"), "{e}");
    }

    #[test]
    fn default_working_dir_is_created() {
        let base = std::env::temp_dir().join(format!("aws-mcp-cfg-test-{}", std::process::id()));
        std::fs::create_dir_all(&base).unwrap();
        let b = base.display().to_string();
        let c = cfg(&[("AWS_REGION", "us-east-1"), ("XDG_RUNTIME_DIR", &b)]).unwrap();
        assert_eq!(c.working_dir, base.join("aws-mcp").join("workdir"));
        assert!(c.working_dir.is_dir());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
