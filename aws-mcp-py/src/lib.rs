//! Python bindings for `aws-mcp-core` (module `aws_mcp._native`).
//!
//! Design: the Rust side converts core results into plain Python values
//! (dicts, lists, str, int, bool) and raises the typed exceptions defined in
//! `python/aws_mcp/_errors.py`, so that the Python package owns its public
//! surface (docstrings, type stubs, exception hierarchy) and this crate stays
//! a thin adapter. Long-running work releases the GIL.
//!
//! The API matches the Node package's operation for operation (`Catalog`,
//! `validate`, `classify`, `Policy.assess`, `suggest`, `suggest_engine`,
//! `serve`, `cli_main`; `suggestEngine`/`cliMain` there), and errors carry the
//! same `kind` and `suggestions`. A catalog loaded from a file is shared by
//! reference counting ([`SharedCatalog`]), never leaked.

use aws_mcp_core::{
    AccessTable, Assessor, Catalog as CoreCatalog, Classifier, PolicyConfig,
    ValidatedCommand as CoreValidated, ValidationError as CoreValidationError,
};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping};
use serde_json::Value;
use std::sync::Arc;

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

/// The embedded catalog (lives for the whole process) or one loaded from a
/// file, shared by the Python objects that use it and freed with the last.
#[derive(Clone)]
pub(crate) enum SharedCatalog {
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

/// The AWS CLI command table.
#[pyclass(frozen, module = "aws_mcp._native")]
pub struct Catalog {
    inner: SharedCatalog,
}

#[pymethods]
impl Catalog {
    /// The catalog embedded in this build.
    #[new]
    fn new() -> Self {
        Catalog {
            inner: SharedCatalog::Embedded(CoreCatalog::embedded()),
        }
    }

    /// Load a catalog file written by `tools/catalog-gen/generate.py --out FILE`.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let loaded = py.detach(|| CoreCatalog::from_path(&path));
        match loaded {
            Ok(c) => Ok(Catalog {
                inner: SharedCatalog::Loaded(Arc::new(c)),
            }),
            Err(e) => Err(catalog_err(py, e)),
        }
    }

    /// Validate `command` against this catalog (see the module's `validate`).
    fn validate(&self, py: Python<'_>, command: &str) -> PyResult<ValidatedCommand> {
        validate_in(py, &self.inner, command)
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

fn validate_in(py: Python<'_>, catalog: &CoreCatalog, command: &str) -> PyResult<ValidatedCommand> {
    match py.detach(|| aws_mcp_core::validate(catalog, command)) {
        Ok(inner) => Ok(ValidatedCommand { inner }),
        Err(e) => Err(validation_err(py, e)),
    }
}

/// Validate one AWS CLI command string against `catalog` (default: the
/// embedded command table).
///
/// Raises `aws_mcp.ValidationError` (a `ValueError`) with `kind` and
/// `suggestions` when the command is not valid.
#[pyfunction]
#[pyo3(signature = (command, catalog=None))]
fn validate(
    py: Python<'_>,
    command: &str,
    catalog: Option<&Bound<'_, Catalog>>,
) -> PyResult<ValidatedCommand> {
    match catalog {
        Some(c) => validate_in(py, &c.get().inner, command),
        None => validate_in(py, CoreCatalog::embedded(), command),
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
    inner: Assessor,
}

#[pymethods]
impl Policy {
    /// Build the policy from `env` (any mapping of str to str, such as
    /// `os.environ` or a dict; default: the process environment).
    ///
    /// Raises `aws_mcp.PolicyError` naming the variable or file at fault, and
    /// `TypeError` when `env` is not a mapping of strings.
    #[new]
    #[pyo3(signature = (env=None))]
    fn new(py: Python<'_>, env: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let env: std::collections::HashMap<String, String> = match env {
            None => std::env::vars().collect(),
            Some(m) => {
                let m = m.cast::<PyMapping>().map_err(|_| {
                    pyo3::exceptions::PyTypeError::new_err(
                        "env must be a mapping of str to str, such as os.environ or a dict",
                    )
                })?;
                let mut out = std::collections::HashMap::new();
                for item in m.items()?.iter() {
                    let (k, v): (String, String) = item.extract()?;
                    out.insert(k, v);
                }
                out
            }
        };
        let config = PolicyConfig::from_env(CoreCatalog::embedded(), |k| env.get(k).cloned())
            .map_err(|e| raise(py, "PolicyError", "policy", e.to_string(), &[]))?;
        Ok(Policy {
            inner: Assessor::new(config),
        })
    }

    /// Classify `command` (a string or a ValidatedCommand) and decide whether
    /// it may run, as the server does: `access_level`, `read_only`,
    /// `iam_actions`, `classification_source`, `classification_reason`,
    /// `decision` (`allow`, `deny`, `consent`), and for a refusal or a
    /// consent the `rule` that decided and the `reason`.
    fn assess<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let assessment = with_validated(py, command, |cmd| self.inner.assess(cmd))?;
        ser(py, &assessment)
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
    /// The command ready to run: the query's values filled in, a quoted `'<option>'`
    /// placeholder for each required option still to give; it passes `validate`.
    #[getter]
    fn ready(&self) -> &str {
        &self.inner.ready
    }
    /// The required options the query does not give.
    #[getter]
    fn missing(&self) -> Vec<String> {
        self.inner.missing.clone()
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
/// Uses the best engine available: hybrid with the model files the wheel ships
/// and the `onnxruntime` it depends on, else lexical (see `suggest_engine`). Raises `aws_mcp.RetrievalError` (a `ValueError`) for an
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

/// Run the `aws-mcp` command line with `args` (the first is the program
/// name) and return its exit status: `check`, `suggest`, `run`, `catalog`
/// and `serve` exactly as the Rust binary does them (the console script).
/// The GIL is released while it runs.
#[pyfunction]
fn cli_main(py: Python<'_>, args: Vec<std::ffi::OsString>) -> u8 {
    py.detach(|| aws_mcp_stdio::cli::main_with_args(args))
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
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
