"""Local files of generated operations in the native executor, against the
real AWS CLI on moto: parameter files (`file://` text, `fileb://` bytes,
JSON files for structures), streaming inputs (`s3api put-object --body`)
and output files (`s3api get-object ... out`).

Each case runs the same command with the `aws` program (v1 from .venv, v2
at AWS_MCP_AWS_CLI_V2 or /usr/bin/aws) and with `aws-mcp run --executor
native` in the same dialect, then compares what the CLI prints (bytes) and
what the command left behind (the stored value read back with the CLI, the
written file). Failures compare exit statuses and the CLI's message, except
where awscli echoes the file's contents: the native executor never does.
"""

import hashlib
import os
import shlex
import subprocess
import urllib.request
from pathlib import Path

import pytest

from conftest import AWS, BIN

AWS_V2 = Path(os.environ.get("AWS_MCP_AWS_CLI_V2", "/usr/bin/aws"))
SECRET = "s3cr3t-value-never-echoed"


def program(dialect):
    if dialect == 2 and not AWS_V2.exists():
        pytest.fail(f"AWS CLI v2 not found at {AWS_V2}")
    return AWS if dialect == 1 else AWS_V2


def env_for(work, home, dialect):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_API_MCP_WORKING_DIR": str(work),
        "AWS_MCP_ALLOW_ENDPOINT_URLS": "true",
        "AWS_MCP_CLI_VERSION": "1",
        "AWS_MCP_AWS_CLI": "/nonexistent/aws",
    }
    if dialect == 2:
        # The dialect and version read from the v2 program (`aws --version`),
        # whose error text the native executor then prints (2.9.19's differs
        # from 2.34+'s); the native runs never call the program.
        env["AWS_MCP_CLI_VERSION"] = "auto"
        env["AWS_MCP_AWS_CLI"] = str(AWS_V2)
    if dialect == 1 and os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return env


def cli(dialect, cmd, moto, work, home):
    argv = [str(program(dialect))] + shlex.split(cmd)[1:] + ["--endpoint-url", moto]
    r = subprocess.run(argv, env=env_for(work, home, dialect), cwd=work, capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def v2_before_checksums():
    """Debian's 2.9.19 predates flexible checksums (2.23): it neither sends
    a CRC32 with uploads nor asks for one on downloads, which the v2 the
    catalog describes (2.36.7) does; those two members are then set aside."""
    line = subprocess.run([str(AWS_V2), "--version"], capture_output=True, text=True).stdout
    major, minor = line.split()[0].split("/")[1].split(".")[:2]
    return (int(major), int(minor)) < (2, 23)


def without_checksums(dialect, text):
    if dialect == 2 and v2_before_checksums():
        import json
        d = json.loads(text)
        for k in ("ChecksumCRC32", "ChecksumType"):
            d.pop(k, None)
        return d
    return text


def native(dialect, cmd, moto, work, home):
    r = subprocess.run([str(BIN), "run", "--executor", "native", "--yes", f"{cmd} --endpoint-url {moto}"],
                       env=env_for(work, home, dialect), cwd=home, capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


@pytest.fixture
def dirs(tmp_path, moto):
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    (work / "value.txt").write_text("a value from a file\n")
    (work / "plain.bin").write_bytes(b"raw bytes, UTF-8 as it happens\n")
    (work / "b64.txt").write_text("aGVsbG8gZnJvbSBiYXNlNjQ=")
    (work / "item.json").write_text('{"id": {"S": "1"}, "n": {"N": "1.50"}, "tags": {"SS": ["a", "b"]}}')
    (work / "bad.json").write_text('{"id": {"S": "' + SECRET + '"},,}')
    (work / "body.bin").write_bytes(hashlib.sha256(b"x").digest() * 32768)  # 1 MiB
    return moto, work, home


@pytest.mark.parametrize("dialect", [1, 2])
def test_file_text_parameter(dirs, dialect):
    moto, work, home = dirs
    for side, run in (("cli", cli), ("native", native)):
        rc, out, err = run(dialect, f"aws ssm put-parameter --name /f/{side} --type String --value file://value.txt",
                           moto, work, home)
        assert rc == 0, err
    got = [cli(dialect, f"aws ssm get-parameter --name /f/{s} --query Parameter.Value --output text", moto, work, home)[1]
           for s in ("cli", "native")]
    assert got[0] == got[1] == "a value from a file\n\n"


@pytest.mark.parametrize("dialect", [1, 2])
def test_blob_parameters_from_files(dirs, dialect):
    """fileb:// is the bytes; file:// is text in v1 and base64 to decode in v2."""
    import base64

    import botocore.session

    moto, work, home = dirs
    kms = botocore.session.get_session().create_client(
        "kms", region_name="us-east-1", endpoint_url=moto,
        aws_access_key_id="testing", aws_secret_access_key="testing")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    for ref in ["fileb://plain.bin", "file://b64.txt"]:
        plains = []
        for run in (cli, native):
            rc, out, err = run(dialect, f"aws kms encrypt --key-id {key} --plaintext {ref} "
                                        "--query CiphertextBlob --output text", moto, work, home)
            assert rc == 0, err
            blob = base64.b64decode(out.strip())
            plains.append(kms.decrypt(CiphertextBlob=blob)["Plaintext"])
        assert plains[0] == plains[1], (ref, plains)
        if ref.startswith("fileb"):
            assert plains[0] == (work / "plain.bin").read_bytes()


@pytest.mark.parametrize("dialect", [1, 2])
def test_structure_parameter_from_a_json_file(dirs, dialect):
    moto, work, home = dirs
    cli(dialect, "aws dynamodb create-table --table-name files --attribute-definitions AttributeName=id,AttributeType=S "
                 "--key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST", moto, work, home)
    outs = []
    for run in (cli, native):
        cli(dialect, "aws dynamodb delete-item --table-name files --key '{\"id\":{\"S\":\"1\"}}'", moto, work, home)
        rc, out, err = run(dialect, "aws dynamodb put-item --table-name files --item file://item.json", moto, work, home)
        assert rc == 0, err
        outs.append(out)
        outs.append(cli(dialect, "aws dynamodb get-item --table-name files --key '{\"id\":{\"S\":\"1\"}}'",
                        moto, work, home)[1])
    assert outs[0] == outs[2]
    assert outs[1] == outs[3] and '"1.50"' in outs[1]


@pytest.mark.parametrize("dialect", [1, 2])
def test_missing_parameter_file_fails_like_the_cli(dirs, dialect):
    moto, work, home = dirs
    cmd = "aws ssm put-parameter --name /x --type String --value file://nope.txt"
    assert native(dialect, cmd, moto, work, home) == cli(dialect, cmd, moto, work, home)


@pytest.mark.parametrize("dialect", [1, 2])
def test_invalid_file_contents_are_never_echoed(dirs, dialect):
    moto, work, home = dirs
    cmd = "aws dynamodb put-item --table-name files --item file://bad.json"
    crc, _, cerr = cli(dialect, cmd, moto, work, home)
    nrc, nout, nerr = native(dialect, cmd, moto, work, home)
    assert nrc == crc != 0, (nrc, crc)
    assert SECRET not in nout + nerr, nerr
    assert "file://bad.json" in nerr and "--item" in nerr and "invalid JSON" in nerr, nerr


def test_file_reads_are_capped(dirs):
    moto, work, home = dirs
    big = work / "big.txt"
    with open(big, "wb") as f:
        f.truncate((64 << 20) + 1)
    rc, out, err = native(1, "aws ssm put-parameter --name /big --type String --value file://big.txt",
                          moto, work, home)
    assert rc == 255 and "more than the native executor reads (64 MiB)" in err, err
    rc, out, err = native(1, "aws ssm put-parameter --name /small --type String --value file://value.txt",
                          moto, work, home)
    assert rc == 0, err


@pytest.mark.parametrize("dialect", [1, 2])
def test_put_object_body_and_get_object_outfile(dirs, dialect):
    """The streaming input from a file and the streaming output into one:
    the same printed JSON (checksums included), the same bytes stored and
    written, no temporary file left."""
    moto, work, home = dirs
    cli(dialect, "aws s3api create-bucket --bucket files-bkt", moto, work, home)
    for side, run in (("cli", cli), ("native", native)):
        rc, out, err = run(dialect, f"aws s3api put-object --bucket files-bkt --key {side}.bin --body body.bin "
                                    "--content-type application/x-test", moto, work, home)
        assert rc == 0, err
        outs = without_checksums(dialect, out)
        if side == "cli":
            cli_put = outs
        else:
            assert outs == cli_put
    fields = "ContentLength,ETag,ContentType"
    if not (dialect == 2 and v2_before_checksums()):
        fields += ",ChecksumCRC32"
    heads = [cli(dialect, f"aws s3api head-object --bucket files-bkt --key {s}.bin --checksum-mode ENABLED "
                          f"--query '[{fields}]'", moto, work, home)[1]
             for s in ("cli", "native")]
    assert heads[0] == heads[1], heads
    got = {}
    for side, run in (("cli", cli), ("native", native)):
        rc, out, err = run(dialect, f"aws s3api get-object --bucket files-bkt --key cli.bin {side}-out.bin",
                           moto, work, home)
        assert rc == 0, err
        got[side] = without_checksums(dialect, out)
    if dialect == 2:
        # v2 prints timestamps as ISO 8601, the v2 output work of the
        # native executor (issue 14's v2out); this test is about the file.
        import json

        from dateutil.parser import parse as parse_date
        for side in got:
            d = json.loads(got[side]) if isinstance(got[side], str) else got[side]
            d["LastModified"] = parse_date(d["LastModified"]).timestamp()
            got[side] = d
    assert got["native"] == got["cli"]
    assert (work / "native-out.bin").read_bytes() == (work / "body.bin").read_bytes()
    assert sorted(os.listdir(work)) == sorted(
        ["value.txt", "plain.bin", "b64.txt", "item.json", "bad.json", "body.bin", "cli-out.bin", "native-out.bin"])
    # A missing key: the CLI's error and exit status, and no output file.
    cmd = "aws s3api get-object --bucket files-bkt --key nope.bin missing.bin"
    n, c = native(dialect, cmd, moto, work, home), cli(dialect, cmd, moto, work, home)
    assert n == c and c[0] != 0
    assert not (work / "missing.bin").exists()


def test_check_names_native_for_local_files(dirs):
    moto, work, home = dirs
    env = env_for(work, home, 1)
    lines = "\n".join([
        "aws s3api get-object --bucket b --key k out.bin",
        "aws s3api put-object --bucket b --key k --body body.bin",
        "aws dynamodb put-item --table-name t --item file://item.json",
        "aws kms encrypt --key-id k --plaintext fileb://plain.bin",
    ]) + "\n"
    r = subprocess.run([str(BIN), "check", "-"], input=lines, env=env, capture_output=True, text=True, timeout=60)
    import json
    verdicts = [json.loads(x) for x in r.stdout.splitlines()]
    assert [v["executor"] for v in verdicts] == ["native"] * 4, verdicts
