//! Which AWS CLI dialect (v1 or v2) the server validates and runs for.
//!
//! `AWS_MCP_CLI_VERSION` (or `aws-mcp check --cli-version`) chooses it:
//! `1` or `2` outright, or `auto` (the default), which reads
//! `aws --version` of the `aws` program once, at start, never per command.
//! With no `aws` program the dialect is 2: the native executor then does the
//! work, and models write v2 commands.
//!
//! `aws --version` starts a Python interpreter (0.3–0.6 s), so the answer is
//! kept in a small cache file (`$XDG_CACHE_HOME/aws-mcp/cli-version`, else
//! `~/.cache/aws-mcp/cli-version`) keyed by the program's resolved path,
//! size and modification time: a later start with the same program reads
//! it instead, and an upgraded program (a new file) is asked again.
//!
//! The profile's `cli_binary_format` (AWS CLI v2's config setting) is read
//! here too, from `$AWS_CONFIG_FILE` or `~/.aws/config`, for the validator,
//! and for the native executor's output its `cli_timestamp_format` and
//! `cli_error_format` (`AWS_CLI_ERROR_FORMAT` first), the settings of the
//! server's profile (a command's `--profile` does not change them).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_mcp_core::{BinaryFormat, Dialect};

/// `AWS_MCP_CLI_VERSION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CliVersion {
    /// Read `aws --version` of the `aws` program (v2 when there is none).
    #[default]
    Auto,
    /// AWS CLI v1.
    V1,
    /// AWS CLI v2.
    V2,
}

impl std::str::FromStr for CliVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(CliVersion::Auto),
            "1" | "v1" => Ok(CliVersion::V1),
            "2" | "v2" => Ok(CliVersion::V2),
            _ => Err("it must be auto, 1 or 2".into()),
        }
    }
}

/// The dialect in force, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CliDialect {
    /// v1 or v2.
    pub dialect: Dialect,
    /// The `aws` program's version (`2.9.19`), when it was read.
    pub version: Option<String>,
    /// How it was chosen, for `check` and the server's instructions.
    pub source: String,
    /// v2's blob format from the profile (`cli_binary_format`), default base64.
    pub binary_format: BinaryFormat,
    /// The profile's `cli_timestamp_format`, when set.
    pub timestamp_format: Option<String>,
    /// `AWS_CLI_ERROR_FORMAT`, else the profile's `cli_error_format`, when set.
    pub error_format: Option<String>,
}

impl CliDialect {
    /// `AWS CLI v2 (aws-cli/2.9.19, from aws --version)`.
    pub fn describe(&self) -> String {
        match &self.version {
            Some(v) => format!("{} (aws-cli/{v}; {})", self.dialect, self.source),
            None => format!("{} ({})", self.dialect, self.source),
        }
    }
}

/// Choose the dialect: `version` as configured, `aws_cli` the `aws` program.
pub fn resolve(version: CliVersion, aws_cli: &Path, profile: Option<&str>) -> CliDialect {
    let config = config_text();
    let setting = |key: &str| {
        config
            .as_deref()
            .and_then(|t| config_setting(t, profile.unwrap_or("default"), key))
    };
    let binary_format = setting("cli_binary_format")
        .and_then(|v| BinaryFormat::parse(&v))
        .unwrap_or_default();
    let timestamp_format = setting("cli_timestamp_format");
    let error_format = std::env::var("AWS_CLI_ERROR_FORMAT")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| setting("cli_error_format"));
    let fixed = |dialect, source: &str| CliDialect {
        dialect,
        version: None,
        source: source.into(),
        binary_format,
        timestamp_format: timestamp_format.clone(),
        error_format: error_format.clone(),
    };
    match version {
        CliVersion::V1 => fixed(Dialect::V1, "AWS_MCP_CLI_VERSION=1"),
        CliVersion::V2 => fixed(Dialect::V2, "AWS_MCP_CLI_VERSION=2"),
        CliVersion::Auto => match detect(aws_cli) {
            Detected::Version(d, v) => CliDialect {
                dialect: d,
                version: Some(v),
                source: format!("`{} --version`", aws_cli.display()),
                binary_format,
                timestamp_format: timestamp_format.clone(),
                error_format: error_format.clone(),
            },
            Detected::Missing => fixed(
                Dialect::V2,
                "no `aws` program found: the native executor runs commands, written as v2",
            ),
            Detected::Unknown(line) => fixed(
                Dialect::V2,
                &format!(
                    "`{} --version` printed {line:?}, not an AWS CLI version: v2 assumed",
                    aws_cli.display()
                ),
            ),
        },
    }
}

enum Detected {
    Version(Dialect, String),
    Missing,
    Unknown(String),
}

fn find_program(aws_cli: &Path) -> Option<PathBuf> {
    if aws_cli.components().count() > 1 {
        return aws_cli.is_file().then(|| aws_cli.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(aws_cli))
        .find(|p| p.is_file())
}

fn cache_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("aws-mcp").join("cli-version"))
}

fn program_key(program: &Path) -> Option<String> {
    let real = std::fs::canonicalize(program).ok()?;
    let md = std::fs::metadata(&real).ok()?;
    let mtime = md
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(format!("{}\t{}\t{mtime}", real.display(), md.len()))
}

fn detect(aws_cli: &Path) -> Detected {
    let Some(program) = find_program(aws_cli) else {
        return Detected::Missing;
    };
    let key = program_key(&program);
    let cache = cache_file();
    if let (Some(key), Some(cache)) = (&key, &cache) {
        if let Ok(text) = std::fs::read_to_string(cache) {
            for line in text.lines() {
                if let Some(v) = line
                    .strip_prefix(key.as_str())
                    .and_then(|r| r.strip_prefix('\t'))
                {
                    if let Some(d) = Dialect::from_version_line(&format!("aws-cli/{v}")) {
                        return Detected::Version(d, v.to_string());
                    }
                }
            }
        }
    }
    let line = match run_version(&program) {
        Some(l) => l,
        None => return Detected::Missing,
    };
    let Some(d) = Dialect::from_version_line(&line) else {
        return Detected::Unknown(line.chars().take(80).collect());
    };
    let version = line
        .trim()
        .trim_start_matches("aws-cli/")
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    if let (Some(key), Some(cache)) = (key, cache) {
        if let Some(dir) = cache.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut kept: Vec<String> = std::fs::read_to_string(&cache)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.starts_with(&format!("{}\t", key.split('\t').next().unwrap_or(""))))
            .take(15)
            .map(String::from)
            .collect();
        kept.push(format!("{key}\t{version}"));
        let tmp = cache.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, kept.join("\n") + "\n").is_ok() {
            let _ = std::fs::rename(&tmp, &cache);
        }
    }
    Detected::Version(d, version)
}

/// `aws --version`: its first line (stdout, or stderr for old versions), with a time limit.
fn run_version(program: &Path) -> Option<String> {
    let mut child = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let out = child.wait_with_output().ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Some(
        String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
    )
}

/// The AWS config file (`$AWS_CONFIG_FILE`, else `~/.aws/config`), if readable.
fn config_text() -> Option<String> {
    let path = std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".aws/config")))?;
    std::fs::read_to_string(path).ok()
}

/// One setting of one profile of an AWS config file (`[default]`, `[profile NAME]`).
pub(crate) fn config_setting(text: &str, profile: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') && l.ends_with(']') {
            let name = l[1..l.len() - 1].trim();
            let name = name.strip_prefix("profile ").map_or(name, str::trim);
            in_section = name == profile;
            continue;
        }
        if !in_section || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some((k, v)) = l.split_once('=') {
            if k.trim() == key {
                return Some(v.trim().to_string());
            }
        }
    }
    None
}

impl CliDialect {
    /// A validator over `catalog` for this dialect: its commands, options,
    /// blob format, and the installed version named in errors.
    pub fn validator<'c>(&self, catalog: &'c aws_mcp_core::Catalog) -> aws_mcp_core::Validator<'c> {
        let v = aws_mcp_core::Validator::new(catalog)
            .dialect(self.dialect)
            .binary_format(self.binary_format);
        match &self.version {
            Some(ver) => v.cli_version(ver.clone()),
            None => v,
        }
    }

    /// What the native executor prints: this dialect's output, with the
    /// installed version's error text and the profile's settings.
    pub fn native_output(&self) -> aws_mcp_native::CliOutput {
        let mut out = aws_mcp_native::CliOutput::new(self.dialect);
        out.version = self.version.clone();
        out.timestamp_format = self.timestamp_format.clone();
        out.error_format = self.error_format.clone();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!("auto".parse(), Ok(CliVersion::Auto));
        assert_eq!(" 2 ".parse(), Ok(CliVersion::V2));
        assert_eq!("v1".parse(), Ok(CliVersion::V1));
        assert!("3".parse::<CliVersion>().is_err());
    }

    #[test]
    fn fixed_versions_and_a_missing_program() {
        let d = resolve(CliVersion::V1, Path::new("aws"), None);
        assert_eq!(d.dialect, Dialect::V1);
        assert!(d.describe().contains("AWS_MCP_CLI_VERSION=1"));
        let d = resolve(CliVersion::Auto, Path::new("/nonexistent/dir/aws"), None);
        assert_eq!(d.dialect, Dialect::V2);
        assert!(d.source.contains("no `aws` program"), "{d:?}");
    }

    #[test]
    fn a_program_that_is_not_the_aws_cli() {
        let d = resolve(CliVersion::Auto, Path::new("/bin/true"), None);
        assert_eq!(d.dialect, Dialect::V2);
        assert!(d.source.contains("not an AWS CLI version"), "{d:?}");
    }

    #[test]
    fn profile_settings() {
        let text = "[default]\ncli_binary_format = raw-in-base64-out\n[profile dev]\nregion = eu-west-1\ncli_binary_format=base64\n";
        assert_eq!(
            config_setting(text, "default", "cli_binary_format").as_deref(),
            Some("raw-in-base64-out")
        );
        assert_eq!(
            config_setting(text, "dev", "cli_binary_format").as_deref(),
            Some("base64")
        );
        assert_eq!(config_setting(text, "other", "cli_binary_format"), None);
    }
}
