"""End-to-end tests: the real aws-mcp binary, driven by the real Python MCP
client, running the real `aws` program against a local moto server."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest
from mcp import types
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from conftest import BIN

pytestmark = pytest.mark.anyio


@contextlib.asynccontextmanager
async def connect(env, mode="auto", elicitation_callback=None):
    params = StdioServerParameters(command=str(BIN), args=[], env=env)
    async with Client(params, mode=mode, elicitation_callback=elicitation_callback) as c:
        yield c


async def call(c, command, **kw):
    args = {"cli_command": command, **kw}
    return await c.call_tool("call_aws", args)


def ok(r):
    assert not r.is_error, r.content[0].text
    return r.structured_content["results"]


def response(r, i=0):
    return ok(r)[i]["response"]


async def test_lists_tools_with_schemas_and_annotations(server_env):
    async with connect(server_env) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert set(tools) == {"call_aws", "suggest_aws_commands"}
        call_aws = tools["call_aws"]
        props = call_aws.input_schema["properties"]
        assert set(props) == {"cli_command", "max_results"}
        assert call_aws.input_schema["required"] == ["cli_command"]
        assert call_aws.output_schema is not None
        assert call_aws.annotations.read_only_hint is False
        assert call_aws.annotations.destructive_hint is True
        suggest = tools["suggest_aws_commands"]
        assert suggest.input_schema["required"] == ["query"]
        assert suggest.annotations.read_only_hint is True
        info = c.session.initialize_result or c.session.discover_result
        assert info is not None


async def test_read_only_mode_annotations_and_refusal(server_env):
    env = dict(server_env, READ_OPERATIONS_ONLY="true")
    async with connect(env) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert tools["call_aws"].annotations.read_only_hint is True
        r = await call(c, "aws s3api create-bucket --bucket ro-bucket")
        assert r.is_error
        res = r.structured_content["results"][0]
        assert res["status"] == "denied"
        assert "read-only" in r.content[0].text
        # A read still runs, and the bucket was not created.
        buckets = response(await call(c, "aws s3api list-buckets"))["Buckets"]
        assert buckets == []


@pytest.mark.parametrize("aws_program", ["installed", "absent"])
async def test_s3_buckets_and_cp_inside_workdir(server_env, workdir, aws_program):
    """`s3 mb|cp|ls|sync` through the server; with no `aws` program at all
    (not on PATH, AWS_MCP_AWS_CLI naming nothing) they run natively."""
    (workdir / "hello.txt").write_text("hello from aws-mcp\n")
    (workdir / "tree" / "sub").mkdir(parents=True)
    (workdir / "tree" / "a.txt").write_text("a\n")
    (workdir / "tree" / "sub" / "b.txt").write_text("b\n")
    if aws_program == "absent":
        # PATH without any directory that holds an `aws`; the interpreters a
        # launcher may need (node for the npm package's bin, python) stay
        # reachable through links in a directory of their own.
        keep = tempfile.mkdtemp(prefix="aws-mcp-no-aws-")
        for tool in ("node", "python3"):
            found = shutil.which(tool, path=server_env["PATH"])
            if found:
                os.symlink(found, os.path.join(keep, tool))
        path = os.pathsep.join([keep] + [d for d in server_env["PATH"].split(os.pathsep)
                                         if d and not os.path.exists(os.path.join(d, "aws"))])
        server_env = dict(server_env, AWS_MCP_AWS_CLI="aws", PATH=path)
    async with connect(server_env) as c:
        ok(await call(c, "aws s3api create-bucket --bucket e2e-bucket"))
        ok(await call(c, "aws s3 mb s3://e2e-second"))
        names = [b["Name"] for b in response(await call(c, "aws s3api list-buckets"))["Buckets"]]
        assert sorted(names) == ["e2e-bucket", "e2e-second"]
        ok(await call(c, "aws s3 cp hello.txt s3://e2e-bucket/dir/hello.txt"))
        listing = ok(await call(c, "aws s3 ls s3://e2e-bucket/dir/"))[0]
        assert "hello.txt" in listing["output"]
        ok(await call(c, "aws s3 cp s3://e2e-bucket/dir/hello.txt copy.txt"))
        assert (workdir / "copy.txt").read_text() == "hello from aws-mcp\n"
        synced = ok(await call(c, "aws s3 sync tree s3://e2e-bucket/tree"))[0]
        assert sorted(synced["output"].splitlines()) == [
            "upload: tree/a.txt to s3://e2e-bucket/tree/a.txt",
            "upload: tree/sub/b.txt to s3://e2e-bucket/tree/sub/b.txt",
        ], synced
        ok(await call(c, "aws s3 sync s3://e2e-bucket/tree back"))
        assert (workdir / "back" / "sub" / "b.txt").read_text() == "b\n"


async def test_list_of_commands_runs_in_order(server_env):
    async with connect(server_env) as c:
        r = await call(
            c,
            [
                "aws sqs create-queue --queue-name q1 --region eu-central-2",
                "aws sqs create-queue --queue-name q2 --region eu-central-2",
                "aws sqs list-queues --region eu-central-2",
            ],
        )
        results = ok(r)
        assert [x["status"] for x in results] == ["success"] * 3
        urls = results[2]["response"]["QueueUrls"]
        assert sorted(u.rsplit("/", 1)[1] for u in urls) == ["q1", "q2"]
        # A bad command anywhere in a list runs nothing.
        r = await call(c, ["aws sqs create-queue --queue-name q3 --region eu-central-2", "aws sqs no-such-thing"])
        assert r.is_error
        assert [x["status"] for x in r.structured_content["results"]] == ["not_run", "rejected"]
        urls = response(await call(c, "aws sqs list-queues --region eu-central-2"))["QueueUrls"]
        assert len(urls) == 2


async def test_ec2_iam_dynamodb_sqs_sts(server_env):
    async with connect(server_env) as c:
        assert response(await call(c, "aws ec2 describe-instances"))["Reservations"] == []
        images = response(await call(c, "aws ec2 describe-images --owners amazon", max_results=1))
        image = images["Images"][0]["ImageId"]
        ok(await call(c, f"aws ec2 run-instances --image-id {image} --count 1 --instance-type t2.micro"))
        res = response(await call(c, "aws ec2 describe-instances"))["Reservations"]
        assert len(res) == 1 and res[0]["Instances"][0]["ImageId"] == image

        ok(await call(c, "aws iam create-user --user-name alice"))
        users = response(await call(c, "aws iam list-users"))["Users"]
        assert [u["UserName"] for u in users] == ["alice"]

        ok(
            await call(
                c,
                "aws dynamodb create-table --table-name t1 "
                "--attribute-definitions AttributeName=id,AttributeType=S "
                "--key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST",
            )
        )
        assert response(await call(c, "aws dynamodb list-tables"))["TableNames"] == ["t1"]

        # awscli sends SQS calls in most regions to *.queue.amazonaws.com whatever AWS_ENDPOINT_URL
        # says (its SSL common-name customization), so SQS runs in a region that list lacks.
        ok(await call(c, "aws sqs create-queue --queue-name jobs --region eu-central-2"))
        urls = response(await call(c, "aws sqs list-queues --region eu-central-2"))["QueueUrls"]
        assert urls[0].endswith("/jobs")

        ident = response(await call(c, "aws sts get-caller-identity"))
        assert ident["Account"] == "123456789012"


async def test_output_and_query_are_honoured(server_env):
    async with connect(server_env) as c:
        ok(await call(c, "aws iam create-user --user-name bob"))
        r = ok(await call(c, "aws iam list-users --query Users[].UserName"))[0]
        assert r["response"] == ["bob"]
        r = ok(await call(c, "aws iam list-users --output text --query Users[].UserName"))[0]
        assert r["output"].strip() == "bob"
        assert "response" not in r


async def test_max_results_bounds_a_listing(server_env):
    async with connect(server_env) as c:
        for i in range(5):
            ok(await call(c, f"aws iam create-user --user-name u{i}"))
        r = ok(await call(c, "aws iam list-users", max_results=2))[0]
        assert len(r["response"]["Users"]) == 2
        assert r["max_items"] == 2
        token = r["response"]["NextToken"]
        r = ok(await call(c, f"aws iam list-users --starting-token {token}", max_results=10))[0]
        assert len(r["response"]["Users"]) == 3


async def test_huge_output_is_cut(server_env):
    env = dict(server_env, AWS_MCP_MAX_OUTPUT_BYTES="2048")
    async with connect(env) as c:
        r = ok(await call(c, "aws ec2 describe-instance-types"))[0]
        assert r["truncated"] is True
        assert r["output_bytes"] > 2048
        assert "response" not in r
        assert len(r["output"].encode()) < 2048 + 200
        assert "output cut" in r["output"]


def _silent_server():
    """A TCP server that accepts connections and never answers."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    conns = []

    def accept():
        while True:
            try:
                conns.append(s.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return s, conns


def _aws_processes_for(port, words=b"list-queues"):
    """Processes that run the AWS CLI command `words` against 127.0.0.1:port.

    Found by what they run (the command's own words in their command line)
    and where they connect (the port in their environment), never by the
    name of a directory: the server itself has the port in its environment
    but not the command's words, whatever the clone is called."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if f"127.0.0.1:{port}".encode() in env and words in cmd.split(b"\0"):
            found.append(int(pid))
    return found


async def test_timeout_kills_the_command(server_env):
    sock, conns = _silent_server()
    port = sock.getsockname()[1]
    env = dict(server_env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_MCP_TIMEOUT="2")
    try:
        async with connect(env) as c:
            start = time.monotonic()
            r = await call(c, "aws sqs list-queues --region eu-central-2")
            elapsed = time.monotonic() - start
            assert r.is_error
            res = r.structured_content["results"][0]
            assert res["error_kind"] == "timeout", res
            assert "2 seconds" in r.content[0].text
            assert elapsed < 10
            assert conns, "the aws program had connected to the silent server"
            time.sleep(0.3)
            assert _aws_processes_for(port) == []
    finally:
        sock.close()
        for c in conns:
            c.close()


def _consent_callback(answer):
    seen = []

    async def cb(context, params):
        seen.append(params.message)
        if answer is None:
            return types.ElicitResult(action="decline")
        return types.ElicitResult(action="accept", content={"approve": answer})

    return cb, seen


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_consent_flow(server_env, mode):
    env = dict(server_env, REQUIRE_MUTATION_CONSENT="true")
    # Approved: the command runs.
    cb, seen = _consent_callback(True)
    async with connect(env, mode=mode, elicitation_callback=cb) as c:
        ok(await call(c, "aws s3api create-bucket --bucket consent-yes"))
        assert len(seen) == 1 and "create-bucket" in seen[0]
        # Reads need no consent.
        names = [b["Name"] for b in response(await call(c, "aws s3api list-buckets"))["Buckets"]]
        assert names == ["consent-yes"]
        assert len(seen) == 1
    # Refused (approve false) and declined: nothing runs.
    for answer in (False, None):
        cb, seen = _consent_callback(answer)
        async with connect(env, mode=mode, elicitation_callback=cb) as c:
            r = await call(c, "aws s3api create-bucket --bucket consent-no")
            assert r.is_error
            assert r.structured_content["results"][0]["status"] == "declined"
            assert len(seen) == 1
            names = [b["Name"] for b in response(await call(c, "aws s3api list-buckets"))["Buckets"]]
            assert names == ["consent-yes"]


async def test_consent_refused_without_client_support(server_env):
    env = dict(server_env, REQUIRE_MUTATION_CONSENT="true")
    async with connect(env, mode="legacy") as c:
        r = await call(c, "aws s3api create-bucket --bucket no-elicitation")
        assert r.is_error
        assert "consent" in r.content[0].text
        assert response(await call(c, "aws s3api list-buckets"))["Buckets"] == []


async def test_rejections_are_tool_errors(server_env):
    async with connect(server_env) as c:
        for bad in [
            "aws s3 lss",
            "aws nosuchservice list",
            "aws s3api list-buckets | cat",
            "aws s3api list-buckets; rm -rf /",
            "ls -la",
            "aws s3api create-bucket",
        ]:
            r = await call(c, bad)
            assert r.is_error, bad
            res = r.structured_content["results"][0]
            assert res["status"] == "rejected", (bad, res)
            assert res["error"]


async def test_rejected_command_has_did_you_mean(server_env):
    async with connect(server_env) as c:
        r = await call(c, "aws s3api list-bucket")
        assert r.is_error
        assert "list-buckets" in r.structured_content["results"][0]["suggestions"]
        assert "list-buckets" in r.content[0].text


async def test_aws_error_is_tool_error(server_env):
    async with connect(server_env) as c:
        r = await call(c, "aws s3api head-bucket --bucket does-not-exist")
        assert r.is_error
        res = r.structured_content["results"][0]
        assert res["status"] == "failed" and res["exit_code"] != 0


async def test_suggest(server_env):
    async with connect(server_env) as c:
        r = await c.call_tool("suggest_aws_commands", {"query": "list s3 buckets"})
        assert not r.is_error
        sugg = r.structured_content["suggestions"]
        assert 1 <= len(sugg) <= 3
        for s in sugg:
            assert s["command"].startswith("aws ")
            assert isinstance(s["parameters"], list)
        r = await c.call_tool("suggest_aws_commands", {"query": "create a dynamodb table"})
        top = r.structured_content["suggestions"][0]
        assert top["command"] == "aws dynamodb create-table"
        names = {p["name"] for p in top["parameters"]}
        assert {"--table-name", "--attribute-definitions", "--key-schema"} <= names
        assert any(p["name"] == "--table-name" and p["required"] for p in top["parameters"])
        assert all(p["type"] and "description" in p for p in top["parameters"])
        r = await c.call_tool("suggest_aws_commands", {"query": "   "})
        assert r.is_error


async def test_suggest_default_engine_and_ready_commands(server_env):
    """Every entry point answers with the hybrid engine out of the box, and a ready command
    runs as it is (on moto)."""
    async with connect(server_env) as c:
        r = await c.call_tool(
            "suggest_aws_commands", {"query": "route tables for vpc-0a1b2c3d4e5f67890"}
        )
        assert not r.is_error
        assert r.structured_content["engine"] == "hybrid"
        found = {s["command"]: s for s in r.structured_content["suggestions"]}
        top = found["aws ec2 describe-route-tables"]
        assert top["ready_command"] == (
            "aws ec2 describe-route-tables --filters Name=vpc-id,Values=vpc-0a1b2c3d4e5f67890"
        )
        assert top["missing_parameters"] == []
        ran = await call(c, top["ready_command"])
        assert not ran.is_error, ran.content[0].text
        # a required option the request does not give is a quoted placeholder, and listed
        r = await c.call_tool("suggest_aws_commands", {"query": "create a dynamodb table"})
        top = r.structured_content["suggestions"][0]
        assert "--table-name '<table-name>'" in top["ready_command"]
        assert "--table-name" in top["missing_parameters"]


async def test_suggest_falls_back_to_lexical_without_the_model(server_env):
    env = dict(server_env, AWS_MCP_MODEL_DIR="/nonexistent/model-dir")
    async with connect(env) as c:
        r = await c.call_tool("suggest_aws_commands", {"query": "list s3 buckets"})
        assert not r.is_error
        assert r.structured_content["engine"] == "lexical"
        assert r.structured_content["suggestions"]


def test_exits_when_stdin_closes_and_stdout_is_protocol_only(server_env):
    proc = subprocess.Popen(
        [str(BIN)],
        env=server_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    }
    msgs = [init, {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]
    out, err = proc.communicate(
        "".join(json.dumps(m) + "\n" for m in msgs).encode(), timeout=10
    )
    assert proc.returncode == 0, err
    lines = [json.loads(l) for l in out.decode().splitlines()]
    assert [m.get("id") for m in lines] == [1, 2]
    assert lines[0]["result"]["serverInfo"]["name"] == "aws-mcp-stdio"
    assert lines[0]["result"]["instructions"]


def test_bad_configuration_names_the_variable(server_env):
    for var, value in [("AWS_REGION", ""), ("AWS_REGION", "moon-base"),
                       ("READ_OPERATIONS_ONLY", "perhaps"),
                       ("AWS_API_MCP_WORKING_DIR", "relative")]:
        env = dict(server_env)
        env[var] = value
        proc = subprocess.run([str(BIN)], env=env, input=b"", capture_output=True, timeout=10)
        assert proc.returncode != 0, (var, value)
        assert var in proc.stderr.decode(), proc.stderr
        assert proc.stdout == b""


async def test_client_cancellation_kills_the_command(server_env):
    import anyio

    sock, conns = _silent_server()
    port = sock.getsockname()[1]
    env = dict(server_env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_MCP_TIMEOUT="60",
               AWS_MCP_EXECUTOR="subprocess")
    try:
        async with connect(env) as c:
            seen = []

            async def watch():
                while not seen:
                    seen.extend(_aws_processes_for(port))
                    await anyio.sleep(0.05)

            with anyio.move_on_after(4):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(watch)
                    await call(c, "aws sqs list-queues --region eu-central-2")
            assert seen, "the aws process was running before the cancellation"
            # The aws process was started, then killed on cancellation.
            deadline = time.monotonic() + 5
            while _aws_processes_for(port) and time.monotonic() < deadline:
                await anyio.sleep(0.1)
            assert _aws_processes_for(port) == []
            assert conns, "the aws program had connected before the cancellation"
            # The server still answers.
            tools = await c.list_tools()
            assert len(tools.tools) == 2
    finally:
        sock.close()
        for c in conns:
            c.close()


async def test_native_cancellation_drops_the_request(server_env):
    """The native executor: cancelling the call closes its connection to
    AWS (the request future is dropped) and the server keeps answering."""
    import anyio

    sock, conns = _silent_server()
    port = sock.getsockname()[1]
    env = dict(server_env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_MCP_TIMEOUT="60",
               AWS_MCP_EXECUTOR="native")
    try:
        async with connect(env) as c:
            with anyio.move_on_after(3):
                await call(c, "aws sqs list-queues --region eu-central-2")
            assert conns, "the native executor had connected before the cancellation"
            deadline = time.monotonic() + 5
            closed, got = False, []
            conns[0].setblocking(False)
            while time.monotonic() < deadline and not closed:
                try:
                    data = conns[0].recv(65536)
                    got.append(data)
                    closed = data == b""
                except BlockingIOError:
                    await anyio.sleep(0.1)
            assert closed, f"the connection was closed after the cancellation ({len(conns)} connections, got {got!r})"
            tools = await c.list_tools()
            assert len(tools.tools) == 2
    finally:
        sock.close()
        for c in conns:
            c.close()


async def test_list_limits(server_env):
    async with connect(server_env) as c:
        r = await call(c, ["aws sts get-caller-identity"] * 21)
        assert r.is_error and "between 1 and 20" in r.content[0].text
        r = await call(c, [])
        assert r.is_error
        r = await call(c, "aws iam list-users", max_results=0)
        assert r.is_error
