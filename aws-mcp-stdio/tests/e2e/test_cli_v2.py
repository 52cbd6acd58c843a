"""End-to-end tests with AWS CLI v2 as the `aws` program: the real aws-mcp
binary and MCP client, the real v2 program, moto on 127.0.0.1.

The v2 program is `AWS_MCP_AWS_CLI_V2` (default `/usr/bin/aws`, Debian's
`awscli` package, 2.9.19 on bookworm: `apt-get install -y awscli`, which
.ci/run does). A missing or non-v2 program fails these tests loudly.
"""

import base64
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import AWS, BIN
from test_server import call, connect, ok

pytestmark = pytest.mark.anyio

AWS_V2 = Path(os.environ.get("AWS_MCP_AWS_CLI_V2", "/usr/bin/aws"))


@pytest.fixture
def v2_env(server_env, tmp_path):
    if not AWS_V2.exists():
        pytest.fail(f"AWS CLI v2 not found at {AWS_V2}: install Debian's awscli "
                    "(apt-get install -y awscli) or set AWS_MCP_AWS_CLI_V2")
    line = subprocess.run([str(AWS_V2), "--version"], capture_output=True, text=True).stdout
    if not line.startswith("aws-cli/2."):
        pytest.fail(f"{AWS_V2} is not AWS CLI v2: {line!r}")
    # Debian's 2.9.19 predates AWS_ENDPOINT_URL (2.13): the commands name moto
    # with --endpoint-url, which the policy then has to allow.
    env = dict(server_env, AWS_MCP_AWS_CLI=str(AWS_V2), AWS_MCP_ALLOW_ENDPOINT_URLS="true",
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    # v2 vendors its own botocore; the v1 data path is not for it.
    env.pop("AWS_DATA_PATH", None)
    return env


def v2_version():
    return subprocess.run([str(AWS_V2), "--version"], capture_output=True,
                          text=True).stdout.split()[0].split("/")[1]


async def test_v2_program_sets_the_dialect_and_runs_v2_blobs(v2_env):
    ep = f"--endpoint-url {v2_env['AWS_ENDPOINT_URL']}"
    async with connect(v2_env) as c:
        info = c.session.initialize_result or c.session.discover_result
        assert f"AWS CLI v2 (aws-cli/{v2_version()}" in info.instructions, info.instructions
        key = ok(await call(c, f"aws kms create-key {ep}"))[0]["response"]["KeyMetadata"]["KeyId"]
        # The v2 spelling: text in, base64 out.
        r = await call(c, f"aws kms encrypt --key-id {key} --plaintext '{{\"a\":1}}' "
                          f"--cli-binary-format raw-in-base64-out {ep}")
        blob = ok(r)[0]["response"]["CiphertextBlob"]
        r = await call(c, f"aws kms decrypt --ciphertext-blob {blob} {ep}")
        plain = ok(r)[0]["response"]["Plaintext"]
        assert base64.b64decode(plain) == b'{"a":1}'
        # v2's default reads blobs as base64: the text is refused before it runs.
        r = await call(c, f"aws kms encrypt --key-id {key} --plaintext '{{\"a\":1}}'")
        assert r.is_error
        res = r.structured_content["results"][0]
        assert res["error_kind"] == "invalid_base64", res
        assert "raw-in-base64-out" in res["error"]
        # v2-only options and commands validate; interactive ones are refused.
        ok(await call(c, f"aws sts get-caller-identity --no-cli-pager {ep}"))
        r = await call(c, "aws sso login")
        assert r.is_error and r.structured_content["results"][0]["error_kind"] == "interactive"
        r = await call(c, "aws ecr get-login")
        assert r.structured_content["results"][0]["error_kind"] == "other_cli_version"


async def test_v2_lambda_invoke_validates_and_runs_with_the_v2_spelling(v2_env):
    cmd = ("aws lambda invoke --function-name f --payload '{\"a\":1}' "
           f"--cli-binary-format raw-in-base64-out out.json --endpoint-url {v2_env['AWS_ENDPOINT_URL']}")
    out = subprocess.run([str(BIN), "check", cmd], env=v2_env, capture_output=True, text=True)
    v = json.loads(out.stdout)
    assert v["valid"], v
    assert v["parameters"]["Payload"] == '{"a":1}'
    assert v["cli_version"] == 2 and "aws-cli/2." in v["cli"], v
    async with connect(v2_env) as c:
        r = await call(c, cmd)
        res = r.structured_content["results"][0]
        # It reaches v2 and moto (no such function there): an AWS error, not a validation one.
        assert res["status"] != "invalid", res
        assert "ResourceNotFoundException" in (res.get("error") or "") or res["exit_code"] != 0, res


async def test_v1_program_answers_the_v2_spelling_with_the_specific_error(server_env):
    cmd = ("aws lambda invoke --function-name f --payload '{\"a\":1}' "
           "--cli-binary-format raw-in-base64-out out.json")
    env = dict(server_env, AWS_MCP_AWS_CLI=str(AWS))
    async with connect(env) as c:
        info = c.session.initialize_result or c.session.discover_result
        assert "AWS CLI v1 (aws-cli/1." in info.instructions, info.instructions
        r = await call(c, cmd)
        assert r.is_error
        res = r.structured_content["results"][0]
        assert res["error_kind"] == "other_cli_version", res
        assert res["error"].startswith("`--cli-binary-format` is an AWS CLI v2 option; "
                                       "this server validates for aws-cli/1."), res["error"]


async def test_without_an_aws_program_native_prints_v2_output(server_env, tmp_path):
    """No `aws` program: the dialect is 2 and the native executor prints
    what AWS CLI v2 prints (ISO 8601 timestamps, YAML, v2's errors)."""
    env = dict(server_env, AWS_MCP_AWS_CLI=str(tmp_path / "no-aws-here"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    async with connect(env) as c:
        info = c.session.initialize_result or c.session.discover_result
        assert "AWS CLI v2" in info.instructions, info.instructions
        ok(await call(c, "aws iam create-user --user-name v2-native"))
        r = ok(await call(c, "aws iam list-users --query Users[0].CreateDate"))[0]
        # A scalar result is printed, not parsed: v2's ISO 8601 form.
        assert re.fullmatch(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"\n', r["output"]), r
        r = await call(c, "aws iam get-user --user-name nobody-here")
        res = r.structured_content["results"][0]
        assert res["exit_code"] == 254, res
        assert "aws: [ERROR]: An error occurred (NoSuchEntity)" in res["error"], res
    out = subprocess.run([str(BIN), "run", "aws iam list-users --output yaml"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "UserName: v2-native" in out.stdout and "CreateDate: '" in out.stdout, out.stdout
    # v1 does not have yaml: the native executor refuses it as v1 does.
    out = subprocess.run([str(BIN), "run", "--cli-version", "1", "aws iam list-users --output yaml"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
