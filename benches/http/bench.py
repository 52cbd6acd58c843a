"""Figures of `aws-mcp serve --http` scaled out (run by hand; the CI test
test_http.py::test_load_through_the_balancer_with_a_replica_killed is the
short version):

    cargo build --release -p aws-mcp-stdio
    .venv/bin/python benches/http/bench.py --bin target/release/aws-mcp --replicas 2 --seconds 20

It starts moto, a local OAuth issuer, N replicas (OAuth on, audit log on)
behind nginx (round robin, no stickiness), and drives 64 concurrent
connections with wrk: `suggest_aws_commands`, then `call_aws` of
`aws sts get-caller-identity` on moto. It prints calls/s, p50/p99 and the
RSS of each replica, then the same load while one replica is stopped with
SIGTERM (drain) and, separately, killed with SIGKILL, with the errors the
callers saw.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "aws-mcp-stdio" / "tests" / "e2e"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "aws-mcp"))
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=64)
    a = ap.parse_args()
    os.environ["AWS_MCP_BIN"] = str(Path(a.bin).resolve())
    from conftest import MOTO, VENV, free_port  # noqa: E402
    from httpfix import Issuer, run_wrk, scale_out  # noqa: E402

    port = free_port()
    moto = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moto_url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(moto_url + "/moto-api/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    issuer = Issuer()
    home = Path(tempfile.mkdtemp(prefix="aws-mcp-bench-home-"))
    work = home / "work"
    work.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MCP_AWS_CLI": str(VENV / "bin" / "aws"),
        "AWS_API_MCP_WORKING_DIR": str(work),
        "AWS_MCP_CLI_VERSION": "1",
        "AUTH_TYPE": "oauth",
        "AUTH_ISSUER": issuer.url,
        "AWS_MCP_CONSENT_KEY": "a" * 64,
        "AWS_MCP_MAX_CALLS_PER_CALLER": "100000",
        "RUST_LOG": "warn",
    }
    loads = [
        ("suggest_aws_commands", {"query": "list my ec2 instances"}),
        ("call_aws", {"cli_command": "aws sts get-caller-identity"}),
    ]
    rows = []
    try:
        reps, lb = scale_out(env, a.replicas)
        token = issuer.token("bench", lb.mcp)
        idle = [r.rss_kb() for r in reps]
        for tool, args in loads:
            run_wrk(lb.mcp, tool, args, token, connections=a.connections, seconds=2)  # warm
            r = run_wrk(lb.mcp, tool, args, token, connections=a.connections, seconds=a.seconds)
            rows.append((tool, r, [x.rss_kb() for x in reps]))
        print(f"\n{a.replicas} replicas behind nginx, {a.connections} connections, {a.seconds} s, OAuth on, audit on")
        print(f"idle RSS per replica (MiB): {', '.join(f'{k / 1024:.1f}' for k in idle)}")
        print("| tool | calls/s | p50 ms | p99 ms | errors | RSS per replica after (MiB) |")
        print("|---|---|---|---|---|---|")
        for tool, r, rss in rows:
            errs = r["bad"] + r["non2xx"] + r["socket_errors"]
            print(f"| {tool} | {r['calls_per_s']:.0f} | {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {errs} | "
                  f"{', '.join(f'{k / 1024:.1f}' for k in rss)} |")
        for sig in (signal.SIGTERM, signal.SIGKILL):
            victim = reps[0]
            t = threading.Timer(a.seconds / 2, lambda: victim.proc.send_signal(sig))
            t.start()
            r = run_wrk(lb.mcp, "call_aws", loads[1][1], token, connections=a.connections, seconds=a.seconds)
            t.join()
            victim.proc.wait(timeout=60)
            print(f"\ncall_aws with one replica stopped by {sig.name} mid-load: {r['requests']} calls, "
                  f"{r['calls_per_s']:.0f} calls/s, p99 {r['p99_us'] / 1000:.1f} ms, "
                  f"errors seen by callers: {r['bad'] + r['non2xx'] + r['socket_errors']}, "
                  f"replica exit status {victim.proc.returncode}")
            last = [l for l in victim.logs().splitlines() if "aws_mcp_stdio::http" in l and ("stopped" in l or "draining" in l)]
            if last:
                print("  replica log:", " / ".join(x.split("aws_mcp_stdio::http: ")[-1] for x in last))
            # Bring a fresh replica back for the next round.
            lb.stop()
            for x in reps:
                x.stop()
            reps, lb = scale_out(env, a.replicas)
            token = issuer.token("bench", lb.mcp)
    finally:
        try:
            lb.stop()
            for x in reps:
                x.stop()
        except Exception:
            pass
        issuer.close()
        moto.terminate()


if __name__ == "__main__":
    main()
