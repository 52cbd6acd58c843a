//! The validated command: the one value that flows from the validator to the
//! classifier, the policy and the executor.
//!
//! It is plain data (serde-serializable) so that adapters can print it
//! (`aws-mcp check`), return it to Python and JavaScript, and hand it to an
//! executor without re-parsing anything.

use serde::{Deserialize, Serialize};

use crate::catalog::CommandKind;

/// A command that exists in the catalog and whose arguments have the right
/// names and types.
///
/// Only the validator ([`crate::validate`](mod@crate::validate)) makes one, so holding a
/// `ValidatedCommand` proves the command was checked: its fields are private
/// (read them with the accessors) and it cannot be deserialized. It
/// serializes, so adapters can print what was validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedCommand {
    /// The top-level command as the CLI spells it (`s3api`, `ec2`, `s3`).
    pub(crate) service: String,
    /// The command's name after the service (`list-objects-v2`,
    /// `wait instance-running`, `cp`; empty for `aws configure` alone).
    pub(crate) operation: String,
    /// Generated operation, customization or waiter.
    pub(crate) kind: CommandKind,
    /// The botocore service and operation, for generated commands and waiters.
    pub(crate) api: Option<ApiOperation>,
    /// The region the command will use: `--region` if given, else `None`
    /// (the executor applies the configured default).
    pub(crate) region: Option<String>,
    /// The global options given on the command line.
    pub(crate) globals: GlobalOptions,
    /// API parameters keyed by the API member names, with typed JSON values
    /// (numbers, booleans, structures, lists, maps), exactly as the AWS CLI
    /// would pass them to botocore. Empty for customizations, whose
    /// arguments are in [`ValidatedCommand::args`].
    pub(crate) parameters: serde_json::Map<String, serde_json::Value>,
    /// Every command argument as given, under its full CLI name (positional
    /// arguments under their catalog name, such as `paths`), in order.
    pub(crate) args: Vec<GivenArg>,
    /// Typed values of the customization arguments that take a structure,
    /// map or list (`s3 cp --metadata k=v` → `{"metadata": {"k": "v"}}`),
    /// parsed from shorthand or JSON as awscli parses them; keyed by the
    /// argument's CLI name (the last occurrence wins, as in argparse).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub(crate) custom_values: serde_json::Map<String, serde_json::Value>,
    /// Local files the command would read or write.
    pub(crate) local_paths: Vec<LocalPath>,
    /// The words after `aws`, normalized (full option names, `--opt=value`
    /// split), ready to hand to the `aws` program without a shell.
    pub(crate) argv: Vec<String>,
    /// Non-fatal remarks of the validator (a value outside the pinned
    /// model's enum when enum checks only note; see `EnumCheck`).
    #[serde(default)]
    pub(crate) notes: Vec<String>,
    /// Set when the command asks for `help` (`aws ec2 help`,
    /// `aws ec2 describe-instances help`): nothing is called, the help is
    /// rendered from the catalog (see [`crate::help`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) help: Option<crate::help::HelpTopic>,
    /// Validated by [`Validator::validate_internal_words`](crate::Validator::validate_internal_words)
    /// (an executor's API call for a customization), which also accepts
    /// the API operations awscli removes from its command table.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) internal: bool,
}

impl ValidatedCommand {
    /// The top-level command as the CLI spells it (`s3api`, `ec2`, `s3`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The command's name after the service (`list-objects-v2`,
    /// `wait instance-running`, `cp`; empty for `aws configure` alone).
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Generated operation, customization or waiter.
    pub fn kind(&self) -> CommandKind {
        self.kind
    }

    /// Whether the command was validated by
    /// [`Validator::validate_internal_words`](crate::Validator::validate_internal_words)
    /// (an executor's API call for a customization, which may name an API
    /// operation awscli removes from its table): look its catalog command
    /// up with [`Service::command_of`](crate::catalog::Service::command_of).
    pub fn internal(&self) -> bool {
        self.internal
    }

    /// The botocore service and operation, for generated commands and waiters.
    pub fn api(&self) -> Option<&ApiOperation> {
        self.api.as_ref()
    }

    /// The region the command will use: `--region` if given, else `None`
    /// (the executor applies the configured default).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The global options given on the command line.
    pub fn globals(&self) -> &GlobalOptions {
        &self.globals
    }

    /// API parameters keyed by the API member names, with typed JSON values
    /// (numbers, booleans, structures, lists, maps), exactly as the AWS CLI
    /// would pass them to botocore. Empty for customizations, whose
    /// arguments are in [`ValidatedCommand::args`].
    ///
    /// A blob is a string whose UTF-8 bytes are the data (what AWS CLI v1,
    /// and v2 with `raw-in-base64-out`, send for the text given; what v2
    /// decodes from base64 when that is text), or, for bytes that are not
    /// UTF-8 (a `fileb://` file, base64 AWS CLI v2 decoded),
    /// `{"$bytes": "<base64>"}` (see [`blob_value`] and [`blob_bytes`]).
    pub fn parameters(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.parameters
    }

    /// Every command argument as given, under its full CLI name (positional
    /// arguments under their catalog name, such as `paths`), in order.
    pub fn args(&self) -> &[GivenArg] {
        &self.args
    }

    /// Typed values of the customization arguments that take a structure,
    /// map or list (`s3 cp --metadata k=v` → `{"metadata": {"k": "v"}}`),
    /// keyed by the argument's CLI name.
    pub fn custom_values(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.custom_values
    }

    /// Local files the command would read or write.
    pub fn local_paths(&self) -> &[LocalPath] {
        &self.local_paths
    }

    /// The words after `aws`, normalized (full option names, `--opt=value`
    /// split), ready to hand to the `aws` program without a shell.
    pub fn argv(&self) -> &[String] {
        &self.argv
    }

    /// Non-fatal remarks of the validator (a value outside the pinned
    /// model's enum when enum checks only note; see `EnumCheck`).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// What help the command asks for, when it is a `help` command (it
    /// calls nothing; [`crate::help::render`] answers it).
    pub fn help(&self) -> Option<&crate::help::HelpTopic> {
        self.help.as_ref()
    }

    /// The regions the command runs in when it names several
    /// (`--region '*'`, `--region a,b`).
    pub fn regions(&self) -> Option<&RegionSet> {
        self.globals.regions.as_ref()
    }

    /// The same command for one region of its [`ValidatedCommand::regions`]:
    /// `--region` set to `region` (which must be a region the caller chose
    /// from the set or from the account's enabled regions), the set removed.
    pub fn for_region(&self, region: &str) -> ValidatedCommand {
        let mut c = self.clone();
        c.region = Some(region.to_string());
        c.globals.region = Some(region.to_string());
        c.globals.regions = None;
        let mut argv = Vec::with_capacity(c.argv.len());
        let mut words = c.argv.iter();
        let mut set = false;
        while let Some(w) = words.next() {
            if w == "--region" {
                words.next();
                if !set {
                    argv.push("--region".to_string());
                    argv.push(region.to_string());
                    set = true;
                }
            } else {
                argv.push(w.clone());
            }
        }
        if !set {
            argv.push("--region".to_string());
            argv.push(region.to_string());
        }
        c.argv = argv;
        c
    }
}

/// A botocore service and operation name (`s3`, `ListObjectsV2`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiOperation {
    /// botocore's service name.
    pub service: String,
    /// botocore's operation name.
    pub operation: String,
}

/// Several regions to run one command in: `--region '*'` (every region
/// enabled for the account) or `--region us-east-1,eu-west-1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegionSet {
    /// `*`: every region enabled for the account.
    All,
    /// The regions listed, in the order given (duplicates removed).
    List(Vec<String>),
}

/// The AWS CLI's global options, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GlobalOptions {
    /// `--region` (one region; see `regions` for several).
    pub region: Option<String>,
    /// `--region '*'` or a comma-separated list of regions: the command
    /// runs once per region (`region` is then unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<RegionSet>,
    /// `--output` (`json`, `text`, `table`).
    pub output: Option<String>,
    /// `--query` (a JMESPath expression, already compiled once to check it).
    pub query: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--debug` (prints credentials-bearing request details).
    pub debug: bool,
    /// `--no-paginate`; also set when the command gives one of its
    /// operation's own paging arguments (`route53 list-resource-record-sets
    /// --start-record-name`), which turns the AWS CLI's pagination off.
    pub no_paginate: bool,
    /// `--no-verify-ssl`.
    pub no_verify_ssl: bool,
    /// `--no-sign-request`.
    pub no_sign_request: bool,
    /// `--ca-bundle`.
    pub ca_bundle: Option<String>,
    /// `--color`.
    pub color: Option<String>,
    /// `--cli-read-timeout` in seconds.
    pub cli_read_timeout: Option<i64>,
    /// `--cli-connect-timeout` in seconds.
    pub cli_connect_timeout: Option<i64>,
    /// `--version`.
    pub version: bool,
    /// `--v2-debug`.
    pub v2_debug: bool,
    /// `--cli-binary-format` (AWS CLI v2: `base64`, `raw-in-base64-out`).
    pub cli_binary_format: Option<String>,
    /// `--cli-error-format` (AWS CLI v2).
    pub cli_error_format: Option<String>,
    /// `--no-cli-pager` (AWS CLI v2; nothing is paged here anyway).
    pub no_cli_pager: bool,
    /// `--no-cli-auto-prompt` (AWS CLI v2; nothing prompts here anyway).
    pub no_cli_auto_prompt: bool,
}

/// One argument as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GivenArg {
    /// The full CLI name without `--` (or the positional argument's name).
    pub name: String,
    /// The raw values that followed it (none for a boolean flag).
    pub values: Vec<String>,
}

/// A local file the command would touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LocalPath {
    /// The path as written (after `file://` or `fileb://` is removed), not
    /// yet resolved: the policy resolves `~`, `..` and symlinks.
    pub path: String,
    /// Read or write.
    pub access: PathAccess,
    /// The argument it came from (`cli-input-json`, `paths`, `outfile`, ...).
    pub arg: String,
    /// How it was named.
    pub origin: PathOrigin,
}

/// Whether a local path is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PathAccess {
    /// The command reads the file.
    Read,
    /// The command creates or overwrites the file.
    Write,
}

/// How a local path appeared in the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathOrigin {
    /// A `file://` parameter value (read as text).
    FileUrl,
    /// A `fileb://` parameter value (read as bytes).
    FilebUrl,
    /// A `file://` or `fileb://` reference found inside a shorthand or JSON value.
    Nested,
    /// A local path argument of a customization (`s3 cp ./a s3://b/`).
    Positional,
    /// An output file argument (`outfile` of streaming operations, `--kubeconfig`).
    OutputFile,
    /// A plain path given to an option that reads a file (`--ca-bundle`,
    /// `--template-file`, a streaming blob such as `s3api put-object --body`).
    OptionPath,
}

/// The key of a blob value that holds bytes which are not UTF-8
/// (`{"$bytes": "<base64>"}`, see [`blob_value`]).
pub const BLOB_BYTES_KEY: &str = "$bytes";

/// A blob parameter's value for `bytes`, as the validator writes it into
/// [`ValidatedCommand::parameters`]: the text itself when the bytes are
/// UTF-8 (the text's bytes are the blob, as AWS CLI v1 sends a blob given
/// as text), else `{"$bytes": "<standard base64>"}`.
///
/// The object form keeps a large binary file (a Lambda zip read from
/// `fileb://`) at 4/3 of its size; an array of byte values would take
/// about 70 bytes of memory per byte. The validator types every value a
/// user gives for a blob as text, so the object form is only ever the
/// validator's own.
///
/// ```
/// use aws_mcp_core::command::{blob_bytes, blob_value};
/// let v = blob_value(vec![0xff, 0x00, 0x01]);
/// assert_eq!(v, serde_json::json!({"$bytes": "/wAB"}));
/// assert_eq!(blob_bytes(&v).unwrap().as_ref(), &[0xff, 0x00, 0x01]);
/// assert_eq!(blob_value(b"text".to_vec()), serde_json::json!("text"));
/// ```
pub fn blob_value(bytes: Vec<u8>) -> serde_json::Value {
    use base64::Engine as _;
    match String::from_utf8(bytes) {
        Ok(text) => serde_json::Value::String(text),
        Err(e) => {
            let mut o = serde_json::Map::new();
            o.insert(
                BLOB_BYTES_KEY.into(),
                base64::engine::general_purpose::STANDARD
                    .encode(e.as_bytes())
                    .into(),
            );
            serde_json::Value::Object(o)
        }
    }
}

/// The bytes of a blob value: a string's UTF-8, the decoded
/// `{"$bytes": "<base64>"}` of [`blob_value`], or an array of byte values
/// (`[255, 0, 1]`, accepted from library callers). `None` for anything
/// else.
pub fn blob_bytes(v: &serde_json::Value) -> Option<std::borrow::Cow<'_, [u8]>> {
    use base64::Engine as _;
    use serde_json::Value;
    match v {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_bytes())),
        Value::Object(o) if o.len() == 1 => {
            let b64 = o.get(BLOB_BYTES_KEY)?.as_str()?;
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .ok()
                .map(std::borrow::Cow::Owned)
        }
        Value::Array(items) => items
            .iter()
            .map(|b| b.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect::<Option<Vec<u8>>>()
            .map(std::borrow::Cow::Owned),
        _ => None,
    }
}
