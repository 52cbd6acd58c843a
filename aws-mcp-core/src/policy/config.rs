//! The policy's configuration, read from environment variables.

use std::path::{Path, PathBuf};

use super::rules::PolicyRules;
use crate::catalog::Catalog;

/// Where local files may be read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FileAccess {
    /// Only inside the working directory (the default).
    Workdir,
    /// Anywhere the user may read or write.
    Unrestricted,
    /// Nowhere: every command that names a local file is denied.
    NoAccess,
}

/// Why the policy could not be configured. Every message names the variable
/// or file to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A boolean variable has a value that is not a boolean.
    #[error("{var}={value:?} is not a boolean; use true, false, yes, no, 1 or 0")]
    InvalidBool {
        /// The variable.
        var: String,
        /// Its value.
        value: String,
    },
    /// No region is configured.
    #[error("AWS_REGION is not set; set it to the default region, such as us-east-1")]
    MissingRegion,
    /// The region is not one the catalog knows.
    #[error("{var}={value:?} is not a known AWS region{hint}")]
    UnknownRegion {
        /// The variable.
        var: String,
        /// Its value.
        value: String,
        /// " (did you mean ...?)" or empty.
        hint: String,
    },
    /// The working directory setting is unusable.
    #[error(
        "AWS_API_MCP_WORKING_DIR={path:?} {problem}; set it to an existing absolute directory"
    )]
    WorkingDir {
        /// The path given.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The default working directory could not be created.
    #[error("cannot create the default working directory {path:?}: {message}; set AWS_API_MCP_WORKING_DIR to an existing directory")]
    CreateWorkingDir {
        /// The directory.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The local file access mode is not one of the accepted values.
    #[error("AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS={value:?} is not valid; use workdir, unrestricted or no-access")]
    InvalidFileAccess {
        /// Its value.
        value: String,
    },
    /// `HOME` is unset or not absolute, so the security policy file cannot
    /// be found (it is never silently skipped).
    #[error("{var} {problem}, so the security policy file ~/{file} cannot be found; set {var} to your home directory (absolute)")]
    Home {
        /// The variable (`HOME`; `USERPROFILE` on Windows).
        var: &'static str,
        /// What is wrong with it.
        problem: String,
        /// The file, relative to HOME.
        file: &'static str,
    },
    /// The security policy file exists but cannot be read or parsed.
    #[error("the security policy file {path} is malformed: {message}; fix or remove it")]
    PolicyFile {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An entry of the security policy file is not a valid command pattern.
    #[error("the security policy file {path} has an invalid {list} entry {entry:?}: {message}")]
    PolicyRule {
        /// The file (or `<inline>`).
        path: String,
        /// `denyList` or `elicitList`.
        list: String,
        /// The entry.
        entry: String,
        /// What is wrong.
        message: String,
    },
}

/// Everything the policy needs to decide. Build it with
/// [`PolicyConfig::from_env`] (the server) or [`PolicyConfig::new`] (tests,
/// embedders) and adjust the public fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PolicyConfig {
    /// `READ_OPERATIONS_ONLY`: only Read and List commands may run.
    pub read_operations_only: bool,
    /// `REQUIRE_MUTATION_CONSENT`: mutating commands need the user's consent.
    pub require_mutation_consent: bool,
    /// `AWS_API_MCP_WORKING_DIR`, canonicalized.
    pub working_dir: PathBuf,
    /// `AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS`.
    pub file_access: FileAccess,
    /// The home directory (`HOME`), for `~` in paths.
    pub home: Option<PathBuf>,
    /// `AWS_API_MCP_PROFILE_NAME` or `AWS_PROFILE`: the only profile `--profile` may name.
    pub profile: Option<String>,
    /// `AWS_REGION`: the default region.
    pub region: String,
    /// `AWS_MCP_ALLOW_ENDPOINT_URLS`: `--endpoint-url` may point anywhere
    /// (and `--no-verify-ssl` is allowed).
    pub allow_endpoint_urls: bool,
    /// `AWS_MCP_ALLOW_OTHER_PROFILES`: `--profile` may name any profile.
    pub allow_other_profiles: bool,
    /// `AWS_MCP_ALLOW_CREDENTIAL_COMMANDS`: commands that return usable
    /// credentials (`sts assume-role`, `ecr get-login-password`) may run.
    pub allow_credential_commands: bool,
    /// The deny and elicit lists of the security policy file.
    pub rules: PolicyRules,
    /// The security policy file that was loaded, if one exists.
    pub policy_file: Option<PathBuf>,
    /// `KUBECONFIG`: the files `eks update-kubeconfig` reads and writes
    /// when `--kubeconfig` is not given (`:`-separated).
    pub kubeconfig_env: Option<String>,
    /// Every region the catalog knows (for `--region`).
    pub(crate) known_regions: Vec<String>,
}

/// The security policy file, relative to the home directory.
pub const POLICY_FILE: &str = ".aws/aws-api-mcp/mcp-security-policy.json";

impl PolicyConfig {
    /// A configuration with defaults: not read-only, no consent, files
    /// confined to `working_dir` (canonicalized; it must exist), no policy
    /// file, only the given region's partition checks.
    ///
    /// # Errors
    /// [`PolicyError`] when the region is unknown or the working directory
    /// is not an absolute, existing directory.
    pub fn new(
        catalog: &Catalog,
        region: &str,
        working_dir: impl AsRef<Path>,
    ) -> Result<PolicyConfig, PolicyError> {
        let region = check_region(catalog, "AWS_REGION", region)?;
        let working_dir = check_working_dir(working_dir.as_ref())?;
        Ok(PolicyConfig {
            read_operations_only: false,
            require_mutation_consent: false,
            working_dir,
            file_access: FileAccess::Workdir,
            home: None,
            profile: None,
            region,
            allow_endpoint_urls: false,
            allow_other_profiles: false,
            allow_credential_commands: false,
            rules: PolicyRules::default(),
            policy_file: None,
            kubeconfig_env: None,
            known_regions: known_regions(catalog),
        })
    }

    /// Read the configuration from environment variables through `lookup`
    /// (pass `|k| std::env::var(k).ok()` in a server), and load the security
    /// policy file `$HOME/.aws/aws-api-mcp/mcp-security-policy.json` if it
    /// exists. A bad value is an error naming the variable (`HOME` unset or
    /// relative too: the policy file is never silently skipped); the default
    /// working directory is created when missing.
    ///
    /// Variables: `READ_OPERATIONS_ONLY`, `REQUIRE_MUTATION_CONSENT`,
    /// `AWS_API_MCP_WORKING_DIR`, `AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS`
    /// (`workdir`, `unrestricted`, `no-access`; legacy `true` = unrestricted,
    /// `false` = workdir), `AWS_API_MCP_PROFILE_NAME` / `AWS_PROFILE`,
    /// `AWS_REGION` (else `AWS_DEFAULT_REGION`), `AWS_MCP_ALLOW_ENDPOINT_URLS`,
    /// `AWS_MCP_ALLOW_OTHER_PROFILES`, `AWS_MCP_ALLOW_CREDENTIAL_COMMANDS`,
    /// `AWS_MCP_TELEMETRY` / `AWS_API_MCP_TELEMETRY` (checked, unused),
    /// the home directory ([`home_dir`]: `HOME`; on Windows `USERPROFILE`),
    /// `KUBECONFIG`, `XDG_RUNTIME_DIR`, `TMPDIR`, `USER` (on Windows `TMP`,
    /// `TEMP`, `USERNAME`).
    pub fn from_env(
        catalog: &Catalog,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<PolicyConfig, PolicyError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let flag = |k: &str| -> Result<bool, PolicyError> {
            match get(k) {
                None => Ok(false),
                Some(v) => parse_bool(&v).ok_or(PolicyError::InvalidBool {
                    var: k.into(),
                    value: v,
                }),
            }
        };
        for t in ["AWS_MCP_TELEMETRY", "AWS_API_MCP_TELEMETRY"] {
            flag(t)?;
        }
        let (region_var, region) = match (get("AWS_REGION"), get("AWS_DEFAULT_REGION")) {
            (Some(r), _) => ("AWS_REGION", r),
            (None, Some(r)) => ("AWS_DEFAULT_REGION", r),
            (None, None) => return Err(PolicyError::MissingRegion),
        };
        let region = check_region(catalog, region_var, region.trim())?;
        // Without a home directory the policy file cannot be looked for:
        // refuse to start rather than run without the user's lists.
        let home_var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
        let home = match home_dir(get, cfg!(windows)) {
            Some(h) if Path::new(h.trim()).is_absolute() => Some(PathBuf::from(h.trim())),
            Some(h) => {
                return Err(PolicyError::Home {
                    var: home_var,
                    problem: format!("is {h:?}, not an absolute path"),
                    file: POLICY_FILE,
                })
            }
            None => {
                return Err(PolicyError::Home {
                    var: home_var,
                    problem: "is not set".into(),
                    file: POLICY_FILE,
                })
            }
        };
        let working_dir = match get("AWS_API_MCP_WORKING_DIR") {
            Some(dir) => check_working_dir(Path::new(dir.trim()))?,
            None => default_working_dir(&get)?,
        };
        let file_access = match get("AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS") {
            None => FileAccess::Workdir,
            Some(v) => parse_file_access(&v)?,
        };
        let profile = get("AWS_API_MCP_PROFILE_NAME")
            .or_else(|| get("AWS_PROFILE"))
            .map(|p| p.trim().to_string());
        let (rules, policy_file) = match &home {
            Some(h) => {
                let path = h.join(POLICY_FILE);
                match std::fs::read(&path) {
                    Ok(bytes) => (
                        PolicyRules::parse(catalog, &bytes, &path.display().to_string())?,
                        Some(path),
                    ),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        (PolicyRules::default(), None)
                    }
                    Err(e) => {
                        return Err(PolicyError::PolicyFile {
                            path: path.display().to_string(),
                            message: e.to_string(),
                        })
                    }
                }
            }
            None => (PolicyRules::default(), None),
        };
        Ok(PolicyConfig {
            read_operations_only: flag("READ_OPERATIONS_ONLY")?,
            require_mutation_consent: flag("REQUIRE_MUTATION_CONSENT")?,
            working_dir,
            file_access,
            home,
            profile,
            region,
            allow_endpoint_urls: flag("AWS_MCP_ALLOW_ENDPOINT_URLS")?,
            allow_other_profiles: flag("AWS_MCP_ALLOW_OTHER_PROFILES")?,
            allow_credential_commands: flag("AWS_MCP_ALLOW_CREDENTIAL_COMMANDS")?,
            rules,
            policy_file,
            kubeconfig_env: get("KUBECONFIG"),
            known_regions: known_regions(catalog),
        })
    }

    /// Whether `region` is a region the catalog knows.
    pub fn is_known_region(&self, region: &str) -> bool {
        self.known_regions.iter().any(|r| r == region)
    }
}

/// The user's home directory as the AWS CLI finds it (Python's
/// `os.path.expanduser("~")`, which locates `~/.aws/config` and the policy
/// file): `HOME` on Unix; on Windows `USERPROFILE`, else `HOMEDRIVE` followed
/// by `HOMEPATH` (Python ignores `HOME` there). `windows` picks the rules, so
/// both are testable anywhere; callers pass `cfg!(windows)`.
pub fn home_dir(get: impl Fn(&str) -> Option<String>, windows: bool) -> Option<String> {
    let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    if !windows {
        return get("HOME");
    }
    get("USERPROFILE").or_else(|| match (get("HOMEDRIVE"), get("HOMEPATH")) {
        (Some(drive), Some(path)) => Some(format!("{drive}{path}")),
        _ => None,
    })
}

/// `true`/`yes`/`1`/`on` and `false`/`no`/`0`/`off`, in any case.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Some(true),
        "false" | "no" | "0" | "off" => Some(false),
        _ => None,
    }
}

fn parse_file_access(v: &str) -> Result<FileAccess, PolicyError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "workdir" | "false" | "no" | "0" => Ok(FileAccess::Workdir),
        "unrestricted" | "true" | "yes" | "1" => Ok(FileAccess::Unrestricted),
        "no-access" | "no_access" | "none" => Ok(FileAccess::NoAccess),
        _ => Err(PolicyError::InvalidFileAccess { value: v.into() }),
    }
}

fn known_regions(catalog: &Catalog) -> Vec<String> {
    catalog
        .partitions()
        .iter()
        .flat_map(|p| p.regions.iter().cloned())
        .collect()
}

fn check_region(catalog: &Catalog, var: &str, region: &str) -> Result<String, PolicyError> {
    if catalog.partition_of(region).is_some() {
        return Ok(region.to_string());
    }
    let lower = region.to_ascii_lowercase().replace('_', "-");
    let hint = if catalog.partition_of(&lower).is_some() {
        format!(" (did you mean {lower}?)")
    } else {
        let regions = known_regions(catalog);
        // The validator's own closest-name search, so `--region` and
        // `AWS_REGION` suggest alike.
        match crate::validate::suggest::closest(&lower, regions.iter().map(String::as_str))
            .into_iter()
            .next()
        {
            Some(b) => format!(" (did you mean {b}?)"),
            None => String::new(),
        }
    };
    Err(PolicyError::UnknownRegion {
        var: var.into(),
        value: region.into(),
        hint,
    })
}

fn check_working_dir(dir: &Path) -> Result<PathBuf, PolicyError> {
    let err = |problem: &str| PolicyError::WorkingDir {
        path: dir.display().to_string(),
        problem: problem.into(),
    };
    if !dir.is_absolute() {
        return Err(err("is not an absolute path"));
    }
    let canon = std::fs::canonicalize(dir).map_err(|_| err("does not exist"))?;
    if !canon.is_dir() {
        return Err(err("is not a directory"));
    }
    Ok(canon)
}

/// The temporary directory: `TMPDIR` else `/tmp` on Unix; `TMP`, else
/// `TEMP`, else `USERPROFILE\AppData\Local\Temp` on Windows (the order of
/// `GetTempPath`).
fn temp_dir(get: &impl Fn(&str) -> Option<String>, windows: bool) -> Option<String> {
    if !windows {
        return Some(get("TMPDIR").unwrap_or_else(|| "/tmp".into()));
    }
    get("TMP")
        .or_else(|| get("TEMP"))
        .or_else(|| get("USERPROFILE").map(|h| format!("{h}\\AppData\\Local\\Temp")))
}

/// `$XDG_RUNTIME_DIR/aws-mcp/workdir`, else `<temp>/aws-mcp-$USER/workdir`
/// ([`temp_dir`]; `USERNAME` on Windows), created with mode 0700 on Unix (on
/// Windows the user's temporary directory is already private to the user).
fn default_working_dir(get: &impl Fn(&str) -> Option<String>) -> Result<PathBuf, PolicyError> {
    let dir = match get("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        Some(x) => x.join("aws-mcp").join("workdir"),
        None => {
            let tmp = temp_dir(get, cfg!(windows))
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(std::env::temp_dir);
            let user: String = get("USER")
                .or_else(|| get("LOGNAME"))
                .or_else(|| get("USERNAME"))
                .unwrap_or_else(|| "user".into())
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            tmp.join(format!("aws-mcp-{user}")).join("workdir")
        }
    };
    let mk = |e: std::io::Error| PolicyError::CreateWorkingDir {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(mk)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Some(parent) = dir.parent() {
            std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o700)).map_err(mk)?;
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(mk)?;
    }
    std::fs::canonicalize(&dir).map_err(mk)
}

#[cfg(test)]
mod platform_tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn home_is_home_on_unix_and_userprofile_on_windows() {
        let e = env(&[
            ("HOME", "/home/alice"),
            ("USERPROFILE", r"C:\Users\alice"),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", r"\Profiles\alice"),
        ]);
        assert_eq!(home_dir(&e, false).as_deref(), Some("/home/alice"));
        assert_eq!(home_dir(&e, true).as_deref(), Some(r"C:\Users\alice"));
        let e = env(&[
            ("HOME", "/c/Users/git-bash"),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", r"\Profiles\alice"),
        ]);
        assert_eq!(
            home_dir(&e, true).as_deref(),
            Some(r"D:\Profiles\alice"),
            "HOME (set by Git Bash) is not what Python uses on Windows"
        );
        assert_eq!(home_dir(env(&[("HOMEDRIVE", "D:")]), true), None);
        assert_eq!(home_dir(env(&[("HOME", " ")]), false), None);
    }

    #[test]
    fn temp_dir_follows_each_platform() {
        let e = env(&[
            ("TMPDIR", "/var/tmp"),
            ("TEMP", r"C:\T"),
            ("USERPROFILE", r"C:\Users\a"),
        ]);
        assert_eq!(temp_dir(&e, false).as_deref(), Some("/var/tmp"));
        assert_eq!(temp_dir(&env(&[]), false).as_deref(), Some("/tmp"));
        assert_eq!(temp_dir(&e, true).as_deref(), Some(r"C:\T"));
        let e = env(&[("TMP", r"C:\A"), ("TEMP", r"C:\B")]);
        assert_eq!(temp_dir(&e, true).as_deref(), Some(r"C:\A"));
        let e = env(&[("USERPROFILE", r"C:\Users\a")]);
        assert_eq!(
            temp_dir(&e, true).as_deref(),
            Some(r"C:\Users\a\AppData\Local\Temp")
        );
    }
}
