"""Differential tests of the credential commands run natively: `ecr
get-login-password`, `ecr get-login` (AWS CLI v1), `ecr-public
get-login-password`, `rds generate-db-auth-token` and `eks get-token`,
against the real AWS CLI v1 on moto.

Outputs must be equal once the time-dependent parts of presigned URLs (the
signing date, the signature) and of the ExecCredential (its expiry) are
masked; `eks get-token`'s token is decoded, masked and compared as a URL.
"""

import base64
import json
import pathlib
import re
import subprocess

import pytest

from conftest import BIN
from test_native_diff import diff_env, run_cli, run_native  # noqa: F401  (fixture)


def mask_url(url):
    url = re.sub(r"X-Amz-Date=\d{8}T\d{6}Z", "X-Amz-Date=DATE", url)
    url = re.sub(r"X-Amz-Signature=[0-9a-f]{64}", "X-Amz-Signature=SIG", url)
    return re.sub(r"(X-Amz-Credential=[^&]*?%2F)\d{8}(%2F)", r"\1DAY\2", url)


def mask_token(m):
    b64 = m.group(1)
    url = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).decode()
    return "k8s-aws-v1.<" + mask_url(url) + ">"


def mask_keys(url):
    """Masks the access key and session token (fresh for each AssumeRole)."""
    url = re.sub(r"X-Amz-Credential=[A-Z0-9]+%2F", "X-Amz-Credential=KEY%2F", url)
    return re.sub(r"X-Amz-Security-Token=[^&]*", "X-Amz-Security-Token=TOKEN", url)


def mask(text):
    text = re.sub(r"k8s-aws-v1\.([A-Za-z0-9_-]+)", mask_token, text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "EXPIRES", text)
    return mask_url(text)


def same(env, cmd):
    c = run_cli(env, cmd)
    n = run_native(env, cmd)
    assert n[0] == c[0], (cmd, c, n)
    assert mask(n[1]) == mask(c[1]), (cmd, c[1], n[1])
    assert mask(n[2]) == mask(c[2]), (cmd, c[2], n[2])
    return c


def routed_natively(env, cmd):
    r = subprocess.run([str(BIN), "check", "-"], input=cmd + "\n", env=env,
                       capture_output=True, text=True, timeout=60)
    line = json.loads(r.stdout.splitlines()[0])
    return line["executor"] == "native", line.get("executor_reason")


@pytest.mark.parametrize("cmd", [
    "aws ecr get-login-password",
    "aws ecr get-login",
    "aws ecr get-login --no-include-email",
    "aws ecr get-login --registry-ids 123456789012",
    "aws rds generate-db-auth-token --hostname db.example.us-east-1.rds.amazonaws.com --port 3306 --username admin",
    "aws rds generate-db-auth-token --hostname mydb --port 05432 --username 'ad@min/x y' --region eu-west-1",
    "aws eks get-token --cluster-name my-cluster",
    "aws eks get-token --cluster-id 0123-abcd --region eu-west-1",
    "aws eks get-token --cluster-name my-cluster --output text",
    "aws eks get-token --cluster-name my-cluster --output table",
    "aws eks get-token --cluster-name my-cluster --query status.token --output text",
])
def test_same_as_the_cli(diff_env, cmd):
    native, why = routed_natively(diff_env, cmd)
    assert native, why
    same(diff_env, cmd)


def test_get_token_with_role_arn(diff_env):
    """--role-arn: STS AssumeRole (session EKSGetTokenAuth), the token signed
    with the role's credentials."""
    cmd = "aws eks get-token --cluster-name my-cluster --role-arn arn:aws:iam::123456789012:role/eks-admin"
    c = run_cli(diff_env, cmd)
    n = run_native(diff_env, cmd)
    assert (n[0], mask_keys(mask(n[1])), n[2]) == (c[0], mask_keys(mask(c[1])), c[2])
    assert "X-Amz-Credential=testing" not in mask(n[1]) and "X-Amz-Security-Token=" in mask(n[1])


def test_get_token_is_a_presigned_sts_url(diff_env):
    """Without AWS_ENDPOINT_URL the token names the regional STS endpoint
    (awscli's STS client never takes --endpoint-url)."""
    env = {k: v for k, v in diff_env.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_SESSION_TOKEN"] = "SESSION"
    for cmd in ["aws eks get-token --cluster-name c1 --region eu-west-1",
                "aws eks get-token --cluster-name c1 --endpoint-url http://127.0.0.1:1"]:
        c = same(env, cmd)
        token = json.loads(c[1])["status"]["token"]
        b64 = token[len("k8s-aws-v1."):]
        url = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).decode()
        assert url.startswith("https://sts."), url
        assert "X-Amz-SignedHeaders=host%3Bx-k8s-aws-id" in url and "X-Amz-Expires=60" in url
        assert "X-Amz-Security-Token=SESSION" in url


@pytest.mark.parametrize("info", [
    '{"apiVersion": "client.authentication.k8s.io/v1"}',
    '{"apiVersion": "client.authentication.k8s.io/v1alpha1"}',
    '{"apiVersion": "other"}',
    "{not json",
])
def test_get_token_api_version(diff_env, info):
    env = dict(diff_env, KUBERNETES_EXEC_INFO=info)
    same(env, "aws eks get-token --cluster-name my-cluster")


def test_left_to_the_cli(diff_env):
    """Uses whose errors awscli reports itself stay with the `aws` program."""
    for cmd in ["aws eks get-token",
                "aws eks get-token --cluster-name a --cluster-id b",
                "aws eks get-token --cluster-name a --no-sign-request",
                "aws eks get-token --cluster-name file://name.txt",
                "aws eks update-kubeconfig --name kc1 --kubeconfig k --proxy-url http://proxy:3128",]:
        native, why = routed_natively(diff_env, cmd)
        assert not native, cmd
        assert why


def test_policy_still_refuses_credentials(diff_env):
    env = dict(diff_env, AWS_MCP_ALLOW_CREDENTIAL_COMMANDS="false")
    for cmd in ["aws ecr get-login-password", "aws eks get-token --cluster-name c",
                "aws rds generate-db-auth-token --hostname h --port 1 --username u"]:
        rc, out, err = run_native(env, cmd)
        assert rc != 0 and out == "", (cmd, out)
        assert "AWS_MCP_ALLOW_CREDENTIAL_COMMANDS" in err, (cmd, err)


# eks update-kubeconfig: the same sequence of calls by each CLI on its own
# file (under the working directory, where the policy lets it write), the
# printed text and the files compared after each call.

@pytest.fixture(scope="module")
def eks_env(diff_env):
    for name in ["kc1", "kc2"]:
        rc, out, err = run_cli(diff_env, f"aws eks create-cluster --name {name} "
                               "--role-arn arn:aws:iam::123456789012:role/eks "
                               "--resources-vpc-config subnetIds=subnet-1")
        assert rc == 0, err
    return diff_env


def work(env):
    return pathlib.Path(env["AWS_API_MCP_WORKING_DIR"])


def both(env, cmd, files, env_for=None):
    """Run `cmd` ({d} is each side's directory) with the CLI and natively;
    the outputs (the directory names made equal) and `files` must match."""
    results = []
    for side, runner in [("cli", run_cli), ("native", run_native)]:
        d = work(env) / side
        e = env_for(d) if env_for else env
        results.append((d, runner(e, cmd.replace("{d}", str(d)))))
    (dc, c), (dn, n) = results
    norm = lambda t, d: t.replace(str(d), "{d}")  # noqa: E731
    assert n[0] == c[0], (cmd, c, n)
    assert norm(n[1], dn) == norm(c[1], dc), (cmd, c[1], n[1])
    assert norm(n[2], dn) == norm(c[2], dc), (cmd, c[2], n[2])
    for f in files:
        fc, fn = dc / f, dn / f
        assert fc.exists() == fn.exists(), f
        if fc.exists():
            assert fn.read_text() == fc.read_text(), f
            assert oct(fn.stat().st_mode & 0o777) == oct(fc.stat().st_mode & 0o777), f
    return c


def test_update_kubeconfig_sequence(eks_env):
    env = eks_env
    cfg = "--kubeconfig {d}/seq/kube/config"
    for cmd in [
        f"aws eks update-kubeconfig --name kc1 {cfg}",
        f"aws eks update-kubeconfig --name kc1 {cfg}",
        f"aws eks update-kubeconfig --name kc1 {cfg} --alias al --user-alias ua "
        "--role-arn arn:aws:iam::123456789012:role/k8s --verbose",
        f"aws eks update-kubeconfig --name kc2 {cfg} --proxy-url socks5://proxy.example:1080",
        f"aws eks update-kubeconfig --name kc1 {cfg} --alias dry --dry-run",
        f"aws eks update-kubeconfig --name kc1 --kubeconfig {{d}}/seq/none.yaml --dry-run",
        f"aws eks update-kubeconfig --name kc2 {cfg} --assume-role-arn arn:aws:iam::123456789012:role/reader",
        f"aws eks update-kubeconfig --name no-such-cluster {cfg}",
    ]:
        native, why = routed_natively(env, cmd.replace("{d}", str(work(env) / "native")))
        assert native, why
        both(env, cmd, ["seq/kube/config", "seq/none.yaml"])


def test_update_kubeconfig_merges_an_existing_file(eks_env):
    """A hand-written kubeconfig (comments, other indentation, quotes) is
    read as PyYAML reads it and written back as PyYAML writes it."""
    env = eks_env
    text = ("# mine\napiVersion: v1\nkind: \"Config\"\nclusters:\n  - name: other\n"
            "    cluster: {server: 'https://other.example', insecure-skip-tls-verify: true}\n"
            "contexts: []\ncurrent-context: other\nusers:\n  - name: other\n    user: {}\n")
    for side in ["cli", "native"]:
        (work(env) / side / "merge").mkdir(parents=True, exist_ok=True)
        p = work(env) / side / "merge" / "config"
        p.write_text(text)
        p.chmod(0o640)
    both(env, "aws eks update-kubeconfig --name kc1 --kubeconfig {d}/merge/config", ["merge/config"])
    # A file that is not a mapping: awscli's own error.
    for side in ["cli", "native"]:
        (work(env) / side / "merge" / "bad").write_text("- a\n")
    c = both(env, "aws eks update-kubeconfig --name kc1 --kubeconfig {d}/merge/bad", ["merge/bad"])
    assert "Content not a <class 'dict'>." in c[2]


def test_update_kubeconfig_follows_kubeconfig_env(eks_env):
    """Without --kubeconfig: the KUBECONFIG file that has the cluster."""
    env = eks_env
    both(env, "aws eks update-kubeconfig --name kc1 --kubeconfig {d}/env/b", ["env/a", "env/b"])
    both(env, "aws eks update-kubeconfig --name kc2 --alias second", ["env/a", "env/b"],
         env_for=lambda d: dict(env, KUBECONFIG=f"{d}/env/a:{d}/env/b"))
    both(env, "aws eks update-kubeconfig --name kc1 --alias third", ["env/a", "env/b"],
         env_for=lambda d: dict(env, KUBECONFIG=f"{d}/env/a:{d}/env/b"))


def test_update_kubeconfig_names_the_profile(eks_env, tmp_path):
    """The session's profile (AWS_PROFILE) goes into the user entry's env."""
    creds = tmp_path / "credentials"
    creds.write_text("[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    env = dict(eks_env, AWS_PROFILE="dev", AWS_SHARED_CREDENTIALS_FILE=str(creds))
    c = both(env, "aws eks update-kubeconfig --name kc1 --kubeconfig {d}/profile/config",
             ["profile/config"])
    assert c[0] == 0, c
    assert "AWS_PROFILE" in (work(env) / "native" / "profile" / "config").read_text()
