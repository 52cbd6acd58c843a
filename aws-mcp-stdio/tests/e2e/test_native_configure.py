"""`aws configure get` and `aws lambda invoke ... outfile` run natively,
compared with the real AWS CLI v1 (and v2 where it can reach moto), and the
policy rules around `configure` kept.

`configure set` never passes the policy (it changes the local AWS
configuration), so its differential test is aws-mcp-native's
tests/configure.rs; here it is checked that it stays refused.
"""

import json
import os
import pathlib
import shlex
import subprocess
import urllib.request
import zipfile

import pytest

from conftest import AWS, BIN

V2 = pathlib.Path("/usr/bin/aws")

CONFIG = """# hand-written
[default]
region=eu-north-1
output = json
s3 =
  max_concurrent_requests = 20
[profile testing]
region = us-west-1
cli_pager =
[profile "a b"]
region = ap-south-1
"""

CREDENTIALS = """[default]
aws_access_key_id = AKIDEFAULT
aws_secret_access_key = notshown
[credsonly]
region = sa-east-1
"""


@pytest.fixture()
def cfg_env(tmp_path):
    home = tmp_path / "home"
    work = tmp_path / "work"
    (home / ".aws").mkdir(parents=True)
    work.mkdir()
    (home / ".aws" / "config").write_text(CONFIG)
    (home / ".aws" / "credentials").write_text(CREDENTIALS)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_REGION": "us-east-1",
        "AWS_MCP_AWS_CLI": str(AWS),
        "AWS_API_MCP_WORKING_DIR": str(work),
        # --profile names other profiles here.
        "AWS_MCP_ALLOW_OTHER_PROFILES": "true",
    }
    if os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return env


def run_cli(program, env, cmd):
    env = {k: v for k, v in env.items() if k != "AWS_REGION"}
    r = subprocess.run([str(program)] + shlex.split(cmd)[1:], env=env, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def run_native(env, cmd, *extra):
    r = subprocess.run([str(BIN), "run", "--executor", "native", *extra, cmd], env=env,
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


GETS = [
    "aws configure get region",
    "aws configure get default.region",
    "aws configure get region --profile testing",
    "aws configure get profile.testing.region",
    "aws configure get testing.region",
    "aws configure get cli_pager --profile testing",
    "aws configure get 'profile.a b.region'",
    "aws configure get output",
    "aws configure get retry_mode",
    "aws configure get credsonly.region",
]


@pytest.mark.parametrize("cmd", GETS)
def test_configure_get_matches_the_cli(cfg_env, cmd):
    want = run_cli(AWS, cfg_env, cmd)
    got = run_native(cfg_env, cmd)
    assert got == want


def test_configure_get_with_a_profile_the_files_do_not_have(cfg_env):
    env = cfg_env
    cmd = "aws configure get region --profile nope"
    want = run_cli(AWS, env, cmd)
    assert run_native(env, cmd) == want
    assert want[0] == 255 and "could not be found" in want[2]


def test_configure_get_is_native(cfg_env):
    r = subprocess.run([str(BIN), "check", "-"], input="aws configure get region\naws configure set region x\n"
                       "aws configure list\naws configure\n",
                       env=cfg_env, capture_output=True, text=True, timeout=60)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x.get("executor") for x in lines[:2]] == ["native", "native"]
    assert lines[2]["executor"] != "native"


def test_configure_policy_is_unchanged(cfg_env):
    config = pathlib.Path(cfg_env["HOME"]) / ".aws" / "config"
    before = config.read_bytes()
    # Writing the configuration stays refused, natively or not.
    for cmd in ["aws configure set region us-west-2", "aws configure set default.region x",
                "aws configure set aws_access_key_id AKIA"]:
        code, out, err = run_native(cfg_env, cmd)
        assert code == 2 and "configure" in err, (cmd, err)
    assert config.read_bytes() == before
    # Secrets are not read.
    for cmd in ["aws configure get aws_secret_access_key", "aws configure get default.aws_secret_access_key",
                "aws configure get aws_access_key_id"]:
        code, out, err = run_native(cfg_env, cmd)
        assert code == 2 and "secret" in err, (cmd, err)
        assert "notshown" not in out + err and "AKIDEFAULT" not in out + err
    # A harmless setting is read.
    assert run_native(cfg_env, "aws configure get region") == (0, "eu-north-1\n", "")


# ---------------------------------------------------------------------------
# lambda invoke ... outfile, on moto's Lambda without Docker (the function's
# answer is the event it was given).


@pytest.fixture()
def lambda_env(moto_url, tmp_path):
    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10)
    urllib.request.urlopen(urllib.request.Request(
        moto_url + "/moto-api/config", data=json.dumps({"lambda": {"use_docker": False}}).encode(),
        method="POST", headers={"Content-Type": "application/json"}), timeout=10)
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MCP_AWS_CLI": str(AWS),
        "AWS_API_MCP_WORKING_DIR": str(work),
        "AWS_MCP_ALLOW_ENDPOINT_URLS": "true",
    }
    if os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    code = work / "f.zip"
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return event\n")
    for cmd in ["aws iam create-role --role-name r --assume-role-policy-document {}",
                "aws lambda create-function --function-name f --runtime python3.12 "
                "--role arn:aws:iam::123456789012:role/r --handler index.handler --zip-file fileb://f.zip"]:
        r = subprocess.run([str(AWS)] + shlex.split(cmd)[1:], env=env, cwd=work, capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr
    return env, work


@pytest.mark.parametrize("args", [
    "--payload '{\"a\": 1}'",
    "--payload '{\"a\": 1}' --log-type Tail",
    "--invocation-type Event --payload '{}'",
    "--qualifier '$LATEST' --payload '[1, 2]'",
])
def test_lambda_invoke_outfile_matches_the_cli(lambda_env, args):
    env, work = lambda_env
    want = subprocess.run([str(AWS)] + shlex.split(f"aws lambda invoke --function-name f {args} cli.json")[1:],
                          env=env, cwd=work, capture_output=True, text=True, timeout=120)
    got = run_native(env, f"aws lambda invoke --function-name f {args} native.json")
    assert got == (want.returncode, want.stdout, want.stderr)
    assert (work / "native.json").read_bytes() == (work / "cli.json").read_bytes()


def test_lambda_invoke_outfile_is_native_and_confined(lambda_env):
    env, work = lambda_env
    r = subprocess.run([str(BIN), "check", "aws lambda invoke --function-name f out.json"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(r.stdout)["executor"] == "native"
    # The policy still judges the outfile: outside the working directory is refused.
    code, out, err = run_native(env, "aws lambda invoke --function-name f /tmp/outside-aws-mcp.json")
    assert code == 2 and not pathlib.Path("/tmp/outside-aws-mcp.json").exists()
