"""Fixtures for the end-to-end tests: a real moto server on a free loopback
port, the real `aws-mcp` binary, the real `aws` program, and the real Python
MCP client.

Environment:
  AWS_MCP_BIN    the aws-mcp binary (default: target/debug/aws-mcp)
  AWS_MCP_VENV   the Python environment with awscli and moto (default: .venv)
  AWS_DATA_PATH  botocore data for the newest services (scripts/test sets it)
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Absolute, so that tests running programs in other working directories find them.
VENV = Path(os.environ.get("AWS_MCP_VENV", ROOT / ".venv")).absolute()
BIN = Path(os.environ.get("AWS_MCP_BIN", ROOT / "target" / "debug" / "aws-mcp")).absolute()
WINDOWS = os.name == "nt"
# A venv keeps its programs in Scripts\ on Windows, where pip installs awscli v1 as aws.cmd.
VENV_BIN = VENV / ("Scripts" if WINDOWS else "bin")
AWS = VENV_BIN / ("aws.cmd" if WINDOWS else "aws")
MOTO = VENV_BIN / ("moto_server.exe" if WINDOWS else "moto_server")


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url():
    if not MOTO.exists():
        pytest.fail(f"moto_server not found at {MOTO}; run .ci/run once")
    port = free_port()
    proc = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def moto(moto_url):
    """A clean moto for each test."""
    req = urllib.request.Request(moto_url + "/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=10)
    return moto_url


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def workdir(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return d


@pytest.fixture
def server_env(moto, workdir, tmp_path):
    """The environment the server runs with: dummy credentials, moto as the
    endpoint, a private HOME so no real AWS configuration is read."""
    home = tmp_path / "home"
    home.mkdir()
    if not BIN.exists():
        pytest.fail(f"{BIN} not built; run cargo build -p aws-mcp-stdio")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MCP_AWS_CLI": str(AWS),
        "AWS_API_MCP_WORKING_DIR": str(workdir),
        "RUST_LOG": "info",
    }
    if WINDOWS:
        # The home directory there is USERPROFILE; Windows programs also need these.
        env["USERPROFILE"] = str(home)
        for var in ("SYSTEMROOT", "COMSPEC", "PATHEXT", "TEMP", "TMP", "WINDIR"):
            if os.environ.get(var):
                env[var] = os.environ[var]
    if os.environ.get("AWS_DATA_PATH"):
        env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
    return env
