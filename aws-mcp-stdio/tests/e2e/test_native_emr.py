"""Differential tests of the native `emr create-cluster`, `add-steps` and
`describe-cluster` (aws_mcp_native::custom::emr) against the real AWS CLI.

Each create-cluster variant runs once with the `aws` program and once with
`aws-mcp run --executor native`, against the same moto server; the two
clusters are then described with the `aws` program (`emr describe-cluster`),
and must be equal once their ids are masked: the native translation sent
the same RunJobFlow request. Steps added by either executor must be listed
equal the same way, and `describe-cluster` run natively must print what the
AWS CLI prints.

The same for the arguments given as file:// (read through the policy-judged
local files, typed with the argument's schema), --emrfs, list-clusters'
state filters, add-tags --tags, modify-cluster-attributes (output compared
to the byte, and the state left behind), a few of them against AWS CLI v2
too, and create-default-roles against a moto of its own that knows AWS's
managed policies (printed roles and the config file it writes).
"""

import json
import os
import re
import shlex
import subprocess
import urllib.request

import pytest

from conftest import AWS, BIN
from test_native_diff import error_code, mask, run_cli, run_native

CREATE = [
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --instance-type m5.xlarge "
    "--instance-count 3 --service-role EMR_DefaultRole --ec2-attributes InstanceProfile=EMR_EC2_DefaultRole",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --use-default-roles "
    "--instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge "
    "InstanceGroupType=CORE,InstanceCount=2,InstanceType=m5.xlarge "
    "--applications Name=Spark Name=Hive --tags team=data env=test --log-uri s3://logs/emr/",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --use-default-roles "
    "--instance-type m5.xlarge --instance-count 1 --auto-terminate "
    "--ec2-attributes KeyName=kp,SubnetId=subnet-12345678 "
    "--bootstrap-actions Path=s3://b/ba.sh,Name=ba,Args=[x,y] "
    "--steps Type=CUSTOM_JAR,Name=jar,Jar=s3://b/j.jar,Args=[a,b],ActionOnFailure=CONTINUE",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --use-default-roles "
    "--instance-type m5.xlarge --instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --instance-type m5.xlarge",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --use-default-roles "
    "--instance-fleets InstanceFleetType=MASTER,TargetOnDemandCapacity=1,InstanceTypeConfigs=['{InstanceType=m5.xlarge}'] "
    "InstanceFleetType=CORE,TargetSpotCapacity=2,InstanceTypeConfigs=['{InstanceType=m5.xlarge,BidPrice=0.5}'] "
    "--ec2-attributes SubnetIds=['subnet-1','subnet-2'] "
    "--configurations '[{\"Classification\":\"spark\",\"Properties\":{\"maximizeResourceAllocation\":\"true\"}}]'",
    "aws emr create-cluster --name diff --release-label emr-6.15.0 --instance-type m5.xlarge --output text",
]

STEPS = [
    "--steps Type=CUSTOM_JAR,Name=jar,Jar=s3://b/j.jar,Args=[a,b]",
    "--steps Type=Spark,Name=spark,Args=[--deploy-mode,cluster,s3://b/app.py] Type=Hive,Name=hive,Args=[-f,s3://b/q.sql]",
]


@pytest.fixture(scope="module")
def emr_env(moto_url, tmp_path_factory):
    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10)
    env = {
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
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return env


# Cluster, step, instance group (moto: i-...) and fleet ids.
IDS = re.compile(r"\b(j|s|i)-[0-9A-Z]{8,}\b|\b(ig|if)-[0-9A-Z]{8,}\b")
# moto's generated master host name.
DNS = re.compile(r"\bec2-[0-9-]+\.[a-z0-9.-]+\.amazonaws\.com\b")


def masked(out, cluster):
    """A printed JSON document with the cluster's own ids masked."""
    text = out.replace(cluster, "<cluster>")
    text = IDS.sub(lambda m: "<" + (m.group(1) or m.group(2)) + ">", text)
    text = DNS.sub("<dns>", text)
    return in_stable_order(mask(json.loads(text))) if text.strip() else None


def in_stable_order(v):
    """Instance groups and fleets sorted by type and name: moto lists them in
    an order of its own (ids drawn at random), which neither executor chose."""
    if isinstance(v, dict):
        return {k: in_stable_order(x) for k, x in v.items()}
    if isinstance(v, list):
        items = [in_stable_order(x) for x in v]
        if items and all(isinstance(x, dict) and ("InstanceGroupType" in x or "InstanceFleetType" in x) for x in items):
            items.sort(key=lambda x: (x.get("InstanceGroupType") or x.get("InstanceFleetType") or "", x.get("Name") or ""))
        return items
    return v


def differences(a, b, path=""):
    """The paths where two JSON documents differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += differences(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [(path, a, b)]


def same(a, b):
    d = differences(a, b)
    assert not d, "\n".join(map(str, d))


def describe(env, cluster):
    code, out, err = run_cli(env, f"aws emr describe-cluster --cluster-id {cluster}")
    assert code == 0, err
    return out


@pytest.mark.parametrize("cmd", CREATE)
def test_create_cluster_same_cluster(emr_env, cmd):
    c_code, c_out, c_err = run_cli(emr_env, cmd)
    n_code, n_out, n_err = run_native(emr_env, cmd)
    assert "not run natively" not in n_err and "left to the AWS CLI" not in n_err, n_err
    assert n_code == c_code, (c_err, n_err)
    if c_code != 0:
        assert n_err.strip() == c_err.strip() or error_code(n_err) == error_code(c_err), (c_err, n_err)
        return
    if "--output text" in cmd:
        # The cluster's own result printed with the caller's output format.
        def ids(t):
            return IDS.sub("<id>", re.sub(r"arn:aws:elasticmapreduce:\S+", "<arn>", t))
        assert ids(n_out) == ids(c_out)
        return
    a, b = json.loads(c_out)["ClusterId"], json.loads(n_out)["ClusterId"]
    assert set(json.loads(c_out)) == set(json.loads(n_out))
    same(masked(describe(emr_env, a), a), masked(describe(emr_env, b), b))
    # describe-cluster run natively prints what the AWS CLI prints.
    code, out, err = run_native(emr_env, f"aws emr describe-cluster --cluster-id {a}")
    assert code == 0, err
    same(masked(out, a), masked(describe(emr_env, a), a))


@pytest.mark.parametrize("steps", STEPS)
def test_add_steps_same_steps(emr_env, steps):
    ids = []
    for _ in range(2):
        code, out, err = run_cli(emr_env, CREATE[0])
        assert code == 0, err
        ids.append(json.loads(out)["ClusterId"])
    a, b = ids
    c_code, c_out, c_err = run_cli(emr_env, f"aws emr add-steps --cluster-id {a} {steps}")
    n_code, n_out, n_err = run_native(emr_env, f"aws emr add-steps --cluster-id {b} {steps}")
    assert (c_code, n_code) == (0, 0), (c_err, n_err)
    assert len(json.loads(c_out)["StepIds"]) == len(json.loads(n_out)["StepIds"])
    listed = []
    for cluster in (a, b):
        code, out, err = run_cli(emr_env, f"aws emr list-steps --cluster-id {cluster}")
        assert code == 0, err
        listed.append(masked(out, cluster))
    same(listed[0], listed[1])


def test_add_steps_unknown_cluster(emr_env):
    cmd = "aws emr add-steps --cluster-id j-NOSUCHCLUSTER1 --steps Type=CUSTOM_JAR,Jar=s3://b/j.jar"
    c = run_cli(emr_env, cmd)
    n = run_native(emr_env, cmd)
    assert n[0] == c[0] != 0
    assert error_code(n[2]) == error_code(c[2]), (c[2], n[2])


def test_removed_operations_stay_unknown(emr_env):
    """The API operations awscli removes stay unknown commands for users."""
    r = subprocess.run([str(BIN), "check", "-"], input="aws emr run-job-flow --name x --instances {}\n",
                       env=emr_env, capture_output=True, text=True, timeout=60)
    line = json.loads(r.stdout.splitlines()[0])
    assert not line.get("ok", False), line


# ---------------------------------------------------------------------------
# file:// values, --emrfs, list-clusters filters, add-tags, modify-cluster-attributes.

FILES = {
    "steps.json": '[{"Name": "from a file", "Type": "CUSTOM_JAR", "ActionOnFailure": "CONTINUE",'
                  ' "Jar": "s3://b/j.jar", "Args": ["a", "b"]},'
                  ' {"Type": "Spark", "Args": ["--deploy-mode", "cluster", "s3://b/app.py"]}]',
    "groups.json": '[{"InstanceGroupType": "MASTER", "InstanceCount": 1, "InstanceType": "m5.xlarge"},'
                   ' {"InstanceGroupType": "CORE", "InstanceCount": 2, "InstanceType": "m5.xlarge", "BidPrice": "0.1"}]',
    "ec2.json": '{"KeyName": "kp", "SubnetId": "subnet-12345678", "InstanceProfile": "EMR_EC2_DefaultRole"}',
    "configurations.json": '[{"Classification": "spark", "Properties": {"maximizeResourceAllocation": "true"}}]',
    "emrfs.json": '{"Consistent": true, "RetryCount": 5, "RetryPeriod": 30, "Args": ["fs.s3.x=1"]}',
    "kerberos.json": '{"Realm": "EC2.INTERNAL", "KdcAdminPassword": "hunter2-kdc"}',
    "bad.json": '{"KeyName": "hunter2-secret",,}',
}


@pytest.fixture(scope="module")
def work(emr_env):
    d = emr_env["AWS_API_MCP_WORKING_DIR"]
    for name, text in FILES.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    return d


def in_dir(d, argv, env):
    r = subprocess.run(argv, cwd=d, env=env, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def cli_in(d, env, cmd, aws=AWS):
    return in_dir(d, [str(aws)] + shlex.split(cmd)[1:], env)


def native_in(d, env, cmd):
    return in_dir(d, [str(BIN), "run", "--executor", "native", cmd], env)


def test_file_values_same_cluster(emr_env, work):
    """Every emr argument given as file:// (read through the policy-judged
    LocalFiles, typed with the argument's schema) makes the same cluster and
    steps as the AWS CLI; check names the native executor for them."""
    cmd = ("aws emr create-cluster --name files --release-label emr-6.15.0 --service-role EMR_DefaultRole "
           "--ec2-attributes file://ec2.json --instance-groups file://groups.json --steps file://./steps.json "
           "--configurations file://configurations.json --emrfs file://emrfs.json "
           "--kerberos-attributes file://kerberos.json --security-configuration sc")
    r = subprocess.run([str(BIN), "check", "-"], input=cmd + "\n", cwd=work, env=emr_env,
                       capture_output=True, text=True, timeout=60)
    assert json.loads(r.stdout)["executor"] == "native", r.stdout
    c_code, c_out, c_err = cli_in(work, emr_env, cmd)
    n_code, n_out, n_err = native_in(work, emr_env, cmd)
    assert (c_code, n_code) == (0, 0), (c_err, n_err)
    a, b = json.loads(c_out)["ClusterId"], json.loads(n_out)["ClusterId"]
    same(masked(describe(emr_env, a), a), masked(describe(emr_env, b), b))
    steps = "aws emr add-steps --cluster-id {} --steps file://steps.json"
    assert cli_in(work, emr_env, steps.format(a))[0] == 0
    assert native_in(work, emr_env, steps.format(b))[0] == 0
    listed = [masked(run_cli(emr_env, f"aws emr list-steps --cluster-id {x}")[1], x) for x in (a, b)]
    same(listed[0], listed[1])


def test_file_value_errors(emr_env, work):
    """A missing file fails as the AWS CLI fails, to the byte; a file that is
    not a valid value names the file and never shows its contents."""
    base = "aws emr create-cluster --release-label emr-6.15.0 --instance-type m5.xlarge"
    cmd = f"{base} --steps file://no-such-steps.json"
    assert native_in(work, emr_env, cmd) == cli_in(work, emr_env, cmd)
    cmd = f"{base} --ec2-attributes file://bad.json"
    c_code, _, c_err = cli_in(work, emr_env, cmd)
    n_code, n_out, n_err = native_in(work, emr_env, cmd)
    assert n_code == c_code != 0 and n_out == ""
    assert "file://bad.json" in n_err and "hunter2" not in n_err, n_err


EMRFS_ERRORS = [
    "--emrfs RetryCount=5",
    "--emrfs Encryption=ClientSide,ProviderType=Custom",
    "--emrfs SSE=true,Encryption=ServerSide",
    "--emrfs Consistent=true --configurations '[{\"Classification\":\"emrfs-site\",\"Properties\":{}}]'",
]


def test_emrfs(emr_env):
    cmd = ("aws emr create-cluster --name emrfs --release-label emr-6.15.0 --instance-type m5.xlarge "
           "--emrfs Consistent=true,RetryCount=6,RetryPeriod=30,SSE=true")
    c_code, c_out, c_err = run_cli(emr_env, cmd)
    n_code, n_out, n_err = run_native(emr_env, cmd)
    assert (c_code, n_code) == (0, 0), (c_err, n_err)
    a, b = json.loads(c_out)["ClusterId"], json.loads(n_out)["ClusterId"]
    same(masked(describe(emr_env, a), a), masked(describe(emr_env, b), b))
    for args in EMRFS_ERRORS:
        cmd = f"aws emr create-cluster --release-label emr-6.15.0 --instance-type m5.xlarge {args}"
        assert run_native(emr_env, cmd) == run_cli(emr_env, cmd), cmd


def test_list_clusters_tags_and_attributes(emr_env):
    """list-clusters' state filters and dates, add-tags --tags and
    modify-cluster-attributes: the same output, to the byte, and the same
    state left behind."""
    ids = [json.loads(run_cli(emr_env, CREATE[0])[1])["ClusterId"] for _ in range(2)]
    for cmd in [
        "aws emr list-clusters --active --query Clusters[].Status.State",
        "aws emr list-clusters --cluster-states WAITING RUNNING --output text --query Clusters[].Name",
        "aws emr list-clusters --created-after 2020-01-01T00:00:00 --created-before 2100-01-01 --query 'length(Clusters)'",
        "aws emr modify-cluster-attributes --cluster-id {}",
    ]:
        assert run_native(emr_env, cmd.format(ids[1])) == run_cli(emr_env, cmd.format(ids[0])), cmd
    for cmd in [
        "aws emr add-tags --resource-id {} --tags 'name=John Doe' age=29 a=b=c k",
        "aws emr modify-cluster-attributes --cluster-id {} --no-visible-to-all-users --termination-protected",
    ]:
        assert run_native(emr_env, cmd.format(ids[1])) == run_cli(emr_env, cmd.format(ids[0])), cmd
    q = "--query Cluster.[Tags,VisibleToAllUsers,TerminationProtected]"
    shown = [run_cli(emr_env, f"aws emr describe-cluster --cluster-id {x} {q}") for x in ids]
    assert shown[0] == shown[1] and shown[0][0] == 0, shown


AWS_V2 = os.environ.get("AWS_MCP_AWS_CLI_V2", "/usr/bin/aws")


def test_against_aws_cli_v2(emr_env, work, moto_url):
    """The same under AWS CLI v2 (its parameter errors exit 252); 2.9.19
    predates AWS_ENDPOINT_URL, so every command names moto."""
    if not os.path.exists(AWS_V2):
        pytest.fail(f"AWS CLI v2 not found at {AWS_V2}")
    env = dict(emr_env, AWS_MCP_AWS_CLI=AWS_V2)
    end = f" --endpoint-url {moto_url}"
    base = "aws emr create-cluster --release-label emr-6.15.0 --instance-type m5.xlarge"
    for cmd in [
        "aws emr list-clusters --active --query Clusters[].Id",
        f"{base} --steps file://no-such-steps.json",
        f"{base} --emrfs RetryCount=5",
        "aws emr modify-cluster-attributes --cluster-id j-1 --visible-to-all-users --no-visible-to-all-users",
    ]:
        n = native_in(work, env, cmd + end)
        assert n == cli_in(work, env, cmd + end, aws=AWS_V2), cmd
    assert n[0] == 252
    cmd = f"{base} --name v2 --steps file://steps.json --ec2-attributes file://ec2.json --emrfs file://emrfs.json" + end
    c_code, c_out, c_err = cli_in(work, env, cmd, aws=AWS_V2)
    n_code, n_out, n_err = native_in(work, env, cmd)
    assert (c_code, n_code) == (0, 0), (c_err, n_err)
    a, b = json.loads(c_out)["ClusterId"], json.loads(n_out)["ClusterId"]
    same(masked(describe(emr_env, a), a), masked(describe(emr_env, b), b))


@pytest.fixture(scope="module")
def iam_moto(tmp_path_factory):
    """A moto server that knows AWS's managed policies (the default roles
    attach them); its own, since the shared one is started without them."""
    from conftest import MOTO, free_port
    import time
    port = free_port()
    proc = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
                            env=dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_create_default_roles(emr_env, iam_moto, tmp_path):
    """create-default-roles: the same IAM calls, printed roles and written
    config file as awscli, then nothing to create the second time. The EMR
    endpoint stays AWS's (its host name gives the service principals); IAM
    is moto (AWS_ENDPOINT_URL_IAM)."""
    env = {k: v for k, v in emr_env.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_ENDPOINT_URL_IAM"] = iam_moto
    cmd = "aws emr create-default-roles"
    assert json.loads(subprocess.run([str(BIN), "check", "-"], input=cmd + "\n", env=env, capture_output=True,
                                     text=True, timeout=60).stdout)["executor"] == "native"
    runs = []
    for i, run in enumerate([run_cli, run_native]):
        urllib.request.urlopen(urllib.request.Request(iam_moto + "/moto-api/reset", method="POST"), timeout=10)
        home = tmp_path / f"home{i}"
        home.mkdir()
        e = dict(env, HOME=str(home))
        code, out, err = run(e, cmd)
        assert code == 0, err
        first = re.sub(r'"(RoleId|CreateDate)": "[^"]*"', r'"\1": "<x>"', out)
        again = run(e, cmd)
        runs.append((first, (home / ".aws" / "config").read_text(), again))
    assert runs[0] == runs[1]
    assert len(json.loads(runs[0][0])) == 3 and runs[0][2][1].strip() == "[]"
