//! The validator's behaviour, one feature at a time, against the embedded catalog.

use aws_mcp_core::command::{PathAccess, PathOrigin};
use aws_mcp_core::{
    validate, BinaryFormat, Catalog, Dialect, EnumCheck, ValidatedCommand, ValidationError,
    Validator,
};
use serde_json::json;

fn ok(cmd: &str) -> ValidatedCommand {
    validate(Catalog::embedded(), cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

fn err(cmd: &str) -> ValidationError {
    match validate(Catalog::embedded(), cmd) {
        Ok(c) => panic!("{cmd} was accepted: {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn globals_anywhere_and_equals_form() {
    for cmd in [
        "aws --region eu-west-1 ec2 describe-instances",
        "aws ec2 --region eu-west-1 describe-instances",
        "aws ec2 describe-instances --region=eu-west-1",
    ] {
        let c = ok(cmd);
        assert_eq!(c.region(), Some("eu-west-1"), "{cmd}");
        assert_eq!(
            c.argv(),
            ["ec2", "describe-instances", "--region", "eu-west-1"]
        );
    }
    let c = ok("aws sts get-caller-identity --output text --query Account --no-paginate --debug --profile p");
    assert_eq!(c.globals().output.as_deref(), Some("text"));
    assert_eq!(c.globals().query.as_deref(), Some("Account"));
    assert!(c.globals().no_paginate && c.globals().debug);
    assert_eq!(c.globals().profile.as_deref(), Some("p"));
}

#[test]
fn bad_globals() {
    assert_eq!(
        err("aws s3 ls --region us-east-17").kind(),
        "invalid_region"
    );
    assert_eq!(
        err("aws s3 ls --region eu-wset-1").suggestions()[0],
        "eu-west-1"
    );
    assert_eq!(err("aws s3 ls --output xml").kind(), "invalid_choice");
    assert_eq!(err("aws s3 ls --output yaml").kind(), "other_cli_version");
    assert_eq!(err("aws s3 ls --query 'a[?'").kind(), "invalid_query");
    assert_eq!(err("aws s3 ls --region").kind(), "missing_value");
    assert_eq!(err("aws s3 ls --debug=1").kind(), "unexpected_value");
    assert_eq!(
        err("aws s3 ls --endpoint-url localhost:4566").kind(),
        "invalid_type"
    );
    let e = err("aws sts get-caller-identity --endpoint http://169.254.169.254/");
    assert_eq!(e.kind(), "abbreviated_argument");
    assert_eq!(e.suggestions(), ["--endpoint-url"]);
    assert_eq!(
        err("aws s3 ls --region us-east-1 --region us-west-2").kind(),
        "duplicate_argument"
    );
}

#[test]
fn names_with_did_you_mean() {
    let e = err("aws ec2 describe-instances --instance-id i-1");
    assert_eq!(e.kind(), "abbreviated_argument");
    assert_eq!(e.suggestions(), ["--instance-ids"]);
    let e = err("aws ec2 describe-instances --instance-name web");
    assert_eq!(e.kind(), "unknown_argument");
    assert!(e.suggestions().len() <= 3);
    assert_eq!(err("aws ec3 describe-instances").suggestions()[0], "ec2");
    assert_eq!(err("aws ec2").kind(), "missing_operation");
    let e = err("aws ec2 wait");
    assert_eq!(e.kind(), "missing_operation");
    assert!(e.suggestions().iter().all(|s| s.starts_with("wait ")));
    // `help` is a command that calls nothing: the validator names the topic.
    for (cmd, service, command) in [
        ("aws help", None, None),
        ("aws ec2 help", Some("ec2"), None),
        ("aws ec2 wait help", Some("ec2"), None),
        (
            "aws ec2 describe-instances help",
            Some("ec2"),
            Some("describe-instances"),
        ),
        (
            "aws ec2 describe-instances --dry-run help",
            Some("ec2"),
            Some("describe-instances"),
        ),
        (
            "aws s3api get-object help",
            Some("s3api"),
            Some("get-object"),
        ),
        (
            "aws ec2 wait instance-running help",
            Some("ec2"),
            Some("wait instance-running"),
        ),
        ("aws --region eu-west-1 s3 cp help", Some("s3"), Some("cp")),
    ] {
        let c = ok(cmd);
        let h = c.help().unwrap_or_else(|| panic!("{cmd}: not help"));
        assert_eq!(
            (h.service.as_deref(), h.command.as_deref()),
            (service, command),
            "{cmd}"
        );
        assert!(c.parameters().is_empty() && c.api().is_none(), "{cmd}");
    }
    // With other arguments missing, `help` is not alone: the CLI's parser
    // reports them first.
    assert_eq!(
        err("aws s3api get-object --bucket b help").kind(),
        "missing_required"
    );
    assert!(ok("aws ec2 describe-instances").help().is_none());
    assert_eq!(err("aws").kind(), "missing_service");
    assert_eq!(err("python -c x").kind(), "not_aws");
}

#[test]
fn types_and_flags() {
    let c = ok("aws ec2 describe-instances --max-results 5 --dry-run --instance-ids i-1 i-2");
    assert_eq!(
        serde_json::Value::Object(c.parameters().clone()),
        json!({"MaxResults": 5, "DryRun": true, "InstanceIds": ["i-1", "i-2"]})
    );
    let c = ok("aws ec2 describe-instances --no-dry-run");
    assert_eq!(c.parameters()["DryRun"], json!(false));
    assert_eq!(
        err("aws s3api list-objects-v2 --bucket b --max-keys ten").kind(),
        "invalid_type"
    );
    assert_eq!(
        err("aws ec2 describe-instances --dry-run --no-dry-run").kind(),
        "duplicate_argument"
    );
    assert_eq!(
        err("aws ec2 describe-instances --instance-ids a --instance-ids b").kind(),
        "duplicate_argument"
    );
    let c = ok("aws cloudwatch get-metric-statistics --namespace N --metric-name M --start-time 2024-01-01T00:00:00Z --end-time 1704153600 --period 60 --statistics Average");
    assert_eq!(c.parameters()["StartTime"], json!("2024-01-01T00:00:00Z"));
    assert_eq!(c.parameters()["Period"], json!(60));
    assert_eq!(
        err("aws cloudwatch get-metric-statistics --namespace N --metric-name M --start-time yesterday --end-time 1 --period 60").kind(),
        "invalid_type"
    );
    let c = ok("aws ec2 modify-subnet-attribute --subnet-id s --map-public-ip-on-launch");
    assert_eq!(
        c.parameters()["MapPublicIpOnLaunch"],
        json!({"Value": true})
    );
    let c = ok("aws ec2 modify-subnet-attribute --subnet-id s --no-map-public-ip-on-launch");
    assert_eq!(
        c.parameters()["MapPublicIpOnLaunch"],
        json!({"Value": false})
    );
}

#[test]
fn shorthand_and_json() {
    let c = ok("aws ec2 describe-instances --filters Name=tag:Name,Values=a,b Name=x,Values=y");
    assert_eq!(
        c.parameters()["Filters"],
        json!([{"Name": "tag:Name", "Values": ["a", "b"]}, {"Name": "x", "Values": ["y"]}])
    );
    let c = ok(r#"aws ec2 describe-instances --filters '[{"Name":"a","Values":["b"]}]'"#);
    assert_eq!(
        c.parameters()["Filters"],
        json!([{"Name": "a", "Values": ["b"]}])
    );
    let c = ok("aws ec2 run-instances --image-id ami-1 --block-device-mappings 'DeviceName=/dev/sda1,Ebs={VolumeSize=20,DeleteOnTermination=true}'");
    assert_eq!(
        c.parameters()["BlockDeviceMappings"],
        json!([{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 20, "DeleteOnTermination": true}}])
    );
    let c = ok(r#"aws dynamodb get-item --table-name T --key '{"pk":{"S":"a"}}'"#);
    assert_eq!(c.parameters()["Key"], json!({"pk": {"S": "a"}}));
    assert_eq!(
        err("aws dynamodb get-item --table-name T --key '{\"pk\":'").kind(),
        "invalid_json"
    );
    assert_eq!(
        err("aws ec2 describe-instances --filters Name=a,Name=b").kind(),
        "invalid_shorthand"
    );
    let e = err("aws ec2 describe-instances --filters Nme=a,Values=b");
    assert_eq!(e.kind(), "unknown_key");
    assert_eq!(e.suggestions()[0], "Name");
    // A required member inside a structure.
    let e = err("aws iam tag-role --role-name r --tags Value=x");
    assert!(
        matches!(&e, ValidationError::MissingRequired { missing, .. } if missing.iter().any(|m| m.contains("Key"))),
        "{e}"
    );
}

#[test]
fn enums_reject_by_default_or_note() {
    let cmd = "aws lambda update-function-configuration --function-name f --runtime python2.9";
    let e = err(cmd);
    assert_eq!(e.kind(), "invalid_enum");
    assert!(e.to_string().contains("python3.12"));
    let c = Validator::new(Catalog::embedded())
        .enum_check(EnumCheck::Note)
        .validate(cmd)
        .expect("accepted with a note");
    assert_eq!(c.notes().len(), 1);
}

#[test]
fn missing_required_lists_them_all() {
    let e = err("aws iam create-role");
    assert_eq!(
        e.suggestions(),
        ["--role-name", "--assume-role-policy-document"]
    );
}

#[test]
fn file_references_are_recorded_not_read() {
    let c = ok(
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:1:t --message file://~/.aws/credentials",
    );
    assert_eq!(
        c.parameters()["Message"],
        json!("file://~/.aws/credentials")
    );
    assert_eq!(c.local_paths().len(), 1);
    assert_eq!(c.local_paths()[0].path, "~/.aws/credentials");
    assert_eq!(c.local_paths()[0].access, PathAccess::Read);
    assert_eq!(c.local_paths()[0].origin, PathOrigin::FileUrl);
    let c = ok("aws secretsmanager create-secret --name x --secret-binary fileb://$HOME/k");
    assert_eq!(c.local_paths()[0].path, "$HOME/k");
    assert_eq!(c.local_paths()[0].origin, PathOrigin::FilebUrl);
    let c = ok("aws ec2 run-instances --image-id ami-1 --cli-input-json file://in.json");
    assert_eq!(c.local_paths()[0].arg, "cli-input-json");
    // http(s) values are plain strings.
    let c = ok("aws sqs get-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/1/q");
    assert!(c.local_paths().is_empty());
    // `@=` inside shorthand reads a file too.
    let c = ok("aws ec2 describe-instances --filters Name@=file://name.txt,Values=a");
    assert!(c
        .local_paths()
        .iter()
        .any(|p| p.path == "name.txt" && p.origin == PathOrigin::Nested));
}

#[test]
fn cli_input_json_merges_under_the_arguments() {
    let c = ok(r#"aws iam get-role --cli-input-json '{"RoleName": "from-json"}'"#);
    assert_eq!(c.parameters()["RoleName"], json!("from-json"));
    let c = ok(r#"aws iam get-role --role-name cli --cli-input-json '{"RoleName": "from-json"}'"#);
    assert_eq!(c.parameters()["RoleName"], json!("cli"));
    assert_eq!(
        err(r#"aws iam get-role --cli-input-json '{}'"#).kind(),
        "missing_required"
    );
    assert_eq!(
        err(r#"aws iam get-role --cli-input-json '{"RoleName":"r","Bogus":1}'"#).kind(),
        "unknown_key"
    );
}

#[test]
fn several_regions() {
    use aws_mcp_core::RegionSet;
    let c = ok("aws ec2 describe-vpcs --region '*'");
    assert_eq!(c.regions(), Some(&RegionSet::All));
    assert_eq!(c.region(), None);
    let c = ok("aws ec2 describe-vpcs --region us-east-1,eu-west-1,us-east-1");
    assert_eq!(
        c.regions(),
        Some(&RegionSet::List(vec![
            "us-east-1".into(),
            "eu-west-1".into()
        ]))
    );
    let one = c.for_region("eu-west-1");
    assert_eq!(one.region(), Some("eu-west-1"));
    assert_eq!(one.regions(), None);
    assert_eq!(
        one.argv(),
        ["ec2", "describe-vpcs", "--region", "eu-west-1"]
    );
    assert_eq!(
        err("aws ec2 describe-vpcs --region us-east-1,mars-1").kind(),
        "invalid_region"
    );
    assert_eq!(
        err("aws ec2 describe-vpcs --region us-east-1,").kind(),
        "invalid_region"
    );
    assert_eq!(
        err("aws ec2 describe-vpcs --region '**'").kind(),
        "invalid_region"
    );
}

#[test]
fn pagination() {
    let c = ok("aws iam list-users --max-items 5 --page-size 2 --starting-token t");
    assert_eq!(
        c.parameters()["PaginationConfig"],
        json!({"MaxItems": 5, "PageSize": 2, "StartingToken": "t"})
    );
    assert_eq!(
        err("aws dynamodb list-tables --max-items 5 --no-paginate").kind(),
        "pagination_conflict"
    );
    assert_eq!(
        err("aws dynamodb list-tables --max-items 5 --limit 2").kind(),
        "pagination_conflict"
    );
    // With paging off, awscli gives a shadowed argument back to the API.
    let c = ok("aws iam list-users --max-items 5 --marker m");
    assert_eq!(c.parameters()["MaxItems"], json!(5));
    assert_eq!(c.parameters()["Marker"], json!("m"));
    assert!(c.globals().no_paginate, "the CLI's pagination is off");
    // Route 53's MaxItems is a string member the pagination argument shadows.
    let c = ok("aws route53 list-resource-record-sets --hosted-zone-id Z1 --start-record-name a.example.com --max-items 1");
    assert_eq!(c.parameters()["MaxItems"], json!("1"));
    assert!(c.parameters().get("PaginationConfig").is_none());
    assert!(c.globals().no_paginate);
    let c = ok("aws route53 list-resource-record-sets --hosted-zone-id Z1 --max-items 1");
    assert_eq!(c.parameters()["PaginationConfig"], json!({"MaxItems": "1"}));
    assert!(!c.globals().no_paginate);
}

#[test]
fn customizations_positionals_and_local_paths() {
    let c = ok("aws s3 cp ./report.csv s3://b/r.csv --sse AES256");
    assert_eq!(c.kind(), aws_mcp_core::CommandKind::Custom);
    assert!(c.parameters().is_empty());
    assert_eq!(
        c.args()
            .iter()
            .find(|a| a.name == "paths")
            .map(|a| a.values.len()),
        Some(2)
    );
    assert_eq!(
        (c.local_paths()[0].path.as_str(), c.local_paths()[0].access),
        ("./report.csv", PathAccess::Read)
    );
    let c = ok("aws s3 sync s3://b/ ~/backup");
    assert_eq!(
        (c.local_paths()[0].path.as_str(), c.local_paths()[0].access),
        ("~/backup", PathAccess::Write)
    );
    let c = ok("aws s3 ls s3://bucket/prefix --recursive");
    assert!(c.local_paths().is_empty());
    assert_eq!(err("aws s3 cp ./a").kind(), "missing_required");
    assert_eq!(err("aws s3 ls --sse-c").kind(), "unknown_argument");
    assert_eq!(
        err("aws s3 cp a s3://b/ --acl public").kind(),
        "invalid_choice"
    );
    let c = ok("aws s3api get-object --bucket b --key k ~/.ssh/authorized_keys");
    assert_eq!(c.local_paths()[0].access, PathAccess::Write);
    assert_eq!(c.local_paths()[0].origin, PathOrigin::OutputFile);
    assert_eq!(
        err("aws s3api get-object --bucket b --key k").kind(),
        "missing_required"
    );
    let c = ok("aws s3api put-object --bucket b --key k --body ./f.txt");
    assert_eq!(c.local_paths()[0].path, "./f.txt");
    let c = ok("aws eks update-kubeconfig --name c --kubeconfig /tmp/kc");
    assert_eq!(c.local_paths()[0].access, PathAccess::Write);
    let c = ok("aws configure set region us-east-1");
    assert_eq!(c.operation(), "set");
    let c = ok("aws ec2 wait instance-running --instance-ids i-1");
    assert_eq!(c.operation(), "wait instance-running");
    assert_eq!(c.parameters()["InstanceIds"], json!(["i-1"]));
}

#[test]
fn quoted_operators_are_data_unquoted_are_not() {
    let c = ok("aws ec2 describe-instances --query 'Reservations[] | [0]'");
    assert_eq!(c.globals().query.as_deref(), Some("Reservations[] | [0]"));
    let c = ok(
        "aws ec2 describe-instances --query \"Reservations[?State=='x'].Tags[?Key==`Name`]\""
            .replace('`', "'")
            .as_str(),
    );
    assert!(c.globals().query.is_some());
    assert_eq!(err("aws s3 ls; rm -rf /").kind(), "shell_operator");
    assert_eq!(
        err("aws ec2 describe-instances --query \"$(id)\"").kind(),
        "shell_operator"
    );
    assert_eq!(
        err("aws ec2 describe-instances –-region us-east-1").kind(),
        "non_ascii_name"
    );
}

#[test]
fn suggestions_are_never_empty_names() {
    // `aws configure` alone is a command with the empty name: it must not be
    // offered as "did you mean ``?".
    let e = err("aws configure sset");
    assert_eq!(e.kind(), "unknown_operation");
    assert!(e.suggestions().iter().all(|s| !s.is_empty()), "{e:?}");
    assert!(!e.to_string().contains("``"), "{e}");
}

fn v2(cmd: &str) -> Result<ValidatedCommand, ValidationError> {
    Validator::new(Catalog::embedded())
        .dialect(Dialect::V2)
        .validate(cmd)
}

#[test]
fn v2_commands_and_options_validate_in_v2_only() {
    for cmd in [
        "aws logs tail /aws/lambda/x",
        "aws configure export-credentials",
        "aws configure list-profiles",
        "aws ddb select t",
        "aws sts get-caller-identity --no-cli-pager",
        "aws sts get-caller-identity --output yaml",
        "aws sts get-caller-identity --output yaml-stream",
        "aws sts get-caller-identity --output off",
        "aws s3 cp a.txt s3://b/k --no-overwrite",
    ] {
        v2(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let e = err(cmd);
        assert_eq!(e.kind(), "other_cli_version", "{cmd}: {e}");
        assert!(e.to_string().contains("AWS CLI v2"), "{e}");
        assert!(e.to_string().contains("aws-cli/1.46.3"), "{e}");
    }
    // Interactive v2 commands: v2 refuses them with the reason, v1 names the dialect.
    for cmd in ["aws sso login", "aws configure sso"] {
        assert_eq!(v2(cmd).unwrap_err().kind(), "interactive", "{cmd}");
        assert_eq!(err(cmd).kind(), "other_cli_version", "{cmd}");
    }
    // v1-only in v2.
    let e = v2("aws ecr get-login").unwrap_err();
    assert_eq!(e.kind(), "other_cli_version", "{e}");
    assert!(
        e.to_string()
            .starts_with("`aws ecr get-login` is an AWS CLI v1 command"),
        "{e}"
    );
    let e = v2("aws ec2 describe-instances --v2-debug").unwrap_err();
    assert_eq!(e.kind(), "other_cli_version", "{e}");
    // The exact measured case, and its message.
    let e = err("aws lambda invoke --function-name f --payload '{\"a\":1}' --cli-binary-format raw-in-base64-out out.json");
    assert!(e.to_string().starts_with("`--cli-binary-format` is an AWS CLI v2 option; this server validates for aws-cli/1.46.3 (AWS CLI v1)"), "{e}");
    // Names neither dialect has stay plain unknown names.
    assert_eq!(
        v2("aws logs tails x").unwrap_err().kind(),
        "unknown_operation"
    );
    assert_eq!(
        err("aws ec2 describe-instances --nope").kind(),
        "unknown_argument"
    );
    // No empty "did you mean" (the measured `aws configure sso` in v1 gets the dialect error).
    let e = err("aws configure ssso");
    assert!(!e.suggestions().iter().any(String::is_empty), "{e:?}");
}

#[test]
fn v2_blobs_are_base64_unless_raw_in_base64_out() {
    let cmd = "aws lambda invoke --function-name f --payload '{\"a\":1}' out.json";
    // v1: the text is the payload.
    assert_eq!(ok(cmd).parameters()["Payload"], json!("{\"a\":1}"));
    // v2: not base64, as the real v2 says.
    let e = v2(cmd).unwrap_err();
    assert_eq!(e.kind(), "invalid_base64");
    assert!(
        e.to_string().contains("Invalid base64: \"{\"a\":1}\""),
        "{e}"
    );
    assert!(e.to_string().contains("raw-in-base64-out"), "{e}");
    // v2 with the raw format: the text is the payload.
    let c = v2("aws lambda invoke --function-name f --payload '{\"a\":1}' --cli-binary-format raw-in-base64-out out.json").unwrap();
    assert_eq!(c.parameters()["Payload"], json!("{\"a\":1}"));
    assert_eq!(
        c.globals().cli_binary_format.as_deref(),
        Some("raw-in-base64-out")
    );
    // ... or from the profile's setting.
    let c = Validator::new(Catalog::embedded())
        .dialect(Dialect::V2)
        .binary_format(BinaryFormat::RawInBase64Out)
        .validate(cmd)
        .unwrap();
    assert_eq!(c.parameters()["Payload"], json!("{\"a\":1}"));
    // v2 base64 is decoded (eyJhIjoxfQ== is {"a":1}), at any depth.
    let c = v2("aws lambda invoke --function-name f --payload eyJhIjoxfQ== out.json").unwrap();
    assert_eq!(c.parameters()["Payload"], json!("{\"a\":1}"));
    let c =
        v2("aws kinesis put-records --stream-name s --records Data=aGk=,PartitionKey=p").unwrap();
    assert_eq!(c.parameters()["Records"][0]["Data"], json!("hi"));
    // Bytes that are not UTF-8 are {"$bytes": base64}: never ambiguous.
    let c = v2("aws kms encrypt --key-id k --plaintext /wABAg==").unwrap();
    assert_eq!(c.parameters()["Plaintext"], json!({"$bytes": "/wABAg=="}));
    let c = v2("aws kinesis put-record --stream-name s --partition-key p --data gICA").unwrap();
    assert_eq!(c.parameters()["Data"], json!({"$bytes": "gICA"}));
    // A user's own object for a blob is refused: only the validator writes one.
    let e = v2("aws kms encrypt --key-id k --plaintext '{\"$bytes\": \"gICA\"}'");
    assert!(e.is_err(), "{e:?}");
    let doc =
        r#"aws kms encrypt --cli-input-json '{"KeyId": "k", "Plaintext": {"$bytes": "/w=="}}'"#;
    assert_eq!(err(doc).kind(), "invalid_type");
    assert_eq!(v2(doc).unwrap_err().kind(), "invalid_type");
    // v1 and raw-in-base64-out: the text itself.
    let c = ok("aws kms encrypt --key-id k --plaintext /wABAg==");
    assert_eq!(c.parameters()["Plaintext"], json!("/wABAg=="));
    assert_eq!(
        v2("aws kinesis put-records --stream-name s --records Data=hi!,PartitionKey=p")
            .unwrap_err()
            .kind(),
        "invalid_base64"
    );
}

#[test]
fn v2_cli_input_yaml_pager_and_prompt() {
    let c = v2("aws iam get-role --cli-input-yaml 'RoleName: r'").unwrap();
    assert_eq!(c.parameters()["RoleName"], json!("r"));
    let c = v2("aws ec2 describe-instances --cli-input-yaml 'InstanceIds:\n  - i-1\n  - i-2\nDryRun: true'").unwrap();
    assert_eq!(c.parameters()["InstanceIds"], json!(["i-1", "i-2"]));
    assert_eq!(c.parameters()["DryRun"], json!(true));
    assert_eq!(
        v2("aws iam get-role --cli-input-yaml 'RoleName: [r'")
            .unwrap_err()
            .kind(),
        "invalid_yaml"
    );
    assert_eq!(
        v2("aws iam get-role --cli-input-yaml '- a'")
            .unwrap_err()
            .kind(),
        "invalid_yaml"
    );
    assert_eq!(
        v2("aws iam get-role --cli-input-yaml 'Nope: 1'")
            .unwrap_err()
            .kind(),
        "unknown_key"
    );
    assert_eq!(
        err("aws iam get-role --cli-input-yaml 'RoleName: r'").kind(),
        "other_cli_version"
    );
    let c = v2("aws sts get-caller-identity --no-cli-pager").unwrap();
    assert!(c.globals().no_cli_pager);
    let e = v2("aws sts get-caller-identity --cli-auto-prompt").unwrap_err();
    assert_eq!(e.kind(), "interactive");
    assert!(e.to_string().contains("complete command"), "{e}");
    assert!(v2("aws sts get-caller-identity --no-cli-auto-prompt").is_ok());
}

#[test]
fn interactive_commands_are_refused_with_what_to_do() {
    for (cmd, hint) in [
        ("aws sso login", "terminal"),
        ("aws configure sso", "aws configure set"),
        ("aws lambda wizard new-function", "create-function"),
        (
            "aws ec2-instance-connect ssh --instance-id i-1",
            "send-ssh-public-key",
        ),
        ("aws logs tail /aws/lambda/x --follow", "--since"),
    ] {
        let e = v2(cmd).unwrap_err();
        assert_eq!(e.kind(), "interactive", "{cmd}: {e}");
        assert!(e.to_string().contains(hint), "{cmd}: {e}");
    }
    // Not interactive: reads and the non-following tail.
    for cmd in [
        "aws logs tail /aws/lambda/x --since 10m",
        "aws configure list-profiles",
        "aws configure export-credentials",
        "aws ddb select t",
    ] {
        v2(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"));
    }
}

#[test]
fn customization_structures_keep_their_typed_value() {
    // The high-level s3 commands read these (`--metadata` as shorthand or JSON).
    let c = ok("aws s3 cp a.txt s3://b/ --metadata k=v,x=y");
    assert_eq!(c.custom_values()["metadata"], json!({"k": "v", "x": "y"}));
    let c = ok(r#"aws s3 cp a.txt s3://b/ --metadata '{"a":"1"}'"#);
    assert_eq!(c.custom_values()["metadata"], json!({"a": "1"}));
    // Repeated and flag arguments stay in `args`, in order.
    let c = ok("aws s3 sync . s3://b/ --exclude * --include *.txt --exclude x*");
    let f: Vec<(&str, &str)> = c
        .args()
        .iter()
        .filter(|a| a.name == "include" || a.name == "exclude")
        .map(|a| (a.name.as_str(), a.values[0].as_str()))
        .collect();
    assert_eq!(
        f,
        [("exclude", "*"), ("include", "*.txt"), ("exclude", "x*")]
    );
    assert!(ok("aws s3 ls").custom_values().is_empty());
}

#[test]
fn parameter_files_become_their_parameters() {
    use aws_mcp_core::command::PathOrigin;
    let v1 = Validator::new(Catalog::embedded());
    let v2 = Validator::new(Catalog::embedded()).dialect(Dialect::V2);
    let file = |c: &ValidatedCommand| c.local_paths()[0].clone();
    // Text for a string parameter.
    let c = ok("aws ssm put-parameter --name n --type String --value file://v.txt");
    assert_eq!(
        v1.file_value(&c, &file(&c), b"hello\n").unwrap(),
        ("Value".to_string(), json!("hello\n"))
    );
    // Bytes for a blob: UTF-8 as a string, anything else as base64 bytes.
    let c = ok("aws kms encrypt --key-id k --plaintext fileb://x.bin");
    assert_eq!(file(&c).origin, PathOrigin::FilebUrl);
    assert_eq!(v1.file_value(&c, &file(&c), b"ab").unwrap().1, json!("ab"));
    assert_eq!(
        v1.file_value(&c, &file(&c), &[0xff, 0x00]).unwrap().1,
        json!({"$bytes": "/wA="})
    );
    // file:// for a blob: text in v1, base64 to decode in v2.
    let c = ok("aws kms encrypt --key-id k --plaintext file://x.txt");
    assert_eq!(
        v1.file_value(&c, &file(&c), b"aGk=").unwrap().1,
        json!("aGk=")
    );
    assert_eq!(
        v2.file_value(&c, &file(&c), b"aGk=").unwrap().1,
        json!("hi")
    );
    let e = v2.file_value(&c, &file(&c), b"not base64!").unwrap_err();
    assert!(e.to_string().contains("not base64"), "{e}");
    // A structure: JSON typed and checked like a command-line value.
    let c = ok("aws dynamodb put-item --table-name t --item file://item.json");
    let (m, v) = v1
        .file_value(&c, &file(&c), br#"{"id": {"S": "1"}}"#)
        .unwrap();
    assert_eq!((m.as_str(), v), ("Item", json!({"id": {"S": "1"}})));
    let c = ok("aws ec2 run-instances --image-id ami-1 --block-device-mappings file://b.json");
    let (_, v) = v1
        .file_value(
            &c,
            &file(&c),
            br#"[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8}}]"#,
        )
        .unwrap();
    assert_eq!(v[0]["Ebs"]["VolumeSize"], 8);
}

#[test]
fn parameter_file_errors_never_show_the_contents() {
    let v = Validator::new(Catalog::embedded());
    let secret = "hunter2-in-the-file";
    let c = ok("aws dynamodb put-item --table-name t --item file://item.json");
    let f = c.local_paths()[0].clone();
    for contents in [
        format!(r#"{{"id": {{"S": "{secret}"}},,}}"#),
        format!("{secret}=x"),
        format!(r#"{{"id": {{"Q": "{secret}"}}}}"#),
        format!(r#"{{"{secret}": 5}}"#),
    ] {
        let e = v.file_value(&c, &f, contents.as_bytes()).unwrap_err();
        let msg = e.to_string();
        assert!(!msg.contains(secret), "{msg}");
        assert!(
            msg.contains("file://item.json") && msg.contains("--item"),
            "{msg}"
        );
    }
    let e = v.file_value(&c, &f, b"{,").unwrap_err();
    assert!(
        e.to_string().contains("invalid JSON (key must be a string"),
        "{e}"
    );
    // Text parameters need text; binary parameters of text files are fine.
    let c = ok("aws ssm put-parameter --name n --type String --value file://v.txt");
    let e = v
        .file_value(&c, &c.local_paths()[0].clone(), &[0xff, 0xfe])
        .unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    let c = ok("aws ssm put-parameter --name n --type String --value fileb://v.bin");
    let e = v
        .file_value(&c, &c.local_paths()[0].clone(), b"x")
        .unwrap_err();
    assert!(e.to_string().contains("use file://"), "{e}");
}

#[test]
fn customization_parameter_files_are_typed_with_their_schema() {
    let v = Validator::new(Catalog::embedded());
    let base = "aws emr create-cluster --release-label emr-5.9.0 --instance-type m4.large";
    // A file's text is the value the same text on the command line is.
    for (arg, text) in [
        (
            "steps",
            r#"[{"Type": "CUSTOM_JAR", "Jar": "s3://b/j.jar", "Args": ["a"]}]"#,
        ),
        ("ec2-attributes", r#"{"KeyName": "k", "SubnetId": "s-1"}"#),
        ("emrfs", "Consistent=true,RetryCount=6"),
    ] {
        let inline = ok(&format!("{base} --{arg} '{text}'"));
        let c = ok(&format!("{base} --{arg} file://x.json"));
        let f = c.local_paths()[0].clone();
        assert_eq!(
            v.custom_file_value(&c, &f, text.as_bytes()).unwrap(),
            inline.custom_values()[arg],
            "{arg}"
        );
    }
    // An argument without a schema takes the text.
    let c = ok(&format!("{base} --configurations file://c.json"));
    let f = c.local_paths()[0].clone();
    assert_eq!(v.custom_file_value(&c, &f, b"[]\n").unwrap(), json!("[]\n"));
    // Errors name the file, never its contents.
    let c = ok(&format!("{base} --ec2-attributes file://e.json"));
    let f = c.local_paths()[0].clone();
    let e = v
        .custom_file_value(&c, &f, br#"{"KeyName": "hunter2",,}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("file://e.json") && !e.contains("hunter2"), "{e}");
}

#[test]
fn input_documents_fill_in_what_the_command_line_leaves_out() {
    let v1 = Validator::new(Catalog::embedded());
    let v2 = Validator::new(Catalog::embedded()).dialect(Dialect::V2);
    // Inline: merged by the validator, the command line wins.
    let c =
        ok(r#"aws iam create-user --user-name a --cli-input-json '{"UserName":"b","Path":"/x/"}'"#);
    assert_eq!(c.parameters()["UserName"], json!("a"));
    assert_eq!(c.parameters()["Path"], json!("/x/"));
    // From a file: the executor reads it and asks the validator to merge.
    let c = ok("aws iam create-user --path /p/ --cli-input-json file://user.json");
    let f = c.local_paths()[0].clone();
    assert_eq!(f.arg, "cli-input-json");
    let mut params = c.parameters().clone();
    v1.merge_input_document(
        &c,
        &f,
        br#"{"UserName": "u", "Path": "/doc/"}"#,
        &mut params,
    )
    .unwrap();
    assert_eq!(params["UserName"], json!("u"));
    assert_eq!(params["Path"], json!("/p/"));
    // Typed and checked like any parameter; required members once merged.
    let c = ok("aws ec2 describe-instances --cli-input-json file://d.json");
    let f = c.local_paths()[0].clone();
    let mut params = c.parameters().clone();
    v1.merge_input_document(&c, &f, br#"{"MaxResults": 5, "DryRun": true}"#, &mut params)
        .unwrap();
    assert_eq!(params["MaxResults"], json!(5));
    let mut params = c.parameters().clone();
    let e = v1
        .merge_input_document(&c, &f, br#"{"MaxResults": "five"}"#, &mut params)
        .unwrap_err();
    assert!(e.to_string().contains("wrong type"), "{e}");
    let c = ok("aws iam create-user --cli-input-json file://user.json");
    let f = c.local_paths()[0].clone();
    let e = v1
        .merge_input_document(&c, &f, br#"{"Path": "/p/"}"#, &mut c.parameters().clone())
        .unwrap_err();
    assert!(
        e.to_string().contains("missing") && e.to_string().contains("--user-name"),
        "{e}"
    );
    // YAML in v2, blobs read as base64 like every v2 blob.
    let c = v2
        .validate("aws kms encrypt --key-id k --cli-input-yaml file://e.yaml")
        .unwrap();
    let f = c.local_paths()[0].clone();
    let mut params = c.parameters().clone();
    v2.merge_input_document(&c, &f, b"Plaintext: aGk=\n", &mut params)
        .unwrap();
    assert_eq!(params["Plaintext"], json!("hi"));
    assert_eq!(params["KeyId"], json!("k"));
}

#[test]
fn input_document_errors_never_show_the_contents() {
    let v = Validator::new(Catalog::embedded());
    let secret = "hunter2-in-the-file";
    let c = ok("aws iam create-user --cli-input-json file://user.json");
    let f = c.local_paths()[0].clone();
    for contents in [
        format!(r#"{{"UserName": "{secret}",,}}"#),
        format!(r#"{{"{secret}": "x", "UserName": "u"}}"#),
        format!(r#"{{"UserName": ["{secret}"]}}"#),
        format!(r#"["{secret}"]"#),
        secret.to_string(),
    ] {
        let e = v
            .merge_input_document(&c, &f, contents.as_bytes(), &mut c.parameters().clone())
            .unwrap_err();
        let msg = e.to_string();
        assert!(!msg.contains(secret), "{msg}");
        assert!(
            msg.contains("file://user.json") && msg.contains("--cli-input-json"),
            "{msg}"
        );
    }
    // Only the input-document arguments take documents.
    let c = ok("aws ssm put-parameter --name n --type String --value file://v.txt");
    let f = c.local_paths()[0].clone();
    assert!(v
        .merge_input_document(&c, &f, b"{}", &mut c.parameters().clone())
        .is_err());
}

#[test]
fn codedeploy_locations_become_the_revision() {
    let c = ok("aws deploy create-deployment --application-name a --deployment-group-name g --s3-location bucket=b,key=k.zip,bundleType=zip,eTag=e1");
    assert_eq!(
        c.parameters()["revision"],
        json!({"revisionType": "S3", "s3Location": {"bucket": "b", "key": "k.zip", "bundleType": "zip", "eTag": "e1"}})
    );
    let c = ok(
        r#"aws deploy register-application-revision --application-name a --github-location '{"repository": "o/r", "commitId": "abc"}'"#,
    );
    assert_eq!(
        c.parameters()["revision"],
        json!({"revisionType": "GitHub", "gitHubLocation": {"repository": "o/r", "commitId": "abc"}})
    );
    // The CLI's own error for a location without its required keys.
    let e = Validator::new(Catalog::embedded())
        .validate(
            "aws deploy get-application-revision --application-name a --s3-location bucket=b,key=k",
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("--s3-location must specify bucket, key and bundleType."),
        "{e}"
    );
    // Other commands and services keep the argument as it is.
    assert!(aws_mcp_core::validate::translates_cli_argument(
        Some("codedeploy"),
        "create-deployment",
        "s3-location"
    ));
    assert!(!aws_mcp_core::validate::translates_cli_argument(
        Some("codedeploy"),
        "push",
        "s3-location"
    ));
    assert!(!aws_mcp_core::validate::translates_cli_argument(
        Some("ec2"),
        "create-deployment",
        "s3-location"
    ));
}

#[test]
fn lambda_zip_files_go_into_the_code() {
    let v = Validator::new(Catalog::embedded());
    let c = ok("aws lambda create-function --function-name f --runtime python3.12 --role arn:aws:iam::123456789012:role/r --handler h --zip-file fileb://f.zip");
    let f = c.local_paths()[0].clone();
    assert_eq!(f.arg, "zip-file");
    let mut zip = b"PK\x03\x04\xff entry".to_vec();
    zip.extend_from_slice(b"PK\x05\x06");
    zip.extend_from_slice(&[0; 18]);
    let (member, value) = v.zip_file_value(&c, &f, &zip).unwrap();
    assert_eq!(member, "Code");
    assert_eq!(value["ZipFile"].as_array().map(Vec::len), Some(zip.len()));
    let e = v.zip_file_value(&c, &f, b"not a zip").unwrap_err();
    assert!(
        e.to_string()
            .contains("--zip-file must be a zip file with the fileb:// prefix."),
        "{e}"
    );
    let c = ok("aws lambda publish-layer-version --layer-name l --zip-file fileb://layer.zip");
    let f = c.local_paths()[0].clone();
    assert_eq!(v.zip_file_value(&c, &f, &zip).unwrap().0, "Content");
    // update-function-code's --zip-file is the API's member, checked the same way.
    let c = ok("aws lambda update-function-code --function-name f --zip-file fileb://f.zip");
    let f = c.local_paths()[0].clone();
    assert!(v.file_value(&c, &f, &zip).is_ok());
    assert!(v
        .file_value(&c, &f, b"text")
        .unwrap_err()
        .to_string()
        .contains("must be a zip file"));
    // The CLI's errors: ZipFile inside --code, an inline value that is not a zip.
    for (cmd, msg) in [
        ("aws lambda create-function --function-name f --runtime python3.12 --role r --handler h --code ZipFile=abc", "ZipFile cannot be provided as part of the --code argument"),
        ("aws lambda create-function --function-name f --runtime python3.12 --role r --handler h --zip-file abc", "--zip-file must be a zip file"),
    ] {
        let e = v.validate(cmd).unwrap_err();
        assert!(e.to_string().contains(msg), "{cmd}: {e}");
    }
}

/// The API operations awscli removes from its command table are unknown
/// commands for users, with the same error as any unknown name, and known
/// to executors running a customization's API calls.
#[test]
fn removed_operations_are_internal_only() {
    let cat = Catalog::embedded();
    let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    for d in [Dialect::V1, Dialect::V2] {
        let v = Validator::new(cat).dialect(d);
        let user = v.validate_words(&words("aws emr run-job-flow --name c --instances {}"));
        assert!(
            matches!(&user, Err(ValidationError::UnknownOperation { name, .. }) if name == "run-job-flow"),
            "{user:?}"
        );
        let call = "aws emr run-job-flow --cli-input-json {\"Name\":\"c\",\"Instances\":{}}";
        let c = v.validate_internal_words(&words(call)).expect("internal");
        assert!(c.internal());
        assert_eq!(c.api().map(|a| a.operation.as_str()), Some("RunJobFlow"));
        assert_eq!(c.parameters()["Name"], json!("c"));
        // A removed operation behind a hand-written command of its name.
        let c = v
            .validate_internal_words(&words("aws emr describe-cluster --cluster-id j-1"))
            .expect("internal");
        assert_eq!(
            c.api().map(|a| a.operation.as_str()),
            Some("DescribeCluster")
        );
        let c = v
            .validate_words(&words("aws emr describe-cluster --cluster-id j-1"))
            .expect("user");
        assert!(c.api().is_none() && !c.internal());
        // Table commands validate internally as they do for users.
        let c = v
            .validate_internal_words(&words("aws emr list-clusters"))
            .expect("table command");
        assert!(c.internal());
    }
    // Suggestions never offer a removed operation.
    match err("aws emr list-instance-group") {
        ValidationError::UnknownOperation { suggestions, .. } => {
            assert!(
                !suggestions.iter().any(|s| s == "list-instance-groups"),
                "{suggestions:?}"
            )
        }
        e => panic!("{e:?}"),
    }
}

/// Customization arguments that take a structure, list or map are typed
/// with their schema (the catalog keeps the customizations' shapes).
#[test]
fn schema_custom_arguments_are_typed() {
    let c = ok("aws emr create-cluster --release-label emr-7.0.0 --instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge");
    assert_eq!(
        c.custom_values()["instance-groups"],
        json!([{"InstanceGroupType": "MASTER", "InstanceCount": 1, "InstanceType": "m5.xlarge"}])
    );
    let c = ok("aws deploy create-deployment --application-name a --deployment-group-name g --s3-location bucket=b,key=k.zip,bundleType=zip");
    assert_eq!(
        c.custom_values()["s3-location"],
        json!({"bucket": "b", "key": "k.zip", "bundleType": "zip"})
    );
}

#[test]
fn a_nested_arguments_file_stays_where_awscli_puts_its_value() {
    // configservice's --recording-group goes inside ConfigurationRecorder;
    // its file:// value is recorded there until an executor reads it.
    let c = ok("aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role/r --recording-group file://rg.json");
    assert_eq!(
        c.parameters()["ConfigurationRecorder"]["recordingGroup"],
        json!("file://rg.json")
    );
    assert!(!c.parameters().contains_key("recordingGroup"));
    assert_eq!(c.local_paths()[0].arg, "recording-group");
    assert_eq!(
        aws_mcp_core::validate::nested_parameter(
            Some("config"),
            "put-configuration-recorder",
            "recording-group"
        ),
        Some("ConfigurationRecorder")
    );
}
