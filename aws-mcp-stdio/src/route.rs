//! Choosing the executor per command: the native executor for what it
//! covers, the `aws` program for the rest (`AWS_MCP_EXECUTOR=auto`, the
//! default), or one of them only.

use aws_mcp_core::{
    Catalog, ExecError, ExecOptions, ExecOutput, Executor, NoProgress, ProgressSink,
    ValidatedCommand,
};
use aws_mcp_native::{native_support, NativeExecutor};

use crate::config::ExecutorMode;
use crate::executor::SubprocessExecutor;

/// The executor that runs a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ExecutorKind {
    /// The native executor (AWS API calls in-process).
    Native,
    /// The installed `aws` program.
    Subprocess,
    /// None: `AWS_MCP_EXECUTOR=native` and the native executor does not
    /// cover the command.
    None,
}

impl ExecutorKind {
    /// `native`, `subprocess` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutorKind::Native => "native",
            ExecutorKind::Subprocess => "subprocess",
            ExecutorKind::None => "none",
        }
    }
}

/// Which executor a command goes to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The executor.
    pub executor: ExecutorKind,
    /// Why not native, when the command goes to the `aws` program (or
    /// cannot run in `native` mode).
    pub reason: Option<String>,
}

/// The route of `command` under `mode`.
pub fn route(catalog: &Catalog, mode: ExecutorMode, command: &ValidatedCommand) -> Route {
    route_for(catalog, mode, command, false)
}

/// The route of `command` under `mode`, when `v2_program` says whether the
/// `aws` program is AWS CLI v2 (and the dialect v2): the native executor
/// prints what AWS CLI v1 prints (timestamps as received, no YAML, v1's
/// error text), so with v2 installed, `auto` leaves commands to it.
pub fn route_for(
    catalog: &Catalog,
    mode: ExecutorMode,
    command: &ValidatedCommand,
    v2_program: bool,
) -> Route {
    if command.help().is_some() {
        // Help is rendered from the catalog (aws_mcp_core::help): no program.
        return Route {
            executor: ExecutorKind::Native,
            reason: None,
        };
    }
    if v2_program && mode == ExecutorMode::Auto {
        return Route {
            executor: ExecutorKind::Subprocess,
            reason: Some("the `aws` program is AWS CLI v2, whose output (ISO 8601 timestamps, YAML, v2 errors) the native executor does not print yet".into()),
        };
    }
    match mode {
        ExecutorMode::Subprocess => Route {
            executor: ExecutorKind::Subprocess,
            reason: Some("AWS_MCP_EXECUTOR=subprocess".into()),
        },
        _ => match native_support(catalog, command) {
            Ok(()) => Route {
                executor: ExecutorKind::Native,
                reason: None,
            },
            Err(e) => Route {
                executor: if mode == ExecutorMode::Native {
                    ExecutorKind::None
                } else {
                    ExecutorKind::Subprocess
                },
                reason: Some(e.to_string()),
            },
        },
    }
}

/// An executor that routes each command (see [`route`]).
pub struct RoutingExecutor {
    catalog: &'static Catalog,
    mode: ExecutorMode,
    native: NativeExecutor,
    subprocess: SubprocessExecutor,
    v2_program: bool,
}

impl std::fmt::Debug for RoutingExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoutingExecutor")
            .field("mode", &self.mode)
            .finish()
    }
}

impl RoutingExecutor {
    /// Route between `native` and `subprocess` under `mode`.
    pub fn new(
        catalog: &'static Catalog,
        mode: ExecutorMode,
        native: NativeExecutor,
        subprocess: SubprocessExecutor,
    ) -> RoutingExecutor {
        RoutingExecutor {
            catalog,
            mode,
            native,
            subprocess,
            v2_program: false,
        }
    }

    /// Route for the AWS CLI dialect in force (see [`route_for`]).
    pub fn with_dialect(mut self, cli: &crate::dialect::CliDialect) -> RoutingExecutor {
        self.v2_program = cli.dialect == aws_mcp_core::Dialect::V2 && cli.version.is_some();
        self
    }
}

#[async_trait::async_trait]
impl Executor for RoutingExecutor {
    async fn execute(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError> {
        self.execute_with_progress(command, options, &NoProgress)
            .await
    }

    async fn execute_with_progress(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<ExecOutput, ExecError> {
        if let Some(topic) = command.help() {
            return Ok(aws_mcp_core::help::output(self.catalog, topic, options));
        }
        let r = route_for(self.catalog, self.mode, command, self.v2_program);
        match r.executor {
            ExecutorKind::Native => {
                self.native
                    .execute_with_progress(command, options, progress)
                    .await
            }
            ExecutorKind::Subprocess => match self.subprocess.execute(command, options).await {
                Err(ExecError::Spawn { program, reason }) => Err(ExecError::Spawn {
                    program,
                    reason: format!(
                        "{reason}; the native executor does not cover this command ({})",
                        r.reason.unwrap_or_default()
                    ),
                }),
                other => other,
            },
            ExecutorKind::None => Err(ExecError::Config(format!(
                "AWS_MCP_EXECUTOR=native and {}",
                r.reason.unwrap_or_default()
            ))),
        }
    }
}
