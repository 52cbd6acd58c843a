"""Differential tests of the native `aws s3` commands against the real AWS CLI.

Every case runs twice on moto: once with the `aws` program (AWS CLI v1 from
.venv, and AWS CLI v2: Debian's 2.9.19, `AWS_MCP_AWS_CLI_V2`), once with
`aws-mcp run --executor native` in that dialect. Each run starts from the
same state (moto reset, the same buckets and objects, the same local files
in a fresh working directory); afterwards the printed output (standard
output and standard error, byte for byte; lines sorted when several files
are transferred, whose order is the completion order in both), the exit
status, every object left in S3 (size, ETag, content type, metadata, storage
class, encryption, ACL grants, tags, website configuration) and every local
file (content, and the modification time of downloads) must be equal.

The CLI runs with `--no-progress` (its progress lines are a terminal
animation that includes a transfer speed; the native executor never prints
them): `test_progress_lines_are_the_only_difference` shows that, without it,
what remains after removing them is the same.

`ls` cases run both programs on one shared state (so that dates are
comparable) in a time zone far from UTC. `presign` is checked against
botocore's own presigner at the native URL's timestamp. A 20 MB object is
uploaded, downloaded and copied to exercise multipart transfers.
"""

import hashlib
import os
import re
import shlex
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import AWS, BIN

AWS_V2 = Path(os.environ.get("AWS_MCP_AWS_CLI_V2", "/usr/bin/aws"))
TZ = "Asia/Kolkata"  # +05:30: dates in ls must be converted, not printed as UTC
OLD = 1577836800  # 2020-01-01: local files older than anything in moto
FUTURE = 2051222400  # 2035-01-01: newer than anything in moto
MB = 1024 * 1024


def program(dialect):
    if dialect == 1:
        return AWS
    if not AWS_V2.exists():
        pytest.fail(f"AWS CLI v2 not found at {AWS_V2}: apt-get install -y awscli, or set AWS_MCP_AWS_CLI_V2")
    return AWS_V2


def s3_client(moto):
    import botocore.session

    s = botocore.session.get_session()
    return s.create_client("s3", region_name="us-east-1", endpoint_url=moto,
                           aws_access_key_id="testing", aws_secret_access_key="testing")


def reset(moto):
    req = urllib.request.Request(moto + "/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=10)


# Setup: buckets, objects (bucket, key, body, extra PutObject arguments),
# local files (path: text or bytes, or (content, mtime)).
BASE_OBJECTS = [
    ("bkt", "k/x.txt", b"x object\n", {}),
    ("bkt", "k/y.json", b'{"y": 1}\n', {"ContentType": "application/json", "Metadata": {"m": "1"}}),
    ("bkt", "k/sub/z.txt", b"zzz\n", {}),
    ("bkt", "dir/", b"", {}),
    ("bkt", "top.txt", b"top\n", {}),
    ("bkt", "sp ace+plus.txt", b"odd name\n", {}),
]
BASE_FILES = {
    "a.txt": "hello\n",
    "page.html": "<p>hi</p>\n",
    "data.json": '{"a": 1}\n',
    "archive.tar.gz": b"\x1f\x8b not really gzip",
    "noext": "plain\n",
    "d/x.txt": "x local\n",
    "d/y.json": '{"y": 2}\n',
    "d/sub/z.txt": "z local\n",
    "d/sub/deep/w.tmp": "tmp\n",
}


class Case:
    def __init__(self, cmd, buckets=("bkt", "bkt2"), objects=BASE_OBJECTS, files=None,
                 sort=True, dialects=(1, 2)):
        self.cmd = cmd
        self.buckets = buckets
        self.objects = objects
        self.files = dict(BASE_FILES if files is None else files)
        self.sort = sort
        self.dialects = dialects


SYNC_FILES = dict(BASE_FILES, **{
    # Same size as the object, older: skipped by the default strategy.
    "d/x.txt": ("x object\n", OLD),
    # Same size, newer: uploaded by the default strategy, skipped by --size-only.
    "d/y.json": ('{"y": 2}\n', FUTURE),
    # Another size: transferred by every strategy.
    "d/sub/z.txt": ("z local, longer\n", OLD),
})
SYNC_OBJECTS = [
    ("bkt", "p/x.txt", b"x object\n", {}),
    ("bkt", "p/y.json", b'{"y": 1}\n', {}),
    ("bkt", "p/sub/z.txt", b"zzz\n", {}),
    ("bkt", "p/gone.txt", b"only remote\n", {}),
    ("bkt", "p/keep.tmp", b"excluded remote\n", {}),
]
DOWN_FILES = dict(BASE_FILES, **{
    "out/x.txt": ("x object\n", OLD),
    "out/y.json": ('{"y": 1}\n', FUTURE),
    "out/sub/z.txt": ("z\n", OLD),
    "out/extra.txt": ("only local\n", OLD),
})

CASES = {
    # streams (`-`): no standard input here, an object to standard output
    "stream upload from empty stdin": Case("s3 cp - s3://bkt/stream.txt"),
    "stream upload with properties": Case("s3 cp - s3://bkt/stream.txt --content-type text/plain --metadata a=b"),
    "stream download": Case("s3 cp s3://bkt/k/y.json -"),
    "stream download missing key": Case("s3 cp s3://bkt/nope -"),
    "stream upload to a missing bucket": Case("s3 cp - s3://nobucket/k"),
    # uploads
    "upload to a key": Case("s3 cp a.txt s3://bkt/a.txt"),
    "upload keeps the name": Case("s3 cp a.txt s3://bkt/"),
    "upload into a prefix": Case("s3 cp a.txt s3://bkt/dir/"),
    "upload guesses html": Case("s3 cp page.html s3://bkt/"),
    "upload guesses json": Case("s3 cp data.json s3://bkt/"),
    "upload guesses tar.gz": Case("s3 cp archive.tar.gz s3://bkt/"),
    "upload without extension": Case("s3 cp noext s3://bkt/"),
    "upload no guess": Case("s3 cp page.html s3://bkt/ --no-guess-mime-type"),
    "upload with properties": Case(
        "s3 cp a.txt s3://bkt/a.txt --acl public-read --storage-class STANDARD_IA "
        "--metadata k=v,k2=v2 --cache-control max-age=60 --content-type text/x-custom "
        "--content-disposition attachment --content-language fr --website-redirect /x"),
    "upload sse": Case("s3 cp a.txt s3://bkt/a.txt --sse AES256"),
    "upload sse-c": Case("s3 cp a.txt s3://bkt/a.txt --sse-c AES256 --sse-c-key 01234567890123456789012345678901"),
    "upload sse-c without key": Case("s3 cp a.txt s3://bkt/a.txt --sse-c AES256"),
    "upload grants": Case("s3 cp a.txt s3://bkt/a.txt --grants read=uri=http://acs.amazonaws.com/groups/global/AllUsers"),
    "upload bad grants": Case("s3 cp a.txt s3://bkt/a.txt --grants bogus"),
    "upload recursive": Case("s3 cp d s3://bkt/p --recursive"),
    "upload recursive include": Case("s3 cp d s3://bkt/p --recursive --exclude * --include *.txt"),
    "upload recursive exclude dir": Case("s3 cp d s3://bkt/p --recursive --exclude sub/*"),
    "upload recursive last rule wins": Case("s3 cp d s3://bkt/p --recursive --include *.txt --exclude *"),
    "upload recursive dryrun": Case("s3 cp d s3://bkt/p --recursive --dryrun"),
    "upload recursive quiet": Case("s3 cp d s3://bkt/p --recursive --quiet"),
    "upload only errors": Case("s3 cp d s3://nope-bucket/p --recursive --only-show-errors"),
    "upload to a missing bucket": Case("s3 cp a.txt s3://nope-bucket/a.txt"),
    "upload a missing file": Case("s3 cp nofile s3://bkt/"),
    "upload dir without recursive": Case("s3 cp d/ s3://bkt/"),
    "move a file up": Case("s3 mv a.txt s3://bkt/a.txt"),
    "move a tree up": Case("s3 mv d s3://bkt/p --recursive --exclude *.tmp"),
    # downloads
    "download to a name": Case("s3 cp s3://bkt/k/x.txt out.txt"),
    "download into cwd": Case("s3 cp s3://bkt/k/x.txt ."),
    "download into a new dir": Case("s3 cp s3://bkt/k/x.txt newdir/"),
    "download an odd key": Case("s3 cp 's3://bkt/sp ace+plus.txt' ."),
    "download recursive": Case("s3 cp s3://bkt/k out --recursive"),
    "download whole bucket": Case("s3 cp s3://bkt/ out --recursive"),
    "download recursive include": Case("s3 cp s3://bkt/k out --recursive --exclude * --include *.json"),
    "download missing key": Case("s3 cp s3://bkt/k/nope.txt out.txt"),
    "download from missing bucket": Case("s3 cp s3://nope-bucket/k out --recursive"),
    "download dryrun": Case("s3 cp s3://bkt/k out --recursive --dryrun"),
    "move down": Case("s3 mv s3://bkt/k/x.txt moved.txt"),
    "download glacier": Case("s3 cp s3://bkt/cold.txt .", objects=BASE_OBJECTS + [
        ("bkt", "cold.txt", b"cold\n", {"StorageClass": "GLACIER"})]),
    "download glacier ignored": Case("s3 cp s3://bkt/ out --recursive --ignore-glacier-warnings", objects=BASE_OBJECTS + [
        ("bkt", "cold.txt", b"cold\n", {"StorageClass": "GLACIER"})]),
    "download glacier forced": Case("s3 cp s3://bkt/cold.txt . --force-glacier-transfer", objects=BASE_OBJECTS + [
        ("bkt", "cold.txt", b"cold\n", {"StorageClass": "GLACIER"})]),
    "download parent reference": Case("s3 cp s3://bkt/ out --recursive", objects=[
        ("bkt", "../escape.txt", b"no\n", {}), ("bkt", "ok.txt", b"ok\n", {})]),
    # copies
    "copy an object": Case("s3 cp s3://bkt/k/x.txt s3://bkt2/y.txt"),
    "copy keeps metadata": Case("s3 cp s3://bkt/k/y.json s3://bkt2/"),
    "copy replaces metadata": Case("s3 cp s3://bkt/k/y.json s3://bkt2/ --metadata-directive REPLACE --content-type text/y"),
    "copy with metadata": Case("s3 cp s3://bkt/k/y.json s3://bkt2/ --metadata a=b"),
    "copy recursive": Case("s3 cp s3://bkt/k s3://bkt2/k2 --recursive"),
    "copy odd key": Case("s3 cp 's3://bkt/sp ace+plus.txt' s3://bkt2/"),
    "move an object": Case("s3 mv s3://bkt/k/x.txt s3://bkt/k/moved.txt"),
    "move onto itself": Case("s3 mv s3://bkt/k/x.txt s3://bkt/k/x.txt"),
    "move onto itself by prefix": Case("s3 mv s3://bkt/k/x.txt s3://bkt/k/"),
    "move recursive": Case("s3 mv s3://bkt/k s3://bkt2/k --recursive"),
    "copy local to local": Case("s3 cp a.txt b.txt"),
    # deletes
    "rm one": Case("s3 rm s3://bkt/k/x.txt"),
    "rm missing key": Case("s3 rm s3://bkt/k/nope.txt"),
    "rm recursive": Case("s3 rm s3://bkt/k --recursive"),
    "rm whole bucket with folder key": Case("s3 rm s3://bkt/ --recursive --exclude k/*"),
    "rm dryrun": Case("s3 rm s3://bkt/ --recursive --dryrun"),
    "rm local path": Case("s3 rm a.txt"),
    # sync
    "sync up fresh": Case("s3 sync d s3://bkt/p", objects=[]),
    "sync up compares": Case("s3 sync d s3://bkt/p", objects=SYNC_OBJECTS, files=SYNC_FILES),
    "sync up delete": Case("s3 sync d s3://bkt/p --delete", objects=SYNC_OBJECTS, files=SYNC_FILES),
    "sync up delete excluded": Case("s3 sync d s3://bkt/p --delete --exclude *.tmp", objects=SYNC_OBJECTS, files=SYNC_FILES),
    "sync up size only": Case("s3 sync d s3://bkt/p --size-only", objects=SYNC_OBJECTS, files=SYNC_FILES),
    "sync up dryrun": Case("s3 sync d s3://bkt/p --dryrun --delete", objects=SYNC_OBJECTS, files=SYNC_FILES),
    "sync down": Case("s3 sync s3://bkt/p out", objects=SYNC_OBJECTS, files=DOWN_FILES),
    "sync down exact timestamps": Case("s3 sync s3://bkt/p out --exact-timestamps", objects=SYNC_OBJECTS, files=DOWN_FILES),
    "sync down delete": Case("s3 sync s3://bkt/p out --delete", objects=SYNC_OBJECTS, files=DOWN_FILES),
    "sync down into new dir": Case("s3 sync s3://bkt/p fresh/dir", objects=SYNC_OBJECTS),
    "sync s3 to s3": Case("s3 sync s3://bkt/p s3://bkt2/q", objects=SYNC_OBJECTS),
    "sync s3 to s3 delete": Case("s3 sync s3://bkt/p s3://bkt/q --delete", objects=SYNC_OBJECTS + [
        ("bkt", "q/old.txt", b"old\n", {})]),
    "sync from missing bucket": Case("s3 sync s3://nope-bucket/ out"),
    # buckets
    "mb": Case("s3 mb s3://made-here", buckets=(), objects=[]),
    "mb existing": Case("s3 mb s3://bkt"),
    "mb elsewhere": Case("s3 mb s3://made-eu --region eu-west-1", buckets=(), objects=[]),
    "mb tags": Case("s3 mb s3://made-tags --tags team a --tags env b", buckets=(), objects=[], dialects=(1,)),
    "mb without scheme": Case("s3 mb made-here", buckets=(), objects=[]),
    "rb empty": Case("s3 rb s3://bkt2"),
    "rb not empty": Case("s3 rb s3://bkt"),
    "rb force": Case("s3 rb s3://bkt --force"),
    "rb with a key": Case("s3 rb s3://bkt/k"),
    "website": Case("s3 website s3://bkt --index-document index.html --error-document err.html"),
    "website index only": Case("s3 website s3://bkt/ --index-document index.html"),
    "website missing bucket": Case("s3 website s3://nope-bucket --index-document i.html"),
}

LS_CASES = [
    "s3 ls",
    "s3 ls s3://bkt",
    "s3 ls s3://bkt/",
    "s3 ls s3://bkt/k/",
    "s3 ls s3://bkt/k",
    "s3 ls s3://bkt/k/x",
    "s3 ls s3://bkt/k/x.txt",
    "s3 ls s3://bkt --recursive",
    "s3 ls s3://bkt --recursive --human-readable --summarize",
    "s3 ls s3://bkt/k/ --summarize",
    "s3 ls s3://bkt --recursive --page-size 2",
    "s3 ls s3://bkt/nothing/",
    "s3 ls s3://nope-bucket",
    "s3 ls s3://bkt2",
    "s3 ls s3://big --human-readable --summarize",
]


def make_local(work, files):
    for rel, v in files.items():
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        content, mtime = v if isinstance(v, tuple) else (v, None)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
        if mtime is not None:
            os.utime(p, (mtime, mtime))


def prepare(moto, case, work):
    reset(moto)
    c = s3_client(moto)
    for b in case.buckets:
        c.create_bucket(Bucket=b)
    for b, k, body, extra in case.objects:
        c.put_object(Bucket=b, Key=k, Body=body, **extra)
    work.mkdir(parents=True, exist_ok=True)
    make_local(work, case.files)
    return c


def s3_state(c):
    from botocore.exceptions import ClientError

    fields = ["ContentLength", "ETag", "ContentType", "Metadata", "StorageClass",
              "ServerSideEncryption", "CacheControl", "ContentDisposition", "ContentEncoding",
              "ContentLanguage", "WebsiteRedirectLocation", "SSECustomerAlgorithm"]
    state = {}
    for b in sorted(x["Name"] for x in c.list_buckets()["Buckets"]):
        objects = {}
        for page in c.get_paginator("list_objects_v2").paginate(Bucket=b):
            for o in page.get("Contents", []):
                k = o["Key"]
                h = c.head_object(Bucket=b, Key=k)
                info = {f: h.get(f) for f in fields}
                try:
                    body = c.get_object(Bucket=b, Key=k)["Body"].read()
                    info["sha256"] = hashlib.sha256(body).hexdigest()
                except ClientError as e:  # GLACIER objects cannot be read
                    info["sha256"] = e.response["Error"]["Code"]
                for name, call in [
                    ("grants", lambda: sorted(str(g) for g in c.get_object_acl(Bucket=b, Key=k)["Grants"])),
                    ("tags", lambda: c.get_object_tagging(Bucket=b, Key=k)["TagSet"]),
                ]:
                    try:
                        info[name] = call()
                    except ClientError as e:
                        info[name] = e.response["Error"]["Code"]
                objects[k] = info
        entry = {"objects": objects,
                 "location": c.get_bucket_location(Bucket=b).get("LocationConstraint")}
        try:
            w = c.get_bucket_website(Bucket=b)
            w.pop("ResponseMetadata", None)
            entry["website"] = w
        except ClientError as e:
            entry["website"] = e.response["Error"]["Code"]
        try:
            entry["tags"] = c.get_bucket_tagging(Bucket=b)["TagSet"]
        except ClientError as e:
            entry["tags"] = e.response["Error"]["Code"]
        state[b] = entry
    return state


def local_state(work):
    out = {}
    for root, dirs, files in os.walk(work):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), work) + "/"] = "dir"
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, work)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def env_for(moto, work, home, dialect):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TZ": TZ,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_API_MCP_WORKING_DIR": str(work),
        "AWS_MCP_ALLOW_ENDPOINT_URLS": "true",
        "AWS_MCP_CLI_VERSION": str(dialect),
        "AWS_MCP_AWS_CLI": "/nonexistent/aws",  # the native run must not need it
    }
    if dialect == 1 and os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return env


def run_cli(dialect, cmd, moto, work, home, progress=False):
    argv = [str(program(dialect))] + shlex.split(cmd) + ["--endpoint-url", moto]
    if not progress and shlex.split(cmd)[1] in ("cp", "mv", "sync"):
        argv.append("--no-progress")
    # No standard input, as the server's subprocess executor gives the CLI.
    r = subprocess.run(argv, env=env_for(moto, work, home, dialect), cwd=work,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    # Bytes decoded as they are: no newline translation (`\r` matters).
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def run_native(dialect, cmd, moto, work, home):
    line = f"aws {cmd} --endpoint-url {moto}"
    r = subprocess.run([str(BIN), "run", "--executor", "native", "--yes", line],
                       env=env_for(moto, work, home, dialect), cwd=home,
                       capture_output=True, timeout=300)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def normalise(text, sort):
    lines = text.split("\n")
    return sorted(lines) if sort else lines


def run_side(side, dialect, case, moto, tmp_path):
    work = tmp_path / f"{side}-work"
    home = tmp_path / f"{side}-home"
    home.mkdir()
    c = prepare(moto, case, work)
    run = run_cli if side == "cli" else run_native
    rc, out, err = run(dialect, case.cmd, moto, work, home)
    return {"rc": rc, "out": normalise(out, case.sort), "err": normalise(err, case.sort),
            "s3": s3_state(c), "local": local_state(work)}


# AWS CLI v1 runs every case. v2 prints the same transfer lines; it runs the
# cases where the dialects differ (exit statuses of parameter and service
# errors, messages, --copy-props) and one of each command, which keeps the
# suite's time in check (each v2 start costs about a second).
V2_CASES = {
    "upload to a key", "upload with properties", "upload sse-c without key", "upload bad grants",
    "upload recursive include", "upload to a missing bucket", "upload a missing file",
    "move a file up", "download recursive", "download missing key", "download glacier",
    "copy keeps metadata", "copy replaces metadata", "copy with metadata", "copy recursive",
    "move onto itself", "move onto itself by prefix", "copy local to local", "rm recursive",
    "rm local path", "sync up delete", "sync down delete", "sync s3 to s3", "sync from missing bucket",
    "mb", "mb existing", "mb without scheme", "rb not empty", "rb force", "rb with a key",
    "website", "website missing bucket", "stream upload from empty stdin", "stream download",
}
for _name, _case in CASES.items():
    if _name not in V2_CASES:
        _case.dialects = tuple(d for d in _case.dialects if d == 1)
assert V2_CASES <= set(CASES), V2_CASES - set(CASES)

PARAMS = [(d, name) for name, case in CASES.items() for d in case.dialects]


@pytest.mark.parametrize("dialect,name", PARAMS, ids=[f"v{d}-{n}" for d, n in PARAMS])
def test_native_s3_equals_cli(moto_url, tmp_path, dialect, name):
    case = CASES[name]
    cli = run_side("cli", dialect, case, moto_url, tmp_path)
    nat = run_side("native", dialect, case, moto_url, tmp_path)
    assert "not supported by the native executor" not in "".join(nat["err"]), nat["err"]
    assert nat["rc"] == cli["rc"], f"exit {nat['rc']} != {cli['rc']}\nnative: {nat}\ncli: {cli}"
    assert nat["out"] == cli["out"]
    assert nat["err"] == cli["err"]
    assert nat["s3"] == cli["s3"]
    assert nat["local"] == cli["local"]


def test_breadth():
    """Every native s3 command, and the options the issue names, are covered."""
    cmds = " ".join(c.cmd for c in CASES.values()) + " " + " ".join(LS_CASES)
    for word in ["s3 ls", "s3 cp", "s3 mv", "s3 rm", "s3 sync", "s3 mb", "s3 rb", "s3 website",
                 "--recursive", "--include", "--exclude", "--dryrun", "--delete", "--size-only",
                 "--exact-timestamps", "--sse ", "--sse-c ", "--storage-class", "--acl",
                 "--metadata-directive", "--human-readable", "--summarize", "--quiet",
                 "--only-show-errors", "--grants", "--force", "--page-size"]:
        assert word in cmds, word
    assert len(CASES) >= 80 and len(PARAMS) >= 110, (len(CASES), len(PARAMS))


@pytest.fixture(scope="module")
def ls_state(moto_url):
    case = Case("", buckets=("bkt", "bkt2", "big"))
    reset(moto_url)
    c = s3_client(moto_url)
    for b in case.buckets:
        c.create_bucket(Bucket=b)
    for b, k, body, extra in BASE_OBJECTS:
        c.put_object(Bucket=b, Key=k, Body=body, **extra)
    for i, size in enumerate([0, 1, 1023, 1024, 1536, MB - 1, 3 * MB + 5]):
        c.put_object(Bucket="big", Key=f"s{i}", Body=b"\0" * size)
    return moto_url


LS_PARAMS = [(1, c) for c in LS_CASES] + [
    (2, c) for c in ["s3 ls", "s3 ls s3://bkt/k", "s3 ls s3://bkt --recursive --human-readable --summarize",
                     "s3 ls s3://bkt/nothing/", "s3 ls s3://nope-bucket"]]


@pytest.mark.parametrize("dialect,cmd", LS_PARAMS, ids=[f"v{d}-{c}" for d, c in LS_PARAMS])
def test_ls_equals_cli(ls_state, tmp_path, dialect, cmd):
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    cli = run_cli(dialect, cmd, ls_state, work, home)
    nat = run_native(dialect, cmd, ls_state, work, home)
    assert nat == cli


@pytest.mark.parametrize("dialect", [1, 2])
def test_progress_lines_are_the_only_difference(moto_url, tmp_path, dialect):
    """Without --no-progress the CLI also prints `Completed ...\\r` lines and
    pads the next line over them; removing those leaves the native output."""
    case = Case("s3 cp d s3://bkt/p --recursive")
    work, home = tmp_path / "w", tmp_path / "h"
    home.mkdir()
    prepare(moto_url, case, work)
    rc, out, err = run_cli(dialect, case.cmd, moto_url, work, home, progress=True)
    assert rc == 0 and "Completed " in out, out
    cleaned = re.sub(r"Completed [^\r\n]*\r", "", out)
    cleaned = "".join(line.rstrip(" ") + "\n" for line in cleaned.split("\n") if line.strip())
    work2, home2 = tmp_path / "w2", tmp_path / "h2"
    home2.mkdir()
    prepare(moto_url, case, work2)
    nrc, nout, _ = run_native(dialect, case.cmd, moto_url, work2, home2)
    assert nrc == rc
    assert "\r" not in nout
    assert sorted(nout.split("\n")) == sorted(cleaned.split("\n"))


@pytest.mark.parametrize("dialect", [1, 2])
def test_multipart_20mb_upload_download_copy(moto_url, tmp_path, dialect):
    """A 20 MB file: multipart upload (3 parts of 8 MiB, the same ETag),
    ranged download (the same bytes, the object's time as mtime), multipart
    copy (v1 drops the metadata, v2 carries it over)."""
    blob = hashlib.sha256(b"seed").digest() * (20 * MB // 32)
    files = {"big.bin": blob}
    steps = [
        "s3 cp big.bin s3://bkt/big.bin --metadata origin=test --content-type application/x-big",
        "s3 cp s3://bkt/big.bin down/big.bin",
        "s3 cp s3://bkt/big.bin s3://bkt2/copied.bin",
        "s3 sync s3://bkt/ synced",
    ]
    results = {}
    for side in ("cli", "native"):
        work, home = tmp_path / f"{side}-w", tmp_path / f"{side}-h"
        home.mkdir()
        c = prepare(moto_url, Case("", objects=[], files=files), work)
        outs = []
        for cmd in steps:
            run = run_cli if side == "cli" else run_native
            outs.append(run(dialect, cmd, moto_url, work, home))
        state = s3_state(c)
        head = c.head_object(Bucket="bkt", Key="big.bin")
        mtime = os.stat(work / "down" / "big.bin").st_mtime
        assert int(mtime) == int(head["LastModified"].timestamp()), side
        results[side] = (outs, state, local_state(work))
    cli, nat = results["cli"], results["native"]
    assert [o[0] for o in nat[0]] == [0, 0, 0, 0], nat[0]
    assert nat[0] == cli[0]
    assert nat[1] == cli[1]
    assert nat[2] == cli[2]
    etag = nat[1]["bkt"]["objects"]["big.bin"]["ETag"]
    assert etag.endswith('-3"'), etag
    copied = nat[1]["bkt2"]["objects"]["copied.bin"]
    if dialect == 1:
        assert copied["Metadata"] == {}, copied
    else:
        assert copied["Metadata"] == {"origin": "test"}, copied
    assert nat[2]["down/big.bin"] == hashlib.sha256(blob).hexdigest()


@pytest.mark.parametrize("dialect", [1, 2])
def test_presign_is_botocores_url(moto_url, tmp_path, dialect):
    """The native URL is byte for byte what botocore presigns at the same
    instant: SigV2 for AWS CLI v1 (its default), SigV4 for v2."""
    import datetime
    from unittest import mock

    import botocore.auth
    import botocore.session
    from botocore.config import Config

    work, home = tmp_path / "w", tmp_path / "h"
    work.mkdir()
    home.mkdir()
    cmd = "s3 presign 's3://bkt/dir/a b+c.txt' --expires-in 600"
    rc, out, err = run_native(dialect, cmd, moto_url, work, home)
    assert rc == 0, err
    url = out.strip()
    s = botocore.session.get_session()
    cfg = Config(signature_version="s3v4") if dialect == 2 else None
    client = s.create_client("s3", region_name="us-east-1", endpoint_url=moto_url,
                             aws_access_key_id="testing", aws_secret_access_key="testing",
                             config=cfg)
    if dialect == 1:
        expires = int(re.search(r"Expires=(\d+)", url).group(1))
        with mock.patch.object(botocore.auth.time, "time", return_value=expires - 600):
            want = client.generate_presigned_url(
                "get_object", {"Bucket": "bkt", "Key": "dir/a b+c.txt"}, ExpiresIn=600)
    else:
        stamp = re.search(r"X-Amz-Date=(\d{8}T\d{6}Z)", url).group(1)
        when = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
        with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when):
            want = client.generate_presigned_url(
                "get_object", {"Bucket": "bkt", "Key": "dir/a b+c.txt"}, ExpiresIn=600)
    assert url == want
    # And the CLI prints the same shape of URL.
    crc, cout, cerr = run_cli(dialect, cmd, moto_url, work, home)
    assert crc == 0, cerr
    strip = lambda u: re.sub(r"(Signature|Expires|X-Amz-Date|X-Amz-Credential|X-Amz-Signature)=[^&]*", r"\1=", u)
    assert strip(cout.strip()) == strip(url)


def test_killed_download_leaves_no_partial_file(tmp_path):
    """A download stopped half way (the command's timeout) leaves neither the
    final name nor its temporary file. The endpoint is a local stand-in for
    S3 that answers HeadObject at once and then sends the object's bytes a
    little at a time, so the 1 second limit always falls mid-download."""
    import http.server
    import threading

    size = 4 * MB
    started_body = threading.Event()

    class Trickle(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def headers_for(self):
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.send_header("Content-Type", "binary/octet-stream")
            self.send_header("ETag", '"0123456789abcdef0123456789abcdef"')
            self.send_header("Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT")
            self.end_headers()

        def do_HEAD(self):
            self.headers_for()

        def do_GET(self):
            self.headers_for()
            started_body.set()
            try:
                for _ in range(size // 1024):
                    self.wfile.write(b"\1" * 1024)
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        work, home = tmp_path / "w", tmp_path / "h"
        work.mkdir()
        home.mkdir()
        env = env_for(url, work, home, 1)
        env["AWS_MCP_TIMEOUT"] = "1"
        started = time.time()
        r = subprocess.run([str(BIN), "run", "--executor", "native", "--yes",
                            f"aws s3 cp s3://bkt/huge.bin out.bin --endpoint-url {url}"],
                           env=env, capture_output=True, text=True, timeout=120)
        assert started_body.is_set(), "the download never started"
        assert r.returncode != 0, r.stdout
        assert "longer than 1 seconds" in r.stderr + r.stdout, r.stderr
        assert time.time() - started < 30
        assert sorted(os.listdir(work)) == [], os.listdir(work)
    finally:
        server.shutdown()


def test_native_runs_without_any_aws_program(moto_url, tmp_path):
    """With no `aws` on PATH (and AWS_MCP_AWS_CLI pointing nowhere), `auto`
    runs the s3 commands natively, in the v2 dialect."""
    case = Case("", objects=BASE_OBJECTS)
    work, home = tmp_path / "w", tmp_path / "h"
    home.mkdir()
    prepare(moto_url, case, work)
    env = env_for(moto_url, work, home, 2)
    env.pop("AWS_MCP_CLI_VERSION")
    env["PATH"] = "/nonexistent"
    for cmd in ["s3 ls s3://bkt", "s3 cp a.txt s3://bkt/a.txt", "s3 cp s3://bkt/k/x.txt x.txt",
                "s3 sync d s3://bkt/synced"]:
        r = subprocess.run([str(BIN), "run", "--yes", f"aws {cmd} --endpoint-url {moto_url}"],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, (cmd, r.stderr)
    check = subprocess.run([str(BIN), "check", "aws s3 sync d s3://bkt/p"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert '"executor":"native"' in check.stdout.replace(" ", ""), check.stdout
