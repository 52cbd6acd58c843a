//! `aws emr create-cluster`, `add-steps`, `describe-cluster`,
//! `modify-cluster-attributes` and `create-default-roles`: awscli's
//! `customizations/emr` (`createcluster.py`, `steputils.py`,
//! `instancegroupsutils.py`, `instancefleetsutils.py`, `emrfsutils.py`,
//! `addsteps.py`, `describecluster.py`, `modifyclusterattributes.py`,
//! `createdefaultroles.py`, `configutils.py`) re-implemented.
//! (`list-clusters`' state filters and `add-tags --tags` are arguments of
//! generated commands: the validator translates them,
//! `aws_mcp_core::validate`'s `emr` module.)
//!
//! ## Design
//!
//! The translation is pure ([`create_cluster`], [`build_steps`],
//! [`add_steps`], [`emrfs_configuration`], [`attribute_calls`],
//! [`describe_result`]): the validated command's arguments (the typed
//! values the validator parsed from shorthand or JSON with the
//! customization's schemas) become the parameters of `RunJobFlow`,
//! `AddJobFlowSteps` or the `Set...` calls exactly as awscli builds them,
//! key order included, or one of two failures ([`Fail`]): the error awscli
//! raises for a bad combination (printed as the CLI prints it: exit status
//! 255, and 252 in AWS CLI v2, where these are parameter errors), or a use
//! this module does not reproduce (the command goes to the `aws` program
//! with the reason, never half-translated).
//!
//! A `file://` value of an argument (`--steps file://steps.json`) is read
//! when the command runs, after the policy judged the path, through
//! [`LocalFiles`](crate::localfs::LocalFiles) (`paramfiles`' reader, with
//! awscli's `Unable to load paramfile` error), and typed as awscli types
//! it: its text unpacked with the argument's schema, like the same text on
//! the command line, or, for an argument without one (`--configurations`),
//! the text itself
//! ([`Validator::custom_file_value`](aws_mcp_core::Validator::custom_file_value));
//! errors name the file, never its contents. Until then, [`support`] reads
//! an empty value of the argument's type in its place, so that what the
//! command line alone leaves to the `aws` program is known before the run
//! (what a file's contents leave to it fails the run, naming why).
//!
//! The calls go through [`super::call`] like every customization's: the
//! generated command of the API operation, validated and run by the
//! executor. awscli removes the generated commands these customizations
//! call (`run-job-flow`, `add-job-flow-steps`, `list-instance-groups`,
//! `list-bootstrap-actions`, and `describe-cluster`, which the
//! customization replaces) from its command table
//! (`customizations/removals.py`); the catalog keeps them apart, as
//! removed operations only an executor's internal validation accepts
//! ([`Service::removed_command`](aws_mcp_core::catalog::Service::removed_command)),
//! and [`support`] still looks each operation up, leaving the command to
//! the `aws` program, naming the operation, when a catalog lacks one. The
//! structured arguments (`--instance-groups`, `--steps`,
//! `--ec2-attributes`, ...) are typed by the validator with the
//! customization's schemas (the catalog's `cli:` shapes); a schema argument
//! given without a typed value is left to the `aws` program, naming it.
//!
//! ## Left to the `aws` program
//!
//! `--ami-version` clusters (AMI 2.x/3.x: their applications, steps and
//! EMRFS setup are installed by region-specific scripts),
//! `--restore-from-hbase-backup`, `fileb://` values and `file://` inside a
//! value, bootstrap actions without a `Path` (botocore's parameter
//! validation error), `create-default-roles --iam-endpoint` (the native
//! IAM calls take their endpoint from the environment and the rule set
//! only; the policy's endpoint rule judges the URL), and the other
//! hand-written commands: `ssh`, `socks`, `get` and `put` run the local
//! `ssh`/`scp` programs with a key file. The config file's `emr` section,
//! which awscli reads for default roles, log URI and key name, is not read
//! by `create-cluster`: a command that relies on it runs with the CLI's
//! defaults only (`create-default-roles` writes it as awscli does,
//! `configure::update_emr_roles`).
//!
//! `create-default-roles` makes awscli's IAM calls in its order (`GetRole`,
//! then `CreateRole`, `AttachRolePolicy`, `GetPolicy`, `GetPolicyVersion`
//! for a missing role; `GetInstanceProfile`, then `CreateInstanceProfile`
//! and `AddRoleToInstanceProfile`), with an IAM client in the command's
//! region and without its `--endpoint-url`, reads the trust policy's
//! service principals from the EMR client's endpoint URL as awscli does
//! ([`service_principal`]), and prints the roles it created with their
//! policy documents. A call that fails other than with `NoSuchEntity` ends
//! the command with the call's error, as awscli raises it. `modify-cluster-attributes` without any attribute flag
//! fails with the list of flags of the AWS CLI the catalog models (an older
//! AWS CLI v2 lists fewer).

use aws_mcp_core::catalog::{ArgKind, ArgType, Catalog, CommandKind};
use aws_mcp_core::command::{LocalPath, PathOrigin};
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::render::python_truthy as truthy;
use aws_mcp_wire::render::{render_error, CliError, ErrorKind};
use serde_json::{json, Map, Value};

use super::{call, print};
use crate::paramfiles::read_paramfile;
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

const EC2_ROLE_NAME: &str = "EMR_EC2_DefaultRole";
const EMR_ROLE_NAME: &str = "EMR_DefaultRole";
const COMMAND_RUNNER: &str = "command-runner.jar";
const SCRIPT_RUNNER_PATH: &str = "/libs/script-runner/script-runner.jar";
const HADOOP_STREAMING_PATH: &str = "/home/hadoop/contrib/streaming/hadoop-streaming.jar";
const SPARK_SUBMIT_PATH: &str = "/home/hadoop/spark/bin/spark-submit";
const MAX_BOOTSTRAP_ACTIONS: usize = 16;
const EMRFS_SITE: &str = "emrfs-site";

/// Why a command is not translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The error awscli raises (its message, `aws: error: ...`).
    Cli(String),
    /// A use this module leaves to the `aws` program, and why.
    Unsupported(String),
}

fn cli<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Cli(msg.into()))
}

fn unsupported<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Unsupported(msg.into()))
}

/// The API operations each command calls, in order (`modify-cluster-attributes`
/// calls those of the attributes it is given, see [`attribute_calls`]).
fn operations(command: &str) -> &'static [&'static str] {
    match command {
        "create-cluster" => &["RunJobFlow"],
        "add-steps" => &["DescribeCluster", "AddJobFlowSteps"],
        "describe-cluster" => &[
            "DescribeCluster",
            "ListInstanceGroups",
            "ListInstanceFleets",
            "ListBootstrapActions",
        ],
        "create-default-roles" => &[],
        "modify-cluster-attributes" => &[
            "SetVisibleToAllUsers",
            "SetTerminationProtection",
            "SetKeepJobFlowAliveWhenNoSteps",
            "SetUnhealthyNodeReplacement",
        ],
        _ => &[],
    }
}

/// The generated command (its CLI name) of the EMR API operation `op`,
/// when the catalog has one: in the command table, or among the
/// operations awscli removes from it (`run-job-flow`), which
/// [`call`]'s validation accepts.
fn api_command(catalog: &Catalog, op: &str) -> Option<String> {
    let emr = catalog.service("emr")?;
    emr.commands()
        .chain(emr.removed_commands())
        .find(|c| c.kind() == CommandKind::Operation && c.api_operation() == Some(op))
        .map(|c| c.name().to_string())
}

/// The `file://` values of the command's arguments read here, as
/// (argument, local path): a whole argument value (the last one given)
/// of a customization's own argument. `Err` names a local file this module
/// does not read (a `fileb://` value, a `file://` inside a value, ...).
fn param_files<'a>(
    catalog: &Catalog,
    command: &'a ValidatedCommand,
) -> Result<Vec<&'a LocalPath>, String> {
    let table = catalog
        .command(command.service(), command.operation())
        .and_then(|c| c.args().ok());
    let args = Args::of(command);
    command
        .local_paths()
        .iter()
        .map(|p| {
            let custom = table
                .and_then(|t| t.get(&p.arg))
                .is_some_and(|a| a.kind == ArgKind::Custom);
            let whole = given(&args, &p.arg).map(Vec::as_slice)
                == Some(&[format!("file://{}", p.path)][..]);
            if p.origin == PathOrigin::FileUrl && custom && whole {
                Ok(p)
            } else {
                Err(format!(
                    "--{} names the local file {:?} in a way the native executor does not read (only a whole file:// value of an emr argument is read)",
                    p.arg, p.path
                ))
            }
        })
        .collect()
}

/// Whether the `emr` command runs natively, or why not.
pub(crate) fn support(catalog: &Catalog, command: &ValidatedCommand) -> Result<(), String> {
    match command.operation() {
        "create-default-roles" => return roles_support(catalog, command),
        op @ ("ssh" | "socks" | "get" | "put") => {
            return Err(format!(
                "`emr {op}` runs the local ssh/scp program with the cluster's key file (--key-pair-file); left to the AWS CLI"
            ))
        }
        _ => {}
    }
    let mut ops = operations(command.operation()).to_vec();
    if ops.is_empty() {
        return Err(format!(
            "`emr {}` is a hand-written AWS CLI command the native executor does not reproduce",
            command.operation()
        ));
    }
    // The files are read when the command runs; until then each stands
    // for an empty value of its argument's type, so that what the command
    // line alone leaves to the AWS CLI is known here.
    let mut args = Args::of(command);
    let table = catalog
        .command(command.service(), command.operation())
        .and_then(|c| c.args().ok());
    for p in param_files(catalog, command)? {
        let kind = table.and_then(|t| t.get(&p.arg)).map(|a| a.arg_type);
        args.set_file_value(
            &p.arg,
            match kind {
                Some(ArgType::List) => json!([]),
                Some(ArgType::Structure | ArgType::Map) => json!({}),
                _ => json!("[]"),
            },
        );
    }
    let translated = match command.operation() {
        "create-cluster" => create_cluster(&args).map(drop),
        "add-steps" => add_steps(&args, Some("emr-0"), None).map(drop),
        "modify-cluster-attributes" => {
            let calls = attribute_calls(&args, &|_| true);
            ops.retain(|op| calls.as_ref().is_ok_and(|c| c.iter().any(|x| x.0 == *op)));
            calls.map(drop)
        }
        _ => Ok(()),
    };
    if let Err(Fail::Unsupported(why)) = translated {
        return Err(why);
    }
    if let Some(op) = ops.iter().find(|op| api_command(catalog, op).is_none()) {
        return Err(format!(
            "`emr {}` calls {op}, which the catalog has no model of (awscli removes some from its command table, customizations/removals.py)",
            command.operation()
        ));
    }
    Ok(())
}

/// The command's arguments with its `file://` values read (after the
/// policy judged their paths) and typed as awscli types them
/// ([`Validator::custom_file_value`](aws_mcp_core::Validator::custom_file_value)).
fn read_args(ex: &NativeExecutor, command: &ValidatedCommand) -> Result<Args, NativeError> {
    let mut args = Args::of(command);
    for p in param_files(ex.catalog, command).map_err(NativeError::Unsupported)? {
        let bytes = read_paramfile(&ex.files, p)?;
        let v = ex
            .validator
            .custom_file_value(command, p, &bytes)
            .map_err(|e| NativeError::File(e.to_string()))?;
        args.set_file_value(&p.arg, v);
    }
    Ok(args)
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let failed = |f: Fail| match f {
        Fail::Cli(msg) => Ok(cli_error(ex, command, &msg)),
        Fail::Unsupported(why) => Err(NativeError::Unsupported(why)),
    };
    let op = |name: &str| {
        api_command(ex.catalog, name).ok_or_else(|| {
            NativeError::Unsupported(format!("the catalog has no model of emr {name}"))
        })
    };
    if command.operation() == "create-default-roles" {
        return create_default_roles(ex, command, options).await;
    }
    let args = read_args(ex, command)?;
    match command.operation() {
        "create-cluster" => {
            let params = match create_cluster(&args) {
                Ok(p) => p,
                Err(f) => return failed(f),
            };
            let r = match call(ex, command, "emr", &op("RunJobFlow")?, &params, options).await? {
                Ok(r) => r,
                Err(p) => return Ok(p),
            };
            print(ex, command, &cluster_created(&r), "run_job_flow")
        }
        "add-steps" => {
            let id = json!({"ClusterId": arg(&args, "cluster-id").unwrap_or("")});
            let id = id.as_object().cloned().unwrap_or_default();
            let d = match call(ex, command, "emr", &op("DescribeCluster")?, &id, options).await? {
                Ok(d) => d,
                Err(p) => return Ok(p),
            };
            let release = d
                .pointer("/Cluster/ReleaseLabel")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let region = if release.is_none() {
                region(ex, command).await
            } else {
                None
            };
            let params = match add_steps(&args, release, region.as_deref()) {
                Ok(p) => p,
                Err(f) => return failed(f),
            };
            match call(
                ex,
                command,
                "emr",
                &op("AddJobFlowSteps")?,
                &params,
                options,
            )
            .await?
            {
                Ok(r) => print(ex, command, &r, "AddJobFlowSteps"),
                Err(p) => Ok(p),
            }
        }
        "describe-cluster" => {
            let id = json!({"ClusterId": arg(&args, "cluster-id").unwrap_or("")});
            let id = id.as_object().cloned().unwrap_or_default();
            let d = match call(ex, command, "emr", &op("DescribeCluster")?, &id, options).await? {
                Ok(d) => d,
                Err(p) => return Ok(p),
            };
            let fleets = d.pointer("/Cluster/InstanceCollectionType")
                == Some(&Value::from("INSTANCE_FLEET"));
            let list = if fleets {
                "ListInstanceFleets"
            } else {
                "ListInstanceGroups"
            };
            let l = match call(ex, command, "emr", &op(list)?, &id, options).await? {
                Ok(l) => l,
                Err(p) => return Ok(p),
            };
            let b = match call(
                ex,
                command,
                "emr",
                &op("ListBootstrapActions")?,
                &id,
                options,
            )
            .await?
            {
                Ok(b) => b,
                Err(p) => return Ok(p),
            };
            let (f, g) = if fleets {
                (Some(l), None)
            } else {
                (None, Some(l))
            };
            print(
                ex,
                command,
                &describe_result(d, f, g, Some(b)),
                "describe_cluster",
            )
        }
        "modify-cluster-attributes" => {
            let table = ex
                .catalog
                .command_in("emr", command.operation(), ex.cli.dialect)
                .and_then(|c| c.args().ok());
            let has = |n: &str| table.is_some_and(|t| t.get(n).is_some());
            let calls = match attribute_calls(&args, &has) {
                Ok(c) => c,
                Err(f) => return failed(f),
            };
            // Each call's response is printed as it comes (awscli's
            // call_and_display_response); a failed call ends the command.
            let mut all = Printed {
                code: 0,
                out: String::new(),
                out_total: 0,
                err: String::new(),
                err_total: 0,
            };
            for (name, params) in calls {
                let p = match call(ex, command, "emr", &op(name)?, &params, options).await? {
                    Ok(r) => print(ex, command, &r, name)?,
                    Err(p) => p,
                };
                all.code = p.code;
                all.out.push_str(&p.out);
                all.err.push_str(&p.err);
                all.out_total += p.out_total;
                all.err_total += p.err_total;
                if p.code != 0 {
                    break;
                }
            }
            Ok(all)
        }
        c => Err(NativeError::Unsupported(format!(
            "`emr {c}` is not run natively"
        ))),
    }
}

// ---------------------------------------------------------------------
// create-default-roles

const EMR_AUTOSCALING_ROLE_NAME: &str = "EMR_AutoScaling_DefaultRole";

/// The IAM commands `create-default-roles` calls.
const IAM_CALLS: &[&str] = &[
    "get-role",
    "create-role",
    "attach-role-policy",
    "get-policy",
    "get-policy-version",
    "get-instance-profile",
    "create-instance-profile",
    "add-role-to-instance-profile",
];

/// Whether `create-default-roles` runs here, or why not.
fn roles_support(catalog: &Catalog, command: &ValidatedCommand) -> Result<(), String> {
    if given(&Args::of(command), "iam-endpoint").is_some() {
        return Err(
            "--iam-endpoint sends the IAM calls to another endpoint, which the native executor does not do; left to the AWS CLI"
                .into(),
        );
    }
    let iam = catalog.service("iam");
    if let Some(c) = IAM_CALLS
        .iter()
        .find(|c| iam.and_then(|s| s.command(c)).is_none())
    {
        return Err(format!(
            "`emr create-default-roles` calls `iam {c}`, which the catalog lacks"
        ));
    }
    Ok(())
}

/// awscli's `assume_role_policy`, as `emrutils.dict_to_string` writes it
/// (`json.dumps(..., indent=2)`).
pub(crate) fn assume_role_policy(principals: &[String]) -> String {
    let service = match principals {
        [one] => Value::from(one.as_str()),
        many => json!(many),
    };
    let doc = json!({
        "Version": "2008-10-17",
        "Statement": [{
            "Sid": "",
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole"
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// `get_role_policy_arn`: the managed policy's ARN in `region`'s partition
/// (`get_policy_arn_suffix`).
pub(crate) fn role_policy_arn(region: &str, policy: &str) -> String {
    let r = region.to_lowercase();
    let partition = if r.starts_with("cn-") {
        "aws-cn"
    } else if r.starts_with("us-gov") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:iam::aws:policy/service-role/{policy}")
}

/// `_get_suffix_and_region_from_endpoint_host`: the DNS suffix and region
/// awscli reads from the EMR endpoint URL with its two regular expressions
/// (`{region}.elasticmapreduce.{suffix}`, then
/// `elasticmapreduce.{region}.{suffix}`, Python's `re.match` with greedy
/// groups), `None` when neither matches.
pub(crate) fn suffix_and_region(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let chars: Vec<char> = rest.chars().collect();
    let tail =
        |from: usize| -> String { chars[from..].iter().take_while(|c| **c != '/').collect() };
    let any = |c: char| c != '\n';
    let word: Vec<char> = "elasticmapreduce".chars().collect();
    let word_at = |i: usize| chars.len() >= i + word.len() && chars[i..i + word.len()] == word[..];
    // (https?://)([^.]+).elasticmapreduce.([^/]*): the longest region first.
    let run = chars
        .iter()
        .take_while(|c| **c != '.' && **c != '\n')
        .count();
    for i in (1..=run).rev() {
        let (dot1, after) = (i, i + 1 + word.len());
        if dot1 < chars.len()
            && any(chars[dot1])
            && word_at(i + 1)
            && after < chars.len()
            && any(chars[after])
        {
            return Some((tail(after + 1), chars[..i].iter().collect()));
        }
    }
    // (https?://elasticmapreduce).([^.]+).([^/]*)
    if !word_at(0) || chars.len() <= word.len() || !any(chars[word.len()]) {
        return None;
    }
    let start = word.len() + 1;
    let run = chars[start..]
        .iter()
        .take_while(|c| **c != '.' && **c != '\n')
        .count();
    for i in (1..=run).rev() {
        let dot = start + i;
        if dot < chars.len() && any(chars[dot]) {
            return Some((tail(dot + 1), chars[start..dot].iter().collect()));
        }
    }
    None
}

/// `get_service_principal` of `service` for the EMR endpoint `emr_url`
/// (`None`: awscli's `ResolveServicePrincipalError`). AWS CLI v1 answers
/// `ec2.amazonaws.com` for EC2 whatever the endpoint; v2 2.9 reads it
/// from the endpoint like the others.
pub(crate) fn service_principal(service: &str, emr_url: &str, v1: bool) -> Option<String> {
    if v1 && service == "ec2" {
        return Some("ec2.amazonaws.com".into());
    }
    let (suffix, region) = suffix_and_region(emr_url)?;
    // session.get_available_regions('emr', 'aws-cn'): the China regions.
    if service == "application-autoscaling" && !region.starts_with("cn-") {
        return Some("application-autoscaling.amazonaws.com".into());
    }
    Some(format!("{service}.{suffix}"))
}

/// The error code of a failed call's printed error (`An error occurred
/// (NoSuchEntity) when calling ...`).
fn error_code(p: &Printed) -> Option<&str> {
    let i = p.err.find("An error occurred (")? + "An error occurred (".len();
    let rest = &p.err[i..];
    rest.find(')').map(|j| &rest[..j])
}

/// The URL of the EMR client awscli creates for `region` (its
/// `meta.endpoint_url`): `--endpoint-url`, the configured endpoint
/// (`AWS_ENDPOINT_URL_EMR`, `AWS_ENDPOINT_URL`), else the rule set's.
async fn emr_endpoint(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    region: &str,
) -> Result<String, NativeError> {
    if let Some(u) = &command.globals().endpoint_url {
        return Ok(u.clone());
    }
    let ep = super::nested_endpoint(ex, "emr", "list-clusters", region).await?;
    Ok(ep.url)
}

/// The result of a step of a command: a value, or the printed failure
/// that ends the command.
type Step<T> = Result<Result<T, Printed>, NativeError>;

/// `create-default-roles`' IAM calls: awscli's client for IAM in the
/// command's region, without the command's `--endpoint-url`.
struct Iam<'a> {
    ex: &'a NativeExecutor,
    command: &'a ValidatedCommand,
    globals: aws_mcp_core::command::GlobalOptions,
    options: &'a ExecOptions,
}

impl Iam<'_> {
    async fn call(&self, op: &str, params: Value) -> Step<Value> {
        let params = params.as_object().cloned().unwrap_or_default();
        super::call_with_globals(
            self.ex,
            self.command,
            &self.globals,
            "iam",
            op,
            &params,
            self.options,
        )
        .await
    }

    /// Whether the `get` call finds the entity (`NoSuchEntity`: no).
    async fn exists(&self, op: &str, params: Value) -> Step<bool> {
        Ok(match self.call(op, params).await? {
            Ok(_) => Ok(true),
            Err(p) if error_code(&p) == Some("NoSuchEntity") => Ok(false),
            Err(p) => Err(p),
        })
    }

    /// `_create_role_if_not_exists`: the new role and its policy document,
    /// `None` when the role exists.
    async fn role(
        &self,
        name: &str,
        policy: &str,
        principals: Result<Vec<String>, Fail>,
        region: &str,
    ) -> Step<Result<Option<Value>, Fail>> {
        match self.exists("get-role", json!({"RoleName": name})).await? {
            Ok(true) => return Ok(Ok(Ok(None))),
            Ok(false) => {}
            Err(p) => return Ok(Err(p)),
        }
        let arn = role_policy_arn(region, policy);
        let principals = match principals {
            Ok(p) => p,
            Err(f) => return Ok(Ok(Err(f))),
        };
        let doc = assume_role_policy(&principals);
        let role = match self
            .call(
                "create-role",
                json!({"RoleName": name, "AssumeRolePolicyDocument": doc}),
            )
            .await?
        {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        let attach = json!({"PolicyArn": arn, "RoleName": name});
        if let Err(p) = self.call("attach-role-policy", attach).await? {
            return Ok(Err(p));
        }
        let got = match self.call("get-policy", json!({"PolicyArn": arn})).await? {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        let version = got
            .pointer("/Policy/DefaultVersionId")
            .cloned()
            .unwrap_or(Value::Null);
        let v = json!({"PolicyArn": arn, "VersionId": version});
        let doc = match self.call("get-policy-version", v).await? {
            Ok(r) => r
                .pointer("/PolicyVersion/Document")
                .cloned()
                .unwrap_or(Value::Null),
            Err(p) => return Ok(Err(p)),
        };
        Ok(Ok(Ok(Some(json!({
            "Role": role.get("Role").cloned().unwrap_or(Value::Null),
            "RolePolicy": doc
        })))))
    }
}

/// `emr create-default-roles`: `CreateDefaultRoles._run_main_command`.
async fn create_default_roles(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let region = region(ex, command).await.ok_or(NativeError::NoRegion)?;
    let emr_url = emr_endpoint(ex, command, &region).await?;
    let mut globals = command.globals().clone();
    globals.endpoint_url = None;
    globals.region = Some(region.clone());
    let iam = Iam {
        ex,
        command,
        globals,
        options,
    };
    let v1 = ex.cli.dialect == aws_mcp_core::Dialect::V1;
    let principals = |services: &[&str]| -> Result<Vec<String>, Fail> {
        services
            .iter()
            .map(|s| {
                service_principal(s, &emr_url, v1).ok_or_else(|| {
                    Fail::Cli(
                        "Could not resolve the service principal from the region or the endpoint."
                            .into(),
                    )
                })
            })
            .collect()
    };
    let mut result = Vec::new();
    macro_rules! role {
        ($name:expr, $policy:expr, $services:expr) => {
            match iam
                .role($name, $policy, principals($services), &region)
                .await?
            {
                Ok(Ok(r)) => result.extend(r),
                Ok(Err(f)) => return Ok(cli_error(ex, command, &fail_text(f)?)),
                Err(p) => return Ok(p),
            }
        };
    }
    role!(EC2_ROLE_NAME, "AmazonElasticMapReduceforEC2Role", &["ec2"]);
    let profile = json!({"InstanceProfileName": EC2_ROLE_NAME});
    match iam.exists("get-instance-profile", profile.clone()).await? {
        Ok(true) => {}
        Ok(false) => {
            if let Err(p) = iam.call("create-instance-profile", profile).await? {
                return Ok(p);
            }
            let add = json!({"InstanceProfileName": EC2_ROLE_NAME, "RoleName": EC2_ROLE_NAME});
            if let Err(p) = iam.call("add-role-to-instance-profile", add).await? {
                return Ok(p);
            }
        }
        Err(p) => return Ok(p),
    }
    role!(
        EMR_ROLE_NAME,
        "AmazonElasticMapReduceRole",
        &["elasticmapreduce"]
    );
    role!(
        EMR_AUTOSCALING_ROLE_NAME,
        "AmazonElasticMapReduceforAutoScalingRole",
        &["elasticmapreduce", "application-autoscaling"]
    );
    super::configure::update_emr_roles(
        ex,
        command,
        &[
            ("service_role", EMR_ROLE_NAME),
            ("instance_profile", EC2_ROLE_NAME),
        ],
    )?;
    print(ex, command, &Value::Array(result), "create_role")
}

/// The message of awscli's error, or the reason a use is left to the CLI.
fn fail_text(f: Fail) -> Result<String, NativeError> {
    match f {
        Fail::Cli(m) => Ok(m),
        Fail::Unsupported(why) => Err(NativeError::Unsupported(why)),
    }
}

/// An API call of a command: its operation and parameters.
pub(crate) type ApiCall = (&'static str, Map<String, Value>);

/// `modify-cluster-attributes`: the calls `ModifyClusterAttr` makes, in
/// order, as (operation, parameters), or awscli's error for its flags.
/// `has` says whether the AWS CLI in force has a flag (AWS CLI v2 2.9 has
/// only the first two attributes; its error lists those).
pub(crate) fn attribute_calls(c: &Args, has: &dyn Fn(&str) -> bool) -> Result<Vec<ApiCall>, Fail> {
    let attrs = [
        (
            "visible-to-all-users",
            "SetVisibleToAllUsers",
            "VisibleToAllUsers",
        ),
        (
            "termination-protected",
            "SetTerminationProtection",
            "TerminationProtected",
        ),
        (
            "auto-terminate",
            "SetKeepJobFlowAliveWhenNoSteps",
            "KeepJobFlowAliveWhenNoSteps",
        ),
        (
            "unhealthy-node-replacement",
            "SetUnhealthyNodeReplacement",
            "UnhealthyNodeReplacement",
        ),
    ];
    for (t, _, _) in attrs {
        if flag(c, t) && flag(c, &format!("no-{t}")) {
            return Err(mutual(&format!("--{t}"), &format!("--no-{t}"), ""));
        }
    }
    if !attrs
        .iter()
        .any(|(t, _, _)| flag(c, t) || flag(c, &format!("no-{t}")))
    {
        // The AWS CLI version's own list of the flags it has.
        let names: Vec<String> = attrs
            .iter()
            .filter(|(t, _, _)| has(t))
            .map(|(t, _, _)| format!("--{t}|--no-{t}"))
            .collect();
        return cli(format!(
            "aws: error: Must specify one of the following boolean options: {}.",
            names.join(", ")
        ));
    }
    let id = arg(c, "cluster-id").unwrap_or("");
    let mut calls = Vec::new();
    for (t, op, member) in attrs {
        let on = flag(c, t);
        if on || flag(c, &format!("no-{t}")) {
            let mut p = Map::new();
            p.insert("JobFlowIds".into(), json!([id]));
            // --auto-terminate keeps the cluster alive when it is off.
            let v = if t == "auto-terminate" { !on } else { on };
            p.insert(member.into(), v.into());
            calls.push((op, p));
        }
    }
    Ok(calls)
}

/// The region awscli's EMR commands build script links with: `--region`,
/// else the configured one (`None` when there is none: awscli then uses
/// `us-east-1`).
async fn region(ex: &NativeExecutor, command: &ValidatedCommand) -> Option<String> {
    let g = command.globals();
    if let Some(r) = command.region().or(g.region.as_deref()) {
        return Some(r.to_string());
    }
    if let Some(r) = &ex.default_region {
        return Some(r.clone());
    }
    let profile = g.profile.clone().or_else(|| ex.default_profile.clone());
    ex.identity.region(profile.as_deref()).await
}

/// awscli's error for a bad combination, as the CLI prints it.
fn cli_error(ex: &NativeExecutor, command: &ValidatedCommand, msg: &str) -> Printed {
    let style = ex
        .cli
        .error_style(command.globals().cli_error_format.as_deref());
    // awscli's EmrErrors (`aws: error: ...`) are parameter errors in AWS
    // CLI v2 (exit status 252); a Python error (a KeyError) is not.
    let kind = if msg.starts_with("aws: error:") {
        ErrorKind::ParamValidation
    } else {
        ErrorKind::General
    };
    let (code, err) = render_error(style, &CliError::other(kind, msg));
    Printed {
        code,
        out: String::new(),
        out_total: 0,
        err_total: err.len() as u64,
        err,
    }
}

/// `create-cluster`'s result: `RunJobFlow`'s job flow id and ARN, renamed
/// (`{}` without an id).
pub(crate) fn cluster_created(r: &Value) -> Value {
    match r.get("JobFlowId") {
        Some(id) if !id.is_null() => json!({
            "ClusterId": id,
            "ClusterArn": r.get("ClusterArn").cloned().unwrap_or(Value::Null),
        }),
        _ => json!({}),
    }
}

// ---------------------------------------------------------------------
// Arguments as awscli's parsed_args sees them.

/// A command's arguments as awscli's `parsed_args` sees them: each
/// argument's words as given, and the values the validator parsed from
/// shorthand or JSON with the customization's schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct Args {
    given: Vec<(String, Vec<String>)>,
    typed: Map<String, Value>,
}

impl Args {
    /// The arguments of `c`.
    pub(crate) fn of(c: &ValidatedCommand) -> Args {
        Args {
            given: c
                .args()
                .iter()
                .map(|a| (a.name.clone(), a.values.clone()))
                .collect(),
            typed: c.custom_values().clone(),
        }
    }

    /// Give `name` the value its `file://` file holds: a typed value (an
    /// argument with a schema), or the text in place of the words.
    fn set_file_value(&mut self, name: &str, value: Value) {
        match value {
            Value::String(text) => {
                if let Some(a) = self.given.iter_mut().rev().find(|a| a.0 == name) {
                    a.1 = vec![text];
                }
            }
            v => {
                self.typed.insert(name.to_string(), v);
            }
        }
    }
}

fn given<'a>(c: &'a Args, name: &str) -> Option<&'a Vec<String>> {
    c.given.iter().rev().find(|a| a.0 == name).map(|a| &a.1)
}

/// A `store_true` flag.
fn flag(c: &Args, name: &str) -> bool {
    given(c, name).is_some()
}

/// A string argument's value (the last given).
fn arg<'a>(c: &'a Args, name: &str) -> Option<&'a str> {
    given(c, name).and_then(|a| a.first().map(String::as_str))
}

/// A schema argument's value as awscli parses it (shorthand or JSON).
fn typed<'a>(c: &'a Args, name: &str) -> Result<Option<&'a Value>, Fail> {
    if given(c, name).is_none() {
        return Ok(None);
    }
    match c.typed.get(name) {
        Some(v) => Ok(Some(v)),
        None => unsupported(format!(
            "--{name}'s value was not parsed by the validator; left to the AWS CLI"
        )),
    }
}

/// `emrutils.apply_dict`: set `key` when `value` is truthy.
fn apply(m: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value.filter(truthy) {
        m.insert(key.to_string(), v);
    }
}

/// `emrutils.apply_params`: copy `src[src_key]` when present and truthy.
fn copy(src: &Map<String, Value>, src_key: &str, dest: &mut Map<String, Value>, dest_key: &str) {
    if let Some(v) = src.get(src_key).filter(|v| truthy(v)) {
        dest.insert(dest_key.to_string(), v.clone());
    }
}

/// `emrutils.apply_boolean_options`.
fn boolean(t: bool, t_name: &str, f: bool, f_name: &str) -> Result<bool, Fail> {
    if t && f {
        return cli(format!(
            "aws: error: cannot use both {t_name} and {f_name} options together."
        ));
    }
    Ok(t)
}

fn mutual(o1: &str, o2: &str, message: &str) -> Fail {
    Fail::Cli(format!(
        "aws: error: You cannot specify both {o1} and {o2} options together.{message}"
    ))
}

fn missing(object: &str, name: &str) -> Fail {
    Fail::Cli(format!(
        "aws: error: The following required parameters are missing for {object}: {name}."
    ))
}

/// Python's `int(text)` for a command-line value.
fn int(text: &str) -> Result<i64, Fail> {
    text.trim()
        .replace('_', "")
        .parse::<i64>()
        .or_else(|_| cli(format!("invalid literal for int() with base 10: '{text}'")))
}

/// Python's `d[key]` on a parsed structure (a `KeyError` prints the key).
fn key<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a Value, Fail> {
    m.get(k).ok_or_else(|| Fail::Cli(format!("'{k}'")))
}

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, Fail> {
    v.as_object()
        .ok_or_else(|| Fail::Unsupported(format!("{what} is not a structure; left to the AWS CLI")))
}

fn list<'a>(v: &'a Value, what: &str) -> Result<&'a [Value], Fail> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| Fail::Unsupported(format!("{what} is not a list; left to the AWS CLI")))
}

fn s3_link(relative: &str, region: Option<&str>) -> String {
    format!(
        "s3://{}.elasticmapreduce{relative}",
        region.unwrap_or("us-east-1")
    )
}

// ---------------------------------------------------------------------
// create-cluster

/// `RunJobFlow`'s parameters for `emr create-cluster`, as
/// `CreateCluster._run_main_command` builds them.
pub(crate) fn create_cluster(c: &Args) -> Result<Map<String, Value>, Fail> {
    let mut p = Map::new();
    p.insert(
        "Name".into(),
        arg(c, "name").unwrap_or("Development Cluster").into(),
    );
    let release = arg(c, "release-label");
    match (arg(c, "ami-version"), release) {
        (Some(_), Some(_)) => return Err(mutual("--ami-version", "--release-label", "")),
        (None, None) => {
            return cli("aws: error: Either --ami-version or --release-label is required.")
        }
        (Some(_), None) => {
            return unsupported(
                "--ami-version clusters (AMI 2.x/3.x, installed by region-specific scripts) are left to the AWS CLI",
            )
        }
        (None, Some(_)) => {}
    }
    let roles = " Either choose --use-default-roles or use both --service-role <roleName> and --ec2-attributes InstanceProfile=<profileName>.";
    let default_roles = flag(c, "use-default-roles");
    let mut service_role = arg(c, "service-role").map(str::to_string);
    if default_roles && service_role.is_some() {
        return Err(mutual("--use-default-roles", "--service-role", roles));
    }
    let mut ec2 = match typed(c, "ec2-attributes")? {
        Some(v) => Some(object(v, "--ec2-attributes")?.clone()),
        None => None,
    };
    if default_roles
        && ec2
            .as_ref()
            .is_some_and(|e| e.contains_key("InstanceProfile"))
    {
        return Err(mutual(
            "--use-default-roles",
            "--ec2-attributes InstanceProfile",
            roles,
        ));
    }
    let groups = typed(c, "instance-groups")?;
    let fleets = typed(c, "instance-fleets")?;
    if groups.is_some() && fleets.is_some() {
        return Err(mutual("--instance-groups", "--instance-fleets", ""));
    }
    let mut instances = Map::new();
    if let Some(f) = fleets {
        instances.insert("InstanceFleets".into(), Value::Array(instance_fleets(f)?));
    } else {
        instances.insert(
            "InstanceGroups".into(),
            Value::Array(instance_groups(
                groups,
                arg(c, "instance-type"),
                arg(c, "instance-count"),
            )?),
        );
    }
    if let Some(r) = release {
        p.insert("ReleaseLabel".into(), r.into());
        if let Some(text) = arg(c, "configurations") {
            match serde_json::from_str::<Value>(text) {
                Ok(v) => {
                    p.insert("Configurations".into(), v);
                }
                Err(_) => {
                    return cli("aws: error: invalid json argument for option --configurations")
                }
            }
        }
    }
    let text = |n: &str| arg(c, n).map(Value::from);
    apply(&mut p, "AdditionalInfo", text("additional-info"));
    apply(&mut p, "LogUri", text("log-uri"));
    apply(&mut p, "OSReleaseLabel", text("os-release-label"));
    apply(
        &mut p,
        "LogEncryptionKmsKeyId",
        text("log-encryption-kms-key-id"),
    );
    if default_roles {
        service_role = Some(EMR_ROLE_NAME.into());
        ec2.get_or_insert_with(Map::new)
            .insert("InstanceProfile".into(), EC2_ROLE_NAME.into());
    }
    apply(&mut p, "ServiceRole", service_role.map(Value::from));
    if groups.is_some() {
        let scaling = instances["InstanceGroups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g.get("AutoScalingPolicy").is_some()));
        if scaling && arg(c, "auto-scaling-role").is_none() {
            return cli("aws: error: Must specify --auto-scaling-role when configuring an AutoScaling policy for an instance group.");
        }
    }
    apply(&mut p, "AutoScalingRole", text("auto-scaling-role"));
    apply(&mut p, "ScaleDownBehavior", text("scale-down-behavior"));
    let (mut no_auto, auto) = (flag(c, "no-auto-terminate"), flag(c, "auto-terminate"));
    if !no_auto && !auto {
        no_auto = true;
    }
    instances.insert(
        "KeepJobFlowAliveWhenNoSteps".into(),
        boolean(no_auto, "--no-auto-terminate", auto, "--auto-terminate")?.into(),
    );
    instances.insert(
        "TerminationProtected".into(),
        boolean(
            flag(c, "termination-protected"),
            "--termination-protected",
            flag(c, "no-termination-protected"),
            "--no-termination-protected",
        )?
        .into(),
    );
    let (unr, no_unr) = (
        flag(c, "unhealthy-node-replacement"),
        flag(c, "no-unhealthy-node-replacement"),
    );
    if unr || no_unr {
        instances.insert(
            "UnhealthyNodeReplacement".into(),
            boolean(
                unr,
                "--unhealthy-node-replacement",
                no_unr,
                "--no-unhealthy-node-replacement",
            )?
            .into(),
        );
    }
    let (mut vis, no_vis) = (
        flag(c, "visible-to-all-users"),
        flag(c, "no-visible-to-all-users"),
    );
    if !vis && !no_vis {
        vis = true;
    }
    p.insert(
        "VisibleToAllUsers".into(),
        boolean(
            vis,
            "--visible-to-all-users",
            no_vis,
            "--no-visible-to-all-users",
        )?
        .into(),
    );
    p.insert("Tags".into(), Value::Array(tags(c)?));
    p.insert("Instances".into(), Value::Object(instances));
    if let Some(attrs) = &ec2 {
        ec2_attributes(&mut p, attrs)?;
    }
    let debugging = boolean(
        flag(c, "enable-debugging"),
        "--enable-debugging",
        flag(c, "no-enable-debugging"),
        "--no-enable-debugging",
    )?;
    if arg(c, "log-uri").is_none() && debugging {
        return cli("aws: error: LogUri not specified. You must specify a logUri if you enable debugging when creating a cluster.");
    }
    if debugging {
        let step = build_step(
            COMMAND_RUNNER,
            Some("Setup Hadoop Debugging"),
            Some("TERMINATE_CLUSTER"),
            vec!["state-pusher-script".into()],
            &Map::new(),
        );
        append(&mut p, "Steps", vec![step]);
    }
    let applications = typed(c, "applications")?;
    if let Some(apps) = applications {
        p.insert(
            "Applications".into(),
            Value::Array(list(apps, "--applications")?.to_vec()),
        );
    }
    if given(c, "restore-from-hbase-backup").is_some() {
        return unsupported("--restore-from-hbase-backup is left to the AWS CLI");
    }
    if let Some(bas) = typed(c, "bootstrap-actions")? {
        bootstrap_actions(&mut p, list(bas, "--bootstrap-actions")?)?;
    }
    if let Some(e) = typed(c, "emrfs")? {
        // `_handle_emrfs_parameters` for a release-label cluster.
        let e = object(e, "--emrfs")?;
        if let Some(configs) = p.get("Configurations") {
            let duplicate = list(configs, "--configurations")?
                .iter()
                .any(|x| x.get("Classification").and_then(Value::as_str) == Some(EMRFS_SITE));
            if duplicate {
                return cli("aws: error: EMRFS should be configured either using --configuration or --emrfs but not both");
            }
        }
        append(&mut p, "Configurations", vec![emrfs_configuration(e)?]);
    }
    let steps = match typed(c, "steps")? {
        Some(s) => list(s, "--steps")?,
        None => &[],
    };
    if given(c, "steps").is_some() {
        let built = build_steps(steps, None, release)?;
        append(&mut p, "Steps", built);
    }
    apply(
        &mut p,
        "SecurityConfiguration",
        text("security-configuration"),
    );
    apply(&mut p, "CustomAmiId", text("custom-ami-id"));
    for (a, k) in [
        ("ebs-root-volume-size", "EbsRootVolumeSize"),
        ("ebs-root-volume-iops", "EbsRootVolumeIops"),
        ("ebs-root-volume-throughput", "EbsRootVolumeThroughput"),
    ] {
        if let Some(v) = arg(c, a) {
            apply(&mut p, k, Some(int(v)?.into()));
        }
    }
    apply(&mut p, "RepoUpgradeOnBoot", text("repo-upgrade-on-boot"));
    apply(
        &mut p,
        "KerberosAttributes",
        typed(c, "kerberos-attributes")?.cloned(),
    );
    if let Some(v) = arg(c, "step-concurrency-level") {
        p.insert("StepConcurrencyLevel".into(), int(v)?.into());
    }
    apply(
        &mut p,
        "StepExecutionRoleArn",
        text("step-execution-role-arn"),
    );
    for (t, f, k) in [
        ("extended-support", "no-extended-support", "ExtendedSupport"),
        ("session-enabled", "no-session-enabled", "SessionEnabled"),
    ] {
        let (tv, fv) = (flag(c, t), flag(c, f));
        if tv || fv {
            p.insert(
                k.into(),
                boolean(tv, &format!("--{t}"), fv, &format!("--{f}"))?.into(),
            );
        }
    }
    for (a, k) in [
        ("managed-scaling-policy", "ManagedScalingPolicy"),
        ("placement-group-configs", "PlacementGroupConfigs"),
        ("auto-termination-policy", "AutoTerminationPolicy"),
        ("monitoring-configuration", "MonitoringConfiguration"),
    ] {
        apply(&mut p, k, typed(c, a)?.cloned());
    }
    if let Some(m) = typed(c, "monitoring-configuration")? {
        s3_logging(m, arg(c, "log-uri"))?;
    }
    required_applications(applications, steps)?;
    Ok(p)
}

/// `_update_cluster_dict`: extend `key`'s list, or set it when not empty.
fn append(p: &mut Map<String, Value>, key: &str, value: Vec<Value>) {
    match p.get_mut(key).and_then(Value::as_array_mut) {
        Some(a) => a.extend(value),
        None if !value.is_empty() => {
            p.insert(key.into(), Value::Array(value));
        }
        None => {}
    }
}

/// `emrutils.parse_tags`.
fn tags(c: &Args) -> Result<Vec<Value>, Fail> {
    let raw: Vec<String> = match typed(c, "tags") {
        Ok(Some(Value::Array(a))) => a
            .iter()
            .map(|t| match t {
                Value::String(s) => Ok(s.clone()),
                _ => unsupported("--tags values that are not strings are left to the AWS CLI"),
            })
            .collect::<Result<_, _>>()?,
        Ok(Some(_)) => return unsupported("--tags is not a list; left to the AWS CLI"),
        _ => given(c, "tags").cloned().unwrap_or_default(),
    };
    Ok(raw
        .iter()
        .map(|t| {
            let (k, v) = t.split_once('=').unwrap_or((t, ""));
            json!({"Key": k, "Value": v})
        })
        .collect())
}

/// `instancegroupsutils.validate_and_build_instance_groups`.
fn instance_groups(
    groups: Option<&Value>,
    instance_type: Option<&str>,
    instance_count: Option<&str>,
) -> Result<Vec<Value>, Fail> {
    let Some(groups) = groups else {
        let Some(t) = instance_type else {
            return cli("aws: error: Must specify either --instance-groups or --instance-type with --instance-count(optional) to configure instance groups.");
        };
        let group = |count: i64, role: &str| {
            json!({"InstanceType": t, "InstanceCount": count, "InstanceRole": role,
                   "Name": role, "Market": "ON_DEMAND"})
        };
        let mut out = vec![group(1, "MASTER")];
        if let Some(n) = instance_count {
            let n = int(n)?;
            if n > 1 {
                out.push(group(n - 1, "CORE"));
            }
        }
        return Ok(out);
    };
    if instance_type.is_some() || instance_count.is_some() {
        return cli("aws: error: You may not specify --instance-type or --instance-count with --instance-groups, because --instance-type and --instance-count are shortcut options for --instance-groups.");
    }
    let mut out = Vec::new();
    for g in list(groups, "--instance-groups")? {
        let g = object(g, "an instance group")?;
        let mut ig = Map::new();
        let name = match g.get("Name") {
            Some(n) => n.clone(),
            None => key(g, "InstanceGroupType")?.clone(),
        };
        ig.insert("Name".into(), name);
        ig.insert("InstanceType".into(), key(g, "InstanceType")?.clone());
        ig.insert("InstanceCount".into(), key(g, "InstanceCount")?.clone());
        let role = key(g, "InstanceGroupType")?.as_str().ok_or_else(|| {
            Fail::Unsupported("InstanceGroupType is not a string; left to the AWS CLI".into())
        })?;
        ig.insert("InstanceRole".into(), role.to_uppercase().into());
        match g.get("BidPrice") {
            Some(b) => {
                if b.as_str() != Some("OnDemandPrice") {
                    ig.insert("BidPrice".into(), b.clone());
                }
                ig.insert("Market".into(), "SPOT".into());
            }
            None => {
                ig.insert("Market".into(), "ON_DEMAND".into());
            }
        }
        for k in [
            "EbsConfiguration",
            "AutoScalingPolicy",
            "Configurations",
            "CustomAmiId",
        ] {
            if let Some(v) = g.get(k) {
                ig.insert(k.into(), v.clone());
            }
        }
        out.push(Value::Object(ig));
    }
    Ok(out)
}

/// `instancefleetsutils.validate_and_build_instance_fleets`.
fn instance_fleets(fleets: &Value) -> Result<Vec<Value>, Fail> {
    let mut out = Vec::new();
    for f in list(fleets, "--instance-fleets")? {
        let f = object(f, "an instance fleet")?;
        let mut c = Map::new();
        let name = match f.get("Name") {
            Some(n) => n.clone(),
            None => key(f, "InstanceFleetType")?.clone(),
        };
        c.insert("Name".into(), name);
        c.insert(
            "InstanceFleetType".into(),
            key(f, "InstanceFleetType")?.clone(),
        );
        for k in [
            "TargetOnDemandCapacity",
            "TargetSpotCapacity",
            "InstanceTypeConfigs",
        ] {
            if let Some(v) = f.get(k) {
                c.insert(k.into(), v.clone());
            }
        }
        for (k, subs) in [
            (
                "LaunchSpecifications",
                ["SpotSpecification", "OnDemandSpecification"],
            ),
            (
                "ResizeSpecifications",
                ["SpotResizeSpecification", "OnDemandResizeSpecification"],
            ),
        ] {
            if let Some(v) = f.get(k) {
                let v = object(v, k)?;
                let mut s = Map::new();
                for sub in subs {
                    if let Some(x) = v.get(sub) {
                        s.insert(sub.into(), x.clone());
                    }
                }
                c.insert(k.into(), Value::Object(s));
            }
        }
        if let Some(v) = f.get("Context") {
            c.insert("Context".into(), v.clone());
        }
        out.push(Value::Object(c));
    }
    Ok(out)
}

/// `CreateCluster._build_ec2_attributes`.
fn ec2_attributes(p: &mut Map<String, Value>, a: &Map<String, Value>) -> Result<(), Fail> {
    let has = |k: &str| a.contains_key(k);
    if has("SubnetId") && has("SubnetIds") {
        return Err(mutual("SubnetId", "SubnetIds", ""));
    }
    if has("AvailabilityZone") && has("AvailabilityZones") {
        return Err(mutual("AvailabilityZone", "AvailabilityZones", ""));
    }
    if (has("SubnetId") || has("SubnetIds"))
        && (has("AvailabilityZone") || has("AvailabilityZones"))
    {
        return cli("aws: error: You may not specify both a SubnetId and an AvailabilityZone (placement) because ec2SubnetId implies a placement.");
    }
    let mut instances = match p.get("Instances") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    copy(a, "KeyName", &mut instances, "Ec2KeyName");
    copy(a, "SubnetId", &mut instances, "Ec2SubnetId");
    copy(a, "SubnetIds", &mut instances, "Ec2SubnetIds");
    for k in ["AvailabilityZone", "AvailabilityZones"] {
        if has(k) {
            let mut placement = Map::new();
            copy(a, k, &mut placement, k);
            instances.insert("Placement".into(), Value::Object(placement));
        }
    }
    copy(a, "InstanceProfile", p, "JobFlowRole");
    for k in [
        "EmrManagedMasterSecurityGroup",
        "EmrManagedSlaveSecurityGroup",
        "ServiceAccessSecurityGroup",
        "AdditionalMasterSecurityGroups",
        "AdditionalSlaveSecurityGroups",
    ] {
        copy(a, k, &mut instances, k);
    }
    // Same key: `Instances` keeps its place, as in Python's dict.
    p.insert("Instances".into(), Value::Object(instances));
    Ok(())
}

/// `CreateCluster._build_bootstrap_actions`.
fn bootstrap_actions(p: &mut Map<String, Value>, bas: &[Value]) -> Result<(), Fail> {
    let existing = p
        .get("BootstrapActions")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if existing + bas.len() > MAX_BOOTSTRAP_ACTIONS {
        return cli("aws: error: maximum number of bootstrap actions for a cluster exceeded.");
    }
    let mut built = Vec::new();
    for ba in bas {
        let ba = object(ba, "a bootstrap action")?;
        if !ba.get("Path").is_some_and(truthy) {
            return unsupported(
                "a bootstrap action without a Path fails botocore's parameter validation; left to the AWS CLI",
            );
        }
        let mut c = Map::new();
        let name = match ba.get("Name") {
            Some(n) if !n.is_null() => n.clone(),
            _ => "Bootstrap action".into(),
        };
        c.insert("Name".into(), name);
        let mut script = Map::new();
        copy(ba, "Path", &mut script, "Path");
        copy(ba, "Args", &mut script, "Args");
        apply(&mut c, "ScriptBootstrapAction", Some(Value::Object(script)));
        built.push(Value::Object(c));
    }
    let mut all = p
        .get("BootstrapActions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    all.extend(built);
    if !all.is_empty() {
        p.insert("BootstrapActions".into(), Value::Array(all));
    }
    Ok(())
}

/// `emrutils.validate_s3_logging_configuration`.
fn s3_logging(m: &Value, log_uri: Option<&str>) -> Result<(), Fail> {
    let Some(policy) = m
        .get("S3LoggingConfiguration")
        .filter(|v| truthy(v))
        .and_then(|s| s.get("LogTypeUploadPolicy"))
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty())
    else {
        return Ok(());
    };
    let cfg = "S3LoggingConfiguration";
    for (t, v) in policy {
        if !matches!(
            t.as_str(),
            "system-logs" | "application-logs" | "persistent-ui-logs"
        ) {
            return unsupported(format!(
                "an invalid log type in {cfg} is left to the AWS CLI"
            ));
        }
        let v = v.as_str().unwrap_or("");
        if !matches!(v, "emr-managed" | "on-customer-s3only" | "disabled")
            || (t == "persistent-ui-logs" && v == "on-customer-s3only")
        {
            return unsupported(format!("an invalid policy in {cfg} is left to the AWS CLI"));
        }
    }
    let needs = |k: &str| policy.get(k).and_then(Value::as_str) != Some("disabled");
    let required = needs("system-logs") || needs("application-logs");
    let given = log_uri.is_some_and(|u| !u.trim().is_empty());
    if required != given {
        return unsupported(format!(
            "a LogUri {} with this {cfg} is left to the AWS CLI",
            if given { "given" } else { "missing" }
        ));
    }
    Ok(())
}

/// `emrfsutils.build_emrfs_confiuration`: the `emrfs-site` configuration
/// of `--emrfs`.
pub(crate) fn emrfs_configuration(e: &Map<String, Value>) -> Result<Value, Fail> {
    verify_emrfs(e)?;
    let mut props = Map::new();
    if e.contains_key("Consistent") {
        props.insert(
            "fs.s3.consistent".into(),
            py_lower(key(e, "Consistent")?).into(),
        );
        for (k, prop) in [
            ("RetryCount", "fs.s3.consistent.retryCount"),
            ("RetryPeriod", "fs.s3.consistent.retryPeriodSeconds"),
        ] {
            if let Some(v) = e.get(k) {
                props.insert(prop.into(), py_str(v).into());
            }
        }
    }
    let encryption = upper(e, "Encryption")?;
    if e.contains_key("SSE") || encryption.as_deref() == Some("SERVERSIDE") {
        let sse = e.get("SSE").cloned().unwrap_or(Value::Bool(true));
        props.insert(
            "fs.s3.enableServerSideEncryption".into(),
            py_lower(&sse).into(),
        );
    }
    let provider = upper(e, "ProviderType")?;
    let cse =
        |t: &str| encryption.as_deref() == Some("CLIENTSIDE") && provider.as_deref() == Some(t);
    if cse("KMS") {
        props.insert("fs.s3.cse.enabled".into(), "true".into());
        props.insert(
            "fs.s3.cse.encryptionMaterialsProvider".into(),
            "com.amazon.ws.emr.hadoop.fs.cse.KMSEncryptionMaterialsProvider".into(),
        );
        props.insert("fs.s3.cse.kms.keyId".into(), key(e, "KMSKeyId")?.clone());
    }
    if cse("CUSTOM") {
        props.insert("fs.s3.cse.enabled".into(), "true".into());
        props.insert(
            "fs.s3.cse.encryptionMaterialsProvider".into(),
            key(e, "CustomProviderClass")?.clone(),
        );
    }
    if let Some(a) = e.get("Args") {
        for x in list(a, "--emrfs Args")? {
            let x = x.as_str().ok_or_else(|| {
                Fail::Unsupported(
                    "--emrfs Args that are not strings are left to the AWS CLI".into(),
                )
            })?;
            let (k, v) = x.split_once('=').unwrap_or((x, ""));
            props.insert(k.into(), v.into());
        }
    }
    if cse("CUSTOM") {
        props.insert(
            "fs.s3.cse.encryptionMaterialsProvider.uri".into(),
            e.get("CustomProviderLocation")
                .cloned()
                .unwrap_or(Value::Null),
        );
    }
    Ok(json!({"Classification": EMRFS_SITE, "Properties": props}))
}

/// `emrfsutils._verify_emrfs_args`.
fn verify_emrfs(e: &Map<String, Value>) -> Result<(), Fail> {
    let encryption = upper(e, "Encryption")?;
    if let Some(enc) = &encryption {
        if enc != "SERVERSIDE" && enc != "CLIENTSIDE" {
            return cli(format!(
                "aws: error: The encryption type \"{}\" is invalid. You must specify either ServerSide or ClientSide",
                py_str(key(e, "Encryption")?)
            ));
        }
    }
    if e.contains_key("SSE") && encryption.is_some() {
        return cli(format!(
            "aws: error: Both SSE={} and Encryption={} are configured for --emrfs. You must specify only one of the two.",
            py_str(key(e, "SSE")?),
            py_str(key(e, "Encryption")?)
        ));
    }
    let provider = upper(e, "ProviderType")?;
    let has = |k: &str| e.contains_key(k);
    let required = |keys: &[&str], object: &str| -> Result<(), Fail> {
        let mut absent: Vec<&str> = keys.iter().copied().filter(|k| !has(k)).collect();
        absent.sort_unstable();
        if absent.is_empty() {
            return Ok(());
        }
        Err(missing(object, &py_join(&absent)))
    };
    if encryption.as_deref() == Some("CLIENTSIDE") {
        match provider.as_deref() {
            None => return Err(missing("--emrfs Encryption=ClientSide", "ProviderType")),
            Some("KMS") => required(&["KMSKeyId"], "--emrfs Encryption=ClientSide,ProviderType=KMS")?,
            Some("CUSTOM") => required(
                &["CustomProviderLocation", "CustomProviderClass"],
                "--emrfs Encryption=ClientSide,ProviderType=Custom",
            )?,
            Some(_) => {
                return cli(format!(
                    "aws: error: The client side encryption type \"{}\" is not supported. You must specify either KMS or Custom",
                    py_str(key(e, "ProviderType")?)
                ))
            }
        }
    }
    let cse =
        |t: &str| encryption.as_deref() == Some("CLIENTSIDE") && provider.as_deref() == Some(t);
    let children = |keys: &[&str], parent: &str| -> Result<(), Fail> {
        let mut invalid: Vec<&str> = keys.iter().copied().filter(|k| has(k)).collect();
        invalid.sort_unstable();
        if invalid.is_empty() {
            return Ok(());
        }
        cli(format!(
            "aws: error: {parent} is not specified. Thus,  following parameters are invalid: {}",
            py_join(&invalid)
        ))
    };
    if !has("Consistent") {
        children(
            &["RetryCount", "RetryPeriod"],
            "--emrfs Consistent=true/false",
        )?;
    }
    if !cse("KMS") {
        children(
            &["KMSKeyId"],
            "--emrfs Encryption=ClientSide,ProviderType=KMS",
        )?;
    }
    if !cse("CUSTOM") {
        children(
            &["CustomProviderLocation", "CustomProviderClass"],
            "--emrfs Encryption=ClientSide,ProviderType=Custom",
        )?;
    }
    Ok(())
}

/// `emr[key].upper()` of a string member (`None` when absent).
fn upper(e: &Map<String, Value>, k: &str) -> Result<Option<String>, Fail> {
    match e.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.to_uppercase())),
        Some(_) => unsupported(format!(
            "--emrfs {k} that is not a string is left to the AWS CLI"
        )),
    }
}

/// Python's `str(v)` of a parsed value.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// Python's `str(v).lower()`.
fn py_lower(v: &Value) -> String {
    py_str(v).to_lowercase()
}

/// `emrutils.join`: `a`, `a and b`, `a, b and c`.
fn py_join(values: &[&str]) -> String {
    match values {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `_validate_required_applications`: Hive, Pig and Impala steps need
/// their application.
fn required_applications(apps: Option<&Value>, steps: &[Value]) -> Result<(), Fail> {
    let names: Vec<String> = apps
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("Name").and_then(Value::as_str))
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let mut missing: Vec<String> = Vec::new();
    for s in steps {
        let Some(t) = s.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let lower = t.to_lowercase();
        if matches!(lower.as_str(), "hive" | "pig" | "impala") && !names.contains(&lower) {
            let title = title(t);
            if !missing.contains(&title) {
                missing.push(title);
            }
        }
    }
    if missing.len() > 1 {
        // awscli lists them in the order of a Python set (random per run).
        return unsupported("steps missing several applications are left to the AWS CLI");
    }
    if let Some(m) = missing.first() {
        return cli(format!("aws: error: Some of the steps require the following applications to be installed: {m}. Please install the applications using --applications."));
    }
    Ok(())
}

/// Python's `str.title()` for a step type.
fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for ch in s.chars() {
        if ch.is_alphabetic() {
            if start {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
            start = false;
        } else {
            out.push(ch);
            start = true;
        }
    }
    out
}

// ---------------------------------------------------------------------
// Steps

/// `emrutils.build_step`. `extra` holds the step's `MainClass`,
/// `Properties`, `LogUri` and `EncryptionKeyArn` as given.
fn build_step(
    jar: &str,
    name: Option<&str>,
    action: Option<&str>,
    args: Vec<Value>,
    extra: &Map<String, Value>,
) -> Value {
    let mut step = Map::new();
    apply(&mut step, "Name", name.map(Value::from));
    apply(&mut step, "ActionOnFailure", action.map(Value::from));
    let mut j = Map::new();
    j.insert("Jar".into(), jar.into());
    apply(&mut j, "Args", Some(Value::Array(args)));
    apply(&mut j, "MainClass", extra.get("MainClass").cloned());
    apply(
        &mut j,
        "Properties",
        extra
            .get("Properties")
            .and_then(Value::as_str)
            .map(properties),
    );
    step.insert("HadoopJarStep".into(), Value::Object(j));
    let mut s3 = Map::new();
    apply(&mut s3, "LogUri", extra.get("LogUri").cloned());
    apply(
        &mut s3,
        "EncryptionKeyArn",
        extra.get("EncryptionKeyArn").cloned(),
    );
    if !s3.is_empty() {
        step.insert(
            "StepMonitoringConfiguration".into(),
            json!({"S3MonitoringConfiguration": s3}),
        );
    }
    Value::Object(step)
}

/// `emrutils.parse_key_value_string`.
fn properties(s: &str) -> Value {
    Value::Array(
        s.split(',')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                json!({"Key": k, "Value": v})
            })
            .collect(),
    )
}

/// `steputils.build_step_config_list`: the steps of `--steps` for a
/// cluster of `release` (a release label) or, without one, an AMI cluster
/// in `region`.
pub(crate) fn build_steps(
    steps: &[Value],
    region: Option<&str>,
    release: Option<&str>,
) -> Result<Vec<Value>, Fail> {
    let release = release.filter(|r| !r.is_empty());
    let mut out = Vec::new();
    for s in steps {
        let s = object(s, "a step")?;
        let kind = match s.get("Type") {
            None | Some(Value::Null) => "custom_jar".to_string(),
            Some(Value::String(t)) => t.to_lowercase(),
            Some(_) => {
                return unsupported("a step Type that is not a string is left to the AWS CLI")
            }
        };
        let text = |k: &str| s.get(k).and_then(Value::as_str);
        let name = |default: &'static str| match s.get("Name") {
            Some(Value::Null) | None => Some(default.to_string()),
            Some(Value::String(n)) => Some(n.clone()),
            Some(_) => None,
        };
        let action = match s.get("ActionOnFailure") {
            Some(Value::Null) | None => "CONTINUE".to_string(),
            Some(v) => v.as_str().unwrap_or("").to_string(),
        };
        let args = |structure: &str, empty_check: bool| -> Result<Vec<Value>, Fail> {
            let a = match s.get("Args") {
                Some(v) if truthy(v) => list(v, "a step's Args")?.to_vec(),
                _ => return Err(missing(structure, "Args")),
            };
            if empty_check && a.len() == 1 && a[0].as_str().is_some_and(|x| x.trim().is_empty()) {
                return cli("aws: error: The parameter Args cannot be an empty list.");
            }
            Ok(a)
        };
        let runner = match release {
            Some(_) => COMMAND_RUNNER.to_string(),
            None => s3_link(SCRIPT_RUNNER_PATH, region),
        };
        let strs = |v: &[&str]| v.iter().map(|x| Value::from(*x)).collect::<Vec<_>>();
        let mut monitoring = Map::new();
        for k in ["LogUri", "EncryptionKeyArn"] {
            if let Some(v) = s.get(k) {
                monitoring.insert(k.into(), v.clone());
            }
        }
        let step = match kind.as_str() {
            "custom_jar" => {
                let n = name("Custom JAR");
                let jar = match text("Jar") {
                    Some(j) if !j.is_empty() => j,
                    _ => return Err(missing("CustomJARStepConfig", "Jar")),
                };
                let a = s
                    .get("Args")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                build_step(jar, n.as_deref(), Some(&action), a, s)
            }
            "streaming" => {
                let n = name("Streaming program");
                let a = args("StreamingStepConfig", true)?;
                let (jar, mut all) = match release {
                    Some(_) => (COMMAND_RUNNER.to_string(), strs(&["hadoop-streaming"])),
                    None => (HADOOP_STREAMING_PATH.to_string(), Vec::new()),
                };
                all.extend(a);
                build_step(&jar, n.as_deref(), Some(&action), all, &monitoring)
            }
            "hive" | "pig" => {
                let (cfg, default, script, run, versions) = if kind == "hive" {
                    (
                        "HiveStepConfig",
                        "Hive program",
                        "hive-script",
                        "--run-hive-script",
                        "--hive-versions",
                    )
                } else {
                    (
                        "PigStepConfig",
                        "Pig program",
                        "pig-script",
                        "--run-pig-script",
                        "--pig-versions",
                    )
                };
                let a = args(cfg, true)?;
                let n = name(default);
                let mut all = match release {
                    Some(_) => strs(&[script]),
                    None => vec![s3_link(&format!("/libs/{kind}/{script}"), region).into()],
                };
                all.push(run.into());
                if release.is_none() {
                    all.extend(strs(&[versions, "latest"]));
                }
                all.push("--args".into());
                all.extend(a);
                build_step(&runner, n.as_deref(), Some(&action), all, &monitoring)
            }
            "impala" => {
                if release.is_some() {
                    return cli("aws: error: The step type impala is not supported.");
                }
                let n = name("Impala program");
                let mut all = vec![
                    Value::from(s3_link("/libs/impala/setup-impala", region)),
                    "--run-impala-script".into(),
                ];
                all.extend(args("ImpalaStepConfig", false)?);
                build_step(&runner, n.as_deref(), Some(&action), all, &monitoring)
            }
            "spark" => {
                let n = name("Spark application");
                let a = args("SparkStepConfig", false)?;
                let mut all = strs(&[if release.is_some() {
                    "spark-submit"
                } else {
                    SPARK_SUBMIT_PATH
                }]);
                all.extend(a);
                build_step(&runner, n.as_deref(), Some(&action), all, &monitoring)
            }
            other => {
                return cli(format!(
                    "aws: error: The step type {other} is not supported."
                ))
            }
        };
        out.push(step);
    }
    Ok(out)
}

/// `AddJobFlowSteps`'s parameters for `emr add-steps` on a cluster of
/// `release` (its release label; `None` for an AMI cluster in `region`).
pub(crate) fn add_steps(
    c: &Args,
    release: Option<&str>,
    region: Option<&str>,
) -> Result<Map<String, Value>, Fail> {
    let steps = match typed(c, "steps")? {
        Some(s) => list(s, "--steps")?,
        None => &[],
    };
    let mut p = Map::new();
    p.insert(
        "JobFlowId".into(),
        arg(c, "cluster-id").unwrap_or("").into(),
    );
    p.insert(
        "Steps".into(),
        Value::Array(build_steps(steps, region, release)?),
    );
    if let Some(r) = arg(c, "execution-role-arn") {
        p.insert("ExecutionRoleArn".into(), r.into());
    }
    Ok(p)
}

/// `describe-cluster`'s result: `DescribeCluster`'s, with the cluster's
/// instance fleets or groups and bootstrap actions merged in as
/// `DescribeCluster._construct_result` does.
pub(crate) fn describe_result(
    mut describe: Value,
    fleets: Option<Value>,
    groups: Option<Value>,
    bootstrap: Option<Value>,
) -> Value {
    let Some(cluster) = describe.get_mut("Cluster").and_then(Value::as_object_mut) else {
        return describe;
    };
    cluster.insert("BootstrapActions".into(), json!([]));
    if let Some(f) = fleets.and_then(|f| f.get("InstanceFleets").cloned()) {
        if !f.is_null() {
            cluster.insert("InstanceFleets".into(), f);
        }
    }
    if let Some(g) = groups.and_then(|g| g.get("InstanceGroups").cloned()) {
        if !g.is_null() {
            cluster.insert("InstanceGroups".into(), g);
        }
    }
    if let Some(b) = bootstrap.and_then(|b| b.get("BootstrapActions").cloned()) {
        if !b.is_null() {
            cluster.insert("BootstrapActions".into(), b);
        }
    }
    describe
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::custom::validated as cmd;

    /// The arguments of `line`, with `typed` (the values awscli parses from
    /// its schema arguments' shorthand) in place of the validator's, so
    /// that each case states the input the translation starts from.
    fn args(line: &str, typed: Value) -> Args {
        let mut a = Args::of(&cmd(line));
        if let Value::Object(m) = typed {
            a.typed.extend(m);
        }
        a
    }

    fn params(line: &str, typed: Value) -> Result<Value, Fail> {
        create_cluster(&args(line, typed)).map(Value::Object)
    }

    fn cli_err(line: &str, typed: Value) -> String {
        match params(line, typed) {
            Err(Fail::Cli(m)) => m,
            other => panic!("{line}: {other:?}"),
        }
    }

    const GROUPS: &str = "--instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m4.large InstanceGroupType=CORE,InstanceCount=2,InstanceType=m4.large,BidPrice=0.1";

    fn groups() -> Value {
        json!([
            {"InstanceGroupType": "MASTER", "InstanceCount": 1, "InstanceType": "m4.large"},
            {"InstanceGroupType": "CORE", "InstanceCount": 2, "InstanceType": "m4.large", "BidPrice": "0.1"}
        ])
    }

    // The expected parameters are what awscli v1 passes to run_job_flow
    // for the same command (emrutils.call patched to print them).
    #[test]
    fn create_cluster_builds_run_job_flow_as_awscli() {
        let got = params(
            &format!("aws emr create-cluster --release-label emr-5.9.0 --use-default-roles --applications Name=Hadoop Name=Hive {GROUPS} --steps Type=CUSTOM_JAR,Name=x,Jar=s3://b/j.jar,Args=[a,b] Type=Hive,Args=[-f,s3://x] Type=Spark,Args=[--deploy-mode,cluster] --tags k=v k2 --auto-terminate --bootstrap-actions Path=s3://b/ba.sh,Args=[x] Path=s3://b/b2 --enable-debugging --log-uri s3://l/ --ebs-root-volume-size 20 --ec2-attributes KeyName=k,SubnetId=s-1 --step-concurrency-level 3"),
            json!({
                "instance-groups": groups(),
                "applications": [{"Name": "Hadoop"}, {"Name": "Hive"}],
                "steps": [{"Type": "CUSTOM_JAR", "Name": "x", "Jar": "s3://b/j.jar", "Args": ["a", "b"]},
                          {"Type": "Hive", "Args": ["-f", "s3://x"]},
                          {"Type": "Spark", "Args": ["--deploy-mode", "cluster"]}],
                "tags": ["k=v", "k2"],
                "bootstrap-actions": [{"Path": "s3://b/ba.sh", "Args": ["x"]}, {"Path": "s3://b/b2"}],
                "ec2-attributes": {"KeyName": "k", "SubnetId": "s-1"}
            }),
        )
        .unwrap();
        let want = r#"{"Name":"Development Cluster","ReleaseLabel":"emr-5.9.0","LogUri":"s3://l/","ServiceRole":"EMR_DefaultRole","VisibleToAllUsers":true,"Tags":[{"Key":"k","Value":"v"},{"Key":"k2","Value":""}],"Instances":{"InstanceGroups":[{"Name":"MASTER","InstanceType":"m4.large","InstanceCount":1,"InstanceRole":"MASTER","Market":"ON_DEMAND"},{"Name":"CORE","InstanceType":"m4.large","InstanceCount":2,"InstanceRole":"CORE","BidPrice":"0.1","Market":"SPOT"}],"KeepJobFlowAliveWhenNoSteps":false,"TerminationProtected":false,"Ec2KeyName":"k","Ec2SubnetId":"s-1"},"JobFlowRole":"EMR_EC2_DefaultRole","Steps":[{"Name":"Setup Hadoop Debugging","ActionOnFailure":"TERMINATE_CLUSTER","HadoopJarStep":{"Jar":"command-runner.jar","Args":["state-pusher-script"]}},{"Name":"x","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"s3://b/j.jar","Args":["a","b"]}},{"Name":"Hive program","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["hive-script","--run-hive-script","--args","-f","s3://x"]}},{"Name":"Spark application","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["spark-submit","--deploy-mode","cluster"]}}],"Applications":[{"Name":"Hadoop"},{"Name":"Hive"}],"BootstrapActions":[{"Name":"Bootstrap action","ScriptBootstrapAction":{"Path":"s3://b/ba.sh","Args":["x"]}},{"Name":"Bootstrap action","ScriptBootstrapAction":{"Path":"s3://b/b2"}}],"EbsRootVolumeSize":20,"StepConcurrencyLevel":3}"#;
        assert_eq!(serde_json::to_string(&got).unwrap(), want);
    }

    #[test]
    fn instance_type_and_count_make_master_and_core() {
        let got = params(
            "aws emr create-cluster --release-label emr-6.1.0 --instance-type m5.xlarge --instance-count 3 --service-role r --ec2-attributes InstanceProfile=p --no-visible-to-all-users --termination-protected",
            json!({"ec2-attributes": {"InstanceProfile": "p"}}),
        )
        .unwrap();
        let want = r#"{"Name":"Development Cluster","ReleaseLabel":"emr-6.1.0","ServiceRole":"r","VisibleToAllUsers":false,"Tags":[],"Instances":{"InstanceGroups":[{"InstanceType":"m5.xlarge","InstanceCount":1,"InstanceRole":"MASTER","Name":"MASTER","Market":"ON_DEMAND"},{"InstanceType":"m5.xlarge","InstanceCount":2,"InstanceRole":"CORE","Name":"CORE","Market":"ON_DEMAND"}],"KeepJobFlowAliveWhenNoSteps":true,"TerminationProtected":true},"JobFlowRole":"p"}"#;
        assert_eq!(serde_json::to_string(&got).unwrap(), want);
    }

    #[test]
    fn bad_combinations_are_the_clis_errors() {
        let base = "aws emr create-cluster --release-label emr-5.0.0";
        let none = || json!({});
        assert_eq!(
            cli_err(&format!("{base} --instance-type m4.large {GROUPS}"), json!({"instance-groups": groups()})),
            "aws: error: You may not specify --instance-type or --instance-count with --instance-groups, because --instance-type and --instance-count are shortcut options for --instance-groups."
        );
        assert!(cli_err(base, none()).contains("Must specify either --instance-groups"));
        assert_eq!(
            cli_err("aws emr create-cluster --instance-type m4.large", none()),
            "aws: error: Either --ami-version or --release-label is required."
        );
        assert_eq!(
            cli_err(&format!("{base} --instance-type m --use-default-roles --service-role r"), none()),
            "aws: error: You cannot specify both --use-default-roles and --service-role options together. Either choose --use-default-roles or use both --service-role <roleName> and --ec2-attributes InstanceProfile=<profileName>."
        );
        assert_eq!(
            cli_err(&format!("{base} --instance-type m --auto-terminate --no-auto-terminate"), none()),
            "aws: error: cannot use both --no-auto-terminate and --auto-terminate options together."
        );
        assert!(cli_err(
            &format!("{base} --instance-type m --enable-debugging"),
            none()
        )
        .starts_with("aws: error: LogUri not specified."));
        assert_eq!(
            cli_err(&format!("{base} --instance-type m --steps Type=PIG,Args=[a]"), json!({"steps": [{"Type": "PIG", "Args": ["a"]}]})),
            "aws: error: Some of the steps require the following applications to be installed: Pig. Please install the applications using --applications."
        );
        assert_eq!(
            cli_err(&format!("{base} --instance-type m --steps Type=STREAMING"), json!({"steps": [{"Type": "STREAMING"}]})),
            "aws: error: The following required parameters are missing for StreamingStepConfig: Args."
        );
        assert_eq!(
            cli_err(
                &format!("{base} --instance-type m --configurations notjson"),
                none()
            ),
            "aws: error: invalid json argument for option --configurations"
        );
        assert_eq!(
            cli_err(
                &format!("{base} --instance-type m --ec2-attributes SubnetId=s,AvailabilityZone=a"),
                json!({"ec2-attributes": {"SubnetId": "s", "AvailabilityZone": "a"}})
            ),
            "aws: error: You may not specify both a SubnetId and an AvailabilityZone (placement) because ec2SubnetId implies a placement."
        );
    }

    #[test]
    fn steps_of_each_type() {
        let steps = json!([
            {"Type": "STREAMING", "Name": "s", "ActionOnFailure": "CONTINUE", "Args": ["-files", "a"]},
            {"Type": "PIG", "Args": ["-f", "p"], "LogUri": "s3://l"},
            {"Jar": "j.jar", "MainClass": "M", "Properties": "a=1,b", "Args": ["x"]}
        ]);
        let got = build_steps(steps.as_array().unwrap(), None, Some("emr-6.0.0")).unwrap();
        assert_eq!(
            Value::Array(got),
            json!([
                {"Name": "s", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["hadoop-streaming", "-files", "a"]}},
                {"Name": "Pig program", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["pig-script", "--run-pig-script", "--args", "-f", "p"]},
                 "StepMonitoringConfiguration": {"S3MonitoringConfiguration": {"LogUri": "s3://l"}}},
                {"Name": "Custom JAR", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "j.jar", "Args": ["x"], "MainClass": "M",
                 "Properties": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]}}
            ])
        );
        // An AMI cluster runs Hive through its region's script runner.
        let hive = json!([{"Type": "hive", "Args": ["-f", "q"]}]);
        let got = build_steps(hive.as_array().unwrap(), Some("eu-west-1"), None).unwrap();
        assert_eq!(
            got[0]["HadoopJarStep"],
            json!({"Jar": "s3://eu-west-1.elasticmapreduce/libs/script-runner/script-runner.jar",
                   "Args": ["s3://eu-west-1.elasticmapreduce/libs/hive/hive-script", "--run-hive-script",
                            "--hive-versions", "latest", "--args", "-f", "q"]})
        );
        let impala = json!([{"Type": "IMPALA", "Args": ["a"]}]);
        assert_eq!(
            build_steps(impala.as_array().unwrap(), None, Some("emr-5.0.0")),
            Err(Fail::Cli(
                "aws: error: The step type impala is not supported.".into()
            ))
        );
    }

    #[test]
    fn add_steps_parameters() {
        let c = args(
            "aws emr add-steps --cluster-id j-1 --steps Type=CUSTOM_JAR,Name=CustomJAR,ActionOnFailure=CONTINUE,Jar=s3://b/t.jar,Args=arg1,arg2,arg3 --execution-role-arn arn:r",
            json!({"steps": [{"Type": "CUSTOM_JAR", "Name": "CustomJAR", "ActionOnFailure": "CONTINUE", "Jar": "s3://b/t.jar", "Args": ["arg1", "arg2", "arg3"]}]}),
        );
        let got = add_steps(&c, Some("emr-6.0.0"), None).unwrap();
        assert_eq!(
            Value::Object(got),
            json!({"JobFlowId": "j-1", "Steps": [{"Name": "CustomJAR", "ActionOnFailure": "CONTINUE",
                   "HadoopJarStep": {"Jar": "s3://b/t.jar", "Args": ["arg1", "arg2", "arg3"]}}],
                   "ExecutionRoleArn": "arn:r"})
        );
    }

    #[test]
    fn describe_merges_groups_and_bootstrap_actions() {
        let d = json!({"Cluster": {"Id": "j-1", "Name": "n"}});
        let r = describe_result(
            d,
            None,
            Some(json!({"InstanceGroups": [{"Id": "ig-1"}]})),
            Some(json!({"BootstrapActions": [{"Name": "b"}]})),
        );
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"Cluster":{"Id":"j-1","Name":"n","BootstrapActions":[{"Name":"b"}],"InstanceGroups":[{"Id":"ig-1"}]}}"#
        );
        assert_eq!(
            cluster_created(&json!({"JobFlowId": "j-1"})),
            json!({"ClusterId": "j-1", "ClusterArn": null})
        );
    }

    // The expected configurations are what awscli v1's
    // emrfsutils.build_emrfs_confiuration returns for the same input.
    #[test]
    fn emrfs_configurations_as_awscli() {
        let conf = |v: Value| emrfs_configuration(v.as_object().unwrap());
        assert_eq!(
            serde_json::to_string(
                &conf(
                    json!({"Args": ["a=1", "b"], "RetryPeriod": 30, "Consistent": true,
                             "SSE": false, "RetryCount": 6})
                )
                .unwrap()
            )
            .unwrap(),
            r#"{"Classification":"emrfs-site","Properties":{"fs.s3.consistent":"true","fs.s3.consistent.retryCount":"6","fs.s3.consistent.retryPeriodSeconds":"30","fs.s3.enableServerSideEncryption":"false","a":"1","b":""}}"#
        );
        assert_eq!(
            conf(json!({"Encryption": "ClientSide", "ProviderType": "Custom",
                        "CustomProviderLocation": "s3://b/p.jar", "CustomProviderClass": "P"}))
            .unwrap()["Properties"],
            json!({"fs.s3.cse.enabled": "true", "fs.s3.cse.encryptionMaterialsProvider": "P",
                   "fs.s3.cse.encryptionMaterialsProvider.uri": "s3://b/p.jar"})
        );
        assert_eq!(
            conf(json!({"Encryption": "serverside"})).unwrap()["Properties"],
            json!({"fs.s3.enableServerSideEncryption": "true"})
        );
        let err = |v: Value| match conf(v) {
            Err(Fail::Cli(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err(json!({"RetryPeriod": 1, "RetryCount": 2})),
            "aws: error: --emrfs Consistent=true/false is not specified. Thus,  following parameters are invalid: RetryCount and RetryPeriod"
        );
        assert_eq!(
            err(json!({"Encryption": "ClientSide", "ProviderType": "Custom"})),
            "aws: error: The following required parameters are missing for --emrfs Encryption=ClientSide,ProviderType=Custom: CustomProviderClass and CustomProviderLocation."
        );
        assert_eq!(
            err(json!({"SSE": true, "Encryption": "ServerSide"})),
            "aws: error: Both SSE=True and Encryption=ServerSide are configured for --emrfs. You must specify only one of the two."
        );
        // --configurations that configure EMRFS already.
        let c = args(
            "aws emr create-cluster --release-label emr-5.9.0 --instance-type m --emrfs Consistent=true --configurations '[{\"Classification\":\"emrfs-site\"}]'",
            json!({"emrfs": {"Consistent": true}}),
        );
        assert_eq!(
            create_cluster(&c),
            Err(Fail::Cli("aws: error: EMRFS should be configured either using --configuration or --emrfs but not both".into()))
        );
    }

    #[test]
    fn modify_cluster_attributes_calls() {
        let calls = |line: &str| {
            attribute_calls(&Args::of(&cmd(line)), &|_| true).map(|c| {
                c.into_iter()
                    .map(|(op, p)| json!([op, p]))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            calls("aws emr modify-cluster-attributes --cluster-id j-1 --no-visible-to-all-users --auto-terminate --termination-protected").unwrap(),
            vec![
                json!(["SetVisibleToAllUsers", {"JobFlowIds": ["j-1"], "VisibleToAllUsers": false}]),
                json!(["SetTerminationProtection", {"JobFlowIds": ["j-1"], "TerminationProtected": true}]),
                json!(["SetKeepJobFlowAliveWhenNoSteps", {"JobFlowIds": ["j-1"], "KeepJobFlowAliveWhenNoSteps": false}]),
            ]
        );
        assert_eq!(
            calls("aws emr modify-cluster-attributes --cluster-id j-1 --auto-terminate --no-auto-terminate"),
            Err(Fail::Cli("aws: error: You cannot specify both --auto-terminate and --no-auto-terminate options together.".into()))
        );
        // The flags listed are those of the AWS CLI in force.
        let c = Args::of(&cmd("aws emr modify-cluster-attributes --cluster-id j-1"));
        let old = |n: &str| matches!(n, "visible-to-all-users" | "termination-protected");
        assert_eq!(
            attribute_calls(&c, &old).unwrap_err(),
            Fail::Cli("aws: error: Must specify one of the following boolean options: --visible-to-all-users|--no-visible-to-all-users, --termination-protected|--no-termination-protected.".into())
        );
    }

    #[test]
    fn file_values_run_here_and_other_local_files_do_not() {
        let s = |line: &str| support(Catalog::embedded(), &cmd(line));
        let base = "aws emr create-cluster --release-label emr-5.9.0";
        for line in [
            format!("{base} --instance-groups file://g.json --steps file://./s.json --configurations file://c.json"),
            format!("{base} --instance-type m4.large --ec2-attributes file://e.json --emrfs file://f.json --kerberos-attributes file://k.json"),
            "aws emr add-steps --cluster-id j-1 --steps file://./step.json".into(),
        ] {
            assert_eq!(s(&line), Ok(()), "{line}");
        }
        // What the command line alone leaves to the AWS CLI still is.
        assert!(s(&format!("{base} --instance-type m --steps file://s.json --restore-from-hbase-backup Dir=s3://b,BackupVersion=1")).is_err());
        assert!(
            s(&format!("{base} --instance-type m --steps fileb://s.json"))
                .unwrap_err()
                .contains("only a whole file:// value")
        );
    }

    // Expected values: awscli v1's functions of createdefaultroles.py on
    // the same input.
    #[test]
    fn default_roles_principals_and_documents() {
        for (url, want) in [
            (
                "https://elasticmapreduce.us-east-1.amazonaws.com",
                Some(("amazonaws.com", "us-east-1")),
            ),
            (
                "https://us-east-1.elasticmapreduce.amazonaws.com",
                Some(("amazonaws.com", "us-east-1")),
            ),
            (
                "https://elasticmapreduce-fips.us-east-1.amazonaws.com",
                Some(("us-east-1.amazonaws.com", "fips")),
            ),
            (
                "https://elasticmapreduce.cn-north-1.amazonaws.com.cn/",
                Some(("amazonaws.com.cn", "cn-north-1")),
            ),
            ("https://abc-elasticmapreduce.x.y/z", Some(("x.y", "abc"))),
            ("https://elasticmapreducex", None),
            ("http://127.0.0.1:5000", None),
        ] {
            let got = suffix_and_region(url);
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{url}");
        }
        let cn = "https://elasticmapreduce.cn-north-1.amazonaws.com.cn";
        assert_eq!(
            service_principal("elasticmapreduce", cn, true).as_deref(),
            Some("elasticmapreduce.amazonaws.com.cn")
        );
        assert_eq!(
            service_principal("application-autoscaling", cn, true).as_deref(),
            Some("application-autoscaling.amazonaws.com.cn")
        );
        let local = "http://127.0.0.1:5000";
        assert_eq!(
            service_principal("ec2", local, true).as_deref(),
            Some("ec2.amazonaws.com")
        );
        assert_eq!(service_principal("ec2", local, false), None);
        assert_eq!(
            assume_role_policy(&[
                "elasticmapreduce.amazonaws.com".into(),
                "application-autoscaling.amazonaws.com".into()
            ]),
            "{\n  \"Version\": \"2008-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {\n        \"Service\": [\n          \"elasticmapreduce.amazonaws.com\",\n          \"application-autoscaling.amazonaws.com\"\n        ]\n      },\n      \"Action\": \"sts:AssumeRole\"\n    }\n  ]\n}"
        );
        assert_eq!(
            role_policy_arn("us-gov-west-1", "P"),
            "arn:aws-us-gov:iam::aws:policy/service-role/P"
        );
        // --iam-endpoint (judged by the policy's endpoint rule) is left to the AWS CLI.
        let s = |line: &str| support(Catalog::embedded(), &cmd(line));
        assert_eq!(s("aws emr create-default-roles"), Ok(()));
        assert!(s("aws emr create-default-roles --iam-endpoint https://x").is_err());
        assert!(s("aws emr ssh --cluster-id j-1 --key-pair-file k.pem")
            .unwrap_err()
            .contains("ssh/scp"));
    }

    #[test]
    fn support_names_what_is_left_to_the_cli() {
        let why = |line: &str| support(Catalog::embedded(), &cmd(line)).unwrap_err();
        assert!(
            why("aws emr create-cluster --ami-version 3.11.0 --instance-type m4.large")
                .contains("--ami-version")
        );
        // The schema arguments are typed by the validator and the API
        // operations awscli removes are in the catalog: these run here.
        let ok = |line: &str| support(Catalog::embedded(), &cmd(line));
        for line in [
            format!("aws emr create-cluster --release-label emr-5.9.0 {GROUPS}"),
            "aws emr create-cluster --release-label emr-5.9.0 --instance-type m4.large".into(),
            "aws emr add-steps --cluster-id j-1 --steps Jar=a.jar".into(),
            "aws emr describe-cluster --cluster-id j-1".into(),
        ] {
            assert_eq!(ok(&line), Ok(()), "{line}");
        }
        for op in [
            "RunJobFlow",
            "AddJobFlowSteps",
            "DescribeCluster",
            "ListInstanceFleets",
        ] {
            assert!(api_command(Catalog::embedded(), op).is_some(), "{op}");
        }
    }
}
