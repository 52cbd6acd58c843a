//! Python bindings for `aws-mcp-core` (module `aws_mcp._native`).
//!
//! Design: the Rust side converts core results into plain Python values
//! (dicts, lists, str, int, bool) and raises the typed exceptions defined in
//! `python/aws_mcp/_errors.py`, so that the Python package owns its public
//! surface (docstrings, type stubs, exception hierarchy) and this crate stays
//! a thin adapter. Long-running work releases the GIL.

use aws_mcp_core::{
    AccessTable, Catalog as CoreCatalog, Classifier, Policy as CorePolicy, PolicyConfig,
    ValidatedCommand as CoreValidated, ValidationError as CoreValidationError,
};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

/// Convert a JSON value into the equivalent Python object.
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for x in a {
                list.append(to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// Raise `aws_mcp.<class_name>(message)` with `kind` and `suggestions` attributes.
pub(crate) fn raise(
    py: Python<'_>,
    class_name: &str,
    kind: &str,
    message: String,
    suggestions: &[String],
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("aws_mcp._errors")?;
        let cls = module.getattr(class_name)?;
        let exc = cls.call1((message.clone(), kind, suggestions.to_vec()))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

fn catalog_err(py: Python<'_>, e: aws_mcp_core::CatalogError) -> PyErr {
    raise(py, "CatalogError", "catalog", e.to_string(), &[])
}

/// The AWS CLI command table.
#[pyclass(frozen, module = "aws_mcp._native")]
pub struct Catalog {
    inner: &'static CoreCatalog,
}

#[pymethods]
impl Catalog {
    /// The catalog embedded in this build.
    #[new]
    fn new() -> Self {
        Catalog {
            inner: CoreCatalog::embedded(),
        }
    }

    /// Load a catalog file written by `tools/catalog-gen/generate.py --out FILE`.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let loaded = py.detach(|| CoreCatalog::from_path(&path));
        match loaded {
            // A loaded catalog lives for the rest of the process, like the embedded one.
            Ok(c) => Ok(Catalog {
                inner: Box::leak(Box::new(c)),
            }),
            Err(e) => Err(catalog_err(py, e)),
        }
    }

    /// Names of every top-level command (`ec2`, `s3api`, `s3`, ...).
    fn services(&self) -> Vec<String> {
        self.inner
            .services()
            .map(|s| s.name().to_string())
            .collect()
    }

    /// Names of the commands of one service, or an empty list for an unknown service.
    fn operations(&self, service: &str) -> Vec<String> {
        self.inner
            .service(service)
            .map(|s| s.commands().map(|c| c.name().to_string()).collect())
            .unwrap_or_default()
    }

    /// One command as a dict (service, operation, kind, api, description, args), or None.
    fn command<'py>(
        &self,
        py: Python<'py>,
        service: &str,
        operation: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(c) = self.inner.command(service, operation) else {
            return Ok(None);
        };
        let info = aws_mcp_core::catalog::CommandInfo::new(&c).map_err(|e| catalog_err(py, e))?;
        ser(py, &info).map(Some)
    }

    /// Counts over the whole table (decodes every service).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let st = py
            .detach(|| self.inner.stats())
            .map_err(|e| catalog_err(py, e))?;
        ser(py, &st)
    }

    fn __repr__(&self) -> String {
        let s = self.inner.sources();
        format!(
            "Catalog(awscli={}, botocore_data={}, services={})",
            s.awscli,
            s.botocore_data,
            self.inner.services().len()
        )
    }
}

fn validation_err(py: Python<'_>, e: CoreValidationError) -> PyErr {
    raise(
        py,
        "ValidationError",
        e.kind().as_str(),
        e.to_string(),
        e.suggestions(),
    )
}

fn json_err(e: serde_json::Error) -> PyErr {
    PyException::new_err(e.to_string())
}

/// Any serializable core value as the equivalent Python object.
fn ser<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &serde_json::to_value(v).map_err(json_err)?)
}

/// A command that exists in the AWS CLI table and whose arguments are valid.
///
/// Attributes are converted to Python values when read; `to_dict()` returns
/// everything at once.
#[pyclass(frozen, module = "aws_mcp._native")]
pub struct ValidatedCommand {
    inner: CoreValidated,
}

#[pymethods]
impl ValidatedCommand {
    /// The top-level command (`s3api`).
    #[getter]
    fn service(&self) -> &str {
        self.inner.service()
    }
    /// The command after the service (`list-objects-v2`).
    #[getter]
    fn operation(&self) -> &str {
        self.inner.operation()
    }
    /// `operation`, `custom` or `waiter`.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner.kind())
    }
    /// `{"service": ..., "operation": ...}` as botocore names them, or None.
    #[getter]
    fn api<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner.api())
    }
    /// `--region`, if given.
    #[getter]
    fn region(&self) -> Option<&str> {
        self.inner.region()
    }
    /// API parameters keyed by API member names, typed.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::Value::Object(self.inner.parameters().clone()),
        )
    }
    /// Local files the command would read or write.
    #[getter]
    fn local_paths<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner.local_paths())
    }
    /// The words after `aws`, normalized.
    #[getter]
    fn argv(&self) -> Vec<String> {
        self.inner.argv().to_vec()
    }
    /// Everything as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "ValidatedCommand(aws {} {})",
            self.inner.service(),
            self.inner.operation()
        )
    }
}

/// Validate one AWS CLI command string against the embedded command table.
///
/// Raises `aws_mcp.ValidationError` (a `ValueError`) with `kind` and
/// `suggestions` when the command is not valid.
#[pyfunction]
fn validate(py: Python<'_>, command: &str) -> PyResult<ValidatedCommand> {
    let catalog = CoreCatalog::embedded();
    match aws_mcp_core::validate(catalog, command) {
        Ok(inner) => Ok(ValidatedCommand { inner }),
        Err(e) => Err(validation_err(py, e)),
    }
}

fn classification_value(cmd: &CoreValidated) -> serde_json::Value {
    let c = AccessTable::embedded().classify(cmd);
    serde_json::to_value(&c).unwrap_or(serde_json::Value::Null)
}

/// Classify a command (a string, validated first, or a ValidatedCommand):
/// access level, read-only, IAM actions, where the answer comes from.
#[pyfunction]
fn classify<'py>(py: Python<'py>, command: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let v = with_validated(py, command, classification_value)?;
    to_py(py, &v)
}

fn with_validated<R>(
    py: Python<'_>,
    command: &Bound<'_, PyAny>,
    f: impl FnOnce(&CoreValidated) -> R,
) -> PyResult<R> {
    if let Ok(v) = command.cast::<ValidatedCommand>() {
        return Ok(f(&v.get().inner));
    }
    let s: String = command.extract()?;
    let cmd =
        aws_mcp_core::validate(CoreCatalog::embedded(), &s).map_err(|e| validation_err(py, e))?;
    Ok(f(&cmd))
}

/// The security policy, configured like the server (environment variables).
#[pyclass(frozen, module = "aws_mcp._native")]
pub struct Policy {
    inner: CorePolicy,
}

#[pymethods]
impl Policy {
    /// Build the policy from `env` (a mapping; default: `os.environ`).
    ///
    /// Raises `aws_mcp.PolicyError` naming the variable or file at fault.
    #[new]
    #[pyo3(signature = (env=None))]
    fn new(
        py: Python<'_>,
        env: Option<std::collections::HashMap<String, String>>,
    ) -> PyResult<Self> {
        let env = match env {
            Some(e) => e,
            None => std::env::vars().collect(),
        };
        let config = PolicyConfig::from_env(CoreCatalog::embedded(), |k| env.get(k).cloned())
            .map_err(|e| raise(py, "PolicyError", "policy", e.to_string(), &[]))?;
        Ok(Policy {
            inner: CorePolicy::new(config),
        })
    }

    /// Decide whether `command` (a string or a ValidatedCommand) may run:
    /// `{"decision": "allow" | "deny" | "consent", "reason": ...}` plus the classification.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let v = with_validated(py, command, |cmd| {
            let class = AccessTable::embedded().classify(cmd);
            let decision = self.inner.decide(cmd, &class);
            serde_json::json!({
                "decision": decision.as_str(),
                "reason": decision.reason(),
                "access_level": class.access_level,
                "read_only": class.read_only,
            })
        })?;
        to_py(py, &v)
    }
}

fn retrieve_err(py: Python<'_>, e: aws_mcp_core::RetrieveError) -> PyErr {
    raise(py, "RetrievalError", e.kind(), e.to_string(), &[])
}

static RETRIEVER: std::sync::OnceLock<Box<dyn aws_mcp_core::Retriever>> =
    std::sync::OnceLock::new();

fn default_retriever(py: Python<'_>) -> PyResult<&'static dyn aws_mcp_core::Retriever> {
    if let Some(r) = RETRIEVER.get() {
        return Ok(r.as_ref());
    }
    let r = py
        .detach(|| aws_mcp_core::retrieve::default_retriever(CoreCatalog::embedded()))
        .map_err(|e| retrieve_err(py, e))?;
    Ok(RETRIEVER.get_or_init(|| r).as_ref())
}

/// A suggested command with its complete parameter list.
#[pyclass(frozen, module = "aws_mcp._native")]
pub struct Suggestion {
    inner: aws_mcp_core::Suggestion,
}

#[pymethods]
impl Suggestion {
    /// The full command, `aws <service> <operation>`.
    #[getter]
    fn command(&self) -> &str {
        &self.inner.command
    }
    /// The service as the CLI spells it.
    #[getter]
    fn service(&self) -> &str {
        &self.inner.service
    }
    /// The command after the service.
    #[getter]
    fn operation(&self) -> &str {
        &self.inner.operation
    }
    /// What the command does (one line).
    #[getter]
    fn description(&self) -> &str {
        &self.inner.description
    }
    /// The engine's score (higher is better; comparable within one answer).
    #[getter]
    fn score(&self) -> f32 {
        self.inner.score
    }
    /// Every parameter: `{"name", "type", "required", "doc"}`.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner.parameters)
    }
    /// Everything as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Suggestion({:?}, score={:.3})",
            self.inner.command, self.inner.score
        )
    }
}

/// The `k` AWS CLI commands most likely to do what `query` asks, best first.
///
/// Uses the best engine compiled into this build (the lexical engine in the
/// default wheel). Raises `aws_mcp.RetrievalError` (a `ValueError`) for an
/// empty or over-long query.
#[pyfunction]
#[pyo3(signature = (query, k=3))]
fn suggest(py: Python<'_>, query: &str, k: usize) -> PyResult<Vec<Suggestion>> {
    let r = default_retriever(py)?;
    let found = py
        .detach(|| r.suggest(query, k))
        .map_err(|e| retrieve_err(py, e))?;
    Ok(found
        .into_iter()
        .map(|inner| Suggestion { inner })
        .collect())
}

/// The name of the suggestion engine `suggest` uses (`lexical`, `dense`, `hybrid`).
#[pyfunction]
fn suggest_engine(py: Python<'_>) -> PyResult<String> {
    Ok(default_retriever(py)?.name().to_string())
}

/// Serve MCP over stdin/stdout until the client closes stdin (the `aws-mcp`
/// console script). Configuration comes from the environment, exactly as for
/// the Rust binary; the GIL is released while serving.
#[pyfunction]
fn serve(py: Python<'_>) -> PyResult<()> {
    py.detach(|| aws_mcp_stdio::serve_stdio_blocking(CoreCatalog::embedded()))
        .map_err(|e| raise(py, "ServerError", e.kind(), e.to_string(), &[]))
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Catalog>()?;
    m.add_class::<ValidatedCommand>()?;
    m.add_class::<Policy>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_class::<Suggestion>()?;
    m.add_function(wrap_pyfunction!(suggest, m)?)?;
    m.add_function(wrap_pyfunction!(suggest_engine, m)?)?;
    m.add_function(wrap_pyfunction!(serve, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
