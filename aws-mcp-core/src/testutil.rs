//! Test helpers: build [`ValidatedCommand`] values directly from the catalog
//! for simple commands, standing in for the validator in unit tests.

use crate::catalog::{Catalog, CommandKind};
use crate::command::{ApiOperation, GivenArg, LocalPath, PathAccess, PathOrigin, ValidatedCommand};

/// `aws <service> <operation>` with no arguments; panics if the catalog lacks it.
pub(crate) fn vc(service: &str, operation: &str) -> ValidatedCommand {
    let cat = Catalog::embedded();
    let (kind, api) = match cat.command(service, operation) {
        Some(c) => (
            c.kind(),
            c.api_operation().map(|op| ApiOperation {
                service: c.service().api_name().unwrap_or_default().to_string(),
                operation: op.to_string(),
            }),
        ),
        None => (CommandKind::Operation, None),
    };
    let mut argv = vec![service.to_string()];
    argv.extend(operation.split_whitespace().map(str::to_string));
    ValidatedCommand {
        service: service.into(),
        operation: operation.into(),
        kind,
        api,
        region: None,
        globals: Default::default(),
        parameters: Default::default(),
        args: Vec::new(),
        custom_values: Default::default(),
        internal: false,
        local_paths: Vec::new(),
        argv,
        notes: Vec::new(),
        help: None,
    }
}

/// Add an argument with values.
pub(crate) fn arg(mut c: ValidatedCommand, name: &str, values: &[&str]) -> ValidatedCommand {
    c.args.push(GivenArg {
        name: name.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    });
    c
}

/// Add an API parameter.
pub(crate) fn param(mut c: ValidatedCommand, name: &str, v: serde_json::Value) -> ValidatedCommand {
    c.parameters.insert(name.into(), v);
    c
}

/// Add a local path.
pub(crate) fn path(
    mut c: ValidatedCommand,
    p: &str,
    access: PathAccess,
    arg: &str,
    origin: PathOrigin,
) -> ValidatedCommand {
    c.local_paths.push(LocalPath {
        path: p.into(),
        access,
        arg: arg.into(),
        origin,
    });
    c
}

/// The API parameters the validator makes of `line`, as one JSON object.
pub(crate) fn validated_params(line: &str) -> serde_json::Value {
    let c = crate::Validator::new(Catalog::embedded())
        .validate(line)
        .unwrap_or_else(|e| panic!("{line}: {e}"));
    serde_json::Value::Object(c.parameters().clone())
}
