//! The MCP server: tools `call_aws` and `suggest_aws_commands`.
//!
//! ## Design
//!
//! * Tool names and input schemas follow the reference server, so a client
//!   configuration switches by changing the command. `cli_command` is one
//!   command line or a list of up to [`MAX_COMMANDS`].
//! * One call runs the core's [`Pipeline`]: **check → decide → (consent) →
//!   execute → cap**. A list is checked and decided as a whole before
//!   anything runs, so a bad or refused command in a batch runs nothing;
//!   then the commands run in order and the batch stops at the first
//!   failure.
//! * Every failure (rejected, refused, declined, failed to run, non-zero
//!   exit) is an `isError: true` tool result with the reason in its text and
//!   in `structuredContent`; protocol errors are kept for protocol faults.
//! * Consent is asked only of clients that declared the elicitation
//!   capability (on every protocol version): on 2026-07-28 and later the
//!   server answers with an input-required result carrying an elicitation
//!   and an opaque `requestState` sealed with HMAC (see [`crate::consent`]:
//!   bound to the caller, the exact command list and an expiry, so any
//!   replica holding the key takes the answer, and nothing is kept in
//!   memory between the two requests); on earlier versions it sends an
//!   elicitation request. Any other client gets a refusal that says why.
//! * Callers: over HTTP the caller proven by their token
//!   ([`Caller::of_request`]); with [`CallerIdentities`] every command runs
//!   with the caller's own AWS credentials, never the server's.
//! * Every call writes one line to the audit log ([`crate::audit`]).
//! * Schemas are plain JSON Schema: integers carry `minimum`/`maximum`, not
//!   Rust-specific formats, and `max_results` also accepts a numeric string
//!   (some clients send one).
//! * Annotations are truthful: `call_aws` is read-only only when the server
//!   is in read-only mode.
//! * Cancellation: when the client cancels, the execution future is dropped,
//!   which kills the `aws` process group.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_mcp_core::pipeline::{
    Approved, Pipeline, Plan, Report, Status, MAX_COMMANDS, MAX_RESULTS_LIMIT,
};
use aws_mcp_core::{Assessment, Progress, ProgressSink, ValidatedCommand};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::{InputResponses, RequestState};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResponse, CallToolResult, ContentBlock, ElicitRequest, ElicitRequestParams,
    ElicitResult, ElicitationAction, Implementation, InputRequest, InputRequests,
    InputRequiredResult, ProgressNotificationParam, ProtocolVersion, ServerCapabilities,
    ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler};
use serde::{Deserialize, Serialize};

use crate::audit::{redacted_command, AuditCommand, AuditRecord, AuditSink};
use crate::caller::{Caller, CallerIdentities};
use crate::config::ServerConfig;
use crate::consent::ConsentSeal;
use crate::route::RoutingExecutor;
use crate::suggest::Suggester;

/// Progress reports sent to the task that forwards them to the client.
struct ChannelProgress(tokio::sync::mpsc::UnboundedSender<Progress>);

impl ProgressSink for ChannelProgress {
    fn report(&self, progress: Progress) {
        let _ = self.0.send(progress);
    }
}

/// How long the user has to answer a consent question.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

/// The most bytes one `suggest_aws_commands` answer may take.
pub const SUGGEST_BUDGET_BYTES: usize = 12 * 1024;

/// One command line, or a list of them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum CliCommand {
    /// One command line.
    One(String),
    /// Up to 20 command lines, run in order.
    Many(#[schemars(length(min = 1, max = 20))] Vec<String>),
}

impl CliCommand {
    /// The command lines.
    pub fn lines(&self) -> Vec<String> {
        match self {
            CliCommand::One(c) => vec![c.clone()],
            CliCommand::Many(v) => v.clone(),
        }
    }
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "number_or_numeric_string"
    )]
    #[schemars(schema_with = "max_results_schema")]
    pub max_results: Option<u32>,
}

fn max_results_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_RESULTS_LIMIT,
        "description": "Optional limit for the number of results of paginated commands (the output carries NextToken to continue with --starting-token)."
    })
}

/// `max_results` as a JSON number or a string of digits (older clients send
/// form values as strings); anything else is refused with a clear message.
fn number_or_numeric_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<u32>, D::Error> {
    use serde::de::Error;
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let bad = || {
        D::Error::custom(format!(
            "max_results must be an integer between 1 and {MAX_RESULTS_LIMIT}"
        ))
    };
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(bad),
        Some(serde_json::Value::String(s)) => s.trim().parse::<u32>().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// Input of `suggest_aws_commands`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SuggestInput {
    /// A natural language description of what you want to do in AWS. Should
    /// be detailed enough to capture the user's intent and any relevant
    /// context.
    pub query: String,
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
    /// A short description (empty when the answer's size budget left it out).
    pub description: String,
}

/// One suggested command.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suggestion {
    /// The command, `aws <service> <operation>`.
    pub command: String,
    /// What it does.
    pub description: String,
    /// The engine's relevance score (higher is better; comparable within one answer).
    pub score: f32,
    /// The command's parameters: every required one, then the optional ones
    /// as far as the answer's size budget allows.
    pub parameters: Vec<SuggestedParam>,
    /// Optional parameters left out to keep the answer small (see `aws <service> <operation> help`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_parameters: Vec<String>,
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

/// The server state shared by all requests.
struct Inner {
    pipeline: Pipeline<'static>,
    suggester: Suggester,
    consent: Arc<ConsentSeal>,
    audit: Arc<AuditSink>,
    identities: Option<Arc<dyn CallerIdentities>>,
    routes: Option<Arc<RoutingExecutor>>,
    transport: &'static str,
    suggest_slots: tokio::sync::Semaphore,
    instructions: String,
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

/// The tool result for a report: `isError` unless every command succeeded,
/// the report as structured content and its text for the model.
fn respond(report: Report) -> CallToolResponse {
    let text = report.text().to_string();
    let structured = serde_json::to_value(&report).ok();
    let mut r = if report.is_error() {
        CallToolResult::error(vec![ContentBlock::text(text)])
    } else {
        CallToolResult::success(vec![ContentBlock::text(text)])
    };
    r.structured_content = structured;
    r.into()
}

/// A schema rewritten to plain JSON Schema: Rust integer formats (`uint32`,
/// `int64`, ...) that clients do not know become `minimum`/`maximum`.
pub fn standard_schema(mut v: serde_json::Value) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                let bounds: Option<(i64, u64)> = match m.get("format").and_then(|f| f.as_str()) {
                    Some("uint8") => Some((0, u8::MAX as u64)),
                    Some("uint16") => Some((0, u16::MAX as u64)),
                    Some("uint32") => Some((0, u32::MAX as u64)),
                    Some("uint64") | Some("uint") => Some((0, u64::MAX)),
                    Some("int8") => Some((i8::MIN as i64, i8::MAX as u64)),
                    Some("int16") => Some((i16::MIN as i64, i16::MAX as u64)),
                    Some("int32") => Some((i32::MIN as i64, i32::MAX as u64)),
                    Some("int64") | Some("int") => Some((i64::MIN, i64::MAX as u64)),
                    Some("float") | Some("double") => Some((0, 0)),
                    _ => None,
                };
                if let Some((lo, hi)) = bounds {
                    m.remove("format");
                    if hi > 0 {
                        m.entry("minimum").or_insert(lo.into());
                        if hi < u64::MAX && hi <= i64::MAX as u64 {
                            m.entry("maximum").or_insert(hi.into());
                        }
                    }
                }
                for (_, x) in m.iter_mut() {
                    walk(x);
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn schema_object(v: serde_json::Value) -> Arc<rmcp::model::JsonObject> {
    match standard_schema(v) {
        serde_json::Value::Object(m) => Arc::new(m),
        _ => Arc::new(Default::default()),
    }
}

impl AwsMcpServer {
    /// A server over `pipeline`, suggesting with `suggester`.
    pub fn new(pipeline: Pipeline<'static>, suggester: Suggester, config: &ServerConfig) -> Self {
        let read_only = config.policy.read_operations_only;
        let mut tool_router = Self::tool_router();
        for route in tool_router.map.values_mut() {
            route.attr.input_schema = schema_object(serde_json::Value::Object(
                (*route.attr.input_schema).clone(),
            ));
            if let Some(out) = &route.attr.output_schema {
                route.attr.output_schema =
                    Some(schema_object(serde_json::Value::Object((**out).clone())));
            }
        }
        if let Some(route) = tool_router.map.get_mut("call_aws") {
            route.attr.annotations = Some(ToolAnnotations::from_raw(
                Some("Execute AWS CLI commands".into()),
                Some(read_only),
                Some(!read_only),
                Some(false),
                Some(true),
            ));
            route.attr.description = Some(call_aws_description(config).into());
            let out = rmcp::handler::server::tool::schema_for_output::<Report>();
            route.attr.output_schema =
                Some(schema_object(serde_json::Value::Object((*out).clone())));
        }
        AwsMcpServer {
            inner: Arc::new(Inner {
                pipeline,
                suggester,
                consent: Arc::new(ConsentSeal::random()),
                audit: Arc::new(AuditSink::Off),
                identities: None,
                routes: None,
                transport: "stdio",
                suggest_slots: tokio::sync::Semaphore::new(
                    std::thread::available_parallelism().map_or(2, |n| n.get()),
                ),
                instructions: instructions(None),
            }),
            tool_router,
        }
    }

    /// Say in the instructions which AWS CLI dialect commands are validated for.
    pub fn with_cli(mut self, cli: &crate::dialect::CliDialect) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.instructions = instructions(Some(cli));
        }
        self
    }

    fn inner_mut(&mut self) -> &mut Inner {
        Arc::get_mut(&mut self.inner).expect("configured before the server is shared")
    }

    /// Seal consent states with `seal` (a key shared by the replicas).
    pub fn with_consent(mut self, seal: Arc<ConsentSeal>) -> Self {
        self.inner_mut().consent = seal;
        self
    }

    /// Write one audit line per call to `sink`.
    pub fn with_audit(mut self, sink: Arc<AuditSink>) -> Self {
        self.inner_mut().audit = sink;
        self
    }

    /// Run every command with the caller's own AWS identity from `identities`.
    pub fn with_identities(mut self, identities: Arc<dyn CallerIdentities>) -> Self {
        self.inner_mut().identities = Some(identities);
        self
    }

    /// Name the executor of each command in the audit log from `routes`.
    pub fn with_routes(mut self, routes: Arc<RoutingExecutor>) -> Self {
        self.inner_mut().routes = Some(routes);
        self
    }

    /// The transport named in the audit log (`stdio`, `http`).
    pub fn with_transport(mut self, transport: &'static str) -> Self {
        self.inner_mut().transport = transport;
        self
    }

    /// Builds the suggestion engine in the background, so that the first
    /// `suggest_aws_commands` call does not wait for it.
    pub fn warm(&self) {
        let inner = self.inner.clone();
        std::thread::spawn(move || inner.suggester.warm());
    }

    /// The audit entries of planned commands (names, classification,
    /// decision, executor; the outcome is filled in after the run).
    fn audit_planned<'a>(
        &self,
        items: impl Iterator<Item = (&'a ValidatedCommand, &'a Assessment)>,
    ) -> Vec<AuditCommand> {
        items
            .map(|(cmd, a)| AuditCommand {
                command: Some(redacted_command(cmd)),
                access_level: Some(a.classification().access_level.as_str()),
                read_only: Some(a.classification().read_only),
                decision: Some(a.decision().as_str()),
                rule: a.decision().rule().map(|r| r.as_str()),
                executor: self
                    .inner
                    .routes
                    .as_ref()
                    .map(|r| r.route(cmd).executor.as_str()),
                status: Status::NotRun.as_str(),
                ..AuditCommand::default()
            })
            .collect()
    }

    /// The audit entries of a batch refused before anything ran: commands
    /// that validated are named (names only), the others are not.
    fn audit_refused(&self, report: &Report) -> Vec<AuditCommand> {
        let mut out = Vec::with_capacity(report.results.len());
        for r in &report.results {
            let validated = match r.status {
                Status::Rejected => None,
                _ => self.inner.pipeline.validator().validate(&r.command).ok(),
            };
            let mut c = match &validated {
                Some(cmd) => {
                    let a = self.inner.pipeline.assessor().assess(cmd);
                    self.audit_planned(std::iter::once((cmd, &a)))
                        .pop()
                        .unwrap_or_default()
                }
                None => AuditCommand::default(),
            };
            c.status = r.status.as_str();
            c.error_kind = r.error_kind.clone();
            out.push(c);
        }
        out
    }

    fn audit(
        &self,
        caller: &Caller,
        outcome: &'static str,
        reason: Option<String>,
        commands: Vec<AuditCommand>,
        started: Instant,
    ) {
        self.audit_as(caller, outcome, reason, commands, None, started);
    }

    fn audit_as(
        &self,
        caller: &Caller,
        outcome: &'static str,
        reason: Option<String>,
        commands: Vec<AuditCommand>,
        role: Option<String>,
        started: Instant,
    ) {
        let ran = commands.iter().any(|c| c.exit_code.is_some());
        self.inner.audit.record(&AuditRecord {
            time: crate::audit::rfc3339(SystemTime::now()),
            kind: "audit",
            transport: self.inner.transport,
            caller: caller.key.clone(),
            tool: "call_aws",
            outcome,
            reason,
            commands,
            identity: ran.then_some(if role.is_some() { "caller" } else { "server" }),
            role,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }

    /// Run an approved plan; progress reports (a waiter's attempts) go out
    /// as MCP progress notifications, in order, from one forwarding task,
    /// when the client asked for them with a progress token.
    async fn run_plan(&self, plan: Approved, context: &RequestContext<RoleServer>) -> Report {
        let Some(token) = context.meta.get_progress_token() else {
            return self
                .inner
                .pipeline
                .execute(plan, context.ct.cancelled())
                .await;
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Progress>();
        let peer = context.peer.clone();
        let forward = tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                let mut param = ProgressNotificationParam::new(token.clone(), p.done as f64)
                    .with_message(p.message);
                if let Some(t) = p.total {
                    param = param.with_total(t as f64);
                }
                if peer.notify_progress(param).await.is_err() {
                    break;
                }
            }
        });
        let sink = ChannelProgress(tx);
        let report = self
            .inner
            .pipeline
            .execute_with_progress(plan, context.ct.cancelled(), &sink)
            .await;
        drop(sink);
        let _ = forward.await;
        report
    }

    async fn execute(
        &self,
        plan: Approved,
        caller: &Caller,
        context: &RequestContext<RoleServer>,
        started: Instant,
    ) -> CallToolResponse {
        let mut audit = self.audit_planned(plan.assessed());
        let mut role = None;
        let plan = match &self.inner.identities {
            None => plan,
            Some(ids) => match ids.credentials(caller).await {
                Ok(assumed) => {
                    role = Some(assumed.role_arn);
                    plan.with_credentials(assumed.credentials)
                }
                Err(e) => {
                    tracing::warn!(caller = %caller.key, error = %e, "no AWS credentials for the caller");
                    self.audit(
                        caller,
                        "identity_failed",
                        Some(e.kind().into()),
                        audit,
                        started,
                    );
                    return identity_failure(&plan, &e);
                }
            },
        };
        let report = self.run_plan(plan, context).await;
        for (a, r) in audit.iter_mut().zip(&report.results) {
            a.status = r.status.as_str();
            a.error_kind = r.error_kind.clone();
            a.exit_code = r.exit_code;
            a.duration_ms = r.duration_ms;
            a.output_bytes = r.output_bytes;
        }
        let outcome = if report.is_error() { "failed" } else { "ran" };
        self.audit_as(caller, outcome, None, audit, role, started);
        respond(report)
    }

    /// The 2026-07-28 flow: ask with an input-required result whose state
    /// is sealed (caller, exact call, expiry), or run when the answer to an
    /// earlier one comes back, through this replica or any other.
    #[allow(clippy::too_many_arguments)]
    async fn consent_by_input_required(
        &self,
        plan: Plan,
        input: &CallAwsInput,
        state: Option<String>,
        responses: Option<&serde_json::Map<String, serde_json::Value>>,
        caller: &Caller,
        context: &RequestContext<RoleServer>,
        started: Instant,
    ) -> Result<CallToolResponse, ErrorData> {
        let call = serde_json::to_vec(input)
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        let Some(state) = state else {
            let sealed = self.inner.consent.seal(&caller.key, &call);
            let schema = serde_json::from_value(serde_json::json!({
                "type": "object",
                "properties": {"approve": {"type": "boolean", "title": "Approve", "description": "Run the command(s)"}},
                "required": ["approve"]
            }))
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
            let mut requests = InputRequests::new();
            requests.insert(
                "consent".into(),
                InputRequest::Elicitation(ElicitRequest::new(
                    ElicitRequestParams::FormElicitationParams {
                        meta: None,
                        message: plan.consent_question(),
                        requested_schema: schema,
                    },
                )),
            );
            let audit = self.audit_planned(plan.assessed());
            self.audit(caller, "consent_asked", None, audit, started);
            return Ok(InputRequiredResult::new(Some(requests), Some(sealed)).into());
        };
        if let Err(e) = self.inner.consent.open(&state, &caller.key, &call) {
            let audit = self.audit_planned(plan.assessed());
            self.audit(
                caller,
                "declined",
                Some(format!("consent_state_{}", e.kind())),
                audit,
                started,
            );
            return Ok(respond(plan.decline(&format!(
                "the consent answer was not accepted ({e}), so nothing was run; call call_aws again"
            ))));
        }
        let answer = responses
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
            let audit = self.audit_planned(plan.assessed());
            self.audit(caller, "declined", Some("user".into()), audit, started);
            return Ok(respond(plan.decline(
                "the user did not approve the command(s), so nothing was run",
            )));
        }
        Ok(self.execute(plan.approve(), caller, context, started).await)
    }

    /// The 2025-11-25 flow: an elicitation request within the call.
    async fn consent_by_elicitation(
        &self,
        plan: Plan,
        caller: &Caller,
        context: &RequestContext<RoleServer>,
        started: Instant,
    ) -> CallToolResponse {
        let answer = context
            .peer
            .elicit_with_timeout::<Consent>(plan.consent_question(), Some(CONSENT_TIMEOUT))
            .await;
        let why = match answer {
            Ok(Some(Consent { approve: true })) => {
                return self.execute(plan.approve(), caller, context, started).await
            }
            Ok(_) => (
                "user",
                "the user did not approve the command(s), so nothing was run".to_string(),
            ),
            Err(e) => (
                "elicitation_failed",
                format!("the user's consent could not be obtained ({e}), so nothing was run"),
            ),
        };
        let audit = self.audit_planned(plan.assessed());
        self.audit(caller, "declined", Some(why.0.into()), audit, started);
        respond(plan.decline(&why.1))
    }
}

/// The tool result when the caller's AWS credentials could not be had:
/// nothing ran.
fn identity_failure(plan: &Approved, e: &crate::caller::IdentityError) -> CallToolResponse {
    let text = format!(
        "Your AWS credentials could not be obtained, so nothing was run: {e}. Ask the server's operator to check the role mapping (AWS_MCP_CALLER_ROLE_ARN / AWS_MCP_CALLER_ROLE_MAP) and the role's trust policy."
    );
    let results: Vec<serde_json::Value> = plan
        .commands()
        .map(|c| {
            serde_json::json!({
                "command": aws_mcp_core::pipeline::escape_for_people(&c.chars().take(200).collect::<String>()),
                "status": "error",
                "error_kind": "identity",
                "error": text,
            })
        })
        .collect();
    let mut r = CallToolResult::error(vec![ContentBlock::text(text.clone())]);
    r.structured_content = Some(serde_json::json!({ "results": results }));
    r.into()
}

fn supports_input_required(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str())
}

/// Whether the client declared the elicitation capability: per request
/// (`_meta` client capabilities, protocol 2026-07-28) or at `initialize`
/// (earlier versions).
fn client_can_elicit(context: &RequestContext<RoleServer>) -> bool {
    context
        .client_capabilities()
        .is_some_and(|c| c.elicitation.is_some())
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

/// Suggestions bounded to [`SUGGEST_BUDGET_BYTES`]: every required
/// parameter stays; optional parameters lose their descriptions, then their
/// entries (named in `more_parameters`), from the last suggestion backwards.
fn within_budget(mut out: SuggestOutput, budget: usize) -> SuggestOutput {
    let size = |o: &SuggestOutput| serde_json::to_string(o).map(|s| s.len()).unwrap_or(0);
    for i in (0..out.suggestions.len()).rev() {
        if size(&out) <= budget {
            return out;
        }
        for p in out.suggestions[i]
            .parameters
            .iter_mut()
            .filter(|p| !p.required)
        {
            p.description.clear();
        }
    }
    for i in (0..out.suggestions.len()).rev() {
        while size(&out) > budget {
            let s = &mut out.suggestions[i];
            match s.parameters.iter().rposition(|p| !p.required) {
                Some(k) => {
                    let p = s.parameters.remove(k);
                    s.more_parameters.insert(0, p.name);
                }
                None => break,
            }
        }
    }
    out
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
        let started = Instant::now();
        let caller = Caller::of_request(&context.extensions);
        let commands = input.cli_command.lines();
        let plan = match self.inner.pipeline.plan(&commands, input.max_results) {
            Ok(p) => p,
            Err(report) => {
                let outcome = if report.results.iter().any(|r| r.status == Status::Rejected) {
                    "rejected"
                } else {
                    "refused"
                };
                let audit = self.audit_refused(&report);
                self.audit(&caller, outcome, None, audit, started);
                return Ok(respond(report));
            }
        };
        let plan = match plan.ready() {
            Ok(approved) => return Ok(self.execute(approved, &caller, &context, started).await),
            Err(plan) => plan,
        };
        if !client_can_elicit(&context) {
            let audit = self.audit_planned(plan.assessed());
            self.audit(
                &caller,
                "declined",
                Some("no_elicitation".into()),
                audit,
                started,
            );
            return Ok(respond(plan.decline(
                "these commands need the user's consent (REQUIRE_MUTATION_CONSENT or the policy file's elicitList), but this client did not declare the elicitation capability, so the user cannot be asked and nothing was run",
            )));
        }
        if supports_input_required(&context) {
            let responses = responses.as_ref().map(|r| {
                r.iter()
                    .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
                    .collect::<serde_json::Map<_, _>>()
            });
            return self
                .consent_by_input_required(
                    plan,
                    &input,
                    state,
                    responses.as_ref(),
                    &caller,
                    &context,
                    started,
                )
                .await;
        }
        Ok(self
            .consent_by_elicitation(plan, &caller, &context, started)
            .await)
    }

    #[tool(
        name = "suggest_aws_commands",
        description = "Suggest AWS CLI commands for a natural language query. A FALLBACK tool: use it when you are unsure of the exact service, operation or parameters; use call_aws when you know the command. Ask one query per single CLI command (break multi-step tasks into steps). Returns the 3 most likely commands from the complete AWS CLI command table (including services newer than your training), each with its description and its parameters (name, type, required, short description).",
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
        // Retrieval is CPU work: off the async workers, so that a burst of
        // suggestions does not hold up other requests (HTTP serves many).
        // At most one retrieval per core at a time; the rest wait in turn.
        let _slot = self
            .inner
            .suggest_slots
            .acquire()
            .await
            .map_err(|e| format!("the suggestion engine is closed: {e}"))?;
        let inner = self.inner.clone();
        let query = q.to_string();
        let answer = tokio::task::spawn_blocking(move || inner.suggester.suggest(&query, 3))
            .await
            .map_err(|e| format!("the suggestion engine failed: {e}"))??;
        let engine = answer.engine;
        let suggestions = answer
            .suggestions
            .into_iter()
            .map(|s| Suggestion {
                command: s.command,
                ready_command: s.ready,
                missing_parameters: s.missing,
                description: s.description,
                score: s.score,
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
                more_parameters: Vec::new(),
            })
            .collect();
        Ok(rmcp::Json(within_budget(
            SuggestOutput {
                suggestions,
                engine,
            },
            SUGGEST_BUDGET_BYTES,
        )))
    }
}

/// The server instructions.
pub const INSTRUCTIONS: &str = "This server runs AWS CLI commands against the user's AWS account and finds the right command when you do not know it.\n\
- call_aws: give the complete command as a string starting with `aws` (or a list of up to 20). It is validated against the full AWS CLI command table (services, operations, option names and types, required options) and the security policy before it runs; failures come back as errors with the reason and close valid names, so fix the command and retry.\n\
- suggest_aws_commands: when unsure of the command, describe one step in plain language and get the 3 most likely commands with all their parameters; then call call_aws.\n\
- Results of paginated commands are limited (max_results); continue with --starting-token NextToken. Use --query to select fields and keep output small; output is capped.\n\
- No shell features (pipes, redirection, variables, $(...)). Local files must be inside the working directory.\n\
- Commands that change resources may be refused (read-only mode) or need the user's approval.";

/// [`INSTRUCTIONS`], with the dialect in force when it is known.
pub fn instructions(cli: Option<&crate::dialect::CliDialect>) -> String {
    match cli {
        None => INSTRUCTIONS.to_string(),
        Some(c) => format!(
            "{INSTRUCTIONS}\n- Commands are validated and run for {}: write {} commands (the other version's options and commands are refused with the reason).",
            c.describe(),
            c.dialect
        ),
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for AwsMcpServer {
    fn get_info(&self) -> rmcp::model::ServerConfig {
        rmcp::model::ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(self.inner.instructions.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_plain_json_schema() {
        let s = standard_schema(serde_json::json!({
            "properties": {"a": {"type": "integer", "format": "uint32"}, "b": {"type": "integer", "format": "int32"}}
        }));
        assert_eq!(
            s["properties"]["a"],
            serde_json::json!({"type": "integer", "minimum": 0, "maximum": 4294967295u64})
        );
        assert_eq!(s["properties"]["b"]["minimum"], i32::MIN);
        let text = serde_json::to_string(&standard_schema(
            serde_json::to_value(schemars::schema_for!(Report)).unwrap(),
        ))
        .unwrap();
        assert!(!text.contains("uint") && !text.contains("int32"), "{text}");
    }

    #[test]
    fn max_results_accepts_numbers_and_numeric_strings() {
        let parse = |v: serde_json::Value| serde_json::from_value::<CallAwsInput>(v);
        let ok = |v| parse(v).expect("accepted").max_results;
        assert_eq!(
            ok(serde_json::json!({"cli_command": "aws s3 ls", "max_results": 5})),
            Some(5)
        );
        assert_eq!(
            ok(serde_json::json!({"cli_command": "aws s3 ls", "max_results": "5"})),
            Some(5)
        );
        assert_eq!(ok(serde_json::json!({"cli_command": "aws s3 ls"})), None);
        for bad in [
            serde_json::json!("five"),
            serde_json::json!(-1),
            serde_json::json!(1.5),
            serde_json::json!([1]),
        ] {
            let e = parse(serde_json::json!({"cli_command": "aws s3 ls", "max_results": bad}))
                .expect_err("refused");
            assert!(
                e.to_string().contains("max_results must be an integer"),
                "{e}"
            );
        }
    }

    #[test]
    fn suggestions_fit_the_budget() {
        let param = |i: usize, required: bool| SuggestedParam {
            name: format!("--p{i}"),
            param_type: "string".into(),
            required,
            description: "d".repeat(200),
        };
        let sugg = |n: usize| Suggestion {
            command: "aws rds x".into(),
            description: "x".into(),
            score: 1.0,
            parameters: (0..n).map(|i| param(i, i < 2)).collect(),
            more_parameters: Vec::new(),
            ready_command: "aws rds x".into(),
            missing_parameters: Vec::new(),
        };
        let out = within_budget(
            SuggestOutput {
                suggestions: vec![sugg(120), sugg(5), sugg(120)],
                engine: "lexical".into(),
            },
            SUGGEST_BUDGET_BYTES,
        );
        let size = serde_json::to_string(&out).unwrap().len();
        assert!(size <= SUGGEST_BUDGET_BYTES, "{size}");
        for s in &out.suggestions {
            assert_eq!(s.parameters.iter().filter(|p| p.required).count(), 2);
            assert_eq!(
                s.parameters.len() + s.more_parameters.len(),
                if s.parameters.len() + s.more_parameters.len() == 5 {
                    5
                } else {
                    120
                }
            );
        }
        let small = within_budget(
            SuggestOutput {
                suggestions: vec![sugg(3)],
                engine: "lexical".into(),
            },
            SUGGEST_BUDGET_BYTES,
        );
        assert!(small.suggestions[0]
            .parameters
            .iter()
            .all(|p| !p.description.is_empty()));
    }
}
