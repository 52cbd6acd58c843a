//! Node.js bindings for `aws-mcp-core` (napi-rs).
//!
//! Design: functions return plain JavaScript values (objects, arrays,
//! strings) built from the core's serde output. Errors are JavaScript `Error`
//! objects carrying their data as properties — `domain` (which class they
//! belong to), `kind` (the core's stable error kind, also as `code`, Node's
//! convention) and `suggestions` — and `errors.js` turns them into instances
//! of the `AwsMcpError` subclasses, keeping the native error as `cause`.
//! Work that may block (suggestions) runs on the libuv thread pool.
//!
//! The API matches the Python package's operation for operation: `Catalog`
//! (`services`, `operations`, `command`, `stats`, `validate`, `fromPath`),
//! `validate`, `classify`, `Policy.assess`, `suggest`, `suggestEngine`,
//! `serve`, `cliMain`. A catalog loaded from a file is shared by reference
//! counting, never leaked.

use std::fmt::Display;
use std::sync::Arc;

use aws_mcp_core::{
    AccessTable, Assessor, Catalog as CoreCatalog, Classifier, PolicyConfig, ValidatedCommand,
};
use napi::bindgen_prelude::*;
use napi::JsValue;
use napi_derive::napi;
use serde_json::Value;

/// A JavaScript error with `domain`, `kind`, `code` and `suggestions`
/// properties (see the module documentation).
fn js_error(
    env: &Env,
    domain: &str,
    kind: &str,
    message: impl Display,
    suggestions: &[String],
) -> Error {
    let message = message.to_string();
    let build = || -> Result<Error> {
        let mut obj = env.create_error(Error::new(Status::GenericFailure, message.clone()))?;
        obj.set_named_property("domain", domain)?;
        obj.set_named_property("kind", kind)?;
        obj.set_named_property("code", kind)?;
        obj.set_named_property("suggestions", suggestions.to_vec())?;
        Ok(Error::from(obj.to_unknown()))
    };
    // Building the object can only fail when the environment is going away;
    // the plain message is then the best that can be reported.
    build().unwrap_or_else(|_| Error::new(Status::GenericFailure, message))
}

fn internal(env: &Env, e: impl Display) -> Error {
    js_error(env, "internal", "internal", e, &[])
}

fn to_value<T: serde::Serialize>(env: &Env, v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| internal(env, e))
}

/// The embedded catalog (lives for the whole process) or one loaded from a
/// file, shared by the objects that use it.
#[derive(Clone)]
enum SharedCatalog {
    Embedded(&'static CoreCatalog),
    Loaded(Arc<CoreCatalog>),
}

impl std::ops::Deref for SharedCatalog {
    type Target = CoreCatalog;
    fn deref(&self) -> &CoreCatalog {
        match self {
            SharedCatalog::Embedded(c) => c,
            SharedCatalog::Loaded(c) => c,
        }
    }
}

/// Version of the native addon.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The AWS CLI command table.
#[napi]
pub struct Catalog {
    inner: SharedCatalog,
}

#[napi]
impl Catalog {
    /// The catalog embedded in this build.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Catalog {
            inner: SharedCatalog::Embedded(CoreCatalog::embedded()),
        }
    }

    /// Load a catalog file written by `tools/catalog-gen/generate.py --out FILE`;
    /// throws a `CatalogError`.
    #[napi(factory)]
    pub fn from_path(env: Env, path: String) -> Result<Self> {
        match CoreCatalog::from_path(std::path::Path::new(&path)) {
            Ok(c) => Ok(Catalog {
                inner: SharedCatalog::Loaded(Arc::new(c)),
            }),
            Err(e) => Err(js_error(&env, "catalog", "catalog", e, &[])),
        }
    }

    /// Names of every top-level command (`ec2`, `s3api`, `s3`, ...).
    #[napi]
    pub fn services(&self) -> Vec<String> {
        self.inner
            .services()
            .map(|s| s.name().to_string())
            .collect()
    }

    /// Names of the commands of one service, or an empty array for an unknown service.
    #[napi]
    pub fn operations(&self, service: String) -> Vec<String> {
        self.inner
            .service(&service)
            .map(|s| s.commands().map(|c| c.name().to_string()).collect())
            .unwrap_or_default()
    }

    /// One command (service, operation, kind, api, description, args), or null.
    #[napi(ts_return_type = "CatalogCommand | null")]
    pub fn command(&self, env: Env, service: String, operation: String) -> Result<Value> {
        let Some(c) = self.inner.command(&service, &operation) else {
            return Ok(Value::Null);
        };
        let info = aws_mcp_core::catalog::CommandInfo::new(&c)
            .map_err(|e| js_error(&env, "catalog", "catalog", e, &[]))?;
        to_value(&env, &info)
    }

    /// Counts over the whole table (decodes every service).
    #[napi(ts_return_type = "Record<string, string | number>")]
    pub fn stats(&self, env: Env) -> Result<Value> {
        let st = self
            .inner
            .stats()
            .map_err(|e| js_error(&env, "catalog", "catalog", e, &[]))?;
        to_value(&env, &st)
    }

    /// Validate `command` against this catalog (see `validate`).
    #[napi(ts_return_type = "ValidatedCommand")]
    pub fn validate(&self, env: Env, command: String) -> Result<Value> {
        let cmd = validated_in(&env, &self.inner, &command)?;
        to_value(&env, &cmd)
    }
}

fn validated_in(env: &Env, catalog: &CoreCatalog, command: &str) -> Result<ValidatedCommand> {
    aws_mcp_core::validate(catalog, command)
        .map_err(|e| js_error(env, "validation", e.kind().as_str(), &e, e.suggestions()))
}

/// Validate one AWS CLI command string against `catalog` (default: the
/// embedded command table).
///
/// Returns the validated command (service, operation, kind, api, region,
/// globals, parameters keyed by API member names, args, local_paths, argv);
/// throws a `ValidationError` whose `kind` names the problem and whose
/// `suggestions` lists the closest valid names.
#[napi(ts_return_type = "ValidatedCommand")]
pub fn validate(env: Env, command: String, catalog: Option<&Catalog>) -> Result<Value> {
    let cmd = match catalog {
        Some(c) => validated_in(&env, &c.inner, &command)?,
        None => validated_in(&env, CoreCatalog::embedded(), &command)?,
    };
    to_value(&env, &cmd)
}

/// Classify a command: access level, read-only flag, IAM actions and the
/// source of the answer; throws a `ValidationError` for an invalid command.
#[napi(ts_return_type = "Classification")]
pub fn classify(env: Env, command: String) -> Result<Value> {
    let cmd = validated_in(&env, CoreCatalog::embedded(), &command)?;
    to_value(&env, &AccessTable::embedded().classify(&cmd))
}

/// The security policy, configured like the server from environment variables.
#[napi]
pub struct Policy {
    inner: Assessor,
}

#[napi]
impl Policy {
    /// Build the policy from `env` (default: `process.env`); throws a
    /// `PolicyError` naming the variable or file at fault.
    #[napi(constructor)]
    pub fn new(js: Env, env: Option<std::collections::HashMap<String, String>>) -> Result<Self> {
        let env = env.unwrap_or_else(|| std::env::vars().collect());
        let config = PolicyConfig::from_env(CoreCatalog::embedded(), |k| env.get(k).cloned())
            .map_err(|e| js_error(&js, "policy", "policy", e, &[]))?;
        Ok(Policy {
            inner: Assessor::new(config),
        })
    }

    /// Classify `command` and decide whether it may run, as the server does:
    /// `{access_level, read_only, iam_actions, classification_source,
    /// classification_reason, decision: "allow" | "deny" | "consent"}`, and
    /// for a refusal or a consent the `rule` that decided and the `reason`.
    #[napi(ts_return_type = "Assessment")]
    pub fn assess(&self, env: Env, command: String) -> Result<Value> {
        let cmd = validated_in(&env, CoreCatalog::embedded(), &command)?;
        to_value(&env, &self.inner.assess(&cmd))
    }
}

static RETRIEVER: std::sync::OnceLock<Box<dyn aws_mcp_core::Retriever>> =
    std::sync::OnceLock::new();

fn retriever(
) -> std::result::Result<&'static dyn aws_mcp_core::Retriever, aws_mcp_core::RetrieveError> {
    if let Some(r) = RETRIEVER.get() {
        return Ok(r.as_ref());
    }
    let r = aws_mcp_core::retrieve::default_retriever(CoreCatalog::embedded())?;
    Ok(RETRIEVER.get_or_init(|| r).as_ref())
}

/// The suggestion work, run on the libuv thread pool.
pub struct SuggestTask {
    query: String,
    k: usize,
    /// The kind of the error `compute` failed with, for `reject`.
    failed: Option<&'static str>,
}

impl Task for SuggestTask {
    type Output = Vec<aws_mcp_core::Suggestion>;
    // JSON text, parsed by lib.js (a Task's value needs a static JS type).
    type JsValue = String;

    fn compute(&mut self) -> Result<Self::Output> {
        let found = retriever().and_then(|r| r.suggest(&self.query, self.k));
        found.map_err(|e| {
            self.failed = Some(e.kind());
            Error::new(Status::GenericFailure, e.to_string())
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<String> {
        serde_json::to_string(&output).map_err(|e| internal(&env, e))
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<String> {
        let kind = self.failed.unwrap_or("internal");
        Err(js_error(&env, "retrieval", kind, err.reason, &[]))
    }
}

/// The `k` (default 3) AWS CLI commands most likely to do what `query` asks,
/// best first, each with its full parameter list, as JSON text (`lib.js`'s
/// `suggest` parses it). Runs on the thread pool (the index is built on first
/// use); rejects with a `RetrievalError` for an empty or over-long query.
#[napi]
pub fn suggest_json(query: String, k: Option<u32>) -> AsyncTask<SuggestTask> {
    AsyncTask::new(SuggestTask {
        query,
        k: k.unwrap_or(3) as usize,
        failed: None,
    })
}

/// The name of the engine `suggest` uses (`lexical`, `dense`, `hybrid`).
#[napi]
pub fn suggest_engine(env: Env) -> Result<String> {
    retriever()
        .map(|r| r.name().to_string())
        .map_err(|e| js_error(&env, "retrieval", e.kind(), &e, &[]))
}

/// Serve MCP over stdin/stdout until the client closes stdin. Blocks the
/// calling thread. Configuration comes from the environment, exactly as for
/// the Rust binary; a bad value throws a `ServerError` naming the variable.
#[napi]
pub fn serve(env: Env) -> Result<()> {
    aws_mcp_stdio::serve_stdio_blocking(CoreCatalog::embedded())
        .map_err(|e| js_error(&env, "server", e.kind(), &e, &[]))
}

/// Runs the `aws-mcp` command line with `args` (the first is the program
/// name) and returns its exit status: `check`, `suggest`, `run`, `catalog`
/// and `serve` exactly as the Rust binary does them (the npm bin). Blocks
/// the calling thread.
#[napi]
pub fn cli_main(args: Vec<String>) -> u32 {
    u32::from(aws_mcp_stdio::cli::main_with_args(args))
}
