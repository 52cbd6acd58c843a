//! `aws-mcp suggest`: run the real binary.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aws-mcp"))
}

#[test]
fn one_request_prints_suggestions_with_parameters() {
    let out = bin()
        .args(["suggest", "stop an ec2 instance", "--engine", "lexical"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = v["suggestions"].as_array().unwrap();
    assert_eq!(s.len(), 3);
    let stop = s
        .iter()
        .find(|s| s["command"] == "aws ec2 stop-instances")
        .expect("stop-instances suggested");
    assert!(stop["description"].as_str().unwrap().len() > 5);
    assert!(stop["score"].as_f64().is_some());
    let p = stop["parameters"].as_array().unwrap();
    assert!(p.iter().any(|p| p["name"] == "--instance-ids"
        && p["required"] == true
        && p["type"] == "list"
        && p["doc"].as_str().is_some()));
}

#[test]
fn stdin_mode_answers_each_line() {
    let mut child = bin()
        .args(["suggest", "-", "--count", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("list my s3 buckets\n   \nwhich lambdas do we have\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["suggestions"].as_array().unwrap().len(), 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("empty"));
    assert!(lines[2]["suggestions"][0]["command"]
        .as_str()
        .unwrap()
        .starts_with("aws lambda"));
}

#[test]
fn bad_requests_and_engines_fail_clearly() {
    let out = bin().args(["suggest", " "]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let long = "x".repeat(2001);
    let out = bin().args(["suggest", &long]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2000"));
    let out = bin()
        .args(["suggest", "list vpcs", "--engine", "fuzzy"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lexical"));
    let out = bin().args(["suggest", "日本語 🚀"]).output().unwrap();
    assert!(out.status.success());
}
