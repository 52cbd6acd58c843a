#!/usr/bin/env python3
"""The share of AWS's documentation examples the native executor runs.

    python3 tools/eval/native_share.py --aws-mcp target/debug/aws-mcp \\
        ../shared/eval/examples.jsonl [--cli-version 1|2] [--reasons]

Feeds every example command to ``aws-mcp check -`` (one command per line,
newlines inside a command joined by the shell's line continuation rules)
and counts, among those that validate, which executor ``check`` names.
With ``--reasons`` it prints the commands left to the ``aws`` program
grouped by ``executor_reason``.
"""
import argparse
import collections
import json
import subprocess
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("examples")
    ap.add_argument("--aws-mcp", default="target/debug/aws-mcp")
    ap.add_argument("--cli-version", default="1")
    ap.add_argument("--reasons", action="store_true")
    a = ap.parse_args()
    commands = []
    with open(a.examples) as f:
        for line in f:
            c = json.loads(line)["command"]
            commands.append(c.replace("\\\n", " ").replace("\n", " "))
    env = {"AWS_REGION": "us-east-1", "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run(
        [a.aws_mcp, "check", "--cli-version", a.cli_version, "-"],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    valid = native = 0
    reasons = collections.Counter()
    for line in out:
        r = json.loads(line)
        if not r.get("valid"):
            continue
        valid += 1
        if r.get("executor") == "native":
            native += 1
        else:
            reason = r.get("executor_reason") or "?"
            reasons[reason[:120]] += 1
    print(f"examples: {len(commands)}; valid: {valid}; native: {native} ({100 * native / max(valid, 1):.2f} %)")
    if a.reasons:
        for reason, n in reasons.most_common():
            print(f"{n:5}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
