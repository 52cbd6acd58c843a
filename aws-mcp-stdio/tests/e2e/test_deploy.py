"""The deployment artefacts (deploy/) hold what deploy/README.md promises:
they parse, run as non-root on a read-only root filesystem, probe the
endpoints the server serves, drain within the grace period, and name only
variables the server reads (as `aws-mcp serve --help` lists them). Docker
does not run here: the Dockerfiles are checked by hadolint and by reading."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, VENV

DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def documented_vars():
    out = subprocess.run([str(BIN), "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    names = set(re.findall(r"\b[A-Z][A-Z0-9_]{3,}\b", out.stdout))
    assert {"AUTH_ISSUER", "AWS_API_MCP_ALLOWED_HOSTS", "AWS_MCP_CONSENT_KEY"} <= names
    # Read by the standard AWS configuration (and documented there).
    return names | {"AWS_ENDPOINT_URL", "HOME", "SSL_CERT_FILE", "PYTHONDONTWRITEBYTECODE"}


def kube():
    return {d["kind"]: d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "aws-mcp.yaml").read_text()) if d}


def test_kubernetes_manifests(documented_vars):
    docs = kube()
    assert {"ServiceAccount", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= set(docs)
    dep = docs["Deployment"]["spec"]["template"]["spec"]
    c = dep["containers"][0]
    assert dep["securityContext"]["runAsNonRoot"] and dep["securityContext"]["runAsUser"] != 0
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert c["ports"][0]["containerPort"] == 8000
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {m["mountPath"] for m in c["volumeMounts"]} == {"/tmp"}
    cm = docs["ConfigMap"]["data"]
    drain = int(cm["AWS_MCP_DRAIN_SECONDS"])
    assert dep["terminationGracePeriodSeconds"] > drain + c["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert set(cm) <= documented_vars, set(cm) - documented_vars
    assert cm["AUTH_TYPE"] == "oauth"
    svc = docs["Service"]["spec"]["ports"][0]
    assert svc["targetPort"] == "http"
    hpa = docs["HorizontalPodAutoscaler"]["spec"]
    assert hpa["minReplicas"] >= 2 and hpa["scaleTargetRef"]["name"] == "aws-mcp"


def test_ecs_task_definition(documented_vars):
    td = json.loads((DEPLOY / "ecs" / "task-definition.json").read_text())
    c = td["containerDefinitions"][0]
    assert c["readonlyRootFilesystem"] is True
    assert not c["user"].startswith("0")
    assert c["portMappings"][0]["containerPort"] == 8000
    env = {e["name"]: e["value"] for e in c["environment"]}
    assert set(env) | {s["name"] for s in c["secrets"]} <= documented_vars
    assert c["stopTimeout"] > int(env["AWS_MCP_DRAIN_SECONDS"])
    assert [m["containerPath"] for m in c["mountPoints"]] == ["/tmp"]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.aws-cli"])
def test_dockerfiles(name, documented_vars):
    text = (DEPLOY / name).read_text()
    final = text[text.rindex("\nFROM "):]
    user = re.search(r"^USER (\S+)", final, re.M)
    assert user and not user.group(1).startswith(("0", "root")), "the final stage runs as non-root"
    assert "EXPOSE 8000" in final
    # The AgentCore Runtime contract: 0.0.0.0:8000, path /mcp, streamable HTTP.
    env = dict(re.findall(r"\b([A-Z][A-Z0-9_]+)=(\S+)", final))
    assert env["AWS_API_MCP_HOST"] == "0.0.0.0" and env["AWS_API_MCP_PORT"] == "8000"
    assert env["AWS_API_MCP_TRANSPORT"] == "streamable-http"
    assert set(env) <= documented_vars, set(env) - documented_vars
    assert "--locked" in text, "the build uses Cargo.lock"
    hadolint = VENV / "bin" / "hadolint"
    hadolint = str(hadolint) if hadolint.exists() else shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install -r tools/requirements-test.txt"
    out = subprocess.run([hadolint, str(DEPLOY / name)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_served_path_is_the_contracts():
    src = (ROOT / "aws-mcp-stdio" / "src" / "http" / "config.rs").read_text()
    assert 'pub const MCP_PATH: &str = "/mcp";' in src
