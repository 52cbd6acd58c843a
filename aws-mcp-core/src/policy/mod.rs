//! The security policy: may this validated command run, must the user
//! consent first, or is it refused?
//!
//! [`Policy::decide`] checks, in this order, and the first rule that speaks
//! decides:
//!
//! 1. the policy file's **`denyList`** → Deny;
//! 2. **built-in security rules** → Deny: secrets (`--debug`, `configure`
//!    except `configure list` and `configure get` of harmless settings,
//!    `history` (recorded requests and responses),
//!    commands that return usable credentials unless
//!    `AWS_MCP_ALLOW_CREDENTIAL_COMMANDS`), `--endpoint-url` outside AWS
//!    unless `AWS_MCP_ALLOW_ENDPOINT_URLS`, `--no-verify-ssl`, `--profile`
//!    other than the configured one unless `AWS_MCP_ALLOW_OTHER_PROFILES`,
//!    unknown `--region`, commands that start local programs or interactive
//!    sessions (`emr ssh`, `ssm start-session`, `deploy install`), and local
//!    files outside the working directory;
//! 3. the policy file's **`elicitList`** → NeedsConsent (the user's own
//!    list, so a listed mutating command asks even in read-only mode, as in
//!    the reference server);
//! 4. **read-only refusal**: with `READ_OPERATIONS_ONLY`, anything not Read
//!    or List → Deny (unknown commands included);
//! 5. **consent for mutations**: with `REQUIRE_MUTATION_CONSENT`, anything
//!    not read-only → NeedsConsent;
//! 6. Allow.
//!
//! The built-in rules come before the lists' consent so that no consent can
//! unlock a secret or a file outside the working directory. Every reason is
//! one sentence a model can act on: what was refused, why, and what to do.
//!
//! The executor points the CLI at test servers with the `AWS_ENDPOINT_URL`
//! environment variable, not with `--endpoint-url`, so the endpoint rule
//! never gets in the way of tests.

mod config;
mod paths;
mod rules;

use serde::Serialize;

pub use config::{home_dir, parse_bool, FileAccess, PolicyConfig, PolicyError, POLICY_FILE};
pub use rules::{Pattern, PolicyRules};

use crate::classify::Classification;
use crate::command::{PathAccess, ValidatedCommand};

/// The rule that decided a [`Decision`] other than Allow.
///
/// Its snake_case name ([`Rule::as_str`]) is stable: the server reports it
/// as `error_kind` of a refused command, and the bindings as `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// The policy file's `denyList`.
    DenyList,
    /// A secret would leave through the tool (`--debug`, `configure`,
    /// `history`).
    Secret,
    /// The command returns usable credentials, a token or a password
    /// (`AWS_MCP_ALLOW_CREDENTIAL_COMMANDS`).
    Credential,
    /// The command starts a local program or an interactive session.
    Interactive,
    /// `--endpoint-url` outside AWS, or `--no-verify-ssl`
    /// (`AWS_MCP_ALLOW_ENDPOINT_URLS`).
    Endpoint,
    /// `--profile` other than the configured one (`AWS_MCP_ALLOW_OTHER_PROFILES`).
    Profile,
    /// `--region` is not a known region.
    Region,
    /// A local file outside what `AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS` allows.
    File,
    /// The policy file's `elicitList` asks for consent.
    ElicitList,
    /// Read-only mode (`READ_OPERATIONS_ONLY`) refuses a mutating command.
    ReadOnly,
    /// Mutation consent (`REQUIRE_MUTATION_CONSENT`) asks before a mutating command.
    MutationConsent,
}

impl Rule {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DenyList => "deny_list",
            Rule::Secret => "secret",
            Rule::Credential => "credential",
            Rule::Interactive => "interactive",
            Rule::Endpoint => "endpoint",
            Rule::Profile => "profile",
            Rule::Region => "region",
            Rule::File => "file",
            Rule::ElicitList => "elicit_list",
            Rule::ReadOnly => "read_only",
            Rule::MutationConsent => "mutation_consent",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policy's verdict, naming the rule that decided it.
///
/// Serialized as `{"decision": "allow"}` or
/// `{"decision": "deny"|"consent", "rule": "read_only", "reason": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Decision {
    /// The command may run.
    Allow,
    /// The command must not run.
    Deny {
        /// The rule that refused it.
        rule: Rule,
        /// Why, and what to do instead (one sentence a model can act on).
        reason: String,
    },
    /// The command may run once the user agrees.
    #[serde(rename = "consent")]
    NeedsConsent {
        /// The rule that asks.
        rule: Rule,
        /// The question's context.
        reason: String,
    },
}

impl Decision {
    /// `allow`, `deny` or `consent`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Deny { .. } => "deny",
            Decision::NeedsConsent { .. } => "consent",
        }
    }

    /// The reason, for Deny and NeedsConsent.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Decision::Allow => None,
            Decision::Deny { reason, .. } | Decision::NeedsConsent { reason, .. } => Some(reason),
        }
    }

    /// The rule that decided, for Deny and NeedsConsent.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            Decision::Allow => None,
            Decision::Deny { rule, .. } | Decision::NeedsConsent { rule, .. } => Some(*rule),
        }
    }

    fn deny(rule: Rule, reason: String) -> Decision {
        Decision::Deny { rule, reason }
    }
}

/// Settings `configure get` may print: nothing secret.
const HARMLESS_SETTINGS: &[&str] = &[
    "region",
    "output",
    "cli_pager",
    "cli_binary_format",
    "cli_timestamp_format",
    "cli_follow_urlparam",
    "cli_auto_prompt",
    "retry_mode",
    "max_attempts",
    "parameter_validation",
    "duration_seconds",
    "role_session_name",
    "source_profile",
    "sso_region",
    "sso_start_url",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    "ca_bundle",
    "tcp_keepalive",
    "use_fips_endpoint",
    "use_dualstack_endpoint",
    "defaults_mode",
    "account_id_endpoint_mode",
    "request_checksum_calculation",
    "response_checksum_validation",
];

/// Commands that start a local program, a shell or an interactive session.
const LOCAL_PROGRAMS: &[(&str, &str)] = &[
    ("emr", "ssh"),
    ("emr", "socks"),
    ("emr", "get"),
    ("emr", "put"),
    ("deploy", "install"),
    ("deploy", "uninstall"),
    ("ecs", "deploy install"),
    ("ecs", "deploy uninstall"),
    ("cloudformation", "deploy install"),
    ("cloudformation", "deploy uninstall"),
    ("ssm", "start-session"),
    ("ecs", "execute-command"),
    ("codecommit", "credential-helper get"),
    ("codecommit", "credential-helper store"),
    ("codecommit", "credential-helper erase"),
];

/// Host suffixes of AWS service endpoints.
const AWS_ENDPOINT_SUFFIXES: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".api.aws",
    ".api.amazonwebservices.com.cn",
    ".amazonaws.eu",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".cloud.adc-e.uk",
    ".csp.hci.ic.gov",
];

/// Decides whether a validated, classified command may run.
#[derive(Debug, Clone)]
pub struct Policy {
    config: PolicyConfig,
}

impl Policy {
    /// A policy over a configuration.
    pub fn new(config: PolicyConfig) -> Policy {
        Policy { config }
    }

    /// The configuration.
    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    /// Decide, in the order the module documentation gives.
    pub fn decide(&self, cmd: &ValidatedCommand, class: &Classification) -> Decision {
        let name = display_name(cmd);
        let cfg = &self.config;
        let svc = cmd.service.to_ascii_lowercase();
        let op = cmd.operation.to_ascii_lowercase();
        if let Some(p) = cfg.rules.denied(&svc, &op) {
            return Decision::deny(Rule::DenyList, format!(
                "the security policy file denies `{name}` (rule `{}`); do not retry it, and tell the user if it is needed",
                p.text
            ));
        }
        if let Some((rule, reason)) = self.builtin_denial(cmd, class, &name) {
            return Decision::deny(rule, reason);
        }
        if let Some(p) = cfg.rules.elicited(&svc, &op) {
            return Decision::NeedsConsent {
                rule: Rule::ElicitList,
                reason: format!(
                    "the security policy file requires the user's consent for `{name}` (rule `{}`)",
                    p.text
                ),
            };
        }
        let actions = if class.iam_actions.is_empty() {
            String::new()
        } else {
            format!(" ({})", class.iam_actions.join(", "))
        };
        if cfg.read_operations_only && !class.read_only {
            return Decision::deny(Rule::ReadOnly, format!(
                "the server is in read-only mode (READ_OPERATIONS_ONLY) and `{name}` is {} access{actions}, not Read or List: {}; use a read-only command, or ask the user to run this one",
                class.access_level, class.reason
            ));
        }
        if cfg.require_mutation_consent && !class.read_only {
            return Decision::NeedsConsent {
                rule: Rule::MutationConsent,
                reason: format!(
                    "`{name}` is {} access{actions} and the server requires the user's consent for commands that change anything (REQUIRE_MUTATION_CONSENT)",
                    class.access_level
                ),
            };
        }
        Decision::Allow
    }

    fn builtin_denial(
        &self,
        cmd: &ValidatedCommand,
        class: &Classification,
        name: &str,
    ) -> Option<(Rule, String)> {
        let cfg = &self.config;
        let g = &cmd.globals;
        if g.debug || g.v2_debug {
            return Some((Rule::Secret,
                "--debug prints request details that include credentials and signatures, so it is not allowed; run the command without --debug".into(),
            ));
        }
        if cmd.service == "configure" {
            if let Some(r) = configure_denial(cmd) {
                return Some((Rule::Secret, r));
            }
        }
        if cmd.service == "history" {
            return Some((Rule::Secret,
                "`aws history` prints recorded requests and responses, which can hold credentials and secrets, so it is not allowed".into(),
            ));
        }
        if LOCAL_PROGRAMS
            .iter()
            .any(|(s, o)| *s == cmd.service && *o == cmd.operation)
        {
            return Some((Rule::Interactive, format!(
                "`{name}` starts a local program or an interactive session, which this server cannot run safely; ask the user to run it in a terminal"
            )));
        }
        if class.flags.returns_credentials && !cfg.allow_credential_commands {
            return Some((Rule::Credential, format!(
                "`{name}` returns usable credentials, a token or a password, which must not be passed through the assistant; ask the user to run it themselves (or set AWS_MCP_ALLOW_CREDENTIAL_COMMANDS=true)"
            )));
        }
        if let Some(url) = &g.endpoint_url {
            if !cfg.allow_endpoint_urls && !is_aws_endpoint(url) {
                return Some((Rule::Endpoint, format!(
                    "--endpoint-url {url:?} is not an AWS endpoint (https://*.amazonaws.com, *.api.aws, ...); remove --endpoint-url, or ask the user to set AWS_MCP_ALLOW_ENDPOINT_URLS=true"
                )));
            }
        }
        if g.no_verify_ssl && !cfg.allow_endpoint_urls {
            return Some((Rule::Endpoint,
                "--no-verify-ssl turns off TLS certificate checks, so it is not allowed; run the command without it".into(),
            ));
        }
        if let Some(p) = &g.profile {
            if !cfg.allow_other_profiles && cfg.profile.as_deref() != Some(p.as_str()) {
                let configured = match &cfg.profile {
                    Some(c) => format!("the configured profile is {c:?}"),
                    None => "no profile is configured".to_string(),
                };
                return Some((Rule::Profile, format!(
                    "--profile {p:?} would switch credentials and {configured}; remove --profile, or ask the user to set AWS_MCP_ALLOW_OTHER_PROFILES=true"
                )));
            }
        }
        for r in [cmd.region.as_deref(), g.region.as_deref()]
            .into_iter()
            .flatten()
        {
            if !cfg.is_known_region(r) {
                return Some((
                    Rule::Region,
                    format!(
                        "--region {r:?} is not a known AWS region; use a region such as {}",
                        cfg.region
                    ),
                ));
            }
        }
        for (path, access, arg) in local_paths(cmd) {
            if let Err(r) = paths::check(&path, access, &arg, cfg) {
                return Some((Rule::File, r));
            }
        }
        None
    }
}

fn display_name(cmd: &ValidatedCommand) -> String {
    if cmd.operation.is_empty() {
        format!("aws {}", cmd.service)
    } else {
        format!("aws {} {}", cmd.service, cmd.operation)
    }
}

fn arg_values<'a>(cmd: &'a ValidatedCommand, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    cmd.args
        .iter()
        .filter(move |a| a.name == name)
        .flat_map(|a| a.values.iter().map(String::as_str))
}

fn has_arg(cmd: &ValidatedCommand, name: &str) -> bool {
    cmd.args.iter().any(|a| a.name == name)
}

fn configure_denial(cmd: &ValidatedCommand) -> Option<String> {
    match cmd.operation.as_str() {
        "list" => None,
        "get" => {
            let var = arg_values(cmd, "varname").next().unwrap_or("");
            let setting = var.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if HARMLESS_SETTINGS.contains(&setting.as_str()) {
                None
            } else {
                Some(format!(
                    "`aws configure get {var}` could print a secret; only non-secret settings may be read (such as region or output)"
                ))
            }
        }
        "set" | "" | "add-model" | "import" => Some(
            "`aws configure` commands that change the local AWS configuration are not allowed; ask the user to change it".into(),
        ),
        "export-credentials" => Some(
            "`aws configure export-credentials` prints secret credentials, which must not be passed through the assistant".into(),
        ),
        other => Some(format!(
            "`aws configure {other}` is not allowed; only `aws configure list` and `aws configure get` of non-secret settings may run"
        )),
    }
}

/// Whether a URL points at an AWS service endpoint: `https`, no user info,
/// a host name ending in an AWS suffix.
pub fn is_aws_endpoint(url: &str) -> bool {
    let Some(rest) = url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))
        .map(|_| &url[8..])
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') || authority.is_empty() {
        return false;
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        Some(_) => return false,
        None => authority,
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    host.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && AWS_ENDPOINT_SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// Every local path the command would touch: the validator's list, plus
/// what the policy finds itself (defence in depth: `file://` values,
/// customization path arguments, `--ca-bundle`, and the files that
/// `eks update-kubeconfig` and `codeartifact login` write by default).
fn local_paths(cmd: &ValidatedCommand) -> Vec<(String, PathAccess, String)> {
    let mut out: Vec<(String, PathAccess, String)> = cmd
        .local_paths
        .iter()
        .filter(|p| p.path != "-")
        .map(|p| (p.path.clone(), p.access, p.arg.clone()))
        .collect();
    for a in &cmd.args {
        for v in &a.values {
            let b = v.as_bytes();
            let rest = if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"fileb://") {
                Some(&v[8..])
            } else if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"file://") {
                Some(&v[7..])
            } else {
                None
            };
            if let Some(rest) = rest {
                out.push((rest.to_string(), PathAccess::Read, a.name.clone()));
            }
        }
    }
    if let Some(ca) = &cmd.globals.ca_bundle {
        out.push((ca.clone(), PathAccess::Read, "ca-bundle".into()));
    }
    let svc = cmd.service.as_str();
    let op = cmd.operation.as_str();
    if svc == "s3" && matches!(op, "cp" | "mv" | "sync") {
        for (i, p) in arg_values(cmd, "paths").enumerate() {
            if !p.starts_with("s3://") && p != "-" {
                let access = if i == 0 {
                    PathAccess::Read
                } else {
                    PathAccess::Write
                };
                out.push((p.to_string(), access, "paths".into()));
            }
        }
    }
    for v in arg_values(cmd, "outfile") {
        if v != "-" {
            out.push((v.to_string(), PathAccess::Write, "outfile".into()));
        }
    }
    // Streaming blobs that take a plain path. The validator finds these from
    // the catalog's shapes; the policy, which has no catalog here, keeps the
    // common ones as a second line of defence.
    const STREAMING_PATH_ARGS: &[(&str, &str, &str, PathAccess)] = &[
        ("s3api", "put-object", "body", PathAccess::Read),
        ("s3api", "upload-part", "body", PathAccess::Read),
        ("glacier", "upload-archive", "body", PathAccess::Read),
        ("glacier", "upload-multipart-part", "body", PathAccess::Read),
        ("mediastore-data", "put-object", "body", PathAccess::Read),
        ("ebs", "put-snapshot-block", "block-data", PathAccess::Read),
    ];
    // Customization path arguments: the validator's own table, so the two never disagree.
    let tables = crate::validate::files::CUSTOM_PATH_ARGS
        .iter()
        .chain(STREAMING_PATH_ARGS);
    for (s, o, a, access) in tables {
        if *s == svc && *o == op {
            for v in arg_values(cmd, a) {
                let v = v.strip_prefix("file://").unwrap_or(v);
                out.push((v.to_string(), *access, a.to_string()));
            }
        }
    }
    let home_file = |f: &str| format!("~/{f}");
    if svc == "eks"
        && op == "update-kubeconfig"
        && !has_arg(cmd, "kubeconfig")
        && !has_arg(cmd, "dry-run")
    {
        out.push((
            home_file(".kube/config"),
            PathAccess::Write,
            "kubeconfig".into(),
        ));
    }
    if svc == "codeartifact" && op == "login" && !has_arg(cmd, "dry-run") {
        let tool = arg_values(cmd, "tool").next().unwrap_or("");
        let files: &[&str] = match tool {
            "npm" => &[".npmrc"],
            "pip" => &[".config/pip/pip.conf"],
            "twine" => &[".pypirc"],
            "dotnet" | "nuget" => &[".nuget/NuGet/NuGet.Config"],
            "swift" => &[".swiftpm/configuration/registries.json", ".netrc"],
            _ => &[".config"],
        };
        for f in files {
            out.push((home_file(f), PathAccess::Write, "tool".into()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
