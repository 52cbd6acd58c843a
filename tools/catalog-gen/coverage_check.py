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
both directions, and the arguments the CLI adds to generated operations with
the ones the native executor treats as such (``cli`` in the catalog output:
each is reproduced natively or sends the command to the ``aws`` program).
Not a sample: all of them. Exits 1 and lists the differences
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
    """Every command's argument names, and the arguments the AWS CLI adds to
    generated operations (any argument of a ``ServiceOperation`` that is not
    a plain member argument: skeleton, JSON input, pagination, and every
    customization's own class)."""
    import walk
    from awscli.arguments import BooleanArgument, CLIArgument, ListArgument
    from awscli.clidriver import ServiceOperation

    plain = (CLIArgument, BooleanArgument, ListArgument)
    cmds, added = {}, set()
    for path, cmd, _top in walk.iter_commands(walk.driver()):
        key = (path[0], " ".join(path[1:]))
        table = walk.arg_table(cmd)
        cmds[key] = set(table.keys())
        if type(cmd) is ServiceOperation:
            added |= {(key, n) for n, a in table.items() if type(a) not in plain}
    return cmds, added


def catalog_table(binary, major):
    out = subprocess.run([binary, "--cli-version", str(major), "catalog"], check=True,
                         capture_output=True, text=True).stdout
    cmds, added = {}, set()
    for line in out.splitlines():
        c = json.loads(line)
        key = (c["service"], c["operation"])
        cmds[key] = {a["name"] for a in c["args"]}
        added |= {(key, a["name"]) for a in c["args"] if "cli" in a}
    return cmds, added


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aws-mcp", required=True, help="path to the aws-mcp binary")
    args = ap.parse_args()
    if not os.environ.get("AWS_DATA_PATH"):
        sys.exit("AWS_DATA_PATH must point at the pinned botocore data (see .ci/run)")
    from awscli import __version__ as version
    major = int(version.split(".")[0])
    print(f"AWS CLI {version} (dialect {major})")
    live, live_added = live_table()
    cat, cat_added = catalog_table(args.aws_mcp, major)
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
    # The native executor knows every argument the CLI adds to a generated
    # operation (aws_mcp_native::cli_argument), and no other.
    unknown_added = sorted(live_added - cat_added)
    not_added = sorted(cat_added - live_added)
    print(f"arguments the CLI adds to generated operations: {len(live_added)} live, "
          f"{len(cat_added)} known to the native executor")
    problems = [("missing commands", missing_cmds), ("extra commands", extra_cmds),
                ("missing arguments", missing_args), ("extra arguments", extra_args),
                ("CLI-added arguments the native executor does not know", unknown_added),
                ("arguments the native executor takes for CLI-added but the CLI does not add", not_added)]
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
