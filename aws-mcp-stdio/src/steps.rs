//! The call pipeline's steps, behind small seams: check (parse + validate),
//! decide (classify + policy) and suggest.
//!
//! The server only talks to [`Steps`]; each method is a few lines over the
//! core crate. The checks here are deliberately minimal placeholders kept
//! until the core validator (issue 3), classifier and policy (issue 4) and
//! retriever (issue 5) land; each is marked `INTERIM` and is replaced by a
//! call into the core module, not extended.

use aws_mcp_core::catalog::{ArgType, CommandKind};
use aws_mcp_core::{Catalog, GivenArg, GlobalOptions, ValidatedCommand};

use crate::config::{FileAccess, PolicySettings};

/// Why a command was rejected before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A short machine-readable kind (`unknown_service`, `denied`, ...).
    pub kind: &'static str,
    /// A sentence a model can act on.
    pub message: String,
    /// Close valid names, when there are some.
    pub suggestions: Vec<String>,
}

/// What the policy says about a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Run it.
    Allow,
    /// Refuse it, with the reason.
    Deny(String),
    /// Ask the user first, with the question's reason.
    NeedsConsent(String),
}

/// A suggested command with its parameters.
#[derive(Debug, Clone)]
pub struct Suggested {
    /// `aws <service> <operation>`.
    pub command: String,
    /// The service.
    pub service: String,
    /// The operation.
    pub operation: String,
    /// What it does.
    pub description: String,
    /// Relevance, higher is better.
    pub score: f32,
    /// Its parameters: (name, type, required, doc).
    pub parameters: Vec<(String, String, bool, String)>,
}

fn cmd_args(
    c: aws_mcp_core::Command<'static>,
) -> Result<aws_mcp_core::catalog::Args<'static>, Rejection> {
    c.args().map_err(|e| Rejection {
        kind: "catalog",
        message: e.to_string(),
        suggestions: Vec::new(),
    })
}

fn cmd_name(c: aws_mcp_core::Command<'static>) -> String {
    format!("{} {}", c.service().name(), c.name())
}

/// The pipeline steps over one catalog and one policy configuration.
#[derive(Debug, Clone)]
pub struct Steps {
    catalog: &'static Catalog,
    policy: PolicySettings,
}

impl Steps {
    /// Steps over `catalog` with `policy`.
    pub fn new(catalog: &'static Catalog, policy: PolicySettings) -> Steps {
        Steps { catalog, policy }
    }

    /// True when only read-only commands may run.
    pub fn read_only(&self) -> bool {
        self.policy.read_only
    }

    /// The catalog.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// Parse and validate one command line. INTERIM: tokenizes with
    /// shell-words and checks the service, the command and the option names
    /// against the catalog; the core validator replaces it.
    pub fn check(&self, text: &str) -> Result<ValidatedCommand, Rejection> {
        let reject = |kind, message: String| Rejection {
            kind,
            message,
            suggestions: Vec::new(),
        };
        if text.contains(['\n', '\r', '`']) || text.contains("$(") {
            return Err(reject(
                "shell_syntax",
                "the command contains a newline, a backtick or `$(`; give a single AWS CLI command without shell syntax".into(),
            ));
        }
        let words = shell_words::split(text).map_err(|e| {
            reject(
                "syntax",
                format!("the command could not be split into words ({e}); check the quotes"),
            )
        })?;
        for w in &words {
            if ["|", "||", "&&", ";", ">", ">>", "<", "&"].contains(&w.as_str()) {
                return Err(reject(
                    "shell_operator",
                    format!("shell operator `{w}` is not allowed; give one AWS CLI command, and use --query to filter output"),
                ));
            }
        }
        if words.first().map(String::as_str) != Some("aws") {
            return Err(reject(
                "not_aws",
                "the command must start with `aws`, such as `aws s3 ls`".into(),
            ));
        }
        let mut globals = GlobalOptions::default();
        let mut svc = None;
        let mut command = None;
        let mut operation = String::new();
        let mut args: Vec<GivenArg> = Vec::new();
        let mut argv: Vec<String> = Vec::new();
        let mut positional_seen = 0usize;
        let mut i = 1;
        while i < words.len() {
            let w = words[i].clone();
            i += 1;
            if let Some(opt) = w.strip_prefix("--") {
                let (name, inline) = match opt.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (opt.to_string(), None),
                };
                if let Some(g) = self.catalog.global_arg(&name) {
                    let value = if g.arg_type == ArgType::Boolean {
                        None
                    } else {
                        let v = match inline {
                            Some(v) => v,
                            None if i < words.len() => {
                                i += 1;
                                words[i - 1].clone()
                            }
                            None => {
                                return Err(reject(
                                    "missing_value",
                                    format!("--{name} needs a value"),
                                ))
                            }
                        };
                        Some(v)
                    };
                    argv.push(format!("--{name}"));
                    argv.extend(value.clone());
                    match name.as_str() {
                        "region" => globals.region = value,
                        "output" => globals.output = value,
                        "query" => globals.query = value,
                        "profile" => globals.profile = value,
                        "endpoint-url" => globals.endpoint_url = value,
                        "debug" => globals.debug = true,
                        "no-paginate" => globals.no_paginate = true,
                        "cli-connect-timeout" => {
                            globals.cli_connect_timeout = value.and_then(|s| s.parse().ok())
                        }
                        "cli-read-timeout" => {
                            globals.cli_read_timeout = value.and_then(|s| s.parse().ok())
                        }
                        _ => {}
                    }
                    continue;
                }
                let Some(cmd) = command else {
                    return Err(reject(
                        "unknown_option",
                        format!("`--{name}` is not a global option; put command options after the service and command names"),
                    ));
                };
                let table = cmd_args(cmd)?;
                let Some(arg) = table.get(&name) else {
                    return Err(reject(
                        "unknown_option",
                        format!("`--{name}` is not an option of `aws {}`", cmd_name(cmd)),
                    ));
                };
                argv.push(format!("--{name}"));
                let mut values = Vec::new();
                if let Some(v) = inline {
                    values.push(v);
                } else if arg.arg_type != ArgType::Boolean {
                    let many = arg.arg_type == ArgType::List;
                    while i < words.len() && !words[i].starts_with("--") {
                        values.push(words[i].clone());
                        i += 1;
                        if !many {
                            break;
                        }
                    }
                    if values.is_empty() {
                        return Err(reject("missing_value", format!("--{name} needs a value")));
                    }
                }
                argv.extend(values.iter().cloned());
                args.push(GivenArg { name, values });
                continue;
            }
            match (svc, command) {
                (None, _) => {
                    let Some(found) = self.catalog.service(&w) else {
                        return Err(reject(
                            "unknown_service",
                            format!("`{w}` is not an AWS CLI service"),
                        ));
                    };
                    svc = Some(found);
                    argv.push(w);
                }
                (Some(s), None) => {
                    let two = words.get(i).map(|n| format!("{w} {n}"));
                    if let Some(c) = s.command(&w) {
                        command = Some(c);
                        operation = w.clone();
                        argv.push(w);
                    } else if let Some(c) = two.as_deref().and_then(|t| s.command(t)) {
                        command = Some(c);
                        operation = two.unwrap_or_default();
                        argv.extend(operation.split(' ').map(str::to_string));
                        i += 1;
                    } else {
                        return Err(reject(
                            "unknown_operation",
                            format!("`{w}` is not a command of `aws {}`", s.name()),
                        ));
                    }
                }
                (Some(_), Some(cmd)) => {
                    let table = cmd_args(cmd)?;
                    let positionals: Vec<_> = table.iter().filter(|a| a.positional).collect();
                    // A positional with nargs (`paths` of `s3 cp`) takes several words.
                    if let (Some(last), Some(prev)) = (
                        args.last_mut(),
                        positionals.get(positional_seen.wrapping_sub(1)),
                    ) {
                        let many = matches!(prev.nargs.as_deref(), Some(n) if n != "?" && n != "1");
                        let room = match prev.nargs.as_deref().and_then(|n| n.parse::<usize>().ok())
                        {
                            Some(k) => last.values.len() < k,
                            None => true,
                        };
                        if many && room && *last.name == *prev.name {
                            last.values.push(w.clone());
                            argv.push(w);
                            continue;
                        }
                    }
                    let Some(arg) = positionals.get(positional_seen) else {
                        return Err(reject(
                            "unexpected_argument",
                            format!("unexpected argument `{w}` for `aws {}`", cmd_name(cmd)),
                        ));
                    };
                    positional_seen += 1;
                    args.push(GivenArg {
                        name: arg.name.to_string(),
                        values: vec![w.clone()],
                    });
                    argv.push(w);
                }
            }
        }
        let (Some(svc), Some(command)) = (svc, command) else {
            return Err(reject(
                "missing_command",
                "name a service and a command, such as `aws s3 ls`".into(),
            ));
        };
        for a in cmd_args(command)?.iter() {
            if a.required && !args.iter().any(|g| *g.name == *a.name) {
                return Err(reject(
                    "missing_required",
                    format!("`aws {}` needs --{}", cmd_name(command), a.name),
                ));
            }
        }
        Ok(ValidatedCommand {
            service: svc.name().to_string(),
            operation,
            kind: command.kind(),
            api: command.api_operation().and_then(|op| {
                svc.api_name().map(|s| aws_mcp_core::ApiOperation {
                    service: s.to_string(),
                    operation: op.to_string(),
                })
            }),
            region: globals.region.clone(),
            globals,
            parameters: serde_json::Map::new(),
            args,
            local_paths: Vec::new(),
            argv,
        })
    }

    /// Whether `command` accepts the CLI's `--max-items`.
    pub fn paginated(&self, command: &ValidatedCommand) -> bool {
        self.catalog
            .command(&command.service, &command.operation)
            .and_then(|c| c.arg("max-items").ok().flatten())
            .is_some()
    }

    /// Classify and apply the policy. INTERIM: a command is read-only when
    /// its API operation starts with a read verb (`s3 ls` too); everything
    /// else is a mutation. The core classifier and policy replace it.
    pub fn decide(&self, command: &ValidatedCommand) -> Verdict {
        let read = match (&command.kind, &command.api) {
            (CommandKind::Custom, _) => command.service == "s3" && command.operation == "ls",
            (_, Some(api)) => ["Describe", "List", "Get", "Head"]
                .iter()
                .any(|p| api.operation.starts_with(p)),
            _ => false,
        };
        let touches_files = command.args.iter().any(|a| {
            a.values
                .iter()
                .any(|v| v.starts_with("file://") || v.starts_with("fileb://"))
        });
        if touches_files && self.policy.file_access == FileAccess::NoAccess {
            return Verdict::Deny(
                "local file access is turned off (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)".into(),
            );
        }
        let name = format!("aws {} {}", command.service, command.operation);
        if !read && self.policy.read_only {
            return Verdict::Deny(format!(
                "`{name}` changes resources and the server is in read-only mode (READ_OPERATIONS_ONLY); only read operations may run"
            ));
        }
        if !read && self.policy.require_mutation_consent {
            return Verdict::NeedsConsent(format!("`{name}` changes resources"));
        }
        Verdict::Allow
    }

    /// Suggest up to `k` commands for `query`. INTERIM: counts query words
    /// found in each command's name and description; the core retriever
    /// replaces it.
    pub fn suggest(&self, query: &str, k: usize) -> Vec<Suggested> {
        let words: Vec<String> = query
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let mut scored: Vec<(f32, aws_mcp_core::Command<'static>)> = Vec::new();
        for c in self.catalog.commands() {
            if c.hidden() || c.deprecated() {
                continue;
            }
            let name = format!("{} {}", c.service().name(), c.name()).to_ascii_lowercase();
            let desc = c.description().to_ascii_lowercase();
            let mut s = 0.0f32;
            for w in &words {
                if name.contains(w.as_str()) {
                    s += 2.0;
                } else if desc.contains(w.as_str()) {
                    s += 1.0;
                }
            }
            if s > 0.0 {
                scored.push((s, c));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(k)
            .map(|(score, c)| Suggested {
                command: c.full_name(),
                service: c.service().name().to_string(),
                operation: c.name().to_string(),
                description: c.description().to_string(),
                score,
                parameters: c
                    .args()
                    .map(|a| {
                        a.iter()
                            .filter(|a| !a.hidden)
                            .map(|a| {
                                (
                                    a.name.to_string(),
                                    a.arg_type.as_str().to_string(),
                                    a.required,
                                    a.doc.to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }
}
