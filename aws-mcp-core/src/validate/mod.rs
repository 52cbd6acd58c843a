//! From a command string to a [`ValidatedCommand`], or a precise error.
//!
//! The pipeline follows the real AWS CLI v1 (awscli's `clidriver.py`,
//! `argprocess.py`, `shorthand.py`, `paramfile.py` and botocore's parameter
//! validation), step by step:
//!
//! 1. [`crate::parse::tokenize`]: shell quoting, no shell operators.
//! 2. The first word is `aws`; `globals` takes the global options wherever
//!    they stand and checks them (`--region` must be a region of a known
//!    partition, `--output`/`--color` choices, `--query` compiles as
//!    JMESPath with the `jmespath` crate).
//! 3. The service and the operation (possibly several words:
//!    `wait instance-running`), with "did you mean" on unknown names.
//! 4. `args` matches the remaining words to the command's arguments with
//!    argparse's rules, full names only.
//! 5. `types` turns the words into typed JSON keyed by API member names,
//!    exactly as awscli builds botocore's parameters (shorthand, JSON,
//!    scalars; `--cli-input-json` merged under the command-line arguments;
//!    pagination arguments into `PaginationConfig`), then checks them as
//!    botocore would (required members, unknown members, types, minimums;
//!    enums per [`EnumCheck`]).
//! 6. `files` records every local path the command would read or write.
//!    `file://`/`fileb://` values are recorded, never read: the validator
//!    does not touch the filesystem, and such a value stays as written in
//!    `parameters`. `http(s)://` values are plain strings (the executor
//!    turns awscli's URL fetching off).
//!
//! Customizations (`s3 cp`, `cloudformation deploy`, ...) are validated for
//! names, arity, choices and value syntax; their `parameters` stay empty
//! because their own code, not a single API call, consumes the arguments.
//! The hand-written arguments of generated operations are translated for EC2
//! (`ec2`: `run-instances --count`, the security-group shortcuts); the
//! others (`ses send-email --to`, ...) are checked and listed in `args`, but
//! not translated into API members.

mod args;
mod cloudwatch;
mod codedeploy;
mod ec2;
mod emr;
mod error;
pub(crate) mod files;
pub(crate) mod globals;
mod lambda;
mod paramfile;
mod shorthand;
pub mod suggest;
mod types;

use serde_json::{Map, Value};

pub use error::{ErrorKind, ValidationError};
pub use paramfile::FileValueError;
pub use types::EnumCheck;

use crate::catalog::{ArgKind, ArgType, Catalog, CommandKind, Dialect, Service, Shape, ShapeType};
use crate::command::{ApiOperation, GivenArg, LocalPath, PathAccess, PathOrigin, ValidatedCommand};
use crate::parse::{tokenize_with_limit, MAX_COMMAND_BYTES};
use args::{looks_like_option, Given};
use types::{Raw, Seg, Typer};

/// Validate one command string against the catalog with the default options.
///
/// # Errors
/// [`ValidationError`]: the first rule of parsing or validation the
/// command breaks, with the closest valid names where there are some.
pub fn validate(catalog: &Catalog, command: &str) -> Result<ValidatedCommand, ValidationError> {
    Validator::new(catalog).validate(command)
}

/// A validator with options; cheap to create, shareable across threads.
#[derive(Debug, Clone)]
pub struct Validator<'c> {
    catalog: &'c Catalog,
    max_command_bytes: usize,
    enum_check: EnumCheck,
    dialect: Dialect,
    binary_format: BinaryFormat,
    cli_version: Option<String>,
}

/// How AWS CLI v2 reads blob parameters (`--cli-binary-format`, or the
/// profile's `cli_binary_format`). AWS CLI v1 always reads them as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BinaryFormat {
    /// v2's default: a blob value is base64, decoded before the call.
    #[default]
    Base64,
    /// `raw-in-base64-out`: a blob value is the bytes of its text, as in v1.
    RawInBase64Out,
}

impl BinaryFormat {
    /// The setting's value (`base64`, `raw-in-base64-out`), or `None` for another word.
    pub fn parse(s: &str) -> Option<BinaryFormat> {
        match s {
            "base64" => Some(BinaryFormat::Base64),
            "raw-in-base64-out" => Some(BinaryFormat::RawInBase64Out),
            _ => None,
        }
    }
}

/// AWS CLI v2 commands that wait for a person at a terminal (a browser
/// sign-in, prompts, an SSH session, an endless stream), with what to do
/// instead. They are refused before any policy: nothing could answer them.
const INTERACTIVE: &[(&str, &str, &str)] = &[
    ("sso", "login", "sign in once in a terminal (`aws sso login`), then call commands with that profile"),
    ("login", "", "sign in once in a terminal (`aws login`), then call commands with that profile"),
    ("configure", "sso", "set the profile up once in a terminal (`aws configure sso`), or write its sso_* settings with `aws configure set`"),
    ("configure", "sso-session", "set the session up once in a terminal, or write it with `aws configure set`"),
    ("configure", "wizard", "write the settings with `aws configure set`"),
    ("configure", "mfa-login", "run it once in a terminal, where the MFA code can be typed"),
    ("configure", "", "write each setting with `aws configure set KEY VALUE`"),
    ("configure", "agent-toolkit", "run it once in a terminal"),
    ("dynamodb", "wizard new-table", "create the table with `aws dynamodb create-table`"),
    ("dynamodb", "wizard", "create the table with `aws dynamodb create-table`"),
    ("events", "wizard new-rule", "create the rule with `aws events put-rule`"),
    ("events", "wizard", "create the rule with `aws events put-rule`"),
    ("iam", "wizard new-role", "create the role with `aws iam create-role`"),
    ("iam", "wizard", "create the role with `aws iam create-role`"),
    ("lambda", "wizard new-function", "create the function with `aws lambda create-function`"),
    ("lambda", "wizard", "create the function with `aws lambda create-function`"),
    ("cli-dev", "wizard-dev", "write the commands it would generate yourself"),
    ("ec2-instance-connect", "ssh", "push a key with `aws ec2-instance-connect send-ssh-public-key` and connect from a terminal"),
    ("ec2-instance-connect", "open-tunnel", "open the tunnel from a terminal"),
    ("ecs", "monitor-express-gateway-service", "poll `aws ecs describe-express-gateway-service` instead"),
    ("update", "", "update the AWS CLI outside this server"),
];

/// What to do instead of an interactive command, when it is one.
fn interactive(service: &str, command: &str, words: &[&str]) -> Option<&'static str> {
    if service == "logs" && command == "tail" && words.contains(&"--follow") {
        return Some("drop `--follow` (it streams until stopped) and call again with `--since` to read what arrived since");
    }
    INTERACTIVE
        .iter()
        .find(|(s, c, _)| *s == service && *c == command)
        .map(|(_, _, instead)| *instead)
}

/// `--cli-input-yaml`: a YAML mapping of API parameters, read into the same
/// JSON values as `--cli-input-json`.
fn yaml_input(text: &str, label: &str) -> Result<Map<String, Value>, ValidationError> {
    let v: Value = serde_yaml_ng::from_str(text).map_err(|e| ValidationError::InvalidYaml {
        arg: label.to_string(),
        detail: e.to_string(),
    })?;
    match v {
        Value::Object(o) => Ok(o),
        _ => Err(ValidationError::InvalidYaml {
            arg: label.to_string(),
            detail: "expected a mapping of API parameters".into(),
        }),
    }
}

/// The API parameters of a `--cli-input-json` document.
fn json_input(text: &str, label: &str) -> Result<Map<String, Value>, ValidationError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ValidationError::InvalidJson {
            arg: label.to_string(),
            detail: "expected a JSON object of API parameters".into(),
        }),
        Err(e) => Err(ValidationError::InvalidJson {
            arg: label.to_string(),
            detail: e.to_string(),
        }),
    }
}

/// The required members of `input` that `params` leaves out, by their
/// command-line names (a member with an idempotency token is filled in by
/// the SDK, never missing).
fn missing_required(
    input: &Shape,
    params: &Map<String, Value>,
    arg_table: crate::catalog::Args<'_>,
) -> Vec<String> {
    input
        .required
        .iter()
        .filter(|r| {
            !params.contains_key(&***r)
                && !input
                    .member_ref(r)
                    .is_some_and(|m| m.traits().idempotency_token)
        })
        .map(|r| cli_member_name(arg_table, r))
        .collect()
}

/// The command-line name of an input member (`--instance-ids`), or the
/// member's own name when no argument carries it.
fn cli_member_name(arg_table: crate::catalog::Args<'_>, member: &str) -> String {
    arg_table
        .iter()
        .find(|a| a.member.as_deref() == Some(member) && !a.negated && a.kind == ArgKind::Member)
        .map(|a| format!("--{}", a.name))
        .unwrap_or_else(|| member.to_string())
}

/// Python's lenient `base64.b64decode`: characters outside the alphabet are
/// skipped, the data must end on a 4-character boundary or be padded to it.
pub(crate) fn python_b64decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let mut data = String::with_capacity(s.len());
    let mut pads = 0;
    for ch in s.chars() {
        match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' if pads == 0 => data.push(ch),
            '=' => pads += 1,
            _ => {}
        }
    }
    match data.len() % 4 {
        0 => {}
        1 => return None,
        2 if pads >= 2 => data.push_str("=="),
        3 if pads >= 1 => data.push('='),
        _ => return None,
    }
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}

/// AWS CLI v2 reads blob parameters as base64 (its `Base64DecodeVisitor`):
/// decode each one, at any depth. Decoded bytes that are UTF-8 stand as
/// text, as a v1 blob would (the text's bytes are the blob); other bytes
/// become `{"$bytes": "<base64>"}` ([`crate::command::blob_value`]), so that
/// a blob value is never ambiguous and an executor sends exactly the
/// decoded bytes.
fn decode_blobs(
    service: Service<'_>,
    shape: &Shape,
    v: &mut Value,
    label: Option<&str>,
    table: crate::catalog::Args<'_>,
) -> Result<(), ValidationError> {
    match (shape.shape_type, v) {
        (ShapeType::Structure, Value::Object(o)) => {
            for (k, val) in o.iter_mut() {
                let Some(m) = shape.member_ref(k) else {
                    continue;
                };
                if m.traits().streaming {
                    continue;
                }
                if let Some(sh) = service.shape(&m.shape)? {
                    let top = label.is_none().then(|| {
                        table
                            .iter()
                            .find(|a| a.member.as_deref() == Some(k.as_str()))
                            .map(|a| format!("--{}", a.name))
                            .unwrap_or_else(|| k.clone())
                    });
                    decode_blobs(service, sh, val, top.as_deref().or(label), table)?;
                }
            }
        }
        (ShapeType::List, Value::Array(items)) => {
            if let Some(m) = &shape.member {
                if let Some(sh) = service.shape(&m.shape)? {
                    for it in items {
                        decode_blobs(service, sh, it, label, table)?;
                    }
                }
            }
        }
        (ShapeType::Map, Value::Object(o)) => {
            if let Some(m) = &shape.value {
                if let Some(sh) = service.shape(&m.shape)? {
                    for val in o.values_mut() {
                        decode_blobs(service, sh, val, label, table)?;
                    }
                }
            }
        }
        (ShapeType::Blob, blob @ Value::String(_)) if !shape.traits().streaming => {
            let text = blob.as_str().unwrap_or_default();
            // fileb:// values are read as bytes by the CLI, never decoded.
            if text.starts_with("fileb://") || text.starts_with("file://") {
                return Ok(());
            }
            let bytes = python_b64decode(text).ok_or_else(|| ValidationError::InvalidBase64 {
                arg: label.unwrap_or("a blob parameter").to_string(),
                value: shorten(text),
            })?;
            *blob = crate::command::blob_value(bytes);
        }
        _ => {}
    }
    Ok(())
}

/// The operation name an unknown-operation error is about.
fn name_of(e: &ValidationError) -> &str {
    match e {
        ValidationError::UnknownOperation { name, .. } => name,
        _ => "",
    }
}

/// `("configure", "sso")` from an error's service field (`configure` or,
/// for a missing sub-operation, `configure sso`) and operation name.
fn split_command<'a>(service: &'a str, name: &str) -> (&'a str, String) {
    match service.split_once(' ') {
        Some((svc, rest)) if name.is_empty() => (svc, rest.to_string()),
        Some((svc, rest)) => (svc, format!("{rest} {name}")),
        None => (service, name.to_string()),
    }
}

/// Shorten a value for an error message (at most 80 characters).
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// Append an option and its value to a normalized argv (`--opt value`, or
/// `--opt=value` when the value itself looks like an option).
pub(crate) fn push_option(argv: &mut Vec<String>, name: &str, value: Option<&str>) {
    match value {
        None => argv.push(name.to_string()),
        Some(v) if looks_like_option(v) => argv.push(format!("{name}={v}")),
        Some(v) => {
            argv.push(name.to_string());
            argv.push(v.to_string());
        }
    }
}

/// awscli's "old list case": lists of one-member structures given as bare
/// words. awscli keys it by the API operation (so waiters of these
/// operations have it too).
fn old_list_case(api_service: Option<&str>, api_operation: Option<&str>, arg: &str) -> bool {
    matches!(
        (api_service.unwrap_or(""), api_operation.unwrap_or(""), arg),
        ("firehose", "PutRecordBatch", "records")
            | (
                "workspaces",
                "RebootWorkspaces",
                "reboot-workspace-requests"
            )
            | (
                "workspaces",
                "RebuildWorkspaces",
                "rebuild-workspace-requests"
            )
            | (
                "workspaces",
                "TerminateWorkspaces",
                "terminate-workspace-requests"
            )
            | ("elb", "RemoveTags", "tags")
            | ("elb", "DescribeInstanceHealth", "instances")
            | ("elb", "DeregisterInstancesFromLoadBalancer", "instances")
            | ("elb", "RegisterInstancesWithLoadBalancer", "instances")
    )
}

/// The member `arg` of `command` (of the API service `api_service`) is
/// put inside, when awscli moves the argument into another member
/// (configservice's `--recording-group` goes into
/// `ConfigurationRecorder.recordingGroup`): an executor that reads the
/// argument's `file://` value puts it there.
pub fn nested_parameter(
    api_service: Option<&str>,
    command: &str,
    arg: &str,
) -> Option<&'static str> {
    nested_member(api_service, command, arg)
}

/// Arguments that awscli moves inside another member (configservice's
/// `--recording-group` goes into `ConfigurationRecorder.recordingGroup`).
fn nested_member(api_service: Option<&str>, command: &str, arg: &str) -> Option<&'static str> {
    match (api_service.unwrap_or(""), command, arg) {
        ("config", "put-configuration-recorder", "recording-group") => {
            Some("ConfigurationRecorder")
        }
        _ => None,
    }
}

fn scalar_type(t: ArgType) -> ShapeType {
    match t {
        ArgType::Integer => ShapeType::Integer,
        ArgType::Long => ShapeType::Long,
        ArgType::Float => ShapeType::Float,
        ArgType::Double => ShapeType::Double,
        ArgType::Boolean => ShapeType::Boolean,
        ArgType::Timestamp => ShapeType::Timestamp,
        ArgType::Blob => ShapeType::Blob,
        _ => ShapeType::String,
    }
}

impl<'c> Validator<'c> {
    /// A validator over `catalog` with the default options.
    pub fn new(catalog: &'c Catalog) -> Self {
        Validator {
            catalog,
            max_command_bytes: MAX_COMMAND_BYTES,
            enum_check: EnumCheck::default(),
            dialect: Dialect::default(),
            binary_format: BinaryFormat::default(),
            cli_version: None,
        }
    }

    /// Validate for this AWS CLI dialect (default [`Dialect::V1`]): its
    /// commands, options and semantics.
    pub fn dialect(mut self, d: Dialect) -> Self {
        self.dialect = d;
        self
    }

    /// The dialect commands are validated for.
    pub fn cli_dialect(&self) -> Dialect {
        self.dialect
    }

    /// AWS CLI v2's blob format when the command sets no
    /// `--cli-binary-format` (the profile's `cli_binary_format`; default base64).
    pub fn binary_format(mut self, f: BinaryFormat) -> Self {
        self.binary_format = f;
        self
    }

    /// The version of the installed `aws` program (`2.9.19`), named in
    /// errors about the other dialect; default: the catalog's version.
    pub fn cli_version(mut self, v: impl Into<String>) -> Self {
        self.cli_version = Some(v.into());
        self
    }

    fn validates_for(&self) -> String {
        let v = self.cli_version.as_deref().unwrap_or(match self.dialect {
            Dialect::V1 => &self.catalog.sources().awscli,
            Dialect::V2 => &self.catalog.sources().awscli_v2,
        });
        format!("aws-cli/{v} ({})", self.dialect)
    }

    /// An error about a name unknown in this dialect, made specific when the
    /// other dialect has it.
    fn other_dialect(&self, e: ValidationError, words: &[String]) -> ValidationError {
        let other = self.dialect.other();
        let hint = |noun: &str| {
            match other {
            Dialect::V2 => format!("the `aws` program here is AWS CLI v1, which has no such {noun}; write the v1 form, or install AWS CLI v2 (then AWS_MCP_CLI_VERSION=auto or 2)"),
            Dialect::V1 => format!("the `aws` program here is AWS CLI v2, which has no such {noun}; write the v2 form (AWS_MCP_CLI_VERSION=1 only with AWS CLI v1 installed)"),
        }
        };
        let mk = |what: String, noun: &'static str| ValidationError::OtherDialect {
            what,
            noun,
            belongs_to: other,
            validates_for: self.validates_for(),
            hint: hint(noun),
        };
        let c = self.catalog;
        match &e {
            ValidationError::UnknownService { name, .. } if c.service_in(name, other).is_some() => {
                mk(format!("`aws {name}`"), "command")
            }
            ValidationError::UnknownOperation { service, .. }
            | ValidationError::MissingOperation { service, .. }
                if {
                    let (svc, op) = split_command(service, name_of(&e));
                    c.command_in(svc, &op, other).is_some()
                } =>
            {
                let (svc, op) = split_command(service, name_of(&e));
                mk(format!("`aws {svc} {op}`"), "command")
            }
            ValidationError::UnknownArgument { command, name, .. } => {
                let bare = name.trim_start_matches('-');
                let bare = bare.split_once('=').map_or(bare, |(n, _)| n);
                let mut parts = command.split(' ').skip(1);
                let svc = parts.next().unwrap_or("");
                let op: Vec<&str> = parts.collect();
                let in_cmd = c
                    .command_in(svc, &op.join(" "), other)
                    .and_then(|cmd| cmd.arg(bare).ok().flatten())
                    .is_some();
                if in_cmd || c.global_arg_in(bare, other).is_some() {
                    mk(format!("`--{bare}`"), "option")
                } else {
                    e
                }
            }
            ValidationError::InvalidChoice { arg, value, .. }
                if c.global_arg_in(arg.trim_start_matches('-'), other)
                    .is_some_and(|a| a.choices.iter().any(|x| **x == **value)) =>
            {
                mk(format!("`{arg} {value}`"), "option")
            }
            _ => {
                let _ = words;
                e
            }
        }
    }

    /// The catalog commands are validated against.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// Limit the length of a command string (default [`MAX_COMMAND_BYTES`]).
    pub fn max_command_bytes(mut self, n: usize) -> Self {
        self.max_command_bytes = n;
        self
    }

    /// Choose how enum mismatches are treated (default [`EnumCheck::Reject`]).
    pub fn enum_check(mut self, e: EnumCheck) -> Self {
        self.enum_check = e;
        self
    }

    /// Validate one command string.
    ///
    /// # Errors
    /// As [`validate`].
    pub fn validate(&self, command: &str) -> Result<ValidatedCommand, ValidationError> {
        let words = tokenize_with_limit(command, self.max_command_bytes)?;
        self.validate_words(&words)
    }

    /// Validate a command already split into words (the first must be `aws`).
    pub fn validate_words(&self, words: &[String]) -> Result<ValidatedCommand, ValidationError> {
        self.validate_in_dialect(words, false)
            .map_err(|e| self.other_dialect(e, words))
    }

    /// Validate an API call an executor makes while running a
    /// customization (`emr create-cluster` calls `RunJobFlow`), written as
    /// the generated command `aws <service> <operation> ...`.
    ///
    /// Only for executors running a customization's API calls: besides the
    /// command table it accepts the API operations awscli removes from it
    /// ([`Service::removed_command`](crate::catalog::Service::removed_command):
    /// `emr run-job-flow`, and `emr describe-cluster` names the
    /// `DescribeCluster` operation, not the hand-written command), which
    /// users cannot run ([`Validator::validate_words`] refuses them as
    /// unknown commands). Everything else is checked as for a user's
    /// command; the result says [`ValidatedCommand::internal`].
    ///
    /// # Errors
    /// As [`Validator::validate_words`].
    pub fn validate_internal_words(
        &self,
        words: &[String],
    ) -> Result<ValidatedCommand, ValidationError> {
        self.validate_in_dialect(words, true)
            .map_err(|e| self.other_dialect(e, words))
    }

    /// The steps of one validation, in order: globals, the command the
    /// words name (or the help they ask for), the arguments matched to its
    /// table, the required ones, each argument typed, the parameters
    /// assembled (EC2's translations, nested members, an inline input
    /// document), paging, and the whole input checked against the model.
    fn validate_in_dialect(
        &self,
        words: &[String],
        internal: bool,
    ) -> Result<ValidatedCommand, ValidationError> {
        let g = self.globals_of(words)?;
        let (service, cmd, op_words) = match self.resolve(&g, internal)? {
            Resolved::Help(service, cmd) => return Ok(self.help_command(&g, words, service, cmd)),
            Resolved::Command(service, cmd, op_words) => (service, cmd, op_words),
        };
        let args = cmd.args()?;
        let matched = match self.match_words(service, cmd, args, op_words) {
            // `help` left over after the arguments (`--dry-run help`).
            Err(ValidationError::HelpRequested) => {
                return Ok(self.help_command(&g, words, Some(service), Some(cmd)))
            }
            other => other?,
        };
        let target = Target {
            service,
            cmd,
            args,
            input: match cmd.detail()?.op.as_ref().and_then(|o| o.input.as_ref()) {
                Some(r) => service.shape(&r.shape)?,
                None => None,
            },
            generated: cmd.kind() != CommandKind::Custom,
        };
        let mut out = new_command(&target, &g, op_words, &matched);
        out.internal = internal;
        let overrides = check_required_arguments(&target, &matched)?;
        let mut typer = Typer::new(service, self.enum_check);
        let collected = self.type_arguments(&target, &matched, &mut typer, &mut out)?;
        record_positionals(&target, &matched, &mut out);
        for f in typer.nested_files.drain(..) {
            if let Some(p) = files::file_ref(&f, "", true) {
                out.local_paths.push(p);
            }
        }
        let document_from_file = collected.document_from_file;
        assemble_parameters(&target, &matched, collected, &g, &mut out)?;
        if target.generated {
            let full = || cmd.full_name();
            self.check_params(
                &mut typer,
                &out.parameters,
                target.input,
                args,
                overrides && !document_from_file,
                &full,
            )?;
        }
        out.notes = typer.notes;
        self.decode_v2_blobs(&target, &g, &mut out)?;
        Ok(out)
    }

    /// The global options, after checking the words start with `aws`.
    fn globals_of<'w>(&self, words: &'w [String]) -> Result<globals::Globals<'w>, ValidationError> {
        let first = words
            .first()
            .ok_or(ValidationError::Parse(crate::parse::ParseError::Empty))?;
        if first != "aws" {
            args::check_ascii(first)?;
            return Err(ValidationError::NotAws {
                found: shorten(first),
            });
        }
        let g = globals::extract(self.catalog, self.dialect, &words[1..])?;
        Ok(g)
    }

    /// The service and command the words after the globals name, and the
    /// words left for the command's arguments; or the help they ask for.
    fn resolve<'w>(
        &self,
        g: &'w globals::Globals<'_>,
        internal: bool,
    ) -> Result<Resolved<'c, 'w>, ValidationError> {
        let rest = g.rest.as_slice();
        let Some(svc_word) = rest.first() else {
            return Err(ValidationError::MissingService);
        };
        let svc_word = *svc_word;
        if svc_word == "help" {
            return Ok(Resolved::Help(None, None));
        }
        if looks_like_option(svc_word) {
            args::check_ascii(svc_word)?;
            return Err(ValidationError::UnknownArgument {
                command: "aws".into(),
                name: svc_word.to_string(),
                suggestions: suggest::closest(
                    svc_word,
                    self.catalog.global_args_in(self.dialect).map(|a| &*a.name),
                )
                .into_iter()
                .map(|s| format!("--{s}"))
                .collect(),
            });
        }
        let Some(service) = self.catalog.service_in(svc_word, self.dialect) else {
            args::check_ascii(svc_word)?;
            return Err(ValidationError::UnknownService {
                name: shorten(svc_word),
                suggestions: suggest::closest(
                    svc_word,
                    self.catalog.services_in(self.dialect).map(|s| s.name()),
                ),
            });
        };
        let removed = if internal {
            rest.get(1).and_then(|w| service.removed_command(w))
        } else {
            None
        };
        let found = match removed {
            Some(c) => Ok((c, 1)),
            None => self.operation(service, &rest[1..]),
        };
        let (cmd, used) = match found {
            Err(ValidationError::HelpRequested) => return Ok(Resolved::Help(Some(service), None)),
            other => other?,
        };
        let op_words = &rest[1 + used..];
        // awscli's parsers: `help` alone after the command asks for its help.
        if op_words == ["help"] {
            return Ok(Resolved::Help(Some(service), Some(cmd)));
        }
        if let Some(instead) = interactive(service.name(), cmd.name(), op_words) {
            return Err(ValidationError::Interactive {
                what: format!("`{}`", cmd.full_name()),
                instead: instead.to_string(),
            });
        }
        Ok(Resolved::Command(service, cmd, op_words))
    }

    /// The command's words matched to its argument table (EC2's top-level
    /// booleans and hand-written arguments take their own number of values).
    fn match_words<'w>(
        &self,
        service: Service<'c>,
        cmd: crate::catalog::Command<'c>,
        arg_table: crate::catalog::Args<'c>,
        op_words: &[&'w str],
    ) -> Result<args::Matched<'c>, ValidationError> {
        let full = || cmd.full_name();
        let toplevel_bool = |a: &crate::catalog::Arg| self.toplevel_bool(service, arg_table, a);
        let special = |a: &crate::catalog::Arg| {
            toplevel_bool(a)
                .map(|neg| {
                    if neg {
                        args::Nargs::Flag
                    } else {
                        args::Nargs::Optional
                    }
                })
                .or_else(|| ec2::nargs(service.api_name(), cmd.name(), &a.name))
        };
        args::match_args(arg_table, op_words, &full, &special)
    }

    /// Type each argument given: API members into parameters, paging
    /// arguments aside, the CLI's own arguments into custom values, file
    /// references and path arguments into local paths.
    fn type_arguments(
        &self,
        target: &Target<'c>,
        matched: &args::Matched<'c>,
        typer: &mut Typer<'c>,
        out: &mut ValidatedCommand,
    ) -> Result<Collected<'c>, ValidationError> {
        let Target {
            service,
            cmd,
            args: arg_table,
            input: input_shape,
            generated,
        } = *target;
        let toplevel_bool = |a: &crate::catalog::Arg| self.toplevel_bool(service, arg_table, a);
        let paginator = if cmd.kind() == CommandKind::Operation {
            cmd.paginator()?
        } else {
            None
        };
        let mut c = Collected::default();
        for x in &matched.given {
            out.args.push(GivenArg {
                name: x.arg.name.to_string(),
                values: x.values.clone(),
            });
            let label = format!("--{}", x.arg.name);
            if let [v] = x.values.as_slice() {
                if let Some(p) = files::file_ref(v, &x.arg.name, false) {
                    out.local_paths.push(p);
                    c.document_from_file |=
                        matches!(&*x.arg.name, "cli-input-json" | "cli-input-yaml");
                    if generated && x.arg.kind == ArgKind::Member {
                        if let Some(m) = &x.arg.member {
                            let value = Value::String(v.clone());
                            match nested_member(service.api_name(), cmd.name(), &x.arg.name) {
                                Some(parent) => c.nested.push((parent, m.to_string(), value)),
                                None => {
                                    out.parameters.insert(m.to_string(), value);
                                }
                            }
                        }
                    }
                    continue;
                }
            }
            if let Some(acc) = files::custom_path(service.name(), cmd.name(), &x.arg.name) {
                for v in &x.values {
                    out.local_paths.push(LocalPath {
                        path: v.clone(),
                        access: acc,
                        arg: x.arg.name.to_string(),
                        origin: if acc == PathAccess::Write {
                            PathOrigin::OutputFile
                        } else {
                            PathOrigin::OptionPath
                        },
                    });
                }
            }
            match x.arg.kind {
                ArgKind::Pagination => {
                    let v = x.values.first().map(String::as_str).unwrap_or("");
                    let value = types::scalar(scalar_type(x.arg.arg_type), v, &label)?;
                    if let Some(m) = &x.arg.member {
                        c.page_cfg.insert(m.to_string(), value);
                    }
                }
                ArgKind::Member if generated => {
                    let Some(member) = x.arg.member.as_deref() else {
                        continue;
                    };
                    if let Some(p) = paginator {
                        if p.input_token.iter().any(|t| t == member)
                            || p.limit_key.as_deref() == Some(member)
                        {
                            c.native_paging = true;
                        }
                    }
                    let mref = input_shape.and_then(|s| s.member_ref(member));
                    let sh = match (mref, x.arg.shape.as_deref()) {
                        (Some(m), _) => service.shape(&m.shape)?,
                        (None, Some(s)) => service.shape(s)?,
                        (None, None) => None,
                    };
                    let value = match (toplevel_bool(x.arg), x.values.is_empty()) {
                        (Some(negative), true) => serde_json::json!({ "Value": !negative }),
                        _ => self.member_value(
                            typer,
                            x,
                            sh,
                            mref,
                            &label,
                            service,
                            cmd.api_operation(),
                            &mut out.local_paths,
                        )?,
                    };
                    match nested_member(service.api_name(), cmd.name(), &x.arg.name) {
                        Some(parent) => c.nested.push((parent, member.to_string(), value)),
                        None => {
                            out.parameters.insert(member.to_string(), value);
                        }
                    }
                }
                _ => {
                    if let Some(v) = self.custom_value(typer, x, service, &label)? {
                        out.custom_values.insert(x.arg.name.to_string(), v);
                    }
                    if &*x.arg.name == "cli-input-json" {
                        let v = x.values.first().map(String::as_str).unwrap_or("");
                        c.document = Some(json_input(v, &label)?);
                    }
                    if &*x.arg.name == "cli-input-yaml" {
                        let v = x.values.first().map(String::as_str).unwrap_or("");
                        c.document = Some(yaml_input(v, &label)?);
                    }
                }
            }
        }
        Ok(c)
    }

    /// AWS CLI v2 reads blob parameters as base64 (its default
    /// `--cli-binary-format`): decode them.
    fn decode_v2_blobs(
        &self,
        target: &Target<'c>,
        g: &globals::Globals<'_>,
        out: &mut ValidatedCommand,
    ) -> Result<(), ValidationError> {
        let base64_blobs = self.dialect == Dialect::V2
            && g.options
                .cli_binary_format
                .as_deref()
                .and_then(BinaryFormat::parse)
                .unwrap_or(self.binary_format)
                == BinaryFormat::Base64;
        if target.generated && base64_blobs {
            if let Some(input) = target.input {
                let mut params = Value::Object(std::mem::take(&mut out.parameters));
                decode_blobs(target.service, input, &mut params, None, target.args)?;
                if let Value::Object(o) = params {
                    out.parameters = o;
                }
            }
        }
        Ok(())
    }

    /// awscli's EC2 "top-level boolean" arguments: a structure whose only
    /// member is the boolean `Value` becomes a flag (`--flag` is
    /// `{"Value": true}`, `--no-flag` `{"Value": false}`; `--flag VALUE` is
    /// still accepted). `Some(negative)` for such an argument.
    fn toplevel_bool(
        &self,
        service: Service<'_>,
        table: crate::catalog::Args<'_>,
        a: &crate::catalog::Arg,
    ) -> Option<bool> {
        ec2_toplevel_bool(service, table, a)
    }
}

/// What the words after the global options name.
enum Resolved<'c, 'w> {
    /// `help`, for the whole CLI, a service or a command.
    Help(Option<Service<'c>>, Option<crate::catalog::Command<'c>>),
    /// A command, and the words left for its arguments.
    Command(Service<'c>, crate::catalog::Command<'c>, &'w [&'w str]),
}

/// The command being validated, as the steps after resolution see it.
#[derive(Clone, Copy)]
struct Target<'c> {
    service: Service<'c>,
    cmd: crate::catalog::Command<'c>,
    args: crate::catalog::Args<'c>,
    /// The operation's input shape (none for a customization).
    input: Option<&'c Shape>,
    /// A generated API operation or waiter (not an AWS CLI customization).
    generated: bool,
}

/// What typing the arguments collects besides the parameters.
#[derive(Default)]
struct Collected<'c> {
    /// Paging arguments (`--max-items`, ...) by the member they stand for.
    page_cfg: Map<String, Value>,
    /// The operation's own paging arguments were given: the AWS CLI's
    /// pagination turns off.
    native_paging: bool,
    /// An input document given inline (`--cli-input-json '{...}'`).
    document: Option<Map<String, Value>>,
    /// The input document is a file, read by the executor.
    document_from_file: bool,
    /// Members awscli moves into a parent structure: (parent, member, value).
    nested: Vec<(&'c str, String, Value)>,
}

/// The validated command before its arguments are typed: names, globals
/// and the normalized words (`argv`).
fn new_command(
    target: &Target<'_>,
    g: &globals::Globals<'_>,
    op_words: &[&str],
    matched: &args::Matched<'_>,
) -> ValidatedCommand {
    let Target { service, cmd, .. } = *target;
    let rest = &g.rest;
    let mut out = ValidatedCommand {
        service: service.name().to_string(),
        operation: cmd.name().to_string(),
        kind: cmd.kind(),
        api: match (service.api_name(), cmd.api_operation()) {
            (Some(s), Some(o)) => Some(ApiOperation {
                service: s.to_string(),
                operation: o.to_string(),
            }),
            _ => None,
        },
        region: g.options.region.clone(),
        globals: g.options.clone(),
        parameters: Map::new(),
        args: Vec::with_capacity(matched.given.len() + matched.positionals.len()),
        custom_values: Map::new(),
        internal: false,
        local_paths: g.paths.clone(),
        argv: Vec::with_capacity(rest.len() + g.argv.len()),
        notes: Vec::new(),
        help: None,
    };
    out.argv.push(service.name().to_string());
    out.argv.extend(
        cmd.name()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from),
    );
    for w in op_words {
        match w.split_once('=') {
            Some((n, v)) if w.starts_with("--") && looks_like_option(w) => {
                push_option(&mut out.argv, n, Some(v))
            }
            _ => out.argv.push(w.to_string()),
        }
    }
    out.argv.extend(g.argv.iter().cloned());

    out
}

/// The required arguments the command line leaves out (awscli turns the
/// check off with an input document or a skeleton request: then `true`).
fn check_required_arguments(
    target: &Target<'_>,
    matched: &args::Matched<'_>,
) -> Result<bool, ValidationError> {
    let Target {
        cmd,
        args: arg_table,
        ..
    } = *target;
    let full = || cmd.full_name();
    let overrides = matched.given.iter().any(|x| {
        matches!(
            &*x.arg.name,
            "cli-input-json" | "cli-input-yaml" | "generate-cli-skeleton"
        )
    });
    if !overrides {
        let missing: Vec<String> = arg_table
            .iter()
            .filter(|a| a.required && !args::is_positional(a))
            .filter(|a| {
                !matched.given.iter().any(|x| {
                    std::ptr::eq(x.arg, *a) || (a.member.is_some() && x.arg.member == a.member)
                })
            })
            .map(|a| format!("--{}", a.name))
            .collect();
        if !missing.is_empty() {
            return Err(ValidationError::MissingRequired {
                command: full(),
                missing,
            });
        }
    }

    Ok(overrides)
}

/// Positional arguments, and the local paths they name (the sides of an
/// `s3` transfer, an `outfile`).
fn record_positionals(
    target: &Target<'_>,
    matched: &args::Matched<'_>,
    out: &mut ValidatedCommand,
) {
    let Target { service, cmd, .. } = *target;
    for (a, vals) in &matched.positionals {
        out.args.push(GivenArg {
            name: a.name.to_string(),
            values: vals.clone(),
        });
        if service.name() == "s3" && &*a.name == "paths" {
            out.local_paths.extend(files::s3_transfer(cmd.name(), vals));
        } else if &*a.name == "outfile" {
            for v in vals {
                out.local_paths.push(LocalPath {
                    path: v.clone(),
                    access: PathAccess::Write,
                    arg: "outfile".into(),
                    origin: PathOrigin::OutputFile,
                });
            }
        }
    }
}

/// The parameters put together: EC2's translations, members nested into
/// their parent structures, an inline input document under the command
/// line, and the paging arguments (the CLI's pagination, or the
/// operation's own members when pagination is off).
fn assemble_parameters(
    target: &Target<'_>,
    matched: &args::Matched<'_>,
    collected: Collected<'_>,
    g: &globals::Globals<'_>,
    out: &mut ValidatedCommand,
) -> Result<(), ValidationError> {
    let Target {
        service,
        cmd,
        input: input_shape,
        ..
    } = *target;
    let Collected {
        mut page_cfg,
        native_paging,
        document: cli_json,
        nested,
        ..
    } = collected;
    if cmd.kind() == CommandKind::Operation {
        ec2::apply(
            service.api_name(),
            cmd.name(),
            &matched.given,
            &mut out.parameters,
        )?;
        codedeploy::apply(
            service.api_name(),
            cmd.name(),
            &matched.given,
            &mut out.parameters,
        )?;
        cloudwatch::apply(
            service.api_name(),
            cmd.name(),
            &matched.given,
            &mut out.parameters,
        )?;
        emr::apply(
            service.api_name(),
            cmd.name(),
            target.args.iter().map(|a| &*a.name),
            &matched.given,
            &mut out.parameters,
        )?;
        let zip_file = matched
            .given
            .iter()
            .find(|g| &*g.arg.name == "zip-file")
            .and_then(|g| g.values.first())
            .map(String::as_str);
        lambda::apply(service.api_name(), cmd.name(), zip_file, &out.parameters)?;
    }
    for (parent, key, value) in nested {
        let slot = out
            .parameters
            .entry(parent.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(o) = slot {
            o.insert(key, value);
        }
    }
    if let Some(j) = cli_json {
        for (k, v) in j {
            if !out.parameters.contains_key(&k) {
                out.parameters.insert(k, v);
            }
        }
    }
    if native_paging {
        // awscli's check_should_enable_pagination: the operation's own
        // paging arguments turn the CLI's pagination off.
        out.globals.no_paginate = true;
    }
    if !page_cfg.is_empty() && (g.options.no_paginate || native_paging) {
        // Paging is off: awscli restores the operation's own arguments
        // that the paging arguments shadowed (`acm list-certificates
        // --max-items` is then the API's MaxItems); any other paging
        // argument is an error.
        let mut used = Vec::new();
        for (k, v) in std::mem::take(&mut page_cfg) {
            match input_shape.and_then(|s| s.member_ref(&k)) {
                Some(m) => {
                    let value = match (v, service.shape(&m.shape)?) {
                        (Value::String(s), Some(sh)) => types::scalar(sh.shape_type, &s, &k)?,
                        (v, _) => v,
                    };
                    out.parameters.insert(k, value);
                }
                None => used.push(k),
            }
        }
        if !used.is_empty() {
            let used: Vec<String> = matched
                .given
                .iter()
                .filter(|x| {
                    x.arg.kind == ArgKind::Pagination
                        && x.arg
                            .member
                            .as_deref()
                            .is_some_and(|m| used.iter().any(|u| u == m))
                })
                .map(|x| format!("--{}", x.arg.name))
                .collect();
            return Err(ValidationError::PaginationConflict {
                    detail: format!(
                        "{} cannot be combined with --no-paginate or with the operation's own paging arguments: use one or the other",
                        used.join(", ")
                    ),
                });
        }
    }
    if !page_cfg.is_empty() {
        out.parameters
            .insert("PaginationConfig".into(), Value::Object(page_cfg));
    }
    Ok(())
}

/// Whether the validator translates `arg`, an argument awscli adds to the
/// generated operation `command` of the API service `api_service`, into the
/// operation's parameters as awscli's customization does (CodeDeploy's
/// `--s3-location` and `--github-location`, EMR's `list-clusters` state
/// filters and `add-tags --tags`, `cloudwatch put-metric-data
/// --metric-name ...`), so that an executor can send
/// the parameters as they are.
pub fn translates_cli_argument(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    codedeploy::translates(api_service, command, arg)
        || cloudwatch::translates(api_service, command, arg)
        || emr::translates(api_service, command, arg)
        || lambda::translates(api_service, command, arg)
}

/// awscli's EC2 "top-level boolean" arguments (`--[no-]source-dest-check`):
/// a structure whose only member is the boolean `Value`, given as a flag.
/// `Some(negative)` for such an argument of `table` (the command's
/// arguments), `None` for any other.
pub fn ec2_toplevel_bool(
    service: Service<'_>,
    table: crate::catalog::Args<'_>,
    a: &crate::catalog::Arg,
) -> Option<bool> {
    if service.api_name() != Some("ec2")
        || a.kind != ArgKind::Member
        || a.arg_type != ArgType::Structure
    {
        return None;
    }
    let sh = service.shape(a.shape.as_deref()?).ok()??;
    let [(name, m)] = &*sh.members else {
        return None;
    };
    if &**name != "Value" || service.shape(&m.shape).ok()??.shape_type != ShapeType::Boolean {
        return None;
    }
    let negative = a
        .name
        .strip_prefix("no-")
        .and_then(|p| table.get(p))
        .is_some_and(|p| p.member == a.member);
    Some(negative)
}

impl<'c> Validator<'c> {
    /// A `help` command: nothing to call, the topic to render.
    fn help_command(
        &self,
        g: &globals::Globals<'_>,
        words: &[String],
        service: Option<Service<'_>>,
        cmd: Option<crate::catalog::Command<'_>>,
    ) -> ValidatedCommand {
        ValidatedCommand {
            service: service.map(|s| s.name().to_string()).unwrap_or_default(),
            operation: cmd.map(|c| c.name().to_string()).unwrap_or_default(),
            kind: cmd.map_or(CommandKind::Custom, |c| c.kind()),
            api: None,
            region: g.options.region.clone(),
            globals: g.options.clone(),
            parameters: Map::new(),
            args: Vec::new(),
            custom_values: Map::new(),
            internal: false,
            local_paths: Vec::new(),
            argv: words[1..].to_vec(),
            notes: Vec::new(),
            help: Some(crate::help::HelpTopic::new(
                service.map(|s| s.name()),
                cmd.map(|c| c.name()),
                self.dialect,
            )),
        }
    }

    /// The command named by the first words of `rest`, and how many words it took.
    fn operation<'s>(
        &self,
        service: Service<'s>,
        rest: &[&str],
    ) -> Result<(crate::catalog::Command<'s>, usize), ValidationError> {
        let Some(w) = rest.first().filter(|w| !looks_like_option(w)) else {
            if let Some(c) = service.command("") {
                return Ok((c, 0));
            }
            let some: Vec<String> = service
                .commands()
                .map(|c| c.name())
                .filter(|n| n.starts_with("list-") || n.starts_with("describe-"))
                .take(3)
                .map(String::from)
                .collect();
            return Err(ValidationError::MissingOperation {
                service: service.name().to_string(),
                suggestions: some,
            });
        };
        if *w == "help" {
            return Err(ValidationError::HelpRequested);
        }
        let mut name = w.to_string();
        let mut used = 1;
        while let Some(next) = rest.get(used).filter(|n| !looks_like_option(n)) {
            let cand = format!("{name} {next}");
            if service.command(&cand).is_none() {
                break;
            }
            name = cand;
            used += 1;
        }
        if let Some(c) = service.command(&name) {
            return Ok((c, used));
        }
        args::check_ascii(&name)?;
        let prefix = format!("{name} ");
        let subs: Vec<String> = service
            .commands()
            .map(|c| c.name())
            .filter(|n| n.starts_with(&prefix))
            .map(String::from)
            .collect();
        if !subs.is_empty() {
            // `aws ec2 wait help`: the service's help lists its waiters.
            if rest.get(used) == Some(&"help") {
                return Err(ValidationError::HelpRequested);
            }
            let suggestions = match rest.get(used) {
                Some(next) => {
                    suggest::closest(&format!("{name} {next}"), subs.iter().map(String::as_str))
                }
                None => subs.into_iter().take(3).collect(),
            };
            return Err(ValidationError::MissingOperation {
                service: format!("{} {name}", service.name()),
                suggestions,
            });
        }
        let names: Vec<&str> = service
            .commands()
            .filter(|c| !c.hidden() && !c.name().is_empty())
            .map(|c| c.name())
            .collect();
        Err(ValidationError::UnknownOperation {
            service: service.name().to_string(),
            name: shorten(&name),
            suggestions: suggest::closest(&name, names),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn member_value(
        &self,
        typer: &mut Typer<'_>,
        x: &Given<'_>,
        sh: Option<&Shape>,
        mref: Option<&crate::catalog::MemberRef>,
        label: &str,
        service: Service<'_>,
        api_operation: Option<&str>,
        paths: &mut Vec<LocalPath>,
    ) -> Result<Value, ValidationError> {
        if x.arg.arg_type == ArgType::Boolean && x.values.is_empty() {
            return Ok(Value::Bool(!x.arg.negated));
        }
        let Some(sh) = sh else {
            let v = x.values.first().map(String::as_str).unwrap_or("");
            return types::scalar(scalar_type(x.arg.arg_type), v, label);
        };
        let traits = mref.map(|m| m.traits());
        if sh.shape_type == ShapeType::Blob && traits.is_some_and(|t| t.streaming) {
            // awscli opens a streaming blob's value as a file path.
            let v = x.values.first().cloned().unwrap_or_default();
            paths.push(LocalPath {
                path: v.clone(),
                access: PathAccess::Read,
                arg: x.arg.name.to_string(),
                origin: PathOrigin::OptionPath,
            });
            return Ok(Value::String(v));
        }
        let json_header = traits
            .is_some_and(|t| t.jsonvalue && t.location.as_deref() == Some("header"))
            && sh.shape_type == ShapeType::String;
        let raw = if args::nargs(x.arg) == args::Nargs::Any || x.values.len() > 1 {
            Raw::Many(&x.values)
        } else {
            Raw::One(x.values.first().map(String::as_str).unwrap_or(""))
        };
        let old = old_list_case(service.api_name(), api_operation, &x.arg.name);
        typer.unpack(sh, json_header, &raw, label, old)
    }

    fn custom_value(
        &self,
        typer: &mut Typer<'_>,
        x: &Given<'_>,
        service: Service<'_>,
        label: &str,
    ) -> Result<Option<Value>, ValidationError> {
        if !x.arg.choices.is_empty() && x.arg.kind == ArgKind::Custom {
            for v in &x.values {
                if !x.arg.choices.iter().any(|c| **c == **v) {
                    return Err(ValidationError::InvalidChoice {
                        arg: label.to_string(),
                        value: shorten(v),
                        allowed: x.arg.choices.iter().map(|c| c.to_string()).collect(),
                    });
                }
            }
        }
        match x.arg.arg_type {
            ArgType::Integer | ArgType::Long | ArgType::Float | ArgType::Double => {
                for v in &x.values {
                    types::scalar(scalar_type(x.arg.arg_type), v, label)?;
                }
            }
            ArgType::Structure | ArgType::Map | ArgType::List => {
                if let Some(sh) = match x.arg.shape.as_deref() {
                    Some(s) => service.shape(s)?,
                    None => None,
                } {
                    let raw = if args::nargs(x.arg) == args::Nargs::One {
                        Raw::One(x.values.first().map(String::as_str).unwrap_or(""))
                    } else {
                        Raw::Many(&x.values)
                    };
                    return Ok(Some(typer.unpack(sh, false, &raw, label, false)?));
                }
            }
            _ => {}
        }
        Ok(None)
    }

    fn check_params(
        &self,
        typer: &mut Typer<'_>,
        params: &Map<String, Value>,
        input: Option<&Shape>,
        arg_table: crate::catalog::Args<'_>,
        overrides: bool,
        full: &dyn Fn() -> String,
    ) -> Result<(), ValidationError> {
        let Some(input) = input else { return Ok(()) };
        let cli_name = |member: &str| cli_member_name(arg_table, member);
        for (k, v) in params {
            if k == "PaginationConfig" {
                continue;
            }
            let Some(m) = input.member_ref(k) else {
                return Err(ValidationError::UnknownKey {
                    arg: "--cli-input-json".into(),
                    key: k.clone(),
                    suggestions: suggest::closest(k, input.members.iter().map(|(n, _)| &**n)),
                });
            };
            if let Some(sh) = typer.shape(&m.shape)? {
                let label = cli_name(k);
                typer.check(sh, v, Seg::Root(&label), 0)?;
            }
        }
        let mut missing = Vec::new();
        if overrides {
            missing = missing_required(input, params, arg_table);
        }
        missing.append(&mut typer.missing);
        if !missing.is_empty() {
            return Err(ValidationError::MissingRequired {
                command: full(),
                missing,
            });
        }
        Ok(())
    }
}
