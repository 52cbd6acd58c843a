//! Python bindings for `aws-mcp-core` (module `aws_mcp._native`).
//!
//! Design: the Rust side converts core results into plain Python values
//! (dicts, lists, str, int, bool) and raises the typed exceptions defined in
//! `python/aws_mcp/_errors.py`, so that the Python package owns its public
//! surface (docstrings, type stubs, exception hierarchy) and this crate stays
//! a thin adapter. Long-running work releases the GIL.

use aws_mcp_core::Catalog as CoreCatalog;
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
        let v = serde_json::to_value(info).map_err(|e| PyException::new_err(e.to_string()))?;
        to_py(py, &v).map(Some)
    }

    /// Counts over the whole table (decodes every service).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let st = py
            .detach(|| self.inner.stats())
            .map_err(|e| catalog_err(py, e))?;
        let v = serde_json::to_value(st).map_err(|e| PyException::new_err(e.to_string()))?;
        to_py(py, &v)
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

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Catalog>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
