//! `aws-mcp check`, run as the built binary.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aws-mcp"))
}

fn check_one(cmd: &str) -> Value {
    let out = bin().args(["check", cmd]).output().expect("runs");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 1, "{text}");
    serde_json::from_str(&text).expect("one JSON object")
}

#[test]
fn valid_command_prints_typed_parameters() {
    let v = check_one(
        "aws ec2 describe-instances --region eu-west-1 --instance-ids i-1 i-2 --max-results 5 --dry-run",
    );
    assert_eq!(v["valid"], true);
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["service"], "ec2");
    assert_eq!(v["operation"], "describe-instances");
    assert_eq!(v["api"]["service"], "ec2");
    assert_eq!(v["api"]["operation"], "DescribeInstances");
    assert_eq!(v["region"], "eu-west-1");
    assert_eq!(
        v["parameters"],
        serde_json::json!({"InstanceIds": ["i-1", "i-2"], "MaxResults": 5, "DryRun": true})
    );
}

#[test]
fn invalid_command_prints_kind_message_and_suggestions() {
    let v = check_one("aws ec2 list-instances");
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["kind"], "unknown_operation");
    assert!(v["error"]["message"]
        .as_str()
        .expect("message")
        .contains("describe-instances"));
    assert_eq!(v["error"]["suggestions"][0], "describe-instances");
    assert_eq!(v["parameters"], Value::Null);
}

#[test]
fn stdin_mode_prints_one_line_per_command_and_exits_zero() {
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"aws sts get-caller-identity\naws s3 ls | head\naws iam get-role\n")
        .expect("writes");
    let out = child.wait_with_output().expect("waits");
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["api"]["operation"], "GetCallerIdentity");
    assert_eq!(lines[1]["error"]["kind"], "shell_operator");
    assert_eq!(lines[2]["error"]["kind"], "missing_required");
    assert_eq!(lines[2]["error"]["suggestions"][0], "--role-name");
}

#[test]
fn with_a_configured_environment_the_policy_verdict_is_added() {
    let dir = std::env::temp_dir();
    let out = bin()
        .args(["check", "aws iam list-users"])
        .env("AWS_REGION", "us-east-1")
        .env("AWS_API_MCP_WORKING_DIR", &dir)
        .env("READ_OPERATIONS_ONLY", "true")
        .env("HOME", &dir)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["read_only"], true);
    assert_eq!(v["decision"], "allow");
}
