//! The `aws-mcp` command line, as a library function ([`main_with_args`]).
//!
//! With no subcommand, or `serve`, it serves MCP over stdio: stdout carries
//! nothing but the protocol, logs go to stderr (`RUST_LOG`). Other
//! subcommands write their results to stdout (one JSON document or JSON line
//! per result); diagnostics go to stderr.
//!
//! It lives in the library, not in `main.rs`, so that every entry point runs
//! the same code: the binary (`src/main.rs` is one call), the Python
//! package's console script and the npm package's bin (both hand their
//! arguments to [`main_with_args`] through the bindings). Help, version and
//! usage errors are printed here rather than by clap's `exit`, so that an
//! embedding interpreter gets the exit status back instead of being killed.

use std::io::{self, BufRead, Write};

use crate::config::ExecutorMode;
use aws_mcp_core::retrieve::{self, Retriever};
use aws_mcp_core::{AccessTable, Assessor, Catalog, Dialect, PolicyConfig, PolicyError, Validator};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// The AWS CLI dialect to validate and run for: auto (read `aws --version`;
    /// 2 when there is no `aws` program), 1 or 2.
    #[arg(long, global = true, env = "AWS_MCP_CLI_VERSION")]
    cli_version: Option<String>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve MCP over stdio (tools call_aws and suggest_aws_commands); the
    /// default. With --http, serve MCP over streamable HTTP instead.
    #[command(after_help = SERVE_ENV)]
    Serve {
        /// Serve MCP streamable HTTP at http://ADDR/mcp (default
        /// 127.0.0.1:8000, or AWS_API_MCP_HOST/AWS_API_MCP_PORT). Also
        /// chosen by AWS_API_MCP_TRANSPORT=streamable-http.
        #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "")]
        http: Option<String>,
        /// Serve without authentication on a non-loopback address (only
        /// when a gateway in front authenticates every caller).
        #[arg(long)]
        allow_unauthenticated: bool,
    },
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
        /// The executor: auto (native when it covers the command, else the
        /// aws program), native or subprocess. Default: AWS_MCP_EXECUTOR.
        #[arg(long, value_enum)]
        executor: Option<ExecutorMode>,
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
        /// The engine (default: the best this build has).
        #[arg(long, value_enum)]
        engine: Option<EngineArg>,
        /// How many suggestions.
        #[arg(long, default_value_t = 3)]
        count: usize,
    },
}

/// A suggestion engine, as `--engine` names it.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum EngineArg {
    /// Field-weighted BM25 (always available).
    Lexical,
    /// Sentence embeddings (builds with the `dense` feature).
    Dense,
    /// Lexical and dense scores together.
    Hybrid,
}

impl From<EngineArg> for retrieve::Engine {
    fn from(e: EngineArg) -> retrieve::Engine {
        match e {
            EngineArg::Lexical => retrieve::Engine::Lexical,
            EngineArg::Dense => retrieve::Engine::Dense,
            EngineArg::Hybrid => retrieve::Engine::Hybrid,
        }
    }
}

const SERVE_ENV: &str = "Server configuration (environment):
  AWS_REGION                     default region (required)
  AWS_API_MCP_PROFILE_NAME, AWS_PROFILE   profile to use
  READ_OPERATIONS_ONLY           true/yes/1: only read-only commands run
  REQUIRE_MUTATION_CONSENT       true/yes/1: ask the user before mutations
  AWS_API_MCP_WORKING_DIR        absolute, existing working directory
  AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS   workdir (default), unrestricted, no-access
  AWS_MCP_ALLOW_ENDPOINT_URLS    true: --endpoint-url may leave AWS (and --no-verify-ssl)
  AWS_MCP_ALLOW_OTHER_PROFILES   true: --profile may name any profile
  AWS_MCP_ALLOW_CREDENTIAL_COMMANDS   true: commands returning credentials may run
  AWS_MCP_TELEMETRY, AWS_API_MCP_TELEMETRY   accepted; nothing is ever sent
  AWS_MCP_CATALOG                a newer generated catalog file
  AWS_MCP_CLI_VERSION            auto (default: read `aws --version`), 1 or 2: the AWS CLI dialect
  AWS_MCP_MODEL_DIR, ORT_DYLIB_PATH   the suggestion model's files and the ONNX Runtime library
  AWS_MCP_EXECUTOR               auto (default), native, subprocess
  AWS_MCP_AWS_CLI                the aws program (default: aws on PATH)
  AWS_MCP_TIMEOUT, AWS_MCP_CONNECT_TIMEOUT   seconds (default 60, 10)
  AWS_MCP_MAX_OUTPUT_BYTES       output cap per command (default 262144)
  AWS_MCP_DEFAULT_MAX_ITEMS      result limit of paginated commands (default 100)
  AWS_MCP_CALL_TIMEOUT           seconds one call (a batch) may run (default 300)
  AWS_MCP_AUDIT_LOG              stderr (default), off, or a file: one JSON line per call
  AWS_MCP_CONSENT_KEY            base64 key (32+ bytes) sealing consent states; the same on every replica
  RUST_LOG                       log level (logs go to stderr)

HTTP (aws-mcp serve --http [ADDR]):
  AWS_API_MCP_TRANSPORT          stdio (default) or streamable-http
  AWS_API_MCP_HOST, AWS_API_MCP_PORT   address (default 127.0.0.1:8000)
  AWS_API_MCP_ALLOWED_HOSTS      Host names accepted (default: loopback names); * for any
  AWS_API_MCP_ALLOWED_ORIGINS    browser Origins accepted (default: none); * for any
  AWS_API_MCP_STATELESS_HTTP     true: no sessions for protocol versions before 2026-07-28
  AUTH_TYPE                      no-auth (default) or oauth
  AUTH_ISSUER, AUTH_JWKS_URI     the OAuth issuer and its JWKS (discovered when unset)
  AWS_MCP_RESOURCE_URL           this server's public URL (the tokens' aud)
  AWS_MCP_CALLER_ROLE_ARN        each caller's commands run as this role (STS AssumeRoleWithWebIdentity)
  AWS_MCP_CALLER_ROLE_MAP        {\"claim\": \"groups\", \"roles\": {\"admins\": \"arn:...\"}}
  AWS_MCP_CALLER_SESSION_SECONDS lifetime of the callers' credentials (default 3600)
  AWS_MCP_MAX_BODY_BYTES         largest request body (default 1048576)
  AWS_MCP_MAX_CALLS_PER_CALLER   requests one caller may have in flight (default 16)
  AWS_MCP_DRAIN_SECONDS          how long SIGTERM waits for calls in flight (default 30)
  AWS_MCP_ALLOW_UNAUTHENTICATED  true: as --allow-unauthenticated";

/// Runs the `aws-mcp` command line with `args` (the first one is the program
/// name, as in [`std::env::args_os`]) and returns the exit status.
///
/// The binary's `main` is this function; the Python and Node packages call it
/// with their own arguments, so `check`, `suggest`, `run`, `catalog` and
/// `serve` behave the same from every entry point. Standard output is flushed
/// before it returns.
pub fn main_with_args<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let code = match Cli::try_parse_from(args) {
        Ok(cli) => dispatch(cli),
        Err(e) => {
            // --help and --version go to stdout with status 0, usage errors to stderr with 2.
            let _ = e.print();
            u8::try_from(e.exit_code()).unwrap_or(2)
        }
    };
    let _ = io::stdout().flush();
    code
}

fn dispatch(cli: Cli) -> u8 {
    match &cli.command {
        None => return serve(cli.catalog_file.as_deref(), None, false),
        Some(Cmd::Serve {
            http,
            allow_unauthenticated,
        }) => {
            return serve(
                cli.catalog_file.as_deref(),
                http.as_deref(),
                *allow_unauthenticated,
            )
        }
        _ => {}
    }
    if let Some(Cmd::Run {
        command,
        executor,
        yes,
    }) = &cli.command
    {
        return run_command(
            cli.catalog_file.as_deref(),
            cli.cli_version.as_deref(),
            command,
            *executor,
            *yes,
        );
    }
    match run(cli) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(io::stderr(), "aws-mcp: {e}");
            1
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
    match r.answer(request, count) {
        Ok(a) => json!({
            "engine": a.engine,
            "suggestions": a.suggestions.iter().map(|s| json!({
                "command": s.command,
                "ready_command": s.ready,
                "missing_parameters": s.missing,
                "description": s.description,
                "score": s.score,
                "parameters": s.parameters,
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

/// The dialect `--cli-version` / `AWS_MCP_CLI_VERSION` chooses (see `crate::dialect`).
fn cli_dialect(flag: Option<&str>) -> io::Result<crate::dialect::CliDialect> {
    let version = match flag.map(str::trim).filter(|v| !v.is_empty()) {
        None => crate::dialect::CliVersion::Auto,
        Some(v) => v.parse().map_err(|why| {
            io::Error::other(format!("--cli-version / AWS_MCP_CLI_VERSION={v:?}: {why}"))
        })?,
    };
    let program = std::env::var_os("AWS_MCP_AWS_CLI")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "aws".into());
    let profile = std::env::var("AWS_API_MCP_PROFILE_NAME")
        .or_else(|_| std::env::var("AWS_PROFILE"))
        .ok();
    Ok(crate::dialect::resolve(
        version,
        &program,
        profile.as_deref(),
    ))
}

/// `aws-mcp run`: validate, decide, execute with the server's routing
/// executor, print; the command's exit code.
fn run_command(
    catalog_file: Option<&std::path::Path>,
    cli_version: Option<&str>,
    command: &str,
    executor: Option<ExecutorMode>,
    yes: bool,
) -> u8 {
    let fail = |msg: String| {
        let _ = writeln!(io::stderr(), "aws-mcp: {msg}");
        2
    };
    let catalog = match load_catalog(catalog_file) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let mut config = match crate::ServerConfig::from_env(catalog) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(e) = executor {
        config.executor = e;
    }
    let mut settings = config.settings();
    settings.output_cap = 64 << 20;
    settings.error_cap = 1 << 20;
    let cli = match cli_dialect(cli_version) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let routing = match crate::routing_executor(catalog, &config, &cli) {
        Ok(r) => std::sync::Arc::new(r),
        Err(e) => return fail(e.to_string()),
    };
    let pipeline = aws_mcp_core::Pipeline::new(
        cli.validator(catalog),
        Assessor::new(config.policy.clone()),
        routing.clone(),
        settings,
    );
    let plan = match pipeline.plan(&[command.to_string()], None) {
        Ok(p) => p,
        Err(report) => {
            let _ = writeln!(io::stderr(), "aws-mcp: {}", report.text());
            // AWS CLI v2 exits with 252 on a parameter error.
            let rejected = report
                .results
                .iter()
                .any(|r| r.status == aws_mcp_core::pipeline::Status::Rejected);
            return if rejected && cli.dialect == Dialect::V2 {
                252
            } else {
                2
            };
        }
    };
    let plan = match plan.ready() {
        Ok(p) => p,
        Err(p) if yes => p.approve(),
        Err(p) => {
            return fail(format!(
                "{} (run it again with --yes to consent)",
                p.consent_question().replace('\n', " ")
            ))
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e.to_string()),
    };
    // The pipeline's report keeps parsed JSON; `run` prints the bytes the
    // executor printed, so it calls the routing executor on the planned
    // command directly (no result limit: the output is the AWS CLI's).
    let Some((cmd, _)) = plan.assessed().next() else {
        return fail("nothing to run".into());
    };
    let mut options = pipeline.exec_options(cmd, None);
    options.max_items = None;
    let result = rt.block_on(pipeline.run_command(cmd, &options, &aws_mcp_core::NoProgress));
    match result {
        Ok(out) => {
            let text = out.text.unwrap_or_default();
            let _ = io::stdout().write_all(text.as_bytes());
            let _ = io::stderr().write_all(out.stderr.as_bytes());
            u8::try_from(out.exit_code.unwrap_or(255)).unwrap_or(255)
        }
        Err(e) => fail(e.to_string()),
    }
}

fn serve(
    catalog_file: Option<&std::path::Path>,
    http: Option<&str>,
    allow_unauthenticated: bool,
) -> u8 {
    // An embedding program (the Python or Node package) may have installed one already.
    let _ = tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    let fail = |msg: String| {
        let _ = writeln!(io::stderr(), "aws-mcp: {msg}");
        1
    };
    let catalog = match load_catalog(catalog_file) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let config = match crate::ServerConfig::from_env(catalog) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    #[cfg(feature = "http")]
    {
        let env = |k: &str| std::env::var(k).ok();
        let use_http = match crate::http::config::transport_is_http(env) {
            Ok(t) => http.is_some() || t,
            Err(e) => return fail(e.to_string()),
        };
        if use_http {
            let http_config =
                match crate::http::HttpConfig::from_lookup(env, http, allow_unauthenticated) {
                    Ok(c) => c,
                    Err(e) => return fail(e.to_string()),
                };
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return fail(e.to_string()),
            };
            return match rt.block_on(crate::http::serve_http(catalog, config, http_config)) {
                Ok(()) => 0,
                Err(e) => fail(e.to_string()),
            };
        }
    }
    #[cfg(not(feature = "http"))]
    if http.is_some() || allow_unauthenticated {
        return fail("this build has no HTTP transport (cargo feature `http`)".into());
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e.to_string()),
    };
    match rt.block_on(crate::serve_with(catalog, config)) {
        Ok(()) => 0,
        Err(e) => fail(e.to_string()),
    }
}

fn run(cli: Cli) -> io::Result<()> {
    let catalog = load_catalog(cli.catalog_file.as_deref())?;
    let dialect = match &cli.command {
        Some(Cmd::Catalog { .. }) | Some(Cmd::Check { .. }) => {
            Some(cli_dialect(cli.cli_version.as_deref())?)
        }
        _ => None,
    };
    let d = dialect.as_ref().map_or(Dialect::V1, |c| c.dialect);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.command {
        None | Some(Cmd::Serve { .. }) => {}
        Some(Cmd::Suggest {
            request,
            engine,
            count,
        }) => {
            let r = match engine {
                None => retrieve::default_retriever(catalog),
                Some(e) => retrieve::retriever(catalog, e.into()),
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
                let st = catalog.stats_in(d).map_err(io::Error::other)?;
                serde_json::to_writer_pretty(&mut out, &st)?;
                writeln!(out)?;
            } else {
                let access = AccessTable::embedded();
                for c in catalog.commands_in(d) {
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
        Some(Cmd::Check { command }) => {
            let cli = dialect.ok_or_else(|| io::Error::other("no dialect"))?;
            check(catalog, &cli, &command, &mut out)?
        }
        Some(Cmd::Run { .. }) => {}
    }
    out.flush()
}

/// The `check` verdict of one command, as one JSON object; with an
/// assessor, a valid command also gets the classification and the policy's
/// decision ([`aws_mcp_core::Assessment`], serialized flat).
fn check_json(
    validator: &Validator<'_>,
    cli: &crate::dialect::CliDialect,
    assessor: Option<&Assessor>,
    command: &str,
) -> serde_json::Value {
    let mut v = check_verdict(validator, assessor, command);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("cli_version".into(), json!(cli.dialect.major()));
        obj.insert("cli".into(), json!(cli.describe()));
    }
    v
}

fn check_verdict(
    validator: &Validator<'_>,
    assessor: Option<&Assessor>,
    command: &str,
) -> serde_json::Value {
    match validator.validate(command) {
        Ok(c) => {
            let mut v = json!({
                "command": command,
                "valid": true,
                "error": null,
                "service": c.service(),
                "operation": c.operation(),
                "api": c.api(),
                "region": c.region(),
                "parameters": c.parameters(),
            });
            if let (Some(a), Some(obj)) = (assessor, v.as_object_mut()) {
                if let Ok(serde_json::Value::Object(extra)) = serde_json::to_value(a.assess(&c)) {
                    obj.extend(extra);
                }
            }
            let mode = std::env::var("AWS_MCP_EXECUTOR")
                .ok()
                .and_then(|m| m.parse().ok())
                .unwrap_or_default();
            let route = crate::route::route(validator.catalog(), mode, &c);
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

fn check(
    catalog: &'static Catalog,
    cli: &crate::dialect::CliDialect,
    command: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let validator = cli.validator(catalog);
    // The policy needs its environment (AWS_REGION, ...); without it the
    // verdicts are the validator's alone, and stderr says why.
    let assessor = match assessor_from_env(catalog) {
        Ok(a) => Some(a),
        Err(e) => {
            writeln!(io::stderr(), "aws-mcp: policy not applied: {e}")?;
            None
        }
    };
    if command == "-" {
        for line in io::stdin().lock().lines() {
            let line = line?;
            serde_json::to_writer(
                &mut *out,
                &check_json(&validator, cli, assessor.as_ref(), &line),
            )?;
            writeln!(out)?;
        }
    } else {
        serde_json::to_writer(
            &mut *out,
            &check_json(&validator, cli, assessor.as_ref(), command),
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// The assessor the environment configures, exactly as the server will
/// apply it (`READ_OPERATIONS_ONLY`, `REQUIRE_MUTATION_CONSENT`,
/// `AWS_API_MCP_WORKING_DIR`, ..., and `~/.aws/aws-api-mcp/mcp-security-policy.json`).
/// A bad value is an error naming the variable.
fn assessor_from_env(catalog: &Catalog) -> Result<Assessor, PolicyError> {
    PolicyConfig::from_env(catalog, |k| std::env::var(k).ok()).map(Assessor::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_carries_the_assessment() {
        let dir = std::env::temp_dir();
        let cat = Catalog::embedded();
        let mut cfg = PolicyConfig::new(cat, "us-east-1", &dir).expect("temp dir exists");
        cfg.read_operations_only = true;
        let assessor = Assessor::new(cfg);
        let cli = crate::dialect::resolve(
            crate::dialect::CliVersion::V1,
            std::path::Path::new("aws"),
            None,
        );
        let validator = cli.validator(cat);
        let v = check_json(&validator, &cli, Some(&assessor), "aws iam list-users");
        assert_eq!(v["cli_version"], 1);
        assert_eq!(v["access_level"], "list");
        assert_eq!(v["read_only"], true);
        assert_eq!(v["decision"], "allow");
        assert!(v.get("reason").is_none() && v.get("rule").is_none());
        let v = check_json(
            &validator,
            &cli,
            Some(&assessor),
            "aws ec2 terminate-instances --instance-ids i-1",
        );
        assert_eq!(v["access_level"], "write");
        assert_eq!(v["read_only"], false);
        assert_eq!(v["decision"], "deny");
        assert_eq!(v["rule"], "read_only");
        assert!(v["reason"]
            .as_str()
            .unwrap_or("")
            .contains("READ_OPERATIONS_ONLY"));
        assert_eq!(v["iam_actions"][0], "ec2:TerminateInstances");
        assert_eq!(v["executor"], "native");
        let v = check_json(&validator, &cli, None, "aws ec2 describe-instance");
        assert_eq!(v["valid"], false);
        assert_eq!(v["error"]["kind"], "unknown_operation");
    }
}
