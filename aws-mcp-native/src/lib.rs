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
//!    event streams, bearer auth, hand-written arguments, or one of the
//!    botocore request/response handlers listed in [`NOT_NATIVE`]; and the
//!    high-level `aws s3` commands (the `s3` module, over
//!    [`aws_mcp_wire::s3`]). Local files are read and written here:
//!    parameter files, streaming inputs and output files of generated
//!    operations (`paramfiles`), the local sides of `s3` transfers, all
//!    through [`localfs`], confined like the policy confines them. Anything
//!    else is left to the `aws` subprocess (the stdio server routes it) or
//!    refused with the reason.
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
//!    backoff for throttling, 5xx and connection errors (5 attempts, as the CLI), the
//!    command's timeout over the whole call, cancellation by dropping the
//!    future.
//! 6. **Response**: the core's parser (timestamps and blobs exactly as the
//!    CLI prints them), pagination like botocore's `build_full_result`
//!    (`--max-items`, `--starting-token`, `--page-size`), then `--query` and
//!    `--output` by the core's renderer. API errors print the CLI's message
//!    (`An error occurred (Code) when calling the Op operation: ...`) with
//!    exit code 255, like `aws`.

#![warn(missing_docs)]

mod endpoint;
pub mod localfs;
mod paramfiles;
mod quirks;
mod s3;
mod transport;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use aws_mcp_core::catalog::{ArgKind, Catalog, CommandKind, Dialect, OperationModel, Service};
use aws_mcp_core::command::PathOrigin;
use aws_mcp_core::exec::{cap_output, Capped};
use aws_mcp_core::{ExecError, ExecOptions, ExecOutput, Executor, ValidatedCommand, Validator};
use aws_mcp_wire::endpoint::{Partitions, RuleSet};
use aws_mcp_wire::paginate::{PageRequest, Pages};
use aws_mcp_wire::protocol::parse::{parse_response, ParseOptions};
use aws_mcp_wire::protocol::serialize::{serialize, SerializeOptions};
use aws_mcp_wire::protocol::{HttpResponse, Protocol, ServiceModel};
use aws_mcp_wire::render::{render, render_text_pages, OutputFormat};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{Map, Value};
use tokio::sync::Mutex;

pub use endpoint::{env_suffix, join_url, EndpointEnv};
pub use localfs::{Confinement, LocalFiles};
pub use paramfiles::MAX_FILE_BYTES;
pub use transport::{proxies_from_lookup, Matcher};

/// botocore handlers that change requests or responses of these operations
/// in ways the native executor does not reproduce; they run through the
/// `aws` program instead. `service:*` covers a whole service.
pub const NOT_NATIVE: &[&str] = &[
    "s3:CopyObject",
    "s3:UploadPartCopy",
    "s3:SelectObjectContent",
    "s3:DeleteObjects",
    "s3:PutBucketLifecycleConfiguration",
    "ec2:CopySnapshot",
    "rds:CopyDBClusterSnapshot",
    "rds:CreateDBCluster",
    "rds:CopyDBSnapshot",
    "rds:CreateDBInstanceReadReplica",
    "neptune:*",
    "docdb:*",
    "glacier:*",
    "machinelearning:*",
    "cloudsearchdomain:*",
    "s3control:*",
    "sqs:ReceiveMessage",
];

/// Attempts per request (botocore's legacy retry mode, the AWS CLI v1 default:
/// the first try and 4 retries).
pub const MAX_ATTEMPTS: u32 = 5;

/// The largest response body read (64 MiB); larger bodies are an error.
pub const MAX_BODY: usize = 64 << 20;

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
    #[error("the request failed: {0}")]
    Http(String),
    /// The response body was larger than the limit.
    #[error("the response body is larger than {0} bytes")]
    TooLarge(usize),
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
}

/// Whether `command` can run natively, or why not.
pub fn native_support(catalog: &Catalog, command: &ValidatedCommand) -> Result<(), NativeError> {
    let no = |why: String| Err(NativeError::Unsupported(why));
    if command.service() == "s3" && command.kind() == CommandKind::Custom {
        return s3::support(command).map_err(NativeError::Unsupported);
    }
    if command.kind() != CommandKind::Operation {
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
        .command(command.operation())
        .ok_or_else(|| NativeError::Unsupported("unknown command".into()))?;
    let op = op_model(
        &cmd.detail()
            .map_err(|e| NativeError::Config(e.to_string()))?
            .op,
    )?;
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
            // `outfile` is awscli's streaming-output argument: the executor
            // writes the streaming payload there (checked below).
            let streaming_outfile = given.name == "outfile" && has_streaming_output(op, service);
            if arg.kind == ArgKind::Custom && command.service() != "ec2" && !streaming_outfile {
                return no(format!(
                    "--{} is an AWS CLI argument, not an API parameter",
                    given.name
                ));
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

/// Whether the operation's output has a streaming payload (what awscli's
/// `outfile` argument receives).
fn has_streaming_output(op: &OperationModel, service: Service<'_>) -> bool {
    let Ok(shapes) = service.shapes() else {
        return false;
    };
    op.output
        .as_ref()
        .and_then(|r| shapes.get(&r.shape))
        .is_some_and(|sh| {
            sh.members.iter().any(|(_, m)| {
                m.traits().streaming || shapes.get(&m.shape).is_some_and(|t| t.traits().streaming)
            })
        })
}

/// Why the command's local files keep it from running natively, if they do:
/// parameter files of API parameters, streaming inputs and `outfile` are
/// read and written here ([`paramfiles`]); nested `file://` references and
/// files of the AWS CLI's own arguments are not.
fn local_files_left_to_cli(command: &ValidatedCommand, service: Service<'_>) -> Option<String> {
    let cmd = service.command(command.operation())?;
    let args = cmd.args().ok()?;
    for p in command.local_paths() {
        let member_arg = args.get(&p.arg).is_some_and(|a| a.kind == ArgKind::Member);
        let ok = match p.origin {
            PathOrigin::FileUrl | PathOrigin::FilebUrl => member_arg,
            PathOrigin::OptionPath => member_arg,
            PathOrigin::OutputFile => p.arg == "outfile",
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
    dialect: Dialect,
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
            dialect: Dialect::V1,
            files: LocalFiles::new(Confinement::current_dir()),
            validator: Validator::new(catalog),
        }
    }

    /// The validator parameter files are typed with (the server's, so that
    /// the dialect and v2's binary format are the ones the command was
    /// validated in). Default: [`Validator::new`] in this executor's dialect.
    pub fn with_validator(mut self, v: Validator<'static>) -> NativeExecutor {
        self.validator = v;
        self
    }

    /// Print what this AWS CLI version prints where v1 and v2 differ (the
    /// `s3` commands' exit statuses, messages and presigned URLs).
    /// Default: v1.
    pub fn with_dialect(mut self, dialect: Dialect) -> NativeExecutor {
        self.dialect = dialect;
        self.validator = self.validator.clone().dialect(dialect);
        self
    }

    /// Use local files (the `s3` commands' local paths) as `c` allows:
    /// relative paths from its working directory, nothing outside it unless
    /// access is unrestricted. Default: the process's current directory.
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
        native_support(self.catalog, command)?;
        if command.service() == "s3" && command.kind() == CommandKind::Custom {
            let p = s3::run(self, command, options).await?;
            return Ok((p.code, p.out, p.err));
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
            .command(command.operation())
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
        let profile = g.profile.clone().or_else(|| self.default_profile.clone());
        let region = match command
            .region()
            .map(str::to_string)
            .or_else(|| g.region.clone())
            .or_else(|| self.default_region.clone())
        {
            Some(r) => r,
            None => self
                .identity
                .region(profile.as_deref())
                .await
                .ok_or(NativeError::NoRegion)?,
        };
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
            Some(self.identity.credentials(profile.as_deref()).await?)
        };
        let connect = g
            .cli_connect_timeout
            .filter(|t| *t > 0)
            .map(|t| Duration::from_secs(t as u64))
            .unwrap_or(options.connect_timeout);
        let client = self.client(connect)?;
        let format = match &g.output {
            Some(o) => o
                .parse::<OutputFormat>()
                .map_err(|e| NativeError::Request(e.to_string()))?,
            None => OutputFormat::Json,
        };
        let paginator = detail.paginator.as_deref().filter(|_| !g.no_paginate);
        let mut pages = match paginator {
            Some(p) => {
                let mut w =
                    Pages::new(p, &paging).map_err(|e| NativeError::Request(e.to_string()))?;
                if format == OutputFormat::Text {
                    w.keep_pages();
                }
                Some(w)
            }
            None => None,
        };
        let call = Call {
            model: &model,
            op_name: &api.operation,
            op: &op,
            ep: &ep,
            region: &region,
            creds: creds.as_ref(),
            s3: matches!(api.service.as_str(), "s3" | "s3control"),
            signing_default: md
                .signing_name
                .clone()
                .or_else(|| md.endpoint_prefix.clone())
                .unwrap_or_else(|| api.service.clone()),
            body: prepared.body.clone(),
            outfile: outfile.as_ref(),
            crc32_default: quirks::default_crc32(&api.service, &api.operation),
        };
        let result = loop {
            let mut p = params.clone();
            if let Some(w) = &pages {
                match w.next_request() {
                    Some(extra) => p.extend(extra),
                    None => break Value::Null,
                }
            }
            let page = match call.once(&client, &p).await? {
                Ok(v) => v,
                Err(err) => {
                    let msg = format!(
                        "\nAn error occurred ({}) when calling the {} operation: {}\n",
                        err.code, api.operation, err.message
                    );
                    return Ok((255, String::new(), msg));
                }
            };
            let page = quirks::after_response(&api.operation, applied, page);
            if let Some(o) = &outfile {
                o.commit(&page)?;
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
            (Some(w), _) => render(&w.finish(), format, g.query.as_deref(), &api.operation),
            (None, _) => render(&result, format, g.query.as_deref(), &api.operation),
        }
        .map_err(|e| NativeError::Response(e.to_string()))?;
        Ok((0, text, String::new()))
    }
}

struct Call<'a> {
    model: &'a ServiceModel<'a>,
    op_name: &'a str,
    op: &'a OperationModel,
    ep: &'a endpoint::Resolved,
    region: &'a str,
    creds: Option<&'a aws_credential_types::Credentials>,
    s3: bool,
    signing_default: String,
    /// The body, when a streaming input comes from a file.
    body: Option<Bytes>,
    /// Where a streaming output goes.
    outfile: Option<&'a paramfiles::OutFile<'a>>,
    /// Send a CRC32 of the body unless a checksum header is set (S3 uploads).
    crc32_default: bool,
}

impl Call<'_> {
    /// One API call with retries: the parsed page or the API error.
    async fn once(
        &self,
        client: &transport::HttpClient,
        params: &Map<String, Value>,
    ) -> Result<Result<Value, aws_mcp_wire::protocol::ApiError>, NativeError> {
        let mut opts = SerializeOptions::default();
        opts.idempotency_token = Some(uuid::Uuid::new_v4().to_string());
        let req = serialize(self.model, self.op_name, self.op, params, &opts)
            .map_err(|e| NativeError::Request(e.to_string()))?;
        let url = join_url(&self.ep.url, &req.path, req.host_prefix.as_deref());
        let body = self
            .body
            .clone()
            .unwrap_or_else(|| Bytes::from(req.body.clone()));
        let checksum = (self.crc32_default
            && !req
                .headers
                .iter()
                .any(|(k, _)| k.to_ascii_lowercase().starts_with("x-amz-checksum-")))
        .then(|| quirks::crc32_headers(&body));
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut builder = http::Request::builder()
                .method(req.method.as_str())
                .uri(&url);
            for (k, v) in req
                .headers
                .iter()
                .chain(&self.ep.headers)
                .chain(checksum.iter().flatten())
            {
                builder = builder.header(k, v);
            }
            builder = builder.header(
                "User-Agent",
                concat!("aws-mcp/", env!("CARGO_PKG_VERSION"), " native"),
            );
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
                Err(NativeError::Http(e)) if attempt < MAX_ATTEMPTS => {
                    tracing::debug!(attempt, error = %e, "retrying after a connection error");
                    tokio::time::sleep(transport::backoff(attempt)).await;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let resp = HttpResponse {
                status,
                headers: &headers,
                body: &body,
            };
            let popts = ParseOptions::CLI;
            let parsed = parse_response(self.model, self.op_name, self.op, &resp, &popts)
                .map_err(|e| NativeError::Response(e.to_string()))?;
            if let Err(err) = &parsed {
                if attempt < MAX_ATTEMPTS
                    && (status >= 500 || status == 429 || transport::retryable_code(&err.code))
                {
                    tracing::debug!(attempt, code = %err.code, "retrying");
                    tokio::time::sleep(transport::backoff(attempt)).await;
                    continue;
                }
            }
            return Ok(parsed);
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
        let start = Instant::now();
        if command.service() == "s3" && command.kind() == CommandKind::Custom {
            let run = tokio::time::timeout(options.timeout, s3::run(self, command, options)).await;
            let p = match run {
                Err(_) => {
                    return Err(ExecError::Timeout {
                        seconds: options.timeout.as_secs(),
                    })
                }
                Ok(Err(NativeError::Unsupported(why))) => return Err(ExecError::Config(why)),
                Ok(Err(e)) => s3::Printed {
                    code: 255,
                    err: format!("\n{e}\n"),
                    err_total: e.to_string().len() as u64 + 2,
                    ..Default::default()
                },
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
        let run = tokio::time::timeout(options.timeout, self.run(command, options)).await;
        let (code, out, err) = match run {
            Err(_) => {
                return Err(ExecError::Timeout {
                    seconds: options.timeout.as_secs(),
                });
            }
            Ok(Ok(r)) => r,
            Ok(Err(NativeError::Unsupported(why))) => return Err(ExecError::Config(why)),
            // A parameter file that cannot be read or used: awscli's
            // parameter error (252 in AWS CLI v2).
            Ok(Err(e @ NativeError::File(_))) => {
                let code = if self.dialect == Dialect::V1 {
                    255
                } else {
                    252
                };
                (code, String::new(), format!("\n{e}\n"))
            }
            Ok(Err(e)) => (255, String::new(), format!("\n{e}\n")),
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
        ] {
            assert_eq!(support(cmd), Ok(()), "{cmd}");
        }
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
            ("aws ec2 wait instance-running --instance-ids i-1", "hand-written"),
            ("aws glacier list-vaults --account-id -", "does not reproduce"),
            ("aws sts get-caller-identity --ca-bundle /tmp/ca.pem", "local file"),
            ("aws sts get-caller-identity --no-verify-ssl", "--no-verify-ssl"),
            ("aws lambda invoke --function-name f out.json", "AWS CLI argument"),
            ("aws s3 cp - s3://b/k", "streaming"),
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
