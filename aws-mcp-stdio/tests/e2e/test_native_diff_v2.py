"""Byte-for-byte differential tests: the native executor against the real
AWS CLI v2.

Every case runs the same command twice against the same moto server: once
with the v2 `aws` program, once with `aws-mcp run --executor native`, whose
dialect (auto) is read from that same program's `aws --version`. Standard
output, standard error and the exit code must be equal, byte for byte: JSON,
text, table, YAML and yaml-stream output, `--query`, ISO 8601 timestamps
(from XML and HTTP-date strings and from JSON epoch numbers), blobs, errors
(v2's exit codes, and the error text of the version in use) and pagination
tokens.

The v2 program is `AWS_MCP_AWS_CLI_V2` (default `/usr/bin/aws`: Debian's
`awscli` 2.9.19, which .ci/run installs). 2.9.19 predates AWS_ENDPOINT_URL,
so every command names moto with `--endpoint-url`. Commands are read-only
over the state SETUP creates (mutations would create different ids and
times in the two runs) or idempotent; the suite asserts its own breadth (at
least 60 commands over 15 services, every output format, errors).

Blob input (v2 reads blob parameters as base64) is checked by its effect:
what the native executor sends is read back with the CLI.
"""

import base64
import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import BIN

AWS_V2 = Path(os.environ.get("AWS_MCP_AWS_CLI_V2", "/usr/bin/aws"))
BUCKET = "diff2-bucket"
BINARY = bytes([0, 1, 2, 127, 128, 200, 255])
B64 = base64.b64encode(BINARY).decode()

# (service, command): the command is compared byte for byte.
CASES = [
    # S3 (rest-xml): ISO timestamps from XML and HTTP dates, pagination, yaml-stream.
    ("s3api", "aws s3api list-buckets"),
    ("s3api", "aws s3api list-buckets --output yaml"),
    ("s3api", f"aws s3api list-objects-v2 --bucket {BUCKET}"),
    ("s3api", f"aws s3api list-objects-v2 --bucket {BUCKET} --max-items 2"),
    ("s3api", f"aws s3api list-objects-v2 --bucket {BUCKET} --page-size 1 --output yaml-stream"),
    ("s3api", f"aws s3api list-objects-v2 --bucket {BUCKET} --output text"),
    ("s3api", f"aws s3api list-objects-v2 --bucket {BUCKET} --query Contents[].[Key,LastModified] --output text"),
    ("s3api", f"aws s3api list-objects --bucket {BUCKET} --output table"),
    ("s3api", f"aws s3api head-object --bucket {BUCKET} --key dir/a.txt"),
    ("s3api", f"aws s3api head-object --bucket {BUCKET} --key dir/a.txt --output yaml"),
    ("s3api", f"aws s3api head-object --bucket {BUCKET} --key no/such/key"),
    ("s3api", f"aws s3api get-bucket-tagging --bucket {BUCKET} --output yaml"),
    ("s3api", "aws s3api get-bucket-tagging --bucket no-such-bucket-here"),
    ("s3api", f"aws s3api get-object-tagging --bucket {BUCKET} --key dir/a.txt"),
    # EC2 (ec2)
    ("ec2", "aws ec2 describe-vpcs"),
    ("ec2", "aws ec2 describe-vpcs --output yaml"),
    ("ec2", "aws ec2 describe-availability-zones --output table"),
    ("ec2", "aws ec2 describe-security-groups --group-names default --output yaml"),
    ("ec2", "aws ec2 describe-key-pairs"),
    ("ec2", "aws ec2 describe-instances"),
    ("ec2", "aws ec2 describe-instances --query Reservations[].Instances[].[InstanceId,LaunchTime] --output text"),
    ("ec2", "aws ec2 describe-instances --output yaml-stream"),
    ("ec2", "aws ec2 describe-volumes --query Volumes[0].CreateTime"),
    ("ec2", "aws ec2 describe-instances --instance-ids i-0123456789abcdef0"),
    # IAM, STS, SNS, SES, ELBv2, Auto Scaling (query)
    ("iam", "aws iam list-users"),
    ("iam", "aws iam list-users --output yaml"),
    ("iam", "aws iam list-users --page-size 1 --output yaml-stream"),
    ("iam", "aws iam list-users --max-items 1"),
    ("iam", "aws iam list-users --max-items 1 --output text"),
    ("iam", "aws iam list-users --query Users[0].CreateDate"),
    ("iam", "aws iam list-users --query Users[].UserName --output yaml"),
    ("iam", "aws iam get-user --user-name diff2-user-a --output table"),
    ("iam", "aws iam get-user --user-name nobody-here"),
    ("iam", "aws iam get-role --role-name diff2-role"),
    ("iam", "aws iam get-role --role-name diff2-role --output yaml"),
    ("iam", "aws iam list-roles --output text"),
    ("iam", "aws iam list-access-keys --user-name diff2-user-a --query AccessKeyMetadata[].Status"),
    ("sts", "aws sts get-caller-identity"),
    ("sts", "aws sts get-caller-identity --output yaml"),
    ("sts", "aws sts get-caller-identity --output text"),
    ("sns", "aws sns list-topics"),
    ("sns", "aws sns list-topics --output yaml"),
    ("sns", "aws sns create-topic --name diff2-topic"),
    ("ses", "aws ses list-identities --output yaml"),
    ("elbv2", "aws elbv2 describe-load-balancers"),
    ("autoscaling", "aws autoscaling describe-auto-scaling-groups --output yaml"),
    # DynamoDB, Logs, KMS, ECR, SSM, Secrets Manager, Events, Kinesis, ECS, Glue (json): epoch timestamps, blobs
    ("dynamodb", "aws dynamodb describe-table --table-name diff2-table"),
    ("dynamodb", "aws dynamodb describe-table --table-name diff2-table --output yaml"),
    ("dynamodb", "aws dynamodb describe-table --table-name diff2-table --query Table.CreationDateTime"),
    ("dynamodb", "aws dynamodb scan --table-name diff2-table"),
    ("dynamodb", "aws dynamodb scan --table-name diff2-table --output yaml"),
    ("dynamodb", "aws dynamodb get-item --table-name diff2-table --key '{\"id\":{\"S\":\"bin\"}}'"),
    ("dynamodb", "aws dynamodb describe-table --table-name no-such-table"),
    ("dynamodb", "aws dynamodb list-tables --output text"),
    ("logs", "aws logs describe-log-groups"),
    ("logs", "aws logs describe-log-groups --output yaml"),
    ("logs", "aws logs get-log-events --log-group-name diff2-group --log-stream-name s1"),
    ("logs", "aws logs get-log-events --log-group-name diff2-group --log-stream-name s1 --output text"),
    ("kms", "aws kms decrypt --ciphertext-blob {ciphertext}"),
    ("kms", "aws kms decrypt --ciphertext-blob {ciphertext} --output yaml"),
    ("kms", "aws kms decrypt --ciphertext-blob {binary_ciphertext} --query Plaintext --output text"),
    ("kms", "aws kms describe-key --key-id {key_id}"),
    ("kms", "aws kms describe-key --key-id {key_id} --output yaml"),
    ("kms", "aws kms describe-key --key-id 00000000-0000-0000-0000-000000000000"),
    ("ecr", "aws ecr describe-repositories"),
    ("ecr", "aws ecr describe-repositories --output yaml"),
    ("ecr", "aws ecr describe-repositories --repository-names no-such-repo"),
    ("ssm", "aws ssm get-parameter --name /diff2/param"),
    ("ssm", "aws ssm get-parameter --name /diff2/param --output yaml"),
    ("ssm", "aws ssm get-parameters --names /diff2/param /diff2/list --output table"),
    ("ssm", "aws ssm get-parameter --name /diff2/nope"),
    ("secretsmanager", "aws secretsmanager describe-secret --secret-id diff2-secret"),
    ("secretsmanager", "aws secretsmanager get-secret-value --secret-id diff2-binary --query SecretBinary"),
    ("secretsmanager", "aws secretsmanager get-secret-value --secret-id diff2-secret --output yaml"),
    ("secretsmanager", "aws secretsmanager get-secret-value --secret-id nope"),
    ("events", "aws events list-event-buses --output yaml"),
    ("events", "aws events describe-rule --name diff2-rule"),
    ("kinesis", "aws kinesis describe-stream-summary --stream-name diff2-stream"),
    ("kinesis", "aws kinesis list-streams --output yaml"),
    ("ecs", "aws ecs list-clusters"),
    ("ecs", "aws ecs describe-clusters --clusters diff2-cluster --output yaml"),
    ("glue", "aws glue get-database --name diff2db"),
    ("glue", "aws glue get-databases --output yaml"),
    ("stepfunctions", "aws stepfunctions list-state-machines"),
    # Lambda, API Gateway (rest-json)
    ("lambda", "aws lambda list-functions --output yaml"),
    ("lambda", "aws lambda get-function --function-name no-such-function"),
    ("lambda", "aws lambda list-layers"),
    ("apigateway", "aws apigateway get-rest-apis --output yaml"),
    ("apigateway", "aws apigateway get-rest-api --rest-api-id nope"),
    # Route 53 (rest-xml)
    ("route53", "aws route53 list-hosted-zones"),
    ("route53", "aws route53 list-hosted-zones --output yaml"),
    # --output off (2.34.0 and later only)
    ("iam", "aws iam list-users --output off"),
]

# What an older v2 prints differently because its bundled botocore model is
# older than the catalog's (2.36.7's table on botocore 1.44.8 data): members
# added since (they print when the service sends them), members reordered,
# paginators added (their non-aggregate keys print as null). The native
# executor prints what 2.36.7 prints; with another version these cases are
# not compared (the suite says which, and how many remain).
NEWER_MODEL = {
    "aws s3api list-buckets": "ListBuckets has a paginator since botocore 1.35 (Prefix: null)",
    "aws s3api list-buckets --output yaml": "ListBuckets has a paginator since botocore 1.35",
    f"aws s3api list-objects-v2 --bucket {BUCKET}": "ListObjectsV2's paginator gained non-aggregate keys",
    f"aws s3api list-objects-v2 --bucket {BUCKET} --max-items 2": "ListObjectsV2's paginator gained non-aggregate keys",
    f"aws s3api list-objects-v2 --bucket {BUCKET} --output text": "ListObjectsV2's paginator gained non-aggregate keys",
    f"aws s3api list-objects --bucket {BUCKET} --output table": "ListObjects's paginator gained non-aggregate keys",
    f"aws s3api head-object --bucket {BUCKET} --key dir/a.txt": "HeadObject gained TagCount",
    f"aws s3api head-object --bucket {BUCKET} --key dir/a.txt --output yaml": "HeadObject gained TagCount",
    "aws ec2 describe-vpcs": "EC2's Vpc members were reordered",
    "aws ec2 describe-security-groups --group-names default --output yaml": "SecurityGroup gained SecurityGroupArn",
    "aws ec2 describe-key-pairs": "EC2's KeyPairInfo members were reordered",
    "aws ec2 describe-instances": "EC2's Reservation and Instance members were reordered",
    "aws dynamodb describe-table --table-name diff2-table": "TableDescription gained DeletionProtectionEnabled and WarmThroughput",
    "aws dynamodb describe-table --table-name diff2-table --output yaml": "TableDescription gained new members",
    "aws logs describe-log-groups": "LogGroup gained logGroupArn",
    "aws logs describe-log-groups --output yaml": "LogGroup gained logGroupArn",
}
CATALOG_V2 = "2.36.7"

SETUP = [
    f"s3api create-bucket --bucket {BUCKET}",
    f"s3api put-object --bucket {BUCKET} --key dir/a.txt --body {{body}}",
    f"s3api put-object --bucket {BUCKET} --key dir/b.txt --body {{body}}",
    f"s3api put-object --bucket {BUCKET} --key top.txt --body {{body}}",
    f"s3api put-bucket-tagging --bucket {BUCKET} --tagging TagSet=[{{Key=team,Value=diff2}},{{Key=when,Value=2024-01-02}}]",
    f"s3api put-object-tagging --bucket {BUCKET} --key dir/a.txt --tagging TagSet=[{{Key=yes,Value=no}}]",
    "iam create-user --user-name diff2-user-a",
    "iam create-user --user-name diff2-user-b",
    "iam create-access-key --user-name diff2-user-a",
    "iam create-role --role-name diff2-role --description 'a role: for tests' --assume-role-policy-document "
    + shlex.quote(json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})),
    "sns create-topic --name diff2-topic",
    "ses verify-email-identity --email-address diff2@example.com",
    "dynamodb create-table --table-name diff2-table --attribute-definitions AttributeName=id,AttributeType=S "
    "--key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST",
    "dynamodb put-item --table-name diff2-table --item '{\"id\":{\"S\":\"1\"},\"n\":{\"N\":\"1.50\"},\"when\":{\"S\":\"2024-01-02T03:04:05Z\"}}'",
    f"dynamodb put-item --table-name diff2-table --item '{{\"id\":{{\"S\":\"bin\"}},\"b\":{{\"B\":\"{B64}\"}}}}'",
    "logs create-log-group --log-group-name diff2-group",
    "logs create-log-stream --log-group-name diff2-group --log-stream-name s1",
    "logs put-log-events --log-group-name diff2-group --log-stream-name s1 --log-events timestamp=1704067200000,message=hello timestamp=1704067201000,message='multi word: line'",
    "ssm put-parameter --name /diff2/param --value v1 --type String",
    "ssm put-parameter --name /diff2/list --value a,b --type StringList",
    "secretsmanager create-secret --name diff2-secret --secret-string 's3cr3t: yes'",
    f"secretsmanager create-secret --name diff2-binary --secret-binary {B64}",
    "events put-rule --name diff2-rule --schedule-expression 'rate(5 minutes)'",
    "kinesis create-stream --stream-name diff2-stream --shard-count 1",
    "ecs create-cluster --cluster-name diff2-cluster",
    "ecr create-repository --repository-name diff2-repo",
    "glue create-database --database-input Name=diff2db,Description=diff",
    "route53 create-hosted-zone --name diff2.example.com --caller-reference diff2-r1",
    "ec2 create-key-pair --key-name diff2-kp",
    "ec2 create-volume --availability-zone us-east-1a --size 8",
    "ec2 run-instances --image-id ami-03cf127a --count 1",
]


def v2_version():
    out = subprocess.run([str(AWS_V2), "--version"], capture_output=True, text=True).stdout
    return out.split()[0].split("/")[1]


def minor():
    return int(v2_version().split(".")[1])


@pytest.fixture(scope="module")
def diff_env(moto_url, tmp_path_factory):
    import urllib.request

    if not AWS_V2.exists():
        pytest.fail(f"AWS CLI v2 not found at {AWS_V2}: install Debian's awscli "
                    "(apt-get install -y awscli) or set AWS_MCP_AWS_CLI_V2")
    if not v2_version().startswith("2."):
        pytest.fail(f"{AWS_V2} is not AWS CLI v2")
    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10)
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("work")
    body = work / "body.txt"
    body.write_text("hello from the v2 differential tests\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TZ": "UTC",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MCP_AWS_CLI": str(AWS_V2),
        "AWS_API_MCP_WORKING_DIR": str(work),
        "AWS_MCP_ALLOW_ENDPOINT_URLS": "true",
        "AWS_MCP_ALLOW_CREDENTIAL_COMMANDS": "true",
        "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")),
        "MOTO": moto_url,
    }
    for cmd in SETUP:
        argv = [a.replace("{body}", str(body)) for a in shlex.split(cmd)]
        r = subprocess.run([str(AWS_V2)] + argv + ["--endpoint-url", moto_url],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"setup {cmd}: {r.stderr}"
    key = json.loads(run_cli(env, "aws kms create-key")[1])["KeyMetadata"]["KeyId"]
    env["key_id"] = key
    text = base64.b64encode(b'{"a": "text blob"}').decode()
    env["ciphertext"] = json.loads(run_cli(env, f"aws kms encrypt --key-id {key} --plaintext {text}")[1])["CiphertextBlob"]
    env["binary_ciphertext"] = json.loads(run_cli(env, f"aws kms encrypt --key-id {key} --plaintext {B64}")[1])["CiphertextBlob"]
    return env


def expand(env, cmd):
    for k in ("key_id", "ciphertext", "binary_ciphertext"):
        cmd = cmd.replace("{" + k + "}", env.get(k, ""))
    return cmd + " --endpoint-url " + env["MOTO"]


def run_cli(env, cmd):
    r = subprocess.run([str(AWS_V2)] + shlex.split(expand(env, cmd))[1:], env=env,
                       capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def run_native(env, cmd):
    r = subprocess.run([str(BIN), "run", "--executor", "native", expand(env, cmd)], env=env,
                       capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def compared():
    """The cases compared with the installed v2."""
    v = v2_version()
    return [(s, c) for s, c in CASES
            if (v == CATALOG_V2 or c not in NEWER_MODEL) and ("--output off" not in c or minor() >= 34)]


def both(env, cmd):
    """Run the CLI and the native executor at the same time."""
    argv = shlex.split(expand(env, cmd))
    procs = [subprocess.Popen([str(AWS_V2)] + argv[1:], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
             subprocess.Popen([str(BIN), "run", "--executor", "native", expand(env, cmd)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)]
    out = []
    for p in procs:
        o, e = p.communicate(timeout=120)
        out.append((p.returncode, o.decode(), e.decode()))
    return out


def test_breadth():
    assert set(NEWER_MODEL) <= {c for _, c in CASES}
    cases = compared()
    services = {s for s, _ in cases}
    cmds = [c for _, c in cases]
    assert len(cases) >= 60 and len(services) >= 15, (len(cases), services)
    for fmt in ["yaml", "yaml-stream", "text", "table"]:
        assert any(f"--output {fmt}" in c for c in cmds), fmt
    assert any("--query" in c for c in cmds)
    assert any("nope" in c or "no-such" in c or "nobody" in c for c in cmds)


@pytest.mark.parametrize("service,cmd", CASES, ids=[c for _, c in CASES])
def test_native_prints_what_v2_prints(diff_env, service, cmd):
    if "--output off" in cmd and minor() < 34:
        pytest.skip(f"--output off is AWS CLI v2.34.0+; this is {v2_version()}")
    if cmd in NEWER_MODEL and v2_version() != CATALOG_V2:
        pytest.skip(f"aws-cli/{v2_version()}'s model is older: {NEWER_MODEL[cmd]}")
    cli, nat = both(diff_env, cmd)
    assert "not supported by the native executor" not in nat[2], nat[2]
    assert nat[0] == cli[0], f"exit {nat[0]} != {cli[0]}\nnative: {nat[2]}\ncli: {cli[2]}"
    assert nat[1] == cli[1], "stdout differs"
    assert nat[2] == cli[2], "stderr differs"


def test_blob_parameters_are_sent_as_the_decoded_bytes(diff_env):
    """v2 reads blob parameters as base64: the native executor sends the
    decoded bytes (text or not), as the CLI reads back."""
    key = diff_env["key_id"]
    for plain in [BINARY, "héllo: wörld".encode()]:
        b64 = base64.b64encode(plain).decode()
        rc, out, err = run_native(diff_env, f"aws kms encrypt --key-id {key} --plaintext {b64}")
        assert rc == 0, err
        blob = json.loads(out)["CiphertextBlob"]
        rc, out, err = run_cli(diff_env, f"aws kms decrypt --ciphertext-blob {blob} --query Plaintext --output text")
        assert rc == 0, err
        assert base64.b64decode(out.strip()) == plain
    shard = "shardId-000000000000"
    rc, out, err = run_native(diff_env, f"aws kinesis put-record --stream-name diff2-stream --partition-key p --data {B64}")
    assert rc == 0, err
    seq = json.loads(out)["SequenceNumber"]
    rc, out, err = run_cli(diff_env, f"aws kinesis get-shard-iterator --stream-name diff2-stream --shard-id {shard} "
                                     f"--shard-iterator-type AT_SEQUENCE_NUMBER --starting-sequence-number {seq}")
    assert rc == 0, err
    it = json.loads(out)["ShardIterator"]
    rc, out, err = run_cli(diff_env, f"aws kinesis get-records --shard-iterator {it} --query Records[0].Data --output text")
    assert rc == 0, err
    assert base64.b64decode(out.strip()) == BINARY
    # Text that is not base64 is refused before anything runs, as v2 refuses it.
    rc, _, err = run_native(diff_env, f"aws kms encrypt --key-id {key} --plaintext 'not base64!'")
    assert rc == 252 and "Invalid base64" in err, (rc, err)


# (AWS config file text, extra environment, command): the profile's output
# settings, honoured by both (AWS_CLI_ERROR_FORMAT and cli_error_format only
# exist from 2.34.0: older versions ignore them, and so does the native
# executor when it prints for such a version).
SETTINGS = [
    ("[default]\ncli_timestamp_format = wire\n", {}, "aws iam list-users --query Users[0].CreateDate"),
    ("[default]\ncli_timestamp_format = wire\n", {}, "aws dynamodb describe-table --table-name diff2-table --query Table.CreationDateTime"),
    ("[default]\ncli_timestamp_format = iso8601\n", {}, "aws secretsmanager describe-secret --secret-id diff2-secret --output yaml"),
    ("[default]\ncli_timestamp_format = none\n", {}, "aws iam list-users"),
    # Epoch numbers in the machine's zone (Python's tzlocal()), zoned strings as written.
    ("", {"TZ": "America/New_York"}, "aws dynamodb describe-table --table-name diff2-table --query Table.CreationDateTime"),
    ("", {"TZ": "Asia/Kolkata"}, "aws secretsmanager describe-secret --secret-id diff2-secret --output yaml"),
    ("", {"TZ": "Europe/Paris"}, "aws iam list-users --query Users[0].CreateDate"),
    ("", {"AWS_CLI_ERROR_FORMAT": "json"}, "aws iam get-user --user-name nobody-here"),
    ("", {"AWS_CLI_ERROR_FORMAT": "yaml"}, "aws dynamodb describe-table --table-name no-such-table"),
    ("", {"AWS_CLI_ERROR_FORMAT": "text"}, "aws ssm get-parameter --name /diff2/nope"),
    ("[default]\ncli_error_format = legacy\n", {}, "aws secretsmanager get-secret-value --secret-id nope"),
    ("[default]\ncli_error_format = table\n", {}, "aws lambda get-function --function-name no-such-function"),
]


@pytest.mark.parametrize("config,extra,cmd", SETTINGS, ids=[f"{c.strip()}{e}-{m}" for c, e, m in SETTINGS])
def test_profile_output_settings(diff_env, tmp_path, config, extra, cmd):
    cfg = tmp_path / "config"
    cfg.write_text(config)
    env = dict(diff_env, AWS_CONFIG_FILE=str(cfg), **extra)
    cli, nat = both(env, cmd)
    assert nat[0] == cli[0], f"exit {nat[0]} != {cli[0]}\nnative: {nat[2]}\ncli: {cli[2]}"
    assert (nat[1], nat[2]) == (cli[1], cli[2])


def test_error_format_option(diff_env):
    """`--cli-error-format` (2.34.0 and later)."""
    if minor() < 34:
        pytest.skip(f"--cli-error-format is AWS CLI v2.34.0+; this is {v2_version()}")
    for fmt in ["json", "yaml", "text", "table", "legacy", "enhanced"]:
        cli, nat = both(diff_env, f"aws iam get-user --user-name nobody-here --cli-error-format {fmt}")
        assert nat == cli, fmt
