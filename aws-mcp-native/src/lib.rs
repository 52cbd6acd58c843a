//! # aws-mcp-native
//!
//! The native executor: runs a validated AWS CLI command by calling the AWS
//! API in-process — no Python, no `aws` program, no process start-up.
//!
//! ## Design
//!
//! The pipeline mirrors what the AWS CLI v1 does for a generated command,
//! with every pure step in `aws-mcp-core` and only the I/O here:
//!
//! 1. **Coverage** ([`native_support`]): generated operations of services
//!    speaking `query`, `ec2`, `json`, `rest-json` or `rest-xml`, without
//!    event streams, bearer auth, or one of the botocore request/response
//!    handlers listed in [`NOT_NATIVE`]; and the high-level `aws s3`
//!    commands (the `s3` module, over [`aws_mcp_wire::s3`]). Every argument
//!    the AWS CLI adds to a generated operation is classified by
//!    [`cli_argument`]: reproduced natively (pagination, EC2's hand-written
//!    arguments and top-level booleans, the streaming `outfile`) or a reason
//!    to leave the command to the CLI (`--generate-cli-skeleton`,
//!    `--cli-input-json`, any other customization); the coverage check
//!    proves the classification complete against the live CLI. Local files
//!    are read and written here: parameter files, streaming inputs and
//!    output files of generated operations (`paramfiles`), the local sides
//!    of `s3` transfers, all through [`localfs`] over the policy's resolver
//!    and the directory-handle opener [`files`], so what is opened is what
//!    the policy judged. Anything else is left to the `aws` subprocess (the
//!    stdio server routes it) or refused with the reason.
//! 2. **Request**: the core's protocol serializer turns the typed parameters
//!    into an HTTP request; botocore's own request rules that matter are
//!    applied first (S3's bucket comes out of the path; S3 listings ask for
//!    and decode URL-encoded keys; idempotency tokens are fresh UUIDs); the
//!    parser applies the response handlers (IAM policy documents, EC2
//!    console output, CloudFormation templates, S3 bucket locations).
//! 3. **Endpoint**: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`,
//!    `AWS_ENDPOINT_URL`, then the service's endpoint rule set (the core's
//!    interpreter), which also says how to sign.
//! 4. **Identity**: credentials and the default region from the standard
//!    provider chain (`aws-config`: environment, profiles, SSO, web identity,
//!    container, instance metadata), cached per profile until near expiry;
//!    SigV4 with `aws-sigv4` (S3's single-encoding rules where needed).
//! 5. **Send**: one pooled HTTP/1.1 client (rustls; through the proxy
//!    `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` name unless `NO_PROXY` excludes
//!    the host, with a `CONNECT` tunnel), retries with jittered
//!    backoff for throttling, 5xx and connection errors (5 attempts, as the
//!    CLI; a write without an idempotency token only when it surely was not
//!    acted on, see `Call::once`), the
//!    command's timeout over the whole call, cancellation by dropping the
//!    future.
//! 6. **Response**: the core's parser (timestamps and blobs exactly as the
//!    CLI prints them), pagination like botocore's `build_full_result`
//!    (`--max-items`, `--starting-token`, `--page-size`), then `--query` and
//!    `--output` by the core's renderer. API errors print the CLI's message
//!    (`An error occurred (Code) when calling the Op operation: ...`) with
//!    exit code 255, like `aws`.
//!
//! ## AWS CLI v1 or v2
//!
//! [`NativeExecutor::with_cli`] says which CLI the output must match
//! ([`CliOutput`]): v1 (the default) prints timestamps as the service sent
//! them, v2 as ISO 8601 (`2024-01-02T03:04:05+00:00`, those sent as epoch
//! numbers in the machine's zone, `TZ` first, as Python's `tzlocal()`; the
//! profile's `cli_timestamp_format` changes either), v2 has `--output yaml`,
//! `yaml-stream` (printed page by page) and `off`, and v2's errors have
//! their own exit codes (254 for an API error) and, from 2.34.0, their own
//! text (`aws: [ERROR]: ...`, `--cli-error-format`); see
//! [`aws_mcp_wire::render::error`]. Blob parameters arrive as the validator
//! leaves them for the dialect (text, or byte arrays for v2 base64 values
//! that are not UTF-8) and are sent as bytes.

#![warn(missing_docs)]

mod custom;
mod endpoint;
pub mod files;
mod handlers;
pub mod localfs;
mod paramfiles;
mod presign;
mod quirks;
mod retry;
mod s3;
mod transport;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use aws_mcp_core::catalog::{ArgKind, Catalog, CommandKind, Dialect, OperationModel, Service};
use aws_mcp_core::command::PathOrigin;
use aws_mcp_core::exec::{cap_output, Capped};
use aws_mcp_core::{
    ExecError, ExecOptions, ExecOutput, Executor, NoProgress, Progress, ProgressSink,
    ValidatedCommand, Validator,
};
use aws_mcp_wire::endpoint::{Partitions, RuleSet};
use aws_mcp_wire::paginate::{PageRequest, Pages};
use aws_mcp_wire::protocol::checksum::Calculation;
use aws_mcp_wire::protocol::parse::{
    parse_error_details, parse_response, LocalOffset, ParseOptions, TimestampMode,
};
use aws_mcp_wire::protocol::serialize::{serialize, SerializeOptions};
use aws_mcp_wire::protocol::{HttpResponse, Protocol, ProtocolError, ServiceModel};
use aws_mcp_wire::render::{
    render, render_error, render_text_pages, render_yaml_stream_pages, CliError, ErrorFormat,
    ErrorKind, ErrorStyle, OutputFormat,
};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{Map, Value};
use tokio::sync::Mutex;

pub use endpoint::{env_suffix, join_url, EndpointEnv};
pub use localfs::{Confinement, LocalFiles};
pub use paramfiles::MAX_FILE_BYTES;
pub use retry::{RetryMode, RetrySettings};
pub use transport::{proxies_from_lookup, Matcher};

/// botocore handlers that change requests or responses of these operations
/// in ways the native executor does not reproduce; they run through the
/// `aws` program instead. `service:*` covers a whole service.
pub const NOT_NATIVE: &[&str] = &[
    "s3:SelectObjectContent",
    "glacier:UploadArchive",
    "glacier:UploadMultipartPart",
    "machinelearning:*",
    "cloudsearchdomain:*",
];

/// How the native executor treats an argument the AWS CLI adds to a
/// generated operation (one that is not a member of the operation's input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CliArgument {
    /// Reproduced natively exactly as the CLI does it; the text says how.
    Native(&'static str),
    /// A command that gives it is left to the `aws` program; the text says why.
    NotNative(&'static str),
}

/// awscli's hand-written EC2 arguments that the validator translates into
/// API parameters exactly as awscli does (`aws_mcp_core::validate`'s EC2
/// rules, from `customizations/ec2/addcount.py`, `runinstances.py` and
/// `secgroupsimplify.py`): (command, argument).
const EC2_NATIVE: &[(&str, &str)] = &[
    ("run-instances", "count"),
    ("run-instances", "secondary-private-ip-addresses"),
    ("run-instances", "secondary-private-ip-address-count"),
    ("run-instances", "associate-public-ip-address"),
    ("run-instances", "no-associate-public-ip-address"),
    ("authorize-security-group-ingress", "protocol"),
    ("authorize-security-group-ingress", "port"),
    ("authorize-security-group-ingress", "cidr"),
    ("authorize-security-group-ingress", "source-group"),
    ("authorize-security-group-ingress", "group-owner"),
    ("authorize-security-group-egress", "protocol"),
    ("authorize-security-group-egress", "port"),
    ("authorize-security-group-egress", "cidr"),
    ("authorize-security-group-egress", "source-group"),
    ("authorize-security-group-egress", "group-owner"),
    ("revoke-security-group-ingress", "protocol"),
    ("revoke-security-group-ingress", "port"),
    ("revoke-security-group-ingress", "cidr"),
    ("revoke-security-group-ingress", "source-group"),
    ("revoke-security-group-ingress", "group-owner"),
    ("revoke-security-group-egress", "protocol"),
    ("revoke-security-group-egress", "port"),
    ("revoke-security-group-egress", "cidr"),
    ("revoke-security-group-egress", "source-group"),
    ("revoke-security-group-egress", "group-owner"),
];

/// Arguments that carry an input member's name but that awscli replaces with
/// its own handling (a subclass of its `CLIArgument`): (botocore service,
/// command, argument). The coverage check (`tools/catalog-gen/coverage_check.py`)
/// proves this list complete against the live AWS CLI. (Lambda's `--code`
/// and `--content` are not here: the validator reproduces their handling,
/// see `aws_mcp_core::validate::translates_cli_argument`.)
pub const CUSTOMIZED_MEMBERS: &[(&str, &str, &str)] = &[
    ("translate", "import-terminology", "terminology-data"),
    ("translate", "translate-document", "document"),
    (
        "config",
        "put-configuration-recorder",
        "configuration-recorder",
    ),
    ("config", "put-configuration-recorder", "recording-group"),
];

/// Arguments awscli adds to a generated operation, or handles itself, that
/// a `custom` module reproduces: (botocore service, command, argument).
/// A command given one runs through that module (its `support` says which
/// uses it leaves to the `aws` program).
pub const CUSTOM_TRANSLATED: &[(&str, &str, &str)] = &[
    ("cloudfront", "create-invalidation", "paths"),
    ("cloudfront", "create-distribution", "origin-domain-name"),
    ("cloudfront", "create-distribution", "default-root-object"),
    (
        "datapipeline",
        "put-pipeline-definition",
        "pipeline-definition",
    ),
    (
        "datapipeline",
        "put-pipeline-definition",
        "parameter-objects",
    ),
    (
        "datapipeline",
        "put-pipeline-definition",
        "parameter-values",
    ),
    (
        "datapipeline",
        "put-pipeline-definition",
        "parameter-values-uri",
    ),
];

/// What the native executor does with `arg` of the generated operation
/// `command` of `service`: `None` for a plain member of the operation's
/// input, `Some` for every argument the AWS CLI adds or handles itself
/// (`--generate-cli-skeleton`, `--cli-input-json`, pagination, EC2's
/// hand-written arguments, ...).
pub fn cli_argument(
    service: Service<'_>,
    command: &str,
    table: aws_mcp_core::catalog::Args<'_>,
    arg: &aws_mcp_core::Arg,
) -> Option<CliArgument> {
    let api = service.api_name().unwrap_or("");
    if CUSTOM_TRANSLATED.contains(&(api, command, &*arg.name)) {
        return Some(CliArgument::Native(
            "translated into API parameters as awscli's customization does (aws_mcp_native's custom module)",
        ));
    }
    match arg.kind {
        ArgKind::Pagination => Some(CliArgument::Native(
            "paginates like botocore's paginator (aws_mcp_core::paginate: --max-items, --page-size, --starting-token with the CLI's tokens)",
        )),
        ArgKind::Custom => Some(match &*arg.name {
            "generate-cli-skeleton" => {
                CliArgument::NotNative("prints a JSON template instead of calling the API")
            }
            "cli-input-json" | "cli-input-yaml" => CliArgument::Native(
                "its document's parameters fill in what the command line leaves out, as awscli merges them (aws_mcp_core::validate inline, aws_mcp_native's paramfiles from a file)",
            ),
            // awscli's streaming-output argument: the executor writes the
            // streaming payload there (`paramfiles`).
            "outfile" if has_streaming_output(service, command) => CliArgument::Native(
                "the streaming output is written to this file as awscli writes it (aws_mcp_native's paramfiles)",
            ),
            // awscli's QueryOutFileArgument (iot): a part of the response
            // saved to a file (`paramfiles`).
            "certificate-pem-outfile" | "public-key-outfile" | "private-key-outfile"
                if api == "iot" =>
            {
                CliArgument::Native(
                    "the response's value is saved to this file (mode 0600) as awscli's QueryOutFileArgument does (aws_mcp_native's paramfiles)",
                )
            }
            _ if aws_mcp_core::validate::translates_cli_argument(Some(api), command, &arg.name) => {
                CliArgument::Native(
                    "translated into API parameters as awscli's customization does (aws_mcp_core::validate)",
                )
            }
            _ if api == "ec2" && EC2_NATIVE.contains(&(command, &*arg.name)) => {
                CliArgument::Native(
                    "translated into API parameters as awscli's EC2 customizations do (aws_mcp_core::validate)",
                )
            }
            _ => CliArgument::NotNative("is an AWS CLI customization, not an API parameter"),
        }),
        _ if aws_mcp_core::validate::ec2_toplevel_bool(service, table, arg).is_some() => {
            Some(CliArgument::Native(
                "an EC2 top-level boolean flag, sent as {\"Value\": true|false} like awscli's toplevelbool",
            ))
        }
        // Lambda's --code/--content: awscli's ReplacedZipFileArgument, which
        // the validator reproduces (a ZipFile inside is refused).
        _ if aws_mcp_core::validate::translates_cli_argument(Some(api), command, &arg.name) => {
            Some(CliArgument::Native(
                "handled as awscli's customization does (aws_mcp_core::validate)",
            ))
        }
        _ if CUSTOMIZED_MEMBERS.contains(&(api, command, &*arg.name)) => Some(
            CliArgument::NotNative("is handled by an AWS CLI customization before the API call"),
        ),
        _ => None,
    }
}

/// Attempts per request in botocore's legacy retry mode, the AWS CLI v1
/// default (the first try and 4 retries; DynamoDB 10). `AWS_RETRY_MODE` and
/// `AWS_MAX_ATTEMPTS` change it (see the `retry` module).
pub const MAX_ATTEMPTS: u32 = 5;

/// Pagination holds at most this many bytes of results per byte of the
/// output cap (16 MiB at the default 256 KiB cap), and at least
/// [`PAGES_MEMORY_FLOOR`]: what could not be shown anyway is not collected
/// without bound, while a small cap still cuts a large page instead of
/// refusing it.
pub const PAGES_MEMORY_PER_OUTPUT_BYTE: u64 = 64;

/// The least pagination may hold, whatever the output cap (16 MiB).
pub const PAGES_MEMORY_FLOOR: u64 = 16 << 20;

/// The largest response body read (64 MiB); larger bodies are an error.
pub const MAX_BODY: usize = 64 << 20;

/// Which AWS CLI's output the native executor reproduces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CliOutput {
    /// AWS CLI v1 or v2 (default v1).
    pub dialect: Dialect,
    /// The installed AWS CLI v2's version (`2.9.19`), which decides its
    /// error text; `None`: the newest (2.36.7's).
    pub version: Option<String>,
    /// The profile's `cli_timestamp_format` (`None`: the dialect's default,
    /// `wire` in v1, `iso8601` in v2).
    pub timestamp_format: Option<String>,
    /// AWS CLI v2's error format when a command gives no
    /// `--cli-error-format`: `AWS_CLI_ERROR_FORMAT`, else the profile's
    /// `cli_error_format` (`None`: `enhanced`).
    pub error_format: Option<String>,
}

impl CliOutput {
    /// The output of `dialect`, other settings at their defaults.
    pub fn new(dialect: Dialect) -> CliOutput {
        CliOutput {
            dialect,
            ..CliOutput::default()
        }
    }

    /// How timestamps are printed, or the CLI's error for a setting it
    /// does not know.
    fn timestamps(&self) -> Result<TimestampMode, (ErrorKind, String)> {
        let (default, valid) = match self.dialect {
            Dialect::V1 => ("wire", r#""none", "wire" or "iso8601""#),
            _ => ("iso8601", r#""wire" or "iso8601""#),
        };
        match self.timestamp_format.as_deref().unwrap_or(default) {
            "wire" => Ok(TimestampMode::Raw),
            "none" if self.dialect == Dialect::V1 => Ok(TimestampMode::Raw),
            "iso8601" => Ok(TimestampMode::Iso8601),
            other => Err((
                match self.dialect {
                    Dialect::V1 => ErrorKind::General,
                    _ => ErrorKind::Configuration,
                },
                format!("Unknown cli_timestamp_format value: {other}, valid values are {valid}"),
            )),
        }
    }

    /// How errors are printed for a command with `--cli-error-format`
    /// `given`.
    fn error_style(&self, given: Option<&str>) -> ErrorStyle {
        match self.dialect {
            Dialect::V1 => ErrorStyle::V1,
            _ => ErrorStyle::v2(
                self.version.as_deref(),
                given
                    .or(self.error_format.as_deref())
                    .and_then(ErrorFormat::parse)
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Why a call failed before AWS answered it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NativeError {
    /// The command is not covered by the native executor.
    #[error("not supported by the native executor: {0}")]
    Unsupported(String),
    /// No region was given or configured.
    #[error("You must specify a region. You can also configure your region by running \"aws configure\".")]
    NoRegion,
    /// No credentials could be found.
    #[error("Unable to locate credentials ({0}). You can configure credentials by running \"aws configure\".")]
    NoCredentials(String),
    /// The endpoint could not be resolved.
    #[error("could not resolve the endpoint: {0}")]
    Endpoint(String),
    /// The request could not be built.
    #[error("could not build the request: {0}")]
    Request(String),
    /// Signing failed.
    #[error("could not sign the request: {0}")]
    Sign(String),
    /// The connection failed.
    #[error("{0}")]
    Http(String),
    /// The response body was larger than the limit.
    #[error("the response body is larger than {0} bytes")]
    TooLarge(usize),
    /// A write without an idempotency token lost its response after it was
    /// sent: it may have been applied, so it was not sent again.
    #[error("{0}")]
    MaybeApplied(String),
    /// The response could not be read or paginated.
    #[error("could not read the response: {0}")]
    Response(String),
    /// The executor is configured wrongly.
    #[error("the native executor is not configured correctly: {0}")]
    Config(String),
    /// A local file could not be read or written (the message is awscli's,
    /// never the file's contents).
    #[error("{0}")]
    File(String),
    /// A failure the AWS CLI reports in these very words (a response that
    /// is not XML, ...).
    #[error("{0}")]
    Cli(String),
    /// A waiter would outlive the command's time limit (see
    /// [`ExecError::WaitTimedOut`]).
    #[error("waiter {waiter} was still waiting after {attempts} of {max_attempts} attempts")]
    WaitTimedOut {
        /// The waiter's name.
        waiter: String,
        /// Attempts made.
        attempts: u32,
        /// The waiter's most attempts.
        max_attempts: u32,
        /// Seconds between attempts.
        delay_seconds: u64,
    },
}

impl NativeError {
    /// How the AWS CLI classes this error (for its exit code and code).
    pub fn cli_kind(&self) -> ErrorKind {
        match self {
            NativeError::NoRegion => ErrorKind::NoRegion,
            NativeError::NoCredentials(_) => ErrorKind::NoCredentials,
            // A parameter file that cannot be read or used: awscli's
            // parameter error (252 in AWS CLI v2).
            NativeError::Request(_) | NativeError::File(_) => ErrorKind::ParamValidation,
            NativeError::Config(_) => ErrorKind::Configuration,
            _ => ErrorKind::General,
        }
    }
}

/// Whether `command` can run natively, or why not.
///
/// # Errors
/// [`NativeError::Unsupported`] naming why the native executor does not
/// run this command (it then goes to the `aws` program).
pub fn native_support(catalog: &Catalog, command: &ValidatedCommand) -> Result<(), NativeError> {
    let no = |why: String| Err(NativeError::Unsupported(why));
    if !cfg!(unix) && uses_local_files(command) {
        return no(
            "the command uses local files, which the native executor opens only on Unix (over directory handles, see aws_mcp_native::files)"
                .into(),
        );
    }
    if command.service() == "s3" && command.kind() == CommandKind::Custom {
        return s3::support(command).map_err(NativeError::Unsupported);
    }
    // Hand-written commands, and generated ones given an argument awscli
    // adds that a `custom` module translates.
    if let Some(r) = custom::support(catalog, command) {
        return r.map_err(NativeError::Unsupported);
    }
    if !matches!(command.kind(), CommandKind::Operation | CommandKind::Waiter) {
        return no(format!(
            "`{} {}` is a hand-written AWS CLI command, not a single API call",
            command.service(),
            command.operation()
        ));
    }
    let Some(api) = &command.api() else {
        return no("the command has no API operation".into());
    };
    let Some(service) = catalog.service(command.service()) else {
        return no(format!("unknown service {}", command.service()));
    };
    let Some(md) = service.metadata() else {
        return no("the service has no API model".into());
    };
    let Some(protocol) = Protocol::for_service(md) else {
        return no(format!(
            "the {} protocol is not implemented",
            md.protocol.as_deref().unwrap_or("unknown")
        ));
    };
    if protocol == Protocol::RpcV2Cbor {
        return no("the smithy-rpc-v2-cbor protocol is not implemented".into());
    }
    if NOT_NATIVE.iter().any(|e| {
        *e == format!("{}:{}", api.service, api.operation) || *e == format!("{}:*", api.service)
    }) {
        return no(format!(
            "{} {} has AWS CLI request/response handling the native executor does not reproduce",
            api.service, api.operation
        ));
    }
    if let Some(why) = local_files_left_to_cli(command, service) {
        return no(why);
    }
    if md.signature_version.as_deref() == Some("bearer") {
        return no("the service uses bearer-token auth".into());
    }
    let cmd = service
        .command_of(command)
        .ok_or_else(|| NativeError::Unsupported("unknown command".into()))?;
    let detail = cmd
        .detail()
        .map_err(|e| NativeError::Config(e.to_string()))?;
    let op = op_model(&detail.op)?;
    if command.kind() == CommandKind::Waiter {
        let Some(w) = detail.waiter.as_deref() else {
            return no("the waiter has no waiter model in the catalog".into());
        };
        if let Err(e) = aws_mcp_wire::waiter::Waiter::new(w) {
            return no(e.to_string());
        }
    }
    let sigv4_or_none = |schemes: &[String]| {
        schemes.is_empty()
            || schemes
                .iter()
                .any(|a| a == "aws.auth#sigv4" || a == "smithy.api#noAuth")
    };
    if matches!(op.authtype.as_deref(), Some("bearer"))
        || !sigv4_or_none(&op.auth)
        || (op.auth.is_empty() && !sigv4_or_none(&md.auth))
    {
        return no("the operation needs an auth scheme other than SigV4".into());
    }
    let args = cmd.args().map_err(|e| NativeError::Config(e.to_string()))?;
    for given in command.args() {
        if let Some(arg) = args.get(&given.name) {
            if let Some(CliArgument::NotNative(why)) = cli_argument(service, cmd.name(), args, arg)
            {
                return no(format!("--{} {why}", given.name));
            }
        }
    }
    let g = &command.globals();
    if g.no_verify_ssl || g.ca_bundle.is_some() {
        return no("--no-verify-ssl and --ca-bundle are left to the AWS CLI".into());
    }
    if let Some(o) = &g.output {
        o.parse::<OutputFormat>()
            .map_err(|e| NativeError::Unsupported(e.to_string()))?;
    }
    let shapes = service
        .shapes()
        .map_err(|e| NativeError::Config(e.to_string()))?;
    let outfile = command
        .local_paths()
        .iter()
        .any(|p| p.origin == PathOrigin::OutputFile && p.arg == "outfile");
    for (is_output, r) in [(false, &op.input), (true, &op.output)] {
        let Some(sh) = r.as_ref().and_then(|r| shapes.get(&r.shape)) else {
            continue;
        };
        for (name, m) in sh.members.iter() {
            let target = shapes.get(&m.shape);
            if target.is_some_and(|t| t.traits().event_stream) {
                return no(format!("{name} is an event-stream member"));
            }
            let streaming = m.traits().streaming || target.is_some_and(|t| t.traits().streaming);
            // Streaming inputs come from a file; streaming outputs go to the outfile.
            if streaming && is_output && !outfile {
                return no(format!("{name} is a streaming output without an outfile"));
            }
        }
    }
    Ok(())
}

/// Whether the output of `command` has a streaming payload (what awscli's
/// `outfile` argument receives): a member marked streaming, or, as
/// botocore's `OperationModel.has_streaming_output` decides, a `payload`
/// member that is a blob (Lambda `Invoke`'s `Payload`, API Gateway
/// `GetExport`'s `body`), which botocore reads as a stream too.
fn has_streaming_output(service: Service<'_>, command: &str) -> bool {
    let Some(detail) = service.command(command).and_then(|c| c.detail().ok()) else {
        return false;
    };
    let Some(op) = detail.op.as_deref() else {
        return false;
    };
    let Ok(shapes) = service.shapes() else {
        return false;
    };
    op.output
        .as_ref()
        .and_then(|r| shapes.get(&r.shape))
        .is_some_and(|sh| {
            sh.members.iter().any(|(_, m)| {
                m.traits().streaming || shapes.get(&m.shape).is_some_and(|t| t.traits().streaming)
            }) || blob_payload(sh, shapes).is_some()
        })
}

/// The name of `output`'s `payload` member when it is a blob: botocore
/// streams such a body (`has_streaming_output`), and awscli's `outfile`
/// argument writes it to the file and removes it from what is printed.
fn blob_payload<'s>(
    output: &'s aws_mcp_core::catalog::Shape,
    shapes: &std::collections::HashMap<aws_mcp_core::catalog::Name, aws_mcp_core::catalog::Shape>,
) -> Option<&'s str> {
    let name = output.traits().payload.as_deref()?;
    let (_, m) = output.members.iter().find(|(n, _)| &**n == name)?;
    let target = shapes.get(&m.shape)?;
    (target.shape_type == aws_mcp_core::catalog::ShapeType::Blob).then_some(name)
}

/// Why the command's local files keep it from running natively, if they do:
/// parameter files of API parameters, streaming inputs and `outfile` are
/// read and written here ([`paramfiles`]); nested `file://` references and
/// files of the AWS CLI's own arguments are not.
fn local_files_left_to_cli(command: &ValidatedCommand, service: Service<'_>) -> Option<String> {
    let cmd = service.command_of(command)?;
    let args = cmd.args().ok()?;
    for p in command.local_paths() {
        let member_arg = args.get(&p.arg).is_some_and(|a| a.kind == ArgKind::Member);
        let ok = match p.origin {
            PathOrigin::FileUrl | PathOrigin::FilebUrl => {
                member_arg
                    || paramfiles::is_input_document(&p.arg)
                    || (p.arg == "zip-file" && paramfiles::hoisted_zip(command))
            }
            PathOrigin::OptionPath => member_arg,
            PathOrigin::OutputFile => {
                p.arg == "outfile" || paramfiles::query_outfile(command, &p.arg).is_some()
            }
            _ => false,
        };
        if !ok {
            return Some(format!(
                "the command reads or writes the local file {:?} (--{}) in a way the native executor does not (a file:// inside a value, or a file of an AWS CLI argument)",
                p.path, p.arg
            ));
        }
    }
    None
}

/// Whether `command` reads or writes local files: the validator's list, or
/// a local side of an `s3` transfer.
fn uses_local_files(command: &ValidatedCommand) -> bool {
    !command.local_paths().is_empty()
        || (command.service() == "s3"
            && command
                .args()
                .iter()
                .filter(|a| a.name == "paths")
                .flat_map(|a| a.values.iter())
                .any(|v| !v.starts_with("s3://")))
}

fn op_model(op: &Option<Box<OperationModel>>) -> Result<&OperationModel, NativeError> {
    op.as_deref()
        .ok_or_else(|| NativeError::Unsupported("the command has no operation model".into()))
}

/// Runs generated AWS CLI commands natively (see the crate docs).
pub struct NativeExecutor {
    catalog: &'static Catalog,
    env: EndpointEnv,
    identity: transport::Identity,
    /// HTTP clients by connect timeout (each call's `--cli-connect-timeout`
    /// or the server's default; a handful at most), sharing nothing but the
    /// proxy settings.
    clients: std::sync::Mutex<Vec<(Duration, Arc<transport::HttpClient>)>>,
    proxies: Option<Arc<transport::Matcher>>,
    rules: Mutex<std::collections::HashMap<String, Arc<RuleSet>>>,
    partitions: OnceLock<Result<Partitions, NativeError>>,
    default_region: Option<String>,
    default_profile: Option<String>,
    /// `AWS_REQUEST_CHECKSUM_CALCULATION`, as given.
    checksum_setting: Option<String>,
    /// The AWS config file's text, read once.
    config_text: OnceLock<String>,
    /// The standard and adaptive modes' retry quota.
    quota: retry::Quota,
    /// The adaptive mode's rate limiter.
    limiter: retry::RateLimiter,
    cli: CliOutput,
    files: LocalFiles,
    validator: Validator<'static>,
}

impl std::fmt::Debug for NativeExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeExecutor")
            .field("env", &self.env)
            .finish()
    }
}

impl NativeExecutor {
    /// An executor over `catalog`, reading endpoint settings from the
    /// process environment.
    pub fn new(catalog: &'static Catalog) -> NativeExecutor {
        let ids: Vec<&str> = catalog.services().filter_map(|s| s.service_id()).collect();
        let env = EndpointEnv::from_lookup(|k| std::env::var(k).ok(), &ids);
        NativeExecutor::with_env(catalog, env)
            .with_proxies(transport::proxies_from_lookup(|k| std::env::var(k).ok()))
    }

    /// An executor with explicit endpoint settings.
    pub fn with_env(catalog: &'static Catalog, env: EndpointEnv) -> NativeExecutor {
        NativeExecutor {
            catalog,
            env,
            identity: transport::Identity::default(),
            clients: std::sync::Mutex::new(Vec::new()),
            proxies: None,
            rules: Mutex::new(Default::default()),
            partitions: OnceLock::new(),
            default_region: None,
            default_profile: None,
            checksum_setting: std::env::var("AWS_REQUEST_CHECKSUM_CALCULATION").ok(),
            config_text: OnceLock::new(),
            quota: retry::Quota::default(),
            limiter: retry::RateLimiter::default(),
            cli: CliOutput::default(),
            files: LocalFiles::new(Confinement::current_dir()),
            validator: Validator::new(catalog),
        }
    }

    /// The AWS config file (`AWS_CONFIG_FILE`, else `~/.aws/config`), read
    /// once; empty when there is none.
    fn config_text(&self) -> &str {
        self.config_text.get_or_init(|| {
            std::env::var_os("AWS_CONFIG_FILE")
                .map(std::path::PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME")
                        .map(|h| std::path::PathBuf::from(h).join(".aws/config"))
                })
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default()
        })
    }

    /// The retry policy of calls to botocore service `service` with
    /// `profile`: `AWS_RETRY_MODE`/`AWS_MAX_ATTEMPTS`, else the profile's
    /// `retry_mode`/`max_attempts`, else the CLI version's default (see the
    /// `retry` module).
    fn retry_policy(
        &self,
        profile: Option<&str>,
        service: &str,
    ) -> Result<retry::Policy, NativeError> {
        // AWS CLI v2 defaults to botocore's standard mode, v1 to legacy.
        let default_mode = match self.cli.dialect {
            Dialect::V2 => retry::RetryMode::Standard,
            _ => retry::RetryMode::Legacy,
        };
        let settings = retry::RetrySettings::resolve(
            |k| std::env::var(k).ok(),
            self.config_text(),
            profile,
            default_mode,
        )
        .map_err(NativeError::Cli)?;
        Ok(retry::Policy::new(settings, service))
    }

    /// When request checksums are calculated: `AWS_REQUEST_CHECKSUM_CALCULATION`
    /// (`when_supported`, the default, or `when_required`).
    fn checksums(&self) -> Result<Calculation, NativeError> {
        match self.checksum_setting.as_deref() {
            None => Ok(Calculation::WhenSupported),
            Some(v) => Calculation::from_setting(v).ok_or_else(|| {
                NativeError::Config(format!(
                    "AWS_REQUEST_CHECKSUM_CALCULATION is {v:?}; valid values are when_supported and when_required"
                ))
            }),
        }
    }

    /// The validator parameter files are typed with (the server's, so that
    /// the dialect and v2's binary format are the ones the command was
    /// validated in). Default: [`Validator::new`] in this executor's dialect.
    pub fn with_validator(mut self, v: Validator<'static>) -> NativeExecutor {
        self.validator = v;
        self
    }

    /// Print what this AWS CLI prints (default: AWS CLI v1's output),
    /// the `s3` commands' exit statuses, messages and presigned URLs
    /// included.
    pub fn with_cli(mut self, cli: CliOutput) -> NativeExecutor {
        self.validator = self.validator.clone().dialect(cli.dialect);
        self.cli = cli;
        self
    }

    /// The AWS CLI whose output this executor prints.
    pub fn cli(&self) -> &CliOutput {
        &self.cli
    }

    /// Use local files (parameter files, streaming inputs and outfiles, the
    /// `s3` commands' local paths) as `c` allows: relative paths from its
    /// working directory, nothing outside it unless access is unrestricted.
    /// Default: the process's current directory.
    pub fn with_files(mut self, c: Confinement) -> NativeExecutor {
        self.files = LocalFiles::new(c);
        self
    }

    /// Send through these proxies (see [`proxies_from_lookup`]); `None`
    /// connects directly. [`NativeExecutor::new`] reads them from the
    /// environment.
    pub fn with_proxies(mut self, proxies: Option<transport::Matcher>) -> NativeExecutor {
        self.proxies = proxies.map(Arc::new);
        self
    }

    /// Sign with these credentials instead of the standard provider chain
    /// (for embedders that manage credentials themselves, and tests).
    pub fn with_credentials(
        mut self,
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<String>,
    ) -> NativeExecutor {
        self.identity.fixed = Some(aws_credential_types::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            "aws-mcp",
        ));
        self
    }

    /// The region and profile used when a command names none (the server's
    /// `AWS_REGION` and `AWS_API_MCP_PROFILE_NAME`); without them the
    /// standard configuration chain decides.
    pub fn with_defaults(
        mut self,
        region: Option<String>,
        profile: Option<String>,
    ) -> NativeExecutor {
        self.default_region = region.filter(|r| !r.is_empty());
        self.default_profile = profile.filter(|p| !p.is_empty());
        self
    }

    /// The client for `connect_timeout`: made on first use, then shared by
    /// every call with the same timeout (connections are pooled per client).
    fn client(&self, connect_timeout: Duration) -> Result<Arc<transport::HttpClient>, NativeError> {
        /// Distinct timeouts kept; the oldest is dropped beyond that.
        const MAX_CLIENTS: usize = 8;
        let mut clients = self
            .clients
            .lock()
            .map_err(|_| NativeError::Config("the HTTP client cache was poisoned".into()))?;
        if let Some((_, c)) = clients.iter().find(|(t, _)| *t == connect_timeout) {
            return Ok(c.clone());
        }
        let c = Arc::new(transport::HttpClient::new(
            connect_timeout,
            self.proxies.clone(),
        )?);
        if clients.len() >= MAX_CLIENTS {
            clients.remove(0);
        }
        clients.push((connect_timeout, c.clone()));
        Ok(c)
    }

    fn partitions(&self) -> Result<&Partitions, NativeError> {
        self.partitions
            .get_or_init(|| {
                let v: Value = serde_json::from_str(self.catalog.partitions_data())
                    .map_err(|e| NativeError::Config(format!("partitions data: {e}")))?;
                Partitions::from_json(&v).map_err(|e| NativeError::Config(e.to_string()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    async fn rules(&self, service: Service<'_>) -> Result<Arc<RuleSet>, NativeError> {
        let mut map = self.rules.lock().await;
        if let Some(r) = map.get(service.name()) {
            return Ok(r.clone());
        }
        let text = service
            .endpoint_rules()
            .map_err(|e| NativeError::Config(e.to_string()))?
            .ok_or_else(|| {
                NativeError::Endpoint(format!("{} has no endpoint rules", service.name()))
            })?;
        let v: Value =
            serde_json::from_str(text).map_err(|e| NativeError::Config(e.to_string()))?;
        let r = Arc::new(RuleSet::from_json(&v).map_err(|e| NativeError::Config(e.to_string()))?);
        map.insert(service.name().to_string(), r.clone());
        Ok(r)
    }

    /// Run a command natively and return what the AWS CLI would print:
    /// `Ok((exit code, stdout, stderr))`. API errors are an exit code 255
    /// with the CLI's message, not an `Err`.
    pub async fn run(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<(i32, String, String), NativeError> {
        self.run_with_progress(command, options, &NoProgress).await
    }

    /// The region `command` runs in: its `--region`, else the executor's
    /// default, else its profile's.
    pub(crate) async fn region_of(
        &self,
        command: &ValidatedCommand,
    ) -> Result<String, NativeError> {
        let g = command.globals();
        match command
            .region()
            .map(str::to_string)
            .or_else(|| g.region.clone())
            .or_else(|| self.default_region.clone())
        {
            Some(r) => Ok(r),
            None => {
                let profile = g.profile.clone().or_else(|| self.default_profile.clone());
                self.identity
                    .region(profile.as_deref())
                    .await
                    .ok_or(NativeError::NoRegion)
            }
        }
    }

    /// The credentials `command` is signed with: the caller's own when the
    /// call carries them (a server acting for many callers: never the
    /// executor's identity then), else the executor's identity for the
    /// command's profile.
    pub(crate) async fn credentials_for(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<aws_credential_types::Credentials, NativeError> {
        if let Some(c) = &options.credentials {
            return Ok(aws_credential_types::Credentials::new(
                &c.access_key_id,
                &c.secret_access_key,
                c.session_token.clone(),
                c.expires,
                "aws-mcp-caller",
            ));
        }
        let g = command.globals();
        let profile = g.profile.clone().or_else(|| self.default_profile.clone());
        self.identity.credentials(profile.as_deref()).await
    }

    /// A hand-written command: `aws s3 ...` or one of [`custom`]'s.
    async fn run_custom(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<s3::Printed, NativeError> {
        native_support(self.catalog, command)?;
        if command.service() == "s3" {
            s3::run(self, command, options).await
        } else {
            custom::run(self, command, options).await
        }
    }

    /// [`NativeExecutor::run`], reporting a waiter's attempts to `progress`.
    /// A waiter stops before an attempt that would start after
    /// `options.timeout` ([`NativeError::WaitTimedOut`]).
    pub async fn run_with_progress(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<(i32, String, String), NativeError> {
        let deadline = Instant::now() + options.timeout;
        native_support(self.catalog, command)?;
        if command.regions().is_some() {
            return Err(NativeError::Unsupported(
                "the command names several regions; run it through the pipeline (Pipeline::run_command), which runs it once per region".into(),
            ));
        }
        if command.kind() == CommandKind::Custom || custom::support(self.catalog, command).is_some()
        {
            let p = self.run_custom(command, options).await?;
            return Ok((p.code, p.out, p.err));
        }
        if handlers::PREVIEW_SERVICES.contains(&command.service()) {
            let path = std::env::var_os("AWS_CONFIG_FILE")
                .map(std::path::PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME")
                        .map(|h| std::path::PathBuf::from(h).join(".aws/config"))
                });
            let config = path
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default();
            if !handlers::preview_enabled(&config, command.service()) {
                return Ok(handlers::preview_refusal(command.service()));
            }
        }
        let service = self
            .catalog
            .service(command.service())
            .ok_or_else(|| NativeError::Unsupported("unknown service".into()))?;
        let api = command
            .api()
            .ok_or_else(|| NativeError::Unsupported("no API".into()))?;
        let md = service
            .metadata()
            .ok_or_else(|| NativeError::Unsupported("no model".into()))?;
        let protocol =
            Protocol::for_service(md).ok_or_else(|| NativeError::Unsupported("protocol".into()))?;
        let shapes = service
            .shapes()
            .map_err(|e| NativeError::Config(e.to_string()))?;
        let cmd = service
            .command_of(command)
            .ok_or_else(|| NativeError::Unsupported("unknown command".into()))?;
        let detail = cmd
            .detail()
            .map_err(|e| NativeError::Config(e.to_string()))?;
        let mut op = op_model(&detail.op)?.clone();
        let model = ServiceModel {
            metadata: md,
            shapes,
            protocol,
        };
        let g = &command.globals();
        let style = self.cli.error_style(g.cli_error_format.as_deref());
        let timestamps = match self.cli.timestamps() {
            Ok(t) => t,
            Err((kind, msg)) => {
                let (rc, err) = render_error(style, &CliError::other(kind, &msg));
                return Ok((rc, String::new(), err));
            }
        };
        let profile = g.profile.clone().or_else(|| self.default_profile.clone());
        let region = self.region_of(command).await?;
        let mut params = command.parameters().clone();
        let prepared = paramfiles::prepare(&self.files, &self.validator, command, &mut params)?;
        if prepared.body.is_some() {
            // The streaming input member's file is the body.
            if let Some(sh) = op.input.as_ref().and_then(|r| shapes.get(&r.shape)) {
                for (name, m) in sh.members.iter() {
                    let streaming = m.traits().streaming
                        || shapes.get(&m.shape).is_some_and(|t| t.traits().streaming);
                    if streaming {
                        params.remove(&**name);
                    }
                }
            }
        }
        if prepared.outfile.is_some() {
            quirks::response_checksum_mode(&op, &mut params);
        }
        let outfile = prepared
            .outfile
            .clone()
            .map(|p| paramfiles::OutFile::new(&self.files, p));
        let mut paging =
            PageRequest::take_from(&mut params).map_err(|e| NativeError::Request(e.to_string()))?;
        if paging.max_items.is_none() {
            paging.max_items = options.max_items.map(u64::from);
        }
        let input_shape = op.input.as_ref().and_then(|r| shapes.get(&r.shape));
        let applied =
            quirks::before_request(&api.service, &api.operation, &mut op, shapes, &mut params);

        let sid = md.service_id.clone().unwrap_or_default();
        let override_url = g
            .endpoint_url
            .clone()
            .or_else(|| self.env.configured(&sid).map(str::to_string));
        let rules = self.rules(service).await?;
        let ep = endpoint::resolve(
            &rules,
            self.partitions()?,
            &op,
            input_shape,
            &params,
            &region,
            override_url.as_deref(),
            &self.env,
        )?;
        // Operations modelled without auth are sent unsigned, as botocore does.
        let unsigned = op.authtype.as_deref() == Some("none")
            || (!op.auth.is_empty() && op.auth.iter().all(|a| a == "smithy.api#noAuth"));
        let creds = if g.no_sign_request || unsigned {
            None
        } else {
            Some(self.credentials_for(command, options).await?)
        };
        let connect = g
            .cli_connect_timeout
            .filter(|t| *t > 0)
            .map(|t| Duration::from_secs(t as u64))
            .unwrap_or(options.connect_timeout);
        let client = self.client(connect)?;
        let signing_default = md
            .signing_name
            .clone()
            .or_else(|| md.endpoint_prefix.clone())
            .unwrap_or_else(|| api.service.clone());
        if let (Some(h), Some(c)) = (
            presign::copy_handler(&api.service, &api.operation),
            creds.as_ref(),
        ) {
            let name = ep.signing_name.as_deref().unwrap_or(&signing_default);
            presign::apply(
                h,
                &model,
                &api.operation,
                &op,
                &mut params,
                &ep.url,
                &region,
                c,
                name,
                std::time::SystemTime::now(),
            )?;
        }
        let format = match &g.output {
            Some(o) => o
                .parse::<OutputFormat>()
                .and_then(|f| f.for_dialect(self.cli.dialect))
                .map_err(|e| NativeError::Request(e.to_string()))?,
            None => OutputFormat::Json,
        };
        let paginator = detail.paginator.as_deref().filter(|_| !g.no_paginate);
        let mut pages = match paginator {
            Some(p) => {
                let mut w =
                    Pages::new(p, &paging).map_err(|e| NativeError::Request(e.to_string()))?;
                // What pagination may hold is bounded by the output cap.
                w.limit_memory(
                    (options.output_cap as u64)
                        .saturating_mul(PAGES_MEMORY_PER_OUTPUT_BYTE)
                        .max(PAGES_MEMORY_FLOOR),
                );
                // Text and yaml-stream are printed page by page.
                if matches!(format, OutputFormat::Text | OutputFormat::YamlStream) {
                    w.keep_pages();
                }
                Some(w)
            }
            None => None,
        };
        // Retry a write only when sending it twice cannot apply it twice.
        use aws_mcp_core::classify::Classifier as _;
        let mutating = !aws_mcp_core::classify::AccessTable::embedded()
            .classify(command)
            .read_only;
        let idempotent = input_shape
            .is_some_and(|sh| sh.members.iter().any(|(_, m)| m.traits().idempotency_token));
        let call = Call {
            retry_blindly: !mutating || idempotent,
            display: format!("aws {} {}", command.service(), command.operation()),
            model: &model,
            op_name: &api.operation,
            op: &op,
            ep: &ep,
            region: &region,
            creds: creds.as_ref(),
            s3: matches!(api.service.as_str(), "s3" | "s3control"),
            timestamps,
            style,
            signing_default,
            service: &api.service,
            checksums: self.checksums()?,
            retry: self.retry_policy(profile.as_deref(), &api.service)?,
            quota: &self.quota,
            limiter: &self.limiter,
            body: prepared.body.clone(),
            outfile: outfile.as_ref(),
        };
        if let Some(w) = detail
            .waiter
            .as_deref()
            .filter(|_| command.kind() == CommandKind::Waiter)
        {
            return wait(&call, &client, &params, w, applied, deadline, progress).await;
        }
        let result = loop {
            let mut p = params.clone();
            if let Some(w) = &pages {
                match w.next_request() {
                    Some(extra) => {
                        p.extend(extra);
                        if let Some(limit) = paginator.and_then(|p| p.limit_key.as_deref()) {
                            string_limit(&mut p, limit, input_shape, shapes);
                        }
                    }
                    None => break Value::Null,
                }
            }
            let answer = call.once(&client, &p).await?;
            let page = match answer.result {
                Ok(v) => v,
                Err((err, details)) => {
                    let (rc, msg) = render_error(
                        style,
                        &CliError {
                            kind: ErrorKind::Client,
                            code: &err.code,
                            message: &err.message,
                            operation: &api.operation,
                            json_protocol: matches!(protocol, Protocol::Json | Protocol::RestJson),
                            details: details.as_ref().and_then(Value::as_object),
                            max_retries: answer.max_retries,
                        },
                    );
                    return Ok((rc, String::new(), msg));
                }
            };
            let mut page = quirks::after_response(&api.operation, applied, page);
            // awscli's own after-call handler: the definition as a file
            // holds it.
            if (api.service.as_str(), api.operation.as_str())
                == ("datapipeline", "GetPipelineDefinition")
            {
                page = custom::datapipeline::api_to_definition(page);
            }
            paramfiles::save_query_outfiles(&self.files, command, &page)?;
            if let Some(o) = &outfile {
                o.commit(&page)?;
                // The payload went to the file; awscli's `save_file` removes
                // it from the printed response (a streaming member is never
                // parsed into it, a blob payload is, as an empty text).
                let output = op.output.as_ref().and_then(|r| shapes.get(&r.shape));
                if let (Some(name), Value::Object(m)) =
                    (output.and_then(|o| blob_payload(o, shapes)), &mut page)
                {
                    m.remove(name);
                }
            }
            match &mut pages {
                Some(w) => {
                    if !w
                        .add_page(page)
                        .map_err(|e| NativeError::Response(e.to_string()))?
                    {
                        break Value::Null;
                    }
                }
                None => break page,
            }
        };
        let text = match (pages, paginator) {
            (Some(w), Some(p)) if format == OutputFormat::Text => {
                // The CLI prints text page by page (its PageIterator).
                let (all, kept) = w.finish_pages();
                let keys: Vec<&str> = p.result_key.iter().map(String::as_str).collect();
                let non_agg: Vec<&str> = p.non_aggregate_keys.iter().map(String::as_str).collect();
                render_text_pages(
                    &kept,
                    &keys,
                    &non_agg,
                    all["NextToken"].as_str(),
                    g.query.as_deref(),
                )
            }
            (Some(w), Some(_)) if format == OutputFormat::YamlStream => {
                // v2's StreamedYAMLFormatter: one YAML document per page.
                let (_, kept) = w.finish_pages();
                render_yaml_stream_pages(&kept, g.query.as_deref())
            }
            (Some(w), _) => render(&w.finish(), format, g.query.as_deref(), &api.operation),
            (None, _) => render(&result, format, g.query.as_deref(), &api.operation),
        };
        match text {
            Ok(text) => Ok((0, text, String::new())),
            Err(e) => Ok(render_failure(style, e)),
        }
    }
}

/// What the AWS CLI prints when `--query` or the output format fails on a
/// result: the exception's text on standard error as a general error (exit
/// code 255; AWS CLI v2's prefix by `style`), after whatever the text format
/// had printed.
fn render_failure(style: ErrorStyle, e: aws_mcp_wire::RenderError) -> (i32, String, String) {
    use aws_mcp_wire::RenderError;
    let (partial, message) = match e {
        RenderError::QueryFailed { message, .. } => (String::new(), message),
        RenderError::Unrenderable {
            cli_message,
            partial,
            ..
        } => (partial, cli_message),
        other => (String::new(), other.to_string()),
    };
    let (rc, text) = render_error(style, &CliError::other(ErrorKind::General, &message));
    (rc, partial, text)
}

/// `--page-size` goes into the paginator's limit member in that member's
/// type: a string for Route 53's `MaxItems`, as botocore's paginator passes
/// the value the CLI parsed with the member's type.
fn string_limit(
    params: &mut Map<String, Value>,
    limit: &str,
    input: Option<&aws_mcp_core::catalog::Shape>,
    shapes: &std::collections::HashMap<aws_mcp_core::catalog::Name, aws_mcp_core::catalog::Shape>,
) {
    let is_string = input
        .and_then(|sh| sh.member_ref(limit))
        .and_then(|m| shapes.get(&m.shape))
        .is_some_and(|t| t.shape_type == aws_mcp_core::catalog::ShapeType::String);
    if let (true, Some(Value::Number(n))) = (is_string, params.get(limit)) {
        let s = n.to_string();
        params.insert(limit.to_string(), Value::String(s));
    }
}

struct Call<'a> {
    /// Whether any failure after sending may be retried: a read, or a write
    /// whose idempotency token (the same in every attempt) lets the service
    /// apply it once. Otherwise only failures that prove the request was not
    /// acted on are retried (see [`Call::once`]).
    retry_blindly: bool,
    /// `aws <service> <operation>`, for messages.
    display: String,
    model: &'a ServiceModel<'a>,
    op_name: &'a str,
    op: &'a OperationModel,
    ep: &'a endpoint::Resolved,
    region: &'a str,
    creds: Option<&'a aws_credential_types::Credentials>,
    s3: bool,
    timestamps: TimestampMode,
    /// How the AWS CLI of this executor prints errors (a waiter's failure).
    style: ErrorStyle,
    signing_default: String,
    service: &'a str,
    checksums: Calculation,
    retry: retry::Policy,
    quota: &'a retry::Quota,
    limiter: &'a retry::RateLimiter,
    /// The body, when a streaming input comes from a file.
    body: Option<Bytes>,
    /// Where a streaming output goes.
    outfile: Option<&'a paramfiles::OutFile<'a>>,
}

/// One API call's answer after retries.
struct Answer {
    /// The HTTP status of the last attempt.
    status: u16,
    /// The parsed page, or the API error (with its modeled fields).
    result: Result<Value, ApiFailure>,
    /// The retries made, when they stopped because the attempts ran out
    /// (the CLI's message then says `(reached max retries: N)`).
    max_retries: Option<u32>,
}

/// The machine's UTC offset at an instant (`TZ`, else the system's zone),
/// as Python's `tzlocal()` gives it to the AWS CLI's ISO 8601 timestamps.
fn local_offset(secs: i64) -> i32 {
    use chrono::{Offset as _, TimeZone as _};
    chrono::Local
        .timestamp_opt(secs, 0)
        .earliest()
        .map(|t| t.offset().fix().local_minus_utc())
        .unwrap_or(0)
}

/// An API error and the modeled fields of its error shape.
type ApiFailure = (aws_mcp_wire::protocol::ApiError, Option<Value>);

impl Call<'_> {
    /// One API call with retries (the `retry` module's policy: mode,
    /// attempts, backoff, quota, rate limiter): the last answer.
    ///
    /// The request (and its idempotency token) is built once and sent again
    /// as is. Reads and writes that carry an idempotency token are retried
    /// after connection errors and the errors the retry mode retries, as
    /// botocore does. Any other write is retried only when the request surely
    /// did not reach the service (the connection could not be made) or the
    /// service said it refused it unprocessed (429, throttling): after a lost
    /// response or a 5xx it may have been applied, and sending it again could
    /// apply it twice (two messages, a second user), so the error says so
    /// instead.
    async fn once(
        &self,
        client: &transport::HttpClient,
        params: &Map<String, Value>,
    ) -> Result<Answer, NativeError> {
        let mut opts = SerializeOptions::default();
        opts.idempotency_token = Some(uuid::Uuid::new_v4().to_string());
        opts.checksum_calculation = self.checksums;
        opts.external_payload = self.body.is_some();
        let mut req = serialize(self.model, self.op_name, self.op, params, &opts)
            .map_err(|e| NativeError::Request(e.to_string()))?;
        handlers::before_call(
            self.service,
            self.op_name,
            self.model.metadata.api_version.as_deref(),
            &mut req,
        );
        handlers::recursion_detection(&mut req, |k| std::env::var(k).ok());
        let url = join_url(&self.ep.url, &req.path, req.host_prefix.as_deref());
        // A streaming input from a file: the body, and the flexible
        // checksum over its bytes (the serializer left it to us).
        if let Some(file_body) = &self.body {
            let input = self
                .op
                .input
                .as_ref()
                .and_then(|r| self.model.shapes.get(&r.shape));
            let extra = aws_mcp_wire::protocol::checksum::request_checksum_headers(
                self.op,
                input,
                params,
                &req.headers,
                file_body,
                self.checksums,
            )
            .map_err(|e| NativeError::Request(e.to_string()))?;
            req.headers.extend(extra);
        }
        let body = self
            .body
            .clone()
            .unwrap_or_else(|| Bytes::from(req.body.clone()));
        let policy = self.retry;
        let adaptive = policy.mode() == retry::RetryMode::Adaptive;
        let quota = policy.mode() != retry::RetryMode::Legacy;
        // What the last retry took from the quota (given back on success).
        let mut taken: Option<u32> = None;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if adaptive {
                let wait = self.limiter.wait_before_send();
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let mut builder = http::Request::builder()
                .method(req.method.as_str())
                .uri(&url);
            for (k, v) in req.headers.iter().chain(&self.ep.headers) {
                builder = builder.header(k, v);
            }
            builder = builder.header(
                "User-Agent",
                concat!("aws-mcp/", env!("CARGO_PKG_VERSION"), " native"),
            );
            // botocore's AWSRequestPreparer: every method but GET, HEAD and
            // OPTIONS says its length, 0 included (S3 answers a PUT without
            // one with 411 Length Required).
            if !matches!(req.method.as_str(), "GET" | "HEAD" | "OPTIONS")
                && !req
                    .headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            {
                builder = builder.header("Content-Length", body.len());
            }
            let mut hreq = builder
                .body(Full::new(body.clone()))
                .map_err(|e| NativeError::Request(e.to_string()))?;
            if let Some(creds) = self.creds {
                let name = self
                    .ep
                    .signing_name
                    .as_deref()
                    .unwrap_or(&self.signing_default);
                let region = self.ep.signing_region.as_deref().unwrap_or(self.region);
                let spec = transport::SignSpec {
                    name,
                    region,
                    s3: self.s3 || self.ep.disable_double_encoding,
                };
                transport::sign_request(&mut hreq, &body, creds, &spec)?;
            }
            let sent = match self.outfile {
                Some(o) => o.receive(client, hreq).await,
                None => client.send(hreq, MAX_BODY).await,
            };
            let (status, headers, body) = match sent {
                Ok(r) => r,
                Err(transport::SendError::Failed(e)) => return Err(e),
                Err(transport::SendError::MaybeSent(e)) if !self.retry_blindly => {
                    return Err(NativeError::MaybeApplied(format!(
                        "the connection was lost after the request was sent ({e}); `{}` changes something and carries no idempotency token, so it was not sent again: the request may have been applied. Check whether it took effect (list or describe what it creates or changes) before running it again",
                        self.display
                    )));
                }
                Err(transport::SendError::NotSent(e) | transport::SendError::MaybeSent(e)) => {
                    if attempt >= policy.max_attempts() {
                        return Err(NativeError::Http(e));
                    }
                    if adaptive {
                        self.limiter.record(false);
                    }
                    let cost = if e.contains("timeout") {
                        retry::Quota::TIMEOUT_COST
                    } else {
                        retry::Quota::RETRY_COST
                    };
                    if quota && !self.quota.acquire(cost) {
                        return Err(NativeError::Http(e));
                    }
                    taken = Some(cost);
                    tracing::debug!(attempt, error = %e, "retrying after a connection error");
                    tokio::time::sleep(policy.delay(attempt, retry::random())).await;
                    continue;
                }
            };
            let resp = HttpResponse {
                status,
                headers: &headers,
                body: &body,
            };
            let mut popts = ParseOptions::CLI;
            popts.timestamps = self.timestamps;
            popts.local_offset = Some(LocalOffset(local_offset));
            let parsed =
                parse_response(self.model, self.op_name, self.op, &resp, &popts).map_err(|e| {
                    match e {
                        ProtocolError::InvalidXml { .. } => NativeError::Cli(e.to_string()),
                        e => NativeError::Response(e.to_string()),
                    }
                })?;
            if adaptive {
                let throttled = parsed
                    .as_ref()
                    .err()
                    .is_some_and(|e| retry::is_throttling(&e.code));
                self.limiter.record(throttled);
            }
            let mut max_retries = None;
            let mut note = None;
            match &parsed {
                Err(err) => {
                    let retryable = policy.retryable(status, &err.code);
                    // A write without an idempotency token is sent again only
                    // when the service says it did not act on it.
                    let unprocessed = status == 429 || transport::not_processed_code(&err.code);
                    let safe = self.retry_blindly || unprocessed;
                    if attempt < policy.max_attempts()
                        && retryable
                        && safe
                        && (!quota || self.quota.acquire(retry::Quota::RETRY_COST))
                    {
                        taken = Some(retry::Quota::RETRY_COST);
                        tracing::debug!(attempt, code = %err.code, "retrying");
                        tokio::time::sleep(policy.delay(attempt, retry::random())).await;
                        continue;
                    }
                    if !safe && (retryable || status >= 500) {
                        // The service failed while it handled the write.
                        note = Some(format!(
                            " (not retried: `{}` carries no idempotency token, and the request may have been applied; check whether it took effect before running it again)",
                            self.display
                        ));
                    } else if policy.exhausted(attempt, retryable) {
                        max_retries = Some(attempt - 1);
                    }
                }
                Ok(_) if quota && (200..300).contains(&status) => {
                    self.quota.release(taken.unwrap_or(1));
                }
                Ok(_) => {}
            }
            let result = parsed.map_err(|mut err| {
                // botocore's second pass: the error shape's modeled fields.
                let details =
                    parse_error_details(self.model, self.op, &resp, &err, &popts).unwrap_or(None);
                if let Some(note) = &note {
                    err.message.push_str(note);
                }
                (err, details)
            });
            return Ok(Answer {
                status,
                result,
                max_retries,
            });
        }
    }
}

/// Run a waiter: call its operation, hand each answer to the wire crate's
/// state machine, sleep its delay between attempts. Success prints nothing
/// (exit 0); a failure prints the CLI's `Waiter X failed: ...` (exit 255).
/// An attempt that would start after `deadline` is not made: the wait stops
/// with [`NativeError::WaitTimedOut`]. Cancellation drops the future (in a
/// sleep or a call).
async fn wait(
    call: &Call<'_>,
    client: &transport::HttpClient,
    params: &Map<String, Value>,
    model: &aws_mcp_core::catalog::WaiterModel,
    applied: quirks::Applied,
    deadline: Instant,
    progress: &dyn ProgressSink,
) -> Result<(i32, String, String), NativeError> {
    use aws_mcp_wire::waiter::{Polled, Step, Waiter};
    let mut waiter = Waiter::new(model).map_err(|e| NativeError::Unsupported(e.to_string()))?;
    loop {
        let Answer { status, result, .. } = call.once(client, params).await?;
        let answer = result.map(|v| quirks::after_response(call.op_name, applied, v));
        let step = match &answer {
            Ok(output) => waiter.observe(Polled::Output { status, output }),
            Err((e, _)) => waiter.observe(Polled::Error {
                status: e.status,
                code: &e.code,
                message: &e.message,
            }),
        };
        match step {
            Step::Success => {
                progress.report(Progress {
                    done: u64::from(waiter.attempts()),
                    total: Some(u64::from(waiter.max_attempts())),
                    message: format!(
                        "waiter {}: success after {} attempt(s)",
                        waiter.name(),
                        waiter.attempts()
                    ),
                });
                return Ok((0, String::new(), String::new()));
            }
            Step::Failure(f) => {
                // botocore's WaiterError: a general error for the CLI.
                let (rc, text) = render_error(
                    call.style,
                    &CliError::other(ErrorKind::General, &f.to_string()),
                );
                return Ok((rc, String::new(), text));
            }
            Step::Retry(delay) => {
                if Instant::now() + delay >= deadline {
                    return Err(NativeError::WaitTimedOut {
                        waiter: waiter.name().to_string(),
                        attempts: waiter.attempts(),
                        max_attempts: waiter.max_attempts(),
                        delay_seconds: delay.as_secs(),
                    });
                }
                progress.report(Progress {
                    done: u64::from(waiter.attempts()),
                    total: Some(u64::from(waiter.max_attempts())),
                    message: format!(
                        "waiter {}: attempt {} of {} did not reach the state; next in {} s",
                        waiter.name(),
                        waiter.attempts(),
                        waiter.max_attempts(),
                        delay.as_secs()
                    ),
                });
                tokio::time::sleep(delay).await;
            }
        }
    }
}

#[async_trait::async_trait]
impl Executor for NativeExecutor {
    async fn execute(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError> {
        self.execute_with_progress(command, options, &NoProgress)
            .await
    }

    async fn execute_with_progress(
        &self,
        command: &ValidatedCommand,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<ExecOutput, ExecError> {
        let start = Instant::now();
        if command.kind() == CommandKind::Custom {
            let run =
                tokio::time::timeout(options.timeout, self.run_custom(command, options)).await;
            let p = match run {
                Err(_) => {
                    return Err(ExecError::Timeout {
                        seconds: options.timeout.as_secs(),
                    })
                }
                Ok(Err(NativeError::Unsupported(why))) => return Err(ExecError::Config(why)),
                Ok(Err(e)) => {
                    let style = self
                        .cli
                        .error_style(command.globals().cli_error_format.as_deref());
                    let (code, err) =
                        render_error(style, &CliError::other(e.cli_kind(), &e.to_string()));
                    s3::Printed {
                        code,
                        err_total: err.len() as u64,
                        err,
                        ..Default::default()
                    }
                }
                Ok(Ok(p)) => p,
            };
            let stdout = cap_output(p.out.as_bytes(), options.output_cap, p.out_total);
            let stderr = cap_output(p.err.as_bytes(), options.error_cap, p.err_total);
            return Ok(ExecOutput::from_streams(
                Some(p.code),
                stdout,
                stderr,
                start.elapsed(),
            ));
        }
        let run = tokio::time::timeout(
            options.timeout,
            self.run_with_progress(command, options, progress),
        )
        .await;
        let (code, out, err) = match run {
            Err(_) => {
                return Err(ExecError::Timeout {
                    seconds: options.timeout.as_secs(),
                });
            }
            Ok(Ok(r)) => r,
            Ok(Err(NativeError::Unsupported(why))) => return Err(ExecError::Config(why)),
            Ok(Err(NativeError::WaitTimedOut {
                waiter,
                attempts,
                max_attempts,
                delay_seconds,
            })) => {
                return Err(ExecError::WaitTimedOut {
                    waiter,
                    attempts,
                    max_attempts,
                    delay_seconds,
                    seconds: options.timeout.as_secs(),
                    longest_seconds: delay_seconds * u64::from(max_attempts),
                })
            }
            Ok(Err(e)) => {
                let style = self
                    .cli
                    .error_style(command.globals().cli_error_format.as_deref());
                let (rc, text) =
                    render_error(style, &CliError::other(e.cli_kind(), &e.to_string()));
                (rc, String::new(), text)
            }
        };
        let stdout = cap_output(out.as_bytes(), options.output_cap, out.len() as u64);
        let stderr: Capped = cap_output(err.as_bytes(), options.error_cap, err.len() as u64);
        Ok(ExecOutput::from_streams(
            Some(code),
            stdout,
            stderr,
            start.elapsed(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::Validator;

    fn support(cmd: &str) -> Result<(), NativeError> {
        let c = Validator::new(Catalog::embedded())
            .validate(cmd)
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        native_support(Catalog::embedded(), &c)
    }

    fn reason(cmd: &str) -> String {
        match support(cmd) {
            Err(NativeError::Unsupported(why)) => why,
            other => panic!("{cmd}: {other:?}"),
        }
    }

    #[test]
    fn generated_operations_of_the_five_protocols_are_native() {
        for cmd in [
            "aws s3api list-objects-v2 --bucket b",
            "aws ec2 describe-instances --filters Name=tag:a,Values=b",
            "aws iam list-users --output table --query Users[].UserName",
            "aws dynamodb list-tables --max-items 5",
            "aws lambda list-functions",
            "aws ec2 run-instances --image-id ami-1 --count 2",
            "aws cognito-identity get-id --identity-pool-id us-east-1:x",
            "aws ec2 wait instance-running --instance-ids i-1",
            "aws s3api wait bucket-exists --bucket b",
            "aws dynamodb wait table-exists --table-name t",
        ] {
            assert_eq!(support(cmd), Ok(()), "{cmd}");
        }
    }

    /// Every argument the AWS CLI adds to a generated operation, walked
    /// from the catalog: each one is either reproduced natively (pagination,
    /// EC2's hand-written arguments the validator translates, EC2's
    /// top-level booleans) or sends the command to the `aws` program.
    #[test]
    fn every_cli_argument_of_generated_operations_is_native_or_routed() {
        use std::collections::BTreeMap;
        let mut native: BTreeMap<String, usize> = BTreeMap::new();
        let mut routed: BTreeMap<String, usize> = BTreeMap::new();
        let mut operations = 0;
        for svc in Catalog::embedded().services() {
            for cmd in svc.commands() {
                if cmd.kind() != CommandKind::Operation {
                    continue;
                }
                operations += 1;
                let args = cmd.args().expect("args decode");
                for arg in args.iter() {
                    let c = cli_argument(svc, cmd.name(), args, arg);
                    if arg.kind != ArgKind::Member {
                        assert!(c.is_some(), "{} {} --{}", svc.name(), cmd.name(), arg.name);
                    }
                    let key = match (&*arg.name, arg.kind) {
                        (n, ArgKind::Pagination) => n.to_string(),
                        ("generate-cli-skeleton" | "cli-input-json" | "outfile", _) => {
                            arg.name.to_string()
                        }
                        (n, _) => format!("{} {} --{n}", svc.name(), cmd.name()),
                    };
                    match c {
                        Some(CliArgument::Native(_)) => *native.entry(key).or_default() += 1,
                        Some(CliArgument::NotNative(_)) => *routed.entry(key).or_default() += 1,
                        None => {}
                    }
                }
            }
        }
        // Every generated operation has a skeleton (routed) and a JSON
        // input (native).
        assert!(operations > 20_000, "{operations}");
        assert!(routed["generate-cli-skeleton"] > 20_000);
        assert_eq!(native["cli-input-json"], routed["generate-cli-skeleton"]);
        assert!(!routed.contains_key("cli-input-json"));
        // Native: the three pagination arguments, the JSON input, EC2's
        // hand-written arguments the validator translates, EC2's top-level
        // booleans.
        assert!(native["max-items"] > 3_000 && native["starting-token"] == native["max-items"]);
        assert!(native["page-size"] > 3_000);
        for (c, a) in EC2_NATIVE {
            assert_eq!(
                native.get(&format!("ec2 {c} --{a}")),
                Some(&1),
                "ec2 {c} --{a}"
            );
        }
        let flags = native.keys().filter(|k| k.contains("ec2 modify-")).count();
        assert!(flags >= 30, "{flags} EC2 top-level booleans");
        // The streaming output's file (s3api get-object, ebs get-snapshot-block, ...).
        assert!(native["outfile"] >= 10, "{}", native["outfile"]);
        // CodeDeploy's revision locations, EMR's list-clusters filters and
        // add-tags --tags, cloudwatch put-metric-data's metric arguments and
        // Lambda's --zip-file, translated by the validator and read by
        // paramfiles.
        let translated = native
            .keys()
            .filter(|k| {
                k.starts_with("deploy ")
                    || k.starts_with("emr ")
                    || k.starts_with("cloudwatch put-metric-data ")
                    || k.ends_with("--zip-file")
                    || k.ends_with("--code")
                    || k.ends_with("--content")
            })
            .count();
        assert_eq!(translated, 6 + 7 + 7 + 2 + 2, "{native:#?}");
        // iot's QueryOutFileArguments, saved from the response.
        let saved = native.keys().filter(|k| k.starts_with("iot ")).count();
        assert_eq!(saved, 4, "{native:#?}");
        // The arguments `custom` modules translate.
        for (api, c, a) in CUSTOM_TRANSLATED {
            let svc = if *api == "config" {
                "configservice"
            } else {
                api
            };
            assert_eq!(
                native.get(&format!("{svc} {c} --{a}")),
                Some(&1),
                "{c} --{a}"
            );
        }
        assert_eq!(
            native.len(),
            5 + EC2_NATIVE.len() + flags + translated + saved + CUSTOM_TRANSLATED.len(),
            "{native:#?}"
        );
        // A blob payload is streamed as botocore does (lambda invoke's
        // `Payload`); the `outfile`s left are customizations of their own
        // (iam create-virtual-mfa-device's QR code or seed, s3api
        // select-object-content's event stream).
        assert_eq!(routed.get("outfile"), Some(&2), "{routed:#?}");
        let lambda = Catalog::embedded().service("lambda").expect("lambda");
        assert!(has_streaming_output(lambda, "invoke"));
        assert!(!has_streaming_output(lambda, "get-function"));
        // Everything else the CLI adds is routed, EC2's included.
        for k in [
            "ec2 bundle-instance --bucket",
            "ec2 bundle-instance --owner-sak",
            "ec2 get-password-data --priv-launch-key",
            "ses send-email --to",
            "configservice put-configuration-recorder --recording-group",
        ] {
            assert_eq!(routed.get(k), Some(&1), "{k}");
        }
        for (s, c, a) in CUSTOMIZED_MEMBERS {
            let svc = Catalog::embedded()
                .services()
                .find(|x| x.api_name() == Some(s))
                .expect("service");
            assert_eq!(
                routed.get(&format!("{} {c} --{a}", svc.name())),
                Some(&1),
                "{s} {c} {a}"
            );
        }
    }

    #[test]
    fn cli_arguments_decide_the_executor() {
        for cmd in [
            "aws ec2 run-instances --image-id ami-1 --count 2:3 --associate-public-ip-address",
            "aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 10.0.0.0/8",
            "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --no-enable-dns-support",
            "aws iam list-users --max-items 5 --page-size 2",
            "aws ec2 describe-vpcs --cli-input-json {}",
            "aws lambda create-function --function-name f --role r --runtime python3.12 --handler h --code S3Bucket=bucket,S3Key=k",
            "aws lambda create-function --function-name f --role r --runtime python3.12 --handler h --zip-file fileb://f.zip",
            "aws lambda publish-layer-version --layer-name l --zip-file fileb://layer.zip",
            r#"aws iam get-user --cli-input-json '{"UserName":"u"}'"#,
            "aws iam create-user --cli-input-json file://user.json",
            // Arguments awscli adds, run by a `custom` module.
            "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role/r --recording-group allSupported=true",
            "aws cloudfront create-invalidation --distribution-id E1 --paths /a /b",
            "aws datapipeline put-pipeline-definition --pipeline-id df-1 --pipeline-definition file://d.json",
        ] {
            assert_eq!(support(cmd), Ok(()), "{cmd}");
        }
        for (cmd, why) in [
            ("aws ec2 terminate-instances --instance-ids i-349d5d8131ca68750 --generate-cli-skeleton", "JSON template"),
            ("aws ec2 describe-vpcs --generate-cli-skeleton", "JSON template"),
            ("aws ec2 describe-vpcs --generate-cli-skeleton output", "JSON template"),
            ("aws iam list-users --generate-cli-skeleton", "JSON template"),
            ("aws ec2 bundle-instance --instance-id i-1 --bucket b --prefix p --owner-akid a --owner-sak s", "customization"),
            ("aws configservice put-configuration-recorder --configuration-recorder name=default,recordingGroup={allSupported=true}", "recordingGroup"),
            ("aws cloudfront create-invalidation --distribution-id E1 --paths /a --invalidation-batch Paths={Quantity=1,Items=[/a]},CallerReference=x", "mutual-exclusion"),
        ] {
            let r = reason(cmd);
            assert!(r.contains(why), "{cmd}: {r}");
        }
    }

    #[test]
    fn cli_output_settings() {
        let v1 = CliOutput::new(Dialect::V1);
        let mut v2 = CliOutput::new(Dialect::V2);
        assert_eq!(v1.timestamps(), Ok(TimestampMode::Raw));
        assert_eq!(v2.timestamps(), Ok(TimestampMode::Iso8601));
        for (fmt, want1, want2) in [
            ("wire", Some(TimestampMode::Raw), Some(TimestampMode::Raw)),
            ("none", Some(TimestampMode::Raw), None),
            (
                "iso8601",
                Some(TimestampMode::Iso8601),
                Some(TimestampMode::Iso8601),
            ),
            ("bogus", None, None),
        ] {
            let mut a = v1.clone();
            a.timestamp_format = Some(fmt.into());
            assert_eq!(a.timestamps().ok(), want1, "v1 {fmt}");
            let mut b = v2.clone();
            b.timestamp_format = Some(fmt.into());
            assert_eq!(b.timestamps().ok(), want2, "v2 {fmt}");
        }
        let mut b = v2.clone();
        b.timestamp_format = Some("none".into());
        let (kind, msg) = b.timestamps().unwrap_err();
        assert_eq!(kind, ErrorKind::Configuration);
        assert!(msg.contains(r#""wire" or "iso8601""#), "{msg}");
        assert_eq!(v1.error_style(Some("json")), ErrorStyle::V1);
        assert_eq!(v2.error_style(None), ErrorStyle::V2(ErrorFormat::Enhanced));
        assert_eq!(
            v2.error_style(Some("json")),
            ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Json))
        );
        v2.error_format = Some("legacy".into());
        assert_eq!(v2.error_style(None), ErrorStyle::V2(ErrorFormat::Legacy));
        assert_eq!(
            v2.error_style(Some("table")),
            ErrorStyle::V2(ErrorFormat::Structured(OutputFormat::Table))
        );
        v2.version = Some("2.9.19".into());
        assert_eq!(v2.error_style(Some("json")), ErrorStyle::V2Legacy);
    }

    #[test]
    fn local_files_and_the_s3_commands_are_native() {
        for cmd in [
            "aws s3 ls",
            "aws s3 cp a.txt s3://b/ --recursive --exclude * --include *.txt",
            "aws s3 sync s3://b/p out --delete --size-only",
            "aws s3 presign s3://b/k --expires-in 60",
            "aws s3api get-object --bucket b --key k out.txt",
            "aws s3api put-object --bucket b --key k --body f.bin",
            "aws iam create-policy --policy-name p --policy-document file://p.json",
            "aws kms encrypt --key-id k --plaintext fileb://x.bin",
            "aws dynamodb put-item --table-name t --item file://item.json",
        ] {
            assert_eq!(support(cmd), Ok(()), "{cmd}");
        }
    }

    #[test]
    fn what_is_left_to_the_aws_program_says_why() {
        for (cmd, why) in [
            ("aws sts get-caller-identity --ca-bundle /tmp/ca.pem", "local file"),
            ("aws sts get-caller-identity --no-verify-ssl", "--no-verify-ssl"),
            ("aws s3 cp - s3://b/k --recursive", "streaming"),
            ("aws s3 mv s3://b/k -", "streaming"),
            ("aws s3 cp a s3://b/ --case-conflict warn", "--case-conflict"),
            ("aws s3 cp a s3://b/ --checksum-algorithm SHA256", "--checksum-algorithm"),
            ("aws s3 cp a s3://b/ --metadata file://m.json", "--metadata"),
            ("aws sns publish --topic-arn a --message m --message-attributes k={DataType=String,StringValue@=file://x}", "inside a value"),
        ] {
            let r = reason(cmd);
            assert!(r.contains(why), "{cmd}: {r}");
        }
    }
}
