//! `aws-mcp`: the command-line entry point.
//!
//! With no subcommand, or `serve`, it serves MCP over stdio: stdout carries
//! nothing but the protocol, logs go to stderr (`RUST_LOG`). Other
//! subcommands write their results to stdout (one JSON document or JSON line
//! per result); diagnostics go to stderr.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use aws_mcp_core::retrieve::{self, Retriever};
use aws_mcp_core::{
    AccessTable, Catalog, Classifier, Policy, PolicyConfig, PolicyError, ValidatedCommand,
    Validator,
};
use clap::{Parser, Subcommand};
use serde_json::json;

/// Validate, check and run AWS CLI commands for AI assistants.
///
/// With no subcommand, `aws-mcp` serves MCP over stdio (the same as `aws-mcp serve`).
#[derive(Parser)]
#[command(name = "aws-mcp", version, about, long_about = None, after_help = SERVE_ENV)]
struct Cli {
    /// Load the command table from this generated catalog file instead of the embedded one.
    #[arg(long, global = true, env = "AWS_MCP_CATALOG")]
    catalog_file: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve MCP over stdio (tools call_aws and suggest_aws_commands); the default.
    #[command(after_help = SERVE_ENV)]
    Serve,
    /// Print the command table: one JSON line per command (service, operation, api,
    /// access_level, read_only, args).
    Catalog {
        /// Print counts instead of the commands.
        #[arg(long)]
        stats: bool,
    },
    /// Validate AWS CLI commands without running them: one JSON object per
    /// command (`command`, `valid`, `error`, `service`, `operation`, `api`,
    /// `region`, `parameters`). Exit status 0: the verdicts are in the output.
    Check {
        /// The command (`"aws s3 ls"`), or `-` to read one command per line from stdin.
        command: String,
    },
    /// Run one AWS CLI command the way the server's call_aws does (validate,
    /// apply the policy from the environment, execute) and print what it
    /// printed; exits with the command's exit code. Unlike call_aws, no
    /// result limit is added: the output is the AWS CLI's.
    Run {
        /// The command (`"aws s3api list-buckets"`).
        command: String,
        /// The executor: auto (default: native when it covers the command),
        /// native or subprocess. Default: AWS_MCP_EXECUTOR.
        #[arg(long)]
        executor: Option<String>,
        /// Run a command the policy would ask consent for.
        #[arg(long)]
        yes: bool,
    },
    /// Suggest the AWS CLI commands most likely to do what a request asks:
    /// prints {"suggestions":[{command, description, score, parameters}]}.
    Suggest {
        /// The request in words; `-` reads one request per line from stdin
        /// and prints one JSON line per request.
        request: String,
        /// The engine: lexical, dense or hybrid (default: the best available).
        #[arg(long)]
        engine: Option<String>,
        /// How many suggestions.
        #[arg(long, default_value_t = 3)]
        count: usize,
    },
}

const SERVE_ENV: &str = "Server configuration (environment):
  AWS_REGION                     default region (required)
  AWS_API_MCP_PROFILE_NAME, AWS_PROFILE   profile to use
  READ_OPERATIONS_ONLY           true/yes/1: only read-only commands run
  REQUIRE_MUTATION_CONSENT       true/yes/1: ask the user before mutations
  AWS_API_MCP_WORKING_DIR        absolute, existing working directory
  AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS   workdir (default), unrestricted, no-access
  AWS_MCP_TELEMETRY, AWS_API_MCP_TELEMETRY   accepted; nothing is ever sent
  AWS_MCP_AWS_CLI                the aws program (default: aws on PATH)
  AWS_MCP_TIMEOUT, AWS_MCP_CONNECT_TIMEOUT   seconds (default 60, 10)
  AWS_MCP_MAX_OUTPUT_BYTES       output cap per command (default 262144)
  AWS_MCP_DEFAULT_MAX_ITEMS      result limit of paginated commands (default 100)
  RUST_LOG                       log level (logs go to stderr)";

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, None | Some(Cmd::Serve)) {
        return serve(cli.catalog_file.as_deref());
    }
    if let Some(Cmd::Run {
        command,
        executor,
        yes,
    }) = &cli.command
    {
        return run_command(
            cli.catalog_file.as_deref(),
            command,
            executor.as_deref(),
            *yes,
        );
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "aws-mcp: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load_catalog(path: Option<&std::path::Path>) -> io::Result<&'static Catalog> {
    match path {
        None => Ok(Catalog::embedded()),
        Some(p) => {
            let c = Catalog::from_path(p).map_err(io::Error::other)?;
            Ok(Box::leak(Box::new(c)))
        }
    }
}

/// One request's answer: the suggestions, or the error as JSON.
fn suggest_json(r: &dyn Retriever, request: &str, count: usize) -> serde_json::Value {
    match r.suggest(request, count) {
        Ok(s) => json!({
            "suggestions": s.iter().map(|s| json!({
                "command": s.command,
                "description": s.description,
                "score": s.score,
                "parameters": s.parameters,
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

/// `aws-mcp run`: validate, decide, execute, print; the command's exit code.
fn run_command(
    catalog_file: Option<&std::path::Path>,
    command: &str,
    executor: Option<&str>,
    yes: bool,
) -> ExitCode {
    use aws_mcp_core::{Decision, Executor as _};
    let fail = |msg: String| {
        let _ = writeln!(io::stderr(), "aws-mcp: {msg}");
        ExitCode::from(2)
    };
    let catalog = match load_catalog(catalog_file) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let mut config = match aws_mcp_stdio::ServerConfig::from_env(catalog) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(e) = executor {
        match e.parse() {
            Ok(m) => config.executor = m,
            Err(why) => return fail(format!("--executor {e}: {why}")),
        }
    }
    let cmd = match Validator::new(catalog).validate(command) {
        Ok(c) => c,
        Err(e) => return fail(format!("invalid command ({}): {e}", e.kind())),
    };
    let class = AccessTable::embedded().classify(&cmd);
    match Policy::new(config.policy.clone()).decide(&cmd, &class) {
        Decision::Allow => {}
        Decision::NeedsConsent(_) if yes => {}
        d => {
            return fail(format!(
                "refused by the policy ({}): {}",
                d.as_str(),
                d.reason().unwrap_or_default()
            ))
        }
    }
    let options = aws_mcp_core::ExecOptions {
        max_items: None,
        timeout: config.timeout,
        connect_timeout: config.connect_timeout,
        output_cap: 64 << 20,
        error_cap: 1 << 20,
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e.to_string()),
    };
    let route = aws_mcp_stdio::route::route(catalog, config.executor, &cmd);
    let native = aws_mcp_native::NativeExecutor::new(catalog)
        .with_defaults(Some(config.region.clone()), config.profile.clone());
    let result = rt.block_on(async {
        if route.executor == "native" {
            return native.run(&cmd, &options).await.map_err(|e| e.to_string());
        }
        if route.executor != "subprocess" {
            return Err(route.reason.unwrap_or_default());
        }
        let exec = aws_mcp_stdio::SubprocessExecutor::new(
            config.aws_cli.clone(),
            config.region.clone(),
            config.profile.clone(),
            config.working_dir.clone(),
        )
        .map_err(|e| e.to_string())?;
        let out = exec
            .execute(&cmd, &options)
            .await
            .map_err(|e| e.to_string())?;
        let text = match (&out.json, &out.text) {
            (Some(j), _) => serde_json::to_string_pretty(j).unwrap_or_default() + "\n",
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        };
        Ok((out.exit_code.unwrap_or(255), text, out.stderr))
    });
    match result {
        Ok((code, out, err)) => {
            let _ = io::stdout().write_all(out.as_bytes());
            let _ = io::stderr().write_all(err.as_bytes());
            ExitCode::from(u8::try_from(code).unwrap_or(255))
        }
        Err(e) => fail(e),
    }
}

fn serve(catalog_file: Option<&std::path::Path>) -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let fail = |msg: String| {
        let _ = writeln!(io::stderr(), "aws-mcp: {msg}");
        ExitCode::FAILURE
    };
    let catalog = match load_catalog(catalog_file) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let config = match aws_mcp_stdio::ServerConfig::from_env(catalog) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e.to_string()),
    };
    match rt.block_on(aws_mcp_stdio::serve_with(catalog, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e.to_string()),
    }
}

fn run(cli: Cli) -> io::Result<()> {
    let catalog = load_catalog(cli.catalog_file.as_deref())?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.command {
        None | Some(Cmd::Serve) => {}
        Some(Cmd::Suggest {
            request,
            engine,
            count,
        }) => {
            let r = match engine {
                None => retrieve::default_retriever(catalog),
                Some(e) => e
                    .parse::<retrieve::Engine>()
                    .and_then(|e| retrieve::retriever(catalog, e)),
            }
            .map_err(io::Error::other)?;
            if request == "-" {
                for line in io::stdin().lock().lines() {
                    let line = line?;
                    serde_json::to_writer(&mut out, &suggest_json(r.as_ref(), &line, count))?;
                    writeln!(out)?;
                    out.flush()?;
                }
            } else {
                let v = suggest_json(r.as_ref(), &request, count);
                let failed = v.get("error").and_then(|e| e.as_str()).map(str::to_string);
                serde_json::to_writer(&mut out, &v)?;
                writeln!(out)?;
                out.flush()?;
                if let Some(e) = failed {
                    return Err(io::Error::other(e));
                }
            }
        }
        Some(Cmd::Catalog { stats }) => {
            if stats {
                let st = catalog.stats().map_err(io::Error::other)?;
                serde_json::to_writer_pretty(&mut out, &st)?;
                writeln!(out)?;
            } else {
                let access = AccessTable::embedded();
                for c in catalog.commands() {
                    let args = c.args().map_err(io::Error::other)?;
                    let class = access.classify_name(c.service().name(), c.name());
                    let line = json!({
                        "service": c.service().name(),
                        "operation": c.name(),
                        "kind": c.kind(),
                        "api": c.api_operation().map(|op| json!({
                            "service": c.service().api_name(),
                            "operation": op,
                        })),
                        "access_level": class.access_level,
                        "read_only": class.read_only,
                        "args": args.iter().map(|a| {
                            let mut j = json!({
                                "name": a.name,
                                "type": a.arg_type.as_str(),
                                "required": a.required,
                            });
                            // Arguments the AWS CLI adds to a generated
                            // operation: run natively, or by the aws program.
                            if c.kind() == aws_mcp_core::CommandKind::Operation {
                                match aws_mcp_native::cli_argument(c.service(), c.name(), args, a) {
                                    Some(aws_mcp_native::CliArgument::Native(_)) => j["cli"] = json!("native"),
                                    Some(_) => j["cli"] = json!("aws"),
                                    None => {}
                                }
                            }
                            j
                        }).collect::<Vec<_>>(),
                    });
                    serde_json::to_writer(&mut out, &line)?;
                    writeln!(out)?;
                }
            }
        }
        Some(Cmd::Check { command }) => check(catalog, &command, &mut out)?,
        Some(Cmd::Run { .. }) => {}
    }
    out.flush()
}

/// The `check` verdict of one command, as one JSON object; with a policy,
/// a valid command also gets the policy's fields ([`policy_fields`]).
fn check_json(
    validator: &Validator<'_>,
    policy: Option<&Policy>,
    command: &str,
) -> serde_json::Value {
    match validator.validate(command) {
        Ok(c) => {
            let mut v = json!({
                "command": command,
                "valid": true,
                "error": null,
                "service": c.service,
                "operation": c.operation,
                "api": c.api,
                "region": c.region,
                "parameters": c.parameters,
            });
            if let (Some(p), Some(obj)) = (policy, v.as_object_mut()) {
                if let serde_json::Value::Object(extra) = policy_fields(&c, p) {
                    obj.extend(extra);
                }
            }
            let mode = std::env::var("AWS_MCP_EXECUTOR")
                .ok()
                .and_then(|m| m.parse().ok())
                .unwrap_or_default();
            let route = aws_mcp_stdio::route::route(validator.catalog(), mode, &c);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("executor".into(), json!(route.executor));
                obj.insert("executor_reason".into(), json!(route.reason));
            }
            v
        }
        Err(e) => json!({
            "command": command,
            "valid": false,
            "error": {
                "kind": e.kind(),
                "message": e.to_string(),
                "suggestions": e.suggestions(),
            },
            "service": null,
            "operation": null,
            "api": null,
            "region": null,
            "parameters": null,
        }),
    }
}

fn check(catalog: &Catalog, command: &str, out: &mut impl Write) -> io::Result<()> {
    let validator = Validator::new(catalog);
    // The policy needs its environment (AWS_REGION, ...); without it the
    // verdicts are the validator's alone, and stderr says why.
    let policy = match policy_from_env(catalog) {
        Ok(p) => Some(p),
        Err(e) => {
            writeln!(io::stderr(), "aws-mcp: policy not applied: {e}")?;
            None
        }
    };
    if command == "-" {
        for line in io::stdin().lock().lines() {
            let line = line?;
            serde_json::to_writer(&mut *out, &check_json(&validator, policy.as_ref(), &line))?;
            writeln!(out)?;
        }
    } else {
        serde_json::to_writer(&mut *out, &check_json(&validator, policy.as_ref(), command))?;
        writeln!(out)?;
    }
    Ok(())
}

/// The policy the environment configures, exactly as the server will apply
/// it (`READ_OPERATIONS_ONLY`, `REQUIRE_MUTATION_CONSENT`,
/// `AWS_API_MCP_WORKING_DIR`, ..., and `~/.aws/aws-api-mcp/mcp-security-policy.json`).
/// A bad value is an error naming the variable.
fn policy_from_env(catalog: &Catalog) -> Result<Policy, PolicyError> {
    PolicyConfig::from_env(catalog, |k| std::env::var(k).ok()).map(Policy::new)
}

/// The fields `aws-mcp check` adds to its JSON for a validated command:
/// `access_level`, `read_only`, `iam_actions`, `classification_source`,
/// `classification_reason`, `decision` (`allow`, `deny`, `consent`) and
/// `reason` (null when allowed). `check` merges the returned object into its
/// output; it builds `policy` once with [`policy_from_env`].
fn policy_fields(cmd: &ValidatedCommand, policy: &Policy) -> serde_json::Value {
    let class = AccessTable::embedded().classify(cmd);
    let decision = policy.decide(cmd, &class);
    json!({
        "access_level": class.access_level,
        "read_only": class.read_only,
        "iam_actions": class.iam_actions,
        "classification_source": class.source,
        "classification_reason": class.reason,
        "decision": decision.as_str(),
        "reason": decision.reason(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::{ApiOperation, CommandKind};

    fn cmd(service: &str, operation: &str, api: &str) -> ValidatedCommand {
        ValidatedCommand {
            service: service.into(),
            operation: operation.into(),
            kind: CommandKind::Operation,
            api: Some(ApiOperation {
                service: service.into(),
                operation: api.into(),
            }),
            region: None,
            globals: Default::default(),
            parameters: Default::default(),
            args: Vec::new(),
            local_paths: Vec::new(),
            argv: vec![service.into(), operation.into()],
            notes: Vec::new(),
        }
    }

    #[test]
    fn policy_fields_for_check() {
        let dir = std::env::temp_dir();
        let cat = Catalog::embedded();
        let mut cfg = PolicyConfig::new(cat, "us-east-1", &dir).expect("temp dir exists");
        cfg.read_operations_only = true;
        let policy = Policy::new(cfg);
        let v = policy_fields(&cmd("iam", "list-users", "ListUsers"), &policy);
        assert_eq!(v["access_level"], "list");
        assert_eq!(v["read_only"], true);
        assert_eq!(v["decision"], "allow");
        assert!(v["reason"].is_null());
        let v = policy_fields(
            &cmd("ec2", "terminate-instances", "TerminateInstances"),
            &policy,
        );
        assert_eq!(v["access_level"], "write");
        assert_eq!(v["read_only"], false);
        assert_eq!(v["decision"], "deny");
        assert!(v["reason"]
            .as_str()
            .unwrap_or("")
            .contains("READ_OPERATIONS_ONLY"));
        assert_eq!(v["iam_actions"][0], "ec2:TerminateInstances");
    }
}
