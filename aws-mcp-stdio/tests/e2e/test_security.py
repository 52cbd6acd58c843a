"""Regression tests of issue 19 ("close what an attacker found"), end to end:
the real aws-mcp binary driven by the real Python MCP client, the real `aws`
program (awscli v1), moto on 127.0.0.1, and small hostile servers on
127.0.0.1 where the finding needed one. Each test names its finding."""

import json
import subprocess

import pytest

from conftest import BIN
from test_server import call, connect, ok, response

pytestmark = pytest.mark.anyio


def result(r, i=0):
    return r.structured_content["results"][i]


# Finding 3: one call crashed the server (stack overflow in the JMESPath parser).
async def test_deep_queries_are_refused_and_the_server_lives(server_env):
    async with connect(server_env) as c:
        for query in ["[" * 8000, "!" * 10000 + "a", "a" + ".a" * 10000]:
            r = await call(c, f"aws sqs list-queues --query '{query}'")
            assert r.is_error
            res = result(r)
            assert res["status"] == "rejected" and res["error_kind"] == "query_too_deep", res
            assert "nests too deeply" in res["error"]
        # Still serving, on both executors.
        ok(await call(c, "aws sqs list-queues"))
        ok(await call(c, "aws s3 ls"))


def test_check_survives_deep_queries(server_env):
    cmds = "\n".join(
        f"aws sqs list-queues --query '{q}'" for q in ["[" * 8000, "!" * 10000 + "a"]
    )
    p = subprocess.run(
        [str(BIN), "check", "-"], input=cmds, env=server_env, capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 0, p.stderr
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert [x["error"]["kind"] for x in lines] == ["query_too_deep"] * 2


# Finding 4: `@ | [@,@] | ...` grew to gigabytes in the native executor.
async def test_explosive_query_stops_with_a_clear_error(server_env):
    env = dict(server_env, AWS_MCP_EXECUTOR="native")
    async with connect(env) as c:
        ok(await call(c, "aws sqs create-queue --queue-name boom"))
        query = "@" + " | [@,@]" * 22
        r = await call(c, f"aws sqs list-queues --query '{query}'")
        assert r.is_error
        assert "MB of work" in result(r)["error"], result(r)
        # The server still answers, and a reasonable query runs.
        urls = response(await call(c, "aws sqs list-queues --query QueueUrls"))
        assert len(urls) == 1 and urls[0].endswith("/boom")


# Finding 0: a request for a skeleton ran the command (the native executor
# ignored EC2's --generate-cli-skeleton).
async def test_skeleton_requests_run_nothing(server_env):
    async with connect(server_env) as c:
        image = response(await call(c, "aws ec2 describe-images --owners amazon", max_results=1))["Images"][0]["ImageId"]
        run = response(await call(c, f"aws ec2 run-instances --image-id {image} --count 1"))
        instance = run["Instances"][0]["InstanceId"]
        vpcs = [v["VpcId"] for v in response(await call(c, "aws ec2 describe-vpcs"))["Vpcs"]]
        assert vpcs
        r = ok(await call(c, f"aws ec2 terminate-instances --instance-ids {instance} --generate-cli-skeleton"))[0]
        assert r["response"] == {"InstanceIds": [""], "Force": True, "SkipOsShutdown": True, "DryRun": True}, r
        for cmd in ["aws ec2 describe-vpcs --generate-cli-skeleton", "aws ec2 describe-vpcs --generate-cli-skeleton output"]:
            r = ok(await call(c, cmd))[0]
            text = json.dumps(r.get("response") or r.get("output"))
            assert not any(v in text for v in vpcs), (cmd, text)
        state = response(await call(c, f"aws ec2 describe-instances --instance-ids {instance}"))
        assert state["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"
    # With only the native executor, the command is refused with the reason.
    async with connect(dict(server_env, AWS_MCP_EXECUTOR="native")) as c:
        r = await call(c, f"aws ec2 terminate-instances --instance-ids {instance} --generate-cli-skeleton")
        assert r.is_error and "JSON template" in result(r)["error"], result(r)
