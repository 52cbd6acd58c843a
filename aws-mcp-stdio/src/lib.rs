//! # aws-mcp-stdio
//!
//! The `aws-mcp` MCP server over stdio, as a library so that the Python and
//! Node packages run the very same server: [`serve`] reads nothing but the
//! [`ServerConfig`] it is given and serves until the client goes away.
//!
//! * [`cli`] — the `aws-mcp` command line ([`cli::main_with_args`]), shared
//!   by the binary and the packages' console scripts.
//! * [`config`] — configuration from the environment (start-up errors name
//!   the variable).
//! * [`executor`] — [`SubprocessExecutor`], the [`aws_mcp_core::Executor`]
//!   that runs the installed `aws` program without a shell.
//! * [`program`] — finding `aws.exe` / `aws.cmd` on Windows (`PATH`, `PATHEXT`).
//! * [`route`] — [`RoutingExecutor`]: the native executor
//!   ([`aws_mcp_native`], API calls in-process) for the commands it covers,
//!   the `aws` program for the rest (`AWS_MCP_EXECUTOR`).
//! * [`oversize`] — JSON-RPC messages over the 16 MiB line limit answered
//!   with an error instead of dropped in silence.
//! * [`server`] — the MCP tools `call_aws` (over the core's
//!   [`aws_mcp_core::Pipeline`]) and `suggest_aws_commands`.
//! * [`suggest`] — the suggestion engine, built on first use.
#![warn(missing_docs)]

pub mod audit;
pub mod caller;
pub mod cli;
pub mod config;
pub mod consent;
pub mod dialect;
pub mod executor;
#[cfg(feature = "http")]
pub mod http;
pub mod oversize;
mod process;
pub mod program;
pub mod route;
pub mod server;
pub mod suggest;

use std::sync::Arc;

use aws_mcp_core::{Assessor, Catalog, Pipeline};
pub use config::{ConfigError, ServerConfig};
pub use executor::SubprocessExecutor;
pub use route::RoutingExecutor;
pub use server::AwsMcpServer;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The executor could not be set up.
    #[error(transparent)]
    Exec(#[from] aws_mcp_core::ExecError),
    /// The MCP session could not start or failed.
    #[error("MCP session failed: {0}")]
    Protocol(String),
    /// Standard input or output failed.
    #[error("standard input/output failed: {0}")]
    Io(#[from] std::io::Error),
    /// A configuration value cannot be used (the message names it).
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// The executor the server runs commands with: natively when the native
/// executor covers a command, else with the installed `aws` program, as
/// `config.executor` says (see [`route`]).
pub fn routing_executor(
    catalog: &'static Catalog,
    config: &ServerConfig,
    cli: &dialect::CliDialect,
) -> Result<RoutingExecutor, ServeError> {
    let executor = SubprocessExecutor::new(
        config.aws_cli.clone(),
        config.region.clone(),
        config.profile.clone(),
        config.working_dir.clone(),
    )?;
    let native = aws_mcp_native::NativeExecutor::new(catalog)
        .with_defaults(Some(config.region.clone()), config.profile.clone())
        .with_validator(cli.validator(catalog))
        .with_cli(cli.native_output())
        .with_files(aws_mcp_native::Confinement::from_policy(&config.policy));
    Ok(RoutingExecutor::new(
        catalog,
        config.executor,
        native,
        executor,
    ))
}

/// Builds the server for `config` over `catalog`, running commands natively
/// or with the installed `aws` program (see [`route`]).
pub fn build_server(
    catalog: &'static Catalog,
    config: ServerConfig,
) -> Result<AwsMcpServer, ServeError> {
    let cli = config.cli_dialect();
    tracing::info!(dialect = %cli.describe(), "AWS CLI dialect");
    let executor = Arc::new(routing_executor(catalog, &config, &cli)?);
    let pipeline = Pipeline::new(
        cli.validator(catalog),
        Assessor::new(config.policy.clone()),
        executor.clone(),
        config.settings(),
    );
    let suggester = suggest::Suggester::new(catalog).with_dialect(cli.dialect);
    Ok(AwsMcpServer::new(pipeline, suggester, &config)
        .with_cli(&cli)
        .with_routes(executor)
        .with_audit(config.audit.clone())
        .with_consent(config.consent.clone()))
}

/// Serves MCP over stdin/stdout with the embedded catalog until stdin closes.
pub async fn serve(config: ServerConfig) -> Result<(), ServeError> {
    serve_with(Catalog::embedded(), config).await
}

/// Serves MCP over stdin/stdout with `catalog` until stdin closes.
pub async fn serve_with(catalog: &'static Catalog, config: ServerConfig) -> Result<(), ServeError> {
    use rmcp::ServiceExt;
    let server = build_server(catalog, config)?;
    server.warm();
    // Messages over the size limit are answered with an error (oversize).
    let (read, write, pump) = oversize::guarded(tokio::io::stdin(), tokio::io::stdout());
    let running = server
        .serve((read, write))
        .await
        .map_err(|e| ServeError::Protocol(e.to_string()))?;
    let reason = running
        .waiting()
        .await
        .map_err(|e| ServeError::Protocol(e.to_string()))?;
    tracing::info!(?reason, "session ended");
    // Write what is queued (the transport, dropped, closed the queue).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), pump).await;
    Ok(())
}

/// Why [`serve_stdio_blocking`] could not serve or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The environment holds a bad configuration value (the message names it).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The server failed.
    #[error(transparent)]
    Serve(#[from] ServeError),
}

impl StartError {
    /// A stable snake_case name of the error's kind (for the Python and Node packages).
    pub fn kind(&self) -> &'static str {
        match self {
            StartError::Config(_) => "config",
            StartError::Runtime(_) => "runtime",
            StartError::Serve(_) => "serve",
        }
    }
}

/// Serves MCP over stdio until stdin closes, as the `aws-mcp` binary does:
/// logs to stderr (level from `RUST_LOG`, default `warn`), configuration from
/// the environment, a current-thread runtime. The Python and Node packages'
/// `aws-mcp` entry points call this, so every package runs the same server.
pub fn serve_stdio_blocking(catalog: &'static Catalog) -> Result<(), StartError> {
    // Another subscriber may already be installed by an embedding program: keep it.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    let config = ServerConfig::from_env(catalog)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    rt.block_on(serve_with(catalog, config))?;
    Ok(())
}
