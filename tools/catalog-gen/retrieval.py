#!/usr/bin/env python3
"""Generate the retrieval corpus that aws-mcp-core's suggestion engines embed.

    .venv/bin/python tools/catalog-gen/retrieval.py     # writes aws-mcp-core/data/retrieval.bin

Reads the generated catalog (``aws-mcp-core/data/catalog.bin``) and the
example pages shipped inside the pinned ``awscli`` package
(``awscli/examples/<service>/<operation>.rst``), and writes one line of text
fields per command, zstd-compressed: first the AWS CLI v1 entries (those the
dense engine's vectors were made for, in catalog order), then the entries
only AWS CLI v2 has (``logs tail``, ``sso login``, ``ddb select``, ...; their
descriptions and v2 parameters, no example pages: those ship with v2):

    service \\t operation \\t service full name \\t description \\t
    parameter names \\t example titles \\t flags

``flags`` holds ``w`` (waiter), ``c`` (customization), ``h`` (hidden),
``d`` (deprecated), ``e`` (has example pages) and ``2`` (AWS CLI v2 only). The example titles are the
bold headings of each example ("To list the objects in a bucket") and the
first sentence under each: AWS's own phrasing of what a command is for.

Decoding every service's arguments costs ~60 MB of heap; doing it here, once,
keeps the run-time index small: the engines tokenise these lines at load.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from container import read_catalog  # noqa: E402
CATALOG = os.path.join(ROOT, "aws-mcp-core", "data", "catalog.bin")
OUT = os.path.join(ROOT, "aws-mcp-core", "data", "retrieval.bin")
MAGIC = b"AWSMCPR1"
# Arguments that nearly every command has: they say nothing about what a command does.
GENERIC_ARGS = {"cli-input-json", "cli-input-yaml", "generate-cli-skeleton", "starting-token",
                "page-size", "max-items", "dry-run", "max-results", "next-token"}

TITLE = re.compile(r"^\*\*(.+?)\*\*\s*$")
LITERAL = re.compile(r"``([^`]*)``")


def clean(text):
    text = LITERAL.sub(r"\1", text)
    text = re.sub(r"[\t\r\n]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def example_text(path):
    """Titles of the examples on one page, each with the first sentence below it."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for i, line in enumerate(lines):
        m = TITLE.match(line.strip())
        if not m:
            continue
        title = re.sub(r"^Example\s*\d*\s*:\s*", "", clean(m.group(1)), flags=re.I)
        para = []
        for nxt in lines[i + 1:]:
            s = nxt.strip()
            if not s and para:
                break
            if s.startswith("**") or s.startswith("aws "):
                break
            if s:
                para.append(s)
        sentence = clean(" ".join(para)).split(". ")[0].rstrip(":").rstrip()
        sentence = re.sub(r"\s*::$", "", sentence)
        out.append(title)
        if sentence:
            out.append(sentence[:300])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=CATALOG)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    import awscli
    import zstandard

    examples_dir = os.path.join(os.path.dirname(awscli.__file__), "examples")
    index, service_detail = read_catalog(args.catalog)
    rows, v2_rows = [], []
    with_examples = 0
    for svc in index["services"]:
        detail = service_detail(svc)
        arg_pool = detail["args"]
        for cmd, det in zip(svc["commands"], detail["commands"]):
            if cmd.get("removed"):
                continue  # awscli's removed operations are no user's command
            v2_only = svc.get("dialects") == 2 or cmd.get("dialects") == 2
            names = []
            for a in det.get("args", []):
                arg = arg_pool[a] if isinstance(a, int) else a
                if arg.get("dialects") == (1 if v2_only else 2):
                    continue
                if arg.get("hidden") or arg["name"] in GENERIC_ARGS or arg["name"].startswith("no-"):
                    continue
                names.append(arg["name"])
            ex_file = os.path.join(examples_dir, svc["name"], cmd["name"].replace(" ", "/") + ".rst")
            ex = [] if v2_only else example_text(ex_file)
            flags = ""
            if cmd["kind"] == "waiter":
                flags += "w"
            if cmd["kind"] == "custom":
                flags += "c"
            if cmd.get("hidden"):
                flags += "h"
            if cmd.get("deprecated"):
                flags += "d"
            if not v2_only and os.path.exists(ex_file):
                flags += "e"
                with_examples += 1
            if v2_only:
                flags += "2"
            (v2_rows if v2_only else rows).append("\t".join([
                svc["name"], cmd["name"], clean(svc.get("full_name", "")),
                clean(cmd.get("description", "")), " ".join(names), " | ".join(ex), flags,
            ]))
    rows += v2_rows
    text = ("\n".join(rows) + "\n").encode()
    blob = zstandard.ZstdCompressor(level=19).compress(text)
    with open(args.out + ".tmp", "wb") as f:
        f.write(MAGIC)
        f.write(blob)
    os.replace(args.out + ".tmp", args.out)
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes ({len(text)} raw), {len(rows)} "
          f"commands ({len(v2_rows)} AWS CLI v2 only), {with_examples} with example pages", file=sys.stderr)


if __name__ == "__main__":
    main()
