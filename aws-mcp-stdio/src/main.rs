//! `aws-mcp`: the command-line entry point.
//!
//! Subcommands write their results to stdout through [`std::io::Write`] (one
//! JSON document or JSON line per result); diagnostics go to stderr. When the
//! MCP server lands, stdout will be reserved for the protocol in `serve` mode.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use aws_mcp_core::{Catalog, Validator};
use clap::{Parser, Subcommand};
use serde_json::json;

/// Validate, check and run AWS CLI commands for AI assistants.
#[derive(Parser)]
#[command(name = "aws-mcp", version, about, long_about = None)]
struct Cli {
    /// Load the command table from this generated catalog file instead of the embedded one.
    #[arg(long, global = true, env = "AWS_MCP_CATALOG")]
    catalog_file: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print the command table: one JSON line per command (service, operation, api, args).
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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

fn run(cli: Cli) -> io::Result<()> {
    let catalog = load_catalog(cli.catalog_file.as_deref())?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.command {
        Cmd::Catalog { stats } => {
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
        Cmd::Check { command } => check(catalog, &command, &mut out)?,
    }
    out.flush()
}

/// The `check` verdict of one command, as one JSON object.
fn check_json(validator: &Validator<'_>, command: &str) -> serde_json::Value {
    match validator.validate(command) {
        Ok(c) => json!({
            "command": command,
            "valid": true,
            "error": null,
            "service": c.service,
            "operation": c.operation,
            "api": c.api,
            "region": c.region,
            "parameters": c.parameters,
        }),
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
    if command == "-" {
        for line in io::stdin().lock().lines() {
            let line = line?;
            serde_json::to_writer(&mut *out, &check_json(&validator, &line))?;
            writeln!(out)?;
        }
    } else {
        serde_json::to_writer(&mut *out, &check_json(&validator, command))?;
        writeln!(out)?;
    }
    Ok(())
}
