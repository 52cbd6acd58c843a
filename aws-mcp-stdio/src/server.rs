//! The MCP server: tools `call_aws` and `suggest_aws_commands`.
//!
//! ## Design
//!
//! * Tool names and input schemas follow the reference server, so a client
//!   configuration switches by changing the command. `cli_command` is one
//!   command line or a list of up to [`MAX_COMMANDS`].
//! * One call runs the pipeline **check → decide → (consent) → execute →
//!   cap**. A list is checked and decided as a whole before anything runs,
//!   so a bad or refused command in a batch runs nothing; then the commands
//!   run in order and the batch stops at the first failure.
//! * Every failure (rejected, refused, declined, failed to run, non-zero
//!   exit) is an `isError: true` tool result with the reason in its text and
//!   in `structuredContent`; protocol errors are kept for protocol faults.
//! * Consent: on protocol 2026-07-28 and later the server answers with an
//!   input-required result carrying an elicitation and an opaque
//!   `requestState` (a random handle to a pending entry kept on the server,
//!   bound to the exact command list); on earlier versions it sends an
//!   elicitation request if the client declared the capability; otherwise
//!   the call is refused with an explanation.
//! * Annotations are truthful: `call_aws` is read-only only when the server
//!   is in read-only mode.
//! * Cancellation: when the client cancels, the execution future is dropped,
//!   which kills the `aws` process group.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_mcp_core::{ExecError, ExecOptions, ExecOutput, Executor, ValidatedCommand};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::{InputResponses, RequestState};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResponse, CallToolResult, ContentBlock, ElicitRequest, ElicitRequestParams,
    ElicitResult, ElicitationAction, Implementation, InputRequest, InputRequests,
    InputRequiredResult, ProtocolVersion, ServerCapabilities, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler};
use serde::{Deserialize, Serialize};

use crate::config::{ServerConfig, MAX_RESULTS_LIMIT};
use crate::steps::{Steps, Verdict};

/// The most commands one `call_aws` call may carry.
pub const MAX_COMMANDS: usize = 20;

/// The most consent questions awaiting an answer (2026-07-28 flow).
const MAX_PENDING: usize = 256;

/// How long the user has to answer a consent question.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

/// One command line, or a list of them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum CliCommand {
    /// One command line.
    One(String),
    /// Up to 20 command lines, run in order.
    Many(#[schemars(length(min = 1, max = 20))] Vec<String>),
}

/// Input of `call_aws`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct CallAwsInput {
    /// The complete AWS CLI command to execute, starting with "aws" (such as
    /// "aws ec2 describe-instances --region us-west-2"), or a list of up to
    /// 20 such commands run in order.
    pub cli_command: CliCommand,
    /// Optional limit for the number of results of paginated commands (the
    /// output carries NextToken to continue with --starting-token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub max_results: Option<u32>,
}

/// Input of `suggest_aws_commands`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SuggestInput {
    /// A natural language description of what you want to do in AWS. Should
    /// be detailed enough to capture the user's intent and any relevant
    /// context.
    pub query: String,
}

/// The outcome of one command.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommandResult {
    /// The command as given.
    pub command: String,
    /// `success`, `failed` (ran, non-zero exit), `rejected` (invalid),
    /// `denied` (policy), `declined` (no consent), `error` (could not run)
    /// or `not_run` (an earlier command in the list failed).
    pub status: String,
    /// The exit code of the `aws` program, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// The API response, parsed from the CLI's JSON output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<serde_json::Value>,
    /// The output as text, when it is not JSON (`--output text`, `s3 ls`) or was cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// What went wrong, when something did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The kind of error (`unknown_operation`, `read_only`, `timeout`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// Close valid names, for a rejected command.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub suggestions: Vec<String>,
    /// True when the output was longer than the cap and was cut.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub truncated: bool,
    /// The size of the full output in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
    /// The result limit applied (`--max-items`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// How long it ran, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// Output of `call_aws`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallAwsOutput {
    /// One entry per command, in order.
    pub results: Vec<CommandResult>,
}

/// One parameter of a suggested command.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuggestedParam {
    /// The option name, with `--`.
    pub name: String,
    /// Its CLI type.
    #[serde(rename = "type")]
    pub param_type: String,
    /// Whether it is required.
    pub required: bool,
    /// A short description.
    pub description: String,
}

/// One suggested command.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suggestion {
    /// The command, `aws <service> <operation>`.
    pub command: String,
    /// What it does.
    pub description: String,
    /// Relevance (higher is better).
    pub confidence: f32,
    /// Every parameter of the command.
    pub parameters: Vec<SuggestedParam>,
    /// The command ready to run: the values the query names filled in (IDs, names, ARNs,
    /// regions, S3 URLs) and a quoted `'<option>'` placeholder for each required parameter
    /// still to give. It passes validation.
    pub ready_command: String,
    /// The required parameters the query does not give (placeholders in `ready_command`).
    pub missing_parameters: Vec<String>,
}

/// Output of `suggest_aws_commands`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuggestOutput {
    /// The most likely commands, best first.
    pub suggestions: Vec<Suggestion>,
    /// The engine that answered: `hybrid` (lexical + sentence embeddings), `dense`, or
    /// `lexical` (when the model or the ONNX Runtime library is not available).
    pub engine: String,
}

/// The consent form.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Consent {
    /// Set to true to run the command(s).
    pub approve: bool,
}
rmcp::elicit_safe!(Consent);

struct Pending {
    input: CallAwsInput,
}

/// The server state shared by all requests.
struct Inner {
    steps: Steps,
    executor: Arc<dyn Executor>,
    config: ServerConfig,
    pending: Mutex<HashMap<String, Pending>>,
}

/// The aws-mcp MCP server.
#[derive(Clone)]
pub struct AwsMcpServer {
    inner: Arc<Inner>,
    tool_router: ToolRouter<AwsMcpServer>,
}

impl std::fmt::Debug for AwsMcpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsMcpServer").finish_non_exhaustive()
    }
}

fn error_result(out: CallAwsOutput, text: String) -> CallToolResponse {
    let mut r = CallToolResult::error(vec![ContentBlock::text(text)]);
    r.structured_content = serde_json::to_value(&out).ok();
    r.into()
}

impl AwsMcpServer {
    /// A server with `steps`, running commands with `executor`.
    pub fn new(steps: Steps, executor: Arc<dyn Executor>, config: ServerConfig) -> Self {
        let read_only = steps.read_only();
        let mut tool_router = Self::tool_router();
        if let Some(route) = tool_router.map.get_mut("call_aws") {
            route.attr.annotations = Some(ToolAnnotations::from_raw(
                Some("Execute AWS CLI commands".into()),
                Some(read_only),
                Some(!read_only),
                Some(false),
                Some(true),
            ));
            route.attr.description = Some(call_aws_description(&config).into());
            route.attr.output_schema = Some(rmcp::handler::server::tool::schema_for_output::<
                CallAwsOutput,
            >());
        }
        AwsMcpServer {
            inner: Arc::new(Inner {
                steps,
                executor,
                config,
                pending: Mutex::new(HashMap::new()),
            }),
            tool_router,
        }
    }

    /// Builds the suggestion engine in the background, so that the first
    /// `suggest_aws_commands` call does not wait for it.
    pub fn warm(&self) {
        let inner = self.inner.clone();
        std::thread::spawn(move || inner.steps.warm());
    }

    fn exec_options(&self, command: &ValidatedCommand, max_results: Option<u32>) -> ExecOptions {
        let cfg = &self.inner.config;
        let limit = max_results
            .unwrap_or(cfg.default_max_items)
            .clamp(1, MAX_RESULTS_LIMIT);
        ExecOptions {
            max_items: self.inner.steps.paginated(command).then_some(limit),
            timeout: cfg.timeout,
            connect_timeout: cfg.connect_timeout,
            output_cap: cfg.max_output_bytes,
            error_cap: 16 * 1024,
        }
    }

    /// Checks and decides every command. `Err` is the finished error result.
    #[allow(clippy::result_large_err)]
    fn prepare(
        &self,
        commands: &[String],
    ) -> Result<(Vec<ValidatedCommand>, Vec<String>), CallToolResponse> {
        let mut out = CallAwsOutput::default();
        let mut validated = Vec::new();
        let mut consent = Vec::new();
        let mut failure: Option<String> = None;
        for text in commands {
            let mut r = CommandResult {
                command: text.clone(),
                status: "not_run".into(),
                ..Default::default()
            };
            if failure.is_none() {
                match self.inner.steps.check(text) {
                    Err(rej) => {
                        r.status = "rejected".into();
                        r.error = Some(rej.message.clone());
                        r.error_kind = Some(rej.kind.into());
                        r.suggestions = rej.suggestions.clone();
                        let mut msg = format!("Invalid command `{text}`: {}", rej.message);
                        if !rej.suggestions.is_empty() {
                            msg.push_str(&format!(
                                " Did you mean: {}?",
                                rej.suggestions.join(", ")
                            ));
                        }
                        failure = Some(msg);
                    }
                    Ok(cmd) => match self.inner.steps.decide(&cmd) {
                        Verdict::Allow => validated.push(cmd),
                        Verdict::NeedsConsent(why) => {
                            consent.push(format!("{text} ({why})"));
                            validated.push(cmd);
                        }
                        Verdict::Deny(why) => {
                            r.status = "denied".into();
                            r.error = Some(why.clone());
                            r.error_kind = Some("denied".into());
                            failure = Some(format!("Refused `{text}`: {why}"));
                        }
                    },
                }
            }
            out.results.push(r);
        }
        match failure {
            Some(msg) => {
                let msg = if commands.len() > 1 {
                    format!("{msg} Nothing in the list was run.")
                } else {
                    msg
                };
                Err(error_result(out, msg))
            }
            None => Ok((validated, consent)),
        }
    }

    async fn run_all(
        &self,
        input: &CallAwsInput,
        commands: &[String],
        validated: Vec<ValidatedCommand>,
        context: &RequestContext<RoleServer>,
    ) -> CallToolResponse {
        let mut out = CallAwsOutput::default();
        let mut texts = Vec::new();
        let mut failed = false;
        for (text, cmd) in commands.iter().zip(validated) {
            if failed {
                out.results.push(CommandResult {
                    command: text.clone(),
                    status: "not_run".into(),
                    ..Default::default()
                });
                continue;
            }
            let opts = self.exec_options(&cmd, input.max_results);
            tracing::info!(service = %cmd.service, operation = %cmd.operation, "running");
            let run = self.inner.executor.execute(&cmd, &opts);
            let res = tokio::select! {
                r = run => r,
                _ = context.ct.cancelled() => Err(ExecError::Cancelled),
            };
            let r = to_result(text, res, opts.max_items);
            if r.status != "success" {
                failed = true;
            }
            texts.push(render(&r));
            out.results.push(r);
        }
        let text = texts.join("\n\n");
        if failed {
            error_result(out, text)
        } else {
            let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
            r.structured_content = serde_json::to_value(&out).ok();
            r.into()
        }
    }

    fn refuse_consent(&self, commands: &[String], why: &str) -> CallToolResponse {
        let out = CallAwsOutput {
            results: commands
                .iter()
                .map(|c| CommandResult {
                    command: c.clone(),
                    status: "declined".into(),
                    error: Some(why.to_string()),
                    error_kind: Some("consent".into()),
                    ..Default::default()
                })
                .collect(),
        };
        error_result(out, why.to_string())
    }
}

fn to_result(
    text: &str,
    res: Result<ExecOutput, ExecError>,
    max_items: Option<u32>,
) -> CommandResult {
    let mut r = CommandResult {
        command: text.to_string(),
        max_items,
        ..Default::default()
    };
    match res {
        Ok(o) => {
            r.exit_code = o.exit_code;
            r.truncated = o.truncated;
            r.output_bytes = Some(o.output_bytes);
            r.duration_ms = Some(o.duration_ms);
            r.response = o.json;
            r.output = o.text.filter(|t| !t.is_empty() || r.response.is_none());
            if o.truncated {
                if let Some(t) = r.output.as_mut() {
                    t.push_str(aws_mcp_core::exec::CUT_MARK);
                }
            }
            if o.exit_code == Some(0) {
                r.status = "success".into();
            } else {
                r.status = "failed".into();
                r.error_kind = Some("aws_error".into());
                let err = o.stderr.trim();
                r.error = Some(if err.is_empty() {
                    format!("the command exited with code {:?}", o.exit_code)
                } else {
                    err.to_string()
                });
            }
        }
        Err(e) => {
            r.status = "error".into();
            r.error_kind = Some(
                match e {
                    ExecError::Timeout { .. } => "timeout",
                    ExecError::Cancelled => "cancelled",
                    ExecError::Spawn { .. } => "spawn",
                    _ => "exec",
                }
                .into(),
            );
            r.error = Some(e.to_string());
        }
    }
    r
}

fn render(r: &CommandResult) -> String {
    let mut s = String::new();
    if r.status != "success" {
        s.push_str(&format!(
            "`{}` {}: {}",
            r.command,
            r.status,
            r.error.as_deref().unwrap_or("")
        ));
        if let Some(o) = &r.output {
            if !o.is_empty() {
                s.push('\n');
                s.push_str(o);
            }
        }
        return s;
    }
    if let Some(v) = &r.response {
        s.push_str(&v.to_string());
    } else if let Some(o) = &r.output {
        s.push_str(o);
    }
    if r.truncated {
        s.push_str(&format!(
            "\n[{} bytes in all; narrow the command with --query, filters or max_results]",
            r.output_bytes.unwrap_or(0)
        ));
    }
    s
}

fn supports_input_required(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str())
}

fn consent_message(items: &[String]) -> String {
    format!(
        "An AI assistant wants to run AWS CLI command(s) that change resources in your AWS account:\n{}\nApprove?",
        items
            .iter()
            .map(|i| format!("  - {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn new_handle() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut s = String::new();
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        s.push_str(&format!("{:016x}", h.finish()));
    }
    s
}

fn call_aws_description(cfg: &ServerConfig) -> String {
    format!(
        "Execute AWS CLI commands after validating them against the complete AWS CLI command table and the security policy. \
This is the PRIMARY tool when you know the command; use suggest_aws_commands when you do not.\n\
- The command MUST start with \"aws\" and follow AWS CLI syntax; give a list of up to {MAX_COMMANDS} commands to run several in order.\n\
- Commands run in {region} unless they give --region.\n\
- Paginated commands return at most max_results items (default {max}); the output then carries NextToken: continue with --starting-token.\n\
- Use --query (JMESPath) to select fields; output is capped at {cap} bytes.\n\
- The working directory is {wd}; local files (file://, s3 cp paths) must be inside it.\n\
- No shell: no pipes, redirection, command substitution or variables.\n\
- A rejected command comes back with the reason and close valid names.{ro}",
        region = cfg.region,
        max = cfg.default_max_items,
        cap = cfg.max_output_bytes,
        wd = cfg.working_dir.display(),
        ro = if cfg.policy.read_operations_only {
            "\n- The server is in read-only mode: commands that change resources are refused."
        } else {
            ""
        },
    )
}

#[tool_router]
impl AwsMcpServer {
    #[tool(
        name = "call_aws",
        description = "Execute AWS CLI commands with validation and proper error handling."
    )]
    async fn call_aws(
        &self,
        context: RequestContext<RoleServer>,
        Parameters(input): Parameters<CallAwsInput>,
        RequestState(state): RequestState,
        InputResponses(responses): InputResponses,
    ) -> Result<CallToolResponse, ErrorData> {
        let commands: Vec<String> = match &input.cli_command {
            CliCommand::One(c) => vec![c.clone()],
            CliCommand::Many(v) => v.clone(),
        };
        if commands.is_empty() || commands.len() > MAX_COMMANDS {
            return Ok(error_result(
                CallAwsOutput::default(),
                format!(
                    "cli_command holds {} commands; give between 1 and {MAX_COMMANDS}",
                    commands.len()
                ),
            ));
        }
        if input.max_results == Some(0) || input.max_results > Some(MAX_RESULTS_LIMIT) {
            return Ok(error_result(
                CallAwsOutput::default(),
                format!("max_results must be between 1 and {MAX_RESULTS_LIMIT}"),
            ));
        }
        let (validated, consent) = match self.prepare(&commands) {
            Ok(v) => v,
            Err(e) => return Ok(e),
        };
        if !consent.is_empty() {
            let message = consent_message(&consent);
            if supports_input_required(&context) {
                match state {
                    None => {
                        let handle = new_handle();
                        if let Ok(mut p) = self.inner.pending.lock() {
                            // Unanswered questions do not pile up.
                            if p.len() >= MAX_PENDING {
                                p.clear();
                            }
                            p.insert(
                                handle.clone(),
                                Pending {
                                    input: input.clone(),
                                },
                            );
                        }
                        let schema = match serde_json::from_value(serde_json::json!({
                            "type": "object",
                            "properties": {"approve": {"type": "boolean", "title": "Approve", "description": "Run the command(s)"}},
                            "required": ["approve"]
                        })) {
                            Ok(s) => s,
                            Err(e) => return Err(ErrorData::internal_error(e.to_string(), None)),
                        };
                        let mut requests = InputRequests::new();
                        requests.insert(
                            "consent".into(),
                            InputRequest::Elicitation(ElicitRequest::new(
                                ElicitRequestParams::FormElicitationParams {
                                    meta: None,
                                    message,
                                    requested_schema: schema,
                                },
                            )),
                        );
                        return Ok(InputRequiredResult::new(Some(requests), Some(handle)).into());
                    }
                    Some(handle) => {
                        let pending = self
                            .inner
                            .pending
                            .lock()
                            .ok()
                            .and_then(|mut p| p.remove(&handle));
                        let Some(pending) = pending.filter(|p| p.input == input) else {
                            return Ok(self.refuse_consent(
                                &commands,
                                "the consent answer does not match a pending request for these commands; call call_aws again",
                            ));
                        };
                        let answer = responses
                            .as_ref()
                            .and_then(|r| r.get("consent"))
                            .and_then(|v| serde_json::from_value::<ElicitResult>(v.clone()).ok());
                        let approved = answer.is_some_and(|a| {
                            a.action == ElicitationAction::Accept
                                && a.content
                                    .as_ref()
                                    .and_then(|c| c.get("approve"))
                                    .and_then(|v| v.as_bool())
                                    == Some(true)
                        });
                        if !approved {
                            return Ok(self.refuse_consent(
                                &commands,
                                "the user did not approve the command(s), so nothing was run",
                            ));
                        }
                        let _ = pending;
                    }
                }
            } else if context
                .peer
                .peer_info()
                .is_some_and(|i| i.capabilities.elicitation.is_some())
            {
                let answer = context
                    .peer
                    .elicit_with_timeout::<Consent>(message, Some(CONSENT_TIMEOUT))
                    .await;
                match answer {
                    Ok(Some(Consent { approve: true })) => {}
                    Ok(_) => {
                        return Ok(self.refuse_consent(
                            &commands,
                            "the user did not approve the command(s), so nothing was run",
                        ))
                    }
                    Err(e) => {
                        return Ok(self.refuse_consent(
                            &commands,
                            &format!(
                            "the user's consent could not be obtained ({e}), so nothing was run"
                        ),
                        ))
                    }
                }
            } else {
                return Ok(self.refuse_consent(
                    &commands,
                    "these commands change resources and the server requires the user's consent (REQUIRE_MUTATION_CONSENT), but this client supports neither elicitation nor input-required results, so nothing was run",
                ));
            }
        }
        Ok(self.run_all(&input, &commands, validated, &context).await)
    }

    #[tool(
        name = "suggest_aws_commands",
        description = "Suggest AWS CLI commands for a natural language query. A FALLBACK tool: use it when you are unsure of the exact service, operation or parameters; use call_aws when you know the command. Ask one query per single CLI command (break multi-step tasks into steps). Returns the 3 most likely commands from the complete AWS CLI command table (including services newer than your training), each with its description and its complete parameter list (name, type, required, short description).",
        annotations(
            title = "Suggest AWS CLI commands",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn suggest_aws_commands(
        &self,
        Parameters(input): Parameters<SuggestInput>,
    ) -> Result<rmcp::Json<SuggestOutput>, String> {
        let q = input.query.trim();
        if q.is_empty() {
            return Err("the query is empty; describe what you want to do in AWS".into());
        }
        let answer = self.inner.steps.suggest(q, 3)?;
        let engine = answer.engine;
        let suggestions = answer
            .suggestions
            .into_iter()
            .map(|s| Suggestion {
                command: s.command,
                ready_command: s.ready,
                missing_parameters: s.missing,
                description: s.description,
                confidence: s.score,
                parameters: s
                    .parameters
                    .into_iter()
                    .map(|p| SuggestedParam {
                        name: p.name,
                        param_type: p.param_type,
                        required: p.required,
                        description: p.doc,
                    })
                    .collect(),
            })
            .collect();
        Ok(rmcp::Json(SuggestOutput {
            suggestions,
            engine,
        }))
    }
}

/// The server instructions.
pub const INSTRUCTIONS: &str = "This server runs AWS CLI commands against the user's AWS account and finds the right command when you do not know it.\n\
- call_aws: give the complete command as a string starting with `aws` (or a list of up to 20). It is validated against the full AWS CLI command table (services, operations, option names and types, required options) and the security policy before it runs; failures come back as errors with the reason and close valid names, so fix the command and retry.\n\
- suggest_aws_commands: when unsure of the command, describe one step in plain language and get the 3 most likely commands with all their parameters; then call call_aws.\n\
- Results of paginated commands are limited (max_results); continue with --starting-token NextToken. Use --query to select fields and keep output small; output is capped.\n\
- No shell features (pipes, redirection, variables, $(...)). Local files must be inside the working directory.\n\
- Commands that change resources may be refused (read-only mode) or need the user's approval.";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for AwsMcpServer {
    fn get_info(&self) -> rmcp::model::ServerConfig {
        rmcp::model::ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(INSTRUCTIONS.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::exec::cap_output;

    fn output(code: i32, out: &[u8], cap: usize, err: &[u8]) -> ExecOutput {
        ExecOutput::from_streams(
            Some(code),
            cap_output(out, cap, 0),
            cap_output(err, 1000, 0),
            Duration::from_millis(3),
        )
    }

    #[test]
    fn success_carries_the_parsed_response() {
        let r = to_result("aws x y", Ok(output(0, br#"{"A": 1}"#, 100, b"")), Some(5));
        assert_eq!(r.status, "success");
        assert_eq!(r.response, Some(serde_json::json!({"A": 1})));
        assert!(r.output.is_none() && r.error.is_none());
        assert_eq!(r.max_items, Some(5));
        assert_eq!(render(&r), r#"{"A":1}"#);
    }

    #[test]
    fn failure_carries_stderr_and_cut_output_is_marked() {
        let r = to_result(
            "aws x y",
            Ok(output(255, b"", 100, b"An error occurred (NoSuchBucket)")),
            None,
        );
        assert_eq!(r.status, "failed");
        assert_eq!(r.error.as_deref(), Some("An error occurred (NoSuchBucket)"));
        assert!(render(&r).contains("NoSuchBucket"));

        let r = to_result("aws x y", Ok(output(0, b"0123456789", 4, b"")), None);
        assert!(r.truncated);
        let out = r.output.clone().unwrap_or_default();
        assert!(out.starts_with("0123") && out.ends_with(aws_mcp_core::exec::CUT_MARK));
        assert!(render(&r).contains("10 bytes in all"));
    }

    #[test]
    fn exec_errors_have_kinds() {
        for (e, kind) in [
            (ExecError::Timeout { seconds: 3 }, "timeout"),
            (ExecError::Cancelled, "cancelled"),
            (
                ExecError::Spawn {
                    program: "aws".into(),
                    reason: "not found".into(),
                },
                "spawn",
            ),
        ] {
            let r = to_result("aws x y", Err(e), None);
            assert_eq!(r.status, "error");
            assert_eq!(r.error_kind.as_deref(), Some(kind));
        }
    }

    #[test]
    fn consent_message_lists_every_command() {
        let m = consent_message(&["aws s3 rb s3://a".into(), "aws s3 rb s3://b".into()]);
        assert!(m.contains("s3://a") && m.contains("s3://b"));
        assert_ne!(new_handle(), new_handle());
    }
}
