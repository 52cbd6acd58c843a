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

/// The route of `command` under `mode`. The dialect does not matter: the
/// native executor prints the output of the AWS CLI version in force
/// (`aws_mcp_native::CliOutput`), v1 or v2.
pub fn route(catalog: &Catalog, mode: ExecutorMode, command: &ValidatedCommand) -> Route {
    if command.help().is_some() {
        // Help is rendered from the catalog (aws_mcp_core::help): no program.
        return Route {
            executor: ExecutorKind::Native,
            reason: None,
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
        }
    }

    /// The route `command` takes (see [`route`]).
    pub fn route(&self, command: &ValidatedCommand) -> Route {
        route(self.catalog, self.mode, command)
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
        let r = route(self.catalog, self.mode, command);
        match r.executor {
            ExecutorKind::Native => {
                self.native
                    .execute_with_progress(command, options, progress)
                    .await
            }
            ExecutorKind::Subprocess => match self.subprocess.execute(command, options).await {
                Err(ExecError::Spawn {
                    program,
                    reason,
                    source,
                }) => Err(ExecError::Spawn {
                    program,
                    reason: format!(
                        "{reason}; the native executor does not cover this command ({})",
                        r.reason.unwrap_or_default()
                    ),
                    source,
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
