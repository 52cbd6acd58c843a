#!/usr/bin/env python3
"""Coverage test: the catalog lists everything the pinned AWS CLI's own table has.

    python tools/catalog-gen/coverage_check.py --aws-mcp target/debug/aws-mcp
    V2/bin/python tools/catalog-gen/coverage_check.py --aws-mcp target/debug/aws-mcp   # AWS CLI v2

Run with the Python of an AWS CLI v1 environment it checks the catalog's v1
table; with the Python of an AWS CLI v2 environment (installed from its
source tree, see tools/catalog-gen/README.md) the v2 table (`aws-mcp catalog
--cli-version 2`). AWS_DATA_PATH must point at the pinned botocore data (for
v2, the plain copy generate.py makes: its loader reads no .json.gz).

Walks the live command table of the installed awscli (with AWS_DATA_PATH at
the pinned newer botocore data, as the generator does) and compares it with
``aws-mcp catalog``: every (service, command) and every argument of each, in
both directions. Not a sample: all of them. Exits 1 and lists the differences
when they disagree.

Run it with the Python of the environment that ``.ci/run`` (or
``generate.py --venv``) prepared: it needs awscli installed.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def live_table():
    import walk

    cmds = {}
    for path, cmd, _top in walk.iter_commands(walk.driver()):
        key = (path[0], " ".join(path[1:]))
        cmds[key] = set(walk.arg_table(cmd).keys())
    return cmds


def catalog_table(binary, major):
    out = subprocess.run([binary, "--cli-version", str(major), "catalog"], check=True,
                         capture_output=True, text=True).stdout
    cmds = {}
    for line in out.splitlines():
        c = json.loads(line)
        cmds[(c["service"], c["operation"])] = {a["name"] for a in c["args"]}
    return cmds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aws-mcp", required=True, help="path to the aws-mcp binary")
    args = ap.parse_args()
    if not os.environ.get("AWS_DATA_PATH"):
        sys.exit("AWS_DATA_PATH must point at the pinned botocore data (see .ci/run)")
    from awscli import __version__ as version
    major = int(version.split(".")[0])
    print(f"AWS CLI {version} (dialect {major})")
    live = live_table()
    cat = catalog_table(args.aws_mcp, major)
    missing_cmds = sorted(set(live) - set(cat))
    extra_cmds = sorted(set(cat) - set(live))
    missing_args = []
    extra_args = []
    n_args = 0
    for key, names in live.items():
        n_args += len(names)
        have = cat.get(key)
        if have is None:
            continue
        missing_args += [(key, a) for a in sorted(names - have)]
        extra_args += [(key, a) for a in sorted(have - names)]
    services = {k[0] for k in live}
    print(f"live table: {len(services)} top-level commands, {len(live)} commands, {n_args} arguments")
    print(f"catalog:    {len({k[0] for k in cat})} top-level commands, {len(cat)} commands, "
          f"{sum(len(v) for v in cat.values())} arguments")
    problems = [("missing commands", missing_cmds), ("extra commands", extra_cmds),
                ("missing arguments", missing_args), ("extra arguments", extra_args)]
    bad = False
    for label, items in problems:
        if items:
            bad = True
            print(f"{label}: {len(items)}")
            for it in items[:50]:
                print("   ", it)
    if bad:
        sys.exit(1)
    print("coverage: complete (every command and every argument of the live table is in the catalog)")


if __name__ == "__main__":
    main()
