use super::*;
use crate::testutil::{param, vc};
use crate::Catalog;
use serde_json::json;

fn table() -> &'static AccessTable {
    AccessTable::embedded()
}

fn class(service: &str, op: &str) -> Classification {
    table().classify(&vc(service, op))
}

#[test]
fn every_service_decodes() {
    table().load_all().unwrap();
}

#[test]
fn every_catalog_command_has_an_entry() {
    let cat = Catalog::embedded();
    let mut missing = Vec::new();
    for c in cat.entries() {
        if table().entry(c.service().name(), c.name()).is_none() {
            missing.push(c.full_name());
        }
    }
    assert!(
        missing.is_empty(),
        "{} missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    // One entry per command name of either AWS CLI dialect (a name both
    // dialects have, even as different kinds of command, is one entry).
    let names: std::collections::HashSet<String> = cat.entries().map(|c| c.full_name()).collect();
    assert_eq!(table().len(), names.len());
}

#[test]
fn reference_levels_for_plain_operations() {
    let c = class("ec2", "describe-instances");
    assert_eq!(c.access_level, AccessLevel::List);
    assert!(c.read_only);
    assert_eq!(c.iam_actions, vec!["ec2:DescribeInstances"]);
    assert_eq!(c.source, Source::Reference);
    assert!(c.reason.contains("ec2:DescribeInstances"), "{}", c.reason);

    let c = class("iam", "attach-user-policy");
    assert_eq!(c.access_level, AccessLevel::PermissionsManagement);
    assert!(!c.read_only);
    let c = class("ec2", "create-tags");
    assert_eq!(c.access_level, AccessLevel::Tagging);
    assert!(!c.read_only);
    let c = class("ec2", "run-instances");
    assert_eq!(c.access_level, AccessLevel::Write);
    assert!(!c.read_only);
    for (s, o) in [
        ("iam", "list-users"),
        ("dynamodb", "describe-table"),
        ("s3api", "get-bucket-policy"),
        ("kms", "list-aliases"),
        ("sqs", "get-queue-attributes"),
        ("dynamodb", "get-item"),
        ("dynamodb", "scan"),
        ("lambda", "list-functions"),
        ("iam", "simulate-principal-policy"),
        ("sts", "get-caller-identity"),
    ] {
        assert!(class(s, o).read_only, "{s} {o}");
    }
    for (s, o) in [
        ("lambda", "add-permission"),
        ("kms", "schedule-key-deletion"),
        ("ecs", "update-service"),
        ("sns", "publish"),
    ] {
        assert!(!class(s, o).read_only, "{s} {o}");
    }
}

/// The exception table of tools/catalog-gen/access.py, checked entry by entry.
#[test]
fn exception_table() {
    for (s, o, actions, ro) in [
        ("s3api", "list-objects-v2", &["s3:ListBucket"][..], true),
        ("s3api", "list-objects", &["s3:ListBucket"][..], true),
        (
            "s3api",
            "list-object-versions",
            &["s3:ListBucketVersions"][..],
            true,
        ),
        (
            "s3api",
            "list-multipart-uploads",
            &["s3:ListBucketMultipartUploads"][..],
            true,
        ),
        ("s3api", "list-buckets", &["s3:ListAllMyBuckets"][..], true),
        ("s3api", "head-object", &["s3:GetObject"][..], true),
        ("s3api", "head-bucket", &["s3:ListBucket"][..], true),
        (
            "s3api",
            "list-parts",
            &["s3:ListMultipartUploadParts"][..],
            true,
        ),
        (
            "s3api",
            "copy-object",
            &["s3:GetObject", "s3:PutObject"][..],
            false,
        ),
        ("s3api", "delete-objects", &["s3:DeleteObject"][..], false),
        ("lambda", "invoke", &["lambda:InvokeFunction"][..], false),
        (
            "apigatewaymanagementapi",
            "get-connection",
            &["execute-api:ManageConnections"][..],
            false,
        ),
    ] {
        let c = class(s, o);
        assert_eq!(c.iam_actions, actions, "{s} {o}");
        assert_eq!(c.read_only, ro, "{s} {o}");
        assert_eq!(
            table().entry(s, o).and_then(|e| e.via.as_deref()),
            Some("exception"),
            "{s} {o}"
        );
    }
}

#[test]
fn prefix_overrides_http_methods_and_doc_links() {
    let c = class("cloudwatch", "get-metric-data");
    assert_eq!(c.iam_actions, vec!["cloudwatch:GetMetricData"]);
    assert!(c.read_only);
    let c = class("iot-data", "get-thing-shadow");
    assert_eq!(c.iam_actions, vec!["iot:GetThingShadow"]);
    let c = class("resourcegroupstaggingapi", "get-resources");
    assert_eq!(c.iam_actions, vec!["tag:GetResources"]);
    let c = class("apigateway", "get-rest-apis");
    assert_eq!(c.iam_actions, vec!["apigateway:GET"]);
    assert!(c.read_only);
    let c = class("apigateway", "delete-rest-api");
    assert_eq!(c.iam_actions, vec!["apigateway:DELETE"]);
    assert!(!c.read_only);
    let vias: std::collections::HashSet<_> = table()
        .entries()
        .filter_map(|(_, _, e)| e.via.as_deref())
        .collect();
    for v in [
        "exact",
        "prefix-override",
        "http-method",
        "doc-link",
        "name-rule",
        "exception",
        "verb-rule",
    ] {
        assert!(vias.contains(v), "no entry found via {v}");
    }
}

/// Issue 19, finding 6: commands whose output holds secrets, derived from
/// the service models by `tools/catalog-gen/access.py` (not listed by hand).
#[test]
fn commands_returning_model_secrets_are_credential_commands() {
    for (s, o) in [
        ("gamelift", "get-compute-access"),
        ("gamelift", "get-instance-access"),
        ("emr", "get-cluster-session-credentials"),
        ("lightsail", "get-relational-database-master-user-password"),
        ("lightsail", "get-instance-access-details"),
        ("lightsail", "download-default-key-pair"),
        ("cognito-idp", "initiate-auth"),
        ("cognito-idp", "admin-initiate-auth"),
        ("cognito-idp", "respond-to-auth-challenge"),
        ("mwaa", "create-cli-token"),
        ("iot", "create-keys-and-certificate"),
        ("ec2", "create-key-pair"),
        ("kms", "generate-data-key"),
        ("secretsmanager", "get-secret-value"),
        ("acm", "export-certificate"),
        ("codepipeline", "get-job-details"),
    ] {
        let c = class(s, o);
        assert!(c.flags.returns_credentials, "{s} {o}");
        assert!(!c.read_only, "{s} {o}");
    }
    // Secrets deeper in resource descriptions, tag keys and page tokens are not.
    for (s, o) in [
        ("rds", "describe-db-instances"),
        ("redshift", "describe-clusters"),
        ("fsx", "describe-file-systems"),
        ("cloud9", "list-tags-for-resource"),
        ("chime-sdk-messaging", "list-channels"),
        ("kms", "get-parameters-for-import"),
        // The caller's own data, decrypted: not a handed-out key.
        ("kms", "decrypt"),
        ("kms", "generate-random"),
        ("secretsmanager", "describe-secret"),
        ("ssm", "get-parameter"),
    ] {
        let c = class(s, o);
        assert!(!c.flags.returns_credentials, "{s} {o}");
    }
}

#[test]
fn credential_minting_reads_are_mutating() {
    for (s, o) in [
        ("sts", "assume-role"),
        ("sts", "get-session-token"),
        ("sts", "get-federation-token"),
        ("iam", "create-access-key"),
        ("sso", "get-role-credentials"),
        ("cognito-identity", "get-credentials-for-identity"),
        ("cognito-identity", "get-open-id-token"),
        ("ecr", "get-authorization-token"),
        ("ecr", "get-login-password"),
        ("eks", "get-token"),
        ("rds", "generate-db-auth-token"),
        ("codeartifact", "get-authorization-token"),
        ("redshift", "get-cluster-credentials"),
    ] {
        let c = class(s, o);
        assert!(!c.read_only, "{s} {o}");
        assert!(c.flags.returns_credentials, "{s} {o}");
        assert!(
            matches!(c.source, Source::Override | Source::Customization),
            "{s} {o}"
        );
    }
    // Not credentials: metadata about them, and WAF change tokens.
    for (s, o) in [
        ("iam", "list-access-keys"),
        ("iam", "list-service-specific-credentials"),
        ("waf", "get-change-token"),
        ("sts", "get-caller-identity"),
    ] {
        let c = class(s, o);
        assert!(!c.flags.returns_credentials, "{s} {o}");
        assert!(c.read_only, "{s} {o}");
    }
}

#[test]
fn reads_with_side_effects_are_mutating() {
    for (s, o) in [
        ("sqs", "receive-message"),
        ("logs", "start-query"),
        ("logs", "start-live-tail"),
        ("bedrock-runtime", "invoke-model"),
        ("bedrock-runtime", "converse"),
        ("sagemaker-runtime", "invoke-endpoint"),
        ("iam", "generate-credential-report"),
    ] {
        let c = class(s, o);
        assert!(!c.read_only, "{s} {o}");
        assert_eq!(c.access_level, AccessLevel::Write, "{s} {o}");
        assert!(c.flags.side_effect, "{s} {o}");
    }
    // The neighbours that have no side effect stay reads.
    assert!(class("logs", "get-query-results").read_only);
    assert!(class("iam", "get-credential-report").read_only);
}

#[test]
fn customizations_are_judged_by_their_calls() {
    let ls = class("s3", "ls");
    assert!(ls.read_only);
    assert_eq!(ls.source, Source::Customization);
    assert!(ls.iam_actions.contains(&"s3:ListBucket".to_string()));
    let presign = class("s3", "presign");
    assert!(presign.read_only);
    for op in ["cp", "sync", "mv", "rm", "mb", "rb", "website"] {
        let c = class("s3", op);
        assert!(!c.read_only, "s3 {op}");
        assert_eq!(c.source, Source::Customization);
    }
    for (s, o) in [
        ("cloudformation", "deploy"),
        ("cloudformation", "package"),
        ("deploy", "push"),
        ("eks", "update-kubeconfig"),
        ("codeartifact", "login"),
        ("configure", "set"),
        ("configure", ""),
        ("emr", "ssh"),
        ("emr", "create-cluster"),
    ] {
        assert!(!class(s, o).read_only, "{s} {o}");
    }
    assert!(class("eks", "update-kubeconfig").flags.writes_local);
    assert!(class("codeartifact", "login").flags.writes_local);
    for (s, o) in [
        ("configure", "list"),
        ("configure", "get"),
        ("emr", "describe-cluster"),
        ("cloudtrail", "validate-logs"),
        ("configservice", "get-status"),
    ] {
        assert!(class(s, o).read_only, "{s} {o}");
    }
    assert!(class("configure", "list").flags.no_api_call);
}

#[test]
fn waiters_inherit_their_operation() {
    let w = class("ec2", "wait instance-running");
    assert!(w.read_only);
    assert_eq!(w.iam_actions, vec!["ec2:DescribeInstances"]);
}

#[test]
fn unknown_commands_are_never_read_only() {
    let c = class("ec2", "list-instances");
    assert_eq!(c.access_level, AccessLevel::Unknown);
    assert!(!c.read_only);
    assert_eq!(c.source, Source::Unknown);
    assert!(c.reason.contains("not in the access table"));
    let c = table().classify_name("nope", "");
    assert!(!c.read_only);
}

#[test]
fn partiql_select_only_is_a_read() {
    let base = vc("dynamodb", "execute-statement");
    assert!(
        !table().classify(&base).read_only,
        "no statement: fail closed"
    );
    let sel = param(
        base.clone(),
        "Statement",
        json!("  SELECT * FROM Orders WHERE pk = 'a'"),
    );
    let c = table().classify(&sel);
    assert!(c.read_only);
    assert_eq!(c.access_level, AccessLevel::Read);
    assert_eq!(c.iam_actions, vec!["dynamodb:PartiQLSelect"]);
    for stmt in [
        "DELETE FROM Sessions WHERE sessionId = 'abc'",
        "UPDATE t SET a = 1",
        "INSERT INTO t VALUE {'a': 1}",
        "selectx from t",
        "/* */ SELECT * FROM t",
        "(SELECT * FROM t)",
        "",
    ] {
        let c = table().classify(&param(base.clone(), "Statement", json!(stmt)));
        assert!(!c.read_only, "{stmt:?}");
        assert_eq!(c.access_level, AccessLevel::Write);
    }
    let batch = vc("dynamodb", "batch-execute-statement");
    let ok = param(
        batch.clone(),
        "Statements",
        json!([{"Statement": "select a from t"}, {"Statement": "SELECT\tb FROM t"}]),
    );
    assert!(table().classify(&ok).read_only);
    let mixed = param(
        batch.clone(),
        "Statements",
        json!([{"Statement": "select a from t"}, {"Statement": "DELETE FROM t"}]),
    );
    assert!(!table().classify(&mixed).read_only);
    let empty = param(batch, "Statements", json!([]));
    assert!(!table().classify(&empty).read_only);
    let tx = vc("dynamodb", "execute-transaction");
    let tx_ok = param(
        tx.clone(),
        "TransactStatements",
        json!([{"Statement": "SELECT * FROM t"}]),
    );
    assert!(table().classify(&tx_ok).read_only);
    let tx_bad = param(
        tx,
        "TransactStatements",
        json!([{"Statement": "UPDATE t SET a=1"}]),
    );
    assert!(!table().classify(&tx_bad).read_only);
}

#[test]
fn is_select_edge_cases() {
    assert!(is_select("SELECT * FROM t"));
    assert!(is_select("\n select\n* from t"));
    assert!(is_select("Select\"a\" from t"));
    assert!(!is_select("select"));
    assert!(!is_select("sel"));
    assert!(!is_select("sélect * from t"));
    assert!(!is_select("select_x from t"));
}

#[test]
fn counts_are_plausible() {
    let mut read_only = 0;
    let mut rule = 0;
    for (_, _, e) in table().entries() {
        if e.level.is_read_only() {
            read_only += 1;
        }
        if e.source == Source::Rule {
            rule += 1;
        }
    }
    let n = table().len();
    assert!(n >= 20_500);
    assert!(
        read_only > n / 3 && read_only < n * 2 / 3,
        "{read_only} of {n}"
    );
    assert!(rule < n / 5, "{rule} rule-based of {n}");
}

/// A container like access.py's `pack`, from an index JSON and service frames' JSON.
fn container(format: u32, services: &[(&str, &str)]) -> Vec<u8> {
    let mut frames = Vec::new();
    let mut index = serde_json::Map::new();
    for (name, json) in services {
        let f = zstd::encode_all(json.as_bytes(), 1).unwrap();
        index.insert(name.to_string(), json!([frames.len(), f.len()]));
        frames.extend_from_slice(&f);
    }
    let head = json!({"format": format, "sources": {}, "services": index}).to_string();
    let head = zstd::encode_all(head.as_bytes(), 1).unwrap();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&frames);
    out
}

#[test]
fn corrupt_tables_are_errors() {
    assert!(matches!(
        AccessTable::from_bytes(b"nope".to_vec()),
        Err(AccessTableError::BadHeader)
    ));
    let good = container(
        FORMAT_VERSION,
        &[(
            "ec2",
            r#"{"describe-instances":{"l":"L","s":"reference","a":["ec2:DescribeInstances"]}}"#,
        )],
    );
    let t = AccessTable::from_bytes(good.clone()).unwrap();
    assert!(t.classify(&vc("ec2", "describe-instances")).read_only);
    let mut truncated = good.clone();
    truncated.truncate(good.len() - 3);
    assert!(matches!(
        AccessTable::from_bytes(truncated),
        Err(AccessTableError::BadHeader)
    ));
    let mut corrupt_head = good.clone();
    corrupt_head[14] ^= 0xff;
    assert!(AccessTable::from_bytes(corrupt_head).is_err());
    let bad_service = container(FORMAT_VERSION, &[("ec2", r#"{"describe-instances":[]}"#)]);
    let t = AccessTable::from_bytes(bad_service).unwrap();
    assert!(matches!(t.load_all(), Err(AccessTableError::Json(m)) if m.contains("ec2")));
    assert!(
        t.entry("ec2", "describe-instances").is_none(),
        "corrupt service fails closed"
    );
    assert!(!t.classify(&vc("ec2", "describe-instances")).read_only);
    let newer = container(9, &[]);
    assert!(matches!(
        AccessTable::from_bytes(newer),
        Err(AccessTableError::UnsupportedFormat { found: 9, .. })
    ));
}

#[test]
fn classification_serializes() {
    let c = class("s3api", "list-buckets");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["access_level"], "list");
    assert_eq!(v["read_only"], true);
    assert_eq!(v["source"], "reference");
    let c = class("iam", "put-role-policy");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["access_level"], "permissions_management");
}
