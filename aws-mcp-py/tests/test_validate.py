"""validate, classify and Policy from Python."""

import os

import pytest

import aws_mcp


def test_validate_returns_typed_parameters():
    cmd = aws_mcp.validate("aws ec2 describe-instances --instance-ids i-1 i-2 --max-items 5 --region eu-west-1")
    assert cmd.service == "ec2"
    assert cmd.operation == "describe-instances"
    assert cmd.api == {"service": "ec2", "operation": "DescribeInstances"}
    assert cmd.region == "eu-west-1"
    assert cmd.parameters["InstanceIds"] == ["i-1", "i-2"]
    d = cmd.to_dict()
    assert d["service"] == "ec2" and d["kind"] == "operation"


def test_unknown_operation_has_suggestions():
    with pytest.raises(aws_mcp.ValidationError) as e:
        aws_mcp.validate("aws ec2 describe-instance")
    assert isinstance(e.value, ValueError)
    assert e.value.kind == "unknown_operation"
    assert "describe-instances" in e.value.suggestions


def test_shell_operators_are_rejected():
    with pytest.raises(aws_mcp.ValidationError) as e:
        aws_mcp.validate("aws sts get-caller-identity; rm -rf /")
    assert e.value.kind == "shell_operator"


def test_classify_string_and_validated():
    assert aws_mcp.classify("aws s3api list-buckets")["read_only"] is True
    run = aws_mcp.classify(aws_mcp.validate("aws ec2 terminate-instances --instance-ids i-1"))
    assert run["read_only"] is False
    assert run["access_level"] == "write"


def test_policy_read_only_mode(tmp_path):
    env = {"AWS_REGION": "us-east-1", "READ_OPERATIONS_ONLY": "true",
           "AWS_API_MCP_WORKING_DIR": str(tmp_path), "HOME": str(tmp_path)}
    policy = aws_mcp.Policy(env)
    assert policy.assess("aws s3api list-buckets")["decision"] == "allow"
    allowed = policy.assess("aws s3api list-buckets")
    assert "rule" not in allowed and allowed["read_only"] is True
    denied = policy.assess("aws s3api create-bucket --bucket b")
    assert denied["decision"] == "deny"
    assert denied["rule"] == "read_only"
    assert denied["access_level"] == "write"
    assert denied["reason"]


def test_policy_bad_env_names_the_variable(tmp_path):
    with pytest.raises(aws_mcp.PolicyError, match="READ_OPERATIONS_ONLY"):
        aws_mcp.Policy({"AWS_REGION": "us-east-1", "READ_OPERATIONS_ONLY": "maybe",
                        "HOME": str(tmp_path)})
    with pytest.raises(aws_mcp.PolicyError, match="AWS_REGION"):
        aws_mcp.Policy({"HOME": str(tmp_path)})


def test_policy_accepts_os_environ_and_any_mapping(tmp_path, monkeypatch):
    import types

    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("READ_OPERATIONS_ONLY", "true")
    monkeypatch.setenv("AWS_API_MCP_WORKING_DIR", str(tmp_path))
    for policy in (aws_mcp.Policy(os.environ), aws_mcp.Policy(),
                   aws_mcp.Policy(types.MappingProxyType(dict(os.environ)))):
        assert policy.assess("aws s3api create-bucket --bucket b")["decision"] == "deny"
    with pytest.raises(TypeError, match="mapping"):
        aws_mcp.Policy(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        aws_mcp.Policy({"AWS_REGION": 1})  # type: ignore[dict-item]


def test_validate_against_a_given_catalog():
    catalog = aws_mcp.Catalog()
    assert catalog.validate("aws s3 ls").service == "s3"
    assert aws_mcp.validate("aws s3 ls", catalog=catalog).operation == "ls"
    with pytest.raises(aws_mcp.ValidationError) as e:
        catalog.validate("aws s3 lss")
    assert e.value.kind == "unknown_operation"


def test_the_api_matches_the_node_package():
    # The same operations as the npm package (camelCase there).
    for name in ("Catalog", "Policy", "validate", "classify", "suggest", "suggest_engine",
                 "serve", "cli_main", "AwsMcpError", "CatalogError", "ValidationError",
                 "PolicyError", "RetrievalError", "ServerError"):
        assert hasattr(aws_mcp, name), name
    assert aws_mcp.cli_main(["aws-mcp", "--version"]) == 0
    assert aws_mcp.cli_main(["aws-mcp", "no-such-subcommand"]) == 2
