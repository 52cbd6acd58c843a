//! The classifier and the policy through the public API, as an adapter uses
//! them: a `ValidatedCommand` arriving as JSON, a policy configured from an
//! environment, a decision serialized for `aws-mcp check`.

use aws_mcp_core::policy::FileAccess;
use aws_mcp_core::{
    AccessTable, Catalog, Classifier, Decision, GlobalOptions, Policy, PolicyConfig,
    ValidatedCommand,
};
use serde_json::json;

fn command(v: serde_json::Value) -> ValidatedCommand {
    serde_json::from_value(v).expect("a ValidatedCommand")
}

fn base(service: &str, operation: &str) -> serde_json::Value {
    json!({
        "service": service, "operation": operation, "kind": "operation", "api": null,
        "region": null,
        "globals": serde_json::to_value(GlobalOptions::default()).expect("serializable"),
        "parameters": {}, "args": [], "local_paths": [],
        "argv": [service, operation]
    })
}

#[test]
fn json_command_through_classifier_and_policy() {
    let dir = std::env::temp_dir().join(format!("aws-mcp-policy-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let vars = [
        ("AWS_REGION", "eu-central-1".to_string()),
        ("AWS_API_MCP_WORKING_DIR", dir.display().to_string()),
        ("READ_OPERATIONS_ONLY", "true".to_string()),
    ];
    let lookup = |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let mut cfg = PolicyConfig::from_env(Catalog::embedded(), lookup).unwrap();
    assert_eq!(cfg.file_access, FileAccess::Workdir);
    cfg.require_mutation_consent = true;
    let policy = Policy::new(cfg);
    let table = AccessTable::embedded();

    let list = command(base("s3api", "list-objects-v2"));
    let class = table.classify(&list);
    assert!(class.read_only);
    assert_eq!(policy.decide(&list, &class), Decision::Allow);

    let mut upload = base("s3", "cp");
    upload["kind"] = json!("custom");
    upload["args"] = json!([{"name": "paths", "values": ["report.csv", "s3://bucket/report.csv"]}]);
    upload["local_paths"] =
        json!([{"path": "report.csv", "access": "read", "arg": "paths", "origin": "positional"}]);
    let upload = command(upload);
    let class = table.classify(&upload);
    assert!(!class.read_only);
    let d = policy.decide(&upload, &class);
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["decision"], "deny");
    assert!(v["reason"].as_str().unwrap().contains("read-only"), "{v}");

    let mut leak = base("sns", "publish");
    leak["local_paths"] =
        json!([{"path": "/etc/passwd", "access": "read", "arg": "message", "origin": "file_url"}]);
    let leak = command(leak);
    let d = policy.decide(&leak, &table.classify(&leak));
    assert!(
        matches!(d, Decision::Deny(ref r) if r.contains("outside the working directory")),
        "{d:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
