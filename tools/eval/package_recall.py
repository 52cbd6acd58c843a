#!/usr/bin/env python3
"""Recall of the suggestion engine as an installed package answers, out of the box.

    <venv with the aws-cli-mcp wheel>/bin/python tools/eval/package_recall.py FILE.jsonl
    node tools/eval/package_recall.js FILE.jsonl      # the npm package (run where it is installed)
    python3 tools/eval/package_recall.py FILE.jsonl --bin PATH/aws-mcp   # the binary (`aws-mcp suggest`)

Issue 18 asks for its recall "with the default install of each package": this asks the
installed wheel (`aws_mcp.suggest`, whatever engine it picks by itself) for the top 3 of each
request of FILE.jsonl (`{"query", "expected", "also_ok"}`) and prints the engine and
recall@1/@3, comparable with `cargo run -p aws-mcp-examples --example eval`.
"""
import json
import subprocess
import sys


def from_binary(path):
    """Ask `PATH suggest QUERY --count 3`; the engines that answered are collected."""
    engines = set()

    def ask(query):
        out = subprocess.run([path, "suggest", query, "--count", "3"], capture_output=True,
                             text=True, check=True).stdout
        answer = json.loads(out)
        engines.add(answer["engine"])
        return [s["command"] for s in answer["suggestions"]]
    return ask, lambda: "/".join(sorted(engines))


def from_wheel():
    import aws_mcp
    return (lambda query: [s.command for s in aws_mcp.suggest(query, k=3)]), aws_mcp.suggest_engine


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[1] == "--bin":
        ask, engine = from_binary(args[2])
    elif len(args) == 1:
        ask, engine = from_wheel()
    else:
        sys.exit("usage: package_recall.py FILE.jsonl [--bin PATH/aws-mcp]")
    cases = [json.loads(l) for l in open(args[0]) if l.strip()]
    if not cases:
        sys.exit(f"{args[0]}: no requests")
    hit1 = hit3 = 0
    for c in cases:
        ok = {"aws " + x for x in c["expected"] + c.get("also_ok", [])}
        got = ask(c["query"])
        hit1 += bool(got[:1]) and got[0] in ok
        hit3 += any(g in ok for g in got)
    n = len(cases)
    print(f"{args[0]}: {n} requests, engine {engine()}, "
          f"recall@1 {hit1 / n:.3f}, recall@3 {hit3 / n:.3f}")


if __name__ == "__main__":
    main()
