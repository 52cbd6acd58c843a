"""Differential tests of hand-written AWS CLI commands and arguments run
natively (aws_mcp_native::custom: cloudfront, datapipeline, configservice)
against the real AWS CLI on moto.

Each case runs once with the `aws` program and once with `aws-mcp run
--executor native`; what both print must be equal once the values each
run generates are masked (caller references, resource ids). Where both
create something, the native side runs first on its own names.
moto lacks DataPipeline's QueryObjects (list-runs) and answers
DescribeDeliveryChannelStatus (get-status) with a 500 that is retried: those
are covered by the unit tests of the requests and reports instead.
"""

import json
import os
import re
import shlex
import subprocess
import urllib.request

import pytest

from conftest import AWS, BIN
from test_native_diff import mask, run_cli, run_native

# awscli's unique_string: <prefix>-<epoch>-<random>.
UNIQUE = re.compile(r"-\d{9,}-\d+\b")
CF_ID = re.compile(r"\b[A-Z0-9]{13,14}\b")
CF_DOMAIN = re.compile(r"\b[a-z0-9]{13}\.cloudfront\.net\b")


@pytest.fixture(scope="module")
def env(moto_url, tmp_path_factory):
    """test_native_diff's environment without its fixtures (none needed)."""
    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10)
    e = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path_factory.mktemp("home")),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MCP_AWS_CLI": str(AWS),
        "AWS_API_MCP_WORKING_DIR": str(tmp_path_factory.mktemp("work")),
        "AWS_MCP_ALLOW_ENDPOINT_URLS": "true",
    }
    if os.environ.get("AWS_DATA_PATH"):
        e["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return e


def masked(out):
    text = CF_DOMAIN.sub("<domain>", CF_ID.sub("<id>", UNIQUE.sub("-<unique>", out)))
    return mask(json.loads(text)) if text.strip().startswith(("{", "[")) else text


def both(env, cmd):
    nat = run_native(env, cmd.replace("{n}", "native"))
    cli = run_cli(env, cmd.replace("{n}", "cli"))
    assert "not supported by the native executor" not in nat[2], nat[2]
    assert nat[0] == cli[0], f"exit {nat[0]} != {cli[0]}\nnative: {nat[2]}\ncli: {cli[2]}"
    return nat, cli


def test_check_names_the_native_executor(env):
    cmds = [
        "aws cloudfront create-invalidation --distribution-id E1 --paths /a /b",
        "aws cloudfront create-distribution --origin-domain-name b.s3.amazonaws.com --default-root-object index.html",
        "aws datapipeline list-runs --pipeline-id df-1",
        "aws datapipeline put-pipeline-definition --pipeline-id df-1 --pipeline-definition file://d.json",
        "aws configservice get-status",
        "aws configservice subscribe --s3-bucket b --sns-topic t --iam-role arn:aws:iam::1:role/r",
        "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=r "
        "--recording-group allSupported=true",
    ]
    r = subprocess.run([str(BIN), "check", "-"], input="\n".join(cmds) + "\n", env=env,
                       capture_output=True, text=True, timeout=60)
    verdicts = [json.loads(x) for x in r.stdout.splitlines()]
    assert [v["executor"] for v in verdicts] == ["native"] * len(cmds), verdicts
    # The policy's classification is the command's, not the calls'.
    assert [v["read_only"] for v in verdicts] == [False, False, True, False, True, False, False]


@pytest.mark.parametrize("cmd", [
    "aws cloudfront create-distribution --origin-domain-name dn-{n}.s3.amazonaws.com --default-root-object index.html",
    "aws cloudfront create-distribution --origin-domain-name dn-{n}.example.com --output text",
])
def test_cloudfront_distribution(env, cmd):
    (_, nat, _), (_, cli, _) = both(env, cmd)
    assert masked(nat.replace("dn-native", "dn-X")) == masked(cli.replace("dn-cli", "dn-X"))


def test_cloudfront_invalidation_paths(env):
    rc, out, err = run_cli(env, "aws cloudfront create-distribution --origin-domain-name inv.example.com "
                                     "--query Distribution.Id --output text")
    assert rc == 0, err
    cmd = f"aws cloudfront create-invalidation --distribution-id {out.strip()} --paths /a '/b c/*'"
    (_, nat, _), (_, cli, _) = both(env, cmd)
    assert masked(nat) == masked(cli)
    assert json.loads(nat)["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/a", "/b c/*"]


def test_pipeline_definition_round_trip(env):
    """The definition file sent natively is stored as the CLI stores it, and
    get-pipeline-definition prints it translated back, as the CLI does."""
    work = env["AWS_API_MCP_WORKING_DIR"]
    definition = {
        "objects": [
            {"id": "Default", "name": "Default", "scheduleType": "ondemand", "failureAndRerunMode": "CASCADE"},
            {"id": "S", "type": "ShellCommandActivity", "command": "echo hi", "runsOn": {"ref": "Default"},
             "tags": ["b", "a"]},
        ],
        "parameters": [{"id": "myP", "type": "String"}],
        "values": {"myP": "v"},
    }
    with open(f"{work}/def.json", "w") as f:
        json.dump(definition, f)
    ids = {}
    for n in ("native", "cli"):
        rc, out, err = run_cli(env, f"aws datapipeline create-pipeline --name p-{n} --unique-id u-{n} "
                                         "--query pipelineId --output text")
        assert rc == 0, err
        ids[n] = out.strip()
    put = ("aws datapipeline put-pipeline-definition --pipeline-id {id} "
           f"--pipeline-definition file://{work}/def.json --parameter-values myP=w myP=z")
    nat = run_native(env, put.format(id=ids["native"]))
    cli = run_cli(env, put.format(id=ids["cli"]))
    assert nat[0] == cli[0] == 0, nat[2] + cli[2]
    assert nat[1] == cli[1]
    get = "aws datapipeline get-pipeline-definition --pipeline-id {id}"
    stored = [run_cli(env, get.format(id=ids[n]))[1] for n in ("native", "cli")]
    assert stored[0] == stored[1]
    assert json.loads(stored[0])["objects"][1]["runsOn"] == {"ref": "Default"}
    assert run_native(env, get.format(id=ids["cli"]))[1] == stored[1]


def test_configservice_subscribe_and_recorder(env):
    role = "arn:aws:iam::123456789012:role/diff-role"
    cmd = f"aws configservice subscribe --s3-bucket cfg-{{n}}/logs --sns-topic cfg-{{n}} --iam-role {role}"
    (_, nat, _), (_, cli, _) = both(env, cmd)
    assert nat.replace("native", "X") == cli.replace("cli", "X")
    assert nat.startswith("Using new S3 bucket: cfg-native\nUsing new SNS topic: ")
    # Again: the bucket and the topic ARN exist now.
    arn = "arn:aws:sns:us-east-1:123456789012:cfg-cli"
    again = f"aws configservice subscribe --s3-bucket cfg-cli --sns-topic {arn} --iam-role {role}"
    (_, nat, _), (_, cli, _) = both(env, again)
    assert nat == cli and nat.startswith("Using existing S3 bucket: cfg-cli\nUsing existing SNS topic: ")
    rec = (f"aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN={role} "
           "--recording-group allSupported=false,includeGlobalResourceTypes=false,resourceTypes=AWS::S3::Bucket")
    both(env, rec)
    rc, out, err = run_cli(env, "aws configservice describe-configuration-recorders")
    assert rc == 0, err
    group = json.loads(out)["ConfigurationRecorders"][0]["recordingGroup"]
    assert group["resourceTypes"] == ["AWS::S3::Bucket"] and group["allSupported"] is False
    # --recording-group from a file: read, then put inside ConfigurationRecorder.
    work = env["AWS_API_MCP_WORKING_DIR"]
    for side, types in (("native", ["AWS::SNS::Topic"]), ("cli", ["AWS::SQS::Queue"])):
        path = os.path.join(work, f"group-{side}.json")
        with open(path, "w") as f:
            json.dump({"allSupported": False, "includeGlobalResourceTypes": False,
                       "resourceTypes": types}, f)
        cmd = (f"aws configservice put-configuration-recorder --configuration-recorder "
               f"name=default,roleARN={role} --recording-group file://{path}")
        rc, out, err = (run_native if side == "native" else run_cli)(env, cmd)
        assert rc == 0 and "not supported" not in err, err
        rc, out, err = run_cli(env, "aws configservice describe-configuration-recorders")
        assert json.loads(out)["ConfigurationRecorders"][0]["recordingGroup"]["resourceTypes"] == types


def test_put_metric_data_shortcuts_store_what_the_cli_stores(env):
    """cloudwatch put-metric-data --metric-name/--unit/--value/--dimensions/
    --statistic-values/--timestamp (awscli's putmetricdata customization,
    translated by the validator): the metrics each side stored read back the
    same, and a conflict with --metric-data is refused as the CLI refuses it."""
    puts = [
        "aws cloudwatch put-metric-data --namespace {n}NS --metric-name Buffers --unit Bytes "
        "--value 231434333 --dimensions InstanceId=1-23456789,InstanceType=m1.small "
        "--timestamp 2026-01-15T12:00:00Z",
        "aws cloudwatch put-metric-data --namespace {n}NS --metric-name Latency --unit Milliseconds "
        "--statistic-values Sum=11,Minimum=2,Maximum=5,SampleCount=3 --timestamp 2026-01-15T12:00:00Z",
    ]
    for cmd in puts:
        nat, cli = both(env, cmd)
        assert (nat[1], nat[2]) == (cli[1], cli[2])
    reads = [
        "aws cloudwatch list-metrics --namespace {n}NS",
        "aws cloudwatch get-metric-statistics --namespace {n}NS --metric-name Buffers "
        "--dimensions Name=InstanceId,Value=1-23456789 Name=InstanceType,Value=m1.small "
        "--start-time 2026-01-15T11:00:00Z --end-time 2026-01-15T13:00:00Z --period 3600 "
        "--statistics Sum Maximum",
        "aws cloudwatch get-metric-statistics --namespace {n}NS --metric-name Latency "
        "--start-time 2026-01-15T11:00:00Z --end-time 2026-01-15T13:00:00Z --period 3600 "
        "--statistics Sum Minimum Maximum SampleCount",
    ]
    for cmd in reads:
        stored = [run_cli(env, cmd.replace("{n}", side)) for side in ("native", "cli")]
        assert stored[0][0] == 0, stored[0]
        assert '"Sum": 11' in stored[0][1] or '"Sum": 231434333' in stored[0][1] \
            or '"InstanceType"' in stored[0][1], stored[0]
        assert stored[0][1].replace("nativeNS", "NS") == stored[1][1].replace("cliNS", "NS")
    conflict = ("aws cloudwatch put-metric-data --namespace N --metric-data MetricName=M,Value=1 "
                "--value 2")
    nat = run_native(env, conflict)
    cli = run_cli(env, conflict)
    assert nat[0] != 0 and cli[0] != 0
    assert 'The key "value" cannot be specified' in nat[2] and 'The key "value"' in cli[2], (nat, cli)


TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Name:
    Type: String
  Delay:
    Type: Number
    Default: 0
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
      DelaySeconds: !Ref Delay
"""
CHANGESET_ARN = re.compile(r"arn:aws:cloudformation:[^\s\"]+")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_cloudformation_deploy(env, version):
    """cloudformation deploy (awscli's DeployCommand): create, update, an
    empty change set (an error in v1, a note on standard output in v2) and
    --no-execute-changeset print what the CLI prints, and the stacks end the
    same."""
    from test_cli_v2 import AWS_V2
    e = dict(env)
    cli_bin = AWS if version == "v1" else AWS_V2
    e["AWS_MCP_CLI_VERSION"] = "auto"  # read from the program: its error style
    e["AWS_MCP_AWS_CLI"] = str(cli_bin)
    work = e["AWS_API_MCP_WORKING_DIR"]
    path = os.path.join(work, "stack.yaml")
    with open(path, "w") as f:
        f.write(TEMPLATE)

    def run(side, cmd):
        cmd = cmd.replace("{n}", f"{version}-{side}")
        if version == "v2":  # 2.9.19 predates AWS_ENDPOINT_URL
            cmd += " --endpoint-url " + e["AWS_ENDPOINT_URL"]
        if side == "native":
            return run_native(e, cmd)
        r = subprocess.run([str(cli_bin)] + shlex.split(cmd)[1:], env=e, capture_output=True,
                           text=True, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def same(cmd):
        nat, cli = run("native", cmd), run("cli", cmd)
        assert "not supported by the native executor" not in nat[2], nat[2]
        norm = [tuple(CHANGESET_ARN.sub("<arn>", x).replace(side, "X") if isinstance(x, str) else x
                      for x in out) for side, out in ((f"{version}-native", nat), (f"{version}-cli", cli))]
        assert norm[0] == norm[1], (nat, cli)
        return nat

    deploy = f"aws cloudformation deploy --template-file {path} --stack-name st-{{n}}"
    rc, out, _ = same(deploy + " --parameter-overrides Name=q-{n} --tags team=a")
    assert rc == 0 and out.endswith("Successfully created/updated stack - st-X\n".replace("X", f"{version}-native"))
    rc, _, _ = same(deploy + " --parameter-overrides Name=q-{n} Delay=5")
    assert rc == 0
    same(deploy + " --parameter-overrides Name=q-{n} Delay=5")
    rc, out, _ = same(deploy + " --parameter-overrides Name=q-{n} Delay=7 --no-execute-changeset")
    assert rc == 0 and "aws cloudformation describe-change-set --change-set-name arn:" in out
    stacks = [json.loads(run_cli(e, f"aws cloudformation describe-stacks --stack-name st-{version}-{side}")[1])
              ["Stacks"][0] for side in ("native", "cli")]
    for s in stacks:
        s.pop("StackId"), s.pop("CreationTime"), s.pop("LastUpdatedTime", None), s.pop("ChangeSetId", None)
    assert json.dumps(stacks[0]).replace("-native", "-X") == json.dumps(stacks[1]).replace("-cli", "-X")
    missing = run("native", f"aws cloudformation deploy --template-file {work}/nope.yaml --stack-name s")
    assert missing == run("cli", f"aws cloudformation deploy --template-file {work}/nope.yaml --stack-name s")
