//! `cloudformation deploy`, as awscli's `DeployCommand` and `Deployer`
//! (`customizations/cloudformation/deploy.py`, `deployer.py`) run it.
//!
//! 1. The template file is read (through [`LocalFiles`](crate::localfs::LocalFiles),
//!    after the policy judged the path) and parsed as JSON, else YAML
//!    (CloudFormation's short tags such as `!Ref` are kept as tagged values:
//!    only the template's `Parameters` keys are read here; the text is sent
//!    as it is).
//! 2. Every template parameter gets the override given for it
//!    (`--parameter-overrides Key=Value ...`; AWS CLI v2 also takes the JSON
//!    forms its parsers know) or `UsePreviousValue`.
//! 3. `DescribeStacks` says whether the stack exists (a stack in
//!    `REVIEW_IN_PROGRESS` does not); a change set named
//!    `awscli-cloudformation-package-deploy-<epoch>` of type `CREATE` or
//!    `UPDATE` is created, and polled with `DescribeChangeSet` every 5
//!    seconds (the `ChangeSetCreateComplete` waiter with awscli's delay). A
//!    change set that failed because it holds no changes is "No changes to
//!    deploy": an error in AWS CLI v1 by default, printed on standard output
//!    with exit 0 in v2 (`--[no-]fail-on-empty-changeset`).
//! 4. Unless `--no-execute-changeset`, the change set is executed and the
//!    stack polled (`StackCreateComplete`/`StackUpdateComplete`, every 30
//!    seconds, at most 120 times), within the command's time limit.
//!
//! What this module leaves to the AWS CLI (`support` says so): `--s3-bucket`
//! (awscli's S3 uploader with its de-duplication and progress output) and
//! `file://`/`fileb://`/URL values of the command's own arguments.

use std::time::{Duration, Instant};

use aws_mcp_core::catalog::Dialect;
use aws_mcp_core::localpath::Semantics;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::waiter::{Polled, Step, Waiter};
use serde_json::{json, Map, Value};

use super::credentials::{arg, loaded_value, value};
use super::{call, failed};
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// awscli's change set name prefix.
const CHANGESET_PREFIX: &str = "awscli-cloudformation-package-deploy-";
/// The largest template sent in the request (`DeployBucketRequiredError`).
const TEMPLATE_BODY_MAX: u64 = 51_200;

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    if command.operation() != "deploy" {
        return Err(format!(
            "`cloudformation {}` is a hand-written AWS CLI command the native executor does not reproduce",
            command.operation()
        ));
    }
    loaded_value(command)?;
    if value(command, "s3-bucket").is_some() {
        return Err(
            "--s3-bucket uploads the template with awscli's S3 uploader (de-duplication, progress); left to the AWS CLI"
                .into(),
        );
    }
    Ok(())
}

/// The outcome of polling a waiter.
enum Waited {
    /// The waiter's success state.
    Done,
    /// A failure state: the waiter's message and the last response.
    Failed(String, Value),
    /// A call failed: its printed error.
    CallFailed(Printed),
}

/// Run `cloudformation deploy`.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    let deadline = Instant::now() + options.timeout;
    let v2 = ex.cli.dialect == Dialect::V2;
    let path = value(command, "template-file").unwrap_or_default();
    let shown = match (v2, ex.files.home()) {
        (true, Some(h)) if path == "~" || path.starts_with("~/") => {
            format!("{}{}", h.to_string_lossy(), &path[1..])
        }
        _ => path.to_string(),
    };
    let invalid_path = || {
        failed(
            ex,
            command,
            String::new(),
            &format!("Invalid template path {shown}"),
        )
    };
    let semantics = if v2 {
        Semantics::PARAM_FILE
    } else {
        Semantics::OPEN
    };
    let template = match read_template(ex, path, semantics, &shown) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(invalid_path()),
        Err(msg) => return Ok(failed(ex, command, String::new(), &msg)),
    };
    let stack = value(command, "stack-name").unwrap_or_default().to_string();
    let overrides =
        match parameter_overrides(arg(command, "parameter-overrides").unwrap_or(&[]), v2) {
            Ok(o) => o,
            Err(msg) => return Ok(failed(ex, command, String::new(), &msg)),
        };
    let tags = match key_values(arg(command, "tags").unwrap_or(&[]), "tags") {
        Ok(t) => t
            .into_iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect::<Vec<_>>(),
        Err(msg) => return Ok(failed(ex, command, String::new(), &msg)),
    };
    let parsed = match parse_template(&template.text) {
        Ok(p) => p,
        Err(msg) => return Ok(failed(ex, command, String::new(), &msg)),
    };
    let mut parameters = merge_parameters(&parsed, &overrides);
    if template.size > TEMPLATE_BODY_MAX {
        return Ok(failed(
            ex,
            command,
            String::new(),
            "Templates with a size greater than 51,200 bytes must be deployed via an S3 Bucket. Please add the --s3-bucket parameter to your command. The local template will be copied to that S3 bucket and then deployed.",
        ));
    }
    // fail_on_empty_changeset: True in v1, False in v2, unless a flag says.
    let fail_on_empty = if command
        .args()
        .iter()
        .any(|a| a.name == "no-fail-on-empty-changeset")
    {
        false
    } else if command
        .args()
        .iter()
        .any(|a| a.name == "fail-on-empty-changeset")
    {
        true
    } else {
        !v2
    };
    let execute = arg(command, "no-execute-changeset").is_none();
    let disable_rollback = arg(command, "disable-rollback").is_some();

    // Deployer.has_stack.
    let exists = match call(
        ex,
        command,
        "cloudformation",
        "describe-stacks",
        &obj(json!({"StackName": stack})),
        options,
    )
    .await?
    {
        Ok(r) => {
            let stacks = r.get("Stacks").and_then(Value::as_array);
            match stacks.map(Vec::as_slice) {
                Some([s]) => {
                    s.get("StackStatus").and_then(Value::as_str) != Some("REVIEW_IN_PROGRESS")
                }
                _ => false,
            }
        }
        Err(p)
            if p.err
                .contains(&format!("Stack with id {stack} does not exist")) =>
        {
            false
        }
        Err(p) => return Ok(p),
    };
    let changeset_type = if exists { "UPDATE" } else { "CREATE" };
    if exists {
        let summary = match call(
            ex,
            command,
            "cloudformation",
            "get-template-summary",
            &obj(json!({"StackName": stack})),
            options,
        )
        .await?
        {
            Ok(r) => r,
            Err(p) => return Ok(p),
        };
        let existing: Vec<&str> = summary
            .get("Parameters")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.get("ParameterKey").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        // UsePreviousValue is not valid for a parameter the stack lacks.
        parameters.retain(|p| {
            p.get("UsePreviousValue").is_none()
                || p.get("ParameterKey")
                    .and_then(Value::as_str)
                    .is_some_and(|k| existing.contains(&k))
        });
    } else {
        parameters.retain(|p| p.get("UsePreviousValue").is_none());
    }
    let now = chrono::Utc::now();
    let mut params = obj(json!({
        "ChangeSetName": format!("{CHANGESET_PREFIX}{}", now.timestamp()),
        "StackName": stack,
        "TemplateBody": template.text,
        "ChangeSetType": changeset_type,
        "Parameters": parameters,
        "Capabilities": arg(command, "capabilities").unwrap_or(&[]),
        "Description": format!("Created by AWS CLI at {} UTC", python_isoformat(now)),
        "Tags": tags,
    }));
    if let Some(r) = value(command, "role-arn") {
        params.insert("RoleARN".into(), json!(r));
    }
    if let Some(n) = arg(command, "notification-arns") {
        params.insert("NotificationARNs".into(), json!(n));
    }
    let id = match call(
        ex,
        command,
        "cloudformation",
        "create-change-set",
        &params,
        options,
    )
    .await?
    {
        Ok(r) => r
            .get("Id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        Err(p) => return Ok(p),
    };

    let mut out = String::from("\nWaiting for changeset to be created..\n");
    let describe = obj(json!({"ChangeSetName": id, "StackName": stack}));
    match wait(
        ex,
        command,
        options,
        "describe-change-set",
        "wait change-set-create-complete",
        &describe,
        5,
        None,
        deadline,
    )
    .await?
    {
        Waited::Done => {}
        Waited::CallFailed(p) => return Ok(super::after(out, p)),
        Waited::Failed(msg, last) => {
            let status = last.get("Status").and_then(Value::as_str).unwrap_or("");
            let reason = last
                .get("StatusReason")
                .and_then(Value::as_str)
                .unwrap_or("");
            if (status == "FAILED"
                && reason.contains("The submitted information didn't contain changes."))
                || reason.contains("No updates are to be performed")
            {
                let empty = format!("No changes to deploy. Stack {stack} is up to date");
                if fail_on_empty {
                    return Ok(failed(ex, command, out, &empty));
                }
                out.push_str(&format!("\n{empty}\n"));
                return Ok(Printed::ok(out));
            }
            return Ok(failed(
                ex,
                command,
                out,
                &format!(
                    "Failed to create the changeset: {msg} Status: {status}. Reason: {reason}"
                ),
            ));
        }
    }
    if !execute {
        out.push_str(&format!(
            "Changeset created successfully. Run the following command to review changes:\naws cloudformation describe-change-set --change-set-name {id}\n"
        ));
        return Ok(Printed::ok(out));
    }
    let exec =
        obj(json!({"ChangeSetName": id, "StackName": stack, "DisableRollback": disable_rollback}));
    if let Err(p) = call(
        ex,
        command,
        "cloudformation",
        "execute-change-set",
        &exec,
        options,
    )
    .await?
    {
        return Ok(super::after(out, p));
    }
    out.push_str("Waiting for stack create/update to complete\n");
    let waiter = if exists {
        "wait stack-update-complete"
    } else {
        "wait stack-create-complete"
    };
    let stacks = obj(json!({"StackName": stack}));
    match wait(ex, command, options, "describe-stacks", waiter, &stacks, 30, Some(120), deadline).await? {
        Waited::Done => {
            out.push_str(&format!("Successfully created/updated stack - {stack}\n"));
            Ok(Printed::ok(out))
        }
        // DeployFailedError, whatever made the waiter fail.
        Waited::Failed(..) | Waited::CallFailed(_) => Ok(failed(
            ex,
            command,
            out,
            &format!("Failed to create/update the stack. Run the following command\nto fetch the list of events leading up to the failure\naws cloudformation describe-stack-events --stack-name {stack}"),
        )),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

/// A template as read: its text and size in bytes.
struct Template {
    text: String,
    size: u64,
}

/// Read the template: `Ok(None)` when it is not a file (awscli's
/// `os.path.isfile`), `Err` for a file that cannot be read as text.
fn read_template(
    ex: &NativeExecutor,
    path: &str,
    semantics: Semantics,
    shown: &str,
) -> Result<Option<Template>, String> {
    use std::io::Read;
    let Ok(f) = ex.files.open_read_as(path, semantics, shown) else {
        return Ok(None);
    };
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > crate::MAX_FILE_BYTES {
        return Err(format!(
            "the template is {} bytes, more than the native executor reads ({} MiB)",
            meta.len(),
            crate::MAX_FILE_BYTES >> 20
        ));
    }
    let mut bytes = Vec::new();
    f.take(crate::MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    let size = bytes.len() as u64;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "'utf-8' codec can't decode the template {shown} (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Some(Template { text, size }))
}

/// awscli's `yaml_parse`: JSON first, else YAML (tags kept as tagged
/// values). The message never quotes the template.
fn parse_template(text: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|e| format!("the template is not valid JSON or YAML: {e}"))?;
    Ok(yaml_keys(&y))
}

/// The part of a YAML document the deployer reads: mappings (keys as
/// text) down to the values, which are kept only as present.
fn yaml_keys(y: &serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match y {
        Y::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml_ng::to_string(other)
                            .map(|s| s.trim_end().to_string())
                            .unwrap_or_default(),
                    };
                    (key, yaml_keys(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => yaml_keys(&t.value),
        Y::Null => Value::Null,
        _ => Value::Bool(true),
    }
}

/// `merge_parameters`: each template parameter, in the template's order,
/// with its override or `UsePreviousValue`.
fn merge_parameters(template: &Value, overrides: &[(String, String)]) -> Vec<Value> {
    let Some(params) = template.get("Parameters").and_then(Value::as_object) else {
        return Vec::new();
    };
    params
        .keys()
        .map(|k| match overrides.iter().rev().find(|(o, _)| o == k) {
            Some((_, v)) => json!({"ParameterKey": k, "ParameterValue": v}),
            None => json!({"ParameterKey": k, "UsePreviousValue": true}),
        })
        .collect()
}

/// `parse_key_value_arg`: `Key=Value` words, split at the first `=`.
fn key_values(words: &[String], argname: &str) -> Result<Vec<(String, String)>, String> {
    words
        .iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(format!(
                "['{}'] value passed to --{argname} must be of format Key=Value",
                w.replace('\\', "\\\\").replace('\'', "\\'")
            )),
        })
        .collect()
}

/// `--parameter-overrides`: `Key=Value` words; AWS CLI v2 first tries the
/// first word as JSON, in the three forms its parsers know.
fn parameter_overrides(words: &[String], v2: bool) -> Result<Vec<(String, String)>, String> {
    if v2 {
        if let Some(data) = words
            .first()
            .and_then(|w| serde_json::from_str::<Value>(w).ok())
        {
            return json_overrides(&data).ok_or_else(|| {
                "JSON passed to --parameter-overrides must be one of the formats: [\"Key1=Value1\",\"Key2=Value2\", ...] , [{\"ParameterKey\": \"Key1\", \"ParameterValue\": \"Value1\"}, ...] , [\"Parameters\": {\"Key1\": \"Value1\", \"Key2\": \"Value2\", ...}]".to_string()
            });
        }
    }
    key_values(words, "parameter-overrides")
}

/// AWS CLI v2's override parsers, in its order: CloudFormation's
/// `[{"ParameterKey", "ParameterValue"}]`, CodePipeline's
/// `{"Parameters": {...}}`, and `["Key=Value", ...]`.
fn json_overrides(data: &Value) -> Option<Vec<(String, String)>> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(items) = data.as_array() {
        let cfn = items.iter().all(|p| {
            p.as_object().is_some_and(|o| {
                o.contains_key("ParameterKey") && o.contains_key("ParameterValue") && o.len() <= 2
            })
        });
        if cfn {
            return Some(
                items
                    .iter()
                    .map(|p| (text(&p["ParameterKey"]), text(&p["ParameterValue"])))
                    .collect(),
            );
        }
    }
    if let Some(ps) = data.get("Parameters").and_then(Value::as_object) {
        return Some(ps.iter().map(|(k, v)| (k.clone(), text(v))).collect());
    }
    let items = data.as_array()?;
    items
        .iter()
        .map(|p| {
            let (k, v) = p.as_str()?.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

/// Python's `datetime.isoformat()` of a naive UTC time: microseconds only
/// when not zero.
fn python_isoformat(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    match t.nanosecond() / 1_000 {
        0 => base,
        us => format!("{base}.{us:06}"),
    }
}

/// Poll `operation` with `params` through the catalog's waiter `waiter`
/// (its acceptors) every `delay` seconds, at most `max_attempts` times
/// (the waiter's own when `None`), as awscli's `WaiterConfig` overrides
/// them; never past `deadline`.
#[allow(clippy::too_many_arguments)]
async fn wait(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
    operation: &str,
    waiter: &str,
    params: &Map<String, Value>,
    delay: u32,
    max_attempts: Option<u32>,
    deadline: Instant,
) -> Result<Waited, NativeError> {
    let model = ex
        .catalog
        .command("cloudformation", waiter)
        .and_then(|c| c.detail().ok())
        .and_then(|d| d.waiter.as_deref().cloned())
        .ok_or_else(|| NativeError::Unsupported(format!("no waiter `cloudformation {waiter}`")))?;
    let mut model = model;
    model.delay = delay;
    if let Some(m) = max_attempts {
        model.max_attempts = m;
    }
    let mut w = Waiter::new(&model).map_err(|e| NativeError::Unsupported(e.to_string()))?;
    loop {
        let output = match call(ex, command, "cloudformation", operation, params, options).await? {
            Ok(v) => v,
            Err(p) => return Ok(Waited::CallFailed(p)),
        };
        match w.observe(Polled::Output {
            status: 200,
            output: &output,
        }) {
            Step::Success => return Ok(Waited::Done),
            Step::Failure(f) => return Ok(Waited::Failed(f.to_string(), output)),
            Step::Retry(d) => {
                if Instant::now() + d >= deadline {
                    return Err(NativeError::WaitTimedOut {
                        waiter: w.name().to_string(),
                        attempts: w.attempts(),
                        max_attempts: model.max_attempts,
                        delay_seconds: d.as_secs(),
                    });
                }
                tokio::time::sleep(d.max(Duration::from_millis(1))).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parameters_take_overrides_or_the_previous_value_in_template_order() {
        let t = parse_template("Parameters:\n  B: {Type: String}\n  A:\n    Type: String\nResources:\n  Q: {Type: 'AWS::SQS::Queue', Properties: {QueueName: !Ref A}}\n").unwrap();
        let o = parameter_overrides(&words(&["A=x=y"]), false).unwrap();
        assert_eq!(
            merge_parameters(&t, &o),
            vec![
                json!({"ParameterKey": "B", "UsePreviousValue": true}),
                json!({"ParameterKey": "A", "ParameterValue": "x=y"}),
            ]
        );
        let j = parse_template(r#"{"Parameters": {"P": {"Type": "String"}}}"#).unwrap();
        assert_eq!(
            merge_parameters(&j, &[]),
            vec![json!({"ParameterKey": "P", "UsePreviousValue": true})]
        );
        assert!(merge_parameters(&parse_template("Resources: {}").unwrap(), &o).is_empty());
        assert!(parse_template("a: [b")
            .unwrap_err()
            .contains("not valid JSON or YAML"));
    }

    #[test]
    fn overrides_as_each_cli_parses_them() {
        let e = parameter_overrides(&words(&["novalue"]), false).unwrap_err();
        assert_eq!(
            e,
            "['novalue'] value passed to --parameter-overrides must be of format Key=Value"
        );
        // v2's JSON forms.
        for form in [
            r#"[{"ParameterKey": "K", "ParameterValue": "V"}]"#,
            r#"{"Parameters": {"K": "V"}}"#,
            r#"["K=V"]"#,
        ] {
            assert_eq!(
                parameter_overrides(&words(&[form]), true).unwrap(),
                vec![("K".into(), "V".into())],
                "{form}"
            );
        }
        assert!(parameter_overrides(&words(&[r#"[{"K": 1}]"#]), true)
            .unwrap_err()
            .starts_with("JSON passed"));
        // v1 reads JSON text as a Key=Value word.
        assert!(parameter_overrides(&words(&[r#"["K=V"]"#]), false).is_ok());
        assert_eq!(
            key_values(&words(&["a=b", "c=d=e"]), "tags").unwrap()[1],
            ("c".into(), "d=e".into())
        );
    }

    #[test]
    fn isoformat_as_python() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 12, 7, 3, 10, 11)
            .unwrap();
        assert_eq!(python_isoformat(t), "2026-12-07T03:10:11");
        let t = t + chrono::Duration::microseconds(123);
        assert_eq!(python_isoformat(t), "2026-12-07T03:10:11.000123");
    }
}
