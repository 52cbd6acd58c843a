//! awscli's `customizations/configservice`: `get-status`, `subscribe`,
//! and `put-configuration-recorder`'s `--configuration-recorder` /
//! `--recording-group` pair.
//!
//! ## Design
//!
//! `get-status` and `subscribe` write their report line by line as their
//! calls return (`sys.stdout.write`); here the lines are collected in the
//! same order, and a failed call prints what was written before it, then
//! the call's error ([`super::after`]). `subscribe` makes its S3 and SNS
//! calls without the command's `--endpoint-url` (awscli gives it to the
//! Config client only), creates the bucket when `HeadBucket` answers 404
//! (with a `LocationConstraint` outside `us-east-1`) and the topic when
//! `--sns-topic` is a name (no `:`), then prints the recorders and
//! channels with Python's `json.dumps(indent=4)`
//! ([`aws_mcp_wire::render::dumps_indent4`]).
//!
//! `put-configuration-recorder`'s `--recording-group` is awscli's
//! argument for `ConfigurationRecorder.recordingGroup`; the validator
//! already puts it there, so [`run`] sends the validated parameters
//! through [`super::call`] (the generated command with a JSON input).
//!
//! ## Left to the `aws` program
//!
//! A `recordingGroup` inside `--configuration-recorder` (awscli types it
//! without a model there), local-file values, and `--cli-input-json` or
//! `--generate-cli-skeleton` with the customized arguments.

use aws_mcp_core::catalog::CommandKind;
use aws_mcp_core::command::PathOrigin;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::render::{dumps_indent4, python_truthy};
use serde_json::{json, Map, Value};

use super::credentials::{arg, loaded_value, value};
use super::{after, call, call_with_globals, failed, print};
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// Whether this module handles `command`: `get-status`, `subscribe`, and
/// `put-configuration-recorder` given its customized arguments (the call
/// this module makes gives them as JSON input instead).
pub(crate) fn handles(command: &ValidatedCommand) -> bool {
    match command.operation() {
        "get-status" | "subscribe" => command.kind() == CommandKind::Custom,
        "put-configuration-recorder" => {
            arg(command, "configuration-recorder").is_some()
                || arg(command, "recording-group").is_some()
        }
        _ => false,
    }
}

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    // put-configuration-recorder's parameter files are read as the
    // generated command's (`paramfiles`); the other commands take none.
    let recorder = command.operation() == "put-configuration-recorder";
    if !recorder {
        loaded_value(command)?;
    } else if let Some(a) = command.args().iter().find(|a| {
        a.values
            .iter()
            .any(|v| v.starts_with("http://") || v.starts_with("https://"))
    }) {
        return Err(format!(
            "--{} names a URL: AWS CLI v1 replaces such a value with what it reads there",
            a.name
        ));
    }
    if let Some(p) = command
        .local_paths()
        .iter()
        .find(|p| !recorder || !matches!(p.origin, PathOrigin::FileUrl | PathOrigin::FilebUrl))
    {
        return Err(format!("--{} names the local file {:?}", p.arg, p.path));
    }
    if value(command, "s3-bucket").is_some_and(|b| b.starts_with("arn:")) {
        return Err(
            "an ARN as --s3-bucket (access points, Outposts) is left to the AWS CLI".into(),
        );
    }
    if command.operation() == "put-configuration-recorder" {
        for a in ["cli-input-json", "cli-input-yaml", "generate-cli-skeleton"] {
            if arg(command, a).is_some() {
                return Err(format!(
                    "--{a} with awscli's --configuration-recorder is left to the AWS CLI"
                ));
            }
        }
        if value(command, "configuration-recorder").is_some_and(|v| v.contains("recordingGroup")) {
            return Err(
                "a recordingGroup inside --configuration-recorder (awscli's argument has no such member) is left to the AWS CLI"
                    .into(),
            );
        }
    }
    Ok(())
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    match command.operation() {
        "get-status" => get_status(ex, command, options).await,
        "subscribe" => subscribe(ex, command, options).await,
        _ => match call(
            ex,
            command,
            "configservice",
            "put-configuration-recorder",
            &recorder_parameters(ex, command)?,
            options,
        )
        .await?
        {
            Ok(r) => print(ex, command, &r, "PutConfigurationRecorder"),
            Err(p) => Ok(p),
        },
    }
}

/// put-configuration-recorder's parameters with its `file://` values read
/// (`--recording-group file://...` inside `ConfigurationRecorder`).
fn recorder_parameters(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
) -> Result<Map<String, Value>, NativeError> {
    let mut params = command.parameters().clone();
    crate::paramfiles::prepare(&ex.files, &ex.validator, command, &mut params)?;
    Ok(params)
}

/// Python's `d[key]`: the value, or the `KeyError` message.
fn key<'a>(v: &'a Value, k: &str) -> Result<&'a Value, String> {
    v.get(k).ok_or_else(|| format!("'{k}'"))
}

/// `%s` of a response value.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => other.to_string(),
    }
}

/// `_check_last_status`.
fn last_status(out: &mut String, status: &Value, name: &str) -> Result<(), String> {
    let last = key(status, "lastStatus")?;
    out.push_str(&format!("last {name}status: {}\n", text(last)));
    if last == "FAILURE" {
        out.push_str(&format!(
            "error code: {}\n",
            text(key(status, "lastErrorCode")?)
        ));
        out.push_str(&format!(
            "message: {}\n",
            text(key(status, "lastErrorMessage")?)
        ));
    }
    Ok(())
}

/// `_check_configuration_recorders`' lines for one
/// `DescribeConfigurationRecorderStatus` answer.
pub(crate) fn recorders_report(out: &mut String, status: &Value) -> Result<(), String> {
    out.push_str("Configuration Recorders:\n\n");
    for r in list(key(status, "ConfigurationRecordersStatus")?) {
        out.push_str(&format!("name: {}\n", text(key(r, "name")?)));
        let recording = match key(r, "recording")? {
            Value::Bool(b) => *b,
            other => return Err(text(other)),
        };
        out.push_str(&format!(
            "recorder: {}\n",
            if recording { "ON" } else { "OFF" }
        ));
        if recording {
            last_status(out, r, "")?;
        }
        out.push('\n');
    }
    Ok(())
}

/// `_check_delivery_channels`' lines for one
/// `DescribeDeliveryChannelStatus` answer.
pub(crate) fn channels_report(out: &mut String, status: &Value) -> Result<(), String> {
    out.push_str("Delivery Channels:\n\n");
    for c in list(key(status, "DeliveryChannelsStatus")?) {
        out.push_str(&format!("name: {}\n", text(key(c, "name")?)));
        let stream = key(c, "configStreamDeliveryInfo")?;
        let history = key(c, "configHistoryDeliveryInfo")?;
        let snapshot = key(c, "configSnapshotDeliveryInfo")?;
        for (info, name) in [
            (stream, "stream delivery "),
            (history, "history delivery "),
            (snapshot, "snapshot delivery "),
        ] {
            if python_truthy(info) {
                last_status(out, info, name)?;
            }
        }
        out.push('\n');
    }
    Ok(())
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

async fn get_status(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let mut out = String::new();
    let empty = Map::new();
    let r = match call(
        ex,
        command,
        "configservice",
        "describe-configuration-recorder-status",
        &empty,
        options,
    )
    .await?
    {
        Ok(r) => r,
        Err(p) => return Ok(after(out, p)),
    };
    if let Err(e) = recorders_report(&mut out, &r) {
        return Ok(failed(ex, command, out, &e));
    }
    let r = match call(
        ex,
        command,
        "configservice",
        "describe-delivery-channel-status",
        &empty,
        options,
    )
    .await?
    {
        Ok(r) => r,
        Err(p) => return Ok(after(out, p)),
    };
    if let Err(e) = channels_report(&mut out, &r) {
        return Ok(failed(ex, command, out, &e));
    }
    Ok(Printed::ok(out))
}

/// `find_bucket_key` for a plain `bucket/prefix` (access point and
/// Outposts ARNs are left to the AWS CLI by [`support`]).
pub(crate) fn bucket_key(path: &str) -> (&str, &str) {
    path.split_once('/').unwrap_or((path, ""))
}

/// The status code of a failed `HeadBucket` as awscli reads it
/// (`int(e.response['Error']['Code'])`): `404` when the bucket is missing.
fn error_code(p: &Printed) -> Option<String> {
    let rest = p.err.split("An error occurred (").nth(1)?;
    Some(rest.split(')').next()?.to_string())
}

/// `S3BucketHelper.prepare_bucket` and `SNSTopicHelper.prepare_topic`
/// lines, then the Config calls; shared by the steps of [`subscribe`].
async fn subscribe(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let mut out = String::new();
    // The S3 and SNS clients get the region and TLS options, not the
    // endpoint.
    let mut g = command.globals().clone();
    g.endpoint_url = None;
    let s3_path = value(command, "s3-bucket").unwrap_or("");
    let (bucket, prefix) = bucket_key(s3_path);
    let head = json!({ "Bucket": bucket });
    let head = head.as_object().cloned().unwrap_or_default();
    let exists =
        match call_with_globals(ex, command, &g, "s3api", "head-bucket", &head, options).await? {
            Ok(_) => true,
            Err(p) => match error_code(&p).as_deref().map(str::parse::<i64>) {
                Some(Ok(404)) => false,
                Some(Ok(_)) => true,
                _ => return Ok(after(out, p)),
            },
        };
    if exists {
        out.push_str(&format!("Using existing S3 bucket: {bucket}\n"));
    } else {
        let region = ex.region_of(command).await?;
        let mut params = Map::new();
        params.insert("Bucket".into(), json!(bucket));
        if region != "us-east-1" {
            params.insert(
                "CreateBucketConfiguration".into(),
                json!({ "LocationConstraint": region }),
            );
        }
        if let Err(p) =
            call_with_globals(ex, command, &g, "s3api", "create-bucket", &params, options).await?
        {
            return Ok(after(out, p));
        }
        out.push_str(&format!("Using new S3 bucket: {bucket}\n"));
    }
    let topic = value(command, "sns-topic").unwrap_or("");
    let topic_arn = if topic.contains(':') {
        out.push_str(&format!("Using existing SNS topic: {topic}\n"));
        topic.to_string()
    } else {
        let params = json!({ "Name": topic });
        let params = params.as_object().cloned().unwrap_or_default();
        let r = match call_with_globals(ex, command, &g, "sns", "create-topic", &params, options)
            .await?
        {
            Ok(r) => r,
            Err(p) => return Ok(after(out, p)),
        };
        let arn = text(r.get("TopicArn").unwrap_or(&Value::Null));
        out.push_str(&format!("Using new SNS topic: {arn}\n"));
        arn
    };
    let role = value(command, "iam-role").unwrap_or("");
    for (op, params) in subscribe_calls(bucket, prefix, &topic_arn, role) {
        if let Err(p) = call(ex, command, "configservice", op, &params, options).await? {
            return Ok(after(out, p));
        }
    }
    out.push_str("Subscribe succeeded:\n\n");
    out.push_str("Configuration Recorders: ");
    let empty = Map::new();
    for (op, member, end) in [
        (
            "describe-configuration-recorders",
            "ConfigurationRecorders",
            "\n\nDelivery Channels: ",
        ),
        ("describe-delivery-channels", "DeliveryChannels", "\n"),
    ] {
        let r = match call(ex, command, "configservice", op, &empty, options).await? {
            Ok(r) => r,
            Err(p) => return Ok(after(out, p)),
        };
        match r.get(member) {
            Some(v) => out.push_str(&dumps_indent4(v)),
            None => return Ok(failed(ex, command, out, &format!("'{member}'"))),
        }
        out.push_str(end);
    }
    Ok(Printed::ok(out))
}

/// `subscribe`'s Config calls after the bucket and topic: the recorder,
/// the delivery channel, and starting the recorder, all named `default`.
pub(crate) fn subscribe_calls(
    bucket: &str,
    prefix: &str,
    topic_arn: &str,
    role: &str,
) -> Vec<(&'static str, Map<String, Value>)> {
    let mut channel = json!({
        "name": "default",
        "s3BucketName": bucket,
        "snsTopicARN": topic_arn,
    });
    if !prefix.is_empty() {
        channel["s3KeyPrefix"] = json!(prefix);
    }
    let obj = |v: Value| v.as_object().cloned().unwrap_or_default();
    vec![
        (
            "put-configuration-recorder",
            obj(json!({"ConfigurationRecorder": {"name": "default", "roleARN": role}})),
        ),
        (
            "put-delivery-channel",
            obj(json!({ "DeliveryChannel": channel })),
        ),
        (
            "start-configuration-recorder",
            obj(json!({"ConfigurationRecorderName": "default"})),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::custom::validated as cmd;

    #[test]
    fn status_reports_like_awscli() {
        let mut out = String::new();
        recorders_report(
            &mut out,
            &json!({"ConfigurationRecordersStatus": [
                {"name": "default", "recording": true, "lastStatus": "FAILURE", "lastErrorCode": "E", "lastErrorMessage": "m"},
                {"name": "other", "recording": false},
            ]}),
        )
        .unwrap();
        channels_report(
            &mut out,
            &json!({"DeliveryChannelsStatus": [{
                "name": "default",
                "configStreamDeliveryInfo": {"lastStatus": "NOT_APPLICABLE"},
                "configHistoryDeliveryInfo": {},
                "configSnapshotDeliveryInfo": {"lastStatus": "SUCCESS"},
            }]}),
        )
        .unwrap();
        assert_eq!(
            out,
            "Configuration Recorders:\n\nname: default\nrecorder: ON\nlast status: FAILURE\nerror code: E\nmessage: m\n\n\
             name: other\nrecorder: OFF\n\n\
             Delivery Channels:\n\nname: default\nlast stream delivery status: NOT_APPLICABLE\nlast snapshot delivery status: SUCCESS\n\n"
        );
        let mut out = String::new();
        let e = recorders_report(
            &mut out,
            &json!({"ConfigurationRecordersStatus": [{"name": "x", "recording": true}]}),
        );
        assert_eq!(e, Err("'lastStatus'".into()));
        assert!(out.ends_with("recorder: ON\n"));
    }

    #[test]
    fn subscribe_calls_are_awscli_s() {
        assert_eq!(bucket_key("b/p/q"), ("b", "p/q"));
        assert_eq!(bucket_key("b"), ("b", ""));
        let calls = subscribe_calls("b", "p", "arn:aws:sns:us-east-1:1:t", "arn:r");
        assert_eq!(calls[0].0, "put-configuration-recorder");
        assert_eq!(
            Value::Object(calls[1].1.clone()),
            json!({"DeliveryChannel": {"name": "default", "s3BucketName": "b", "snsTopicARN": "arn:aws:sns:us-east-1:1:t", "s3KeyPrefix": "p"}})
        );
        assert!(subscribe_calls("b", "", "t", "r")[1].1["DeliveryChannel"]
            .get("s3KeyPrefix")
            .is_none());
    }

    #[test]
    fn recorder_arguments_are_validated_parameters() {
        let c = cmd("aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::1:role/r --recording-group allSupported=true,includeGlobalResourceTypes=true");
        assert!(handles(&c));
        assert_eq!(support(&c), Ok(()));
        assert_eq!(
            Value::Object(c.parameters().clone()),
            json!({"ConfigurationRecorder": {"name": "default", "roleARN": "arn:aws:iam::1:role/r",
                "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}})
        );
        let c = cmd("aws configservice put-configuration-recorder --configuration-recorder name=default,recordingGroup={allSupported=true}");
        assert!(support(&c).is_err());
        assert!(handles(&cmd("aws configservice get-status")));
    }
}
