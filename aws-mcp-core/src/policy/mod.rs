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
//!    sessions (`emr ssh`, `ssm start-session`, `deploy install`), several
//!    regions (`--region '*'`, `--region a,b`) for a command that is not
//!    read-only (`multi_region`), and local files outside the working
//!    directory;
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
pub use paths::{policy_location, MAX_TREE_ENTRIES};
pub use rules::{Pattern, PolicyRules};

use crate::classify::Classification;
use crate::command::{PathAccess, PathOrigin, ValidatedCommand};
use crate::localpath::Semantics;
use paths::Judge;

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
    /// `--region '*'` (or a list of regions) on a command that is not
    /// read-only: several regions are for reading only.
    MultiRegion,
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
            Rule::MultiRegion => "multi_region",
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

/// Customization arguments that name the endpoint the command's own API
/// calls go to (judged by the endpoint rule like `--endpoint-url`).
const ENDPOINT_ARGS: &[&str] = &["iam-endpoint"];

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
        if let Some((p, action)) = cfg.rules.denied_with(&svc, &op, &class.iam_actions) {
            return Decision::deny(Rule::DenyList, format!(
                "the security policy file denies `{name}` (rule `{}`{}); do not retry it, and tell the user if it is needed",
                p.text,
                needs(action)
            ));
        }
        if let Some((rule, reason)) = self.builtin_denial(cmd, class, &name) {
            return Decision::deny(rule, reason);
        }
        if let Some((p, action)) = cfg.rules.elicited_with(&svc, &op, &class.iam_actions) {
            return Decision::NeedsConsent {
                rule: Rule::ElicitList,
                reason: format!(
                    "the security policy file requires the user's consent for `{name}` (rule `{}`{})",
                    p.text,
                    needs(action)
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
        // Customizations that send their IAM calls to an endpoint of their
        // own (`emr create-default-roles`, `dlm create-default-role`,
        // `emr-containers update-role-trust-policy`) sign them all the same.
        if let Some((name, url)) = cmd
            .args
            .iter()
            .filter(|a| ENDPOINT_ARGS.contains(&a.name.as_str()))
            .flat_map(|a| a.values.iter().map(move |v| (&a.name, v)))
            .find(|(_, url)| !cfg.allow_endpoint_urls && !is_aws_endpoint(url))
        {
            return Some((Rule::Endpoint, format!(
                "--{name} {url:?} is not an AWS endpoint (https://*.amazonaws.com, *.api.aws, ...); remove --{name}, or ask the user to set AWS_MCP_ALLOW_ENDPOINT_URLS=true"
            )));
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
        if let Some(set) = &g.regions {
            if !class.read_only {
                let which = match set {
                    crate::command::RegionSet::All => {
                        "--region '*' runs it in every enabled region".to_string()
                    }
                    crate::command::RegionSet::List(l) => {
                        format!("--region {} runs it in {} regions", l.join(","), l.len())
                    }
                };
                return Some((Rule::MultiRegion, format!(
                    "{which}, which only read-only commands may do, and `{name}` is {} access: give one region with --region",
                    class.access_level
                )));
            }
        }
        if let Some(r) = artefact_denial(cmd, cfg, name) {
            return Some(r);
        }
        for u in local_paths(cmd, cfg) {
            if let Err(r) = paths::check(&u.raw, u.judge, u.access, &u.arg, cfg) {
                return Some((Rule::File, r));
            }
        }
        for t in trees(cmd) {
            if let Err(r) = paths::check_tree(t.raw, t.semantics, t.follow, t.access, t.arg, cfg) {
                return Some((Rule::File, r));
            }
        }
        if let Some((dest, key)) = s3_download_into(cmd) {
            if let Err(r) = paths::check_download_into_dir(dest, key, cfg) {
                return Some((Rule::File, r));
            }
        }
        None
    }
}

/// Streaming blobs that take a plain path. The validator finds these from
/// the catalog's shapes; the policy, which has no catalog here, keeps the
/// common ones as a second line of defence.
const STREAMING_PATH_ARGS: &[(&str, &str, &str, PathAccess)] = &[
    ("s3api", "put-object", "body", PathAccess::Read),
    ("s3api", "upload-part", "body", PathAccess::Read),
    ("glacier", "upload-archive", "body", PathAccess::Read),
    ("glacier", "upload-multipart-part", "body", PathAccess::Read),
    ("mediastore-data", "put-object", "body", PathAccess::Read),
    ("ebs", "put-snapshot-block", "block-data", PathAccess::Read),
];

/// ", which matches its call to X" for a rule that matched an IAM action.
fn needs(action: Option<&str>) -> String {
    match action {
        Some(a) => format!(", which matches the IAM action {a} it needs"),
        None => String::new(),
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

/// One local path to check, and how its opening program reads it.
struct PathUse {
    raw: String,
    access: PathAccess,
    arg: String,
    judge: Judge,
}

impl PathUse {
    fn new(raw: &str, access: PathAccess, arg: &str, judge: Judge) -> PathUse {
        PathUse {
            raw: raw.to_string(),
            access,
            arg: arg.to_string(),
            judge,
        }
    }
}

/// How the program that opens `arg` of `aws svc op` reads its path, where it
/// is known (see [`crate::localpath::Semantics`]); [`Judge::Both`] otherwise.
fn judge_for(svc: &str, op: &str, arg: &str, origin: Option<PathOrigin>) -> Judge {
    match (svc, op, arg, origin) {
        (_, _, _, Some(PathOrigin::FileUrl | PathOrigin::FilebUrl | PathOrigin::Nested)) => {
            Judge::Exact(Semantics::PARAM_FILE)
        }
        ("s3", "cp" | "mv" | "sync", "paths", _) => Judge::Exact(Semantics::S3_TRANSFER),
        ("eks", "update-kubeconfig", "kubeconfig", _) => {
            Judge::Exact(Semantics::ABSPATH_EXPANDUSER)
        }
        // `resolve_given_outfile_path`: expanduser(expandvars(p)), then open().
        ("iot", _, "certificate-pem-outfile" | "public-key-outfile" | "private-key-outfile", _) => {
            Judge::Exact(Semantics::PARAM_FILE)
        }
        // The streaming output file: a plain open().
        (_, _, "outfile", _) => Judge::Exact(Semantics::OPEN),
        _ => Judge::Both,
    }
}

/// Every local path the command would touch: the validator's list, plus
/// what the policy finds itself (defence in depth: `file://` values,
/// customization path arguments, `--ca-bundle`, and the files that
/// `eks update-kubeconfig` and `codeartifact login` write by default).
fn local_paths(cmd: &ValidatedCommand, cfg: &PolicyConfig) -> Vec<PathUse> {
    let svc = cmd.service.as_str();
    let op = cmd.operation.as_str();
    let mut out: Vec<PathUse> = cmd
        .local_paths
        .iter()
        .filter(|p| p.path != "-")
        .map(|p| {
            let judge = judge_for(svc, op, &p.arg, Some(p.origin));
            PathUse::new(&p.path, p.access, &p.arg, judge)
        })
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
                let judge = Judge::Exact(Semantics::PARAM_FILE);
                out.push(PathUse::new(rest, PathAccess::Read, &a.name, judge));
            }
        }
    }
    if let Some(ca) = &cmd.globals.ca_bundle {
        out.push(PathUse::new(ca, PathAccess::Read, "ca-bundle", Judge::Both));
    }
    if svc == "s3" && matches!(op, "cp" | "mv" | "sync") {
        for (i, p) in arg_values(cmd, "paths").enumerate() {
            if !p.starts_with("s3://") && p != "-" {
                let access = if i == 0 && op != "mv" {
                    PathAccess::Read
                } else {
                    PathAccess::Write
                };
                let judge = Judge::Exact(Semantics::S3_TRANSFER);
                out.push(PathUse::new(p, access, "paths", judge));
            }
        }
    }
    for v in arg_values(cmd, "outfile") {
        if v != "-" {
            let judge = Judge::Exact(Semantics::OPEN);
            out.push(PathUse::new(v, PathAccess::Write, "outfile", judge));
        }
    }
    // Customization path arguments: the validator's own table, so the two never disagree.
    let tables = crate::validate::files::CUSTOM_PATH_ARGS
        .iter()
        .chain(STREAMING_PATH_ARGS);
    for (s, o, a, access) in tables {
        if *s == svc && *o == op {
            for v in arg_values(cmd, a) {
                let (v, judge) = match v.strip_prefix("file://") {
                    Some(rest) => (rest, Judge::Exact(Semantics::PARAM_FILE)),
                    None => (v, judge_for(svc, op, a, None)),
                };
                out.push(PathUse::new(v, *access, a, judge));
            }
        }
    }
    // Streaming blobs: awscli opens expandvars(expanduser(p)).
    for u in out.iter_mut() {
        if STREAMING_PATH_ARGS
            .iter()
            .any(|(s, o, a, _)| *s == svc && *o == op && *a == u.arg)
        {
            u.judge = Judge::Exact(Semantics::PARAM_FILE);
        }
    }
    let home_file = |f: &str| format!("~/{f}");
    if svc == "eks" && op == "update-kubeconfig" && !has_arg(cmd, "dry-run") {
        // `--kubeconfig`, else every file of KUBECONFIG (the CLI reads them
        // all and writes the one that has the cluster, or the first), else
        // ~/.kube/config; each as abspath(expanduser(p)).
        let judge = Judge::Exact(Semantics::ABSPATH_EXPANDUSER);
        if !has_arg(cmd, "kubeconfig") {
            let env: Vec<&str> = cfg
                .kubeconfig_env
                .as_deref()
                .map(|k| k.split(':').filter(|p| !p.is_empty()).collect())
                .unwrap_or_default();
            if env.is_empty() {
                out.push(PathUse::new(
                    &home_file(".kube/config"),
                    PathAccess::Write,
                    "kubeconfig",
                    judge,
                ));
            }
            for p in env {
                out.push(PathUse::new(
                    p,
                    PathAccess::Write,
                    "kubeconfig (KUBECONFIG)",
                    judge,
                ));
            }
        }
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
            out.push(PathUse::new(
                &home_file(f),
                PathAccess::Write,
                "tool",
                Judge::Both,
            ));
        }
    }
    out
}

/// A directory tree the command reads or writes as a whole.
struct Tree<'a> {
    raw: &'a str,
    semantics: Semantics,
    follow: bool,
    access: PathAccess,
    arg: &'a str,
}

/// The local directory trees of recursive `s3` transfers, `deploy push
/// --source` and `gamelift upload-build --build-root` (see
/// [`paths::check_tree`]).
fn trees(cmd: &ValidatedCommand) -> Vec<Tree<'_>> {
    let svc = cmd.service.as_str();
    let op = cmd.operation.as_str();
    let mut out = Vec::new();
    if svc == "s3" && (op == "sync" || (matches!(op, "cp" | "mv") && has_arg(cmd, "recursive"))) {
        let follow = !has_arg(cmd, "no-follow-symlinks");
        for (i, p) in arg_values(cmd, "paths").enumerate() {
            if p.starts_with("s3://") || p == "-" {
                continue;
            }
            let (access, follow) = if i == 0 {
                (PathAccess::Read, follow)
            } else {
                // Writes below the destination go through any link there.
                (PathAccess::Write, true)
            };
            out.push(Tree {
                raw: p,
                semantics: Semantics::S3_TRANSFER,
                follow,
                access,
                arg: "paths",
            });
        }
    }
    let zipped: &[(&str, &str, &str)] = &[
        ("deploy", "push", "source"),
        ("ecs", "deploy push", "source"),
        ("cloudformation", "deploy push", "source"),
        ("gamelift", "upload-build", "build-root"),
    ];
    for (s, o, a) in zipped {
        if *s == svc && *o == op {
            for p in arg_values(cmd, a) {
                out.push(Tree {
                    raw: p,
                    semantics: Semantics::PARAM_FILE,
                    follow: true,
                    access: PathAccess::Read,
                    arg: a,
                });
            }
        }
    }
    out
}

/// `s3 cp|mv s3://bucket/key LOCAL` (not recursive): the local side and the
/// last part of the key, which the CLI appends when LOCAL is a directory.
fn s3_download_into(cmd: &ValidatedCommand) -> Option<(&str, &str)> {
    if cmd.service != "s3"
        || !matches!(cmd.operation.as_str(), "cp" | "mv")
        || has_arg(cmd, "recursive")
    {
        return None;
    }
    let mut paths = arg_values(cmd, "paths");
    let (src, dest) = (paths.next()?, paths.next()?);
    let key = src.strip_prefix("s3://")?.split_once('/')?.1;
    if dest.starts_with("s3://") || dest == "-" {
        return None;
    }
    Some((dest, key.rsplit('/').next().unwrap_or("")))
}

/// Commands whose local files cannot be confined or that start local
/// programs, for what they read beyond their arguments (issue 19 item 2).
fn artefact_denial(
    cmd: &ValidatedCommand,
    cfg: &PolicyConfig,
    name: &str,
) -> Option<(Rule, String)> {
    let svc = cmd.service.as_str();
    let op = cmd.operation.as_str();
    if svc == "cloudformation" && op == "package" && cfg.file_access != FileAccess::Unrestricted {
        return Some((Rule::File, format!(
            "`{name}` zips and uploads every local path the template names (Code, CodeUri, ContentUri, DefinitionUri, TemplateURL of nested stacks, Command.ScriptLocation, the serverless application's LicenseUrl and ReadmeUrl ...), and the template's own directory where such a property is missing; those paths cannot be confined to the working directory, so it is refused: package the template outside the assistant, or ask the user to set AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=unrestricted"
        )));
    }
    if svc == "codeartifact" && op == "login" && !has_arg(cmd, "dry-run") {
        let tool = arg_values(cmd, "tool").next().unwrap_or("");
        let program = match tool {
            "npm" => Some("npm config set"),
            "pip" => Some("pip config set"),
            "dotnet" => Some("dotnet nuget"),
            "nuget" => Some("nuget sources"),
            "swift" => Some("swift package-registry"),
            _ => None,
        };
        if let Some(p) = program {
            return Some((Rule::Interactive, format!(
                "`{name} --tool {tool}` runs the local program `{p}` to store a token in its configuration, which this server cannot run safely; ask the user to run it in a terminal"
            )));
        }
    }
    None
}

#[cfg(test)]
mod tests;
