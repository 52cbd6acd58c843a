#!/usr/bin/env python3
"""Generate the documentation examples that `help` shows.

    .venv/bin/python tools/catalog-gen/examples.py     # writes aws-mcp-core/data/examples.bin

Reads the example pages shipped inside the pinned ``awscli`` package
(``awscli/examples/<service>/<operation>.rst``, waiters under
``<service>/wait/``) and keeps, per command, the first example of its page:
its title, the ``aws ...`` command as written (continuation lines joined),
and the first lines of its output. These are AWS's own examples; `aws
<service> <operation> help` shows one, bounded in size.

Output: ``AWSMCPE1``, then one zstd frame of JSON
``{"awscli": version, "examples": {"<service> <command>": [title, command, output]}}``
(keys sorted, so the file depends only on the pages).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "aws-mcp-core", "data", "examples.bin")
MAGIC = b"AWSMCPE1"
# The most output lines and characters kept per example.
MAX_OUTPUT_LINES = 24
MAX_OUTPUT_CHARS = 1200
MAX_COMMAND_CHARS = 1500

TITLE = re.compile(r"^\*\*(.+?)\*\*\s*$")
LITERAL = re.compile(r"``([^`]*)``")


def clean(text):
    text = LITERAL.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def block(lines, start):
    """The indented literal block starting after line ``start`` (which ends
    with ``::``): its lines with the common indentation removed, and the
    index after it."""
    i = start + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    body = []
    while i < len(lines) and (not lines[i].strip() or lines[i][:1] in (" ", "\t")):
        body.append(lines[i].rstrip())
        i += 1
    while body and not body[-1].strip():
        body.pop()
    indent = min((len(b) - len(b.lstrip()) for b in body if b.strip()), default=0)
    return [b[indent:] for b in body], i


def first_example(path):
    """(title, command, output) of the first example on a page, or None."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    title = ""
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        m = TITLE.match(line.strip())
        if m:
            title = re.sub(r"^Example\s*\d*\s*:\s*", "", clean(m.group(1)), flags=re.I)
        if line.endswith("::"):
            body, after = block(lines, i)
            if body and body[0].lstrip().startswith("aws "):
                command = "\n".join(body).strip()
                output = []
                j = after
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines) and lines[j].strip().startswith("Output") and lines[j].rstrip().endswith("::"):
                    out, _ = block(lines, j)
                    output = out
                text = "\n".join(output[:MAX_OUTPUT_LINES])
                if len(output) > MAX_OUTPUT_LINES or len(text) > MAX_OUTPUT_CHARS:
                    text = text[:MAX_OUTPUT_CHARS].rstrip() + "\n..."
                return [title, command[:MAX_COMMAND_CHARS], text]
            i = after
            continue
        i += 1
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    import awscli
    import zstandard

    root = os.path.join(os.path.dirname(awscli.__file__), "examples")
    examples = {}
    for service in sorted(os.listdir(root)):
        sdir = os.path.join(root, service)
        if not os.path.isdir(sdir):
            continue
        for dirpath, _dirs, files in os.walk(sdir):
            for f in sorted(files):
                if not f.endswith(".rst"):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, f), sdir)[: -len(".rst")]
                command = rel.replace(os.sep, " ")
                ex = first_example(os.path.join(dirpath, f))
                if ex:
                    examples[f"{service} {command}"] = ex
    doc = {"awscli": awscli.__version__, "examples": examples}
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    blob = zstandard.ZstdCompressor(level=19).compress(data)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(blob)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(examples)} examples, {len(data)} bytes of JSON, "
          f"{os.path.getsize(args.out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
