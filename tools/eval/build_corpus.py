#!/usr/bin/env python3
"""Build tools/eval/suggest_corpus.jsonl from the hand-written tables in tools/eval/corpus/,
and tools/eval/suggest_training.jsonl from those in tools/eval/training/.

    .venv/bin/python tools/eval/build_corpus.py

Each table line is ``query <TAB> expected[|also_ok,also_ok...] <TAB> style-or-URL``.
Every command named must exist in the embedded catalog (``aws-mcp-core/data/retrieval.bin``);
a request that repeats one of ../shared/eval/suggest_dev.jsonl (when present) is refused.
The split is fixed by a hash of the request text (about 40 % held out), so adding lines never
moves an old one. The training tables are training data only (split ``train``, never
measured); a training request that repeats one of the corpus (either split) or of the shared
development set is refused, and one whose words are close to a held-out or development request
(word-set Jaccard >= ``NEAR``) is left out of the training file (decontamination: its author
never saw those sets, but the refusal above tells which requests are in them). See
tools/eval/README.md for who wrote what.
"""
import hashlib
import json
import os
import re
import sys

import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(ROOT, "aws-mcp-core", "data", "retrieval.bin")
OUT = os.path.join(HERE, "suggest_corpus.jsonl")
TRAINING_OUT = os.path.join(HERE, "suggest_training.jsonl")
DEV = os.path.join(ROOT, "..", "shared", "eval", "suggest_dev.jsonl")
HELD_OUT_PERCENT = 40
NEAR = 0.5


def words(query):
    return set(re.findall(r"[a-z0-9]+", query.lower()))


def near_any(query, others):
    a = words(query)
    return any(len(a & b) / len(a | b) >= NEAR for b in others if a | b)


def commands():
    raw = open(CORPUS, "rb").read()[8:]
    text = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 27).decode()
    out = {}
    for line in text.splitlines():
        f = line.split("\t")
        out[f"{f[0]} {f[1]}"] = "e" in f[6]
    return out


def split_of(query):
    h = int(hashlib.sha256(query.strip().lower().encode()).hexdigest()[:8], 16)
    return "heldout" if h % 100 < HELD_OUT_PERCENT else "tune"


def read_tables(folder, known, refuse, examples, training):
    """The rows of every table in `folder`, and how many problems were printed."""
    rows, seen, bad = [], set(), 0
    for name in sorted(os.listdir(os.path.join(HERE, folder))):
        if not name.endswith(".tsv"):
            continue
        for n, line in enumerate(open(os.path.join(HERE, folder, name)), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                print(f"{folder}/{name}:{n}: want 3 tab-separated fields", file=sys.stderr)
                bad += 1
                continue
            query, labels, tag = (p.strip() for p in parts)
            best, _, alts = labels.partition("|")
            expected = [best.strip()]
            also = [a.strip() for a in alts.split(",") if a.strip()]
            for c in expected + also:
                if c not in known:
                    print(f"{folder}/{name}:{n}: unknown command {c!r}", file=sys.stderr)
                    bad += 1
            key = query.lower()
            for what, keys in refuse:
                if key in keys:
                    print(f"{folder}/{name}:{n}: repeats a request of {what}", file=sys.stderr)
                    bad += 1
            if key in seen:
                print(f"{folder}/{name}:{n}: duplicate request", file=sys.stderr)
                bad += 1
            seen.add(key)
            svc, _, op = expected[0].partition(" ")
            page = os.path.join(examples, svc, op.replace(" ", "/") + ".rst")
            if tag.startswith("http"):
                source = {"kind": "public-qa", "url": tag,
                          "written_by": "suggest helper, paraphrasing the question the page answers"}
                style = "qa"
            else:
                doc = (f"awscli/examples/{svc}/{op}.rst" if os.path.exists(page)
                       else f"AWS CLI reference: aws {svc} {op}")
                source = {"kind": "hand-written", "task_documented_in": doc,
                          "written_by": (f"training helper (aws-mcp issue 18), table {name}"
                                         if training else
                                         "suggest helper (aws-mcp issue 18), before any tuning")}
                style = tag
            rows.append({"id": f"{name[:-4]}-{n:03d}", "query": query, "expected": expected,
                         "also_ok": also, "style": style, "words": len(query.split()),
                         "split": "train" if training else split_of(query), "source": source})
    return rows, bad


def main():
    known = commands()
    import awscli
    examples = os.path.join(os.path.dirname(awscli.__file__), "examples")
    dev = set()
    if os.path.exists(DEV):
        for line in open(DEV):
            if line.strip():
                dev.add(json.loads(line)["query"].strip().lower())
    rows, bad = read_tables("corpus", known, [("the shared dev set", dev)], examples, False)
    corpus = {r["query"].lower() for r in rows}
    training, bad_training = read_tables(
        "training", known, [("the shared dev set", dev), ("the corpus", corpus)], examples, True)
    bad += bad_training
    measured = [words(r["query"]) for r in rows if r["split"] == "heldout"] + [words(q) for q in dev]
    is_near = [near_any(r["query"], measured) for r in training]
    near = sum(is_near)
    training = [r for r, n in zip(training, is_near) if not n]
    if bad:
        sys.exit(f"{bad} problems; nothing written")
    with open(OUT, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    for part in ("tune", "heldout"):
        sub = [r for r in rows if r["split"] == part]
        with open(OUT.replace(".jsonl", f"_{part}.jsonl"), "w") as f:
            for r in sub:
                f.write(json.dumps(r) + "\n")
    with open(TRAINING_OUT, "w") as f:
        for r in training:
            f.write(json.dumps(r) + "\n")
    held = sum(r["split"] == "heldout" for r in rows)
    print(f"wrote {OUT}: {len(rows)} requests ({held} held out), "
          f"{len({r['expected'][0].split()[0] for r in rows})} services", file=sys.stderr)
    print(f"wrote {TRAINING_OUT}: {len(training)} training requests, "
          f"{len({r['expected'][0].split()[0] for r in training})} services "
          f"({near} left out: near a held-out or development request)", file=sys.stderr)


if __name__ == "__main__":
    main()
