//! Node.js bindings for `aws-mcp-core` (napi-rs).
//!
//! Design: functions return plain JavaScript values (objects, arrays,
//! strings) built from the core's serde output; errors are JavaScript
//! `Error`s carrying a JSON payload (`AWSMCP:{domain, code, message,
//! suggestions}`), which `errors.js` turns into `AwsMcpError` subclasses with
//! a `code` property, keeping the original as `cause`. Work that may block runs on the libuv thread pool
//! (async functions).

use aws_mcp_core::{
    AccessTable, Catalog, Classifier, Policy as CorePolicy, PolicyConfig, ValidatedCommand,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

/// An error `errors.js` turns into a typed `AwsMcpError` subclass:
/// `domain` picks the class, `code` is the core error kind.
fn coded(
    domain: &str,
    code: &str,
    message: impl std::fmt::Display,
    suggestions: &[String],
) -> Error {
    let payload = serde_json::json!({
        "domain": domain,
        "code": code,
        "message": message.to_string(),
        "suggestions": suggestions,
    });
    Error::new(Status::GenericFailure, format!("AWSMCP:{payload}"))
}

fn catalog_error(e: aws_mcp_core::CatalogError) -> Error {
    coded("catalog", "catalog", e, &[])
}

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// Version of the native addon.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Names of every top-level command (`ec2`, `s3api`, `s3`, ...).
#[napi]
pub fn services() -> Vec<String> {
    catalog().services().map(|s| s.name().to_string()).collect()
}

/// One command of the catalog (service, operation, kind, api, description, args), or null.
#[napi(ts_return_type = "CatalogCommand | null")]
pub fn command(service: String, operation: String) -> Result<Value> {
    let Some(c) = catalog().command(&service, &operation) else {
        return Ok(Value::Null);
    };
    let info = aws_mcp_core::catalog::CommandInfo::new(&c).map_err(catalog_error)?;
    serde_json::to_value(info).map_err(|e| coded("internal", "internal", e, &[]))
}

/// Counts over the whole command table.
#[napi(ts_return_type = "Record<string, string | number>")]
pub fn stats() -> Result<Value> {
    let st = catalog().stats().map_err(catalog_error)?;
    serde_json::to_value(st).map_err(|e| coded("internal", "internal", e, &[]))
}

fn validation_error(e: aws_mcp_core::ValidationError) -> Error {
    coded("validation", e.kind().as_str(), &e, e.suggestions())
}

fn validated(command: &str) -> Result<ValidatedCommand> {
    aws_mcp_core::validate(catalog(), command).map_err(validation_error)
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| coded("internal", "internal", e, &[]))
}

/// Validate one AWS CLI command string against the embedded command table.
///
/// Returns the validated command (service, operation, kind, api, region,
/// globals, parameters keyed by API member names, args, local_paths, argv);
/// throws a `ValidationError` whose `code` is the error kind and whose
/// `suggestions` lists the closest valid names.
#[napi(ts_return_type = "ValidatedCommand")]
pub fn validate(command: String) -> Result<Value> {
    to_value(&validated(&command)?)
}

/// Classify a command: access level, read-only flag, IAM actions and the
/// source of the answer.
#[napi(ts_return_type = "Classification")]
pub fn classify(command: String) -> Result<Value> {
    let cmd = validated(&command)?;
    to_value(&AccessTable::embedded().classify(&cmd))
}

/// The security policy, configured like the server from environment variables.
#[napi]
pub struct Policy {
    inner: CorePolicy,
}

#[napi]
impl Policy {
    /// Build the policy from `env` (default: `process.env`); throws a
    /// `PolicyError` naming the variable or file at fault.
    #[napi(constructor)]
    pub fn new(env: Option<std::collections::HashMap<String, String>>) -> Result<Self> {
        let env = env.unwrap_or_else(|| std::env::vars().collect());
        let config = PolicyConfig::from_env(catalog(), |k| env.get(k).cloned())
            .map_err(|e| coded("policy", "policy", e, &[]))?;
        Ok(Policy {
            inner: CorePolicy::new(config),
        })
    }

    /// Decide whether `command` may run: `{decision: "allow" | "deny" |
    /// "consent", reason, access_level, read_only}`.
    #[napi(ts_return_type = "Verdict")]
    pub fn decide(&self, command: String) -> Result<Value> {
        let cmd = validated(&command)?;
        let class = AccessTable::embedded().classify(&cmd);
        let decision = self.inner.decide(&cmd, &class);
        Ok(serde_json::json!({
            "decision": decision.as_str(),
            "reason": decision.reason(),
            "access_level": class.access_level,
            "read_only": class.read_only,
        }))
    }
}

static RETRIEVER: std::sync::OnceLock<Box<dyn aws_mcp_core::Retriever>> =
    std::sync::OnceLock::new();

fn retrieve_error(e: aws_mcp_core::RetrieveError) -> Error {
    coded("retrieval", e.kind(), &e, &[])
}

fn run_suggest(query: &str, k: usize) -> Result<String> {
    let r = match RETRIEVER.get() {
        Some(r) => r,
        None => {
            let r = aws_mcp_core::retrieve::default_retriever(catalog()).map_err(retrieve_error)?;
            RETRIEVER.get_or_init(|| r)
        }
    };
    let found = r.suggest(query, k).map_err(retrieve_error)?;
    serde_json::to_string(&found).map_err(|e| coded("internal", "internal", e, &[]))
}

/// The suggestion work, run on the libuv thread pool.
pub struct SuggestTask {
    query: String,
    k: usize,
}

impl Task for SuggestTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        run_suggest(&self.query, self.k)
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// The `k` (default 3) AWS CLI commands most likely to do what `query` asks,
/// best first, each with its full parameter list, as a JSON array (`lib.js`
/// parses it). Runs on the thread pool (the index is built on first use);
/// rejects for an empty or over-long query.
#[napi]
pub fn suggest_json(query: String, k: Option<u32>) -> AsyncTask<SuggestTask> {
    AsyncTask::new(SuggestTask {
        query,
        k: k.unwrap_or(3) as usize,
    })
}

/// Serve MCP over stdin/stdout until the client closes stdin (the `aws-mcp`
/// bin). Blocks the calling thread: the bin does nothing else. Configuration
/// comes from the environment, exactly as for the Rust binary; a bad value
/// throws a `ServerError` naming the variable.
#[napi]
pub fn serve() -> Result<()> {
    aws_mcp_stdio::serve_stdio_blocking(catalog()).map_err(|e| coded("server", e.kind(), &e, &[]))
}
