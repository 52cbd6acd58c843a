#!/usr/bin/env python3
"""Generate aws-mcp-wire/tests/data/yaml_vectors.json: `--output yaml` and
`--output yaml-stream` vectors from AWS CLI v2's real formatters.

Every vector is one (document, format, --query) case run through
``awscli.formatter.get_formatter`` as ``aws`` runs it after an API call: the
response dict (with its ``ResponseMetadata``) goes to the formatter, which
removes the metadata, applies the query and writes YAML with ruamel.yaml
(its C emitter, as installed with the CLI). The Rust test
``aws-mcp-wire/tests/render.rs`` renders each vector with
``aws_mcp_wire::render`` and compares the output byte for byte.

Documents: the hand-written and random documents of render_vectors.json
(read from that file), plus seeded random documents built to reach the YAML
emitter's corner cases: strings that look like other YAML types
(timestamps, numbers, booleans of YAML 1.1 and 1.2, null, merge keys),
indicator characters first, inside and last, leading and trailing spaces,
line breaks of every kind, control and non-BMP characters, long words and
long sentences (line folding at 80 columns), long and multi-line keys, empty
strings, collections and keys, floats of every magnitude.

Run with AWS CLI v2 installed from its source tree in a venv (v2 is not on
PyPI; the same venv as the catalog generator's --v2-venv):

    V2/bin/python tools/testdata/yaml_vectors.py

``--check`` instead compares the committed file with what this CLI prints
(used to confirm that another v2, such as Debian's awscli 2.9.19 under
/usr/bin/python3, prints the same bytes). The output is generated data;
never edit it by hand.
"""
import argparse
import copy
import io
import json
import os
import random
import sys

import awscli
import jmespath
from awscli import formatter as awscli_formatter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "aws-mcp-wire", "tests", "data", "yaml_vectors.json"))
RENDER = os.path.normpath(os.path.join(HERE, "..", "..", "aws-mcp-wire", "tests", "data", "render_vectors.json"))
META = {"RequestId": "7c1b9a54-2f5e-4c8e-9a0b-3d9f0e6a1b2c", "HTTPStatusCode": 200, "RetryAttempts": 0}
FORMATS = ["yaml", "yaml-stream"]

TRICKY = [
    "", " ", "  ", "x", "yes", "no", "on", "off", "Yes", "y", "n", "true", "True", "FALSE", "null", "Null", "~",
    "NULL", "nulls", "1", "-1", "+1", "01", "012", "0o17", "0b101", "0x1F", "1_000", "1.5", "1.", ".5", "1e3",
    "1E+3", "-.inf", ".NaN", ".nan", "<<", "=", "!", "&", "*", "-", "--", "---", "...", "- x", "-x", "?", "? x",
    "?x", ":", ": x", "a:b", "a: b", "a :b", "#", "#x", "a#b", "a #b", "a# b", ",", "a,b", "[", "]", "{x}", "a[0]",
    "|", ">", "'", "'q'", "it's", '"', 'say "hi"', "%", "@", "`", "a\\b", "2024-01-02", "2024-1-2",
    "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456+00:00", "2024-01-02 03:04:05", "2024-01-02t03:04:05-01",
    "2024-01-02T03:04:05.5 Z", "20240102", "10.0.1.25", "1.2.3", "v1.2", "arn:aws:iam::123456789012:role/r",
    "s3://bucket/key with spaces", "https://example.com/a?b=c#d", "/aws/lambda/fn", "i-0123456789abcdef0",
    " lead", "trail ", " both ", "in  side", "a\tb", "\ttab", "tab\t", "line\nbreak", "\nlead", "trail\n",
    "two\n\nbreaks", "crlf\r\nline", "cr\ronly", "nel\u0085x", "ls\u2028x", "ps\u2029x", "nbsp\u00a0x", "\u00a0",
    "bom\ufeffx", "\ufeff", "nul\u0000x", "bell\u0007", "esc\u001b", "del\u007f", "c1\u0080", "naïve", "日本語",
    "名前: 値", "emoji 🚀 ok", "🚀", "surrogate-free \U0001F600 end", "\ue000private", "\uffff", "\ufffd",
    "{\"Version\": \"2012-10-17\", \"Statement\": []}", "a" * 79, "a" * 80, "a" * 81, "b" * 130,
    "word " * 20, ("word " * 20).strip(), "x" * 70 + " " + "y" * 30, " ".join(["w"] * 60), "a  " * 30,
    "long line with a break\n" * 5, "it's a long sentence, with 'quotes' and \"double quotes\", " * 3,
    "tab\tand long " * 10, "🚀 " * 50,
]
KEYS = ["Name", "Id", "Arn", "Tags", "Items", "Value", "Key", "Count", "名前", "zeta", "Zeta", "alpha", "B", "a b",
        "x: y", "#k", "-k", "", "k" * 128, "k" * 129, "multi\nline key", "yes", "1", "null", "2024-01-02", "ünï"]
FLOATS = [0.0, -0.0, 0.5, 1.25, -3.75, 1e-06, 1e-05, 0.0001, 2.5e17, 1e16, 1e+20, 3.14159, 100.0, 1.7976931348623157e308,
          5e-324, 123456789.123, 1234567890123456.7]
INTS = [0, 1, -1, 42, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 2 ** 64 - 1]


def rand_scalar(rng):
    kind = rng.randrange(10)
    if kind < 5:
        return rng.choice(TRICKY)
    if kind == 5:
        return rng.choice(INTS)
    if kind == 6:
        return rng.choice(FLOATS)
    if kind == 7:
        return rng.choice([True, False])
    if kind == 8:
        return None
    # A random mix of characters.
    alphabet = "ab :#-?,'\"\n\t\\é中🚀\u0085\u2028 "
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))


def rand_value(rng, depth):
    r = rng.random()
    if depth <= 0 or r < 0.45:
        return rand_scalar(rng)
    if r < 0.75:
        return rand_dict(rng, depth - 1)
    return rand_list(rng, depth - 1)


def rand_dict(rng, depth):
    return {k: rand_value(rng, depth) for k in rng.sample(KEYS, rng.randrange(0, 6))}


def rand_list(rng, depth):
    return [rand_value(rng, depth) for _ in range(rng.randrange(0, 5))]


def run(doc, fmt, query):
    """Run the CLI's formatter; return ("expected", text) or ("error", kind)."""
    compiled = None
    if query is not None:
        try:
            compiled = jmespath.compile(query)
            probe = copy.deepcopy(doc)
            probe.pop("ResponseMetadata", None)
            compiled.search(probe)
        except Exception:
            return "error", "query_failed"
    args = argparse.Namespace(query=compiled, color="off")
    stream = io.StringIO()
    awscli_formatter.get_formatter(fmt, args)("Op", copy.deepcopy(doc), stream)
    return "expected", stream.getvalue()


def cases():
    with open(RENDER, encoding="utf-8") as f:
        render = json.load(f)
    out = []
    for name, doc in render["documents"].items():
        if isinstance(doc, dict):
            doc = dict(doc, ResponseMetadata=META)
            out.append((name, doc, "yaml", None))
            if name.startswith("Random") and not name[6:].isdigit():
                continue
            out.append((name, doc, "yaml-stream", None))
    rng = random.Random(20261206)
    docs = {}
    # Every tricky string as a value, a list item and a key.
    docs["Tricky"] = {"Values": {f"k{i:03}": s for i, s in enumerate(TRICKY)}, "List": TRICKY,
                      "Keys": {s: i for i, s in enumerate(TRICKY)}, "Floats": FLOATS, "Ints": INTS}
    for i in range(200):
        docs[f"YamlRandom{i}"] = rand_dict(rng, 4)
    for i in range(40):
        docs[f"YamlRandomQ{i}"] = {"Items": rand_list(rng, 3), "Other": rand_value(rng, 3)}
    for name, doc in docs.items():
        doc = dict(doc, ResponseMetadata=META)
        for fmt in FORMATS:
            out.append((name, doc, fmt, None))
        if name.startswith("YamlRandomQ") or name == "Tricky":
            for query in ["Items", "Other", "Items[0]", "Items[]", "keys(@)", "Values", "List[0]", "Floats[-1]", "Keys"]:
                out.append((name, doc, rng.choice(FORMATS), query))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare the committed file with this CLI's output")
    a = ap.parse_args()
    if not awscli.__version__.startswith("2."):
        sys.exit(f"this is awscli {awscli.__version__}; run with AWS CLI v2")
    if a.check:
        with open(OUT, encoding="utf-8") as f:
            data = json.load(f)
        bad = 0
        for v in data["vectors"]:
            kind, result = run(data["documents"][v["doc"]], v["format"], v["query"])
            if v.get(kind) != result:
                bad += 1
                if bad <= 5:
                    print(f"differs: {v['doc']} {v['format']} {v['query']}: {result!r}")
        print(f"awscli {awscli.__version__}: {len(data['vectors']) - bad} of {len(data['vectors'])} vectors print the same")
        sys.exit(1 if bad else 0)
    documents, vectors = {}, []
    for name, doc, fmt, query in cases():
        documents.setdefault(name, doc)
        kind, result = run(doc, fmt, query)
        vectors.append({"doc": name, "format": fmt, "query": query, kind: result})
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "tools/testdata/yaml_vectors.py", "awscli": awscli.__version__,
                   "documents": documents, "vectors": vectors}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {OUT}: {len(vectors)} vectors")


if __name__ == "__main__":
    main()
