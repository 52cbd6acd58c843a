//! The AWS CLI's hand-written commands other than `s3` (its
//! customizations: `emr create-cluster`, `configure get`, `eks get-token`,
//! ...), run natively.
//!
//! Each command is a module with two functions: `support`, which says
//! whether the validated command is one this module reproduces (and why not
//! otherwise, so the command goes to the `aws` program), and `run`, which
//! makes the API calls the AWS CLI makes and prints what it prints.
//!
//! The API calls go through the executor's own machinery, unchanged: a call
//! is written as the generated command `aws <service> <operation>
//! --cli-input-json <parameters>` with the caller's global options, checked
//! by the validator like any command (so a translation bug is a validation
//! error, never a malformed request), and run by
//! [`NativeExecutor::run`](crate::NativeExecutor::run) with JSON output and
//! no query and no pagination, as a customization calls its client
//! ([`call`]). A failed call's printed error is the command's (the
//! AWS CLI's message names the operation the customization called, as
//! here). The command's own result is then printed with the caller's
//! `--output` and `--query` ([`print`]).

mod emr;

use aws_mcp_core::catalog::Catalog;
use aws_mcp_core::command::GlobalOptions;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::render::{render, OutputFormat};
use serde_json::{Map, Value};

use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

mod cloudformation;
mod cloudfront;
mod configservice;
mod configure;
mod credentials;
pub(crate) mod datapipeline;
mod eks;
mod kubeyaml;

/// Whether `command` (a hand-written command of a service other than
/// `s3`, or a generated one given an argument awscli adds and a module here
/// translates) is run here: `None` when no module handles it, else the
/// module's answer (`Err` says why this use of it is left to the `aws`
/// program).
pub(crate) fn support(catalog: &Catalog, command: &ValidatedCommand) -> Option<Result<(), String>> {
    match (command.service(), command.operation()) {
        // Generated emr commands (`list-clusters --active`) are translated
        // by the validator; only the hand-written ones are emr's here.
        ("emr", _) if command.kind() == aws_mcp_core::catalog::CommandKind::Custom => {
            Some(emr::support(catalog, command))
        }
        ("cloudfront", "create-invalidation" | "create-distribution")
            if cloudfront::customized(command) =>
        {
            Some(cloudfront::support(command))
        }
        ("configservice", _) if configservice::handles(command) => {
            Some(configservice::support(command))
        }
        ("cloudformation", "deploy") => Some(cloudformation::support(command)),
        ("configure", _) => Some(configure::support(command)),
        ("datapipeline", _) if datapipeline::handles(command) => {
            Some(datapipeline::support(command))
        }
        ("ecr", "get-login-password") => Some(credentials::support(command)),
        ("ecr", "get-login") => Some(credentials::support(command)),
        ("ecr-public", "get-login-password") => Some(credentials::support(command)),
        ("rds", "generate-db-auth-token") => Some(credentials::support(command)),
        ("eks", "get-token") => Some(credentials::support(command)),
        ("eks", "update-kubeconfig") => Some(eks::support(command)),
        _ => None,
    }
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    match (command.service(), command.operation()) {
        ("emr", _) => emr::run(ex, command, options).await,
        ("cloudfront", _) => cloudfront::run(ex, command, options).await,
        ("configservice", _) => configservice::run(ex, command, options).await,
        ("cloudformation", "deploy") => cloudformation::run(ex, command, options).await,
        ("configure", _) => configure::run(ex, command, options).await,
        ("datapipeline", _) => datapipeline::run(ex, command, options).await,
        ("ecr", "get-login-password") => credentials::run(ex, command, options).await,
        ("ecr", "get-login") => credentials::run(ex, command, options).await,
        ("ecr-public", "get-login-password") => credentials::run(ex, command, options).await,
        ("rds", "generate-db-auth-token") => credentials::run(ex, command, options).await,
        ("eks", "get-token") => credentials::run(ex, command, options).await,
        ("eks", "update-kubeconfig") => eks::run(ex, command, options).await,
        (s, c) => Err(NativeError::Unsupported(format!(
            "`{s} {c}` is a hand-written AWS CLI command, not a single API call"
        ))),
    }
}

/// The global options of `g` that decide how an API call is made (region,
/// profile, endpoint, TLS, timeouts, signing, binary format), as words.
/// Output, query, paging and debugging options are left out: they belong
/// to the command's own output.
pub(crate) fn call_globals(g: &GlobalOptions) -> Vec<String> {
    let mut w = Vec::new();
    let mut opt = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            w.push(format!("--{name}"));
            w.push(v.clone());
        }
    };
    opt("region", &g.region);
    opt("profile", &g.profile);
    opt("endpoint-url", &g.endpoint_url);
    opt("ca-bundle", &g.ca_bundle);
    opt("cli-binary-format", &g.cli_binary_format);
    opt(
        "cli-read-timeout",
        &g.cli_read_timeout.map(|t| t.to_string()),
    );
    opt(
        "cli-connect-timeout",
        &g.cli_connect_timeout.map(|t| t.to_string()),
    );
    if g.no_verify_ssl {
        w.push("--no-verify-ssl".into());
    }
    if g.no_sign_request {
        w.push("--no-sign-request".into());
    }
    w
}

/// One API call of a hand-written command: the generated command `aws
/// <service> <operation>` with `params` as its input, `command`'s global
/// options (see [`call_globals`]) and, for a region chosen by the command
/// itself, `region`. `Ok(Ok(result))` is the call's parsed JSON result
/// (`{}` for an empty one); `Ok(Err(printed))` is the failed call's printed
/// error, to be printed as the command's.
///
/// # Errors
///
/// [`NativeError::Request`] when the call does not validate (a translation
/// that built parameters the model does not take), and whatever running it
/// fails with.
pub(crate) async fn call(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    service: &str,
    operation: &str,
    params: &Map<String, Value>,
    options: &ExecOptions,
) -> Result<Result<Value, Printed>, NativeError> {
    call_with_globals(
        ex,
        command,
        command.globals(),
        service,
        operation,
        params,
        options,
    )
    .await
}

/// [`call`] with the global options `g` instead of the command's (a nested
/// client of awscli's own, in another region or without the command's
/// `--endpoint-url`).
pub(crate) async fn call_with_globals(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    g: &GlobalOptions,
    service: &str,
    operation: &str,
    params: &Map<String, Value>,
    options: &ExecOptions,
) -> Result<Result<Value, Printed>, NativeError> {
    let mut words: Vec<String> = vec![
        "aws".into(),
        service.into(),
        operation.into(),
        "--cli-input-json".into(),
        Value::Object(params.clone()).to_string(),
    ];
    words.extend(call_globals(g));
    // A customization calls the client once: no paginator.
    words.extend(["--output".into(), "json".into(), "--no-paginate".into()]);
    let sub = ex.validator.validate_internal_words(&words).map_err(|e| {
        NativeError::Request(format!(
            "`{} {}` would call `{service} {operation}` with parameters the API does not take: {e}",
            command.service(),
            command.operation()
        ))
    })?;
    let (code, out, err) = Box::pin(ex.run(&sub, options)).await?;
    if code != 0 {
        return Ok(Err(Printed {
            code,
            out_total: out.len() as u64,
            err_total: err.len() as u64,
            out,
            err,
        }));
    }
    if out.trim().is_empty() {
        return Ok(Ok(Value::Object(Map::new())));
    }
    serde_json::from_str(&out).map(Ok).map_err(|e| {
        NativeError::Response(format!(
            "`{service} {operation}` printed JSON that does not parse: {e}"
        ))
    })
}

/// The endpoint a nested client of awscli's for `service` finds in
/// `region` for its `operation`: without the command's `--endpoint-url`,
/// the endpoint environment variables (`AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`), else the service's rule set.
pub(crate) async fn nested_endpoint(
    ex: &NativeExecutor,
    service: &str,
    operation: &str,
    region: &str,
) -> Result<crate::endpoint::Resolved, NativeError> {
    let config = |what: String| NativeError::Config(what);
    let svc = ex
        .catalog
        .service(service)
        .ok_or_else(|| config(format!("the catalog has no `{service}`")))?;
    let md = svc
        .metadata()
        .ok_or_else(|| config(format!("`{service}` has no model")))?;
    let shapes = svc.shapes().map_err(|e| config(e.to_string()))?;
    let detail = svc
        .command(operation)
        .ok_or_else(|| config(format!("`{service}` has no `{operation}`")))?
        .detail()
        .map_err(|e| config(e.to_string()))?;
    let op = crate::op_model(&detail.op)?;
    let input = op.input.as_ref().and_then(|r| shapes.get(&r.shape));
    let sid = md.service_id.clone().unwrap_or_default();
    let override_url = ex.env.configured(&sid).map(str::to_string);
    let rules = ex.rules(svc).await?;
    crate::endpoint::resolve(
        &rules,
        ex.partitions()?,
        op,
        input,
        &Map::new(),
        region,
        override_url.as_deref(),
        &ex.env,
    )
}

/// Print `result`, the command's own result, as the AWS CLI prints a
/// customization's result: with the caller's `--output` (JSON by default)
/// and `--query`. `title` is the table format's title (the operation name
/// the AWS CLI shows).
pub(crate) fn print(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    result: &Value,
    title: &str,
) -> Result<Printed, NativeError> {
    let g = command.globals();
    let format = match &g.output {
        Some(o) => o
            .parse::<OutputFormat>()
            .and_then(|f| f.for_dialect(ex.cli.dialect))
            .map_err(|e| NativeError::Request(e.to_string()))?,
        None => OutputFormat::Json,
    };
    let (code, out, err) = match render(result, format, g.query.as_deref(), title) {
        Ok(text) => (0, text, String::new()),
        Err(e) => crate::render_failure(ex.cli.error_style(g.cli_error_format.as_deref()), e),
    };
    Ok(Printed {
        code,
        out_total: out.len() as u64,
        err_total: err.len() as u64,
        out,
        err,
    })
}

/// A hand-written command that printed `out` and then failed with the
/// Python exception message `msg` (awscli's error for a bad combination, a
/// `KeyError` on a response), as the CLI prints it.
pub(crate) fn failed(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    out: String,
    msg: &str,
) -> Printed {
    let style = ex
        .cli
        .error_style(command.globals().cli_error_format.as_deref());
    let (code, err) = aws_mcp_wire::render::render_error(
        style,
        &aws_mcp_wire::render::CliError::other(aws_mcp_wire::render::ErrorKind::General, msg),
    );
    Printed {
        code,
        out_total: out.len() as u64,
        err_total: err.len() as u64,
        out,
        err,
    }
}

/// What a hand-written command printed before a failed call printed
/// `p`: both, in order.
pub(crate) fn after(out: String, mut p: Printed) -> Printed {
    p.out = out + &p.out;
    p.out_total = p.out.len() as u64;
    p
}

/// A command as the validator leaves it (tests of the custom modules).
#[cfg(test)]
pub(crate) fn validated(line: &str) -> ValidatedCommand {
    aws_mcp_core::Validator::new(Catalog::embedded())
        .validate(line)
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}
