"""Real parts for the HTTP tests: an OAuth issuer on 127.0.0.1 whose keys
are made in the test (RSA and P-256, served as a JWKS with OpenID
metadata), `aws-mcp serve --http` processes, and nginx in front of them.

Nothing here imitates aws-mcp: tokens are signed with PyJWT and checked by
the server's own verifier; the server, moto and nginx are real processes.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from conftest import BIN, free_port


class Issuer:
    """An OAuth authorization server's public half: metadata and a JWKS
    that can rotate; `token()` signs tokens with its private keys."""

    def __init__(self):
        self.keys = {}
        self.published = []
        self.add_key("rsa-1", "RS256")
        self.add_key("ec-1", "ES256")
        self.fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks.json"}
                elif self.path == "/jwks.json":
                    issuer.fetches += 1
                    body = {"keys": [issuer.jwk(k) for k in issuer.published]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add_key(self, kid, alg, publish=True):
        if alg == "RS256":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            key = ec.generate_private_key(ec.SECP256R1())
        self.keys[kid] = (alg, key)
        if publish:
            self.published.append(kid)

    def jwk(self, kid):
        alg, key = self.keys[kid]
        algo = jwt.algorithms.RSAAlgorithm if alg == "RS256" else jwt.algorithms.ECAlgorithm
        d = json.loads(algo.to_jwk(key.public_key()))
        d.update(kid=kid, alg=alg, use="sig")
        return d

    def token(self, sub, aud, kid="rsa-1", iss=None, exp_in=600, nbf_in=None, key_of=None, **claims):
        alg, key = self.keys[key_of or kid]
        now = int(time.time())
        body = {"iss": iss or self.url, "sub": sub, "aud": aud, "iat": now, "exp": now + exp_in, **claims}
        if nbf_in is not None:
            body["nbf"] = now + nbf_in
        return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})

    def close(self):
        self.httpd.shutdown()


def wait_ready(url, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"aws-mcp exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.05)
    raise RuntimeError("aws-mcp did not become ready")


class Replica:
    """One `aws-mcp serve --http` process on a free loopback port."""

    def __init__(self, env, extra_env=None, args=(), name="replica"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mcp = self.url + "/mcp"
        self.dir = Path(tempfile.mkdtemp(prefix=f"aws-mcp-{name}-"))
        self.audit_path = self.dir / "audit.log"
        self.log_path = self.dir / "server.log"
        e = dict(env)
        e.setdefault("AWS_MCP_AUDIT_LOG", str(self.audit_path))
        e.update(extra_env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(BIN), "serve", "--http", f"127.0.0.1:{self.port}", *args],
            env=e,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_ready(self.url, self.proc)

    def audit(self):
        if not self.audit_path.exists():
            return []
        return [json.loads(l) for l in self.audit_path.read_text().splitlines() if l.strip()]

    def logs(self):
        return self.log_path.read_text()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def rss_kb(self):
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Balancer:
    """nginx in front of the replicas: round robin, no stickiness, a new
    upstream connection per request (a replica that stops accepting is
    skipped at once), and retries of requests that failed on one replica
    (connection refused or reset, 502/503) on the next."""

    def __init__(self, replicas, port=None):
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is missing: apt-get install nginx-light (scripts/test installs it)")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mcp = self.url + "/mcp"
        self.dir = Path(tempfile.mkdtemp(prefix="aws-mcp-nginx-"))
        servers = "\n".join(f"    server 127.0.0.1:{r.port} max_fails=0;" for r in replicas)
        conf = f"""
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {self.dir}/body;
  proxy_temp_path {self.dir}/proxy;
  fastcgi_temp_path {self.dir}/fastcgi;
  uwsgi_temp_path {self.dir}/uwsgi;
  scgi_temp_path {self.dir}/scgi;
  upstream aws_mcp {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://aws_mcp;
      proxy_http_version 1.1;
      proxy_set_header Host 127.0.0.1;
      proxy_buffering off;
      proxy_read_timeout 300s;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 3;
    }}
  }}
}}
"""
        (self.dir / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen(
            [NGINX, "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 10
        while True:
            try:
                with contextlib.closing(socket.create_connection(("127.0.0.1", self.port), timeout=0.5)):
                    break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("nginx did not start: " + (self.dir / "error.log").read_text())
                time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def scale_out(env, n, extra=None):
    """`n` replicas behind one balancer; the replicas know the balancer's
    URL as their resource URL (the tokens' audience)."""
    port = free_port()
    e = dict(extra or {}, AWS_MCP_RESOURCE_URL=f"http://127.0.0.1:{port}/mcp")
    reps = [Replica(env, e, name=f"r{i}") for i in range(n)]
    return reps, Balancer(reps, port)


def modern_call(tool, arguments, request_id=1, request_state=None, input_responses=None):
    """A 2026-07-28 tools/call body (what a stateless client sends)."""
    params = {
        "name": tool,
        "arguments": arguments,
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {"elicitation": {"form": {}}},
            "io.modelcontextprotocol/clientInfo": {"name": "aws-mcp-tests", "version": "1"},
        },
    }
    if request_state is not None:
        params["requestState"] = request_state
    if input_responses is not None:
        params["inputResponses"] = input_responses
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params}


MODERN_HEADERS = {
    "content-type": "application/json",
    "accept": "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": "tools/call",
}


def modern_headers(tool, token=None):
    h = dict(MODERN_HEADERS, **{"mcp-name": tool})
    if token:
        h["authorization"] = f"Bearer {token}"
    return h


WRK_SCRIPT = r"""
local body_file = os.getenv("WRK_BODY")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["content-type"] = "application/json"
wrk.headers["accept"] = "application/json, text/event-stream"
wrk.headers["mcp-protocol-version"] = "2026-07-28"
wrk.headers["mcp-method"] = "tools/call"
wrk.headers["mcp-name"] = os.getenv("WRK_TOOL")
local tok = os.getenv("WRK_TOKEN")
if tok and tok ~= "" then wrk.headers["authorization"] = "Bearer " .. tok end

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) tool_errors = 0; ok = 0 end
function response(status, headers, body)
  if status == 200 and not string.find(body, '"isError":true', 1, true)
     and not string.find(body, '"error":{', 1, true) then
    ok = ok + 1
  else
    tool_errors = tool_errors + 1
  end
end
function done(summary, latency, requests)
  local ok_n, bad_n = 0, 0
  for _, t in ipairs(threads) do ok_n = ok_n + t:get("ok"); bad_n = bad_n + t:get("tool_errors") end
  io.write(string.format("RESULT requests=%d ok=%d bad=%d socket_errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, ok_n, bad_n,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def run_wrk(url, tool, arguments, token=None, connections=64, seconds=3, threads=2):
    """wrk against `url` with one 2026-07-28 tools/call body; the counts
    and latencies it measured (a tool error or JSON-RPC error counts as
    bad)."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is missing: apt-get install wrk (scripts/test installs it)")
    d = Path(tempfile.mkdtemp(prefix="aws-mcp-wrk-"))
    (d / "body.json").write_text(json.dumps(modern_call(tool, arguments)))
    (d / "post.lua").write_text(WRK_SCRIPT)
    env = dict(os.environ, WRK_BODY=str(d / "body.json"), WRK_TOOL=tool, WRK_TOKEN=token or "")
    out = subprocess.run(
        [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(d / "post.lua"), url],
        env=env, capture_output=True, text=True, timeout=seconds + 120,
    )
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    non2xx = 0
    for l in out.stdout.splitlines():
        if "Non-2xx or 3xx responses" in l:
            non2xx = int(l.split(":")[1])
    r["non2xx"] = non2xx
    r["calls_per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    return r
