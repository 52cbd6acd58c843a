"""Differential tests: the native executor against the real AWS CLI.

Every case runs the same command twice against the same moto server: once
with the `aws` program, once with `aws-mcp run --executor native`. The JSON
printed must be equal, after masking what legitimately differs between two
calls (request ids, timestamps, generated ids of resources each run creates);
failures must carry the same error code and exit status.

Cases name their wire protocol; the suite asserts its own breadth (at least
60 commands, 15 services, all five protocols).

`{n}` in a command is replaced by `cli` or `native`, so that commands that
create something create one thing each; their outputs are compared with the
suffix normalised.
"""

import json
import os
import pathlib
import re
import shlex
import subprocess

import pytest

from conftest import AWS, BIN

BUCKET = "diff-bucket"

# (protocol, command, compare): compare is "exact" (equal after masking),
# "shape" (same keys and value types: for outputs holding generated ids),
# "raw" (the printed text byte for byte: --output text/table, --query).
CASES = [
    # S3: rest-xml
    ("rest-xml", "aws s3api list-buckets", "exact"),
    ("rest-xml", f"aws s3api list-objects-v2 --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api list-objects-v2 --bucket {BUCKET} --max-items 2", "exact"),
    ("rest-xml", f"aws s3api list-objects-v2 --bucket {BUCKET} --prefix dir/ --delimiter /", "exact"),
    ("rest-xml", f"aws s3api list-objects --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api list-object-versions --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api get-bucket-versioning --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api get-bucket-tagging --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api get-object-tagging --bucket {BUCKET} --key dir/a.txt", "exact"),
    ("rest-xml", f"aws s3api head-bucket --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api get-bucket-acl --bucket {BUCKET}", "exact"),
    ("rest-xml", f"aws s3api get-bucket-policy --bucket {BUCKET}", "exact"),
    ("rest-xml", "aws s3api get-bucket-tagging --bucket no-such-bucket-here", "exact"),
    ("rest-xml", "aws s3api create-bucket --bucket diff-new-{n}", "exact"),
    ("rest-xml", f"aws s3api head-object --bucket {BUCKET} --key dir/a.txt", "exact"),
    ("rest-xml", f"aws s3api head-object --bucket {BUCKET} --key no/such/key", "exact"),
    ("rest-xml", f"aws s3api create-multipart-upload --bucket {BUCKET} --key mp-{{n}}", "shape"),
    ("rest-xml", f"aws s3api put-bucket-tagging --bucket {BUCKET} --tagging TagSet=[{{Key=k,Value=v}}]", "exact"),
    # EC2: ec2
    ("ec2", "aws ec2 describe-vpcs", "exact"),
    ("ec2", "aws ec2 describe-subnets --filters Name=default-for-az,Values=true", "exact"),
    ("ec2", "aws ec2 describe-security-groups --group-names default", "exact"),
    ("ec2", "aws ec2 describe-key-pairs", "exact"),
    ("ec2", "aws ec2 describe-instances", "exact"),
    ("ec2", "aws ec2 describe-availability-zones", "exact"),
    ("ec2", "aws ec2 describe-internet-gateways", "exact"),
    ("ec2", "aws ec2 describe-route-tables --max-items 1", "shape"),
    ("ec2", "aws ec2 describe-volumes", "exact"),
    ("ec2", "aws ec2 describe-instances --instance-ids i-0123456789abcdef0", "exact"),
    ("ec2", "aws ec2 create-key-pair --key-name kp-{n}", "shape"),
    ("ec2", "aws ec2 create-security-group --group-name sg-{n} --description diff", "shape"),
    # IAM, STS, SNS, CloudFormation, ELBv2, RDS, Auto Scaling: query
    ("query", "aws iam list-users", "exact"),
    ("query", "aws iam get-user --user-name diff-user", "exact"),
    ("query", "aws iam get-user --user-name nobody-here", "exact"),
    ("query", "aws iam list-roles", "exact"),
    ("query", "aws iam get-role --role-name diff-role", "exact"),
    ("query", "aws iam get-role-policy --role-name diff-role --policy-name inline", "exact"),
    ("query", "aws iam list-role-policies --role-name diff-role", "exact"),
    ("query", "aws iam list-groups", "exact"),
    ("query", "aws iam list-access-keys --user-name diff-user", "exact"),
    ("query", "aws iam create-user --user-name u-{n}", "shape"),
    ("query", "aws sts get-caller-identity", "exact"),
    ("query", "aws sns list-topics", "exact"),
    ("query", "aws sns create-topic --name topic-{n}", "exact"),
    ("query", "aws sns list-subscriptions", "exact"),
    ("query", "aws cloudformation list-stacks", "exact"),
    ("query", "aws cloudformation describe-stacks", "exact"),
    ("query", "aws elbv2 describe-load-balancers", "exact"),
    ("query", "aws rds describe-db-instances", "exact"),
    ("query", "aws autoscaling describe-auto-scaling-groups", "exact"),
    ("query", "aws ses list-identities", "exact"),
    # SQS, DynamoDB, Logs, KMS, ECS, ECR, SSM, Kinesis, Events, Secrets Manager: json
    ("json", "aws sqs list-queues", "exact"),
    ("json", "aws sqs get-queue-url --queue-name diff-queue", "exact"),
    ("json", "aws sqs get-queue-url --queue-name no-such-queue", "exact"),
    ("json", "aws sqs create-queue --queue-name q-{n}", "exact"),
    ("json", "aws dynamodb list-tables", "exact"),
    ("json", "aws dynamodb describe-table --table-name diff-table", "exact"),
    ("json", "aws dynamodb describe-table --table-name no-such-table", "exact"),
    ("json", "aws dynamodb get-item --table-name diff-table --key '{\"id\":{\"S\":\"1\"}}'", "exact"),
    ("json", "aws dynamodb scan --table-name diff-table", "exact"),
    ("json", "aws logs describe-log-groups", "exact"),
    ("json", "aws logs create-log-group --log-group-name lg-{n}", "exact"),
    ("json", "aws kms list-keys", "shape"),
    ("json", "aws ecs list-clusters", "exact"),
    ("json", "aws ecs create-cluster --cluster-name c-{n}", "exact"),
    ("json", "aws ecr describe-repositories", "exact"),
    ("json", "aws ssm get-parameter --name /diff/param", "exact"),
    ("json", "aws ssm describe-parameters", "exact"),
    ("json", "aws kinesis list-streams", "exact"),
    ("json", "aws events list-event-buses", "exact"),
    ("json", "aws events list-rules", "exact"),
    ("json", "aws secretsmanager list-secrets", "exact"),
    ("json", "aws stepfunctions list-state-machines", "exact"),
    # Lambda, API Gateway: rest-json
    ("rest-json", "aws lambda list-functions", "exact"),
    ("rest-json", "aws lambda get-function --function-name no-such-function", "exact"),
    ("rest-json", "aws lambda list-layers", "exact"),
    ("rest-json", "aws apigateway get-rest-apis", "exact"),
    ("rest-json", "aws apigateway create-rest-api --name api-{n}", "shape"),
    ("rest-json", "aws apigateway get-rest-api --rest-api-id nope", "exact"),
    # --output text/table and --query: compared byte for byte
    ("ec2", "aws ec2 describe-vpcs --output text", "raw"),
    ("ec2", "aws ec2 describe-availability-zones --output table", "raw"),
    ("query", "aws iam list-users --output table", "raw"),
    ("query", "aws iam list-users --query Users[].UserName --output text", "raw"),
    ("rest-xml", f"aws s3api list-objects-v2 --bucket {BUCKET} --output text --max-items 2", "raw"),
    ("rest-xml", f"aws s3api list-objects-v2 --bucket {BUCKET} --query Contents[].Key", "raw"),
    ("json", "aws dynamodb scan --table-name diff-table --query Items[0] --output text", "raw"),
    ("json", "aws dynamodb describe-table --table-name diff-table --output table", "raw"),
]

SETUP = [
    f"s3api create-bucket --bucket {BUCKET}",
    f"s3api put-object --bucket {BUCKET} --key dir/a.txt --body {{readme}}",
    f"s3api put-object --bucket {BUCKET} --key dir/b.txt --body {{readme}}",
    f"s3api put-object --bucket {BUCKET} --key top+plus%20x.txt --body {{readme}}",
    f"s3api put-bucket-tagging --bucket {BUCKET} --tagging TagSet=[{{Key=team,Value=diff}}]",
    "iam create-user --user-name diff-user",
    "iam create-access-key --user-name diff-user",
    "iam create-role --role-name diff-role --assume-role-policy-document "
    + shlex.quote(json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})),
    "iam put-role-policy --role-name diff-role --policy-name inline --policy-document "
    + shlex.quote(json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})),
    "sqs create-queue --queue-name diff-queue",
    "dynamodb create-table --table-name diff-table --attribute-definitions AttributeName=id,AttributeType=S "
    "--key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST",
    "dynamodb put-item --table-name diff-table --item '{\"id\":{\"S\":\"1\"},\"n\":{\"N\":\"1.50\"}}'",
    "logs create-log-group --log-group-name diff-group",
    "ssm put-parameter --name /diff/param --value v1 --type String",
    "ec2 create-volume --availability-zone us-east-1a --size 8",
]

REQUEST_ID = re.compile(r"^(RequestId|ResponseMetadata|requestId)$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
VOLATILE_KEYS = re.compile(r"(Date|Time|Timestamp|LastModified)$", re.I)


def mask(v, key=""):
    if isinstance(v, dict):
        return {k: mask(x, k) for k, x in v.items() if not REQUEST_ID.match(k)}
    if isinstance(v, list):
        return [mask(x, key) for x in v]
    if isinstance(v, str) and (TIMESTAMP.match(v) or VOLATILE_KEYS.search(key)):
        return "<time>"
    if isinstance(v, (int, float)) and not isinstance(v, bool) and VOLATILE_KEYS.search(key):
        return "<time>"
    return v


def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items() if not REQUEST_ID.match(k)}
    if isinstance(v, list):
        return [shape(v[0])] if v else []
    return type(v).__name__


def error_code(stderr):
    m = re.search(r"An error occurred \(([^)]+)\)", stderr)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def diff_env(moto_url, tmp_path_factory):
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10)
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("work")
    readme = work / "body.txt"
    readme.write_text("hello from the differential tests\n")
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
        # The executors are compared, not the policy (ec2 create-key-pair returns a key).
        "AWS_MCP_ALLOW_CREDENTIAL_COMMANDS": "true",
    }
    if os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    for cmd in SETUP:
        cmd = legacy_endpoint(env, "aws " + cmd)
        argv = [str(AWS)] + [a.replace("{readme}", str(readme)) for a in shlex.split(cmd)[1:]]
        r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"setup {cmd}: {r.stderr}"
    return env


def legacy_endpoint_services():
    """Services awscli v1 points at a legacy host name in us-east-1 unless
    --endpoint-url is given (its update_endpoint_url handler ignores
    AWS_ENDPOINT_URL): SQS, RDS, ... Read from the installed awscli."""
    code = ("import json; from awscli.customizations.overridesslcommonname import SSL_COMMON_NAMES as s; "
            "print(json.dumps(sorted(k for k, v in s.items() if 'us-east-1' in v)))")
    r = subprocess.run([str(AWS.parent / "python"), "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stdout))


LEGACY = legacy_endpoint_services()


def legacy_endpoint(env, cmd):
    """Commands of LEGACY services name moto explicitly."""
    if shlex.split(cmd)[1] in LEGACY:
        return cmd + " --endpoint-url " + env["AWS_ENDPOINT_URL"]
    return cmd


def run_cli(env, cmd):
    cmd = legacy_endpoint(env, cmd)
    r = subprocess.run([str(AWS)] + shlex.split(cmd)[1:], env=env, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def run_native(env, cmd):
    cmd = legacy_endpoint(env, cmd)
    r = subprocess.run([str(BIN), "run", "--executor", "native", cmd], env=env,
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def parse(out):
    return json.loads(out) if out.strip() else None


def test_breadth():
    services = {shlex.split(c)[1] for _, c, _ in CASES}
    protocols = {p for p, _, _ in CASES}
    assert len(CASES) >= 60
    assert len(services) >= 15, services
    assert protocols == {"query", "ec2", "json", "rest-json", "rest-xml"}


def test_check_names_the_executor(diff_env):
    r = subprocess.run([str(BIN), "check", "-"], input="aws s3api list-buckets\naws s3 mv s3://b/k -\naws s3 ls\n",
                       env=diff_env, capture_output=True, text=True, timeout=60)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["executor"] == "native" and lines[0]["executor_reason"] is None
    assert lines[1]["executor"] == "subprocess" and "streaming" in lines[1]["executor_reason"]
    assert lines[2]["executor"] == "native" and lines[2]["executor_reason"] is None


def test_route53_ids_are_cut_like_botocore(diff_env):
    """`fix_route53_ids`: an Id as another call printed it (/hostedzone/X) works."""
    rc, out, err = run_cli(diff_env, "aws route53 create-hosted-zone --name diff.example.com --caller-reference diff-r1")
    assert rc == 0, err
    zone = json.loads(out)["HostedZone"]["Id"]
    assert zone.startswith("/hostedzone/")
    for cmd in [f"aws route53 get-hosted-zone --id {zone}", "aws route53 list-hosted-zones"]:
        cli_rc, cli_out, cli_err = run_cli(diff_env, cmd)
        nat_rc, nat_out, nat_err = run_native(diff_env, cmd)
        assert (nat_rc, cli_rc) == (0, 0), nat_err + cli_err
        assert mask(parse(nat_out)) == mask(parse(cli_out))


def test_run_instances_user_data_is_base64_like_botocore(diff_env):
    """`base64_encode_user_data`: the instance stores the same bytes either way."""
    cmd = "aws ec2 run-instances --image-id ami-03cf127a --count 1 --user-data hello-diff --query Instances[0].InstanceId --output text"
    ids = [run_cli(diff_env, cmd)[1].strip(), run_native(diff_env, cmd)[1].strip()]
    assert all(i.startswith("i-") for i in ids), ids
    values = []
    for i in ids:
        rc, out, err = run_cli(diff_env, f"aws ec2 describe-instance-attribute --instance-id {i} --attribute userData")
        assert rc == 0, err
        values.append(json.loads(out)["UserData"]["Value"])
    assert values[0] == values[1] == "aGVsbG8tZGlmZg=="


@pytest.mark.parametrize("protocol,cmd,compare", CASES, ids=[c for _, c, _ in CASES])
def test_native_equals_cli(diff_env, protocol, cmd, compare):
    cli_rc, cli_out, cli_err = run_cli(diff_env, cmd.replace("{n}", "cli"))
    nat_rc, nat_out, nat_err = run_native(diff_env, cmd.replace("{n}", "native"))
    assert "not supported by the native executor" not in nat_err, nat_err
    assert nat_rc == cli_rc, f"exit {nat_rc} != {cli_rc}\nnative: {nat_err}\ncli: {cli_err}"
    if cli_rc != 0:
        assert error_code(nat_err) == error_code(cli_err), f"native: {nat_err}\ncli: {cli_err}"
        return
    if compare == "raw":
        assert nat_out == cli_out
        return
    cli_json = parse(cli_out.replace("-cli", "-<n>").replace("_cli", "_<n>"))
    nat_json = parse(nat_out.replace("-native", "-<n>").replace("_native", "_<n>"))
    if compare == "shape":
        assert shape(nat_json) == shape(cli_json)
    else:
        assert mask(nat_json) == mask(cli_json)


def test_cli_added_arguments_native_like_the_cli(diff_env):
    """The arguments the AWS CLI adds that the native executor reproduces
    (aws_mcp_native::cli_argument): the same command through each leaves the
    same state. (The others send the command to the aws program: the
    coverage check proves every one is classified.)"""
    def both(template):
        outs = []
        for n, run in (("cli", run_cli), ("native", run_native)):
            rc, out, err = run(diff_env, template.replace("{n}", n))
            assert rc == 0, f"{n}: {template}: {err}"
            assert "not supported by the native executor" not in err
            outs.append(parse(out))
        return outs

    # secgroupsimplify: --protocol --port --cidr, --source-group.
    groups = {}
    for n in ("cli", "native"):
        rc, out, err = run_cli(diff_env, f"aws ec2 create-security-group --group-name simplify-{n} --description d")
        assert rc == 0, err
        groups[n] = json.loads(out)["GroupId"]
    both("aws ec2 authorize-security-group-ingress --group-name simplify-{n} --protocol tcp --port 22-25 --cidr 203.0.113.0/24")
    perms = []
    for n in ("cli", "native"):
        rc, out, err = run_cli(diff_env, f"aws ec2 describe-security-groups --group-ids {groups[n]}")
        assert rc == 0, err
        perms.append(json.loads(out)["SecurityGroups"][0]["IpPermissions"])
    assert perms[0] == perms[1] and perms[0][0]["FromPort"] == 22 and perms[0][0]["ToPort"] == 25
    # Top-level booleans.
    vpcs = {}
    for n in ("cli", "native"):
        rc, out, err = run_cli(diff_env, "aws ec2 create-vpc --cidr-block 10.9.0.0/16")
        assert rc == 0, err
        vpcs[n] = json.loads(out)["Vpc"]["VpcId"]
    for n, run in (("cli", run_cli), ("native", run_native)):
        rc, _, err = run(diff_env, f"aws ec2 modify-vpc-attribute --vpc-id {vpcs[n]} --enable-dns-hostnames")
        assert rc == 0, err
    attrs = [run_cli(diff_env, f"aws ec2 describe-vpc-attribute --vpc-id {vpcs[n]} --attribute enableDnsHostnames")[1]
             for n in ("cli", "native")]
    assert [json.loads(a)["EnableDnsHostnames"] for a in attrs] == [{"Value": True}] * 2
    # --count MIN:MAX.
    cli, native = both("aws ec2 run-instances --image-id ami-03cf127a --count 2:2 --query 'length(Instances)'")
    assert cli == native == 2
    # --page-size, --max-items and --starting-token: the same tokens and pages.
    for n in ("a", "b", "c"):
        assert run_cli(diff_env, f"aws iam create-group --group-name paging-{n}")[0] == 0
    cli, native = both("aws iam list-groups --page-size 1 --max-items 2")
    assert mask(cli) == mask(native) and "NextToken" in cli and len(cli["Groups"]) == 2
    cli2, native2 = both(f"aws iam list-groups --page-size 1 --starting-token {native['NextToken']}")
    assert mask(cli2) == mask(native2) and len(cli2["Groups"]) == 1


def test_cli_input_json_native_like_the_cli(diff_env):
    """--cli-input-json, inline and from a file: the document fills in what
    the command line leaves out (awscli's _update_call_parameters), both
    executors leave the same state, and a document that leaves a required
    parameter out fails in both."""
    work = pathlib.Path(diff_env["AWS_API_MCP_WORKING_DIR"])
    doc = work / "user-input.json"
    doc.write_text(json.dumps({"UserName": "from-the-document", "Path": "/doc/"}))
    users = []
    for n, run in (("cli", run_cli), ("native", run_native)):
        rc, out, err = run(diff_env, f"aws iam create-user --user-name input-{n} --cli-input-json file://{doc}")
        assert rc == 0, f"{n}: {err}"
        assert "not supported by the native executor" not in err
        rc, out, err = run(diff_env, "aws iam get-user --cli-input-json '{\"UserName\": \"input-%s\"}'" % n)
        assert rc == 0, f"{n}: {err}"
        users.append(json.loads(out)["User"])
    assert [(u["UserName"], u["Path"]) for u in users] == [("input-cli", "/doc/"), ("input-native", "/doc/")]
    # The command line wins over the document; nothing else changes.
    assert mask({k: v for k, v in users[0].items() if k not in ("UserName", "UserId", "Arn")}) == \
        mask({k: v for k, v in users[1].items() if k not in ("UserName", "UserId", "Arn")})
    missing = work / "no-user-name.json"
    missing.write_text(json.dumps({"Path": "/doc/"}))
    for run in (run_cli, run_native):
        rc, out, err = run(diff_env, f"aws iam create-user --cli-input-json file://{missing}")
        assert rc != 0 and ("UserName" in err or "user-name" in err), err
        assert "not supported by the native executor" not in err


def test_codedeploy_location_native_like_the_cli(diff_env):
    """deploy create-deployment --s3-location: the validator builds the
    revision as awscli's locationargs.py does; both executors leave the same
    deployment, and a location without its required keys fails in both."""
    assert run_cli(diff_env, "aws deploy create-application --application-name loc-app")[0] == 0
    rc, _, err = run_cli(diff_env, "aws deploy create-deployment-group --application-name loc-app "
                                   "--deployment-group-name loc-group --service-role-arn arn:aws:iam::123456789012:role/r")
    assert rc == 0, err
    revisions = []
    for run in (run_cli, run_native):
        rc, out, err = run(diff_env, "aws deploy create-deployment --application-name loc-app --deployment-group-name loc-group "
                                     "--s3-location bucket=loc-bucket,key=app.zip,bundleType=zip,eTag=abc")
        assert rc == 0, err
        assert "not supported by the native executor" not in err
        rc, info, err = run_cli(diff_env, f"aws deploy get-deployment --deployment-id {json.loads(out)['deploymentId']}")
        assert rc == 0, err
        revisions.append(json.loads(info)["deploymentInfo"]["revision"])
    assert revisions[0] == revisions[1] == {
        "revisionType": "S3",
        "s3Location": {"bucket": "loc-bucket", "key": "app.zip", "bundleType": "zip", "eTag": "abc"},
    }
    for run in (run_cli, run_native):
        rc, out, err = run(diff_env, "aws deploy create-deployment --application-name loc-app --deployment-group-name loc-group "
                                     "--s3-location bucket=loc-bucket,key=app.zip")
        assert rc != 0 and "--s3-location must specify bucket, key and bundleType." in err, err


def test_lambda_zip_file_native_like_the_cli(diff_env):
    """lambda create-function --zip-file fileb://: the zip goes into
    Code.ZipFile (awscli's ZipFileArgument) in both executors (the same
    CodeSha256 and CodeSize), and a file that is not a zip fails in both."""
    import io
    import zipfile

    work = pathlib.Path(diff_env["AWS_API_MCP_WORKING_DIR"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    (work / "fn.zip").write_bytes(buf.getvalue())
    (work / "notzip.txt").write_text("not a zip\n")
    rc, out, err = run_cli(diff_env, "aws iam create-role --role-name zip-role --assume-role-policy-document "
                                     "'{\"Version\":\"2012-10-17\",\"Statement\":[]}'")
    assert rc == 0, err
    role = json.loads(out)["Role"]["Arn"]
    codes = []
    for n, run in (("cli", run_cli), ("native", run_native)):
        rc, out, err = run(diff_env, f"aws lambda create-function --function-name zip-{n} --runtime python3.12 "
                                     f"--role {role} --handler handler.handler --zip-file fileb://{work}/fn.zip")
        assert rc == 0, f"{n}: {err}"
        assert "not supported by the native executor" not in err
        c = json.loads(out)
        codes.append((c["CodeSha256"], c["CodeSize"]))
    assert codes[0] == codes[1] and codes[0][1] == len(buf.getvalue())
    for run in (run_cli, run_native):
        rc, out, err = run(diff_env, f"aws lambda create-function --function-name zip-bad --runtime python3.12 "
                                     f"--role {role} --handler h --zip-file fileb://{work}/notzip.txt")
        assert rc != 0 and "--zip-file must be a zip file with the fileb:// prefix." in err, err


def test_iot_query_outfiles_native_like_the_cli(diff_env):
    """iot create-keys-and-certificate --certificate-pem-outfile/--public-key-outfile/
    --private-key-outfile (awscli's QueryOutFileArgument): each file holds the
    response's value, mode 0600 even when it existed before, and the response
    is printed whole, in both executors."""
    import stat

    work = pathlib.Path(diff_env["AWS_API_MCP_WORKING_DIR"])
    for n, run in (("cli", run_cli), ("native", run_native)):
        existing = work / f"{n}.cert.pem"
        existing.write_text("old\n")
        existing.chmod(0o644)
        rc, out, err = run(diff_env, f"aws iot create-keys-and-certificate --set-as-active "
                                     f"--certificate-pem-outfile {work}/{n}.cert.pem "
                                     f"--public-key-outfile {work}/{n}.public.key "
                                     f"--private-key-outfile {work}/{n}.private.key")
        assert rc == 0, f"{n}: {err}"
        assert "not supported by the native executor" not in err
        r = json.loads(out)
        assert set(r) >= {"certificateArn", "certificateId", "certificatePem", "keyPair"}, r
        for suffix, value in (("cert.pem", r["certificatePem"]),
                              ("public.key", r["keyPair"]["PublicKey"]),
                              ("private.key", r["keyPair"]["PrivateKey"])):
            p = work / f"{n}.{suffix}"
            assert p.read_text() == value, (n, suffix)
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, (n, suffix, oct(p.stat().st_mode))
