#!/usr/bin/env python3
"""Generate aws-mcp-wire/tests/data/jmespath_vectors.json: what the Python
``jmespath`` library the AWS CLI runs (1.1.0) answers for every case of the
JMESPath compliance suite.

The cases (documents and expressions) come from the compliance suite shipped
in the ``jmespath`` crate's sources (``tests/compliance/*.json``, from
jmespath.test, MIT licensed); the answers are Python's, not the suite's, since
the AWS CLI's ``--query`` behaves as Python does where the two differ. Each
answer is the result printed as the CLI's ``--output json`` would print it
(``json.dumps(indent=4, ensure_ascii=False)``), or an error class:
``invalid_query`` (does not compile) or ``query_failed`` (raises while
searching, or yields a value JSON cannot hold).

The Rust test ``aws-mcp-core/tests/render.rs`` runs every case through
``aws_mcp_core::render::apply_query`` and the json renderer.

Run with the pinned environment (the crate's sources come from the cargo
registry; pass --compliance DIR to point elsewhere):

    /work/gen/venv/bin/python tools/testdata/jmespath_vectors.py

The output is generated data; never edit it by hand.
"""
import argparse
import glob
import json
import os

import jmespath

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "aws-mcp-wire", "tests", "data", "jmespath_vectors.json")


def find_compliance():
    cargo_home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    hits = sorted(glob.glob(os.path.join(cargo_home, "registry", "src", "*", "jmespath-0.5.0", "tests", "compliance")))
    if not hits:
        raise SystemExit("jmespath-0.5.0 sources not found in the cargo registry: run `cargo fetch` or pass --compliance")
    return hits[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compliance", default=None)
    args = ap.parse_args()
    src = args.compliance or find_compliance()
    assert jmespath.__version__ == "1.1.0", jmespath.__version__
    documents = []
    vectors = []
    for path in sorted(glob.glob(os.path.join(src, "*.json"))):
        name = os.path.basename(path)
        if name == "benchmarks.json":
            continue
        with open(path, encoding="utf-8") as f:
            suites = json.load(f)
        for suite in suites:
            doc_index = len(documents)
            documents.append(suite["given"])
            for case in suite["cases"]:
                expr = case["expression"]
                v = {"file": name, "doc": doc_index, "query": expr}
                try:
                    compiled = jmespath.compile(expr)
                except Exception:
                    v["error"] = "invalid_query"
                    vectors.append(v)
                    continue
                try:
                    result = compiled.search(json.loads(json.dumps(suite["given"])))
                    if result == {}:
                        out = ""
                    else:
                        out = json.dumps(result, indent=4, ensure_ascii=False, allow_nan=False) + "\n"
                except Exception:
                    v["error"] = "query_failed"
                    vectors.append(v)
                    continue
                v["expected"] = out
                vectors.append(v)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(
            {
                "generator": "tools/testdata/jmespath_vectors.py",
                "jmespath": jmespath.__version__,
                "source": "JMESPath compliance suite (jmespath.test, MIT) from the jmespath 0.5.0 crate",
                "documents": documents,
                "vectors": vectors,
            },
            f,
            ensure_ascii=False,
            indent=0,
        )
        f.write("\n")
    errors = sum(1 for v in vectors if "error" in v)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(vectors)} cases ({errors} expect an error)")


if __name__ == "__main__":
    main()
