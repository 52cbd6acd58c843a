"""The `aws-mcp` command line beyond `serve`: check, suggest, catalog, run,
--version and usage errors.

scripts/test runs this file against the Rust binary and again against the
Python console script and the npm bin (AWS_MCP_BIN), so every entry point is
shown to do what the binary does. `run` goes to a real moto server, natively
and through the real `aws` program.
"""

import json
import subprocess

import pytest

from conftest import BIN


def aws_mcp(*args, env=None, stdin=None, timeout=60):
    return subprocess.run(
        [str(BIN), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def cli_env(server_env):
    env = dict(server_env)
    env.pop("RUST_LOG", None)
    return env


def test_version_and_help(cli_env):
    p = aws_mcp("--version", env=cli_env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("aws-mcp "), p.stdout
    p = aws_mcp("--help", env=cli_env)
    assert p.returncode == 0
    for sub in ("serve", "check", "suggest", "run", "catalog"):
        assert sub in p.stdout


def test_usage_error_exits_2_and_names_the_problem(cli_env):
    p = aws_mcp("bogus-subcommand", env=cli_env)
    assert p.returncode == 2
    assert "bogus-subcommand" in p.stderr
    assert p.stdout == ""


def test_check_prints_the_verdict_and_the_policy(cli_env):
    p = aws_mcp("check", "aws ec2 describe-instances --instance-ids i-1 --region eu-west-1", env=cli_env)
    assert p.returncode == 0, p.stderr
    v = json.loads(p.stdout)
    assert v["valid"] is True
    assert v["parameters"] == {"InstanceIds": ["i-1"]}
    assert v["decision"] == "allow"
    assert v["read_only"] is True
    assert v["executor"] in ("native", "subprocess")


def test_check_reads_commands_from_stdin(cli_env):
    p = aws_mcp("check", "-", env=cli_env, stdin="aws s3 ls\naws ec2 describe-instance\n")
    assert p.returncode == 0, p.stderr
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    assert [l["valid"] for l in lines] == [True, False]
    assert lines[1]["error"]["kind"] == "unknown_operation"
    assert "describe-instances" in lines[1]["error"]["suggestions"]


def test_suggest_prints_commands_with_parameters(cli_env):
    p = aws_mcp("suggest", "list my s3 buckets", "--count", "2", env=cli_env)
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)["suggestions"]
    assert len(s) == 2
    assert all(x["command"].startswith("aws ") for x in s)
    assert any("s3" in x["command"] for x in s)
    p = aws_mcp("suggest", "   ", env=cli_env)
    assert p.returncode == 1
    assert "error" in json.loads(p.stdout)


def test_catalog_stats_and_lines(cli_env):
    p = aws_mcp("catalog", "--stats", env=cli_env)
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stdout)
    assert stats["services"] > 400 and stats["commands"] > 20000
    # The full listing is one JSON line per command.
    p = aws_mcp("catalog", env=cli_env, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == stats["commands"]
    first = json.loads(lines[0])
    assert {"service", "operation", "access_level", "read_only", "args"} <= set(first)


def test_run_natively_and_with_the_aws_program(cli_env):
    p = aws_mcp("run", "aws s3api create-bucket --bucket cli-run-bucket", "--executor", "native", env=cli_env)
    assert p.returncode == 0, p.stderr
    p = aws_mcp("run", "aws s3api list-buckets", "--executor", "native", env=cli_env)
    assert p.returncode == 0, p.stderr
    assert [b["Name"] for b in json.loads(p.stdout)["Buckets"]] == ["cli-run-bucket"]
    p = aws_mcp("run", "aws s3 ls", env=cli_env)
    assert p.returncode == 0, p.stderr
    assert "cli-run-bucket" in p.stdout


def test_run_applies_the_policy(cli_env):
    env = dict(cli_env, READ_OPERATIONS_ONLY="true")
    p = aws_mcp("run", "aws s3api create-bucket --bucket refused", env=env)
    assert p.returncode == 2
    assert "READ_OPERATIONS_ONLY" in p.stderr
    p = aws_mcp("run", "aws s3api list-bucket", env=env)
    assert p.returncode == 2
    assert "list-buckets" in p.stderr
