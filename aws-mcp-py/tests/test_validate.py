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
    assert policy.decide("aws s3api list-buckets")["decision"] == "allow"
    denied = policy.decide("aws s3api create-bucket --bucket b")
    assert denied["decision"] == "deny"
    assert denied["reason"]


def test_policy_bad_env_names_the_variable(tmp_path):
    with pytest.raises(aws_mcp.PolicyError, match="READ_OPERATIONS_ONLY"):
        aws_mcp.Policy({"AWS_REGION": "us-east-1", "READ_OPERATIONS_ONLY": "maybe",
                        "HOME": str(tmp_path)})
    with pytest.raises(aws_mcp.PolicyError, match="AWS_REGION"):
        aws_mcp.Policy({"HOME": str(tmp_path)})
