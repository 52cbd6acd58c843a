//! Node.js bindings for `aws-mcp-core` (napi-rs).
//!
//! Design: functions return plain JavaScript values (objects, arrays,
//! strings) built from the core's serde output; errors are JavaScript
//! `Error`s carrying a JSON payload (`AWSMCP:{domain, code, message,
//! suggestions}`), which `errors.js` turns into `AwsMcpError` subclasses with
//! a `code` property, keeping the original as `cause`. Work that may block runs on the libuv thread pool
//! (async functions).

use aws_mcp_core::Catalog;
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
