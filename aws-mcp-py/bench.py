"""Figures for the Python package: import + first validate, and validation throughput.

    python aws-mcp-py/bench.py ../shared/eval/examples.jsonl
"""
import json
import subprocess
import sys
import time

t0 = time.perf_counter()
import aws_mcp  # noqa: E402

aws_mcp.validate("aws sts get-caller-identity")
first_ms = (time.perf_counter() - t0) * 1e3

path = sys.argv[1]
cmds = [json.loads(line)["command"] for line in open(path, encoding="utf-8")]
for c in cmds:  # warm: decode every service the corpus touches
    try:
        aws_mcp.validate(c)
    except aws_mcp.ValidationError:
        pass
ok = 0
t = time.perf_counter()
rounds = 3
for _ in range(rounds):
    for c in cmds:
        try:
            aws_mcp.validate(c)
            ok += 1
        except aws_mcp.ValidationError:
            pass
dt = time.perf_counter() - t
print(json.dumps({
    "import_and_first_validate_ms": round(first_ms, 1),
    "commands": len(cmds) * rounds,
    "accepted": ok,
    "validations_per_second": round(len(cmds) * rounds / dt),
}))
