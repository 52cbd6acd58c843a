"""End-to-end tests with no `aws` program at all: the real aws-mcp binary,
the real Python MCP client, moto on 127.0.0.1.

The server gets an empty PATH and AWS_MCP_AWS_CLI pointing at nothing, so a
command that needed the `aws` program would fail with a spawn error: help,
`--region '*'` and waiters must all be answered by the binary alone.
"""

import contextlib
import os
import shutil

import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from conftest import BIN

pytestmark = pytest.mark.anyio


@pytest.fixture
def bare_env(server_env, tmp_path):
    """The server's environment without any `aws` program."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = dict(server_env)
    env["PATH"] = str(empty)
    env["AWS_MCP_AWS_CLI"] = str(tmp_path / "no-such-aws")
    env["AWS_MCP_CLI_VERSION"] = "1"
    assert shutil.which("aws", path=env["PATH"]) is None
    return env


@contextlib.asynccontextmanager
async def connect(env):
    params = StdioServerParameters(command=str(BIN), args=[], env=env)
    async with Client(params) as c:
        yield c


async def call(c, command, progress=None, **kw):
    return await c.call_tool("call_aws", {"cli_command": command, **kw}, progress_callback=progress)


def ok(r):
    assert not r.is_error, r.content[0].text
    return r.structured_content["results"][0]


def failed(r):
    assert r.is_error, r.content[0].text
    return r.structured_content["results"][0]


async def test_help_is_answered_without_a_program(bare_env):
    async with connect(bare_env) as c:
        top = ok(await call(c, "aws help"))
        assert top["output"].startswith("aws — the AWS Command Line Interface")
        assert "--region (string)" in top["output"] and " ec2," in top["output"]
        svc = ok(await call(c, "aws dynamodb help"))["output"]
        assert "aws dynamodb — Amazon DynamoDB" in svc and "  create-table — " in svc
        assert "table-exists" in svc, "waiters are listed"
        op = ok(await call(c, "aws ec2 describe-instances help"))
        text = op["output"]
        assert op["exit_code"] == 0 and op["status"] == "success"
        for want in [
            "(API operation DescribeInstances)",
            "--instance-ids (list of string)",
            "Shorthand: Name=string,Values=string,string ...",
            "Example (from AWS's documentation examples)",
            "aws ec2 describe-instances",
        ]:
            assert want in text, want
        # A trailing `help` after other arguments, a waiter, a customization.
        assert "--dry-run | --no-dry-run" in ok(await call(c, "aws ec2 describe-vpcs --dry-run help"))["output"]
        assert "polls every 15 s" in ok(await call(c, "aws ec2 wait instance-running help"))["output"]
        assert "<paths>" in ok(await call(c, "aws s3 cp help"))["output"]
        # Help is allowed even in read-only mode, for mutating commands too.
    ro = dict(bare_env, READ_OPERATIONS_ONLY="true")
    async with connect(ro) as c:
        text = ok(await call(c, "aws ec2 terminate-instances help"))["output"]
        assert "--instance-ids (list of string) required" in text


async def test_region_star_runs_everywhere_and_reports_progress(bare_env):
    events = []

    async def progress(done, total, message):
        events.append((done, total, message))

    async with connect(bare_env) as c:
        ok(await call(c, "aws dynamodb create-table --table-name e2e-r --attribute-definitions "
                         "AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH "
                         "--billing-mode PAY_PER_REQUEST --region eu-west-1"))
        r = ok(await call(c, "aws dynamodb list-tables --region '*'", progress=progress))
        regions = r["response"]["Regions"]
        assert regions["eu-west-1"]["TableNames"] == ["e2e-r"]
        assert regions["us-east-1"]["TableNames"] == []
        assert len(regions) >= 15, sorted(regions)
        assert list(regions) == sorted(regions)
        assert "Errors" not in r["response"]
        assert len(events) == len(regions)
        assert events[-1][0] == events[-1][1] == len(regions)
        # A list of regions, in the order given.
        r = ok(await call(c, "aws dynamodb list-tables --region eu-west-1,us-east-1"))
        assert list(r["response"]["Regions"]) == ["eu-west-1", "us-east-1"]
        # Refused for anything that is not read-only, before it runs.
        r = failed(await call(c, "aws dynamodb delete-table --table-name e2e-r --region '*'"))
        assert r["status"] == "denied" and r["error_kind"] == "multi_region"
        assert "give one region" in r["error"]
        assert ok(await call(c, "aws dynamodb list-tables --region eu-west-1"))["response"]["TableNames"] == ["e2e-r"]
        # A region's failure is reported without failing the others.
        r = ok(await call(c, "aws dynamodb describe-table --table-name e2e-r --region us-east-1,eu-west-1"))
        assert r["response"]["Regions"]["eu-west-1"]["Table"]["TableName"] == "e2e-r"
        assert "ResourceNotFoundException" in r["response"]["Errors"]["us-east-1"]


async def test_waiters_run_without_the_aws_program(bare_env):
    events = []

    async def progress(done, total, message):
        events.append((done, total, message))

    async with connect(bare_env) as c:
        ok(await call(c, "aws s3api create-bucket --bucket e2e-wait"))
        r = ok(await call(c, "aws s3api wait bucket-exists --bucket e2e-wait"))
        assert r["exit_code"] == 0 and not r.get("output")
        # The CLI's failure text and exit code.
        r = failed(await call(c, "aws ec2 wait image-available --image-ids ami-00000000"))
        assert r["exit_code"] == 255
        assert r["error"].startswith("Waiter ImageAvailable failed: An error occurred (InvalidAMIID.NotFound)")
        # VpcExists polls every second, 5 times: progress after each attempt,
        # then the CLI's max-attempts failure.
        r = failed(await call(c, "aws ec2 wait vpc-exists --vpc-ids vpc-00000000", progress=progress))
        assert r["error"] == (
            "Waiter VpcExists failed: Max attempts exceeded. Previously accepted state: "
            "Matched expected service error code: InvalidVpcID.NotFound"
        )
        assert [e[0] for e in events] == [1, 2, 3, 4]
        assert all(e[1] == 5 for e in events)
        assert "waiter VpcExists: attempt 1 of 5" in events[0][2]
    # A waiter stops before an attempt past the call's time limit.
    async with connect(dict(bare_env, AWS_MCP_TIMEOUT="3")) as c:
        r = (await call(c, "aws ec2 wait vpc-exists --vpc-ids vpc-00000000")).structured_content["results"][0]
        assert r["status"] == "error" and r["error_kind"] == "timeout"
        assert r["error"].startswith("waiter VpcExists was still waiting after ")
        assert "raise AWS_MCP_TIMEOUT" in r["error"]
