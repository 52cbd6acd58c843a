//! The subprocess executor: runs the installed `aws` program.
//!
//! ## Design
//!
//! * **No shell.** The validated argv goes straight to `exec` through
//!   [`tokio::process::Command`]; no word is ever interpreted by a shell.
//! * **Region and profile.** A command without `--region` gets the
//!   configured default region appended; the configured profile is passed as
//!   `AWS_PROFILE` (a `--profile` on the command line still wins, as in the
//!   CLI). `AWS_DEFAULT_PROFILE` is removed from the program's environment:
//!   awscli v1 prefers it to `AWS_PROFILE`, so it would run under a profile
//!   the policy never saw. Without a configured profile both are removed and
//!   the CLI uses `default`.
//! * **No URL fetching.** awscli v1 fetches `http(s)://` parameter values
//!   unless the profile's `cli_follow_urlparam` is `false`, and it reads that
//!   only from the config file. So each run gets its own config file: a copy
//!   of the user's (`$AWS_CONFIG_FILE` or `~/.aws/config`, read fresh each
//!   time, never modified) in which every `[default]` / `[profile …]` section
//!   says `cli_follow_urlparam = false` (any user setting of it is dropped),
//!   with sections added when missing for `default`, the profile in use and
//!   every profile of the credentials file (`$AWS_SHARED_CREDENTIALS_FILE`
//!   or `~/.aws/credentials`, of which only the section names are read), so
//!   whichever profile the CLI ends up with, fetching is off. The copy lives
//!   in an owner-only private directory, is passed as `AWS_CONFIG_FILE`, and
//!   is removed when the run ends. Credentials files are not touched: botocore
//!   merges them as usual.
//! * **Bounded.** The run is killed when it outlives the timeout or when its
//!   future is dropped (a client's cancellation drops it), and with it every
//!   process it started (`process`: a process group killed with
//!   `SIGKILL` on Unix, a job object killed on close on Windows), so nothing
//!   it started lingers. Standard output and error are read concurrently and
//!   kept up to their caps; the rest is counted and dropped.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_mcp_core::exec::{cap_output, Capped};
use aws_mcp_core::{ExecError, ExecOptions, ExecOutput, Executor, ValidatedCommand};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::process::ProcessTree;

/// Runs commands with the installed `aws` program.
#[derive(Debug)]
pub struct SubprocessExecutor {
    program: PathBuf,
    region: String,
    profile: Option<String>,
    working_dir: PathBuf,
    private_dir: PathBuf,
    user_config: Option<PathBuf>,
    credentials: Option<PathBuf>,
    counter: AtomicU64,
}

impl SubprocessExecutor {
    /// An executor running `program` (a path, or a name looked up on `PATH`;
    /// on Windows `aws.exe`, `aws.cmd`, ... as [`crate::program`] finds them)
    /// in `working_dir`, with `region` as the default region and `profile` as
    /// the default profile. It reads the user's AWS config file from
    /// `$AWS_CONFIG_FILE` or `~/.aws/config` ([`user_config_path`]).
    pub fn new(
        program: impl Into<PathBuf>,
        region: impl Into<String>,
        profile: Option<String>,
        working_dir: impl Into<PathBuf>,
    ) -> Result<SubprocessExecutor, ExecError> {
        let user_config = user_config_path(|k| std::env::var(k).ok(), cfg!(windows));
        let credentials = credentials_path(|k| std::env::var(k).ok(), cfg!(windows));
        let private_dir = std::env::temp_dir().join(format!(
            "aws-mcp-run-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        crate::config::create_private_dir(&private_dir).map_err(|e| {
            ExecError::Config(format!(
                "cannot create the private directory {}: {e}",
                private_dir.display()
            ))
        })?;
        Ok(SubprocessExecutor {
            program: crate::program::resolve(program.into()),
            region: region.into(),
            profile,
            working_dir: working_dir.into(),
            private_dir,
            user_config,
            credentials,
            counter: AtomicU64::new(0),
        })
    }

    /// Reads the user's AWS config from `path` instead of the default place.
    pub fn with_user_config(mut self, path: Option<PathBuf>) -> Self {
        self.user_config = path;
        self
    }

    /// Reads the profile names of the shared credentials file from `path`
    /// instead of the default place.
    pub fn with_credentials_file(mut self, path: Option<PathBuf>) -> Self {
        self.credentials = path;
        self
    }

    /// The profile a run of `command` uses: its `--profile`, else the
    /// configured one (`None`: the CLI's `default`).
    fn profile_for<'a>(&'a self, command: &'a ValidatedCommand) -> Option<&'a str> {
        command
            .globals()
            .profile
            .as_deref()
            .or(self.profile.as_deref())
    }

    /// The program this executor runs.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The full argument list for `command` (without the program name).
    pub fn argv(&self, command: &ValidatedCommand, options: &ExecOptions) -> Vec<String> {
        let mut argv = bounded_argv(command, options);
        if command.region().is_none() && command.globals().region.is_none() {
            argv.push("--region".into());
            argv.push(self.region.clone());
        }
        argv
    }

    fn write_config(&self, command: &ValidatedCommand) -> Result<TempFile, ExecError> {
        let user = match &self.user_config {
            Some(p) => match std::fs::read_to_string(p) {
                Ok(s) => s,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => {
                    return Err(ExecError::Config(format!(
                        "cannot read the AWS config file {}: {e}",
                        p.display()
                    )))
                }
            },
            None => String::new(),
        };
        // Only the section names of the credentials file are used.
        let credential_profiles = match &self.credentials {
            Some(p) => match std::fs::read_to_string(p) {
                Ok(s) => section_names(&s),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => {
                    return Err(ExecError::Config(format!(
                        "cannot read the AWS credentials file {}: {e}",
                        p.display()
                    )))
                }
            },
            None => Vec::new(),
        };
        let mut profiles: Vec<&str> = credential_profiles.iter().map(String::as_str).collect();
        profiles.extend(self.profile_for(command));
        let text = no_url_follow_config(&user, &profiles);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let path = self.private_dir.join(format!("config-{n}"));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = opts.open(&path)?;
            f.write_all(text.as_bytes())
        };
        write().map_err(|e| ExecError::Config(format!("cannot write {}: {e}", path.display())))?;
        Ok(TempFile(path))
    }
}

impl Drop for SubprocessExecutor {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.private_dir);
    }
}

/// The user's AWS config file as the AWS CLI finds it: `AWS_CONFIG_FILE`
/// (a leading `~` is the home directory), else `.aws/config` in the home
/// directory ([`aws_mcp_core::policy::home_dir`]: `HOME`, on Windows
/// `USERPROFILE`). `windows` picks the platform's rules (pass `cfg!(windows)`).
pub fn user_config_path(get: impl Fn(&str) -> Option<String>, windows: bool) -> Option<PathBuf> {
    aws_file_path(get, windows, "AWS_CONFIG_FILE", "config")
}

/// The shared credentials file as the AWS CLI finds it:
/// `AWS_SHARED_CREDENTIALS_FILE` (a leading `~` is the home directory), else
/// `.aws/credentials` in the home directory (only its section names are read).
pub fn credentials_path(get: impl Fn(&str) -> Option<String>, windows: bool) -> Option<PathBuf> {
    aws_file_path(get, windows, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

/// The file `var` names (a leading `~` is the home directory), else `.aws/NAME`
/// in the home directory: how the AWS CLI finds its config and credentials files.
fn aws_file_path(
    get: impl Fn(&str) -> Option<String>,
    windows: bool,
    var: &str,
    name: &str,
) -> Option<PathBuf> {
    let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    let home = || aws_mcp_core::policy::home_dir(get, windows).map(PathBuf::from);
    if let Some(file) = get(var) {
        let rest = file
            .strip_prefix("~/")
            .or_else(|| file.strip_prefix("~\\").filter(|_| windows));
        return match rest {
            Some(rest) => home().map(|h| h.join(rest)),
            None => Some(PathBuf::from(file)),
        };
    }
    home().map(|h| h.join(".aws").join(name))
}

/// A file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The section names of an INI file such as the shared credentials file
/// (`[name]` at the start of a line).
fn section_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']'))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The user's AWS config text with `cli_follow_urlparam = false` in every
/// profile section (and any user setting of it removed), plus sections for
/// `default` and each of `profiles` that the text lacks.
pub fn no_url_follow_config(user: &str, profiles: &[&str]) -> String {
    const KEY: &str = "cli_follow_urlparam = false";
    let mut out = String::with_capacity(user.len() + 128);
    let mut have: Vec<String> = Vec::new();
    for line in user.lines() {
        let trimmed = line.trim();
        // Top-level keys start at column 0; indented lines are nested values.
        let is_top = !line.starts_with([' ', '\t']);
        if is_top {
            if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                out.push_str(line);
                out.push('\n');
                let name = name.trim();
                let section = if name == "default" {
                    Some("default")
                } else {
                    name.strip_prefix("profile")
                        .filter(|rest| rest.starts_with([' ', '\t']))
                        .map(str::trim)
                };
                if let Some(s) = section {
                    out.push_str(KEY);
                    out.push('\n');
                    have.push(s.to_string());
                }
                continue;
            }
            let key = trimmed.split(['=', ':']).next().unwrap_or("").trim();
            if key == "cli_follow_urlparam" {
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    for p in std::iter::once("default").chain(profiles.iter().copied()) {
        // A name that cannot be a section name on one line is left out
        // (the CLI could not select it from the config file either).
        if p.contains(['\n', '\r', '[', ']']) || have.iter().any(|h| h == p) {
            continue;
        }
        if p == "default" {
            out.push_str(&format!("\n[default]\n{KEY}\n"));
        } else {
            out.push_str(&format!("\n[profile {p}]\n{KEY}\n"));
        }
        have.push(p.to_string());
    }
    out
}

/// Environment variables that choose credentials other than the
/// environment's keys: removed when a command runs with a caller's own
/// credentials.
const CREDENTIAL_SOURCES: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CREDENTIAL_EXPIRATION",
];

/// Reads `reader` to its end, keeping at most `cap` bytes.
async fn read_capped(mut reader: impl AsyncRead + Unpin, cap: usize) -> std::io::Result<Capped> {
    let mut kept = Vec::with_capacity(cap.min(64 * 1024));
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        total += n as u64;
        // Keep a few bytes past the cap so the cut can find a char boundary.
        let room = (cap + 4).saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    Ok(cap_output(&kept, cap, total))
}

#[async_trait::async_trait]
impl Executor for SubprocessExecutor {
    async fn execute(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError> {
        let argv = self.argv(command, options);
        let config = self.write_config(command)?;
        let mut cmd = tokio::process::Command::new(&self.program);
        cmd.args(&argv)
            .current_dir(&self.working_dir)
            .env("AWS_CONFIG_FILE", &config.0)
            .env("AWS_PAGER", "")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match &options.credentials {
            // The caller's own credentials: the environment is the first
            // source of the CLI's credential chain, and nothing points it at
            // the server's profile or role.
            Some(c) => {
                for var in CREDENTIAL_SOURCES {
                    cmd.env_remove(var);
                }
                cmd.env("AWS_ACCESS_KEY_ID", &c.access_key_id)
                    .env("AWS_SECRET_ACCESS_KEY", &c.secret_access_key);
                if let Some(t) = &c.session_token {
                    cmd.env("AWS_SESSION_TOKEN", t);
                }
            }
            None => {
                // awscli v1 prefers AWS_DEFAULT_PROFILE to AWS_PROFILE: never
                // let it pick a profile the policy did not see.
                cmd.env_remove("AWS_DEFAULT_PROFILE");
                match &self.profile {
                    Some(p) => cmd.env("AWS_PROFILE", p),
                    None => cmd.env_remove("AWS_PROFILE"),
                };
            }
        }
        let started = Instant::now();
        let (mut tree, stdout, stderr) = ProcessTree::spawn(cmd).map_err(|e| ExecError::Spawn {
            program: self.program.display().to_string(),
            reason: e.to_string(),
            source: Some(e),
        })?;
        let run = async {
            let (out, err, status) = tokio::join!(
                read_capped(stdout, options.output_cap),
                read_capped(stderr, options.error_cap),
                tree.wait()
            );
            Ok::<_, ExecError>((out?, err?, status?))
        };
        let result = tokio::time::timeout(options.timeout, run).await;
        // Whatever happened, nothing the command started outlives it.
        tree.kill();
        match result {
            Ok(Ok((out, err, status))) => {
                drop(config);
                Ok(ExecOutput::from_streams(
                    status.code(),
                    out,
                    err,
                    started.elapsed(),
                ))
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(ExecError::Timeout {
                seconds: timeout_secs(options.timeout),
            }),
        }
    }
}

/// The words to hand to the `aws` program for `command`: its normalized argv,
/// plus `--output json` when no output format was chosen (so the result can
/// be parsed, whatever the user's profile says), `--max-items` from
/// [`ExecOptions::max_items`] when the command does not bound itself, and
/// `--cli-connect-timeout` from [`ExecOptions::connect_timeout`] when the
/// command does not set it.
fn bounded_argv(command: &ValidatedCommand, options: &ExecOptions) -> Vec<String> {
    let mut argv = command.argv().to_vec();
    let given = |name: &str| {
        command.args().iter().any(|a| a.name == name)
            || command.argv().iter().any(|w| {
                w.strip_prefix("--")
                    .is_some_and(|rest| rest == name || rest.starts_with(&format!("{name}=")))
            })
    };
    if let Some(n) = options.max_items {
        // A skeleton request calls nothing (with `output`, awscli would
        // validate `--max-items` against the template and fail).
        if !command.globals().no_paginate && !given("max-items") && !given("generate-cli-skeleton")
        {
            argv.push("--max-items".into());
            argv.push(n.to_string());
        }
    }
    if command.globals().output.is_none() && !given("output") {
        argv.push("--output".into());
        argv.push("json".into());
    }
    if command.globals().cli_connect_timeout.is_none() && !given("cli-connect-timeout") {
        argv.push("--cli-connect-timeout".into());
        argv.push(options.connect_timeout.as_secs().max(1).to_string());
    }
    argv
}

fn timeout_secs(d: Duration) -> u64 {
    d.as_secs_f64().ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(text: &str) -> ValidatedCommand {
        aws_mcp_core::validate(aws_mcp_core::Catalog::embedded(), text).expect("a valid command")
    }

    #[test]
    fn argv_gets_limit_format_and_connect_timeout() {
        let mut opts = ExecOptions::default();
        opts.max_items = Some(7);
        let argv = bounded_argv(&cmd("aws s3api list-buckets"), &opts);
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
        let c = cmd("aws s3api list-objects-v2 --bucket b --max-items 3 --output text --cli-connect-timeout 4");
        let mut opts = ExecOptions::default();
        opts.max_items = Some(100);
        assert_eq!(bounded_argv(&c, &opts), c.argv());

        let c = cmd("aws ec2 describe-instances --no-paginate");
        let argv = bounded_argv(&c, &opts);
        assert!(!argv.iter().any(|w| w == "--max-items"));
        // A skeleton request calls nothing: no result limit.
        let c = cmd("aws ec2 describe-vpcs --generate-cli-skeleton output");
        let argv = bounded_argv(&c, &opts);
        assert!(!argv.iter().any(|w| w == "--max-items"));
    }

    #[test]
    fn config_copy_turns_url_following_off_everywhere() {
        let user = "[default]\nregion = us-east-1\ncli_follow_urlparam = true\n\n[profile dev]\nregion=eu-west-1\ns3 =\n  cli_follow_urlparam = x\n[sso-session corp]\nsso_region = us-east-1\n";
        let out = no_url_follow_config(user, &["dev"]);
        assert_eq!(out.matches("cli_follow_urlparam = false").count(), 2);
        assert!(!out.contains("cli_follow_urlparam = true"));
        assert!(
            out.contains("  cli_follow_urlparam = x"),
            "nested values are kept"
        );
        assert!(out.contains("[sso-session corp]\nsso_region = us-east-1"));
        assert!(!out.contains("[profile dev]\ncli_follow_urlparam = false\n\n[profile dev]"));
    }

    #[test]
    fn config_copy_adds_missing_sections() {
        let out = no_url_follow_config("", &["ci"]);
        assert_eq!(
            out,
            "\n[default]\ncli_follow_urlparam = false\n\n[profile ci]\ncli_follow_urlparam = false\n"
        );
        let out = no_url_follow_config("[profile x]\nregion = a\n", &[]);
        assert!(out.starts_with("[profile x]\ncli_follow_urlparam = false\nregion = a\n"));
        assert!(out.contains("[default]\ncli_follow_urlparam = false"));
    }

    #[test]
    fn config_copy_covers_every_profile_of_the_credentials_file() {
        let creds =
            "[default]\naws_access_key_id = a\n[evil]\naws_access_key_id = b\n  [nested]\n[ ci ]\n";
        let names = section_names(creds);
        assert_eq!(names, ["default", "evil", "ci"]);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let out = no_url_follow_config("[profile ci]\nregion = x\n", &refs);
        for section in ["[default]", "[profile evil]", "[profile ci]"] {
            let at = out
                .find(section)
                .unwrap_or_else(|| panic!("{section} in {out}"));
            assert!(out[at..].starts_with(&format!("{section}\ncli_follow_urlparam = false\n")));
        }
        assert_eq!(out.matches("[profile ci]").count(), 1);
        assert!(!out.contains("aws_access_key_id"), "no secret is copied");
        // Names that cannot be one section are left out.
        let out = no_url_follow_config("", &["a]\n[b"]);
        assert!(!out.contains("[b"));
    }

    #[test]
    fn user_config_is_found_where_the_cli_finds_it() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let unix = env(&[("HOME", "/home/a"), ("USERPROFILE", "C:/Users/a")]);
        assert_eq!(
            user_config_path(unix, false),
            Some(PathBuf::from("/home/a/.aws/config"))
        );
        let windows = env(&[("HOME", "/c/msys"), ("USERPROFILE", "C:/Users/a")]);
        assert_eq!(
            user_config_path(windows, true),
            Some(PathBuf::from("C:/Users/a").join(".aws").join("config"))
        );
        let explicit = env(&[("AWS_CONFIG_FILE", "~/cfg/aws"), ("HOME", "/home/a")]);
        assert_eq!(
            user_config_path(explicit, false),
            Some(PathBuf::from("/home/a/cfg/aws"))
        );
        let explicit = env(&[("AWS_CONFIG_FILE", "/etc/aws.cfg")]);
        assert_eq!(
            user_config_path(explicit, false),
            Some(PathBuf::from("/etc/aws.cfg"))
        );
        assert_eq!(user_config_path(env(&[]), true), None);
        // The credentials file by the same rules, with its own variable.
        assert_eq!(
            credentials_path(unix, false),
            Some(PathBuf::from("/home/a/.aws/credentials"))
        );
        let explicit = env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", "~\\keys"),
            ("USERPROFILE", "C:/Users/a"),
        ]);
        assert_eq!(
            credentials_path(explicit, true),
            Some(PathBuf::from("C:/Users/a").join("keys"))
        );
        assert_eq!(
            credentials_path(env(&[("AWS_CONFIG_FILE", "/etc/aws.cfg")]), false),
            None
        );
    }

    #[tokio::test]
    async fn read_capped_keeps_the_cap_and_counts_all() {
        let data = "é".repeat(100_000); // 200,000 bytes
        let c = read_capped(data.as_bytes(), 1001).await.unwrap();
        assert_eq!(c.total_bytes, 200_000);
        assert!(c.truncated);
        assert_eq!(c.text.len(), 1000);
        let c = read_capped(&b"short"[..], 1001).await.unwrap();
        assert_eq!(c.text, "short");
        assert!(!c.truncated);
    }
}
