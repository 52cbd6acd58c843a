"""suggest from Python."""

import pytest

import aws_mcp


def test_suggest_returns_commands_with_parameters():
    found = aws_mcp.suggest("list my ec2 instances", k=3)
    assert len(found) == 3
    assert any(s.command == "aws ec2 describe-instances" for s in found)
    top = found[0]
    assert top.parameters and {"name", "type", "required", "doc"} <= set(top.parameters[0])
    assert top.to_dict()["command"] == top.command
    assert aws_mcp.suggest_engine() in ("lexical", "dense", "hybrid")


def test_the_wheel_answers_with_the_hybrid_engine_out_of_the_box():
    # the wheel ships the model files and depends on onnxruntime (aws_mcp._engine finds both)
    assert aws_mcp.suggest_engine() == "hybrid"


def test_ready_commands_carry_the_requests_values_and_validate():
    top = aws_mcp.suggest("stop i-0f1e2d3c4b5a69788 for the weekend", k=1)[0]
    assert top.command == "aws ec2 stop-instances"
    assert top.ready == "aws ec2 stop-instances --instance-ids i-0f1e2d3c4b5a69788"
    assert top.missing == []
    assert aws_mcp.validate(top.ready).parameters == {"InstanceIds": ["i-0f1e2d3c4b5a69788"]}


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001])
def test_bad_queries_raise_retrieval_error(bad):
    with pytest.raises(aws_mcp.RetrievalError) as e:
        aws_mcp.suggest(bad)
    assert isinstance(e.value, ValueError)
    assert e.value.kind in ("empty_query", "query_too_long")


def test_any_unicode_works():
    assert aws_mcp.suggest("列出我的 S3 存储桶 🪣 buckets", k=1)
