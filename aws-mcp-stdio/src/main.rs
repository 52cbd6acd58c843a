//! `aws-mcp`: the command-line entry point.
//!
//! With no subcommand, or `serve`, it serves MCP over stdio: stdout carries
//! nothing but the protocol, logs go to stderr (`RUST_LOG`). Other
//! subcommands write their results to stdout (one JSON document or JSON line
//! per result); diagnostics go to stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use aws_mcp_core::Catalog;
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
    /// Print the command table: one JSON line per command (service, operation, api, args).
    Catalog {
        /// Print counts instead of the commands.
        #[arg(long)]
        stats: bool,
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
        Some(Cmd::Catalog { stats }) => {
            if stats {
                let st = catalog.stats().map_err(io::Error::other)?;
                serde_json::to_writer_pretty(&mut out, &st)?;
                writeln!(out)?;
            } else {
                for c in catalog.commands() {
                    let args = c.args().map_err(io::Error::other)?;
                    let line = json!({
                        "service": c.service().name(),
                        "operation": c.name(),
                        "kind": c.kind(),
                        "api": c.api_operation().map(|op| json!({
                            "service": c.service().api_name(),
                            "operation": op,
                        })),
                        "args": args.iter().map(|a| json!({
                            "name": a.name,
                            "type": a.arg_type.as_str(),
                            "required": a.required,
                        })).collect::<Vec<_>>(),
                    });
                    serde_json::to_writer(&mut out, &line)?;
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()
}
